"""Members without browsers: hundreds of simulated members against real `streamlit run` servers on the demo.

    python -m benchmarks.bench_load --protocol --members 200 [--ramp 60] [--processes 1] [--database sqlite]

Each member is one `StreamlitTab` (Streamlit's websocket protocol, see `streamlit_client.py`) arriving at an even
pace over `--ramp` seconds from an address of its own: it opens the join link, picks a region and joins, votes
three times, opens the propose page, types and sends a proposal (saying "mine is different" when similar ones are
offered), then opens "My region", reading for 1-3 s before each action. The tab stays open to the end, so the
servers hold every session at once. Timings are server time as the tab sees it: from sending the request to the
end of the page's run.

Before the clock starts, one member goes through the journey on each server (reading as the others do): its
timings are reported as "first member after a server start" (cold caches) and kept out of the figures. Afterwards the database is checked:
every acknowledged join, vote and proposal must be stored (lost = acknowledged actions missing).
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import numpy as np
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks.common import POSTGRES_URL
from benchmarks.servers import cpu_seconds, machine_busy_seconds, rss_mb, start_servers
from benchmarks.streamlit_client import ProtocolError, StreamlitTab
from consult import regions, storage
from consult.access import member_link
from consult.demo import consultation as demo
from consult.storage import db

ACTIONS = ("first page", "join", "vote", "open propose", "type", "propose", "my region")
TOPICS = ["buses", "trams", "housing", "skills", "ports", "rail", "health", "police", "energy", "water", "roads",
          "schools", "broadband", "farming", "tourism", "culture", "flood defences", "care", "planning", "taxes"]
PUBLISHED = ("Your proposal is published", "will appear once an organiser has checked it")


@dataclass
class Member:
    number: int
    timings: dict[str, list[float]] = field(default_factory=lambda: {action: [] for action in ACTIONS})
    token: str | None = None
    votes: int = 0
    proposal: str | None = None
    join_done_at: float | None = None
    error: str | None = None

    @property
    def served(self) -> bool:
        return self.error is None and self.proposal is not None


def _token(query_string: str) -> str | None:
    """The participant's own token from the member link in the page's query string (`p=`, signed with an
    expiry: `consult.access.member_link`)."""
    for part in query_string.split("&"):
        if part.startswith("p="):
            return member_link.token_from_link(unquote(part[2:]))
    return None


async def journey(tab: StreamlitTab, member: Member, *, code: str, think: tuple[float, float],
                  tabs_left_open: list) -> None:
    """One member's visit; each acknowledged action is recorded the moment the page confirms it."""
    rng = random.Random(member.number)
    step = "first page"

    async def read() -> None:
        await asyncio.sleep(rng.uniform(*think))

    def timed(action: str, seconds: float) -> None:
        member.timings[action].append(seconds)

    try:
        timed(step, await tab.open("", f"join={code}"))
        tabs_left_open.append(tab)
        region = regions.region_name(rng.choice(regions.region_codes()))
        tab.fill("Where do you live?", region)
        tab.fill("I have read the privacy notice and want to take part", True)
        await read()
        step = "join"
        timed(step, await tab.click("Join"))
        member.token = _token(tab.query_string)
        if tab.page.url_path != "vote" or not member.token:
            raise ProtocolError(f"after joining: page {tab.page.url_path!r}, says {tab.page.texts()[:3]}")
        member.join_done_at = time.perf_counter()
        for voted in range(1, 4):
            await read()
            step = f"vote {voted}"
            timed("vote", await tab.click(rng.choice(["Agree", "Agree", "Disagree", "Pass"])))
            if not tab.page.shows(f"Change an earlier vote ({voted})"):
                raise ProtocolError(f"vote {voted} not confirmed: {tab.page.texts()[:4]}")
            member.votes = voted
        step = "open propose"
        await read()
        timed(step, await tab.go("propose"))
        words = rng.sample(TOPICS, 3)
        # a tag of letters only: digits and letters mixed can read as a postcode, which the personal-data check holds
        tag = "".join(random.Random(uuid.uuid4().int).choices("abcdefghjkmnpqrstuvwxyz", k=8))  # nosec B311
        body = (f"Member {member.number} ({tag}) asks that {words[0]}, {words[1]} and {words[2]} "
                f"be decided in {region}")
        await read()
        step = "type"
        timed(step, await tab.change("Your proposal", body))
        step = "propose"
        seconds = await tab.click("Continue")
        if "No, mine is different: submit it" in {widget.label for widget in tab.page.widgets()}:
            seconds += await tab.click("No, mine is different: submit it")
        if not any(tab.page.shows(words) for words in PUBLISHED):
            raise ProtocolError(f"proposal not confirmed: {[t for t in tab.page.texts() if t][-6:]}")
        timed(step, seconds)
        member.proposal = body
        step = "my region"
        await read()
        timed(step, await tab.go("my-region"))
        if not tab.page.shows("Where my region stands"):
            raise ProtocolError(f"my region: {tab.page.texts()[:3]}")
    except Exception as exc:  # noqa: BLE001 - a member who could not finish is reported, not hidden
        member.error = f"at '{step}': {exc.__class__.__name__}: {str(exc)[:900]}"


def _address(number: int) -> str:
    """A private address per member (10.x.y.z), sent as X-Forwarded-For."""
    return f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}"


async def run_members(base_urls: list[str], n: int, ramp: float, think: tuple[float, float], *,
                      first_number: int = 1, while_open: Callable[[int], None] | None = None,
                      during: Callable[[int], None] | None = None,
                      code: str = demo.JOIN_CODE) -> tuple[list[Member], float]:
    """n members arriving evenly over `ramp` seconds, spread over the servers; returns them and the wall time.
    `during(sessions)` runs every half second while members are active, `while_open(sessions)` once every
    journey has ended, while the tabs are still open."""
    members = [Member(first_number + i) for i in range(n)]
    open_tabs: list[StreamlitTab] = []
    started = time.perf_counter()

    async def arrive(i: int) -> None:
        await asyncio.sleep(ramp * i / max(n, 1))
        tab = StreamlitTab(base_urls[i % len(base_urls)], forwarded_for=_address(members[i].number))
        await journey(tab, members[i], code=code, think=think, tabs_left_open=open_tabs)

    async def watch() -> None:
        while during is not None:
            during(len(open_tabs))
            await asyncio.sleep(0.5)

    watcher = asyncio.ensure_future(watch())
    await asyncio.gather(*(arrive(i) for i in range(n)))
    watcher.cancel()
    wall = time.perf_counter() - started
    if while_open is not None:
        while_open(len(open_tabs))
    await asyncio.gather(*(tab.close() for tab in open_tabs), return_exceptions=True)
    return members, wall


def lost_actions(engine, consultation_id: int, members: list[Member]) -> list[str]:
    """Acknowledged actions that are not in the database afterwards, one line each."""
    people = storage.participants_frame(engine, consultation_id)
    votes = storage.votes_frame(engine, consultation_id)
    proposals = storage.proposals_frame(engine, consultation_id)
    votes_by_person = votes.groupby("participant_id").size()
    lost = []
    for member in members:
        if member.token is None:
            continue
        found = storage.participant_by_token(engine, member.token)
        if found is None or found.id not in set(people["id"]):
            lost.append(f"member {member.number}: join")
            continue
        stored_votes = int(votes_by_person.get(found.id, 0))
        if stored_votes < member.votes:
            lost += [f"member {member.number}: vote"] * (member.votes - stored_votes)
        if member.proposal is not None:
            mine = proposals[proposals["author_id"] == found.id]
            if member.proposal not in set(mine["body"]):
                lost.append(f"member {member.number}: proposal")
    return lost


@contextmanager
def demo_database(database: str):
    """A fresh database holding the demo consultation (themes left out: members never see them). `database` is
    'sqlite', 'postgres' (CONSULT_TEST_POSTGRES_URL) or a PostgreSQL URL on whose server a scratch database is
    made and dropped afterwards."""
    if database == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/load.db"
            engine = db.make_engine(url)
            storage.init_db(engine)
            consultation_id = demo.install(engine, themes=False)
            yield url, engine, consultation_id
            engine.dispose()
        return
    server_url = POSTGRES_URL if database == "postgres" else database
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"consult_load_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    engine = db.make_engine(url)
    try:
        storage.init_db(engine)
        yield url, engine, demo.install(engine, themes=False)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def percentiles(values: list[float]) -> tuple[float, float]:
    if not values:
        return float("nan"), float("nan")
    return float(np.percentile(values, 50) * 1000), float(np.percentile(values, 95) * 1000)


def _saturated(server_share: float, rest_share: float, machine_share: float, p95_ms: float) -> str:
    """What ran out first, from the CPU each part used over the run (shares of one core; machine: of all)."""
    if p95_ms <= 1000 and max(server_share, machine_share) < 0.85:
        return f"nothing: the servers kept up (p95 {p95_ms:.0f} ms)"
    if server_share >= 0.85:
        return ("the app process's CPU: Streamlit runs every member's page in one Python interpreter, so one "
                "process uses at most one core")
    if machine_share >= 0.8:
        return ("the machine's cores: the app processes, the database and this load generator share them "
                "(more processes than free cores only share them)")
    if rest_share >= 0.85:
        return "the database or whatever else runs on this machine (outside the app processes)"
    return f"no CPU limit reached, yet p95 {p95_ms:.0f} ms: look at the servers' logs and the database's locks"


def protocol_report(n: int, ramp: float, processes: int, database: str,
                    think: tuple[float, float] = (1.0, 3.0)) -> str:
    """Run the load and print its figures; returns the summary line."""
    cores = os.cpu_count() or 1
    load_before = os.getloadavg()
    print(f"protocol load: {n} members arriving over {ramp:.0f} s, {processes} app process(es), database "
          f"{database}; machine: {cores} cores, load {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    logs = Path(tempfile.mkdtemp(prefix="consult-protocol-"))
    with demo_database(database) as (url, engine, consultation_id), ExitStack() as stack:
        servers = start_servers(stack, url, processes, logs)
        urls, pids = [base for _, base in servers], [server.pid for server, _ in servers]
        cold, _ = asyncio.run(run_members(urls, processes, 0.0, think, first_number=1_000_000))
        cells = [f"{action} {1000 * np.mean(cold_member_values(cold, action)):.0f}" for action in ACTIONS]
        print(f"first member after a server start (cold caches), ms: {', '.join(cells)}")
        for member in cold:
            if member.error:
                print(f"    ! cold member {member.number} {member.error}")
        rss_start = [rss_mb(pid) for pid in pids]
        open_rss: list[float] = []
        sessions: list[int] = []

        def while_open(open_sessions: int) -> None:
            sessions.append(open_sessions)
            open_rss.extend(rss_mb(pid) for pid in pids)

        cpu_start, busy_start = cpu_seconds(pids), machine_busy_seconds()
        own_start, started = time.process_time(), time.perf_counter()
        peak: list[tuple[float, int]] = [(0.0, 0)]

        def during(open_sessions: int) -> None:
            total = sum(rss_mb(pid) for pid in pids)
            if total > peak[0][0]:
                peak[0] = (total, open_sessions)

        members, wall = asyncio.run(run_members(urls, n, ramp, think, while_open=while_open, during=during))
        server_cpu = cpu_seconds(pids) - cpu_start
        machine_cpu = machine_busy_seconds() - busy_start
        own_cpu = time.process_time() - own_start
        lost = lost_actions(engine, consultation_id, members)
    p95_all = print_actions(members)
    joins_per_s = joins_per_second(members, started)
    served = sum(m.served for m in members)
    server_share = server_cpu / wall / processes
    # the rest of the machine is mostly the database (PostgreSQL's processes come and go with connections, so
    # they are not counted one by one; SQLite runs inside the app processes)
    rest_share = max(machine_cpu - server_cpu - own_cpu, 0.0) / wall
    print(f"CPU over the {wall:.0f} s run: each app process {100 * server_share:.0f}% of one core, the rest of the "
          f"machine (the database, if PostgreSQL) {100 * rest_share:.0f}%, this load generator "
          f"{100 * own_cpu / wall:.0f}%, whole machine "
          f"{100 * machine_cpu / wall / cores:.0f}% of {cores} cores; load after "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if open_rss:
        per_session = (sum(open_rss) - sum(rss_start)) / max(sessions[0], 1)
        busiest, active = peak[0]
        per_active = (busiest - sum(rss_start)) / max(active, 1)
        print(f"memory: app processes {sum(rss_start):.0f} MB after warm-up; at the peak while members were active "
              f"{busiest:.0f} MB with {active} sessions open ({per_active:.2f} MB per active session); "
              f"{sum(open_rss):.0f} MB holding {sessions[0]} idle sessions after their journeys "
              f"({per_session:.2f} MB per idle session)")
    print(f"saturated first: {_saturated(server_share, rest_share, machine_cpu / wall / cores, p95_all)}")
    errors = [m.error for m in members if m.error]
    for error in errors[:8]:
        print(f"    ! {error}")
    for problem in lost[:8]:
        print(f"    ! lost: {problem}")
    if errors:
        print(f"    server logs: {logs}")
    summary = (f"members={n} served={served} lost={len(lost)} joins_per_s={joins_per_s:.1f} "
               f"p95_ms={p95_all:.0f}")
    print(summary)
    return summary


def cold_member_values(members: list[Member], action: str) -> list[float]:
    return [v for member in members for v in member.timings[action]] or [float("nan")]


def print_actions(members: list[Member]) -> float:
    """The per-action table; returns the p95 over every page run (ms)."""
    print(f"{'action':<16}{'runs':>8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    every_run = []
    for action in ACTIONS:
        values = [v for member in members for v in member.timings[action]]
        every_run += values
        p50, p95 = percentiles(values)
        print(f"{action:<16}{len(values):>8}{p50:>10.0f}{p95:>10.0f}{1000 * max(values, default=np.nan):>10.0f}")
    return percentiles(every_run)[1]


def joins_per_second(members: list[Member], started: float) -> float:
    joined = [m.join_done_at for m in members if m.join_done_at is not None]
    return len(joined) / (max(joined) - started) if joined else 0.0


def remote_report(targets: list[str], n: int, ramp: float, code: str, database: str | None,
                  think: tuple[float, float] = (1.0, 3.0)) -> str:
    """The same members against servers already running (a staging deployment); with `database`, the URL of
    its database, acknowledged actions are checked there afterwards."""
    print(f"protocol load against {', '.join(targets)}: {n} members arriving over {ramp:.0f} s, join code {code}; "
          f"this machine's load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    own_start, started = time.process_time(), time.perf_counter()
    members, wall = asyncio.run(run_members(targets, n, ramp, think, code=code))
    own_cpu = time.process_time() - own_start
    p95_all = print_actions(members)
    print(f"this load generator: {100 * own_cpu / wall:.0f}% of one core over {wall:.0f} s (server CPU and memory: "
          "read them on the servers)")
    for error in [m.error for m in members if m.error][:8]:
        print(f"    ! {error}")
    lost_count = "unchecked"
    if database:
        engine = db.make_engine(database)
        lost = lost_actions(engine, storage.find_consultation(engine, code).id, members)
        engine.dispose()
        lost_count = str(len(lost))
        for problem in lost[:8]:
            print(f"    ! lost: {problem}")
    summary = (f"members={n} served={sum(m.served for m in members)} lost={lost_count} "
               f"joins_per_s={joins_per_second(members, started):.1f} p95_ms={p95_all:.0f}")
    print(summary)
    return summary
