"""What members' pages read, shared by every session of one app server and refreshed in the background.

A member's press must not wait for a model fit or a tally of every vote, and a hundred sessions must not each
load their own copy of the votes. Each result here is held once per server in a `consult.live.refreshing.Refreshing`
store: computed the first time, then served at once while a background thread refreshes it when it is stale.
Keys hold the consultation's visibility version, so a hidden or erased proposal is never served from an old
result; `forget()` drops everything in this process at once. Results are shared: read-only for callers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from consult import storage
from consult.app.connection import database_url, engine_for
from consult.live.kept import Kept
from consult.live.mirror import VOTE_KEY, Mirror
from consult.live.refreshing import Refreshing, growth_bucket
from consult.storage import changes, visibility

if TYPE_CHECKING:  # the analysis libraries load off the request path (warm_member_views), not on the join page
    from consult.proposals.similar import SimilarityIndex, VectorMemo


# every member page reads the votes and the published proposals: one shared copy of each per server, brought up to
# date in the background when 3 s old by reading only the rows changed since (consult.live.mirror; a full read of
# the votes takes 0.1 s at demo scale, a changed-since read a few ms)
_VOTES = Refreshing(max_age=3, max_entries=50)
_PUBLISHED = Refreshing(max_age=3, max_entries=50)
_MIRRORS: OrderedDict[tuple, Mirror] = OrderedDict()
_MIRRORS_LOCK = threading.Lock()


def _mirror(key: tuple, make: Callable[[], Mirror]) -> Mirror:
    with _MIRRORS_LOCK:
        if key not in _MIRRORS:
            _MIRRORS[key] = make()
            while len(_MIRRORS) > 100:
                _MIRRORS.popitem(last=False)
        return _MIRRORS[key]


def votes_for(url: str, consultation_id: int, version: int | None = None) -> pd.DataFrame:
    """Every current vote on a published proposal (shared, read-only); `version` if the caller has read it."""
    version = changes.version(engine_for(url), consultation_id) if version is None else version
    mirror = _mirror(("votes", url, consultation_id, version), lambda: Mirror(
        lambda since: storage.votes_frame(engine_for(url), consultation_id, published_only=True,
                                          changed_since_ms=since), stamp="updated_ms", key=VOTE_KEY,
        fingerprint=lambda after, before: storage.votes_fingerprint(engine_for(url), consultation_id, before,
                                                                    after_ms=after, published_only=True)))
    return _VOTES.get((url, consultation_id, version), mirror.current)


def published_for(url: str, consultation_id: int, version: int) -> pd.DataFrame:
    """What members may see (index id; body, tier, region, created_ms); shared, read-only."""
    mirror = _mirror(("published", url, consultation_id, version), lambda: Mirror(
        lambda since: visibility.published_frame(engine_for(url), consultation_id, created_since_ms=since),
        stamp="created_ms",
        fingerprint=lambda after, before: visibility.visible_fingerprint(engine_for(url), consultation_id, before,
                                                                         after_ms=after)))
    return _PUBLISHED.get((url, consultation_id, version), mirror.current)


# rebuilt when what members may see changes (0.2 s at demo scale, 6.6 s at 100,000 proposals); newer proposals
# are compared directly, so the index never goes stale within a version
_SIMILARITY = Refreshing(max_age=float("inf"), max_entries=20)


# the newest index's sentence vectors per consultation (no text: SimilarityIndex.memo), so a rebuild embeds only
# proposals it has not seen
_SIMILARITY_MEMO: dict[tuple[str, int], VectorMemo | None] = {}


def _build_similarity(url: str, consultation_id: int) -> SimilarityIndex:
    load_analysis()
    from consult.proposals.similar import SimilarityIndex

    frame = visibility.visible_proposals(engine_for(url), consultation_id)
    index = SimilarityIndex(frame.index.tolist(), frame["body"].tolist(),
                            reuse=_SIMILARITY_MEMO.get((url, consultation_id)))
    _SIMILARITY_MEMO[(url, consultation_id)] = index.memo()
    return index


def similarity_index(consultation_id: int, version: int | None = None) -> SimilarityIndex:
    """Published proposals only (the member-visibility rule), for the 'similar proposals' check. Rebuilt in the
    background once another `INDEX_LAG` proposals are published (an index rebuild embeds only the new ones);
    `version` if the caller has read it."""
    url = database_url()
    version = changes.version(engine_for(url), consultation_id) if version is None else version
    published = len(published_for(url, consultation_id, version))
    return _SIMILARITY.get((url, consultation_id, version), lambda: _build_similarity(url, consultation_id),
                           generation=published // INDEX_LAG)


INDEX_LAG = 25
# the index of the proposals published since the shared index was built, kept between checks (with the visibility
# version and the ids it holds) so a check embeds only the proposals published since the last one
_NEWER_INDEX = Kept()


def similar_to(consultation_id: int, text: str, *, top: int = 3) -> pd.DataFrame:
    """Published proposals like `text` (proposal_id, score), best first: the shared index, plus every proposal
    published since it was built, read afresh (one published a second ago is found)."""
    url = database_url()
    version = changes.version(engine_for(url), consultation_id)
    index = similarity_index(consultation_id, version)
    newer = visibility.published_since(engine_for(url), consultation_id, index.max_id)
    ids = tuple(pid for pid, _ in newer)
    held = _NEWER_INDEX.get((url, consultation_id))
    if held is not None and held[:2] == (version, ids):
        newer_index = held[2]  # nothing published since the last check: its index as it was
    else:
        newer_index = index.extended(list(ids), [body for _, body in newer],
                                     reuse=None if held is None else held[2].memo())
        # one per consultation, replaced when anything changes: a hidden proposal's words go with the old one
        _NEWER_INDEX.keep((url, consultation_id), (version, ids, newer_index))
    return index.query(text, top=top, extra=newer_index)


_COORDS = Refreshing(max_age=60, max_entries=20)


def _fit_coords(url: str, consultation_id: int) -> pd.DataFrame | None:
    load_analysis()
    from consult.opinion import groups as opinion

    frame = votes_for(url, consultation_id)
    if frame.empty:
        return None
    return opinion.OpinionGroups(n_resamples=0).fit(frame).proposal_coords_  # the axes only: no groups needed


# the regional fit takes about a second at demo scale: members' pages get the last one at once and a background
# thread refits it (see consult.live.refreshing); a new visibility version is a new key, fitted before it is served
_REGIONAL = Refreshing(max_age=30, max_entries=10)


# the last regional model per consultation: a refresh starts from it, so only proposals with new votes are worked
# out again (`RegionalSupport.fit(previous=...)`; a fit from scratch once the votes grow by a quarter)
_LAST_REGIONAL = Kept()


def _fit_regional(url: str, consultation_id: int):
    load_analysis()
    from consult.support import pooled as regional

    engine = engine_for(url)
    consultation = storage.get_consultation(engine, consultation_id)
    summary, model = regional.proposal_summary(votes_for(url, consultation_id), storage.baseline_for(engine, consultation),
                                               min_cell=consultation.min_cell,
                                               previous=_LAST_REGIONAL.get((url, consultation_id)))
    _LAST_REGIONAL.keep((url, consultation_id), model)
    return summary, model.regions_


def regional_estimates(consultation_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per proposal summary, per proposal and region estimates) for members' pages; up to 30 s old, refitted
    sooner when the votes have grown by a twentieth. Shared between sessions: read-only."""
    return _regional_estimates(database_url(), consultation_id)


def _regional_estimates(url: str, consultation_id: int, version: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    version, votes_bucket = _regional_key(url, consultation_id, version)
    return _REGIONAL.get((url, consultation_id, version), lambda: _fit_regional(url, consultation_id),
                         generation=votes_bucket)


def warm_member_views(consultation_id: int) -> None:
    """Start the regional fit and the similar-proposals index in the background while a member reads the join
    page, so the vote and propose pages they open next do not wait for them."""
    url = database_url()
    version = changes.version(engine_for(url), consultation_id)
    _REGIONAL.warm((url, consultation_id, version), lambda: _fit_regional(url, consultation_id),
                   generation=lambda: _regional_key(url, consultation_id)[1])
    _SIMILARITY.warm((url, consultation_id, version), lambda: _build_similarity(url, consultation_id))


# Importing scikit-learn from two threads at once can hand one of them a half-initialised module: its package
# imports itself in a circle, and Python's import-deadlock avoidance then lets one thread through early. The server's
# preload thread and a member's first vote page did exactly that ("cannot import name 'clone' from partially
# initialized module 'sklearn.base'", then the page failed). So the analysis libraries are imported under one lock,
# by whichever thread needs them first, and every member-page path that uses them asks for them here first.
_ANALYSIS_IMPORTS = threading.Lock()
_analysis_loaded = False


def load_analysis() -> None:
    """Load what the vote and propose pages use (scikit-learn, about 0.7 s; the embedding model), once, under a
    lock (a thread that arrives while another loads them waits for it)."""
    global _analysis_loaded
    if _analysis_loaded:
        return
    with _ANALYSIS_IMPORTS:
        if _analysis_loaded:
            return
        import consult.opinion.groups
        import consult.proposals.participation
        import consult.proposals.routing
        import consult.proposals.similar  # noqa: F401
        from consult.text import embeddings

        embeddings.preload()
        _analysis_loaded = True


# the evidence term moves only when the regional fit does (every 30 s or so), not with every vote: worked out once
# per fit and region, kept beside the fit it came from
_EVIDENCE: dict[tuple, tuple[object, pd.Series]] = {}
_EVIDENCE_LOCK = threading.Lock()


def _routing_evidence(url: str, consultation_id: int, version: int, region: str) -> pd.Series:
    """Where a vote from `region` settles the "supported in every region" ranking most."""
    load_analysis()
    from consult.proposals import routing

    fitted = _regional_estimates(url, consultation_id, version)
    key = (url, consultation_id, region)
    with _EVIDENCE_LOCK:
        held = _EVIDENCE.get(key)
    if held is not None and held[0] is fitted:
        return held[1]
    evidence = routing.evidence_value(*fitted, region)
    with _EVIDENCE_LOCK:
        _EVIDENCE[key] = (fitted, evidence)
    return evidence


# the vote page's routing order is the same for every member of a region: Polis's priority from every vote
# (a tally, 10-20 ms) once per server, then the region's evidence weighting on top (1-2 ms per region); both at
# most 3 s old
_BASE_PRIORITY = Refreshing(max_age=3, max_entries=20)
_PRIORITY = Refreshing(max_age=3, max_entries=100)


def _base_priority(url: str, consultation_id: int, version: int) -> pd.Series:
    load_analysis()
    from consult.proposals import routing

    shown = published_for(url, consultation_id, version).index.tolist()
    coords = _COORDS.get((url, consultation_id), lambda: _fit_coords(url, consultation_id))
    return routing.priorities(shown, votes_for(url, consultation_id, version), coords)


def _routing_priority(url: str, consultation_id: int, version: int, region: str) -> pd.Series:
    load_analysis()
    from consult.proposals import routing

    base = _BASE_PRIORITY.get((url, consultation_id, version), lambda: _base_priority(url, consultation_id, version))
    return routing.with_evidence(base, _routing_evidence(url, consultation_id, version, region))


def routing_priority(consultation_id: int, region: str, version: int | None = None) -> pd.Series:
    """Routing priority of every published proposal for members of `region` (shared, read-only); `version` as in
    `resources.published`."""
    url = database_url()
    version = changes.version(engine_for(url), consultation_id) if version is None else version
    return _PRIORITY.get((url, consultation_id, version, region),
                         lambda: _routing_priority(url, consultation_id, version, region))


# the vote page's draw is from the region's order restricted to what the page may show: the same for every member
# of the region until either is refreshed, so matched once per pair (the shared objects themselves are the key)
_ALIGNED = Kept(max_entries=50)


def routing_order(consultation_id: int, region: str, version: int, published: pd.DataFrame) -> tuple:
    """(proposal ids, priorities) for members of `region`, of the proposals in `published` (the page's own read
    of what members may see): `participation.aligned_priority` of `routing_priority`, shared, read-only."""
    load_analysis()
    from consult.proposals import participation

    priority = routing_priority(consultation_id, region, version)
    key = (database_url(), consultation_id, region)
    held = _ALIGNED.get(key)
    if held is not None and held[0] is priority and held[1] is published:
        return held[2]
    aligned = participation.aligned_priority(priority, published.index)
    _ALIGNED.keep(key, (priority, published, aligned))
    return aligned


def _regional_key(url: str, consultation_id: int, version: int | None = None) -> tuple[int, int]:
    """(visibility version, votes bucket): the regional fit is redone when what members see changes, when the
    votes have grown by a twentieth (every vote while there are few, so a member's first votes show at once),
    or after 30 s (the caches' TTL)."""
    version = changes.version(engine_for(url), consultation_id) if version is None else version
    return version, growth_bucket(len(votes_for(url, consultation_id, version)))


def forget() -> None:
    """Drop every shared result in this process (after a change to what members may see)."""
    for store in (_VOTES, _PUBLISHED, _SIMILARITY, _COORDS, _REGIONAL, _BASE_PRIORITY, _PRIORITY):
        store.clear()
    with _EVIDENCE_LOCK:
        _EVIDENCE.clear()
    with _MIRRORS_LOCK:
        _MIRRORS.clear()
    _NEWER_INDEX.clear()
    _ALIGNED.clear()
    _LAST_REGIONAL.clear()
