"""The kommun summary's content as plain data: defined names and tables (headers + rows), banner, notes.

Computed once here from a `KommunResult` and presented by kommun_summary.py (the workbook) and
`KommunResult.frames()` (pandas), as tables.py does one level down. Nothing here imports kommun.py
at run time, so kommun.py can use it without an import circle.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from delar_xl.findings import Severity
from delar_xl.kommun.status import (
    COUNT_NAMES,
    KOMMUN_NAME,
    NIVA_KOMMUN,
    OPTIONAL_AMOUNT_NAMES,
    OPTIONAL_COUNT_NAMES,
    unit_status,
)
from delar_xl.namnd.tables import FINDING_HEADERS, SOURCE_HEADERS
from delar_xl.numbers import format_number, rounded_sum_differs
from delar_xl.template import declaration as T

if TYPE_CHECKING:
    from delar_xl.kommun.consolidate import KommunResult

NAMND_HEADERS = (
    "Nämnd", "Budget helår", "Prognos helår", "Avvikelse helår", "Mål helt", "Mål delvis", "Mål inte",
    "Mål ej bedömt", "Uppdrag verkställs", "Uppdrag förskjuts", "Status", "Fil",
)
# Contract §4 columns, added after the others when the nämnd summaries carry them (built with a plan).
NAMND_FORECAST_HEADERS = ("Föregående prognos", "Prognosförändring")
NAMND_KINDS = {"Budget helår": "mnkr", "Prognos helår": "mnkr", "Avvikelse helår": "signed",
               "Föregående prognos": "mnkr", "Prognosförändring": "signed",
               **{h: "count" for h in NAMND_HEADERS[4:10]}}
FINANS_SOURCE = "Finansförvaltningen"  # its row in Kallor (the Förvaltning column)
DETAIL_TABLES = ("Forvaltningar", "Ekonomi", "Namndmal", "Uppdrag", "Indikatorer")
# Contract §9: written only with a usable finansförvaltning's template.
RESULT_HEADERS = ("Post", "Budget helår", "Prognos helår", "Avvikelse helår")
BALANCE_HEADERS = ("Post", "Prognos helår")
RESULT_KINDS = {"Post": "wrap", "Budget helår": "mnkr", "Prognos helår": "mnkr", "Avvikelse helår": "signed"}
ANNUAL_NAMES = ("AretsResultatBudget", "AretsResultatPrognos", "BalanskravsresultatPrognos", "ResultatAndelProcent",
                "ResultatmalProcent", "ResultatmalUppnas")


# Namnder's columns → the defined name its total row shows (the Nyckeltal: included nämnder only).
NAMND_TOTAL_NAMES = {
    "Budget helår": "BudgetTotal", "Prognos helår": "PrognosTotal", "Avvikelse helår": "AvvikelseTotal",
    "Mål helt": "MalHelt", "Mål delvis": "MalDelvis", "Mål inte": "MalInte", "Mål ej bedömt": "MalEjBedomt",
    "Uppdrag verkställs": "UppdragVerkstalls", "Uppdrag förskjuts": "UppdragForskjuts",
    "Föregående prognos": "ForegaendePrognosTotal", "Prognosförändring": "PrognosforandringTotal",
}


def namnd_total_row(headers: list[str], values: dict[str, Any]) -> list[Any]:
    """The Totalt row under Per nämnd, as the nämnd summary's under Per förvaltning: the key figures,
    so it agrees with them (goals are distinct per nämnd, so the columns add up to it)."""
    row = [values.get(NAMND_TOTAL_NAMES[h]) if h in NAMND_TOTAL_NAMES else None for h in headers]
    row[0] = "Totalt (det som ingår i summorna)"
    return row

def name_values(result: "KommunResult", created: datetime | None = None) -> dict[str, Any]:
    """Contract §2 and §6 defined names → the value of their cell. Amounts in mnkr, unrounded.

    The §4 names are written only when every included nämnd has them: a sum over some would mislead.
    """
    created = created or datetime.now()
    values: dict[str, Any] = {
        "Niva": NIVA_KOMMUN,
        "Namnd": result.namnd,
        "Rapport": result.rapport,
        "Periodslut": result.periodslut,
        "AntalNamnder": len(result.included),
        **{name: result.count(name) for name in COUNT_NAMES},
        "BudgetTotal": result.budget,
        "PrognosTotal": result.forecast,
        "AvvikelseTotal": result.deviation,
        "AntalFel": result.report.count(Severity.ERROR),
        "AntalVarningar": result.report.count(Severity.WARNING),
        "Kallmapp": result.source_folder,
        "Skapad": created.strftime("%Y-%m-%d %H:%M"),
    }
    for name in OPTIONAL_COUNT_NAMES + OPTIONAL_AMOUNT_NAMES:
        total = result.optional_total(name)
        if total is not None:
            values[name] = int(round(total)) if name in OPTIONAL_COUNT_NAMES else total
    if result.namnd != KOMMUN_NAME:
        values["Kommun"] = result.namnd
    values.update(annual_values(result))
    return values


def annual_values(result: "KommunResult") -> dict[str, Any]:
    """Contract §9's names (mnkr, unrounded; the share in percent): none without the finansförvaltning's template."""
    annual = result.annual
    if annual is None:
        return {}
    values: dict[str, Any] = {
        "AretsResultatBudget": annual.budget,
        "AretsResultatPrognos": annual.forecast,
        "BalanskravsresultatPrognos": annual.balance,
    }
    if annual.share_percent is not None:
        values["ResultatAndelProcent"] = annual.share_percent
    if annual.goal_percent is not None:
        values["ResultatmalProcent"] = annual.goal_percent
        if annual.goal_reached is not None:
            values["ResultatmalUppnas"] = "Ja" if annual.goal_reached else "Nej"
    return values


def annual_tables(result: "KommunResult") -> dict[str, tuple[list[str], list[list[Any]]]]:
    """`Resultatprognos` and `Balanskravsutredning` (contract §9), or nothing without the finansförvaltning."""
    annual = result.annual
    if annual is None:
        return {}
    return {
        "Resultatprognos": (list(RESULT_HEADERS),
                            [[line.post, line.budget, line.forecast, line.deviation] for line in annual.lines]),
        "Balanskravsutredning": (list(BALANCE_HEADERS), [[post, amount] for post, amount in annual.balance_lines]),
    }


def _namnd_row(unit: Any, with_forecasts: bool) -> list[Any]:
    extra: list[Any] = []
    if with_forecasts:  # NAMND_FORECAST_HEADERS, in the order of OPTIONAL_AMOUNT_NAMES
        extra = [unit.number(n) if unit.included else None for n in OPTIONAL_AMOUNT_NAMES]
    if not unit.included:
        return [unit.name, None, None, None, None, None, None, None, None, None, unit_status(unit), *extra, unit.file]
    goals = unit.goal_counts()
    return [
        unit.name, unit.budget, unit.forecast, unit.deviation,
        goals[T.GOAL_FULL], goals[T.GOAL_PARTIAL], goals[T.GOAL_NOT], goals[T.GOAL_NOT_ASSESSED],
        unit.count("UppdragVerkstalls"), unit.count("UppdragForskjuts"), unit_status(unit), *extra, unit.file,
    ]


def _namnder(result: "KommunResult") -> tuple[list[str], list[list[Any]]]:
    with_forecasts = any(u.number(OPTIONAL_AMOUNT_NAMES[0]) is not None for u in result.included)
    # The forecast columns follow Status (the last contract column), before the file name.
    forecasts = list(NAMND_FORECAST_HEADERS) if with_forecasts else []
    headers = [*NAMND_HEADERS[:-1], *forecasts, NAMND_HEADERS[-1]]
    return headers, [_namnd_row(u, with_forecasts) for u in result.considered]


def _detail_table(result: "KommunResult", name: str) -> tuple[list[str], list[list[Any]]]:
    """All rows of one table of every included nämnd, with `Nämnd` as the last column.

    Headers are the union over the nämnder in order of first appearance: a nämnd summary written
    by an older version, with fewer columns, still fits (its missing cells stay empty).
    """
    headers: list[str] = []
    for unit in result.included:
        table = unit.summary.tables.get(name)
        for header in table.headers if table else []:
            if header not in headers and header != "Nämnd":
                headers.append(header)
    rows = [[record.get(h) for h in headers] + [unit.name]
            for unit in result.included for record in unit.summary.records(name)]
    return headers + ["Nämnd"], rows


def table_rows(result: "KommunResult") -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every table of the kommun summary: name → (headers, rows)."""
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {
        "Namnder": _namnder(result),
        "Kontroll": (list(FINDING_HEADERS), [
            [f.severity.value, f.file, f.sheet, f.cell, f.message, f.code] for f in result.report.sorted()
        ]),
        "Kallor": ([*SOURCE_HEADERS, "Nämnd"], [
            [u.file, "", u.summary.periodslut if u.summary else None, u.sha256, unit_status(u),
             sum(1 for f in u.findings if f.severity is Severity.ERROR),
             sum(1 for f in u.findings if f.severity is Severity.WARNING), u.path,
             u.summary.namnd if u.summary else ""]
            for u in result.considered
        ] + [
            [u.file, FINANS_SOURCE, u.finans.periodslut if u.finans else None, u.sha256,
             u.status if u.included else f"{u.status} – ingår inte i årets resultat",
             sum(1 for f in u.findings if f.severity is Severity.ERROR),
             sum(1 for f in u.findings if f.severity is Severity.WARNING), u.path, ""]
            for u in result.finans_units
        ]),
        **annual_tables(result),
    }
    for name in DETAIL_TABLES:
        tables[name] = _detail_table(result, name)
    return tables


def banner(result: "KommunResult") -> tuple[str, bool]:
    """The status line at the top of the kommun summary, and whether it is a warning."""
    errors = result.report.count(Severity.ERROR)
    warnings = result.report.count(Severity.WARNING)
    considered = result.considered
    if result.complete:
        finans = " och finansförvaltningens underlag" if result.finans is not None else ""
        return (f"Alla {len(considered)} nämnders sammanställningar{finans} ingår. {errors} fel, {warnings} varningar.",
                False)
    parts = []
    if result.left_out:
        parts.append(f"{len(result.left_out)} av {len(considered)} nämnder ingår inte i summorna "
                     f"({', '.join(u.name for u in result.left_out)})")
    if result.incomplete_units:
        parts.append(f"{', '.join(u.name for u in result.incomplete_units)} "
                     f"{'är' if len(result.incomplete_units) == 1 else 'är'} själv ofullständig")
    if result.finans_left_out:
        parts.append("finansförvaltningens underlag ingår inte, så årets resultat redovisas inte")
    return f"OFULLSTÄNDIG: {'; '.join(parts)} ({errors} fel, {warnings} varningar). Se bladet Kontroll.", True


def notes(result: "KommunResult") -> list[str]:
    """Plain statements under the key figures: what is incomplete, and rounding that shows."""
    out = []
    if result.left_out:
        out.append("Summorna är ofullständiga: " + "; ".join(
            f"{u.name}{f' ({u.file})' if u.file != u.name else ''} ingår inte – {u.status}" for u in result.left_out)
            + ".")
    for unit in result.incomplete_units:
        out.append(f"Kommunens summor bygger på en ofullständig nämnd: {unit.name}s sammanställning "
                   f"({unit.file}) är ofullständig ({'; '.join(unit.incomplete)}).")
    for unit in result.finans_left_out:
        out.append(f"Finansförvaltningens underlag ({unit.file}) ingår inte – {unit.status}. Årets resultat och "
                   "balanskravsresultatet redovisas därför inte.")
    if not result.finans_units:
        out.append("Årets resultat och balanskravsresultatet redovisas inte: finansförvaltningens underlag finns inte "
                   "bland indata. Lägg det i mappen med nämndernas sammanställningar och konsolidera igen.")
    included = result.included
    for label, values, total in (
        ("Budget helår", [u.budget for u in included], result.budget),
        ("Prognos helår", [u.forecast for u in included], result.forecast),
        ("Avvikelse helår", [u.deviation for u in included], result.deviation),
    ):
        rounded_sum = rounded_sum_differs(values, total)
        if rounded_sum is not None:
            out.append(f"{label}: de avrundade raderna summerar till {format_number(rounded_sum, 1)} mnkr men totalen "
                       f"är {format_number(total, 1)} mnkr (avrundningsdifferens; totalen räknas på exakta belopp).")
    return out


__all__ = ["NAMND_HEADERS", "annual_tables", "annual_values", "banner", "name_values", "notes", "table_rows"]
