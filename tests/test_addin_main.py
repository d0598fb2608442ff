"""`delar_xl.main()`, the ribbon button, run through xlwings' remote engine on Linux.

The remote engine (xlwings Server's protocol) executes the same Book/Sheet/Range calls against
an in-memory workbook built from a JSON payload and records what Excel would be told to do
(`book.json()["actions"]`: setValues, addSheet, resizeTable, save, …). The payloads here are
made from real files written by the product (templates and a summary), so the workbook the
code sees looks like the one Excel would give it. The remote engine is xlwings PRO code, used
here under its noncommercial licence (test only; the shipped add-in uses only BSD parts).

Limits of the remote engine, and so of these tests: it records actions but does not apply them
to its in-memory values; `book.fullname` is the payload's name (the tests put the file's full
path there); hyperlinks are written as =HYPERLINK formulas, so they show up as setValues.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw  # noqa: E402

import delar_xl  # noqa: E402
from delar_xl.demo.namnd import PERIOD, example_templates, write_examples  # noqa: E402
from delar_xl.excel import ribbon as excel  # noqa: E402
from delar_xl.excel.ui import ScriptedUi  # noqa: E402
from delar_xl.namnd.consolidate import check, consolidate  # noqa: E402
from delar_xl.namnd.summary import write_summary  # noqa: E402
from delar_xl.template.write import write_template  # noqa: E402

NOW = datetime(2026, 11, 27, 2, 45)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def _ensure_remote_engine() -> None:
    """xlwings registers its remote engine at import, only when the licence key is set then.

    If another test module imported xlwings first without the key, register it now.
    """
    if "remote" not in [engine.name for engine in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))


_ensure_remote_engine()


# Payloads from real files.


def _json_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00.000Z"
    return value


def payload_from_xlsx(path: Path, name: str | None = None) -> dict[str, Any]:
    """The remote engine's view of a workbook file: sheets with values, names, tables.

    `name` is what `book.name`/`book.fullname` return; by default the file's full path.
    """
    import openpyxl
    from openpyxl.utils.cell import range_boundaries

    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        values = [[_json_value(c) for c in row] for row in ws.iter_rows(values_only=True)] or [[""]]
        tables = []
        for table in ws.tables.values():
            min_col, min_row, max_col, max_row = range_boundaries(table.ref)
            first, last = table.ref.split(":")
            header = first + ":" + re.sub(r"\d+", str(min_row), last)
            body = re.sub(r"\d+", str(min_row + 1), first) + ":" + last if max_row > min_row else None
            tables.append(
                {
                    "name": table.name,
                    "range_address": table.ref,
                    "header_row_range_address": header,
                    "data_body_range_address": body,
                    "total_row_range_address": None,
                    "show_headers": True,
                    "show_totals": False,
                    "table_style": "TableStyleMedium2",
                    "show_autofilter": True,
                }
            )
        sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": tables})
    names = []
    for defined in wb.defined_names.values():
        for sheet_title, ref in defined.destinations:
            names.append(
                {
                    "name": defined.name,
                    "sheet_index": wb.sheetnames.index(sheet_title),
                    "address": ref.replace("$", ""),
                    "book_scope": True,
                }
            )
    return {
        "client": "Microsoft Office Scripts",
        "version": xw.__version__,
        "book": {"name": name or str(path), "active_sheet_index": 0, "selection": "A1"},
        "names": names,
        "sheets": sheets,
    }


def open_as_caller(path: Path | None, name: str | None = None) -> xw.Book:
    payload = (
        payload_from_xlsx(path)
        if path
        else {
            "client": "Microsoft Office Scripts",
            "version": xw.__version__,
            "book": {"name": name or "Bok1", "active_sheet_index": 0, "selection": "A1"},
            "names": [],
            "sheets": [{"name": "Blad1", "values": [[""]], "pictures": [], "tables": []}],
        }
    )
    book = xw.Book(json=payload)
    book.set_mock_caller()
    return book


def actions(book: xw.Book, func: str | None = None) -> list[dict[str, Any]]:
    return [a for a in book.json()["actions"] if func is None or a["func"] == func]


def written_cells(book: xw.Book, sheet: str) -> dict[str, Any]:
    """A1 address → value, for every setValues on `sheet` (later writes win)."""
    position = [s.name for s in book.sheets].index(sheet)
    cells: dict[str, Any] = {}
    for action in actions(book, "setValues"):
        if action["sheet_position"] != position:
            continue
        for r, row in enumerate(action["values"]):
            for c, value in enumerate(row):
                cells[_a1(action["start_row"] + r, action["start_column"] + c)] = value
    return cells


def _a1(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def all_written_strings(book: xw.Book) -> list[str]:
    return [v for a in actions(book, "setValues") for row in a["values"] for v in row if isinstance(v, str) and v]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DELAR_XL_LOG", str(tmp_path / "logg" / "delar_xl.log"))
    monkeypatch.setenv("DELAR_XL_SETTINGS", str(tmp_path / "ingen.toml"))


@pytest.fixture
def mail_offers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, Any]]:
    """Record the offer to email instead of making it."""
    calls: list[tuple[Path, Any]] = []
    import delar_xl.mail

    monkeypatch.setattr(delar_xl.mail, "offer_send", lambda path, ui: calls.append((Path(path), ui)))
    return calls


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The three 2021 example templates, as the förvaltningar would send them in."""
    target = tmp_path / "mallar"
    write_examples(target)
    return target


def _broken_leanlink(folder: Path) -> Path:
    """Leanlink's template with an invalid assessment and a comment that looks like a formula."""
    template = example_templates()[2]
    template.goals[0] = replace(template.goals[0], assessment="Bra")
    template.economy[0] = replace(template.economy[0], comment='=HYPERLINK("http://example.invalid","klicka")')
    files = [p for p in folder.iterdir() if "Leanlink" in p.name]
    return write_template(files[0], template)


# (a) A filled template.


def test_template_gets_a_check_sheet_with_links(folder: Path):
    path = _broken_leanlink(folder)
    book = open_as_caller(path)
    ui = ScriptedUi()

    excel.main(ui=ui)

    report = check([path]).report
    errors = [f for f in report.findings if f.severity.value == "Fel"]
    assert errors, "the broken template must have errors"
    assert actions(book, "addSheet")[0]["args"][1] == "Kontroll"
    sheets_written = {a["sheet_position"] for a in actions(book, "setValues")}
    kontroll = [s.name for s in book.sheets].index("Kontroll")
    assert kontroll == len(book.sheets) - 1  # added last
    assert sheets_written == {kontroll}  # only the new sheet: input cells untouched
    cells = written_cells(book, "Kontroll")
    assert cells["A1"].startswith("'Kontroll av " + path.name)
    assert [cells[f"{c}3"] for c in "ABCDE"] == ["'Allvarlighet", "'Blad", "'Cell", "'Meddelande", "'Kod"]
    rows = _rows_from(cells, 4, "ABCDE")
    assert len(rows) == len(report.findings)
    goal = next(f for f in errors if f.code == "bedomning-ogiltig")
    row = next(r for r in rows if r[4] == "'bedomning-ogiltig")
    assert row[0] == "'Fel" and row[1] == f"'{goal.sheet}"
    assert row[2] == f'=HYPERLINK("#\'{goal.sheet}\'!{goal.cell}","{goal.cell}")'
    assert len(ui.messages) == 1 and not ui.errors
    assert ui.messages[0].startswith(f"Kontroll av {path.name}: {len(errors)} fel")


def _rows_from(cells: dict[str, Any], first: int, columns: str) -> list[list[Any]]:
    rows = []
    row = first
    while cells.get(f"A{row}"):
        rows.append([cells.get(f"{c}{row}") for c in columns])
        row += 1
    return rows


def test_clean_template_says_it_can_be_sent_in(folder: Path):
    path = sorted(folder.iterdir())[0]
    book = open_as_caller(path)
    ui = ScriptedUi()

    excel.main(ui=ui)

    assert ui.messages == [f"Kontroll av {path.name}: 0 fel, 0 varningar. Mallen kan skickas in."]
    assert written_cells(book, "Kontroll")["A4"] == "'Inga fel, varningar eller upplysningar."


def test_template_replaces_an_earlier_check_sheet(folder: Path, monkeypatch: pytest.MonkeyPatch):
    path = sorted(folder.iterdir())[0]
    book = open_as_caller(path)
    book.sheets.add("Kontroll", after=book.sheets[len(book.sheets) - 1])
    book.impl._json = {"actions": []}

    excel.main(ui=ScriptedUi())

    funcs = [a["func"] for a in actions(book)]
    assert funcs.index("sheetDelete") < funcs.index("addSheet")


def test_unsaved_template_is_saved_when_the_user_agrees(folder: Path, monkeypatch: pytest.MonkeyPatch):
    path = sorted(folder.iterdir())[0]
    book = open_as_caller(path)
    monkeypatch.setattr(excel, "_has_unsaved_changes", lambda _book: True)
    ui = ScriptedUi(answers=[True])

    excel.main(ui=ui)

    assert "inte är sparade" in ui.questions[0]
    funcs = [a["func"] for a in actions(book)]
    assert funcs[0] == "save" and "addSheet" in funcs
    assert "senast sparade" not in ui.messages[0]


def test_unsaved_template_is_checked_as_saved_when_the_user_declines(folder: Path, monkeypatch: pytest.MonkeyPatch):
    path = sorted(folder.iterdir())[0]
    book = open_as_caller(path)
    monkeypatch.setattr(excel, "_has_unsaved_changes", lambda _book: True)
    ui = ScriptedUi(answers=[False])

    excel.main(ui=ui)

    assert not actions(book, "save")
    assert "senast sparade versionen" in ui.messages[0]


def test_template_never_saved_as_a_file_gets_a_swedish_error(folder: Path):
    path = sorted(folder.iterdir())[0]
    payload = payload_from_xlsx(path, name="Bok1")
    book = xw.Book(json=payload)
    book.set_mock_caller()
    ui = ScriptedUi()

    excel.main(ui=ui)

    assert not ui.messages
    assert ui.errors[0].startswith("Mallen måste vara sparad som fil")
    assert "Loggfil:" in ui.errors[0]
    assert not actions(book)


def test_the_real_entry_point_shows_excel_message_boxes(folder: Path):
    """`delar_xl.main()` as the button calls it: ExcelUi → App.alert → an "alert" action."""
    path = sorted(folder.iterdir())[0]
    book = open_as_caller(path)

    delar_xl.main()

    alerts = actions(book, "alert")
    assert len(alerts) == 1
    prompt, title, buttons, mode, _callback = alerts[0]["args"]
    assert prompt.startswith(f"Kontroll av {path.name}: 0 fel")
    assert (title, buttons, mode) == ("Delårsrapport", "ok", "info")


# (b) A summary.


@pytest.fixture
def summary_in_folder(folder: Path) -> Path:
    """A summary saved among the templates it was made from (as case (c) does)."""
    result = consolidate([folder])
    return write_summary(result, folder / "Sammanställning 2021-08-31 (skapad 2026-11-01).xlsx")


def test_a_refresh_that_makes_the_forecast_change_partial_says_delsumma(
    folder: Path, summary_in_folder: Path, mail_offers
):
    """Issue 19: Leanlink sends a version without föregående prognos after the summary was made."""
    book = open_as_caller(summary_in_folder)
    template = example_templates()[2]
    template.economy[:] = [replace(r, previous_forecast=None) for r in template.economy]
    write_template(next(p for p in folder.iterdir() if "Leanlink" in p.name), template)

    excel.main(ui=ScriptedUi())

    names = {n.name: n.refers_to_range for n in book.names}
    cells = written_cells(book, "Sammanställning")
    assert cells[f"A{names['ForegaendePrognosTotal'].row}"] == "'Föregående prognos (mnkr), delsumma"
    assert cells[f"A{names['PrognosforandringTotal'].row}"] == "'Prognosförändring (mnkr), delsumma"


def test_summary_is_refreshed_from_its_folder(folder: Path, summary_in_folder: Path, mail_offers):
    book = open_as_caller(summary_in_folder)
    _broken_leanlink(folder)  # after the summary was made, Leanlink sends a version with errors
    ui = ScriptedUi()

    excel.main(ui=ui)

    result = consolidate([folder])  # the summary in the folder is skipped by the core
    errors = result.report.count(delar_xl_severity("Fel"))
    assert errors >= 1
    # Defined-name cells: the new counts and totals.
    names = {n.name: n.refers_to_range for n in book.names}
    cells = written_cells(book, "Sammanställning")
    # The finding counts and the folder's path are on "Källor", off the page politicians read (issue 22)
    for_staff = written_cells(book, "Källor")
    assert for_staff[_address(names["AntalFel"])] == errors
    assert cells[_address(names["AvvikelseTotal"])] == pytest.approx(result.deviation / 1000.0)
    assert for_staff[_address(names["Kallmapp"])] == f"'{folder.resolve()}"
    assert cells[_address(names["Kontrollrad"])] == (
        f"'För Ekonomistaben: kontrollen gav {errors} fel och "
        f"{result.report.count(delar_xl_severity('Varning'))} "
        "varningar (se bladet Kontroll)."
    )
    # Tables: resized and refilled; the Forvaltningar table says Leanlink is left out.
    resized = {a["args"][0]: a["args"][1] for a in actions(book, "resizeTable")}
    assert len(actions(book, "resizeTable")) >= 7
    status = [v for v in cells.values() if isinstance(v, str) and v.startswith("'Utesluten")]
    assert status == ["'Utesluten: fel i mallen – ingår inte i summorna"]
    assert cells["A2"].startswith("'OFULLSTÄNDIG: 1 av 3 filer")  # the status line is refreshed too
    assert resized  # every contract table gets its new size
    # The summary itself was not consolidated as if it were a template: three sources.
    sources = written_cells(book, "Källor")
    assert sorted(v for k, v in sources.items() if re.fullmatch(r"A\d+", k)) == sorted(
        f"'{p.name}" for p in folder.iterdir() if p.suffix == ".xlsx" and p != summary_in_folder
    )
    # Kontroll links into the source file.
    assert any(s.startswith('=HYPERLINK("[') and "Leanlink" in s for s in all_written_strings(book))
    # Text sheet rewritten; workbook saved; user told; email offered.
    assert written_cells(book, "Text")
    assert actions(book)[-1]["func"] == "save"
    assert ui.messages == [excel.done_message(result)]
    assert ui.messages[0].startswith("Klart: 3 förvaltningar, ")
    assert "Summorna är ofullständiga" in ui.messages[0]
    assert mail_offers == [(summary_in_folder, ui)]


def delar_xl_severity(word: str):
    from delar_xl.findings import Severity

    return Severity(word)


def _address(rng: xw.Range) -> str:
    return rng.address.replace("$", "")


def test_summary_refresh_never_writes_template_text_as_a_formula(folder: Path, summary_in_folder: Path, mail_offers):
    book = open_as_caller(summary_in_folder)
    template = example_templates()[0]
    for i, text in enumerate(("=1+1", "+46 13 20 00 00", "-3,5 mnkr", "@SUMMA(A1)")):
        template.economy[i] = replace(template.economy[i], comment=text)
    write_template(next(p for p in folder.iterdir() if "Kommunledning" in p.name), template)

    excel.main(ui=ScriptedUi())

    strings = all_written_strings(book)
    for text in ("=1+1", "+46 13 20 00 00", "-3,5 mnkr", "@SUMMA(A1)"):
        assert "'" + text in strings
    formulas = [s for s in strings if s[0] in "=+-@"]
    assert all(re.fullmatch(r'=HYPERLINK\("\[[^"]+\]\'[^"]+\'![A-Z]+\d+","[A-Z]+\d+"\)', f) for f in formulas)


def test_summary_whose_folder_is_gone_asks_for_it(folder: Path, summary_in_folder: Path, tmp_path: Path, mail_offers):
    moved = tmp_path / "flyttad"
    folder.rename(moved)
    book = open_as_caller(moved / summary_in_folder.name)
    ui = ScriptedUi(folders=[moved])

    excel.main(ui=ui)

    assert "finns inte längre" in ui.prompts[0]
    assert ui.messages[0].startswith("Klart: 3 förvaltningar, 0 fel, totalt +43,1 mnkr.")
    cells = written_cells(book, "Källor")  # the full path is on "Källor" (issue 22)
    names = {n.name: n.refers_to_range for n in book.names}
    assert cells[_address(names["Kallmapp"])] == f"'{moved.resolve()}"


# (c) Anything else: a new summary from a folder.


def test_blank_workbook_consolidates_a_chosen_folder(folder: Path, mail_offers):
    book = open_as_caller(None)
    ui = ScriptedUi(folders=[folder])

    excel.run(book, ui, now=NOW)

    expected = folder / "Sammanställning 2021-08-31 (skapad 2026-11-27).xlsx"
    assert expected.is_file()
    assert ui.opened == [expected]
    assert ui.messages == ["Klart: 3 förvaltningar, 0 fel, totalt +43,1 mnkr."]
    assert not ui.errors
    assert mail_offers == [(expected, ui)]
    assert not actions(book)  # nothing is written into the workbook that happened to be active
    # The new summary carries the folder, so the next click refreshes it (situation b).
    import zipfile

    from delar_xl.xlsx.parts import defined_names

    with zipfile.ZipFile(expected) as zf:
        assert "Kallmapp" in defined_names(zf)


def test_blank_workbook_also_writes_the_tjansteskrivelse_beside_the_summary(folder: Path, mail_offers):
    import docx

    excel.run(open_as_caller(None), ScriptedUi(folders=[folder]), now=NOW)

    word = folder / "Tjänsteskrivelse 2021-08-31 (skapad 2026-11-27).docx"
    paragraphs = docx.Document(str(word)).paragraphs
    assert paragraphs[0].text == "Delårsrapport för kommunstyrelsen per den 31 augusti med prognos för helår 2021"
    assert (
        "Tjänsteskrivelse – Delårsrapport för kommunstyrelsen per den 31 augusti med prognos för helår 2021, "
        "2026-11-27" in [p.text for p in paragraphs]
    )


def test_blank_workbook_also_writes_the_delarsrapport_beside_the_summary(folder: Path, mail_offers):
    """Contract §8 from the ribbon: the nämnd's delårsrapport beside the summary, its nine sections in order."""
    import docx

    from delar_xl.namnd.report import SECTIONS

    excel.run(open_as_caller(None), ScriptedUi(folders=[folder]), now=NOW)

    report = folder / "Delårsrapport 2021-08-31 (skapad 2026-11-27).docx"
    paragraphs = docx.Document(str(report)).paragraphs
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == list(SECTIONS)
    assert "Delårsrapport per den 31 augusti 2021" in [p.text for p in paragraphs if p.style.name == "Title"]


def test_word_that_cannot_be_written_is_its_own_message(folder: Path, mail_offers):
    (folder / "Tjänsteskrivelse 2021-08-31 (skapad 2026-11-27).docx").mkdir()  # in the way: cannot be replaced
    ui = ScriptedUi(folders=[folder])

    excel.run(open_as_caller(None), ui, now=NOW)

    assert (folder / "Sammanställning 2021-08-31 (skapad 2026-11-27).xlsx").is_file()
    assert ui.messages == ["Klart: 3 förvaltningar, 0 fel, totalt +43,1 mnkr."]
    assert len(ui.errors) == 1
    assert ui.errors[0].startswith("Sammanställningen är sparad, men tjänsteskrivelsen (Word) kunde inte sparas: ")


def test_refreshed_summary_rewrites_the_tjansteskrivelse_beside_it(folder: Path, summary_in_folder: Path, mail_offers):
    import docx

    open_as_caller(summary_in_folder)
    _broken_leanlink(folder)

    excel.main(ui=ScriptedUi())

    word = folder / "Tjänsteskrivelse 2021-08-31 (skapad 2026-11-01).docx"
    texts = [p.text for p in docx.Document(str(word)).paragraphs]
    assert texts[1].startswith("Datum: ")  # the particulars under the title (issue 22)
    assert texts[2].startswith("OBS! Sammanställningen är ofullständig. Leanlink")


def test_second_summary_the_same_day_gets_a_new_name_and_skips_the_first(folder: Path, mail_offers):
    open_as_caller(None)
    excel.run(xw.Book.caller(), ScriptedUi(folders=[folder]), now=NOW)
    ui = ScriptedUi(folders=[folder])

    excel.run(xw.Book.caller(), ui, now=NOW)

    assert ui.opened == [folder / "Sammanställning 2021-08-31 (skapad 2026-11-27) (2).xlsx"]
    assert ui.messages == ["Klart: 3 förvaltningar, 0 fel, totalt +43,1 mnkr."]  # the first summary is no template


def test_cancelled_folder_dialog_does_nothing(tmp_path: Path, mail_offers):
    book = open_as_caller(None)
    ui = ScriptedUi(folders=[None])

    excel.main(ui=ui)

    assert ui.prompts and not ui.messages and not ui.errors and not ui.opened
    assert not actions(book) and not mail_offers


def test_folder_without_templates_gets_a_swedish_error(tmp_path: Path, mail_offers):
    empty = tmp_path / "tom"
    empty.mkdir()
    (empty / "anteckningar.txt").write_text("inte en mall")
    open_as_caller(None)
    ui = ScriptedUi(folders=[empty])

    excel.main(ui=ui)

    assert ui.errors and ui.errors[0].startswith(f"Mappen {empty} innehåller inga Excel-filer")
    assert not ui.opened and not mail_offers


def test_unexpected_error_becomes_a_message_and_a_log(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import delar_xl.namnd.consolidate

    def explode(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(delar_xl.namnd.consolidate, "consolidate", explode)
    open_as_caller(None)
    ui = ScriptedUi(folders=[folder])

    excel.main(ui=ui)

    log = tmp_path / "logg" / "delar_xl.log"
    assert len(ui.errors) == 1
    assert "Traceback" not in ui.errors[0] and str(log) in ui.errors[0]
    assert "RuntimeError: kaboom" in log.read_text(encoding="utf-8")


def test_without_mail_configured_the_offer_explains_itself(folder: Path):
    """The real offer_send, with no [epost] settings: a Swedish message, never a crash."""
    open_as_caller(None)
    ui = ScriptedUi(folders=[folder])

    excel.run(xw.Book.caller(), ui, now=NOW)

    assert ui.messages[0] == "Klart: 3 förvaltningar, 0 fel, totalt +43,1 mnkr."
    assert not ui.errors


# Small parts.


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+46", "'+46"),
        ("-tal", "'-tal"),
        ("@x", "'@x"),
        ("2021-08-31", "'2021-08-31"),
        ("'citat", "''citat"),
        ("", None),
        (None, None),
        (12.5, 12.5),
        (0, 0),
        (True, True),
        (date(2021, 8, 31), date(2021, 8, 31)),
    ],
)
def test_as_cell_keeps_text_as_text(value: Any, cell: Any):
    assert excel.as_cell(value) == cell


def test_as_cell_writes_severity_as_its_word():
    from delar_xl.findings import Severity

    assert excel.as_cell(Severity.ERROR) == "'Fel"


def test_links_quote_sheet_names_and_refuse_odd_cells():
    assert excel.internal_link("Nämnd'mål", "C7") == "=HYPERLINK(\"#'Nämnd''mål'!C7\",\"C7\")"
    assert excel.internal_link("Ekonomi", "") is None
    assert excel.internal_link("Ekonomi", "=evil()") == "=evil()"  # returned plain, then escaped by as_cell
    assert excel.as_cell(excel.internal_link("Ekonomi", "=evil()")) == "'=evil()"
    link = excel.external_link('C:\\a"b\\f.xlsx', "Ekonomi", "C7")
    assert link == '=HYPERLINK("[C:\\a""b\\f.xlsx]\'Ekonomi\'!C7","C7")'
    assert excel.external_link("C:\\" + "x" * 300 + ".xlsx", "Ekonomi", "C7") == "C7"


def test_summary_file_name_has_period_and_day_made():
    class R:
        periodslut = PERIOD

    assert excel.summary_file_name(R(), NOW) == "Sammanställning 2021-08-31 (skapad 2026-11-27).xlsx"
    R.periodslut = None
    assert excel.summary_file_name(R(), NOW) == "Sammanställning (skapad 2026-11-27).xlsx"


def test_excel_ui_alert_is_an_excel_message_box():
    from delar_xl.excel.ui import ExcelUi

    book = open_as_caller(None)
    ExcelUi(book).alert("Något gick fel.", error=True)

    assert actions(book, "alert")[0]["args"][:4] == ["Något gick fel.", "Delårsrapport", "ok", "critical"]


def test_as_cell_shortens_text_excel_cannot_hold():
    cell = excel.as_cell("x" * 40_000)
    assert cell.startswith("'x") and cell.endswith(" … [förkortad]")
    assert len(cell) <= excel.MAX_TEXT


def test_summary_that_cannot_be_saved_says_what_to_do(
    folder: Path, summary_in_folder: Path, mail_offers, monkeypatch: pytest.MonkeyPatch
):
    book = open_as_caller(summary_in_folder)

    def read_only(*_args: Any, **_kwargs: Any) -> None:
        raise PermissionError("skrivskyddad")

    monkeypatch.setattr(type(book), "save", read_only)
    ui = ScriptedUi()

    excel.main(ui=ui)

    assert ui.errors[0].startswith("Sammanställningen är uppdaterad men kunde inte sparas (skrivskyddad).")
    assert not ui.messages and not mail_offers


# The Excel side of the Ui, with stand-ins for COM and osascript.


class _FakeDialog:
    def __init__(self, result: int, chosen: str) -> None:
        self.result, self.chosen = result, chosen
        self.Title = self.InitialFileName = ""
        self.AllowMultiSelect = True

    def Show(self) -> int:  # noqa: N802 - COM's name
        return self.result

    def SelectedItems(self, index: int) -> str:  # noqa: N802 - COM's name
        assert index == 1
        return self.chosen


class _FakeExcelCom:
    def __init__(self, dialog: _FakeDialog) -> None:
        self.dialog = dialog
        self.kinds: list[int] = []

    def FileDialog(self, kind: int) -> _FakeDialog:  # noqa: N802 - COM's name
        self.kinds.append(kind)
        return self.dialog


@pytest.mark.parametrize(("result", "expected"), [(-1, Path(r"C:\Mallar")), (0, None)])
def test_windows_folder_dialog_is_excels_folder_picker(result: int, expected: Path | None):
    from delar_xl.excel.ui import _choose_folder_windows

    excel_com = _FakeExcelCom(_FakeDialog(result, r"C:\Mallar"))

    chosen = _choose_folder_windows(excel_com, "Välj mappen", Path(r"C:\Start"))

    assert chosen == expected
    assert excel_com.kinds == [4]  # msoFileDialogFolderPicker
    assert excel_com.dialog.Title == "Välj mappen" and excel_com.dialog.AllowMultiSelect is False
    assert excel_com.dialog.InitialFileName.endswith("\\")


def test_mac_folder_dialog_runs_choose_folder_in_excel(monkeypatch: pytest.MonkeyPatch):
    import subprocess

    from delar_xl.excel import ui as ui_module

    scripts: list[str] = []

    class Done:
        returncode, stdout, stderr = 0, "/Users/anna/mallar/\n", ""

    monkeypatch.setattr(subprocess, "run", lambda args, **_kw: (scripts.append(args[-1]), Done())[1])

    assert ui_module._choose_folder_mac('Välj "mallar"', Path("/Users/anna")) == Path("/Users/anna/mallar")
    assert 'tell application "Microsoft Excel"' in scripts[0]
    assert 'choose folder with prompt "Välj \\"mallar\\""' in scripts[0]

    Done.returncode, Done.stderr = 1, "execution error: User canceled. (-128)"
    assert ui_module._choose_folder_mac("Välj", None) is None

    Done.stderr = "execution error: Not authorized to send Apple events to Microsoft Excel. (-1743)"
    with pytest.raises(delar_xl.findings.DelarXlError, match="Mappdialogen kunde inte visas"):
        ui_module._choose_folder_mac("Välj", None)


def test_summary_refresh_uses_the_plan_it_remembers(folder: Path, tmp_path: Path, mail_offers):
    """The plan lives elsewhere; the summary's Plan name brings it back, so Leanlink is reported missing."""
    from delar_xl.demo.namnd import example_plan
    from delar_xl.plan.write import write_plan

    plan = write_plan(tmp_path / "planer" / "Plan Kommunstyrelsen 2021.xlsx", "Kommunstyrelsen", 2021, example_plan())
    summary = write_summary(consolidate([folder], plan=plan), folder / "Sammanställning 2021-08-31.xlsx")
    book = open_as_caller(summary)
    next(p for p in folder.iterdir() if "Leanlink" in p.name).unlink()  # Leanlink's file taken back

    excel.main(ui=ScriptedUi())

    names = {n.name: n.refers_to_range for n in book.names}
    cells = written_cells(book, "Sammanställning")
    assert cells[_address(names["AntalSaknade"])] == 1
    assert written_cells(book, "Källor")[_address(names["Plan"])] == f"'{plan.resolve()}"  # on "Källor" (issue 22)
    assert cells["A2"].startswith("'OFULLSTÄNDIG: 2 av 3 förvaltningar har lämnat in; Leanlink saknas")
    assert "'Saknas" in written_cells(book, "Inlämning").values()


def test_summary_refresh_moves_the_total_rows(folder: Path, summary_in_folder: Path, mail_offers):
    """The total under Ekonomi follows the shorter table: the old one is cleared, never left stale."""
    book = open_as_caller(summary_in_folder)
    _broken_leanlink(folder)  # Leanlink's 5 Ekonomi rows drop out: 16 → 11
    excel.main(ui=ScriptedUi())
    result = consolidate([folder])
    ekonomi = written_cells(book, "Ekonomi")
    assert ekonomi["A15"] == "'Summa"  # header in row 3, 11 rows, total right under them
    assert ekonomi["G15"] == pytest.approx(sum(u.template.deviation for u in result.included))
    cleared = [
        a
        for a in actions(book, "rangeClearContents")
        if a["sheet_position"] == [s.name for s in book.sheets].index("Ekonomi")
    ]
    assert any(a["start_row"] == 19 and a["row_count"] == 1 for a in cleared), cleared  # the old total (row 20)
    overview = written_cells(book, "Sammanställning")
    totalt = [k for k, v in overview.items() if v == "'Totalt (det som ingår i summorna)"]
    assert len(totalt) == 1
    row = totalt[0][1:]
    assert overview[f"D{row}"] == pytest.approx(result.deviation / 1000.0)


# Template version 2 (contract §7): the new sheets are refreshed too.


def test_summary_refresh_refills_investeringar_and_personal(folder: Path, summary_in_folder: Path, mail_offers):
    book = open_as_caller(summary_in_folder)
    _broken_leanlink(folder)  # Leanlink drops out: its three projects and three nyckeltal with it
    ui = ScriptedUi()
    excel.main(ui=ui)
    result = consolidate([folder])
    names = [s.name for s in book.sheets]
    resized = {names[a["sheet_position"]] for a in actions(book, "resizeTable")}
    assert {"Investeringar", "Personal"} <= resized
    investments = written_cells(book, "Investeringar")
    rows = [v for k, v in investments.items() if re.fullmatch(r"B\d+", k) and k != "B3" and v]  # not the Summa row
    assert rows == [f"'{r.project_id}" for u in result.included for r in u.template.investments]
    # The Summa row follows the shorter table (5 rows from row 4 on: the total in row 9).
    assert investments["A9"] == "'Summa"
    assert investments["G9"] == pytest.approx(sum(u.template.investment_deviation for u in result.included))
    personal = written_cells(book, "Personal")
    assert [v for k, v in personal.items() if re.fullmatch(r"B\d+", k)].count("'P02") == 2
    assert ui.messages == [excel.done_message(result)]  # nothing is lacking in a version 2 summary


def test_summary_made_before_version_2_is_refreshed_and_says_what_it_lacks(
    folder: Path, summary_in_folder: Path, mail_offers
):
    """An older summary: Forvaltningar without Investering avvikelse, no Investeringar or Personal sheet."""
    payload = payload_from_xlsx(summary_in_folder)
    payload["sheets"] = [s for s in payload["sheets"] if s["name"] not in ("Investeringar", "Personal")]
    for sheet in payload["sheets"]:
        for t in sheet["tables"]:
            if t["name"] == "Forvaltningar":  # one column narrower: O → N
                t["range_address"] = t["range_address"].replace("O", "N")
                t["header_row_range_address"] = t["header_row_range_address"].replace("O", "N")
                t["data_body_range_address"] = t["data_body_range_address"].replace("O", "N")
    book = xw.Book(json=payload)
    book.set_mock_caller()
    ui = ScriptedUi()
    excel.main(ui=ui)
    overview = written_cells(book, "Sammanställning")
    assert "'Investering avvikelse" in overview.values()  # the header written beside the table
    assert ui.messages[0].endswith(
        " Sammanställningen saknar tabellerna Investeringar och Personal (den skapades med en äldre version), så de "
        "uppdaterades inte. Klicka Konsolidera i en tom arbetsbok för en ny sammanställning med dem."
    )
