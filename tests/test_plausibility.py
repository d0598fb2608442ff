"""Plausibility (issue 19, item 1): legal amounts that are almost certainly a slip get a Varning at the cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import fill
from hypothesis import given
from hypothesis import strategies as st

from delar_xl import check
from delar_xl.cli import main
from delar_xl.settings import Settings, load_settings
from delar_xl.template.model import Template
from delar_xl.template.plausibility import CODES, amount_findings

S = Settings()
CELLS = {"budget": "C5", "actual": "D5", "forecast": "E5"}


def found(budget: float | None, actual: float | None, forecast: float | None, s: Settings = S) -> list[list[str]]:
    return [
        [f.severity.value, f.cell, f.code]
        for f in amount_findings("m.xlsx", "Ekonomi", "KLF-01", budget, actual, forecast, CELLS, s)
    ]


def test_sign_slip_of_the_issue_at_the_forecast_cell() -> None:
    """Budget −35 500, prognos +35 100 with "Enligt plan.": it used to pass without a word."""
    findings = amount_findings("m.xlsx", "Ekonomi", "KLF-01", -35_500, -23_000, 35_100, CELLS, S)
    assert [[f.severity.value, f.cell, f.code] for f in findings] == [["Varning", "E5", "rimlig-tecken"]]
    assert findings[0].message == (
        "Prognosen för KLF-01 har motsatt tecken mot budgeten (budget −35\u00a0500 tkr, prognosen +35\u00a0100 tkr)."
        " Avvikelsen blir då +70,6 mnkr (överskott). En kostnad skrivs negativ (resultattecken); kontrollera tecknet."
    )


def test_unit_slip_mnkr_in_tkr_column() -> None:
    findings = amount_findings("m.xlsx", "Ekonomi", "KLF-01", -35_500, -23_000, -35.1, CELLS, S)
    assert [[f.cell, f.code] for f in findings] == [["E5", "rimlig-enhet"]]
    assert "har den skrivits i mnkr? −35,1 mnkr skrivs −35\u00a0100 tkr." in findings[0].message


def test_unit_slip_kronor_in_tkr_column_on_utfall() -> None:
    assert found(-35_500, -23_400_000, -35_100) == [["Varning", "D5", "rimlig-enhet"]]


def test_deviation_out_of_proportion() -> None:
    assert found(-35_500, -8_000, -12_000) == [["Varning", "E5", "rimlig-avvikelse"]]


def test_actual_beyond_the_year() -> None:
    assert found(-35_500, -36_200, -35_100) == [["Varning", "D5", "rimlig-utfall"]]


def test_one_slip_one_finding() -> None:
    """A sign slip is also out of proportion: the row gets the finding that names the cause, once."""
    assert [c for _, _, c in found(-35_500, -23_000, 35_100)] == ["rimlig-tecken"]
    assert [c for _, _, c in found(-35_500, -23_000, -35.1)] == ["rimlig-enhet"]


def test_a_new_row_with_budget_zero_is_not_out_of_proportion() -> None:
    assert found(0, -3_000, -9_000) == []


def test_thresholds_come_from_the_settings(tmp_path: Path) -> None:
    toml = tmp_path / "delar_xl.toml"
    toml.write_text(
        "[kontroll]\nrimlighet_grans_tkr = 100000\nrimlighet_enhet_faktor = 10\nrimlighet_avvikelse_procent = 80\n",
        encoding="utf-8",
    )
    s = load_settings(toml)
    assert (s.plausibility_min_tkr, s.unit_slip_factor, s.deviation_share_percent) == (100_000, 10, 80)
    assert found(-35_500, -23_000, 35_100, s) == []


# Properties ---------------------------------------------------------------------------------

_amount = st.floats(min_value=S.plausibility_min_tkr, max_value=5_000_000, allow_nan=False)


@st.composite
def plausible_rows(draw: st.DrawFn) -> tuple[float, float, float]:
    """A cost or income row within every threshold: same sign, same unit, in proportion, utfall within the year."""
    sign = draw(st.sampled_from((-1, 1)))
    budget = draw(_amount)
    share = S.deviation_share_percent / 100
    forecast = draw(st.floats(min_value=budget * (1 - share) + 1, max_value=budget * (1 + share) - 1))
    actual = draw(st.just(0.0) | st.floats(min_value=budget * 2 / S.unit_slip_factor, max_value=forecast))
    return sign * budget, sign * actual, sign * forecast


@given(plausible_rows())
def test_property_a_row_within_the_thresholds_gives_none(row: tuple[float, float, float]) -> None:
    assert found(*row) == []


@given(plausible_rows(), st.sampled_from(("sign", "mnkr", "kr")))
def test_property_a_planted_slip_always_gives_one(row: tuple[float, float, float], slip: str) -> None:
    budget, actual, forecast = row
    planted = {"sign": -forecast, "mnkr": forecast / 1000, "kr": forecast * 1000}[slip]
    codes = [c for _, cell, c in found(budget, actual, planted) if cell == "E5"]
    assert codes == ["rimlig-tecken" if slip == "sign" else "rimlig-enhet"]


# In the template ------------------------------------------------------------------------------


def test_demo_templates_give_no_plausibility_finding(examples: list[Template]) -> None:
    from delar_xl.template.rules import validate

    for template in examples:
        assert [f for f in validate(template) if f.code in CODES] == []


def test_kontrollera_shows_the_sign_slip_at_its_cell(
    write, klf: Template, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 19: budget −98 400, prognos +93 112 and "Enligt plan." passed without a finding."""
    path = fill(write(klf), {("Ekonomi", "E5"): 93_112, ("Ekonomi", "H5"): "Enligt plan."}, tmp_path / "slarv.xlsx")
    assert [[f.severity.value, f.sheet, f.cell, f.code] for f in check([path]).report.findings] == [
        ["Varning", "Ekonomi", "E5", "rimlig-tecken"]
    ]
    assert main(["kontrollera", str(path)]) == 0
    out = capsys.readouterr().out
    assert (
        "slarv.xlsx, blad Ekonomi, cell E5: Varning: Prognosen för KLF-01 har motsatt tecken mot budgeten "
        "(budget −98\u00a0400 tkr, prognosen +93\u00a0112 tkr). Avvikelsen blir då +191,5 mnkr (överskott)."
    ) in out
