"""The database schema as SQLAlchemy Core tables. Migrations in `consult/storage/migrations` create it."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from consult.storage.schema_base import metadata, one_of

PHASES = ("draft", "collecting", "voting", "results", "closed")
MODERATION_MODES = ("post", "pre")
TIERS = ("uk", "nation", "region", "local")
PROPOSAL_STATUSES = ("pending", "published", "hidden", "merged")
CHANNELS = ("online", "meeting", "import")
ACCESS_MODES = ("open", "members", "mixed")

_one_of = one_of


# Timestamps are integer milliseconds since the epoch (UTC): exact, portable across SQLite and PostgreSQL,
# and the unit Polis exports use, so imported vote logs keep their order.

regions = Table(
    "regions",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("is_uk_region", Boolean, nullable=False),
)

consultations = Table(
    "consultations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("join_code", String(12), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("question", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("phase", String(16), nullable=False, server_default="collecting"),
    Column("moderation", String(8), nullable=False, server_default="post"),
    Column("min_chars", Integer, nullable=False, server_default="20"),
    Column("max_chars", Integer, nullable=False, server_default="500"),
    Column("max_proposals_per_participant", Integer, nullable=False, server_default="10"),
    Column("results_visible", Boolean, nullable=False, server_default="1"),
    Column("baseline", String(40), nullable=False, server_default="population"),
    Column("source", String(40), nullable=False, server_default="consult"),
    Column("created_ms", BigInteger, nullable=False),
    # bumped whenever what members may see changes (storage.changes): caches of member views are keyed by it
    Column("visibility_version", Integer, nullable=False, server_default="0"),
    # the smallest number of people any published figure may describe (small-cell suppression)
    Column("min_cell", Integer, nullable=False, server_default="10"),
    # who may join: anyone with the code (open), members on the roll only, or both (mixed; figures can be
    # shown for verified members only)
    Column("access", String(8), nullable=False, server_default="open"),
    # who it is for (storage.scopes): comma-separated region codes and local parties; empty means the whole party
    Column("scope_regions", Text, nullable=False, server_default=""),
    Column("scope_local_parties", Text, nullable=False, server_default=""),
    CheckConstraint(_one_of("phase", PHASES), name="phase"),
    # a local party can only be checked against the roll, so a local-party scope needs verified members only
    CheckConstraint("scope_local_parties = '' OR access = 'members'", name="local_scope_verified"),
    CheckConstraint(_one_of("access", ACCESS_MODES), name="access"),
    CheckConstraint(_one_of("moderation", MODERATION_MODES), name="moderation"),
    CheckConstraint("min_chars >= 1 AND max_chars >= min_chars AND max_chars <= 10000", name="lengths"),
    CheckConstraint("max_proposals_per_participant >= 1", name="proposal_limit"),
    CheckConstraint("min_cell >= 2", name="min_cell"),
    CheckConstraint("length(title) >= 1 AND length(question) >= 1", name="not_blank"),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False),
    Column("token", String(64), nullable=False, unique=True),
    Column("region", ForeignKey("regions.code"), nullable=False),
    Column("constituency", String(120)),
    Column("verified", Boolean, nullable=False, server_default="0"),
    Column("channel", String(16), nullable=False, server_default="online"),
    Column("external_id", String(64)),
    Column("consented_ms", BigInteger),
    Column("created_ms", BigInteger, nullable=False),
    # a verified member: a keyed hash of (consultation, membership number), so one member is one participant
    # per consultation and participants of different consultations cannot be linked without the server secret
    Column("member_key", String(64)),
    UniqueConstraint("consultation_id", "external_id"),
    UniqueConstraint("consultation_id", "member_key"),
    # lets votes and proposals reference (consultation, participant) pairs so they cannot cross consultations
    UniqueConstraint("id", "consultation_id"),
    CheckConstraint(_one_of("channel", CHANNELS), name="channel"),
    Index(None, "consultation_id", "region"),
)

proposals = Table(
    "proposals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Integer),
    Column("region", ForeignKey("regions.code")),
    Column("tier", String(8), nullable=False, server_default="uk"),
    Column("body", Text, nullable=False),
    # normalised text for the exact-duplicate rule; NULL only for imported texts that repeat an earlier one
    Column("dedupe_key", String(64)),
    Column("status", String(12), nullable=False, server_default="published"),
    Column("merged_into_id", ForeignKey("proposals.id")),
    Column("is_seed", Boolean, nullable=False, server_default="0"),
    Column("is_meta", Boolean, nullable=False, server_default="0"),
    Column("external_id", String(64)),
    Column("created_ms", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    ForeignKeyConstraint(
        ["author_id", "consultation_id"], ["participants.id", "participants.consultation_id"],
        name="fk_proposals_author_participants",
    ),
    UniqueConstraint("consultation_id", "dedupe_key"),
    UniqueConstraint("consultation_id", "external_id"),
    UniqueConstraint("id", "consultation_id"),
    CheckConstraint(_one_of("tier", TIERS), name="tier"),
    CheckConstraint(_one_of("status", PROPOSAL_STATUSES), name="status"),
    CheckConstraint(
        "(status = 'merged' AND merged_into_id IS NOT NULL AND merged_into_id <> id)"
        " OR (status <> 'merged' AND merged_into_id IS NULL)",
        name="merge_target",
    ),
    CheckConstraint("length(body) >= 1", name="body_not_blank"),
    Index(None, "consultation_id", "status"),
    Index(None, "author_id"),
)

votes = Table(
    "votes",
    metadata,
    Column("consultation_id", Integer, nullable=False),
    Column("participant_id", Integer, primary_key=True),
    Column("proposal_id", Integer, primary_key=True),
    Column("value", SmallInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    ForeignKeyConstraint(
        ["participant_id", "consultation_id"], ["participants.id", "participants.consultation_id"],
        ondelete="CASCADE", name="fk_votes_participant_participants",
    ),
    ForeignKeyConstraint(
        ["proposal_id", "consultation_id"], ["proposals.id", "proposals.consultation_id"],
        ondelete="CASCADE", name="fk_votes_proposal_proposals",
    ),
    CheckConstraint("value IN (-1, 0, 1)", name="value"),
    Index(None, "consultation_id"),
    Index(None, "proposal_id"),
    # the app servers' copies of the votes read only what changed since their last read (consult.live.vote_mirror)
    Index(None, "consultation_id", "updated_ms"),
)

vote_events = Table(
    "vote_events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("consultation_id", Integer, nullable=False),
    Column("participant_id", Integer, nullable=False),
    Column("proposal_id", Integer, nullable=False),
    Column("value", SmallInteger, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    ForeignKeyConstraint(
        ["participant_id", "consultation_id"], ["participants.id", "participants.consultation_id"],
        ondelete="CASCADE", name="fk_vote_events_participant_participants",
    ),
    ForeignKeyConstraint(
        ["proposal_id", "consultation_id"], ["proposals.id", "proposals.consultation_id"],
        ondelete="CASCADE", name="fk_vote_events_proposal_proposals",
    ),
    CheckConstraint("value IN (-1, 0, 1)", name="value"),
    Index(None, "consultation_id", "created_ms"),
    Index(None, "participant_id", "proposal_id"),
)

themes = Table(
    "themes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(200), nullable=False),
    # an officer's label is kept by later re-runs
    Column("label_edited", Boolean, nullable=False, server_default="0"),
    Column("keywords", Text, nullable=False, server_default=""),
    # mean cosine of the theme's proposals to its centre at the last run (None for "Other" and officer themes)
    Column("coherence", Float, nullable=True),
    Column("is_other", Boolean, nullable=False, server_default="0"),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("created_ms", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    # an officer read the theme's proposals and confirmed it (or named it): only then may a report call it checked
    Column("checked_by", String(120)),
    Column("checked_ms", BigInteger),
    CheckConstraint("(checked_by IS NULL) = (checked_ms IS NULL)", name="checked_together"),
    UniqueConstraint("id", "consultation_id"),
    Index(None, "consultation_id"),
)

theme_assignments = Table(
    "theme_assignments",
    metadata,
    Column("consultation_id", Integer, nullable=False),
    Column("proposal_id", Integer, primary_key=True),
    Column("theme_id", Integer, primary_key=True),
    Column("score", Float, nullable=False),
    Column("rank", SmallInteger, nullable=False),
    # 'officer' assignments are corrections that later runs keep
    Column("source", String(8), nullable=False, server_default="model"),
    ForeignKeyConstraint(
        ["proposal_id", "consultation_id"], ["proposals.id", "proposals.consultation_id"],
        ondelete="CASCADE", name="fk_theme_assignments_proposal_proposals",
    ),
    ForeignKeyConstraint(
        ["theme_id", "consultation_id"], ["themes.id", "themes.consultation_id"],
        ondelete="CASCADE", name="fk_theme_assignments_theme_themes",
    ),
    CheckConstraint("rank BETWEEN 1 AND 3", name="rank"),
    CheckConstraint("score >= 0 AND score <= 1", name="score"),
    CheckConstraint(_one_of("source", ("model", "officer")), name="source"),
    Index(None, "theme_id"),
    Index(None, "consultation_id"),
)

baselines = Table(
    "baselines",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("region", ForeignKey("regions.code"), primary_key=True),
    Column("count", Float, nullable=False),
    Column("source", Text, nullable=False, server_default=""),
    CheckConstraint("count >= 0", name="count"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE")),
    Column("actor", String(120), nullable=False),
    Column("action", String(40), nullable=False),
    Column("target_type", String(20)),
    Column("target_id", Integer),
    Column("reason", Text, nullable=False, server_default=""),
    Column("detail", Text, nullable=False, server_default=""),
    Column("created_ms", BigInteger, nullable=False),
    Index(None, "consultation_id", "created_ms"),
)

# Running tallies for live views: kept up to date inside every vote's transaction (store.cast_vote), rebuilt
# by bulk loads and merges. `log_gic` is the sum over the 12 regions of log((agree + 1) / (votes + 2)), so
# cross-region consensus is exp(log_gic / 12) and the best proposals come straight off an index.
proposal_region_tallies = Table(
    "proposal_region_tallies",
    metadata,
    Column("consultation_id", Integer, nullable=False),
    Column("proposal_id", Integer, primary_key=True),
    Column("region", ForeignKey("regions.code"), primary_key=True),
    Column("agree", Integer, nullable=False),
    Column("disagree", Integer, nullable=False),
    Column("passes", Integer, nullable=False),
    ForeignKeyConstraint(
        ["proposal_id", "consultation_id"], ["proposals.id", "proposals.consultation_id"],
        ondelete="CASCADE", name="fk_proposal_region_tallies_proposal_proposals",
    ),
    CheckConstraint("agree >= 0 AND disagree >= 0 AND passes >= 0", name="counts"),
)

proposal_stats = Table(
    "proposal_stats",
    metadata,
    Column("consultation_id", Integer, nullable=False),
    Column("proposal_id", Integer, primary_key=True),
    Column("agree", Integer, nullable=False),
    Column("disagree", Integer, nullable=False),
    Column("passes", Integer, nullable=False),
    Column("log_gic", Float, nullable=False),
    ForeignKeyConstraint(
        ["proposal_id", "consultation_id"], ["proposals.id", "proposals.consultation_id"],
        ondelete="CASCADE", name="fk_proposal_stats_proposal_proposals",
    ),
    CheckConstraint("agree >= 0 AND disagree >= 0 AND passes >= 0", name="counts"),
    Index(None, "consultation_id", "log_gic"),
)

# Sign-in attempts per (account, client address) and per account, shared by every app server (an in-memory count
# per process would give an attacker a fresh allowance on each replica). Unknown account names share one key per
# address, so made-up names cannot grow the table; rows idle for an hour are swept.
sign_in_throttle = Table(
    "sign_in_throttle",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("next_try_ms", BigInteger, nullable=False),
    Column("last_ms", BigInteger, nullable=False),
    CheckConstraint("failures >= 0", name="failures"),
    Index(None, "last_ms"),
)

# A staff password hash upgraded at sign-in (argon2id) for an account whose configured hash (in secrets or the
# environment, which the app cannot rewrite) uses older parameters. It applies only while the configured hash is
# the one it was made from (`configured_fingerprint`), so changing the password in secrets still takes effect.
staff_password_upgrades = Table(
    "staff_password_upgrades",
    metadata,
    Column("name", String(120), primary_key=True),
    Column("configured_fingerprint", String(64), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
)

# Staff sessions that outlive a tab: the browser keeps a random id in a cookie, the database only its SHA-256. Every
# page run and every fragment run checks the row, so an idle session ends everywhere at once.
staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("account", String(120), nullable=False),
    Column("role", String(20), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("last_seen_ms", BigInteger, nullable=False),
    Column("ended_ms", BigInteger),
    CheckConstraint("role IN ('officer', 'facilitator')", name="staff_role"),
    Index(None, "last_seen_ms"),
)

# What a staff account chose last (the consultation on the officer pages), so the choice follows them across
# pages, sessions and app servers.
staff_preferences = Table(
    "staff_preferences",
    metadata,
    Column("account", String(120), primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
)

# The membership roll's tables: their own module on the same metadata (schema_base); re-exported here.
# The official-response tables live in their own module on the same metadata (schema_base); re-exported here.
# The ballot tables: their own module on the same metadata (schema_base); re-exported here.
from consult.storage.schema_ballots import (  # noqa: E402,F401 - part of this schema
    BALLOT_KINDS,
    BALLOT_STATUSES,
    ballot_eligible,
    ballot_options,
    ballot_papers,
    ballot_voters,
    ballots,
)
from consult.storage.schema_groups import (  # noqa: E402,F401 - part of this schema
    opinion_group_members,
    opinion_group_updates,
)
from consult.storage.schema_questions import (  # noqa: E402,F401 - part of this schema
    FOCUS_KINDS,
    QUESTION_KINDS,
    QUESTION_STATUSES,
    ROOM_QUESTION_STATUSES,
    presenter_screens,
    question_answers,
    questions,
    room_question_votes,
    room_questions,
)
from consult.storage.schema_responses import (  # noqa: E402,F401 - part of this schema
    RESPONSE_STATUSES,
    answer_thresholds,
    response_milestones,
    responses,
)
from consult.storage.schema_roll import members, roll_info  # noqa: E402,F401 - part of this schema
from consult.storage.schema_views import proposal_views  # noqa: E402,F401 - part of this schema
