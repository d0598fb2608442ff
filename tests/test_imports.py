"""The package's import graph has no circles, and every module imports on its own.

An import inside a function still makes a circle (consolidation ↔ summary was one: `Result.frames()`
imported the summary writer), so the graph is read from the source, every import statement
counted except those under `if TYPE_CHECKING:`, which never run.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "delar_xl"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(module_name(p) for p in PACKAGE.rglob("*.py"))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run, at any depth."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            found += [n for child in node.orelse for n in _imports_of(child)]
            continue
        found += _imports_of(node)
    return found


def _imports_of(node: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [node]
    return _imports(node)


def dependencies(path: Path) -> set[str]:
    """The package's modules that `path` imports (a name imported from a package counts as the package,
    or as its submodule when one has that name)."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    deps: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            deps |= {a.name for a in node.names}
            continue
        if node.level:
            base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            deps.add(submodule if submodule in MODULES else base)
    return {d for d in deps if d in MODULES and d != name}


def graph() -> dict[str, set[str]]:
    return {module_name(p): dependencies(p) for p in PACKAGE.rglob("*.py")}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """The shortest circle in the graph (as a path that returns to its start), or None.

    The shortest one, found breadth first from each module in name order, names exactly the imports
    that tie it; a depth-first search would report whatever long detour it happened to walk first.
    """
    best: list[str] | None = None
    for start in sorted(edges):
        came_from: dict[str, str] = {}
        queue = [start]
        while queue:
            node = queue.pop(0)
            if best is not None and _path_length(came_from, node, start) + 1 >= len(best) - 1:
                break
            nxt_nodes = sorted(edges.get(node, ()))
            if start in nxt_nodes:
                path = _path(came_from, node, start) + [start]
                if best is None or len(path) < len(best):
                    best = path
                break
            for nxt in nxt_nodes:
                if nxt not in came_from and nxt != start:
                    came_from[nxt] = node
                    queue.append(nxt)
    return best


def _path(came_from: dict[str, str], node: str, start: str) -> list[str]:
    path = [node]
    while path[-1] != start:
        path.append(came_from[path[-1]])
    return path[::-1]


def _path_length(came_from: dict[str, str], node: str, start: str) -> int:
    return len(_path(came_from, node, start)) - 1


def test_imports_graph_has_no_cycle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, " → ".join(cycle or [])


def test_imports_find_cycle_sees_a_lazy_circle() -> None:
    """The checker itself: the old consolidation ↔ summary circle is found."""
    edges = graph()
    edges["delar_xl.namnd.result"] = edges["delar_xl.namnd.result"] | {"delar_xl.namnd.summary"}
    assert find_cycle(edges) == ["delar_xl.namnd.result", "delar_xl.namnd.summary", "delar_xl.namnd.result"]


def test_imports_consolidation_does_not_use_the_summary_writer() -> None:
    assert "delar_xl.namnd.summary" not in graph()["delar_xl.namnd.consolidate"]
    assert "delar_xl.namnd.consolidate" not in graph()["delar_xl.namnd.result"]


def test_imports_frames_without_loading_the_writer() -> None:
    """`Result.frames()` gives the tables without importing summary.py (or XlsxWriter)."""
    script = (
        "import sys\n"
        "from delar_xl.namnd.result import Result\n"
        "from delar_xl.findings import Report\n"
        "frames = Result(units=[], report=Report()).frames()\n"
        "print(sorted(frames), list(frames['Kontroll'].columns))\n"
        "print('delar_xl.namnd.summary' in sys.modules, 'xlsxwriter' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [
        "['Ekonomi', 'Forvaltningar', 'Indikatorer', 'Inlamning', 'Kallor', 'Kontroll', 'Namndmal', 'Uppdrag'] "
        "['Allvarlighet', 'Fil', 'Blad', 'Cell', 'Meddelande', 'Kod']",
        "False False",
    ]


def test_imports_summary_still_offers_table_rows() -> None:
    """Other modules (and branches) call `summary.table_rows`; it is the one in result.py."""
    from delar_xl.namnd import result as tables
    from delar_xl.namnd import summary

    assert summary.table_rows is tables.table_rows
    assert summary.UNIT_HEADERS is tables.UNIT_HEADERS


@pytest.mark.parametrize("module", MODULES)
def test_imports_each_module_alone(module: str) -> None:
    """Each module imports first, in a fresh interpreter (a top-level circle fails in one order only)."""
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
