"""Themes in the database: saving a run so ids and officers' edits survive re-runs, and the edits themselves.

A re-run matches each new theme to the existing theme holding most of its proposals (at least `match_above`
of them); several new themes may match one old theme, which is how an officer's merge survives. Matched themes
keep their id, and their label when an officer edited it. Officer assignments (moves, splits) are kept as they
are: the model's suggestions never override them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, delete, func, select, update

from consult.storage import db, reads
from consult.storage import schema as s
from consult.storage.audit import audit
from consult.storage.errors import NotFound, StoreError
from consult.storage.records import now_ms
from consult.text.cleaning import clean_text
from consult.themes import incidental_names
from consult.themes.model import OTHER, OTHER_LABEL, ThemeModel


def _other_theme(conn, consultation_id: int, stamp: int) -> int:
    found = conn.execute(select(s.themes.c.id).where(
        s.themes.c.consultation_id == consultation_id, s.themes.c.is_other)).scalar()
    if found is not None:
        return found
    return conn.execute(s.themes.insert().values(
        consultation_id=consultation_id, label=OTHER_LABEL, is_other=True, keywords="", created_ms=stamp,
        updated_ms=stamp)).inserted_primary_key[0]


def _matching_theme(old: pd.DataFrame, members: set, match_above: float) -> int | None:
    """The stored theme that held at least `match_above` of this new theme's proposals last run, if any."""
    if not len(old) or not members:
        return None
    overlap = old[old["proposal_id"].isin(members)].groupby("theme_id").size()
    if len(overlap) and overlap.max() / len(members) >= match_above:
        return int(overlap.idxmax())
    return None


def _store_themes(conn, consultation_id: int, model: ThemeModel, primary: pd.DataFrame, old: pd.DataFrame,
                  themes_now: dict, stamp: int, match_above: float) -> dict[int, int]:
    """Model theme -> database theme: a new theme that matches a stored one updates it (an officer's label stays),
    a second new theme inside one old theme stays merged with the first, any other is inserted."""
    mapping: dict[int, int] = {OTHER: _other_theme(conn, consultation_id, stamp)}
    for row in model.themes_.itertuples():
        if row.theme == OTHER:
            continue
        match = _matching_theme(old, set(primary.loc[primary["theme"] == row.theme, "proposal_id"]), match_above)
        keywords = ", ".join(row.keywords)
        coherence = float(row.coherence) if pd.notna(row.coherence) else None
        if match is None:
            mapping[row.theme] = conn.execute(s.themes.insert().values(
                consultation_id=consultation_id, label=row.label, keywords=keywords, coherence=coherence,
                created_ms=stamp, updated_ms=stamp)).inserted_primary_key[0]
            continue
        if match not in mapping.values():
            values = {"keywords": keywords, "coherence": coherence, "active": True, "updated_ms": stamp}
            if not themes_now[match].label_edited:
                values["label"] = row.label
            conn.execute(update(s.themes).where(s.themes.c.id == match).values(**values))
        mapping[row.theme] = match
    return mapping


def _store_assignments(conn, consultation_id: int, assignments: pd.DataFrame, mapping: dict[int, int]) -> int:
    """Replace the model's assignments (an officer's stay), ranks renumbered after merges. Returns rows written."""
    pinned = set(conn.execute(select(s.theme_assignments.c.proposal_id).where(
        s.theme_assignments.c.consultation_id == consultation_id,
        s.theme_assignments.c.source == "officer")).scalars())
    conn.execute(delete(s.theme_assignments).where(
        s.theme_assignments.c.consultation_id == consultation_id, s.theme_assignments.c.source == "model"))
    rows = assignments[~assignments["proposal_id"].isin(pinned)].copy()
    rows["theme_id"] = rows["theme"].map(mapping)
    rows = rows.sort_values(["proposal_id", "rank"]).drop_duplicates(["proposal_id", "theme_id"])
    rows["rank"] = rows.groupby("proposal_id").cumcount() + 1
    records = [{"consultation_id": consultation_id, "proposal_id": int(p), "theme_id": int(t),
                "score": float(min(max(sc, 0.0), 1.0)), "rank": int(r), "source": "model"}
               for p, t, sc, r in rows[["proposal_id", "theme_id", "score", "rank"]].itertuples(index=False)]
    for start in range(0, len(records), 20_000):
        conn.execute(s.theme_assignments.insert(), records[start:start + 20_000])
    return len(records)


def save_run(engine: Engine, consultation_id: int, model: ThemeModel, proposal_ids: list[int], *,
             actor: str = "theme run", match_above: float = 0.5) -> dict[int, int]:
    """Store a fitted model's themes and assignments; returns model theme -> database theme id."""
    stamp = now_ms()
    proposal_ids = np.asarray(proposal_ids)
    assignments = model.assignments_.assign(proposal_id=proposal_ids[model.assignments_["text"].to_numpy()])
    primary = assignments[assignments["rank"] == 1]
    with db.writing(engine) as conn:
        old = pd.DataFrame(conn.execute(
            select(s.theme_assignments.c.proposal_id, s.theme_assignments.c.theme_id, s.theme_assignments.c.source)
            .join(s.themes, s.themes.c.id == s.theme_assignments.c.theme_id)
            .where(s.theme_assignments.c.consultation_id == consultation_id, s.theme_assignments.c.rank == 1,
                   s.themes.c.active, ~s.themes.c.is_other)
        ).all(), columns=["proposal_id", "theme_id", "source"])
        themes_now = {row.id: row for row in conn.execute(
            select(s.themes).where(s.themes.c.consultation_id == consultation_id))}
        mapping = _store_themes(conn, consultation_id, model, primary, old, themes_now, stamp, match_above)
        kept = set(mapping.values())
        retired = [tid for tid, row in themes_now.items() if tid not in kept and row.active and not row.is_other
                   and not _has_officer_assignments(conn, tid)]
        if retired:
            conn.execute(update(s.themes).where(s.themes.c.id.in_(retired)).values(active=False, updated_ms=stamp))
        written = _store_assignments(conn, consultation_id, assignments, mapping)
        left_out = incidental_names.in_words(model.incidental_names_)
        audit(conn, consultation_id, actor, "theme_run",
              detail=f"{model.k_} themes, {written} assignments" + (f". {left_out}" if left_out else ""))
    return mapping


def _has_officer_assignments(conn, theme_id: int) -> bool:
    return conn.execute(select(s.theme_assignments.c.proposal_id).where(
        s.theme_assignments.c.theme_id == theme_id, s.theme_assignments.c.source == "officer").limit(1)).first() \
        is not None


def run(engine: Engine, consultation_id: int, *, actor: str = "theme run", **params) -> ThemeModel:
    """Fit themes on the consultation's published proposals and save them."""
    proposals = reads.proposals_frame(engine, consultation_id, statuses=("published",))
    model = ThemeModel(**params).fit(proposals["body"].tolist(), proposals["region"].fillna("UNDISCLOSED").tolist())
    save_run(engine, consultation_id, model, proposals["id"].tolist(), actor=actor)
    return model


def themes_frame(engine: Engine, consultation_id: int, *, include_inactive: bool = False) -> pd.DataFrame:
    """Themes with their primary-assignment size, largest first ('Other' last)."""
    sizes = (select(s.theme_assignments.c.theme_id, func.count().label("size"))
             .where(s.theme_assignments.c.consultation_id == consultation_id, s.theme_assignments.c.rank == 1)
             .group_by(s.theme_assignments.c.theme_id).subquery())
    query = (select(s.themes.c.id, s.themes.c.label, s.themes.c.label_edited, s.themes.c.keywords,
                    s.themes.c.coherence, s.themes.c.is_other, s.themes.c.active, s.themes.c.checked_by,
                    sizes.c.size)
             .outerjoin(sizes, sizes.c.theme_id == s.themes.c.id)
             .where(s.themes.c.consultation_id == consultation_id))
    if not include_inactive:
        query = query.where(s.themes.c.active)
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    frame["size"] = frame["size"].fillna(0).astype(int)
    frame["checked"] = frame["checked_by"].notna()
    return frame.sort_values(["is_other", "size"], ascending=[True, False]).reset_index(drop=True)


def assignments_frame(engine: Engine, consultation_id: int) -> pd.DataFrame:
    query = select(s.theme_assignments).where(s.theme_assignments.c.consultation_id == consultation_id)
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def _theme(conn, theme_id: int):
    row = conn.execute(select(s.themes).where(s.themes.c.id == theme_id)).first()
    if row is None:
        raise NotFound("That theme does not exist.")
    return row


def rename(engine: Engine, theme_id: int, label: str, *, actor: str) -> None:
    label = clean_text(label)
    if not label:
        raise StoreError("A theme needs a name.")
    if len(label) > 200:
        raise StoreError("Theme names are at most 200 characters.")
    with db.writing(engine) as conn:
        theme = _theme(conn, theme_id)
        stamp = now_ms()
        # naming a theme is reading it: it counts as checked by that officer
        conn.execute(update(s.themes).where(s.themes.c.id == theme_id)
                     .values(label=label, label_edited=True, updated_ms=stamp, checked_by=actor[:120],
                             checked_ms=stamp))
        audit(conn, theme.consultation_id, actor, "theme_rename", "theme", theme_id,
                    detail=f"{theme.label} -> {label}")


def mark_checked(engine: Engine, theme_id: int, *, actor: str, checked: bool = True) -> None:
    """An officer confirms a theme after reading its proposals (or takes the confirmation back)."""
    if checked and not actor.strip():
        raise StoreError("Say who checked the theme.")
    with db.writing(engine) as conn:
        theme = _theme(conn, theme_id)
        stamp = now_ms()
        conn.execute(update(s.themes).where(s.themes.c.id == theme_id).values(
            checked_by=actor[:120] if checked else None, checked_ms=stamp if checked else None, updated_ms=stamp))
        audit(conn, theme.consultation_id, actor, "theme_checked" if checked else "theme_unchecked", "theme",
              theme_id, detail=theme.label[:200])


def merge(engine: Engine, source_id: int, target_id: int, *, actor: str) -> None:
    """Fold one theme into another: its proposals move (as officer decisions) and it is retired."""
    if source_id == target_id:
        raise StoreError("A theme cannot be merged into itself.")
    with db.writing(engine) as conn:
        source, target = _theme(conn, source_id), _theme(conn, target_id)
        if source.consultation_id != target.consultation_id:
            raise StoreError("Both themes must belong to the same consultation.")
        moving = conn.execute(select(s.theme_assignments).where(s.theme_assignments.c.theme_id == source_id)).all()
        already = set(conn.execute(select(s.theme_assignments.c.proposal_id)
                                   .where(s.theme_assignments.c.theme_id == target_id)).scalars())
        conn.execute(delete(s.theme_assignments).where(s.theme_assignments.c.theme_id == source_id))
        for row in moving:
            if row.proposal_id in already:
                continue
            conn.execute(s.theme_assignments.insert().values(
                consultation_id=row.consultation_id, proposal_id=row.proposal_id, theme_id=target_id,
                score=row.score, rank=row.rank, source="officer"))
        conn.execute(update(s.themes).where(s.themes.c.id == source_id).values(active=False, updated_ms=now_ms()))
        audit(conn, source.consultation_id, actor, "theme_merge", "theme", source_id,
                    detail=f"{source.label} into {target.label} ({target_id})")


def move_proposal(engine: Engine, proposal_id: int, theme_id: int, *, actor: str) -> None:
    """Put a proposal in a theme by hand; later runs keep it there."""
    with db.writing(engine) as conn:
        theme = _theme(conn, theme_id)
        proposal = conn.execute(select(s.proposals.c.consultation_id).where(s.proposals.c.id == proposal_id)).first()
        if proposal is None or proposal.consultation_id != theme.consultation_id:
            raise NotFound("That proposal is not in this theme's consultation.")
        conn.execute(delete(s.theme_assignments).where(s.theme_assignments.c.proposal_id == proposal_id))
        conn.execute(s.theme_assignments.insert().values(
            consultation_id=theme.consultation_id, proposal_id=proposal_id, theme_id=theme_id, score=1.0, rank=1,
            source="officer"))
        audit(conn, theme.consultation_id, actor, "theme_move", "proposal", proposal_id,
                    detail=f"to {theme.label} ({theme_id})")


def split(engine: Engine, theme_id: int, *, actor: str, random_state: int = 0) -> int:
    """Split a theme in two by clustering its proposals; returns the new theme's id."""
    with engine.connect() as conn:
        theme = _theme(conn, theme_id)
        members = pd.read_sql(
            select(s.proposals.c.id, s.proposals.c.body)
            .join(s.theme_assignments, and_(s.theme_assignments.c.proposal_id == s.proposals.c.id,
                                            s.theme_assignments.c.theme_id == theme_id))
            .order_by(s.proposals.c.id), conn)
    if len(members) < 4:
        raise StoreError("A theme needs at least four proposals to be split.")
    model = ThemeModel(n_themes=2, min_theme_size=2, semantic=False, merge_above=1.01,
                       random_state=random_state).fit(members["body"].tolist())
    if model.k_ < 2:
        raise StoreError("These proposals are too alike to split automatically; move them by hand instead.")
    second = members["id"].to_numpy()[model.labels_ == 1]
    label = model.themes_.set_index("theme").loc[1, "label"]
    stamp = now_ms()
    with db.writing(engine) as conn:
        new_id = conn.execute(s.themes.insert().values(
            consultation_id=theme.consultation_id, label=label, keywords=", ".join(
                model.themes_.set_index("theme").loc[1, "keywords"]), created_ms=stamp, updated_ms=stamp)
        ).inserted_primary_key[0]
        conn.execute(update(s.theme_assignments).where(
            s.theme_assignments.c.theme_id == theme_id, s.theme_assignments.c.proposal_id.in_(second.tolist())
        ).values(theme_id=new_id, source="officer"))
        conn.execute(update(s.theme_assignments).where(s.theme_assignments.c.theme_id == theme_id)
                     .values(source="officer"))
        audit(conn, theme.consultation_id, actor, "theme_split", "theme", theme_id,
                    detail=f"{len(second)} proposals to new theme {new_id} ({label})")
    return new_id
