"""The read path alone, for instruction counts that load does not move (valgrind's callgrind).

    python benchmarks/read_path.py MODE N FOLDER

MODE: read (guard + read_template_bytes), guard, guardkeep (check_package(keep=True)), calamine
(the five sheets, the floor), inflate (every part with zipfile, the floor), none (just the file
bytes). Per-template instructions = (count at N − count at N=0) / N:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null .venv/bin/python benchmarks/read_path.py read 30 DIR
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

SHEETS = ("Uppgifter", "Ekonomi", "Nämndmål", "Uppdrag", "Indikatorer")


def main(mode: str, n: int, folder: Path) -> None:
    from python_calamine import CalamineWorkbook

    import delar_xl.template.rules  # noqa: F401  (imported in every mode, so N=0 subtracts it)
    from delar_xl.template.read import read_template_bytes
    from delar_xl.xlsx.guard import check_package

    for path in sorted(folder.glob("*.xlsx"))[:n]:
        data = path.read_bytes()
        if mode == "read":
            read_template_bytes(data, path.name)
        elif mode == "guard":
            check_package(data, path.name)
        elif mode == "guardkeep":
            check_package(data, path.name, keep=True)
        elif mode == "calamine":
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            for sheet in SHEETS:
                book.get_sheet_by_name(sheet).to_python(skip_empty_area=True)
        elif mode == "inflate":
            package = zipfile.ZipFile(io.BytesIO(data))
            for info in package.infolist():
                package.read(info)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
