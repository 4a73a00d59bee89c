"""The latest value kept per key, for the next refresh to start from: a fitted regional model
(`RegionalSupport.fit(previous=...)`), the sentence vectors of proposals embedded at the last check. Thread-safe
(refreshes run in background threads and in several sessions at once) and bounded: the `max_entries` most recently
kept, so a server that has shown many consultations does not hold a model for each of them."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class Kept:
    def __init__(self, max_entries: int = 20) -> None:
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The value last kept under `key`, or None."""
        with self._lock:
            return self._values.get(key)

    def keep(self, key: Hashable, value: Any) -> Any:
        """Keep `value` under `key` (the newest), dropping the least recently kept beyond `max_entries`."""
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
