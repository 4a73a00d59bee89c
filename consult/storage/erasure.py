"""Erasure on request, driven by the personal-data map (`personal_data.PERSONAL_DATA`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, or_, select, update

from consult.storage import changes, db, tallies
from consult.storage import schema as s
from consult.storage.audit import audit
from consult.storage.errors import NotFound
from consult.storage.personal_data import DELETE, PERSONAL_DATA, REBUILD, REPLACE, SCRUB, SET_NULL, Entry
from consult.storage.records import now_ms

REMOVED_TEXT = "[Removed at the author's request]"
ERASED_NOTE = "[erased on request]"
_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Erasure:
    votes_removed: int
    proposals_anonymised: int
    proposals_removed: int
    votes_on_removed_proposals: int


@dataclass
class _Subject:
    participant_id: int
    consultation_id: int
    own: list[int]
    removed: list[int]
    removed_texts: list[str] = field(default_factory=list)
    themes_of_removed: set[int] = field(default_factory=set)
    member_key: str | None = None
    counts: dict[tuple[str, str], int] = field(default_factory=dict)


def erase_participant(engine: Engine, participant_id: int, *, actor: str, reason: str = "",
                      remove_proposals: bool = False) -> Erasure:
    """Erase a participant in one transaction, doing what the personal-data map says for each table.

    Their votes, vote history and registration go; their proposals lose their author, region and external id,
    and are kept (anonymised) or, with `remove_proposals`, emptied, hidden and stripped of votes, theme
    assignments and theme words only they supplied. Tallies are rebuilt; caches are told after the commit.
    """
    p, pr, v = s.participants, s.proposals, s.votes
    with db.writing(engine) as conn:
        consultation_id = conn.execute(select(p.c.consultation_id).where(p.c.id == participant_id)).scalar()
        if consultation_id is None:
            raise NotFound(f"There is no participant {participant_id} (already erased?).")
        own = list(conn.execute(select(pr.c.id).where(pr.c.author_id == participant_id)).scalars())
        subject = _Subject(participant_id, consultation_id, own, own if remove_proposals else [],
                           member_key=conn.execute(select(p.c.member_key).where(p.c.id == participant_id)).scalar())
        if subject.removed:
            subject.removed_texts = list(conn.execute(select(pr.c.body).where(pr.c.id.in_(subject.removed)))
                                         .scalars())
            subject.themes_of_removed = set(conn.execute(select(s.theme_assignments.c.theme_id).where(
                s.theme_assignments.c.proposal_id.in_(subject.removed))).scalars())
        touched = set(conn.execute(select(v.c.proposal_id).where(v.c.participant_id == participant_id)).scalars())
        touched |= set(own)
        rebuild = False
        for entry in PERSONAL_DATA:
            if entry.action == REBUILD:
                rebuild = True
                continue
            subject.counts[(entry.table, entry.scope)] = _apply(conn, entry, subject)
        if rebuild and touched:
            tallies.rebuild(conn, consultation_id, sorted(touched))
        changes.bump(conn, consultation_id)
        result = Erasure(
            votes_removed=subject.counts.get(("votes", "their rows"), 0),
            proposals_anonymised=0 if remove_proposals else len(own),
            proposals_removed=len(subject.removed),
            votes_on_removed_proposals=subject.counts.get(("votes", "their removed proposals"), 0))
        audit(conn, consultation_id, actor, "erase", "participant", participant_id, reason=reason,
              detail=f"{result.votes_removed} votes removed; {len(own)} proposals "
                     f"{'removed' if remove_proposals else 'anonymised'}")
    return result


def _apply(conn: Connection, entry: Entry, subject: _Subject) -> int:
    table = s.metadata.tables[entry.table]
    if entry.scope == "their removed proposals" and not subject.removed:
        return 0
    if entry.action == SCRUB:
        return _scrub_themes(conn, subject)
    where = _rows(table, entry.scope, subject)
    if entry.action == DELETE:
        return conn.execute(delete(table).where(where)).rowcount
    if entry.action == SET_NULL:
        return conn.execute(update(table).where(where).values({c: None for c in entry.columns})).rowcount
    if entry.action == REPLACE and entry.table == "proposals":
        return conn.execute(update(table).where(where).values(
            body=REMOVED_TEXT, dedupe_key=None, status="hidden", merged_into_id=None, updated_ms=now_ms())).rowcount
    if entry.action == REPLACE:
        return conn.execute(update(table).where(where).values({c: ERASED_NOTE for c in entry.columns})).rowcount
    raise ValueError(f"the personal-data map names an action erasure does not know: {entry}")


def _rows(table, scope: str, subject: _Subject):
    if scope == "participant":
        return table.c.id == subject.participant_id
    if scope == "their rows":
        return table.c.participant_id == subject.participant_id
    if scope == "their proposals":
        return table.c.id.in_(subject.own)
    if scope == "their removed proposals":
        column = table.c.id if table.name == "proposals" else table.c.proposal_id
        return column.in_(subject.removed)
    if scope == "about them":
        return or_((table.c.target_type == "participant") & (table.c.target_id == subject.participant_id),
                   (table.c.target_type == "proposal") & table.c.target_id.in_(list(subject.own) or [-1]))
    if scope == "their member key":
        # only the ballots of this consultation: the key is per consultation, so no other ballot holds it anyway
        return table.c.member_key == (subject.member_key or "")
    raise ValueError(f"the personal-data map names a scope erasure does not know: {scope}")


def _scrub_themes(conn: Connection, subject: _Subject) -> int:
    """Drop theme keywords (and model-made labels) that only the removed proposals supplied."""
    ta, th, pr = s.theme_assignments, s.themes, s.proposals
    theme_ids = subject.themes_of_removed  # read before the map's entries removed their assignments
    removed_words = " ".join(subject.removed_texts).lower()
    scrubbed = 0
    for theme in conn.execute(select(th).where(th.c.id.in_(theme_ids))).all():
        others = " ".join(conn.execute(
            select(pr.c.body).join(ta, ta.c.proposal_id == pr.c.id)
            .where(ta.c.theme_id == theme.id, pr.c.id.not_in(subject.removed))).scalars()).lower()
        keywords = [k.strip() for k in theme.keywords.split(",") if k.strip()]
        kept = [k for k in keywords if not _only_theirs(k, removed_words, others)]
        values = {}
        if kept != keywords:
            values["keywords"] = ", ".join(kept)
        if not theme.label_edited and _only_theirs(theme.label, removed_words, others):
            values["label"] = kept[0].capitalize() if kept else "Unnamed theme (re-run theme finding)"
        if values:
            conn.execute(update(th).where(th.c.id == theme.id).values(**values, updated_ms=now_ms()))
            scrubbed += 1
    return scrubbed


def _only_theirs(phrase: str, removed_words: str, others: str) -> bool:
    """True when a word of `phrase` occurs in the removed texts and in no other text of the theme (substring
    tests, as theme keywords may be stems: 'requir' is in 'require')."""
    return any(w in removed_words and w not in others for w in _WORD.findall(phrase.lower()))
