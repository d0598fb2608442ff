"""The proposed tjänsteskrivelse as an editable Word document (contract §5), from document.py's model.

Only Word's built-in styles are used (Title, Heading 1, Normal, List Number, List, the table's
default style), so a kommun's own Word template restyles the document by style name. User text
(names, a förvaltning's Sammanfattning) goes in as plain text runs: python-docx escapes it, and
characters XML cannot carry are dropped. python-docx is imported only when a document is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from delar_xl.files import write_atomic
from delar_xl.findings import OutputError
from delar_xl.namnd.document import AmountTable, Block, Heading, LineList, NumberedList, Paragraph, document
from delar_xl.namnd.result import Reported, Result
from delar_xl.numbers import format_mnkr

A4_WIDTH_CM, A4_HEIGHT_CM = 21.0, 29.7
MARGIN_CM = {"left": 2.5, "right": 2.5, "top": 2.0, "bottom": 2.0}
LANGUAGE = "sv-SE"
TITLE_PT = 18
NAME_COLUMN_CM, AMOUNT_COLUMN_CM = 9.0, 3.5
# XML 1.0 forbids most control characters; a cell can still hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")




def write_word(result: Result, path: Path | str, created: date | datetime | None = None) -> Path:
    """Write the tjänsteskrivelse for `result` to `path` (.docx) atomically; returns the path written.

    The previous file, if any, is kept as path + ".bak" (files.write_atomic).
    """
    return write_document(result, path, lambda day: document(result, day), created)


def write_document(result: Reported, path: Path | str, blocks_of: Callable[[date], list[Block]],
                   created: date | datetime | None = None) -> Path:
    """Write a tjänsteskrivelse of either level: `blocks_of(day)` gives its blocks (document.py's model).

    Refuses a name that is not .docx; the file is read back before it replaces the previous one.
    """
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise OutputError(f"Tjänsteskrivelsen sparas som Word-dokument (.docx), inte {path.name}. "
                          "Ange ett filnamn som slutar på .docx.")
    moment = created if isinstance(created, datetime) \
        else datetime.combine(created or date.today(), datetime.min.time())
    blocks = blocks_of(moment.date())
    return write_atomic(path, lambda tmp: build(result, blocks, moment).save(str(tmp)), verify=_verify)


def word_file_name(summary: Path) -> Path:
    """The .docx next to a summary: "Sammanställning 2021-08-31.xlsx" → "Tjänsteskrivelse 2021-08-31.docx"."""
    stem = summary.stem
    if stem.startswith("Sammanställning"):
        stem = "Tjänsteskrivelse" + stem[len("Sammanställning"):]
    else:
        stem += " – tjänsteskrivelse"
    return summary.with_name(stem + ".docx")


def build(result: Reported, blocks: list[Block], created: datetime) -> Any:
    """The python-docx Document for `blocks` (not yet saved)."""
    import docx

    doc = docx.Document()
    _page(doc, result, created)
    _title_size(doc)
    _language(doc)
    _properties(doc, result, blocks, created)
    for block, following in zip(blocks, blocks[1:] + [None]):
        _add(doc, block)
        if isinstance(following, AmountTable) and doc.paragraphs:
            # "… är följande:" never ends a page with its table on the next one.
            doc.paragraphs[-1].paragraph_format.keep_with_next = True
    return doc


def _add(doc: Any, block: Block) -> None:
    if isinstance(block, Heading):
        doc.add_paragraph(_clean(block.text), style="Title" if block.level == 0 else f"Heading {block.level}")
    elif isinstance(block, Paragraph):
        _paragraph(doc, block)
    elif isinstance(block, NumberedList):
        for item in block.items:
            _numbered(doc.add_paragraph(_clean(item), style="List Number"))
    elif isinstance(block, LineList):
        for i, item in enumerate(block.items, 1):
            paragraph = doc.add_paragraph(_clean(item), style="List")
            # A short list of bilagor or mottagare reads as one piece: never split it over two pages.
            paragraph.paragraph_format.keep_with_next = i < len(block.items)
    elif isinstance(block, AmountTable):
        _amount_table(doc, block)


def _paragraph(doc: Any, block: Paragraph) -> None:
    paragraph = doc.add_paragraph()
    if block.label:
        paragraph.add_run(_clean(block.label) + ": ").bold = True
    run = paragraph.add_run(_clean(block.text))
    if block.notice:
        run.bold = True


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
        cells[0].text = _clean(name)
        cells[1].text = format_mnkr(tkr)
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for cell in cells:  # the few rows stay together on one page
            cell.paragraphs[0].paragraph_format.keep_with_next = i < len(block.rows)
    for column, width in zip(table.columns, (Cm(NAME_COLUMN_CM), Cm(AMOUNT_COLUMN_CM))):
        column.width = width
        for cell in column.cells:
            cell.width = width
    if block.note:
        doc.add_paragraph(_clean(block.note))


def _page(doc: Any, result: Reported, created: datetime) -> None:
    """A4 portrait, margins, the nämnd and date in the header, "Sida N av M" in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(A4_WIDTH_CM), Cm(A4_HEIGHT_CM)
    section.left_margin, section.right_margin = Cm(MARGIN_CM["left"]), Cm(MARGIN_CM["right"])
    section.top_margin, section.bottom_margin = Cm(MARGIN_CM["top"]), Cm(MARGIN_CM["bottom"])
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run(_clean(f"{result.namnd} – tjänsteskrivelse {created.date().isoformat()}".lstrip(" –")))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Sida ")
    _field(footer, "PAGE", "1")
    footer.add_run(" av ")
    _field(footer, "NUMPAGES", "1")


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A Word field (begin, instruction, separate, cached result, end), updated when Word lays out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    for part in (char("begin"), code, char("separate")):
        paragraph.add_run()._r.append(part)
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(char("end"))


def _title_size(doc: Any) -> None:
    """The built-in Title is 26 pt: the report's long title then takes four lines. Smaller, same style."""
    from docx.shared import Pt

    doc.styles["Title"].font.size = Pt(TITLE_PT)


def _language(doc: Any) -> None:
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


def _properties(doc: Any, result: Reported, blocks: list[Block], created: datetime) -> None:
    props = doc.core_properties
    period = result.periodslut.isoformat() if result.periodslut else ""
    props.title = _clean(blocks[0].text) if blocks and isinstance(blocks[0], Heading) else "Tjänsteskrivelse"
    props.subject = _clean(f"{result.namnd}, {result.rapport.lower()} per {period}".strip(", "))
    props.keywords = _clean("; ".join(filter(None, ["tjänsteskrivelse", result.rapport.lower(), result.namnd, period])))
    props.category = "Tjänsteskrivelse"
    props.comments = "Förslag genererat av delar_xl från förvaltningarnas mallar. Granska och justera före användning."
    props.author = props.last_modified_by = "delar_xl"
    props.language = LANGUAGE
    props.created = props.modified = created
    props.revision = 1


def _clean(text: str) -> str:
    return _NOT_XML.sub("", str(text))


def _verify(path: Path) -> None:
    """Read the written file back: a document python-docx cannot open is never put in place."""
    import docx

    try:
        docx.Document(str(path))
    except Exception as exc:
        raise OutputError(f"Tjänsteskrivelsen kunde inte skrivas korrekt ({exc}).") from exc
