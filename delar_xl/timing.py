"""Optional timing of a run's stages (guard, read, rules, consolidation, ...), for the benchmark.

Off unless enabled: `stage(name)` then returns one shared no-op context manager, so the core can
keep its `with timing.stage("read"):` lines at no measurable cost. Enabled by `enable()` or by the
environment variable DELAR_XL_TIMING: "1" just collects (read them with `totals()`), any other
value is a file path where the totals are written as JSON when the process exits.

Stages nest; each total is the stage's own time, without the stages inside it, so the totals add
up to the time measured and a regression shows in the stage where it happened. Only the process
that runs the stage counts it: time spent in worker processes is not collected, so the benchmark
measures the breakdown with DELAR_XL_WORKERS=1.
"""

from __future__ import annotations

import atexit
import json
import os
import time
from typing import Any

ENV = "DELAR_XL_TIMING"

_totals: dict[str, float] = {}
_counts: dict[str, int] = {}
_stack: list[_Stage] = []
_enabled = False


class _Off:
    """The context manager `stage` returns while timing is off: does nothing."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None  # never swallows an exception


_OFF = _Off()


class _Stage:
    __slots__ = ("name", "start", "inner")

    def __init__(self, name: str) -> None:
        self.name = name
        self.start = 0.0
        self.inner = 0.0  # time of the stages nested in this one

    def __enter__(self) -> None:
        _stack.append(self)
        self.start = time.perf_counter()

    def __exit__(self, *exc: Any) -> None:
        elapsed = time.perf_counter() - self.start
        _stack.pop()
        if _stack:
            _stack[-1].inner += elapsed
        _totals[self.name] = _totals.get(self.name, 0.0) + elapsed - self.inner
        _counts[self.name] = _counts.get(self.name, 0) + 1


def stage(name: str) -> _Stage | _Off:
    """`with stage("read"): ...` adds the block's own time to the stage `name` (when enabled)."""
    return _Stage(name) if _enabled else _OFF


def enable() -> None:
    global _enabled
    _enabled = True


def disable() -> None:
    global _enabled
    _enabled = False


def enabled() -> bool:
    return _enabled


def reset() -> None:
    _totals.clear()
    _counts.clear()


def totals() -> dict[str, float]:
    """Seconds per stage so far, own time only (nested stages subtracted)."""
    return dict(_totals)


def counts() -> dict[str, int]:
    """How many times each stage ran."""
    return dict(_counts)


def write(path: str) -> None:
    """Write the totals and counts as JSON to `path` (a benchmark's scratch file)."""
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"seconds": totals(), "counts": counts()}, out)


def _from_environment() -> None:
    value = os.environ.get(ENV, "").strip()
    if not value:
        return
    enable()
    if value != "1":
        atexit.register(write, value)


_from_environment()
