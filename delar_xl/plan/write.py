"""Writes a nämnd's plan (contract §4) from plan/declaration.py, blank or filled from a `Plan`.

The same XlsxWriter helpers as the template (xlsx/writer.py) draw the tables; unlike the template,
no sheet is protected: Ekonomistaben owns the plan and pastes into it freely.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from delar_xl.files import write_atomic
from delar_xl.plan import declaration as P
from delar_xl.plan.declaration import Plan
from delar_xl.xlsx.cells import column_letter
from delar_xl.xlsx.schema import FIRST_COLUMN, FIRST_DATA_ROW
from delar_xl.xlsx.writer import (
    Formats,
    fixed_datetime,
    formats,
    new_workbook,
    page_setup,
    validate_field,
    write_instructions,
    write_table,
    write_value,
)


def write_plan(path: Path | str, namnd: str, year: int | None, plan: Plan | None = None, note: str = "") -> Path:
    """Write a plan to `path`, atomically: blank for `namnd` and `year`, or filled from `plan`
    (whose own namnd and year then win). Returns the path written."""
    content = plan or Plan(namnd=namnd, year=year)
    return write_atomic(Path(path), lambda tmp: _write(tmp, content, note))


def _write(path: Path, plan: Plan, note: str) -> None:
    wb = new_workbook(path)
    wb.set_properties(
        {
            "title": f"Plan {plan.namnd} {plan.year or ''}".strip(),
            "subject": "Plan för delårsrapporter",
            "author": "delar_xl",
            "comments": f"Planversion {P.PLAN_VERSION}",
            "created": fixed_datetime(),
        }
    )
    wb.set_calc_mode("auto")
    fmt = formats(wb)
    header = _print_header(plan)
    write_instructions(
        wb,
        fmt,
        header,
        P.PLAN_INSTRUCTIONS_SHEET,
        "Plan för delårsrapporter – instruktioner",
        P.PLAN_INSTRUCTIONS,
        P.PLAN_INSTRUCTION_HEADINGS,
        note,
        protect=False,
    )
    _write_info(wb, fmt, header, plan)
    sources = {"forvaltning": unit_list_source(len(plan.units))}
    for table in P.PLAN_TABLES:
        write_table(
            wb,
            fmt,
            header,
            table,
            plan_rows(table, plan),
            protect=False,
            list_sources=sources if table in (P.PLAN_ECONOMY, P.PLAN_INVESTMENTS) else None,
        )
    wb.close()


def unit_list_source(units: int = 0) -> str:
    """The dropdown source of PlanEkonomi's Förvaltning: the data rows of PlanForvaltningar's first
    column. A plain range, not a structured reference: Excel refuses those in a list validation
    and LibreOffice does not resolve them through INDIRECT."""
    first = FIRST_DATA_ROW
    last = first + P.PLAN_UNITS.rows_offered(units) - 1  # the rows write_table offers
    col = column_letter(FIRST_COLUMN + P.PLAN_UNITS.index("forvaltning"))
    return f"='{P.PLAN_UNITS.sheet}'!${col}${first}:${col}${last}"


def _print_header(plan: Plan) -> str:
    name = plan.namnd.replace("&", "&&")
    return f"&L{name}&C&A&RPlan {plan.year or ''}"


def _write_info(wb: Any, fmt: Formats, header: str, plan: Plan) -> None:
    ws = wb.add_worksheet(P.PLAN_INFO_SHEET)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 2, 60)
    ws.write_string(0, 0, "Uppgifter om planen", fmt.title)
    ws.write_string(1, 0, "Fyll i de gula cellerna. Namnen på cellerna används av delar_xl.", fmt.intro)
    first = P.PLAN_INFO_FIRST_ROW
    for col, label in enumerate(("Uppgift", "Värde", "Hjälp")):
        ws.write_string(first - 2, col, label, fmt.label)
    values = {
        "Namnd": plan.namnd,
        "Ar": plan.year,
        "Planversion": P.PLAN_VERSION,
        "Kommun": plan.kommun,
        "Handlaggare": plan.handlaggare,
        "Undertecknare": "; ".join(plan.undertecknare),
    }
    for offset, f in enumerate(P.PLAN_FIELDS):
        row = first - 1 + offset
        ws.write_string(row, 0, f.label + (" *" if f.required else ""), fmt.label)
        cell_format = fmt.locked if f.name == "Planversion" else fmt.meta_by_kind[f.kind]
        write_value(ws, row, 1, values[f.name], f.kind, cell_format)
        ws.write_string(row, 2, f.help, fmt.help)
        if f.name == "Ar":
            ws.data_validation(
                row,
                1,
                row,
                1,
                {
                    "validate": "integer",
                    "criteria": "between",
                    "minimum": 2000,
                    "maximum": 2100,
                    "input_title": f.label,
                    "input_message": f.help,
                    "error_title": f.label,
                    "error_message": "Skriv budgetåret som ett heltal, t.ex. 2021.",
                },
            )
        elif f.name != "Planversion":
            validate_field(ws, row, f)
        wb.define_name(f.name, f"='{P.PLAN_INFO_SHEET}'!$B${row + 1}")
    ws.write_string(first + len(P.PLAN_FIELDS), 0, "* = måste fyllas i", fmt.help)
    page_setup(ws, header, landscape=False)


def plan_rows(table: Any, plan: Plan) -> list[list[object]]:
    """The plan's rows as cell values in the declared column order."""
    joined = "; ".join
    if table is P.PLAN_UNITS:
        return [[u.forvaltning, u.bilaga, u.kontaktperson, u.epost] for u in plan.units]
    if table is P.PLAN_GOALS:
        return [[g.goal_id, g.goal, joined(g.units)] for g in plan.goals]
    if table is P.PLAN_ASSIGNMENTS:
        return [[a.assignment_id, a.assignment, joined(a.units)] for a in plan.assignments]
    if table is P.PLAN_ECONOMY:
        return [[r.forvaltning, r.key, r.activity, r.budget] for r in plan.economy]
    if table is P.PLAN_INDICATORS:
        return [[i.indicator_id, i.indicator, i.unit, i.target, joined(i.units)] for i in plan.indicators]
    if table is P.PLAN_INVESTMENTS:
        return [[r.forvaltning, r.project_id, r.project, r.budget] for r in plan.investments]
    if table is P.PLAN_PERSONNEL:
        return [[f.key_figure_id, f.key_figure, f.unit, joined(f.units)] for f in plan.personnel]
    if table is P.PLAN_ATTACHMENTS:
        return [[a.bilaga, a.title] for a in plan.attachments]
    return [[r] for r in plan.recipients]


__all__ = ["plan_rows", "unit_list_source", "write_plan"]
