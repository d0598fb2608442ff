"""The kommun level (contract §6): the nämnders' summaries → the kommun's summary.

`consolidate_kommun(paths)` reads every nämnd summary through namnd/read.py, applies the same
discipline as one level down (one period, no nämnd twice, say plainly what is incomplete) and
builds a `KommunResult` (kommun/result.py), which kommun/summary.py writes and kommun/text.py puts
into words.

Amounts are the nämnder's unrounded mnkr totals (their `BudgetTotal`, `PrognosTotal`,
`AvvikelseTotal` cells), summed as they are. Goals and assignments are distinct per nämnd: the key
is (nämnd, id), so the kommun's counts are the sums of the nämnder's own counts, each already over
that nämnd's distinct ids, and two nämnders' `M1` are two goals.

What happens to a summary that cannot simply be added:

* another period (or another kind of report), a kommun summary, a nämnd that appears twice, a file
  that is not a readable summary: a `Fel`, and the file is left out. Mixing periods or counting a
  nämnd twice would make every kommun figure wrong, and which duplicate is right is not ours to guess.
* a nämnd summary that was itself incomplete (a förvaltning left out, `AntalSaknade` > 0, or
  `AntalFel` > 0): a `Varning`, and the nämnd is *included*. Its summary is the nämnd's own
  figure for the förvaltningar it does hold; leaving the whole nämnd out would drop those too and
  make the kommun total further from the truth, not nearer. The kommun summary says plainly, in its
  banner, in the nämnd's row and in the text, that the kommun total is built on an incomplete nämnd,
  and `konsolidera` exits 1 as for anything left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from delar_xl.findings import Finding, Report, Severity
from delar_xl.kinds import KIND_FINANS, KIND_OTHER, KIND_PLAN, KIND_SUMMARY, KIND_TEMPLATE
from delar_xl.kommun.result import (
    KOMMUN_NAME,
    STATUS_DUPLICATE,
    STATUS_DUPLICATE_FINANS,
    STATUS_FINANS_ERRORS,
    STATUS_INCOMPLETE,
    STATUS_OTHER_PERIOD,
    FinansUnit,
    KommunResult,
    NamndUnit,
)
from delar_xl.namnd.consolidate import collect_paths, majority_period, same_name_groups, source_folder, unique_names
from delar_xl.namnd.declaration import (
    ANTAL_FEL,
    ANTAL_SAKNADE,
    NIVA,
    NIVA_KOMMUN,
    PERIODSLUT,
    STATUS_INCLUDED,
    STATUS_MISSING,
    STATUS_SKIPPED,
    STATUS_UNREADABLE,
    SUBMISSIONS_TABLE,
    UNITS_TABLE,
)
from delar_xl.namnd.read import NamndSummary, input_kind, read_summary

# Which level ------------------------------------------------------------------------------


def inputs_are_summaries(args: Iterable[Path | str]) -> bool:
    """True when the inputs hold at least one summary and no template: `konsolidera` works one level up.

    A folder that mixes templates and summaries stays at the nämnd level (the summaries are
    skipped with an Info there, as before); so does anything given with a plan (contract §4).
    """
    paths, _ = collect_paths(args)
    found_summary = False
    for path in paths:
        kind = _kind(path)
        if kind in (KIND_TEMPLATE, KIND_PLAN):
            return False  # the first template (or plan) settles it: a folder of templates costs one peek
        # the finansförvaltning's template is an input of the kommun level only (contract §9)
        found_summary = found_summary or kind in (KIND_SUMMARY, KIND_FINANS)
    return found_summary


def _kind(path: Path) -> str:
    """input_kind, but one odd file never stops the others: its reader names the problem."""
    try:
        return input_kind(path)
    except Exception as exc:  # one odd file never stops the others: its reader names the problem
        from delar_xl.log import log_exception

        log_exception(exc, f"input_kind {path}")
        return KIND_OTHER


# Consolidating ------------------------------------------------------------------------------


def consolidate_kommun(
    paths: Iterable[Path | str], period: date | None = None, kommun: str | None = None
) -> KommunResult:
    """Read every nämnd summary (and the finansförvaltning's template) and consolidate the usable ones into the
    kommun's result (for `period`, when given; else the period most summaries report, and a tie is never decided).

    `kommun`: the kommun's name (`konsolidera --kommun`); without it the nämnd summaries' `Kommun`
    (from their plans), then the finansförvaltning's `Kommun`, then "Kommunen".
    """
    from delar_xl.xlsx.guard import ensure_safe_xml

    ensure_safe_xml()
    paths = list(paths)
    files, notes = collect_paths(paths)
    units: list[NamndUnit] = []
    finans_units: list[FinansUnit] = []
    for path, name in zip(files, unique_names(files)):
        if _kind(path) == KIND_FINANS:
            finans_units.append(_finans_unit(path, name))
        else:
            units.append(_unit(path, name))
    result = KommunResult(units, Report(list(notes)), finans_units=finans_units)
    for source in [*(u.findings for u in units), *(f.findings for f in finans_units)]:
        result.report.extend(source)
    result.source_folder = source_folder(paths)
    _skip_kommun_summaries(result)
    _pick_period(result, period)
    _exclude_duplicates(result)
    _note_incomplete(result)
    _check_finans(result)
    result.namnd = _kommun_name(result, kommun)
    return result


def _finans_unit(path: Path, name: str) -> FinansUnit:
    from delar_xl.finans.read import check_finans
    from delar_xl.settings import load_settings

    read = check_finans(path, name, load_settings())
    unit = FinansUnit(read.file, read.path, read.sha256, read.finans, list(read.findings))
    if read.finans is None:
        unit.status = STATUS_UNREADABLE
    elif read.has_errors:
        unit.status = STATUS_FINANS_ERRORS
    return unit


def _check_finans(result: KommunResult) -> None:
    """One finansförvaltning's template, for the kommun's period: anything else is left out, with a Fel."""
    usable = [u for u in result.finans_units if u.included]
    if len(usable) > 1:
        files = ", ".join(u.file for u in usable)
        for unit in usable:
            _add_finans(
                result,
                unit,
                ("", ""),
                "finans-dubblett",
                f"Det finns flera underlag från finansförvaltningen ({files}). Inget av dem tas med: ta bort "
                "det som inte gäller och konsolidera igen.",
            )
            unit.status = STATUS_DUPLICATE_FINANS
        return
    for unit in usable:
        if unit.finans is None:
            continue  # not usable after all (read without a model)
        period = unit.finans.periodslut
        if result.periodslut is not None and period != result.periodslut:
            _add_finans(
                result,
                unit,
                unit.finans.field_cell("Periodslut"),
                "annan-period",
                f"Finansförvaltningens underlag avser {period.isoformat() if period else 'ingen period'}, men "
                f"nämndernas sammanställningar avser {result.periodslut.isoformat()}. Det tas inte med; årets "
                "resultat kan inte redovisas förrän underlaget avser samma period.",
            )
            unit.status = STATUS_OTHER_PERIOD


def _add_finans(result: KommunResult, unit: FinansUnit, place: tuple[str, str], code: str, message: str) -> None:
    finding = Finding(unit.file, place[0], place[1], Severity.ERROR, code, message)
    unit.findings.append(finding)
    result.report.findings.append(finding)


def _kommun_name(result: KommunResult, given: str | None) -> str:
    """--kommun, else the name most included nämnd summaries carry (their plans' Kommun), else the finans
    template's, else "Kommunen". Nämnd summaries that name another kommun get a Varning at that cell."""
    named = [(u, u.model.text("Kommun")) for u in result.included if u.model.text("Kommun")]
    if given and given.strip():
        name = " ".join(given.split())
    elif named:
        counts = Counter(n for _, n in named)
        name = max(counts, key=lambda n: (counts[n], n))
    else:
        finans = result.finans
        return finans.kommun if finans is not None and finans.kommun else KOMMUN_NAME
    for unit, other in named:
        if other != name:
            _add(
                result,
                unit,
                unit.model.place("Kommun"),
                Severity.WARNING,
                "kommun-namn-olika",
                f'{unit.name}s sammanställning anger kommunen "{other}", men sammanställningen gäller "{name}". '
                "Kontrollera nämndens plan (namnet Kommun).",
            )
    return name


def _unit(path: Path, name: str) -> NamndUnit:
    read = read_summary(path, name)
    unit = NamndUnit(read.file, read.path, read.sha256, read.summary, list(read.findings))
    if read.summary is None:
        unit.status = STATUS_UNREADABLE
    return unit


def _add(
    result: KommunResult, unit: NamndUnit, place: tuple[str, str], severity: Severity, code: str, message: str
) -> None:
    finding = Finding(unit.file, place[0], place[1], severity, code, message)
    unit.findings.append(finding)
    result.report.findings.append(finding)


def _skip_kommun_summaries(result: KommunResult) -> None:
    """A kommun summary among the inputs is an earlier output (written into the same folder): skipped, noted."""
    for unit in result.included:
        if unit.model.niva == NIVA_KOMMUN:
            _add(
                result,
                unit,
                unit.model.place(NIVA),
                Severity.INFO,
                "kommun-hoppas-over",
                "Filen är redan en sammanställning för kommunen (Nivå Kommun), inte en nämnds; den hoppas över.",
            )
            unit.status = STATUS_SKIPPED


def _pick_period(result: KommunResult, asked: date | None = None) -> None:
    """The period asked for (`--period`), else the one most summaries report, and the kind of report most
    of those are; the odd ones out are left out, never mixed in. A tie of periods is never decided."""
    dated = [u for u in result.included if u.model.periodslut]
    if len(dated) < len(result.included):
        for unit in result.included:
            if not unit.model.periodslut:
                _other_period(result, unit, "Sammanställningen saknar periodslut.")
    if not dated:
        result.periodslut = asked
        return
    period = asked
    if period is None:
        period, tied = majority_period(p for u in dated if (p := u.model.periodslut) is not None)
        if period is None:
            _undecided(result, dated, tied)
            return
    rapports = Counter(u.model.rapport for u in dated if u.model.periodslut == period)
    rapport = max(rapports.items(), key=lambda item: (item[1], item[0]))[0] if rapports else "Delårsrapport"
    result.periodslut, result.rapport = period, rapport
    for unit in dated:
        s = unit.model
        if (s.periodslut, s.rapport) == (period, rapport) or s.periodslut is None:
            continue
        others = (
            f"sammanställningen avser perioden {period.isoformat()} (--period)"
            if asked is not None
            else f"de övriga avser {rapport.lower()} per {period.isoformat()}"
        )
        _other_period(
            result, unit, f"Sammanställningen avser {s.rapport.lower()} per {s.periodslut.isoformat()}, men {others}."
        )


def _undecided(result: KommunResult, dated: list[NamndUnit], tied: list[date]) -> None:
    """As many summaries on one period as on another: a Fel at each one's Periodslut, none included."""
    files = {p: [u.file for u in dated if u.model.periodslut == p] for p in tied}
    result.undecided_periods = files
    parts = [f"{p.isoformat()} ({', '.join(names)})" for p, names in files.items()]
    message = (
        f"Sammanställningarna avser olika perioder, lika många var: {', '.join(parts[:-1])} och {parts[-1]}. "
        f"Ange vilken period som sammanställs med --period ÅÅÅÅ-MM-DD, t.ex. --period {tied[-1].isoformat()}."
    )
    for unit in dated:
        _add(result, unit, unit.model.place(PERIODSLUT), Severity.ERROR, "period-oavgjord", message)
        unit.status = STATUS_OTHER_PERIOD


def _other_period(result: KommunResult, unit: NamndUnit, why: str) -> None:
    _add(
        result,
        unit,
        unit.model.place(PERIODSLUT),
        Severity.ERROR,
        "annan-period",
        f"{why} {unit.name} tas inte med i kommunens summor; konsolidera nämndens mallar för rätt period.",
    )
    unit.status = STATUS_OTHER_PERIOD


def _exclude_duplicates(result: KommunResult) -> None:
    """Two summaries for one nämnd would be counted twice: neither is included."""
    for units in same_name_groups(result.included):
        files = ", ".join(u.file for u in units)
        for unit in units:
            _add(
                result,
                unit,
                unit.model.place("Namnd"),
                Severity.ERROR,
                "namnd-dubblett",
                f"{unit.name} finns i flera sammanställningar ({files}). Ingen av dem tas med: ta bort den som "
                "inte gäller och konsolidera igen.",
            )
            unit.status = STATUS_DUPLICATE


def _note_incomplete(result: KommunResult) -> None:
    """A Varning for every included nämnd whose own summary is incomplete; see the module docstring.
    A bug on one summary's tables costs that nämnd (a Fel, logged), not the kommun's run."""
    for unit in result.included:
        try:
            _note_incomplete_one(result, unit)
        except Exception as exc:
            from delar_xl.findings import check_failed

            finding = check_failed(unit.file, exc, "kommun")
            unit.findings.append(finding)
            result.report.findings.append(finding)
            unit.status = STATUS_UNREADABLE


def _note_incomplete_one(result: KommunResult, unit: NamndUnit) -> None:
    s = unit.model
    left_out = _left_out_units(s)
    if left_out:
        row, name, status = left_out[0]
        names = ", ".join(f"{n} ({st.split(' – ')[0]})" for _, n, st in left_out)
        _add(
            result,
            unit,
            (s.tables[UNITS_TABLE].sheet, s.tables[UNITS_TABLE].cell(row, "Status")),
            Severity.WARNING,
            "namnd-ofullstandig",
            f"{unit.name}s sammanställning är ofullständig: {names} ingår inte i nämndens summor. Kommunens "
            "summor byggs därför på en ofullständig nämnd; konsolidera nämnden på nytt när underlaget är rättat.",
        )
        unit.incomplete.append(f"{len(left_out)} förvaltning{'ar' if len(left_out) > 1 else ''} ingår inte")
    missing = s.count(ANTAL_SAKNADE)
    if missing:
        absent = [
            str(r.get("Förvaltning") or "").strip()
            for r in s.records(SUBMISSIONS_TABLE)
            if str(r.get("Status") or "").strip() == STATUS_MISSING
        ]
        which = f" ({', '.join(n for n in absent if n)})" if any(absent) else ""
        _add(
            result,
            unit,
            s.place(ANTAL_SAKNADE),
            Severity.WARNING,
            "namnd-saknar-forvaltningar",
            f"I {unit.name}s sammanställning saknas {missing} förvaltning{'ar' if missing > 1 else ''}{which} "
            "som planen väntar. Kommunens summor byggs därför på en ofullständig nämnd.",
        )
        unit.incomplete.append(f"{missing} förvaltning{'ar' if missing > 1 else ''} saknas")
    errors = s.count(ANTAL_FEL)
    if errors:
        _add(
            result,
            unit,
            s.place(ANTAL_FEL),
            Severity.WARNING,
            "namnd-har-fel",
            f"{unit.name}s sammanställning har {errors} fel (se dess blad Kontroll); det som har fel ingår inte "
            "i nämndens summor och därmed inte i kommunens.",
        )
        if not left_out and not missing:
            unit.incomplete.append(f"{errors} fel")
    if unit.incomplete:
        unit.status = STATUS_INCOMPLETE


def _left_out_units(summary: NamndSummary) -> list[tuple[int, str, str]]:
    """(row index, förvaltning, status) of the rows in Forvaltningar that are not in the nämnd's totals."""
    table = summary.tables.get(UNITS_TABLE)
    if table is None or "Status" not in table.headers:
        return []
    out = []
    for index, row in enumerate(table.rows):
        record = dict(zip(table.headers, row))
        status = str(record.get("Status") or "").strip()
        if status and not status.startswith(STATUS_INCLUDED):
            out.append((index, str(record.get("Förvaltning") or "").strip(), status))
    return out


__all__ = ["consolidate_kommun", "inputs_are_summaries"]
