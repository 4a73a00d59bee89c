"""Pseudonyms for participants in exports: keyed with the server secret, so nobody can reverse them.

A pseudonym is HMAC-SHA256(server secret, consultation, participant) cut to 16 hex digits: stable across
exports of one consultation (an officer can answer an erasure request by it), unrelated between consultations,
and not computable from anything in an export or the database.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Engine, select

from consult.keys import keyed_hash
from consult.storage import schema as s

PREFIX = "P"
LENGTH = 16


def pseudonym(consultation_id: int, participant_id: int) -> str:
    return PREFIX + keyed_hash("pseudonym", consultation_id, participant_id)[:LENGTH]


def pseudonyms(consultation_id: int, participant_ids: Iterable[int]) -> dict[int, str]:
    return {int(pid): pseudonym(consultation_id, int(pid)) for pid in set(participant_ids)}


def export_numbers(consultation_id: int, participant_ids: Iterable[int]) -> dict[int, int]:
    """Small integers for formats that need them (Polis's voter-id): numbered in keyed-hash order, so the number
    says nothing about the database id or the order people joined."""
    ids = sorted(set(map(int, participant_ids)), key=lambda pid: keyed_hash("export-number", consultation_id, pid))
    return {pid: number for number, pid in enumerate(ids)}


def find_participant(engine: Engine, consultation_id: int, name: str) -> int | None:
    """The participant behind an export's pseudonym (an officer answering an erasure request), or None."""
    name = name.strip()
    if len(name) != len(PREFIX) + LENGTH or name[0].upper() != PREFIX:
        return None
    with engine.connect() as conn:
        ids = conn.execute(select(s.participants.c.id).where(s.participants.c.consultation_id == consultation_id))
        wanted = PREFIX + name[1:].lower()
        for (participant_id,) in ids:
            if pseudonym(consultation_id, participant_id) == wanted:
                return participant_id
    return None


def pseudonymise(frame: pd.DataFrame, consultation_id: int, column: str = "participant_id",
                 into: str = "participant") -> pd.DataFrame:
    """`frame` with the id column replaced by pseudonyms."""
    names = pseudonyms(consultation_id, frame[column].unique())
    out = frame.drop(columns=[column])
    out.insert(0, into, frame[column].map(names))
    return out
