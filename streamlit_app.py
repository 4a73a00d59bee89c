"""consult: the app's entry point. It sets up the page and the navigation; pages live in consult/app/pages."""

import streamlit as st

st.set_page_config(page_title="consult: devolution consultation", page_icon="🗳️", layout="centered")

pages = {
    "Take part": [st.Page("consult/app/pages/home.py", title="Consultations", url_path="home", default=True)],
}
st.navigation(pages).run()
