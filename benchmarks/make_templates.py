"""Generate N filled, realistic templates with the product's own generator, cached by N.

    python benchmarks/make_templates.py 300            # prints the folder
    from make_templates import ensure_templates; folder = ensure_templates(300)

Every template reports to the same nämnd for the same period (2021-08-31) and is valid: comments
where the deviation or the forecast change reaches the comment threshold (1 000 tkr or 5 % of the
budget), åtgärder for an underskott at that threshold, postponed and cancelled assignments with a
year and a comment, indicator totals consistent. Mål-id and Uppdrag-id repeat across templates
(drawn from shared pools) with the same
assessment/status, as in a real nämnd. Most templates have 20 Ekonomi rows; every tenth has 100.
All have 20 nämndmål, 20 uppdrag and 10 indicators. The data are deterministic (seeded by N and i).
Sets larger than 300 (the benchmark's 3 000) are the 300 and copies of them, each copy renamed to a
förvaltning of its own ("Förvaltning 0301" …), so none is excluded as a duplicate.

The set is cached in <tmp>/delar_xl_bench/<key>-n<N>/, where <key> hashes this file and the
product's generator and template declaration, so a change to either regenerates it. Generation
is not timed by the benchmark; it uses every core (multiprocessing) for large N.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

PERIOD = date(2021, 8, 31)
NAMND = "Kommunstyrelsen"
ECONOMY_ROWS, LARGE_ECONOMY_ROWS, LARGE_EVERY = 20, 100, 10
GOALS, ASSIGNMENTS, INDICATORS = 20, 20, 10
GOAL_POOL, ASSIGNMENT_POOL = 60, 60  # ids shared by all templates
COMMENT_TKR, COMMENT_PERCENT = 1000.0, 5.0  # the product's default thresholds (settings.py)
_MARKER = ".complete"
GENERATED_MAX = 300  # larger sets are these 300 and renamed copies of them

_AREAS = (
    "Förskola",
    "Grundskola",
    "Gymnasieskola",
    "Vuxenutbildning",
    "Äldreomsorg",
    "Hemtjänst",
    "Funktionsstöd",
    "Individ- och familjeomsorg",
    "Kultur",
    "Fritid",
    "Samhällsbyggnad",
    "Miljö",
    "Teknik",
    "Fastighet",
    "Måltidsservice",
    "Lokalvård",
    "IT-service",
    "Kontaktcenter",
    "Ekonomi och styrning",
    "HR och arbetsmiljö",
    "Kommunikation",
    "Näringsliv",
    "Räddningstjänst",
    "Överförmyndare",
    "Bibliotek",
    "Musikskola",
    "Park och natur",
    "Gator och trafik",
)
_REASONS = (
    "Vakanser under våren och lägre kostnader för resor och konferenser. Engångseffekt.",
    "Högre volymer än planerat; fler brukare har tillkommit under perioden. Bestående.",
    "Senarelagda investeringar i verksamhetssystem; kostnaden kommer nästa år. Engångseffekt.",
    "Lägre livsmedelskostnader och färre portioner än budgeterat. Delvis bestående.",
    "Ökade kostnader för bemanning och inhyrd personal. Åtgärdsplan tas fram under hösten.",
    "Statsbidrag som inte var kända vid budgetarbetet har tillförts verksamheten. Engångseffekt.",
)
_ASSESSMENTS = ("Uppnås helt", "Uppnås delvis", "Uppnås inte")
_STATUSES = ("Verkställt", "Verkställs under året", "Förskjuts", "Avbryts")
_INDICATORS = (
    ("N00090", "Sjukfrånvaro bland medarbetare", "%"),
    ("I02", "Antal tillsvidareanställda", "antal"),
    ("I03", "Hållbart medarbetarengagemang (HME)", "index"),
    ("I04", "Andel heltidsanställda", "%"),
    ("I05", "Antal brukare", "antal"),
    ("I06", "Genomsnittlig handläggningstid", "dagar"),
    ("I07", "Kostnad per brukare", "kr"),
    ("I08", "Antal deltagare i verksamheten", "antal"),
    ("I09", "Andel nöjda brukare", "%"),
    ("I10", "Antal sökande per tjänst", "antal"),
)


def cache_root() -> Path:
    return Path(os.environ.get("DELAR_XL_BENCH_CACHE") or Path(tempfile.gettempdir()) / "delar_xl_bench")


def cache_key() -> str:
    """Hash of this generator and the product's generator and template declaration (with the xlsx/ helpers they use)."""
    import delar_xl.template.declaration
    import delar_xl.template.write
    import delar_xl.xlsx.schema
    import delar_xl.xlsx.writer

    digest = hashlib.sha256()
    for module_file in (
        __file__,
        delar_xl.template.write.__file__,
        delar_xl.template.declaration.__file__,
        delar_xl.xlsx.writer.__file__,
        delar_xl.xlsx.schema.__file__,
    ):
        digest.update(Path(module_file).read_bytes())
    return digest.hexdigest()[:12]


def economy_rows(i: int) -> int:
    return LARGE_ECONOMY_ROWS if i % LARGE_EVERY == LARGE_EVERY - 1 else ECONOMY_ROWS


_MEASURES = "Vakanser tillsätts inte och inköp skjuts fram till nästa år."


def _needs_comment(amount: float, budget: float) -> bool:
    return abs(amount) >= COMMENT_TKR or (budget != 0 and abs(amount) >= abs(budget) * COMMENT_PERCENT / 100)


def build_template(i: int, n: int):
    """The i-th (0-based) of n templates, as the product's model."""
    from delar_xl.template.model import AssignmentRow, EconomyRow, GoalRow, IndicatorRow, Metadata, Template

    rng = random.Random(f"delar_xl-bench-{n}-{i}")
    name = f"Förvaltning {i + 1:03d}"
    prefix = f"F{i + 1:03d}"
    meta = Metadata(
        forvaltning=name,
        namnd=NAMND,
        periodslut=PERIOD,
        rapport="Delårsrapport",
        kontaktperson=f"Controller, {name}",
        mbl_datum=date(2021, 9, 1 + rng.randrange(25)),
        sammanfattning=f"{name} bedriver verksamheten i stort enligt plan. Prognosen för helåret "
        "visar ett mindre överskott; ett par verksamheter redovisar underskott.",
    )
    economy = []
    for r in range(economy_rows(i)):
        budget = float(rng.choice((-1, -1, -1, 1)) * rng.randrange(500, 120_000))
        actual = round(budget * rng.uniform(0.55, 0.75), 0)
        forecast = budget + rng.choice((0.0, 0.0, 1.0)) * round(rng.uniform(-0.08, 0.08) * abs(budget), 0)
        previous = forecast + rng.choice((0.0, 0.0, 1.0)) * round(rng.uniform(-0.04, 0.04) * abs(budget), 0)
        comment = ""
        if (
            _needs_comment(forecast - budget, budget)
            or _needs_comment(forecast - previous, budget)
            or rng.random() < 0.2
        ):
            comment = rng.choice(_REASONS)
        area = _AREAS[(i + r) % len(_AREAS)]
        activity = f"{area} {r // len(_AREAS) + 1}" if r >= len(_AREAS) else area
        # Åtgärder on an underskott at the threshold (template version 2); no random draw, so the figures stay
        measures = _MEASURES if forecast < budget and _needs_comment(forecast - budget, budget) else ""
        economy.append(
            EconomyRow(
                f"{prefix}-{r + 1:02d}", activity, budget, actual, forecast, previous, comment, measures=measures
            )
        )
    goals = []
    for g in sorted(rng.sample(range(GOAL_POOL), GOALS)):
        assessment = _ASSESSMENTS[g % len(_ASSESSMENTS)]  # same id ⇒ same assessment everywhere
        goals.append(
            GoalRow(
                f"KS-M{g + 1:02d}",
                f"Nämndmål {g + 1}: verksamheten ska utvecklas för invånarnas bästa",
                assessment,
                "Analysen visar att arbetet går enligt plan, med vissa förseningar.",
            )
        )
    assignments = []
    for a in sorted(rng.sample(range(ASSIGNMENT_POOL), ASSIGNMENTS)):
        status = _STATUSES[a % len(_STATUSES)]  # same id ⇒ same status everywhere
        new_year = 2022 if status == "Förskjuts" else None
        comment = (
            "Arbetet har fått stå tillbaka under pandemin; det fortsätter nästa år."
            if status in ("Förskjuts", "Avbryts")
            else ""
        )
        assignments.append(
            AssignmentRow(
                f"KS-U{a + 1:02d}", f"Nämnden ska genomföra utvecklingsuppdrag {a + 1}", status, new_year, comment
            )
        )
    indicators = []
    for k, (ind_id, label, unit) in enumerate(_INDICATORS[:INDICATORS]):
        women = float(rng.randrange(10, 900))
        men = float(rng.randrange(10, 900))
        if unit == "antal":
            total = women + men
        else:
            low, high = sorted((women, men))
            total = round(low + (high - low) * rng.random(), 1)
        indicators.append(
            IndicatorRow(
                ind_id if k == 0 else f"{prefix}-{ind_id}", label, unit, women, men, total, round(total * 1.05, 1)
            )
        )
    return Template(meta, economy, goals, assignments, indicators)


def file_name(i: int) -> str:
    from delar_xl.template.write import template_file_name

    return f"{i + 1:03d} {template_file_name(f'Förvaltning {i + 1:03d}', PERIOD)}"


def _write_range(args: tuple[str, int, int, int]) -> int:
    folder, n, start, stop = args
    from delar_xl.template.write import write_template

    for i in range(start, stop):
        write_template(Path(folder) / file_name(i), build_template(i, n))
    return stop - start


def copy_name(i: int) -> str:
    """The förvaltning of copy i (0-based, i ≥ GENERATED_MAX): four digits, so never an original's name."""
    return f"Förvaltning {i + 1:04d}"


def _copy_range(source: Path, folder: Path, start: int, stop: int) -> None:
    """Templates start..stop-1 as copies of the generated ones, each with its own förvaltning.

    The name is only in the shared strings (the Förvaltning field, Kontaktperson, Sammanfattning),
    so the copy is the original package with that one part rewritten.
    """
    import zipfile

    originals = templates_in(source)
    for i in range(start, stop):
        k = i % GENERATED_MAX
        old, new = f"Förvaltning {k + 1:03d}".encode(), copy_name(i).encode()
        target = folder / f"{i + 1:04d} {originals[k].name.split(' ', 1)[1]}"
        with zipfile.ZipFile(originals[k]) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "xl/sharedStrings.xml":
                    data = data.replace(old, new)
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def ensure_templates(n: int, root: Path | None = None, workers: int | None = None, quiet: bool = False) -> Path:
    """The folder with n templates, generating them (in parallel) if not cached.

    Past GENERATED_MAX the set is the GENERATED_MAX generated templates and copies of them under
    new förvaltning names (copy_name): the same mix of sizes, 10× faster to make.
    """
    root = Path(root) if root else cache_root()
    folder = root / f"{cache_key()}-n{n}"
    if (folder / _MARKER).exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    if n > GENERATED_MAX:
        source = ensure_templates(GENERATED_MAX, root, workers, quiet)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-n{n}-", dir=_mkdir(root)))
        started = time.perf_counter()
        for path in templates_in(source):
            shutil.copy2(path, tmp / path.name)
        _copy_range(source, tmp, GENERATED_MAX, n)
        (tmp / _MARKER).write_text(f"{n} templates ({GENERATED_MAX} generated, the rest copies)\n", encoding="utf-8")
        os.replace(tmp, folder)
        if not quiet:
            print(
                f"copied {n - GENERATED_MAX} templates in {time.perf_counter() - started:.1f} s: {folder}",
                file=sys.stderr,
            )
        return folder
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-n{n}-", dir=_mkdir(root)))
    workers = max(1, min(workers or os.cpu_count() or 1, n // 20 or 1))
    started = time.perf_counter()
    chunks = [(str(tmp), n, n * k // workers, n * (k + 1) // workers) for k in range(workers)]
    if workers == 1:
        for chunk in chunks:
            _write_range(chunk)
    else:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_write_range, chunks))
    (tmp / _MARKER).write_text(f"{n} templates\n", encoding="utf-8")
    os.replace(tmp, folder)
    if not quiet:
        print(
            f"generated {n} templates in {time.perf_counter() - started:.1f} s ({workers} processes): {folder}",
            file=sys.stderr,
        )
    return folder


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def templates_in(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.suffix == ".xlsx")


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["3"]:
        print(ensure_templates(int(arg)))
