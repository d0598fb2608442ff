"""THE declaration of the förvaltning template: sheets, fields, tables, columns, lists and help texts.

The writer (template/write.py), the reader (template/read.py) and the rules (template/rules.py) are all
derived from what is declared here, in the terms of xlsx/schema.py (Kind, Field, Column, Table); contract v1 (`../shared/spec/contract.md` §1) fixes the defined
names, table names and header texts. Add, never rename.
"""

from __future__ import annotations

# Re-exported (`X as X`): a template's text keeps Excel's limit, and its tables sit where every declared
# table does; readers of this declaration find them here.
from delar_xl.xlsx.cells import EXCEL_TEXT_MAX as EXCEL_TEXT_MAX
from delar_xl.xlsx.schema import FIRST_COLUMN as FIRST_COLUMN
from delar_xl.xlsx.schema import FIRST_DATA_ROW as FIRST_DATA_ROW
from delar_xl.xlsx.schema import HEADER_ROW as HEADER_ROW
from delar_xl.xlsx.schema import Column, Field, Kind, Table

TEMPLATE_VERSION = "2"
KNOWN_VERSIONS = frozenset({"1", "2"})
# Version 1 templates are still in circulation: they have none of the parts declared `since=2`
# (contract §7), and the reader reads them without those parts.

# Sheets the reader skips: the add-in writes "Kontroll" into a checked template.
IGNORED_SHEETS = frozenset({"Kontroll"})


INFO_SHEET = "Uppgifter"
INSTRUCTIONS_SHEET = "Instruktioner"
INFO_FIRST_ROW = 4  # first field in row 4, labels in A, values in B
# Uppgifter's columns (label, value, help) in character widths: together ~96 units, the width of a
# portrait A4 page unscaled; the label column fits the longest label (bold, so a tenth wider), help
# text wraps, and the value column takes what is left: a blank template's Sammanfattning (18 lines
# at 45 units) holds the reference's ~900-character paragraph in Excel and in LibreOffice.
INFO_WIDTHS = (31.0, 45.0, 20.0)

REPORT_TYPES = ("Delårsrapport", "Verksamhetsberättelse")

ASSESSMENTS = ("Uppnås helt", "Uppnås delvis", "Uppnås inte", "Ej bedömt")
GOAL_FULL, GOAL_PARTIAL, GOAL_NOT, GOAL_NOT_ASSESSED = ASSESSMENTS

STATUSES = ("Verkställt", "Verkställs under året", "Förskjuts", "Avbryts")
DONE, DOING, POSTPONED, CANCELLED = STATUSES

UNITS = ("antal", "%", "dagar", "kr", "index", "timmar", "år")
COUNT_UNIT = "antal"

FIELDS: tuple[Field, ...] = (
    Field("Forvaltning", "Förvaltning", Kind.TEXT, "Förvaltningens namn, t.ex. Leanlink.", required=True),
    Field(
        "Namnd", "Nämnd", Kind.TEXT, "Nämnden som förvaltningen rapporterar till, t.ex. Kommunstyrelsen.", required=True
    ),
    Field("Rapport", "Rapport", Kind.CHOICE, "Delårsrapport eller Verksamhetsberättelse.", choices=REPORT_TYPES),
    Field("Periodslut", "Periodslut", Kind.DATE, "Periodens sista dag som datum, t.ex. 2021-08-31.", required=True),
    Field("Kontaktperson", "Kontaktperson", Kind.TEXT, "Vem som fyllt i mallen (namn, e-post)."),
    Field(
        "MBLDatum",
        "Information enligt MBL § 19",
        Kind.DATE,
        "Datum då information enligt MBL § 19 genomfördes, t.ex. 2021-09-23.",
    ),
    Field(
        "Sammanfattning",
        "Sammanfattning",
        Kind.LONG_TEXT,
        "Förvaltningens sammanfattning av perioden: verksamhet, måluppfyllelse och ekonomi, gärna ett stycke "
        "på 10–15 rader (frivillig). Texten förs över till tjänsteskrivelsen. Belopp du nämner "
        '("ett överskott på 12,8 mnkr") kontrolleras mot tabellen Ekonomi.',
        lines=18,
    ),
    Field("Mallversion", "Mallversion", Kind.TEXT, "Skrivs av delar_xl. Ändra inte."),
    # Version 2 (contract §7), after Mallversion so that every version 1 field keeps its cell.
    Field(
        "VasentligaHandelser",
        "Väsentliga händelser",
        Kind.LONG_TEXT,
        "Händelser under perioden som påverkat verksamhet eller ekonomi (frivillig).",
        lines=6,
        since=2,
    ),
    Field(
        "Framtid",
        "Förväntad utveckling",
        Kind.LONG_TEXT,
        "Förväntad utveckling, risker och möjligheter framåt (frivillig).",
        lines=6,
        since=2,
    ),
    Field("Forvaltningschef", "Förvaltningschef", Kind.TEXT, "Chefen som godkänner rapporten.", since=2),
    Field(
        "Godkand", "Godkänd av förvaltningschef", Kind.DATE, "Datum, t.ex. 2021-09-20. Tomt = inte godkänd.", since=2
    ),
)

_AMOUNT_HELP = "Belopp i tkr med resultattecken: intäkter positiva, kostnader negativa."

ECONOMY = Table(
    name="Ekonomi",
    sheet="Ekonomi",
    title="Ekonomi – driftredovisning (tkr)",
    intro=(
        "Belopp i tkr med resultattecken: en nettokostnad skrivs negativ. "
        "Avvikelse helår = Prognos helår − Budget helår räknas ut; positiv avvikelse = överskott."
    ),
    columns=(
        Column("key", "Radnyckel", Kind.ID, 12, "Stabil nyckel för raden, t.ex. KLF-01. Samma nyckel varje period."),
        Column("activity", "Verksamhet", Kind.TEXT, 34, "Verksamhetens namn."),
        Column(
            "budget", "Budget helår", Kind.AMOUNT, 14, "Budget för helåret (kommunbidrag/nettoram). " + _AMOUNT_HELP
        ),
        Column("actual", "Utfall period", Kind.AMOUNT, 14, "Utfall från årets början till periodslut. " + _AMOUNT_HELP),
        Column("forecast", "Prognos helår", Kind.AMOUNT, 14, "Prognos för helåret. " + _AMOUNT_HELP),
        Column(
            "deviation",
            "Avvikelse helår",
            Kind.FORMULA,
            14,
            "Räknas ut: Prognos helår − Budget helår. Positiv = överskott.",
            # Full table references (not "[@…]"): LibreOffice cannot resolve the short form.
            # Empty until both amounts are there, so blank rows show nothing rather than 0.
            formula=(
                '=IF(COUNT(Ekonomi[[#This Row],[Budget helår]],Ekonomi[[#This Row],[Prognos helår]])<2,"",'
                "Ekonomi[[#This Row],[Prognos helår]]-Ekonomi[[#This Row],[Budget helår]])"
            ),
        ),
        Column(
            "previous_forecast", "Föregående prognos", Kind.AMOUNT, 14, "Prognosen i förra rapporten. " + _AMOUNT_HELP
        ),
        Column(
            "comment",
            "Kommentar",
            Kind.LONG_TEXT,
            50,
            "Orsak, engångs eller bestående, och åtgärd vid underskott. Krävs vid stor avvikelse.",
        ),
        Column(
            "measures",
            "Åtgärder",
            Kind.LONG_TEXT,
            40,
            "Vad förvaltningen gör åt ett underskott. Krävs vid stort underskott.",
            since=2,
        ),
    ),
    blank_rows=40,
)

GOALS = Table(
    name="Namndmal",
    sheet="Nämndmål",
    title="Nämndmål – bedömning för helår",
    intro="Bedöm varje nämndmål för helåret. Ej bedömt kräver en förklaring i Analys.",
    columns=(
        Column("goal_id", "Mål-id", Kind.ID, 10, "Stabil nyckel för nämndmålet, t.ex. KS-M01."),
        Column("goal", "Nämndmål", Kind.LONG_TEXT, 60, "Nämndmålets text."),
        Column(
            "assessment",
            "Bedömning",
            Kind.CHOICE,
            18,
            "Välj i listan: " + ", ".join(ASSESSMENTS) + ".",
            choices=ASSESSMENTS,
        ),
        Column("analysis", "Analys", Kind.LONG_TEXT, 60, "Analys av måluppfyllelsen. Krävs vid Ej bedömt."),
    ),
    blank_rows=30,
)

ASSIGNMENTS = Table(
    name="Uppdrag",
    sheet="Uppdrag",
    title="Strategiska utvecklingsuppdrag – status",
    intro="Förskjuts kräver nytt år (senare än rapportåret) och kommentar. Avbryts kräver kommentar.",
    columns=(
        Column("assignment_id", "Uppdrag-id", Kind.ID, 11, "Stabil nyckel för uppdraget, t.ex. KS-U01."),
        Column("assignment", "Uppdrag", Kind.LONG_TEXT, 60, "Uppdragets text."),
        Column("status", "Status", Kind.CHOICE, 22, "Välj i listan: " + ", ".join(STATUSES) + ".", choices=STATUSES),
        Column("new_year", "Nytt år", Kind.YEAR, 9, "Året uppdraget förskjuts till (endast vid Förskjuts)."),
        Column("comment", "Kommentar", Kind.LONG_TEXT, 50, "Skäl vid Förskjuts eller Avbryts."),
    ),
    blank_rows=30,
)

INDICATORS = Table(
    name="Indikatorer",
    sheet="Indikatorer",
    title="Nämndindikatorer – könsuppdelade",
    intro=(
        "Indikatorer om personer redovisas för kvinnor, män och totalt, annars anges skäl. "
        "Enhet antal: Totalt = Kvinnor + Män. Andra enheter: Totalt ligger mellan Kvinnor och Män."
    ),
    columns=(
        Column("indicator_id", "Indikator-id", Kind.ID, 12, "Stabil nyckel, gärna Kolada-id, t.ex. N00090."),
        Column("indicator", "Nämndindikator", Kind.LONG_TEXT, 44, "Indikatorns namn."),
        Column(
            "unit",
            "Enhet",
            Kind.CHOICE,
            9,
            "antal, %, dagar, kr, index … (annan text går också).",
            choices=UNITS,
            strict=False,
        ),
        Column("women", "Kvinnor", Kind.NUMBER, 10, "Värde för kvinnor."),
        Column("men", "Män", Kind.NUMBER, 10, "Värde för män."),
        Column("total", "Totalt", Kind.NUMBER, 10, "Värde totalt."),
        Column("target", "Målvärde", Kind.NUMBER, 10, "Målvärde (frivilligt)."),
        Column("reason", "Ej könsuppdelad – skäl", Kind.LONG_TEXT, 40, "Skäl om indikatorn inte kan delas upp på kön."),
    ),
    blank_rows=30,
)

INVESTMENTS = Table(
    name="Investeringar",
    sheet="Investeringar",
    title="Investeringar – per projekt (tkr)",
    intro=(
        "Belopp i tkr med resultattecken: en utgift skrivs negativ, ett investeringsbidrag positivt. "
        "Avvikelse helår = Prognos helår − Budget helår räknas ut; positiv avvikelse = lägre utgift än budget."
    ),
    columns=(
        Column(
            "project_id", "Projekt-id", Kind.ID, 12, "Stabil nyckel för projektet, t.ex. KLF-I01. Samma varje period."
        ),
        Column("project", "Projekt", Kind.TEXT, 34, "Projektets namn."),
        Column("budget", "Budget helår", Kind.AMOUNT, 14, "Investeringsbudget för helåret. " + _AMOUNT_HELP),
        Column("actual", "Utfall period", Kind.AMOUNT, 14, "Utfall från årets början till periodslut. " + _AMOUNT_HELP),
        Column("forecast", "Prognos helår", Kind.AMOUNT, 14, "Prognos för helåret. " + _AMOUNT_HELP),
        Column(
            "deviation",
            "Avvikelse helår",
            Kind.FORMULA,
            14,
            "Räknas ut: Prognos helår − Budget helår. Positiv = lägre utgift än budget.",
            formula=(
                '=IF(COUNT(Investeringar[[#This Row],[Budget helår]],Investeringar[[#This Row],[Prognos helår]])<2,"",'
                "Investeringar[[#This Row],[Prognos helår]]-Investeringar[[#This Row],[Budget helår]])"
            ),
        ),
        Column(
            "comment",
            "Kommentar",
            Kind.LONG_TEXT,
            50,
            "Orsak till avvikelsen: tidsförskjutning, ändrad omfattning eller kostnad. Krävs vid stor avvikelse.",
        ),
    ),
    blank_rows=30,
    since=2,
)

PERSONNEL = Table(
    name="Personal",
    sheet="Personal",
    title="Personal – nyckeltal, könsuppdelade",
    intro=(
        "Nyckeltal för kvinnor, män och totalt, och samma period föregående år. "
        "Enhet antal: Totalt = Kvinnor + Män. Andra enheter: Totalt ligger mellan Kvinnor och Män."
    ),
    columns=(
        Column("key_figure_id", "Nyckeltal-id", Kind.ID, 12, "Stabil nyckel för nyckeltalet, t.ex. P01."),
        Column("key_figure", "Nyckeltal", Kind.LONG_TEXT, 44, "Nyckeltalets namn."),
        Column(
            "unit", "Enhet", Kind.CHOICE, 9, "antal, %, dagar … (annan text går också).", choices=UNITS, strict=False
        ),
        Column("women", "Kvinnor", Kind.NUMBER, 10, "Värde för kvinnor."),
        Column("men", "Män", Kind.NUMBER, 10, "Värde för män."),
        Column("total", "Totalt", Kind.NUMBER, 10, "Värde totalt."),
        Column("previous_year", "Föregående år", Kind.NUMBER, 12, "Totalt samma period föregående år."),
        Column("comment", "Kommentar", Kind.LONG_TEXT, 40, "Kommentar, t.ex. orsak till en förändring."),
    ),
    blank_rows=20,
    since=2,
)

# The Personal rows a template offers when the plan names none (contract §7): id, nyckeltal, enhet.
DEFAULT_PERSONNEL: tuple[tuple[str, str, str], ...] = (
    ("P01", "Antal tillsvidareanställda", "antal"),
    ("P02", "Sjukfrånvaro, andel av ordinarie arbetstid", "%"),
    ("P03", "varav långtidssjukfrånvaro 60 dagar eller mer", "%"),
)
SICK_LEAVE_ID = "P02"  # the nyckeltal the overview and the texts speak of, by gender

TABLES: tuple[Table, ...] = (ECONOMY, GOALS, ASSIGNMENTS, INDICATORS, INVESTMENTS, PERSONNEL)
SHEETS: tuple[str, ...] = (INSTRUCTIONS_SHEET, INFO_SHEET) + tuple(t.sheet for t in TABLES)


def version_number(mallversion: str) -> int:
    """The template version as a number: 1 for "1" (and for anything unknown, read as the oldest)."""
    return int(mallversion) if mallversion in KNOWN_VERSIONS else 1


def fields_in(version: int) -> tuple[Field, ...]:
    """The defined names a template of `version` has."""
    return tuple(f for f in FIELDS if f.since <= version)


def tables_in(version: int) -> tuple[Table, ...]:
    """The tables a template of `version` has (version 1: no Investeringar, no Personal)."""
    return tuple(t for t in TABLES if t.since <= version)


def sheets_in(version: int) -> tuple[str, ...]:
    return (INSTRUCTIONS_SHEET, INFO_SHEET) + tuple(t.sheet for t in tables_in(version))


def table_by_name(name: str) -> Table:
    for table in TABLES:
        if table.name == name:
            return table
    raise KeyError(name)


def field(name: str) -> Field:
    for f in FIELDS:
        if f.name == name:
            return f
    raise KeyError(name)


def field_cell(name: str) -> str:
    """A1 address of a metadata field's value cell on "Uppgifter"."""
    index = [f.name for f in FIELDS].index(name)
    return f"B{INFO_FIRST_ROW + index}"


INSTRUCTION_HEADINGS = ("Så fyller du i mallen", "Regler")  # the lines of INSTRUCTIONS written as headings
INSTRUCTIONS: tuple[str, ...] = (
    "Så fyller du i mallen",
    "",
    "1. Fliken Uppgifter: kontrollera förvaltning, nämnd och periodslut. Fyll i kontaktperson och datum för information enligt MBL § 19.",
    '   Skriv förvaltningens sammanfattning i den höga cellen Sammanfattning. Belopp du nämner där, i Kommentar och i Analys (t.ex. "ett överskott på 12,8 mnkr") jämförs med fliken Ekonomi.',
    "   Väsentliga händelser och Förväntad utveckling: förvaltningens egna texter till nämnden.",
    "2. Fliken Ekonomi: en rad per verksamhet. Alla belopp i tkr (tusental kronor).",
    "   Resultattecken: intäkter positiva, kostnader negativa. En nettokostnad har alltså negativ budget och negativ prognos.",
    "   Exempel: Budget helår −415 100, Prognos helår −410 700 ger Avvikelse helår +4 400 tkr, det vill säga ett överskott på 4,4 mnkr.",
    "   Avvikelse helår räknas ut av mallen. Vid stor avvikelse (minst 1 000 tkr eller 5 % av budget) krävs en kommentar: orsak, engångs eller bestående. Vid ett stort underskott skrivs åtgärderna i kolumnen Åtgärder.",
    "3. Fliken Nämndmål: bedöm varje mål för helåret i listan Bedömning: Uppnås helt, Uppnås delvis, Uppnås inte eller Ej bedömt. Ej bedömt kräver analys.",
    "4. Fliken Uppdrag: välj status. Förskjuts kräver nytt år och kommentar; Avbryts kräver kommentar.",
    "5. Fliken Indikatorer: redovisa kvinnor, män och totalt, eller skriv skäl i kolumnen Ej könsuppdelad – skäl.",
    "6. Fliken Investeringar: en rad per projekt i tkr (utgift negativ, investeringsbidrag positivt). Stor avvikelse kräver kommentar, som i Ekonomi.",
    "7. Fliken Personal: kvinnor, män och totalt, och totalt samma period föregående år. Antal: Totalt = Kvinnor + Män; andelar: Totalt mellan Kvinnor och Män.",
    "8. Förvaltningschefen godkänner rapporten: namn och datum på fliken Uppgifter.",
    "",
    "Regler",
    "• Skriv bara i de gula cellerna. Övriga celler är skyddade, utan lösenord: Granska ▸ Ta bort skydd i Excel, Verktyg ▸ Skydda blad i LibreOffice.",
    "• Skriv inte under tabellerna: det som står utanför en tabell kommer inte med. Behövs fler rader, ta bort bladskyddet och dra ut tabellen i Excel (handtaget i tabellens nedre högra hörn).",
    "• I LibreOffice kan en tabell inte dras ut: markera en rad inne i tabellen och infoga rader där (högerklicka ▸ Infoga rader ovanför). Kopiera Avvikelse helår från raden ovanför till de nya raderna.",
    "• Nycklarna (Radnyckel, Mål-id, Uppdrag-id, Indikator-id, Projekt-id, Nyckeltal-id) ska vara samma varje period. Sammanställningen matchar på dem.",
    "• Byt inte namn på flikar, tabeller eller rubriker.",
    "• Spara som Excel-arbetsbok (*.xlsx); i LibreOffice välj Behåll nuvarande format. Kontrollera filen med knappen Konsolidera i fliken Delårsrapport (i Excel) innan du skickar den.",
)
