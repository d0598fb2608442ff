"""THE declaration of the summary workbook (contract §2, with §4's and §6's additions), at either level.

The defined names, the sheets and tables, their headers, the key figures with their labels and kinds,
and the statuses a source can have: written here once, used by the writers (namnd/summary.py,
kommun/summary.py), the one reader (namnd/read.py), the kommun level, the add-in and the e-mail.
The constants are named after the contract's names (ANTAL_MAL is "AntalMal"), so either is found by
searching for the other. Add, never rename: other tools read these names.
"""

from __future__ import annotations

from delar_xl.kinds import ANTAL_MAL as ANTAL_MAL  # the summary's markers, in kinds.py with the other kinds'
from delar_xl.kinds import KALLMAPP as KALLMAPP
from delar_xl.template import declaration as T

# Defined names (§2) --------------------------------------------------------------------------------

NAMND = "Namnd"
RAPPORT = "Rapport"
PERIODSLUT = "Periodslut"
MAL_HELT, MAL_DELVIS, MAL_INTE, MAL_EJ_BEDOMT = "MalHelt", "MalDelvis", "MalInte", "MalEjBedomt"
ANTAL_UPPDRAG = "AntalUppdrag"
UPPDRAG_VERKSTALLS, UPPDRAG_FORSKJUTS, UPPDRAG_AVBRYTS = "UppdragVerkstalls", "UppdragForskjuts", "UppdragAvbryts"
BUDGET_TOTAL, PROGNOS_TOTAL, AVVIKELSE_TOTAL = "BudgetTotal", "PrognosTotal", "AvvikelseTotal"
ANTAL_FEL, ANTAL_VARNINGAR = "AntalFel", "AntalVarningar"
SKAPAD = "Skapad"
# §4: written when the summary was built with a plan.
UPPDRAG_EJ_RAPPORTERADE = "UppdragEjRapporterade"
FOREGAENDE_PROGNOS_TOTAL, PROGNOSFORANDRING_TOTAL = "ForegaendePrognosTotal", "PrognosforandringTotal"
ANTAL_FORVANTADE, ANTAL_SAKNADE = "AntalForvantade", "AntalSaknade"
PLAN = "Plan"
# §6: the level, and the kommun's count of nämnder.
NIVA = "Niva"
NIVA_NAMND, NIVA_KOMMUN = "Nämnd", "Kommun"  # the values of Niva; a summary without Niva is a nämnd's
ANTAL_NAMNDER = "AntalNamnder"
# §9: the kommun's annual result, written only with a usable finansförvaltning's template.
ARETS_RESULTAT_BUDGET, ARETS_RESULTAT_PROGNOS = "AretsResultatBudget", "AretsResultatPrognos"
BALANSKRAVSRESULTAT_PROGNOS = "BalanskravsresultatPrognos"
RESULTAT_ANDEL_PROCENT, RESULTATMAL_PROCENT, RESULTATMAL_UPPNAS = (
    "ResultatAndelProcent",
    "ResultatmalProcent",
    "ResultatmalUppnas",
)
RESULT_TABLE, BALANCE_TABLE = "Resultatprognos", "Balanskravsutredning"
# §7: the investments over included förvaltningar (mnkr, unrounded), one level up summed when every nämnd has them.
INVESTERING_BUDGET_TOTAL = "InvesteringBudgetTotal"
INVESTERING_PROGNOS_TOTAL = "InvesteringPrognosTotal"
INVESTERING_AVVIKELSE_TOTAL = "InvesteringAvvikelseTotal"
INVESTMENT_NAMES = (INVESTERING_BUDGET_TOTAL, INVESTERING_PROGNOS_TOTAL, INVESTERING_AVVIKELSE_TOTAL)

# The counts over distinct ids, summed over nämnder one level up.
COUNT_NAMES = (
    ANTAL_MAL,
    MAL_HELT,
    MAL_DELVIS,
    MAL_INTE,
    MAL_EJ_BEDOMT,
    ANTAL_UPPDRAG,
    UPPDRAG_VERKSTALLS,
    UPPDRAG_FORSKJUTS,
    UPPDRAG_AVBRYTS,
)
AMOUNT_NAMES = (BUDGET_TOTAL, PROGNOS_TOTAL, AVVIKELSE_TOTAL)  # mnkr, unrounded
# The names every summary has; one missing means the file is not a summary we can trust.
REQUIRED_NAMES = (*COUNT_NAMES, *AMOUNT_NAMES, ANTAL_FEL, ANTAL_VARNINGAR)
# §4 names, summed one level up only when every nämnd has them.
OPTIONAL_COUNT_NAMES = (UPPDRAG_EJ_RAPPORTERADE,)
OPTIONAL_AMOUNT_NAMES = (FOREGAENDE_PROGNOS_TOTAL, PROGNOSFORANDRING_TOTAL)
# The template's assessments → the name that counts them.
GOAL_NAMES = {
    T.GOAL_FULL: MAL_HELT,
    T.GOAL_PARTIAL: MAL_DELVIS,
    T.GOAL_NOT: MAL_INTE,
    T.GOAL_NOT_ASSESSED: MAL_EJ_BEDOMT,
}

# Key figures (name, label, kind) both levels show, in this order: counts over distinct ids, then the
# amounts (mnkr). Kinds: count, mnkr, signed, text, date.
COUNT_AND_AMOUNT_FIGURES: tuple[tuple[str, str, str], ...] = (
    (ANTAL_MAL, "Nämndmål totalt", "count"),
    (MAL_HELT, "Uppnås helt", "count"),
    (MAL_DELVIS, "Uppnås delvis", "count"),
    (MAL_INTE, "Uppnås inte", "count"),
    (MAL_EJ_BEDOMT, "Ej bedömt", "count"),
    (ANTAL_UPPDRAG, "Strategiska utvecklingsuppdrag totalt", "count"),
    (UPPDRAG_VERKSTALLS, "Verkställs vid årets slut", "count"),
    (UPPDRAG_FORSKJUTS, "Förskjuts", "count"),
    (UPPDRAG_AVBRYTS, "Avbryts", "count"),
    (UPPDRAG_EJ_RAPPORTERADE, "Uppdrag som inte rapporterats", "count"),
    (BUDGET_TOTAL, "Budget helår (mnkr)", "mnkr"),
    (PROGNOS_TOTAL, "Prognos helår (mnkr)", "mnkr"),
    (AVVIKELSE_TOTAL, "Avvikelse helår (mnkr)", "signed"),
    (FOREGAENDE_PROGNOS_TOTAL, "Föregående prognos (mnkr)", "mnkr"),
    (PROGNOSFORANDRING_TOTAL, "Prognosförändring (mnkr)", "signed"),
    (INVESTERING_BUDGET_TOTAL, "Investeringar, budget helår (mnkr)", "mnkr"),  # contract §7
    (INVESTERING_PROGNOS_TOTAL, "Investeringar, prognos helår (mnkr)", "mnkr"),
    (INVESTERING_AVVIKELSE_TOTAL, "Investeringar, avvikelse helår (mnkr)", "signed"),
)

# Sheets and tables ------------------------------------------------------------------------------

SUMMARY_SHEET = "Sammanställning"
UNITS_TABLE, FINDINGS_TABLE, SOURCES_TABLE, SUBMISSIONS_TABLE = "Forvaltningar", "Kontroll", "Kallor", "Inlamning"
NAMNDER_TABLE = "Namnder"  # §6: the kommun summary's one row per nämnd
# Contract table → the sheet it lives on (the detail tables keep the template's sheet names).
TABLE_SHEETS = {
    UNITS_TABLE: SUMMARY_SHEET,
    FINDINGS_TABLE: "Kontroll",
    SOURCES_TABLE: "Källor",
    SUBMISSIONS_TABLE: "Inlämning",
    **{t.name: t.sheet for t in T.TABLES},
}
TABLE_NAMES = tuple(TABLE_SHEETS)  # the tables a summary holds (§2, and §4's Inlamning)

UNIT_HEADERS = (
    "Förvaltning",
    "Budget helår",
    "Prognos helår",
    "Avvikelse helår",
    "Mål helt",
    "Mål delvis",
    "Mål inte",
    "Mål ej bedömt",
    "Uppdrag verkställs",
    "Uppdrag förskjuts",
    "MBL-datum",
    "Status",
    "Föregående prognos",
    "Prognosförändring",  # contract §4, after the v1 columns
    "Investering avvikelse",  # contract §7
)
INVESTMENT_DEVIATION_HEADER = UNIT_HEADERS[-1]  # also the kommun's Namnder column, when the nämnder have it
SUBMISSION_HEADERS = (
    "Förvaltning",
    "Bilaga",
    "Fil",
    "Status",
    "Kontaktperson",
    "E-post",
    "Godkänd",
)  # contract §7: the förvaltningschef's Godkand date, or empty
FINDING_HEADERS = ("Allvarlighet", "Fil", "Blad", "Cell", "Meddelande", "Kod")
SOURCE_HEADERS = ("Fil", "Förvaltning", "Periodslut", "SHA-256", "Status", "Fel", "Varningar", "Sökväg")

# Statuses ---------------------------------------------------------------------------------------

# Where each source file ends up: the `Status` of the Forvaltningar and Kallor tables.
STATUS_INCLUDED = "Med i sammanställningen"
STATUS_ERRORS = "Utesluten: fel i mallen"
STATUS_UNREADABLE = "Utesluten: kan inte läsas"
STATUS_OTHER_REPORT = "Utesluten: annan nämnd eller period"
STATUS_DUPLICATE = "Utesluten: förvaltningen finns i flera mallar"
STATUS_SKIPPED = "Hoppades över"
STATUS_NOT_IN_PLAN = "Utesluten: förvaltningen finns inte i planen"
STATUS_MISSING = "Saknas"  # a förvaltning in the plan that sent no template (the Inlamning table only)
STATUS_NOT_APPROVED = "Utesluten: inte godkänd"  # `konsolidera --bara-godkanda`: no Godkand date (contract §7)
NOT_IN_SUMS = "ingår inte i summorna"  # said after the status of a source left out: "… – ingår inte i summorna"
