"""Benchmark delar-xl as whole processes at N templates and check the performance targets.

    python benchmarks/run.py [--sizes 3 30 300 3000] [--repeat 5] [--warmup 1] [--out results.md]
                             [--no-baseline] [--baseline-max 300] [--no-stages] [--one-process]
                             [--json results.json]

For every N it generates (once, cached: make_templates.py) N filled templates, then times as
separate processes, median of --repeat runs after --warmup runs, the commands interleaved so a
busy moment hits them alike:

- `delar-xl konsolidera DIR --ut OUT.xlsx` and `delar-xl kontrollera DIR`;
- the baseline: openpyxl_baseline.py, which loads every file with `openpyxl.load_workbook`;
- with --one-process: `kontrollera` and `konsolidera` again with DELAR_XL_WORKERS=1, to show
  what the worker processes (used from 50 templates on) bring;
- the breakdown (unless --no-stages): stages.py runs the same consolidation in one process with
  delar_xl.timing on and reports the time of each stage (imports, guard, read, rules,
  consolidation, summary write, text), so a regression shows where it happened;

and `delar-xl --help` and `python -c "import openpyxl"` (the yardstick of the small-N target).
Peak memory is each child's own ru_maxrss (os.wait4), a fresh figure per run, and on Linux also
the peak of the whole process tree (the child and its worker processes together, sampled every
50 ms from /proc). The baseline runs only up to --baseline-max templates (at 3 000 it would take
minutes a run). It prints the figures and PASS/FAIL per target (stdout, English) and writes the same
as a Swedish markdown table with --out. Exit status: 0, or 2 when a command failed (a missed
target is reported, not an error).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_templates import cache_root, ensure_templates, templates_in  # noqa: E402

# Targets (issue 7), on a 2-core machine.
SMALL_N, LARGE_N = 3, 300
SMALL_LIMIT_S, LARGE_LIMIT_S = 1.0, 5.0
SPEEDUP_MIN = 8.0
HELP_LIMIT_S = 0.3
MEMORY_LIMIT_MB = 300.0
LINEAR_SLACK = 1.5  # per-template cost at the largest sizes may be at most 1.5× that at the smallest
# Targets (issue 14): ratios against yardsticks measured in the same run, so a busy machine
# moves both sides alike.
HUGE_N = 3000
CHECK_RATIO_MIN = 12.0  # openpyxl baseline / kontrollera at LARGE_N
CONSOLIDATE_RATIO_MIN = 5.0  # openpyxl baseline / konsolidera at LARGE_N
SMALL_IMPORT_MAX = 4.0  # konsolidera of SMALL_N / `python -c "import openpyxl"`
HUGE_MEMORY_LIMIT_MB = 500.0  # peak at HUGE_N (the whole process tree where measured)
HUGE_COST_SLACK = 1.15  # konsolidera's cost per template at HUGE_N ≤ 1.15 × that at LARGE_N
STAGES = ("imports", "guard", "read", "rules", "consolidation", "summary write", "text")

PYTHON = sys.executable


def _delar_xl() -> list[str]:
    """The installed `delar-xl` next to this Python (the venv's), else `python -m delar_xl.cli`."""
    for name in ("delar-xl", "delar-xl.exe"):
        script = Path(sys.executable).with_name(name)
        if script.exists():
            return [str(script)]
    return [PYTHON, "-m", "delar_xl.cli"]


DELAR_XL = _delar_xl()


@dataclass
class Sample:
    seconds: float
    rss_mb: float | None
    cpu: float | None  # user + system seconds of the child (and of the workers it waited for)
    returncode: int
    output: str
    tree_mb: float | None = None  # peak RSS of the child and its descendants together (Linux)
    stages: dict | None = None  # stages.py's JSON: seconds per stage, RSS per step


@dataclass
class Measure:
    """The runs of one command at one N (warm-up runs not included)."""

    name: str
    n: int
    samples: list[Sample] = field(default_factory=list)
    failed: str = ""

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def best(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def cpu(self) -> float | None:
        values = [s.cpu for s in self.samples if s.cpu is not None]
        return statistics.median(values) if values else None

    @property
    def rss(self) -> float | None:
        values = [s.rss_mb for s in self.samples if s.rss_mb is not None]
        return max(values) if values else None

    @property
    def tree(self) -> float | None:
        values = [s.tree_mb for s in self.samples if s.tree_mb is not None]
        return max(values) if values else None

    @property
    def peak(self) -> float | None:
        """The larger of the process tree's sampled peak and the largest single process's."""
        values = [v for v in (self.rss, self.tree) if v is not None]
        return max(values) if values else None

    def stage_median(self, stage: str) -> float | None:
        values = [s.stages["seconds"].get(stage, 0.0) for s in self.samples if s.stages]
        return statistics.median(values) if values else None

    @property
    def last_line(self) -> str:
        output = self.samples[-1].output if self.samples else ""
        lines = [line for line in output.splitlines() if "kontrollerade" in line]
        return lines[-1].strip() if lines else ""


# Running one child --------------------------------------------------------------------------


def run_child(cmd: list[str], cwd: Path, extra_env: dict[str, str] | None = None) -> Sample:
    """Run `cmd` as its own process: wall time and that process's own peak RSS."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env={**_env(), **(extra_env or {})})
        sampler = TreeSampler(proc.pid)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024) / 1e6
            cpu = usage.ru_utime + usage.ru_stime
        else:  # Windows: time only
            proc.wait()
            seconds, rss, cpu = time.perf_counter() - started, None, None
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    return Sample(seconds, rss, cpu, proc.returncode, output, sampler.stop())


class TreeSampler:
    """Samples the RSS of a process and all its descendants every `interval` s (Linux /proc).

    ru_maxrss gives one process's peak; with worker processes the machine holds their sum, which
    is what the memory targets are about. A thread reads /proc/*/stat (parent ids) and statm.
    """

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        import threading

        self.pid, self.interval, self.peak = pid, interval, 0
        self._done = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
        self._thread = threading.Thread(target=self._run, daemon=True) if Path("/proc/self/statm").exists() else None
        if self._thread:
            self._thread.start()

    def stop(self) -> float | None:
        if not self._thread:
            return None
        self._done.set()
        self._thread.join()
        return self.peak / 1e6 if self.peak else None

    def _run(self) -> None:
        while not self._done.wait(self.interval):
            self.peak = max(self.peak, self._tree_rss())

    def _tree_rss(self) -> int:
        parents: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    stat = Path(f"/proc/{entry.name}/stat").read_text()
                    parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        tree, grew = {self.pid}, True
        while grew:
            more = {pid for pid, parent in parents.items() if parent in tree} - tree
            tree |= more
            grew = bool(more)
        total = 0
        for pid in tree:
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page
            except (OSError, ValueError, IndexError):
                continue
        return total


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DELAR_XL_SETTINGS", None)  # the default thresholds, whatever the caller's settings
    # As installed: pip compiles a package's bytecode when it installs it (openpyxl's is), so the
    # children may write delar_xl's too (the warm-up run does). With PYTHONDONTWRITEBYTECODE set, as
    # on some machines here, every run would compile delar_xl from source (~50 ms) and nothing else.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


# The benchmark ------------------------------------------------------------------------------


@dataclass
class Command:
    name: str
    argv: list[str]
    ok_codes: tuple[int, ...] = (0, 1)  # 1 = findings; the generated set has none, but it is no crash
    before: object = None  # callable run before each run (not timed)
    env: dict[str, str] | None = None  # extra environment for the child
    result_file: Path | None = None  # JSON the child writes (stages.py), read into Sample.stages


def commands_for(
    n: int, folder: Path, work: Path, baseline: bool, one_process: bool, stages: bool = True
) -> list[Command]:
    out = work / f"Sammanställning-n{n}.xlsx"

    def clear_output() -> None:
        for path in (out, out.with_name(out.name + ".bak")):
            path.unlink(missing_ok=True)

    cmds = [
        Command("konsolidera", [*DELAR_XL, "konsolidera", str(folder), "--ut", str(out)], before=clear_output),
        Command("kontrollera", [*DELAR_XL, "kontrollera", str(folder)]),
    ]
    if baseline:
        cmds.append(Command("openpyxl", [PYTHON, str(HERE / "openpyxl_baseline.py"), str(folder)], ok_codes=(0,)))
    if one_process:
        alone = {"DELAR_XL_WORKERS": "1"}
        cmds.append(Command("kontrollera-1proc", [*DELAR_XL, "kontrollera", str(folder)], env=alone))
        cmds.append(
            Command(
                "konsolidera-1proc",
                [*DELAR_XL, "konsolidera", str(folder), "--ut", str(out)],
                before=clear_output,
                env=alone,
            )
        )
    if stages:
        result = work / f"stages-n{n}.json"
        cmds.append(
            Command(
                "stages",
                [PYTHON, str(HERE / "stages.py"), str(folder), str(out), str(result)],
                ok_codes=(0,),
                before=clear_output,
                env={"DELAR_XL_WORKERS": "1"},
                result_file=result,
            )
        )
    return cmds


def measure(cmds: list[Command], n: int, repeat: int, warmup: int, cwd: Path, progress: bool) -> dict[str, Measure]:
    """Run every command warmup + repeat times, round-robin."""
    results = {c.name: Measure(c.name, n) for c in cmds}
    for rep in range(warmup + repeat):
        for c in cmds:
            m = results[c.name]
            if m.failed:
                continue
            if callable(c.before):
                c.before()
            sample = run_child(c.argv, cwd, c.env)
            if sample.returncode not in c.ok_codes:
                m.failed = f"exit {sample.returncode}: {sample.output.strip()[-400:]}"
                continue
            if c.result_file is not None:
                sample.stages = json.loads(c.result_file.read_text(encoding="utf-8"))
            if rep >= warmup:
                m.samples.append(sample)
            if progress:
                tag = "warm-up" if rep < warmup else f"run {rep - warmup + 1}/{repeat}"
                print(
                    f"  N={n:<4} {c.name:<17} {tag:<10} {sample.seconds:7.3f} s  {sample.rss_mb or 0:6.0f} MB",
                    file=sys.stderr,
                )
    return results


# Machine ------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.0f} GB"
    except OSError:
        pass
    from importlib.metadata import version

    versions = {}
    for dist in ("delar_xl", "python-calamine", "openpyxl", "XlsxWriter"):
        try:
            versions[dist] = version(dist)
        except Exception:
            versions[dist] = "?"
    commit = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(
            ["git", "-C", str(HERE.parent), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "commit": commit,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# Targets ------------------------------------------------------------------------------------


@dataclass
class Verdict:
    key: str
    measured: str
    ok: bool | None  # None: not measured in this run


def verdicts(
    runs: dict[int, dict[str, Measure]], help_m: Measure | None, lang: str, import_m: Measure | None = None
) -> list[Verdict]:
    sizes = sorted(runs)
    f = _fmt(lang)
    out: list[Verdict] = []

    def cons(n: int) -> Measure | None:
        m = runs.get(n, {}).get("konsolidera")
        return m if m and m.samples else None

    for n, limit, key in ((SMALL_N, SMALL_LIMIT_S, "small"), (LARGE_N, LARGE_LIMIT_S, "large")):
        m = cons(n)
        out.append(Verdict(key, f.s(m.median) if m else "–", (m.median <= limit) if m else None))

    with_base = [n for n in sizes if runs[n].get("openpyxl") and runs[n]["openpyxl"].samples]
    largest = with_base[-1] if with_base else None  # the baseline is not run at every size
    base = runs.get(largest, {}).get("openpyxl") if largest else None
    check = runs.get(largest, {}).get("kontrollera") if largest else None
    if base and base.samples and check and check.samples:
        ratio = base.median / check.median
        out.append(Verdict("speedup", f"{f.x(ratio)} (N={largest})", ratio >= SPEEDUP_MIN))
    else:
        out.append(Verdict("speedup", "–", None))

    if help_m and help_m.samples:
        out.append(Verdict("help", f.s(help_m.median), help_m.median <= HELP_LIMIT_S))
    else:
        out.append(Verdict("help", "–", None))

    big = [m for name, m in runs.get(LARGE_N, {}).items() if name in ("konsolidera", "kontrollera") and m.samples]
    if big and all(m.rss is not None for m in big):
        peak = max(m.rss for m in big)
        out.append(Verdict("memory", f.mb(peak), peak <= MEMORY_LIMIT_MB))
    else:
        out.append(Verdict("memory", "–", None))

    measured = [n for n in sizes if cons(n)]
    if len(measured) >= 3:
        a, b, y, z = measured[0], measured[1], measured[-2], measured[-1]
        low = (cons(b).median - cons(a).median) / (b - a)
        high = (cons(z).median - cons(y).median) / (z - y)
        ok = high <= LINEAR_SLACK * max(low, 1e-4)
        out.append(Verdict("linear", f"{f.ms(low)} → {f.ms(high)} {f.per}", ok))
    else:
        out.append(Verdict("linear", "–", None))
    return out + ratio_verdicts(runs, import_m, f)


def ratio_verdicts(runs: dict[int, dict[str, Measure]], import_m: Measure | None, f: _fmt) -> list[Verdict]:
    """The targets of issue 14: ratios to yardsticks of the same run, and the 3 000 size."""

    def med(n: int, name: str) -> float | None:
        m = runs.get(n, {}).get(name)
        return m.median if m and m.samples else None

    out: list[Verdict] = []
    base = med(LARGE_N, "openpyxl")
    for key, name, minimum in (
        ("check_ratio", "kontrollera", CHECK_RATIO_MIN),
        ("consolidate_ratio", "konsolidera", CONSOLIDATE_RATIO_MIN),
    ):
        ours = med(LARGE_N, name)
        if base and ours:
            out.append(Verdict(key, f.x(base / ours), base / ours >= minimum))
        else:
            out.append(Verdict(key, "–", None))
    small = med(SMALL_N, "konsolidera")
    if small and import_m and import_m.samples:
        ratio = small / import_m.median
        out.append(
            Verdict("small_import", f"{f.x(ratio)} ({f.s(small)} / {f.s(import_m.median)})", ratio <= SMALL_IMPORT_MAX)
        )
    else:
        out.append(Verdict("small_import", "–", None))
    huge = [m for name, m in runs.get(HUGE_N, {}).items() if m.samples and m.peak is not None]
    if huge:
        peak = max(m.peak for m in huge)
        out.append(Verdict("huge_memory", f.mb(peak), peak <= HUGE_MEMORY_LIMIT_MB))
    else:
        out.append(Verdict("huge_memory", "–", None))
    out.append(huge_cost(runs.get(LARGE_N, {}).get("konsolidera"), runs.get(HUGE_N, {}).get("konsolidera"), f))
    return out


def huge_cost(large: Measure | None, big: Measure | None, f: _fmt) -> Verdict:
    """Cost per template at HUGE_N against LARGE_N, judged on CPU time where measured.

    CPU time (the command's and its workers') is what a template costs; on a busy machine the
    wall time of a two-minute run also counts every other process's share of the cores.
    """
    if not (large and large.samples and big and big.samples):
        return Verdict("huge_cost", "–", None)
    wall = (big.median / HUGE_N) / (large.median / LARGE_N)
    text = f"wall {f.ms(large.median / LARGE_N)} → {f.ms(big.median / HUGE_N)} {f.per} ({f.x(wall)})"
    if large.cpu and big.cpu:
        cpu = (big.cpu / HUGE_N) / (large.cpu / LARGE_N)
        text = f"CPU {f.ms(large.cpu / LARGE_N)} → {f.ms(big.cpu / HUGE_N)} {f.per} ({f.x(cpu)}); " + text
        return Verdict("huge_cost", text, cpu <= HUGE_COST_SLACK)
    return Verdict("huge_cost", text, wall <= HUGE_COST_SLACK)


# Rendering ----------------------------------------------------------------------------------

_TEXT = {
    "en": {
        "title": "delar-xl benchmark",
        "figures": ["N", "command", "median", "best", "ms/template", "CPU", "peak RSS", "tree peak", "exit", "output"],
        "targets": ["target", "measured", "result"],
        "small": f"konsolidera, {SMALL_N} templates ≤ {SMALL_LIMIT_S:.1f} s",
        "large": f"konsolidera, {LARGE_N} templates ≤ {LARGE_LIMIT_S:.0f} s",
        "speedup": f"reading ≥ {SPEEDUP_MIN:.0f}× faster than openpyxl (kontrollera vs baseline)",
        "help": f"delar-xl --help ≤ {HELP_LIMIT_S:.1f} s",
        "memory": f"peak memory ≤ {MEMORY_LIMIT_MB:.0f} MB at {LARGE_N} templates",
        "linear": f"linear in N (marginal cost per template grows ≤ {LINEAR_SLACK}×)",
        "check_ratio": f"kontrollera of {LARGE_N} ≥ {CHECK_RATIO_MIN:.0f}× the openpyxl baseline (same run)",
        "consolidate_ratio": f"konsolidera of {LARGE_N} ≥ {CONSOLIDATE_RATIO_MIN:.0f}× the openpyxl baseline "
        "(same run)",
        "small_import": f'konsolidera of {SMALL_N} ≤ {SMALL_IMPORT_MAX:.0f}× `python -c "import openpyxl"`',
        "huge_memory": f"peak memory ≤ {HUGE_MEMORY_LIMIT_MB:.0f} MB at {HUGE_N} templates (process tree)",
        "huge_cost": f"konsolidera's cost per template (CPU) at {HUGE_N} ≤ {HUGE_COST_SLACK}× that at {LARGE_N}",
        "breakdown": "Breakdown (stages.py: one process, delar_xl.timing; median seconds, ms per template)",
        "stage": "stage",
        "wall": "whole run",
        "peak_step": "peak RSS after",
        "machine": "Machine",
        "cores": "cores",
        "command": "Command",
        "load": "load average before/after",
        "notes": "median of {r} runs after {w} warm-up, whole processes, commands interleaved",
        "ratio": "openpyxl / kontrollera",
    },
    "sv": {
        "title": "Prestanda för delar-xl",
        "figures": [
            "N",
            "kommando",
            "median",
            "bästa",
            "ms/mall",
            "CPU-tid",
            "toppminne",
            "processträd",
            "status",
            "utskrift",
        ],
        "targets": ["mål", "uppmätt", "resultat"],
        "small": f"konsolidera, {SMALL_N} mallar ≤ {SMALL_LIMIT_S:.1f} s".replace(".", ","),
        "large": f"konsolidera, {LARGE_N} mallar ≤ {LARGE_LIMIT_S:.0f} s",
        "speedup": f"läsning minst {SPEEDUP_MIN:.0f}× snabbare än openpyxl (kontrollera mot openpyxl)",
        "help": f"delar-xl --help ≤ {HELP_LIMIT_S:.1f} s".replace(".", ","),
        "memory": f"toppminne ≤ {MEMORY_LIMIT_MB:.0f} MB vid {LARGE_N} mallar",
        "linear": f"linjär kostnad (marginalkostnaden per mall växer högst {LINEAR_SLACK:.1f}×)".replace(".", ","),
        "check_ratio": f"kontrollera av {LARGE_N} minst {CHECK_RATIO_MIN:.0f}× snabbare än openpyxl (samma körning)",
        "consolidate_ratio": f"konsolidera av {LARGE_N} minst {CONSOLIDATE_RATIO_MIN:.0f}× snabbare än openpyxl "
        "(samma körning)",
        "small_import": f'konsolidera av {SMALL_N} högst {SMALL_IMPORT_MAX:.0f}× `python -c "import openpyxl"`',
        "huge_memory": f"toppminne ≤ {HUGE_MEMORY_LIMIT_MB:.0f} MB vid {HUGE_N} mallar (hela processträdet)",
        "huge_cost": (f"kostnad per mall (CPU-tid) vid {HUGE_N} högst {HUGE_COST_SLACK}× den vid {LARGE_N}").replace(
            ".", ","
        ),
        "breakdown": "Fördelning (stages.py: en process, delar_xl.timing; median i sekunder, ms per mall)",
        "stage": "steg",
        "wall": "hela körningen",
        "peak_step": "toppminne efter",
        "machine": "Dator",
        "cores": "kärnor",
        "command": "Kommando",
        "load": "belastning (load average) före/efter",
        "notes": "median av {r} körningar efter {w} uppvärmning, hela processer, kommandona omväxlande",
        "ratio": "openpyxl / kontrollera",
    },
}


class _fmt:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.per = "ms/template" if lang == "en" else "ms/mall"

    def num(self, value: float, decimals: int) -> str:
        text = f"{value:,.{decimals}f}"
        if self.lang == "sv":
            text = text.replace(",", " ").replace(".", ",")
        return text

    def s(self, value: float) -> str:
        return f"{self.num(value, 3 if value < 1 else 2)} s"

    def ms(self, value: float) -> str:
        return self.num(value * 1000, 1)

    def mb(self, value: float) -> str:
        return f"{self.num(value, 0)} MB"

    def x(self, value: float) -> str:
        return f"{self.num(value, 1)}×"


def render(
    runs: dict[int, dict[str, Measure]],
    help_m: Measure | None,
    info: dict[str, str],
    args: argparse.Namespace,
    loads: tuple[str, str],
    lang: str,
    import_m: Measure | None = None,
) -> str:
    t, f = _TEXT[lang], _fmt(lang)
    lines = [f"## {t['title']}", ""]
    lines.append("| " + " | ".join(t["figures"]) + " |")
    lines.append("|" + "---|" * len(t["figures"]))
    rows = [(n, m) for n in sorted(runs) for m in runs[n].values()]
    for extra in (import_m, help_m):
        if extra:
            rows.insert(0, (0, extra))
    for n, m in rows:
        if m.failed:
            lines.append(f"| {n or '–'} | {m.name} | FAILED | | | | | | | {m.failed.splitlines()[0][:80]} |")
            continue
        if not m.samples:
            continue
        per = f.ms(m.median / n) if n else "–"
        rc = ",".join(sorted({str(s.returncode) for s in m.samples}))
        lines.append(
            f"| {n or '–'} | {m.name} | {f.s(m.median)} | {f.s(m.best)} | {per} | "
            f"{f.s(m.cpu) if m.cpu is not None else '–'} | "
            f"{f.mb(m.rss) if m.rss is not None else '–'} | {f.mb(m.tree) if m.tree is not None else '–'} | "
            f"{rc} | {m.last_line} |"
        )
    ratios = []
    for n in sorted(runs):
        base, check = runs[n].get("openpyxl"), runs[n].get("kontrollera")
        if base and base.samples and check and check.samples:
            ratios.append(f"N={n}: {f.x(base.median / check.median)}")
    if ratios:
        lines += ["", f"{t['ratio']}: " + ", ".join(ratios)]
    lines += render_breakdown(runs, t, f)
    lines += ["", "| " + " | ".join(t["targets"]) + " |", "|---|---|---|"]
    for v in verdicts(runs, help_m, lang, import_m):
        result = "–" if v.ok is None else ("PASS" if v.ok else "FAIL")
        lines.append(f"| {t[v.key]} | {v.measured} | {result} |")
    lines += [
        "",
        f"{t['machine']}: {info['cpu']}, {info['cores']} {t['cores']}, {info['memory']}, {info['os']}, "
        f"Python {info['python']} ({info['versions']}); {info['date']}; git {info['commit']}; "
        f"{t['load']}: {loads[0]} / {loads[1]}.",
        "",
        f"{t['command']}: `{_pythonpath()}python benchmarks/run.py --sizes {' '.join(map(str, args.sizes))} "
        f"--repeat {args.repeat}"
        f"{' --one-process' if args.one_process else ''}{' --no-baseline' if args.no_baseline else ''}` "
        f"({t['notes'].format(r=args.repeat, w=args.warmup)}).",
    ]
    return "\n".join(lines) + "\n"


def render_breakdown(runs: dict[int, dict[str, Measure]], t: dict[str, str], f: _fmt) -> list[str]:
    """One row per stage, one column per N: where the time of a konsolidera goes."""
    sizes = [n for n in sorted(runs) if runs[n].get("stages") and runs[n]["stages"].samples]
    if not sizes:
        return []
    lines = [
        "",
        f"{t['breakdown']}:",
        "",
        f"| {t['stage']} | " + " | ".join(f"N={n}" for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for stage in STAGES:
        cells = []
        for n in sizes:
            value = runs[n]["stages"].stage_median(stage) or 0.0
            per = "" if stage == "imports" else f" ({f.ms(value / n)})"
            cells.append(f"{f.num(value, 3)}{per}")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    walls = [statistics.median(s.stages["wall"] for s in runs[n]["stages"].samples) for n in sizes]
    cells = " | ".join(f"{f.num(w, 3)} ({f.ms(w / n)})" for w, n in zip(walls, sizes))
    lines.append(f"| {t['wall']} | {cells} |")
    for step in ("consolidate", "summary write"):
        peaks = [max(s.stages["rss_mb"].get(step, 0.0) for s in runs[n]["stages"].samples) for n in sizes]
        lines.append(f"| {t['peak_step']} {step} | " + " | ".join(f.mb(p) for p in peaks) + " |")
    return lines


def _pythonpath() -> str:
    """Shown in the command when set: the children then import delar_xl from there (a patched copy)."""
    value = os.environ.get("PYTHONPATH", "")
    return f"PYTHONPATH={value} " if value else ""


# Main ---------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", nargs="+", type=int, default=[SMALL_N, 30, LARGE_N, HUGE_N], metavar="N")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per command (median)")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs first")
    p.add_argument("--out", type=Path, help="also write the results as Swedish markdown here")
    p.add_argument("--json", type=Path, help="also write every sample as JSON here")
    p.add_argument("--no-baseline", action="store_true", help="skip the openpyxl baseline (slow at large N)")
    p.add_argument(
        "--baseline-max",
        type=int,
        default=LARGE_N,
        metavar="N",
        help=f"run the baseline only up to N templates (default {LARGE_N})",
    )
    p.add_argument("--no-stages", action="store_true", help="skip the per-stage breakdown (stages.py)")
    p.add_argument("--no-help", action="store_true", help="skip timing delar-xl --help")
    p.add_argument(
        "--one-process",
        action="store_true",
        help="also time kontrollera and konsolidera with DELAR_XL_WORKERS=1 (no worker processes)",
    )
    p.add_argument("--cache", type=Path, help=f"where generated templates are cached (default {cache_root()})")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = p.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0 or any(n < 1 for n in args.sizes):
        p.error("--repeat ≥ 1, --warmup ≥ 0 and every size ≥ 1")
    args.sizes = sorted(set(args.sizes))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine()
    folders = {n: ensure_templates(n, args.cache, quiet=args.quiet) for n in args.sizes}
    for n, folder in folders.items():
        assert len(templates_in(folder)) == n, folder
    before = load()
    runs: dict[int, dict[str, Measure]] = {}
    help_m = import_m = None
    with tempfile.TemporaryDirectory(prefix="delar_xl_bench_out-") as tmp:
        work = Path(tmp)
        if not args.no_help:
            small = measure(
                [
                    Command("--help", [*DELAR_XL, "--help"], ok_codes=(0,)),
                    Command("import openpyxl", [PYTHON, "-c", "import openpyxl"], ok_codes=(0,)),
                ],
                0,
                args.repeat,
                args.warmup,
                work,
                not args.quiet,
            )
            help_m, import_m = small["--help"], small["import openpyxl"]
        for n in args.sizes:
            baseline = not args.no_baseline and n <= args.baseline_max
            cmds = commands_for(n, folders[n], work, baseline, args.one_process, not args.no_stages)
            runs[n] = measure(cmds, n, args.repeat, args.warmup, work, not args.quiet)
    loads = (before, load())
    print(render(runs, help_m, info, args, loads, "en", import_m))
    if args.out:
        args.out.write_text(render(runs, help_m, info, args, loads, "sv", import_m), encoding="utf-8")
    if args.json:
        data = {
            "machine": info,
            "load": loads,
            "runs": [
                {
                    "n": m.n,
                    "command": m.name,
                    "failed": m.failed,
                    "samples": [
                        {
                            "seconds": s.seconds,
                            "cpu": s.cpu,
                            "rss_mb": s.rss_mb,
                            "tree_mb": s.tree_mb,
                            "exit": s.returncode,
                            "stages": s.stages,
                        }
                        for s in m.samples
                    ],
                }
                for m in [x for x in (import_m, help_m) if x] + [m for n in runs for m in runs[n].values()]
            ],
        }
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    failed = [m for n in runs for m in runs[n].values() if m.failed] + ([help_m] if help_m and help_m.failed else [])
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
