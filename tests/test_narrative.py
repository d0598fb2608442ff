"""The förvaltning's narrative fits its template: a real Sammanfattning paragraph has room, is read whole
and is never cut, and LibreOffice shows all of it when it prints the Uppgifter sheet."""

from __future__ import annotations

import subprocess
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import fill, with_meta
from libreoffice import convert

from delar_xl import check
from delar_xl.template import declaration as T
from delar_xl.template.model import Template
from delar_xl.template.write import write_blank

# The reference's paragraph (shared/reference/tjansteskrivelse-…txt, Ärende), 893 characters.
PARAGRAPH = (
    "Verksamheten under kommunstyrelsen har i allt väsentligt bedrivits utifrån lagstiftning, reglemente, "
    "styrdokument och kommunstyrelsens internbudget, dock med en lägre takt än planerat. Verksamheten har under "
    "året varit fortsatt påverkad av den pågående coronapandemin. För verksamhetsåret 2021 har detta medfört att "
    "vissa planerade åtgärder och aktiviteter har anpassats eller förskjutits i tid. Utveckling sker inom "
    "kommunstyrelsens samtliga 18 nämndmål för budgetåret. Åtta nämndmål bedöms uppnås helt och tio bedöms "
    "uppnås delvis per helår. Den ekonomiska helårsbedömningen för kommunstyrelsen uppdelat på förvaltning är att "
    "Kommunledningsförvaltningen redovisar ett överskott med 12,8 mnkr och Verksamhetsstöd och service redovisar "
    "ett överskott med 8,2 mnkr. Leanlink prognostiserar efter en engångsersättning för särskilda insatser från "
    "äldrenämnden med ett överskott i år med 22,1 mnkr."
)
CELL = T.field_cell("Sammanfattning")
PERIOD = date(2021, 8, 31)


def test_the_sammanfattning_is_one_tall_wrapped_input_cell(tmp_path: Path) -> None:
    path = write_blank(tmp_path / "mall.xlsx", "Leanlink", PERIOD)
    wb = openpyxl.load_workbook(path)
    ws = wb[T.INFO_SHEET]
    destinations = list(wb.defined_names["Sammanfattning"].destinations)
    assert destinations == [(T.INFO_SHEET, "$B$10")] and CELL == "B10"
    assert not ws.merged_cells.ranges
    cell = ws[CELL]
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top" and not cell.protection.locked
    assert ws.row_dimensions[10].height == 15 * T.field("Sammanfattning").lines == 270
    assert ws.column_dimensions["B"].width == pytest.approx(T.INFO_WIDTHS[1], abs=1)
    wb.close()


def test_a_longer_text_gets_a_taller_row_up_to_excels_limit(write, klf: Template) -> None:
    rows = {}
    for name, text in (("kort", "En mening."), ("lang", PARAGRAPH * 2), ("mycket", PARAGRAPH * 10)):
        wb = openpyxl.load_workbook(write(with_meta(klf, sammanfattning=text), f"{name}.xlsx"))
        rows[name] = wb[T.INFO_SHEET].row_dimensions[10].height
        wb.close()
    assert rows == {"kort": 270, "lang": pytest.approx(390, abs=60), "mycket": pytest.approx(409, abs=1)}


def test_the_reference_paragraph_typed_by_a_controller_is_read_whole(tmp_path: Path) -> None:
    path = write_blank(tmp_path / "mall.xlsx", "Kommunledningsförvaltningen", PERIOD)
    fill(path, {(T.INFO_SHEET, CELL): PARAGRAPH})
    unit = check([path]).units[0]
    assert unit.template.meta.sammanfattning == PARAGRAPH


def test_a_text_of_excels_full_length_is_read_whole(tmp_path: Path) -> None:
    text = ("Ett stycke text. " * 2000)[: T.EXCEL_TEXT_MAX - 1] + "X"
    path = write_blank(tmp_path / "mall.xlsx", "Leanlink", PERIOD)
    fill(path, {(T.INFO_SHEET, CELL): text})
    assert check([path]).units[0].template.meta.sammanfattning == text


def test_a_text_longer_than_excel_allows_is_still_read_whole(tmp_path: Path) -> None:
    """Excel and openpyxl stop at 32 767 characters; a file from another tool may hold more, and the
    reader keeps all of it rather than cutting silently."""
    path = write_blank(tmp_path / "mall.xlsx", "Leanlink", PERIOD)
    fill(path, {(T.INFO_SHEET, CELL): "y" * 100})
    longer = tmp_path / "lang.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(longer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data.replace(b"y" * 100, b"y" * 40_000))
    assert check([longer]).units[0].template.meta.sammanfattning == "y" * 40_000


def test_the_generator_refuses_a_text_excel_cannot_hold(write, klf: Template) -> None:
    """XlsxWriter would cut it with a warning only: the generator refuses instead."""
    write(with_meta(klf, sammanfattning="x" * T.EXCEL_TEXT_MAX), "max.xlsx")
    with pytest.raises(ValueError, match="32767"):
        write(with_meta(klf, sammanfattning="x" * (T.EXCEL_TEXT_MAX + 1)), "over.xlsx")


def test_libreoffice_prints_the_whole_paragraph_on_the_uppgifter_page(soffice: str, tmp_path: Path) -> None:
    """Text that does not fit its row is clipped in print: the paragraph's last words must be on the page."""
    path = write_blank(tmp_path / "mall.xlsx", "Leanlink", PERIOD)
    fill(path, {(T.INFO_SHEET, CELL): PARAGRAPH})
    [pdf] = convert([path], "pdf", tmp_path / "pdf", recalc=False)
    page = _page_text(pdf, _sheet_page(path, T.INFO_SHEET))
    for words in (
        "Verksamheten under kommunstyrelsen",
        "förskjutits i tid",
        "Åtta nämndmål bedöms",
        "äldrenämnden med ett överskott i år med 22,1 mnkr.",
    ):
        assert words in page


def _sheet_page(path: Path, sheet: str) -> int:
    """1-based PDF page of a one-page sheet: the sheets before it print one page each here."""
    wb = openpyxl.load_workbook(path, read_only=True)
    index = wb.sheetnames.index(sheet)
    wb.close()
    return index + 1


def _page_text(pdf: Path, page: int) -> str:
    done = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())
