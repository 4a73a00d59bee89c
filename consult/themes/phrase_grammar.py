"""Does a phrase name a topic? Word classes from a lexicon, and how the texts themselves use each word.

No tagger model ships offline, so two kinds of evidence stand in for one:
- `lemminflect`'s English lexicon (bundled in the wheel) says which classes a word can have ("helpful": adjective
  only; "care": noun or verb; "public": adjective or noun);
- the texts say how a phrase is used: one the texts mostly write before another content word is a modifier
  there ("fuel poor" in "fuel poor households", "multi-year" in "multi-year funding"), and a word they mostly
  write after "should", "we" or "to" ("we should stop councils ...") is a verb there.
A topic phrase ends on a word that can name a thing, is not a cut-off modifier, and does not open on a verb or an
adverb. Where the lexicon and the texts cannot tell, the phrase is allowed: a label is never withheld for it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from consult.text.cleaning import CONTRACTION_PARTS, stop_words
from consult.themes.words import EVALUATIVE_WORDS

#: words after which the next word is a verb ("should stop", "we need", "please fund")
VERB_CUES = frozenset(["should", "must", "will", "would", "can", "could", "shall", "may", "might", "we", "they",
                       "i", "you", "please", "let", "lets", "need", "needs", "want", "wants"])
#: prepositions of place and manner: a phrase the texts nearly always write after one of them is an adverbial
#: idiom there ("in local hands", "in charge", "at scale"), not a topic
LOCATIVE_PREPOSITIONS = ("in", "at", "on", "under")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|[.,;:!?()\"\n-]", re.UNICODE)
_START = "<start>"


@lru_cache(maxsize=20_000)
def word_classes(word: str) -> frozenset[str]:
    """The universal part-of-speech classes the lexicon allows for `word` (empty when it does not know it)."""
    from lemminflect import getAllLemmas

    return frozenset(getAllLemmas(word.lower()))


class PhraseUsage:
    """How the texts use each phrase of up to three content words: as a whole (nothing but a stop word or
    punctuation after it) or as the front of a longer one ("multi year" in "multi year funding"), and how often
    each word stands in a verb's place."""

    def fit(self, texts: list[str]) -> PhraseUsage:
        stops = stop_words() | CONTRACTION_PARTS
        self.total_: Counter[str] = Counter()
        self.whole_: Counter[str] = Counter()
        self.verb_place_: Counter[str] = Counter()
        self.opening_: Counter[str] = Counter()
        self.hyphenated_: Counter[str] = Counter()
        self.after_preposition_: Counter[str] = Counter()  # "in local hands": the phrase after its preposition
        totals, wholes, hyphenated, verb_places, openings, after_prepositions = [], [], [], [], [], []
        for text in texts:
            # a hyphen joins two words into the phrase the counter reads ("multi-year" is "multi year") and is
            # remembered: a hyphenated compound before a noun is a modifier ("multi-year funding")
            raw = _TOKEN.findall(text.lower())
            pieces, joined = [], []
            for position, piece in enumerate(raw):
                if piece != "-":
                    joined.append(position > 0 and raw[position - 1] == "-" and bool(pieces))
                    pieces.append(piece)
            content = [piece[0].isalpha() and piece not in stops for piece in pieces]
            previous = _START
            run_end = 0
            for position, piece in enumerate(pieces):
                if content[position]:
                    if previous in VERB_CUES or previous == "to":
                        verb_places.append(piece)
                    elif previous == _START:
                        openings.append(piece)
                    if run_end <= position:  # where this run of content words ends
                        run_end = position
                        while run_end < len(pieces) and content[run_end]:
                            run_end += 1
                    for end in range(position + 1, min(position + 3, run_end) + 1):
                        phrase = " ".join(pieces[position:end])
                        totals.append(phrase)
                        if end == run_end:
                            wholes.append(phrase)
                        if any(joined[position + 1:end]):
                            hyphenated.append(phrase)
                        if previous in LOCATIVE_PREPOSITIONS:
                            after_prepositions.append(f"{previous} {phrase}")
                previous = piece if piece[0].isalpha() else _START if piece in ".!?\n" else piece
        for counter, found in ((self.total_, totals), (self.whole_, wholes), (self.hyphenated_, hyphenated),
                               (self.verb_place_, verb_places), (self.opening_, openings),
                               (self.after_preposition_, after_prepositions)):
            counter.update(found)
        return self

    def whole_share(self, phrase: str) -> float:
        """Share of the phrase's uses that are not the front of a longer phrase (1 for a phrase not seen)."""
        total = self.total_[phrase]
        return self.whole_[phrase] / total if total else 1.0

    def hyphenated_share(self, phrase: str) -> float:
        total = self.total_[phrase]
        return self.hyphenated_[phrase] / total if total else 0.0

    def idiom_share(self, phrase: str) -> float:
        """Largest share of the phrase's uses after one and the same preposition of place ("in local hands")."""
        total = self.total_[phrase]
        if not total:
            return 0.0
        return max(self.after_preposition_[f"{preposition} {phrase}"] for preposition in LOCATIVE_PREPOSITIONS) / total

    def verb_share(self, word: str) -> float:
        """Share of the word's uses in a verb's place: after a modal, a subject pronoun or "to", or opening a
        sentence (an imperative: "Give the assembly ...")."""
        total = self.total_[word]
        if not total:
            return 0.0
        # opening a sentence marks an imperative only for a word that cannot be a noun or an adjective: "Fuel poor
        # households pay most" opens on a noun as often as "Fund fuel poor households" opens on a verb; nor for an
        # -ing form ("Waiting times are long" opens on a gerund)
        imperative = not {"ADJ", "NOUN"} & word_classes(word) and not word.endswith("ing")
        openings = self.opening_[word] if imperative else 0
        return (self.verb_place_[word] + openings) / total

    def opens_on_verb(self, word: str) -> bool:
        """Is `word`, opening a phrase, the verb of an instruction here ("stop councils", "give the assembly");
        only words that can be verbs count ("access to services" has a noun after "to")."""
        return "VERB" in word_classes(word) and self.verb_share(word) >= 0.3

    def is_topic(self, phrase: str) -> bool:
        words = phrase.lower().split()
        if not words:
            return False
        last, first = words[-1], words[0]
        if last in EVALUATIVE_WORDS:
            return False
        classes = word_classes(last)
        gerund = last.endswith("ing") and "VERB" in classes
        # the last word names something: a noun, a name the lexicon does not know ("NHS"), or an -ing form after
        # a modifier ("responsible gambling", "affordable housing"); "Taking" alone is a fragment
        if not (not classes or "NOUN" in classes or "PROPN" in classes or (gerund and len(words) > 1)):
            return False
        opening = word_classes(first)
        opens_on_adverb = bool(opening) and opening <= {"ADV"}  # "Logistically complex" comments on a topic
        # a word that can only be a verb opens a clause ("Normalizes gambling", "Prevent gambling"), unless it is
        # a participle describing the rest ("recovering addicts", "recovered addicts")
        if opening == {"VERB"} and not first.endswith(("ing", "ed")):
            return False
        whole = self.whole_share(phrase.lower())
        # a last word that can also be an adjective must end the phrase where the texts use it ("fuel poor" is
        # mostly the front of "fuel poor households"; "the public" names), and is never a label alone ("Free")
        cut_adjective = bool({"ADJ", "ADV"} & classes) and (whole < 0.5 or len(words) == 1)
        # one that can be a verb must not mostly run on ("ads target" in "ads target young men")
        cut_verb = "VERB" in classes and not gerund and whole < 0.3
        # a compound the texts hyphenate describes what follows it ("multi-year" in "multi-year funding"), unless it
        # joins two nouns ("self-exclusion" in "self-exclusion schemes" still names the topic)
        noun_compound = (len(words) > 1 and not {"ADJ", "ADV"} & opening and "NOUN" in classes
                         and "ADJ" not in classes)
        cut_compound = self.hyphenated_share(phrase.lower()) >= 0.5 and whole < 0.5 and not noun_compound
        # an -ing form alone that mostly runs on ("taking" in "taking second jobs")
        cut_gerund = gerund and len(words) == 1 and whole < 0.5
        cut_modifier = cut_adjective or cut_verb or cut_compound or cut_gerund
        # an -ing verb before an adverb is an action, not a topic ("coming home")
        action = first.endswith("ing") and "VERB" in opening and "ADV" in classes and len(words) > 1
        # nearly always after one preposition of place, the phrase says where or how, not what ("in local hands",
        # "in charge", "at scale"); a handful of uses says nothing either way
        idiom = self.total_[phrase.lower()] >= 5 and self.idiom_share(phrase.lower()) >= 0.8
        return not (opens_on_adverb or cut_modifier or action or idiom or self.opens_on_verb(first))
