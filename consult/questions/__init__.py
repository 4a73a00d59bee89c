"""Structured questions: the kinds of question and how answers are checked and stored (`kinds`), the officers'
question file (`question_file`), what each question's answers show overall, by region and across any grouping
(`shares`), and the words of short free-text answers for a word cloud (`words`).

Pure: DataFrames and values in, DataFrames and values out. Imports `consult.regions`, `consult.text`,
`consult.support` (the pooled regional estimates proposals use) and `consult.proposals.flags` (what is kept off the
shared screen); never storage, publishing or the app. `storage.questions` imports `kinds` to check an answer
before it is written; what leaves the system (the results table, cross-tabs with suppression, the ranking count)
is assembled in `consult.publishing.question_results`.
"""
