"""Shared, cached resources and data for every session: the engine, cached reads, the sign-in throttle."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from consult import configuration, storage
from consult.access import client_address as addresses
from consult.access import staff_sign_in as auth
from consult.app import member_views
from consult.app.connection import SecretsOnDemand, database_url, engine, engine_for, secrets
from consult.live.kept import Kept
from consult.storage import changes, tallies, visibility
from consult.storage import responses as storage_responses

__all__ = ["database_url", "engine", "secrets"]  # the connection, for pages that import it from here


# Cached reads are keyed by the database URL as well as the consultation, so two databases never mix.


# What members may see is keyed by the consultation's visibility version (storage.changes): a hidden or merged
# proposal leaves every cache at the next read, on every app server; the short TTL only brings in new proposals.


def published(consultation_id: int, version: int | None = None) -> pd.DataFrame:
    """What members may see (index id; body, tier, region, created_ms), at most a few seconds old; shared between
    sessions (not copied: every member page reads it), so read-only. `version`: the consultation's visibility
    version where the page has just read it with the consultation."""
    url = database_url()
    version = changes.version(engine_for(url), consultation_id) if version is None else version
    return member_views.published_for(url, consultation_id, version)


@st.cache_data(ttl=30, show_spinner=False, max_entries=50)
def _published_responses(url: str, consultation_id: int, version: int) -> pd.DataFrame:
    return storage_responses.published_responses(engine_for(url), consultation_id)


def published_responses(consultation_id: int) -> pd.DataFrame:
    """Published responses to proposals members may see; a new publication shows at the next read."""
    url = database_url()
    return _published_responses(url, consultation_id, changes.version(engine_for(url), consultation_id))


@st.cache_data(ttl=60, show_spinner="Checking which proposals need an answer…", max_entries=20)
def _queue_refreshed(url: str, consultation_id: int) -> int:
    from consult.responses import workflow as answers

    return answers.refresh_queue(engine_for(url), consultation_id)


def refresh_answer_queue(consultation_id: int) -> int:
    """Check the thresholds at most once a minute per consultation (a regional fit), so the queue and how long
    each proposal has waited stay current without an officer pressing a button."""
    return _queue_refreshed(database_url(), consultation_id)


@st.cache_resource(show_spinner=False)
def _throttle(url: str) -> auth.Throttle:
    return auth.SharedThrottle(engine_for(url))


def throttle() -> auth.Throttle:
    """Wrong-password counts, kept in the database so that every app server slows the same guesser."""
    return _throttle(database_url())


def client_address() -> str:
    """The member's or staff member's address for the throttles: the TCP peer, or behind a configured proxy the
    address it forwarded (`consult.access.client_address`); IPv6 counted by its /64."""
    try:
        peer, headers = st.context.ip_address, dict(st.context.headers or {})
    except Exception:  # noqa: BLE001 - outside a browser session (AppTest) there is no connection
        peer, headers = None, {}
    peer = peer if isinstance(peer, str) else None  # AppTest hands out stand-in objects
    headers = {str(k): str(v) for k, v in headers.items() if isinstance(k, str) and isinstance(v, str)}
    address = addresses.client_address(peer, headers, configuration.trusted_proxies(secrets=SecretsOnDemand()),
                                       peer_is_raw=addresses.PEER_IS_RAW_ENV in os.environ)
    return addresses.throttle_group(address)


def accounts() -> dict[str, auth.Account]:
    return auth.accounts_from(secrets())


def oidc_configured() -> bool:
    return bool(secrets().get("auth"))


def oidc_roles() -> dict[str, str]:
    """email -> role from secrets [roles] officer = [...], facilitator = [...]."""
    mapping = {}
    for role, emails in (secrets().get("roles") or {}).items():
        if role in auth.ROLES:
            for email in emails:
                mapping[str(email).lower()] = role
    return mapping


def public_base_url() -> str:
    """The address members reach this app on: CONSULT_PUBLIC_URL or secrets' public_url, else this request's."""
    configured = os.environ.get("CONSULT_PUBLIC_URL") or secrets().get("public_url")
    if configured:
        return str(configured)
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 - outside a browser session (AppTest) there is no request URL
        url = None
    if url:
        return url
    host = st.context.headers.get("Host") if st.context.headers else None
    return f"http://{host}" if host else "http://localhost:8501"


@st.cache_data(ttl=2, show_spinner=False, max_entries=50)
def _representation(url: str, consultation_id: int, baseline: str, min_cell: int) -> pd.DataFrame:
    from consult.live import presenter_data as live

    return live.representation(engine_for(url), consultation_id, baseline, min_cell)


def representation(consultation_id: int, baseline: str, min_cell: int = 10) -> pd.DataFrame:
    return _representation(database_url(), consultation_id, baseline, min_cell)


# the presenter's last regional model per consultation: the next refresh (every 3 s) starts from it
_PRESENTER_REGIONAL = Kept()


@st.cache_data(ttl=3, show_spinner=False, max_entries=20)
def _top_consensus(url: str, consultation_id: int, version: int) -> pd.DataFrame:
    from consult.live import presenter_data as live

    top, model = live.top_supported_everywhere(engine_for(url), consultation_id,
                                               previous=_PRESENTER_REGIONAL.get((url, consultation_id)))
    _PRESENTER_REGIONAL.keep((url, consultation_id), model)
    return top


def top_consensus(consultation_id: int) -> pd.DataFrame:
    """The proposals most likely supported in every region (pooled estimates on the running tallies), <= 3 s old."""
    url = database_url()
    return _top_consensus(url, consultation_id, changes.version(engine_for(url), consultation_id))


# the officers' last regional model per consultation (and vote filter): the next refresh starts from it
_OFFICER_REGIONAL = Kept()


@st.cache_data(ttl=30, show_spinner="Working out support and consensus…", max_entries=10)
def _officer_table(url: str, consultation_id: int, verified_only: bool = False) -> pd.DataFrame:
    from consult.publishing import tables

    key = (url, consultation_id, verified_only)
    table, model = tables.analysis_and_model(engine_for(url), consultation_id, verified_only=verified_only,
                                             previous=_OFFICER_REGIONAL.get(key))
    _OFFICER_REGIONAL.keep(key, model)
    table["region"] = table["author_region_code"]
    table["body"] = table["text"]
    return table


def officer_table(consultation_id: int, verified_only: bool = False) -> pd.DataFrame:
    """Every proposal with theme, region, support (raw and weighted) and consensus; up to 30 s old;
    `verified_only`: counting only members verified against the roll."""
    return _officer_table(database_url(), consultation_id, verified_only)


@st.cache_data(ttl=60, show_spinner=False, max_entries=10)
def _selection_findings(url: str, consultation_id: int) -> list[str]:
    from consult.publishing import selection_note

    return selection_note.selection_findings(engine_for(url), consultation_id)


def selection_findings(consultation_id: int) -> list[str]:
    """Where a region's agree share may be raised by who chose to answer (plain sentences), up to a minute old."""
    return _selection_findings(database_url(), consultation_id)


@st.cache_data(ttl=10, show_spinner=False, max_entries=10)
def _overview_frames(url: str, consultation_id: int, verified_only: bool = False) -> dict[str, pd.DataFrame]:
    engine = engine_for(url)
    return {"participants": storage.participants_frame(engine, consultation_id, verified_only=verified_only),
            "events": storage.vote_events_frame(engine, consultation_id)[["created_ms"]],
            "proposals": storage.proposals_frame(engine, consultation_id)[["id", "tier", "status"]]}


def overview_frames(consultation_id: int, verified_only: bool = False) -> dict[str, pd.DataFrame]:
    """Participants, vote times and proposal tiers for the overview charts, up to 10 s old."""
    return _overview_frames(database_url(), consultation_id, verified_only)


@st.cache_data(ttl=10, show_spinner=False, max_entries=10)
def _moderation_queue(url: str, consultation_id: int) -> pd.DataFrame:
    from consult.proposals import flags as moderation

    return moderation.queue(storage.proposals_frame(engine_for(url), consultation_id, statuses=("pending", "published")))


def moderation_queue(consultation_id: int) -> pd.DataFrame:
    """Pending and flagged proposals, up to 10 s old (moderation actions clear it)."""
    return _moderation_queue(database_url(), consultation_id)


@st.cache_data(ttl=120, show_spinner="Looking for proposals that say the same thing…", max_entries=10)
def _likely_duplicates(url: str, consultation_id: int, version: int) -> pd.DataFrame:
    from consult.proposals import duplicates

    engine = engine_for(url)
    frame = visibility.visible_proposals(engine, consultation_id)
    totals = tallies.vote_totals(engine, frame.index.tolist())
    votes = totals.sum(axis=1).reindex(frame.index).fillna(0).astype(int)
    return duplicates.likely_duplicates(pd.DataFrame({"id": frame.index, "body": frame["body"].to_numpy(),
                                                      "votes": votes.to_numpy()}))


def likely_duplicates(consultation_id: int) -> pd.DataFrame:
    """Groups of published proposals that say the same thing (consult.proposals.duplicates), up to 2 minutes old;
    a merge or any moderation clears it."""
    url = database_url()
    return _likely_duplicates(url, consultation_id, changes.version(engine_for(url), consultation_id))


def clear_officer_caches() -> None:
    _officer_table.clear()
    _OFFICER_REGIONAL.clear()
    _opinion.clear()
    _moderation_queue.clear()
    _likely_duplicates.clear()


def _forget_member_views(_consultation_ids: set[int]) -> None:
    """After a status change or an erasure: this process drops the old text now (other servers at their next
    read, by the version key)."""
    from consult.proposals import flags as moderation

    member_views.forget()
    _top_consensus.clear()
    _PRESENTER_REGIONAL.clear()
    clear_officer_caches()
    _overview_frames.clear()
    moderation.forget_cached_text()


changes.subscribe(_forget_member_views)


@st.cache_data(ttl=60, show_spinner="Finding opinion groups…", max_entries=10)
def _opinion(url: str, consultation_id: int, verified_only: bool = False) -> dict:
    frame = member_views.votes_for(url, consultation_id)
    if verified_only:
        frame = frame[frame["participant_id"].isin(storage.participants_frame(
            engine_for(url), consultation_id, verified_only=True)["id"])]
    if frame.empty:
        return {"k": 0}
    from consult.opinion import groups as opinion
    from consult.publishing.group_steadiness import fitted_groups_sentence
    from consult.storage import group_history

    # this refresh is the consultation's next update: the groups carry over from the last one (every server's)
    model = group_history.current_groups(engine_for(url), consultation_id, frame, verified_only=verified_only,
                                         save_update=True)
    return {"k": model.k_, "projection": model.projection_.reset_index(),
            "repness": opinion.repness(model.matrix_, model.labels_),
            "consensus": opinion.consensus(model.matrix_), "uncertainty": opinion.uncertainty(model.matrix_),
            "sizes": model.group_sizes(), "labels": model.labels_,
            "steadiness": fitted_groups_sentence(model)}


def opinion_summary(consultation_id: int, verified_only: bool = False) -> dict:
    """Opinion groups: k, projection, repness, consensus, uncertainty, sizes (recomputed every minute)."""
    return _opinion(database_url(), consultation_id, verified_only)


@st.cache_data(ttl=60, show_spinner=False, max_entries=50)
def _comparison(url: str, consultation_id: int, verified_only: bool, by: str, first: object,
                second: object) -> pd.DataFrame:
    from consult.opinion import compare as group_compare
    from consult.opinion.vote_matrix import VoteMatrix

    frame = member_views.votes_for(url, consultation_id)
    people = storage.participants_frame(engine_for(url), consultation_id, verified_only=verified_only)
    frame = frame[frame["participant_id"].isin(people["id"])]
    if frame.empty:
        return pd.DataFrame(columns=group_compare.COLUMNS)
    if by == "group":
        labels = _opinion(url, consultation_id, verified_only).get("labels")
    else:
        labels = people.set_index("id")["region"]
        if group_compare.REST in (first, second):  # one region against everyone outside it
            region = second if first == group_compare.REST else first
            labels = group_compare.against_the_rest(labels, region)
    if labels is None:
        return pd.DataFrame(columns=group_compare.COLUMNS)
    # regions are compared only where each side has at least the consultation's minimum of voters (a count of
    # voters is shown for each side); opinion groups keep Polis's own minimum
    min_seen = storage.get_consultation(engine_for(url), consultation_id).min_cell if by == "region" else 5
    return group_compare.agreed_by_first_not_second(VoteMatrix.from_votes(frame), labels, first, second,
                                                    min_seen=min_seen)


def comparison(consultation_id: int, verified_only: bool, by: str, first: object, second: object) -> pd.DataFrame:
    """What members in `first` agree on clearly more than those in `second` (`by`: "group" or "region"; a
    region may be compared with `group_compare.REST`, everyone outside it)."""
    return _comparison(database_url(), consultation_id, verified_only, by, first, second)


@st.cache_data(show_spinner=False, max_entries=50)
def _closed_ballot_result(url: str, ballot_id: int):
    from consult.ballots import results
    from consult.storage import ballots

    engine = engine_for(url)
    return results.result(ballots.get_ballot(engine, ballot_id), ballots.papers(engine, ballot_id))


def closed_ballot_result(ballot_id: int):
    """A closed ballot's result, counted once per server: its papers can no longer change."""
    return _closed_ballot_result(database_url(), ballot_id)


@st.cache_data(show_spinner=False, max_entries=50)
def _closed_ballot_sheet(url: str, ballot_id: int) -> str:
    from consult.publishing import ballot_files
    from consult.storage import ballots

    engine = engine_for(url)
    return ballot_files.count_sheet(ballots.get_ballot(engine, ballot_id), ballots.papers(engine, ballot_id))


def closed_ballot_sheet(ballot_id: int) -> str:
    """A closed ballot's published count sheet, built once per server."""
    return _closed_ballot_sheet(database_url(), ballot_id)
