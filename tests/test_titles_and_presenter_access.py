"""Titles and questions are text wherever they are shown; a members-only consultation's presenter needs the key."""

from __future__ import annotations

from helpers import app_test

from consult import storage
from consult.access import presenter as presenter_access
from consult.text.cleaning import escape_markdown

HOSTILE_TITLE = "Devolution ![x](http://evil.example/track.png) [log in here](http://evil.example) **now**"


def test_markdown_in_a_title_stays_text_on_the_join_page_and_the_presenter(sqlite_engine, sqlite_url):
    consultation = storage.create_consultation(sqlite_engine, title=HOSTILE_TITLE, question="*Which* powers?",
                                             join_code="TITLEI", phase="collecting")
    at = app_test(sqlite_url)
    at.query_params["join"] = "TITLEI"
    at.run()
    headers = [h.value for h in at.header]
    assert escape_markdown(HOSTILE_TITLE) in headers and HOSTILE_TITLE not in headers
    assert "*Which* powers?" in [t.value for t in at.text]  # st.text: shown as typed
    at.switch_page("consult/app/pages/present.py")
    at.query_params["code"] = consultation.join_code
    at.run()
    assert not at.exception
    titles = [t.value for t in at.title]
    assert any(value.startswith(escape_markdown("Devolution ![x](http")) for value in titles)
    assert not any("](http" in value for value in titles)  # no link or image survives as Markdown


def test_a_members_only_presenter_needs_the_presenter_key(sqlite_engine, sqlite_url):
    consultation = storage.create_consultation(sqlite_engine, title="Members' panel", question="Q?",
                                             join_code="PANELI", access="members", phase="collecting")
    storage.add_proposal(sqlite_engine, consultation.id, body="A members-only idea about buses", author_id=None,
                         is_seed=True)
    at = app_test(sqlite_url)
    at.run()
    at.switch_page("consult/app/pages/present.py")
    at.query_params["code"] = "PANELI"
    at.run()
    assert "presenter link" in at.error[0].value
    shown = " ".join([t.value for t in at.text] + [t.value for t in at.title] + [h.value for h in at.header])
    assert "members-only idea" not in shown and "Members' panel" not in shown
    at.query_params[presenter_access.KEY_PARAM] = "0" * 32
    at.run()
    assert at.error and "presenter link" in at.error[0].value
    path = presenter_access.presenter_path(consultation)
    key = path.split(f"{presenter_access.KEY_PARAM}=")[1].split("&")[0]
    at.query_params[presenter_access.KEY_PARAM] = key
    at.run()
    assert not at.error and "members-only idea" in " ".join(t.value for t in at.text)
    # an open consultation needs no key, and its link carries none
    open_one = storage.create_consultation(sqlite_engine, title="Open", question="Q?", join_code="OPENII")
    assert presenter_access.KEY_PARAM not in presenter_access.presenter_path(open_one)
