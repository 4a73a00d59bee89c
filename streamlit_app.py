"""consult: the app's entry point. It sets up the page, works out who is using it and builds the navigation."""

import streamlit as st

from consult.app import navigation, session

kiosk = st.query_params.get("mode") == "kiosk"
role = session.role()
# the icon is a file in the package, set before the navigation: otherwise the page's Material icon becomes the
# favicon and every browser fetches it from a font CDN. The layout is set once per run (two calls giving different
# layouts in one run were not always applied): here, unless an officer's page may want it wide (below)
st.set_page_config(page_title="consult: have your say", page_icon=navigation.FAVICON_URL,
                   initial_sidebar_state="collapsed" if kiosk else "auto",
                   layout="wide" if kiosk else None if role == "officer" else "centered")
navigation.page_style()
# staff whose session just ended (idle, or signed out elsewhere) land on the sign-in page with the reason
staff_signed_out = role is None and "signed_out_reason" in st.session_state
pages = navigation.app_pages(role, landing_on_sign_in=staff_signed_out, held_back=navigation.keeps_held_back_pages())

# Streamlit's own menu stays hidden: members get a bar of links on their pages, staff a sidebar of links
current = st.navigation(pages, position="hidden")
# officers read wide tables and charts at a desk: the whole screen, so no column hides off to the side
if role == "officer" and not kiosk:
    officer_page = current.url_path in {page.url_path for page in pages.get(navigation.OFFICER_SECTION, [])}
    st.set_page_config(layout="wide" if officer_page else "centered")
# a staff page's address opened by someone who may not open it yet: its stand-in page says which page it was
held_back = {page.url_path for page in pages.get(navigation.HELD_BACK_SECTION, [])}
st.session_state["held_back_title"] = current.title if current.url_path in held_back else None
session.keep_member_in_browser()
session.keep_staff_in_browser()
# the presenter view is the whole screen on a projector, signed in or not: no sidebar, no member bar
if not kiosk and current.url_path != "present":
    if role in ("officer", "facilitator"):
        navigation.staff_sidebar({section: section_pages for section, section_pages in pages.items()
                                  if section != navigation.HELD_BACK_SECTION})
    elif current.url_path in ("vote", "propose", "questions", "my-region", "what-happened", "ballots"):
        navigation.member_bar(pages)
current.run()
