"""LibreOffice as an independent spreadsheet engine: the files render, and a full recalculation
changes no figure.

All inputs are built once per module and converted with two LibreOffice starts (one to PDF,
one to .xlsx with the profile that forces recalculation of every formula, see
shared/reference/excel-files.md). The conversions are lazy, so a test that needs them first
asks for the `soffice` fixture: it skips without LibreOffice here and fails in CI.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from functools import cached_property
from pathlib import Path

import openpyxl
import pytest
from conftest import fill
from libreoffice import convert

from delar_xl.demo.namnd import Demo, example_templates
from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.summary import write_summary
from delar_xl.template.write import write_blank, write_template

RISKY_TEXTS = ['=HYPERLINK("http://x";"klick")', "+46 13 20 00 00", "-bra resultat", "@SUM(A1:A2)"]
PLANTED = 999_999  # a wrong cached value planted in every Avvikelse cell of the "stale" template

# Rows typed into a blank template with openpyxl: (Radnyckel, Verksamhet, Budget, Prognos).
FILLED_ROWS = [
    ("LL-01", "Hemtjänst", -2_000, 1_904),
    ("LL-02", "Särskilt boende", -415_100, -410_700),
    ("LL-03", "Funktionsstöd", 1_500, 1_200),
    ("LL-04", "Bara budget", 500, None),
]


def load(path: Path, data_only: bool = False) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(path.read_bytes()), data_only=data_only)


def name_values(wb: openpyxl.Workbook) -> dict[str, object]:
    values = {}
    for name, dn in wb.defined_names.items():
        destinations = list(dn.destinations)
        if len(destinations) == 1 and re.fullmatch(r"\$?[A-Z]+\$?\d+", destinations[0][1]):
            sheet, ref = destinations[0]
            values[name] = wb[sheet][ref.replace("$", "")].value
    return values


def economy_rows(wb: openpyxl.Workbook) -> list[dict[str, object]]:
    """The template's Ekonomi table as records (cell objects), rows with a Radnyckel only."""
    ws = wb["Ekonomi"]
    rows = list(ws[ws.tables["Ekonomi"].ref])
    headers = [c.value for c in rows[0]]
    return [dict(zip(headers, row)) for row in rows[1:] if row[0].value not in (None, "")]


def plant_stale_cache(source: Path, target: Path) -> Path:
    """Copy a template, replacing every cached Avvikelse value by a wrong number."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":  # "Ekonomi", the third sheet
                text, n = re.subn(
                    r'(<c r="F\d+"[^>]*><f>[^<]*</f><v>)-?\d+(?:\.\d+)?(</v>)',
                    rf"\g<1>{PLANTED}\g<2>",
                    data.decode("utf-8"),
                )
                assert n >= 5, "no cached Avvikelse value found to plant"
                data = text.encode("utf-8")
            zout.writestr(item, data)
    return target


def pdf_pages(path: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, flags=re.MULTILINE).group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", path.read_bytes()))


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) saknas")
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    done = subprocess.run([*cmd, str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


class Converted:
    """The module's inputs and their LibreOffice conversions, each made once on first use."""

    def __init__(self, folder: Path, demo: Demo) -> None:
        self.folder = folder
        self.demo = demo

    @cached_property
    def inputs(self) -> dict[str, Path]:
        src = self.folder / "in"
        src.mkdir()
        blank = write_blank(src / "blank.xlsx", "Leanlink", date(2021, 8, 31))
        edits = {}
        for i, (key, activity, budget, forecast) in enumerate(FILLED_ROWS):
            row = 5 + i
            edits.update(
                {
                    ("Ekonomi", f"A{row}"): key,
                    ("Ekonomi", f"B{row}"): activity,
                    ("Ekonomi", f"C{row}"): budget,
                    ("Ekonomi", f"E{row}"): forecast,
                }
            )
        filled = fill(blank, edits, out=src / "filled.xlsx")
        stale = plant_stale_cache(self.demo.templates[0], src / "stale.xlsx")
        klf, vos, ll = example_templates()
        economy = [replace(r, comment=t) for r, t in zip(klf.economy, RISKY_TEXTS)] + klf.economy[len(RISKY_TEXTS) :]
        risky_dir = src / "risky"
        paths = [
            write_template(risky_dir / f"{i}.xlsx", t) for i, t in enumerate([replace(klf, economy=economy), vos, ll])
        ]
        risky = write_summary(consolidate(paths), src / "risky-summary.xlsx")
        return {
            "summary": self.demo.summary,
            **{f"template{i}": p for i, p in enumerate(self.demo.templates)},
            "filled": filled,
            "stale": stale,
            "risky": risky,
        }

    @cached_property
    def pdf(self) -> dict[str, Path]:
        keys = ["summary", "template0"]
        out = convert([self.inputs[k] for k in keys], "pdf", self.folder / "pdf")
        return dict(zip(keys, out))

    @cached_property
    def xlsx(self) -> dict[str, Path]:
        keys = list(self.inputs)
        out = convert([self.inputs[k] for k in keys], "xlsx", self.folder / "xlsx", recalc=True)
        return dict(zip(keys, out))


@pytest.fixture(scope="module")
def lo(tmp_path_factory: pytest.TempPathFactory, demo: Demo) -> Converted:
    return Converted(tmp_path_factory.mktemp("libreoffice"), demo)


# PDF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["summary", "template0"])
def test_libreoffice_pdf_has_a_page_per_sheet(soffice: str, lo: Converted, key: str) -> None:
    pdf = lo.pdf[key]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5_000
    sheets = len(load(lo.inputs[key]).sheetnames)
    assert pdf_pages(pdf) >= sheets


def test_libreoffice_pdf_template_starts_with_instructions(soffice: str, lo: Converted) -> None:
    first_page = pdf_text(lo.pdf["template0"], 1, 1)
    assert "instruktioner" in first_page.casefold()
    assert "Så fyller du i mallen" in first_page


def test_libreoffice_pdf_summary_shows_the_text(soffice: str, lo: Converted) -> None:
    text = pdf_text(lo.pdf["summary"])
    assert "sammanställning" in text.casefold()
    assert "Åtta nämndmål bedöms uppnås helt och tio bedöms uppnås delvis per helår." in text
    assert "Kommunledningsförvaltningen" in text and "Leanlink" in text


# Full recalculation --------------------------------------------------------------------------


def test_libreoffice_recalc_keeps_every_summary_name(soffice: str, lo: Converted) -> None:
    before = name_values(load(lo.inputs["summary"], data_only=True))
    after = name_values(load(lo.xlsx["summary"], data_only=True))
    for name in (
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
    ):
        assert name in after, name
    assert set(after) >= set(before)
    for name, value in before.items():
        if isinstance(value, float):
            assert after[name] == pytest.approx(value, abs=1e-9), name
        else:
            assert after[name] == value, name
    assert after["AvvikelseTotal"] == pytest.approx(43.065, abs=1e-9)


def test_libreoffice_recalc_keeps_summary_tables(soffice: str, lo: Converted) -> None:
    wb = load(lo.xlsx["summary"], data_only=True)
    ws = wb["Sammanställning"]
    assert "Forvaltningar" in ws.tables
    rows = [[c.value for c in r] for r in ws[ws.tables["Forvaltningar"].ref]]
    assert rows[0][:4] == ["Förvaltning", "Budget helår", "Prognos helår", "Avvikelse helår"]
    assert [round(r[3], 3) for r in rows[1:]] == [12.762, 8.215, 22.088]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_libreoffice_recalc_keeps_every_avvikelse_of_demo_templates(soffice: str, lo: Converted, index: int) -> None:
    key = f"template{index}"
    before = economy_rows(load(lo.inputs[key], data_only=True))
    after = economy_rows(load(lo.xlsx[key], data_only=True))
    assert [r["Radnyckel"].value for r in after] == [r["Radnyckel"].value for r in before]
    for old, new in zip(before, after):
        expected = new["Prognos helår"].value - new["Budget helår"].value
        assert new["Avvikelse helår"].value == pytest.approx(expected), new["Radnyckel"].value
        assert old["Avvikelse helår"].value == pytest.approx(expected), "the generator's cached value"


def test_libreoffice_recalc_keeps_template_formula_and_names(soffice: str, lo: Converted) -> None:
    wb = load(lo.xlsx["template0"])
    assert str(economy_rows(wb)[0]["Avvikelse helår"].value).startswith("=")
    names = name_values(load(lo.xlsx["template0"], data_only=True))
    assert names["Forvaltning"] == "Kommunledningsförvaltningen"
    assert names["Namnd"] == "Kommunstyrelsen"
    assert names["Periodslut"].date() == date(2021, 8, 31)


def test_libreoffice_recalc_really_recalculates(soffice: str, lo: Converted) -> None:
    """A planted wrong cached value does not survive: the conversion did recalculate."""
    planted = economy_rows(load(lo.inputs["stale"], data_only=True))
    assert {r["Avvikelse helår"].value for r in planted} == {PLANTED}
    for row in economy_rows(load(lo.xlsx["stale"], data_only=True)):
        expected = row["Prognos helår"].value - row["Budget helår"].value
        assert row["Avvikelse helår"].value == pytest.approx(expected)


def test_libreoffice_recalc_openpyxl_filled_template(soffice: str, lo: Converted) -> None:
    """Filled with openpyxl (formulas without cached values): LibreOffice computes Prognos − Budget."""
    before = economy_rows(load(lo.inputs["filled"], data_only=True))
    assert [r["Avvikelse helår"].value for r in before] == [None] * len(FILLED_ROWS)
    after = {
        r["Radnyckel"].value: r["Avvikelse helår"].value for r in economy_rows(load(lo.xlsx["filled"], data_only=True))
    }
    assert after["LL-01"] == pytest.approx(3_904)
    assert after["LL-02"] == pytest.approx(4_400)  # budget −415,1, prognos −410,7 → +4,4 mnkr
    assert after["LL-03"] == pytest.approx(-300)
    assert after["LL-04"] in (None, "")  # only a budget: the formula shows nothing, not 0


def test_libreoffice_recalc_filled_template_reads_back(soffice: str, lo: Converted) -> None:
    """The recalculated file is read by the product with the same deviations."""
    from delar_xl.template.read import read_template

    result = read_template(lo.xlsx["filled"], "filled.xlsx")
    assert result.template is not None
    deviations = {r.key: r.deviation for r in result.template.economy}
    assert deviations["LL-02"] == pytest.approx(4_400)
    cached = {r.key: r.cached_deviation for r in result.template.economy}
    assert cached["LL-02"] == pytest.approx(4_400)


# Text that looks like a formula --------------------------------------------------------


def test_libreoffice_does_not_evaluate_risky_text(soffice: str, lo: Converted) -> None:
    wb = load(lo.xlsx["risky"], data_only=True)
    ws = wb["Ekonomi"]
    rows = [[c.value for c in r] for r in ws[ws.tables["Ekonomi"].ref]]
    col = rows[0].index("Kommentar")
    values = [r[col] for r in rows[1:]]
    for text in RISKY_TEXTS:
        assert text in values, (text, values[:6])
    assert "klick" not in values


def test_libreoffice_risky_text_is_still_text_after_conversion(soffice: str, lo: Converted) -> None:
    wb = load(lo.xlsx["risky"])
    ws = wb["Ekonomi"]
    col = [c.value for c in ws[ws.tables["Ekonomi"].ref][0]].index("Kommentar")
    cells = [r[col] for r in ws[ws.tables["Ekonomi"].ref][1:] if r[col].value in RISKY_TEXTS]
    assert len(cells) == len(RISKY_TEXTS)
    assert all(c.data_type == "s" for c in cells), [(c.value, c.data_type) for c in cells]


@pytest.mark.parametrize("key", ["summary", "risky"])
def test_libreoffice_saved_summary_reads_like_the_original(soffice: str, lo: Converted, key: str) -> None:
    """A summary saved again by LibreOffice (a client nobody here wrote; it turns the table sheets'
    inline strings into shared strings) reads back through summary_read exactly like ours."""
    from delar_xl.namnd.read import read_summary

    with zipfile.ZipFile(lo.xlsx[key]) as zf:
        assert b"LibreOffice" in zf.read("docProps/app.xml")
        assert b"inlineStr" not in zf.read("xl/worksheets/sheet5.xml")
    with zipfile.ZipFile(lo.inputs[key]) as zf:
        assert b"inlineStr" in zf.read("xl/worksheets/sheet5.xml")  # Ekonomi, written by sheetrows.py
    ours, theirs = read_summary(lo.inputs[key]).summary, read_summary(lo.xlsx[key]).summary
    assert ours is not None and theirs is not None
    assert set(theirs.tables) == set(ours.tables)
    for name, table in ours.tables.items():
        assert theirs.tables[name].headers == table.headers, name
        assert theirs.records(name) == ours.records(name), name
    assert ours.records("Ekonomi") and ours.records("Kallor")
    for name, value in ours.values.items():
        if isinstance(value, float):
            assert theirs.values[name] == pytest.approx(value, abs=1e-9), name
        else:
            assert theirs.values[name] == value, name
