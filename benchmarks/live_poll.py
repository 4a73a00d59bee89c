"""A live poll in a room: members answer on their phones while the presenter refreshes.

    python -m benchmarks.bench_live --poll [--members 200] [--seconds 30]

One `streamlit run` server (as `make run` starts it) on a fresh database holding one consultation with a
single-choice question launched as a live poll. `--members` protocol members (Streamlit's websocket protocol, see
`streamlit_client.py`, each from an address of its own) arrive evenly over `--seconds`: each opens the join link,
joins, opens the Questions page, chooses an option and saves it. Meanwhile one presenter tab re-runs the presenter
page every 2 s, as the shared screen does, and its run times are the "presenter refresh" figures.

Reported: answers acknowledged, answers stored (every acknowledged answer must be stored, each member once), the
count the presenter showed at the end, member action latencies (p50/p95), presenter refresh p50/p95 and its
baseline in the same run (the presenter alone, before members arrive), CPU of the server and the machine's load.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.load_protocol import percentiles
from benchmarks.servers import cpu_seconds, machine_busy_seconds, start_servers
from benchmarks.streamlit_client import StreamlitTab
from consult import regions, storage
from consult.questions.kinds import make_spec
from consult.storage import db, room
from consult.storage import questions as question_store

OPTIONS = ("Transport", "Housing", "Skills", "Health")
CODE = "POLL"


@dataclass
class PollMember:
    number: int
    timings: dict[str, list[float]] = field(default_factory=lambda: {"join": [], "open questions": [], "answer": []})
    answered: str | None = None
    answered_at: float | None = None
    error: str | None = None


async def _answer(base_url: str, member: PollMember, delay: float) -> None:
    await asyncio.sleep(delay)
    rng = random.Random(member.number)
    tab = StreamlitTab(base_url, forwarded_for=f"10.9.{member.number >> 8}.{member.number & 255}")
    step = "open"
    try:
        await tab.open("", f"join={CODE}")
        tab.fill("Where do you live?", regions.region_name(rng.choice(regions.region_codes())))
        tab.fill("I have read the privacy notice and want to take part", True)
        step = "join"
        member.timings["join"].append(await tab.click("Join"))
        step = "open questions"
        member.timings["open questions"].append(await tab.go("questions"))
        choice = rng.choice(OPTIONS)
        tab.fill("Your answer", choice, "radio")
        step = "answer"
        member.timings["answer"].append(await tab.click("Save my answer"))
        if not tab.page.shows("Your answer is saved"):
            raise RuntimeError(f"not confirmed: {tab.page.texts()[:4]}")
        member.answered = choice
        member.answered_at = time.perf_counter()
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        member.error = f"at {step}: {exc.__class__.__name__}: {str(exc)[:160]}"
    finally:
        await tab.close()


def _count_shown(texts: list[str]) -> int | None:
    return next((int(match.group(1).replace(",", "")) for text in texts
                 if (match := re.search(r"([\d,]+) answers?\b", text))), None)


async def _presenter(base_url: str, stop: asyncio.Event, refreshes: list[float], shown: list[str],
                     screens: list[tuple[float, int]] | None = None) -> None:
    tab = StreamlitTab(base_url)
    await tab.open("present", f"code={CODE}")
    while not stop.is_set():
        await asyncio.sleep(2.0)
        refreshes.append(await tab._timed())
        shown[:] = tab.page.texts()
        if screens is not None:
            screens.append((time.perf_counter(), _count_shown(shown) or 0))
    await tab.close()


def staleness(members: list[PollMember], screens: list[tuple[float, int]]) -> list[float]:
    """For the k-th acknowledged answer, the time until a presenter refresh first showed k or more answers."""
    waits = []
    for k, done in enumerate(sorted(m.answered_at for m in members if m.answered_at is not None), start=1):
        seen = next((at for at, count in screens if at >= done and count >= k), None)
        if seen is not None:
            waits.append(seen - done)
    return waits


async def _run(base_url: str, members: list[PollMember], seconds: float, screens: list[tuple[float, int]]
               ) -> tuple[list[float], list[float], list[str]]:
    shown: list[str] = []
    alone: list[float] = []
    stop = asyncio.Event()
    # baseline in the same run: the presenter refreshing with nobody else on the server
    baseline_task = asyncio.ensure_future(_presenter(base_url, stop, alone, shown))
    await asyncio.sleep(12)
    stop.set()
    await baseline_task
    stop = asyncio.Event()
    refreshes: list[float] = []
    presenter = asyncio.ensure_future(_presenter(base_url, stop, refreshes, shown, screens))
    await asyncio.gather(*(_answer(base_url, m, seconds * i / len(members)) for i, m in enumerate(members)))
    await asyncio.sleep(4.5)  # two more refreshes: the screen must catch up with the last answer
    stop.set()
    await presenter
    return alone, refreshes, shown


def poll_report(n: int, seconds: float) -> str:
    load = os.getloadavg()
    print(f"live poll: {n} members answering over {seconds:.0f} s, one app process, SQLite; machine: "
          f"{os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        url = f"sqlite:///{folder}/poll.db"
        engine = db.make_engine(url)
        storage.init_db(engine)
        consultation = storage.create_consultation(engine, title="Branch meeting", question="What should we "
                                                   "devolve first?", join_code=CODE)
        (question_id,) = question_store.add_questions(engine, consultation.id, [
            make_spec("single", "Which power should go to the regions first?", OPTIONS)])
        question_store.set_status(engine, question_id, "open")
        room.set_focus(engine, consultation.id, "question", question_id)
        servers = start_servers(stack, url, 1, Path(folder))
        (server, base_url), = servers
        members = [PollMember(i + 1) for i in range(n)]
        cpu_before, busy_before, wall_before = cpu_seconds([server.pid]), machine_busy_seconds(), time.perf_counter()
        screens: list[tuple[float, int]] = []
        alone, refreshes, shown = asyncio.run(_run(base_url, members, seconds, screens))
        wall = time.perf_counter() - wall_before
        server_cpu = (cpu_seconds([server.pid]) - cpu_before) / wall
        machine = (machine_busy_seconds() - busy_before) / wall / (os.cpu_count() or 1)
        acknowledged = [m for m in members if m.answered]
        stored = question_store.answers_frame(engine, consultation.id, question_id)
        counted_on_screen = _count_shown(shown)
        engine.dispose()
    for member in members:
        if member.error:
            print(f"    ! member {member.number} {member.error}")
    lost = len(acknowledged) - len(stored)
    print(f"answers acknowledged {len(acknowledged)} of {n}; stored {len(stored)} (one per member: "
          f"{stored['participant_id'].is_unique}); lost {lost}; the presenter's last refresh showed "
          f"{counted_on_screen} answers")
    for action in ("join", "open questions", "answer"):
        p50, p95 = percentiles([t for m in members for t in m.timings[action]])
        print(f"  member {action:<15} p50 {p50:6.0f} ms   p95 {p95:6.0f} ms")
    base50, base95 = percentiles(alone)
    p50, p95 = percentiles(refreshes)
    print(f"  presenter refresh  alone (baseline): p50 {base50:.0f} ms, p95 {base95:.0f} ms over {len(alone)} runs")
    print(f"  presenter refresh  with the poll:    p50 {p50:.0f} ms, p95 {p95:.0f} ms over {len(refreshes)} runs "
          f"(p95 {p95 / base95:.2f}x the baseline)")
    waits = staleness(members, screens)
    wait50, wait95 = percentiles(waits)
    print(f"  answer to screen   p50 {wait50:.0f} ms, p95 {wait95:.0f} ms over {len(waits)} answers (the screen "
          "refreshes every 2 s)")
    print(f"  CPU: server {server_cpu:.0%} of one core, machine {machine:.0%} of all cores (this load generator "
          "included)")
    summary = (f"members={n} answered={len(acknowledged)} stored={len(stored)} lost={lost} "
               f"screen={counted_on_screen} presenter_p95_ms={p95:.0f} baseline_p95_ms={base95:.0f} "
               f"answer_to_screen_p95_ms={wait95:.0f}")
    print(summary)
    return summary
