"""What an open presenter view costs the app server while votes come in, against the same view with none.

    python benchmarks/bench_presenter.py [--seconds 40] [--votes-per-second 1]

A real server on the demo consultation (as `make run` starts it), the kiosk presenter view open in headless
Chromium at 1920x1080 (it refreshes itself every few seconds), then two spells of `--seconds` each: first no
votes, then votes arriving at `--votes-per-second` from new members (written straight to the database, as other
app servers would). The figure is the server process's CPU over each spell (all threads, from /proc), as a share
of one core; the browser's own CPU is not counted. Run alone. Measured on 2026-12-06 (load 0.3): before the
regional refresh (commit 2396e65) 10.7 s of 40 with no votes and 11.8 s with a vote a second (27% and 30% of a
core: the regional model refitted from scratch every 3 s whether or not a vote had come); after, 1.7 s and 1.9 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from benchmarks.load_protocol import demo_database  # noqa: E402
from benchmarks.servers import cpu_seconds, start_servers  # noqa: E402
from consult import regions, storage  # noqa: E402
from consult.demo import consultation as demo  # noqa: E402


def spell(server_pid: int, seconds: float, vote) -> float:
    """Server CPU seconds over `seconds`, calling `vote(i)` once a tick when given."""
    before, started, i = cpu_seconds([server_pid]), time.monotonic(), 0
    while time.monotonic() - started < seconds:
        if vote is not None:
            vote(i)
            i += 1
        time.sleep(vote.interval if vote is not None else 0.5)
    return cpu_seconds([server_pid]) - before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--votes-per-second", type=float, default=1.0)
    args = parser.parse_args(argv)
    from e2e_support import CHROMIUM, CHROMIUM_ARGS, require_chromium, wait_for_app
    from playwright.sync_api import sync_playwright

    require_chromium()
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    with demo_database("sqlite") as (url, engine, consultation_id), ExitStack() as stack, sync_playwright() as p:
        [(server, base)] = start_servers(stack, url, 1, Path(tempfile.mkdtemp(prefix="consult-presenter-")))
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        page.goto(f"{base}/present?embed=true&mode=kiosk&code={demo.JOIN_CODE}")
        wait_for_app(page, timeout=120_000)
        page.get_by_text("Supported in every region").wait_for(timeout=120_000)
        time.sleep(5.0)  # the first refreshes after opening are not counted
        codes = regions.region_codes()
        proposals = storage.proposals_frame(engine, consultation_id)["id"].tolist()

        def vote(i: int) -> None:
            member = storage.add_participant(engine, consultation_id, region=codes[i % len(codes)])
            storage.cast_vote(engine, member.id, proposals[(7 * i) % len(proposals)], 1 if i % 3 else -1)

        vote.interval = 1.0 / args.votes_per_second
        quiet = spell(server.pid, args.seconds, None)
        busy = spell(server.pid, args.seconds, vote)
        browser.close()
    print(f"presenter open, no votes:                 {quiet:5.1f} s of CPU in {args.seconds:.0f} s "
          f"({quiet / args.seconds:.0%} of a core)")
    print(f"presenter open, {args.votes_per_second:g} vote(s) a second:    {busy:5.1f} s of CPU in {args.seconds:.0f} s "
          f"({busy / args.seconds:.0%} of a core; {busy / max(quiet, 0.01):.1f}x the quiet spell)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
