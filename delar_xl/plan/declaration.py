"""THE declaration of the plan: what a nämnd decided for a budget year (contract §4).

Ekonomistaben keeps one plan per nämnd and year. The plan's generator, reader and rules, and
`utskick` (pre-filled templates), are all derived from what is declared here, the way
template/declaration.py drives the template. Contract §4 fixes the defined names, table names and header
texts. Add, never rename.

The same `Field`, `Column` and `Table` shapes as the template are used, so the shared helpers
(column letters, widths, help prompts) serve both workbooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from delar_xl.template.declaration import DEFAULT_PERSONNEL, UNITS, Column, Field, Kind, Table

PLAN_VERSION = "2"
KNOWN_PLAN_VERSIONS = frozenset({"1", "2"})
# A version 1 plan has none of the parts declared `since=2` (contract §7) and is read without them.

# The `;` list convention of the Förvaltningar columns: empty means every förvaltning.
LIST_SEPARATOR = ";"

PLAN_INFO_SHEET = "Uppgifter"
PLAN_INSTRUCTIONS_SHEET = "Instruktioner"
PLAN_INFO_FIRST_ROW = 4  # first field in row 4, labels in A, values in B (as in the template)

PLAN_FIELDS: tuple[Field, ...] = (
    Field("Namnd", "Nämnd", Kind.TEXT, "Nämndens namn, t.ex. Kommunstyrelsen.", required=True),
    Field("Ar", "Budgetår", Kind.YEAR, "Budgetåret som ett heltal, t.ex. 2021.", required=True),
    Field("Planversion", "Planversion", Kind.TEXT, "Skrivs av delar_xl. Ändra inte."),
    # Version 2 (contract §7), after Planversion so that every version 1 field keeps its cell.
    Field("Kommun", "Kommun", Kind.TEXT, "Kommunens namn, t.ex. Linköpings kommun.", since=2),
    Field("Handlaggare", "Handläggare", Kind.TEXT, "Namn och titel, t.ex. Anna Andersson, controller.", since=2),
    Field(
        "Undertecknare", "Undertecknare", Kind.TEXT, "Namnen som skriver under, åtskilda med ; (semikolon).", since=2
    ),
)

# One line above each table (it does not wrap): the full `;` rule is in the column's prompt and
# on the Instruktioner sheet.
_LIST_NOTE = "Förvaltningar: åtskilda med semikolon (;), tomt = alla."
_LIST_HELP = (
    "Förvaltningar som rapporterar, åtskilda med semikolon (;), t.ex. "
    "Kommunledningsförvaltningen; Leanlink. Tomt = alla förvaltningar i planen."
)

PLAN_UNITS = Table(
    name="PlanForvaltningar",
    sheet="Förvaltningar",
    title="Förvaltningar som rapporterar",
    intro="En rad per förvaltning. Bilaga är bilagans nummer: den ordnar förvaltningarna och namnger deras filer.",
    columns=(
        Column("forvaltning", "Förvaltning", Kind.ID, 34, "Förvaltningens namn, exakt som i mallen, t.ex. Leanlink."),
        Column("bilaga", "Bilaga", Kind.INTEGER, 9, "Bilagans nummer (heltal), t.ex. 6."),
        Column("kontaktperson", "Kontaktperson", Kind.TEXT, 28, "Controllern som fyller i mallen."),
        Column("epost", "E-post", Kind.TEXT, 34, "Kontaktpersonens e-postadress (för påminnelser)."),
    ),
    blank_rows=20,
)

PLAN_GOALS = Table(
    name="PlanMal",
    sheet="Nämndmål",
    title="Nämndmål",
    intro="Nämndens mål för året med stabila id. " + _LIST_NOTE,
    columns=(
        Column("goal_id", "Mål-id", Kind.ID, 11, "Stabil nyckel för nämndmålet, t.ex. KS-M01."),
        Column("goal", "Nämndmål", Kind.LONG_TEXT, 70, "Nämndmålets text som det beslutades."),
        Column("units", "Förvaltningar", Kind.TEXT, 40, _LIST_HELP),
    ),
    blank_rows=60,
)

PLAN_ASSIGNMENTS = Table(
    name="PlanUppdrag",
    sheet="Uppdrag",
    title="Strategiska utvecklingsuppdrag",
    intro="Nämndens uppdrag för året med stabila id. " + _LIST_NOTE,
    columns=(
        Column("assignment_id", "Uppdrag-id", Kind.ID, 13, "Stabil nyckel för uppdraget, t.ex. KS-U01."),
        Column("assignment", "Uppdrag", Kind.LONG_TEXT, 70, "Uppdragets text som det beslutades."),
        Column("units", "Förvaltningar", Kind.TEXT, 40, _LIST_HELP),
    ),
    blank_rows=60,
)

PLAN_ECONOMY = Table(
    name="PlanEkonomi",
    sheet="Ekonomi",
    title="Budget per verksamhet (tkr)",
    intro=(
        "En rad per förvaltning och verksamhet. Belopp i tkr med resultattecken: "
        "en nettokostnad är negativ (t.ex. −415 100)."
    ),
    columns=(
        Column(
            "forvaltning",
            "Förvaltning",
            Kind.CHOICE,
            34,
            "Förvaltningen (ur tabellen på fliken Förvaltningar).",
            strict=False,
        ),
        Column("key", "Radnyckel", Kind.ID, 12, "Stabil nyckel för raden, t.ex. KLF-01. Samma nyckel varje period."),
        Column("activity", "Verksamhet", Kind.TEXT, 36, "Verksamhetens namn."),
        Column("budget", "Budget helår", Kind.AMOUNT, 15, "Budget för helåret i tkr med resultattecken."),
    ),
    blank_rows=100,
)

PLAN_INDICATORS = Table(
    name="PlanIndikatorer",
    sheet="Indikatorer",
    title="Nämndindikatorer",
    intro="Indikatorer som ska redovisas, könsuppdelade där det går. " + _LIST_NOTE,
    columns=(
        Column("indicator_id", "Indikator-id", Kind.ID, 12, "Stabil nyckel, gärna Kolada-id, t.ex. N00090."),
        Column("indicator", "Nämndindikator", Kind.LONG_TEXT, 50, "Indikatorns namn."),
        Column(
            "unit",
            "Enhet",
            Kind.CHOICE,
            9,
            "antal, %, dagar, kr, index … (annan text går också).",
            choices=UNITS,
            strict=False,
        ),
        Column("target", "Målvärde", Kind.NUMBER, 10, "Målvärde (frivilligt)."),
        Column("units", "Förvaltningar", Kind.TEXT, 36, _LIST_HELP),
    ),
    blank_rows=40,
)

PLAN_RECIPIENTS = Table(
    name="PlanMottagare",
    sheet="Mottagare",
    title="Beslutet skickas till",
    intro="En rad per mottagare, t.ex. Ekonomichef, Åsa Haraldsson.",
    columns=(Column("recipient", "Mottagare", Kind.TEXT, 60, "Mottagare av beslutet (titel, namn eller funktion)."),),
    blank_rows=20,
    landscape=False,
)

PLAN_INVESTMENTS = Table(
    name="PlanInvesteringar",
    sheet="Investeringar",
    title="Investeringsbudget per projekt (tkr)",
    intro="En rad per förvaltning och projekt, i tkr med resultattecken: en utgift är negativ (t.ex. −12 000).",
    columns=(
        Column(
            "forvaltning",
            "Förvaltning",
            Kind.CHOICE,
            34,
            "Förvaltningen (ur tabellen på fliken Förvaltningar).",
            strict=False,
        ),
        Column("project_id", "Projekt-id", Kind.ID, 12, "Stabil nyckel för projektet, t.ex. KLF-I01."),
        Column("project", "Projekt", Kind.TEXT, 36, "Projektets namn."),
        Column("budget", "Budget helår", Kind.AMOUNT, 15, "Investeringsbudget för helåret i tkr med resultattecken."),
    ),
    blank_rows=30,
    since=2,
)

PLAN_PERSONNEL = Table(
    name="PlanPersonal",
    sheet="Personal",
    title="Personal – nyckeltal",
    intro="Tom tabell = standard (P01–P03). " + _LIST_NOTE,
    columns=(
        Column("key_figure_id", "Nyckeltal-id", Kind.ID, 12, "Stabil nyckel för nyckeltalet, t.ex. P01."),
        Column("key_figure", "Nyckeltal", Kind.LONG_TEXT, 50, "Nyckeltalets namn."),
        Column(
            "unit", "Enhet", Kind.CHOICE, 9, "antal, %, dagar … (annan text går också).", choices=UNITS, strict=False
        ),
        Column("units", "Förvaltningar", Kind.TEXT, 36, _LIST_HELP),
    ),
    blank_rows=20,
    since=2,
)

PLAN_ATTACHMENTS = Table(
    name="PlanBilagor",
    sheet="Bilagor",
    title="Övriga bilagor",
    intro="Bilagor till tjänsteskrivelsen som inte är en förvaltnings mall, t.ex. en uppföljning av en plan.",
    columns=(
        Column("bilaga", "Bilaga", Kind.INTEGER, 9, "Bilagans nummer (heltal), t.ex. 2."),
        Column(
            "title",
            "Titel",
            Kind.TEXT,
            80,
            "Bilagans titel, t.ex. Uppföljning av Kommunstyrelsens lokalförsörjningsplan 2021.",
        ),
    ),
    blank_rows=20,
    landscape=False,
    since=2,
)

PLAN_TABLES: tuple[Table, ...] = (
    PLAN_UNITS,
    PLAN_GOALS,
    PLAN_ASSIGNMENTS,
    PLAN_ECONOMY,
    PLAN_INDICATORS,
    PLAN_RECIPIENTS,
    PLAN_INVESTMENTS,
    PLAN_PERSONNEL,
    PLAN_ATTACHMENTS,
)
PLAN_SHEETS: tuple[str, ...] = (PLAN_INSTRUCTIONS_SHEET, PLAN_INFO_SHEET) + tuple(t.sheet for t in PLAN_TABLES)


def plan_version_number(planversion: str) -> int:
    """The plan version as a number: 1 for "1" (and for anything unknown)."""
    return int(planversion) if planversion in KNOWN_PLAN_VERSIONS else 1


def plan_fields_in(version: int) -> tuple[Field, ...]:
    return tuple(f for f in PLAN_FIELDS if f.since <= version)


def plan_tables_in(version: int) -> tuple[Table, ...]:
    return tuple(t for t in PLAN_TABLES if t.since <= version)


def plan_table_by_name(name: str) -> Table:
    for table in PLAN_TABLES:
        if table.name == name:
            return table
    raise KeyError(name)


def plan_field_cell(name: str) -> str:
    """A1 address of a plan field's value cell on "Uppgifter"."""
    index = [f.name for f in PLAN_FIELDS].index(name)
    return f"B{PLAN_INFO_FIRST_ROW + index}"


def split_units(text: str) -> tuple[str, ...]:
    """ "A; B ;;C" → ("A", "B", "C"): the `;` list of a Förvaltningar cell, blanks dropped."""
    return tuple(part.strip() for part in text.split(LIST_SEPARATOR) if part.strip())


# The plan's content ---------------------------------------------------------------------------
# Dataclasses like model.py's for the template: the reader returns them (with row numbers for
# findings), the generator and `utskick` write from them, the demo builds one in memory.


@dataclass(frozen=True)
class PlanUnit:
    """A förvaltning that reports to the nämnd."""

    forvaltning: str
    bilaga: int | None
    kontaktperson: str = ""
    epost: str = ""
    row: int = 0


@dataclass(frozen=True)
class PlanGoal:
    goal_id: str
    goal: str
    units: tuple[str, ...] = ()  # empty: every förvaltning
    row: int = 0


@dataclass(frozen=True)
class PlanAssignment:
    assignment_id: str
    assignment: str
    units: tuple[str, ...] = ()
    row: int = 0


@dataclass(frozen=True)
class PlanEconomyRow:
    forvaltning: str
    key: str
    activity: str
    budget: float | None
    row: int = 0


@dataclass(frozen=True)
class PlanIndicator:
    indicator_id: str
    indicator: str
    unit: str = ""
    target: float | None = None
    units: tuple[str, ...] = ()
    row: int = 0


@dataclass(frozen=True)
class PlanInvestment:
    """An investment project of a förvaltning, with its budget (version 2)."""

    forvaltning: str
    project_id: str
    project: str
    budget: float | None
    row: int = 0


@dataclass(frozen=True)
class PlanPersonnelFigure:
    """A personal nyckeltal the förvaltningar report (version 2)."""

    key_figure_id: str
    key_figure: str
    unit: str = ""
    units: tuple[str, ...] = ()  # empty: every förvaltning
    row: int = 0


@dataclass(frozen=True)
class PlanAttachment:
    """An attachment of the tjänsteskrivelse that is not a förvaltning's template (version 2)."""

    bilaga: int | None
    title: str
    row: int = 0


# The default personal nyckeltal (contract §7) as plan rows: what a plan without PlanPersonal means.
DEFAULT_PLAN_PERSONNEL: tuple[PlanPersonnelFigure, ...] = tuple(
    PlanPersonnelFigure(key, name, unit) for key, name, unit in DEFAULT_PERSONNEL
)


@dataclass
class Plan:
    """One nämnd's plan for one budget year."""

    namnd: str
    year: int | None
    units: list[PlanUnit] = field(default_factory=list)
    goals: list[PlanGoal] = field(default_factory=list)
    assignments: list[PlanAssignment] = field(default_factory=list)
    economy: list[PlanEconomyRow] = field(default_factory=list)
    indicators: list[PlanIndicator] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    # Version 2 (contract §7).
    investments: list[PlanInvestment] = field(default_factory=list)
    personnel: list[PlanPersonnelFigure] = field(default_factory=list)  # empty: DEFAULT_PLAN_PERSONNEL
    attachments: list[PlanAttachment] = field(default_factory=list)
    kommun: str = ""
    handlaggare: str = ""
    undertecknare: tuple[str, ...] = ()  # the names that sign the tjänsteskrivelse, in order
    planversion: str = PLAN_VERSION
    # Where it came from (empty for a plan built in memory).
    file: str = ""
    path: str = ""
    sha256: str = ""
    # Where things were found, so findings can name the cell (as Template has them):
    # field name → (sheet, A1 cell); table name → column key → 0-based column index.
    field_cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    columns: dict[str, dict[str, int]] = field(default_factory=dict)
    # "Sheet!A1" of cells the reader already reported, so the rules do not report them twice.
    unreadable: set[str] = field(default_factory=set)

    def cell(self, table: str, key: str, row: int) -> str:
        """A1 address of column `key` of plan table `table` in sheet row `row` (1-based)."""
        from delar_xl.xlsx.cells import table_cell

        return table_cell(self.columns, table, key, row, plan_table_by_name(table).index(key))

    def field_cell(self, name: str) -> tuple[str, str]:
        return self.field_cells.get(name, (PLAN_INFO_SHEET, plan_field_cell(name)))

    def unit(self, forvaltning: str) -> PlanUnit | None:
        for unit in self.units:
            if unit.forvaltning == forvaltning:
                return unit
        return None

    def unit_names(self) -> list[str]:
        """Förvaltningar in Bilaga order (those without a number last, in plan order)."""
        ordered = sorted(self.units, key=lambda u: (u.bilaga is None, u.bilaga or 0))
        return [u.forvaltning for u in ordered]

    def _reports(self, units: tuple[str, ...], forvaltning: str) -> bool:
        return not units or forvaltning in units

    def goals_for(self, forvaltning: str) -> list[PlanGoal]:
        return [g for g in self.goals if self._reports(g.units, forvaltning)]

    def assignments_for(self, forvaltning: str) -> list[PlanAssignment]:
        return [a for a in self.assignments if self._reports(a.units, forvaltning)]

    def indicators_for(self, forvaltning: str) -> list[PlanIndicator]:
        return [i for i in self.indicators if self._reports(i.units, forvaltning)]

    def economy_for(self, forvaltning: str) -> list[PlanEconomyRow]:
        return [r for r in self.economy if r.forvaltning == forvaltning]

    def investments_for(self, forvaltning: str) -> list[PlanInvestment]:
        return [r for r in self.investments if r.forvaltning == forvaltning]

    def personnel_for(self, forvaltning: str) -> list[PlanPersonnelFigure]:
        """The personal nyckeltal `forvaltning` reports: the plan's, or the default set when it names none."""
        figures = self.personnel or list(DEFAULT_PLAN_PERSONNEL)
        return [p for p in figures if self._reports(p.units, forvaltning)]


# The Instruktioner sheet of a plan (Swedish: Ekonomistaben reads it).
PLAN_INSTRUCTIONS: tuple[str, ...] = (
    "Så fyller du i planen",
    "",
    "Planen är nämndens beslut för budgetåret: vilka förvaltningar som rapporterar, nämndmålen, uppdragen, "
    "budgeten per verksamhet och indikatorerna. Ekonomistaben äger planen; bladen är inte skyddade. "
    "Med delar-xl utskick blir planen en förifylld mall per förvaltning.",
    "",
    "1. Fliken Uppgifter: nämndens namn och budgetåret (ett heltal, t.ex. 2021), kommunen, handläggaren och "
    "undertecknarna (åtskilda med semikolon).",
    "2. Fliken Förvaltningar (tabellen PlanForvaltningar): en rad per förvaltning som rapporterar, med bilagans "
    "nummer (heltal), kontaktperson och e-post. Bilaga ordnar förvaltningarna och namnger deras filer, "
    "t.ex. Bilaga 6 – Delårsrapport Leanlink 2021-08-31.xlsx.",
    "3. Fliken Nämndmål (PlanMal) och fliken Uppdrag (PlanUppdrag): ett stabilt id och texten som den "
    "beslutades, t.ex. KS-M01 och KS-U01.",
    "4. Fliken Ekonomi (PlanEkonomi): en rad per förvaltning och verksamhet med Radnyckel och Budget helår. "
    "Välj förvaltningen i listan; den måste finnas på fliken Förvaltningar.",
    "   Alla belopp i tkr (tusental kronor) med resultattecken: intäkter positiva, kostnader negativa. En "
    "nettokostnad har alltså negativ budget, t.ex. −415 100 (en nettokostnad på 415,1 mnkr).",
    "5. Fliken Indikatorer (PlanIndikatorer): id, namn, enhet och eventuellt målvärde.",
    '6. Fliken Mottagare (PlanMottagare): raderna under "Beslutet skickas till" i tjänsteskrivelsen, '
    "t.ex. Ekonomichef, Åsa Haraldsson.",
    "7. Fliken Investeringar (PlanInvesteringar): projekt-id och budget helår per förvaltning och projekt; de "
    "förifylls och låses i mallen.",
    "8. Fliken Personal (PlanPersonal): könsuppdelade nyckeltal; tom = P01–P03.",
    "9. Fliken Bilagor (PlanBilagor): övriga bilagor, med nummer och titel.",
    "",
    "Listor med förvaltningar",
    "• Kolumnen Förvaltningar (Nämndmål, Uppdrag, Indikatorer, Personal) anger vilka som rapporterar, åtskilda med "
    "semikolon (;), t.ex. Kommunledningsförvaltningen; Leanlink. Tom cell = alla förvaltningar i planen. Namnen ska "
    "stå exakt som på fliken Förvaltningar.",
    "",
    "Regler",
    "• Id:n (Mål-id, Uppdrag-id, Indikator-id, Radnyckel, Projekt-id, Nyckeltal-id) ska vara unika och samma varje "
    "period: "
    "sammanställningen matchar på dem.",
    "• Klistra gärna in från ekonomisystemet direkt i tabellerna. Skriv inte under en tabell: dra ut den.",
    "• Byt inte namn på flikar, tabeller eller rubriker. Kontrollera planen (delar-xl kontrollera PLAN eller "
    "knappen Konsolidera) innan mallarna skickas ut.",
)
PLAN_INSTRUCTION_HEADINGS = frozenset({"Så fyller du i planen", "Listor med förvaltningar", "Regler"})


_BILAGA_IN_NAME = re.compile(r"\bbilaga\s*(\d+)", re.IGNORECASE)


def bilaga_in_file_name(file: str) -> int | None:
    """6 for "Bilaga 6 – Delårsrapport Leanlink 2021-08-31.xlsx" (utskick's names), else None."""
    match = _BILAGA_IN_NAME.search(file)
    return int(match.group(1)) if match else None


def plan_file_name(namnd: str, year: int) -> str:
    """ "Plan Kommunstyrelsen 2021.xlsx"."""
    return f"Plan {namnd} {year}.xlsx"
