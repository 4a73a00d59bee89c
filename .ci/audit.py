"""Supply-chain checks: bandit on our code, pip-audit on the installed dependencies.

Fails on any bandit finding and on any known vulnerability that is not listed, with its reason, in
.ci/audit-accepted.txt. Where the index is a mirror without PyPI's per-release JSON (pip-audit then looks up
nothing), each such dependency is checked against the project-level JSON instead, whose `vulnerabilities`
describe the newest release: that is valid only when the installed version is the newest, so any other is
reported as unaudited rather than passed quietly.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def accepted() -> dict[str, str]:
    path = ROOT / ".ci" / "audit-accepted.txt"
    out = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        if line.strip() and not line.startswith("#"):
            vuln_id, _, reason = line.partition(" ")
            out[vuln_id] = reason.strip()
    return out


def newest_release_vulns(name: str) -> dict | None:
    """{'version': installed, 'vulns': [...]} when the installed version is PyPI's newest, else None."""
    try:
        installed = metadata.version(name)
        with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=30) as response:  # nosec B310
            project = json.load(response)
    except Exception:  # noqa: BLE001 - unreachable or unknown: stays unaudited, and is reported as such
        return None
    if project.get("info", {}).get("version") != installed:
        return None
    vulns = [{"id": v["id"], "aliases": v.get("aliases", []), "fix_versions": v.get("fixed_in", [])}
             for v in project.get("vulnerabilities") or []]
    return {"name": name, "version": installed, "vulns": vulns}


def main() -> int:
    bandit = subprocess.run([str(BIN / "bandit"), "-q", "-r", "consult", "streamlit_app.py"], cwd=ROOT,
                            capture_output=True, text=True)
    print(bandit.stdout.strip() or "bandit: no findings in consult/ and streamlit_app.py")
    if bandit.returncode:
        return bandit.returncode
    audit = subprocess.run([str(BIN / "pip-audit"), "--skip-editable", "--progress-spinner", "off", "-f", "json"],
                           cwd=ROOT, capture_output=True, text=True, timeout=900)
    try:
        report = json.loads(audit.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit did not run: {audit.stderr.strip()[-500:]}")
        return 1
    known, failed = accepted(), False
    skipped = [d["name"] for d in report["dependencies"] if d.get("skip_reason") and d["name"] != "consult-devolution"]
    audited = [d for d in report["dependencies"] if not d.get("skip_reason")]
    with ThreadPoolExecutor(8) as pool:
        fallback = dict(zip(skipped, pool.map(newest_release_vulns, skipped), strict=True))
    audited += [found for found in fallback.values() if found]
    unaudited = [name for name, found in fallback.items() if not found]
    for dep in audited:
        for vuln in dep.get("vulns", []):
            ids = [vuln["id"], *vuln.get("aliases", [])]
            reason = next((known[i] for i in ids if i in known), None)
            status = f"accepted: {reason}" if reason else "NOT ACCEPTED"
            failed |= reason is None
            print(f"{dep['name']} {dep['version']}: {vuln['id']} (fix: {', '.join(vuln.get('fix_versions', []))}) "
                  f"{status}")
    print(f"pip-audit: {len(audited)} dependencies audited, "
          f"{sum(len(d.get('vulns', [])) for d in audited)} known vulnerabilities")
    if unaudited:
        print(f"pip-audit: {len(unaudited)} dependencies could not be looked up "
              f"(not the newest release, or not on PyPI); unaudited, not clean: {', '.join(unaudited)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
