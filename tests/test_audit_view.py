"""The audit log in words: actions named, objects by name, no raw codes or 'nan'."""

from __future__ import annotations

from consult import storage
from consult.publishing import audit_view
from consult.storage import responses
from consult.storage import themes as theme_store


def test_the_log_reads_as_sentences(engine, consultation):
    first = storage.add_proposal(engine, consultation.id, body="Devolve bus franchising to the regions",
                                 author_id=None)
    for text in ("Regional rail under the assembly", "Cap bus fares in the region", "Council homes built at scale",
                 "Rent controls set by the region", "Votes at sixteen for assembly elections"):
        storage.add_proposal(engine, consultation.id, body=text, author_id=None)
    storage.set_proposal_status(engine, first.id, "hidden", actor="olivia", reason="duplicate of another")
    storage.set_phase(engine, consultation.id, "voting", actor="fran")
    responses.save_draft(engine, first.id, status="accepted", body="Yes.", actor="olivia")
    theme_store.run(engine, consultation.id, actor="olivia")
    themes = theme_store.themes_frame(engine, consultation.id)
    theme_store.rename(engine, int(themes["id"].iloc[0]), "Buses and trains", actor="olivia")
    log = audit_view.readable_log(engine, consultation.id)
    text = log.to_csv()
    assert "nan" not in text and "theme_run" not in text and "status:hidden" not in text
    rows = {row.What: row for row in log.itertuples()}
    assert rows["Hid a proposal"].Which.startswith(f"proposal #{first.id} “Devolve bus franchising")
    assert rows["Hid a proposal"].Reason == "duplicate of another"
    assert rows["Found themes"].Which == ""
    assert rows["Renamed a theme"].Which == "theme “Buses and trains”"
    assert rows["Changed the phase"].Detail == "collecting proposals -> voting only"
    assert rows["Drafted a response"].Detail == "none -> accepted"
    assert rows["Created the consultation"].Which == "“Test consultation”"
