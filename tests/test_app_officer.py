"""Officers' pages through AppTest: each renders on the demo consultation and refuses everyone else."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit
from helpers import sign_in_as
from streamlit.testing.v1 import AppTest

from consult import storage
from consult.access import member_link
from consult.demo import consultation as demo
from consult.publishing import pseudonyms
from consult.storage import themes as theme_store

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
PAGES = ["overview", "themes", "consensus", "responses", "moderate", "import_data", "members", "export", "audit",
         "ballots_admin"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from consult.storage import db

    url = f"sqlite:///{tmp_path_factory.mktemp('officer') / 'demo.db'}"
    engine = db.make_engine(url)
    storage.init_db(engine)
    consultation_id = demo.install(engine, seed=21, data=demo.generate(seed=21, n_participants=300, n_proposals=500))
    theme_store.run(engine, consultation_id)
    yield engine, url, consultation_id
    engine.dispose()


def _app(url: str, role: str | None = "officer") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["connections"] = {"consult": {"url": url}}
    at.user = {"is_logged_in": False}
    if role:
        sign_in_as(at, url, "olivia", role)
    return at


@pytest.mark.parametrize("page", PAGES)
def test_officer_page_renders(demo_db, page):
    _, url, _ = demo_db
    at = _app(url).run()
    at.switch_page(f"consult/app/pages/{page}.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value


@pytest.mark.parametrize(("page", "who"), [(page, who) for page in [*PAGES, "facilitator"]
                                           for who in (None, "member", "facilitator")
                                           if (page, who) != ("facilitator", "facilitator")])
def test_staff_pages_refuse_others(demo_db, page, who):
    """Signed out, a member's session (their link) and, for officer pages, a facilitator: none reach them."""
    engine, url, consultation_id = demo_db
    at = _app(url, role="facilitator" if who == "facilitator" else None)
    if who == "member":
        at.query_params["p"] = member_link.link_token(
            storage.add_participant(engine, consultation_id, region="E12000007").token)
    at.run()
    assert not any(t.value in ("Overview", "Exports", "Moderation") for t in at.title)
    with pytest.raises(ValueError, match="registered"):
        at.switch_page(f"consult/app/pages/{page}.py").run()


def test_themes_page_renames_and_filters(demo_db):
    engine, url, consultation_id = demo_db
    at = _app(url).run()
    at.switch_page("consult/app/pages/themes.py").run()
    first = theme_store.themes_frame(engine, consultation_id).iloc[0]
    at.selectbox(key="rename_theme").set_value(int(first["id"]))
    at.text_input(key="rename_label").set_value("Buses and trains")
    at.button[[b.label for b in at.button].index("Rename")].click().run()
    assert not at.exception
    assert theme_store.themes_frame(engine, consultation_id).set_index("id").loc[int(first["id"]), "label"] == \
        "Buses and trains"
    at.text_input(key="f_search").set_value("council homes").run()
    table = next(d.value for d in at.dataframe if "Theme" in d.value.columns)
    assert len(table) > 0
    assert all("council homes" in p.lower() for p in table["Proposal"])
    assert any(h.value.startswith(f"Proposals ({len(table):,} of") for h in at.header)


def test_themes_page_says_what_is_distinctive_of_a_chosen_region(demo_db):
    engine, url, consultation_id = demo_db
    at = _app(url).run()
    at.switch_page("consult/app/pages/themes.py").run()
    assert not at.exception
    assert any(h.value == "What is distinctive where" for h in at.header)
    at.selectbox(key="distinct_region").set_value("E12000007").run()
    sentences = [t.value for t in at.text if "London" in t.value and "the rest of the UK" in t.value]
    assert sentences and sentences[0].startswith(("Most distinctive of London:", "Possibly distinctive of London:",
                                                  "Nothing stands out clearly in London"))
    assert "95%" in sentences[0]
    assert any(t.value.startswith("Coherence ") for t in at.text)


def test_moderation_bulk_hide_needs_a_reason_and_is_audited(demo_db):
    engine, url, consultation_id = demo_db
    member = storage.add_participant(engine, consultation_id, region="E12000007")
    flagged = storage.add_proposal(engine, consultation_id, body="Call my neighbour John Smith on 07700 900123",
                                 author_id=member.id)
    from consult.app import resources

    resources._moderation_queue.clear()  # the queue is cached for 10 s; this proposal is seconds old
    at = _app(url).run()
    at.switch_page("consult/app/pages/moderate.py").run()
    assert not at.exception
    needs = next(h.value for h in at.header if h.value.startswith("Needs a look"))
    assert int(needs.split("(")[1].rstrip(")")) >= 1
    at.button[[b.label for b in at.button].index("Apply to selected")].click().run()
    assert any("Select at least one" in e.value for e in at.error)
    storage.set_proposal_status(engine, flagged.id, "hidden", actor="olivia", reason="personal data")
    at.switch_page("consult/app/pages/audit.py").run()
    log = at.dataframe[0].value
    assert (log["Reason"] == "personal data").any()


def test_officer_erases_a_participant_found_by_pseudonym(demo_db):
    engine, url, consultation_id = demo_db
    member = storage.add_participant(engine, consultation_id, region="E12000007")
    proposal = storage.add_proposal(engine, consultation_id, body="Please erase me later, thanks", author_id=member.id)
    published = storage.proposals_frame(engine, consultation_id, statuses=("published",))
    storage.cast_vote(engine, member.id, int(published.iloc[0]["id"]), 1)
    name = pseudonyms.pseudonym(consultation_id, member.id)
    at = _app(url).run()
    at.switch_page("consult/app/pages/moderate.py").run()
    at.text_input(key="erase_reason").set_value("")
    at.text_input[[t.label for t in at.text_input].index("Pseudonym from the votes export (P…)")].set_value(name)
    erase = [b.label for b in at.button].index("Erase")
    at.button[erase].click().run()
    assert any("Give a reason" in e.value for e in at.error)
    assert storage.participant_by_token(engine, member.token) is not None
    at.text_input(key="erase_reason").set_value("request by letter")
    at.button[erase].click().run()
    assert not at.exception
    assert any("Erased: 1 vote(s); 1 proposal(s) anonymised" in m.value for m in at.success)
    assert storage.participant_by_token(engine, member.token) is None
    assert storage.get_proposal(engine, proposal.id).author_id is None


def test_officer_answers_a_proposal_and_the_member_reads_it(demo_db):
    """Responses page: draft and publish one answer; the member who wrote the proposal sees it on What happened,
    and a draft never shows there."""
    from consult.storage import responses

    engine, url, consultation_id = demo_db
    member = storage.add_participant(engine, consultation_id, region="E12000001")
    mine = storage.add_proposal(engine, consultation_id, body="Give the North East assembly powers over buses",
                                author_id=member.id)
    from consult.app import resources

    resources._officer_table.clear()  # the officer table is cached for 30 s; this proposal is seconds old
    at = _app(url).run()
    at.switch_page("consult/app/pages/responses.py").run()
    assert not at.exception, at.exception
    at.text_input[0].set_value("North East assembly powers over buses").run()
    picker = at.selectbox[1]  # [0] is the consultation picker
    picker.select_index(next(i for i, label in enumerate(picker.options) if label.startswith(f"#{mine.id} "))).run()
    at.text_area[0].set_value("Accepted: the commission will take this to conference.")
    at.selectbox[2].set_value("Accepted")
    next(b for b in at.button if b.label == "Save and publish").click().run()
    assert not at.exception, at.exception
    assert any("Published" in s.value for s in at.success), [s.value for s in at.success]
    responses.save_draft(engine, mine.id, status="accepted_in_part", body="A later draft nobody sees yet.",
                         actor="olivia")

    member_view = AppTest.from_file(APP, default_timeout=60)
    member_view.secrets["connections"] = {"consult": {"url": url}}
    member_view.user = {"is_logged_in": False}
    member_view.query_params["p"] = member_link.link_token(member.token)
    member_view.run()
    member_view.switch_page("consult/app/pages/what_happened.py").run()
    assert not member_view.exception, member_view.exception
    texts = [t.value for t in member_view.text]
    assert "Accepted: the commission will take this to conference." in texts
    assert "A later draft nobody sees yet." not in texts


def test_the_picker_shows_titles_and_remembers_the_choice_across_visits(demo_db):
    engine, url, consultation_id = demo_db
    other = storage.create_consultation(engine, title="Rural transport call", question="Buses?",
                                        join_code="RURAL7")
    at = _app(url).run()
    at.switch_page("consult/app/pages/overview.py").run()
    picker = at.selectbox(key="consultation_picker")
    assert any(label.startswith("Rural transport call · collecting proposals · ") for label in picker.options)
    chosen = next(label for label in picker.options if label.endswith(f"· {other.join_code}"))
    picker.set_value(chosen).run()
    assert not at.exception
    later = _app(url).run()  # a new visit: another session for the same account
    later.switch_page("consult/app/pages/consensus.py").run()
    assert later.selectbox(key="consultation_picker").value == chosen
    storage.delete_consultation(engine, other.id)


def test_consensus_page_puts_two_groups_side_by_side(demo_db):
    """The officer's fifth question: what one opinion group (or region) agrees on that another does not."""
    _, url, _ = demo_db
    at = _app(url).run()
    at.switch_page("consult/app/pages/consensus.py").run()
    assert not at.exception, at.exception
    assert any(h.value == "What one side agrees on that the other does not" for h in at.header)
    # how settled the groups are, in words: the demo's three camps are found again on the subsamples
    settled = next(m.value for m in at.markdown if "Found again on 20 subsamples" in m.value)
    assert settled.startswith("The groups are") and "members" in settled
    sides = [s.value for s in at.subheader]
    assert "Group 1 agrees, Group 2 does not" in sides and "Group 2 agrees, Group 1 does not" in sides
    # the demo's groups differ by design: at least one side has proposals listed, each with both shares
    tables = [frame for frame in (d.value for d in at.dataframe) if "Group 1 agree" in frame.columns]
    assert tables and all(frame["Proposal"].notna().all() for frame in tables)
    first = tables[0]
    assert (first.iloc[:, 1] > first.iloc[:, 3]).all()  # the first side agrees more, row by row
    at.radio(key="compare_by").set_value("region").run()
    at.selectbox(key="compare_first_region").set_value("E12000007").run()
    # proposals distinctive of a region: London against the rest of the UK, the first comparison offered
    assert "London agrees, the rest of the UK does not" in [s.value for s in at.subheader]
    assert "The rest of the UK agrees, London does not" in [s.value for s in at.subheader]
    at.selectbox(key="compare_second_region").set_value("E12000001").run()
    assert not at.exception, at.exception
    assert "London agrees, North East does not" in [s.value for s in at.subheader]


def test_overview_answers_which_region_is_most_over_represented(demo_db):
    """The officer's first question, against the figures computed from the database directly."""
    from consult.support import direct as support

    engine, url, consultation_id = demo_db
    # other tests in this module add participants to the shared demo database: the page's 10 s cache of the
    # overview's frames must not answer with a count from before them
    streamlit.cache_data.clear()
    expected, _ = support.representativeness(storage.participants_frame(engine, consultation_id),
                                             storage.baseline_for(engine, storage.get_consultation(engine,
                                                                                                   consultation_id)))
    most = expected.loc[expected["ratio"].idxmax()]
    at = _app(url).run()
    at.switch_page("consult/app/pages/overview.py").run()
    assert not at.exception, at.exception
    shown = next(d.value for d in at.dataframe if "Representation (1 = fair)" in d.value.columns)
    ratios = pd.to_numeric(shown["Representation (1 = fair)"], errors="coerce")  # words where hidden or early
    top = shown.loc[ratios.idxmax()]
    assert top["Region"] == most["name"]
    assert float(top["Representation (1 = fair)"]) == pytest.approx(most["ratio"], abs=0.005)
    assert len(shown) == 12 and shown["Region"].str.len().min() > 3  # full names, every region
    # and in words above the charts, without reading the table
    assert any(f"**Most over-represented:** {most['name']}, {most['ratio']:.2f} times" in m.value
               for m in at.markdown)


def test_consensus_answers_supported_everywhere_with_evidence_and_what_weighting_changes(demo_db):
    """The second and third questions: the ranking with its evidence, and raw against weighted for any proposal."""
    from consult.publishing import tables

    engine, url, consultation_id = demo_db
    analysis = tables.proposal_analysis(engine, consultation_id)
    voted = analysis[(analysis["status"] == "published") & (analysis["votes"] > 0)].sort_values("consensus_rank")
    at = _app(url).run()
    at.switch_page("consult/app/pages/consensus.py").run()
    assert not at.exception, at.exception
    ranking = next(d.value for d in at.dataframe if "Majority in every region (probability)" in d.value.columns)
    assert ranking["Proposal"].tolist() == voted["text"].head(15).tolist()  # proposal text, in rank order
    assert ranking["Weakest region"].str.len().gt(0).all() and ranking["Votes"].gt(0).all()
    assert ranking["Rank"].tolist() == voted["consensus_rank"].head(15).tolist()

    # any proposal, not only the top 15: the one ranked 40th
    pick = voted.iloc[39]
    at.selectbox(key="weighting_proposal").set_value(int(pick["proposal_id"])).run()
    assert not at.exception, at.exception
    # the named steps from votes to the headline, each against the database's figures, with what moved it
    figures = {m.label: m.value for m in at.metric}
    baseline = storage.baseline_name_for(engine, storage.get_consultation(engine, consultation_id))
    assert figures["1. Raw share"] == f"{pick['support']:.0%}"
    assert figures["2. Pooled estimate"] == f"{pick['pooled_support']:.0%}"
    assert figures["3. Weighted estimate (headline)"] == f"{pick['weighted_support']:.0%}"
    assert figures["Plain weighted share (no model)"] == f"{pick['poststratified_support']:.0%}"
    said = " ".join(m.value for m in at.markdown)
    assert f"Voters who agree: {int(pick['agree']):,} of {int(pick['votes']):,}." in said
    assert f"share of the {baseline}: weighting the pooled estimate" in said
    assert "from the raw share: each region's share is drawn toward" in said
    assert f"95% interval {pick['weighted_low']:.0%}–{pick['weighted_high']:.0%}" in [c.value for c in at.caption]
    # who chose to answer: the demo's London members leave unanswered mostly what they would disagree with
    from consult.publishing import selection_note

    sentences = selection_note.selection_findings(engine, consultation_id)
    assert sentences[0].startswith("London's agree share may be raised by who chose to answer")
    shown_text = [t.value for t in at.text]
    assert all(sentence in shown_text for sentence in sentences)


def test_publishing_a_batch_of_responses_needs_a_look_first(demo_db):
    from consult.storage import responses

    engine, url, consultation_id = demo_db
    proposal = int(storage.proposals_frame(engine, consultation_id)["id"].iloc[5])
    responses.save_draft(engine, proposal, status="accepted", body="Taken to conference in the spring.",
                         actor="olivia")
    at = _app(url).run()
    at.switch_page("consult/app/pages/responses.py").run()
    assert not at.exception, at.exception
    publish = next(b for b in at.button if b.label.startswith("Publish these"))
    assert publish.disabled  # not before the officer has read the list
    assert any("Taken to conference in the spring." in d.value.to_string() for d in at.dataframe)  # the preview
    next(c for c in at.checkbox if c.label.startswith("I have read these")).check().run()
    next(b for b in at.button if b.label.startswith("Publish these")).click().run()
    assert not at.exception, at.exception
    assert any("Published" in s.value for s in at.success)
    assert not any("ready but not yet visible" in i.value for i in at.info)  # the banner tells the truth now


def test_overview_tables_say_in_words_what_is_hidden_never_a_blank(demo_db):
    """A blank cell shows as "None" in a Streamlit table; hidden counts and early ratios are words instead."""
    _, url, _ = demo_db
    at = _app(url).run()
    at.switch_page("consult/app/pages/overview.py").run()
    assert not at.exception, at.exception
    for table in at.dataframe:
        assert not table.value.isna().any().any(), table.value
