"""The validation rules: one small function each, from a read template to findings. No I/O.

Reading problems (types, missing sheets, data outside tables) are found by read.py while reading;
the rules here judge the content. Every rule is listed in RULES, in the order findings appear.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from delar_xl.findings import Finding, Severity
from delar_xl.numbers import format_number
from delar_xl.settings import Settings
from delar_xl.template import declaration as T
from delar_xl.template.crosscheck import cross_check
from delar_xl.template.model import EconomyRow, IndicatorRow, InvestmentRow, PersonnelRow, Template
from delar_xl.template.plausibility import amount_findings

Rule = Callable[[Template, Settings], Iterable[Finding]]

# Cached and recomputed Avvikelse may differ by float noise; anything above half an öre is real.
_TOLERANCE_TKR = 0.0005


def _at(t: Template, sheet: str, cell: str, severity: Severity, code: str, message: str) -> Finding:
    return Finding(t.file, sheet, cell, severity, code, message)


def _table_cell(t: Template, table: T.Table, key: str, row: int) -> tuple[str, str]:
    return table.sheet, t.cell(table.name, key, row)


# Metadata ---------------------------------------------------------------------------------


def _reported(t: Template, sheet: str, cell: str) -> bool:
    """True when the reader already reported this cell: say one thing per cell."""
    return f"{sheet}!{cell}" in t.unreadable


def required_metadata(t: Template, s: Settings) -> Iterator[Finding]:
    values = {"Forvaltning": t.meta.forvaltning, "Namnd": t.meta.namnd, "Periodslut": t.meta.periodslut}
    for name, value in values.items():
        sheet, cell = t.field_cell(name)
        if value in ("", None) and not _reported(t, sheet, cell):
            f = T.field(name)
            yield _at(t, sheet, cell, Severity.ERROR, "uppgift-saknas", f"{f.label} måste fyllas i. {f.help}")


def period_at_month_end(t: Template, s: Settings) -> Iterator[Finding]:
    end = t.meta.periodslut
    if end is None:
        return
    last = calendar.monthrange(end.year, end.month)[1]
    if end.day != last:
        sheet, cell = t.field_cell("Periodslut")
        yield _at(
            t,
            sheet,
            cell,
            Severity.ERROR,
            "periodslut-ej-manadsslut",
            f"Periodslut {end.isoformat()} är inte en månads sista dag. "
            f"Skriv t.ex. {end.replace(day=last).isoformat()}.",
        )


def report_type_known(t: Template, s: Settings) -> Iterator[Finding]:
    if t.meta.rapport and t.meta.rapport not in T.REPORT_TYPES:
        sheet, cell = t.field_cell("Rapport")
        yield _at(
            t,
            sheet,
            cell,
            Severity.ERROR,
            "rapport-okand",
            f'Rapport "{t.meta.rapport}" är inte tillåten. '
            f"{_did_you_mean(t.meta.rapport, T.REPORT_TYPES)}Välj {_or(T.REPORT_TYPES)}.",
        )


def mbl_date_present(t: Template, s: Settings) -> Iterator[Finding]:
    sheet, cell = t.field_cell("MBLDatum")
    if t.meta.mbl_datum is None and not _reported(t, sheet, cell):  # "22 sept" has its Fel already
        yield _at(
            t,
            sheet,
            cell,
            Severity.INFO,
            "mbl-saknas",
            "Datum för information enligt MBL § 19 är inte ifyllt. Fyll i det när informationen har genomförts; "
            "tjänsteskrivelsen redovisar datumet.",
        )


# Ekonomi ---------------------------------------------------------------------------------


AmountRow = EconomyRow | InvestmentRow


def amount_rows(t: Template) -> Iterator[tuple[T.Table, AmountRow, str]]:
    """Every row with Budget, Utfall, Prognos and Avvikelse: (table, row, its name in a message).

    Ekonomi's verksamheter and, in version 2, Investeringar's projekt: the amount rules (present,
    Avvikelse as computed, comment at the threshold, plausibility) apply to both alike."""
    for r in t.economy:
        yield T.ECONOMY, r, r.key or r.activity
    for i in t.investments:
        yield T.INVESTMENTS, i, f"projektet {i.project_id or i.project}"


def amounts_present(t: Template, s: Settings) -> Iterator[Finding]:
    for table, r, label in amount_rows(t):
        for key, value in (("budget", r.budget), ("forecast", r.forecast)):
            if value is not None:
                continue
            sheet, cell = _table_cell(t, table, key, r.row)
            if not _reported(t, sheet, cell):
                yield _at(
                    t,
                    sheet,
                    cell,
                    Severity.ERROR,
                    "belopp-saknas",
                    f"{table.column(key).header} saknas för raden {label}. Skriv beloppet i tkr (0 om inget).",
                )


def deviation_matches_cache(t: Template, s: Settings) -> Iterator[Finding]:
    for table, r, _label in amount_rows(t):
        if r.cached_deviation is None or r.deviation is None:
            continue
        if abs(r.cached_deviation - r.deviation) > _TOLERANCE_TKR:
            sheet, cell = _table_cell(t, table, "deviation", r.row)
            yield _at(
                t,
                sheet,
                cell,
                Severity.WARNING,
                "avvikelse-avviker",
                f"Avvikelse helår visar {format_number(r.cached_deviation, 0)} men Prognos − Budget är "
                f"{format_number(r.deviation, 0)} tkr. Sammanställningen räknar med "
                f"{format_number(r.deviation, 0)}; kontrollera att formeln inte skrivits över.",
            )


def comment_on_large_deviation(t: Template, s: Settings) -> Iterator[Finding]:
    for table, r, label in amount_rows(t):
        if r.comment.strip():
            continue
        reasons = []
        if _large(r.deviation, r.budget, s):
            reasons.append(f"avvikelsen {format_number(r.deviation or 0, 0)} tkr")
        change = r.forecast_change if isinstance(r, EconomyRow) else None  # investments have no earlier forecast
        if _large(change, r.budget, s):
            reasons.append(f"prognosförändringen {format_number(change or 0, 0)} tkr")
        if reasons:
            sheet, cell = _table_cell(t, table, "comment", r.row)
            what = (
                "Skriv orsak, om den är engångs eller bestående, och åtgärd vid underskott."
                if table is T.ECONOMY
                else "Skriv orsaken: tidsförskjutning, ändrad omfattning eller ändrad kostnad."
            )
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "kommentar-saknas",
                f"Kommentar krävs för {label}: {' och '.join(reasons)} når gränsen "
                f"({format_number(s.comment_threshold_tkr, 0)} tkr eller "
                f"{format_number(s.comment_threshold_percent, 0)} % av budget). " + what,
            )


def measures_on_large_deficit(t: Template, s: Settings) -> Iterator[Finding]:
    """Version 2: an underskott at the comment threshold needs Åtgärder (contract §7), a Varning."""
    if t.version < T.ECONOMY.column("measures").since:
        return
    for r in t.economy:
        if r.measures.strip() or r.deviation is None or r.deviation >= 0 or not _large(r.deviation, r.budget, s):
            continue
        sheet, cell = _table_cell(t, T.ECONOMY, "measures", r.row)
        yield _at(
            t,
            sheet,
            cell,
            Severity.WARNING,
            "atgarder-saknas",
            f"{r.key or r.activity} har ett underskott på {format_number(-r.deviation, 0)} tkr: skriv i "
            "Åtgärder vad förvaltningen gör för att hantera det (nämnden ska kunna se åtgärderna).",
        )


def amounts_plausible(t: Template, s: Settings) -> Iterator[Finding]:
    """Sign, unit and proportion slips (plausibility.py): a Varning at the cell, the controller may be right.
    On Ekonomi's rows and, in version 2, on Investeringar's projects alike (`amount_rows`)."""
    for table, r, label in amount_rows(t):
        cells = {key: t.cell(table.name, key, r.row) for key in ("budget", "actual", "forecast")}
        yield from amount_findings(t.file, table.sheet, label, r.budget, r.actual, r.forecast, cells, s)


def _large(amount: float | None, budget: float | None, s: Settings) -> bool:
    if amount is None:
        return False
    if abs(amount) >= s.comment_threshold_tkr:
        return True
    return budget is not None and budget != 0 and abs(amount) >= abs(budget) * s.comment_threshold_percent / 100


# Nämndmål -------------------------------------------------------------------------------


def goal_assessment_allowed(t: Template, s: Settings) -> Iterator[Finding]:
    for r in t.goals:
        if r.assessment in T.ASSESSMENTS:
            continue
        sheet, cell = _table_cell(t, T.GOALS, "assessment", r.row)
        if _reported(t, sheet, cell):
            continue
        if not r.assessment:
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "bedomning-saknas",
                f"Bedömning saknas för nämndmål {r.goal_id}. Välj {_or(T.ASSESSMENTS)}.",
            )
        elif r.assessment not in T.ASSESSMENTS:
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "bedomning-ogiltig",
                f'Bedömningen "{r.assessment}" för nämndmål {r.goal_id} är inte tillåten. '
                f"{_did_you_mean(r.assessment, T.ASSESSMENTS)}Välj {_or(T.ASSESSMENTS)} i listan.",
            )


def not_assessed_needs_analysis(t: Template, s: Settings) -> Iterator[Finding]:
    for r in t.goals:
        if r.assessment == T.GOAL_NOT_ASSESSED and not r.analysis.strip():
            sheet, cell = _table_cell(t, T.GOALS, "analysis", r.row)
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "analys-saknas",
                f"Nämndmål {r.goal_id} är Ej bedömt: skriv i Analys varför det inte kan bedömas.",
            )


# Uppdrag -------------------------------------------------------------------------------


def assignment_status_allowed(t: Template, s: Settings) -> Iterator[Finding]:
    for r in t.assignments:
        if r.status in T.STATUSES:
            continue
        sheet, cell = _table_cell(t, T.ASSIGNMENTS, "status", r.row)
        if _reported(t, sheet, cell):
            continue
        if not r.status:
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "status-saknas",
                f"Status saknas för uppdrag {r.assignment_id}. Välj {_or(T.STATUSES)}.",
            )
        elif r.status not in T.STATUSES:
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "status-ogiltig",
                f'Statusen "{r.status}" för uppdrag {r.assignment_id} är inte tillåten. '
                f"{_did_you_mean(r.status, T.STATUSES)}Välj {_or(T.STATUSES)} i listan.",
            )


def postponed_needs_year_and_comment(t: Template, s: Settings) -> Iterator[Finding]:
    year = t.meta.year
    for r in t.assignments:
        if r.status != T.POSTPONED:
            continue
        if r.new_year is None:
            sheet, cell = _table_cell(t, T.ASSIGNMENTS, "new_year", r.row)
            if _reported(t, sheet, cell):
                continue
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "nytt-ar-saknas",
                f"Uppdrag {r.assignment_id} förskjuts: skriv vilket år i Nytt år.",
            )
        elif year is not None and r.new_year <= year:
            sheet, cell = _table_cell(t, T.ASSIGNMENTS, "new_year", r.row)
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "nytt-ar-for-tidigt",
                f"Uppdrag {r.assignment_id} förskjuts till {r.new_year}, men det måste vara efter rapportåret {year}.",
            )
        if not r.comment.strip():
            sheet, cell = _table_cell(t, T.ASSIGNMENTS, "comment", r.row)
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "kommentar-saknas",
                f"Uppdrag {r.assignment_id} förskjuts: skriv skälet i Kommentar.",
            )


def cancelled_needs_comment(t: Template, s: Settings) -> Iterator[Finding]:
    for r in t.assignments:
        if r.status == T.CANCELLED and not r.comment.strip():
            sheet, cell = _table_cell(t, T.ASSIGNMENTS, "comment", r.row)
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "kommentar-saknas",
                f"Uppdrag {r.assignment_id} avbryts: skriv skälet i Kommentar.",
            )


def new_year_only_when_postponed(t: Template, s: Settings) -> Iterator[Finding]:
    for r in t.assignments:
        if r.new_year is not None and r.status in T.STATUSES and r.status != T.POSTPONED:
            sheet, cell = _table_cell(t, T.ASSIGNMENTS, "new_year", r.row)
            yield _at(
                t,
                sheet,
                cell,
                Severity.WARNING,
                "nytt-ar-overflodigt",
                f'Uppdrag {r.assignment_id} har Nytt år {r.new_year} men status "{r.status}". '
                "Nytt år används bara vid Förskjuts.",
            )


# Ids (all tables) --------------------------------------------------------------------------


def _ids(t: Template) -> Iterator[tuple[T.Table, str, str, int]]:
    for e in t.economy:
        yield T.ECONOMY, e.key, e.activity, e.row
    for g in t.goals:
        yield T.GOALS, g.goal_id, g.goal, g.row
    for a in t.assignments:
        yield T.ASSIGNMENTS, a.assignment_id, a.assignment, a.row
    for i in t.indicators:
        yield T.INDICATORS, i.indicator_id, i.indicator, i.row
    for p in t.investments:
        yield T.INVESTMENTS, p.project_id, p.project, p.row
    for k in t.personnel:
        yield T.PERSONNEL, k.key_figure_id, k.key_figure, k.row


def ids_present_and_unique(t: Template, s: Settings) -> Iterator[Finding]:
    seen: dict[tuple[str, str], int] = {}
    for table, key, label, row in _ids(t):
        id_col = table.id_column
        if not key:
            sheet, cell = _table_cell(t, table, id_col.key, row)
            if _reported(t, sheet, cell):
                continue
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "id-saknas",
                f"{id_col.header} saknas på rad {row}{_about(label)}. Varje ifylld rad behöver en nyckel.",
            )
            continue
        first = seen.setdefault((table.name, key.casefold()), row)
        if first != row:
            sheet, cell = _table_cell(t, table, id_col.key, row)
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "id-dubblett",
                f'{id_col.header} "{key}" finns redan på rad {first}. Varje nyckel får bara förekomma en gång.',
            )


def _about(label: str) -> str:
    return f' ("{label[:40]}")' if label else ""


# Indikatorer -------------------------------------------------------------------------------


def _gendered(t: Template) -> Iterator[tuple[T.Table, str, IndicatorRow | PersonnelRow]]:
    """Indicators and, in version 2, personal nyckeltal: (table, "Indikator N00090" / "Nyckeltal P01", row).
    Both are checked alike: split by gender, antal sums, rates lie between (contract §7)."""
    for r in t.indicators:
        yield T.INDICATORS, f"Indikator {r.indicator_id}", r
    for p in t.personnel:
        yield T.PERSONNEL, f"Nyckeltal {p.key_figure_id}", p


def indicators_split_by_gender(t: Template, s: Settings) -> Iterator[Finding]:
    for r in t.indicators:
        if r.reason.strip():
            continue
        missing = [
            T.INDICATORS.column(k)
            for k, v in (("women", r.women), ("men", r.men), ("total", r.total))
            if v is None and not _reported(t, *_table_cell(t, T.INDICATORS, k, r.row))
        ]
        if missing:
            sheet, cell = _table_cell(t, T.INDICATORS, missing[0].key, r.row)
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "konsuppdelning-saknas",
                f"Indikator {r.indicator_id} saknar {_and([c.header for c in missing])}. Redovisa kvinnor, män "
                "och totalt, eller skriv skälet i Ej könsuppdelad – skäl.",
            )


def personnel_split_by_gender(t: Template, s: Settings) -> Iterator[Finding]:
    """A Personal nyckeltal: kvinnor, män and totalt, or why not in Kommentar. A row left entirely
    empty (an offered nyckeltal nobody filled in) is a Varning; a half-filled one a Fel, as indicators."""
    if not (t.economy or t.goals or t.assignments or t.indicators or t.investments):
        return  # an untouched template: `mall-tom` says so once
    for p in t.personnel:
        if p.comment.strip():
            continue
        values = (("women", p.women), ("men", p.men), ("total", p.total))
        missing = [
            T.PERSONNEL.column(k)
            for k, v in values
            if v is None and not _reported(t, *_table_cell(t, T.PERSONNEL, k, p.row))
        ]
        if not missing:
            continue
        sheet, cell = _table_cell(t, T.PERSONNEL, missing[0].key, p.row)
        if len(missing) == 3:
            yield _at(
                t,
                sheet,
                cell,
                Severity.WARNING,
                "personal-ej-ifylld",
                f"Nyckeltal {p.key_figure_id} ({p.key_figure or 'utan namn'}) är inte ifyllt. Redovisa kvinnor, "
                "män och totalt, eller skriv i Kommentar varför uppgiften saknas.",
            )
        else:
            yield _at(
                t,
                sheet,
                cell,
                Severity.ERROR,
                "konsuppdelning-saknas",
                f"Nyckeltal {p.key_figure_id} saknar {_and([c.header for c in missing])}. Redovisa kvinnor, "
                "män och totalt, eller skriv skälet i Kommentar.",
            )


def indicator_totals_consistent(t: Template, s: Settings) -> Iterator[Finding]:
    for table, what, r in _gendered(t):
        if r.women is None or r.men is None or r.total is None:
            continue
        if r.unit.strip().casefold() == T.COUNT_UNIT:
            if abs(r.women + r.men - r.total) > 1e-9:
                sheet, cell = _table_cell(t, table, "total", r.row)
                yield _at(
                    t,
                    sheet,
                    cell,
                    Severity.ERROR,
                    "totalt-stammer-inte",
                    f"{what} räknas i antal: Totalt ({format_number(r.total, 0)}) ska vara "
                    f"Kvinnor + Män ({format_number(r.women + r.men, 0)}).",
                )
        else:
            low, high = sorted((r.women, r.men))
            if not low - 1e-9 <= r.total <= high + 1e-9:
                sheet, cell = _table_cell(t, table, "total", r.row)
                yield _at(
                    t,
                    sheet,
                    cell,
                    Severity.ERROR,
                    "totalt-utanfor",
                    f"{what} ({r.unit or 'utan enhet'}): Totalt "
                    f"({format_number(r.total, 2)}) ska ligga mellan Kvinnor och Män "
                    f"({format_number(low, 2)}–{format_number(high, 2)}).",
                )


def indicator_unit_present(t: Template, s: Settings) -> Iterator[Finding]:
    for table, what, r in _gendered(t):
        if not r.unit.strip():
            sheet, cell = _table_cell(t, table, "unit", r.row)
            yield _at(
                t,
                sheet,
                cell,
                Severity.WARNING,
                "enhet-saknas",
                f"Enhet saknas för {what[0].lower() + what[1:]}. Utan enhet kontrolleras Totalt som ett "
                "medelvärde; välj antal om det är ett antal.",
            )


# Sign-off (version 2) -----------------------------------------------------------------------


def approval_problem(t: Template, today: date | None = None) -> str:
    """ "" when Godkand is a sensible approval date, else the code saying why not: after today (an
    approval cannot be ahead of time) or before Periodslut (figures are approved once the period has
    ended). `konsolidera --bara-godkanda` counts such a template as not approved."""
    approved = t.meta.godkand
    if approved is None:
        return ""
    if approved > (today or date.today()):
        return "godkand-i-framtiden"
    if t.meta.periodslut is not None and approved < t.meta.periodslut:
        return "godkand-fore-periodslut"
    return ""


def approval_date_sensible(t: Template, s: Settings, today: date | None = None) -> Iterator[Finding]:
    """Godkand (contract §7): a Varning at the cell when the date cannot be an approval of this
    report. Not a Fel: the figures are not wrong because the sign-off date is."""
    approved = t.meta.godkand
    if approved is None:
        return
    sheet, cell = t.field_cell("Godkand")
    today = today or date.today()
    problem = approval_problem(t, today)
    if problem == "godkand-i-framtiden":
        yield _at(
            t,
            sheet,
            cell,
            Severity.WARNING,
            problem,
            f"Godkänd av förvaltningschef ({approved.isoformat()}) ligger efter dagens datum "
            f"({today.isoformat()}). Skriv datumet då rapporten godkändes, eller lämna cellen tom tills dess.",
        )
    elif problem == "godkand-fore-periodslut" and t.meta.periodslut is not None:
        yield _at(
            t,
            sheet,
            cell,
            Severity.WARNING,
            problem,
            f"Godkänd av förvaltningschef ({approved.isoformat()}) ligger före periodslut "
            f"({t.meta.periodslut.isoformat()}): rapporten kan godkännas först när perioden är slut.",
        )
    if not t.meta.forvaltningschef.strip():
        sheet, cell = t.field_cell("Forvaltningschef")
        yield _at(
            t,
            sheet,
            cell,
            Severity.WARNING,
            "forvaltningschef-saknas",
            "Rapporten har ett godkännandedatum men ingen förvaltningschef. Skriv namnet på den som godkände.",
        )


# Whole template ----------------------------------------------------------------------------


def template_has_rows(t: Template, s: Settings) -> Iterator[Finding]:
    """A template sent back untouched: nothing is wrong in it, and nothing is reported either."""
    # Personal is left out: a blank version 2 template already offers the default nyckeltal's rows.
    if t.economy or t.goals or t.assignments or t.indicators or t.investments:
        return
    if any(table.name not in t.columns for table in T.tables_in(t.version)):
        return  # a missing table is already a Fel
    sheet, cell = _table_cell(t, T.ECONOMY, T.ECONOMY.id_column.key, T.FIRST_DATA_ROW)
    yield _at(
        t,
        sheet,
        cell,
        Severity.WARNING,
        "mall-tom",
        "Mallen har inga ifyllda rader i någon tabell (Ekonomi, Nämndmål, Uppdrag, Indikatorer). "
        "Den verkar ha skickats tillbaka utan att fyllas i; kontrollera att det är rätt fil.",
    )


RULES: tuple[Rule, ...] = (
    template_has_rows,
    required_metadata,
    period_at_month_end,
    report_type_known,
    mbl_date_present,
    ids_present_and_unique,
    amounts_present,
    deviation_matches_cache,
    comment_on_large_deviation,
    measures_on_large_deficit,
    amounts_plausible,
    goal_assessment_allowed,
    not_assessed_needs_analysis,
    assignment_status_allowed,
    postponed_needs_year_and_comment,
    cancelled_needs_comment,
    new_year_only_when_postponed,
    indicator_unit_present,
    indicators_split_by_gender,
    personnel_split_by_gender,
    indicator_totals_consistent,
    approval_date_sensible,
)


def validate(template: Template, settings: Settings | None = None) -> list[Finding]:
    """All rule findings for one template, in rule order."""
    settings = settings or Settings()
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(template, settings))
    findings.extend(cross_check(template))  # text ↔ table: its own rule family, crosscheck.py
    return findings


def _did_you_mean(value: str, choices: tuple[str, ...]) -> str:
    """ "Menade du Verkställt? " for a near miss ("Verkstält"), "" when nothing is close."""
    import difflib

    folded = {c.casefold(): c for c in choices}
    close = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.85)  # typos, not other words
    return f"Menade du {folded[close[0]]}? " if close else ""


def _or(options: Iterable[str]) -> str:
    items = list(options)
    return ", ".join(items[:-1]) + " eller " + items[-1]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]
