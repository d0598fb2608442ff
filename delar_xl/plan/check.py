"""Templates checked against the nämnd's plan (contract §4): rules as small functions, no I/O.

Severities, as a controller at Ekonomistaben expects them:

- `Fel` where the summary's figures would be wrong if the template were counted: a förvaltning
  that is not in the plan, another nämnd or year, a Mål-id or Uppdrag-id that is not in the plan
  (it would count as one more goal or assignment: "KS-M5" beside "KS-M05"), a Budget helår that
  differs from what the nämnd decided, and a budget on a Radnyckel that the plan does not have
  (a budget comes only from the plan; this is also how a locked id changed after unprotecting
  the sheet is caught).
Investment projects (contract §7) are checked as Ekonomi is: a Projekt-id with a budget that the
plan does not have, or a budget other than the plan's, is a `Fel`; a new project without budget
and a plan project that an included template does not report are a `Varning`. An unknown
Nyckeltal-id on Personal is a `Varning`, as an unknown indicator.

- `Varning` where the totals stay right but someone should look: a Radnyckel without budget that
  is not in the plan (a controller may add an ekonomi line), an Indikator-id that is not in the
  plan (indicators are not summed), a plan goal no included template assesses (counted as
  Ej bedömt), a plan assignment no included template reports, and a förvaltning in the plan that
  sent no template. The last one makes the summary incomplete (`Result.complete`), and so
  `konsolidera` exits 1, exactly like a template with Fel; it is not a `Fel` itself because
  `kontrollera` of one förvaltning's own template must not fail for the others' files.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from delar_xl.findings import Finding, Severity
from delar_xl.numbers import format_number
from delar_xl.plan.declaration import (
    PLAN_ASSIGNMENTS,
    PLAN_GOALS,
    PLAN_INVESTMENTS,
    PLAN_UNITS,
    Plan,
    PlanAssignment,
    PlanGoal,
    PlanInvestment,
    PlanUnit,
)
from delar_xl.template import declaration as T
from delar_xl.template.model import Template

SUGGESTION_CUTOFF = 0.6  # difflib's own default: below it a "Menade du" guess misleads more than it helps
BUDGET_TOLERANCE = 0.5  # tkr: a budget typed with öre still matches the plan's whole kronor


def suggestion(value: str, candidates: Iterable[str]) -> str:
    """The closest candidate ("KS-M5" → "KS-M05"), or "" when none is close.

    The same id with other zeros, case or dashes wins outright; otherwise difflib's ratio, where a
    tie goes to the earlier candidate (callers list the förvaltning's own ids first), never to
    the alphabetically last as `difflib.get_close_matches` would ("KS-M15" for "KS-M5").
    """
    pool = list(dict.fromkeys(candidates))
    same = [c for c in pool if _normalised(c) == _normalised(value)]
    if same:
        return same[0]
    best, best_ratio = "", 0.0
    for candidate in pool:
        ratio = difflib.SequenceMatcher(None, value.casefold(), candidate.casefold()).ratio()
        if ratio > best_ratio:
            best, best_ratio = candidate, ratio
    return best if best_ratio >= SUGGESTION_CUTOFF else ""


def _normalised(text: str) -> str:
    """ "KS-M05" and "ks m5" → "ksm5": what a typist may change without meaning another id."""
    import re

    folded = re.sub(r"[\s\-_.]", "", text.casefold())
    return re.sub(r"\d+", lambda m: str(int(m.group())), folded)


def _unknown(label: str, value: str, candidates: Iterable[str]) -> str:
    guess = suggestion(value, candidates)
    hint = f" Menade du {guess}?" if guess else ""
    return f'{label} "{value}" finns inte i planen.{hint}'


# Per template ---------------------------------------------------------------------------------


def check_template(template: Template, file: str, plan: Plan) -> list[Finding]:
    """Every finding for one readable template against the plan, in sheet order."""
    findings = check_identity(template, file, plan)
    if plan.unit(template.meta.forvaltning) is None:
        return findings  # ids and budgets of a förvaltning the plan does not know say nothing more
    findings += check_economy(template, file, plan)
    findings += check_goal_ids(template, file, plan)
    findings += check_assignment_ids(template, file, plan)
    findings += check_indicator_ids(template, file, plan)
    findings += check_investments(template, file, plan)
    findings += check_personnel_ids(template, file, plan)
    return findings


def check_identity(template: Template, file: str, plan: Plan) -> list[Finding]:
    """Förvaltning, Namnd and year must be the plan's: a template from another plan is never mixed in."""
    meta, findings = template.meta, []
    if meta.forvaltning and plan.unit(meta.forvaltning) is None:
        sheet, cell = template.field_cell("Forvaltning")
        findings.append(
            Finding(
                file,
                sheet,
                cell,
                Severity.ERROR,
                "plan-forvaltning-okand",
                _unknown("Förvaltningen", meta.forvaltning, plan.unit_names())
                + f" Planen för {plan.namnd} {plan.year} har: {', '.join(plan.unit_names())}.",
            )
        )
    if meta.namnd and plan.namnd and meta.namnd.casefold() != plan.namnd.casefold():
        sheet, cell = template.field_cell("Namnd")
        findings.append(
            Finding(
                file,
                sheet,
                cell,
                Severity.ERROR,
                "plan-annan-namnd",
                f"Mallen avser nämnden {meta.namnd}, men planen gäller {plan.namnd}. Använd mallen från rätt plan.",
            )
        )
    if meta.periodslut is not None and plan.year is not None and meta.periodslut.year != plan.year:
        sheet, cell = template.field_cell("Periodslut")
        findings.append(
            Finding(
                file,
                sheet,
                cell,
                Severity.ERROR,
                "plan-annat-ar",
                f"Mallens periodslut {meta.periodslut.isoformat()} ligger i {meta.year}, men planen "
                f"gäller budgetåret {plan.year}. Använd årets mall.",
            )
        )
    return findings


def check_economy(template: Template, file: str, plan: Plan) -> list[Finding]:
    """Radnyckel and Budget helår against the plan's budget lines for this förvaltning."""
    lines = {r.key.casefold(): r for r in plan.economy_for(template.meta.forvaltning)}
    keys = [r.key for r in plan.economy_for(template.meta.forvaltning)]
    findings = []
    for row in template.economy:
        if not row.key:
            continue
        line = lines.get(row.key.casefold())
        if line is None:
            findings.append(_unknown_key(template, file, row.key, row.row, row.budget, keys))
        elif line.budget is not None and row.budget is not None and abs(line.budget - row.budget) > BUDGET_TOLERANCE:
            findings.append(
                Finding(
                    file,
                    T.ECONOMY.sheet,
                    template.cell(T.ECONOMY.name, "budget", row.row),
                    Severity.ERROR,
                    "plan-budget-avviker",
                    f"Budget helår för {row.key} är {format_number(row.budget, 0)} tkr här men "
                    f"{format_number(line.budget, 0)} tkr i planen. Budgeten är nämndens beslut: skriv planens belopp.",
                )
            )
    return findings


def _unknown_key(
    template: Template, file: str, key: str, row: int, budget: float | None, keys: Sequence[str]
) -> Finding:
    cell = template.cell(T.ECONOMY.name, "key", row)
    message = _unknown("Radnyckel", key, keys)
    if budget:
        return Finding(
            file,
            T.ECONOMY.sheet,
            cell,
            Severity.ERROR,
            "plan-radnyckel-okand",
            message + f" Raden har en budget ({format_number(budget, 0)} tkr), men budget finns bara "
            "för planens rader: använd planens radnyckel.",
        )
    return Finding(
        file,
        T.ECONOMY.sheet,
        cell,
        Severity.WARNING,
        "plan-radnyckel-ny",
        message + " En ny rad utan budget tas med; kontrollera att den ska finnas.",
    )


def check_investments(template: Template, file: str, plan: Plan) -> list[Finding]:
    """Projekt-id and Budget helår against the plan's investment projects for this förvaltning."""
    planned = plan.investments_for(template.meta.forvaltning)
    projects = {r.project_id.casefold(): r for r in planned}
    ids = [r.project_id for r in planned]
    findings = []
    for row in template.investments:
        if not row.project_id:
            continue
        project = projects.get(row.project_id.casefold())
        if project is None:
            findings.append(_unknown_project(template, file, row.project_id, row.row, row.budget, ids))
        elif (
            project.budget is not None
            and row.budget is not None
            and abs(project.budget - row.budget) > BUDGET_TOLERANCE
        ):
            findings.append(
                Finding(
                    file,
                    T.INVESTMENTS.sheet,
                    template.cell(T.INVESTMENTS.name, "budget", row.row),
                    Severity.ERROR,
                    "plan-investering-budget-avviker",
                    f"Budget helår för projektet {row.project_id} är {format_number(row.budget, 0)} tkr här men "
                    f"{format_number(project.budget, 0)} tkr i planen. Investeringsbudgeten är nämndens beslut: "
                    "skriv planens belopp.",
                )
            )
    return findings


def _unknown_project(
    template: Template, file: str, project_id: str, row: int, budget: float | None, ids: Sequence[str]
) -> Finding:
    cell = template.cell(T.INVESTMENTS.name, "project_id", row)
    message = _unknown("Projekt-id", project_id, ids)
    if budget:
        return Finding(
            file,
            T.INVESTMENTS.sheet,
            cell,
            Severity.ERROR,
            "plan-projekt-okant",
            message + f" Projektet har en budget ({format_number(budget, 0)} tkr), men budget finns bara "
            "för planens projekt: använd planens projekt-id.",
        )
    return Finding(
        file,
        T.INVESTMENTS.sheet,
        cell,
        Severity.WARNING,
        "plan-projekt-nytt",
        message + " Ett nytt projekt utan budget tas med; kontrollera att det ska finnas.",
    )


def check_personnel_ids(template: Template, file: str, plan: Plan) -> list[Finding]:
    own = [p.key_figure_id for p in plan.personnel_for(template.meta.forvaltning)]
    return _unknown_ids(
        template,
        file,
        T.PERSONNEL,
        "key_figure_id",
        template.personnel,
        own,
        Severity.WARNING,
        "plan-nyckeltal-okant",
        "Nyckeltal-id",
        " Nyckeltalet tas med som det är.",
    )


def check_goal_ids(template: Template, file: str, plan: Plan) -> list[Finding]:
    own = [g.goal_id for g in plan.goals_for(template.meta.forvaltning)]
    return _unknown_ids(
        template,
        file,
        T.GOALS,
        "goal_id",
        template.goals,
        own + [g.goal_id for g in plan.goals],
        Severity.ERROR,
        "plan-mal-okant",
        "Mål-id",
        " Målet räknas inte med; skriv planens id.",
    )


def check_assignment_ids(template: Template, file: str, plan: Plan) -> list[Finding]:
    own = [a.assignment_id for a in plan.assignments_for(template.meta.forvaltning)]
    return _unknown_ids(
        template,
        file,
        T.ASSIGNMENTS,
        "assignment_id",
        template.assignments,
        own + [a.assignment_id for a in plan.assignments],
        Severity.ERROR,
        "plan-uppdrag-okant",
        "Uppdrag-id",
        " Uppdraget räknas inte med; skriv planens id.",
    )


def check_indicator_ids(template: Template, file: str, plan: Plan) -> list[Finding]:
    own = [i.indicator_id for i in plan.indicators_for(template.meta.forvaltning)]
    return _unknown_ids(
        template,
        file,
        T.INDICATORS,
        "indicator_id",
        template.indicators,
        own + [i.indicator_id for i in plan.indicators],
        Severity.WARNING,
        "plan-indikator-okand",
        "Indikator-id",
        " Indikatorn tas med som den är.",
    )


def _unknown_ids(
    template: Template,
    file: str,
    table: T.Table,
    key: str,
    rows: list,
    known: list[str],
    severity: Severity,
    code: str,
    label: str,
    consequence: str,
) -> list[Finding]:
    """Rows whose id (`key`) the plan does not know, at the id's cell; `known` lists the
    förvaltning's own ids first, so the suggestion prefers them."""
    folded = {k.casefold() for k in known}
    findings = []
    for row in rows:
        value = getattr(row, key)
        if value and value.casefold() not in folded:
            findings.append(
                Finding(
                    file,
                    table.sheet,
                    template.cell(table.name, key, row.row),
                    severity,
                    code,
                    _unknown(label, value, known) + consequence,
                )
            )
    return findings


# Across templates ---------------------------------------------------------------------------


def _plan_cell(row: int) -> str:
    return f"A{row}" if row else ""


def missing_units(plan: Plan, sent: Iterable[str]) -> list[PlanUnit]:
    """Förvaltningar in the plan (Bilaga order) with no readable template among `sent`."""
    names = {name.casefold() for name in sent}
    return [unit for n in plan.unit_names() if n.casefold() not in names and (unit := plan.unit(n)) is not None]


def missing_findings(plan: Plan, missing: Sequence[PlanUnit]) -> list[Finding]:
    """One Varning per missing förvaltning, at its row in the plan's Förvaltningar table."""
    findings = []
    for unit in missing:
        bilaga = f" (bilaga {unit.bilaga})" if unit.bilaga is not None else ""
        contact = f" Kontaktperson: {unit.kontaktperson}." if unit.kontaktperson else ""
        findings.append(
            Finding(
                plan.file,
                PLAN_UNITS.sheet,
                _plan_cell(unit.row),
                Severity.WARNING,
                "plan-forvaltning-saknas",
                f"{unit.forvaltning}{bilaga} har inte lämnat någon mall. Sammanställningen är "
                f"ofullständig tills mallen kommer in.{contact}",
            )
        )
    return findings


def unassessed_goals(plan: Plan, assessed: Iterable[str]) -> list[PlanGoal]:
    """Plan goals that no included template assesses (no row with that Mål-id)."""
    ids = {a.casefold() for a in assessed}
    return [g for g in plan.goals if g.goal_id.casefold() not in ids]


def unassessed_findings(plan: Plan, goals: Sequence[PlanGoal]) -> list[Finding]:
    return [
        Finding(
            plan.file,
            PLAN_GOALS.sheet,
            _plan_cell(g.row),
            Severity.WARNING,
            "plan-mal-ej-bedomt",
            f"Nämndmål {g.goal_id} ({_short(g.goal)}) bedöms inte i någon mall som ingår och räknas som "
            f"Ej bedömt.{_who(plan, g.units)}",
        )
        for g in goals
    ]


def unreported_assignments(plan: Plan, reported: Iterable[str]) -> list[PlanAssignment]:
    ids = {r.casefold() for r in reported}
    return [a for a in plan.assignments if a.assignment_id.casefold() not in ids]


def unreported_findings(plan: Plan, assignments: Sequence[PlanAssignment]) -> list[Finding]:
    return [
        Finding(
            plan.file,
            PLAN_ASSIGNMENTS.sheet,
            _plan_cell(a.row),
            Severity.WARNING,
            "plan-uppdrag-ej-rapporterat",
            f"Uppdrag {a.assignment_id} ({_short(a.assignment)}) rapporteras inte i någon mall som ingår; "
            f"det räknas i antalet uppdrag men utan status.{_who(plan, a.units)}",
        )
        for a in assignments
    ]


def unreported_projects(plan: Plan, templates: Iterable[Template]) -> list[PlanInvestment]:
    """Plan investment projects of the förvaltningar whose template is included but has no row for them
    (a förvaltning that sent nothing is reported as missing; its projects are not named one by one, nor
    are those of a version 1 template, which cannot report any: its Info says so once)."""
    reported = {(t.meta.forvaltning.casefold(), r.project_id.casefold()) for t in templates for r in t.investments}
    sent = {t.meta.forvaltning.casefold() for t in templates if t.version >= T.INVESTMENTS.since}
    return [
        p
        for p in plan.investments
        if p.forvaltning.casefold() in sent and (p.forvaltning.casefold(), p.project_id.casefold()) not in reported
    ]


def unreported_project_findings(plan: Plan, projects: Sequence[PlanInvestment]) -> list[Finding]:
    return [
        Finding(
            plan.file,
            PLAN_INVESTMENTS.sheet,
            _plan_cell(p.row),
            Severity.WARNING,
            "plan-projekt-ej-rapporterat",
            f"Investeringsprojektet {p.project_id} ({_short(p.project)}) hos {p.forvaltning} finns i planen"
            + (f" med en budget på {format_number(p.budget, 0)} tkr" if p.budget else "")
            + " men redovisas inte i förvaltningens mall; det ingår inte i investeringarnas summor.",
        )
        for p in projects
    ]


def _who(plan: Plan, units: tuple[str, ...]) -> str:
    names = list(units) or plan.unit_names()
    return f" Ska rapporteras av: {', '.join(names)}." if names else ""


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def units_sent(templates: Iterable[Template]) -> list[str]:
    """Names of the förvaltningar that sent a readable template (whatever its status)."""
    return [t.meta.forvaltning for t in templates if t.meta.forvaltning]


__all__ = [
    "check_template",
    "check_identity",
    "check_economy",
    "check_goal_ids",
    "check_assignment_ids",
    "check_indicator_ids",
    "missing_units",
    "missing_findings",
    "unassessed_goals",
    "unassessed_findings",
    "unreported_assignments",
    "unreported_findings",
    "suggestion",
    "check_investments",
    "check_personnel_ids",
    "unreported_projects",
    "unreported_project_findings",
]
