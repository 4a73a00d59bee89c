"""Names mentioned in passing: places and other proper names that would group texts by what they name, not by
what they say.

Members name their town or county ("In Hull we need ...", "Bowling Green should ..."), and texts that share a
name share a rare word, which both views of the clustering weigh heavily: on 375 real comments about one US city
(../shared/data/polis/bg2050-volunteers) two of the themes found were the city's name ("Bowling Green", "BG").
Some names are the subject itself ("the Barnett formula", "the NHS", "like Italy and Australia"), and those must
stay. The texts tell the two apart: texts that name a subject talk alike beyond the name, texts that name a town
in passing do not.

- A name is a word the texts write with a capital in mid-sentence at least `CAPITAL_SHARE` of the time (found
  per consultation: no gazetteer, no tagger; "NHS" and "BG" count as capitals).
- It is incidental when the texts holding it (at least `MIN_TEXTS` of them, fewer cannot make a theme) are no
  more alike than any two texts by more than `ALIKE_BEYOND_CHANCE`: the mean cosine between pairs of their
  sentence vectors, all names taken out of the vectors, minus the same mean over all texts. Otherwise it is the
  subject (`judge_names` gives each name its verdict).
- Names in passing are left out of both views (`columns_kept`); neither they nor names in too few texts to judge
  may label a theme, while a subject may ("Italy", "NHS"): `not_for_labels`.

Measured (`benchmarks/bench_themes.py` and a sweep over seven corpora, session 21): the excess is 0.00-0.06 for
towns and cities named in passing (the demo's Hull, Bristol, Ealing, Hackney; bg2050's "BG", "Bowling",
"Green", "Nashville", "Warren"), 0.11-0.62 for names that carry a topic (Whitehall, Westminster, Yorkshire,
Scotland, NHS, GP, Barnett, Beeching, Treasury on the demo; Italy, Australia, TV on eval_sentiments); the least
alike human theme of eval_sentiments and of the demo sits at 0.12 and 0.15.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from scipy import sparse

from consult.text.cleaning import stemmer, stop_words

#: a word is a name when the texts capitalise at least this share of its uses in mid-sentence
CAPITAL_SHARE = 0.8
#: ... and use it in mid-sentence at least this often
MIN_USES = 2
#: a text with more than this share of its mid-sentence words capitalised is in capitals or Title Case throughout
SHOUTED_SHARE = 0.5
#: a name in fewer texts is neither judged nor taken out: so few texts cannot make a theme of their own
MIN_TEXTS = 5
#: names are found on a random sample of this many texts (a name common enough to make a theme is in it) ...
SAMPLE = 2000
#: ... and each is judged on at most this many of the texts holding it: over 200 of a name's texts the mean pair
#: cosine varies by 0.003-0.008 (one standard deviation) from draw to draw, over 50 by 0.007-0.021 (names with
#: 500+ texts in 20,000 generated proposals), and the demo's "Whitehall" fell either side of the line by the draw
JUDGED_PER_NAME = 200
#: how much more alike (mean pairwise cosine) a name's texts must be than any two texts for it to be a subject
ALIKE_BEYOND_CHANCE = 0.1

#: what may open a sentence: after a colon a capital is as common as after a full stop ("Note: Create ...")
_PIECE = re.compile(r"[^\W\d_]{2,}|[.!?:\n]", re.UNICODE)


def capitalised_names(texts: list[str]) -> dict[str, str]:
    """The words the texts write with a capital in mid-sentence at least `CAPITAL_SHARE` of the time, in at least
    `MIN_USES` mid-sentence uses: lower-cased word -> its commonest capitalised spelling ("hull" -> "Hull", "bg" ->
    "BG"), in word order. A word opening a text or a sentence says nothing, and neither does a text written in
    capitals or Title Case throughout (more than `SHOUTED_SHARE` of its mid-sentence words capitalised): there a
    capital marks the writer's habit, not a name. Nor does a text with no capital at all: a writer who types in
    lower case throughout ("speaking as someone from leicester") says nothing about which words are names (the
    demo's 126 such texts kept 14 names under the share: "Leicester", "Croydon", nine more towns, "Welsh",
    "Irish" and "South")."""
    spellings: dict[str, Counter[str]] = {}
    uses: Counter[str] = Counter()
    stops = stop_words()
    for text in texts:
        if not any(character.isupper() for character in str(text)):
            continue
        mid_sentence = []
        opens_sentence = True
        for piece in _PIECE.findall(str(text)):
            if piece in ".!?:\n":
                opens_sentence = True
                continue
            if not opens_sentence:
                mid_sentence.append(piece)
            opens_sentence = False
        if sum(piece[0].isupper() for piece in mid_sentence) > SHOUTED_SHARE * len(mid_sentence):
            continue
        for piece in mid_sentence:
            word = piece.lower()
            if word not in stops:
                uses[word] += 1
                if piece[0].isupper():
                    spellings.setdefault(word, Counter())[piece] += 1
    return {word: spellings[word].most_common(1)[0][0] for word, count in sorted(uses.items())
            if count >= MIN_USES and sum(spellings.get(word, {}).values()) >= CAPITAL_SHARE * count}


def in_words(names: list[str], shown: int = 12) -> str:
    """The names left out, for an officer: "Names mentioned in passing, left out of the themes: Hull, Leeds and 3
    more." ("" when there are none)."""
    if not names:
        return ""
    listed = ", ".join(names[:shown])
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return f"Names mentioned in passing, left out of the themes: {listed}{more}."


def mean_pair_cosine(vectors: np.ndarray) -> float:
    """The mean cosine between distinct pairs of unit vectors, from their mean: |mean|^2 = 1/n + (1 - 1/n) x the
    mean pair cosine, so no n x n matrix is formed."""
    n = len(vectors)
    if n < 2:
        return 0.0
    mean = vectors.mean(axis=0)
    return float((n * (mean @ mean) - 1.0) / (n - 1))


IN_PASSING = "in passing"
SUBJECT = "subject"
TOO_FEW = "too few texts"


def incidental_names(texts: list[str], word_counts: sparse.csr_matrix, words: np.ndarray, embedder_factory, *,
                     sample: int = SAMPLE, random_state: int = 0) -> list[str]:
    """The names of `texts` mentioned in passing, as the texts write them ("Hull", "BG"), in word order (the
    arguments as `judge_names`)."""
    verdicts = judge_names(texts, word_counts, words, embedder_factory, sample=sample, random_state=random_state)
    return [name for name, verdict in verdicts.items() if verdict == IN_PASSING]


def judge_names(texts: list[str], word_counts: sparse.csr_matrix, words: np.ndarray, embedder_factory, *,
                sample: int = SAMPLE, random_state: int = 0) -> dict[str, str]:
    """Each name of `texts`, as the texts write it, in word order -> `IN_PASSING`, `SUBJECT`, or `TOO_FEW` (in
    fewer than `MIN_TEXTS` texts: not judged). `word_counts` are the texts' single-word counts with columns
    `words` (lower-cased, as the phrase counter reads them); `embedder_factory()` gives an unfitted sentence
    embedder with `fit_transform(word_counts, words)` (`embeddings.SifEmbedder`).

    Names are found on a random `sample` of the texts; each is judged on up to `JUDGED_PER_NAME` of all the
    texts holding it (a town in 0.2% of 100,000 texts is in four of a 2,000-text sample, too few to judge, yet
    in enough texts to make a theme), against the sample's texts as "any two texts"."""
    rng = np.random.default_rng(random_state)
    sampled = np.arange(len(texts)) if len(texts) <= sample else np.sort(rng.choice(len(texts), sample,
                                                                                     replace=False))
    names = capitalised_names([texts[i] for i in sampled])
    column_of = {str(word): i for i, word in enumerate(words)}
    columns = [column_of[name] for name in names if name in column_of]
    if not columns or len(sampled) < 2:
        return {}
    word_counts = sparse.csr_matrix(word_counts)
    presence = (word_counts[:, columns] > 0).tocsc()
    holders = [presence[:, position].nonzero()[0] for position in range(len(columns))]
    holders = [rows if len(rows) <= JUDGED_PER_NAME else np.sort(rng.choice(rows, JUDGED_PER_NAME, replace=False))
               for rows in holders]
    judged = np.unique(np.concatenate([sampled, *holders]))
    without_names = np.ones(word_counts.shape[1], dtype=np.float32)
    without_names[columns] = 0.0
    # the name's own word would make its texts alike by itself: every name is out of the vectors judged
    vectors = embedder_factory().fit_transform(word_counts[judged] @ sparse.diags(without_names), words)
    everyone = mean_pair_cosine(vectors[np.searchsorted(judged, sampled)])
    verdicts = {}
    for column, rows in zip(columns, holders, strict=True):
        if len(rows) < MIN_TEXTS:
            verdict = TOO_FEW
        elif mean_pair_cosine(vectors[np.searchsorted(judged, rows)]) - everyone < ALIKE_BEYOND_CHANCE:
            verdict = IN_PASSING
        else:
            verdict = SUBJECT
        verdicts[names[str(words[column])]] = verdict
    return verdicts


def columns_kept(names: list[str], terms: np.ndarray, words: np.ndarray) -> tuple[sparse.csr_matrix,
                                                                                 sparse.csr_matrix]:
    """0/1 diagonal matrices over the phrase counter's stemmed `terms` and its single `words` that zero every
    column holding one of `names` ("bowling" takes "bowl" and "bowl green" with it)."""
    lowered = {name.lower() for name in names}
    stem = stemmer()
    stems = {stem(name) for name in lowered}
    phrases = [not stems.intersection(str(term).split()) for term in terms]
    singles = [str(word) not in lowered for word in words]
    return (sparse.diags(np.asarray(phrases, dtype=np.float32)).tocsr(),
            sparse.diags(np.asarray(singles, dtype=np.float32)).tocsr())


def not_for_labels(verdicts: dict[str, str]) -> tuple[str, ...]:
    """The names (lower case) that never label a theme: those in passing, and those in too few texts to judge (a
    town in four of 100 texts and a neighbour made a five-text theme labelled "Derry"). A name judged the subject
    may ("Italy", "NHS")."""
    return tuple(name.lower() for name, verdict in verdicts.items() if verdict != SUBJECT)
