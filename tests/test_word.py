"""The tjänsteskrivelse as a Word document (contract §5): `write_word`, the demo's .docx, `--word`.

Documents are written from results consolidated from real template files and read back with
python-docx: text, style names (real headings, a real numbered list), the amount table, page
setup, properties. LibreOffice converts the demo's document to PDF as a person would see it.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import IN_CI, with_meta
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delar_xl.cli import main
from delar_xl.demo.namnd import POSTPONED, SUMMARIES, Demo, example_templates
from delar_xl.findings import OutputError
from delar_xl.namnd import document as D
from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.result import Result
from delar_xl.namnd.word import word_file_name, write_word
from delar_xl.plan.declaration import Plan, PlanUnit
from delar_xl.template.model import IndicatorRow, Template
from delar_xl.template.write import write_template

CREATED = date(2021, 10, 5)
KLF, VOS, LL = "Kommunledningsförvaltningen", "Verksamhetsstöd och service", "Leanlink"
HEADINGS = [D.DECISION, D.MATTER, D.BACKGROUND, D.GENDER, D.MBL, D.BASIS]
# The demo consolidates with its plan, whose Mottagare give the last heading (contract §5).
DEMO_HEADINGS = HEADINGS + [D.RECIPIENTS]


def body(path: Path) -> list[tuple[str, str]]:
    """(style name, text) per paragraph of the document body; a table is ("table", rows joined)."""
    document = docx.Document(str(path))
    out = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = docx.text.paragraph.Paragraph(child, document)
            out.append((paragraph.style.name, paragraph.text))
        elif child.tag == qn("w:tbl"):
            table = docx.table.Table(child, document)
            out.append(("table", "\n".join(" | ".join(c.text for c in row.cells) for row in table.rows)))
    return out


def texts(path: Path) -> list[str]:
    return [text for _, text in body(path)]


def section(path: Path, heading: str) -> list[str]:
    """The texts between `heading` and the next heading."""
    rows = body(path)
    start = [text for _, text in rows].index(heading) + 1
    out = []
    for style, text in rows[start:]:
        if style.startswith("Heading"):
            break
        out.append(text)
    return out


@pytest.fixture(scope="module")
def demo_docx(demo: Demo) -> Path:
    return demo.word


@pytest.fixture(scope="module")
def dated_docx(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's result written with the reference's date (2021-10-05)."""
    return write_word(demo.result, tmp_path_factory.mktemp("word") / "Tjänsteskrivelse.docx", CREATED)


@pytest.fixture
def consolidated(write: Callable[[Template, str], Path]) -> Callable[..., Result]:
    def _consolidate(*templates: Template, names: list[str] | None = None) -> Result:
        names = names or [f"Bilaga {i + 1} – {t.meta.forvaltning}.xlsx" for i, t in enumerate(templates)]
        return consolidate([write(t, name) for t, name in zip(templates, names)])

    return _consolidate


def with_plan(result: Result, plan: Plan) -> Result:
    """`result` as consolidation with `--plan` returns it (Result.plan, issue 10)."""
    copied = copy.copy(result)
    copied.plan = plan
    return copied


# The demo's document: the reference's sentences and figures ----------------------------------


def test_demo_writes_the_docx_next_to_its_summary(demo: Demo) -> None:
    assert demo.word == demo.summary.with_name("Tjänsteskrivelse Kommunstyrelsen 2021-08-31.docx")
    assert demo.word.is_file()


def test_demo_docx_has_the_reference_sentences(demo_docx: Path) -> None:
    text = "\n".join(texts(demo_docx))
    for sentence in (
        "Åtta nämndmål bedöms uppnås helt och tio bedöms uppnås delvis per helår.",
        "Utveckling sker inom kommunstyrelsens samtliga 18 nämndmål för budgetåret.",
        "Åtta av arton nämndmål bedöms uppnås per helår, tio bedöms delvis uppnås.",
        "Tre uppdrag förskjuts till 2022. Dessa är ”"
        + POSTPONED[0]
        + "”, ”"
        + POSTPONED[1]
        + "” och ”"
        + POSTPONED[2]
        + "”.",
        "Kommunledningsförvaltningen redovisar ett överskott med 12,8 mnkr",
        "Verksamhetsstöd och service redovisar ett överskott med 8,2 mnkr",
        "Tre förvaltningar är organiserade under kommunstyrelsen – Kommunledningsförvaltningen, "
        "Verksamhetsstöd och service och Leanlink.",
        "Information enligt MBL § 19 genomfördes vid Kommunledningsförvaltningen den 2021-09-23, inom "
        "Verksamhetsstöd och service den 2021-09-22 och inom Leanlink den 2021-09-16.",
        "Verksamheten under kommunstyrelsen har i allt väsentligt bedrivits utifrån lagstiftning, reglemente, "
        "styrdokument och kommunstyrelsens internbudget, dock med en lägre takt än planerat.",
    ):
        assert sentence in text, sentence


def test_demo_docx_title_is_the_reference_title(demo_docx: Path) -> None:
    style, text = body(demo_docx)[0]
    assert (style, text) == ("Title", "Delårsrapport för kommunstyrelsen per den 31 augusti med prognos för helår 2021")


def test_demo_docx_headings_are_real_headings_in_contract_order(demo_docx: Path) -> None:
    headings = [text for style, text in body(demo_docx) if style.startswith("Heading")]
    assert headings == DEMO_HEADINGS  # the demo's plan has Mottagare
    assert all(style == "Heading 1" for style, text in body(demo_docx) if text in DEMO_HEADINGS)


def test_demo_docx_decision_is_a_numbered_list(demo_docx: Path) -> None:
    document = docx.Document(str(demo_docx))
    paragraphs = document.paragraphs
    start = [p.text for p in paragraphs].index(D.DECISION) + 1
    items = paragraphs[start : start + 2]
    assert [p.text for p in items] == [
        "Delårsrapporten för kommunstyrelsen per den 31 augusti med prognos för helår 2021 inklusive bilagor godkänns.",
        "Uppföljningen av Kommunledningsförvaltningens, Verksamhetsstöd och services och Leanlinks "
        "verksamhetsplaner 2021 noteras.",
    ]
    for p in items:
        assert p.style.name == "List Number"
        num_pr = p._p.pPr.find(qn("w:numPr"))
        assert num_pr is not None and num_pr.find(qn("w:numId")) is not None
    assert paragraphs[start + 2].style.name == "Heading 1"  # exactly two items


def test_demo_docx_economy_table_has_aligned_amounts(demo_docx: Path) -> None:
    document = docx.Document(str(demo_docx))
    (table,) = document.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [[KLF, "+12,8 mnkr"], [VOS, "+8,2 mnkr"], [LL, "+22,1 mnkr"]]
    assert all(row.cells[1].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT for row in table.rows)
    background = section(demo_docx, D.BACKGROUND)  # the table sits in Bakgrund, after its lead-in
    lead = background.index("Den ekonomiska helårsbedömningen för kommunstyrelsens förvaltningar är följande:")
    assert background[lead + 1] == f"{KLF} | +12,8 mnkr\n{VOS} | +8,2 mnkr\n{LL} | +22,1 mnkr"


def test_demo_docx_economy_table_is_kept_with_its_lead_in(demo_docx: Path) -> None:
    """The lead-in sentence and the rows stay on one page: a page never ends with "… är följande:"."""
    document = docx.Document(str(demo_docx))
    lead = next(p for p in document.paragraphs if p.text.endswith("är följande:"))
    assert lead.paragraph_format.keep_with_next
    (table,) = document.tables
    keeps = [row.cells[0].paragraphs[0].paragraph_format.keep_with_next for row in table.rows]
    assert keeps == [True, True, False]


def test_demo_docx_basis_lists_the_document_and_every_bilaga(dated_docx: Path) -> None:
    # the signature block follows the bilagor, as in the reference (issue 22)
    assert section(dated_docx, D.BASIS)[7:] == ["Kommunledningsförvaltningen", "Paul Håkansson", "Mikael Borin"]
    assert section(dated_docx, D.BASIS)[:7] == [
        "Tjänsteskrivelse – Delårsrapport för kommunstyrelsen per den 31 augusti med prognos för helår 2021, "
        "2021-10-05",
        # As in the reference (issue 22): the nämnd's own report is Bilaga 1, the plan's other bilagor by
        # title, the förvaltningar's reports after them.
        "Bilaga 1 – Kommunstyrelsens delårsrapport per den 31 augusti 2021",
        "Bilaga 2 – Uppföljning av Kommunstyrelsens lokalförsörjningsplan 2021",
        "Bilaga 3 – Kommunledningsförvaltningens delårsrapport per den 31 augusti 2021",
        "Bilaga 4 – Verksamhetsstöd och services delårsrapport per den 31 augusti 2021",
        "Bilaga 5 – Uppföljning av Verksamhetsstöd och services verksamhetsplan per den 31 augusti 2021",
        "Bilaga 6 – Leanlinks delårsrapport per den 31 augusti 2021",
    ]


def test_demo_docx_basis_is_never_split_over_two_pages(demo_docx: Path) -> None:
    paragraphs = docx.Document(str(demo_docx)).paragraphs
    texts = [p.text for p in paragraphs]
    items = [p for p in paragraphs[texts.index(D.BASIS) + 1 : texts.index(D.RECIPIENTS)] if p.style.name == "List"]
    assert len(items) == 7  # the tjänsteskrivelse and six bilagor (the signature block follows, issue 22)
    assert [p.paragraph_format.keep_with_next for p in items] == [True] * 6 + [False]


def test_document_model_blocks_in_contract_order(demo: Demo) -> None:
    blocks = D.document(demo.result, CREATED)
    assert blocks[0] == D.Heading("Delårsrapport för kommunstyrelsen per den 31 augusti med prognos för helår 2021", 0)
    assert [b.text for b in blocks if isinstance(b, D.Heading) and b.level == 1] == DEMO_HEADINGS
    (table,) = [b for b in blocks if isinstance(b, D.AmountTable)]
    assert [name for name, _ in table.rows] == [KLF, VOS, LL]
    assert [round(tkr) for _, tkr in table.rows] == [12_762, 8_215, 22_088]  # unrounded tkr; display rounds
    assert table.note == ""


def test_demo_docx_summaries_reach_arende_attributed(demo_docx: Path) -> None:
    matter = section(demo_docx, D.MATTER)
    # Issue 22: no name pasted before the prose ("Kommunledningsförvaltningen: Verksamheten …"): a text that
    # names the nämnd ("Verksamheten under kommunstyrelsen …") reads as written, as in the reference.
    assert SUMMARIES[KLF] in matter
    assert SUMMARIES[VOS] in matter and SUMMARIES[LL] in matter  # these name themselves: as written
    assert not [p for p in matter if p.startswith(f"{KLF}: ")]


def test_demo_docx_page_setup_a4_margins_and_page_numbers(demo_docx: Path) -> None:
    document = docx.Document(str(demo_docx))
    (section_,) = document.sections
    assert (round(section_.page_width.cm, 1), round(section_.page_height.cm, 1)) == (21.0, 29.7)
    assert [round(m.cm, 1) for m in (section_.left_margin, section_.right_margin)] == [2.5, 2.5]
    footer = section_.footer.paragraphs[0]._p
    instructions = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    # The kommun and the report's period, never the day the file was written (issue 22)
    assert section_.header.paragraphs[0].text == (
        "Linköpings kommun\nKommunstyrelsen – tjänsteskrivelse, delårsrapport per 2021-08-31"
    )


def test_demo_docx_properties(dated_docx: Path) -> None:
    props = docx.Document(str(dated_docx)).core_properties
    assert props.title == "Delårsrapport för kommunstyrelsen per den 31 augusti med prognos för helår 2021"
    assert props.subject == "Kommunstyrelsen, delårsrapport per 2021-08-31"
    assert props.keywords == "tjänsteskrivelse; delårsrapport; Kommunstyrelsen; 2021-08-31"
    assert props.category == "Tjänsteskrivelse"
    assert props.language == "sv-SE"
    assert props.created.date() == CREATED


def test_docx_and_text_sheet_say_the_same(demo: Demo, dated_docx: Path) -> None:
    """One model: every line of the plain text is in the document (the table renders its own way)."""
    from delar_xl.namnd.document import paragraphs

    plain = [line for line in paragraphs(demo.result, CREATED) if line and not line.startswith("- ")]
    words = [text.replace("\u00a0", " ") for text in texts(dated_docx)]
    numbered = [f"{i}. {t}" for i, t in enumerate(section(dated_docx, D.DECISION), 1)]
    assert [line for line in plain if line not in words and line not in numbered] == []


# Beslutet skickas till, bilaga numbers ------------------------------------------------------


def _plan(recipients: list[str]) -> Plan:
    return Plan(
        "Kommunstyrelsen", 2021, units=[PlanUnit(KLF, 3), PlanUnit(VOS, 5), PlanUnit(LL, 7)], recipients=recipients
    )


def test_recipients_heading_absent_without_plan_present_with_one(demo: Demo, tmp_path: Path) -> None:
    recipients = ["Biträdande kommundirektör, Mikael Borin", "Ekonomichef, Åsa Haraldsson", "Ekonomistaben"]
    path = write_word(with_plan(demo.result, _plan(recipients)), tmp_path / "t.docx", CREATED)
    headings = [text for style, text in body(path) if style.startswith("Heading")]
    assert headings == HEADINGS + [D.RECIPIENTS]
    assert section(path, D.RECIPIENTS) == recipients
    # The plan's Bilaga numbers win over the file names' ("Bilaga 3/4/6"); the nämnd's report is Bilaga 1.
    assert [t.split(" – ")[0] for t in section(path, D.BASIS)[1:]] == ["Bilaga 1", "Bilaga 3", "Bilaga 5", "Bilaga 7"]


def test_plan_without_recipients_leaves_the_heading_out(demo: Demo, tmp_path: Path) -> None:
    path = write_word(with_plan(demo.result, _plan([])), tmp_path / "t.docx", CREATED)
    assert D.RECIPIENTS not in texts(path)


def test_bilaga_numbers_from_file_names_else_in_order(consolidated, examples, tmp_path: Path) -> None:
    klf, vos, ll = examples
    result = consolidated(klf, vos, ll, names=["a KLF.xlsx", "b Bilaga 2 VOS.xlsx", "c LL.xlsx"])
    lines = section(write_word(result, tmp_path / "t.docx", CREATED), D.BASIS)[1:]
    assert lines == [
        "Bilaga 1 – Kommunstyrelsens delårsrapport per den 31 augusti 2021",  # the nämnd's own report (issue 22)
        "Bilaga 2 – Verksamhetsstöd och services delårsrapport per den 31 augusti 2021",
        "Bilaga 3 – Kommunledningsförvaltningens delårsrapport per den 31 augusti 2021",
        "Bilaga 4 – Leanlinks delårsrapport per den 31 augusti 2021",
    ]
    plain = consolidated(klf, vos, names=["x.xlsx", "y.xlsx"])
    assert [t.split(" – ")[0] for t in section(write_word(plain, tmp_path / "u.docx", CREATED), D.BASIS)[1:]] == [
        "Bilaga 1",
        "Bilaga 2",
        "Bilaga 3",
    ]


# Grammar: one, two, many förvaltningar ------------------------------------------------------


def test_one_forvaltning(consolidated, klf, tmp_path: Path) -> None:
    path = write_word(consolidated(klf), tmp_path / "t.docx", CREATED)
    assert section(path, D.DECISION) == [
        "Delårsrapporten för kommunstyrelsen per den 31 augusti med prognos för helår 2021 inklusive bilagor godkänns.",
        "Uppföljningen av Kommunledningsförvaltningens verksamhetsplan 2021 noteras.",
    ]
    matter = section(path, D.MATTER)
    assert matter[0] == (
        "Kommunstyrelsens delårsrapport per den 31 augusti 2021 omfattar Kommunledningsförvaltningen. "
        "Förvaltningens delårsrapport redovisas som bilaga."
    )
    assert matter[1] == SUMMARIES[KLF]  # the only förvaltning: no label needed
    assert "Kommunledningsförvaltningen är organiserad under kommunstyrelsen." in section(path, D.BACKGROUND)
    assert "Den ekonomiska helårsbedömningen för kommunstyrelsens förvaltning är följande:" in section(
        path, D.BACKGROUND
    )


def test_two_forvaltningar(consolidated, examples, tmp_path: Path) -> None:
    klf, vos, _ = examples
    path = write_word(consolidated(klf, vos), tmp_path / "t.docx", CREATED)
    assert section(path, D.MATTER)[0].startswith(
        "Kommunstyrelsens delårsrapport per den 31 augusti 2021 omfattar båda förvaltningarna under kommunstyrelsen "
        "– Kommunledningsförvaltningen och Verksamhetsstöd och service. Förvaltningarnas delårsrapporter"
    )
    assert section(path, D.DECISION)[1] == (
        "Uppföljningen av Kommunledningsförvaltningens och Verksamhetsstöd och services verksamhetsplaner 2021 noteras."
    )
    assert (
        "Två förvaltningar är organiserade under kommunstyrelsen – Kommunledningsförvaltningen och "
        "Verksamhetsstöd och service." in section(path, D.BACKGROUND)
    )


def test_incomplete_result_claims_no_samtliga(consolidated, examples, tmp_path: Path) -> None:
    klf, vos, ll = examples
    broken = replace(vos, goals=[replace(vos.goals[0], assessment="Kanske")] + vos.goals[1:])
    result = consolidated(klf, broken, ll)
    path = write_word(result, tmp_path / "t.docx", CREATED)
    rows = body(path)
    assert rows[1][1] == "Datum: 2021-10-05"  # the particulars under the title (issue 22)
    assert rows[2][1].startswith("OBS! Sammanställningen är ofullständig. Verksamhetsstöd och service")
    assert docx.Document(str(path)).paragraphs[2].runs[0].bold
    matter = section(path, D.MATTER)
    assert matter[0].startswith(
        "Kommunstyrelsens delårsrapport per den 31 augusti 2021 omfattar två förvaltningar "
        "under kommunstyrelsen – Kommunledningsförvaltningen och Leanlink."
    )
    assert "samtliga" not in matter[0]
    # "Bilaga 1 – KLF" in the file name keeps 1: the nämnd's report takes the first number free
    assert [t.split(" – ")[0] for t in section(path, D.BASIS)[1:]] == ["Bilaga 1", "Bilaga 2", "Bilaga 3"]


def test_verksamhetsberattelse_wording(consolidated, klf, tmp_path: Path) -> None:
    result = consolidated(with_meta(klf, rapport="Verksamhetsberättelse", periodslut=date(2021, 12, 31)))
    path = write_word(result, tmp_path / "t.docx", CREATED)
    assert section(path, D.DECISION)[0] == "Verksamhetsberättelsen för kommunstyrelsen 2021 inklusive bilagor godkänns."
    assert (
        "Kommunstyrelsen föreslås godkänna verksamhetsberättelsen 2021, som kommer att ingå i kommunens årsredovisning."
    ) in section(path, D.MATTER)
    assert section(path, D.BASIS)[1] == "Bilaga 1 – Kommunledningsförvaltningens verksamhetsberättelse 2021"


# Issue 12 point 4: the text follows the data ------------------------------------------------


def _no_split(template: Template) -> Template:
    return replace(
        template,
        indicators=[
            IndicatorRow("X-1", "Andel ekologiska livsmedel", "%", None, None, 38, 45, "Gäller inköp, inte personer."),
            IndicatorRow("X-2", "Nöjd-Kund-Index", "index", None, None, 71, 72, "Mäts per företag."),
        ],
    )


def test_gender_without_split_indicators_claims_none(consolidated, examples, tmp_path: Path) -> None:
    result = consolidated(*[_no_split(t) for t in examples])
    path = write_word(result, tmp_path / "t.docx", CREATED)
    (paragraph,) = section(path, D.GENDER)
    assert paragraph == (
        "Ingen av kommunstyrelsens två nämndindikatorer i underlaget har redovisats könsuppdelad. "
        "Uppföljning och utvärdering av resultatet ska bidra till en jämställd styrning och ledning."
    )
    assert "redovisats könsuppdelat" not in paragraph


def test_gender_one_and_no_indicators(consolidated, klf, tmp_path: Path) -> None:
    from delar_xl.namnd.text import gender_paragraph

    one = _no_split(klf)
    one = replace(one, indicators=one.indicators[:1])
    assert gender_paragraph(consolidated(one)).startswith(
        "Kommunstyrelsens enda nämndindikator i underlaget har inte redovisats könsuppdelad."
    )
    assert gender_paragraph(consolidated(replace(klf, indicators=[]))).startswith(
        "I underlaget till delårsrapporten redovisas inga nämndindikatorer."
    )


def test_gender_with_split_indicators_keeps_the_reference_text(demo_docx: Path) -> None:
    assert section(demo_docx, D.GENDER)[0].startswith(
        "I delårsrapporten har kommunstyrelsens nämndindikatorer, där det är möjligt, redovisats könsuppdelat"
    )


def test_mbl_without_dates_says_so(consolidated, examples, tmp_path: Path) -> None:
    result = consolidated(*[with_meta(t, mbl_datum=None) for t in examples])
    assert section(write_word(result, tmp_path / "t.docx", CREATED), D.MBL) == [
        "Datum för information enligt MBL § 19 saknas för Kommunledningsförvaltningen, Verksamhetsstöd och service "
        "och Leanlink."
    ]


def test_mbl_with_nothing_included_is_never_empty(consolidated, examples, tmp_path: Path) -> None:
    broken = [replace(t, goals=[replace(t.goals[0], assessment="Kanske")] + t.goals[1:]) for t in examples]
    result = consolidated(*broken)
    assert not result.included
    path = write_word(result, tmp_path / "t.docx", CREATED)
    assert section(path, D.MBL) == [
        "Uppgift om information enligt MBL § 19 saknas: ingen förvaltnings mall har tagits med i sammanställningen."
    ]
    assert section(path, D.DECISION) == [
        "Delårsrapporten för kommunstyrelsen per den 31 augusti med prognos för helår 2021 godkänns."
    ]
    assert section(path, D.BASIS) == [
        "Tjänsteskrivelse – Delårsrapport för kommunstyrelsen per den 31 augusti med "
        "prognos för helår 2021, 2021-10-05",
        "Bilaga 1 – Kommunstyrelsens delårsrapport per den 31 augusti 2021",
    ]


# User text is plain text ----------------------------------------------------------------


def test_sammanfattning_is_plain_text_split_into_paragraphs(consolidated, examples, tmp_path: Path) -> None:
    klf, vos, ll = examples
    text = '=HYPERLINK("http://x";"klicka")\n\nAndra stycket\x07 med  dubbla   mellanslag.\r\nTredje.'
    result = consolidated(klf, with_meta(vos, sammanfattning=text), ll)
    path = write_word(result, tmp_path / "t.docx", CREATED)
    matter = section(path, D.MATTER)
    start = matter.index(f'{VOS} sammanfattar perioden så här: =HYPERLINK("http://x";"klicka")')
    assert matter[start + 1 : start + 3] == ["Andra stycket med dubbla mellanslag.", "Tredje."]
    assert b"instrText" not in _document_xml(path).split(b"<w:body>")[1].split(b"</w:body>")[0]


def _document_xml(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml")


# Writing: atomic, refuses other names ------------------------------------------------------


def test_write_word_keeps_the_previous_file_as_bak(demo: Demo, tmp_path: Path) -> None:
    target = tmp_path / "t.docx"
    target.write_bytes(b"earlier")
    assert write_word(demo.result, target, CREATED) == target
    assert (tmp_path / "t.docx.bak").read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.docx", "t.docx.bak"]


def test_public_api_writes_the_document(demo: Demo, tmp_path: Path) -> None:
    import delar_xl

    assert delar_xl.write_word(demo.result, tmp_path / "t.docx") == tmp_path / "t.docx"
    assert texts(tmp_path / "t.docx")[0].startswith("Delårsrapport för kommunstyrelsen")


def test_write_word_refuses_other_names(demo: Demo, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"\.docx"):
        write_word(demo.result, tmp_path / "t.doc")
    assert list(tmp_path.iterdir()) == []


def test_word_file_name_beside_the_summary() -> None:
    assert word_file_name(Path("/a/Sammanställning 2021-08-31 (skapad 2026-11-27).xlsx")) == Path(
        "/a/Tjänsteskrivelse 2021-08-31 (skapad 2026-11-27).docx"
    )
    assert word_file_name(Path("/a/KS.xlsx")) == Path("/a/KS – tjänsteskrivelse.docx")


# The command line --------------------------------------------------------------------------


def test_konsolidera_word_writes_the_document(demo: Demo, tmp_path: Path, capsys) -> None:
    out, word = tmp_path / "s.xlsx", tmp_path / "Tjänsteskrivelse.docx"
    folder = tmp_path / "mallar"
    shutil.copytree(demo.templates[0].parent, folder)
    assert main(["konsolidera", str(folder), "--ut", str(out), "--word", str(word)]) == 0
    assert f"Tjänsteskrivelsen skrevs: {word}" in capsys.readouterr().out
    assert [t for s, t in body(word) if s.startswith("Heading")] == HEADINGS


def test_konsolidera_word_with_another_suffix_writes_nothing(demo: Demo, tmp_path: Path, capsys) -> None:
    out = tmp_path / "s.xlsx"
    assert (
        main(["konsolidera", str(demo.templates[0].parent), "--ut", str(out), "--word", str(tmp_path / "t.pdf")]) == 2
    )
    assert ".docx" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_konsolidera_word_that_cannot_be_written_says_so_and_exits_2(demo: Demo, tmp_path: Path, capsys) -> None:
    out, word = tmp_path / "s.xlsx", tmp_path / "t.docx"
    word.mkdir()  # a folder in the way: the document cannot replace it
    code = main(["konsolidera", str(demo.templates[0].parent), "--ut", str(out), "--word", str(word)])
    captured = capsys.readouterr()
    assert code == 2
    assert out.is_file() and "Sammanställningen skrevs" in captured.out
    assert "Fel: sammanställningen skrevs, men inte tjänsteskrivelsen: " in captured.err
    assert "Totalt: +43,1 mnkr" in captured.out  # the headline is still printed


# LibreOffice: the document as a person sees it ---------------------------------------------


@pytest.fixture(scope="module")
def demo_pdf_text(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The dated demo document converted to PDF by LibreOffice Writer; its text page by page."""
    from libreoffice import convert, soffice

    if soffice() is None or shutil.which("pdftotext") is None:
        if IN_CI:
            pytest.fail("LibreOffice Writer and pdftotext are required in CI (.ci/run installs them)")
        pytest.skip("LibreOffice or pdftotext is not installed here")
    folder = tmp_path_factory.mktemp("pdf")
    source = write_word(demo.result, folder / "Tjänsteskrivelse.docx", CREATED)
    try:
        (pdf,) = convert([source], "pdf", folder, recalc=False)
    except RuntimeError:
        if IN_CI:
            raise
        pytest.skip("LibreOffice Writer (libreoffice-writer-nogui) is not installed here")
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout.split("\f")[:-1] if done.stdout.endswith("\f") else done.stdout.split("\f")


def test_libreoffice_renders_three_pages(demo_pdf_text: list[str]) -> None:
    assert len(demo_pdf_text) == 3
    for number, page in enumerate(demo_pdf_text, 1):
        assert f"Sida {number} av 3" in page


def test_libreoffice_pdf_has_the_headings_in_order(demo_pdf_text: list[str]) -> None:
    text = " ".join(" ".join(demo_pdf_text).split())  # line breaks and layout spaces as single spaces
    positions = [text.find(h) for h in ["Delårsrapport för kommunstyrelsen per den 31 augusti", *HEADINGS]]
    assert -1 not in positions, positions
    assert positions == sorted(positions)
    assert "1. Delårsrapporten för kommunstyrelsen" in text
    assert "2. Uppföljningen av Kommunledningsförvaltningens" in text
    for amount in ("+12,8 mnkr", "+8,2 mnkr", "+22,1 mnkr"):
        assert amount in text


# Every section follows the data, whatever the data ------------------------------------------

_variant = st.fixed_dictionaries(
    {
        "goals": st.booleans(),
        "assignments": st.booleans(),
        "indicators": st.sampled_from(["split", "unsplit", "none"]),
        "mbl": st.booleans(),
        "summary": st.booleans(),
        "fel": st.booleans(),
    }
)


def _vary(template: Template, v: dict[str, Any]) -> Template:
    if not v["goals"]:
        template = replace(template, goals=[])
    elif v["fel"]:
        template = replace(template, goals=[replace(template.goals[0], assessment="Kanske")] + template.goals[1:])
    if not v["assignments"]:
        template = replace(template, assignments=[])
    if v["indicators"] == "none":
        template = replace(template, indicators=[])
    elif v["indicators"] == "unsplit":
        template = _no_split(template)
    return with_meta(
        template,
        mbl_datum=template.meta.mbl_datum if v["mbl"] else None,
        sammanfattning=template.meta.sammanfattning if v["summary"] else "",
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    chosen=st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=3, unique=True),
    variants=st.lists(_variant, min_size=3, max_size=3),
)
def test_no_section_is_ever_empty_and_no_count_is_noll(chosen: list[int], variants: list[dict[str, Any]]) -> None:
    templates = example_templates()
    with tempfile.TemporaryDirectory() as folder:
        paths = [
            write_template(Path(folder) / f"{i} {templates[i].meta.forvaltning}.xlsx", _vary(templates[i], variants[i]))
            for i in sorted(chosen)
        ]
        result = consolidate(paths)
    blocks = D.document(result, CREATED)
    headings = [i for i, b in enumerate(blocks) if isinstance(b, D.Heading) and b.level == 1]
    assert [blocks[i].text for i in headings][:6] == HEADINGS
    for i in headings:
        following = blocks[i + 1]
        assert not isinstance(following, D.Heading), blocks[i].text
        content = (
            following.items
            if isinstance(following, (D.NumberedList, D.LineList))
            else [following.text]
            if isinstance(following, D.Paragraph)
            else [row[0] for row in following.rows]
        )
        assert content and all(text.strip() for text in content), blocks[i].text
    lines = D.plain_lines(blocks)
    assert not [line for line in lines if re.search(r"\bnoll\b|\b0 (nämndmål|uppdrag|förvaltningar)", line, re.I)]
    assert not [line for line in lines if "  " in line and not line.startswith("- ")]
    own_words = set(SUMMARIES.values())
    for block in blocks:
        if isinstance(block, D.Paragraph) and block.text not in own_words:
            assert block.text.endswith((".", ":")), block.text
