"""The Excel face: what the ribbon button "Konsolidera" runs, in the workbook active in Excel.

The add-in's VBA runs `import delar_xl; delar_xl.main()`; `xw.Book.caller()` is the active
workbook. What happens depends on that workbook's defined names:

- a filled template (`Mallversion`, no `Kallmapp`): its saved FILE is checked (never the cells
  one by one through COM) and the findings are listed on a sheet "Kontroll", each with a link
  to its cell; the input cells are not touched;
- a summary (`Kallmapp`): the templates in that folder are consolidated again and the open
  workbook is refreshed through xlwings (defined-name cells, the contract tables, "Text"), then
  saved;
- a plan (`Planversion`): after a yes, the period, the folder and optionally the previous
  summary are asked for, and one pre-filled template per förvaltning is written there through
  the same core as `delar-xl utskick` (dispatch.py); a plan with `Fel` gets a "Kontroll" sheet
  and nothing is written;
- the finansförvaltning's template (`Finansversion`, contract §9): its saved file is checked and
  the findings listed on "Kontroll", as for a template;
- anything else: a folder is asked for, consolidated, and a new summary is saved there and
  opened (a folder of nämnd summaries, with or without the finansförvaltning's template, gives
  the kommun's summary).

This module only translates between Excel and the core (`consolidate`, `summary`, `text`).
Every message goes through a `Ui` (see ui.py) so tests can answer the dialogs. Errors reach the
user as a Swedish message box; the details go to the log file (log.py).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from delar_xl.excel.ui import ExcelUi, Ui
from delar_xl.findings import DelarXlError, Finding, Report, Severity
from delar_xl.kinds import MALLVERSION, is_finans, is_plan, is_summary
from delar_xl.log import log_exception, unexpected_message
from delar_xl.namnd.declaration import KALLMAPP, NIVA, NIVA_KOMMUN, PLAN
from delar_xl.xlsx.cells import EXCEL_TEXT_MAX as MAX_TEXT  # the limit a value sent to a cell keeps
from delar_xl.xlsx.cells import SHORTENED

CHECK_SHEET = "Kontroll"
TEXT_SHEET = "Text"
OVERVIEW_SHEET = "Sammanställning"
TEXT_FIRST_ROW = 4  # the summary's "Text" sheet: title and note above, paragraphs from row 4
BANNER_CELL = "A2"  # the summary's status line on "Sammanställning"
CHECK_HEADERS = ["Allvarlighet", "Blad", "Cell", "Meddelande", "Kod"]
CHECK_WIDTHS = {"A": 12, "B": 16, "C": 8, "D": 90, "E": 24}  # characters, as Excel counts them
# Excel's limit for text in a cell; the apostrophe prefix counts when the value is sent.
# HYPERLINK's link_location is a string literal, and Excel limits those to 255 characters.
_MAX_LINK = 255
_A1 = re.compile(r"^\$?[A-Z]{1,3}\$?\d{1,7}(?::\$?[A-Z]{1,3}\$?\d{1,7})?$")


class Situation(Enum):
    TEMPLATE = "mall"
    SUMMARY = "sammanställning"
    PLAN = "plan"
    FINANS = "finansförvaltningens underlag"
    OTHER = "annan"


# Public API.


def main(ui: Ui | None = None) -> None:
    """Entry point of the ribbon button. `ui` is for tests; Excel gets message boxes."""
    import xlwings as xw

    try:
        book = xw.Book.caller()
    except Exception as exc:
        # Without the workbook there is no Excel to show a box in: stderr ends up in the
        # message the add-in's VBA shows.
        sys.exit(unexpected_message(exc, "excel.main: Book.caller"))
    run(book, ui or ExcelUi(book))


def run(book: Any, ui: Ui, now: datetime | None = None) -> None:
    """Do what the button does for `book`; never raises (problems become message boxes)."""
    now = now or datetime.now()
    try:
        situation = situation_of(book)
        if situation is Situation.TEMPLATE:
            check_open_template(book, ui, now)
        elif situation is Situation.SUMMARY:
            refresh_summary(book, ui, now)
        elif situation is Situation.PLAN:
            write_templates_from_plan(book, ui, now)
        elif situation is Situation.FINANS:
            check_open_finans(book, ui, now)
        else:
            consolidate_folder(book, ui, now)
    except DelarXlError as exc:
        path = log_exception(exc, "excel.run")
        _safe_alert(ui, f"{exc}\n\nLoggfil: {path}", error=True)
    except Exception as exc:  # the last line of defence: a box and a log, never a traceback
        _safe_alert(ui, unexpected_message(exc, "excel.run"), error=True)


def situation_of(book: Any) -> Situation:
    names = book_names(book)
    if is_summary(names):
        return Situation.SUMMARY
    if is_plan(names):
        return Situation.PLAN
    if MALLVERSION in names:
        return Situation.TEMPLATE
    if is_finans(names):
        return Situation.FINANS
    return Situation.OTHER


def book_names(book: Any) -> set[str]:
    """Workbook-scoped defined names (sheet-scoped ones read "Blad!namn" and are left out)."""
    return {n.name for n in book.names if "!" not in n.name}


# (a) A filled template.


def check_open_template(book: Any, ui: Ui, now: datetime) -> Report:
    from delar_xl.namnd.consolidate import check

    path = _saved_file(book)
    stale = ""
    if _has_unsaved_changes(book):
        if ui.confirm(
            "Mallen har ändringar som inte är sparade. Kontrollen läser den sparade filen. "
            "Vill du spara nu och kontrollera det du ser?"
        ):
            _save(book, "Mallen kunde inte sparas ({reason}). Spara den själv och klicka Konsolidera igen.")
        else:
            stale = " Kontrollen gäller den senast sparade versionen, inte osparade ändringar."
    report = check([path]).report
    write_check_sheet(book, report, path.name, now)
    ui.alert(check_message(report, path.name) + stale)
    return report


def check_open_finans(book: Any, ui: Ui, now: datetime) -> Report:
    """The finansförvaltning's template (contract §9) is checked like a template: findings on the sheet Kontroll."""
    from delar_xl.finans.read import check_finans
    from delar_xl.settings import load_settings

    path = _saved_file(book)
    stale = ""
    if _has_unsaved_changes(book):
        if ui.confirm(
            "Underlaget har ändringar som inte är sparade. Kontrollen läser den sparade filen. "
            "Vill du spara nu och kontrollera det du ser?"
        ):
            _save(book, "Underlaget kunde inte sparas ({reason}). Spara det själv och klicka Konsolidera igen.")
        else:
            stale = " Kontrollen gäller den senast sparade versionen, inte osparade ändringar."
    report = Report(check_finans(path, path.name, load_settings()).findings)
    write_check_sheet(book, report, path.name, now)
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    text = f"Kontroll av {path.name}: {_count(errors, 'fel', 'fel')}, {_count(warnings, 'varning', 'varningar')}."
    if errors:
        text += " Se bladet Kontroll; årets resultat kan inte räknas fram förrän felen är rättade."
    else:
        text += (
            " Lägg underlaget i mappen med nämndernas sammanställningar och konsolidera den, så får "
            "kommunens sammanställning årets resultat och balanskravet."
        )
    ui.alert(text + stale)
    return report


def check_message(report: Report, file: str) -> str:
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    head = f"Kontroll av {file}: {_count(errors, 'fel', 'fel')}, {_count(warnings, 'varning', 'varningar')}."
    if errors:
        return head + " Se bladet Kontroll; mallen kan inte sammanställas förrän felen är rättade."
    if warnings:
        return head + " Se bladet Kontroll."
    return head + " Mallen kan skickas in."


def write_check_sheet(book: Any, report: Report, file: str, now: datetime) -> Any:
    """Replace the sheet "Kontroll" with the findings, each linked to its cell."""
    sheet = _replace_sheet(book, CHECK_SHEET)
    findings = report.sorted()
    title = (
        f"Kontroll av {file} {now:%Y-%m-%d %H:%M}: "
        f"{_count(report.count(Severity.ERROR), 'fel', 'fel')}, "
        f"{_count(report.count(Severity.WARNING), 'varning', 'varningar')}, "
        f"{_count(report.count(Severity.INFO), 'upplysning', 'upplysningar')}."
    )
    rows: list[list[Any]] = [[title], [], CHECK_HEADERS]
    for f in findings:
        rows.append([f.severity.value, f.sheet, internal_link(f.sheet, f.cell), f.message, f.code])
    if not findings:
        rows.append(["Inga fel, varningar eller upplysningar."])
    write_rows(sheet, "A1", rows)
    for column, width in CHECK_WIDTHS.items():
        sheet.range(f"{column}:{column}").column_width = width
    sheet.range("D:D").wrap_text = True
    return sheet


# (b) A summary.


def refresh_summary(book: Any, ui: Ui, now: datetime) -> None:
    if _name_value(book, NIVA) == NIVA_KOMMUN:
        refresh_kommun_summary(book, ui, now)
        return
    folder = _summary_folder(book, ui)
    if folder is None:
        return  # the user cancelled the folder dialog
    result = consolidate_templates(folder, summary_plan(book))
    lacking = write_result(book, result, now)
    _save(book, "Sammanställningen är uppdaterad men kunde inte sparas ({reason}). Spara den med Arkiv ▸ Spara som.")
    ui.alert(done_message(result) + lacking_note(lacking))
    own = _local_file(book)
    if own is not None:
        write_word_next_to(result, own, now, ui)
    offer_mail(Path(book.fullname), ui)


def refresh_kommun_summary(book: Any, ui: Ui, now: datetime) -> None:
    """The kommun's summary (contract §6): the nämnd summaries in its folder consolidated again."""
    from delar_xl.kommun.consolidate import consolidate_kommun
    from delar_xl.kommun.coverage import previous_coverage
    from delar_xl.kommun.result import table_rows
    from delar_xl.kommun.summary import banner, name_values
    from delar_xl.kommun.text import paragraphs
    from delar_xl.kommun.word import write_kommun_word
    from delar_xl.namnd.summary import partial_labels

    folder = _summary_folder(book, ui, "Välj mappen med nämndernas sammanställningar")
    if folder is None:
        return
    if not folder.is_dir():
        raise DelarXlError(f"Mappen {folder} finns inte.")
    named = _name_value(book, "Kommun")  # a name given with --kommun when the summary was made stays
    result = consolidate_kommun([folder], kommun=str(named).lstrip("'") if named else None)
    if not result.readable:
        raise DelarXlError(f"Ingen fil i mappen {folder} kunde läsas som en nämnds sammanställning.")
    refuse_undecided_periods(result, folder)
    if (result.annual is not None) != ("AretsResultatPrognos" in book_names(book)):
        # The finansförvaltning's template came or went: the open workbook has no place for årets resultat, or
        # would keep a stale one. A new summary is written beside it instead of refilling it half.
        came = result.annual is not None
        write_new_kommun_summary(
            result,
            folder,
            ui,
            now,
            "En ny sammanställning skrevs: finansförvaltningens underlag har "
            + ("tillkommit." if came else "tagits bort eller ingår inte längre."),
        )
        return
    write_name_values(book, name_values(result, created=now))
    write_key_labels(book, partial_labels(previous_coverage(result).partial))
    tables = table_rows(result)
    paths = {u.file: u.path for u in result.units}
    headers, rows = tables["Kontroll"]
    tables["Kontroll"] = (headers, [_link_finding_row(headers, row, paths) for row in rows])
    refill_tables(book, tables)
    if OVERVIEW_SHEET in _sheet_names(book):
        book.sheets[OVERVIEW_SHEET][BANNER_CELL].value = as_cell(banner(result)[0])
    write_text_sheet(book, paragraphs(result))
    _save(book, "Sammanställningen är uppdaterad men kunde inte sparas ({reason}). Spara den med Arkiv ▸ Spara som.")
    ui.alert(kommun_done_message(result))
    own = _local_file(book)
    if own is not None:
        write_word_next_to(result, own, now, ui, write_kommun_word)
    offer_mail(Path(book.fullname), ui)


def kommun_done_message(result: Any) -> str:
    from delar_xl.numbers import format_mnkr

    errors = result.report.count(Severity.ERROR)
    annual = result.annual
    outcome = (
        f"årets resultat {format_mnkr(annual.forecast * 1000.0)}, balanskravsresultat "
        f"{format_mnkr(annual.balance * 1000.0)}"
        if annual is not None
        else "årets resultat redovisas inte (finansförvaltningens underlag saknas eller ingår inte)"
    )
    text = (
        f"Klart: {_count(len(result.included), 'nämnd', 'nämnder')}, {errors} fel, nämndernas "
        f"budgetavvikelse {format_mnkr(result.deviation * 1000.0)}, {outcome}."
    )
    if not result.complete:
        text += " Summorna är ofullständiga: se bannern och bladet Kontroll."
    return text


def consolidate_kommun_folder(folder: Path, ui: Ui, now: datetime) -> Path:
    """A folder holding only nämnd summaries (and the finansförvaltning's template): the kommun's summary is
    written there and opened (contract §6, §9)."""
    from delar_xl.kommun.consolidate import consolidate_kommun

    result = consolidate_kommun([folder])
    refuse_undecided_periods(result, folder)
    return write_new_kommun_summary(result, folder, ui, now)


def write_new_kommun_summary(result: Any, folder: Path, ui: Ui, now: datetime, note: str = "") -> Path:
    """A new kommun summary in `folder` (never over an earlier one), opened, its tjänsteskrivelse beside it."""
    from delar_xl.kommun.summary import write_kommun_summary
    from delar_xl.kommun.word import write_kommun_word

    period = f" {result.periodslut:%Y-%m-%d}" if result.periodslut else ""
    target = free_path(folder / f"Sammanställning {result.namnd}{period} (skapad {now:%Y-%m-%d}).xlsx")
    written = write_kommun_summary(result, target, created=now)
    ui.open_workbook(written)
    ui.alert(kommun_done_message(result) + (f" {note}" if note else ""))
    write_word_next_to(result, written, now, ui, write_kommun_word)
    offer_mail(written, ui)
    return written


def write_result(book: Any, result: Any, now: datetime) -> list[str]:
    """Everything the summary shows, written into the open summary workbook.

    Returns the contract tables the workbook lacks (a summary written before they existed): their
    rows are not written, and the user is told to make a new summary to get them."""
    from delar_xl.namnd.coverage import previous_coverage
    from delar_xl.namnd.document import paragraphs
    from delar_xl.namnd.layout import table_totals
    from delar_xl.namnd.summary import banner, name_values, partial_labels, table_rows

    values = name_values(result, created=now)
    write_name_values(book, values)
    write_key_labels(book, partial_labels(previous_coverage(result).partial))
    tables = table_rows(result)
    totals = table_totals(tables, values)
    if "Kontroll" in tables:
        paths = {u.file: u.path for u in result.units}
        headers, rows = tables["Kontroll"]
        tables["Kontroll"] = (headers, [_link_finding_row(headers, row, paths) for row in rows])
    done = refill_tables(book, tables, totals)
    if OVERVIEW_SHEET in _sheet_names(book):
        book.sheets[OVERVIEW_SHEET][BANNER_CELL].value = as_cell(banner(result)[0])
    write_text_sheet(book, paragraphs(result, now.date()))
    return [name for name in tables if name not in done]


def _summary_folder(book: Any, ui: Ui, prompt: str = "Välj mappen med förvaltningarnas ifyllda mallar") -> Path | None:
    """The summary's source folder (`Kallmapp`), or one the user picks when it is gone."""
    text = _name_value(book, KALLMAPP)
    folder = Path(str(text)) if text else None
    if folder is not None and folder.is_dir():
        return folder
    gone = f"Mappen {folder} finns inte längre. " if folder else ""
    return ui.choose_folder(f"{gone}{prompt}")


def write_name_values(book: Any, values: dict[str, Any]) -> list[str]:
    """Write each value into the cell of the defined name of that name; returns those written."""
    present = book_names(book)
    written = []
    for name, value in values.items():
        if name in present:
            book.names[name].refers_to_range.value = as_cell(value)
            written.append(name)
    return written


def write_key_labels(book: Any, labels: dict[str, str]) -> None:
    """The label beside a key figure (the cell left of its name) where it follows the data ("…, delsumma")."""
    present = book_names(book)
    for name, label in labels.items():
        if name in present:
            book.names[name].refers_to_range.offset(0, -1).value = as_cell(label)


def refill_tables(
    book: Any, tables: dict[str, tuple[list[str], list[list[Any]]]], totals: dict[str, list[Any]] | None = None
) -> list[str]:
    """Resize and refill every contract table found in the workbook; returns their names.

    `totals`: table name → the total row the summary writes directly under that table.
    """
    done = []
    for sheet in book.sheets:
        for table in sheet.tables:
            if table.name in tables:
                headers, rows = tables[table.name]
                top_left = table.range[0, 0]
                old_rows = table.data_body_range.rows.count if table.data_body_range is not None else 0
                has_total = bool(totals and table.name in totals) and _is_total(top_left, old_rows)
                refill_table(table, headers, rows)
                if has_total:
                    _move_total(top_left, old_rows, max(1, len(rows)), (totals or {})[table.name])
                done.append(table.name)
    return done


TOTAL_LABELS = ("Summa", "Totalt")


def _is_total(top_left: Any, body_rows: int) -> bool:
    """Whether the row under the table is the summary's total row (older summaries have none)."""
    label = top_left.offset(row_offset=1 + body_rows).value
    return isinstance(label, str) and label.lstrip("'").startswith(TOTAL_LABELS)


def _move_total(top_left: Any, old_rows: int, new_rows: int, values: list[Any]) -> None:
    """The total row follows the table: never left stale under a shorter table, never inside a longer one."""
    if new_rows < old_rows:
        top_left.offset(row_offset=1 + old_rows).resize(column_size=len(values)).clear_contents()
    top_left.offset(row_offset=1 + new_rows).resize(column_size=len(values)).value = [[as_cell(v) for v in values]]


def refill_table(table: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """New rows into an existing Excel table: resize it, clear what fell outside, write.

    A table that has the leading columns only (a summary made before columns were added after them,
    e.g. contract §7's Investering avvikelse) is widened: the new headers are written beside it."""
    present = ["" if h is None else str(h) for h in table.header_row_range.options(ndim=1).value]
    if len(present) < len(headers) and list(headers[: len(present)]) == present:
        beside = table.range[0, 0].offset(column_offset=len(present))
        beside.resize(column_size=len(headers) - len(present)).value = [[as_cell(h) for h in headers[len(present) :]]]
        present = list(headers)
    if present[: len(headers)] != list(headers):
        raise DelarXlError(
            f"Tabellen {table.name} i arbetsboken har inte de rubriker sammanställningen använder "
            f"({', '.join(headers)}). Skapa en ny sammanställning i stället (klicka Konsolidera i en tom arbetsbok)."
        )
    width = len(headers)
    old_rows = table.data_body_range.rows.count if table.data_body_range is not None else 0
    new_rows = max(1, len(rows))  # an Excel table keeps at least one (empty) data row
    top_left = table.range[0, 0]
    table.resize(top_left.resize(row_size=1 + new_rows, column_size=len(present)))
    body = top_left.offset(row_offset=1)
    if old_rows > new_rows:
        # Rows that fell outside the table still hold old values.
        body.offset(row_offset=new_rows).resize(row_size=old_rows - new_rows, column_size=len(present)).clear_contents()
    if rows:
        body.resize(row_size=len(rows), column_size=width).value = [[as_cell(v) for v in row[:width]] for row in rows]
    else:
        body.resize(row_size=1, column_size=width).clear_contents()


def write_text_sheet(book: Any, paragraphs: Sequence[str]) -> None:
    if TEXT_SHEET not in _sheet_names(book):
        return
    sheet = book.sheets[TEXT_SHEET]
    last = sheet.used_range.last_cell.row
    first = TEXT_FIRST_ROW
    if last >= first:
        sheet.range(f"A{first}:A{last}").clear_contents()
    if paragraphs:
        sheet.range(f"A{first}").value = [[as_cell(p) if p else None] for p in paragraphs]


# (c) A plan: pre-filled templates for every förvaltning.


def write_templates_from_plan(book: Any, ui: Ui, now: datetime) -> list[Path]:
    """Ask for the period, the folder and (optionally) the previous summary, then write one
    pre-filled template per förvaltning from the plan's saved file, like `delar-xl utskick`."""
    from delar_xl.namnd.dispatch import dispatch

    path = _local_file(book)
    if path is None:
        raise DelarXlError(
            "Planen måste vara sparad som fil på den här datorn. Spara den (Arkiv ▸ Spara som) "
            "och klicka Konsolidera igen."
        )
    namnd, year = _name_value(book, "Namnd") or "", _year_of(_name_value(book, "Ar"))
    label = " ".join(str(part) for part in (namnd, year) if part)
    if not ui.confirm(f"Den öppna arbetsboken är en plan ({label}). Vill du skriva en förifylld mall per förvaltning?"):
        return []
    if _has_unsaved_changes(book) and ui.confirm(
        "Planen har ändringar som inte är sparade. Mallarna skrivs från den sparade filen. Vill du spara nu?"
    ):
        _save(book, "Planen kunde inte sparas ({reason}). Spara den själv och klicka Konsolidera igen.")
    period = _ask_period(ui, year)
    if period is None:
        return []
    folder = ui.choose_folder("Välj mappen där de förifyllda mallarna ska sparas", path.parent)
    if folder is None:
        return []
    previous = None
    if ui.confirm("Vill du fylla i Föregående prognos från förra periodens sammanställning?"):
        previous = ui.choose_file("Välj förra periodens sammanställning (.xlsx)", folder)
        if previous is None:
            return []
    result = dispatch(path, period, folder, previous)
    if result.plan is None or result.has_errors:
        report = Report(result.findings)
        write_check_sheet(book, report, path.name, now)
        ui.alert(
            f"Planen har {_count(report.count(Severity.ERROR), 'fel', 'fel')}; inga mallar skrevs. "
            "Se bladet Kontroll, rätta planen och klicka Konsolidera igen.",
            error=True,
        )
        return []
    ui.alert(dispatch_message(result, folder))
    return result.written


def dispatch_message(result: Any, folder: Path) -> str:
    """ "Klart: 3 förifyllda mallar skrevs i …" and the lines without a previous figure."""
    text = f"Klart: {_count(len(result.written), 'förifylld mall', 'förifyllda mallar')} skrevs i {folder}."
    missing = [f"{t.unit.forvaltning}: {', '.join(t.missing_previous)}" for t in result.templates if t.missing_previous]
    if result.previous is not None and missing:
        text += f" Föregående prognos saknas i {result.previous.file} för " + "; ".join(missing) + "."
    return text


def _ask_period(ui: Ui, year: int | None) -> date | None:
    default = f"{year}-08-31" if year else ""
    text = ui.ask_text("Periodslut för mallarna (ÅÅÅÅ-MM-DD):", default)
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise DelarXlError(
            f'"{text}" är inte ett datum. Skriv periodslutet som ÅÅÅÅ-MM-DD, t.ex. 2021-08-31.'
        ) from None


def _year_of(value: Any) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    return None


# (d) Anything else: a new summary from a folder.


def consolidate_folder(book: Any, ui: Ui, now: datetime) -> Path | None:
    from delar_xl.namnd.summary import write_summary

    own = _local_file(book)
    folder = ui.choose_folder("Välj mappen med förvaltningarnas ifyllda mallar", own.parent if own else None)
    if folder is None:
        return None  # the user cancelled: nothing to say
    from delar_xl.kommun.consolidate import inputs_are_summaries

    if inputs_are_summaries([folder]):
        return consolidate_kommun_folder(folder, ui, now)
    result = consolidate_templates(folder)
    target = free_path(folder / summary_file_name(result, now))
    written = write_summary(result, target, created=now)
    ui.open_workbook(written)
    ui.alert(done_message(result))
    write_word_next_to(result, written, now, ui)
    offer_mail(written, ui)
    return written


def write_word_next_to(
    result: Any, summary: Path, now: datetime, ui: Ui, write: Callable[..., Path] | None = None
) -> Path | None:
    """The tjänsteskrivelse (.docx) beside the summary (`write`: the kommun's writer at that level) and,
    at the nämnd level, the nämnd's delårsrapport (contract §8). The summary is already saved, so a
    document that cannot be written is a message of its own, not a failure of the button."""
    from delar_xl.namnd.word import word_file_name, write_word

    if write is None:
        write_report_next_to(result, summary, now, ui)
    try:
        return (write or write_word)(result, word_file_name(summary), now)
    except DelarXlError as exc:
        _safe_alert(
            ui, f"Sammanställningen är sparad, men tjänsteskrivelsen (Word) kunde inte sparas: {exc}", error=True
        )
        return None


def write_report_next_to(result: Any, summary: Path, now: datetime, ui: Ui) -> Path | None:
    """The nämnd's delårsrapport (.docx) beside the summary: "Delårsrapport 2021-08-31 (skapad …).docx"."""
    from delar_xl.namnd.report import write_report
    from delar_xl.namnd.word import report_file_name

    try:
        return write_report(result, report_file_name(summary), now)
    except DelarXlError as exc:
        _safe_alert(ui, f"Sammanställningen är sparad, men delårsrapporten (Word) kunde inte sparas: {exc}", error=True)
        return None


def summary_file_name(result: Any, now: datetime) -> str:
    """ "Sammanställning 2021-08-31 (skapad 2026-11-27).xlsx"."""
    period = f" {result.periodslut:%Y-%m-%d}" if getattr(result, "periodslut", None) else ""
    return f"Sammanställning{period} (skapad {now:%Y-%m-%d}).xlsx"


def free_path(path: Path) -> Path:
    """`path`, or "name (2).xlsx", "name (3).xlsx", …: an earlier summary is never overwritten."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
    return candidate


def summary_plan(book: Any) -> Path | None:
    """The plan the summary was built with (its `Plan` name), when that file is still there;
    otherwise None, and the core looks for a plan in the folder itself."""
    text = _name_value(book, PLAN)
    path = Path(str(text)) if text else None
    return path if path is not None and path.is_file() else None


def consolidate_templates(folder: Path, plan: Path | None = None) -> Any:
    """Consolidate every template in `folder` (against `plan`, or a plan found there). Summaries
    saved there (this one too) are skipped by the core with a note; nothing readable at all is
    an error the user is told about."""
    from delar_xl.namnd.consolidate import consolidate

    if not folder.is_dir():
        raise DelarXlError(f"Mappen {folder} finns inte.")
    result = consolidate([folder], plan=plan)
    if not result.units:
        raise DelarXlError(f"Mappen {folder} innehåller inga Excel-filer med mallar (.xlsx).")
    if not any(u.template is not None for u in result.units):
        first: Finding | None = next((f for f in result.report.findings if f.severity is Severity.ERROR), None)
        reason = f" Första felet: {first.render()}" if first else ""
        raise DelarXlError(f"Ingen fil i mappen {folder} kunde läsas som en mall.{reason}")
    refuse_undecided_periods(result, folder)
    return result


def lacking_note(tables: Sequence[str]) -> str:
    """ " Sammanställningen saknar tabellerna …": a summary made by an older version has no sheet for them."""
    if not tables:
        return ""
    from delar_xl.namnd.text import join_and

    which = "tabellen" if len(tables) == 1 else "tabellerna"
    return (
        f" Sammanställningen saknar {which} {join_and(list(tables))} (den skapades med en äldre version), "
        "så de uppdaterades inte. Klicka Konsolidera i en tom arbetsbok för en ny sammanställning med dem."
    )


def refuse_undecided_periods(result: Any, folder: Path) -> None:
    """A tie of periods is never decided for the user (issue 19); the add-in has no --period to ask with."""
    if not result.undecided_periods:
        return
    listing = "; ".join(f"{p.isoformat()}: {', '.join(files)}" for p, files in result.undecided_periods.items())
    raise DelarXlError(
        f"Filerna i mappen {folder} avser olika perioder, lika många var ({listing}). "
        "Flytta filerna för den period som inte ska sammanställas till en annan mapp."
    )


def done_message(result: Any) -> str:
    from delar_xl.namnd.declaration import STATUS_SKIPPED
    from delar_xl.numbers import format_mnkr

    units = [u for u in result.units if u.template is not None]
    errors = result.report.count(Severity.ERROR)
    text = (
        f"Klart: {_count(len(units), 'förvaltning', 'förvaltningar')}, {errors} fel, "
        f"totalt {format_mnkr(result.deviation)}."
    )
    if not result.complete:
        left_out = [u for u in result.units if not u.included and u.status != STATUS_SKIPPED]
        text += f" Summorna är ofullständiga: {_count(len(left_out), 'fil', 'filer')} ingår inte. Se bladet Kontroll."
    return text


def offer_mail(summary: Path, ui: Ui) -> None:
    """Offer to email the summary to Ekonomistaben (delar_xl.mail decides how: SMTP, .eml or Outlook)."""
    from delar_xl.mail import offer_send

    offer_send(summary, ui)


# Writing values so that Excel keeps them as they are.


class Formula(str):
    """A formula this module built itself: written as a formula, never escaped."""


def as_cell(value: Any) -> Any:
    """A value for Range.value that Excel stores unchanged.

    Text is written with Excel's text prefix, an apostrophe: through COM/AppleScript a value is
    parsed like typed input, so "=1+1", "+46…", "-tal", "@x", "1-2" or "2021-08-31" would turn
    into formulas, numbers or dates. The apostrophe is not part of the cell's value.
    """
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        if len(value) >= MAX_TEXT:
            value = value[: MAX_TEXT - 20] + SHORTENED
        return "'" + value if value else None
    return value


def write_rows(sheet: Any, top_left: str, rows: Sequence[Sequence[Any]]) -> None:
    """One write for a block of rows (short rows padded), so Excel gets a single call."""
    width = max((len(r) for r in rows), default=0)
    if not width:
        return
    block = [[as_cell(v) for v in row] + [None] * (width - len(row)) for row in rows]
    sheet.range(top_left).resize(row_size=len(block), column_size=width).value = block


def internal_link(sheet: str, cell: str) -> Any:
    """=HYPERLINK to a cell of this workbook, or the plain address when there is none."""
    if not sheet or not cell or not _A1.match(cell):
        return cell or None
    return _hyperlink(f"#{_sheet_ref(sheet)}!{cell}", cell)


def external_link(path: str, sheet: str, cell: str) -> Any:
    """=HYPERLINK to a cell of another workbook (opens it there), or the plain address."""
    if not path or not sheet or not cell or not _A1.match(cell):
        return cell or None
    return _hyperlink(f"[{path}]{_sheet_ref(sheet)}!{cell}", cell)


def _hyperlink(location: str, label: str) -> Any:
    if len(location) > _MAX_LINK:
        return label
    return Formula(f'=HYPERLINK("{location.replace(chr(34), chr(34) * 2)}","{label}")')


def _sheet_ref(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _link_finding_row(headers: Sequence[str], row: Sequence[Any], paths: dict[str, str]) -> list[Any]:
    """The summary's Kontroll row with its Cell turned into a link into the source file."""
    values = list(row)
    try:
        file_i, sheet_i, cell_i = headers.index("Fil"), headers.index("Blad"), headers.index("Cell")
    except ValueError:
        return values
    values[cell_i] = external_link(paths.get(values[file_i], ""), values[sheet_i] or "", values[cell_i] or "")
    return values


# Private API.


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _safe_alert(ui: Ui, message: str, *, error: bool = False) -> None:
    try:
        ui.alert(message, error=error)
    except Exception as exc:  # Excel went away: the log is all that is left
        log_exception(exc, "excel: message box")


def _sheet_names(book: Any) -> list[str]:
    return [s.name for s in book.sheets]


def _replace_sheet(book: Any, name: str) -> Any:
    if name in _sheet_names(book):
        book.sheets[name].delete()
    return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])


def _name_value(book: Any, name: str) -> Any:
    return book.names[name].refers_to_range.value if name in book_names(book) else None


def _local_file(book: Any) -> Path | None:
    """The workbook's file on this computer, or None (never saved, or only in the cloud)."""
    fullname = str(book.fullname or "")
    if "://" in fullname:
        return None
    path = Path(fullname)
    return path if path.is_file() else None


def _saved_file(book: Any) -> Path:
    path = _local_file(book)
    if path is None:
        raise DelarXlError(
            "Mallen måste vara sparad som fil på den här datorn för att kunna kontrolleras. "
            "Spara den (Arkiv ▸ Spara som) och klicka Konsolidera igen."
        )
    return path


def _save(book: Any, message: str) -> None:
    """Save in place; a read-only or protected file becomes a message saying what to do."""
    try:
        book.save()
    except Exception as exc:
        raise DelarXlError(message.format(reason=exc)) from exc


def _has_unsaved_changes(book: Any) -> bool:
    """Whether Excel holds changes not yet in the file (unknown counts as no)."""
    try:
        if sys.platform.startswith("win"):
            return not bool(book.api.Saved)
        if sys.platform == "darwin":
            return not bool(book.api.saved.get())
    except Exception:
        return False
    return False


__all__ = [
    "Formula",
    "Situation",
    "as_cell",
    "check_open_template",
    "consolidate_folder",
    "done_message",
    "external_link",
    "internal_link",
    "main",
    "refill_table",
    "refill_tables",
    "refresh_summary",
    "run",
    "write_result",
    "situation_of",
    "summary_file_name",
    "consolidate_templates",
    "write_check_sheet",
    "write_report_next_to",
    "write_word_next_to",
    "write_check_sheet",
    "write_templates_from_plan",
    "dispatch_message",
    "write_name_values",
    "write_rows",
    "write_text_sheet",
]
