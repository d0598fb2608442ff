"""The generic reader of a workbook people fill in: its guarded package, sheets, fields and tables.

Values come from python-calamine (what Excel last calculated); defined names, tables and hidden rows
straight from the zip (parts.py), after the guard (guard.py) has looked at it. Reading never raises on
bad content: every problem becomes a positioned finding through `WorkbookReader.add`. The template's
reader (template/read.py) and the plan's (plan/read.py) are subclasses with their own fields and tables;
namnd/dispatch.py reads a summary's names and tables with it as it is. Nothing here knows what a
delårsrapport is: the tables are described in the terms of schema.py.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from delar_xl.findings import Finding, Severity, UnreadableFile
from delar_xl.numbers import NumberKind, format_number, is_error_value, parse_number
from delar_xl.xlsx.cells import EXCEL_TEXT_MAX, a1_to_index, cell_ref
from delar_xl.xlsx.parts import (
    defined_names,
    error_cells,
    formula_cells,
    hidden_rows,
    parse_workbook,
    sheet_parts,
    tables,
)
from delar_xl.xlsx.schema import Field, Kind, Table

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # below space, except tab, LF, CR


class HasColumns(Protocol):
    """What a reader fills in while reading a table: where each column was found (table → key → index)."""

    columns: dict[str, dict[str, int]]


class Sheet:
    """A sheet's values as a grid addressed by 0-based (row, col) from A1."""

    def __init__(self, name: str, rows: list[list[Any]], start: tuple[int, int]) -> None:
        self.name = name
        self.rows = rows
        self.row0, self.col0 = start
        self.merged: list = []  # calamine's merged_cell_ranges, taken when the values are read
        self.formulas: dict[tuple[int, int], bool] = {}  # formula cells → has a calculated value
        self._last_col: int | None = None

    def get(self, row: int, col: int) -> Any:
        r, c = row - self.row0, col - self.col0
        if r < 0 or c < 0 or r >= len(self.rows):
            return ""
        line = self.rows[r]
        return line[c] if c < len(line) else ""

    def values(self, row: int, cols: list[int]) -> list[Any]:
        """The values of one row in the given columns (0-based), "" where nothing is."""
        r = row - self.row0
        if r < 0 or r >= len(self.rows):
            return [""] * len(cols)
        line, c0 = self.rows[r], self.col0
        width = len(line)
        if c0 == 0 and cols and min(cols) >= 0 and max(cols) < width:  # the usual row: all columns inside it
            return [line[c] for c in cols]
        return [line[c - c0] if 0 <= c - c0 < width else "" for c in cols]

    def put(self, row: int, col: int, value: Any) -> None:
        """Set a value, growing the grid when needed (error cells calamine did not report)."""
        r, c = row - self.row0, col - self.col0
        if r < 0 or c < 0:
            return
        while len(self.rows) <= r:
            self.rows.append([])
        line = self.rows[r]
        if len(line) <= c:
            line.extend([""] * (c + 1 - len(line)))
        line[c] = value
        self._last_col = None

    @property
    def last_row(self) -> int:
        return self.row0 + len(self.rows) - 1

    @property
    def last_col(self) -> int:
        if self._last_col is None:  # cached: the area checks ask for it once per row
            self._last_col = self.col0 + max((len(r) for r in self.rows), default=0) - 1
        return self._last_col


class WorkbookReader:
    """Reads one workbook's package, sheets and tables. Collects findings instead of raising."""

    def __init__(self, data: bytes, file: str) -> None:
        self.data = data
        self.file = file
        self.findings: list[Finding] = []
        self.sheets: dict[str, Sheet] = {}
        self.unreadable: set[str] = set()
        self._part_xml: dict[str, bytes] = {}
        # The workbook's version once a subclass knows it (e.g. Mallversion): a table is expected to
        # have only the columns of that version (`Column.since`). None: every declared column.
        self.version: int | None = None

    def add(self, severity: Severity, code: str, message: str, sheet: str = "", cell: str = "") -> None:
        self.findings.append(Finding(self.file, sheet, cell, severity, code, message))
        if severity is Severity.ERROR and cell:
            self.unreadable.add(f"{sheet}!{cell}")

    def open_package(self) -> None:
        """Guard, then the zip's names, sheet parts and tables, and calamine's workbook.

        Every reader starts here; a subclass then reads its own fields and tables."""
        from python_calamine import CalamineWorkbook

        from delar_xl.xlsx.guard import check_package, parser_errors

        guard = check_package(self.data, self.file, keep=True)  # parts unpacked once, shared below
        if guard.has_macros:
            self.add(
                Severity.INFO,
                "makron-ignoreras",
                "Filen innehåller makron (.xlsm). Uppgifterna läses, makrona körs aldrig och följer inte med. "
                "Spara gärna som Excel-arbetsbok (*.xlsx).",
            )
        try:
            zf = guard.checked_parts() if guard.package else zipfile.ZipFile(io.BytesIO(self.data))
            workbook = parse_workbook(zf)
            self.names = defined_names(zf, workbook)
            self.parts = sheet_parts(zf, workbook)
            self.tables = tables(zf, self.parts)
            self.zip = zf
            book = CalamineWorkbook.from_filelike(io.BytesIO(self.data))
        except parser_errors() as exc:
            raise UnreadableFile(damaged(), "fil-skadad") from exc
        self.book = book
        self._note_huge_dimensions(guard.huge_dimensions)

    def _note_huge_dimensions(self, parts: list[str]) -> None:
        sheet_of = {part: name for name, part in self.parts.items()}
        for part in parts:
            self.add(
                Severity.INFO,
                "stort-omrade",
                "Bladet anger att det använder ett orimligt stort område (t.ex. hela bladet). "
                "Bara ifyllda celler läses; det påverkar inte kontrollen.",
                sheet_of.get(part, part),
            )

    def sheet(self, name: str) -> Sheet | None:
        if name in self.sheets:
            return self.sheets[name]
        from python_calamine import WorksheetNotFound

        from delar_xl.xlsx.guard import parser_errors

        try:
            raw = self.book.get_sheet_by_name(name)
            rows = raw.to_python(skip_empty_area=True)
        except WorksheetNotFound:
            return None  # reported where the sheet was expected
        except parser_errors() as exc:
            raise UnreadableFile(f'Bladet "{name}" är skadat och kan inte läsas. ' + damaged(), "fil-skadad") from exc
        start = raw.start or (0, 0)
        sheet = Sheet(name, rows, start)
        try:
            sheet.merged = raw.merged_cell_ranges or []
        except Exception:
            sheet.merged = []
        xml = self.part_xml(name)
        if xml:
            for (row, col), value in error_cells(xml).items():
                sheet.put(row, col, value)
            sheet.formulas = formula_cells(xml)
        self.sheets[name] = sheet
        return sheet

    def field_value(
        self, f: Field, expected: tuple[str, str], cells: dict[str, tuple[str, str]], advice: str
    ) -> tuple[Any, str, str] | None:
        """The value of the one cell the defined name `f.name` points at, and that cell (sheet, A1).

        None, with a Fel, when the name is missing or points at no cell (it says where it was `expected`, then
        `advice`), when the cell holds a formula never calculated, or an error value. Where the name points is
        recorded in `cells` for the rules, even when the sheet itself is gone. Every reader of a declared
        workbook (template, plan, finans) reads its fields through here; what the value means is theirs.
        """
        target = self.names.get(f.name)
        if target is None or not target.cell:
            found = "saknas" if target is None else f"pekar på {target.formula or 'ingenting'}"
            self.add(
                Severity.ERROR,
                "namn-saknas",
                f"Det definierade namnet {f.name} ({f.label}) {found}; väntat {expected[0]}!{expected[1]}. {advice}",
                *expected,
            )
            return None
        cells[f.name] = (target.sheet, target.cell)
        sheet = self.sheet(target.sheet)
        if sheet is None:
            return None
        row, col = a1_to_index(target.cell)
        value = sheet.get(row, col)
        if (row, col) in sheet.formulas and not self.formula_read(sheet, row, col, f.label, value):
            return None
        if is_error_value(value):
            self.add(
                Severity.ERROR,
                "felvarde",
                f"{f.label} innehåller felvärdet {value}. Skriv in ett riktigt värde.",
                target.sheet,
                target.cell,
            )
            return None
        return value, target.sheet, target.cell

    def date_value(self, value: Any, label: str, sheet: str, cell: str) -> date | None:
        """A field's date: a real date as it is; ISO text (Info) and a bare serial number in Excel's date range
        (Varning) understood and said; anything else a Fel at the cell."""
        if value in ("", None):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                parsed = date.fromisoformat(value.strip())
            except ValueError:
                self.add(
                    Severity.ERROR,
                    "datum-ogiltigt",
                    f'{label} "{value}" är inte ett datum. Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2021-08-31.',
                    sheet,
                    cell,
                )
                return None
            self.add(
                Severity.INFO,
                "datum-text",
                f'{label} är skrivet som text "{value}"; tolkat som {parsed.isoformat()}.',
                sheet,
                cell,
            )
            return parsed
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value <= 2958465:
            parsed = date(1899, 12, 30) + timedelta(days=int(value))  # within Excel's date range
            self.add(
                Severity.WARNING,
                "datum-tal",
                f"{label} är ett tal ({format_number(value, 0)}) utan datumformat; tolkat som "
                f"{parsed.isoformat()}. Formatera cellen som datum.",
                sheet,
                cell,
            )
            return parsed
        self.add(
            Severity.ERROR,
            "datum-ogiltigt",
            f"{label} ({value}) är inte ett giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD.",
            sheet,
            cell,
        )
        return None

    def formula_read(self, sheet: Sheet, row: int, col: int, label: str, value: Any) -> bool:
        """An input cell holding a formula: its calculated value is used (Info); never calculated is a Fel.

        Returns whether there is a value to read.
        """
        cell = cell_ref(row, col)
        if not sheet.formulas[(row, col)]:
            self.add(
                Severity.ERROR,
                "formel-ej-beraknad",
                f"{label}: cellen innehåller en formel som inte har räknats ut (filen har sparats av ett program, "
                "inte av Excel), så värdet kan inte läsas. Öppna filen i Excel och spara den (i LibreOffice: "
                "Ctrl+Skift+F9, sedan spara), eller skriv in värdet i stället för formeln.",
                sheet.name,
                cell,
            )
            return False
        shown = value if not isinstance(value, float) else format_number(value, decimals(value))
        self.add(
            Severity.INFO,
            "formel-i-cell",
            f"{label} är en formel; dess uträknade värde ({shown or 'tomt'}) används. Skriv gärna in värdet "
            "direkt, så ändras det inte om cellerna formeln hänvisar till ändras.",
            sheet.name,
            cell,
        )
        return True

    def part_xml(self, name: str) -> bytes:
        """Sheet `name`'s worksheet part, unpacked once: error cells and hidden rows both need it."""
        if name not in self._part_xml:
            part = self.parts.get(name)
            try:
                self._part_xml[name] = self.zip.read(part) if part else b""
            except KeyError:
                self._part_xml[name] = b""
        return self._part_xml[name]

    def read_table(self, table: Table, result: HasColumns) -> list[Row]:
        found = self.tables[table.name]
        sheet_name = found.sheet
        if sheet_name != table.sheet:
            self.add(
                Severity.WARNING,
                "tabell-flyttad",
                f'Tabellen {table.name} ligger på bladet "{sheet_name}", väntat "{table.sheet}".',
                sheet_name,
            )
        sheet = self.sheet(sheet_name)
        first_data, last_row = found.first_data_row, found.last_data_row
        first_col, last_col = found.first_col, found.last_col
        header_row = found.header_row if found.header_row is not None else first_data - 1
        headers = [text_of(h) for h in found.columns]
        columns = self._map_columns(table, headers, sheet_name, header_row, first_col)
        if columns is None:
            return []
        result.columns[table.name] = columns
        self._check_table_area(table, sheet, sheet_name, header_row, first_col, last_row, last_col)
        rows: list[Row] = []
        if sheet is None:
            return rows
        keys = list(columns)
        cols = [columns[k] for k in keys]
        inputs = [i for i, k in enumerate(keys) if table.column(k).kind is not Kind.FORMULA]
        computed = [k for k in keys if table.column(k).kind is Kind.FORMULA]
        # Formulas typed into input columns (most tables have none: the lookups below cost nothing then).
        input_cols = {cols[i] for i in inputs}
        typed = {cell for cell in sheet.formulas if cell[1] in input_cols}
        # Rows past the sheet's last used row are empty: the blank rows a template offers cost nothing.
        for r in range(first_data, min(last_row, sheet.last_row) + 1):
            values = sheet.values(r, cols)
            formulas = [i for i in inputs if (r, cols[i]) in typed] if typed else []
            if all(values[i] in ("", None) for i in inputs) and not formulas:
                continue
            row = Row(self, table, sheet_name, r + 1, columns, dict(zip(keys, values)))
            for i in formulas:
                if not self.formula_read(sheet, r, cols[i], table.column(keys[i]).header, values[i]):
                    row.values[keys[i]] = ""
            for key in computed:
                if (r, columns[key]) not in sheet.formulas:
                    row.note_missing_formula(key)
            rows.append(row)
        return rows

    def _map_columns(
        self, table: Table, headers: list[str], sheet: str, header_row: int, first_col: int
    ) -> dict[str, int] | None:
        columns: dict[str, int] = {}
        moved: list[tuple[str, str]] = []  # said only when every column is there: a deleted one moves the rest
        expected = table.columns if self.version is None else table.columns_in(self.version)
        for position, col in enumerate(expected):
            if col.header in headers:
                columns[col.key] = first_col + headers.index(col.header)
                if headers.index(col.header) != position:
                    moved.append((col.header, cell_ref(header_row, first_col + headers.index(col.header))))
                continue
            where = cell_ref(header_row, first_col + position)
            actual = headers[position] if position < len(headers) else ""
            if actual and actual not in table.headers:  # a retitled column: its old title back
                self.add(
                    Severity.ERROR,
                    "kolumn-saknas",
                    f'Kolumnen "{col.header}" saknas i tabellen {table.name} (där står "{actual}"). '
                    "Byt tillbaka rubriken; sammanställningen läser kolumnerna på rubrik.",
                    sheet,
                    where,
                )
                continue
            # Deleted (the next column moved into its place) or never there: never advise a retitle,
            # which would break another column.
            before = f' före kolumnen "{actual}"' if actual else ""
            self.add(
                Severity.ERROR,
                "kolumn-saknas",
                f'Kolumnen "{col.header}" saknas i tabellen {table.name}; den verkar ha tagits bort. Lägg '
                f'tillbaka den med rubriken "{col.header}" (högerklicka i tabellen ▸ Infoga ▸ Tabellkolumn '
                f"till vänster){before}, eller hämta en ny mall. Byt inte namn på någon annan kolumn.",
                sheet,
                where,
            )
        if len(columns) < len(expected):
            return None
        for header, where in moved:
            self.add(
                Severity.WARNING,
                "kolumn-ordning",
                f'Kolumnen "{header}" i tabellen {table.name} har flyttats. '
                "Den läses ändå, men andra verktyg väntar sig mallens ordning.",
                sheet,
                where,
            )
        return columns

    def _check_table_area(
        self,
        table: Table,
        sheet: Sheet | None,
        name: str,
        header_row: int,
        first_col: int,
        last_row: int,
        last_col: int,
    ) -> None:
        """Data typed below or beside a table is silently dropped by every table reader: say so."""
        if sheet is None:
            return
        sheet_last_col = sheet.last_col
        for r in range(last_row + 1, sheet.last_row + 1):
            for c in range(first_col, max(last_col, sheet_last_col) + 1):
                if sheet.get(r, c) not in ("", None):
                    self.add(
                        Severity.ERROR,
                        "utanfor-tabell",
                        f"Rad {r + 1} ligger under tabellen {table.name} "
                        f"({cell_ref(header_row, first_col)}:{cell_ref(last_row, last_col)}) och kommer inte med. "
                        + _below_table_advice(table),
                        name,
                        cell_ref(r, c),
                    )
                    break
        for r in range(header_row, last_row + 1):
            for c in range(last_col + 1, sheet_last_col + 1):
                if sheet.get(r, c) not in ("", None):
                    self.add(
                        Severity.ERROR,
                        "utanfor-tabell",
                        f"Cellen ligger till höger om tabellen {table.name} och kommer inte med. "
                        "Flytta uppgiften in i tabellen (t.ex. till Kommentar).",
                        name,
                        cell_ref(r, c),
                    )
                    break
        self._check_merged_and_hidden(table, name, header_row, first_col, last_row, last_col)

    def _check_merged_and_hidden(
        self, table: Table, name: str, header_row: int, first_col: int, last_row: int, last_col: int
    ) -> None:
        sheet = self.sheets.get(name)
        merged = sheet.merged if sheet else []
        for (r1, c1), (r2, c2) in merged:
            if r2 >= header_row and r1 <= last_row and c2 >= first_col and c1 <= last_col:
                self.add(
                    Severity.ERROR,
                    "sammanfogade-celler",
                    f"Sammanfogade celler {cell_ref(r1, c1)}:{cell_ref(r2, c2)} i tabellen {table.name}. "
                    "Dela upp dem (Start ▸ Centrera över kolumner ▸ Dela upp celler; i LibreOffice: Format ▸ "
                    "Sammanfoga och dela upp celler ▸ Dela upp celler); bara den första cellen läses.",
                    name,
                    cell_ref(r1, c1),
                )
        for row in hidden_rows(self.part_xml(name)):
            if header_row < row - 1 <= last_row:
                self.add(
                    Severity.WARNING,
                    "dold-rad",
                    f"Rad {row} i tabellen {table.name} är dold men kommer med i sammanställningen. "
                    "Visa raden så att granskaren ser samma sak.",
                    name,
                    f"A{row}",
                )


def _below_table_advice(table: Table) -> str:
    """What to do with a value under a table: into a new table row, or (fixed rows) onto the row it belongs to."""
    if table.fixed_rows:
        # A row added to a table of fixed posts would be an unknown post: never advise dragging it out.
        return (
            "Tabellen har fasta poster och tar inga fler rader: skriv beloppet på den post det hör till, och "
            "förklara det i Kommentar."
        )
    return (
        "Ta bort bladskyddet (Granska ▸ Ta bort skydd) och dra ut tabellen så att raden ingår, "
        "eller flytta uppgiften in i tabellen. I LibreOffice kan en tabell inte dras ut: ta bort "
        "skyddet (Verktyg ▸ Skydda blad), markera en rad inne i tabellen och infoga rader där "
        "(högerklicka ▸ Infoga rader ovanför), flytta sedan uppgiften dit."
    )


class Row:
    """One table row's raw values with typed accessors that report what they cannot read."""

    def __init__(
        self,
        reader: WorkbookReader,
        table: Table,
        sheet: str,
        number_in_sheet: int,
        columns: dict[str, int],
        values: dict[str, Any],
    ) -> None:
        self.reader = reader
        self.table = table
        self.sheet = sheet
        self.number_in_sheet = number_in_sheet
        self.columns = columns
        self.values = values

    def cell(self, key: str) -> str:
        return cell_ref(self.number_in_sheet - 1, self.columns[key])

    def header(self, key: str) -> str:
        return self.table.column(key).header

    def _error_value(self, key: str) -> bool:
        value = self.values[key]
        if is_error_value(value):
            self.reader.add(
                Severity.ERROR,
                "felvarde",
                f"{self.header(key)} innehåller felvärdet {value}. Skriv in ett riktigt värde.",
                self.sheet,
                self.cell(key),
            )
            return True
        return False

    def text(self, key: str) -> str:
        value = self.values[key]
        if type(value) is str and "#" not in value:  # the usual case: plain text, no error value possible
            text = value.strip()
            # isprintable() is a cheap C pre-check: a printable text holds no control character,
            # so the regex only runs on the few texts with a line break, tab or other non-printable.
            if len(text) < EXCEL_TEXT_MAX and (text.isprintable() or not _CONTROL_CHARS.search(text)):
                return _SHARED_TEXTS.get(text) or _shared(text)  # the lookup first: most texts are known
            return self._clean_text(key, text)
        if self._error_value(key):
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        text = str(value).strip() if value is not None else ""
        return self._clean_text(key, text)

    def choice(self, key: str) -> str:
        """A value from the column's list, understood despite case and stray spaces ("uppnås  delvis")."""
        text = self.text(key)
        choices = self.table.column(key).choices
        raw = self.values.get(key)
        if text in choices and isinstance(raw, str) and raw != text:  # "Uppnås helt ": read, and said
            self.reader.add(
                Severity.INFO,
                "val-tolkat",
                f'{self.header(key)} "{raw}" har extra mellanslag; tolkat som "{text}". Välj gärna värdet i listan.',
                self.sheet,
                self.cell(key),
            )
            return text
        if not text or text in choices:
            return text
        canonical = canonical_choice(text, choices)
        if canonical is None:
            return text  # the rules say what is allowed, with a suggestion for a near miss
        self.reader.add(
            Severity.INFO,
            "val-tolkat",
            f'{self.header(key)} "{text}" är skrivet med andra versaler eller mellanslag än i listan; '
            f'tolkat som "{canonical}". Välj gärna värdet i listan.',
            self.sheet,
            self.cell(key),
        )
        return canonical

    def note_missing_formula(self, key: str) -> None:
        """A calculated column without its formula on this row: LibreOffice does not carry a table's
        calculated column into a row inserted in it. The reader recomputes the value anyway."""
        self.reader.add(
            Severity.INFO,
            "formel-saknas",
            f"{self.header(key)} saknar formeln på den här raden (LibreOffice för inte med tabellens "
            "formel till en infogad rad). Sammanställningen räknar ändå ut värdet; kopiera gärna formeln "
            "från raden ovanför så att mallen visar det.",
            self.sheet,
            self.cell(key),
        )

    def _clean_text(self, key: str, text: str) -> str:
        cleaned = _CONTROL_CHARS.sub("", text) if _CONTROL_CHARS.search(text) else text
        if cleaned != text:
            self.reader.add(
                Severity.WARNING,
                "styrtecken",
                f"{self.header(key)} innehåller osynliga styrtecken som har tagits bort.",
                self.sheet,
                self.cell(key),
            )
        if len(cleaned) > EXCEL_TEXT_MAX:
            self.reader.add(
                Severity.ERROR,
                "text-for-lang",
                f"{self.header(key)} har {format_number(len(cleaned), 0)} tecken; Excel rymmer högst "
                f"{format_number(EXCEL_TEXT_MAX, 0)} i en cell. Korta texten.",
                self.sheet,
                self.cell(key),
            )
        elif len(cleaned) == EXCEL_TEXT_MAX:
            # Writers cut longer text at exactly this length without a word: the end may be missing.
            self.reader.add(
                Severity.WARNING,
                "text-vid-gransen",
                f"{self.header(key)} har {format_number(EXCEL_TEXT_MAX, 0)} tecken, "
                "det mesta en cell rymmer; "
                "slutet kan ha klippts bort när filen sparades. Korta texten och kontrollera slutet.",
                self.sheet,
                self.cell(key),
            )
        return cleaned

    def number(self, key: str) -> float | None:
        value = self.values[key]
        # The usual cells without building a ParsedNumber: what parse_number gives a finite float
        # (NUMBER, the value itself) and an empty cell (EMPTY, None).
        if type(value) is float and math.isfinite(value):
            return value
        if value is None or value == "":
            return None
        parsed = parse_number(value)
        if parsed.kind is NumberKind.NUMBER or parsed.kind is NumberKind.EMPTY:
            return parsed.value  # the common case: no finding, so no cell address to build
        header, cell = self.header(key), self.cell(key)
        if parsed.kind is NumberKind.TEXT:
            self.reader.add(
                Severity.INFO,
                "tal-som-text",
                f'{header} är lagrat som text ("{parsed.raw}"), inte som tal; tolkat som '
                f"{format_number(parsed.value or 0, decimals(parsed.value))}. Det händer när cellen är "
                "formaterad som text eller talet klistrats in; formatera cellen som tal och skriv in talet "
                "igen, så räknar Excel och LibreOffice med det.",
                self.sheet,
                cell,
            )
        elif parsed.kind is NumberKind.AMBIGUOUS:
            self.reader.add(
                Severity.ERROR,
                "tal-tvetydigt",
                f'{header} "{parsed.raw}" kan läsas på två sätt (tusental eller decimaler). '
                "Skriv talet med decimalkomma och utan tusentalspunkt, t.ex. 1234 eller 12,8.",
                self.sheet,
                cell,
            )
        elif parsed.kind is NumberKind.INVALID:
            self.reader.add(
                Severity.ERROR,
                "tal-ogiltigt",
                f'{header} "{short(parsed.raw)}" är inte ett tal. Skriv ett belopp, t.ex. −415 100.',
                self.sheet,
                cell,
            )
        elif parsed.kind is NumberKind.ERROR:
            self.reader.add(
                Severity.ERROR,
                "felvarde",
                f"{header} innehåller felvärdet {parsed.raw}. Skriv in ett riktigt värde.",
                self.sheet,
                cell,
            )
        return parsed.value

    def cached(self, key: str) -> float | None:
        """A formula's cached value: '' means never calculated (openpyxl-saved files), which is fine."""
        value = self.values[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        return None

    def year(self, key: str) -> int | None:
        value = self.number(key)
        if value is None:
            return None
        if not float(value).is_integer() or not 1900 <= value <= 2200:
            self.reader.add(
                Severity.ERROR,
                "ar-ogiltigt",
                f"{self.header(key)} ({format_number(value, 0)}) är inte ett årtal. Skriv t.ex. 2022.",
                self.sheet,
                self.cell(key),
            )
            return None
        return int(value)


def canonical_choice(text: str, choices: tuple[str, ...]) -> str | None:
    """The list value `text` means when only case and spacing differ, else None."""
    wanted = " ".join(text.replace("\u00a0", " ").split()).casefold()
    for choice in choices:
        if choice.casefold() == wanted:
            return choice
    return None


# One copy of each short text the reader has seen in this process: statuses, assessments, goal
# and assignment texts repeat in every template, so the model of thousands of templates (and the
# pickles worker processes send back, which keep one object once) holds each such text once.
_SHARED_TEXTS: dict[str, str] = {}
_SHARED_MAX = 100_000  # entries; past this the table starts over (a long-lived process stays bounded)
_SHARED_LONGEST = 256  # longer texts (comments, analyses) are rarely repeated: not kept here


def _shared(text: str) -> str:
    if len(text) > _SHARED_LONGEST:
        return text
    shared = _SHARED_TEXTS.get(text)
    if shared is not None:
        return shared
    if len(_SHARED_TEXTS) >= _SHARED_MAX:
        _SHARED_TEXTS.clear()
    _SHARED_TEXTS[text] = text
    return text


def decimals(value: float | None) -> int:
    if value is None or float(value).is_integer():
        return 0
    return min(6, len(repr(value).split(".")[-1]))


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listed(items: list[str]) -> str:
    return ", ".join(f'"{i}"' for i in items) or "inga"


def damaged() -> str:
    return (
        "Filen är inte en Excel-arbetsbok (.xlsx) eller är skadad och kan inte läsas. "
        "Öppna den i Excel och spara den igen som Excel-arbetsbok (*.xlsx) (i LibreOffice: Arkiv ▸ Spara "
        "som, filtyp Excel 2007–365 (.xlsx))."
    )
