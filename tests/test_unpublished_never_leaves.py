"""Pending, hidden and merged proposals never leave in a public file: report quotes, proposals CSV and XLSX, votes,
the Polis zip. The moderation export is the one file that carries them, and its name and first line say so."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from consult import storage
from consult.cli import main as cli
from consult.demo import consultation as demo
from consult.publishing import polis_export, report, tables
from consult.storage import moderation
from consult.storage import themes as theme_store

PENDING = "My neighbour John Smith at 12 Acacia Avenue is a crook"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from consult.storage import db

    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('unpublished') / 'c.db'}")
    storage.init_db(engine)
    consultation_id = demo.install(engine, seed=5, data=demo.generate(seed=5, n_participants=200, n_proposals=300))
    theme_store.run(engine, consultation_id)
    # hide the proposal each theme would quote first (the one nearest its centre), after the themes were found
    assignments = theme_store.assignments_frame(engine, consultation_id)
    first = assignments[assignments["rank"] == 1].sort_values("score", ascending=False).groupby("theme_id").head(1)
    hidden_ids = [int(pid) for pid in first["proposal_id"]]
    for pid in hidden_ids:
        moderation.set_proposal_status(engine, pid, "hidden", actor="officer", reason="test")
    member = storage.add_participant(engine, consultation_id, region="E12000007")
    pending = storage.add_proposal(engine, consultation_id, body=PENDING, author_id=member.id)
    moderation.set_proposal_status(engine, pending.id, "pending", actor="officer", reason="held for a look")
    hidden_texts = storage.proposals_frame(engine, consultation_id).set_index("id").loc[hidden_ids, "body"].tolist()
    yield engine, consultation_id, hidden_texts, pending
    engine.dispose()


def test_the_report_never_quotes_a_hidden_or_pending_proposal(world):
    engine, consultation_id, hidden_texts, _ = world
    page = report.build(engine, consultation_id)
    assert "<blockquote>" in page  # themes are still quoted, from what is published
    for text in [*hidden_texts, PENDING]:
        assert text.replace("'", "&#x27;") not in page and text not in page


def test_public_exports_carry_published_proposals_only(world, tmp_path):
    engine, consultation_id, hidden_texts, pending = world
    unpublished = [*hidden_texts, PENDING]
    csv_text = tables.proposals_csv(engine, consultation_id).decode("utf-8-sig")
    workbook = openpyxl.load_workbook(io.BytesIO(tables.workbook(engine, consultation_id)))
    cells = " ".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row)
    with zipfile.ZipFile(io.BytesIO(polis_export.polis_zip(engine, consultation_id))) as archive:
        polis_text = " ".join(archive.read(name).decode("utf-8") for name in archive.namelist())
        comment_ids = archive.read("comments.csv").decode().splitlines()
    for text in unpublished:
        assert text not in csv_text and text not in cells and text not in polis_text
    assert len(comment_ids) - 1 == storage.counts(engine, consultation_id).published
    votes = tables.votes_table(engine, consultation_id)
    published_ids = set(storage.proposals_frame(engine, consultation_id, statuses=("published",))["id"])
    assert set(votes["proposal_id"]) <= published_ids


def test_the_moderation_export_says_what_it_is_and_carries_everything(world, tmp_path, capsys):
    engine, consultation_id, hidden_texts, _ = world
    data = tables.moderation_csv(engine, consultation_id).decode("utf-8-sig")
    assert data.splitlines()[0].strip('"').startswith("MODERATION EXPORT")
    for text in [*hidden_texts, PENDING]:
        assert text in data
    url = engine.url.render_as_string(hide_password=False)
    out = tmp_path / "moderation.csv"
    assert cli.main(["export", str(consultation_id), "--db", url, "--out", str(out), "--moderation"]) == 0
    assert "MODERATION" in capsys.readouterr().out and PENDING in out.read_text(encoding="utf-8-sig")
    assert cli.main(["export", str(consultation_id), "--db", url, "--out", str(tmp_path / "m.xlsx"),
                     "--moderation"]) == 2
