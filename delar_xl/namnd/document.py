"""The proposed tjänsteskrivelse as a list of blocks, built once from a result.

The Text sheet (summary.py), the terminal (`konsolidera --text`), the add-in's Text sheet and the
Word document (word.py) all render this one model, so they never say different things. The
sentences themselves live in text.py (figures), narrative.py (prose around them) and decision.py
(förslag till beslut, beslutsunderlag, mottagare).

Sections follow contract §5: Förslag till beslut, Ärende, Bakgrund, Jämställdhet, the MBL section,
Beslutsunderlag and, when the plan names any, Beslutet skickas till.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from delar_xl.namnd import decision, narrative
from delar_xl.namnd import text as T
from delar_xl.namnd.result import Result

DECISION = "Förslag till beslut"
MATTER = "Ärende"
BACKGROUND = "Bakgrund"
GENDER = "Jämställdhet"
MBL = "Information eller förhandling enligt lag (1976:580) om medbestämmande i arbetslivet"
BASIS = "Beslutsunderlag"
RECIPIENTS = "Beslutet skickas till"
SECTIONS = (DECISION, MATTER, BACKGROUND, GENDER, MBL, BASIS, RECIPIENTS)  # contract §5's order


@dataclass(frozen=True)
class Heading:
    """A heading; level 0 is the document's title."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Running text. `label` attributes it (a förvaltning's own words); `notice` makes it stand out."""

    text: str
    label: str = ""
    notice: bool = False
    keep: bool = False  # on the page of what follows (a goal's Bedömning with the first analysis)


@dataclass(frozen=True)
class NumberedList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class LineList:
    """Lines without bullets or numbers, one per item (bilagor, mottagare)."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class AmountTable:
    """Amounts per förvaltning in tkr, unrounded: each renderer rounds for display."""

    rows: tuple[tuple[str, float | None], ...]  # None: no amount, shown "–"
    note: str = ""


@dataclass(frozen=True)
class Letterhead:
    """The document's particulars under its title: (label, value) lines (Datum, Diarienummer, Handläggare)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Signature:
    """The signature block as in the reference: the förvaltning, then each name with room to sign above it."""

    unit: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class DataTable:
    """A table with a header row (the delårsrapport's): cells already formatted as shown; `numeric` marks
    the right-aligned columns; `total` rows (the last ones) are bold."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()
    total: int = 0  # how many of the last rows are totals
    note: str = ""


@dataclass(frozen=True)
class Contents:
    """A table of contents: a real Word TOC field over the Heading 1 sections. `entries` are shown until
    Word updates the field (on opening); LibreOffice, which does not, prints them as they are."""

    entries: tuple[str, ...] = ()
    title: str = "Innehåll"
    pages: tuple[int | None, ...] = ()  # each entry's page, where known (from a first PDF rendering)


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class TitlePage:
    """A cover: small lines above (kommun, nämnd), the title, the lines under it (prognos, date)."""

    above: tuple[str, ...]
    title: str
    below: tuple[str, ...]


Block = (
    Heading
    | Paragraph
    | NumberedList
    | LineList
    | AmountTable
    | Letterhead
    | Signature
    | DataTable
    | Contents
    | PageBreak
    | TitlePage
)


def document(result: Result, created: date | None = None, diarienummer: str = "") -> list[Block]:
    """The whole tjänsteskrivelse for `result`; `created` dates it (today when not given);
    `diarienummer` from `konsolidera --diarienummer`."""
    created = created or date.today()
    blocks: list[Block] = [Heading(T.title(result), 0)]
    particulars = [("Datum", created.isoformat())]
    if diarienummer.strip():
        particulars.append(("Diarienummer", diarienummer.strip()))
    if decision.handlaggare(result):
        particulars.append(("Handläggare", decision.handlaggare(result)))
    blocks.append(Letterhead(tuple(particulars)))
    notice = T.incomplete_notice(result)
    if notice:
        blocks.append(Paragraph(notice, notice=True))
    blocks += [Heading(DECISION), NumberedList(tuple(decision.decision_items(result)))]
    blocks += [Heading(MATTER), *_matter(result)]
    blocks += [Heading(BACKGROUND), *_background(result)]
    blocks += [Heading(GENDER), Paragraph(T.gender_paragraph(result))]
    blocks += [Heading(MBL), Paragraph(T.mbl_sentence(result))]
    blocks += [Heading(BASIS), LineList(tuple(decision.basis_lines(result, created)))]
    unit, names = decision.signatories(result)
    if names:
        blocks.append(Signature(unit, names))
    recipients = decision.recipients(result)
    if recipients:
        blocks += [Heading(RECIPIENTS), LineList(tuple(recipients))]
    return blocks


def _matter(result: Result) -> list[Block]:
    out: list[Block] = []
    scope = narrative.scope_paragraph(result)
    if scope:
        out.append(Paragraph(scope))
    out += [Paragraph(text, label=label) for label, text in narrative.unit_summaries(result)]
    out += [Paragraph(T.goals_paragraph(result)), Paragraph(T.economy_paragraph(result))]
    change = T.forecast_change_sentence(result)
    if change:
        out.append(Paragraph(change))
    # Version 2 (contract §7): one sentence each, only on what the templates report.
    for sentence in (T.investment_sentence(result), T.sick_leave_sentence(result)):
        if sentence:
            out.append(Paragraph(sentence))
    out.append(Paragraph(narrative.proposal_sentence(result)))
    return out


def _background(result: Result) -> list[Block]:
    out: list[Block] = [Paragraph(narrative.PURPOSE)]
    organisation = narrative.organisation_sentence(result)
    if organisation:
        out.append(Paragraph(organisation))
    goals_and_assignments = " ".join(filter(None, [T.goals_of_total_sentence(result), T.assignments_paragraph(result)]))
    out.append(Paragraph(goals_and_assignments))
    rows = T.economy_rows(result)
    if rows:
        who = T.owner(result.namnd)
        units = "förvaltningar" if len(rows) > 1 else "förvaltning"
        out.append(Paragraph(f"Den ekonomiska helårsbedömningen för {who} {units} är följande:"))
        out.append(AmountTable(tuple(rows), T.economy_rounding_note(result)))
    return out


# Plain renderings: the terminal and the Text sheet -------------------------------------------

TITLE, HEADING, TEXT, BLANK = "title", "heading", "text", ""


def lines(blocks: list[Block]) -> list[tuple[str, str]]:
    """(text, kind) per line, kind one of "title", "heading", "text" and "" (a blank line).

    A blank line separates the sections; there are never two in a row.
    """
    return [(text, kind) for text, kind, _ in grouped_lines(blocks)]


def grouped_lines(blocks: list[Block]) -> list[tuple[str, str, int]]:
    """`lines` with a group number per line: the lines of one group belong on one page when they fit
    (a heading and the block after it, a list of bilagor or mottagare, the amount list)."""
    out: list[tuple[str, str, int]] = []
    group = 0
    for index, block in enumerate(blocks):
        previous = blocks[index - 1] if index else None
        # A heading goes with the block after it; the amount list with its lead-in ("… är följande:").
        follows = (isinstance(previous, Heading) and previous.level > 0) or (
            previous is not None and isinstance(block, AmountTable)
        )
        if not follows:
            group += 1
        out += [(text, kind, group) for text, kind in _block_lines(block, out[-1][1] if out else None)]
    while out and out[-1][1] == BLANK:
        out.pop()
    return out


def _block_lines(block: Block, last: str | None) -> list[tuple[str, str]]:
    """`block`'s (text, kind) lines; `last` is the kind of the line before it (None at the start)."""
    out: list[tuple[str, str]] = []
    if isinstance(block, Heading):
        if last is not None and last != BLANK:
            out.append(("", BLANK))
        out.append((block.text, TITLE if block.level == 0 else HEADING))
        if block.level == 0:
            out.append(("", BLANK))
    elif isinstance(block, Paragraph):
        if block.text:
            out.append((f"{block.label}: {block.text}" if block.label else block.text, TEXT))
        if block.notice:
            out.append(("", BLANK))
    elif isinstance(block, NumberedList):
        out += [(f"{i}. {item}", TEXT) for i, item in enumerate(block.items, 1)]
    elif isinstance(block, LineList):
        out += [(item, TEXT) for item in block.items]
    elif isinstance(block, AmountTable):
        out += [(f"- {name}  {T.signed_mnkr(tkr)}", TEXT) for name, tkr in block.rows]
        if block.note:
            out.append((block.note, TEXT))
    elif isinstance(block, Letterhead):
        out += [(f"{label}: {value}", TEXT) for label, value in block.items]
        out.append(("", BLANK))
    elif isinstance(block, Signature):
        if last is not None and last != BLANK:
            out.append(("", BLANK))
        out += [(line, TEXT) for line in (block.unit, *block.names) if line]
    return out


def plain_lines(blocks: list[Block]) -> list[str]:
    return [text for text, _ in lines(blocks)]


def paragraphs(result: Result, created: date | None = None) -> list[str]:
    """The whole proposed text, paragraph by paragraph (empty strings are blank lines).

    The same document model as the Text sheet and the Word document."""
    return plain_lines(document(result, created))


def render(result: Result, created: date | None = None) -> str:
    return "\n".join(paragraphs(result, created)).strip() + "\n"
