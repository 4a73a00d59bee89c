"""What a member journey costs the app server, against the framework's floor, measured in the same run.

    python -m benchmarks.bench_floor [--members 60] [--ramp 30] [--database sqlite|postgres]

Two servers, one after the other, never at once: a bare Streamlit app with the journey's pages and widgets and
nothing behind them (`benchmarks/floor_app.py`), then the real app on the demo consultation (started as `make run`
starts it). Each gets one member to warm it (not counted), then `--members` members arriving over `--ramp`
seconds, each on the protocol journey of `benchmarks/load_protocol.py` (join, three votes, propose, My region).
The figure is the server process's CPU (user + system, every thread: page runs, background refreshes, garbage
collection) over the run, divided by the journeys completed. Target (issue #39): the real app within 1.6x of the
floor. The machine's load is printed before and after; run it alone.

This machine's speed drifts by a fifth from one minute to the next, so one pair of runs can land anywhere between
1.8x and 2.2x: `--rounds` pairs (default 2) run in the order floor, consult, consult, floor, ..., each on a fresh
server (and a fresh demo database), and the figure is all the CPU over all the journeys of each. The server runs on
one core and the load generator on another, so the generator never takes the measured server's core.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.load_protocol import ACTIONS, demo_database, run_members  # noqa: E402
from benchmarks.servers import cpu_seconds, start_servers  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
THINK = (1.0, 3.0)
TARGET = 1.6


def start_floor(stack: ExitStack, log: Path) -> tuple[subprocess.Popen, str]:
    """The bare app under `streamlit run` with the same server options as the real one."""
    from tests.e2e_support import free_port, stop_server, wait_for_health

    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "benchmarks" / "floor_app.py"),
               "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
               "--global.developmentMode", "false"]
    with open(log, "ab") as output:
        server = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    stack.callback(stop_server, server)
    wait_for_health(port)
    return server, f"http://127.0.0.1:{port}"


def measure(pid: int, base: str, members: int, ramp: float, code: str) -> tuple[float, int, int, dict]:
    """(server CPU seconds, journeys completed, journeys started, median ms per action) for one run of members."""
    asyncio.run(run_members([base], 1, 0.0, THINK, first_number=1_000_000, code=code))  # warm-up, not counted
    before = cpu_seconds([pid])
    people, _wall = asyncio.run(run_members([base], members, ramp, THINK, code=code))
    used = cpu_seconds([pid]) - before
    for member in people:
        if member.error:
            print(f"    ! member {member.number} {member.error}")
    medians = {action: 1000 * float(np.median([v for member in people for v in member.timings[action]] or [np.nan]))
               for action in ACTIONS}
    return used, sum(member.served for member in people), members, medians


FLOOR, CONSULT = "bare Streamlit (floor)", "consult"


def _cores() -> tuple[set[int] | None, set[int] | None]:
    """(the server's core, the load generator's core): two of this process's cores, so the generator never runs
    on the core it is measuring; (None, None) where there are fewer than two or the platform cannot pin."""
    try:
        cores = sorted(os.sched_getaffinity(0))
    except AttributeError:
        return None, None
    return ({cores[0]}, {cores[1]}) if len(cores) >= 2 else (None, None)


def _on(cores: set[int] | None) -> None:
    if cores is not None:
        os.sched_setaffinity(0, cores)  # servers started from here inherit it


def run_round(name: str, args, logs: Path, cores: tuple) -> tuple[float, int, int, dict]:
    """One fresh server of the kind `name` (a fresh demo database for consult), measured as `measure` does."""
    from consult.demo import consultation as demo

    server_core, client_core = cores
    with ExitStack() as stack:
        _on(server_core)
        if name == FLOOR:
            server, base = start_floor(stack, logs / "floor.log")
        else:
            url, _engine, _consultation_id = stack.enter_context(demo_database(args.database))
            [(server, base)] = start_servers(stack, url, 1, logs)
            time.sleep(2.0)  # the preload has reported ready; let its last imports settle before the clock starts
        _on(client_core)
        return measure(server.pid, base, args.members, args.ramp, demo.JOIN_CODE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=60)
    parser.add_argument("--ramp", type=float, default=30.0)
    parser.add_argument("--rounds", type=int, default=2,
                        help="pairs of runs, in the order floor, consult, consult, floor, ... (default 2)")
    parser.add_argument("--database", default="sqlite", help="sqlite (default) or postgres")
    args = parser.parse_args(argv)

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    logs = Path(tempfile.mkdtemp(prefix="consult-floor-"))
    cores = _cores()
    print("server pinned to core " + str(sorted(cores[0])[0]) + ", load generator to core " + str(sorted(cores[1])[0])
          if cores[0] else "not pinned (fewer than two cores)")
    # floor, consult, consult, floor, ...: a machine that drifts faster or slower during the run weighs on both alike
    order = [kind for number in range(args.rounds) for kind in ((FLOOR, CONSULT) if number % 2 == 0 else (CONSULT, FLOOR))]
    runs: list[tuple[str, tuple]] = []
    for name in order:
        runs.append((name, run_round(name, args, logs, cores)))
        used, served, started, _ = runs[-1][1]
        print(f"  {name:<26}{f'{served}/{started}':>8} journeys {used:7.2f} CPU s {used / max(served, 1):8.3f} per journey")
    _on(None if cores[0] is None else cores[0] | cores[1])
    print(f"{args.members} members over {args.ramp:.0f} s each, {args.rounds} round(s), database {args.database}; "
          "server CPU per journey")
    print(f"{'server':<26}{'journeys':>10}{'CPU s':>9}{'core-s per journey':>20}{'vs floor':>10}")
    totals = {}
    for name in (FLOOR, CONSULT):
        mine = [result for kind, result in runs if kind == name]
        totals[name] = (sum(r[0] for r in mine), sum(r[1] for r in mine), sum(r[2] for r in mine))
    floor = totals[FLOOR][0] / max(totals[FLOOR][1], 1)
    for name, (used, served, started) in totals.items():
        per_journey = used / max(served, 1)
        print(f"{name:<26}{f'{served}/{started}':>10}{used:>9.2f}{per_journey:>20.3f}{per_journey / floor:>9.2f}x")
    medians = {name: {action: float(np.median([r[3][action] for kind, r in runs if kind == name])) for action in ACTIONS}
               for name in (FLOOR, CONSULT)}
    print("median page run as the member sees it, ms: " + ", ".join(
        f"{action} {medians[FLOOR][action]:.0f} / {medians[CONSULT][action]:.0f}" for action in ACTIONS)
        + " (floor / consult)")
    ratio = (totals[CONSULT][0] / max(totals[CONSULT][1], 1)) / floor
    print(f"target: consult within {TARGET}x of the floor: {'met' if ratio <= TARGET else 'NOT met'} ({ratio:.2f}x)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; server logs in {logs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
