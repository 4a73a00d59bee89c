"""The app's own navigation, built from plain links: a bar of the member pages at the top of every member page
(one tap from any page to any other, on a phone too, with no sidebar to open) and, for staff, the sections in the
sidebar. Streamlit's built-in menu is hidden: its list markup fails accessibility checks (axe: list, listitem)
and at phone width it leaves off-screen links in the tab order."""

from __future__ import annotations

import base64
from pathlib import Path

import streamlit as st

from consult.app import session
from consult.text.cleaning import escape_markdown

FAVICON = Path(__file__).resolve().parent / "static" / "favicon.png"
# as a data URL, made once: given the file, Streamlit opens and re-encodes the image on every page run
FAVICON_URL = "data:image/png;base64," + base64.b64encode(FAVICON.read_bytes()).decode("ascii")

# WCAG 2.2 AA: captions at 4.5:1 or more (Streamlit's default grey is 3.9:1), and a visible focus ring on links
# and buttons for keyboard users
PAGE_STYLE = """<style>
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, .stImage [data-testid="caption"],
  [data-testid="stWidgetLabel"] small { color: #4d4d4d !important; opacity: 1 !important; }
  /* section headings are h2 (after the page's h1, in order) at the size of Streamlit's subheader */
  [data-testid="stHeading"] h2 { font-size: 1.5rem; padding: 0.75rem 0 0.25rem 0; }
  a:focus-visible, button:focus-visible, [role="tab"]:focus-visible, [role="radio"]:focus-visible {
    outline: 3px solid #1a5fb4 !important; outline-offset: 2px; }
</style>"""

MEMBER_PAGES = [
    ("vote", "Vote", ":material/thumbs_up_down:"),
    ("propose", "Propose", ":material/edit_note:"),
    ("questions", "Questions", ":material/quiz:"),
    ("my_region", "My region", ":material/map:"),
    ("what_happened", "What happened", ":material/campaign:"),
    ("ballots", "Ballots", ":material/how_to_vote:"),
]


def page_style() -> None:
    st.html(PAGE_STYLE)


def member_bar() -> None:
    """Links between the member pages, for a member who has joined (the join page has its own next steps);
    also on a fresh visit from the member's link, before the page itself has looked them up."""
    if session.member() is None:
        return
    params = session.member_params()
    with st.container(horizontal=True, gap="small", key="member_nav"):
        for name, label, icon in MEMBER_PAGES:
            st.page_link(f"consult/app/pages/{name}.py", label=label, icon=icon, query_params=params)


def staff_sidebar(sections: dict[str, list]) -> None:
    """Each section's pages as links in the sidebar, under a plain heading."""
    with st.sidebar:
        who = session.signed_in_as()
        if who:
            st.caption(f"Signed in as {escape_markdown(who)}")
        for section, pages in sections.items():
            st.markdown(f"**{section}**")
            for page in pages:
                st.page_link(page)
