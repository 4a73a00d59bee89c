"""Running the real app for browser tests: a Streamlit server on a free port and Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        message = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(database_url: str, *, port: int, secrets: Path | None = None, log: Path | None = None,
                 trusted_proxies: str | None = None, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `streamlit run` on 127.0.0.1:port and wait until it answers its health check.

    The server's output goes to `log` when given, and is discarded otherwise. `trusted_proxies` is
    CONSULT_TRUSTED_PROXIES: "127.0.0.1" when the test's client stands in for a balancer and sends each simulated
    member's own address in X-Forwarded-For; by default no forwarding header is believed.
    """
    # as `make run` starts it: `streamlit run` with the pages' libraries loaded while it starts
    command = [sys.executable, "-m", "consult.app.serve", str(ROOT / "streamlit_app.py"), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--global.developmentMode", "false"]
    if secrets is not None:
        command += ["--secrets.files", str(secrets)]
    extra = env
    env = dict(os.environ, CONSULT_DATABASE_URL=database_url)
    env.pop("CONSULT_TRUSTED_PROXIES", None)
    if trusted_proxies:
        env["CONSULT_TRUSTED_PROXIES"] = trusted_proxies
    env.update(extra or {})
    output = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115 - the server owns it
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    if log is not None:
        output.close()  # the child keeps its own descriptor
    try:
        wait_for_health(port)
    except RuntimeError:
        server.kill()
        raise
    return server


def wait_for_health(port: int, timeout: float = 60.0) -> None:
    """Until the Streamlit server on 127.0.0.1:port answers its health check."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read() == b"ok":
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the Streamlit server did not become healthy in {timeout:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(10)


@contextmanager
def streamlit_server(database_url: str, *, secrets: Path | None = None, port: int | None = None,
                     trusted_proxies: str | None = None, env: dict[str, str] | None = None):
    """Serve streamlit_app.py on 127.0.0.1 and yield its base URL; stop it afterwards."""
    port = port or free_port()
    server = start_server(database_url, port=port, secrets=secrets, trusted_proxies=trusted_proxies, env=env)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(server)


def serious_violations(axe, page) -> list[tuple[str, str]]:
    """axe-core's serious and critical findings on the page once the app has settled: (rule id, impact) each."""
    wait_for_app(page, timeout=90_000)
    return [(v["id"], v["impact"]) for v in axe.run(page).response["violations"]
            if v["impact"] in ("serious", "critical")]


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until the script run that the last action started has finished."""
    page.wait_for_timeout(250)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout)
    page.wait_for_timeout(150)


def wait_for_heading(page, name, timeout: float = 30_000, exact: bool = False) -> None:
    """Wait until a heading with this name shows. During a page switch Streamlit can briefly hold the old page's
    copy of a heading beside the new one, so the first match is taken rather than requiring exactly one."""
    page.get_by_role("heading", name=name, exact=exact).first.wait_for(timeout=timeout)


def join_by_link(page, link: str, code: str, region: str) -> str:
    """Open a join link, choose the region, accept the notice and join; returns the member's token."""
    import re

    from playwright.sync_api import expect

    page.goto(link)
    expect(page.get_by_label("Join code")).to_have_value(code, timeout=30_000)
    wait_for_app(page)
    page.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=region).click()
    page.get_by_text("I have read the privacy notice").click()
    page.get_by_role("button", name="Join").click()
    wait_for_heading(page, "Vote on proposals")
    return re.search(r"p=([^&]+)", page.url).group(1)


def sign_in(page, base: str, account: str, password: str) -> None:
    """Sign a staff account in through the sign-in page and wait until the app has settled."""
    page.goto(f"{base}/signin")
    page.get_by_label("Account name").wait_for(timeout=60_000)
    wait_for_app(page)
    page.get_by_label("Account name").fill(account)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page)


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def nav_link(page, title: str):
    """A link in the staff sidebar (the app's own navigation: plain links, no Streamlit menu)."""
    return page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True)
