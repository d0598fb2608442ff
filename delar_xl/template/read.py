"""Reads a filled template into the model, fast and without ever modifying the file.

The reading itself is xlsx/reader.py's (the guarded package, sheets, tables, typed cells); this module
adds what a template is: its sheets, fields and tables (template/declaration.py) and the model they
fill. Reading never raises on bad content: every problem becomes a positioned finding. Only a file
that cannot be read at all becomes one `Fel` for the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from delar_xl.files import read_input, sha256_of
from delar_xl.findings import Finding, Severity, SkippedFile, UnreadableFile, contained
from delar_xl.kinds import is_finans, is_plan, is_summary
from delar_xl.numbers import MINUS
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
from delar_xl.xlsx.cells import a1_to_index
from delar_xl.xlsx.reader import Row, WorkbookReader, canonical_choice, listed, text_of

CODE_PLAN_NOT_TEMPLATE = "plan-inte-mall"  # namnd/consolidate.check() then checks the file as a plan
CODE_VERSION_1 = "mallversion-1"  # a version 1 template: read without the parts of version 2 (one Info)


# How a controller puts a lost defined name back (Excel's and LibreOffice's menus).
NAME_ADVICE = (
    "Hämta en ny mall eller återställ namnet under Formler ▸ Namnhanteraren "
    "(i LibreOffice: Blad ▸ Namngivna områden ▸ Hantera; Ctrl+F3 i båda)."
)


@dataclass
class ReadResult:
    """What reading one file gave: the model (None when unusable) and the findings so far."""

    file: str
    path: str
    sha256: str
    template: Template | None
    findings: list[Finding] = field(default_factory=list)


class TemplateReader(WorkbookReader):
    """Reads one template: the generic reader with the template's sheets, fields and tables (contract §1)."""

    def read(self) -> Template | None:
        self.open_package()
        self._refuse_other_workbooks()
        self.version = self.template_version = self._template_version()
        self._check_sheets()
        meta = self._read_metadata()
        if meta is None:
            return None
        result = Template(meta=meta, file=self.file)
        result.field_cells = self.field_cells
        self._read_tables(result)
        result.unreadable = self.unreadable
        return result

    def _refuse_other_workbooks(self) -> None:
        book = self.book
        if is_plan(self.names):
            raise UnreadableFile(
                "Filen är en plan från delar_xl, inte en mall. Kontrollera den med "
                "delar-xl kontrollera PLAN; förifyllda mallar skrivs med delar-xl utskick.",
                CODE_PLAN_NOT_TEMPLATE,
            )
        if is_finans(self.names):
            # The finansförvaltning's template (contract §9) belongs beside the nämnder's summaries.
            raise SkippedFile(
                "Filen är finansförvaltningens underlag, inte en förvaltnings mall; den hoppas över. "
                "Lägg den bland nämndernas sammanställningar och kör konsolidera på den mappen.",
                "finans-hoppas-over",
            )
        if is_summary(self.names):
            # The add-in saves summaries next to the templates; they are outputs, not inputs.
            raise SkippedFile(
                "Filen är en sammanställning från delar_xl, inte en mall; den hoppas över. Lägg "
                "nämndernas sammanställningar i en egen mapp och kör konsolidera på den.",
                "sammanstallning-hoppas-over",
            )
        if not set(self.names) & {f.name for f in T.FIELDS} and not set(book.sheet_names) & set(T.SHEETS[1:]):
            # Any other workbook: one clear sentence instead of a finding for every missing part.
            raise UnreadableFile(
                "Filen är en Excel-arbetsbok men ingen mall för delårsrapport (den saknar bladen "
                "Uppgifter, Ekonomi, Nämndmål, Uppdrag och Indikatorer). Använd mallen från "
                "Ekonomistaben och för över uppgifterna.",
                "inte-en-mall",
            )

    def _check_sheets(self) -> None:
        visible = {m.name: str(m.visible).rsplit(".", 1)[-1] for m in self.book.sheets_metadata}
        present = [n for n in self.book.sheet_names if n not in T.IGNORED_SHEETS]
        for name in T.sheets_in(self.template_version)[1:]:
            if name not in visible:
                self.add(
                    Severity.ERROR,
                    "blad-saknas",
                    f'Bladet "{name}" saknas eller har fått ett annat namn. Bladen i filen: {listed(present)}. '
                    "Har bladet döpts om, byt tillbaka namnet; annars hämta en ny mall och för över uppgifterna.",
                    name,
                )
            elif visible[name] != "Visible":
                self.add(
                    Severity.WARNING,
                    "blad-dolt",
                    f'Bladet "{name}" är dolt. Det läses ändå; visa det (högerklicka på en flik ▸ Ta fram, '
                    "i LibreOffice ▸ Visa blad) så att granskaren ser samma sak.",
                    name,
                )

    def _template_version(self) -> int:
        """The version the file says it is, so that only that version's parts are expected.

        Read from the Mallversion cell's value without findings (the field is read, and reported
        on, with the others). Without a readable version the parts present decide: a file with any
        version 2 name or table is read as version 2, so nothing it holds is skipped."""
        target = self.names.get("Mallversion")
        text = ""
        if target is not None and target.cell:
            sheet = self.sheet(target.sheet)
            text = text_of(sheet.get(*a1_to_index(target.cell))) if sheet is not None else ""
        if text in T.KNOWN_VERSIONS:
            return T.version_number(text)
        newer = {f.name for f in T.FIELDS if f.since > 1} & set(self.names)
        newer |= {t.name for t in T.TABLES if t.since > 1} & set(self.tables)
        return int(T.TEMPLATE_VERSION) if newer else 1

    def _read_metadata(self) -> Metadata | None:
        self.field_cells: dict[str, tuple[str, str]] = {}
        values: dict[str, Any] = {f.name: None for f in T.FIELDS}
        for f in T.fields_in(self.template_version):
            values[f.name] = self._read_field(f)
        version = values.get("Mallversion")
        version_text = text_of(version)
        sheet, cell = self.field_cells.get("Mallversion", (T.INFO_SHEET, T.field_cell("Mallversion")))
        if "Mallversion" in self.names and version_text not in T.KNOWN_VERSIONS:
            self.add(
                Severity.ERROR,
                "mallversion-okand",
                f'Mallversion "{version_text or "tom"}" känns inte igen (kända: '
                f"{listed(sorted(T.KNOWN_VERSIONS))}). Hämta en ny mall och för över uppgifterna.",
                sheet,
                cell,
            )
            return None
        if self.template_version == 1 and version_text == "1":
            self.add(
                Severity.INFO,
                CODE_VERSION_1,
                "Mallen är version 1. Den läses som vanligt men saknar det som version 2 har: flikarna "
                "Investeringar och Personal, kolumnen Åtgärder, väsentliga händelser, förväntad utveckling och "
                "förvaltningschefens godkännande. Använd den nya mallen nästa period.",
                sheet,
                cell,
            )
        return Metadata(
            forvaltning=text_of(values["Forvaltning"]),
            namnd=text_of(values["Namnd"]),
            rapport=self._report_type(text_of(values["Rapport"])) or "Delårsrapport",
            periodslut=values["Periodslut"] if isinstance(values["Periodslut"], date) else None,
            kontaktperson=text_of(values["Kontaktperson"]),
            mbl_datum=values["MBLDatum"] if isinstance(values["MBLDatum"], date) else None,
            sammanfattning=text_of(values["Sammanfattning"]),
            mallversion=version_text,
            vasentliga_handelser=text_of(values["VasentligaHandelser"]),
            framtid=text_of(values["Framtid"]),
            forvaltningschef=text_of(values["Forvaltningschef"]),
            godkand=values["Godkand"] if isinstance(values["Godkand"], date) else None,
        )

    def _report_type(self, text: str) -> str:
        canonical = canonical_choice(text, T.REPORT_TYPES) if text and text not in T.REPORT_TYPES else None
        if canonical is None:
            return text
        sheet, cell = self.field_cells.get("Rapport", (T.INFO_SHEET, T.field_cell("Rapport")))
        self.add(
            Severity.INFO,
            "val-tolkat",
            f'Rapport "{text}" är skrivet med andra versaler eller mellanslag '
            f'än i listan; tolkat som "{canonical}". Välj gärna värdet i listan.',
            sheet,
            cell,
        )
        return canonical

    def _read_field(self, f: T.Field) -> Any:
        found = self.field_value(f, (T.INFO_SHEET, T.field_cell(f.name)), self.field_cells, NAME_ADVICE)
        if found is None:
            return None
        value, sheet, cell = found
        if f.kind is T.Kind.DATE:
            return self.date_value(value, f.label, sheet, cell)
        return value

    def _read_tables(self, result: Template) -> None:
        names = set(self.tables)
        sheets = set(self.book.sheet_names)
        for table in T.tables_in(self.template_version):
            if table.name not in names and table.sheet not in sheets:
                continue  # the missing sheet is already reported
            if table.name not in names:
                found = ", ".join(sorted(names)) or "inga"
                self.add(
                    Severity.ERROR,
                    "tabell-saknas",
                    f"Tabellen {table.name} saknas (tabeller i filen: {found}). "
                    "Byt inte namn på tabellerna; hämta en ny mall vid behov.",
                    table.sheet,
                )
                continue
            rows = self.read_table(table, result)
            if table is T.ECONOMY:
                result.economy = [self._economy_row(result, r) for r in rows]
            elif table is T.GOALS:
                result.goals = [self._goal_row(r) for r in rows]
            elif table is T.ASSIGNMENTS:
                result.assignments = [self._assignment_row(result, r) for r in rows]
            elif table is T.INDICATORS:
                result.indicators = [self._indicator_row(result, r) for r in rows]
            elif table is T.INVESTMENTS:
                result.investments = [self._investment_row(r) for r in rows]
            else:
                result.personnel = [self._personnel_row(r) for r in rows]

    def _economy_row(self, result: Template, row: Row) -> EconomyRow:
        return EconomyRow(
            key=row.text("key"),
            activity=row.text("activity"),
            budget=row.number("budget"),
            actual=row.number("actual"),
            forecast=row.number("forecast"),
            previous_forecast=row.number("previous_forecast"),
            comment=row.text("comment"),
            row=row.number_in_sheet,
            cached_deviation=row.cached("deviation"),
            measures=row.text("measures") if "measures" in row.values else "",  # version 1 has no Åtgärder
        )

    def _goal_row(self, row: Row) -> GoalRow:
        return GoalRow(
            row.text("goal_id"), row.text("goal"), row.choice("assessment"), row.text("analysis"), row.number_in_sheet
        )

    def _assignment_row(self, result: Template, row: Row) -> AssignmentRow:
        return AssignmentRow(
            row.text("assignment_id"),
            row.text("assignment"),
            row.choice("status"),
            row.year("new_year"),
            row.text("comment"),
            row.number_in_sheet,
        )

    def _indicator_row(self, result: Template, row: Row) -> IndicatorRow:
        return IndicatorRow(
            row.text("indicator_id"),
            row.text("indicator"),
            row.text("unit"),
            row.number("women"),
            row.number("men"),
            row.number("total"),
            row.number("target"),
            row.text("reason"),
            row.number_in_sheet,
        )

    def _investment_row(self, row: Row) -> InvestmentRow:
        return InvestmentRow(
            project_id=row.text("project_id"),
            project=row.text("project"),
            budget=row.number("budget"),
            actual=row.number("actual"),
            forecast=row.number("forecast"),
            comment=row.text("comment"),
            row=row.number_in_sheet,
            cached_deviation=row.cached("deviation"),
        )

    def _personnel_row(self, row: Row) -> PersonnelRow:
        return PersonnelRow(
            row.text("key_figure_id"),
            row.text("key_figure"),
            row.text("unit"),
            row.number("women"),
            row.number("men"),
            row.number("total"),
            row.number("previous_year"),
            row.text("comment"),
            row.number_in_sheet,
        )


def read_template_bytes(data: bytes, file: str, path: str = "") -> ReadResult:
    """Read a template from its bytes. `file` is the name findings use."""
    digest = sha256_of(data)
    reader = TemplateReader(data, file)
    template, findings = contained(file, "read_template", reader.read, reader.findings)
    if template is not None:
        template.path = path
        template.sha256 = digest
    return ReadResult(file, path, digest, template, findings)


def read_template(path: Path | str, file: str | None = None) -> ReadResult:
    """Read a template file (opened read-only, closed at once, never modified)."""
    return read_input(
        path, file, read_template_bytes, lambda name, where, found: ReadResult(name, where, "", None, [found])
    )


__all__ = ["ReadResult", "read_template", "read_template_bytes", "MINUS"]
