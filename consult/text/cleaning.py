"""Cleaning member text: normalisation, the exact-duplicate key, and escaping for display."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def clean_text(text: str) -> str:
    """Member text as stored: NFC, no control or invisible characters, tidy spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def dedupe_key(text: str) -> str:
    """A key equal for texts that differ only in case, accents' composition, spacing or punctuation."""
    folded = _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", clean_text(text)).casefold()).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]


_MD_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|:$<>~&\"'=^])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every character Markdown (and Streamlit's extensions) could interpret."""
    return _MD_SPECIALS.sub(r"\\\1", text)


def shorten(text: str, width: int = 120) -> str:
    """One line of at most `width` characters, cut at a word (never inside one) with an ellipsis when cut."""
    flat = " ".join(str(text).split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:.") + "…"


# -- preparing text for theme finding ---------------------------------------------------------------------------

#: Words consultation responses use everywhere that say nothing about the topic.
FILLER_WORDS = frozenset(["think", "believe", "feel", "agree", "disagree", "support", "oppose", "strongly", "really", "just", "like", "would", "could", "should", "must", "need", "needs", "want", "wants", "also", "people", "way", "make", "made", "get", "got", "things", "thing", "lot", "lots", "much", "many", "well", "yes", "no", "absolutely", "definitely", "important", "proposal", "proposals", "consultation", "question", "answer", "response", "respond", "view", "views", "opinion", "personally", "please", "thank", "thanks", "simple", "long", "overdue", "matters", "priority"])
#: What a word pattern leaves of contractions ("won't" -> "won"): meaningless in a label.
CONTRACTION_PARTS = frozenset(["don", "won", "isn", "doesn", "didn", "aren", "wasn", "weren", "shouldn", "couldn", "wouldn", "haven", "hasn", "ll", "ve", "re"])


def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words plus consultation filler words."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | FILLER_WORDS


#: Words of two or more letters (any script); digits and underscores are not words here.
WORD_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"


@lru_cache(maxsize=1)
def stemmer():
    """A Snowball stemmer with a cache shared by every caller (consultation vocabularies are small; documents
    and passes over them are many)."""
    import snowballstemmer

    stem = snowballstemmer.stemmer("english").stemWord
    return lru_cache(maxsize=200_000)(stem)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens (WORD_PATTERN) with stop words removed."""
    stops = stop_words()
    return [t for t in re.findall(WORD_PATTERN, clean_text(text).lower()) if t not in stops]


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """"1 participant", "2 participants", "1,204 answers": a count with its noun in the right number."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"
