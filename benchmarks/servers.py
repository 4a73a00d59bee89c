"""Real app servers for the benchmarks: started as `make run` starts them, ready when they say so, and the CPU
and memory they use, read from /proc."""

from __future__ import annotations

import os
import time
from contextlib import ExitStack
from pathlib import Path


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_servers(stack: ExitStack, url: str, processes: int, log_folder: Path) -> list:
    """`processes` servers on one database, each logging to `log_folder`, stopped when `stack` closes; returns
    (process, base URL) pairs once every server is ready."""
    from tests.e2e_support import free_port, start_server, stop_server

    servers = []
    for number in range(processes):
        port = free_port()
        # the load generator stands in for the balancer: its members' addresses come in X-Forwarded-For
        server = start_server(url, port=port, log=log_folder / f"server-{number}.log", trusted_proxies="127.0.0.1")
        stack.callback(stop_server, server)
        servers.append((server, f"http://127.0.0.1:{port}"))
    for number in range(processes):
        wait_until_ready(log_folder / f"server-{number}.log")
    return servers


def wait_until_ready(log: Path, timeout: float = 120.0) -> None:
    """Until the server says it has loaded the pages' libraries (consult.app.serve), so the first member's
    figures are those of a started server, not of one still starting."""
    from consult.app.serve import READY

    deadline = time.monotonic() + timeout
    while READY not in log.read_text(errors="replace"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not report '{READY}' within {timeout:.0f} s; see {log}")
        time.sleep(0.2)


def machine_busy_seconds() -> float:
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    return (int(fields[0]) + int(fields[1]) + int(fields[2])) / os.sysconf("SC_CLK_TCK")
