"""Reads the finansförvaltning's template (contract §9) into `Finans`, through the generic workbook reader.

The guard, the zip's names and tables and calamine's values come from xlsx/reader.py's
`WorkbookReader` (as the template's and the plan's readers use it), with this workbook's own fields
and tables. Reading never raises on
bad content: text in an amount is a finding at its cell, and a file that is no finansförvaltning's
template becomes one `Fel`. `is_finans` tells it from other workbooks cheaply (the defined names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from delar_xl.files import read_input, sha256_of
from delar_xl.finans import declaration as F
from delar_xl.finans.model import BalanskravRow, Finans, FinansRow
from delar_xl.findings import Finding, Severity, UnreadableFile, contained
from delar_xl.kinds import FINANSVERSION, MALLVERSION, PLANVERSION, SUMMARY_MARKERS
from delar_xl.numbers import NumberKind, parse_number
from delar_xl.xlsx.reader import Row, WorkbookReader, text_of
from delar_xl.xlsx.schema import Kind

CODE_NOT_FINANS = "inte-finans"
VERSION_NAME = FINANSVERSION  # the defined name that marks the workbook (kinds.py)


@dataclass
class FinansReadResult:
    """What reading one finansförvaltning's template gave: the model (None when unusable) and its findings."""

    file: str
    path: str
    sha256: str
    finans: Finans | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def is_finans_names(names: set[str] | dict[str, Any]) -> bool:
    """True for the defined names of a finansförvaltning's template (its `Finansversion`)."""
    return FINANSVERSION in names


class _FinansReader(WorkbookReader):
    """Reads one finansförvaltning's template. Collects findings instead of raising."""

    def read_finans(self) -> Finans | None:
        self.finans_cells: dict[str, tuple[str, str]] = {}
        self.open_package()
        self._refuse_others()
        self._check_finans_sheets()
        values = {f.name: self._finans_field(f) for f in F.FIELDS}
        version = text_of(values["Finansversion"])
        if version not in F.KNOWN_FINANS_VERSIONS:
            sheet, cell = self.finans_cells.get("Finansversion", (F.INFO_SHEET, F.field_cell("Finansversion")))
            self.add(
                Severity.ERROR,
                "finansversion-okand",
                f'Finansversion "{version or "tom"}" känns inte igen (kända: '
                f"{', '.join(sorted(F.KNOWN_FINANS_VERSIONS))}). Skriv ett nytt underlag med delar-xl mall "
                "--finans och för över uppgifterna.",
                sheet,
                cell,
            )
            return None
        result = Finans(
            periodslut=values["Periodslut"],
            kommun=text_of(values["Kommun"]),
            resultatmal_procent=values["ResultatmalProcent"],
            kontaktperson=text_of(values["Kontaktperson"]),
            finansversion=version,
            file=self.file,
        )
        result.field_cells = dict(self.finans_cells)
        self._read_finans_tables(result)
        result.unreadable = self.unreadable
        return result

    def _refuse_others(self) -> None:
        if is_finans_names(self.names):
            return
        if MALLVERSION in self.names:
            what = "en förvaltnings mall för delårsrapport"
        elif PLANVERSION in self.names:
            what = "en plan"
        elif SUMMARY_MARKERS & set(self.names):
            what = "en sammanställning"
        else:
            what = "en Excel-arbetsbok men inget underlag från finansförvaltningen (namnet Finansversion saknas)"
        raise UnreadableFile(
            f"Filen är {what}, inte finansförvaltningens underlag. Skriv underlaget med delar-xl "
            "mall --finans --period ÅÅÅÅ-MM-DD --ut FIL och fyll i det.",
            CODE_NOT_FINANS,
        )

    def _check_finans_sheets(self) -> None:
        for name in F.SHEETS[1:]:
            if name not in self.book.sheet_names:
                self.add(
                    Severity.ERROR,
                    "blad-saknas",
                    f'Bladet "{name}" saknas eller har fått ett annat namn. Byt tillbaka namnet, eller skriv '
                    "ett nytt underlag med delar-xl mall --finans och för över uppgifterna.",
                    name,
                )

    def _finans_field(self, f: F.Field) -> Any:
        advice = (
            "Skriv ett nytt underlag med delar-xl mall --finans, eller återställ namnet under Formler ▸ Namnhanteraren."
        )
        found = self.field_value(f, (F.INFO_SHEET, F.field_cell(f.name)), self.finans_cells, advice)
        if found is None:
            return None
        value, sheet, cell = found
        if f.kind is Kind.DATE:
            return self.date_value(value, f.label, sheet, cell)
        if f.kind is Kind.NUMBER:
            return self._percent(value, f, sheet, cell)
        return value

    def _percent(self, value: Any, f: F.Field, sheet: str, cell: str) -> float | None:
        if value in ("", None):
            return None
        parsed = parse_number(value)
        if parsed.kind in (NumberKind.NUMBER, NumberKind.TEXT) and parsed.value is not None:
            return float(parsed.value)
        self.add(
            Severity.ERROR,
            "tal-ogiltigt",
            f'{f.label} "{text_of(value)}" är inte ett tal. Skriv målet i procent som ett tal, t.ex. 2.',
            sheet,
            cell,
        )
        return None

    def _read_finans_tables(self, result: Finans) -> None:
        for table in F.TABLES:
            if table.name not in self.tables:
                found = ", ".join(sorted(self.tables)) or "inga"
                self.add(
                    Severity.ERROR,
                    "tabell-saknas",
                    f"Tabellen {table.name} saknas (tabeller i filen: {found}). Byt inte namn på tabellerna; "
                    "skriv ett nytt underlag med delar-xl mall --finans vid behov.",
                    table.sheet,
                )
                continue
            rows = self.read_table(table, result)
            if table is F.FINANS:
                result.finans = [self._finans_row(r) for r in rows]
            else:
                result.balanskrav = [
                    BalanskravRow(
                        r.text("post_id"), r.text("post"), r.number("forecast"), r.text("comment"), r.number_in_sheet
                    )
                    for r in rows
                ]

    def _finans_row(self, row: Row) -> FinansRow:
        return FinansRow(
            row.text("post_id"),
            row.text("post"),
            row.number("budget"),
            row.number("actual"),
            row.number("forecast"),
            row.text("comment"),
            row.number_in_sheet,
            row.cached("deviation"),
        )


def read_finans_bytes(data: bytes, file: str, path: str = "") -> FinansReadResult:
    """Read a finansförvaltning's template from its bytes (findings of reading only; `check_finans` adds the rules)."""
    digest = sha256_of(data)
    reader = _FinansReader(data, file)
    finans, findings = contained(file, "read_finans", reader.read_finans, reader.findings)
    if finans is not None:
        finans.path, finans.sha256 = path, digest
    return FinansReadResult(file, path, digest, finans, findings)


def read_finans(path: Path | str, file: str | None = None) -> FinansReadResult:
    """Read the file (opened read-only, closed at once, never modified)."""
    return read_input(
        path, file, read_finans_bytes, lambda name, where, found: FinansReadResult(name, where, "", None, [found])
    )


def check_finans(path: Path | str, file: str | None = None, settings: Any = None) -> FinansReadResult:
    """Read the finansförvaltning's template and apply its rules: every finding, each at its cell."""
    from delar_xl.finans.rules import validate_finans
    from delar_xl.xlsx.guard import ensure_safe_xml

    ensure_safe_xml()
    result = read_finans(path, file)
    if result.finans is not None:
        result.findings.extend(validate_finans(result.finans, settings))
    return result


__all__ = ["FinansReadResult", "check_finans", "is_finans_names", "read_finans", "read_finans_bytes"]
