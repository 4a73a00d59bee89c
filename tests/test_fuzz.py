"""Hostile input, generated: every form handler and importer either accepts or says what is wrong, never crashes,
and never leaves half a write behind. Row counts of every table are compared before and after each attempt."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from consult import regions, storage
from consult.access import staff_sign_in as auth
from consult.intake import form_responses as imports
from consult.intake import polis
from consult.intake import spreadsheets as tables
from consult.publishing import files
from consult.storage import db
from consult.storage import schema as s
from consult.storage import themes as theme_store
from consult.text.cleaning import clean_text

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
# any text: control characters, surrogate-free unicode, markup, formulas, very long runs
TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.sampled_from(["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2", "@SUM(A1)", "<script>alert(1)</script>",
                     "**bold** [x](javascript:alert(1))", "\x00\x01\x1b[31m", "\u202e\u200b", "' OR 1=1 --"]),
    st.integers(1000, 200_000).map(lambda n: "a" * n),
)
EXPECTED = (ValueError,)
csv.field_size_limit(1 << 24)  # the exports hold long texts; Python's csv reader caps fields at 128 KB  # StoreError, TableError, PolisFormatError and BaselineError are all ValueErrors


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in s.metadata.sorted_tables}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
    storage.init_db(engine)
    consultation = storage.create_consultation(engine, title="Fuzz", question="Anything?", join_code="FUZZOI",
                                             min_chars=5, max_chars=500, max_proposals_per_participant=10_000)
    member = storage.add_participant(engine, consultation.id, region="E12000001")
    proposal = storage.add_proposal(engine, consultation.id, body="A first proposal to vote on", author_id=None,
                                  is_seed=True)
    yield engine, consultation, member, proposal
    engine.dispose()


def _attempt(engine, action):
    """Run a handler; on a refusal, nothing may have changed and the message must be a real sentence."""
    before = _counts(engine)
    try:
        return action()
    except EXPECTED as exc:
        assert len(str(exc).strip()) >= 10, repr(exc)
        assert _counts(engine) == before, f"a refused write changed the database: {exc}"
        return None


@SETTINGS
@given(body=TEXT, tier=st.sampled_from([*s.TIERS, "", "galaxy"]))
def test_propose_form(world, body, tier):
    engine, consultation, member, _ = world
    saved = _attempt(engine, lambda: storage.add_proposal(engine, consultation.id, body=body, author_id=member.id,
                                                        tier=tier))
    if saved is not None:
        assert saved.body == clean_text(body) and 5 <= len(saved.body) <= 500
        assert all(ch == "\n" or ord(ch) >= 32 for ch in saved.body)


@SETTINGS
@given(region=st.one_of(st.sampled_from(regions.answer_codes()), st.text(max_size=20)), constituency=TEXT)
def test_join_form(world, region, constituency):
    engine, consultation, *_ = world
    joined = _attempt(engine, lambda: storage.add_participant(engine, consultation.id, region=region,
                                                            constituency=constituency))
    assert (joined is not None) == (region in regions.answer_codes())
    if joined is not None:
        assert joined.constituency is None or len(joined.constituency) <= 120


@SETTINGS
@given(code=TEXT)
def test_join_code_lookup(world, code):
    engine, consultation, *_ = world
    found = _attempt(engine, lambda: storage.find_consultation(engine, code))
    assert found is None or found.id == consultation.id


@SETTINGS
@given(value=st.integers(-5, 5), proposal_offset=st.integers(-3, 3))
def test_vote_handler(world, value, proposal_offset):
    engine, _, member, proposal = world
    _attempt(engine, lambda: storage.cast_vote(engine, member.id, proposal.id + proposal_offset, value))
    assert storage.participant_votes(engine, member.id).get(proposal.id, 0) in (-1, 0, 1)


@SETTINGS
@given(title=TEXT, question=TEXT, code=st.one_of(st.none(), TEXT), min_chars=st.integers(-5, 600),
       max_chars=st.integers(-5, 20_000), limit=st.integers(-2, 50))
def test_new_consultation_form(world, title, question, code, min_chars, max_chars, limit):
    engine, *_ = world
    _attempt(engine, lambda: storage.create_consultation(engine, title=title, question=question, join_code=code,
                                                       min_chars=min_chars, max_chars=max_chars,
                                                       max_proposals_per_participant=limit))


@SETTINGS
@given(label=TEXT)
def test_theme_rename_form(world, label):
    engine, consultation, *_ = world
    theme_id = world_theme(engine, consultation.id)
    _attempt(engine, lambda: theme_store.rename(engine, theme_id, label, actor="fuzz"))
    with engine.connect() as conn:
        stored = conn.execute(select(s.themes.c.label).where(s.themes.c.id == theme_id)).scalar()
    assert 1 <= len(stored) <= 200


def world_theme(engine, consultation_id: int) -> int:
    with engine.connect() as conn:
        found = conn.execute(select(s.themes.c.id).where(s.themes.c.consultation_id == consultation_id)).scalar()
    if found is not None:
        return found
    with db.writing(engine) as conn:
        return conn.execute(s.themes.insert().values(consultation_id=consultation_id, label="Theme", created_ms=1,
                                                     updated_ms=1)).inserted_primary_key[0]


@SETTINGS
@given(name=TEXT, password=TEXT)
def test_sign_in_form(name, password):
    accounts = {"olivia": auth.Account("olivia", "officer", auth.hash_password("correct horse battery"))}
    with pytest.raises(PermissionError) as refused:
        auth.sign_in(accounts, auth.Throttle(), name, password)
    assert "correct horse" not in str(refused.value) and refused.value.args[0]


# -- importers -------------------------------------------------------------------------------------------------

def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


CELL = st.one_of(TEXT.filter(lambda t: len(t) < 2000), st.integers().map(str), st.just(""))


@SETTINGS
@given(data=st.one_of(st.binary(max_size=3000), st.lists(st.lists(CELL, min_size=1, max_size=5), max_size=8).map(_csv),
                      st.text(max_size=500).map(lambda t: t.encode("utf-16")),
                      st.text(max_size=500).map(lambda t: t.encode("cp1252", errors="ignore"))),
       suffix=st.sampled_from([".csv", ".xlsx", ".txt", ""]))
def test_response_file_reader(data, suffix):
    try:
        frame = tables.read_table(data=data, name=f"upload{suffix}")
    except tables.TableError as exc:
        assert str(exc).startswith("upload") or "column" in str(exc)
        return
    assert len(frame) >= 1 and all(isinstance(c, str) for c in frame.columns)


@SETTINGS
@given(rows=st.lists(st.tuples(CELL, CELL, CELL, CELL), min_size=1, max_size=12))
def test_response_import(world, rows):
    engine, *_ = world
    frame = pd.DataFrame(rows, columns=["response", "region", "id", "stance"])
    mapping = imports.Mapping(text="response", region="region", respondent="id", stance="stance")
    report = _attempt(engine, lambda: imports.import_form_responses(engine, frame, mapping, title="Fuzz import"))
    if report is not None:
        assert report.accepted + len(report.rejected) == len(rows)
        assert storage.counts(engine, report.consultation_id).proposals == report.accepted


def _polis_zip(comments: bytes, votes: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/comments.csv", comments)
        archive.writestr("export/votes.csv", votes)
    return buffer.getvalue()


COMMENTS = st.lists(st.tuples(st.one_of(st.integers(0, 5).map(str), CELL), st.integers(0, 3).map(str),
                              st.sampled_from(["1", "0", "-1", "", "x"]), CELL), max_size=6).map(
    lambda rows: _csv([["comment-id", "author-id", "moderated", "comment-body"], *map(list, rows)]))
VOTES = st.lists(st.tuples(st.integers(0, 10**13).map(str), st.one_of(st.integers(0, 5).map(str), CELL),
                           st.integers(0, 3).map(str), st.sampled_from(["1", "-1", "0", "2", "x"])), max_size=8).map(
    lambda rows: _csv([["timestamp", "comment-id", "voter-id", "vote"], *map(list, rows)]))


@SETTINGS
@given(data=st.one_of(st.binary(max_size=2000), st.builds(_polis_zip, COMMENTS, VOTES),
                      st.builds(_polis_zip, st.binary(max_size=200), st.binary(max_size=200))))
def test_polis_zip_import(world, tmp_path_factory, data):
    engine, *_ = world
    folder = tmp_path_factory.mktemp("polis")
    _attempt(engine, lambda: imports.import_polis_zip(engine, data, directory=folder))


@SETTINGS
@given(data=st.one_of(st.binary(max_size=500), st.lists(st.tuples(CELL, CELL), max_size=14).map(
    lambda rows: _csv([["region", "members"], *map(list, rows)]))))
def test_baseline_upload(data):
    try:
        baseline = regions.parse_baseline_csv(data)
    except regions.BaselineError as exc:
        assert str(exc)
        return
    assert set(baseline.index) == set(regions.region_codes()) and (baseline >= 0).all() and baseline.sum() > 0


# -- bombs and limits ------------------------------------------------------------------------------------------

def _bomb(name: str, size: int) -> bytes:
    """A zip a few hundred KB long whose member unpacks to `size` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open(name, "w",
                                                                                      force_zip64=True) as out:
        chunk = bytes(1 << 20)
        for _ in range(size >> 20):
            out.write(chunk)
    return buffer.getvalue()


def test_zip_bombs_are_refused_before_unpacking(world, tmp_path):
    engine, *_ = world
    before = _counts(engine)
    bomb = _bomb("comments.csv", imports.MAX_ZIP_BYTES + (1 << 20))
    assert len(bomb) < 1_000_000
    with pytest.raises(polis.PolisFormatError, match="more than 200 MB"):
        imports.import_polis_zip(engine, bomb, directory=tmp_path / "bomb")
    assert not (tmp_path / "bomb" / "comments.csv").exists()
    workbook = _bomb("xl/worksheets/sheet1.xml", tables.MAX_UNPACKED + (1 << 20))
    with pytest.raises(tables.TableError, match="unpacks to"):
        tables.read_table(data=workbook, name="responses.xlsx")
    assert _counts(engine) == before


def test_zip_paths_cannot_escape_the_folder(world, tmp_path):
    engine, *_ = world
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../comments.csv", "comment-id,author-id,moderated,comment-body\n1,1,1,Hello there\n")
        archive.writestr("/etc/votes.csv", "timestamp,comment-id,voter-id,vote\n1,1,1,1\n")
    imports.import_polis_zip(engine, buffer.getvalue(), directory=tmp_path / "inside")
    assert sorted(p.name for p in (tmp_path / "inside").iterdir()) == ["comments.csv", "votes.csv"]
    assert not (tmp_path / "comments.csv").exists()


def test_uploads_over_the_limit_are_refused(tmp_path):
    with pytest.raises(tables.TableError, match="larger than 200 MB"):
        tables.read_table(data=b"a" * (tables.MAX_BYTES + 1), name="huge.csv")
    config = (Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text()
    assert "maxUploadSize = 20" in config  # the server refuses bigger uploads before our code sees them


@SETTINGS
@given(body=TEXT)
def test_spreadsheet_cells_never_run_as_formulas(body):
    frame = pd.DataFrame({"text": [body]})
    header, *rows = csv.reader(io.StringIO(files.csv_bytes(frame, files.passthrough_schema(frame)).decode("utf-8-sig"), newline=""))
    assert header == ["text"]
    for row in rows:
        assert not row or not row[0].startswith(("=", "+", "-", "@", "\t", "\r"))
