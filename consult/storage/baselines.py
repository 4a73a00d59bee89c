"""Baselines to compare participation with: the population by region (loaded on start) or an uploaded one."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, delete, func, select

from consult import regions
from consult.storage import db
from consult.storage import schema as s
from consult.storage.audit import audit
from consult.storage.errors import NotFound, StoreError
from consult.text.cleaning import clean_text


def init_db(engine: Engine) -> None:
    """Create or migrate the schema and load the reference data (regions, population baseline)."""
    db.upgrade(engine)
    sync_reference_data(engine)


def sync_reference_data(engine: Engine) -> None:
    frame = regions.regions()
    rows = [{"code": r.code, "name": r.name, "is_uk_region": True} for r in frame.itertuples()]
    rows += [{"code": code, "name": name, "is_uk_region": False} for code, name in regions.OTHER_ANSWERS.items()]
    with db.writing(engine) as conn:
        existing = set(conn.execute(select(s.regions.c.code)).scalars())
        new_rows = [row for row in rows if row["code"] not in existing]
        if new_rows:
            conn.execute(s.regions.insert(), new_rows)
        if conn.execute(select(func.count()).where(s.baselines.c.name == "population")).scalar_one() == 0:
            conn.execute(
                s.baselines.insert(),
                [
                    {"name": "population", "region": r.code, "count": float(r.population),
                     "source": "Census 2021 (ONS, NISRA), Scotland's Census 2022 (NRS)"}
                    for r in frame.itertuples()
                ],
            )


MEMBERSHIP = "membership"  # saved with every load of the roll (storage.roll)


def baseline_name_for(engine: Engine, consultation) -> str:
    """The baseline a consultation is compared with and weighted to: the one an officer chose; by default the
    party's membership once a roll is loaded (a party consultation speaks for its members), else the population."""
    if consultation.baseline != "population":
        return consultation.baseline
    with engine.connect() as conn:
        has_roll = conn.execute(select(s.baselines.c.region).where(s.baselines.c.name == MEMBERSHIP)
                                .limit(1)).first() is not None
    return MEMBERSHIP if has_roll else "population"


def baseline_for(engine: Engine, consultation) -> pd.Series:
    return baseline(engine, baseline_name_for(engine, consultation))


def baseline(engine: Engine, name: str = "population") -> pd.Series:
    """Baseline counts by region code for the 12 regions."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(s.baselines.c.region, s.baselines.c.count).where(s.baselines.c.name == name)
        ).all()
    if not rows:
        raise NotFound(f"There is no baseline called {name!r}.")
    return pd.Series(dict(rows), dtype="float64").reindex(regions.region_codes()).fillna(0.0)


def save_baseline(engine: Engine, name: str, counts_by_region: pd.Series, *, source: str, actor: str) -> None:
    name = clean_text(name)[:40]
    if not name:
        raise StoreError("Give the baseline a name.")
    unknown = set(counts_by_region.index) - set(regions.region_codes())
    if unknown:
        raise StoreError(f"Unknown regions in the baseline: {', '.join(sorted(map(str, unknown)))}.")
    with db.writing(engine) as conn:
        conn.execute(delete(s.baselines).where(s.baselines.c.name == name))
        conn.execute(s.baselines.insert(), [
            {"name": name, "region": code, "count": float(value), "source": source}
            for code, value in counts_by_region.items()
        ])
        audit(conn, None, actor, "save_baseline", None, None, detail=f"{name}: {source}")
