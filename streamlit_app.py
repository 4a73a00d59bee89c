"""consult: the app's entry point. It sets up the page, works out who is using it and builds the navigation."""

import streamlit as st

from consult.app import navigation, session

kiosk = st.query_params.get("mode") == "kiosk"
# the icon is a file in the package, set before the navigation: otherwise the page's Material icon becomes the
# favicon and every browser fetches it from a font CDN
st.set_page_config(page_title="consult: have your say", page_icon=navigation.FAVICON_URL,
                   initial_sidebar_state="collapsed" if kiosk else "auto")
navigation.page_style()
role = session.role()
# staff whose session just ended (idle, or signed out elsewhere) land on the sign-in page with the reason
staff_signed_out = role is None and "signed_out_reason" in st.session_state
pages = {
    "Take part": [
        # staff land on their own first page (below); everyone else on Join
        st.Page("consult/app/pages/join.py", title="Join", icon=":material/login:", url_path="join",
                default=role is None and not staff_signed_out),
        st.Page("consult/app/pages/vote.py", title="Vote", icon=":material/thumbs_up_down:", url_path="vote"),
        st.Page("consult/app/pages/propose.py", title="Propose", icon=":material/edit_note:", url_path="propose"),
        st.Page("consult/app/pages/questions.py", title="Questions", icon=":material/quiz:", url_path="questions"),
        st.Page("consult/app/pages/my_region.py", title="My region", icon=":material/map:", url_path="my-region"),
        st.Page("consult/app/pages/what_happened.py", title="What happened", icon=":material/campaign:",
                url_path="what-happened"),
        st.Page("consult/app/pages/ballots.py", title="Ballots", icon=":material/how_to_vote:", url_path="ballots"),
        st.Page("consult/app/pages/present.py", title="Presenter view", icon=":material/present_to_all:",
                url_path="present", visibility="hidden"),
    ],
}
def staff_page(name: str, title: str, icon: str, url: str, *, landing: bool = False) -> st.Page:
    return st.Page(f"consult/app/pages/{name}.py", title=title, icon=f":material/{icon}:", url_path=url,
                   default=landing)


if role == "officer":
    pages["Policy officers"] = [
        staff_page("overview", "Overview", "dashboard", "overview", landing=True),
        staff_page("themes", "Themes", "category", "themes"),
        staff_page("consensus", "Consensus and division", "diversity_3", "consensus"),
        staff_page("questions_admin", "Questions", "quiz", "questions-admin"),
        staff_page("responses", "Responses", "campaign", "responses"),
        staff_page("ballots_admin", "Ballots", "how_to_vote", "ballots-admin"),
        staff_page("moderate", "Moderation", "shield", "moderation"),
        staff_page("import_data", "Import", "upload", "import"),
        staff_page("members", "Membership list", "badge", "membership"),
        staff_page("export", "Export and report", "download", "export"),
        staff_page("audit", "Audit log", "history", "audit"),
    ]
if role in ("officer", "facilitator"):
    pages["Live sessions"] = [staff_page("facilitator", "Run a session", "podium", "facilitate",
                                         landing=role == "facilitator")]
    pages["Account"] = [staff_page("signout", "Sign out", "logout", "signout")]
else:
    pages["Staff"] = [staff_page("signin", "Staff sign-in", "key", "signin", landing=staff_signed_out)]

# Streamlit's own menu stays hidden: members get a bar of links on their pages, staff a sidebar of links
current = st.navigation(pages, position="hidden")
# officers read wide tables and charts at a desk: the whole screen, so no column hides off to the side. The
# layout is set once, here (two calls giving different layouts in one run were not always applied)
officer_page = current.url_path in {page.url_path for page in pages.get("Policy officers", [])}
st.set_page_config(layout="wide" if kiosk or officer_page else "centered")
session.keep_member_in_browser()
session.keep_staff_in_browser()
if not kiosk:
    if role in ("officer", "facilitator"):
        navigation.staff_sidebar({section: [page for page in section_pages if page.url_path not in ("present",)]
                                  for section, section_pages in pages.items()})
    elif current.url_path in ("vote", "propose", "questions", "my-region", "what-happened", "ballots"):
        navigation.member_bar()
current.run()
