"""docs/deploy.md's balancer, run as written: nginx with deploy/nginx.conf in front of two replicas on one
PostgreSQL. A forged X-Forwarded-For is ignored, and each client behind the balancer has its own throttle.

Clients come from different loopback addresses (127.0.0.2, 127.0.0.3, ...), as members from different networks
would. The only changes made to the file for the test are its addresses: the upstream servers become the two local
replicas, and `listen 443 ssl` becomes a local port without the certificate lines.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from e2e_support import ROOT, free_port, streamlit_server

from benchmarks.streamlit_client import StreamlitTab
from consult import storage
from consult.access import staff_sign_in as auth
from consult.storage import db

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONF = ROOT / "deploy" / "nginx.conf"


def test_the_deploy_guide_shows_the_tested_configuration():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert f"```nginx\n{CONF.read_text()}```" in guide


def local_config(folder: Path, port: int, replicas: list[str]) -> Path:
    text = CONF.read_text()
    servers = "".join(f"    server {address};\n" for address in replicas)
    text = re.sub(r"(    server \S+:8501;\n)+", servers, text)
    text = text.replace("listen 443 ssl;", f"listen 127.0.0.1:{port};")
    text = "\n".join(line for line in text.splitlines() if "ssl_certificate" not in line)
    config = folder / "nginx.conf"
    config.write_text(f"""worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    log_format replica '$remote_addr $upstream_addr $request_uri';
    access_log {folder}/access.log;
    access_log {folder}/replicas.log replica;
    client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi; uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
{text}
}}
""")
    return config


async def wrong_password(base: str, source: str, forged: str) -> bool:
    tab = StreamlitTab(base, forwarded_for=forged, local_address=source)
    await tab.open("signin")
    tab.fill("Account name", "olivia")
    tab.fill("Password", "not-the-password")
    await tab.click("Sign in")
    refused = tab.page.shows("Too many wrong passwords")
    await tab.close()
    return refused


def require_nginx() -> None:
    if not Path(NGINX).exists():
        message = "nginx is not installed (apt-get install nginx-light); .ci/run installs it"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def balancer(database_url: str, folder: Path, secrets: Path | None = None):
    """Two replicas on one database behind nginx with deploy/nginx.conf; yields the balancer's base URL."""
    port = free_port()
    with streamlit_server(database_url, secrets=secrets, trusted_proxies="127.0.0.1") as first, \
            streamlit_server(database_url, secrets=secrets, trusted_proxies="127.0.0.1") as second:
        config = local_config(folder, port, [first.removeprefix("http://"), second.removeprefix("http://")])
        nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", str(folder), "-g", "daemon off;"],
                                 stderr=subprocess.PIPE)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(60):
                try:
                    if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    time.sleep(0.25)
            yield base
        finally:
            # a graceful stop (SIGQUIT) lets nginx finish and log the WebSocket requests still closing; a fast stop
            # (SIGTERM) can drop their access-log lines, which the replica check reads (seen under -n 2)
            nginx.send_signal(signal.SIGQUIT)
            try:
                nginx.wait(15)
            except subprocess.TimeoutExpired:
                nginx.terminate()
                nginx.wait(10)


async def join(base: str, source: str, code: str) -> str:
    """One member joins openly from `source` (a loopback address standing in for their network); what their
    page then says."""
    tab = StreamlitTab(base, local_address=source, timeout=120)
    try:
        await tab.open("", f"join={code}")
        tab.fill("Where do you live?", "North East")
        tab.fill("I have read the privacy notice and want to take part", True)
        await tab.click("Join")
        return "joined" if tab.page.url_path == "vote" else " / ".join(t for t in tab.page.texts() if t)[:300]
    finally:
        await tab.close()


def test_a_room_on_one_network_joins_at_once_and_members_spread_across_replicas(postgres_database_url, tmp_path):
    require_nginx()
    engine = db.make_engine(postgres_database_url)
    storage.init_db(engine)
    code = storage.create_consultation(engine, title="Branch meeting", question="Q?").join_code

    async def everyone(sources: list[str]) -> list[str]:
        return await asyncio.gather(*(join(base, source, code) for source in sources))

    with balancer(postgres_database_url, tmp_path) as base:
        # forty phones on the hall's Wi-Fi: one address, all pressing Join together
        hall = asyncio.run(everyone(["127.0.0.2"] * 40))
        # forty members at home, each on their own network
        homes = asyncio.run(everyone([f"127.0.1.{10 + i}" for i in range(40)]))
    assert hall == ["joined"] * 40
    assert homes == ["joined"] * 40
    assert len(storage.participants_frame(engine, storage.find_consultation(engine, code).id)) == 80
    replica_of: dict[str, set[str]] = {}
    for line in (tmp_path / "replicas.log").read_text().splitlines():
        client, upstream, uri = line.split(" ", 2)
        if uri.startswith("/_stcore/stream"):
            replica_of.setdefault(client, set()).add(upstream)
    assert all(len(upstreams) == 1 for upstreams in replica_of.values())  # a client stays on its replica
    homes_per_replica = Counter(next(iter(replica_of[f"127.0.1.{10 + i}"])) for i in range(40))
    assert len(homes_per_replica) == 2 and min(homes_per_replica.values()) >= 8, homes_per_replica
    engine.dispose()


def test_two_replicas_behind_the_documented_nginx(postgres_database_url, tmp_path):
    require_nginx()
    engine = db.make_engine(postgres_database_url)
    storage.init_db(engine)
    storage.create_consultation(engine, title="T", question="Q?")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[accounts.olivia]\nrole = "officer"\npassword_hash = "{auth.hash_password("right-1234")}"\n')

    async def journey(base: str):
        # one client forging a new address each time: counted as itself, so the waits begin
        forger = [await wrong_password(base, "127.0.0.2", f"198.51.100.{i}") for i in range(auth.FREE_TRIES + 2)]
        # five other clients, one guess each: each has its own count, none is refused
        others = [await wrong_password(base, f"127.0.0.{10 + i}", "") for i in range(5)]
        return forger, others

    with balancer(postgres_database_url, tmp_path, secrets) as base:
        forger, others = asyncio.run(journey(base))
    assert not any(forger[:auth.FREE_TRIES]) and any(forger[auth.FREE_TRIES:])
    assert not any(others)
    details = storage.audit_frame(engine)["detail"].astype(str)
    assert not details.str.contains("198.51.100").any()  # the log has the real addresses
    assert details.str.contains("from 127.0.0.2").any() and details.str.contains("from 127.0.0.10").any()
    log = (tmp_path / "access.log").read_text()
    assert log.count("/_stcore/stream") >= 2
    engine.dispose()
