"""The two fields that say who a consultation or a ballot is for (regions, local parties from the roll)."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from consult import regions
from consult.storage import roll
from consult.storage.scopes import WHOLE_PARTY, Scope


def scope_fields(engine: Engine, *, key: str, current: Scope = WHOLE_PARTY,
                 local_note: str = "") -> tuple[list[str], list[str]]:
    """Region codes and local parties chosen (both empty: the whole party). Check them with `Scope.checked`."""
    chosen_regions = st.multiselect("Only members in these regions (empty: the whole party)", regions.region_codes(),
                                    default=list(current.regions), format_func=regions.region_name,
                                    key=f"{key}_regions")
    parties = sorted(set(roll.local_parties(engine)) | set(current.local_parties))
    chosen_parties = st.multiselect(f"Only members of these local parties (empty: all){local_note}", parties,
                                    default=list(current.local_parties), key=f"{key}_local_parties",
                                    help=None if parties else "Local parties come from the membership list: load it "
                                                              "on the Membership page first.")
    return chosen_regions, chosen_parties
