"""The obvious implementation, as the benchmark's yardstick: load every template in FOLDER with
`openpyxl.load_workbook` (default mode) and touch every cell of the four tables and the
metadata fields. Prints how many cells it touched.

    python benchmarks/openpyxl_baseline.py FOLDER
"""

from __future__ import annotations

import sys
from pathlib import Path

TABLES = {"Ekonomi": "Ekonomi", "Namndmal": "Nämndmål", "Uppdrag": "Uppdrag", "Indikatorer": "Indikatorer"}


def read_folder(folder: Path) -> int:
    import openpyxl

    touched = 0
    for path in sorted(Path(folder).glob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        for _name, defined in wb.defined_names.items():  # the metadata fields (Forvaltning, Periodslut …)
            for sheet, ref in defined.destinations:
                if sheet in wb.sheetnames:
                    _ = wb[sheet][ref].value
                    touched += 1
        for table, sheet in TABLES.items():
            ws = wb[sheet]
            for row in ws[ws.tables[table].ref]:
                for cell in row:
                    _ = cell.value
                    touched += 1
        wb.close()
    return touched


if __name__ == "__main__":
    print(f"{read_folder(Path(sys.argv[1]))} cells touched")
