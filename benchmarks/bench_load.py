"""Load: simulated members against real Streamlit servers, a few real browsers, and concurrent writers.

    python -m benchmarks.bench_load --protocol --members 200 [--ramp 60] [--processes 1] [--database sqlite|postgres|URL]
    python -m benchmarks.bench_load --protocol --target https://staging.example --members 500 [--database URL]
    python -m benchmarks.bench_load [--browsers 10] [--writers 200] [--skip-browsers] [--skip-writers]

Protocol (`--protocol`, the capacity figures): members that speak Streamlit's own websocket protocol, without a
browser, against `--processes` real `streamlit run` servers on one database holding the demo consultation; see
`load_protocol.py`. It ends with `members=N served=S lost=L joins_per_s=J p95_ms=P`.

Browsers: N headless Chromium sessions (Debian's /usr/bin/chromium) each join by link, vote three times and make a
proposal through the pages, all at once against one `streamlit run` server on SQLite, reading for 1-3 s before
each action as a member would. An action's latency runs from the click to the page showing its result (what the
member waits for); "first page load" runs from opening the link to a usable join form. The browsers share the
server's cores, so this is a check that the browser path behaves as the protocol members do, not a capacity test.

Writers: N concurrent writers each join, propose and cast five votes through `consult.storage`, as N threads in one
process (one app server, one connection pool) and as N threads spread over several processes (several app
servers), on SQLite and on PostgreSQL. Baseline, measured in the same run: one writer alone.

After every run the database is checked: every acknowledged write is there, no vote is counted twice (current
votes are unique per member and proposal, and the running tallies equal a rebuild from the votes).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from benchmarks.common import postgres_available, row, scratch_engine  # noqa: E402
from consult import regions, storage  # noqa: E402
from consult.storage import db, tallies  # noqa: E402
from consult.storage import schema as s  # noqa: E402

ACTIONS = ("join", "propose", "vote")
WORDS = ["buses", "trams", "housing", "skills", "ports", "rail", "health", "police", "energy", "water", "roads",
         "schools", "broadband", "farming", "tourism", "culture", "flood defences", "care", "planning", "taxes"]


# -- service layer ---------------------------------------------------------------------------------------------

def _write_one(engine, consultation_id: int, seed: int, targets: list[int]) -> dict:
    rng = random.Random(seed)
    out = {"latency": {a: [] for a in ACTIONS}, "participants": [], "proposals": [], "votes": [], "errors": []}

    def timed(action, fn):
        """(True, result) once the write returned, i.e. committed; (False, None) after an error."""
        start = time.perf_counter()
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - a failed write is counted and reported, not hidden
            out["errors"].append(f"{action}: {exc.__class__.__name__}: {str(exc)[:120]}")
            return False, None
        out["latency"][action].append(time.perf_counter() - start)
        return True, result

    joined, member = timed("join", lambda: storage.add_participant(engine, consultation_id,
                                                                 region=rng.choice(regions.region_codes())))
    if not joined:
        return out
    out["participants"].append(member.id)
    words = rng.sample(WORDS, 3)
    proposed, saved = timed("propose", lambda: storage.add_proposal(
        engine, consultation_id, author_id=member.id,
        body=f"Writer {seed} asks that {words[0]}, {words[1]} and {words[2]} be run by the regions"))
    if proposed:
        out["proposals"].append(saved.id)
    for proposal_id in rng.sample(targets, 5):
        value = rng.choice([1, 1, -1, 0])
        if timed("vote", lambda p=proposal_id, v=value: storage.cast_vote(engine, member.id, p, v))[0]:
            out["votes"].append((member.id, proposal_id, value))
    return out


def _merge(results: list[dict]) -> dict:
    merged = {"latency": {a: [] for a in ACTIONS}, "participants": [], "proposals": [], "votes": [], "errors": []}
    for result in results:
        for action in ACTIONS:
            merged["latency"][action] += result["latency"][action]
        for key in ("participants", "proposals", "votes", "errors"):
            merged[key] += result[key]
    return merged


def _threads(url: str, consultation_id: int, seeds: list[int], targets: list[int], start_at: float,
             pool_size: int) -> dict:
    """One process (an app server) with its own pool, running one thread per writer."""
    engine = db.make_engine(url, **({} if url.startswith("sqlite") else
                                    {"pool_size": pool_size, "max_overflow": 0, "pool_timeout": 120}))
    barrier = threading.Barrier(len(seeds))

    def run(seed: int) -> dict:
        barrier.wait()
        time.sleep(max(0.0, start_at - time.time()))
        return _write_one(engine, consultation_id, seed, targets)

    with ThreadPoolExecutor(len(seeds)) as pool:
        results = list(pool.map(run, seeds))
    engine.dispose()
    return _merge(results)


def _prepare(engine) -> tuple[int, list[int]]:
    consultation = storage.create_consultation(engine, title="Load test", question="What should the regions run?",
                                             min_chars=10, max_proposals_per_participant=10)
    targets = [storage.add_proposal(engine, consultation.id, author_id=None, is_seed=True,
                                  body=f"Seed proposal {i}: regional control of {WORDS[i % len(WORDS)]}").id
               for i in range(40)]
    return consultation.id, targets


def _check(engine, consultation_id: int, acked: dict) -> list[str]:
    """Everything acknowledged is stored, nothing is counted twice; returns the problems found."""
    problems = []
    people = set(storage.participants_frame(engine, consultation_id)["id"])
    proposals = set(storage.proposals_frame(engine, consultation_id)["id"])
    votes = storage.votes_frame(engine, consultation_id)
    if not set(acked["participants"]) <= people:
        problems.append(f"{len(set(acked['participants']) - people)} acknowledged joins missing")
    if not set(acked["proposals"]) <= proposals:
        problems.append(f"{len(set(acked['proposals']) - proposals)} acknowledged proposals missing")
    current = votes.set_index(["participant_id", "proposal_id"])["value"]
    lost = [v for v in acked["votes"] if current.get((v[0], v[1])) != v[2]]
    if lost:
        problems.append(f"{len(lost)} acknowledged votes missing or changed")
    if current.index.duplicated().any() or len(votes) != len(acked["votes"]):
        problems.append(f"{len(votes)} votes stored for {len(acked['votes'])} acknowledged")
    with engine.connect() as conn:
        counted = conn.execute(select(func.coalesce(func.sum(s.proposal_stats.c.agree + s.proposal_stats.c.disagree
                                                             + s.proposal_stats.c.passes), 0))
                               .where(s.proposal_stats.c.consultation_id == consultation_id)).scalar()
        running = pd.read_sql(select(s.proposal_stats).where(s.proposal_stats.c.consultation_id == consultation_id)
                              .order_by(s.proposal_stats.c.proposal_id), conn)
    if counted != len(votes):
        problems.append(f"tallies count {counted} votes, the votes table holds {len(votes)}")
    with db.writing(engine) as conn:
        tallies.rebuild(conn, consultation_id)
    with engine.connect() as conn:
        rebuilt = pd.read_sql(select(s.proposal_stats).where(s.proposal_stats.c.consultation_id == consultation_id)
                              .order_by(s.proposal_stats.c.proposal_id), conn)
    if not np.allclose(running[["agree", "disagree", "passes", "log_gic"]].to_numpy(float),
                       rebuilt[["agree", "disagree", "passes", "log_gic"]].to_numpy(float)):
        problems.append("running tallies differ from a rebuild")
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            if conn.exec_driver_sql("PRAGMA integrity_check").scalar() != "ok":
                problems.append("SQLite integrity_check failed")
    return problems


def _percentiles(values: list[float]) -> tuple[float, float]:
    if not values:
        return float("nan"), float("nan")
    return float(np.percentile(values, 50) * 1000), float(np.percentile(values, 95) * 1000)


def run_writers(backend: str, mode: str, writers: int, processes: int) -> dict:
    with scratch_engine(backend) as engine:
        url = engine.url.render_as_string(hide_password=False)
        consultation_id, targets = _prepare(engine)
        start_at = time.time() + (8.0 if mode == "processes" else 0.5)  # processes need a moment to start
        if mode == "threads":
            acked = _threads(url, consultation_id, list(range(writers)), targets, start_at, pool_size=20)
        else:
            groups = [list(range(i, writers, processes)) for i in range(processes)]
            # each process is one app server with a small pool: processes x 3 stays under max_connections
            with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
                acked = _merge(list(pool.map(_threads, [url] * processes, [consultation_id] * processes, groups,
                                             [targets] * processes, [start_at] * processes, [3] * processes)))
        wall = time.time() - start_at
        problems = _check(engine, consultation_id, acked)
    return {"acked": acked, "wall": wall, "problems": problems}


def writers_report(writers: int, processes: int) -> None:
    backends = ["sqlite"] + (["postgres"] if postgres_available() else [])
    widths = (34, 8, 8, 22, 22, 22, 8, 8)
    print(row("service layer", "writes", "errors", "join p50/p95 ms", "propose p50/p95", "vote p50/p95", "wall s",
              "checks", widths=widths))
    for backend in backends:
        base = run_writers(backend, "threads", 1, 1)
        base_p50 = {a: _percentiles(base["acked"]["latency"][a])[0] for a in ACTIONS}
        cells = [f"{_percentiles(base['acked']['latency'][a])[0]:.1f}/{_percentiles(base['acked']['latency'][a])[1]:.1f}"
                 for a in ACTIONS]
        print(row(f"{backend}: 1 writer (baseline)", _count(base["acked"]), len(base["acked"]["errors"]), *cells,
                  f"{base['wall']:.1f}", "ok" if not base["problems"] else "FAILED", widths=widths))
        for mode in ("threads", "processes"):
            result = run_writers(backend, mode, writers, processes)
            acked = result["acked"]
            cells = []
            for action in ACTIONS:
                p50, p95 = _percentiles(acked["latency"][action])
                cells.append(f"{p50:.0f}/{p95:.0f} (x{p50 / base_p50[action]:.0f})")
            label = f"{backend}: {writers} {'threads' if mode == 'threads' else f'over {processes} processes'}"
            print(row(label, _count(acked), len(acked["errors"]), *cells, f"{result['wall']:.1f}",
                      "ok" if not result["problems"] else "FAILED", widths=widths))
            for problem in result["problems"] + acked["errors"][:5]:
                print(f"    ! {problem}")
    print("(pNN ms; xN = p50 against the lone writer; checks = acknowledged writes all stored, no vote counted "
          "twice, tallies equal a rebuild)")


def _count(acked: dict) -> int:
    return len(acked["participants"]) + len(acked["proposals"]) + len(acked["votes"])


# -- browsers --------------------------------------------------------------------------------------------------

async def _member(context, base: str, code: str, number: int, region: str, stats: dict) -> None:
    from playwright.async_api import expect

    page = await context.new_page()
    page.set_default_timeout(300_000)
    rng = random.Random(number)

    async def read() -> None:
        """A member reads what is on the screen before acting (1 to 3 s)."""
        await asyncio.sleep(rng.uniform(1.0, 3.0))

    step = "open the join link"
    try:
        start = time.perf_counter()
        await page.goto(f"{base}/?join={code}", wait_until="domcontentloaded")
        await expect(page.get_by_label("Join code")).to_have_value(code, timeout=300_000)
        await page.get_by_test_id("stSelectbox").click()
        await page.get_by_role("option", name=region).click()
        await page.get_by_text("I have read the privacy notice").click()
        page_loaded = time.perf_counter()
        await read()
        clicked, step = time.perf_counter(), "join"
        await page.get_by_role("button", name="Join").click()
        await page.get_by_role("heading", name="Vote on proposals").wait_for()
        stats["latency"]["join"].append(time.perf_counter() - clicked)
        stats["page_load"].append(page_loaded - start)
        token = re.search(r"p=([^&]+)", page.url).group(1)
        stats["tokens"].append(token)
        for voted in range(3):
            # locator.wait_for checks on every animation frame; expect() backs off to 1 s between checks
            await page.get_by_text(re.compile(rf"^{voted} votes? ·")).first.wait_for()
            await read()
            clicked, step = time.perf_counter(), f"vote {voted + 1}"
            counted = page.get_by_text(re.compile(rf"^{voted + 1} votes? ·")).first
            for attempt in range(6):  # pressed again after 30 s without a response, as for proposals
                stats["repeated_clicks"] += attempt > 0
                await page.get_by_role("button", name="Agree", exact=True).click()
                try:
                    await counted.wait_for(timeout=30_000)
                    break
                except Exception:  # noqa: BLE001 - nothing happened in 30 s: press again
                    continue
            else:
                raise TimeoutError("no vote counted after 6 presses, 30 s apart")
            stats["latency"]["vote"].append(time.perf_counter() - clicked)
            stats["votes"] += 1
        step = "open the propose page"
        await page.goto(f"{base}/propose?p={token}")
        box = page.get_by_role("textbox", name="Your proposal")
        await box.wait_for()
        await read()
        await box.fill(f"Member {number} wants {WORDS[number % len(WORDS)]} decided in {region} ({token[:5]})")
        clicked, step = time.perf_counter(), "propose"
        different = page.get_by_role("button", name="No, mine is different: submit it").first
        published = page.get_by_text("Your proposal is published").first
        refused = page.get_by_test_id("stAlertContentError").first
        # as a member would, press again when nothing has happened after 30 s (counted in the report); a
        # repeated submission is safe: a member who sends the same text again gets their first proposal back
        unanswered = answered = False
        for _ in range(6):
            button = page.get_by_role("button", name="Continue").first
            if await different.count():
                step, button = "propose (after the similar proposals)", different
            stats["repeated_clicks"] += unanswered
            await button.click()
            try:
                await different.or_(published).or_(refused).first.wait_for(timeout=30_000)
                if await different.is_visible() and step == "propose":
                    unanswered = False
                    continue  # similar proposals offered: the member says theirs is different
                await published.or_(refused).first.wait_for(timeout=30_000)
                answered = True
                break
            except Exception:  # noqa: BLE001 - nothing happened in 30 s: press again
                unanswered = True
        if not answered:
            raise TimeoutError("no answer after 6 presses, 30 s apart")
        if await refused.count():
            raise RuntimeError(f"the page said: {await refused.inner_text()}")
        stats["latency"]["propose"].append(time.perf_counter() - clicked)
        stats["proposals"].append(token)
    except Exception as exc:  # noqa: BLE001 - reported with the figures
        alerts = await page.get_by_test_id("stAlert").all_inner_texts()
        if alerts:
            exc = RuntimeError(f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:100]}; the page shows: "
                               f"{' | '.join(alerts)[:200]}")
        app = page.get_by_test_id("stApp")
        state = (f"script {await app.get_attribute('data-test-script-state', timeout=5_000)}, "
                 f"connection {await app.get_attribute('data-test-connection-state', timeout=5_000)}"
                 if await app.count() else "no app on the page")
        await page.screenshot(path=str(stats["evidence"] / f"member-{number}.png"), full_page=True)
        stats["errors"].append(f"member {number} at '{step}' ({state}): {exc.__class__.__name__}: "
                               f"{str(exc).splitlines()[0][:160]}")
    finally:
        await page.close()


async def _browsers(base: str, code: str, n: int, ramp: float, evidence: Path) -> dict:
    from playwright.async_api import async_playwright

    stats = {"latency": {a: [] for a in ACTIONS}, "page_load": [], "tokens": [], "proposals": [], "votes": 0,
             "errors": [], "repeated_clicks": 0, "evidence": evidence}
    names = [regions.region_name(c) for c in regions.region_codes()]
    async with async_playwright() as p:
        # Every member is a tab with its own Streamlit session and WebSocket, so the server sees n members.
        # The tabs are spread over several Chromium instances of up to 10 tabs each (one Chromium's browser
        # and GPU processes serialise page loads for all its tabs), and the tabs of one instance share a
        # profile, so the harness, on the same 2 cores as the server, compiles Streamlit's JavaScript once per
        # instance. A member's identity is in their tab's link, not in cookies.
        contexts, browsers = [], []
        for _ in range(max(1, (n + 9) // 10)):
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync"])
            browsers.append(browser)
            contexts.append(await browser.new_context(viewport={"width": 390, "height": 700}))  # a phone

        async def staggered(i: int) -> None:
            await asyncio.sleep(ramp * i / n)
            await _member(contexts[i % len(contexts)], base, code, i, names[i % len(names)], stats)

        await asyncio.gather(*(staggered(i) for i in range(n)))
        for browser in browsers:
            await browser.close()
    return stats


def _cpu_seconds(pid: int | None = None) -> float:
    """CPU time of one process (user + system), or of the whole machine (all cores, busy time)."""
    ticks = os.sysconf("SC_CLK_TCK")
    if pid is None:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        return (int(fields[0]) + int(fields[1]) + int(fields[2])) / ticks
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks


def browsers_report(n: int, ramp: float) -> None:
    if not Path("/usr/bin/chromium").exists():
        print("browser load: skipped, Debian's chromium is not installed (apt-get install chromium)")
        return
    widths = (34, 10, 20, 20, 20)
    print(row("browsers against one server", "members", *(f"{action} p50/p95 ms" for action in ACTIONS),
              widths=widths))
    baseline = None
    for members, arrival in ((1, 0.0), (n, ramp)):
        stats, wall, server_cpu, machine_cpu, problems = _browser_run(members, arrival)
        cells = []
        for action in ACTIONS:
            p50, p95 = _percentiles(stats["latency"][action])
            ratio = f" x{p50 / baseline[action]:.1f}" if baseline and baseline.get(action) else ""
            cells.append(f"{p50:.0f}/{p95:.0f}{ratio}")
        label = "1 member alone (baseline)" if members == 1 else f"{members} members, arriving over {arrival:.0f} s"
        print(row(label, f"{len(stats['proposals'])}/{members}", *cells, widths=widths))
        load_p50, load_p95 = _percentiles(stats["page_load"])
        cores = os.cpu_count() or 1
        print(f"    first page load p50/p95 {load_p50:.0f}/{load_p95:.0f} ms; {len(stats['tokens'])} joined, "
              f"{stats['votes']} votes and {len(stats['proposals'])} proposals acknowledged in {wall:.0f} s; "
              f"server CPU {server_cpu:.0f} s ({100 * server_cpu / wall:.0f}% of one core), whole machine "
              f"{100 * machine_cpu / wall / cores:.0f}% of {cores} cores; {stats['repeated_clicks']} clicks repeated "
              f"after 30 s without a response; {len(stats['errors'])} errors; "
              f"checks {'ok' if not problems else 'FAILED'}")
        for problem in problems + stats["errors"][:10]:
            print(f"    ! {problem}")
        if stats["errors"]:
            print(f"    screenshots of the members who did not finish, and the server's log: {stats['evidence']}")
        else:
            shutil.rmtree(stats["evidence"], ignore_errors=True)
        if members == 1:
            baseline = {a: _percentiles(stats["latency"][a])[0] for a in ACTIONS}
    print("(ms from a member's press to the page's answer; propose includes the similar-proposals step, where the "
          "member presses 'mine is different' at once; xN = p50 against the lone member; the members' Chromium "
          "tabs run on the same cores as the server)")


def _browser_run(n: int, ramp: float):
    from tests.e2e_support import free_port, start_server, stop_server

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/load.db"
        engine = db.make_engine(url)
        storage.init_db(engine)
        consultation = storage.create_consultation(engine, title="Browser load test", join_code="LOAD5O",
                                                 question="What should the regions run?", min_chars=10)
        for i in range(12):
            storage.add_proposal(engine, consultation.id, author_id=None, is_seed=True,
                               body=f"Seed {i}: let the regions run {WORDS[i]}")
        port = free_port()
        evidence = Path(tempfile.mkdtemp(prefix="consult-load-"))
        server = start_server(url, port=port, log=evidence / "server.log")
        try:
            from benchmarks.servers import wait_until_ready

            wait_until_ready(evidence / "server.log")  # a started server, not one still loading its libraries
            start, server_start, machine_start = time.perf_counter(), _cpu_seconds(server.pid), _cpu_seconds()
            stats = asyncio.run(_browsers(f"http://127.0.0.1:{port}", "LOAD5O", n, ramp, evidence))
            wall = time.perf_counter() - start
            server_cpu, machine_cpu = _cpu_seconds(server.pid) - server_start, _cpu_seconds() - machine_start
        finally:
            stop_server(server)
        people = storage.participants_frame(engine, consultation.id)
        votes = storage.votes_frame(engine, consultation.id)
        proposals = storage.proposals_frame(engine, consultation.id)
        stored_authors = set(proposals["author_id"].dropna().astype(int))
        acked_people = {storage.participant_by_token(engine, t).id for t in stats["tokens"]}
        problems = []
        if len(acked_people) != len(stats["tokens"]) or not acked_people <= set(people["id"]):
            problems.append("an acknowledged join is missing")
        if len(votes) < stats["votes"] or votes.duplicated(["participant_id", "proposal_id"]).any():
            problems.append(f"{len(votes)} votes stored for {stats['votes']} acknowledged")
        authored = {storage.participant_by_token(engine, t).id for t in stats["proposals"]}
        if not authored <= stored_authors:
            problems.append("an acknowledged proposal is missing")
        with engine.connect() as conn:
            counted = conn.execute(select(func.coalesce(func.sum(
                s.proposal_stats.c.agree + s.proposal_stats.c.disagree + s.proposal_stats.c.passes), 0))).scalar()
        if counted != len(votes):
            problems.append(f"tallies count {counted} votes for {len(votes)} stored")
        engine.dispose()
    return stats, wall, server_cpu, machine_cpu, problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="load benchmark")
    parser.add_argument("--browsers", type=int, default=10)
    parser.add_argument("--ramp", type=float, default=60.0,
                        help="seconds over which the browsers arrive (a room scanning the QR code)")
    parser.add_argument("--writers", type=int, default=200)
    parser.add_argument("--processes", type=int, default=None,
                        help="app processes (--protocol, default 1); else processes the writers are spread over "
                             "(default 25)")
    parser.add_argument("--protocol", action="store_true",
                        help="simulated members speaking Streamlit's websocket protocol, no browsers")
    parser.add_argument("--members", type=int, default=200, help="members for --protocol")
    parser.add_argument("--target", action="append", default=[],
                        help="--protocol against a running deployment (repeat for several servers) instead of "
                             "servers started here; --database is then its database URL, for the lost check")
    parser.add_argument("--code", default=None, help="the join code members use with --target (default DEVO26)")
    parser.add_argument("--database", default="sqlite",
                        help="for --protocol: sqlite, postgres, or a PostgreSQL URL (a scratch database is made on "
                             "that server)")
    parser.add_argument("--skip-browsers", action="store_true")
    parser.add_argument("--skip-writers", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONPATH", str(Path(__file__).resolve().parents[1]))
    if args.protocol:
        from benchmarks.load_protocol import protocol_report, remote_report
        from consult.demo import consultation as demo

        if args.target:
            remote_report(args.target, args.members, args.ramp, args.code or demo.JOIN_CODE,
                          None if args.database == "sqlite" else args.database)
        else:
            protocol_report(args.members, args.ramp, args.processes or 1, args.database)
        return 0
    if not args.skip_writers:
        writers_report(args.writers, args.processes or 25)
    if not args.skip_browsers:
        browsers_report(args.browsers, args.ramp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
