"""The house rules on imports, checked: `python -m consult.tools.check_layers` (and `tests/test_layers.py`).

- No import cycles between consult's modules (imports inside functions count: a cycle hidden in a function is
  still a cycle to read and to load).
- Layers import downwards only: `consult.storage` never imports `consult.publishing` or `consult.app`;
  `consult.publishing` never imports `consult.app`; nothing outside `consult.app` imports it; only `consult.app`
  imports streamlit.
- No cycles between packages either: if `consult.a` imports from `consult.b`, nothing in `consult.b` imports from
  `consult.a` (docs/architecture.md draws the direction).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
FORBIDDEN = {  # importer prefix -> prefixes it must not import
    "consult.storage": ("consult.publishing", "consult.app"),
    "consult.publishing": ("consult.app",),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The consult modules (and 'streamlit') that `path` imports anywhere in its body."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] == "streamlit":
                found.add("streamlit")
            elif name in modules:
                found.add(name)
    found.discard(here)
    return found


def graph() -> dict[str, set[str]]:
    paths = [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, modules) for p in paths}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, out, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in edges:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def package_of(module: str) -> str:
    """consult.storage.roll -> consult.storage; consult.regions -> consult.regions."""
    return ".".join(module.split(".")[:2])


def package_edges(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    packages: dict[str, set[str]] = {}
    for module, targets in edges.items():
        source = package_of(module)
        packages.setdefault(source, set()).update(
            package_of(t) for t in targets if t != "streamlit" and package_of(t) != source)
    return packages


def problems() -> list[str]:
    edges = graph()
    found = [f"import cycle: {' <-> '.join(component)}" for component in cycles(edges)]
    found += [f"package cycle: {' <-> '.join(component)}" for component in cycles(package_edges(edges))]
    for module, targets in sorted(edges.items()):
        if not module.startswith("consult.app"):
            found += [f"upward import: {module} imports {t}" for t in sorted(targets) if t.startswith("consult.app")]
    for module, targets in sorted(edges.items()):
        for prefix, banned in FORBIDDEN.items():
            if module == prefix or module.startswith(prefix + "."):
                found += [f"upward import: {module} imports {t}" for t in sorted(targets)
                          if any(t == b or t.startswith(b + ".") for b in banned)]
        if "streamlit" in targets and not module.startswith("consult.app"):
            found.append(f"streamlit outside consult.app: {module}")
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(line)
    print(f"{len(found)} problem(s) in {len(graph())} modules")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
