"""Storage: SQLAlchemy Core over SQLite (embedded default) or PostgreSQL, one module per idea.

- `db`: engines, transactions, the upsert written once, migrations; `schema`: the tables.
- `consultations`, `participants`, `proposals`, `moderation`, `votes`: the writes, one transaction each.
- `visibility`: the one rule for what a member (or the room) may see; `changes`: cache invalidation.
- `reads`: frames for analysis and staff pages; `tallies`: running per-region counts for live views.
- `audit`, `baselines`, `themes`, `bulk`, `sign_in`; `personal_data` (what is personal) and `erasure`.
- `shown`: which proposals each member was shown on the vote page (for the selection check).

The names below are the storage API most callers need: `from consult import storage; storage.cast_vote(...)`.
"""

from consult.storage.audit import audit, audit_frame
from consult.storage.baselines import (
    MEMBERSHIP,
    baseline,
    baseline_for,
    baseline_name_for,
    init_db,
    save_baseline,
    sync_reference_data,
)
from consult.storage.consultations import (
    JOIN_CODE_ALPHABET,
    PRESENTABLE_PHASES,
    PROPOSAL_PHASES,
    VOTING_PHASES,
    create_consultation,
    delete_consultation,
    find_consultation,
    find_presentable,
    get_consultation,
    list_consultations,
    normalise_join_code,
    set_phase,
    set_scope,
    update_settings,
)
from consult.storage.errors import (
    HeldForReview,
    NotFound,
    Refused,
    StoreError,
    Unavailable,
    retry_on_disconnect,
)
from consult.storage.moderation import merge_proposals, set_proposal_status
from consult.storage.participants import add_participant, participant_by_token
from consult.storage.proposals import (
    add_proposal,
    check_proposal_text,
    get_proposal,
    proposal_author,
    proposals_written,
)
from consult.storage.reads import (
    Counts,
    counts,
    participants_frame,
    proposals_frame,
    vote_events_frame,
    votes_fingerprint,
    votes_frame,
)
from consult.storage.records import Consultation, Participant, Proposal, now_ms
from consult.storage.scopes import WHOLE_PARTY, Scope
from consult.storage.shown import record_shown, shown_frame
from consult.storage.votes import VOTE_VALUES, cast_vote, participant_votes

__all__ = [
    "MEMBERSHIP", "baseline_for", "baseline_name_for",
    "Consultation", "Counts", "HeldForReview", "JOIN_CODE_ALPHABET", "NotFound", "PRESENTABLE_PHASES", "PROPOSAL_PHASES",
    "Participant", "Proposal", "Refused", "StoreError", "Unavailable", "VOTE_VALUES", "VOTING_PHASES",
    "add_participant", "add_proposal", "audit", "audit_frame", "baseline", "cast_vote", "check_proposal_text",
    "counts", "create_consultation", "delete_consultation", "find_consultation", "find_presentable",
    "get_consultation", "get_proposal", "init_db", "list_consultations", "merge_proposals",
    "normalise_join_code", "now_ms", "participant_by_token", "participant_votes", "participants_frame",
    "proposal_author", "proposals_frame", "proposals_written", "record_shown", "retry_on_disconnect", "save_baseline",
    "Scope", "WHOLE_PARTY", "set_phase", "set_proposal_status", "set_scope", "sync_reference_data",
    "shown_frame", "update_settings", "vote_events_frame",
    "votes_fingerprint", "votes_frame",
]
