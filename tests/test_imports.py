"""Importing other tools' responses with a column mapping."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest
from conftest import shared_data

from consult import storage
from consult.cli import main as cli
from consult.intake import form_responses as imports
from consult.intake import polis


def test_mapping_validation_report():
    frame = pd.DataFrame({"id": ["a", "b", "c", "a", "d", "e"],
                          "answer": ["Buses matter", "", "Tax powers now", "Repeat id", "Rail please", "Ok then"],
                          "where": ["Wales", "Scotland", "Narnia", "Wales", "north east", "London"],
                          "stance": ["Strongly agree", "agree", "Disagree", "agree", "maybe", ""]})
    rows, report = imports.validate(frame, imports.Mapping(text="answer", region="where", respondent="id",
                                                           stance="stance"))
    assert rows["respondent"].tolist() == ["a", "c", "d", "e"]
    assert rows["stance"].tolist()[:2] == [1, -1] and rows["stance"].isna().tolist() == [False, False, True, True]
    reasons = dict(report.rejected)
    assert reasons[3] == "empty response" and "more than once" in reasons[5]
    assert report.blanked == [(6, "stance 'maybe' cannot be read as agree, disagree or neutral")]
    assert report.unknown_regions == {"Narnia": [4]}
    assert report.rows_in == report.accepted + len(report.rejected) == 6
    with pytest.raises(ValueError, match="not in the file"):
        imports.validate(frame, imports.Mapping(text="missing"))


def test_gambling_responses_import_with_their_regions(sqlite_engine):
    base = shared_data("themefinder-evals", "gambling_XS")
    responses = [json.loads(line) for line in (base / "inputs/question_part_1/responses.jsonl").open()]
    respondents = {r["response_id"]: r["demographic_data"]["Do you live in:"]
                   for r in map(json.loads, (base / "inputs/respondents.jsonl").open())}
    frame = pd.DataFrame({"response_id": [r["response_id"] for r in responses],
                          "response": [r["response"] for r in responses],
                          "region": [respondents[r["response_id"]] for r in responses]})
    report = imports.import_form_responses(sqlite_engine, frame, imports.Mapping(text="response", region="region",
                                                                           respondent="response_id"),
                                      title="Gambling adverts")
    assert report.accepted == len(frame) and not report.rejected
    people = storage.participants_frame(sqlite_engine, report.consultation_id)
    assert {"S92000003", "W92000004", "N92000002"} <= set(people["region"])
    assert "England" not in report.unknown_regions  # England is a nation, not a region: kept as not said


def test_polis_zip_import_refuses_bombs_and_traversal(sqlite_engine, tmp_path):
    with pytest.raises(polis.PolisFormatError, match="not a readable zip"):
        imports.import_polis_zip(sqlite_engine, b"not a zip", directory=tmp_path / "a")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("comments.csv", "0" * (imports.MAX_ZIP_BYTES + 10))
    with pytest.raises(polis.PolisFormatError, match="200 MB"):
        imports.import_polis_zip(sqlite_engine, buffer.getvalue(), directory=tmp_path / "b")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../evil/comments.csv", "timestamp,comment-id,author-id,moderated,comment-body\n"
                                                     "1,0,0,1,Hello world\n")
        archive.writestr("export/votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n")
    consultation_id = imports.import_polis_zip(sqlite_engine, buffer.getvalue(), directory=tmp_path / "c")
    assert (tmp_path / "c" / "comments.csv").exists() and not (tmp_path / "evil").exists()
    assert storage.counts(sqlite_engine, consultation_id).votes == 1


def test_a_messy_form_export_goes_in_with_every_row_accounted_for(sqlite_engine):
    from messy_form import messy_frame

    frame = messy_frame()
    mapping = imports.guess_mapping(frame)
    # guessed from headers and content: the long prose is the response, not the timestamp before it
    assert mapping.text == "What should a regional assembly be able to decide?"
    assert mapping.region == "Where do you live?"
    assert mapping.stance == "How strongly do you support this? (1-5)"
    assert mapping.respondent == "Membership number (optional)"
    report = imports.import_form_responses(sqlite_engine, frame, mapping, title="Form export", long_answer_chars=2_000)
    assert report.rows_in == 62 == report.accepted + len(report.rejected)
    assert sorted(report.rejected) == [(7, "empty response"), (11, "empty response"),
                                       (32, "respondent 'M1029' appears more than once")]
    blanked = dict(report.blanked)
    assert set(blanked) == {15, 21}  # the formula and "five!!"; "not sure really??" reads as neutral
    assert report.long_answers == [13]
    assert report.unknown_regions == {"Atlantis": [23], "=cmd|' /C calc'!A0": [25]}
    people = storage.participants_frame(sqlite_engine, report.consultation_id)
    proposals = storage.proposals_frame(sqlite_engine, report.consultation_id)
    assert len(people) == len(proposals) == 59
    long_text = frame.loc[11, mapping.text].strip()
    assert len(long_text) > 4_900 and (proposals["body"] == long_text).sum() == 1  # kept whole, not cut
    # every spelling of a real region was matched: only the two unknown rows are "prefer not to say"
    from consult import regions
    assert (people["region"] == regions.UNDISCLOSED).sum() == 2
    assert {"W92000004", "N92000002", "E12000003", "S92000003", "E12000007", "E12000001"} <= set(people["region"])
    notes = report.notes_frame()
    assert set(notes["row"]) == {7, 11, 32, 15, 21, 13, 23, 25}
    summary = "\n".join(report.summary())
    assert "62 rows in: 59 accepted, 3 rejected" in summary and "could not be read" in summary
    # the form's Timestamp column dates each response (UK wall time, November: GMT), and the summary says so
    assert mapping.created == "Timestamp"
    assert "from the column 'How strongly do you support this? (1-5)'" in summary
    assert "When each response was made: from the column 'Timestamp'" in summary
    first = frame.iloc[0]
    expected = int(pd.Timestamp(first["Timestamp"].replace("/", "-"), tz="Europe/London").value // 1_000_000)
    author = people.loc[people["external_id"] == (str(first[mapping.respondent]).strip() or "row-2")]
    assert author["created_ms"].tolist() == [expected]
    assert proposals.loc[proposals["author_id"] == author["id"].iloc[0], "created_ms"].tolist() == [expected]


def test_stance_mapping_edited_by_hand_and_regions_mapped_by_hand():
    frame = pd.DataFrame({"text": ["Buses", "Trams", "Rail"], "where": ["Kernow", "Wales", "Kernow"],
                          "support": ["4", "4", "maybe"]})
    mapping = imports.Mapping(text="text", region="where", stance="support",
                              stance_values={"4": 0, "maybe": 1}, region_values={"Kernow": "E12000009"})
    rows, report = imports.validate(frame, mapping)
    assert rows["stance"].tolist() == [0, 0, 1]
    assert rows["region"].tolist() == ["E12000009", "W92000004", "E12000009"]
    assert not report.unknown_regions and not report.blanked


def test_guess_mapping_refuses_an_empty_file():
    with pytest.raises(ValueError, match="no rows"):
        imports.guess_mapping(pd.DataFrame({"a": []}))


def test_a_general_attitude_column_is_not_guessed_as_each_respondents_stance():
    frame = pd.DataFrame({
        "Your idea": ["Buses run by the region", "A Welsh bank", "Tax powers for Scotland", "Elected mayors"] * 3,
        "Overall, do you support devolution?": ["Agree", "Disagree", "Agree", "Strongly agree"] * 3,
        "Where do you live?": ["London", "Wales", "Scotland", "North East"] * 3})
    assert imports.guess_mapping(frame).stance is None
    own = frame.rename(columns={"Overall, do you support devolution?": "How strongly do you support your idea?"})
    assert imports.guess_mapping(own).stance == "How strongly do you support your idea?"


def test_the_cli_never_guesses_the_chosen_response_column_as_another_role(sqlite_engine, tmp_path, capsys):
    frame = pd.DataFrame({"Your stance on this": ["Agree", "Disagree", "Agree", "Agree"] * 3,
                          "Region": ["London", "Wales", "Scotland", "North East"] * 3})
    path = tmp_path / "short.csv"
    frame.to_csv(path, index=False)
    url = sqlite_engine.url.render_as_string(hide_password=False)
    assert cli.main(["import", str(path), "--db", url, "--text-col", "Your stance on this"]) == 0
    assert "stance column guessed" not in capsys.readouterr().out


def test_a_timestamp_column_dates_each_response_and_unreadable_times_are_listed(sqlite_engine):
    frame = pd.DataFrame({
        "Timestamp": ["15/07/2026 14:00:00", "2026-03-01T09:30:00Z", "yesterday-ish", "2026/11/02 10:00:00 am GMT"],
        "What should the region decide?": ["Buses and trams for the city region", "A Welsh development bank",
                                           "Tax powers for the Scottish parliament", "Elected mayors for counties"],
        "Where do you live?": ["London", "Wales", "Scotland", "North East"]})
    mapping = imports.guess_mapping(frame)
    assert mapping.created == "Timestamp" and mapping.stance is None
    report = imports.import_form_responses(sqlite_engine, frame, mapping, title="Dated")
    proposals = storage.proposals_frame(sqlite_engine, report.consultation_id).sort_values("id")
    as_utc = pd.to_datetime(proposals["created_ms"], unit="ms", utc=True).dt.strftime("%Y-%m-%d %H:%M").tolist()
    assert as_utc[:2] == ["2026-07-15 13:00", "2026-03-01 09:30"]  # summer UK time is BST; Z is UTC
    assert as_utc[3] == "2026-11-02 10:00"
    assert report.unread_times == [(4, "yesterday-ish")]
    notes = report.notes_frame()
    assert notes.loc[notes["row"] == 4, "what happened"].tolist() == ["time not read"]
    assert "1 could not be read" in "\n".join(report.summary())
    assert "they start with no votes" in "\n".join(report.summary())
    assert abs(proposals["created_ms"].iloc[2] - storage.now_ms()) < 60_000  # unread: dated at the import
    future = frame.assign(Timestamp=["01/01/2099 10:00"] * 4)
    _, report = imports.validate(future, imports.Mapping(text="What should the region decide?", created="Timestamp"))
    assert len(report.unread_times) == 4  # a time in the future is not believed
    from consult.intake import form_times

    year_first = form_times.read_times(pd.Series(["2026/11/12 10:39:00", "12/11/2026 10:39", "3/15/26 10:00"]))
    assert pd.to_datetime(year_first, unit="ms", utc=True).dt.strftime("%Y-%m-%d").tolist() == [
        "2026-11-12", "2026-11-12", "2026-03-15"]  # year first, day first, and month first only where it must be
