"""Writes the kommun's summary (contract §6) from a `KommunResult`: a summary by §2, one level up.

What goes into it is computed once, by `name_values` and `table_rows` (kommun/result.py), as at the
nämnd level; the writing is namnd/book.py's (styles, tables, the page setup of xlsx/writer.py, the
check that it reads back), so both levels look and behave alike. The differences: `Niva` = `Kommun`, a
`Namnder` table with one row per nämnd, and `Nämnd` as the last column of the detail tables.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from delar_xl.files import write_atomic
from delar_xl.findings import OutputError, Severity
from delar_xl.kommun import text as kommun_text
from delar_xl.kommun.coverage import previous_coverage
from delar_xl.kommun.result import (
    KOMMUN_NAME,
    NAMND_HEADERS,
    OPTIONAL_AMOUNT_NAMES,
    STATUS_INCOMPLETE,
    KommunResult,
    table_rows,
)
from delar_xl.namnd.book import (
    DARK_GREEN,
    DARK_RED,
    FOOTER,
    Styles,
    add_table,
    axis_bounds,
    key_colours,
    kind_of,
    open_workbook,
    print_header,
    save_workbook,
    verify_summary,
    write_cell,
    write_table_sheet,
    write_text_sheet,
    write_total,
)
from delar_xl.namnd.coverage import summary_note
from delar_xl.namnd.declaration import (
    ANTAL_FEL,
    ANTAL_NAMNDER,
    ANTAL_VARNINGAR,
    ARETS_RESULTAT_BUDGET,
    ARETS_RESULTAT_PROGNOS,
    AVVIKELSE_TOTAL,
    BALANCE_TABLE,
    BALANSKRAVSRESULTAT_PROGNOS,
    BUDGET_TOTAL,
    COUNT_AND_AMOUNT_FIGURES,
    COUNT_NAMES,
    FOREGAENDE_PROGNOS_TOTAL,
    INVESTERING_AVVIKELSE_TOTAL,
    INVESTMENT_DEVIATION_HEADER,
    INVESTMENT_NAMES,
    KALLMAPP,
    MAL_DELVIS,
    MAL_EJ_BEDOMT,
    MAL_HELT,
    MAL_INTE,
    NIVA,
    NIVA_KOMMUN,
    OPTIONAL_COUNT_NAMES,
    PROGNOS_TOTAL,
    PROGNOSFORANDRING_TOTAL,
    RESULT_TABLE,
    RESULTAT_ANDEL_PROCENT,
    RESULTATMAL_PROCENT,
    RESULTATMAL_UPPNAS,
    SKAPAD,
    SUMMARY_SHEET,
    UPPDRAG_FORSKJUTS,
    UPPDRAG_VERKSTALLS,
)
from delar_xl.namnd.layout import DETAIL_ROW_KINDS, HASH_WIDTH, content_width, detail_total
from delar_xl.namnd.summary import (
    CONTROL_LINE,
    SOURCE_LINE,
    control_line,
    partial_labels,
    require_xlsx,
    source_sentence,
    sources_table_row,
    write_source_figures,
    write_source_lines,
)
from delar_xl.numbers import FORMAT_MNKR_SIGNED, format_number, rounded_sum_differs
from delar_xl.template import declaration as T
from delar_xl.words import quoted
from delar_xl.xlsx.writer import page_setup

UNITS_SHEET = "Förvaltningar"

# Key figures on "Sammanställning": (defined name, label, kind), as summary.KEY_FIGURES; the counts
# and amounts are the same rows as the nämnd's.
# At the kommun level the summed amounts are the nämnder's (contract §9), never the kommun's result.
_NAMND_LABELS = {
    "BudgetTotal": "Nämndernas budget helår (mnkr)",
    "PrognosTotal": "Nämndernas prognos helår (mnkr)",
    "AvvikelseTotal": "Nämndernas budgetavvikelse (mnkr)",
}
ANNUAL_FIGURES: tuple[tuple[str, str, str], ...] = (
    (ARETS_RESULTAT_BUDGET, "Årets resultat, budget (mnkr)", "signed"),
    (ARETS_RESULTAT_PROGNOS, "Årets resultat, prognos (mnkr)", "signed"),
    (BALANSKRAVSRESULTAT_PROGNOS, "Balanskravsresultat, prognos (mnkr)", "signed"),
    (RESULTAT_ANDEL_PROCENT, "Resultat i % av skatter och bidrag", "mnkr"),
    (RESULTATMAL_PROCENT, "Finansiellt mål (%)", "mnkr"),
    (RESULTATMAL_UPPNAS, "Finansiella målet uppnås", "text"),
)
KEY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("Namnd", "Sammanställning för", "text"),
    ("Rapport", "Rapport", "text"),
    ("Periodslut", "Periodslut", "date"),
    (ANTAL_NAMNDER, "Nämnder i sammanställningen", "count"),
    *((name, _NAMND_LABELS.get(name, label), kind) for name, label, kind in COUNT_AND_AMOUNT_FIGURES),
    *ANNUAL_FIGURES,
)
KEY_FIRST_ROW = 4
# For Ekonomistaben, on "Källor" above its table, as at the nämnd level (issue 22): the full path of the folder,
# when, the level and the finding counts; page 1 has the Underlag and Kontrollrad lines instead.
SOURCE_FIGURES: tuple[tuple[str, str, str], ...] = (
    (KALLMAPP, "Mapp med sammanställningar", "text"),
    (SKAPAD, "Skapad", "text"),
    (NIVA, "Nivå", "text"),
    (ANTAL_FEL, "Fel", "count"),
    (ANTAL_VARNINGAR, "Varningar", "count"),
)
OVERVIEW_LABEL_WIDTH = 48  # column A of "Sammanställning": labels, nämnder, and §9's longest post name unwrapped
NOTE_WIDTH = OVERVIEW_LABEL_WIDTH + 3 * 14 + 5 * 11  # a line merged over A–I (the widths set in _write_overview)

# What the summary holds besides the tables -------------------------------------------------


RESULT_KINDS = {"Post": "wrap", "Budget helår": "mnkr", "Prognos helår": "mnkr", "Avvikelse helår": "signed"}
NAMND_KINDS = {
    "Budget helår": "mnkr",
    "Prognos helår": "mnkr",
    "Avvikelse helår": "signed",
    "Föregående prognos": "mnkr",
    "Prognosförändring": "signed",
    "Investering avvikelse": "signed",
    **{h: "count" for h in NAMND_HEADERS[4:10]},
}

# Namnder's columns → the defined name its total row shows (the Nyckeltal: included nämnder only).
NAMND_TOTAL_NAMES = {
    "Budget helår": BUDGET_TOTAL,
    "Prognos helår": PROGNOS_TOTAL,
    "Avvikelse helår": AVVIKELSE_TOTAL,
    "Mål helt": MAL_HELT,
    "Mål delvis": MAL_DELVIS,
    "Mål inte": MAL_INTE,
    "Mål ej bedömt": MAL_EJ_BEDOMT,
    "Uppdrag verkställs": UPPDRAG_VERKSTALLS,
    "Uppdrag förskjuts": UPPDRAG_FORSKJUTS,
    "Föregående prognos": FOREGAENDE_PROGNOS_TOTAL,
    "Prognosförändring": PROGNOSFORANDRING_TOTAL,
    INVESTMENT_DEVIATION_HEADER: INVESTERING_AVVIKELSE_TOTAL,
}


def namnd_total_row(headers: list[str], values: dict[str, Any]) -> list[Any]:
    """The Totalt row under Per nämnd, as the nämnd summary's under Per förvaltning: the key figures,
    so it agrees with them (goals are distinct per nämnd, so the columns add up to it)."""
    row = [values.get(NAMND_TOTAL_NAMES[h]) if h in NAMND_TOTAL_NAMES else None for h in headers]
    row[0] = "Totalt (det som ingår i summorna)"
    return row


def name_values(result: KommunResult, created: datetime | None = None) -> dict[str, Any]:
    """Contract §2 and §6 defined names → the value of their cell. Amounts in mnkr, unrounded.

    `UppdragEjRapporterade` is written only when every included nämnd has it: a count over some would mislead.
    The föregående prognos and the change are summed over the nämnder that have them, and the summary says
    where that is part of the kommun (kommun/coverage.py).
    """
    created = created or datetime.now()
    values: dict[str, Any] = {
        NIVA: NIVA_KOMMUN,
        "Namnd": result.namnd,
        "Rapport": result.rapport,
        "Periodslut": result.periodslut,
        ANTAL_NAMNDER: len(result.included),
        **{name: result.count(name) for name in COUNT_NAMES},
        BUDGET_TOTAL: result.budget,
        PROGNOS_TOTAL: result.forecast,
        AVVIKELSE_TOTAL: result.deviation,
        ANTAL_FEL: result.report.count(Severity.ERROR),
        ANTAL_VARNINGAR: result.report.count(Severity.WARNING),
        KALLMAPP: result.source_folder,
        SKAPAD: created.strftime("%Y-%m-%d %H:%M"),
        SOURCE_LINE: source_line(result),
        CONTROL_LINE: control_line(result.report),
    }
    for name in OPTIONAL_COUNT_NAMES:
        total = result.optional_total(name)
        if total is not None:
            values[name] = round(total)
    for name in INVESTMENT_NAMES:  # contract §7: only when every included nämnd has them (a sum over some misleads)
        total = result.optional_total(name)
        if total is not None:
            values[name] = total
    for name in OPTIONAL_AMOUNT_NAMES:  # over the nämnder that have them: labelled delsumma when not all (issue 19)
        total = result.partial_total(name)
        if total is not None:
            values[name] = total
    if result.namnd != KOMMUN_NAME:
        values["Kommun"] = result.namnd
    values.update(annual_values(result))
    return values


def source_line(result: KommunResult) -> str:
    """What the kommun's summary is built from: the nämnd summaries' folder and the finansförvaltning's
    template in use, by name only (the full paths are on "Källor")."""
    finans = [f"finansförvaltningens underlag {quoted(Path(u.file).name)}" for u in result.finans_units if u.included]
    return source_sentence("nämndernas sammanställningar", result.source_folder, finans)


def annual_values(result: KommunResult) -> dict[str, Any]:
    """Contract §9's names (mnkr, unrounded; the share in percent): none without the finansförvaltning's template."""
    annual = result.annual
    if annual is None:
        return {}
    values: dict[str, Any] = {
        ARETS_RESULTAT_BUDGET: annual.budget,
        ARETS_RESULTAT_PROGNOS: annual.forecast,
        BALANSKRAVSRESULTAT_PROGNOS: annual.balance,
    }
    if annual.share_percent is not None:
        values[RESULTAT_ANDEL_PROCENT] = annual.share_percent
    if annual.goal_percent is not None:
        values[RESULTATMAL_PROCENT] = annual.goal_percent
        if annual.goal_reached is not None:
            values[RESULTATMAL_UPPNAS] = "Ja" if annual.goal_reached else "Nej"
    return values


def banner(result: KommunResult) -> tuple[str, bool]:
    """The status line at the top of the kommun summary, and whether it is a warning (what is missing, no finding
    counts: those are in the line for Ekonomistaben and on the Kontroll sheet, as at the nämnd level)."""
    considered = result.considered
    if result.complete:
        finans = " och finansförvaltningens underlag" if result.finans is not None else ""
        return f"Alla {len(considered)} nämnders sammanställningar{finans} ingår.", False
    parts = []
    if result.left_out:
        parts.append(
            f"{len(result.left_out)} av {len(considered)} nämnder ingår inte i summorna "
            f"({', '.join(u.name for u in result.left_out)})"
        )
    if result.incomplete_units:
        parts.append(
            f"{', '.join(u.name for u in result.incomplete_units)} "
            f"{'är' if len(result.incomplete_units) == 1 else 'är'} själv ofullständig"
        )
    if result.finans_left_out:
        parts.append("finansförvaltningens underlag ingår inte, så årets resultat redovisas inte")
    return f"OFULLSTÄNDIG: {'; '.join(parts)}. Se bladet Kontroll.", True


def notes(result: KommunResult) -> list[str]:
    """Plain statements under the key figures: what is incomplete, and rounding that shows."""
    out = []
    if result.left_out:
        out.append(
            "Summorna är ofullständiga: "
            + "; ".join(
                f"{u.name}{f' ({u.file})' if u.file != u.name else ''} ingår inte – {u.status}" for u in result.left_out
            )
            + "."
        )
    for unit in result.incomplete_units:
        out.append(
            f"Kommunens summor bygger på en ofullständig nämnd: {unit.name}s sammanställning "
            f"({unit.file}) är ofullständig ({'; '.join(unit.incomplete)})."
        )
    out += previous_notes(result)
    for finans in result.finans_left_out:
        out.append(
            f"Finansförvaltningens underlag ({finans.file}) ingår inte – {finans.status}. Årets resultat och "
            "balanskravsresultatet redovisas därför inte."
        )
    if not result.finans_units:
        out.append(
            "Årets resultat och balanskravsresultatet redovisas inte: finansförvaltningens underlag finns inte "
            "bland indata. Lägg det i mappen med nämndernas sammanställningar och konsolidera igen."
        )
    included = result.included
    for label, values, total in (
        ("Budget helår", [u.budget for u in included], result.budget),
        ("Prognos helår", [u.forecast for u in included], result.forecast),
        ("Avvikelse helår", [u.deviation for u in included], result.deviation),
    ):
        rounded_sum = rounded_sum_differs(values, total)
        if rounded_sum is not None:
            out.append(
                f"{label}: de avrundade raderna summerar till {format_number(rounded_sum, 1)} mnkr men totalen "
                f"är {format_number(total, 1)} mnkr (avrundningsdifferens; totalen räknas på exakta belopp)."
            )
    annual = result.annual
    for label, rounded_sum, total in annual.rounding_notes() if annual else []:
        out.append(
            f"{label}: de avrundade raderna summerar till {format_number(rounded_sum, 1)} mnkr men summan "
            f"är {format_number(total, 1)} mnkr (avrundningsdifferens; summan räknas på exakta belopp)."
        )
    return out


def previous_notes(result: KommunResult) -> list[str]:
    """The note that Föregående prognos and Prognosförändring are delsummor, and whose (issue 19), or none."""
    coverage = previous_coverage(result)
    return [summary_note(coverage)] if coverage.partial else []


# Writing ---------------------------------------------------------------------------------


def write_kommun_summary(result: KommunResult, path: Path | str, created: datetime | None = None) -> Path:
    """Write the kommun summary to `path` atomically (the previous file is kept as path + ".bak")."""
    path = Path(path)
    _check_target(result, path)
    return write_atomic(path, lambda tmp: _write(result, tmp, created), verify=verify_summary)


def _check_target(result: KommunResult, path: Path) -> None:
    require_xlsx(path)
    target = path.resolve()
    for unit in result.considered:  # a skipped earlier kommun summary is ours to replace (kept as .bak)
        if unit.path and Path(unit.path).resolve() == target:
            raise OutputError(
                f"{path.name} är en av nämndernas sammanställningar som läses; den skrivs aldrig "
                "över. Ange ett annat filnamn för kommunens sammanställning."
            )


def _write(result: KommunResult, path: Path, created: datetime | None) -> None:
    wb, package, bodies = open_workbook()
    title = kommun_text.title(result) + " – sammanställning"
    wb.set_properties(
        {"title": title, "author": "delar_xl", "subject": "Sammanställning av nämndernas delårsrapporter"}
    )
    styles = Styles(wb)
    values = name_values(result, created)
    tables = table_rows(result)
    header = print_header(result.namnd, result.rapport, result.periodslut)
    annual = {name: tables[name] for name in (RESULT_TABLE, BALANCE_TABLE) if name in tables}
    _write_overview(wb, styles, result, values, tables["Namnder"], header, title, annual)
    # The counts are numbers (right-aligned under right-aligned headers, as in the nämnd's summary), and
    # "Prognosförändring" needs 19 not to break inside the word.
    units_widths = {
        "Förvaltning": 30,
        "Status": 48,
        "Nämnd": 24,
        "MBL-datum": 12,
        **{h: 11 for h in NAMND_HEADERS[4:10]},
        "Föregående prognos": 14,
        "Prognosförändring": 19,
        "Investering avvikelse": 14,
    }
    units_kinds = {
        "Budget helår": "mnkr",
        "Prognos helår": "mnkr",
        "Avvikelse helår": "signed",
        "MBL-datum": "date",
        "Föregående prognos": "mnkr",
        "Prognosförändring": "signed",
        "Investering avvikelse": "signed",
        **{h: "count" for h in NAMND_HEADERS[4:10]},
    }
    write_table_sheet(
        wb,
        styles,
        bodies,
        UNITS_SHEET,
        "Forvaltningar",
        "Per förvaltning i varje nämnd (mnkr)",
        tables["Forvaltningar"],
        units_widths,
        header,
        kinds=units_kinds,
    )
    findings = tables["Kontroll"]
    write_table_sheet(
        wb,
        styles,
        bodies,
        "Kontroll",
        "Kontroll",
        "Kontroll – alla fynd",
        findings,
        {
            "Allvarlighet": 12,
            "Fil": content_width(findings, "Fil", 16, 36),
            "Blad": 14,
            "Cell": 8,
            "Meddelande": 90,
            "Kod": 22,
        },
        header,
        kinds={"Fil": "wrap"},
        severity_column=0,
    )
    sources = tables["Kallor"]
    sources_title = "Källor – nämndernas sammanställningar" + (
        " och finansförvaltningens underlag" if result.finans_units else ""
    )
    write_table_sheet(
        wb,
        styles,
        bodies,
        "Källor",
        "Kallor",
        sources_title,
        sources,
        {
            "Fil": content_width(sources, "Fil", 16, 30),
            "Förvaltning": content_width(sources, "Förvaltning", 12, 22),
            "Periodslut": 11,
            "SHA-256": HASH_WIDTH,
            "Status": content_width(sources, "Status", 12, 28),
            "Fel": 6,
            "Varningar": 11,
            "Sökväg": content_width(sources, "Sökväg", 16, 36),
            "Nämnd": content_width(sources, "Nämnd", 12, 24),
        },
        header,
        kinds={
            "Fil": "wrap",
            "SHA-256": "hash",
            "Status": "wrap",
            "Sökväg": "wrap",
            "Fel": "count",
            "Varningar": "count",
            "Nämnd": "wrap",
        },
        first_row=sources_table_row(SOURCE_FIGURES),
    )
    write_source_figures(wb, styles, values, SOURCE_FIGURES)
    for table in T.TABLES:
        widths = {"Förvaltning": 28, "Nämnd": 24, **{c.header: c.width for c in table.columns}}
        kinds = {c.header: kind_of(c) for c in table.columns}
        # As the nämnd's detail sheets: counts without decimals, a Summa row under the amounts
        write_table_sheet(
            wb,
            styles,
            bodies,
            table.sheet,
            table.name,
            f"{table.title} – alla nämnder",
            tables[table.name],
            widths,
            header,
            kinds=kinds,
            row_kinds=DETAIL_ROW_KINDS.get(table.name),
            total=detail_total(table, tables[table.name]),
        )
    _write_text(wb, styles, result, header, created.date() if created else None)
    save_workbook(wb, package, bodies, path)


def _write_overview(
    wb: Any,
    styles: Styles,
    result: KommunResult,
    values: dict[str, Any],
    namnder: tuple[list[str], list[list[Any]]],
    header: str,
    title: str,
    annual: dict[str, tuple[list[str], list[list[Any]]]],
) -> None:
    ws = wb.add_worksheet(SUMMARY_SHEET)
    ws.activate()
    ws.set_column(0, 0, OVERVIEW_LABEL_WIDTH)
    ws.set_column(1, 3, 14)
    ws.set_column(4, 9, 11)
    status_column = namnder[0].index("Status")
    # as wide as the longest status ("Med i sammanställningen, men ofullständig: 1 förvaltning ingår inte"
    # needs 62); a fixed 62 left a gap that shrank the printed page
    ws.set_column(status_column, status_column, content_width(namnder, "Status", 14, 62))
    # Föregående prognos, Prognosförändring, Investering avvikelse, when the nämnder have them
    ws.set_column(11, 13, 19)
    file_column = namnder[0].index("Fil")
    ws.set_column(file_column, file_column, content_width(namnder, "Fil", 16, 60))  # the last column: no wrap
    ws.write_string(0, 0, title, styles.title)
    message, alarm = banner(result)
    ws.merge_range(1, 0, 1, 8, message, styles.alarm if alarm else styles.ok)
    ws.write_string(KEY_FIRST_ROW - 1, 0, "Nyckeltal", styles.heading)
    figures = [f for f in KEY_FIGURES if f[0] in values]
    rows: dict[str, int] = {}
    labels = partial_labels(previous_coverage(result).partial)  # "…, delsumma": the notes below say whose
    for offset, (name, label, kind) in enumerate(figures):
        row = KEY_FIRST_ROW + offset
        rows[name] = row
        label = labels.get(name, label)
        ws.write_string(row, 0, label, styles.label)
        write_cell(ws, styles, row, 1, values[name], kind)
        wb.define_name(name, f"='{SUMMARY_SHEET}'!$B${row + 1}")
    if "Kommun" in values:  # the kommun's name (§9) is what Namnd holds at this level: one cell, two names
        wb.define_name("Kommun", f"='{SUMMARY_SHEET}'!$B${rows['Namnd'] + 1}")
    key_colours(ws, styles, rows)
    _annual_colours(ws, styles, rows)
    row = write_source_lines(wb, ws, styles, values, KEY_FIRST_ROW + len(figures) + 1, NOTE_WIDTH) + 1
    for note in notes(result):
        ws.merge_range(row, 0, row, 8, note, styles.note)
        ws.set_row(row, 30)
        row += 1
    row += 1
    ws.write_string(row, 0, "Per nämnd (mnkr)", styles.heading)
    add_table(ws, styles, row + 1, "Namnder", namnder, NAMND_KINDS)
    first, last = row + 2, row + 1 + max(1, len(namnder[1]))
    write_total(ws, styles, last + 1, namnder[0], namnd_total_row(namnder[0], values), NAMND_KINDS)
    for offset, note in enumerate(previous_notes(result)):
        # Under the table too, where its Föregående prognos and Prognosförändring totals are read.
        ws.merge_range(last + 3 + offset, 0, last + 3 + offset, 8, note, styles.note)
        ws.set_row(last + 3 + offset, 30)
    ws.conditional_format(first, 3, last, 3, {"type": "cell", "criteria": ">", "value": 0, "format": styles.green})
    ws.conditional_format(first, 3, last, 3, {"type": "cell", "criteria": "<", "value": 0, "format": styles.red})
    ws.conditional_format(
        first, 10, last, 10, {"type": "text", "criteria": "begins with", "value": "Utesluten", "format": styles.red}
    )
    ws.conditional_format(
        first,
        10,
        last,
        10,
        {"type": "text", "criteria": "begins with", "value": STATUS_INCOMPLETE, "format": styles.yellow},
    )
    included = [r for r in namnder[1] if r[3] is not None]
    if included and len(included) == len(namnder[1]):
        _deviation_chart(wb, ws, row + 1, namnder[1])
    _write_annual(wb, ws, styles, last + 3, annual)
    page_setup(ws, header, footer=FOOTER)
    ws.freeze_panes(2, 0)


def _write_annual(
    wb: Any, ws: Any, styles: Styles, row: int, annual: dict[str, tuple[list[str], list[list[Any]]]]
) -> None:
    """Contract §9's Resultatprognos and Balanskravsutredning under the nämnder, and a chart of årets resultat."""
    if not annual:
        return
    forecast, balance = annual[RESULT_TABLE], annual[BALANCE_TABLE]
    ws.write_string(row, 0, "Resultatprognos (mnkr)", styles.heading)
    add_table(ws, styles, row + 1, RESULT_TABLE, forecast, RESULT_KINDS)
    first, last = row + 2, row + 1 + len(forecast[1])
    for style in (styles.green, styles.red):
        criteria = ">" if style is styles.green else "<"
        ws.conditional_format(first, 3, last, 3, {"type": "cell", "criteria": criteria, "value": 0, "format": style})
    _result_chart(wb, ws, row + 1, last)
    row = last + 3
    ws.write_string(row, 0, "Balanskravsutredning (mnkr)", styles.heading)
    add_table(ws, styles, row + 1, BALANCE_TABLE, balance, RESULT_KINDS)
    end = row + 1 + len(balance[1])
    _fit_post_rows(ws, [(first, forecast[1]), (row + 2, balance[1])])
    # the balanskravsresultat itself: red when negative (KL 11 kap. 12 §), green otherwise
    ws.conditional_format(end, 1, end, 1, {"type": "cell", "criteria": "<", "value": 0, "format": styles.red})
    ws.conditional_format(end, 1, end, 1, {"type": "cell", "criteria": ">=", "value": 0, "format": styles.green})


def _fit_post_rows(ws: Any, blocks: list[tuple[int, list[list[Any]]]]) -> None:
    """Long post names wrap in column A ("Realisationsförluster enligt undantagsmöjlighet"): rows tall enough."""
    from delar_xl.xlsx.writer import row_height

    for first, rows in blocks:
        for offset, values in enumerate(rows):
            height = row_height([(str(values[0]), OVERVIEW_LABEL_WIDTH)])
            if height:
                ws.set_row(first + offset, height)


def _result_chart(wb: Any, ws: Any, header_row: int, last: int) -> None:
    """Årets resultat, budget against prognos: two columns, from the Resultatprognos table's last row."""
    chart = wb.add_chart({"type": "column"})
    for col, name, colour in ((1, "Budget helår", "#8EA9DB"), (2, "Prognos helår", "#1F4E79")):
        chart.add_series(
            {
                "name": name,
                "categories": [SUMMARY_SHEET, last, 0, last, 0],
                "values": [SUMMARY_SHEET, last, col, last, col],
                "fill": {"color": colour},
                "data_labels": {"value": True, "num_format": FORMAT_MNKR_SIGNED},
            }
        )
    chart.set_title({"name": "Årets resultat (mnkr)"})
    chart.set_x_axis({"label_position": "low"})  # under the chart, clear of a negative bar
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"num_format": "0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    ws.insert_chart(header_row - 1, 5, chart, {"x_scale": 1.0, "y_scale": 1.0})


def _annual_colours(ws: Any, styles: Styles, rows: dict[str, int]) -> None:
    """Årets resultat and the balanskravsresultat red when negative; the finansiella målet green or red."""
    for name in (ARETS_RESULTAT_PROGNOS, BALANSKRAVSRESULTAT_PROGNOS):
        if name in rows:
            ws.conditional_format(
                rows[name], 1, rows[name], 1, {"type": "cell", "criteria": "<", "value": 0, "format": styles.red}
            )
    if RESULTATMAL_UPPNAS in rows:
        for text, style in (("Ja", styles.green), ("Nej", styles.red)):
            ws.conditional_format(
                rows[RESULTATMAL_UPPNAS],
                1,
                rows[RESULTATMAL_UPPNAS],
                1,
                {"type": "cell", "criteria": "==", "value": f'"{text}"', "format": style},
            )


def _deviation_chart(wb: Any, ws: Any, header_row: int, rows: list[list[Any]]) -> None:
    """Avvikelse helår per nämnd, drawn only when every row has a figure (a gap would read as zero)."""
    first, last = header_row + 1, header_row + len(rows)
    chart = wb.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Avvikelse helår (mnkr)",
            "categories": [SUMMARY_SHEET, first, 0, last, 0],
            "values": [SUMMARY_SHEET, first, 3, last, 3],
            # A colour per bar: not every spreadsheet application draws "invert if negative".
            "points": [{"fill": {"color": DARK_GREEN if r[3] >= 0 else DARK_RED}} for r in rows],
            "data_labels": {"value": True, "num_format": FORMAT_MNKR_SIGNED},
        }
    )
    chart.set_title({"name": "Avvikelse helår per nämnd (mnkr)"})
    chart.set_legend({"none": True})
    chart.set_x_axis({"num_format": "0.0", **axis_bounds([r[3] for r in rows])})
    # Names at the left edge, so a negative bar's label does not run into them.
    chart.set_y_axis({"reverse": True, "label_position": "low"})
    ws.insert_chart(KEY_FIRST_ROW - 1, 3, chart, {"x_scale": 1.25, "y_scale": 1.1})


def _write_text(wb: Any, styles: Styles, result: KommunResult, header: str, created: date | None = None) -> None:
    """The Text sheet, from the same block model as the Word document."""
    write_text_sheet(
        wb,
        styles,
        kommun_text.kommun_document(result, created),
        "Genererad av delar_xl från nämndernas sammanställningar. Granska och justera före användning.",
        header,
    )


__all__ = ["KEY_FIGURES", "NAMND_HEADERS", "banner", "name_values", "table_rows", "write_kommun_summary"]
