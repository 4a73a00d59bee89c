"""Text: member text made safe and comparable, and turned into numbers.

- `encoding`: bytes from other tools' files as text (UTF-8, falling back to Windows-1252 line by line).
- `cleaning`: normalisation, the exact-duplicate key, escaping for display, plurals and shortening.
- `term_counts`: words and phrases counted the way themes and labels need (stemming, stop words).
- `embeddings`: static word embeddings (wordllama, shipped in its wheel) for similar proposals and themes.

Imports only the standard library, numpy, scikit-learn and the embedding library: every other package may use it.
"""
