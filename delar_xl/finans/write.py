"""Writes the finansförvaltning's template (contract §9) from the declaration, blank or filled from a `Finans`.

The XlsxWriter helpers of xlsx/writer.py draw the sheets, so this workbook looks and
prints like the förvaltningar's templates: yellow cells to fill in, protected sheets without a
password, A4 with the kommun and the period in the header. The fixed posts' ids and names are
written locked; the amounts and comments are the finansförvaltning's to fill in.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from delar_xl.files import write_atomic
from delar_xl.finans import declaration as F
from delar_xl.finans.model import Finans, blank_finans
from delar_xl.xlsx.schema import Kind
from delar_xl.xlsx.writer import (
    INSTRUCTIONS_WIDTH,
    TITLE_HEIGHT,
    Formats,
    fixed_datetime,
    formats,
    new_workbook,
    page_setup,
    protect_sheet,
    row_height,
    validate_field,
    write_table,
    write_value,
)

INFO_WIDTHS = (28.0, 30.0, 44.0)  # label, value, help: about the width of a portrait A4 page


def write_finans(path: Path | str, content: Finans, note: str = "") -> Path:
    """Write the finansförvaltning's template for `content` to `path`, atomically. Returns the path."""
    return write_atomic(Path(path), lambda tmp: _write(tmp, content, note))


def write_blank_finans(path: Path | str, periodslut: date, kommun: str = "") -> Path:
    """`delar-xl mall --finans`: the fixed posts, no amounts."""
    return write_finans(path, blank_finans(periodslut, kommun))


def _write(path: Path, content: Finans, note: str) -> None:
    wb = new_workbook(path)
    wb.set_properties(
        {
            "title": f"Finansförvaltningen {content.periodslut.isoformat() if content.periodslut else ''}".strip(),
            "subject": "Finansförvaltningens underlag till delårsrapport",
            "author": "delar_xl",
            "comments": f"Finansversion {F.FINANS_VERSION}",
            "created": fixed_datetime(),
        }
    )
    wb.set_calc_mode("auto")
    fmt = formats(wb)
    header = _print_header(content)
    _write_instructions(wb, fmt, header, note)
    _write_info(wb, fmt, header, content)
    for table in F.TABLES:
        rows = finans_rows(table, content)
        locked = frozenset((i, key) for i in range(len(rows)) for key in ("post_id", "post"))
        # The tables are declared with fixed rows: write_table offers the posts and no spare rows, and prints them.
        write_table(wb, fmt, header, table, rows, locked=locked)
    wb.close()


def _print_header(content: Finans) -> str:
    period = content.periodslut.isoformat() if content.periodslut else ""
    name = (content.kommun or "Finansförvaltningen").replace("&", "&&")
    return f"&L{name}&C&A&RFinansförvaltningen per {period}"


def _write_instructions(wb: Any, fmt: Formats, header: str, note: str) -> None:
    ws = wb.add_worksheet(F.INSTRUCTIONS_SHEET)
    ws.set_column(0, 0, INSTRUCTIONS_WIDTH)
    ws.write_string(0, 0, "Finansförvaltningens underlag – instruktioner", fmt.title)
    ws.set_row(0, TITLE_HEIGHT)
    if note:
        ws.write_string(1, 0, note, fmt.note)
        ws.set_row(1, row_height([(note, INSTRUCTIONS_WIDTH * 0.8)]))
    row = 2
    for line in F.INSTRUCTIONS:
        if line:
            ws.write_string(row, 0, line, fmt.heading if line in F.INSTRUCTION_HEADINGS else fmt.wrap)
            height = row_height([(line, INSTRUCTIONS_WIDTH)])
            if height:
                ws.set_row(row, height)
        row += 1
    page_setup(ws, header, landscape=False)
    ws.print_area(0, 0, row, 0)
    protect_sheet(ws)
    ws.activate()


def _write_info(wb: Any, fmt: Formats, header: str, content: Finans) -> None:
    ws = wb.add_worksheet(F.INFO_SHEET)
    for col, width in enumerate(INFO_WIDTHS):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, "Uppgifter om underlaget", fmt.title)
    ws.set_row(0, TITLE_HEIGHT)
    ws.write_string(1, 0, "Fyll i de gula cellerna. Namnen på cellerna används av sammanställningen.", fmt.intro)
    for col, label in enumerate(("Uppgift", "Värde", "Hjälp")):
        ws.write_string(F.INFO_FIRST_ROW - 2, col, label, fmt.label)
    values = {
        "Kommun": content.kommun,
        "Periodslut": content.periodslut,
        "ResultatmalProcent": content.resultatmal_procent,
        "Kontaktperson": content.kontaktperson,
        "Finansversion": F.FINANS_VERSION,
    }
    for offset, f in enumerate(F.FIELDS):
        row = F.INFO_FIRST_ROW - 1 + offset
        ws.write_string(row, 0, f.label + (" *" if f.required else ""), fmt.label)
        cell_format = fmt.locked if f.name == "Finansversion" else fmt.meta_by_kind[f.kind]
        write_value(ws, row, 1, values[f.name], f.kind, cell_format)
        ws.write_string(row, 2, f.help, fmt.help)
        if f.kind is Kind.NUMBER:
            ws.data_validation(
                row,
                1,
                row,
                1,
                {
                    "validate": "decimal",
                    "criteria": "between",
                    "minimum": -100,
                    "maximum": 100,
                    "error_type": "warning",
                    "input_title": f.label[:32],
                    "input_message": f.help[:255],
                    "error_title": f.label[:32],
                    "error_message": "Skriv målet i procent som ett tal, t.ex. 2.",
                },
            )
        elif f.name != "Finansversion":
            validate_field(ws, row, f)
        wb.define_name(f.name, f"='{F.INFO_SHEET}'!$B${row + 1}")
        height = row_height([(f.help, INFO_WIDTHS[2]), (str(values[f.name] or ""), INFO_WIDTHS[1])])
        if height:
            ws.set_row(row, height)
    ws.write_string(F.INFO_FIRST_ROW + len(F.FIELDS), 0, "* = måste fyllas i", fmt.help)
    page_setup(ws, header, landscape=False)
    protect_sheet(ws)


def finans_rows(table: Any, content: Finans) -> list[list[object]]:
    """The model's rows as cell values in the declared column order (Avvikelse: its computed value)."""
    if table is F.FINANS:
        return [[r.post_id, r.post, r.budget, r.actual, r.forecast, r.deviation, r.comment] for r in content.finans]
    return [[r.post_id, r.post, r.forecast, r.comment] for r in content.balanskrav]


__all__ = ["finans_rows", "write_blank_finans", "write_finans"]
