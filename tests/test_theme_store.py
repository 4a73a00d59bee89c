"""Saving theme runs so that ids and officers' corrections survive re-runs."""

from __future__ import annotations

import pytest

from consult import storage
from consult.demo import consultation as demo
from consult.storage import themes as theme_store
from consult.text import embeddings


@pytest.fixture
def consultation_id(engine):
    data = demo.generate(seed=11, n_participants=200, n_proposals=400)
    return demo.install(engine, seed=11, data=data)


def _primary(engine, consultation_id):
    frame = theme_store.assignments_frame(engine, consultation_id)
    return frame[frame["rank"] == 1].set_index("proposal_id")["theme_id"]


def test_rename_survives_a_rerun_and_ids_are_stable(engine, consultation_id):
    theme_store.run(engine, consultation_id)
    themes = theme_store.themes_frame(engine, consultation_id)
    target = themes[~themes["is_other"]].iloc[0]
    theme_store.rename(engine, int(target["id"]), "Buses & <b>trains</b>", actor="officer")
    before = set(themes["id"])
    theme_store.run(engine, consultation_id)
    after = theme_store.themes_frame(engine, consultation_id)
    assert after.set_index("id").loc[int(target["id"]), "label"] == "Buses & <b>trains</b>"
    assert len(before & set(after["id"])) >= 0.8 * len(before)
    assert "theme_rename" in storage.audit_frame(engine, consultation_id)["action"].tolist()


@pytest.mark.skipif(not embeddings.available(), reason="names are judged with the wordllama sentence vectors")
def test_a_run_records_the_names_it_left_out(engine, consultation_id):
    model = theme_store.run(engine, consultation_id)
    assert model.incidental_names_  # the demo's members name their towns in passing
    audit = storage.audit_frame(engine, consultation_id)
    detail = audit.loc[audit["action"] == "theme_run", "detail"].iloc[-1]
    assert "Names mentioned in passing, left out of the themes: " in detail
    assert model.incidental_names_[0] in detail


def test_move_and_merge_are_respected_by_later_runs(engine, consultation_id):
    theme_store.run(engine, consultation_id)
    themes = theme_store.themes_frame(engine, consultation_id)
    real = themes[~themes["is_other"]]
    a, b = int(real.iloc[0]["id"]), int(real.iloc[1]["id"])
    primary = _primary(engine, consultation_id)
    moved = int(primary[primary == a].index[0])
    theme_store.move_proposal(engine, moved, b, actor="officer")
    theme_store.merge(engine, int(real.iloc[2]["id"]), a, actor="officer")
    theme_store.run(engine, consultation_id)
    primary = _primary(engine, consultation_id)
    assert primary[moved] == b
    assert int(real.iloc[2]["id"]) not in set(theme_store.themes_frame(engine, consultation_id)["id"])
    with pytest.raises(storage.StoreError, match="itself"):
        theme_store.merge(engine, a, a, actor="officer")


def test_split_makes_a_new_theme_that_persists(engine, consultation_id):
    theme_store.run(engine, consultation_id)
    biggest = theme_store.themes_frame(engine, consultation_id).iloc[0]
    new_id = theme_store.split(engine, int(biggest["id"]), actor="officer")
    sizes = theme_store.themes_frame(engine, consultation_id).set_index("id")["size"]
    assert sizes[new_id] > 0 and sizes[int(biggest["id"])] > 0
    theme_store.run(engine, consultation_id)
    assert theme_store.themes_frame(engine, consultation_id).set_index("id")["size"][new_id] == sizes[new_id]


def test_bad_edits_are_refused(engine, consultation_id):
    theme_store.run(engine, consultation_id)
    theme_id = int(theme_store.themes_frame(engine, consultation_id).iloc[0]["id"])
    with pytest.raises(storage.StoreError, match="needs a name"):
        theme_store.rename(engine, theme_id, "   ", actor="officer")
    with pytest.raises(storage.NotFound):
        theme_store.rename(engine, 99999, "x", actor="officer")
    with pytest.raises(storage.NotFound):
        theme_store.move_proposal(engine, 99999, theme_id, actor="officer")
