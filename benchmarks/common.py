"""Helpers shared by the benchmarks: scratch databases and timing."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from consult import storage
from consult.storage import db

POSTGRES_URL = os.environ.get("CONSULT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def scratch_engine(backend: str) -> Iterator:
    """A migrated, empty database on `backend` ('sqlite' or 'postgres'), removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            engine = db.make_engine(f"sqlite:///{tmp}/bench.db")
            storage.init_db(engine)
            yield engine
            engine.dispose()
        return
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"consult_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = db.make_engine(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
    try:
        storage.init_db(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def row(*cells: object, widths: tuple[int, ...] = (34, 12, 14, 12)) -> str:
    return "".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=False)))


def load_synthetic(engine, consultation_id: int, bodies: list[str], *, n_people: int, n_votes: int,
                   rng) -> None:
    """Participants in random regions, proposals with the given bodies, and random votes (no event log)."""
    import numpy as np
    import pandas as pd

    from consult import regions
    from consult.storage import bulk

    n_props = len(bodies)
    people = pd.DataFrame({"external_id": [f"m{i}" for i in range(n_people)],
                           "region": rng.choice(regions.region_codes(), size=n_people)})
    props = pd.DataFrame({"external_id": [f"p{i}" for i in range(n_props)],
                          "author_external_id": [f"m{i % n_people}" for i in range(n_props)], "body": bodies})
    per = n_votes // n_people
    voter = np.repeat(np.arange(n_people), per)
    target = np.concatenate([rng.choice(n_props, size=per, replace=False) for _ in range(n_people)])
    votes = pd.DataFrame({"participant_external_id": [f"m{i}" for i in voter],
                          "proposal_external_id": [f"p{i}" for i in target],
                          "value": rng.choice([-1, 0, 1], size=len(voter)), "created_ms": 0})
    bulk.load(engine, consultation_id, participants=people, proposals=props, votes=votes, events=votes.iloc[:0])
