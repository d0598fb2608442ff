"""A normalised dump of a workbook, for comparing what the code writes with a reference file.

Not byte for byte (writers and versions differ in XML details): sheets, defined names, tables with
their headers, cell values and types, number formats, protection, validations, print setup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def dump(path: Path) -> dict[str, Any]:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {
        "sheets": wb.sheetnames,
        "names": {name: str(dn.attr_text) for name, dn in wb.defined_names.items()},
    }
    for ws in wb.worksheets:
        out[ws.title] = _sheet(ws)
    wb.close()
    return out


def _sheet(ws: Any) -> dict[str, Any]:
    cells = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None and cell.protection.locked:
                continue
            cells[cell.coordinate] = (cell.value, cell.data_type, cell.number_format, cell.protection.locked)
    return {
        "cells": cells,
        "tables": {t.name: (t.ref, [c.name for c in t.tableColumns]) for t in ws.tables.values()},
        "validations": sorted(
            (str(v.sqref), v.type, v.formula1, v.promptTitle, v.prompt) for v in ws.data_validations.dataValidation
        ),
        "protected": ws.protection.sheet,
        "freeze": ws.freeze_panes,
        "print": (
            ws.page_setup.orientation,
            ws.page_setup.paperSize,
            ws.page_setup.fitToWidth,
            ws.oddHeader.left.text,
            ws.oddHeader.right.text,
        ),
        "widths": {k: round(v.width, 2) for k, v in ws.column_dimensions.items() if v.width},
    }
