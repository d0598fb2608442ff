"""The built-in example: three förvaltningar per 31 augusti 2021 that reproduce kommunstyrelsen's
tjänsteskrivelse (+12,8 / +8,2 / +22,1 mnkr; 18 nämndmål, 8 helt och 10 delvis; 18 uppdrag, 3 förskjuts).
Version 2 of the template (contract §7) adds what the reference does not quantify: investment
projects (−42,0 mnkr budget, −38,1 mnkr prognos, +3,9 mnkr avvikelse), personal nyckeltal, the
förvaltningar's väsentliga händelser and förväntad utveckling, and each förvaltningschef's approval.

The figures are invented (marked as EXEMPELDATA in every file) but realistic in size and sign:
net-cost units have negative budgets, a utförare such as Leanlink works against a result target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from delar_xl.template.write import EXAMPLE_NOTE, template_file_name, write_template

if TYPE_CHECKING:
    from delar_xl.namnd.dispatch import Prefilled
    from delar_xl.namnd.result import Result
    from delar_xl.plan.declaration import Plan

PERIOD = date(2021, 8, 31)
NAMND = "Kommunstyrelsen"
KLF, VOS, LL = "Kommunledningsförvaltningen", "Verksamhetsstöd och service", "Leanlink"
HELT, DELVIS = "Uppnås helt", "Uppnås delvis"

POSTPONED = (
    "Samtliga nämnder ska utveckla samordningen mellan nämnder och inom koncernen för effektivare insatser "
    "och åtgärder för att minska och motverka segregation och otrygghet",
    "Kommunstyrelsen ska i samverkan med övriga nämnder och bolag värdera om de insatser och förändrade "
    "arbetssätt som implementerades under coronapandemin för att underlätta och stödja näringslivet ska "
    "permanentas och utvecklas",
    "Kommunstyrelsen ska i samverkan med övriga nämnder genomföra en genomlysning av kommunens samlade "
    "resurser inom HR",
)


# Each förvaltning's own Sammanfattning. Kommunledningsförvaltningen's is the reference's paragraph;
# the amounts the other two quote are their tables' totals (+8,2 and +22,1 mnkr), as the
# text-against-table check requires.
SUMMARIES = {
    KLF: (
        "Verksamheten under kommunstyrelsen har i allt väsentligt bedrivits utifrån lagstiftning, reglemente, "
        "styrdokument och kommunstyrelsens internbudget, dock med en lägre takt än planerat. Verksamheten har "
        "under året varit fortsatt påverkad av den pågående coronapandemin. För verksamhetsåret 2021 har detta "
        "medfört att vissa planerade åtgärder och aktiviteter har anpassats eller förskjutits i tid."
    ),
    VOS: (
        "Verksamhetsstöd och service prognostiserar ett överskott på 8,2 mnkr för helåret, främst genom lägre "
        "livsmedelskostnader i måltidsservicen, extra beställningar av lokalvård under pandemin och vakanta "
        "tjänster i kontaktcenter. Överskottet är till största delen en engångseffekt."
    ),
    LL: (
        "Leanlink prognostiserar efter en engångsersättning för särskilda insatser från äldrenämnden ett "
        "överskott med 22,1 mnkr. Volymerna i hemtjänsten och funktionsstödet är högre än planerat, och en "
        "bättre bemanningsplanering har gett lägre personalkostnader i särskilt boende."
    ),
}


# Version 2: each förvaltning's väsentliga händelser and förväntad utveckling (invented, in the
# reference's tone), and who approved the report when (after the MBL information, before the nämnd).
EVENTS = {
    KLF: (
        "Pandemin har präglat perioden: kommunens krisledning har varit aktiverad och flera planerade "
        "aktiviteter har skjutits upp. En ny styrmodell har införts och HR-funktionen har omorganiserats."
    ),
    VOS: (
        "Måltidsservicen har ställt om till fler matlådor under pandemin och kontaktcenter har tagit över "
        "växeln för tre förvaltningar. Upphandlingen av elbilar till bilpoolen har slutförts."
    ),
    LL: (
        "Leanlink har fått en engångsersättning från äldrenämnden för särskilda insatser under pandemin. "
        "Digital tillsyn har införts i hela hemtjänsten."
    ),
}
OUTLOOK = {
    KLF: (
        "Rekryteringsläget inom IT och HR är fortsatt en risk. Senarelagda systeminvesteringar kommer att belasta 2022."
    ),
    VOS: (
        "Stigande livsmedelspriser är en risk för måltidsservicens ekonomi 2022. Elfordonen väntas ge lägre "
        "driftkostnader."
    ),
    LL: (
        "Volymerna i hemtjänsten väntas fortsätta öka. Heltidsarbetet och en bättre bemanningsplanering ger "
        "möjlighet att hålla nere personalkostnaderna."
    ),
}
CHIEFS = {KLF: "Anna Lindqvist", VOS: "Per Holmberg", LL: "Karin Ekström"}
APPROVED = {KLF: date(2021, 9, 24), VOS: date(2021, 9, 23), LL: date(2021, 9, 17)}


def _meta(forvaltning: str, mbl: date, contact: str) -> Metadata:
    return Metadata(
        forvaltning=forvaltning,
        namnd=NAMND,
        periodslut=PERIOD,
        rapport="Delårsrapport",
        kontaktperson=contact,
        mbl_datum=mbl,
        sammanfattning=SUMMARIES[forvaltning],
        vasentliga_handelser=EVENTS[forvaltning],
        framtid=OUTLOOK[forvaltning],
        forvaltningschef=CHIEFS[forvaltning],
        godkand=APPROVED[forvaltning],
    )


def _personnel(
    employees: tuple[float, float, float, float],
    sick: tuple[float, float, float, float],
    long_term: tuple[float, float, float, float],
) -> list[PersonnelRow]:
    """P01–P03 (the default set) from (kvinnor, män, totalt, föregående år) each."""
    return [
        PersonnelRow("P01", "Antal tillsvidareanställda", "antal", *employees),
        PersonnelRow("P02", "Sjukfrånvaro, andel av ordinarie arbetstid", "%", *sick),
        PersonnelRow("P03", "varav långtidssjukfrånvaro 60 dagar eller mer", "%", *long_term),
    ]


def _klf() -> Template:
    economy = [
        EconomyRow(
            "KLF-01",
            "Kommunledning och administration",
            -98_400,
            -63_850,
            -93_112,
            -95_000,
            "Vakanser och lägre kostnader för möten och resor under pandemin. Engångseffekt.",
        ),
        EconomyRow(
            "KLF-02",
            "Ekonomi och styrning",
            -45_200,
            -29_410,
            -43_702,
            -44_500,
            "Senarelagda systeminvesteringar; kostnaden kommer 2022. Engångseffekt.",
        ),
        EconomyRow(
            "KLF-03",
            "HR och arbetsmiljö",
            -38_600,
            -24_980,
            -36_905,
            -37_800,
            "Lägre kostnad för företagshälsovård och utbildning. Delvis bestående.",
        ),
        EconomyRow("KLF-04", "Kommunikation", -22_100, -14_760, -21_815, -22_100, ""),
        EconomyRow(
            "KLF-05",
            "Näringsliv och samhällsbyggnad",
            -61_500,
            -37_240,
            -57_612,
            -59_000,
            "Stödinsatser till näringslivet blev billigare än budgeterat. Engångseffekt.",
        ),
        EconomyRow("KLF-06", "Kommungemensamma kostnader", -30_000, -20_150, -29_892, -30_000, ""),
    ]
    goals = [
        GoalRow(
            "KS-M01",
            "Linköpings kommun ska ha en god ekonomisk hushållning",
            HELT,
            "Prognosen visar överskott och investeringarna följer plan.",
        ),
        GoalRow(
            "KS-M02",
            "Kommunen ska vara en attraktiv arbetsgivare",
            DELVIS,
            "Medarbetarengagemanget är stabilt men rekryteringsläget är fortsatt svårt.",
        ),
        GoalRow(
            "KS-M03",
            "Företagsklimatet i Linköping ska förbättras",
            DELVIS,
            "Flera insatser genomförda; effekten syns först i nästa mätning.",
        ),
        GoalRow(
            "KS-M04", "Kommunens service ska vara tillgänglig och digital", HELT, "E-tjänster har införts enligt plan."
        ),
        GoalRow("KS-M05", "Segregationen i Linköping ska minska", DELVIS, "Arbetet har förskjutits av pandemin."),
        GoalRow("KS-M06", "Tryggheten i Linköping ska öka", DELVIS, "Trygghetsmätningen visar oförändrat läge."),
        GoalRow("KS-M07", "Bostadsbyggandet ska möta befolkningsökningen", HELT, "Planberedskapen motsvarar målet."),
        GoalRow(
            "KS-M08", "Kommunens klimatpåverkan ska minska", DELVIS, "Utsläppen minskar men inte i den takt som krävs."
        ),
        GoalRow("KS-M09", "Sjukfrånvaron ska minska", DELVIS, "Sjukfrånvaron har ökat under pandemin."),
        GoalRow("KS-M10", "Kommunens krisberedskap ska stärkas", HELT, "Pandemiarbetet har stärkt beredskapen."),
        GoalRow("KS-M11", "Medborgardialogen ska utvecklas", DELVIS, "Fysiska dialoger har ersatts digitalt."),
        GoalRow("KS-M12", "Styrning och uppföljning ska vara tydlig", HELT, "Ny styrmodell är införd."),
    ]
    assignments = [
        AssignmentRow("KS-U01", "Kommunstyrelsen ska ta fram en ny näringslivsstrategi", "Verkställt"),
        AssignmentRow(
            "KS-U02",
            POSTPONED[0],
            "Förskjuts",
            2022,
            "Samordningen har fått stå tillbaka under pandemin; arbetet fortsätter 2022.",
        ),
        AssignmentRow("KS-U03", "Kommunstyrelsen ska utveckla kommunens e-tjänster", "Verkställs under året"),
        AssignmentRow(
            "KS-U04",
            POSTPONED[1],
            "Förskjuts",
            2022,
            "Värderingen kan göras först när pandemins effekter kan överblickas.",
        ),
        AssignmentRow(
            "KS-U05", "Kommunstyrelsen ska ta fram en plan för kompetensförsörjning", "Verkställs under året"
        ),
        AssignmentRow(
            "KS-U06", POSTPONED[2], "Förskjuts", 2022, "Genomlysningen startar efter omorganisationen av HR-funktionen."
        ),
        AssignmentRow("KS-U07", "Kommunstyrelsen ska revidera lokalförsörjningsplanen", "Verkställt"),
        AssignmentRow("KS-U08", "Kommunstyrelsen ska följa upp klimatprogrammet", "Verkställs under året"),
        AssignmentRow("KS-U09", "Kommunstyrelsen ska införa en ny styrmodell", "Verkställt"),
        AssignmentRow(
            "KS-U10", "Kommunstyrelsen ska utveckla trygghetsarbetet i stadsdelarna", "Verkställs under året"
        ),
        AssignmentRow("KS-U11", "Kommunstyrelsen ska se över kommunens krisorganisation", "Verkställt"),
        AssignmentRow("KS-U12", "Kommunstyrelsen ska utveckla medborgardialogen digitalt", "Verkställs under året"),
    ]
    indicators = [
        IndicatorRow("N00090", "Sjukfrånvaro bland medarbetare", "%", 6.9, 3.8, 6.1, 5.5),
        IndicatorRow("KLF-I02", "Antal tillsvidareanställda", "antal", 412, 236, 648),
        IndicatorRow("KLF-I03", "Hållbart medarbetarengagemang (HME)", "index", 81, 78, 80, 80),
        IndicatorRow(
            "KLF-I04",
            "Nöjd-Kund-Index företagsklimat",
            "index",
            None,
            None,
            71,
            72,
            "Mäts per företag, inte per person.",
        ),
    ]
    investments = [
        InvestmentRow(
            "KLF-P01",
            "Digital ärendehantering",
            -12_000,
            -5_400,
            -9_800,
            "Upphandlingen blev försenad; resterande del genomförs 2022.",
        ),
        InvestmentRow("KLF-P02", "Ombyggnad av stadshusets reception", -6_500, -4_100, -6_500),
        InvestmentRow(
            "KLF-P03",
            "Trygghetskameror i centrum",
            -3_000,
            -900,
            -2_400,
            "Tillståndsprövningen tog längre tid än planerat; två platser byggs 2022.",
        ),
    ]
    personnel = _personnel((412, 236, 648, 640), (6.9, 3.8, 6.1, 5.6), (2.9, 1.4, 2.4, 2.1))
    return Template(
        _meta(KLF, date(2021, 9, 23), "Ekonomichef, Kommunledningsförvaltningen"),
        economy,
        goals,
        assignments,
        indicators,
        investments=investments,
        personnel=personnel,
    )


def _vos() -> Template:
    economy = [
        EconomyRow(
            "VOS-01",
            "Måltidsservice",
            1_200,
            3_410,
            3_905,
            2_400,
            "Lägre livsmedelskostnader och färre portioner att subventionera. Engångseffekt.",
        ),
        EconomyRow(
            "VOS-02",
            "Lokalvård",
            800,
            1_920,
            2_415,
            1_500,
            "Extra beställningar av städning under pandemin. Engångseffekt.",
        ),
        EconomyRow(
            "VOS-03", "IT-service", -2_500, 180, -90, -500, "Senarelagda licenskostnader; kostnaden kommer 2022."
        ),
        EconomyRow("VOS-04", "Fordon och transport", 0, 320, 385, 200, ""),
        EconomyRow(
            "VOS-05", "Kontaktcenter", -14_300, -9_050, -13_200, -13_900, "Vakanta tjänster under våren. Engångseffekt."
        ),
    ]
    goals = [
        GoalRow(
            "KS-M05",
            "Segregationen i Linköping ska minska",
            DELVIS,
            "Feriearbeten erbjöds i mindre omfattning än planerat.",
        ),
        GoalRow("KS-M13", "Kommunens interna service ska vara effektiv", HELT, "Kundnöjdheten är hög."),
        GoalRow(
            "KS-M14",
            "Måltiderna ska vara hållbara och näringsriktiga",
            DELVIS,
            "Andelen ekologiska livsmedel når inte målet.",
        ),
        GoalRow("KS-M15", "Kommunens fordonsflotta ska vara fossilfri", DELVIS, "Upphandling av elbilar pågår."),
    ]
    assignments = [
        AssignmentRow("KS-U13", "Verksamhetsstöd och service ska samordna kommunens kontaktcenter", "Verkställt"),
        AssignmentRow("KS-U14", "Verksamhetsstöd och service ska minska matsvinnet", "Verkställs under året"),
        AssignmentRow("KS-U15", "Verksamhetsstöd och service ska införa elfordon i bilpoolen", "Verkställs under året"),
    ]
    indicators = [
        IndicatorRow("N00090", "Sjukfrånvaro bland medarbetare", "%", 8.4, 5.1, 7.2, 6.5),
        IndicatorRow("VOS-I02", "Antal tillsvidareanställda", "antal", 598, 221, 819),
        IndicatorRow("VOS-I03", "Andel ekologiska livsmedel", "%", None, None, 38, 45, "Gäller inköp, inte personer."),
    ]
    investments = [
        InvestmentRow(
            "VOS-P01", "Elfordon till bilpoolen", -8_000, -3_200, -7_400, "Lägre pris i upphandlingen än budgeterat."
        ),
        InvestmentRow(
            "VOS-P02", "Storköksutrustning", -4_500, -2_900, -4_800, "Installationen krävde ombyggd ventilation."
        ),
    ]
    personnel = _personnel((598, 221, 819, 805), (8.4, 5.1, 7.2, 7.0), (3.9, 2.2, 3.4, 3.1))
    return Template(
        _meta(VOS, date(2021, 9, 22), "Controller, Verksamhetsstöd och service"),
        economy,
        goals,
        assignments,
        indicators,
        investments=investments,
        personnel=personnel,
    )


def _leanlink() -> Template:
    economy = [
        EconomyRow("LL-01", "Hemtjänst", -2_000, 1_250, 1_904, -1_500, "Högre volymer än planerat. Bestående."),
        EconomyRow(
            "LL-02",
            "Särskilt boende",
            0,
            4_870,
            6_212,
            3_000,
            "Lägre personalkostnader genom bättre bemanningsplanering. Delvis bestående.",
        ),
        EconomyRow("LL-03", "Funktionsstöd", 1_500, 2_030, 2_688, 2_000, "Fler uppdrag från socialnämnden. Bestående."),
        EconomyRow(
            "LL-04",
            "Hemsjukvård och rehabilitering",
            500,
            640,
            884,
            600,
            "Fler uppdrag än planerat från regionen. Bestående.",
        ),
        EconomyRow(
            "LL-05",
            "Gemensamt och ledning",
            0,
            9_700,
            10_400,
            8_000,
            "Engångsersättning från äldrenämnden för särskilda insatser under pandemin.",
        ),
    ]
    goals = [
        GoalRow("KS-M16", "Brukarna ska vara nöjda med Leanlinks insatser", HELT, "Brukarundersökningen når målet."),
        GoalRow("KS-M17", "Heltid ska vara norm", DELVIS, "Andelen heltidsanställda ökar men når inte målet."),
        GoalRow("KS-M18", "Leanlink ska ha en ekonomi i balans", HELT, "Prognosen visar överskott."),
    ]
    assignments = [
        AssignmentRow("KS-U16", "Leanlink ska införa digital tillsyn i hemtjänsten", "Verkställt"),
        AssignmentRow("KS-U17", "Leanlink ska utveckla heltidsarbetet", "Verkställs under året"),
        AssignmentRow("KS-U18", "Leanlink ska samordna hemsjukvård och hemtjänst", "Verkställs under året"),
    ]
    indicators = [
        IndicatorRow("N00090", "Sjukfrånvaro bland medarbetare", "%", 9.8, 6.2, 9.1, 8.0),
        IndicatorRow("LL-I02", "Andel heltidsanställda", "%", 71, 84, 73, 80),
        IndicatorRow("LL-I03", "Antal brukare i hemtjänst", "antal", 1_320, 745, 2_065),
    ]
    investments = [
        InvestmentRow("LL-P01", "Digitala trygghetslarm", -5_200, -4_700, -5_200),
        InvestmentRow(
            "LL-P02", "Inventarier särskilt boende", -3_800, -1_100, -3_000, "Leveranser av möbler förskjuts till 2022."
        ),
        InvestmentRow("LL-P03", "Investeringsbidrag välfärdsteknik", 1_000, 0, 1_000),
    ]
    personnel = _personnel((2_410, 430, 2_840, 2_795), (9.8, 6.2, 9.1, 8.7), (4.6, 2.8, 4.3, 4.0))
    return Template(
        _meta(LL, date(2021, 9, 16), "Controller, Leanlink"),
        economy,
        goals,
        assignments,
        indicators,
        investments=investments,
        personnel=personnel,
    )


def example_templates() -> list[Template]:
    """The three förvaltningar of the 2021 example, in the order the tjänsteskrivelse names them."""
    return [_klf(), _vos(), _leanlink()]


# The tjänsteskrivelse's bilaga numbers, as in the reference: Bilaga 1 is kommunstyrelsen's own
# delårsrapport, 2 and 5 are other bilagor (ATTACHMENTS); file names carry them so the folder sorts in
# report order.
BILAGA = {KLF: 3, VOS: 4, LL: 6}
ATTACHMENTS = (
    (2, "Uppföljning av Kommunstyrelsens lokalförsörjningsplan 2021"),
    (5, "Uppföljning av Verksamhetsstöd och services verksamhetsplan per den 31 augusti 2021"),
)
KOMMUN = "Linköpings kommun"
HANDLAGGARE = "Eva Nilsson, controller"  # invented: the reference does not name its handläggare
SIGNATORIES = ("Paul Håkansson", "Mikael Borin")  # the reference's signature block
EMAIL = {KLF: "controller.klf@example.se", VOS: "controller.vos@example.se", LL: "controller.leanlink@example.se"}
# The lines under "Beslutet skickas till" in the reference tjänsteskrivelse.
RECIPIENTS = (
    "Biträdande kommundirektör, Mikael Borin",
    "Förvaltningschef, Magnus Sjöberg",
    "Utförardirektör, Sonja Erlandsson",
    "Ekonomichef, Åsa Haraldsson",
    "Ekonomichef, Kimmo Immonen",
    "Ekonomichef, Henrik Karpe",
    "Ekonomistaben",
)


def example_plan() -> Plan:
    """Kommunstyrelsen's 2021 plan, derived from the example templates (never retyped): the three
    förvaltningar as Bilaga 3, 4 and 6 (after the nämnd's own report, Bilaga 1), every goal, assignment,
    budget line and indicator they report, the other bilagor, kommun, handläggare, signatories and the
    recipients of the reference text."""
    from delar_xl.plan.declaration import (
        Plan,
        PlanAssignment,
        PlanAttachment,
        PlanEconomyRow,
        PlanGoal,
        PlanIndicator,
        PlanInvestment,
        PlanUnit,
    )

    templates = example_templates()
    names = [t.meta.forvaltning for t in templates]

    def reporters(rows_of: Callable[[Template], list[tuple[str, Any]]]) -> dict[str, tuple[Any, tuple[str, ...]]]:
        """id → (first row with that id, the förvaltningar reporting it; () when all do)."""
        found: dict[str, tuple[Any, list[str]]] = {}
        for t in templates:
            for row in rows_of(t):
                found.setdefault(row[0], (row[1], []))[1].append(t.meta.forvaltning)
        return {k: (row, () if units == names else tuple(units)) for k, (row, units) in found.items()}

    goals = reporters(lambda t: [(g.goal_id, g) for g in t.goals])
    assignments = reporters(lambda t: [(a.assignment_id, a) for a in t.assignments])
    indicators = reporters(lambda t: [(i.indicator_id, i) for i in t.indicators])
    targets = {
        i.indicator_id: {j.target for t in templates for j in t.indicators if j.indicator_id == i.indicator_id}
        for t in templates
        for i in t.indicators
    }
    return Plan(
        namnd=NAMND,
        year=PERIOD.year,
        units=[
            PlanUnit(t.meta.forvaltning, BILAGA[t.meta.forvaltning], t.meta.kontaktperson, EMAIL[t.meta.forvaltning])
            for t in templates
        ],
        goals=[PlanGoal(k, g.goal, units) for k, (g, units) in goals.items()],
        assignments=[PlanAssignment(k, a.assignment, units) for k, (a, units) in assignments.items()],
        economy=[PlanEconomyRow(t.meta.forvaltning, r.key, r.activity, r.budget) for t in templates for r in t.economy],
        # A target that differs between förvaltningar (sjukfrånvaro) is left to each controller.
        indicators=[
            PlanIndicator(k, i.indicator, i.unit, next(iter(targets[k])) if len(targets[k]) == 1 else None, units)
            for k, (i, units) in indicators.items()
        ],
        recipients=list(RECIPIENTS),
        # Version 2: the projects and their budgets; PlanPersonal empty means the default P01–P03.
        investments=[
            PlanInvestment(t.meta.forvaltning, r.project_id, r.project, r.budget)
            for t in templates
            for r in t.investments
        ],
        attachments=[PlanAttachment(number, title) for number, title in ATTACHMENTS],
        kommun=KOMMUN,
        handlaggare=HANDLAGGARE,
        undertecknare=SIGNATORIES,
    )


@dataclass(frozen=True)
class Demo:
    templates: list[Path]  # the filled templates, as the controllers return them (folder/mallar)
    summary: Path
    result: Result
    plan: Path | None = None  # the plan (folder/Plan Kommunstyrelsen 2021.xlsx)
    prefilled: list[Path] = field(default_factory=list)  # what utskick wrote (folder/utskick)
    word: Path | None = None  # the tjänsteskrivelse (.docx) beside the summary
    report: Path | None = None  # the nämnd's delårsrapport (.docx) beside the summary (contract §8)


def example_file_name(forvaltning: str) -> str:
    return f"Bilaga {BILAGA[forvaltning]} – {template_file_name(forvaltning, PERIOD)}"


def summary_file_name(namnd: str, period: date) -> str:
    return f"Sammanställning {namnd} {period.isoformat()}.xlsx"


def write_examples(folder: Path | str) -> list[Path]:
    """Write the three filled example templates into `folder`."""
    folder = Path(folder)
    return [
        write_template(folder / example_file_name(t.meta.forvaltning), t, note=EXAMPLE_NOTE)
        for t in example_templates()
    ]


def fill_as_controller(prefilled: Prefilled, answers: Template) -> Template:
    """`prefilled`'s template with what a controller types into its unlocked cells, taken from
    `answers` by id. A locked cell is never changed: an answer that disagrees with one raises
    (the example data and the plan derived from them would then have drifted apart)."""
    from delar_xl.template import declaration as T

    content, locks = prefilled.content, prefilled.locks

    def merged(table: T.Table, rows: list, answer_rows: list, id_key: str) -> list:
        by_id = {getattr(r, id_key): r for r in answer_rows}
        out = []
        for i, row in enumerate(rows):
            answer = by_id[getattr(row, id_key)]
            changes = {}
            for col in table.columns:
                key = col.key
                if col.kind is T.Kind.FORMULA:
                    continue
                if (table.name, i, key) in locks.cells:
                    if getattr(answer, key) != getattr(row, key):
                        raise ValueError(f"{table.name} {getattr(row, id_key)} {col.header}: låst cell skiljer sig")
                    continue
                changes[key] = getattr(answer, key)
            out.append(replace(row, **changes))
        return out

    answered = answers.meta
    meta = replace(
        content.meta,
        mbl_datum=answered.mbl_datum,
        sammanfattning=answered.sammanfattning,
        kontaktperson=answered.kontaktperson,
        vasentliga_handelser=answered.vasentliga_handelser,
        framtid=answered.framtid,
        forvaltningschef=answered.forvaltningschef,
        godkand=answered.godkand,
    )
    return replace(
        content,
        meta=meta,
        economy=merged(T.ECONOMY, content.economy, answers.economy, "key"),
        goals=merged(T.GOALS, content.goals, answers.goals, "goal_id"),
        assignments=merged(T.ASSIGNMENTS, content.assignments, answers.assignments, "assignment_id"),
        indicators=merged(T.INDICATORS, content.indicators, answers.indicators, "indicator_id"),
        investments=merged(T.INVESTMENTS, content.investments, answers.investments, "project_id"),
        personnel=merged(T.PERSONNEL, content.personnel, answers.personnel, "key_figure_id"),
    )


def write_demo(folder: Path | str) -> Demo:
    """The reporting cycle on the example: the plan (`folder`), the pre-filled templates written
    from it by utskick (`folder/utskick`), the same templates filled in by the controllers
    (`folder/mallar`, only their unlocked cells), the summary of those and its tjänsteskrivelse
    (`folder`)."""
    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.dispatch import prefill, prefill_note, write_prefilled
    from delar_xl.namnd.report import write_report
    from delar_xl.namnd.summary import write_summary
    from delar_xl.namnd.word import report_file_name, word_file_name, write_word
    from delar_xl.plan.declaration import plan_file_name
    from delar_xl.plan.write import write_plan

    folder = Path(folder)
    plan = example_plan()
    plan_path = write_plan(folder / plan_file_name(NAMND, PERIOD.year), NAMND, PERIOD.year, plan, note=EXAMPLE_NOTE)
    sent = write_prefilled(plan, PERIOD, folder / "utskick", note=EXAMPLE_NOTE, overwrite=True)
    answers = {t.meta.forvaltning: t for t in example_templates()}
    templates = []
    for unit in sorted(plan.units, key=lambda u: u.bilaga or 0):
        prefilled = prefill(plan, unit, PERIOD)
        filled = fill_as_controller(prefilled, answers[unit.forvaltning])
        note = f"{EXAMPLE_NOTE} {prefill_note(plan)}"  # the note utskick wrote
        templates.append(
            write_template(folder / "mallar" / prefilled.file_name, filled, note=note, locks=prefilled.locks)
        )
    result = consolidate([folder / "mallar"], plan=plan_path)
    summary = write_summary(result, folder / summary_file_name(NAMND, PERIOD))
    word = write_word(result, word_file_name(summary))
    report = write_report(result, report_file_name(summary))
    return Demo(templates, summary, result, plan_path, sent.written, word, report)
