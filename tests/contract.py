"""Contract v1 (../shared/spec/contract.md) written out as test data, independent of the code.

The code derives these names from template.py and summary.py; the tests compare against this
copy, so a rename in the code fails a test instead of silently changing the contract.
"""

TEMPLATE_NAMES = [
    "Forvaltning",
    "Namnd",
    "Rapport",
    "Periodslut",
    "Kontaktperson",
    "MBLDatum",
    "Sammanfattning",
    "Mallversion",
]

# table → (sheet, leading columns)
TEMPLATE_TABLES = {
    "Ekonomi": (
        "Ekonomi",
        [
            "Radnyckel",
            "Verksamhet",
            "Budget helår",
            "Utfall period",
            "Prognos helår",
            "Avvikelse helår",
            "Föregående prognos",
            "Kommentar",
        ],
    ),
    "Namndmal": ("Nämndmål", ["Mål-id", "Nämndmål", "Bedömning", "Analys"]),
    "Uppdrag": ("Uppdrag", ["Uppdrag-id", "Uppdrag", "Status", "Nytt år", "Kommentar"]),
    "Indikatorer": (
        "Indikatorer",
        ["Indikator-id", "Nämndindikator", "Enhet", "Kvinnor", "Män", "Totalt", "Målvärde", "Ej könsuppdelad – skäl"],
    ),
}

SUMMARY_NAMES = [
    "AntalMal",
    "MalHelt",
    "MalDelvis",
    "MalInte",
    "MalEjBedomt",
    "AntalUppdrag",
    "UppdragVerkstalls",
    "UppdragForskjuts",
    "UppdragAvbryts",
    "BudgetTotal",
    "PrognosTotal",
    "AvvikelseTotal",
    "AntalFel",
    "AntalVarningar",
]

# table → leading columns (more may follow)
SUMMARY_TABLES = {
    "Forvaltningar": [
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
    ],
    "Kontroll": ["Allvarlighet", "Fil", "Blad", "Cell", "Meddelande"],
    "Kallor": ["Fil", "Förvaltning", "Periodslut", "SHA-256", "Status"],
    **{name: ["Förvaltning", *columns] for name, (_, columns) in TEMPLATE_TABLES.items()},
}

# Contract §4: what the summary gains with the reporting cycle.
SUMMARY_CYCLE_NAMES = [
    "AntalForvantade",
    "AntalSaknade",
    "UppdragEjRapporterade",
    "ForegaendePrognosTotal",
    "PrognosforandringTotal",
]
SUMMARY_CYCLE_TABLES = {
    "Inlamning": ["Förvaltning", "Bilaga", "Fil", "Status", "Kontaktperson", "E-post"],
    "Forvaltningar": [*SUMMARY_TABLES["Forvaltningar"], "Föregående prognos", "Prognosförändring"],
}

# Contract §7: template version 2, and what the plan and the summary gain with it.
TEMPLATE_V2_NAMES = [*TEMPLATE_NAMES, "VasentligaHandelser", "Framtid", "Forvaltningschef", "Godkand"]
TEMPLATE_V2_TABLES = {
    **TEMPLATE_TABLES,
    "Ekonomi": ("Ekonomi", [*TEMPLATE_TABLES["Ekonomi"][1], "Åtgärder"]),
    "Investeringar": (
        "Investeringar",
        ["Projekt-id", "Projekt", "Budget helår", "Utfall period", "Prognos helår", "Avvikelse helår", "Kommentar"],
    ),
    "Personal": (
        "Personal",
        ["Nyckeltal-id", "Nyckeltal", "Enhet", "Kvinnor", "Män", "Totalt", "Föregående år", "Kommentar"],
    ),
}
PLAN_V2_NAMES = ["Namnd", "Ar", "Planversion", "Kommun", "Handlaggare", "Undertecknare"]
PLAN_V2_TABLES = {
    "PlanInvesteringar": ("Investeringar", ["Förvaltning", "Projekt-id", "Projekt", "Budget helår"]),
    "PlanPersonal": ("Personal", ["Nyckeltal-id", "Nyckeltal", "Enhet", "Förvaltningar"]),
    "PlanBilagor": ("Bilagor", ["Bilaga", "Titel"]),
}
SUMMARY_V2_NAMES = ["InvesteringBudgetTotal", "InvesteringPrognosTotal", "InvesteringAvvikelseTotal"]
SUMMARY_V2_TABLES = {
    "Investeringar": ["Förvaltning", *TEMPLATE_V2_TABLES["Investeringar"][1]],
    "Personal": ["Förvaltning", *TEMPLATE_V2_TABLES["Personal"][1]],
    "Forvaltningar": [*SUMMARY_CYCLE_TABLES["Forvaltningar"], "Investering avvikelse"],
    "Inlamning": [*SUMMARY_CYCLE_TABLES["Inlamning"], "Godkänd"],
}
