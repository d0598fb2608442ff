"""The package's import graph: no circles, no private crossings, every import pointing down the rooms.

Every import statement counts, wherever it is: at the top of a module, inside a function (an import
inside a function still makes a circle: consolidation ↔ summary was one, `Result.frames()` imported
the summary writer) and under `if TYPE_CHECKING:` (a type-only import still ties two modules: a reader
of either must read both, and it hid the circles that result.py ended). The graph is read from the
source by tools/imports.py, which prints it (`python tools/imports.py`); these tests hold it to the
rule of the layout: faces (cli, excel, mail, the public API) → demo → kommun → namnd → plan →
template → xlsx → the base modules, an import only ever pointing down, any direction inside a room
as long as there is no circle. Every module also imports on its own.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "delar_xl"


def _load_tool():
    spec = importlib.util.spec_from_file_location("delar_xl_imports_tool", ROOT / "tools" / "imports.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


tool = _load_tool()
MODULES = sorted(tool.modules(PACKAGE))


def graph() -> dict[str, set[str]]:
    return tool.graph(PACKAGE)


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
        "['Ekonomi', 'Forvaltningar', 'Indikatorer', 'Inlamning', 'Investeringar', 'Kallor', 'Kontroll', "
        "'Namndmal', 'Personal', 'Uppdrag'] "
        "['Allvarlighet', 'Fil', 'Blad', 'Cell', 'Meddelande', 'Kod']",
        "False False",
    ]


def test_imports_summary_still_offers_table_rows() -> None:
    """Other modules (and branches) call `summary.table_rows`; it is the one in result.py."""
    from delar_xl.namnd import result as tables
    from delar_xl.namnd import summary

    assert summary.table_rows is tables.table_rows
    assert summary.UNIT_HEADERS is tables.UNIT_HEADERS


def _package(root: Path, files: dict[str, str]) -> Path:
    """A small package `pkg` under `root` with the given modules, for testing the checker itself."""
    package = root / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, source in files.items():
        (package / f"{name}.py").write_text(source)
    return package


def test_imports_type_checking_import_counts(tmp_path: Path) -> None:
    """The checker itself: a circle tied only by an import under TYPE_CHECKING is a circle."""
    package = _package(
        tmp_path,
        {
            "engine": "from pkg.result import Result\n",
            "result": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.engine import run\n",
        },
    )
    assert find_cycle(tool.graph(package)) == ["pkg.engine", "pkg.result", "pkg.engine"]


def test_imports_no_private_crossing() -> None:
    """No module imports an `_underscore` name from another: what is shared is public where it lives."""
    crossings = [f"{e.source} ← {e.target}: {', '.join(e.names)}" for e in tool.private_crossings(PACKAGE)]
    assert crossings == []


def test_imports_private_crossing_is_seen(tmp_path: Path) -> None:
    """The checker itself: a private name taken from another module, even inside a function, is found."""
    package = _package(
        tmp_path,
        {
            "styles": "_Styles = object\n__version__ = '1'\n",
            "writer": "def write():\n    from pkg.styles import _Styles, __version__\n",
        },
    )
    assert [(e.source, e.target, e.names) for e in tool.private_crossings(package)] == [
        ("pkg.writer", "pkg.styles", ("_Styles",))
    ]


def test_imports_only_point_down_the_rooms() -> None:
    """faces → demo → kommun → namnd → plan → template → xlsx → base: never an import up this list."""
    assert tool.upward_imports(graph()) == []


def test_imports_every_subpackage_has_a_room() -> None:
    """A new folder under delar_xl/ is placed in the rooms' order (tools/imports.py ROOMS) before it is used."""
    rooms = {name for names in tool.ROOMS for name in names}
    folders = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert folders <= rooms, sorted(folders - rooms)


def test_imports_rooms_order_is_seen() -> None:
    """The checker itself: template importing namnd points up."""
    edges = {"delar_xl.template.read": {"delar_xl.namnd.result"}, "delar_xl.namnd.result": set()}
    assert tool.upward_imports(edges) == [("delar_xl.template.read", "delar_xl.namnd.result")]


@pytest.mark.parametrize("module", MODULES)
def test_imports_each_module_alone(module: str) -> None:
    """Each module imports first, in a fresh interpreter (a top-level circle fails in one order only)."""
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
