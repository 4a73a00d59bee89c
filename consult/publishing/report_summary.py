"""The report's first page: what the consultation found, in plain English, with confidence stated in words.

Each finding is built from figures the rest of the report shows in detail (participation against the baseline,
the "supported in every region" ranking, the spread between regions, the themes and their regional lean), so the
summary never says more than the detail supports, and it says why when a finding cannot be made yet.
"""

from __future__ import annotations

import html

import pandas as pd

from consult.support import direct as support
from consult.text.cleaning import shorten
from consult.text.figures import all_regions_caveat, count_of, share_of_voters

# how a probability reads in words (the scale of the IPCC and of UK intelligence assessment, simplified)
LIKELIHOOD_WORDS = ((0.95, "almost certain"), (0.8, "very likely"), (0.6, "likely"),
                    (0.4, "about as likely as not"), (0.2, "unlikely"), (0.0, "very unlikely"))


def likelihood(p: float) -> str:
    """'very likely' for 0.85; the scale is printed under the summary."""
    return next(words for floor, words in LIKELIHOOD_WORDS if p >= floor)


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


class Quotes:
    """Proposals quoted in the summary: whole when short, else cut at a word with a link to their full text in the
    report's appendix (`cut` lists them, in the order quoted)."""

    def __init__(self, limit: int = 200) -> None:
        self.limit = limit
        self.cut: dict[int, str] = {}

    def html(self, text: str, proposal_id: object = None) -> str:
        whole = " ".join(str(text).split())
        if len(whole) <= self.limit or proposal_id is None or pd.isna(proposal_id):
            return f"“{_esc(shorten(whole, self.limit))}”"
        self.cut[int(proposal_id)] = whole
        return (f"“{_esc(shorten(whole, self.limit))}” <a href='#proposal-{int(proposal_id)}'>(full text, "
                f"#{int(proposal_id)})</a>")


def _named(value: object) -> str | None:
    """A region name, or None where the table has none (empty, None or NaN)."""
    return value if isinstance(value, str) and value else None


def participation_finding(representation: pd.DataFrame, participants: int, baseline: str) -> str:
    """Who took part, and the regions furthest above and below their share of the baseline."""
    if participants == 0:
        return "Nobody has taken part yet."
    extremes = support.most_and_least_represented(representation)
    if extremes is None:
        return (f"{participants:,} people took part; no region has enough participants yet to compare with the "
                f"{_esc(baseline)} baseline.")
    over, under = extremes
    sentence = (f"{participants:,} people took part. Against the {_esc(baseline)} baseline, "
                f"<strong>{_esc(over['name'])}</strong> is the most over-represented region "
                f"({over['ratio']:.1f} times its share)")
    hidden_below = support.hidden_under_represented(representation)
    if len(hidden_below):
        named = _esc(support.hidden_under_represented_words(hidden_below))
        verb = "is" if len(hidden_below) == 1 else "are"
        sentence += (f"; the most under-represented {verb} <strong>{named}</strong>, and of the regions with enough "
                     f"participants to show, {_esc(under['name'])} ({under['ratio']:.1f} times its share)")
    elif under["name"] != over["name"]:
        sentence += (f" and <strong>{_esc(under['name'])}</strong> the most under-represented "
                     f"({under['ratio']:.1f} times its share)")
    hidden = int(representation["suppressed"].sum())
    if hidden:
        sentence += f"; {hidden} region{'s have' if hidden != 1 else ' has'} too few participants to show counts"
    return sentence + ". Weighted figures correct for this by region."


def everywhere_finding(published: pd.DataFrame, top: int = 3, quotes: Quotes | None = None) -> str:
    """The proposals most likely to have a majority in every region, with that likelihood in words."""
    quotes = quotes or Quotes()
    voted = published[published["votes"] > 0].sort_values("consensus_rank")
    if voted.empty:
        return "No proposal has votes yet, so nothing can be said about support across regions."
    leaders = voted.head(top)
    caveats = [all_regions_caveat(row.regions_with_own_votes) for row in leaders.itertuples()]
    # a caveat every figure shares is said once, under the list ("All three figures are rough: ...")
    shared = caveats[0] if len(caveats) > 1 and caveats[0] and len(set(caveats)) == 1 else ""
    items = "".join(
        f"<li>{quotes.html(row.text, getattr(row, 'proposal_id', None))}: {likelihood(row.prob_all)} "
        f"({row.prob_all:.0%}{'' if shared or not caveat else f'; {caveat}'}) to have a majority in all 12 "
        f"regions; {share_of_voters(row.support, row.votes)} agree"
        + (f", least in {_esc(_named(row.weakest_region))}" if _named(row.weakest_region) else "") + ".</li>"
        for row, caveat in zip(leaders.itertuples(), caveats, strict=True))
    lead = ("Supported in every region" if leaders["prob_all"].iloc[0] >= 0.6 else
            "No proposal is yet likely to have a majority in every region; the closest")
    note = f"All {_count_word(len(caveats))} figures are {_esc(shared)}." if shared else ""
    return f"{lead}:<ul>{items}</ul>{note}"


DIVIDES_AT = 0.10  # regional estimates this far apart (10 points) are a difference worth reporting as division


def division_finding(published: pd.DataFrame, votes_per_region: float | None = None, top: int = 2,
                     quotes: Quotes | None = None) -> str:
    """Where the regions differ most (the spread of the pooled regional estimates). When no proposal's estimates
    are 10 points apart, whether that means agreement depends on the density: with fewer votes per region than
    it takes to see a 10-point difference, the finding says the difference cannot be detected, never that the
    regions agree. `votes_per_region`: the median votes a proposal has from one region."""
    quotes = quotes or Quotes()
    voted = published[(published["votes"] > 0) & published["divisiveness"].notna()]
    if voted.empty:
        return "Not enough votes yet to say what divides the regions."
    split = voted.sort_values("divisiveness", ascending=False).head(top)
    widest = split["divisiveness"].iloc[0]
    if widest < DIVIDES_AT:
        needed = support.votes_to_detect(DIVIDES_AT)
        if votes_per_region is None or votes_per_region < needed:
            density = (f"a typical proposal has {count_of(votes_per_region, 'vote')} from each region"
                       if votes_per_region is not None else "the votes per region are not known")
            return (f"We cannot detect regional differences at this density: {density}, and telling a "
                    f"{DIVIDES_AT * 100:.0f}-point difference between one region and the rest from chance takes "
                    f"about {needed:,}. The regional estimates differ by at most {widest * 100:.0f} points, which "
                    "shows how little the votes can tell yet, not that the regions agree.")
        return (f"The regions largely agree: no proposal's regional estimates are more than {widest * 100:.0f} "
                f"points apart (the widest: {quotes.html(split['text'].iloc[0], split['proposal_id'].iloc[0] if 'proposal_id' in split else None)}), with a typical "
                f"{count_of(votes_per_region, 'vote')} per region on a proposal, enough to see a "
                f"{DIVIDES_AT * 100:.0f}-point difference.")
    split = split[split["divisiveness"] >= DIVIDES_AT]
    items = "".join(
        f"<li>{quotes.html(row.text, getattr(row, 'proposal_id', None))}: most support in "
        f"{_esc(_named(row.strongest_region) or 'no region yet')}, "
        f"least in {_esc(_named(row.weakest_region) or 'no region yet')} (regional estimates "
        f"{row.divisiveness * 100:.0f} points apart).</li>"
        for row in split.itertuples())
    return f"What divides the regions most:<ul>{items}</ul>"


def themes_finding(themes: pd.DataFrame, distinctive: pd.DataFrame, top: int = 3) -> str:
    """The largest themes, each with the region where it is clearly over-represented, if any, and which of them an
    officer has checked."""
    named = themes[~themes["is_other"]].sort_values("size", ascending=False).head(top) if len(themes) else themes
    if named.empty:
        return ("Themes have not been found for this consultation yet (an officer runs them on the Themes page), "
                "so the report cannot summarise what proposals are about.")
    items = []
    for theme in named.itertuples():
        checked = ", checked by an officer" if getattr(theme, "checked", False) else ""
        line = f"<li><strong>{_esc(theme.label)}</strong> ({theme.size:,} proposals{checked})"
        # a lean is named when clear as the Themes page calls it (after the correction for picking the top theme)
        bound = "clear_lower" if "clear_lower" in distinctive else "lower"
        rows = distinctive[(distinctive["theme_id"] == theme.id) & (distinctive[bound].round(1) > 1)] \
            if len(distinctive) else distinctive
        if len(rows):
            lean = rows.sort_values("ratio", ascending=False).iloc[0]
            line += (f": leans to {_esc(lean['region_name'])} ({lean['ratio']:.1f} times the rest of the UK, "
                     f"95% {lean['lower']:.1f}–{lean['upper']:.1f})")
        else:
            line += ": no clear regional lean"
        items.append(line + ".</li>")
    return f"The main themes:<ul>{''.join(items)}</ul>{_checked_note(named)}"


def _checked_note(named: pd.DataFrame) -> str:
    """The themes an officer has not checked, said once under the list (a theme the algorithm alone named is
    provisional, and the leadership must know it; a checked one says so in its line)."""
    checked = named["checked"].fillna(False).astype(bool) if "checked" in named else pd.Series(False, named.index)
    unchecked = int((~checked).sum())
    if unchecked == 0:
        return ""
    count = _count_word(unchecked)
    if checked.any():
        return ("The other has not been checked by an officer yet." if unchecked == 1
                else f"The other {count} have not been checked by an officer yet.")
    if unchecked == 1:
        return "It has not been checked by an officer yet."
    return "Neither has been checked by an officer yet." if unchecked == 2 else \
        f"None of the {count} has been checked by an officer yet."


def _count_word(count: int) -> str:
    words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[count - 1] if 1 <= count <= len(words) else f"{count:,}"


def answered_finding(answers: dict | None) -> str:
    """What the party has answered, as counts: responses published, and of the proposals that crossed a threshold
    for an answer, how many are answered and how many await one. `answers`: published (proposals), answered,
    crossed, crossed_answered (None: nothing published yet)."""
    if not answers or not answers.get("published"):
        return "There are no published proposals to answer yet."
    said = (f"The party has published an answer to {answers['answered']:,} of the {answers['published']:,} "
            "published proposals.")
    crossed = answers.get("crossed", 0)
    if crossed:
        awaiting = crossed - answers.get("crossed_answered", 0)
        said += (f" {crossed:,} proposal{'s' if crossed != 1 else ''} crossed a threshold that calls for an answer: "
                 f"{answers.get('crossed_answered', 0):,} answered, <strong>{awaiting:,} awaiting an "
                 "answer</strong>.")
    else:
        said += " No proposal has crossed a threshold that calls for an answer."
    return said


def uncertain_finding(*, votes_per_region: float | None, themes_total: int, themes_checked: int,
                      baseline: str) -> str:
    """What the findings cannot say, in a list: self-selection, regional differences too small to detect at this
    density, themes no officer has checked."""
    points = ["Members chose to take part: they are not a random sample. Weighting corrects for region against the "
              f"{_esc(baseline)} baseline, and for nothing else (age, length of membership, activism)."]
    needed = support.votes_to_detect(DIVIDES_AT)
    if votes_per_region is not None and votes_per_region < needed:
        points.append(f"Regional figures lean on the national figure: with {count_of(votes_per_region, 'vote')} per "
                      f"region on a typical proposal (about {needed:,} are needed), differences of {DIVIDES_AT * 100:.0f} "
                      "points cannot be told from chance yet.")
    unchecked = themes_total - themes_checked
    if themes_total and unchecked:
        points.append(f"{unchecked} of the {themes_total} themes {'has' if unchecked == 1 else 'have'} not been "
                      "checked by an officer: their names and membership come from the algorithm alone and are "
                      "provisional.")
    return "<ul>" + "".join(f"<li>{point}</li>" for point in points) + "</ul>"


def summary_html(*, participation: str, everywhere: str, division: str, themes: str, uncertain: str = "",
                 answered: str = "") -> str:
    """The leadership's page: what members want, where they differ, what is uncertain, what the party has answered,
    who took part."""
    sections = [("What members want", [everywhere, themes]), ("Where they differ", [division]),
                ("What is uncertain", [uncertain]), ("What the party has answered", [answered]),
                ("Who took part", [participation])]
    body = "".join(f"<h3>{heading}</h3>" + "".join(f"<div class='finding'>{part}</div>" for part in parts if part)
                   for heading, parts in sections if any(parts))
    return f"<section class='summary'><h2>Summary for the leadership</h2>{body}</section>"


def likelihood_scale() -> str:
    """The words for probabilities, defined once (the report's methods section)."""
    scale = ", ".join(f"“{words}” {floor:.0%} or more" for floor, words in LIKELIHOOD_WORDS[:-1])
    return f"How likely, in words: {scale}; below that, “very unlikely”."
