"""Join codes the facilitator chooses are kept as typed or refused with the reason; a QR code that only this
machine could open is flagged; the README's demo member verifies."""

from __future__ import annotations

import pytest

from consult import storage
from consult.demo import roll as demo_roll
from consult.live import qr


def test_a_chosen_code_with_0_or_1_is_refused_with_the_reason_not_changed_silently(sqlite_engine):
    with pytest.raises(storage.StoreError, match="LEEDS1 would become LEEDSI"):
        storage.create_consultation(sqlite_engine, title="Leeds", question="Q?", join_code="LEEDS1")
    made = storage.create_consultation(sqlite_engine, title="Leeds", question="Q?", join_code="leeds-2")
    assert made.join_code == "LEEDS2"
    # members may still type 0 for O and 1 for I when a code has O or I
    storage.create_consultation(sqlite_engine, title="Devo", question="Q?", join_code="DEVOIO")
    assert storage.find_consultation(sqlite_engine, "dev0 1o").join_code == "DEVOIO"


def test_local_addresses_are_flagged_for_the_qr_code():
    for url in ("http://localhost:8501/?join=X", "http://127.0.0.1:8501", "http://[::1]:8501", "0.0.0.0:8501"):
        assert qr.is_local_address(url)
    for url in ("https://consult.party.org/?join=X", "http://192.0.2.10:8501"):
        assert not qr.is_local_address(url)


def test_the_readme_demo_member_is_on_the_demo_roll():
    first = demo_roll.synthetic_roll(2026).iloc[0]
    assert (first["membership_number"], first["postcode"]) == ("DM000001", "ZZ99 9XH")
