"""The ballot widgets the officer, facilitator and member pages share: the create form, a member's paper, the
staff controls (open with an optional closing time, turnout, close, result and published files) and the result.

Counting, storage and files stay in `consult.ballots`, `consult.storage.ballots` and `consult.publishing`; this
module only reads widgets and calls them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from consult.app import resources
from consult.app.components import caption, say, staff_action
from consult.app.scope_fields import scope_fields
from consult.ballots import results
from consult.ballots.preferences import ranking_from_numbers
from consult.publishing import ballot_files
from consult.storage import ballots
from consult.storage.errors import StoreError
from consult.storage.records import now_ms
from consult.text.cleaning import counted, escape_markdown

KINDS = {"motion": "Motion (for / against / abstain)", "preferential": "Preferential (rank; STV for several seats)",
         "budget": "Participatory budget (approve projects)"}
STAFF = ("officer", "facilitator")
UK = ZoneInfo("Europe/London")


def _options(text: str) -> list[tuple]:
    """Option lines: 'label' or, for a budget, 'label ; cost'. Raises ValueError naming a bad cost."""
    options = []
    for line in text.splitlines():
        if not line.strip():
            continue
        label, _, cost = line.partition(";")
        digits = cost.strip().replace(",", "")
        if digits and not digits.isdigit():
            raise ValueError(f"The cost after ';' must be a whole number: {line.strip()}")
        options.append((label.strip(), int(digits) if digits else None, None))
    return options


def uk_time_ms(day: dt.date, time_of_day: dt.time) -> int:
    return int(dt.datetime.combine(day, time_of_day, tzinfo=UK).timestamp() * 1000)


def uk_clock(ms: int) -> str:
    return f"{dt.datetime.fromtimestamp(ms / 1000, tz=UK):%a %d %b %H:%M} UK time"


def _top_proposals(consultation_id: int, count: int) -> list[tuple]:
    ranked, published = resources.top_consensus(consultation_id), resources.published(consultation_id)
    ranked = ranked[ranked["proposal_id"].isin(published.index)].head(count)
    return [(published.loc[row.proposal_id, "body"], None, int(row.proposal_id)) for row in ranked.itertuples()]


def create_form(engine, consultation, actor: str, *, meeting: bool) -> None:
    """A form for a draft ballot; `meeting` ticks 'show on the presenter' by default (the facilitator's page)."""
    with st.form(f"new_ballot_{'meeting' if meeting else 'officer'}"):
        kind = st.radio("Kind", list(KINDS), horizontal=True, format_func=KINDS.get)
        title = st.text_input("Title", max_chars=300, placeholder="The motion, or the post being filled")
        description = st.text_area("Explanation for members", max_chars=2000)
        options_text = st.text_area("Options, one per line (budget: name ; cost)",
                                    help="Leave empty for a motion. For a budget write e.g. 'New bus route ; 40000'.")
        top = st.number_input("…or the top proposals by support in every region (how many; 0 = none)", 0, 20, 0)
        left, right = st.columns(2)
        seats = left.number_input("Seats to fill (preferential)", 1, 20, 1)
        budget = right.number_input("Budget to spend (budget ballots)", 0, 10**12, 0, step=1000)
        max_approvals = left.number_input("Most projects one member may back (0 = no limit)", 0, 100, 0)
        majority = right.radio("Majority (motion)", ["simple", "two-thirds"], horizontal=True)
        quorum_share = left.number_input("Quorum: % of eligible members who must vote (0 = none)", 0, 100, 0)
        quorum_count = right.number_input("…or at least this many papers (0 = none)", 0, 10**7, 0)
        scope, parties = scope_fields(engine, key=f"ballot_scope_{meeting}")
        on_screen = st.checkbox("Show on the presenter view (all-member meeting)", value=meeting)
        scheduled = st.checkbox("Open and close at set times (UK time) rather than by hand")
        when = st.columns(4)
        open_day = when[0].date_input("Opens on", value=None)
        open_time = when[1].time_input("at", value=None, key="opens_at")
        close_day = when[2].date_input("Closes on", value=None)
        close_time = when[3].time_input("at", value=None, key="closes_at")
        submitted = st.form_submit_button("Create draft", type="primary")
    if not submitted:
        return
    try:
        options = _options(options_text)
        if top and not options:
            options = _top_proposals(consultation.id, int(top))
        opens_ms = closes_ms = None
        if scheduled:
            if not (open_day and open_time and close_day and close_time):
                raise ValueError("Give the day and time of both the opening and the closing, or untick the schedule.")
            opens_ms, closes_ms = uk_time_ms(open_day, open_time), uk_time_ms(close_day, close_time)
        ballots.create_ballot(engine, consultation.id, kind, title, options, description=description,
                              seats=int(seats), majority=majority, quorum_share=(quorum_share / 100) or None,
                              quorum_count=int(quorum_count) or None, budget=int(budget) or None,
                              max_approvals=int(max_approvals) or None, scope_regions=tuple(scope),
                              scope_local_parties=tuple(parties), meeting=on_screen, opens_ms=opens_ms,
                              closes_ms=closes_ms, actor=actor)
        say("success", "Draft created: check it below, then open it.")
    except (StoreError, ValueError) as exc:
        say("error", exc)


@staff_action(*STAFF)
def _open(engine, ballot_id: int, actor: str) -> None:
    minutes = int(st.session_state.get(f"minutes_{ballot_id}") or 0)
    try:
        eligible = ballots.open_ballot(engine, ballot_id, actor=actor,
                                       closes_ms=now_ms() + minutes * 60_000 if minutes else None)
        st.session_state[f"ballot_message_{ballot_id}"] = ("success", f"Open: {eligible:,} members may vote.")
    except StoreError as exc:
        st.session_state[f"ballot_message_{ballot_id}"] = ("error", str(exc))


@staff_action(*STAFF)
def _close(engine, ballot_id: int, actor: str) -> None:
    try:
        ballots.close_ballot(engine, ballot_id, actor=actor)
    except StoreError as exc:
        st.session_state[f"ballot_message_{ballot_id}"] = ("error", str(exc))


def result_view(ballot: ballots.Ballot) -> None:
    """A closed ballot's result (counted once per server and cached: its papers cannot change)."""
    outcome = resources.closed_ballot_result(ballot.id)
    st.text(outcome.headline)
    for table, hidden, one, many in ((outcome.by_region, outcome.hidden_regions, "region", "regions"),
                                     (outcome.by_local_party, outcome.hidden_local_parties, "local party",
                                      "local parties")):
        if table is not None and not table.empty:
            st.dataframe(table.rename(columns=lambda c: c.replace("_", " ").capitalize()), hide_index=True,
                         column_config={"Share": st.column_config.NumberColumn(format="percent")})
            if hidden:
                caption(f"{counted(hidden, one, many)} with fewer than {results.MIN_CELL} papers not shown, so "
                        "nobody's vote can be worked out.")
    if outcome.equal_shares is not None:
        table = outcome.equal_shares.projects[["name", "cost", "approvals", "selected", "reason"]]
        st.dataframe(table.rename(columns={"name": "Project", "cost": "Cost", "approvals": "Approvals",
                                           "selected": "Funded", "reason": "Why"}),
                     hide_index=True, column_config={"Funded": st.column_config.CheckboxColumn(),
                                                     "Cost": st.column_config.NumberColumn(format="localized")})


def staff_controls(engine, ballot: ballots.Ballot, actor: str) -> None:
    """One ballot for staff: its options, then open / turnout and close / result and the published files."""
    caption(f"{KINDS[ballot.kind].split(' (')[0]} · {ballot.status} · for members in {ballot.scope_text}")
    message = st.session_state.pop(f"ballot_message_{ballot.id}", None)
    if message:
        say(*message)
    if ballot.options:
        st.dataframe(pd.DataFrame([{"Option": o.label, "Cost": o.cost} for o in ballot.options])
                     .dropna(axis=1, how="all"), hide_index=True,
                     column_config={"Cost": st.column_config.NumberColumn(format="localized")})
    if ballot.status == "draft":
        if ballot.opens_ms:
            caption(f"Opens by itself on {uk_clock(ballot.opens_ms)}"
                    + (f" and closes on {uk_clock(ballot.closes_ms)}" if ballot.closes_ms else "")
                    + ", or open it now.")
        st.number_input("Close automatically after (minutes; 0 = when you close it)", 0, 60 * 24 * 60, 0,
                        key=f"minutes_{ballot.id}")
        st.button("Open for voting", key=f"open_{ballot.id}", type="primary", on_click=_open,
                  args=(engine, ballot.id, actor))
        return
    voted, eligible = ballots.turnout(engine, ballot.id)
    st.metric("Turnout", f"{voted:,} of {eligible:,}", help=f"{voted / eligible:.1%} of the members eligible when "
              "the ballot opened" if eligible else None)
    if ballot.status == "open":
        if ballot.closes_ms:
            caption(f"Closes by itself on {uk_clock(ballot.closes_ms)}.")
        st.button("Close the ballot", key=f"close_{ballot.id}", on_click=_close, args=(engine, ballot.id, actor))
        return
    result_view(ballot)
    # the files are built when asked for, not on every rerun of the page
    st.download_button("Anonymised papers (recount with any tool)", file_name=ballot_files.papers_file_name(ballot),
                       data=lambda: ballot_files.papers_file(ballot, ballots.papers(engine, ballot.id))[1],
                       key=f"papers_{ballot.id}", on_click="ignore", icon=":material/download:")
    sheet = resources.closed_ballot_sheet(ballot.id)
    st.download_button("Count sheet", file_name=f"ballot-{ballot.id}-count.txt", data=sheet.encode("utf-8"),
                       key=f"sheet_{ballot.id}", on_click="ignore", icon=":material/description:")
    with st.expander("Count sheet"):
        st.text(sheet)


def paper_form(engine, ballot: ballots.Ballot, member) -> None:
    """The member's paper: three choices for a motion, numbers beside options, or ticks for a budget."""
    with st.form(key=f"paper_{ballot.id}", border=False):
        numbers: dict[int, int | None] = {}
        ticked: list[int] = []
        choice = None
        if ballot.kind == "motion":
            choice = st.radio("Your vote", ["for", "against", "abstain"], index=None, key=f"motion_{ballot.id}",
                              format_func=str.capitalize)
        elif ballot.kind == "preferential":
            st.caption(f"Put 1 beside your first choice, 2 beside your second, and so on. Number as many or as few "
                       f"as you like. {counted(ballot.seats, 'seat')} to fill.")
            for option in ballot.options:
                numbers[option.position] = st.selectbox(
                    escape_markdown(option.label), list(range(1, len(ballot.options) + 1)), index=None, placeholder="No number",
                    key=f"rank_{ballot.id}_{option.position}")
        else:
            limit = f" Back up to {ballot.max_approvals}." if ballot.max_approvals else ""
            st.caption(f"Tick every project you support. The budget is {ballot.budget:,}.{limit}")
            ticked = [o.position for o in ballot.options
                      if st.checkbox(escape_markdown(f"{o.label} ({o.cost:,})"), key=f"approve_{ballot.id}_{o.position}")]
        st.caption("Your vote is secret and final: it cannot be changed once cast.")
        if not st.form_submit_button("Cast my vote", type="primary"):
            return
    try:
        marks = choice if ballot.kind == "motion" else ticked
        if ballot.kind == "preferential":
            marks = ranking_from_numbers(numbers)
        if not marks:
            raise ValueError("Choose before casting your vote.")
        st.session_state[f"receipt_{ballot.id}"] = ballots.cast(engine, ballot.id, member, marks)
        st.rerun()
    except (StoreError, ValueError) as exc:
        say("error", exc)
