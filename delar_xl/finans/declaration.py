"""THE declaration of the finansförvaltning's template (contract §9): fields, fixed posts, tables, help texts.

The finansförvaltning reports what lies outside the nämnder: skatteintäkter, generella statsbidrag
och utjämning, finansnetto and the kommun's gemensamma poster, and the adjustments from årets
resultat to the balanskravsresultat. Its generator, reader and rules are derived from what is
declared here, as the template's and the plan's are from theirs, in the same shapes (xlsx/schema.py),
so xlsx/writer.py and xlsx/reader.py serve this workbook too.

The posts are fixed: the generator writes one row per post with its id, locked; the reader finds
them by `Post-id`, never by position. Add posts, never rename an id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from delar_xl.xlsx.schema import Column, Field, Kind, Table

FINANS_VERSION = "1"
KNOWN_FINANS_VERSIONS = frozenset({"1"})

INFO_SHEET = "Uppgifter"
INSTRUCTIONS_SHEET = "Instruktioner"
INFO_FIRST_ROW = 4  # first field in row 4, labels in A, values in B (as in the template and the plan)

FIELDS: tuple[Field, ...] = (
    Field("Kommun", "Kommun", Kind.TEXT, "Kommunens namn som det ska stå i rapporten, t.ex. Linköpings kommun."),
    Field(
        "Periodslut",
        "Periodslut",
        Kind.DATE,
        "Periodens sista dag som datum, t.ex. 2021-08-31. Samma som nämndernas sammanställningar.",
        required=True,
    ),
    Field(
        "ResultatmalProcent",
        "Finansiellt mål, procent",
        Kind.NUMBER,
        "Det finansiella målet för god ekonomisk hushållning: årets resultat i procent av skatteintäkter och "
        "generella statsbidrag, t.ex. 2. Tomt = inget mål att bedöma.",
    ),
    Field("Kontaktperson", "Kontaktperson", Kind.TEXT, "Vem som fyllt i underlaget (namn, e-post)."),
    Field("Finansversion", "Finansversion", Kind.TEXT, "Skrivs av delar_xl. Ändra inte."),
)


@dataclass(frozen=True)
class Post:
    """One fixed row: its stable id, its name and what belongs there (the help text)."""

    post_id: str
    name: str
    help: str
    sign: int = 0  # +1: an intäkt (positive), −1: a kostnad or a deduction (negative), 0: either


FINANS_POSTS: tuple[Post, ...] = (
    Post("SKATT", "Skatteintäkter", "Kommunalskatt inklusive slutavräkningar. Intäkt: positiv.", +1),
    Post(
        "STATSBIDRAG",
        "Generella statsbidrag och utjämning",
        "Inkomstutjämning, kostnadsutjämning, LSS-utjämning, regleringsbidrag/-avgift, "
        "fastighetsavgift och generella statsbidrag. Netto, normalt positivt.",
        0,
    ),
    Post("FINANSINT", "Finansiella intäkter", "Ränteintäkter, utdelningar, borgensavgifter. Intäkt: positiv.", +1),
    Post("FINANSKOST", "Finansiella kostnader", "Räntekostnader, ränta på pensionsskulden. Kostnad: negativ.", -1),
    Post(
        "GEMENSAMT",
        "Finansförvaltningens övriga poster",
        "Pensioner, avskrivningar och interna poster som inte ligger hos nämnderna (t.ex. kapitaltjänst och "
        "PO-pålägg). Netto med resultattecken.",
        0,
    ),
    Post(
        "JMF",
        "Jämförelsestörande poster",
        "Poster av engångskaraktär som inte ligger hos nämnderna, t.ex. realisationsvinster vid försäljning av "
        "mark. Netto med resultattecken; tomt = inga.",
        0,
    ),
)

BALANSKRAV_POSTS: tuple[Post, ...] = (
    Post(
        "REAVINST",
        "Samtliga realisationsvinster",
        "Realisationsvinster vid försäljning av anläggningstillgångar avräknas: skriv beloppet negativt.",
        -1,
    ),
    Post(
        "REAFORL",
        "Realisationsförluster enligt undantagsmöjlighet",
        "Realisationsförluster som får läggas tillbaka enligt undantagsmöjligheten: positivt.",
        +1,
    ),
    Post(
        "VPORE",
        "Orealiserade vinster och förluster i värdepapper",
        "Orealiserade vinster avräknas (negativt), orealiserade förluster läggs tillbaka (positivt).",
        0,
    ),
    Post(
        "RURRES",
        "Reservering till resultatutjämningsreserv",
        "Det som avsätts till resultatutjämningsreserven: skriv beloppet negativt.",
        -1,
    ),
    Post(
        "RURDISP",
        "Disponering från resultatutjämningsreserv",
        "Det som disponeras från resultatutjämningsreserven: positivt.",
        +1,
    ),
)

_AMOUNT_HELP = "Belopp i tkr med resultattecken: intäkter positiva, kostnader negativa."

FINANS = Table(
    name="Finans",
    sheet="Finansförvaltning",
    title="Finansförvaltningen – resultatprognos (tkr)",
    intro=(
        "Belopp i tkr med resultattecken: intäkter positiva, kostnader negativa. "
        "Avvikelse helår = Prognos helår − Budget helår räknas ut; positiv avvikelse = bättre än budget."
    ),
    columns=(
        Column(
            "post_id", "Post-id", Kind.ID, 13, "Postens fasta id. Ändra inte: sammanställningen läser posten på id."
        ),
        Column("post", "Post", Kind.TEXT, 40, "Postens namn."),
        Column("budget", "Budget helår", Kind.AMOUNT, 14, "Budget för helåret. " + _AMOUNT_HELP),
        Column("actual", "Utfall period", Kind.AMOUNT, 14, "Utfall från årets början till periodslut. " + _AMOUNT_HELP),
        Column("forecast", "Prognos helår", Kind.AMOUNT, 14, "Prognos för helåret. " + _AMOUNT_HELP),
        Column(
            "deviation",
            "Avvikelse helår",
            Kind.FORMULA,
            14,
            "Räknas ut: Prognos helår − Budget helår. Positiv = bättre än budget.",
            formula=(
                '=IF(COUNT(Finans[[#This Row],[Budget helår]],Finans[[#This Row],[Prognos helår]])<2,"",'
                "Finans[[#This Row],[Prognos helår]]-Finans[[#This Row],[Budget helår]])"
            ),
        ),
        Column(
            "comment",
            "Kommentar",
            Kind.LONG_TEXT,
            50,
            "Orsak till avvikelsen (t.ex. ny skatteprognos från SKR). Krävs vid stor avvikelse.",
        ),
    ),
    blank_rows=len(FINANS_POSTS),
    fixed_rows=True,
)

BALANSKRAV = Table(
    name="Balanskrav",
    sheet="Balanskrav",
    title="Balanskravsutredning – justeringar (tkr)",
    intro=(
        "Poster som justerar årets resultat till balanskravsresultatet (KL 11 kap.), prognos för helåret "
        "i tkr. Tomt = inget belopp."
    ),
    columns=(
        Column(
            "post_id", "Post-id", Kind.ID, 13, "Postens fasta id. Ändra inte: sammanställningen läser posten på id."
        ),
        Column("post", "Post", Kind.TEXT, 48, "Postens namn."),
        Column("forecast", "Prognos helår", Kind.AMOUNT, 14, "Prognos för helåret i tkr, med tecknet i hjälptexten."),
        Column("comment", "Kommentar", Kind.LONG_TEXT, 50, "Vad beloppet avser."),
    ),
    blank_rows=len(BALANSKRAV_POSTS),
    fixed_rows=True,
)

TABLES: tuple[Table, ...] = (FINANS, BALANSKRAV)
POSTS: dict[str, tuple[Post, ...]] = {FINANS.name: FINANS_POSTS, BALANSKRAV.name: BALANSKRAV_POSTS}
SHEETS: tuple[str, ...] = (INSTRUCTIONS_SHEET, INFO_SHEET) + tuple(t.sheet for t in TABLES)

# The posts the finansiella målet is measured against (contract §9: ResultatAndelProcent).
TAX_POSTS = ("SKATT", "STATSBIDRAG")


def field_cell(name: str) -> str:
    """A1 address of a field's value cell on "Uppgifter"."""
    index = [f.name for f in FIELDS].index(name)
    return f"B{INFO_FIRST_ROW + index}"


def field_label(name: str) -> str:
    return next(f.label for f in FIELDS if f.name == name)


def finans_file_name(periodslut: date) -> str:
    """ "Finansförvaltningen 2021-08-31.xlsx"."""
    return f"Finansförvaltningen {periodslut.isoformat()}.xlsx"


INSTRUCTIONS: tuple[str, ...] = (
    "Så fyller du i underlaget",
    "",
    (
        "Underlaget är finansförvaltningens del av kommunens delårsrapport: det som inte ligger hos nämnderna. "
        "Tillsammans med nämndernas sammanställningar ger det kommunens resultatprognos (årets resultat) och "
        "balanskravsutredningen."
    ),
    "",
    (
        "1. Fliken Uppgifter: kommunens namn, periodslut (samma som nämndernas) och det finansiella målet i procent "
        "(årets resultat i procent av skatteintäkter och generella statsbidrag, t.ex. 2)."
    ),
    (
        "2. Fliken Finansförvaltning (tabellen Finans): budget, utfall och prognos för varje fast post. "
        "Alla belopp i tkr (tusental kronor) med resultattecken: intäkter positiva, kostnader negativa."
    ),
    "   Exempel: Skatteintäkter budget 5 310 000, prognos 5 372 000 ger Avvikelse helår +62 000 tkr.",
    "   Avvikelse helår räknas ut. Vid stor avvikelse (minst 1 000 tkr eller 5 % av budget) krävs en kommentar.",
    (
        "3. Fliken Balanskrav (tabellen Balanskrav): prognosen för varje justering. Realisationsvinster och "
        "reservering till resultatutjämningsreserv skrivs negativa; disponering från reserven positiv."
    ),
    "",
    "Så räknar sammanställningen",
    (
        "• Årets resultat = nämndernas nettokostnad (Prognos helår i deras sammanställningar) + summan av posterna "
        "på fliken Finansförvaltning."
    ),
    (
        "• Balanskravsresultat = årets resultat + summan av posterna på fliken Balanskrav. Är det negativt ska det "
        "återställas inom tre år (KL 11 kap. 12 §)."
    ),
    "",
    "Regler",
    (
        "• Posterna och deras id är fasta. Byt inte id, lägg inte till rader och byt inte namn på flikar, tabeller "
        "eller rubriker."
    ),
    "• Lägg filen i samma mapp som nämndernas sammanställningar och kör konsolidera på mappen.",
    "• Spara som Excel-arbetsbok (*.xlsx).",
)
INSTRUCTION_HEADINGS = frozenset({"Så fyller du i underlaget", "Så räknar sammanställningen", "Regler"})
