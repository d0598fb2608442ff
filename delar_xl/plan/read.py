"""Reads a plan (contract §4) into `Plan`, through the same guard and zip/calamine machinery as
the template reader: the plan reader is xlsx/reader.py's `WorkbookReader` with the plan's own fields
and tables. Reading never raises on bad content; a file that is no plan becomes one `Fel`.

`is_plan` tells a plan from anything else cheaply (one small zip part), so a folder of templates
can hold the plan and `kontrollera` checks it as a plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from delar_xl.files import read_input, sha256_of
from delar_xl.findings import Finding, Severity, UnreadableFile, check_failed, contained
from delar_xl.kinds import MALLVERSION, PLANVERSION, is_summary
from delar_xl.numbers import NumberKind, format_number, parse_number
from delar_xl.plan import declaration as P
from delar_xl.plan.declaration import (
    Plan,
    PlanAssignment,
    PlanAttachment,
    PlanEconomyRow,
    PlanGoal,
    PlanIndicator,
    PlanInvestment,
    PlanPersonnelFigure,
    PlanUnit,
    split_units,
)
from delar_xl.xlsx.reader import Row, WorkbookReader, text_of

CODE_NOT_A_PLAN = "inte-en-plan"
_WORKBOOK_LIMIT = 4 * 2**20  # a workbook part larger than this is no plan of ours (is_plan stays cheap)
_PLANVERSION = re.compile(rb'<(?:\w+:)?definedName\b[^>]*\bname="' + PLANVERSION.encode() + rb'"')


@dataclass
class PlanReadResult:
    """What reading one plan gave: the plan (None when unusable) and its findings."""

    file: str
    path: str
    sha256: str
    plan: Plan | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def is_plan(source: Path | str | bytes) -> bool:
    """True when `source` (a path or a file's bytes) is a workbook with the defined name
    `Planversion`. Looks only at the workbook part; never raises."""
    try:
        # From a path, zipfile reads only the directory and the one part: no need to load the file.
        from delar_xl.xlsx.guard import open_zip

        with open_zip(source) as zf:
            try:
                info = zf.getinfo("xl/workbook.xml")  # where Excel, LibreOffice and XlsxWriter put it
            except KeyError:
                from delar_xl.xlsx.parts import workbook_part

                info = zf.getinfo(workbook_part(zf))
            if info.file_size > _WORKBOOK_LIMIT or info.compress_size * 200 < info.file_size:
                return False  # too large, or packed like a bomb: let the guard say so
            return bool(_PLANVERSION.search(zf.read(info)))
    except Exception:  # not a zip, no workbook part, unreadable: not a plan
        return False


class _PlanReader(WorkbookReader):
    """Reads one plan. Collects findings instead of raising."""

    def read_plan(self) -> Plan | None:
        self.plan_cells: dict[str, tuple[str, str]] = {}  # field name → (sheet, A1) where it was found
        self.open_package()
        self._refuse_non_plans()
        fields = {f.name: None for f in P.PLAN_FIELDS}
        fields["Planversion"] = self._plan_field(P.PLAN_FIELDS[[f.name for f in P.PLAN_FIELDS].index("Planversion")])
        version = text_of(fields["Planversion"])
        self.plan_version = P.plan_version_number(version)
        for f in P.plan_fields_in(self.plan_version):
            if f.name != "Planversion":
                fields[f.name] = self._plan_field(f)
        if version not in P.KNOWN_PLAN_VERSIONS:
            sheet, cell = self.plan_cells.get("Planversion", (P.PLAN_INFO_SHEET, P.plan_field_cell("Planversion")))
            self.add(
                Severity.ERROR,
                "planversion-okand",
                f'Planversion "{version or "tom"}" känns inte igen (kända: '
                f"{', '.join(sorted(P.KNOWN_PLAN_VERSIONS))}). Skriv en ny plan med delar-xl plan och "
                "för över uppgifterna.",
                sheet,
                cell,
            )
            return None
        plan = Plan(
            namnd=text_of(fields["Namnd"]),
            year=self._year(fields["Ar"]),
            planversion=version,
            file=self.file,
            kommun=text_of(fields["Kommun"]),
            handlaggare=text_of(fields["Handlaggare"]),
            undertecknare=split_units(text_of(fields["Undertecknare"])),
        )
        plan.field_cells = dict(self.plan_cells)
        self._read_plan_tables(plan)
        plan.unreadable = self.unreadable
        return plan

    def _refuse_non_plans(self) -> None:
        if PLANVERSION in self.names:
            return
        if MALLVERSION in self.names:
            what = "en mall för delårsrapport"
        elif is_summary(self.names):
            what = "en sammanställning"
        else:
            what = "en Excel-arbetsbok men ingen plan från delar_xl (namnet Planversion saknas)"
        raise UnreadableFile(
            f"Filen är {what}, inte en plan. Skriv en plan med delar-xl plan --namnd NAMN "
            "--ar ÅÅÅÅ --ut FIL och fyll i den.",
            CODE_NOT_A_PLAN,
        )

    def _plan_field(self, f: P.Field) -> Any:
        advice = "Återställ namnet under Formler ▸ Namnhanteraren, eller skriv en ny plan med delar-xl plan."
        found = self.field_value(f, (P.PLAN_INFO_SHEET, P.plan_field_cell(f.name)), self.plan_cells, advice)
        return None if found is None else found[0]

    def _year(self, value: Any) -> int | None:
        """Ar as a whole number; anything else is a Fel at its cell (the rules check the range)."""
        if value in ("", None):
            return None
        parsed = parse_number(value)
        if (
            parsed.kind in (NumberKind.NUMBER, NumberKind.TEXT)
            and parsed.value is not None
            and float(parsed.value).is_integer()
        ):
            return int(parsed.value)
        sheet, cell = self.plan_cells["Ar"]
        self.add(
            Severity.ERROR,
            "plan-ar-ogiltigt",
            f'Budgetår "{text_of(value)}" är inte ett årtal. Skriv budgetåret som ett heltal, t.ex. 2021.',
            sheet,
            cell,
        )
        return None

    def _read_plan_tables(self, plan: Plan) -> None:
        for table in P.plan_tables_in(self.plan_version):
            if table.name not in self.tables:
                found = ", ".join(sorted(self.tables)) or "inga"
                self.add(
                    Severity.ERROR,
                    "tabell-saknas",
                    f"Tabellen {table.name} saknas (tabeller i filen: {found}). Byt inte namn på tabellerna; "
                    "skriv en ny plan med delar-xl plan vid behov.",
                    table.sheet,
                )
                continue
            rows = self.read_table(table, plan)
            if table is P.PLAN_UNITS:
                plan.units = [self._unit(r) for r in rows]
            elif table is P.PLAN_GOALS:
                plan.goals = [
                    PlanGoal(r.text("goal_id"), r.text("goal"), split_units(r.text("units")), r.number_in_sheet)
                    for r in rows
                ]
            elif table is P.PLAN_ASSIGNMENTS:
                plan.assignments = [
                    PlanAssignment(
                        r.text("assignment_id"), r.text("assignment"), split_units(r.text("units")), r.number_in_sheet
                    )
                    for r in rows
                ]
            elif table is P.PLAN_ECONOMY:
                plan.economy = [
                    PlanEconomyRow(
                        r.text("forvaltning"), r.text("key"), r.text("activity"), r.number("budget"), r.number_in_sheet
                    )
                    for r in rows
                ]
            elif table is P.PLAN_INDICATORS:
                plan.indicators = [
                    PlanIndicator(
                        r.text("indicator_id"),
                        r.text("indicator"),
                        r.text("unit"),
                        r.number("target"),
                        split_units(r.text("units")),
                        r.number_in_sheet,
                    )
                    for r in rows
                ]
            elif table is P.PLAN_RECIPIENTS:
                plan.recipients = [r.text("recipient") for r in rows if r.text("recipient")]
            elif table is P.PLAN_INVESTMENTS:
                plan.investments = [
                    PlanInvestment(
                        r.text("forvaltning"),
                        r.text("project_id"),
                        r.text("project"),
                        r.number("budget"),
                        r.number_in_sheet,
                    )
                    for r in rows
                ]
            elif table is P.PLAN_PERSONNEL:
                plan.personnel = [
                    PlanPersonnelFigure(
                        r.text("key_figure_id"),
                        r.text("key_figure"),
                        r.text("unit"),
                        split_units(r.text("units")),
                        r.number_in_sheet,
                    )
                    for r in rows
                ]
            else:
                plan.attachments = [PlanAttachment(self._bilaga(r), r.text("title"), r.number_in_sheet) for r in rows]

    def _unit(self, row: Row) -> PlanUnit:
        return PlanUnit(
            row.text("forvaltning"),
            self._bilaga(row),
            row.text("kontaktperson"),
            row.text("epost"),
            row.number_in_sheet,
        )

    def _bilaga(self, row: Row) -> int | None:
        value = row.number("bilaga")
        if value is None:
            return None
        if not float(value).is_integer() or value < 1:
            self.add(
                Severity.ERROR,
                "plan-bilaga-ej-heltal",
                f"Bilaga ({format_number(value, 2)}) är inte ett heltal. Skriv bilagans nummer, t.ex. 6.",
                row.sheet,
                row.cell("bilaga"),
            )
            return None
        return int(value)


def read_plan_bytes(data: bytes, file: str, path: str = "") -> PlanReadResult:
    """Read a plan from its bytes (findings of reading only; `check_plan` adds the rules)."""
    digest = sha256_of(data)
    reader = _PlanReader(data, file)
    plan, findings = contained(file, "read_plan", reader.read_plan, reader.findings)
    if plan is not None:
        plan.path, plan.sha256 = path, digest
    return PlanReadResult(file, path, digest, plan, findings)


def read_plan(path: Path | str, file: str | None = None) -> PlanReadResult:
    """Read a plan file (opened read-only, closed at once, never modified)."""
    return read_input(
        path, file, read_plan_bytes, lambda name, where, found: PlanReadResult(name, where, "", None, [found])
    )


def check_plan(path: Path | str, file: str | None = None) -> PlanReadResult:
    """Read a plan and apply the plan rules: every finding, each at its cell."""
    from delar_xl.plan.rules import validate_plan
    from delar_xl.xlsx.guard import ensure_safe_xml

    ensure_safe_xml()
    result = read_plan(path, file)
    if result.plan is not None:
        try:
            result.findings.extend(validate_plan(result.plan))
        except Exception as exc:  # a rule's bug costs the plan, not the run: the templates are still checked
            result.findings.append(check_failed(result.file, exc, "validate_plan"))
    return result


__all__ = ["PlanReadResult", "check_plan", "is_plan", "read_plan", "read_plan_bytes"]
