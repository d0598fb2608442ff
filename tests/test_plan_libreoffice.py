"""LibreOffice opens the plan and a pre-filled template and converts both to PDF (one start);
the recalculated pre-filled template keeps its names, tables and plan values."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import openpyxl
import pytest
from libreoffice import convert

from delar_xl.demo.namnd import Demo


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory, demo: Demo) -> dict[str, Path]:
    import shutil

    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        return {}
    src = tmp_path_factory.mktemp("plan-lo")
    plan = src / "plan.xlsx"
    prefilled = src / "forifylld.xlsx"
    plan.write_bytes(demo.plan.read_bytes())
    prefilled.write_bytes(demo.prefilled[2].read_bytes())
    pdfs = convert([plan, prefilled], "pdf", src / "pdf")
    xlsx = convert([prefilled], "xlsx", src / "xlsx", recalc=True)
    return {"plan": pdfs[0], "prefilled": pdfs[1], "prefilled.xlsx": xlsx[0]}


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_libreoffice_plan_pdf_has_instructions_and_every_table(soffice: str, converted: dict[str, Path]) -> None:
    data = converted["plan"].read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(converted["plan"])
    assert "Plan för delårsrapporter – instruktioner" in text
    for title in (
        "Förvaltningar som rapporterar",
        "Nämndmål",
        "Strategiska utvecklingsuppdrag",
        "Budget per verksamhet (tkr)",
        "Nämndindikatorer",
        "Beslutet skickas till",
    ):
        assert title in text, title
    assert "Ekonomichef, Åsa Haraldsson" in text and "KS-M18" in text


def test_libreoffice_prefilled_pdf_shows_plan_values(soffice: str, converted: dict[str, Path]) -> None:
    text = pdf_text(converted["prefilled"])
    assert "Mall för delårsrapport – instruktioner" in text
    assert "Förifylld från planen för Kommunstyrelsen 2021" in " ".join(text.split())
    assert "Gemensamt och ledning" in text and "KS-M16" in text and "KS-U18" in text


def test_libreoffice_prefilled_recalculated_keeps_names_tables_and_locks(
    soffice: str, converted: dict[str, Path]
) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(converted["prefilled.xlsx"].read_bytes()))
    assert {"Forvaltning", "Namnd", "Periodslut", "Mallversion"} <= set(wb.defined_names)
    ws = wb["Ekonomi"]
    assert "Ekonomi" in ws.tables
    assert [ws[f"A{r}"].value for r in range(5, 10)] == ["LL-01", "LL-02", "LL-03", "LL-04", "LL-05"]
    assert ws["A5"].protection.locked and not ws["E5"].protection.locked
