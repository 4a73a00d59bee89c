"""The app's own navigation, built from plain links: a bar of the member pages at the top of every member page
(one tap from any page to any other, on a phone too, with no sidebar to open) and, for staff, the sections in the
sidebar. Streamlit's built-in menu is hidden: its list markup fails accessibility checks (axe: list, listitem)
and at phone width it leaves off-screen links in the tab order."""

from __future__ import annotations

import base64
import copy
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

# (file in consult/app/pages, title, Material icon, URL path)
MEMBER_PAGES = [
    ("vote", "Vote", "thumbs_up_down", "vote"),
    ("propose", "Propose", "edit_note", "propose"),
    ("questions", "Questions", "quiz", "questions"),
    ("my_region", "My region", "map", "my-region"),
    ("what_happened", "What happened", "campaign", "what-happened"),
    ("ballots", "Ballots", "how_to_vote", "ballots"),
]
OFFICER_PAGES = [
    ("overview", "Overview", "dashboard", "overview"),
    ("themes", "Themes", "category", "themes"),
    ("consensus", "Consensus and division", "diversity_3", "consensus"),
    ("questions_admin", "Questions", "quiz", "questions-admin"),
    ("responses", "Responses", "campaign", "responses"),
    ("ballots_admin", "Ballots", "how_to_vote", "ballots-admin"),
    ("moderate", "Moderation", "shield", "moderation"),
    ("import_data", "Import", "upload", "import"),
    ("members", "Membership list", "badge", "membership"),
    ("export", "Export and report", "download", "export"),
    ("audit", "Audit log", "history", "audit"),
]
FACILITATOR_PAGE = ("facilitator", "Run a session", "podium", "facilitate")
MEMBER_SECTION = "Take part"
HELD_BACK_SECTION = "Held back"  # staff pages this user may not open yet: the sign-in page stands in at their address
OFFICER_SECTION = "Policy officers"
ROOT_COPY = "at-root"  # the landing page's copy at the root has this address of its own (`_pages`)


# one made page per kind, for the process: making a page resolves and checks its file on disk (a tenth of a
# session's first run when every session made its twenty). Each session gets copies (`_page`): Streamlit marks
# the page it is about to run on the page object itself, so sessions must not share them.
_MADE_PAGES: dict[tuple, st.Page] = {}


def _page(name: str, title: str, icon: str, url: str, *, landing: bool = False,
          hidden: bool = False) -> st.Page:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()  # pages are found from the running script's folder
    kind = (context.pages_manager.main_script_parent if context else None, name, title, icon, url, landing, hidden)
    made = _MADE_PAGES.get(kind)
    if made is None:
        made = _MADE_PAGES[kind] = st.Page(f"consult/app/pages/{name}.py", title=title, icon=f":material/{icon}:",
                                           url_path=url, default=landing,
                                           visibility="hidden" if hidden else "visible")
    return copy.copy(made)


def _pages(name: str, title: str, icon: str, url: str, *, landing: bool = False) -> list[st.Page]:
    """A page at its own address and, for the user's landing page, a hidden copy at the app's root. Streamlit
    serves its default page only at the root and reports "Page not found" (over the right page) for the address
    it has otherwise, so a facilitator opening /facilitate or a visitor opening /join saw that dialog. The copy
    is the default under an address of its own that is never shown (the root stands for it)."""
    page = _page(name, title, icon, url)
    return [page, _page(name, title, icon, f"{url}-{ROOT_COPY}", landing=True, hidden=True)] if landing else [page]


def app_pages(role: str | None, *, landing_on_sign_in: bool, held_back: bool = True) -> dict[str, list[st.Page]]:
    """The pages this user may open, by section: members' pages for everyone, then the role's own. Built once per
    browser session for each role, from the process's made pages (`_page`): making a page resolves its file on
    disk, which cost a tenth of every page run when the twenty pages were made afresh each time."""
    key = (role, landing_on_sign_in, held_back)
    if st.session_state.get("consult_pages_key") == key:
        return st.session_state["consult_pages"]
    pages = {MEMBER_SECTION: [
        # staff land on their own first page (below); everyone else on Join
        *_pages("join", "Join", "login", "join", landing=role is None and not landing_on_sign_in),
        *(_page(*page) for page in MEMBER_PAGES),
        _page("present", "Presenter view", "present_to_all", "present", hidden=True),
    ]}
    if role == "officer":
        pages[OFFICER_SECTION] = [made for page in OFFICER_PAGES
                                  for made in _pages(*page, landing=page[0] == "overview")]
    if role in ("officer", "facilitator"):
        pages["Live sessions"] = _pages(*FACILITATOR_PAGE, landing=role == "facilitator")
        pages["Account"] = [_page("signout", "Sign out", "logout", "signout")]
    else:
        pages["Staff"] = _pages("signin", "Staff sign-in", "key", "signin", landing=landing_on_sign_in)
    # a staff page's address (a bookmark, a link in an email) opens for anyone: signed out it asks them to sign
    # in and then shows the page; a facilitator is told the page is for officers. Not "Page not found".
    # `held_back` False: left out where no one can be opening one (see `keeps_held_back_pages`)
    stand_ins = {"officer": [], "facilitator": OFFICER_PAGES}.get(role, OFFICER_PAGES + [FACILITATOR_PAGE])
    if stand_ins and held_back:
        pages[HELD_BACK_SECTION] = [
            _page("signin" if role is None else "officers_only", title, icon, url, hidden=True)
            for _name, title, icon, url in stand_ins]
    st.session_state["consult_pages_key"], st.session_state["consult_pages"] = key, pages
    return pages


def keeps_held_back_pages() -> bool:
    """Whether this run registers the staff pages' stand-ins. An address is opened (typed, bookmarked, followed
    from an email) only on a session's first run, so they are there then, for anyone not yet taking part, and
    while one of them is open; a member moving between member pages leaves them out (twelve pages more in two of
    the messages of every run, a twentieth of what a member's journey costs the server)."""
    return ("consult_pages_key" not in st.session_state or st.session_state.get("member") is None
            or st.session_state.get("held_back_title") is not None)


def page_style() -> None:
    st.html(PAGE_STYLE)


def member_bar(pages: dict[str, list[st.Page]]) -> None:
    """Links between the member pages, for a member who has joined (the join page has its own next steps);
    also on a fresh visit from the member's link, before the page itself has looked them up."""
    if session.member() is None:
        return
    params = session.member_params()
    by_url = {page.url_path: page for page in pages[MEMBER_SECTION]}
    with st.container(horizontal=True, gap="small", key="member_nav"):
        for _name, _title, _icon, url in MEMBER_PAGES:
            st.page_link(by_url[url], query_params=params)


# On a phone the sidebar covers the page, and Streamlit folds it after a choice only in its own menu, not after a
# page link: an officer who picked "Consensus" still saw the sidebar. This folds it after a link is followed, on
# narrow screens only (Streamlit's own breakpoint), by pressing Streamlit's own "Collapse sidebar" button, so the
# choice is remembered as the user's. Installed once per browser tab; no member text goes into it.
FOLD_SIDEBAR_SCRIPT = """<script>
(() => {
  if (window.consultFoldsSidebar) return;
  window.consultFoldsSidebar = true;
  document.addEventListener("click", (event) => {
    if (!event.target.closest('[data-testid="stSidebar"] a') || !window.matchMedia("(max-width: 767.98px)").matches)
      return;
    setTimeout(() => {
      const fold = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (fold) fold.click();
    }, 0);
  }, true);
})();
</script>"""


def staff_sidebar(sections: dict[str, list]) -> None:
    """Each section's pages as links in the sidebar, under a plain heading."""
    with st.sidebar:
        st.html(FOLD_SIDEBAR_SCRIPT, unsafe_allow_javascript=True)
        who = session.signed_in_as()
        if who:
            st.caption(f"Signed in as {escape_markdown(who)}")
        for section, pages in sections.items():
            st.markdown(f"**{section}**")
            for page in pages:
                if page.visibility == "visible":  # not the landing page's copy at the root (`_pages`)
                    st.page_link(page)
