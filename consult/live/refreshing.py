"""Results that one app server shares between its sessions and refreshes off the request path.

A member's page must not wait for a model fit (the regional estimates take about a second at demo scale). A
`Refreshing` store computes a value once, the first time it is asked for, and from then on answers at once with
the value it holds; when that value is older than `max_age`, or its `generation` (say, a bucket of the vote count)
has moved on, one background thread computes the new value while readers keep getting the last one. A new key
(for example a new visibility version after a proposal is hidden) is computed before it is served, so a change
to what members may see never waits for a refresh.

Values are shared, not copied: callers must treat them as read-only.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

LOG = logging.getLogger(__name__)


@dataclass
class _Entry:
    value: Any
    computed_at: float
    generation: Hashable
    refreshing: bool = False


def growth_bucket(count: int, *, exact_below: int = 200, growth: float = 1.05) -> int:
    """A generation that moves on when `count` has grown by `growth` (every change while it is small): 0, 1, ...
    199, then one step per 5% more."""
    if count < exact_below:
        return count
    return exact_below + int(math.log(count / exact_below) / math.log(growth))


class Refreshing:
    """A keyed store of shared results, each refreshed in the background when stale; at most `max_entries`
    keys are kept (the least recently used go first)."""

    def __init__(self, *, max_age: float, max_entries: int = 20, clock: Callable[[], float] = time.monotonic,
                 executor: ThreadPoolExecutor | None = None) -> None:
        self.max_age = max_age
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._first_computations: dict[Hashable, threading.Lock] = {}
        self._executor = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="consult-refresh")

    def get(self, key: Hashable, compute: Callable[[], Any], generation: Hashable = None) -> Any:
        """The value for `key`: computed now if there is none yet, else the one held (refreshed behind the scenes
        when stale)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                if not entry.refreshing and (entry.generation != generation
                                             or self._clock() - entry.computed_at > self.max_age):
                    entry.refreshing = True
                    self._executor.submit(self._refresh, key, compute, generation)
                return entry.value
            first = self._first_computations.setdefault(key, threading.Lock())
        with first:  # several sessions asking at once for a new key wait for one computation, not one each
            with self._lock:
                entry = self._entries.get(key)
            if entry is None:
                try:
                    value = compute()
                except Exception:
                    with self._lock:
                        self._first_computations.pop(key, None)
                    raise
                self._store(key, _Entry(value, self._clock(), generation))
                return value
        return entry.value

    def warm(self, key: Hashable, compute: Callable[[], Any],
             generation: Callable[[], Hashable] = lambda: None) -> None:
        """Compute `key` in the background if it is not held yet (so the first reader finds it ready);
        `generation()` is worked out there too, so the caller does not wait for it either."""
        with self._lock:
            if key in self._entries or key in self._first_computations:
                return
        self._executor.submit(lambda: self.get(key, compute, generation()))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _refresh(self, key: Hashable, compute: Callable[[], Any], generation: Hashable) -> None:
        try:
            value = compute()
        except Exception:  # the old value stays in service; the next stale read tries again
            LOG.exception("background refresh of %r failed", key)
            with self._lock:
                if key in self._entries:
                    self._entries[key].refreshing = False
            return
        with self._lock:
            if key not in self._entries:  # cleared meanwhile: what was computed may be out of date
                return
        self._store(key, _Entry(value, self._clock(), generation))

    def _store(self, key: Hashable, entry: _Entry) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            self._first_computations.pop(key, None)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
