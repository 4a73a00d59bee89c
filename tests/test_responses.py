"""Official responses: the lifecycle, drafts invisible to members, audit, thresholds, spreadsheet round trip."""

from __future__ import annotations

import pandas as pd
import pytest

from consult import storage
from consult.cli import main as cli
from consult.publishing import tables
from consult.responses import thresholds as answer_thresholds
from consult.responses import workflow as answers
from consult.storage import responses


def _proposals(engine, consultation, n: int = 3) -> list[int]:
    return [storage.add_proposal(engine, consultation.id, body=f"Proposal number {i} about buses", author_id=None,
                                 tier="region").id for i in range(n)]


def test_lifecycle_moves_and_refusals(engine, consultation):
    first, *_ = _proposals(engine, consultation)
    responses.save_draft(engine, first, status="under_consideration", actor="officer")
    responses.save_draft(engine, first, status="referred", referred_to="North East regional party",
                         body="Referred to the regional party, which runs the bus policy.", actor="officer")
    responses.save_draft(engine, first, status="accepted", body="We will campaign for franchising.",
                         decided_by="Policy commission", actor="officer")
    with pytest.raises(storage.StoreError, match="cannot go from accepted to under consideration"):
        responses.save_draft(engine, first, status="under_consideration", actor="officer")
    with pytest.raises(storage.StoreError, match="Unknown response status"):
        responses.save_draft(engine, first, status="maybe", actor="officer")
    with pytest.raises(storage.StoreError, match="which body"):
        responses.save_draft(engine, first, status="referred", actor="officer")
    with pytest.raises(storage.StoreError, match="at most 5,000"):
        responses.save_draft(engine, first, status="accepted", body="x" * 5001, actor="officer")
    with pytest.raises(storage.NotFound):
        responses.save_draft(engine, 999_999, status="accepted", body="ok", actor="officer")
    actions = storage.audit_frame(engine, consultation.id)["action"].tolist()
    assert actions.count("response_draft") == 3


def test_drafts_are_invisible_until_published_and_edits_wait_for_the_next_publish(engine, consultation):
    first, second, _ = _proposals(engine, consultation)
    responses.save_draft(engine, first, status="accepted", body="Yes: in the manifesto.", actor="officer")
    assert responses.published_responses(engine, consultation.id).empty
    responses.save_draft(engine, second, status="not_taken_forward", actor="officer")  # a draft may be unfinished
    with pytest.raises(storage.StoreError, match="Write the response"):
        responses.publish(engine, [second], actor="officer")
    with pytest.raises(storage.StoreError, match="No draft"):
        responses.publish(engine, [first, 424242], actor="officer")
    assert responses.publish(engine, [first], actor="officer") == 1
    shown = responses.published_responses(engine, consultation.id)
    assert shown[["proposal_id", "status_label", "response"]].values.tolist() == [
        [first, "Accepted", "Yes: in the manifesto."]]
    responses.save_draft(engine, first, status="accepted_in_part", body="Partly.", actor="officer")
    shown = responses.published_responses(engine, consultation.id)
    assert shown["response"].tolist() == ["Yes: in the manifesto."]  # members still see what was published
    drafts = responses.responses_frame(engine, consultation.id).set_index("proposal_id")
    assert drafts.loc[first, "draft_differs"] and drafts.loc[first, "status"] == "accepted_in_part"
    assert "response_published" in storage.audit_frame(engine, consultation.id)["action"].tolist()


def test_hidden_proposals_responses_are_not_shown_and_merged_ones_cannot_be_answered(engine, consultation):
    first, second, third = _proposals(engine, consultation)
    responses.save_draft(engine, first, status="accepted", body="Yes.", actor="officer")
    responses.publish(engine, [first], actor="officer")
    storage.set_proposal_status(engine, first, "hidden", actor="moderator", reason="off topic")
    assert responses.published_responses(engine, consultation.id).empty
    storage.merge_proposals(engine, second, third, actor="moderator")
    with pytest.raises(storage.StoreError, match="merged"):
        responses.save_draft(engine, second, status="accepted", body="Yes.", actor="officer")


def test_milestones_only_for_accepted_proposals(engine, consultation):
    first, second, _ = _proposals(engine, consultation)
    responses.save_draft(engine, first, status="accepted", body="Yes.", actor="officer")
    responses.add_milestone(engine, first, title="Motion to conference", percent=50, actor="officer")
    with pytest.raises(storage.StoreError, match="0 to 100"):
        responses.add_milestone(engine, first, title="Too far", percent=150, actor="officer")
    responses.save_draft(engine, second, status="not_taken_forward", body="No.", actor="officer")
    with pytest.raises(storage.StoreError, match="accepted proposals"):
        responses.add_milestone(engine, second, title="x", percent=10, actor="officer")
    assert responses.published_milestones(engine, consultation.id).empty  # not published yet
    responses.publish(engine, [first], actor="officer")
    assert responses.published_milestones(engine, consultation.id)["percent"].tolist() == [50]


def test_member_sees_the_published_response_on_their_own_proposal(engine, consultation):
    member = storage.add_participant(engine, consultation.id, region="E12000001")
    mine = storage.add_proposal(engine, consultation.id, body="Devolve bus franchising powers", author_id=member.id)
    own = responses.own_proposals_with_responses(engine, consultation.id, member.id)
    assert own["response_status"].isna().all()
    responses.save_draft(engine, mine.id, status="referred", referred_to="Transport policy group",
                         body="Sent to the transport group.", actor="officer")
    assert responses.own_proposals_with_responses(engine, consultation.id, member.id)["response"].isna().all()
    responses.publish(engine, [mine.id], actor="officer")
    own = responses.own_proposals_with_responses(engine, consultation.id, member.id)
    assert own[["response_label", "referred_to"]].values.tolist() == [["Referred", "Transport policy group"]]


def _summary(rows):
    return pd.DataFrame(rows, columns=["proposal_id", "agree", "prob_all"]).set_index("proposal_id")


def test_thresholds_give_reasons():
    summary = _summary([(1, 40, 0.95), (2, 5, 0.2), (3, 12, 0.5)])
    votes = pd.DataFrame({"proposal_id": [3] * 12 + [2] * 3, "region": ["E12000001"] * 12 + ["N92000002"] * 3,
                          "value": [1] * 10 + [-1] * 2 + [1] * 3})
    rules = responses.Thresholds(min_supporters=30, everywhere_probability=0.9, region_share=0.8)
    found = answer_thresholds.crossing(summary, votes, rules, min_cell=10)
    assert set(found) == {1, 3}  # proposal 2's 3 Northern Ireland voters are too few to count
    assert "40 supporters" in found[1] and "every region is 95% likely" in found[1]
    assert "83% of 12 voters in North East" in found[3]
    assert answer_thresholds.crossing(summary, votes, responses.Thresholds(), min_cell=10) == {}


def test_crossing_a_threshold_enters_the_queue_once_and_leaves_when_answered(engine, consultation):
    first, second, _ = _proposals(engine, consultation)
    voters = [storage.add_participant(engine, consultation.id, region="E12000001") for _ in range(4)]
    for voter in voters:
        storage.cast_vote(engine, voter.id, first, 1)
    storage.cast_vote(engine, voters[0].id, second, 1)
    responses.set_thresholds(engine, consultation.id, responses.Thresholds(min_supporters=3), actor="officer")
    assert answers.refresh_queue(engine, consultation.id) == 1
    assert answers.refresh_queue(engine, consultation.id) == 0  # already queued; the first time is kept
    queue = responses.needs_answer(engine, consultation.id)
    assert queue["proposal_id"].tolist() == [first] and "4 supporters" in queue["obliged_reason"].iloc[0]
    assert queue["waited_days"].iloc[0] >= 0
    responses.save_draft(engine, first, status="accepted", body="Adopted.", actor="officer")
    assert len(responses.needs_answer(engine, consultation.id)) == 1  # a draft is not an answer
    responses.publish(engine, [first], actor="officer")
    assert responses.needs_answer(engine, consultation.id).empty
    with pytest.raises(storage.StoreError):
        responses.set_thresholds(engine, consultation.id, responses.Thresholds(everywhere_probability=1.5),
                                 actor="officer")


def test_spreadsheet_round_trip_with_bad_rows_reported(engine, consultation, tmp_path, capsys):
    first, second, third = _proposals(engine, consultation)
    sheet = tables.responses_table(engine, consultation.id)
    assert sheet["proposal"].tolist() == [first, second, third]
    sheet["status"] = ["Accepted in part", "not taken forward", "perhaps"]
    sheet["response"] = ["We agree with most of it.", "", "?"]
    extra = pd.DataFrame([{"proposal": "999999", "status": "Accepted", "response": "x"},
                          {"proposal": "", "status": "Accepted", "response": "x"}])
    frame = pd.concat([sheet.astype(str), extra], ignore_index=True)
    path = tmp_path / "responses.csv"
    frame.to_csv(path, index=False)
    rejected = tmp_path / "rejected.csv"
    code = cli.main(["responses", "import", str(consultation.id), str(path), "--publish", "--rejected-out",
                     str(rejected), "--db", str(engine.url.render_as_string(hide_password=False))])
    out = capsys.readouterr().out
    assert code == 1
    assert "5 rows: 2 applied as drafts, 3 not applied; 1 published" in out
    assert f"not published (a decision needs a response text): {second}" in out
    report = pd.read_csv(rejected, encoding="utf-8-sig")
    assert report["line"].tolist() == [4, 5, 6]
    assert "unknown status 'perhaps'" in report["reason"].iloc[0]
    assert responses.published_responses(engine, consultation.id)["proposal_id"].tolist() == [first]
    exported = tables.proposals_table(engine, consultation.id).set_index("proposal_id")
    assert exported.loc[first, "response_status"] == "Accepted in part"
    assert exported.loc[second, "response"] == ""  # a draft never leaves in the export


def test_import_needs_its_columns(engine, consultation):
    with pytest.raises(ValueError, match="needs the columns proposal, status, response"):
        answers.apply_responses_workbook(engine, consultation.id, pd.DataFrame({"id": [1]}), actor="t")


@pytest.mark.parametrize("typed, code", [("Accepted in part", "accepted_in_part"), ("NOT TAKEN FORWARD",
                                          "not_taken_forward"), ("already-policy", "already_policy"),
                                         ("Referred to", "referred"), ("sure", None)])
def test_status_spellings(typed, code):
    assert answers.status_code(typed) == code


def test_report_says_what_was_answered_and_by_region(engine, consultation):
    from consult.publishing import report

    first, second, _ = _proposals(engine, consultation)
    empty = report.build(engine, consultation.id)
    assert "0 of 3 published proposals have a published response" in empty
    assert "No proposal has crossed the consultation's thresholds" in empty
    voters = [storage.add_participant(engine, consultation.id, region="E12000001") for _ in range(3)]
    for voter in voters:
        storage.cast_vote(engine, voter.id, first, 1)
    responses.set_thresholds(engine, consultation.id, responses.Thresholds(min_supporters=3), actor="officer")
    answers.refresh_queue(engine, consultation.id)
    responses.save_draft(engine, first, status="accepted", body="Adopted <b>in full</b>.", actor="officer")
    responses.publish(engine, [first], actor="officer")
    html = report.build(engine, consultation.id)
    section = html.split("You said, we did")[1].split("Methods and caveats")[0]
    assert "1 of 3 published proposals have a published response" in section
    assert "Adopted &lt;b&gt;in full&lt;/b&gt;." in section  # staff text is escaped, never markup
    assert "3 supporters (threshold 3)" in section and "Responses by the author" in section
    assert "1 crossed a threshold that calls for an answer: 1 answered, <strong>0 awaiting an answer</strong>" in section
    leadership = html.split("What the party has answered")[1].split("</div>")[0]
    assert "published an answer to 1 of the 3 published proposals" in leadership
    assert "1 proposal crossed a threshold that calls for an answer: 1 answered" in leadership


def test_no_response_is_published_without_words_and_the_batch_shows_what_members_will_read(engine, consultation):
    """One click once published 36 drafts, all of them an empty "Under consideration"."""
    first, second, third = _proposals(engine, consultation)
    responses.save_draft(engine, first, status="under_consideration", actor="officer")  # a label, no words
    responses.save_draft(engine, second, status="under_consideration", body="The policy commission meets in May.",
                         actor="officer")
    responses.save_draft(engine, third, status="accepted", body="We will campaign for it.", actor="officer")
    with pytest.raises(storage.StoreError, match="Write the response before publishing"):
        responses.publish(engine, [first], actor="officer")
    ready = answers.unpublished_drafts(engine, consultation.id)
    assert ready == [second, third] and answers.drafts_without_words(engine, consultation.id) == 1
    preview = answers.publish_preview(engine, consultation.id, ready)
    assert preview["Decision"].tolist() == ["Under consideration", "Accepted"]
    assert preview["Response"].tolist() == ["The policy commission meets in May.", "We will campaign for it."]
    assert responses.publish(engine, ready, actor="officer") == 2
    assert answers.unpublished_drafts(engine, consultation.id) == []
