"""Prototype of the proposed change: read the templates in a pool of worker processes.

Runs the real CLI (`delar_xl.cli.main`) with `_read_all` of the core module (consolidation.py)
replaced by a version that reads the files with `ProcessPoolExecutor` when there are at least
POOL_MIN files. Everything else (validation, consolidation, the summary) is unchanged, so its
time compared with plain `delar-xl` is what the change would gain.

    python benchmarks/pool_prototype.py [--workers 2] [--start-method spawn|fork] kontrollera DIR
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Sequence

POOL_MIN = 16  # below this, starting workers costs more than it saves


def _core():
    """The module with check/consolidate/_read_all (consolidate.py was renamed consolidation.py)."""
    for name in ("delar_xl.consolidation", "delar_xl.consolidate"):
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError:
            continue
    raise SystemExit("delar_xl has neither consolidation.py nor consolidate.py")


def _read_one(item: tuple[Path, str]):
    from delar_xl.read import read_template

    path, name = item
    return read_template(path, name)


def parallel_read_all(paths: Sequence[Path], workers: int, start_method: str):
    items = list(zip(paths, _core()._unique_names(paths)))
    if workers < 2 or len(items) < POOL_MIN:
        return [_read_one(item) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context(start_method)
    chunk = max(1, len(items) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(_read_one, items, chunksize=chunk))


def main(argv: list[str]) -> int:
    workers, start_method = os.cpu_count() or 1, "spawn"
    while argv and argv[0].startswith("--"):
        flag, value, argv = argv[0], argv[1], argv[2:]
        if flag == "--workers":
            workers = int(value)
        elif flag == "--start-method":
            start_method = value
        else:
            raise SystemExit(f"unknown flag {flag}")
    from delar_xl.cli import main as cli_main

    core = _core()
    if hasattr(core, "_read_all"):  # gone once the product reads in a pool itself (_check_all)
        core._read_all = lambda paths: parallel_read_all(paths, workers, start_method)
    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
