"""The nämnd's delårsrapport (contract §8, issue 22): `konsolidera --rapport`, `--word-mall`, `--pdf`, and the
tjänsteskrivelse ready to sign.

Documents are written from results consolidated from real template files (version 2 data written by the
product's own generator) and read back with python-docx; LibreOffice renders them to PDF and pdftotext reads
the pages as a person sees them: page count, the headings' order, no path or internal name.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest
from conftest import IN_CI, with_meta
from docx.oxml.ns import qn

from delar_xl.cli import main
from delar_xl.demo.namnd import Demo, example_templates
from delar_xl.namnd import document as D
from delar_xl.namnd import report as R
from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.result import Result
from delar_xl.namnd.word import write_word
from delar_xl.template.model import EconomyRow, GoalRow, Template
from delar_xl.template.write import write_template

CREATED = date(2021, 10, 5)
KLF, VOS, LL = "Kommunledningsförvaltningen", "Verksamhetsstöd och service", "Leanlink"
BUILT_IN = {
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Normal",
    "List Number",
    "List",
    "TOC Heading",
    "TOC 1",
}
INTERNAL = (
    "Kallmapp",
    "AntalFel",
    "AntalVarningar",
    "Niva",
    "Nivå",
    "Mallversion",
    ".xlsx",
    "Kontroll",
    "Fel 0",
    "Varningar 0",
)


def _v2(template: Template) -> Template:
    """`template` with version 2 data: its own texts, investments, personal, an åtgärd on an underskott."""
    name = template.meta.forvaltning
    economy = list(template.economy)
    economy[0] = replace(
        economy[0],
        forecast=economy[0].budget - 1_500,
        comment="Högre kostnader för konsulter än budgeterat.",
        measures="Anställningsstopp för konsulter från oktober.",
    )
    assert template.investments and template.personnel  # the example's own (the plan's projects)
    return replace(
        with_meta(
            template,
            vasentliga_handelser=f"{name} har infört ett nytt ärendesystem.",
            framtid=f"{name} räknar med ökade volymer 2022.",
            forvaltningschef="Förvaltningschef X",
            godkand=date(2021, 9, 20),
        ),
        economy=economy,
    )


@pytest.fixture(scope="module")
def v2_result(tmp_path_factory: pytest.TempPathFactory, demo: Demo) -> Result:
    """The demo's three förvaltningar as version 2 templates; one goal Ej bedömt with a reason, one Uppnås inte."""
    folder = tmp_path_factory.mktemp("v2")
    klf, vos, ll = (_v2(t) for t in example_templates())
    goals = list(klf.goals)
    goals[8] = replace(
        goals[8], assessment="Ej bedömt", analysis="Kolada publicerar sjukfrånvaron för 2021 först under 2022"
    )
    goals[7] = replace(goals[7], assessment="Uppnås inte", analysis="Utsläppen ökar.")
    klf = replace(klf, goals=goals)
    names = [p.name for p in demo.templates]
    paths = [write_template(folder / name, t) for name, t in zip(names, (klf, vos, ll))]
    return consolidate(paths, plan=demo.plan)


def paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def section(rows: list[tuple[str, str]], heading: str, level: str = "Heading 1") -> list[tuple[str, str]]:
    start = rows.index((level, heading)) + 1
    out = []
    for style, text in rows[start:]:
        if style == level:
            break
        out.append((style, text))
    return out


@pytest.fixture(scope="module")
def report_docx(v2_result: Result, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return R.write_report(v2_result, tmp_path_factory.mktemp("rapport") / "Delårsrapport.docx", CREATED)


# The block model and the document -------------------------------------------------------------------


def test_report_has_the_nine_sections_in_contract_order(report_docx: Path) -> None:
    headings = [text for style, text in paragraphs(report_docx) if style == "Heading 1"]
    assert headings == [
        "Sammanfattning",
        "Väsentliga händelser",
        "Måluppfyllelse",
        "Strategiska uppdrag",
        "Nämndindikatorer",
        "Ekonomi",
        "Investeringar",
        "Personal",
        "Förväntad utveckling",
    ]
    assert list(R.SECTIONS) == headings


def test_report_title_page(report_docx: Path) -> None:
    rows = paragraphs(report_docx)
    assert rows[:5] == [
        ("Subtitle", "Linköpings kommun"),
        ("Subtitle", "Kommunstyrelsen"),
        ("Title", "Delårsrapport per den 31 augusti 2021"),
        ("Subtitle", "med prognos för helår 2021"),
        ("Subtitle", "2021-10-05"),
    ]
    document = docx.Document(str(report_docx))
    assert document.sections[0].different_first_page_header_footer  # the cover has no header or page number


def test_report_has_a_real_toc_field_and_page_numbers(report_docx: Path) -> None:
    document = docx.Document(str(report_docx))
    body = [t.text.strip() for t in document.element.body.iter(qn("w:instrText"))]
    assert body[0].startswith("TOC \\o")
    footer = [t.text.strip() for t in document.sections[0].footer._element.iter(qn("w:instrText"))]
    assert footer == ["PAGE", "NUMPAGES"]
    assert "Sida" in document.sections[0].footer.paragraphs[0].text
    settings = document.settings.element.find(qn("w:updateFields"))
    assert settings is not None and settings.get(qn("w:val")) == "true"  # Word fills the TOC when it opens


def test_report_uses_only_built_in_styles(report_docx: Path) -> None:
    document = docx.Document(str(report_docx))
    assert {p.style.name for p in document.paragraphs} <= BUILT_IN
    assert {t.style.name for t in document.tables} == {"Table Grid"}


def test_one_heading_2_per_goal_with_its_assessment_in_words_and_colour(report_docx: Path, v2_result) -> None:
    goals = section(paragraphs(report_docx), "Måluppfyllelse")
    headings = [text for style, text in goals if style == "Heading 2"]
    assert headings == [f"{g.goal_id} {g.goal}" for g in v2_result.goals]
    assert headings[0] == "KS-M01 Linköpings kommun ska ha en god ekonomisk hushållning"
    first = section(goals, headings[0], "Heading 2")
    assert first[0] == ("Normal", "Bedömning: Uppnås helt (grön)")
    assert first[1:] == [("Heading 3", KLF), ("Normal", "Prognosen visar överskott och investeringarna följer plan.")]
    shared = section(goals, "KS-M05 Segregationen i Linköping ska minska", "Heading 2")
    assert [text for style, text in shared if style == "Heading 3"] == [KLF, VOS]  # each förvaltning's analys
    colours = {text for style, text in goals if text.startswith("Bedömning: ")}
    assert colours == {
        "Bedömning: Uppnås helt (grön)",
        "Bedömning: Uppnås delvis (gul)",
        "Bedömning: Uppnås inte (röd)",
        "Bedömning: Ej bedömt (grå)",
    }


def test_report_tables_are_real_word_tables_with_a_header_row(report_docx: Path) -> None:
    document = docx.Document(str(report_docx))
    heads = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert [
        "Förvaltning",
        "Budget helår",
        "Utfall period",
        "Prognos helår",
        "Avvikelse helår",
        "Föregående prognos",
    ] in heads
    assert ["Projekt", "Budget helår", "Utfall period", "Prognos helår", "Avvikelse helår"] in heads
    assert ["Nämndindikator", "Enhet", "Kvinnor", "Män", "Totalt", "Målvärde"] in heads
    assert ["Nyckeltal", "Enhet", "Kvinnor", "Män", "Totalt", "Föregående år"] in heads
    for table in document.tables:
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"  # repeats on every page


def test_report_amounts_in_mnkr_grouped_with_sign_and_dash(report_docx: Path) -> None:
    document = docx.Document(str(report_docx))
    (units,) = [
        t
        for t in document.tables
        if t.rows[0].cells[0].text == "Förvaltning" and t.rows[0].cells[1].text == "Budget helår"
    ]
    rows = [[c.text for c in r.cells] for r in units.rows[1:]]
    assert rows[0][0] == KLF and rows[-1][0] == "Summa"
    assert rows[2][1] == "–"  # Leanlink's budget is exactly zero: the legend's "no amount"
    assert rows[-1][4].startswith("+") and rows[0][1].startswith("\u2212")
    assert R.mnkr(-3_940_600) == "\u22123\u00a0940,6"  # thousands separated by a (non-breaking) space
    assert R.mnkr(40) == "0,0" and R.mnkr(0) == "–" and R.mnkr(None) == "–"


def test_report_gathers_the_forvaltningar_texts_under_their_names(report_docx: Path) -> None:
    rows = paragraphs(report_docx)
    events = section(rows, "Väsentliga händelser")
    assert events[:2] == [("Heading 2", KLF), ("Normal", f"{KLF} har infört ett nytt ärendesystem.")]
    outlook = section(rows, "Förväntad utveckling")
    assert ("Normal", f"{LL} räknar med ökade volymer 2022.") in outlook


def test_a_section_with_nothing_says_so_in_one_sentence(write, tmp_path: Path) -> None:
    """Templates without väsentliga händelser, investeringar, personal or texts of the future (a version 1
    template has none of them): each section still says so, in one sentence."""
    bare = [
        replace(with_meta(t, vasentliga_handelser="", framtid=""), investments=[], personnel=[])
        for t in example_templates()
    ]
    result = consolidate([write(t, f"{i} {t.meta.forvaltning}.xlsx") for i, t in enumerate(bare)])
    rows = paragraphs(R.write_report(result, tmp_path / "r.docx", CREATED))
    assert section(rows, "Väsentliga händelser") == [
        ("Normal", ("Inga väsentliga händelser har rapporterats för perioden."))
    ]
    assert section(rows, "Investeringar") == [("Normal", "Inga investeringsprojekt har rapporterats för perioden.")]
    assert section(rows, "Personal") == [("Normal", "Inga personalnyckeltal har rapporterats för perioden.")]
    assert section(rows, "Förväntad utveckling") == [
        ("Normal", ("Ingen förvaltning har rapporterat någon förväntad utveckling."))
    ]


def test_report_has_no_path_finding_count_or_internal_name(report_docx: Path, v2_result: Result) -> None:
    with zipfile.ZipFile(report_docx) as zf:
        xml = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml"))
    text = re.sub(r"<[^>]+>", " ", xml)
    assert not [word for word in INTERNAL if word in text]
    assert str(Path(v2_result.units[0].path).parent) not in text


def test_report_refuses_another_suffix(v2_result: Result, tmp_path: Path) -> None:
    from delar_xl.findings import OutputError

    with pytest.raises(OutputError, match="Delårsrapporten sparas som Word-dokument"):
        R.write_report(v2_result, tmp_path / "r.pdf")


# The tjänsteskrivelse, ready to sign -----------------------------------------------------------------


def test_tjansteskrivelse_has_kommun_diarienummer_handlaggare_and_signatures(v2_result, tmp_path: Path) -> None:
    path = write_word(v2_result, tmp_path / "t.docx", CREATED, diarienummer="KS 2021-0815")
    document = docx.Document(str(path))
    assert document.sections[0].header.paragraphs[0].text == (
        "Linköpings kommun\nKommunstyrelsen – tjänsteskrivelse, delårsrapport per 2021-08-31\nDnr KS 2021-0815"
    )
    texts = [p.text for p in document.paragraphs]
    assert texts[1:4] == ["Datum: 2021-10-05", "Diarienummer: KS 2021-0815", "Handläggare: Eva Nilsson, controller"]
    end = texts.index(D.RECIPIENTS)
    assert texts[end - 3 : end] == [KLF, "Paul Håkansson", "Mikael Borin"]  # the reference's signature block
    assert "Bilaga 1 – Kommunstyrelsens delårsrapport per den 31 augusti 2021" in texts
    assert "Bilaga 2 – Uppföljning av Kommunstyrelsens lokalförsörjningsplan 2021" in texts  # by title, not file


def test_tjansteskrivelse_prose_follows_the_assessments(v2_result: Result) -> None:
    from delar_xl.namnd.text import goals_of_total_sentence, goals_paragraph

    paragraph = goals_paragraph(v2_result)
    assert "samtliga" not in paragraph  # one goal Uppnås inte, one Ej bedömt
    assert paragraph.startswith("Utveckling sker inom sexton av kommunstyrelsens arton nämndmål för budgetåret.")
    assert (
        "”Sjukfrånvaron ska minska” har inte bedömts. Kolada publicerar sjukfrånvaron för 2021 först under 2022."
    ) in paragraph
    assert goals_of_total_sentence(v2_result) == (
        "Åtta av arton nämndmål bedöms uppnås per helår, åtta bedöms "
        "delvis uppnås, ett bedöms inte uppnås och ett har inte bedömts."
    )


def test_counts_over_twenty_are_digits_on_both_sides(v2_result: Result) -> None:
    """Never "Tio av 23": with a total above twenty the sentence is turned so no digit starts it."""
    from delar_xl.namnd.result import Goal
    from delar_xl.namnd.text import goals_of_total_sentence

    result = replace(
        v2_result,
        goals=[Goal(f"M{i}", f"Mål {i}", "Uppnås helt" if i < 10 else "Uppnås delvis", ["x"]) for i in range(23)],
    )
    assert goals_of_total_sentence(result) == "Av 23 nämndmål bedöms 10 uppnås per helår, 13 bedöms delvis uppnås."


def test_assessment_counts_are_all_words_or_all_digits() -> None:
    from delar_xl.namnd.text import assessment_sentence

    assert assessment_sentence({"Uppnås helt": 8, "Uppnås delvis": 10}) == (
        "Åtta nämndmål bedöms uppnås helt och tio bedöms uppnås delvis per helår."
    )  # the reference
    assert assessment_sentence({"Uppnås helt": 8, "Uppnås delvis": 13}) == (
        "Av nämndmålen bedöms 8 uppnås helt och 13 bedöms uppnås delvis per helår."
    )  # never "Åtta … 13"


def test_an_underskott_is_reported_with_its_atgard(tmp_path: Path, write) -> None:
    klf = example_templates()[0]
    rows = [
        EconomyRow(
            "X-01",
            "Drift",
            -10_000,
            -6_000,
            -13_000,
            comment="Dyrare drift.",
            measures="Översyn av avtalen under hösten.",
        )
    ]
    result = consolidate([write(replace(klf, economy=rows), "a.xlsx")])
    from delar_xl.namnd.text import economy_paragraph

    text = economy_paragraph(result)
    assert "Kommunledningsförvaltningen redovisar ett underskott med 3,0 mnkr" in text
    assert text.endswith(
        "Kommunledningsförvaltningen möter underskottet med följande åtgärder: Översyn av avtalen under hösten."
    )
    without = consolidate([write(replace(klf, economy=[replace(rows[0], measures="")]), "b.xlsx")])
    assert economy_paragraph(without).endswith(
        "Kommunledningsförvaltningen har inte angett någon åtgärd för underskottet."
    )


def test_no_goal_row_for_goal_named_by_label_in_prose(demo: Demo) -> None:
    """No förvaltning's name pasted before its text ("Kommunledningsförvaltningen: Verksamheten …")."""
    lines = D.plain_lines(D.document(demo.result, CREATED))
    assert not [line for line in lines if re.match(rf"({KLF}|{VOS}|{LL}): ", line)]


def test_goal_row_analysis_types_are_kept(v2_result: Result) -> None:
    assert all(isinstance(row, GoalRow) for u in v2_result.included for row in u.template.goals)


# --word-mall: the kommun's own template ----------------------------------------------------------------


def logo_png(width: int = 48, height: int = 24) -> bytes:
    """A small valid PNG (a red band over blue): the "logo" in the template's header."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + (b"\xc0\x00\x00" if y < height // 2 else b"\x1f\x4e\x79") * width for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


FONT = "DejaVu Sans Mono"  # unmistakable on every rendered page


def make_dotx(path: Path) -> Path:
    """A kommun's Word template made with python-docx: another font, a logo in the header; saved as .dotx
    (a .docx whose main part has the template content type)."""
    from docx.shared import Cm, Pt

    document = docx.Document()
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title", "Subtitle"):
        style = document.styles[name]
        style.font.name = FONT
        fonts = style.element.rPr.find(qn("w:rFonts"))
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # the theme's font would win over the named one
    document.styles["Normal"].font.size = Pt(10)
    document.sections[0].left_margin = document.sections[0].right_margin = Cm(2)
    header = document.sections[0].header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(logo_png()), width=Cm(2))
    header.add_run(" Exempelkommunen")
    document.add_paragraph("Mallens egen text, som aldrig ska synas i dokumenten.")
    docx_path = path.with_suffix(".docx")
    document.save(str(docx_path))
    with zipfile.ZipFile(docx_path) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")
            dst.writestr(item, data)
    docx_path.unlink()
    return path


def test_word_mall_gives_both_documents_the_kommuns_styles_and_header(demo: Demo, tmp_path: Path) -> None:
    mall = make_dotx(tmp_path / "Kommunens mall.dotx")
    out = tmp_path / "ut"
    code = main(
        [
            "konsolidera",
            str(demo.templates[0].parent),
            "--plan",
            str(demo.plan),
            "--ut",
            str(out / "S.xlsx"),
            "--word",
            str(out / "T.docx"),
            "--rapport",
            str(out / "R.docx"),
            "--word-mall",
            str(mall),
            "--tyst",
        ]
    )
    assert code == 0
    for name in ("T.docx", "R.docx"):
        document = docx.Document(str(out / name))
        assert document.styles["Normal"].font.name == FONT
        header = document.sections[0].header._element
        assert header.findall(".//" + qn("w:drawing"))  # the logo stays
        assert "Exempelkommunen" in "".join(t.text for t in header.iter(qn("w:t")))
        assert "Mallens egen text" not in "\n".join(p.text for p in document.paragraphs)
        assert round(document.sections[0].left_margin.cm, 1) == 2.0  # the template's page, not ours


def test_word_mall_that_does_not_exist_is_a_bad_argument(demo: Demo, tmp_path: Path, capsys) -> None:
    code = main(
        [
            "konsolidera",
            str(demo.templates[0].parent),
            "--ut",
            str(tmp_path / "S.xlsx"),
            "--rapport",
            str(tmp_path / "R.docx"),
            "--word-mall",
            str(tmp_path / "saknas.dotx"),
        ]
    )
    assert code == 2
    assert "--word-mall ska vara en Word-mall (.dotx eller .docx) som finns" in capsys.readouterr().err
    assert not (tmp_path / "S.xlsx").exists()


def test_rapport_with_another_suffix_is_a_bad_argument(demo: Demo, tmp_path: Path, capsys) -> None:
    code = main(
        [
            "konsolidera",
            str(demo.templates[0].parent),
            "--ut",
            str(tmp_path / "S.xlsx"),
            "--rapport",
            str(tmp_path / "R.pdf"),
        ]
    )
    assert code == 2
    assert "Fel: --rapport ska vara ett Word-dokument som slutar på .docx, inte R.pdf." in capsys.readouterr().err


def test_pdf_without_a_document_is_a_bad_argument(demo: Demo, tmp_path: Path, capsys) -> None:
    code = main(["konsolidera", str(demo.templates[0].parent), "--ut", str(tmp_path / "S.xlsx"), "--pdf"])
    assert code == 2
    assert "--pdf skriver dokumenten som PDF och behöver --word eller --rapport." in capsys.readouterr().err


def test_pdf_without_libreoffice_says_so_in_one_line_and_keeps_the_exit_status(
    demo: Demo, tmp_path: Path, monkeypatch, capsys
) -> None:
    import delar_xl.pdf

    monkeypatch.setattr(delar_xl.pdf, "soffice", lambda: None)
    code = main(
        [
            "konsolidera",
            str(demo.templates[0].parent),
            "--plan",
            str(demo.plan),
            "--ut",
            str(tmp_path / "S.xlsx"),
            "--word",
            str(tmp_path / "T.docx"),
            "--rapport",
            str(tmp_path / "R.docx"),
            "--pdf",
            "--tyst",
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert err.strip() == delar_xl.pdf.NO_LIBREOFFICE  # one clear line, said once
    assert (tmp_path / "R.docx").is_file() and not (tmp_path / "R.pdf").exists()


def test_kommun_level_refuses_the_namnd_documents(tmp_path: Path, demo: Demo, capsys) -> None:
    code = main(
        ["konsolidera", str(demo.summary), "--ut", str(tmp_path / "K.xlsx"), "--rapport", str(tmp_path / "R.docx")]
    )
    assert code == 2
    assert "--rapport gäller nämndens dokument" in capsys.readouterr().err


# LibreOffice: the documents as a person sees them -------------------------------------------------------


def _require_rendering() -> None:
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        if IN_CI:
            pytest.fail("LibreOffice Writer and pdftotext are required in CI (.ci/run installs them)")
        pytest.skip("LibreOffice or pdftotext is not installed here")


def _pages(pdf: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = done.stdout.split("\f")
    return pages[:-1] if not pages[-1].strip() else pages


@pytest.fixture(scope="module")
def rendered(v2_result: Result, demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """`konsolidera … --word … --rapport … --pdf` on the version 2 templates: the PDFs' pages."""
    _require_rendering()
    out = tmp_path_factory.mktemp("pdf")
    folder = Path(v2_result.units[0].path).parent
    code = main(
        [
            "konsolidera",
            str(folder),
            "--plan",
            str(demo.plan),
            "--ut",
            str(out / "Sammanställning.xlsx"),
            "--word",
            str(out / "Tjänsteskrivelse.docx"),
            "--rapport",
            str(out / "Delårsrapport.docx"),
            "--diarienummer",
            "KS 2021-0815",
            "--pdf",
            "--tyst",
        ]
    )
    assert code == 0
    return {
        "report": _pages(out / "Delårsrapport.pdf"),
        "word": _pages(out / "Tjänsteskrivelse.pdf"),
        "folder": [str(folder)],
    }


def test_rendered_report_pages_and_headings_in_order(rendered: dict[str, list[str]]) -> None:
    pages = rendered["report"]
    assert 9 <= len(pages) <= 14, len(pages)
    assert "Delårsrapport per den 31 augusti 2021" in pages[0] and "Sida" not in pages[0]  # the cover
    for number, page in enumerate(pages[1:], 2):
        assert f"Sida {number} av {len(pages)}" in page
    text = " ".join(" ".join(pages[2:]).split())
    positions = [text.find(h) for h in R.SECTIONS]
    assert -1 not in positions and positions == sorted(positions)


def test_rendered_report_contents_give_each_sections_page(rendered: dict[str, list[str]]) -> None:
    pages = rendered["report"]
    contents = {line.split(".")[0].strip(): line.rsplit(" ", 1)[-1] for line in pages[1].splitlines() if "...." in line}
    assert list(contents) == list(R.SECTIONS)
    for heading, page in contents.items():
        assert any(line.strip() == heading for line in pages[int(page) - 1].splitlines()), (heading, page)


def test_rendered_documents_show_no_path_or_internal_name(rendered: dict[str, list[str]]) -> None:
    for kind in ("report", "word"):
        text = "\n".join(rendered[kind])
        assert rendered["folder"][0] not in text and "/tmp" not in text
        assert not [word for word in INTERNAL if word in text], kind


def test_rendered_tjansteskrivelse_keeps_its_signature_block_together(rendered: dict[str, list[str]]) -> None:
    pages = rendered["word"]
    (page,) = [p for p in pages if "Paul Håkansson" in p]
    assert "Mikael Borin" in page and "KS 2021-0815" in pages[0]


def test_pdf_keeps_the_users_earlier_pdf_as_bak(v2_result: Result, tmp_path: Path) -> None:
    """The PDF is an output like the others: written atomically, the earlier one kept as .bak – also through
    the report's second pass, which must not leave its own first pass as the backup."""
    _require_rendering()
    from delar_xl.namnd.report import write_report, write_report_pdf

    path = tmp_path / "Delårsrapport.docx"
    write_report(v2_result, path)
    (tmp_path / "Delårsrapport.pdf").write_bytes(b"%PDF-1.4 earlier")
    converted = write_report_pdf(v2_result, path)
    assert converted.written == [tmp_path / "Delårsrapport.pdf"] and not converted.message
    assert (tmp_path / "Delårsrapport.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "Delårsrapport.pdf.bak").read_bytes() == b"%PDF-1.4 earlier"
    assert not (tmp_path / "Delårsrapport.docx.bak").exists()  # there was no earlier report
