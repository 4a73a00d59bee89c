"""How settled the opinion groups are, in words an officer can act on (the page and `consult groups`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from consult.opinion.groups import OpinionGroups

#: a participant put in their group by fewer than this share of the subsample runs sits near a boundary
UNSETTLED_BELOW = 0.8


#: why the groups come from one fit (OpinionGroups.one_fit_because_), said plainly
ONE_FIT = {
    "asked": "The groups come from one fit, as Polis computes them, so how settled they are was not measured.",
    "many votes": ("The groups come from one fit: with this many votes a re-run on subsamples would take long, "
                   "and the groups move little from one update to the next."),
    "no subsample": ("The groups come from one fit: no subsample of the votes made as many groups, so treat them "
                     "as a tentative division."),
}


def steadiness_sentence(agreement: float, steadiness: pd.Series, runs: int, left_out: float = 0.1,
                        people: str = "members", close_k: list[int] | None = None,
                        one_fit_because: str | None = None) -> str:
    """One paragraph: how well groups re-found on subsamples match these, and how many people sit near a
    boundary. `agreement` is the mean adjusted Rand index of the runs to the groups; `steadiness` each grouped
    participant's share of runs that agree with their group; `left_out` the share of members and proposals each
    subsample leaves out; `people` what to call them ("participants" for a Polis file); `close_k` other numbers of groups the votes
    fit about as well; `one_fit_because` why there were no subsample runs."""
    close_call = ""
    if close_k:
        numbers = " or ".join(str(k) for k in sorted(close_k))
        close_call = (f" How many groups there are is a close call: {numbers} groups fit these votes about as well, "
                      "so the count may change as votes come in.")
    if runs == 0 or steadiness.empty:
        return ONE_FIT[one_fit_because or "no subsample"] + close_call
    unsettled = int((steadiness < UNSETTLED_BELOW).sum())
    if agreement >= 0.9:
        verdict = "The groups are settled"
    elif agreement >= 0.7:
        verdict = "The groups are mostly settled"
    else:
        verdict = ("The groups are not settled: read them as a rough division of a spread of opinion, not as "
                   "distinct camps")
    return (f"{verdict}. Found again on {runs} subsamples (each leaving out {left_out:.0%} of the {people} "
            f"and of the proposals), they match these groups at an adjusted Rand index of {agreement:.2f} on average "
            f"(1 is the same groups). {unsettled:,} of {len(steadiness):,} {people} "
            f"({unsettled / len(steadiness):.0%}) land in their group in fewer than {UNSETTLED_BELOW:.0%} of "
            "the subsamples: they sit near a boundary, and a few more votes may move them." + close_call)


def fitted_groups_sentence(model: OpinionGroups, people: str = "members") -> str:
    """`steadiness_sentence` for fitted opinion groups (the page, the report and `consult groups` say it)."""
    return steadiness_sentence(model.agreement_, model.steadiness_, model.resampled_runs_, 1 - model.resample_share,
                               people=people, close_k=model.close_k_, one_fit_because=model.one_fit_because_)
