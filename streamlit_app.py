"""consult: the app's entry point. It sets up the page, works out who is using it and builds the navigation."""

import streamlit as st

from consult.app import session

kiosk = st.query_params.get("mode") == "kiosk"
st.set_page_config(page_title="consult: have your say", page_icon=":material/how_to_vote:",
                   layout="wide" if kiosk else "centered",
                   initial_sidebar_state="collapsed" if kiosk else "auto")

role = session.role()
pages = {
    "Take part": [
        st.Page("consult/app/pages/join.py", title="Join", icon=":material/login:", url_path="join", default=True),
        st.Page("consult/app/pages/vote.py", title="Vote", icon=":material/thumbs_up_down:", url_path="vote"),
        st.Page("consult/app/pages/propose.py", title="Propose", icon=":material/edit_note:", url_path="propose"),
        st.Page("consult/app/pages/my_region.py", title="My region", icon=":material/map:", url_path="my-region"),
        st.Page("consult/app/pages/present.py", title="Presenter view", icon=":material/present_to_all:",
                url_path="present", visibility="hidden"),
    ],
}
if role in ("officer", "facilitator"):
    pages["Staff"] = [
        st.Page("consult/app/pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview"),
        st.Page("consult/app/pages/facilitator.py", title="Run a session", icon=":material/podium:",
                url_path="facilitate"),
        st.Page("consult/app/pages/signout.py", title="Sign out", icon=":material/logout:", url_path="signout"),
    ]
else:
    pages["Staff"] = [
        st.Page("consult/app/pages/signin.py", title="Staff sign-in", icon=":material/key:", url_path="signin"),
    ]

current = st.navigation(pages, position="hidden" if kiosk else "sidebar")
session.keep_token_in_url()
current.run()
