"""The words of short free-text answers, counted for a word cloud on the shared screen.

Each answer counts a word once (a cloud of how many people said it, not how often one person typed it). Stop
words and filler are left out; an answer with abusive language or personal details (`proposals.flags`) is left
out of the cloud entirely, since the screen is in a room and no moderator has seen it first.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from consult.proposals.flags import flags
from consult.text.cleaning import tokens


def word_counts(texts: list[str] | pd.Series, *, top: int = 40) -> pd.DataFrame:
    """The `top` words by how many answers use them: word, answers (ties by the word, for a stable cloud);
    `left_out` in `.attrs` counts answers kept off the screen by the flags."""
    counter: Counter[str] = Counter()
    left_out = 0
    for text in texts:
        if flags(str(text)):
            left_out += 1
            continue
        counter.update(set(tokens(str(text))))
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:top]
    frame = pd.DataFrame(ranked, columns=["word", "answers"])
    frame.attrs["left_out"] = left_out
    return frame
