"""Word documents from document.py's block model: the proposed tjänsteskrivelse (contract §5) and, with
report.py's blocks, the nämnd's delårsrapport (contract §8).

Only Word's built-in styles are used (Title, Subtitle, Heading 1–2, Normal, List Number, List, TOC
Heading, Table Grid), so a kommun's own Word template (`--word-mall FIL.dotx`) restyles a document by
style name: written on that template, a document keeps its styles, header, footer and first-page
setting. User text (names, a förvaltning's texts) goes in as plain text runs: python-docx escapes it,
and characters XML cannot carry are dropped. python-docx is imported only when a document is written.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from delar_xl.files import write_atomic
from delar_xl.findings import OutputError
from delar_xl.namnd.document import (
    AmountTable,
    Block,
    Contents,
    DataTable,
    Heading,
    Letterhead,
    LineList,
    NumberedList,
    PageBreak,
    Paragraph,
    Signature,
    TitlePage,
    document,
)
from delar_xl.namnd.result import Reported, Result
from delar_xl.numbers import format_mnkr

A4_WIDTH_CM, A4_HEIGHT_CM = 21.0, 29.7
MARGIN_CM = {"left": 2.5, "right": 2.5, "top": 2.0, "bottom": 2.0}
LANGUAGE = "sv-SE"
TITLE_PT = 18
NAME_COLUMN_CM, AMOUNT_COLUMN_CM = 9.0, 3.5
SIGNATURE_SPACE_PT = 36  # room above each name to sign by hand
TABLE_STYLE = "Table Grid"  # built in: every Word template has it
# XML 1.0 forbids most control characters; a cell can still hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def write_document(
    result: Reported, path: Path | str, blocks_of: Callable[[date], list[Block]], created: date | datetime | None = None
) -> Path:
    """Write a tjänsteskrivelse of either level: `blocks_of(day)` gives its blocks (document.py's model).

    Refuses a name that is not .docx; the file is read back before it replaces the previous one.
    """
    path = require_docx(path, "Tjänsteskrivelsen")
    moment = as_moment(created)
    blocks = blocks_of(moment.date())
    return write_atomic(
        path, lambda tmp: build(result, blocks, moment).save(str(tmp)), verify=verifier("Tjänsteskrivelsen")
    )


def write_word(
    result: Result,
    path: Path | str,
    created: date | datetime | None = None,
    diarienummer: str = "",
    template: Path | str | None = None,
) -> Path:
    """Write the tjänsteskrivelse for `result` to `path` (.docx) atomically; returns the path written.

    `template`: the kommun's Word template (.dotx or .docx) whose styles, header and footer are used.
    The previous file, if any, is kept as path + ".bak" (files.write_atomic).
    """
    path = require_docx(path, "Tjänsteskrivelsen")
    moment = as_moment(created)
    blocks = document(result, moment.date(), diarienummer)
    header = [
        decision_kommun(result),
        tjanste_header(result),
        f"Dnr {diarienummer.strip()}" if diarienummer.strip() else "",
    ]

    return write_atomic(
        path,
        lambda tmp: build(result, blocks, moment, header, template).save(str(tmp)),
        verify=verifier("Tjänsteskrivelsen"),
    )


def build(
    result: Reported,
    blocks: list[Block],
    created: datetime,
    header: list[str] | None = None,
    template: Path | str | None = None,
    category: str = "Tjänsteskrivelse",
) -> Any:
    """The python-docx Document for `blocks` (not yet saved); the kommun level builds its own this way."""
    doc = open_document(template)
    prepare(doc, header if header is not None else [tjanste_header(result)], own_layout=template is None)
    add_blocks(doc, blocks)
    properties(doc, result, blocks, created, category)
    return doc


def decision_kommun(result: Result) -> str:
    from delar_xl.namnd.decision import kommun_name

    return kommun_name(result)


def tjanste_header(result: Reported) -> str:
    """ "Kommunstyrelsen – tjänsteskrivelse, delårsrapport per 2021-08-31": the report's period, never the
    day the file was written."""
    end = getattr(result, "periodslut", None)
    period = end.isoformat() if end else ""
    report = f"{(getattr(result, 'rapport', '') or 'Delårsrapport').lower()} per {period}" if period else ""
    what = ", ".join(filter(None, ["tjänsteskrivelse", report]))
    text = " – ".join(filter(None, [str(getattr(result, "namnd", "")).strip(), what]))
    return text


def require_docx(path: Path | str, what: str) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise OutputError(
            f"{what} sparas som Word-dokument (.docx), inte {path.name}. Ange ett filnamn som slutar på .docx."
        )
    return path


def as_moment(created: date | datetime | None) -> datetime:
    if isinstance(created, datetime):
        return created
    return datetime.combine(created or date.today(), datetime.min.time())


def word_file_name(summary: Path) -> Path:
    """The .docx next to a summary: "Sammanställning 2021-08-31.xlsx" → "Tjänsteskrivelse 2021-08-31.docx"."""
    return _beside(summary, "Tjänsteskrivelse", " – tjänsteskrivelse")


def report_file_name(summary: Path) -> Path:
    """The delårsrapport next to a summary: "Sammanställning … 2021-08-31.xlsx" → "Delårsrapport … 2021-08-31.docx"."""
    return _beside(summary, "Delårsrapport", " – delårsrapport")


def _beside(summary: Path, word: str, suffix: str) -> Path:
    stem = summary.stem
    if stem.startswith("Sammanställning"):
        stem = word + stem[len("Sammanställning") :]
    else:
        stem += suffix
    return summary.with_name(stem + ".docx")


# The document and its page ----------------------------------------------------------------------


def open_document(template: Path | str | None = None) -> Any:
    """A new python-docx Document: blank, or on the kommun's template (.dotx or .docx) with its body
    emptied (styles, header, footer and section settings stay)."""
    import docx

    if template is None:
        return docx.Document()
    source = Path(template)
    if not source.is_file():
        raise OutputError(f"Word-mallen {source.name} finns inte.")
    with tempfile.TemporaryDirectory(prefix="delar_xl-mall-") as folder:
        copy = Path(folder) / "mall.docx"
        try:
            _as_document(source, copy)
            doc = docx.Document(str(copy))
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise OutputError(
                f"Word-mallen {source.name} kunde inte läsas ({exc}). Ange en .dotx eller .docx."
            ) from exc
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return doc


def _as_document(source: Path, target: Path) -> None:
    """Copy a .dotx as a .docx: the same package with the main part's content type changed."""
    if source.suffix.lower() != ".dotx":
        shutil.copyfile(source, target)
        return
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(_TEMPLATE_TYPE.encode(), _DOCUMENT_TYPE.encode())
            dst.writestr(item, data)


def prepare(doc: Any, header: list[str], own_layout: bool = True) -> None:
    """Page, header and footer, Swedish as the language. `own_layout`: A4 and our margins and title size
    (left as they are on a kommun's template, whose own they are)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    section = doc.sections[0]
    if own_layout:
        section.page_width, section.page_height = Cm(A4_WIDTH_CM), Cm(A4_HEIGHT_CM)
        section.left_margin, section.right_margin = Cm(MARGIN_CM["left"]), Cm(MARGIN_CM["right"])
        section.top_margin, section.bottom_margin = Cm(MARGIN_CM["top"]), Cm(MARGIN_CM["bottom"])
        doc.styles["Title"].font.size = Pt(TITLE_PT)  # 26 pt made the long title four lines
    lines = [clean(line) for line in header if line and line.strip()]
    if lines:
        paragraph = _free_paragraph(section.header)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(lines[0])
        for line in lines[1:]:
            paragraph.add_run().add_break()
            paragraph.add_run(line)
    if not _has_field(section.footer, "PAGE"):
        footer = _free_paragraph(section.footer)
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Sida ")
        field(footer, "PAGE", "1")
        footer.add_run(" av ")
        field(footer, "NUMPAGES", "1")
    language(doc)


def _free_paragraph(part: Any) -> Any:
    """The header's (footer's) empty first paragraph, or a new one after what a template put there."""
    paragraphs = part.paragraphs
    if paragraphs and not paragraphs[-1].text.strip() and not paragraphs[-1]._p.xpath(".//w:drawing"):
        return paragraphs[-1]
    return part.add_paragraph()


def _has_field(part: Any, name: str) -> bool:
    return any(name in (t.text or "") for t in part._element.iter() if t.tag.endswith("}instrText"))


def field(paragraph: Any, instruction: str, shown: str) -> None:
    """A Word field (begin, instruction, separate, cached result, end), updated when Word lays out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")  # Word updates it when the document opens
        return element

    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    for part in (char("begin"), code, char("separate")):
        paragraph.add_run()._r.append(part)
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(char("end"))


def language(doc: Any) -> None:
    """Swedish as the document's language, so Word's spelling and hyphenation are Swedish."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if defaults is None:
        return
    lang = defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        defaults.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def update_fields_on_open(doc: Any) -> None:
    """Ask Word to update the fields (the table of contents) when the document is opened."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = doc.settings.element
    element = settings.find(qn("w:updateFields"))
    if element is None:
        element = OxmlElement("w:updateFields")
        settings.append(element)
    element.set(qn("w:val"), "true")


# Blocks ------------------------------------------------------------------------------------------


def add_blocks(doc: Any, blocks: list[Block]) -> None:
    for block, following in zip(blocks, blocks[1:] + [None]):
        add_block(doc, block)
        if (
            isinstance(following, AmountTable)
            or (isinstance(following, DataTable) and len(following.rows) <= KEEP_TABLE_ROWS)
        ) and doc.paragraphs:
            # "… är följande:" never ends a page with its table on the next one.
            doc.paragraphs[-1].paragraph_format.keep_with_next = True


def styled(doc: Any, text: str, style: str | None) -> Any:
    """A paragraph in a built-in style. A kommun's template saved by Word holds only the styles it uses:
    a missing one is added under its built-in name (so the template's later edits still find it)."""
    from docx.enum.style import WD_STYLE_TYPE

    if style is not None:
        try:
            doc.styles[style]
        except KeyError:
            added = doc.styles.add_style(style, WD_STYLE_TYPE.PARAGRAPH)
            added.base_style = doc.styles["Normal"]
            if style.startswith("Heading") or style in ("Title", "Subtitle", "TOC Heading"):
                added.font.bold = True
    return doc.add_paragraph(clean(text), style=style)


def add_block(doc: Any, block: Block) -> None:
    if isinstance(block, Heading):
        style = "Title" if block.level == 0 else f"Heading {block.level}"
        paragraph = styled(doc, block.text, style)
        if block.level == 1:
            _mark(doc, paragraph)
    elif isinstance(block, Paragraph):
        _paragraph(doc, block)
    elif isinstance(block, NumberedList):
        for item in block.items:
            _numbered(styled(doc, item, "List Number"))
    elif isinstance(block, LineList):
        for i, item in enumerate(block.items, 1):
            paragraph = styled(doc, item, "List")
            # A short list of bilagor or mottagare reads as one piece: never split it over two pages.
            paragraph.paragraph_format.keep_with_next = i < len(block.items)
    elif isinstance(block, AmountTable):
        _amount_table(doc, block)
    elif isinstance(block, Letterhead):
        _letterhead(doc, block)
    elif isinstance(block, Signature):
        _signature(doc, block)
    elif isinstance(block, DataTable):
        data_table(doc, block)
    elif isinstance(block, Contents):
        _contents(doc, block)
    elif isinstance(block, PageBreak):
        _page_break(doc)
    elif isinstance(block, TitlePage):
        _title_page(doc, block)


def _paragraph(doc: Any, block: Paragraph) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.keep_with_next = block.keep or None
    if block.label:
        paragraph.add_run(clean(block.label) + ": ").bold = True
    run = paragraph.add_run(clean(block.text))
    if block.notice:
        run.bold = True


def _letterhead(doc: Any, block: Letterhead) -> None:
    from docx.shared import Pt

    for i, (label, value) in enumerate(block.items, 1):
        paragraph = doc.add_paragraph()
        paragraph.add_run(clean(label) + ": ").bold = True
        paragraph.add_run(clean(value))
        paragraph.paragraph_format.space_after = Pt(0 if i < len(block.items) else 12)


def _signature(doc: Any, block: Signature) -> None:
    """The förvaltning, then each name with room above it to sign, all kept on one page."""
    from docx.shared import Pt

    lines = [block.unit] if block.unit else []
    first = doc.add_paragraph(clean(lines[0])) if lines else None
    if first is not None:
        first.paragraph_format.keep_with_next = True
        first.paragraph_format.space_before = Pt(18)
    for i, name in enumerate(block.names, 1):
        paragraph = doc.add_paragraph(clean(name))
        paragraph.paragraph_format.space_before = Pt(SIGNATURE_SPACE_PT)
        paragraph.paragraph_format.keep_with_next = i < len(block.names)


def _numbered(paragraph: Any) -> None:
    """Give a List Number paragraph its own numPr (the style's numbering), so the numbers survive
    a template whose List Number style has none, and readers see a real list."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    style_num = paragraph.style.element.find(qn("w:pPr") + "/" + qn("w:numPr") + "/" + qn("w:numId"))
    num_pr = OxmlElement("w:numPr")
    level, num_id = OxmlElement("w:ilvl"), OxmlElement("w:numId")
    level.set(qn("w:val"), "0")
    num_id.set(qn("w:val"), style_num.get(qn("w:val")) if style_num is not None else "1")
    num_pr.extend([level, num_id])
    paragraph._p.get_or_add_pPr().insert(0, num_pr)


def _amount_table(doc: Any, block: AmountTable) -> None:
    """Förvaltning and amount in two columns, amounts right-aligned so the decimal commas line up."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    if doc.paragraphs:  # "… är följande:" stays on the page of its table
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    table = doc.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for i, (name, tkr) in enumerate(block.rows, 1):
        cells = table.add_row().cells
        cells[0].text = clean(name)
        cells[1].text = format_mnkr(tkr)
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for cell in cells:  # the few rows stay together on one page
            cell.paragraphs[0].paragraph_format.keep_with_next = i < len(block.rows)
    for column, width in zip(table.columns, (Cm(NAME_COLUMN_CM), Cm(AMOUNT_COLUMN_CM))):
        column.width = width
        for cell in column.cells:
            cell.width = width
    if block.note:
        doc.add_paragraph(clean(block.note))


def data_table(doc: Any, block: DataTable) -> None:
    """A real Word table: a header row that repeats on every page, numbers right-aligned, totals bold;
    a table short enough to fit is kept on one page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    numeric = block.numeric or (False,) * len(block.headers)
    table = doc.add_table(rows=1, cols=len(block.headers))
    with contextlib.suppress(KeyError):  # a template without Table Grid: Word's default table
        table.style = doc.styles[TABLE_STYLE]
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    keep = len(block.rows) <= KEEP_TABLE_ROWS
    for cell, text, right in zip(header.cells, block.headers, numeric):
        _cell_text(cell, text, bold=True, right=right, keep=True)
    first_total = len(block.rows) - block.total
    for i, row in enumerate(block.rows):
        cells = table.add_row().cells
        for cell, text, right in zip(cells, row, numeric):
            _cell_text(cell, text, bold=i >= first_total, right=right, keep=keep and i < len(block.rows) - 1)
    for row in table.rows:
        whole = OxmlElement("w:cantSplit")  # a row is never split over two pages
        whole.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(whole)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                if paragraph.alignment is None:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _column_widths(doc, table, block, numeric)
    if block.note:
        doc.add_paragraph(clean(block.note))
    else:
        doc.add_paragraph()  # room after the table before the next heading


KEEP_TABLE_ROWS = 8  # a table this short stays on one page; a longer one flows (its header row repeats)
NUMBER_COLUMN_CM = 1.6  # the least a number column gets ("−3 940,6" at 9 pt)
CM_PER_CHARACTER = 0.21  # a 9 pt bold character, on average
CELL_PADDING_CM = 0.45


def _column_widths(doc: Any, table: Any, block: DataTable, numeric: tuple[bool, ...]) -> None:
    """Each column as wide as its longest word (numbers no wider), the text columns sharing what is left
    by how long their texts are; all scaled down together when even that does not fit. Left to itself
    Word (and LibreOffice) gives every column the same width and breaks words."""
    from docx.shared import Cm, Emu

    section = doc.sections[-1]
    width = Emu(section.page_width - section.left_margin - section.right_margin).cm

    def least(i: int) -> float:
        words = [w for text in [block.headers[i], *(r[i] for r in block.rows)] for w in text.split()]
        floor = max([len(w) for w in words] + [2]) * CM_PER_CHARACTER + CELL_PADDING_CM
        return max(floor, NUMBER_COLUMN_CM) if numeric[i] else floor

    def weight(i: int) -> float:
        return float(min(max([len(block.headers[i])] + [len(r[i]) for r in block.rows]), 45))

    widths = [least(i) for i in range(len(numeric))]
    texts = [i for i, n in enumerate(numeric) if not n]
    spare = width - sum(widths)
    if spare > 0 and texts:
        total = sum(weight(i) for i in texts) or 1.0
        for i in texts:
            widths[i] += spare * weight(i) / total
    elif spare < 0:
        widths = [w * width / sum(widths) for w in widths]
    table.autofit = False
    for column, cm in zip(table.columns, widths):
        column.width = Cm(cm)  # the grid, which LibreOffice reads; the cells' widths, which Word reads
        for cell in column.cells:
            cell.width = Cm(cm)


def _cell_text(cell: Any, text: str, bold: bool, right: bool, keep: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(clean(text))
    run.bold = bold or None
    run.font.size = Pt(9)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.paragraph_format.keep_with_next = keep


def _contents(doc: Any, block: Contents) -> None:
    """A real TOC field (Heading 1); Word fills it with page numbers when it opens the file (updateFields).
    Its cached result lists the sections, so a reader that does not update fields still shows them."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        return element

    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Emu

    styled(doc, block.title, "TOC Heading")
    entries = list(block.entries) or ["Innehållsförteckningen uppdateras när dokumentet öppnas i Word."]
    paragraphs = [styled(doc, "", "TOC 1") for _ in entries]
    section = doc.sections[-1]
    right = Emu(section.page_width - section.left_margin - section.right_margin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = ' TOC \\o "1-1" \\h \\z \\u '
    first = paragraphs[0]
    for part in (char("begin"), code, char("separate")):
        first.add_run()._r.append(part)
    for number, (paragraph, entry) in enumerate(zip(paragraphs, entries), 1):
        paragraph.add_run(clean(entry))
        page = block.pages[number - 1] if number <= len(block.pages) else None
        if page is not None:
            # The page number as Word's own TOC writes it: a PAGEREF to the heading's bookmark, its cached
            # result the page of a first rendering (LibreOffice shows cached results; Word updates them).
            paragraph.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            paragraph.add_run("\t")
            field(paragraph, f"PAGEREF {_bookmark(number)} \\h", str(page))
    paragraphs[-1].add_run()._r.append(char("end"))
    doc.delar_xl_sections = 0  # the Heading 1 that follow get the bookmarks the entries refer to
    update_fields_on_open(doc)


def _bookmark(number: int) -> str:
    return f"_Toc_delar_xl_{number}"


def _mark(doc: Any, paragraph: Any) -> None:
    """A bookmark around a Heading 1 after a table of contents: what its PAGEREF points at."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    count = getattr(doc, "delar_xl_sections", None)
    if count is None:
        return
    count += 1
    doc.delar_xl_sections = count
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(900 + count))
    start.set(qn("w:name"), _bookmark(count))
    end.set(qn("w:id"), str(900 + count))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _page_break(doc: Any) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _title_page(doc: Any, block: TitlePage) -> None:
    from docx.shared import Pt

    for i, line in enumerate(block.above):
        paragraph = styled(doc, line, "Subtitle")
        paragraph.paragraph_format.space_before = Pt(120 if i == 0 else 0)
    styled(doc, block.title, "Title").paragraph_format.space_before = Pt(24)
    for line in block.below:
        styled(doc, line, "Subtitle")


# Properties, checks ------------------------------------------------------------------------------


def properties(doc: Any, result: Reported, blocks: list[Block], created: datetime, category: str) -> None:
    props = doc.core_properties
    period = result.periodslut.isoformat() if result.periodslut else ""
    title = next(
        (b.text for b in blocks if isinstance(b, Heading) and b.level == 0),
        next((b.title for b in blocks if isinstance(b, TitlePage)), category),
    )
    props.title = clean(title)
    props.subject = clean(f"{result.namnd}, {result.rapport.lower()} per {period}".strip(", "))
    props.keywords = clean("; ".join(filter(None, [category.lower(), result.rapport.lower(), result.namnd, period])))
    props.category = category
    props.comments = "Förslag genererat av delar_xl från förvaltningarnas mallar. Granska och justera före användning."
    props.author = props.last_modified_by = "delar_xl"
    props.language = LANGUAGE
    props.created = props.modified = created
    props.revision = 1


def clean(text: str) -> str:
    return _NOT_XML.sub("", str(text))


def verifier(what: str) -> Callable[[Path], None]:
    """Read the written file back: a document python-docx cannot open is never put in place."""

    def verify(path: Path) -> None:
        import docx

        try:
            docx.Document(str(path))
        except Exception as exc:
            raise OutputError(f"{what} kunde inte skrivas korrekt ({exc}).") from exc

    return verify
