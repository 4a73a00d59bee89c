"""A deterministic, realistic demo consultation on devolution, with its ground truth kept for tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from consult import regions, storage
from consult.demo import text as t
from consult.storage import bulk
from consult.text.cleaning import dedupe_key

TITLE = "Devolution and regional assemblies: where should power sit?"
QUESTION = (
    "What should regional assemblies be able to decide, how should they be elected and funded, and what would make "
    "devolution work for your area?"
)
DESCRIPTION = (
    "The party is developing its devolution policy. Tell us which powers should move from Westminster to regional "
    "assemblies, nations and councils, how those bodies should be elected and held to account, and how they should "
    "be funded. Vote on other members' proposals so that ideas with support across every region rise to the top."
)
JOIN_CODE = "DEVO26"
START_MS = 1_791_190_800_000  # 2026-10-05 09:00 UTC: the demo's first day
DAY_MS = 86_400_000

GROUP_NAMES = ("Strong devolution", "Local first", "Cautious reformers")
# Participation factor against population share: London is over-represented, as the brief fears.
PARTICIPATION_FACTOR = {
    "E12000007": 2.3, "E12000008": 1.05, "E12000006": 0.8, "E12000009": 0.85, "E12000002": 0.8,
    "E12000003": 0.75, "E12000005": 0.7, "E12000004": 0.65, "E12000001": 0.5, "W92000004": 0.9,
    "S92000003": 0.85, "N92000002": 0.4,
}
# London members lean towards group 0, which shifts raw support away from the population-weighted figure.
GROUP_MIX_LONDON = (0.62, 0.16, 0.22)
GROUP_MIX_ELSEWHERE = (0.28, 0.42, 0.30)
# Where the three latent groups sit in opinion space; each proposal has a direction in that space.
GROUP_CENTRES = np.array([[2.7, 0.0], [-2.1, 1.8], [-0.75, -2.55]])


@dataclass
class DemoData:
    """Everything the demo consultation holds, with the ground truth columns `true_theme` and `true_group`."""

    participants: pd.DataFrame  # external_id, region, constituency, channel, created_ms, true_group
    proposals: pd.DataFrame  # external_id, author_external_id, body, tier, region, is_seed, created_ms, true_theme
    votes: pd.DataFrame  # participant_external_id, proposal_external_id, value, created_ms (current votes)
    events: pd.DataFrame  # the same columns: every vote event, changes included
    shown: pd.DataFrame  # participant_external_id, proposal_external_id, shown_ms: every card the vote page showed


def generate(
    seed: int = 2026,
    *,
    n_participants: int = 650,
    n_proposals: int = 1600,
    mean_votes_per_participant: float = 47.0,
) -> DemoData:
    """Build the demo consultation in memory; the same seed always gives the same data."""
    rng = np.random.default_rng(seed)
    participants = _participants(rng, n_participants)
    proposals = _proposals(rng, participants, n_proposals, seed)
    votes, events = _votes(rng, participants, proposals, mean_votes_per_participant)
    return DemoData(participants, proposals, votes, events, _shown(seed, participants, proposals, votes))


def _participants(rng: np.random.Generator, n: int) -> pd.DataFrame:
    frame = regions.regions()
    weights = frame["population"].to_numpy() * frame["code"].map(PARTICIPATION_FACTOR).to_numpy()
    codes = list(frame["code"]) + [regions.OUTSIDE_UK, regions.UNDISCLOSED]
    probs = np.append(weights / weights.sum() * 0.96, [0.015, 0.025])
    region = rng.choice(codes, size=n, p=probs / probs.sum())
    london = region == "E12000007"
    group = np.where(
        london,
        rng.choice(3, size=n, p=GROUP_MIX_LONDON),
        rng.choice(3, size=n, p=GROUP_MIX_ELSEWHERE),
    )
    joined = np.sort(START_MS + (rng.beta(1.2, 2.5, size=n) * 21 * DAY_MS).astype("int64"))
    channel = rng.choice(["online", "meeting"], size=n, p=[0.8, 0.2])
    constituency = [
        f"{rng.choice(t.TOWNS[r])} local party" if r in t.TOWNS and rng.random() < 0.4 else None for r in region
    ]
    return pd.DataFrame({
        "external_id": [f"demo-{i:04d}" for i in range(n)],
        "region": region,
        "constituency": constituency,
        "channel": channel,
        "created_ms": joined,
        "true_group": group,
    })


def _proposals(rng: np.random.Generator, participants: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    theme_keys = list(t.THEMES)
    activity = rng.gamma(0.6, 1.0, size=len(participants))  # a few members write many proposals
    activity /= activity.sum()
    rows, seen = [], set()
    # themes come from their own stream so a region's tilt shows in its draws; the main stream still takes
    # its draw for each theme, so the texts and votes of the rest of the demo are as they always were
    theme_rng = np.random.default_rng([seed, 8])
    written = np.zeros(len(participants), dtype=int)
    attempts = 0
    while len(rows) < n:
        attempts += 1
        if attempts > n * 50:
            raise RuntimeError("the demo phrase banks cannot produce that many distinct proposals")
        author = int(rng.choice(len(participants), p=activity))
        if written[author] >= 10:
            continue
        region = participants.at[author, "region"]
        tilt = t.THEME_TILTS.get(region, {})
        theme_weights = np.array([tilt.get(k, 1.0) for k in theme_keys])
        rng.choice(len(theme_keys), p=theme_weights / theme_weights.sum())
        theme = theme_keys[int(theme_rng.choice(len(theme_keys), p=theme_weights / theme_weights.sum()))]
        body = _write(rng, theme, region)
        key = dedupe_key(body)
        if key in seen:
            continue
        seen.add(key)
        written[author] += 1
        tiers = t.THEMES[theme]["tiers"]
        tier = rng.choice(list(tiers), p=np.array(list(tiers.values())) / sum(tiers.values()))
        if region in ("W92000004", "S92000003", "N92000002") and tier == "region":
            tier = "nation"
        created = int(participants.at[author, "created_ms"] + rng.integers(0, 2 * DAY_MS))
        rows.append({
            "external_id": f"demo-p{len(rows):05d}",
            "author_external_id": participants.at[author, "external_id"],
            "body": body,
            "tier": str(tier),
            "region": region,
            "is_seed": False,
            "created_ms": created,
            "true_theme": theme,
        })
    frame = pd.DataFrame(rows).sort_values(["created_ms", "external_id"], kind="stable").reset_index(drop=True)
    return frame


def _place(rng: np.random.Generator, region: str) -> tuple[str, str, str, str]:
    towns = t.TOWNS.get(region) or t.TOWNS[str(rng.choice(list(t.TOWNS)))]
    town, town2 = (str(x) for x in rng.choice(towns, size=2, replace=False))
    region_words = t.REGION_WORDS.get(region, "our region")
    language = t.LANGUAGES.get(region, str(rng.choice(list(t.LANGUAGES.values()))))
    return town, town2, region_words, language


def _write(rng: np.random.Generator, theme: str, region: str) -> str:
    bank = t.THEMES[theme]
    town, town2, region_words, language = _place(rng, region)

    def pick(options: list[str]) -> str:
        return str(options[int(rng.integers(len(options)))])

    ask, reason, observation = pick(bank["asks"]), pick(bank["reasons"]), pick(bank["observations"])
    shape = int(rng.integers(7))
    if shape == 0:
        text = f"{pick(t.OPENERS)} {ask}."
    elif shape == 1:
        text = f"{pick(t.OPENERS)} {ask} {reason}."
    elif shape == 2:
        text = f"{pick(t.PLACE_OPENERS)} {ask}."
    elif shape == 3:
        text = f"{observation} {pick(t.OPENERS)} {ask}."
    elif shape == 4:
        text = f"{pick(t.QUESTION_FRAMES).format(ask=ask)} {reason[0].upper() + reason[1:]}."
    elif shape == 5:
        text = f"{observation} {reason[0].upper() + reason[1:]}, {pick(t.OPENERS).lower()} {ask}."
    else:
        second = pick(bank["asks"])
        text = f"{pick(t.OPENERS)} {ask}, and {second}."
    text += pick(t.CLOSERS)
    text = text.format(town=town, town2=town2, region=region_words, language=language)
    text = text[0].upper() + text[1:]
    if rng.random() < 0.08:  # members write as they speak
        text = text.lower()
    if rng.random() < 0.06:
        word = str(rng.choice(list(t.TYPOS)))
        text = text.replace(word, t.TYPOS[word], 1)
    return text


def _votes(
    rng: np.random.Generator, participants: pd.DataFrame, proposals: pd.DataFrame, mean_votes: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    n_props = len(proposals)
    direction = rng.normal(0.0, 1.0, size=(n_props, 2)) * rng.choice([0.25, 1.1], size=(n_props, 1), p=[0.25, 0.75])
    base = rng.normal(0.35, 0.9, size=n_props)
    pass_rate = np.clip(rng.beta(1.5, 10, size=n_props), 0.02, 0.6)
    # proposals mentioning a place get more support from that place's members (local pride)
    prop_region = proposals["region"].to_numpy()
    votes_per = np.clip(rng.lognormal(np.log(mean_votes) - 0.32, 0.8, size=len(participants)), 3, 400).astype(int)
    visible_from = proposals["created_ms"].to_numpy()
    rows_p, rows_c, rows_v, rows_t = [], [], [], []
    for i, person in participants.iterrows():
        group = int(person["true_group"])
        k = min(int(votes_per[i]), n_props)
        chosen = rng.choice(n_props, size=k, replace=False)
        logits = base[chosen] + direction[chosen] @ GROUP_CENTRES[group] + 0.4 * (prop_region[chosen] == person["region"])
        agree_p = 1.0 / (1.0 + np.exp(-logits))
        passes = rng.random(k) < pass_rate[chosen]
        agrees = rng.random(k) < agree_p
        value = np.where(passes, 0, np.where(agrees, 1, -1))
        stamp = np.maximum(visible_from[chosen], person["created_ms"]) + rng.integers(60_000, 3 * DAY_MS, size=k)
        rows_p.extend([person["external_id"]] * k)
        rows_c.extend(proposals["external_id"].to_numpy()[chosen])
        rows_v.extend(value.tolist())
        rows_t.extend(stamp.tolist())
    votes = pd.DataFrame({"participant_external_id": rows_p, "proposal_external_id": rows_c,
                          "value": np.array(rows_v, dtype="int8"), "created_ms": np.array(rows_t, dtype="int64")})
    # about 4% of votes were changed later: the earlier value stays in the event log
    changed = rng.random(len(votes)) < 0.04
    earlier = votes[changed].copy()
    earlier["value"] = np.where(earlier["value"] == 1, 0, 1).astype("int8")
    earlier["created_ms"] = earlier["created_ms"] - rng.integers(10_000, 600_000, size=len(earlier))
    events = pd.concat([earlier, votes]).sort_values(["created_ms", "participant_external_id"], kind="stable")
    return votes, events.reset_index(drop=True)


def _shown(seed: int, participants: pd.DataFrame, proposals: pd.DataFrame, votes: pd.DataFrame) -> pd.DataFrame:
    """The cards the vote page showed: every one voted on, and about one in eight more left unanswered. London's
    members leave unanswered mostly what they would disagree with (the demo's selection effect, for the Consensus
    page's "Who chose to answer"); everyone else leaves cards at random. Its own random stream: the votes stay
    exactly as they were."""
    rng = np.random.default_rng([seed, 7])
    agree_share = (votes["value"] == 1).groupby(votes["proposal_external_id"]).mean()
    dislike = 1.0 - agree_share.reindex(proposals["external_id"]).fillna(0.5).to_numpy()
    ids = proposals["external_id"].to_numpy()
    voted = votes.groupby("participant_external_id")["proposal_external_id"].agg(set)
    last_vote = votes.groupby("participant_external_id")["created_ms"].max()
    rows = []
    for person in participants.itertuples():
        mine = voted.get(person.external_id, set())
        if not mine:
            continue
        free = np.flatnonzero(~np.isin(ids, list(mine)))
        n_left = min(free.size, 1 + rng.poisson(len(mine) / 8))
        if n_left == 0:  # they voted on every proposal
            continue
        weights = 0.05 + dislike[free] ** 4 if person.region == "E12000007" else np.ones(free.size)
        left = rng.choice(free, n_left, replace=False, p=weights / weights.sum())
        rows.extend((person.external_id, ids[i], int(last_vote[person.external_id])) for i in left)
    unanswered = pd.DataFrame(rows, columns=["participant_external_id", "proposal_external_id", "shown_ms"])
    answered = votes.rename(columns={"created_ms": "shown_ms"})[["participant_external_id", "proposal_external_id",
                                                                "shown_ms"]]
    return pd.concat([answered, unanswered], ignore_index=True)


def install(engine: Engine, seed: int = 2026, data: DemoData | None = None, *, themes: bool = True,
            meeting: bool = False, **kwargs) -> int:
    """Write the demo consultation into the database and return its id; with `themes`, its themes are found
    too, so the Themes page has content at first open; with `meeting`, the all-member meeting and its ballots
    (`demo_ballots`) too."""
    data = data or generate(seed, **kwargs)
    join_code = JOIN_CODE if seed == 2026 else None
    consultation = storage.create_consultation(
        engine, title=TITLE, question=QUESTION, description=DESCRIPTION, phase="collecting", moderation="post",
        min_chars=20, max_chars=500, max_proposals_per_participant=10, join_code=join_code, source="demo",
        actor="consult demo", created_ms=START_MS - DAY_MS,
    )
    bulk.load(
        engine, consultation.id,
        participants=data.participants.drop(columns=["true_group"]),
        proposals=data.proposals.drop(columns=["true_theme"]),
        votes=data.votes,
        events=data.events,
        shown=data.shown,
    )
    from consult.demo import responses as demo_responses
    from consult.demo import roll as demo_roll

    demo_roll.install(engine, seed)
    demo_responses.install(engine, consultation.id)
    from consult.demo import questions as demo_questions

    demo_questions.install(engine, consultation.id, seed)
    if themes:
        from consult.storage import themes as theme_store

        theme_store.run(engine, consultation.id, actor="consult demo")
    if meeting and seed == 2026:
        from consult.demo import ballots as demo_ballots

        # dated before the consultation above, so staff pages (newest first) open on DEVO26, which has the content
        demo_ballots.install(engine, seed, created_ms=START_MS - 2 * DAY_MS)
    return consultation.id
