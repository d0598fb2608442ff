"""The package's import graph, read from the source: layers, the longest chain, circles, private crossings.

    python tools/imports.py                          # this checkout's delar_xl/
    python tools/imports.py --package /tmp/old/delar_xl

Every import statement counts: at the top of a module, inside a function and under `if TYPE_CHECKING:`
(a lazy import still ties two modules together, and a type-only one still makes a reader go both ways).
A name imported from a package counts as its submodule when one has that name. Layer 1 is a module that
imports nothing of the package; a module's layer is one more than the highest layer it imports, so the
number of layers is the length of the longest chain of imports. tests/test_imports.py enforces what this
prints: no circle, no private crossing, and the rooms' order (below).
"""

from __future__ import annotations

import argparse
import ast
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PACKAGE = Path(__file__).resolve().parent.parent / "delar_xl"

# The rooms, top to bottom: an import only ever points down this list (or stays in its room). The faces
# (the public API in __init__, the CLI, the add-in, e-mail) share the top; the top-level modules that are
# not a face (findings, settings, log, timing, files, numbers, words) are the base everything stands on.
ROOMS: tuple[tuple[str, ...], ...] = (
    ("", "cli", "excel", "mail"),
    ("demo",),
    ("kommun",),
    ("namnd",),
    ("plan", "finans"),  # what people fill in above the template: the plan and the finansförvaltning's template
    ("template",),
    ("xlsx",),
)
BASE = len(ROOMS)


@dataclass(frozen=True)
class Edge:
    """One module importing another; `names` are the names taken from it (empty for `import x`)."""

    source: str
    target: str
    names: tuple[str, ...]
    line: int


def module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: Path) -> dict[str, Path]:
    """Module name → its file, for every .py file of the package."""
    return {module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def _statements(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]


def edges_of(name: str, path: Path, known: dict[str, Path]) -> list[Edge]:
    """The package's modules that one module imports, anywhere in it."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: list[Edge] = []
    for node in _statements(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [Edge(name, a.name, (), node.lineno) for a in node.names if a.name in known and a.name != name]
            continue
        if node.level:
            base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        names = []
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            if submodule in known:
                found.append(Edge(name, submodule, (), node.lineno))
            elif base in known and base != name:
                names.append(alias.name)
        if names:
            found.append(Edge(name, base, tuple(names), node.lineno))
    return found


def all_edges(package: Path) -> list[Edge]:
    known = modules(package)
    return [edge for name, path in known.items() for edge in edges_of(name, path, known)]


def graph(package: Path) -> dict[str, set[str]]:
    """Module → the modules it imports (every module of the package is a key)."""
    edges: dict[str, set[str]] = {name: set() for name in modules(package)}
    for edge in all_edges(package):
        edges[edge.source].add(edge.target)
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of two or more modules (each one circle or several), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm; the package is small enough for recursion
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(groups)


def layers(edges: dict[str, set[str]]) -> dict[str, int]:
    """Module → its layer (1 = imports nothing of the package). A circle counts as one module."""
    group_of = {m: tuple(g) for g in circles(edges) for m in g}
    layer: dict[str, int] = {}

    def depth(node: str, seen: frozenset[str]) -> int:
        if node in layer:
            return layer[node]
        group = group_of.get(node, (node,))
        outside = {d for m in group for d in edges.get(m, ()) if d not in group and d not in seen}
        value = 1 + max((depth(d, seen | set(group)) for d in outside), default=0)
        for member in group:
            layer[member] = value
        return value

    for node in sorted(edges):
        depth(node, frozenset())
    return layer


def longest_chain(edges: dict[str, set[str]]) -> list[str]:
    """One chain of imports as long as the number of layers, from the top module down."""
    layer = layers(edges)
    chain = [max(sorted(layer), key=lambda m: layer[m])] if layer else []
    while chain and layer[chain[-1]] > 1:
        below = sorted(d for d in edges[chain[-1]] if layer[d] == layer[chain[-1]] - 1)
        if not below:
            break  # inside a circle: the rest of the chain runs through its members
        chain.append(below[0])
    return chain


def private_crossings(package: Path) -> list[Edge]:
    """Imports of an `_underscore` name from another module (dunder names such as __version__ aside)."""
    return [
        Edge(e.source, e.target, private, e.line)
        for e in all_edges(package)
        if (private := tuple(n for n in e.names if n.startswith("_") and not n.startswith("__")))
    ]


def room(module: str) -> int:
    """The rank of a module's room: 0 for the faces, BASE for the top-level base modules."""
    parts = module.split(".")[1:]
    first = parts[0] if parts else ""
    return next((rank for rank, names in enumerate(ROOMS) if first in names), BASE)


def upward_imports(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(module, import) pairs where the import points up the rooms' list."""
    return sorted((m, d) for m, deps in edges.items() for d in deps if room(d) < room(m))


def report(package: Path) -> str:
    edges = graph(package)
    layer = layers(edges)
    lines = [f"Package: {package}", f"Modules: {len(edges)}, imports between them: {sum(map(len, edges.values()))}", ""]
    top = max(layer.values(), default=0)
    lines.append("Modules per layer (1 = imports nothing of the package):")
    imported = {d for deps in edges.values() for d in deps}
    shown = {m for m in edges if edges[m] or m in imported}  # an empty package __init__ is no room's content
    for number in range(top, 0, -1):
        names = sorted(m.removeprefix(package.name + ".") for m, n in layer.items() if n == number and m in shown)
        lines.append(f"  {number:2}: {', '.join(names)}")
    chain = longest_chain(edges)
    lines += ["", f"Layers (the longest chain): {top}", "  " + " → ".join(chain), ""]
    found = circles(edges)
    lines.append(f"Circles: {len(found)}")
    lines += ["  " + " ↔ ".join(group) for group in found]
    crossings = private_crossings(package)
    lines += [
        "",
        f"Private crossings (an _underscore name imported from another module): "
        f"{sum(len(e.names) for e in crossings)} names in {len(crossings)} imports",
    ]
    lines += [f"  {e.source} ← {e.target}: {', '.join(e.names)}" for e in crossings]
    folders = {p.parent.name for p in package.glob("*/__init__.py")}
    if not folders & {name for names in ROOMS[1:] for name in names}:
        lines += ["", "Rooms: none (the package's modules lie flat), so the rooms' order cannot be checked."]
        return "\n".join(lines)
    upward = upward_imports(edges)
    lines += [
        "",
        f"Imports pointing up the rooms (faces → demo → kommun → namnd → plan → template → xlsx → base): {len(upward)}",
    ]
    lines += [f"  {m} → {d}" for m, d in upward]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, default=DEFAULT_PACKAGE, help="the package folder (default: delar_xl/)")
    args = parser.parse_args(argv)
    print(report(args.package.resolve()))


if __name__ == "__main__":
    main()
