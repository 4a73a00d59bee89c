"""The Polis conversations the opinion-group benchmarks read: the shared ones, and any folders given."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polis"
CONVERSATIONS = ("bg2050-volunteers", "brexit-consensus", "london.youth.policing")


def folders(extra: list[Path]) -> list[Path]:
    """The shared conversations (when ../shared/data is there) followed by `extra`; says so when there are none."""
    found = ([DATA / name for name in CONVERSATIONS] if DATA.is_dir() else []) + list(extra)
    if not found:
        print(f"the Polis conversations are not at {DATA}; nothing to measure")
    return found
