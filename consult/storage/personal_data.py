"""The personal-data map: per table and column, what is personal and what erasure does to it.

Political opinion is special-category data (UK GDPR Art. 9). `erasure.erase_participant` walks this list and
does what each entry says, so adding a table or column that holds personal data means adding a line here;
`tests/test_erasure.py` fails for any table missing from the map.

Scopes (which rows an entry touches, for the participant being erased):
- `participant`: their registration row;
- `their rows`: rows with their `participant_id`;
- `their proposals`: proposals they wrote (kept anonymised, or removed on request);
- `their removed proposals`: the same, only when they asked for their proposals to be removed, and rows that
  hang off those proposals (votes on them, theme assignments);
- `their member key`: ballot rows under their per-consultation member key (eligibility and the fact they voted;
  never how: a paper carries no key, so it cannot be found, and stays in the count);
- `about them`: audit entries whose target is them or any proposal of theirs, kept or removed (a moderator's note
  on a kept proposal may say who wrote it).
"""

from __future__ import annotations

from dataclasses import dataclass

DELETE, SET_NULL, REPLACE, SCRUB, REBUILD, KEEP = "delete", "set null", "replace", "scrub", "rebuild", "keep"


@dataclass(frozen=True)
class Entry:
    table: str
    columns: tuple[str, ...]  # ("*",) for the whole row
    what: str
    scope: str
    action: str


PERSONAL_DATA: tuple[Entry, ...] = (
    Entry("vote_events", ("*",), "every vote they cast, with its time", "their rows", DELETE),
    Entry("votes", ("*",), "their current votes: political opinion", "their rows", DELETE),
    Entry("proposal_views", ("*",), "which proposals they were shown, and when", "their rows", DELETE),
    Entry("opinion_group_members", ("*",), "which opinion group they were last shown in: political opinion",
          "their rows", DELETE),
    Entry("votes", ("*",), "others' votes on a proposal they asked to remove", "their removed proposals", DELETE),
    Entry("vote_events", ("*",), "the history of those votes", "their removed proposals", DELETE),
    Entry("theme_assignments", ("*",), "where their removed proposals sat in the themes", "their removed proposals",
          DELETE),
    Entry("themes", ("label", "keywords"), "words taken from proposals, possibly only from theirs",
          "their removed proposals", SCRUB),
    Entry("response_milestones", ("*",), "progress on a proposal they asked to remove", "their removed proposals",
          DELETE),
    Entry("responses", ("*",), "the party's answer to a proposal they asked to remove (it may quote it)",
          "their removed proposals", DELETE),
    Entry("proposals", ("author_id",), "the link from a proposal to its author", "their proposals", SET_NULL),
    Entry("proposals", ("region",), "the author's region, copied onto the proposal", "their proposals", SET_NULL),
    Entry("proposals", ("external_id",), "an id from an imported file (may be an email)", "their proposals",
          SET_NULL),
    Entry("proposals", ("body", "dedupe_key"), "their words (kept without an author unless they ask)",
          "their removed proposals", REPLACE),
    Entry("audit_log", ("reason", "detail"), "staff notes about them or any of their proposals", "about them",
          REPLACE),
    Entry("proposal_region_tallies", ("agree", "disagree", "passes"), "counts including their votes",
          "their rows", REBUILD),
    Entry("proposal_stats", ("agree", "disagree", "passes", "log_gic"), "totals including their votes",
          "their rows", REBUILD),
    Entry("ballot_voters", ("*",), "that they voted in a ballot (never how)", "their member key", DELETE),
    Entry("ballot_eligible", ("*",), "that they could vote in a ballot (removed too, so re-joining cannot vote "
          "twice in a ballot still open)", "their member key", DELETE),
    Entry("question_answers", ("*",), "their answers to the consultation's questions: political opinion",
          "their rows", DELETE),
    Entry("room_question_votes", ("*",), "which questions to the panel they upvoted", "their rows", DELETE),
    Entry("room_questions", ("*",), "their questions to the panel (with others' upvotes on them)", "their rows",
          DELETE),
    Entry("participants", ("*",), "registration: browser token, region, constituency, external id, consent time",
          "participant", DELETE),
)

# Tables that hold no personal data about members (staff sign-in records are about staff accounts and client
# addresses, kept an hour; the audit log's staff entries are the organisation's record).
NOT_PERSONAL: dict[str, str] = {
    "regions": "reference data",
    "baselines": "population or membership totals by region",
    "consultations": "the consultation's own settings",
    "sign_in_throttle": "staff sign-in and member join tries per account-name hash, address or membership-number "
                        "hash, forgotten an hour after the last try (daily counts after two days)",
    "staff_sessions": "staff sign-in sessions: account, role, hash of the session id, last activity",
    # bandit reads a dict value next to a "password" key as a password: this is a description
    "staff_password_upgrades": "staff password hashes",  # nosec B105
    "alembic_version": "schema version",
    "answer_thresholds": "the consultation's rules for which proposals must be answered",
    # The roll is the party's own record, not part of any consultation: erasing a participant leaves it alone,
    # and nothing in a consultation's exports links to it (participants hold only a per-consultation keyed hash).
    "members": "the party's membership roll: keyed hashes of number and verifier, region, local party",
    "roll_info": "when the roll was loaded and what its verifier is called",
    "staff_preferences": "which consultation a staff account last chose",
    "ballots": "a ballot's settings",
    "ballot_options": "a ballot's options",
    "questions": "the consultation's questions, written by staff",
    "presenter_screens": "what the shared screen focuses on",
    "opinion_group_updates": "how many opinion groups a consultation last showed, and when",
    # papers carry no participant, member key or time finer than the day (schema_ballots): nothing links a paper
    # to a person, so erasure cannot find one and the count stays whole
    "ballot_papers": "anonymous ballot papers: marks, receipt hash, region, day",
}


def tables_covered() -> set[str]:
    return {entry.table for entry in PERSONAL_DATA} | set(NOT_PERSONAL)
