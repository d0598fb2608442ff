"""The summary workbook: contract §2, incomplete totals, rounding notes, text never made a formula,
atomic writes. Every summary is written by the product from real template files and read back
with openpyxl (and the raw sheet XML where it matters).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from contract import SUMMARY_NAMES, SUMMARY_TABLES

from delar_xl.demo.namnd import Demo, example_templates
from delar_xl.namnd import summary as S
from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.result import Result
from delar_xl.namnd.summary import write_summary
from delar_xl.template.model import AssignmentRow, EconomyRow, IndicatorRow, Template
from delar_xl.template.write import write_template

KLF_DEV, VOS_DEV, LL_DEV = 12_762, 8_215, 22_088

RISKY_TEXTS = ['=HYPERLINK("http://x";"klick")', "+46 13 20 00 00", "-bra resultat", "@SUM(A1:A2)"]


# Helpers --------------------------------------------------------------------------------


def name_cell(wb: openpyxl.Workbook, name: str):
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    return wb[sheet][ref.replace("$", "")]


def name_value(wb: openpyxl.Workbook, name: str) -> object:
    return name_cell(wb, name).value


def find_table(wb: openpyxl.Workbook, name: str):
    for ws in wb.worksheets:
        if name in ws.tables:
            return ws, ws.tables[name]
    raise KeyError(name)


def table(wb: openpyxl.Workbook, name: str) -> tuple[list[str], list[list[object]]]:
    ws, tab = find_table(wb, name)
    rows = [[c.value for c in row] for row in ws[tab.ref]]
    return rows[0], [r for r in rows[1:] if any(v is not None for v in r)]


def records(wb: openpyxl.Workbook, name: str) -> list[dict[str, object]]:
    headers, rows = table(wb, name)
    return [dict(zip(headers, r)) for r in rows]


def sheet_texts(ws) -> list[str]:
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]


def sheet_xml(path: Path, sheet: str) -> str:
    """The raw XML of one worksheet, found through workbook.xml and its relationships."""
    with zipfile.ZipFile(path) as zf:
        wb_xml = zf.read("xl/workbook.xml").decode("utf-8")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="(rId\d+)"', wb_xml).group(1)
        target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels)
        if target is None:
            target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
        return zf.read("xl/" + target.group(1).lstrip("/").removeprefix("xl/")).decode("utf-8")


def build(folder: Path, templates: list[Template], name: str = "Sammanställning.xlsx") -> tuple[Result, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [write_template(folder / f"Bilaga {i} – {t.meta.forvaltning}.xlsx", t) for i, t in enumerate(templates, 1)]
    result = consolidate(paths)
    return result, write_summary(result, folder / "ut" / name)


@pytest.fixture
def files(write: Callable[[Template, str], Path]) -> Callable[..., list[Path]]:
    def _files(*templates: Template) -> list[Path]:
        return [write(t, f"Bilaga {i} – {t.meta.forvaltning}.xlsx") for i, t in enumerate(templates, 1)]

    return _files


# Scenarios shared by several tests (built once per module) ------------------------------


@pytest.fixture(scope="module")
def excluded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """VOS has a Fel (an assessment that is not allowed): left out of the totals."""
    klf, vos, ll = example_templates()
    goals = [replace(g, assessment="Kanske") if g.goal_id == "KS-M13" else g for g in vos.goals]
    return build(tmp_path_factory.mktemp("excluded"), [klf, replace(vos, goals=goals), ll])


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """No goals and no assignments anywhere; Leanlink has a Fel."""
    klf, vos, ll = (replace(t, goals=[], assignments=[]) for t in example_templates())
    ll = replace(ll, assignments=[AssignmentRow("LL-U1", "Gör något", "Kanske")])
    return build(tmp_path_factory.mktemp("empty"), [klf, vos, ll])


@pytest.fixture(scope="module")
def rounding(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """Three förvaltningar each +40 tkr: rows show 0,0 mnkr, the total 0,1 mnkr."""
    templates = [
        replace(t, economy=[EconomyRow(f"R-{i}", "Verksamhet", -100_000, -66_000, -99_960, -100_000, "")])
        for i, t in enumerate(example_templates())
    ]
    return build(tmp_path_factory.mktemp("rounding"), templates)


@pytest.fixture(scope="module")
def risky(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """Comments and other free text that start like formulas."""
    klf, vos, ll = example_templates()
    economy = [replace(r, comment=text) for r, text in zip(klf.economy, RISKY_TEXTS)] + klf.economy[len(RISKY_TEXTS) :]
    goals = [replace(klf.goals[0], analysis=RISKY_TEXTS[0])] + klf.goals[1:]
    assignments = [replace(klf.assignments[0], comment="=1+1")] + klf.assignments[1:]
    klf = replace(klf, economy=economy, goals=goals, assignments=assignments)
    ll = replace(ll, meta=replace(ll.meta, forvaltning="@Leanlink"))
    return build(tmp_path_factory.mktemp("risky"), [klf, vos, ll])


@pytest.fixture(scope="module", params=["demo", "excluded", "empty", "rounding", "risky"])
def any_summary(request: pytest.FixtureRequest) -> Path:
    if request.param == "demo":
        return request.getfixturevalue("demo").summary
    return request.getfixturevalue(request.param)[1]


def load(path: Path) -> openpyxl.Workbook:
    """Read from bytes: openpyxl refuses a file named .xlsx.bak by its extension."""
    return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))


# Contract §2 ------------------------------------------------------------------------------


def test_summary_contract_defined_names(any_summary: Path) -> None:
    wb = load(any_summary)
    for name in SUMMARY_NAMES:
        assert name in wb.defined_names, name
        dn = wb.defined_names[name]
        assert dn.localSheetId is None, f"{name} must be workbook-scoped"
        destinations = list(dn.destinations)
        assert len(destinations) == 1, name
        sheet, ref = destinations[0]
        assert re.fullmatch(r"\$?[A-Z]+\$?\d+", ref), f"{name} must point at one cell, not {ref}"
        assert isinstance(wb[sheet][ref.replace("$", "")].value, (int, float)), name


def test_summary_contract_counts_are_integers(any_summary: Path) -> None:
    wb = load(any_summary)
    for name in SUMMARY_NAMES:
        if name not in ("BudgetTotal", "PrognosTotal", "AvvikelseTotal"):
            value = name_value(wb, name)
            assert value == int(value) and value >= 0, name


def test_summary_contract_tables(any_summary: Path) -> None:
    wb = load(any_summary)
    for name, expected in SUMMARY_TABLES.items():
        ws, tab = find_table(wb, name)
        header_cells = [c.value for c in ws[tab.ref][0]]
        assert header_cells[: len(expected)] == expected, name
        assert [c.name for c in tab.tableColumns][: len(expected)] == expected, name


def test_summary_contract_detail_tables_on_their_sheets(any_summary: Path) -> None:
    wb = load(any_summary)
    sheets = {"Ekonomi": "Ekonomi", "Namndmal": "Nämndmål", "Uppdrag": "Uppdrag", "Indikatorer": "Indikatorer"}
    for name, sheet in sheets.items():
        assert find_table(wb, name)[0].title == sheet


def test_summary_contract_text_sheet(any_summary: Path) -> None:
    wb = load(any_summary)
    assert "Text" in wb.sheetnames
    texts = sheet_texts(wb["Text"])
    assert any("nämndmål" in t for t in texts)
    assert any("Information enligt MBL § 19" in t for t in texts)


def test_summary_contract_totals_reconcile(any_summary: Path) -> None:
    wb = load(any_summary)
    assert name_value(wb, "AvvikelseTotal") == pytest.approx(
        name_value(wb, "PrognosTotal") - name_value(wb, "BudgetTotal"), abs=1e-9
    )
    goals = sum(name_value(wb, n) for n in ("MalHelt", "MalDelvis", "MalInte", "MalEjBedomt"))
    assert goals == name_value(wb, "AntalMal")
    assert name_value(wb, "UppdragVerkstalls") + name_value(wb, "UppdragForskjuts") + name_value(
        wb, "UppdragAvbryts"
    ) == name_value(wb, "AntalUppdrag")


def test_summary_contract_totals_equal_sum_of_included_rows(any_summary: Path) -> None:
    wb = load(any_summary)
    included = [r for r in records(wb, "Forvaltningar") if not str(r["Status"]).startswith("Utesluten")]
    for column, name in (
        ("Budget helår", "BudgetTotal"),
        ("Prognos helår", "PrognosTotal"),
        ("Avvikelse helår", "AvvikelseTotal"),
    ):
        assert sum(r[column] for r in included) == pytest.approx(name_value(wb, name), abs=1e-9)


def test_summary_contract_finding_counts_match_kontroll(any_summary: Path) -> None:
    wb = load(any_summary)
    rows = records(wb, "Kontroll")
    assert name_value(wb, "AntalFel") == sum(1 for r in rows if r["Allvarlighet"] == "Fel")
    assert name_value(wb, "AntalVarningar") == sum(1 for r in rows if r["Allvarlighet"] == "Varning")
    assert {r["Allvarlighet"] for r in rows} <= {"Fel", "Varning", "Info"}


def test_summary_has_no_formulas(any_summary: Path) -> None:
    """Everything in the summary is a value: nothing for Excel or LibreOffice to evaluate."""
    wb = load(any_summary)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}: {cell.value!r}"


# A template with Fel ----------------------------------------------------------------------


def test_summary_excluded_totals_are_the_other_two(excluded: tuple[Result, Path]) -> None:
    wb = load(excluded[1])
    assert name_value(wb, "AvvikelseTotal") == pytest.approx((KLF_DEV + LL_DEV) / 1000, abs=1e-9)
    assert name_value(wb, "AntalFel") >= 1
    # KLF 12 + Leanlink 3 distinct goals; VOS's KS-M13…M15 are not counted.
    assert name_value(wb, "AntalMal") == 15


def test_summary_excluded_status_says_so(excluded: tuple[Result, Path]) -> None:
    wb = load(excluded[1])
    status = {r["Förvaltning"]: r["Status"] for r in records(wb, "Forvaltningar")}
    assert status["Verksamhetsstöd och service"].startswith("Utesluten")
    assert "ingår inte" in status["Verksamhetsstöd och service"]
    assert not status["Kommunledningsförvaltningen"].startswith("Utesluten")
    assert not status["Leanlink"].startswith("Utesluten")


def test_summary_excluded_banner_says_incomplete(excluded: tuple[Result, Path]) -> None:
    wb = load(excluded[1])
    ws = wb[S.SUMMARY_SHEET]
    banner = ws["A2"].value
    assert banner.startswith("OFULLSTÄNDIG")
    assert "1 av 3" in banner
    assert any("ofullständiga" in t for t in sheet_texts(ws))


def test_summary_excluded_text_says_incomplete(excluded: tuple[Result, Path]) -> None:
    wb = load(excluded[1])
    text = "\n".join(sheet_texts(wb["Text"]))
    assert "ofullständig" in text
    assert "Verksamhetsstöd och service" in text.split("Ärende")[0]  # named in the notice
    assert "- Verksamhetsstöd och service" not in text  # not in the list of results


def test_summary_excluded_kontroll_and_kallor(excluded: tuple[Result, Path]) -> None:
    wb = load(excluded[1])
    errors = [r for r in records(wb, "Kontroll") if r["Allvarlighet"] == "Fel"]
    assert errors and all(r["Fil"] == "Bilaga 2 – Verksamhetsstöd och service.xlsx" for r in errors)
    assert ("Nämndmål", "C6") in {(r["Blad"], r["Cell"]) for r in errors}
    kallor = {r["Fil"]: r["Status"] for r in records(wb, "Kallor")}
    assert kallor["Bilaga 2 – Verksamhetsstöd och service.xlsx"].startswith("Utesluten")


def test_summary_excluded_detail_tables_leave_it_out(excluded: tuple[Result, Path]) -> None:
    wb = load(excluded[1])
    for name in ("Ekonomi", "Namndmal", "Uppdrag", "Indikatorer"):
        assert "Verksamhetsstöd och service" not in {r["Förvaltning"] for r in records(wb, name)}, name


def test_summary_complete_banner(demo: Demo) -> None:
    ws = load(demo.summary)[S.SUMMARY_SHEET]
    assert not ws["A2"].value.startswith("OFULLSTÄNDIG")
    assert not any("ofullständig" in t.casefold() for t in sheet_texts(ws))


# No goals, no assignments ----------------------------------------------------------------


def test_summary_empty_counts_are_zero(empty: tuple[Result, Path]) -> None:
    wb = load(empty[1])
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
    ):
        assert name_value(wb, name) == 0, name
    assert records(wb, "Namndmal") == []
    assert records(wb, "Uppdrag") == []
    assert name_value(wb, "AvvikelseTotal") == pytest.approx((KLF_DEV + VOS_DEV) / 1000, abs=1e-9)


def test_summary_empty_text_is_grammatical(empty: tuple[Result, Path]) -> None:
    text = "\n".join(sheet_texts(load(empty[1])["Text"]))
    assert re.search(r"\bnoll\b", text, flags=re.IGNORECASE) is None, text
    assert "Det finns inga nämndmål" in text
    assert "Det finns inga strategiska utvecklingsuppdrag" in text


# Rounding --------------------------------------------------------------------------------


def test_summary_rounding_rows_unrounded_total(rounding: tuple[Result, Path]) -> None:
    wb = load(rounding[1])
    rows = records(wb, "Forvaltningar")
    assert [r["Avvikelse helår"] for r in rows] == [pytest.approx(0.04, abs=1e-12)] * 3
    assert name_value(wb, "AvvikelseTotal") == pytest.approx(0.12, abs=1e-12)
    assert [round(r["Avvikelse helår"], 1) for r in rows] == [0.0, 0.0, 0.0]
    assert round(name_value(wb, "AvvikelseTotal"), 1) == 0.1


def test_summary_rounding_note_appears(rounding: tuple[Result, Path]) -> None:
    ws = load(rounding[1])[S.SUMMARY_SHEET]
    notes = [t for t in sheet_texts(ws) if "avrund" in t]
    assert any(t.startswith("Avvikelse helår") and "0,0 mnkr" in t and "0,1 mnkr" in t for t in notes), notes


def test_summary_no_rounding_note_when_rows_add_up(demo: Demo) -> None:
    ws = load(demo.summary)[S.SUMMARY_SHEET]
    assert not [t for t in sheet_texts(ws) if "avrund" in t]


def test_summary_rounding_values_stay_unrounded_in_cells(rounding: tuple[Result, Path]) -> None:
    """The cell holds the exact amount; only its number format shows one decimal."""
    wb = load(rounding[1])
    cell = name_cell(wb, "AvvikelseTotal")
    assert cell.value == pytest.approx(0.12, abs=1e-12)
    assert "0.0" in cell.number_format


# Text that looks like a formula ----------------------------------------------------------


def test_summary_risky_text_stays_text(risky: tuple[Result, Path]) -> None:
    wb = load(risky[1])
    ws, tab = find_table(wb, "Ekonomi")
    headers = [c.value for c in ws[tab.ref][0]]
    col = headers.index("Kommentar")
    cells = {row[col].value: row[col] for row in ws[tab.ref][1:] if row[col].value in RISKY_TEXTS}
    assert set(cells) == set(RISKY_TEXTS)
    for text, cell in cells.items():
        assert cell.data_type == "s", (text, cell.data_type)
        assert cell.quotePrefix, text


def test_summary_risky_text_in_goals_and_assignments(risky: tuple[Result, Path]) -> None:
    wb = load(risky[1])
    analyses = {r["Analys"] for r in records(wb, "Namndmal")}
    comments = {r["Kommentar"] for r in records(wb, "Uppdrag")}
    assert RISKY_TEXTS[0] in analyses
    assert "=1+1" in comments


def test_summary_risky_text_has_no_formula_element(risky: tuple[Result, Path]) -> None:
    for sheet in ("Ekonomi", "Nämndmål", "Uppdrag", S.SUMMARY_SHEET, "Text"):
        xml = sheet_xml(risky[1], sheet)
        assert re.search(r"<f[\s>/]", xml) is None, sheet
    # The table sheets' rows are written by sheetrows.py with inline strings: the text is the
    # content of a string cell's <is><t>, never a formula.
    ekonomi = sheet_xml(risky[1], "Ekonomi")
    cell = re.search(
        r'<c r="[A-Z]+\d+" s="\d+" t="inlineStr"><is><t>=HYPERLINK\("http://x";"klick"\)</t></is></c>', ekonomi
    )
    assert cell is not None


def test_summary_risky_text_values_read_back_exactly(risky: tuple[Result, Path]) -> None:
    """No apostrophe or other visible marker is added to the value."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(risky[1]), load_tables=True)
    try:
        tab = wb.get_table_by_name("Ekonomi")
        col = tab.columns.index("Kommentar")
        values = [r[col] for r in tab.to_python()]
    finally:
        wb.close()
    for text in RISKY_TEXTS:
        assert text in values


# Atomic write ---------------------------------------------------------------------------


def test_write_summary_keeps_previous_as_bak(demo: Demo, tmp_path: Path) -> None:
    target = tmp_path / "Sammanställning.xlsx"
    first = write_summary(demo.result, target)
    assert first == target
    old = target.read_bytes()
    write_summary(demo.result, target)
    backup = tmp_path / "Sammanställning.xlsx.bak"
    assert backup.read_bytes() == old
    assert name_value(load(target), "AntalMal") == 18
    assert name_value(load(backup), "AntalMal") == 18


def test_write_summary_over_other_result_backs_up_the_old_one(
    demo: Demo, excluded: tuple[Result, Path], tmp_path: Path
) -> None:
    target = tmp_path / "s.xlsx"
    write_summary(demo.result, target)
    write_summary(excluded[0], target)
    assert name_value(load(tmp_path / "s.xlsx.bak"), "AvvikelseTotal") == pytest.approx(43.065)
    assert name_value(load(target), "AvvikelseTotal") == pytest.approx(34.85)


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_summary_failing_write_leaves_previous_intact(
    demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "Sammanställning.xlsx"
    write_summary(demo.result, target)
    before = target.read_bytes()

    def crash(result: Result, path: Path, created: object) -> None:
        path.write_bytes(b"PK\x03\x04 half a workbook")
        raise RuntimeError("disk full")

    monkeypatch.setattr(S, "_write", crash)
    with pytest.raises(RuntimeError):
        write_summary(demo.result, target)
    assert target.read_bytes() == before
    assert _only(tmp_path) == ["Sammanställning.xlsx"]  # no temp file left, no .bak made


def test_write_summary_unreadable_output_leaves_previous_intact(
    demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that 'succeeds' but produces a broken file is caught by the read-back check."""
    target = tmp_path / "Sammanställning.xlsx"
    write_summary(demo.result, target)
    before = target.read_bytes()
    monkeypatch.setattr(S, "_write", lambda result, path, created: path.write_bytes(b"not a zip"))
    with pytest.raises(Exception):  # noqa: B017 - whatever stops the write, the point is the file left as it was
        write_summary(demo.result, target)
    assert target.read_bytes() == before
    assert name_value(load(target), "AntalMal") == 18
    assert _only(tmp_path) == ["Sammanställning.xlsx"]


def test_write_summary_creates_missing_folder(demo: Demo, tmp_path: Path) -> None:
    target = tmp_path / "ny" / "mapp" / "s.xlsx"
    assert write_summary(demo.result, target) == target
    assert target.is_file()
    assert _only(target.parent) == ["s.xlsx"]


def test_summary_risky_forvaltning_name_stays_text(risky: tuple[Result, Path]) -> None:
    wb = load(risky[1])
    ws, tab = find_table(wb, "Forvaltningar")
    cells = [row[0] for row in ws[tab.ref][1:] if row[0].value == "@Leanlink"]
    assert len(cells) == 1 and cells[0].data_type == "s"
    text = "\n".join(sheet_texts(wb["Text"]))
    assert "- @Leanlink  + 22,1 mnkr" in text.splitlines()


def test_summary_risky_file_name_stays_text(examples, write, tmp_path: Path) -> None:
    paths = [write(t, name) for t, name in zip(examples, ["=SUM(1;2).xlsx", "+46.xlsx", "-x.xlsx"])]
    target = write_summary(consolidate(paths), tmp_path / "ut" / "s.xlsx")
    wb = load(target)
    for name in ("Kallor",):
        ws, tab = find_table(wb, name)
        col = [c.value for c in ws[tab.ref][0]].index("Fil")
        cells = [row[col] for row in ws[tab.ref][1:]]
        assert [c.value for c in cells] == ["=SUM(1;2).xlsx", "+46.xlsx", "-x.xlsx"], name
        assert all(c.data_type == "s" for c in cells), name
    for sheet in wb.sheetnames:
        assert re.search(r"<f[\s>/]", sheet_xml(target, sheet)) is None, sheet


# The Text sheet: the same document model as the Word document (document.py) ------------------


def _text_column(path: Path) -> list[tuple[str, bool]]:
    """(text, bold) per non-empty cell of the Text sheet's column A below its two-line header."""
    ws = load(path)["Text"]
    return [(c.value, bool(c.font.b)) for c in ws["A"][3:] if isinstance(c.value, str)]


def test_text_sheet_has_the_document_sections_as_headings(demo: Demo) -> None:
    from delar_xl.namnd import document as D

    rows = _text_column(demo.summary)
    assert rows[0] == ("Delårsrapport för kommunstyrelsen per den 31 augusti med prognos för helår 2021", True)
    headings = [text for text, bold in rows[1:] if bold]
    assert headings == [D.DECISION, D.MATTER, D.BACKGROUND, D.GENDER, D.MBL, D.BASIS, D.RECIPIENTS]
    texts = [text for text, _ in rows]
    assert texts[texts.index(D.DECISION) + 1].startswith("1. Delårsrapporten för kommunstyrelsen per den 31 augusti")
    assert texts[texts.index(D.DECISION) + 2].startswith("2. Uppföljningen av Kommunledningsförvaltningens, ")
    assert "Bilaga 6 – Leanlinks delårsrapport per den 31 augusti 2021" in texts


def test_text_sheet_carries_the_forvaltningar_summaries(demo: Demo) -> None:
    from delar_xl.demo.namnd import SUMMARIES

    texts = [text for text, _ in _text_column(demo.summary)]
    matter = texts[texts.index("Ärende") + 1 : texts.index("Bakgrund")]
    # no name pasted before the prose (issue 22): this text names kommunstyrelsen and reads as written
    assert SUMMARIES["Kommunledningsförvaltningen"] in matter
    assert SUMMARIES["Leanlink"] in matter


def test_text_sheet_without_split_indicators_or_mbl_dates(tmp_path: Path) -> None:
    """Issue 12 point 4: no gender-split indicator → no claim of one; no MBL date → the section says so."""
    no_split = [IndicatorRow("X-1", "Nöjd-Kund-Index", "index", None, None, 71, 72, "Mäts per företag.")]
    templates = [replace(t, indicators=no_split, meta=replace(t.meta, mbl_datum=None)) for t in example_templates()]
    _, path = build(tmp_path / "t", templates)
    texts = [text for text, _ in _text_column(path)]
    gender = texts[texts.index("Jämställdhet") + 1]
    assert gender.startswith("Kommunstyrelsens enda nämndindikator i underlaget har inte redovisats könsuppdelad.")
    assert "redovisats könsuppdelat" not in "\n".join(texts)
    mbl = texts.index("Information eller förhandling enligt lag (1976:580) om medbestämmande i arbetslivet")
    assert texts[mbl + 1] == (
        "Datum för information enligt MBL § 19 saknas för Kommunledningsförvaltningen, "
        "Verksamhetsstöd och service och Leanlink."
    )


def test_text_sheet_mbl_section_when_nothing_is_included(tmp_path: Path) -> None:
    broken = [replace(t, goals=[replace(t.goals[0], assessment="Kanske")] + t.goals[1:]) for t in example_templates()]
    _, path = build(tmp_path / "t", broken)
    texts = [text for text, _ in _text_column(path)]
    mbl = texts.index("Information eller förhandling enligt lag (1976:580) om medbestämmande i arbetslivet")
    assert texts[mbl + 1].startswith("Uppgift om information enligt MBL § 19 saknas")
