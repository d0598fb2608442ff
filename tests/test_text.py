"""The proposed tjänsteskrivelse text: Swedish grammar for 0, 1, 2 and many, wording of results.

Counts and sentences are checked on the pure helpers; paragraphs are checked on results
consolidated from real template files written by the generator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from delar_xl.namnd import text as T
from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.document import render
from delar_xl.namnd.result import Result
from delar_xl.numbers import MINUS
from delar_xl.template.model import AssignmentRow, EconomyRow, GoalRow, Template

HELT, DELVIS, INTE, EJ = "Uppnås helt", "Uppnås delvis", "Uppnås inte", "Ej bedömt"
DONE, DOING, POSTPONED, CANCELLED = "Verkställt", "Verkställs under året", "Förskjuts", "Avbryts"


@pytest.fixture
def consolidated(write: Callable[[Template, str], Path]) -> Callable[..., Result]:
    """consolidated(t1, t2, …) → the Result of consolidating real files written for them."""

    def _consolidate(*templates: Template) -> Result:
        paths = [write(t, f"{i + 1} {t.meta.forvaltning}.xlsx") for i, t in enumerate(templates)]
        result = consolidate(paths)
        assert result.report.valid, result.report.flatten(["file", "cell", "code", "message"])
        return result

    return _consolidate


def goals(*assessments: str) -> list[GoalRow]:
    return [GoalRow(f"M{i:02}", f"Mål {i}", a, "Analys." if a == EJ else "") for i, a in enumerate(assessments, 1)]


def assignments(*rows: tuple[str, str]) -> list[AssignmentRow]:
    """(status, name) pairs → valid assignment rows (Förskjuts gets 2022 and a comment)."""
    out = []
    for i, (status, name) in enumerate(rows, 1):
        year = 2022 if status == POSTPONED else None
        comment = "Skäl." if status in (POSTPONED, CANCELLED) else ""
        out.append(AssignmentRow(f"U{i:02}", name, status, year, comment))
    return out


def no_number_zero(text: str) -> bool:
    return re.search(r"\bnoll\b", text, flags=re.IGNORECASE) is None


# count_word and sentence_start ------------------------------------------------------------


@pytest.mark.parametrize(
    "n, word",
    [(0, "noll"), (1, "ett"), (2, "två"), (8, "åtta"), (10, "tio"), (12, "tolv"), (13, "13"), (18, "18"), (100, "100")],
)
def test_count_word_small_in_words_large_in_digits(n: int, word: str) -> None:
    assert T.count_word(n) == word


@pytest.mark.parametrize("n, word", [(13, "tretton"), (18, "arton"), (20, "tjugo"), (21, "21")])
def test_count_word_with_higher_limit(n: int, word: str) -> None:
    assert T.count_word(n, 20) == word


@pytest.mark.parametrize("n, word", [(1, "Ett"), (2, "Två"), (3, "Tre"), (8, "Åtta"), (18, "Arton")])
def test_sentence_start_capitalised_word(n: int, word: str) -> None:
    assert T.sentence_start(n) == word


@pytest.mark.parametrize("n", [21, 35, 120])
def test_sentence_start_never_a_digit(n: int) -> None:
    start = T.sentence_start(n)
    assert not start[0].isdigit()
    assert str(n) in start


# assessment_sentence -----------------------------------------------------------------


@pytest.mark.parametrize(
    "counts, sentence",
    [
        ({HELT: 8, DELVIS: 10}, "Åtta nämndmål bedöms uppnås helt och tio bedöms uppnås delvis per helår."),
        ({HELT: 1}, "Ett nämndmål bedöms uppnås helt per helår."),
        ({DELVIS: 2}, "Två nämndmål bedöms uppnås delvis per helår."),
        ({DELVIS: 2, INTE: 1}, "Två nämndmål bedöms uppnås delvis och ett bedöms inte uppnås per helår."),
        (
            {HELT: 3, DELVIS: 2, INTE: 1},
            "Tre nämndmål bedöms uppnås helt, två bedöms uppnås delvis och ett bedöms inte uppnås per helår.",
        ),
        ({INTE: 1}, "Ett nämndmål bedöms inte uppnås per helår."),
        ({EJ: 1}, "Ett nämndmål har inte bedömts (Ej bedömt)."),
        ({HELT: 2, EJ: 2}, "Två nämndmål bedöms uppnås helt per helår. Två nämndmål har inte bedömts (Ej bedömt)."),
        ({HELT: 13}, "Tretton nämndmål bedöms uppnås helt per helår."),
    ],
)
def test_assessment_sentence(counts: dict[str, int], sentence: str) -> None:
    full = {HELT: 0, DELVIS: 0, INTE: 0, EJ: 0, **counts}
    assert T.assessment_sentence(full) == sentence


def test_assessment_sentence_all_zero_says_nothing() -> None:
    assert T.assessment_sentence({HELT: 0, DELVIS: 0, INTE: 0, EJ: 0}) == ""


def test_assessment_sentence_skips_zero_categories() -> None:
    sentence = T.assessment_sentence({HELT: 0, DELVIS: 4, INTE: 0, EJ: 0})
    assert no_number_zero(sentence)
    assert sentence == "Fyra nämndmål bedöms uppnås delvis per helår."


# Goals paragraphs on real results ---------------------------------------------------------


def test_goals_text_without_any_goal_is_grammatical(consolidated, examples) -> None:
    result = consolidated(*[replace(t, goals=[]) for t in examples])
    text = render(result)
    assert "Det finns inga nämndmål att bedöma i kommunstyrelsens underlag för perioden." in text
    assert no_number_zero(text)
    assert "0 nämndmål" not in text


def test_goals_of_total_without_full_goals_has_no_zero(consolidated, klf) -> None:
    """No goal fully reached: the sentence must not open with "Noll av …"."""
    result = consolidated(replace(klf, goals=goals(DELVIS, DELVIS, INTE)))
    sentence = T.goals_of_total_sentence(result)
    assert sentence  # the goals are there; say something about them
    assert no_number_zero(sentence), sentence
    assert "tre nämndmål" in sentence.casefold()


def test_goals_text_only_not_assessed_has_no_zero(consolidated, klf) -> None:
    result = consolidated(replace(klf, goals=goals(EJ, EJ)))
    text = render(result)
    assert "Två nämndmål har inte bedömts (Ej bedömt)." in text
    assert no_number_zero(text), text


def test_goals_paragraph_one_goal(consolidated, klf) -> None:
    result = consolidated(replace(klf, goals=goals(HELT)))
    paragraph = T.goals_paragraph(result)
    assert "Ett nämndmål bedöms uppnås helt per helår." in paragraph
    assert "samtliga" not in paragraph


def test_goals_paragraph_two_goals(consolidated, klf) -> None:
    result = consolidated(replace(klf, goals=goals(HELT, DELVIS)))
    paragraph = T.goals_paragraph(result)
    assert paragraph.startswith("Utveckling sker inom kommunstyrelsens ")
    assert paragraph.endswith(" Ett nämndmål bedöms uppnås helt och ett bedöms uppnås delvis per helår.")
    assert "samtliga två" not in paragraph and "2 nämndmål" not in paragraph
    assert T.goals_of_total_sentence(result) == "Ett av två nämndmål bedöms uppnås per helår, ett bedöms delvis uppnås."


def test_goals_of_total_lists_not_reached_and_not_assessed(consolidated, klf) -> None:
    result = consolidated(replace(klf, goals=goals(HELT, HELT, DELVIS, INTE, EJ)))
    assert T.goals_of_total_sentence(result) == (
        "Två av fem nämndmål bedöms uppnås per helår, ett bedöms delvis uppnås, "
        "ett bedöms inte uppnås och ett har inte bedömts."
    )


# Assignments --------------------------------------------------------------------------


def test_assignments_one_postponed(consolidated, klf) -> None:
    rows = assignments((DONE, "A"), (DOING, "B"), (POSTPONED, "Utred lokalerna"))
    result = consolidated(replace(klf, assignments=rows))
    paragraph = T.assignments_paragraph(result)
    assert paragraph == (
        "Av kommunstyrelsens tre strategiska utvecklingsuppdrag kommer två uppdrag att vara verkställda "
        "vid årets slut. Ett uppdrag förskjuts till 2022. Det är ”Utred lokalerna”."
    )


def test_assignments_two_postponed(consolidated, klf) -> None:
    rows = assignments((DONE, "A"), (POSTPONED, "B"), (POSTPONED, "C"))
    result = consolidated(replace(klf, assignments=rows))
    paragraph = T.assignments_paragraph(result)
    assert "kommer ett uppdrag att vara verkställt vid årets slut." in paragraph
    assert "Två uppdrag förskjuts till 2022. Dessa är ”B” och ”C”." in paragraph


def test_assignments_postponed_to_different_years(consolidated, klf) -> None:
    rows = [
        AssignmentRow("U1", "Senare", POSTPONED, 2023, "Skäl."),
        AssignmentRow("U2", "Nästa år", POSTPONED, 2022, "Skäl."),
        AssignmentRow("U3", "Klart", DONE),
    ]
    paragraph = T.assignments_paragraph(consolidated(replace(klf, assignments=rows)))
    assert paragraph.index("förskjuts till 2022") < paragraph.index("förskjuts till 2023")
    assert "Ett uppdrag förskjuts till 2022. Det är ”Nästa år”." in paragraph
    assert "Ett uppdrag förskjuts till 2023. Det är ”Senare”." in paragraph


def test_assignments_none_postponed_says_nothing_about_it(consolidated, klf) -> None:
    rows = assignments((DONE, "A"), (DOING, "B"))
    paragraph = T.assignments_paragraph(consolidated(replace(klf, assignments=rows)))
    assert paragraph == (
        "Av kommunstyrelsens två strategiska utvecklingsuppdrag kommer två uppdrag att vara verkställda vid årets slut."
    )
    assert "förskjuts" not in paragraph


def test_assignments_none_done(consolidated, klf) -> None:
    rows = assignments((POSTPONED, "A"), (POSTPONED, "B"))
    paragraph = T.assignments_paragraph(consolidated(replace(klf, assignments=rows)))
    assert paragraph.startswith(
        "Inget av kommunstyrelsens två strategiska utvecklingsuppdrag kommer att vara verkställt vid årets slut."
    )
    assert no_number_zero(paragraph)


def test_assignments_none_at_all(consolidated, examples) -> None:
    result = consolidated(*[replace(t, assignments=[]) for t in examples])
    paragraph = T.assignments_paragraph(result)
    assert paragraph == "Det finns inga strategiska utvecklingsuppdrag i kommunstyrelsens underlag för perioden."
    assert no_number_zero(render(result))


def test_assignments_single_one_is_grammatical(consolidated, klf) -> None:
    """One assignment in all: not "Av kommunstyrelsens ett strategiska utvecklingsuppdrag …"."""
    result = consolidated(replace(klf, assignments=assignments((DONE, "A"))))
    paragraph = T.assignments_paragraph(result)
    assert "ett strategiska" not in paragraph, paragraph
    assert "verkställt vid årets slut" in paragraph


def test_assignments_one_cancelled(consolidated, klf) -> None:
    rows = assignments((DONE, "A"), (CANCELLED, "Bygg ett torn"))
    paragraph = T.assignments_paragraph(consolidated(replace(klf, assignments=rows)))
    assert "Ett uppdrag avbryts. Det är ”Bygg ett torn”." in paragraph


# Economy --------------------------------------------------------------------------------


def _economy(budget: float, forecast: float) -> list[EconomyRow]:
    return [EconomyRow("E-01", "Verksamhet", budget, budget * 0.6, forecast, budget, "Orsak och åtgärd.")]


def test_economy_deficit_wording(consolidated, examples) -> None:
    klf, vos, ll = examples
    result = consolidated(klf, replace(vos, economy=_economy(-10_000, -13_400)), ll)
    assert T.result_phrase(result.included[1]) == "Verksamhetsstöd och service redovisar ett underskott med 3,4 mnkr"
    text = render(result)
    assert "Verksamhetsstöd och service redovisar ett underskott med 3,4 mnkr" in text
    assert f"- Verksamhetsstöd och service  {MINUS} 3,4 mnkr" in text.splitlines()
    assert "Kommunledningsförvaltningen redovisar ett överskott med 12,8 mnkr" in text


def test_economy_result_on_budget(consolidated, klf) -> None:
    result = consolidated(replace(klf, economy=_economy(-10_000, -9_960)))
    assert T.result_phrase(result.included[0]) == "Kommunledningsförvaltningen redovisar ett resultat i nivå med budget"


def test_economy_paragraph_single_forvaltning(consolidated, klf) -> None:
    result = consolidated(klf)
    assert T.economy_paragraph(result) == (
        "Den ekonomiska helårsbedömningen för kommunstyrelsen är att Kommunledningsförvaltningen "
        "redovisar ett överskott med 12,8 mnkr."
    )


def test_signed_mnkr_matches_reference_list_style() -> None:
    assert T.signed_mnkr(12_762) == "+ 12,8 mnkr"
    assert T.signed_mnkr(-3_400) == f"{MINUS} 3,4 mnkr"


# Small helpers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "items, joined", [([], ""), (["a"], "a"), (["a", "b"], "a och b"), (["a", "b", "c"], "a, b och c")]
)
def test_join_and(items: list[str], joined: str) -> None:
    assert T.join_and(items) == joined


def test_quoted_uses_swedish_quotes() -> None:
    assert T.quoted(" Uppdrag ") == "”Uppdrag”"


def test_owner_possessive() -> None:
    assert T.owner("Kommunstyrelsen") == "kommunstyrelsens"
    assert T.owner("Äldrenämnden") == "äldrenämndens"
    assert T.owner("Kultur- och fritidsnämnden") == "kultur- och fritidsnämndens"


def test_period_phrase() -> None:
    from datetime import date

    assert T.period_phrase(date(2021, 8, 31)) == "per den 31 augusti"
    assert T.period_phrase(date(2021, 4, 30)) == "per den 30 april"


def test_economy_list_small_deficit_keeps_minus(consolidated, klf) -> None:
    """−40 tkr rounds to 0,0 but is still an underskott: the list must not print "+ 0,0"."""
    result = consolidated(replace(klf, economy=_economy(-10_000, -10_040)))
    assert T.economy_list(result) == [f"- Kommunledningsförvaltningen  {MINUS} 0,0 mnkr"]


# MBL ----------------------------------------------------------------------------------------


def test_mbl_sentence_names_missing_dates(consolidated, examples) -> None:
    from conftest import with_meta

    klf, vos, ll = examples
    result = consolidated(klf, with_meta(vos, mbl_datum=None), ll)
    assert T.mbl_sentence(result) == (
        "Information enligt MBL § 19 genomfördes vid Kommunledningsförvaltningen den 2021-09-23 "
        "och inom Leanlink den 2021-09-16. "
        "Datum för information enligt MBL § 19 saknas för Verksamhetsstöd och service."
    )


def test_mbl_sentence_without_any_date(consolidated, examples) -> None:
    from conftest import with_meta

    result = consolidated(*[with_meta(t, mbl_datum=None) for t in examples])
    sentence = T.mbl_sentence(result)
    assert "genomfördes" not in sentence
    assert sentence == (
        "Datum för information enligt MBL § 19 saknas för Kommunledningsförvaltningen, "
        "Verksamhetsstöd och service och Leanlink."
    )


def test_title_of_verksamhetsberattelse(consolidated, klf) -> None:
    from datetime import date

    from conftest import with_meta

    result = consolidated(with_meta(klf, rapport="Verksamhetsberättelse", periodslut=date(2021, 12, 31)))
    assert T.title(result) == "Verksamhetsberättelse för kommunstyrelsen 2021"


def test_title_of_delarsrapport_per_april(consolidated, klf) -> None:
    from datetime import date

    from conftest import with_meta

    result = consolidated(with_meta(klf, periodslut=date(2021, 4, 30)))
    assert T.title(result) == "Delårsrapport för kommunstyrelsen per den 30 april med prognos för helår 2021"


def test_economy_list_says_when_rounded_lines_do_not_add_up(consolidated, examples) -> None:
    """Three förvaltningar +40 tkr each: every line shows + 0,0 but the total is + 0,1; say so, adjust nothing."""
    small = [
        replace(t, economy=[replace(t.economy[0], budget=-1000, forecast=-960, previous_forecast=-960, comment="")])
        for t in examples
    ]
    lines = T.economy_list(consolidated(*small))
    assert lines[:3] == [f"- {t.meta.forvaltning}  + 0,0 mnkr" for t in examples]
    assert lines[3] == (
        "Beloppen är avrundade var för sig; summan av raderna avviker därför från totalen +0,1 mnkr."
    )  # a sentence: the sign on the number, as in the domain


def test_economy_list_adds_no_note_when_lines_add_up(demo) -> None:
    assert len(T.economy_list(demo.result)) == 3


def test_development_sentence_says_samtliga_only_when_every_goal_develops() -> None:
    """One rule for both levels (issue 22): the prose follows the assessments."""
    from delar_xl.namnd.text import development_sentence
    from delar_xl.template import declaration as T

    def counts(full: int, partial: int, not_: int = 0, unassessed: int = 0) -> dict[str, int]:
        return {T.GOAL_FULL: full, T.GOAL_PARTIAL: partial, T.GOAL_NOT: not_, T.GOAL_NOT_ASSESSED: unassessed}

    assert development_sentence(counts(8, 10), "kommunstyrelsens") == (
        "Utveckling sker inom kommunstyrelsens samtliga 18 nämndmål för budgetåret."
    )
    assert development_sentence(counts(10, 11, 1, 1), "nämndernas") == (
        "Utveckling sker inom 21 av nämndernas 23 nämndmål för budgetåret."
    )
    assert development_sentence(counts(8, 7, 2, 1), "kommunstyrelsens") == (
        "Utveckling sker inom femton av kommunstyrelsens arton nämndmål för budgetåret."
    )
    assert development_sentence(counts(0, 0, 2, 1), "nämndernas") == ""
