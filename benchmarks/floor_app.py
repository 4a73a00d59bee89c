"""The framework's floor: a bare Streamlit app with the member journey's pages and widgets and nothing behind them.

`benchmarks/bench_floor.py` drives it with the same protocol journey as the real app (join, three votes, propose,
My region): the same page runs, the same labels, a navigation bar of page links, a proposal card and an expander
of earlier votes, and a member link signed as the real one is (the load generator reads the member from it), but no
database, no model and no checks. What a member journey costs here is what Streamlit
itself costs; what the real app costs beyond it is ours.
"""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

import streamlit as st

from consult.access import member_link

FAVICON = "data:image/png;base64," + base64.b64encode(
    (Path(__file__).resolve().parents[1] / "consult" / "app" / "static" / "favicon.png").read_bytes()).decode()

REGIONS = ["East Midlands", "East of England", "London", "North East", "North West", "Northern Ireland", "Scotland",
           "South East", "South West", "Wales", "West Midlands", "Yorkshire and The Humber"]


STYLE = "<style>[data-testid='stCaptionContainer'] { color: #4d4d4d; }</style>"


def bar() -> None:
    if "p" not in st.query_params:
        return
    with st.container(horizontal=True, gap="small"):
        for page in MEMBER_PAGES:
            st.page_link(page, query_params={"p": st.query_params["p"]})


def join() -> None:
    st.title("Have your say")
    st.write("Devolution: which powers should go to the regions?")
    st.text_input("Join code", value=st.query_params.get("join", ""))
    st.text_input("Membership number (optional)")
    st.subheader("Join")
    st.caption("Anyone with the code can join.")
    st.text("Your region decides which figures you see first.")
    region = st.selectbox("Where do you live?", REGIONS, index=None)
    agreed = st.checkbox("I have read the privacy notice and want to take part")
    if st.button("Join", type="primary") and region and agreed:
        st.session_state["votes"] = []
        st.switch_page(MEMBER_PAGES[0], query_params={"p": member_link.link_token(secrets.token_urlsafe(16))})


def vote() -> None:
    bar()
    st.title("Vote on proposals")
    votes = st.session_state.setdefault("votes", [])
    st.progress(min(len(votes) / 10, 1.0), text=f"{len(votes)} of 10 votes to see your region's view")
    with st.container(border=True):
        st.markdown(f"Proposal {len(votes) + 1}: give the regions their own transport budgets")
        st.text("North West · 12 votes")
    columns = st.columns(3)
    for column, choice in zip(columns, ("Agree", "Disagree", "Pass"), strict=True):
        if column.button(choice, use_container_width=True):
            votes.append(choice)
    if votes:
        with st.expander(f"Change an earlier vote ({len(votes)})"):
            for number, choice in enumerate(votes, start=1):
                st.text(f"Proposal {number}")
                st.segmented_control(f"Your vote on proposal {number}", ["Agree", "Disagree", "Pass"],
                                     default=choice, key=f"change_{number}", label_visibility="collapsed")


def propose() -> None:
    bar()
    st.title("Propose")
    st.caption("Devolution")
    st.text("One idea per proposal, in your own words.")
    body = st.text_area("Your proposal", max_chars=500)
    st.selectbox("What is it about?", ["My region", "Whole UK"])
    if st.button("Continue", type="primary") and body.strip():
        st.success("Your proposal is published")


def my_region() -> None:
    bar()
    st.title("Where my region stands")
    st.info("Vote on a few more proposals to see your region's view.")
    st.page_link(MEMBER_PAGES[0], label="Vote on proposals", query_params={"p": st.query_params.get("p", "")})


def placeholder() -> None:
    bar()
    st.title("Nothing here")


MEMBER_PAGES = [st.Page(vote, url_path="vote", title="Vote"), st.Page(propose, url_path="propose", title="Propose"),
                st.Page(placeholder, url_path="questions", title="Questions"),
                st.Page(my_region, url_path="my-region", title="My region"),
                st.Page(placeholder, url_path="what-happened", title="What happened"),
                st.Page(placeholder, url_path="ballots", title="Ballots")]
st.set_page_config(page_title="floor", page_icon=FAVICON)
st.html(STYLE)
st.navigation([st.Page(join, url_path="join", title="Join", default=True), *MEMBER_PAGES],
              position="hidden").run()
