"""Officer pages' server time on the demo consultation and on 100,000 proposals.

    python benchmarks/bench_officer.py [--proposals 100000] [--votes 500000]   (--proposals 0: the demo only)
    python benchmarks/bench_officer.py --server

Each page runs through Streamlit's AppTest (the real page script, in-process, no browser): first with cold
caches, then warm (what an officer sees on every click after the first). Target: every page under 2 s with
the demo consultation. Baseline, measured in the same run: the member join page, the lightest page.

--server: a real server (`python -m consult.app.serve`) just started on the demo; an officer signs in over
Streamlit's websocket protocol (benchmarks/streamlit_client.py) and opens every officer page twice: the first
visit after the start (target under 5 s) and the next (under 2 s). Server time as the officer's tab sees it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit import logger as streamlit_logger  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarks.common import load_synthetic, row  # noqa: E402
from consult import storage  # noqa: E402
from consult.demo import consultation as demo
from consult.storage import db  # noqa: E402
from consult.storage import themes as theme_store  # noqa: E402

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
PAGES = ["overview", "themes", "consensus", "moderate", "import_data", "export", "audit"]


def big_consultation(engine, n_props: int, n_votes: int, n_people: int = 20_000) -> int:
    rng = np.random.default_rng(1)
    pool = demo.generate(seed=5, n_participants=3000, n_proposals=12_000).proposals["body"].to_numpy()
    consultation = storage.create_consultation(engine, title="Scale test", question="Scale?", min_chars=5,
                                             join_code="SCALEI")
    load_synthetic(engine, consultation.id, [f"{pool[i % len(pool)]} ({i})" for i in range(n_props)],
                   n_people=n_people, n_votes=n_votes, rng=rng)
    theme_store.run(engine, consultation.id)
    return consultation.id


def time_page(url: str, page: str, code: str, role: str | None = "officer") -> float:
    at = AppTest.from_file(APP, default_timeout=600)
    at.secrets["connections"] = {"consult": {"url": url}}
    at.user = {"is_logged_in": False}
    if role:  # a live staff session, as the sign-in page would start (a row in staff_sessions)
        from consult.storage import db, staff_sessions

        engine = db.make_engine(url)
        try:
            at.session_state["staff_session"] = staff_sessions.start(engine, "bench", role)
        finally:
            engine.dispose()
    at.session_state["staff_consultation"] = code
    at.run()
    start = time.perf_counter()
    at.switch_page(f"consult/app/pages/{page}.py").run()
    seconds = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return seconds


def measure(url: str, code: str, label: str) -> None:
    st.cache_data.clear()
    st.cache_resource.clear()
    print(row(f"page ({label})", "cold s", "warm s", "target", widths=(34, 10, 10, 10)))
    for page in PAGES:
        cold = time_page(url, page, code)
        warm = time_page(url, page, code)
        print(row(page, f"{cold:.2f}", f"{warm:.2f}", "< 2 s" if label == "demo" else "", widths=(34, 10, 10, 10)))


SERVER_PAGES = ["overview", "themes", "consensus", "responses", "moderation", "import", "membership", "export",
                "audit"]


def measure_server() -> None:
    import asyncio
    from contextlib import ExitStack

    from benchmarks.servers import start_servers
    from benchmarks.streamlit_client import StreamlitTab
    from consult.access import staff_sign_in as auth

    password = "officer-benchmark-password"
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        url = f"sqlite:///{folder}/officer.db"
        engine = db.make_engine(url)
        storage.init_db(engine)
        demo.install(engine, themes=True)
        engine.dispose()
        secrets = Path(folder) / "secrets.toml"
        secrets.write_text(f'[accounts.olivia]\nrole = "officer"\npassword_hash = "{auth.hash_password(password)}"\n')
        os.environ["STREAMLIT_SECRETS_FILES"] = str(secrets)  # read by the server started below
        print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        ((_, base),) = start_servers(stack, url, 1, Path(folder))

        async def visit() -> list[tuple[str, float, float]]:
            tab = StreamlitTab(base)
            await tab.open("signin")
            tab.fill("Account name", "olivia")
            tab.fill("Password", password)
            signed_in = await tab.click("Sign in")
            print(f"sign-in: {signed_in:.2f} s")
            timings = []
            for page in SERVER_PAGES:
                first = await tab.go(page)
                title = next((text for text in tab.page.texts() if text), "")
                again = await tab.go(page)
                if tab.page.url_path != page or tab.page.shows("This page is for signed-in staff"):
                    raise RuntimeError(f"{page}: the server showed {tab.page.url_path!r}: {tab.page.texts()[:3]}")
                timings.append((f"{page} ({title[:24]})", first, again))
            await tab.close()
            return timings

        print(row("page (demo, real server)", "first s", "again s", "target", widths=(34, 10, 10, 14)))
        for page, first, again in asyncio.run(visit()):
            ok = first <= 5 and again <= 2
            print(row(page, f"{first:.2f}", f"{again:.2f}", "ok" if ok else "over (5 s / 2 s)",
                      widths=(34, 10, 10, 14)))


def main(argv=None) -> int:
    # AppTest outside a server logs "missing ScriptRunContext" on every cached call
    streamlit_logger.set_log_level("error")
    parser = argparse.ArgumentParser(description="officer page benchmark")
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--votes", type=int, default=500_000)
    parser.add_argument("--server", action="store_true", help="a real server just started, over the websocket")
    args = parser.parse_args(argv)
    if args.server:
        measure_server()
        return 0
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/officer.db"
        engine = db.make_engine(url)
        storage.init_db(engine)
        demo.install(engine, themes=True)
        if args.proposals:
            start = time.perf_counter()
            big = big_consultation(engine, args.proposals, args.votes)
            counts = storage.counts(engine, big)
            print(f"scale consultation built in {time.perf_counter() - start:.0f} s "
                  f"({counts.proposals:,} proposals, {counts.votes:,} votes)")
        print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        baseline = time_page(url, "join", demo.JOIN_CODE, role=None)
        print(f"baseline: the member join page renders in {baseline:.2f} s")
        measure(url, demo.JOIN_CODE, "demo")
        if args.proposals:
            measure(url, "SCALEI", f"{args.proposals:,} proposals")
    return 0


if __name__ == "__main__":
    sys.exit(main())
