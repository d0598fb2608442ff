"""An in-memory plan made from the 2021 example templates (what the nämnd decided for them).

Row numbers are those a plan workbook would have (header in row 4, data from row 5 on each
table sheet), so findings about the plan name a realistic cell.
"""

from __future__ import annotations

from delar_xl.demo.namnd import BILAGA, NAMND, example_templates
from delar_xl.plan.declaration import (
    Plan,
    PlanAssignment,
    PlanEconomyRow,
    PlanGoal,
    PlanIndicator,
    PlanInvestment,
    PlanUnit,
)
from delar_xl.template.model import Template

FIRST_ROW = 5
PLAN_FILE = "Plan Kommunstyrelsen 2021.xlsx"


def plan_from(templates: list[Template], year: int = 2021, namnd: str = NAMND) -> Plan:
    """The plan the templates were made from: every id, text and budget, each owned by its förvaltning."""
    plan = Plan(namnd, year, file=PLAN_FILE)
    goals: dict[str, PlanGoal] = {}
    assignments: dict[str, PlanAssignment] = {}
    indicators: dict[str, PlanIndicator] = {}
    for t in templates:
        name = t.meta.forvaltning
        plan.units.append(
            PlanUnit(
                name,
                BILAGA.get(name),
                t.meta.kontaktperson,
                f"{name.split()[0].lower()}@example.se",
                FIRST_ROW + len(plan.units),
            )
        )
        for r in t.economy:
            plan.economy.append(PlanEconomyRow(name, r.key, r.activity, r.budget, FIRST_ROW + len(plan.economy)))
        for r in t.investments:  # contract §7: the projects and their budgets
            plan.investments.append(
                PlanInvestment(name, r.project_id, r.project, r.budget, FIRST_ROW + len(plan.investments))
            )
        for g in t.goals:
            old = goals.get(g.goal_id)
            units = (old.units if old else ()) + (name,)
            goals[g.goal_id] = PlanGoal(g.goal_id, g.goal, units, old.row if old else FIRST_ROW + len(goals))
        for a in t.assignments:
            assignments[a.assignment_id] = PlanAssignment(
                a.assignment_id, a.assignment, (name,), FIRST_ROW + len(assignments)
            )
        for i in t.indicators:
            old = indicators.get(i.indicator_id)
            units = (old.units if old else ()) + (name,)
            indicators[i.indicator_id] = PlanIndicator(
                i.indicator_id, i.indicator, i.unit, i.target, units, old.row if old else FIRST_ROW + len(indicators)
            )
    plan.goals, plan.assignments, plan.indicators = (
        list(goals.values()),
        list(assignments.values()),
        list(indicators.values()),
    )
    plan.recipients = ["Ekonomichef, Åsa Haraldsson"]
    return plan


def example_plan() -> Plan:
    return plan_from(example_templates())
