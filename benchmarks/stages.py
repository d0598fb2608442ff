"""Where the time of one `konsolidera` goes: the run in one process, with the stage timing on.

    python benchmarks/stages.py FOLDER OUT.xlsx RESULT.json [--tracemalloc]

Calls the public API in the order `delar-xl konsolidera` does (consolidate, write_summary, the
text), with `delar_xl.timing` enabled: the core's own stages (guard, read, rules,
consolidation) come from the `timing.stage` lines in the core; the summary write and the text
are timed here around their calls. Imports are timed too. Run it with DELAR_XL_WORKERS=1 (run.py
does): time spent in worker processes is not collected.

Memory: the process's peak RSS after each step (ru_maxrss, so what the step added to the peak),
and with --tracemalloc the Python heap held by the result after consolidation and the peak of
the summary write (tracemalloc slows everything down ~2×: times are then not comparable).

Writes {"seconds": {stage: s}, "wall": s, "rss_mb": {step: MB}, "heap_mb": {...}} to RESULT.json.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _rss_mb() -> float:
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def main(argv: list[str]) -> int:
    trace = "--tracemalloc" in argv
    folder, out, result_path = (Path(a) for a in argv if a != "--tracemalloc")
    started = time.perf_counter()
    from delar_xl import timing

    timing.enable()
    with timing.stage("imports"):
        from delar_xl.namnd.consolidate import consolidate
        from delar_xl.namnd.document import render
        from delar_xl.namnd.summary import write_summary
    rss: dict[str, float] = {"imports": _rss_mb()}
    heap: dict[str, float] = {}
    if trace:
        import tracemalloc

        tracemalloc.start()
    result = consolidate([folder])
    rss["consolidate"] = _rss_mb()
    if trace:
        heap["result"] = tracemalloc.get_traced_memory()[0] / 1e6
        tracemalloc.reset_peak()
    with timing.stage("summary write"):
        write_summary(result, out)
    rss["summary write"] = _rss_mb()
    if trace:
        heap["summary write peak"] = tracemalloc.get_traced_memory()[1] / 1e6
    with timing.stage("text"):
        render(result)
    rss["text"] = _rss_mb()
    wall = time.perf_counter() - started
    data = {
        "seconds": timing.totals(),
        "counts": timing.counts(),
        "wall": wall,
        "rss_mb": rss,
        "heap_mb": heap,
        "templates": len(result.units),
    }
    Path(result_path).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
