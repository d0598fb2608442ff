"""The summary workbook as printed (issue 22): what politicians read on page 1, amounts grouped with the
legend's "–", whole-number chart axes, the banner whole, the Text sheet's headings kept with what follows.
Read back with openpyxl and from the chart XML; an incomplete summary rendered by LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import IN_CI

from delar_xl.demo.kommun import KommunDemo, write_kommun_demo
from delar_xl.demo.namnd import Demo
from delar_xl.namnd.book import text_page_breaks
from delar_xl.namnd.summary import KEY_FIGURES, SOURCE_FIGURES


def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))


def sheet_texts(ws) -> list[str]:
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]


@pytest.fixture(scope="module")
def incomplete(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Leanlink has not sent its template: the banner says OFULLSTÄNDIG."""
    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.summary import write_summary

    result = consolidate(demo.templates[:2], plan=demo.plan)
    return write_summary(result, tmp_path_factory.mktemp("ofullst") / "Sammanställning.xlsx")


def test_page_one_has_file_names_not_local_paths(demo: Demo) -> None:
    wb = load(demo.summary)
    texts = sheet_texts(wb["Sammanställning"])
    folder = str(demo.templates[0].parent)
    assert not [t for t in texts if folder in t or str(demo.plan) in t]
    assert (
        "Underlag: förvaltningarnas mallar i mappen ”mallar” och nämndens plan ”Plan Kommunstyrelsen 2021.xlsx” "
        "(sökvägar och kontrollsummor på bladet Källor)."
    ) in texts
    # the full paths stay on Källor, for Ekonomistaben and the add-in's refresh
    sources = sheet_texts(wb["Källor"])
    assert str(demo.templates[0].parent.resolve()) in sources


def test_key_figures_carry_no_finding_counts_or_level(demo: Demo) -> None:
    labels = [label for _, label, _ in KEY_FIGURES]
    assert not {"Fel", "Varningar", "Nivå", "Mapp med mallar", "Plan", "Skapad"} & set(labels)
    wb = load(demo.summary)
    column_a = [r[0] for r in wb["Sammanställning"].iter_rows(values_only=True) if r and r[0]]
    assert not {"Fel", "Varningar", "Nivå"} & set(column_a)
    assert "För Ekonomistaben: kontrollen gav 0 fel och 0 varningar (se bladet Kontroll)." in column_a
    for name, _, _ in SOURCE_FIGURES:  # the defined names stay, on Källor
        ((sheet, _),) = list(wb.defined_names[name].destinations)
        assert sheet == "Källor"


def test_the_banner_says_what_is_missing_not_how_many_findings(demo: Demo, incomplete: Path) -> None:
    """The status line politicians read first names who is missing; the counts are Ekonomistaben's line."""
    complete, partial = (load(path)["Sammanställning"]["A2"].value for path in (demo.summary, incomplete))
    assert complete == "3 av 3 förvaltningar har lämnat in. Alla 3 mallar ingår."
    assert (
        partial
        == "OFULLSTÄNDIG: 2 av 3 förvaltningar har lämnat in; Leanlink saknas. Se bladen Inlämning och Kontroll."
    )
    assert not [b for b in (complete, partial) if re.search(r"\d+ (fel|varningar)\b", b)]


def test_every_mnkr_and_tkr_format_is_grouped_with_the_legends_dash(demo: Demo) -> None:
    wb = load(demo.summary)
    formats = {
        c.number_format
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, float) and ws.title in ("Sammanställning", "Ekonomi")
    }
    assert formats
    for fmt in formats:
        if "0.0" in fmt or "#,##0;" in fmt:
            assert "#,##0" in fmt and fmt.endswith('"–"'), fmt


def test_chart_axes_count_in_whole_numbers(demo: Demo) -> None:
    with zipfile.ZipFile(demo.summary) as zf:
        charts = [zf.read(n).decode() for n in sorted(zf.namelist()) if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    for chart in charts:
        assert re.search(r'<c:majorUnit val="\d+"/>', chart), chart[:200]
        assert 'formatCode="0.0"' not in chart.split("<c:valAx>")[1]  # no "25,0" to cut: whole numbers
        assert "<c:manualLayout>" in chart  # room left for the last axis label


def test_banner_spans_the_table_and_wraps(incomplete: Path) -> None:
    ws = load(incomplete)["Sammanställning"]
    (banner,) = [r for r in ws.merged_cells.ranges if r.min_row == 2]
    assert (banner.min_col, banner.max_col) == (1, 15)  # A to O: the whole table Per förvaltning
    assert ws["A2"].alignment.wrap_text and ws["A2"].value.startswith("OFULLSTÄNDIG")


def test_text_page_breaks_keep_a_heading_with_what_follows() -> None:
    # groups: 1 a long paragraph, 2 a heading and its paragraph, 3 a list; 700 points a page
    groups, heights, blank = [1, 2, 2, 3, 3, 3], [650.0, 20.0, 60.0, 15.0, 15.0, 15.0], [False] * 6
    assert text_page_breaks(groups, heights, blank, page=700.0) == [1]  # "Bakgrund" never alone at a page foot
    assert text_page_breaks([1, 2], [100.0, 100.0], [False, False], page=700.0) == []
    # a group taller than a page flows on: no break before it would help
    assert text_page_breaks([1, 2], [100.0, 900.0], [False, False], page=700.0) == []


def test_text_sheet_has_the_page_breaks(demo: Demo) -> None:
    ws = load(demo.summary)["Text"]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks
    texts = {row: ws.cell(row, 1).value for row in range(1, ws.max_row + 1)}
    for row in breaks:  # the first row of each new page is a heading (or starts a kept block), never blank
        assert texts.get(row + 1), row


def test_libreoffice_prints_the_incomplete_banner_whole(incomplete: Path, tmp_path: Path) -> None:
    from libreoffice import convert, soffice

    if soffice() is None or shutil.which("pdftotext") is None:
        if IN_CI:
            pytest.fail("LibreOffice and pdftotext are required in CI")
        pytest.skip("LibreOffice or pdftotext is not installed here")
    (pdf,) = convert([incomplete], "pdf", tmp_path / "pdf", recalc=False)
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    first = " ".join(pages[0].split())
    assert "OFULLSTÄNDIG: 2 av 3 förvaltningar har lämnat in; Leanlink saknas" in first
    assert "Se bladen Inlämning och Kontroll." in first  # not cut at "Se bladet K"
    assert "/tmp" not in pages[0] and "Nivå" not in pages[0]
    text_pages = [p for p in pages if "Förslag till text för tjänsteskrivelsen" in p or "Beslutsunderlag" in p]
    for page in text_pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[-2] not in ("Bakgrund", "Beslutsunderlag", "Jämställdhet", "Ärende"), lines[-3:]


# The kommun summary (issue 23 on issue 22's page 1): the same split as the nämnd's ---------------------------

KOMMUN_SOURCE_NAMES = ("Niva", "AntalFel", "AntalVarningar", "Kallmapp", "Skapad")


@pytest.fixture(scope="module")
def kommun(tmp_path_factory: pytest.TempPathFactory) -> KommunDemo:
    return write_kommun_demo(tmp_path_factory.mktemp("kommun"))


def column_a(ws) -> list[str]:
    return [str(r[0]) for r in ws.iter_rows(values_only=True) if r and r[0] is not None]


def test_kommun_page_one_has_no_counts_level_folder_or_time(kommun: KommunDemo) -> None:
    from delar_xl.kommun.summary import KEY_FIGURES as KOMMUN_KEY_FIGURES

    forbidden = {"Fel", "Varningar", "Nivå", "Mapp med sammanställningar", "Skapad"}
    assert not forbidden & {label for _, label, _ in KOMMUN_KEY_FIGURES}
    ws = load(kommun.summary)["Sammanställning"]
    assert not forbidden & set(column_a(ws))
    folder = kommun.finans.parent
    local = (str(folder), str(folder.resolve()), str(kommun.finans), str(kommun.finans.resolve()))
    assert not [t for t in sheet_texts(ws) if any(path in t for path in local)]
    assert "För Ekonomistaben: kontrollen gav 0 fel och 0 varningar (se bladet Kontroll)." in column_a(ws)


def test_kommun_underlag_names_the_folder_and_the_finans_file_by_name(kommun: KommunDemo) -> None:
    ws = load(kommun.summary)["Sammanställning"]
    assert (
        f"Underlag: nämndernas sammanställningar i mappen ”{kommun.finans.parent.name}” och "
        f"finansförvaltningens underlag ”{kommun.finans.name}” (sökvägar och kontrollsummor på bladet Källor)."
    ) in column_a(ws)


def test_kommun_defined_names_resolve_on_kallor_with_the_full_paths(kommun: KommunDemo) -> None:
    wb = load(kommun.summary)
    values = {}
    for name in KOMMUN_SOURCE_NAMES:  # contract §2 and §6 names: kept, for Ekonomistaben and the add-in
        ((sheet, ref),) = list(wb.defined_names[name].destinations)
        assert sheet == "Källor", name
        values[name] = wb[sheet][ref.replace("$", "")].value
    assert values["Niva"] == "Kommun" and values["AntalFel"] == 0 and values["AntalVarningar"] == 0
    assert values["Kallmapp"] == str(kommun.finans.parent.resolve())
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", values["Skapad"])
    for name in ("Underlag", "Kontrollrad"):
        ((sheet, _),) = list(wb.defined_names[name].destinations)
        assert sheet == "Sammanställning"
    sources = sheet_texts(wb["Källor"])
    assert str(kommun.finans.resolve()) in sources  # the full path of every input stays on Källor
    assert "Mapp med sammanställningar" in sources


def test_kommun_underlag_without_the_finans_template(demo: Demo, tmp_path: Path) -> None:
    from delar_xl.kommun.consolidate import consolidate_kommun
    from delar_xl.kommun.summary import name_values

    folder = tmp_path / "nämnder"
    folder.mkdir()
    (folder / "KS.xlsx").write_bytes(demo.summary.read_bytes())
    assert name_values(consolidate_kommun([folder]))["Underlag"] == (
        "Underlag: nämndernas sammanställningar i mappen ”nämnder” (sökvägar och kontrollsummor på bladet Källor)."
    )


def test_libreoffice_prints_the_kommun_page_one_without_paths(kommun: KommunDemo, tmp_path: Path) -> None:
    from libreoffice import convert, soffice

    if soffice() is None or shutil.which("pdftotext") is None:
        if IN_CI:
            pytest.fail("LibreOffice and pdftotext are required in CI")
        pytest.skip("LibreOffice or pdftotext is not installed here")
    (pdf,) = convert([kommun.summary], "pdf", tmp_path / "pdf", recalc=False)
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    first = " ".join(pages[0].split())
    assert "Underlag: nämndernas sammanställningar i mappen" in first
    assert str(kommun.finans.parent) not in first and "Nivå" not in first and "Skapad" not in first
    kallor = " ".join(" ".join(p.split()) for p in pages if "Källor – nämndernas sammanställningar" in p)
    assert "Mapp med sammanställningar" in kallor and "Nivå Kommun" in kallor
