"""An app server's copy of a table it reads often, kept up to date by reading only what changed.

Members' pages share one frame of every current vote (routing, the regional fit) and one of every published
proposal. Re-reading them whole every few seconds was the app server's largest background cost (0.1 s per read of
the demo's 30,000 votes). A `Mirror` reads everything once, then only the rows stamped at or after the newest stamp
it holds (votes carry `updated_ms`, proposals `created_ms`, each indexed with the consultation), and puts them in
place of the rows with the same key.

What a changed-since read cannot see, and why the copy stays right:
- a row removed or no longer visible (an erasure, a proposal hidden or merged, a change to who counts): each
  bumps the consultation's visibility version (storage.changes), which is part of the caller's key, so a new
  mirror starts with a full read;
- a row stamped a little before the newest one held but committed after the last read (another server's clock,
  a slow transaction): each read goes back `slack_ms` before the newest stamp held, and every `full_every`
  seconds anything slower is looked for. With a `fingerprint` (how many rows the table holds stamped in a span
  of time, and the sum of their ages: one aggregate query), the copy is checked against it over the `window_ms`
  before the changed-since read's start and read whole only when they differ; without one, it is read whole (a
  tenth of a second for the demo's 30,000 votes, every 30 s, for what is nearly always a copy that was already
  whole). A row is stamped when its transaction starts, and no transaction waits ten minutes (SQLite's busy
  timeout is 30 s), so a window of that length sees every late commit while the check's cost stays that of the
  last minutes' rows, not of every row (the whole table's fingerprint took 30-50 ms at demo scale, seconds at a
  million votes); a whole read every `whole_every` seconds covers what no transaction should do.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pandas as pd

VOTE_KEY = ("participant_id", "proposal_id")


def merge_changed(frame: pd.DataFrame, changed: pd.DataFrame, key: tuple[str, ...] | None) -> pd.DataFrame:
    """`frame` with the rows of `changed` in place of those with the same `key` (columns; None: the index). A new
    frame: readers may still hold the old one."""
    if changed.empty:
        return frame
    if frame.empty:  # (an empty read's columns have no types to keep)
        return changed if key is None else changed.reset_index(drop=True)
    merged = pd.concat([frame, changed], ignore_index=key is not None)
    if key is None:
        return merged[~merged.index.duplicated(keep="last")].sort_index()
    return merged.drop_duplicates(list(key), keep="last").reset_index(drop=True)


class Mirror:
    """`read(since_ms)` returns the rows stamped at or after that time (every row for None), with a `stamp`
    column; `current()` gives the whole up-to-date frame. Rows are told apart by `key` (None: the index).
    `fingerprint(after_ms, before_ms)`: (rows stamped in [after_ms, before_ms), the sum of `before_ms - stamp` over
    them) from the source."""

    def __init__(self, read: Callable[[int | None], pd.DataFrame], *, stamp: str,
                 key: tuple[str, ...] | None = None, slack_ms: int = 10_000, full_every: float = 30.0,
                 fingerprint: Callable[[int, int], tuple[int, int]] | None = None, window_ms: int = 600_000,
                 whole_every: float = 600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.read = read
        self.stamp = stamp
        self.key = key
        self.slack_ms = slack_ms
        self.full_every = full_every
        self.fingerprint = fingerprint
        self.window_ms = window_ms
        self.whole_every = whole_every
        self._clock = clock
        self._lock = threading.Lock()
        self._frame: pd.DataFrame | None = None
        self._full_at = 0.0
        self._whole_at = 0.0
        self.full_reads = 0
        self.changed_reads = 0
        self.checks = 0

    def current(self) -> pd.DataFrame:
        with self._lock:
            if self._frame is None:
                self._read_whole()
                return self._frame
            since = (int(self._frame[self.stamp].max()) if len(self._frame) else 0) - self.slack_ms
            if self._clock() - self._full_at >= self.full_every:
                self._full_at = self._clock()
                # the fingerprint first, then the changed-since read: a row changed in between is in the read
                after = since - self.window_ms
                if (self.fingerprint is None or self._clock() - self._whole_at >= self.whole_every
                        or self.fingerprint(after, since) != self._own_fingerprint(after, since)):
                    self._read_whole()
                    return self._frame
                self.checks += 1
            self._frame = merge_changed(self._frame, self.read(since), self.key)
            self.changed_reads += 1
            return self._frame

    def _read_whole(self) -> None:
        self._full_at = self._whole_at = self._clock()
        self._frame = self.read(None)
        self.full_reads += 1

    def _own_fingerprint(self, after_ms: int, before_ms: int) -> tuple[int, int]:
        stamps = self._frame[self.stamp].to_numpy(dtype="int64")
        inside = stamps[(stamps >= after_ms) & (stamps < before_ms)]
        return int(inside.size), int((before_ms - inside).sum())
