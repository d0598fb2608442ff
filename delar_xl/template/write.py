"""Writes förvaltning templates from template/declaration.py, blank or filled from a model.

The sheets are drawn with xlsx/writer.py's helpers (formats, validation, a declared table, the page setup).

Filled templates (the demo, tests, benchmarks) are written the way Excel would save them: the
Avvikelse formula carries its computed value. `python -m delar_xl.template.write FOLDER` rewrites the
blank template committed under templates/.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from delar_xl.files import write_atomic
from delar_xl.template import declaration as T
from delar_xl.template.model import (
    AssignmentRow,
    EconomyRow,
    GoalRow,
    IndicatorRow,
    InvestmentRow,
    Metadata,
    PersonnelRow,
    Template,
)
from delar_xl.xlsx.writer import (
    TITLE_HEIGHT,
    Formats,
    fixed_datetime,
    formats,
    new_workbook,
    page_setup,
    protect_sheet,
    validate_field,
    wrapped_lines,
    write_instructions,
    write_table,
    write_value,
)

EXAMPLE_NOTE = "EXEMPELDATA: påhittade siffror som återskapar kommunstyrelsens delårsrapport per 31 augusti 2021."


@dataclass(frozen=True)
class Locks:
    """The cells of a pre-filled template that come from the plan: written locked and grey.

    `fields` are defined names on "Uppgifter"; `cells` are (table name, 0-based data row, column
    key). Every other input cell stays unlocked and yellow for the controller.
    """

    fields: frozenset[str] = frozenset()
    cells: frozenset[tuple[str, int, str]] = frozenset()

    def table_cells(self, table: str) -> frozenset[tuple[int, str]]:
        return frozenset((row, key) for name, row, key in self.cells if name == table)


def blank_template(forvaltning: str, periodslut: date, namnd: str = "Kommunstyrelsen") -> Template:
    """An empty template: no rows but the default Personal nyckeltal (contract §7), to be filled in."""
    return Template(
        meta=Metadata(forvaltning=forvaltning, namnd=namnd, periodslut=periodslut), personnel=default_personnel()
    )


def default_personnel() -> list[PersonnelRow]:
    """The Personal rows a template offers without a plan: P01–P03, values empty."""
    return [PersonnelRow(key, name, unit) for key, name, unit in T.DEFAULT_PERSONNEL]


def write_template(path: Path | str, content: Template, note: str = "", locks: Locks | None = None) -> Path:
    """Write a template for `content` (its metadata and any rows) to `path`, atomically.

    `locks` names the cells filled from the plan (`utskick`): those are written locked and grey.
    """
    return write_atomic(Path(path), lambda tmp: _write(tmp, content, note, locks or Locks()))


def write_blank(path: Path | str, forvaltning: str, periodslut: date, namnd: str = "Kommunstyrelsen") -> Path:
    return write_template(path, blank_template(forvaltning, periodslut, namnd))


def _write(path: Path, content: Template, note: str, locks: Locks) -> None:
    wb = new_workbook(path)
    wb.set_properties(
        {
            "title": f"Delårsrapport {content.meta.forvaltning}",
            "subject": "Mall för delårsrapport",
            "author": "delar_xl",
            "comments": f"Mallversion {T.TEMPLATE_VERSION}",
            # A fixed date keeps regenerated templates byte-comparable.
            "created": fixed_datetime(),
        }
    )
    wb.set_calc_mode("auto")
    fmt = formats(wb)
    header = _print_header(content.meta)
    write_instructions(
        wb,
        fmt,
        header,
        T.INSTRUCTIONS_SHEET,
        "Mall för delårsrapport – instruktioner",
        T.INSTRUCTIONS,
        T.INSTRUCTION_HEADINGS,
        note,
    )
    _write_info(wb, fmt, header, content.meta, locks.fields)
    for table in T.TABLES:
        write_table(
            wb,
            fmt,
            header,
            table,
            _rows_of(table, content),
            locked=locks.table_cells(table.name),
            whole_when=("unit", T.COUNT_UNIT) if table in (T.INDICATORS, T.PERSONNEL) else None,
        )
    wb.close()


def _print_header(meta: Metadata) -> str:
    period = meta.periodslut.isoformat() if meta.periodslut else ""
    name = meta.forvaltning.replace("&", "&&")
    return f"&L{name}&C&A&R{meta.rapport.replace('&', '&&')} per {period}"


def _write_info(wb: Any, fmt: Formats, header: str, meta: Metadata, locked: frozenset[str] = frozenset()) -> None:
    ws = wb.add_worksheet(T.INFO_SHEET)
    for col, width in enumerate(T.INFO_WIDTHS):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, "Uppgifter om rapporten", fmt.title)
    ws.set_row(0, TITLE_HEIGHT)
    ws.write_string(1, 0, "Fyll i de gula cellerna. Namnen på cellerna används av sammanställningen.", fmt.intro)
    ws.write_string(T.INFO_FIRST_ROW - 2, 0, "Uppgift", fmt.label)
    ws.write_string(T.INFO_FIRST_ROW - 2, 1, "Värde", fmt.label)
    ws.write_string(T.INFO_FIRST_ROW - 2, 2, "Hjälp", fmt.label)
    values = _meta_values(meta)
    for offset, f in enumerate(T.FIELDS):
        row = T.INFO_FIRST_ROW - 1 + offset
        ws.write_string(row, 0, f.label + (" *" if f.required else ""), fmt.label)
        if f.name == "Mallversion":
            cell_format = fmt.locked
        elif f.name in locked:
            cell_format = fmt.locked_by_kind[f.kind]
        else:
            cell_format = fmt.meta_by_kind[f.kind]
        write_value(ws, row, 1, values[f.name], f.kind, cell_format)
        help_text = f.help + (" Ifyllt från planen." if f.name in locked else "")
        ws.write_string(row, 2, help_text, fmt.help)
        if f.name != "Mallversion" and f.name not in locked:
            validate_field(ws, row, f)
        wb.define_name(f.name, f"='{T.INFO_SHEET}'!$B${row + 1}")
        height = _field_height(f, values[f.name], help_text)
        if height:
            ws.set_row(row, height)
    ws.write_string(T.INFO_FIRST_ROW + len(T.FIELDS), 0, "* = måste fyllas i", fmt.help)
    page_setup(ws, header, landscape=False)
    protect_sheet(ws)


_MAX_ROW_HEIGHT = 409.0  # points: Excel's limit


def _field_height(f: T.Field, value: object, help_text: str) -> float | None:
    """Points for a field's row: its declared lines, or what its text or its wrapped help needs."""
    lines = max(f.lines, wrapped_lines(help_text, T.INFO_WIDTHS[2]))
    if f.kind in (T.Kind.TEXT, T.Kind.LONG_TEXT) and isinstance(value, str):
        lines = max(lines, wrapped_lines(value, T.INFO_WIDTHS[1]))  # long names wrap too
    return min(15.0 * lines, _MAX_ROW_HEIGHT) if lines > 1 else None


def _meta_values(meta: Metadata) -> dict[str, object]:
    return {
        "Forvaltning": meta.forvaltning,
        "Namnd": meta.namnd,
        "Rapport": meta.rapport,
        "Periodslut": meta.periodslut,
        "Kontaktperson": meta.kontaktperson,
        "MBLDatum": meta.mbl_datum,
        "Sammanfattning": meta.sammanfattning,
        "Mallversion": T.TEMPLATE_VERSION,
        "VasentligaHandelser": meta.vasentliga_handelser,
        "Framtid": meta.framtid,
        "Forvaltningschef": meta.forvaltningschef,
        "Godkand": meta.godkand,
    }


def _rows_of(table: T.Table, content: Template) -> list[list[object]]:
    """The model's rows as cell values in the declared column order."""
    if table is T.ECONOMY:
        return [
            [r.key, r.activity, r.budget, r.actual, r.forecast, r.deviation, r.previous_forecast, r.comment, r.measures]
            for r in content.economy
        ]
    if table is T.GOALS:
        return [[r.goal_id, r.goal, r.assessment, r.analysis] for r in content.goals]
    if table is T.ASSIGNMENTS:
        return [[r.assignment_id, r.assignment, r.status, r.new_year, r.comment] for r in content.assignments]
    if table is T.INVESTMENTS:
        return [
            [r.project_id, r.project, r.budget, r.actual, r.forecast, r.deviation, r.comment]
            for r in content.investments
        ]
    if table is T.PERSONNEL:
        return [
            [r.key_figure_id, r.key_figure, r.unit, r.women, r.men, r.total, r.previous_year, r.comment]
            for r in content.personnel
        ]
    return [
        [r.indicator_id, r.indicator, r.unit, r.women, r.men, r.total, r.target, r.reason] for r in content.indicators
    ]


def template_file_name(forvaltning: str, periodslut: date) -> str:
    return f"Delårsrapport {forvaltning} {periodslut.isoformat()}.xlsx"


BLANK_NAME = "Delårsrapport-mall.xlsx"
BLANK_FORVALTNING = "Förvaltningens namn"
BLANK_PERIOD = date(2021, 8, 31)


def write_committed_blank(folder: Path) -> Path:
    """The blank template kept under templates/ (a test checks it is up to date)."""
    return write_blank(folder / BLANK_NAME, BLANK_FORVALTNING, BLANK_PERIOD)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "templates")
    print(write_committed_blank(out))


__all__ = [
    "AssignmentRow",
    "EconomyRow",
    "GoalRow",
    "IndicatorRow",
    "InvestmentRow",
    "Locks",
    "Metadata",
    "PersonnelRow",
    "Template",
    "blank_template",
    "default_personnel",
    "write_blank",
    "write_template",
    "template_file_name",
]
