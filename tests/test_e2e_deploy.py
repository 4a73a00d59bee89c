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
import subprocess
import time
import urllib.request
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
    access_log {folder}/access.log;
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


def test_two_replicas_behind_the_documented_nginx(postgres_database_url, tmp_path):
    if not Path(NGINX).exists():
        message = "nginx is not installed (apt-get install nginx-light); .ci/run installs it"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    engine = db.make_engine(postgres_database_url)
    storage.init_db(engine)
    storage.create_consultation(engine, title="T", question="Q?")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[accounts.olivia]\nrole = "officer"\npassword_hash = "{auth.hash_password("right-1234")}"\n')
    port = free_port()
    with streamlit_server(postgres_database_url, secrets=secrets, trusted_proxies="127.0.0.1") as first, \
            streamlit_server(postgres_database_url, secrets=secrets, trusted_proxies="127.0.0.1") as second:
        replicas = [first.removeprefix("http://"), second.removeprefix("http://")]
        config = local_config(tmp_path, port, replicas)
        nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", str(tmp_path), "-g", "daemon off;"],
                                 stderr=subprocess.PIPE)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(60):
                try:
                    if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    time.sleep(0.25)

            async def journey():
                # one client forging a new address each time: counted as itself, so the waits begin
                forger = [await wrong_password(base, "127.0.0.2", f"198.51.100.{i}") for i in range(auth.FREE_TRIES + 2)]
                # five other clients, one guess each: each has its own count, none is refused
                others = [await wrong_password(base, f"127.0.0.{10 + i}", "") for i in range(5)]
                return forger, others

            forger, others = asyncio.run(journey())
        finally:
            nginx.terminate()
            nginx.wait(10)
    assert not any(forger[:auth.FREE_TRIES]) and any(forger[auth.FREE_TRIES:])
    assert not any(others)
    details = storage.audit_frame(engine)["detail"].astype(str)
    assert not details.str.contains("198.51.100").any()  # the log has the real addresses
    assert details.str.contains("from 127.0.0.2").any() and details.str.contains("from 127.0.0.10").any()
    log = (tmp_path / "access.log").read_text()
    assert log.count("/_stcore/stream") >= 2
    engine.dispose()
