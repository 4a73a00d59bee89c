"""Importing other tools' responses with a column mapping."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest
from conftest import shared_data

from consult import imports, polis, storage


def test_mapping_validation_report():
    frame = pd.DataFrame({"id": ["a", "b", "c", "a", "d", "e"],
                          "answer": ["Buses matter", "", "Tax powers now", "Repeat id", "Rail please", "Ok then"],
                          "where": ["Wales", "Scotland", "Narnia", "Wales", "north east", "London"],
                          "stance": ["Strongly agree", "agree", "Disagree", "agree", "maybe", ""]})
    rows, report = imports.validate(frame, imports.Mapping(text="answer", region="where", respondent="id",
                                                           stance="stance"))
    assert rows["respondent"].tolist() == ["a", "c", "e"]
    assert rows["stance"].tolist()[:2] == [1, -1]
    reasons = dict(report.rejected)
    assert reasons[3] == "empty response" and "more than once" in reasons[5] and "Likert" in reasons[6]
    assert report.unknown_regions == {"Narnia": 1}
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
    report = imports.import_responses(sqlite_engine, frame, imports.Mapping(text="response", region="region",
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
