"""The lock files pin every dependency pyproject.toml declares, at versions its lower bounds allow, and the
toolchain (pip, setuptools) too, so `make run` and `make test` install exactly what was tested and audited."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def pins(name: str) -> dict[str, str]:
    lines = (ROOT / name).read_text().splitlines()
    return {canonicalize_name(line.split("==")[0]): line.split("==")[1] for line in lines if "==" in line}


def test_every_declared_dependency_is_pinned_within_its_bounds():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    extras = [r for group in ("dev", "semantic") for r in project["optional-dependencies"][group]]
    for lock, declared in ((runtime, project["dependencies"]), (dev, project["dependencies"] + extras)):
        for line in declared:
            requirement = Requirement(line)
            name = canonicalize_name(requirement.name)
            assert name in lock, f"{name} is not in the lock file"
            assert requirement.specifier.contains(lock[name], prereleases=True), (name, lock[name])
    for tool in ("pip", "setuptools"):
        assert tool in runtime and tool in dev
    shared = set(runtime) & set(dev)
    assert {name: runtime[name] for name in shared} == {name: dev[name] for name in shared}
