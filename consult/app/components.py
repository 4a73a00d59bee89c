"""Reusable pieces of the member and staff pages. Member text only ever goes through st.text."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from consult import regions
from consult.text.cleaning import counted, escape_markdown

TIER_NAMES = {"uk": "the whole UK", "nation": "a nation", "region": "a region", "local": "a local area"}


def tier_label(tier: str, member_region: str | None = None) -> str:
    """'Something for my region (North East)': the member's own region named where they gave one."""
    label = f"Something for {TIER_NAMES.get(tier, tier)}"
    if tier == "region" and member_region in regions.region_codes():
        label += f" ({regions.region_name(member_region)})"
    return label


def proposal_card(body: str, *, tier: str | None = None, region: str | None = None) -> None:
    """A proposal as plain text in a bordered box (Markdown, HTML and links stay inert)."""
    with st.container(border=True):
        st.text(body)
        details = []
        if tier:
            details.append(f"About {TIER_NAMES.get(tier, tier)}")
        if region:
            details.append(f"from {regions.region_name(region)}")
        if details:
            st.caption(" · ".join(details))


def say(kind: str, text: object, *, icon: str | None = None) -> None:
    """A message box whose text is shown as text: Markdown in it (from a file name, a cell, a title, an error
    that quotes what someone typed) stays inert."""
    icons = {"error": ":material/error:", "success": ":material/check_circle:", "info": ":material/info:",
             "warning": ":material/warning:"}
    getattr(st, kind)(escape_markdown(str(text)), icon=icon or icons[kind])


def caption(text: object) -> None:
    """st.caption for text that may come from users or files (Markdown escaped)."""
    st.caption(escape_markdown(str(text)))


def show_messages(key: str) -> None:
    """Show and clear the messages a callback left under `key` ({'error': [...], 'success': [...]})."""
    messages = st.session_state.pop(key, None) or {}
    for kind in ("error", "success", "info"):
        for text in messages.get(kind, []):
            say(kind, text)


def percent(value: float | None) -> str:
    return "–" if value is None or value != value else f"{value:.0%}"


def follow_live(consultation_id: int, phase: str, *, published: int | None = None, every: str = "3s") -> None:
    """Rerun the page within seconds when the phase changes (or, given `published`, new proposals appear).

    Only for screens where the member has nothing left to press: in Streamlit 1.67 a button press that meets
    one of these automatic reruns is sometimes lost, or its callback runs twice (measured with
    benchmarks/bench_load.py). Screens with buttons read the phase afresh on every press instead.
    """
    from consult import storage
    from consult.app import resources

    @st.fragment(run_every=every)
    def _watch() -> None:
        if storage.get_consultation(resources.engine(), consultation_id).phase != phase:
            st.rerun()
        if published is not None and len(resources.published(consultation_id)) != published:
            st.rerun()

    _watch()


PHASE_WORDS = {"draft": "draft", "collecting": "collecting proposals", "voting": "voting", "results": "results",
               "closed": "closed"}


def pick_consultation():
    """A consultation chooser for staff pages: by title, status and date, newest first; the choice is kept for
    the tab and, per account, in the database, so it follows the officer across pages and visits."""
    from consult import storage
    from consult.app.resources import engine
    from consult.storage import preferences

    frame = storage.list_consultations(engine())
    if frame.empty:
        st.info("There are no consultations yet. Create one on 'Run a session' or import responses.")
        st.stop()
    account = st.session_state.get("account") or "staff"
    created = pd.to_datetime(frame["created_ms"], unit="ms", utc=True).dt.strftime("%d %b %Y")
    labels = {f"{title} · {PHASE_WORDS.get(phase, phase)} · {day} · {code}": code for title, phase, day, code in
              zip(frame["title"], frame["phase"], created, frame["join_code"], strict=True)}
    remembered = st.session_state.get("staff_consultation") or preferences.recall(engine(), account, "consultation")
    codes = list(labels.values())
    index = codes.index(remembered) if remembered in codes else 0
    choice = labels[st.selectbox("Consultation", list(labels), index=index, key="consultation_picker")]
    if choice != remembered:
        preferences.remember(engine(), account, "consultation", choice)
    st.session_state["staff_consultation"] = choice
    consultation = storage.find_consultation(engine(), choice)
    counts = storage.counts(engine(), consultation.id)
    if consultation.access == "open":
        st.caption("Anyone with the code may join: " + (
            f"all {counted(counts.participants, 'participant')} chose their own region and none is"
            if counts.participants != 1 else "the one participant chose their own region and is not") +
            " verified against the membership list.")
    elif counts.unverified:
        st.toggle(f"Verified members only ({counts.unverified:,} of {counts.participants:,} participants are not "
                  "verified)", key="verified_only",
                  help="Count only members verified against the membership list in the figures on this page.")
    else:
        st.caption("The one participant is a member verified against the membership list." if counts.participants == 1
                   else f"All {counted(counts.participants, 'participant')} are members verified against the "
                        "membership list.")
    return consultation


def verified_only(consultation) -> bool:
    """Whether the officer asked for figures from verified members only (mixed consultations)."""
    return consultation.access != "open" and bool(st.session_state.get("verified_only", False))


def require_role(*roles: str) -> str:
    """Stop the page unless the signed-in role is one of `roles` (pages also stay out of the menu)."""
    from consult.app import session

    role = session.role()
    if role not in roles:
        st.error("This page is for signed-in staff with the right role.", icon=":material/lock:")
        st.stop()
    return role


def staff_action(*roles: str):
    """A widget callback that runs only while a staff session with one of `roles` is live: callbacks run before
    the page (and fragments re-run without it), so a session that idled out since the page was drawn does nothing."""
    from functools import wraps

    def decorate(action):
        @wraps(action)
        def guarded(*args, **kwargs):
            from consult.app import session

            if session.role() in roles:
                return action(*args, **kwargs)
            return None

        return guarded

    return decorate


def uploaded_table(label: str):
    """A CSV or Excel file from an uploader, read as text columns; stops the page until there is one, and
    says what is wrong with a file that cannot be read."""
    from consult.intake import spreadsheets as tables

    upload = st.file_uploader(label, type=["csv", "xlsx"])
    if upload is None:
        st.stop()
    try:
        frame = tables.read_table(data=upload.getvalue(), name=upload.name)
    except tables.TableError as exc:
        say("error", exc)
        st.stop()
    frame.attrs["file_name"] = upload.name
    return frame
