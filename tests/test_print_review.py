"""What the combined outputs look like after the merges (issue 16): long texts wrap instead of running
into the next column, numeric headers sit over their numbers and the kommun's tables end in a total, in
the nämnd summary and in the kommun summary alike. Inspected through openpyxl, never by screenshots."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from delar_xl.demo.kommun import KommunDemo, write_kommun_demo
from delar_xl.demo.namnd import Demo


@pytest.fixture(scope="module")
def kommun(tmp_path_factory: pytest.TempPathFactory) -> KommunDemo:
    return write_kommun_demo(tmp_path_factory.mktemp("kommun"))


def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))


def tables(wb: openpyxl.Workbook):
    for ws in wb.worksheets:
        for tab in ws.tables.values():
            yield ws, tab.name, list(ws[tab.ref])


def unwrapped_overflows(wb: openpyxl.Workbook) -> list[tuple[str, str, str]]:
    """Table cells whose text is longer than their column and does not wrap: printed, they run into
    (or are cut by) the next column ("Ekonomichef, Kommunledningsförvaltncontroller.klf@…")."""
    found = []
    for ws, name, rows in tables(wb):
        for row in rows[1:]:
            for cell in row:
                width = ws.column_dimensions[cell.column_letter].width or 8.43
                if isinstance(cell.value, str) and len(cell.value) > width and not cell.alignment.wrap_text:
                    found.append((ws.title, name, cell.coordinate))
    return found


def test_long_texts_wrap_in_the_namnd_summary(demo: Demo) -> None:
    assert unwrapped_overflows(load(demo.summary)) == []


def test_inlamning_contacts_wrap(demo: Demo) -> None:
    ws = load(demo.summary)["Inlämning"]
    rows = list(ws[ws.tables["Inlamning"].ref])
    heads = [c.value for c in rows[0]]
    contact = heads.index("Kontaktperson")
    assert rows[1][contact].value == "Ekonomichef, Kommunledningsförvaltningen"
    assert all(r[contact].alignment.wrap_text and r[heads.index("E-post")].alignment.wrap_text for r in rows[1:])


def test_long_texts_wrap_in_the_kommun_summary(kommun: KommunDemo) -> None:
    assert unwrapped_overflows(load(kommun.summary)) == []


def test_kommun_numeric_headers_are_right_aligned_like_their_numbers(kommun: KommunDemo) -> None:
    checked = 0
    for ws, name, rows in tables(load(kommun.summary)):
        for col, head in enumerate(rows[0]):
            values = [r[col].value for r in rows[1:] if r[col].value is not None]
            numeric = bool(values) and all(isinstance(v, (int, float)) for v in values)
            assert (head.alignment.horizontal == "right") is numeric, f"{ws.title} {name} {head.value}"
            checked += numeric
    assert checked >= 30


def test_kommun_forvaltningar_headers_fit_without_breaking_a_word(kommun: KommunDemo) -> None:
    ws = load(kommun.summary)["Förvaltningar"]
    rows = list(ws[ws.tables["Forvaltningar"].ref])
    for head in rows[0]:
        longest_word = max(len(w) for w in str(head.value).split())
        assert ws.column_dimensions[head.column_letter].width >= longest_word + 1, head.value


def test_kommun_per_namnd_ends_in_the_total_of_what_is_included(kommun: KommunDemo) -> None:
    ws = load(kommun.summary)["Sammanställning"]
    ref = ws.tables["Namnder"].ref
    rows = list(ws[ref])
    heads = [c.value for c in rows[0]]
    total = {h: c.value for h, c in zip(heads, ws[rows[-1][0].row + 1])}
    assert total["Nämnd"] == "Totalt (det som ingår i summorna)"
    assert round(total["Avvikelse helår"], 3) == 45.365 and round(total["Budget helår"], 1) == -3940.6
    assert (
        total["Mål helt"],
        total["Mål delvis"],
        total["Mål inte"],
        total["Mål ej bedömt"],
        total["Uppdrag verkställs"],
        total["Uppdrag förskjuts"],
    ) == (10, 11, 1, 1, 17, 4)
    assert total["Status"] is None and total["Fil"] is None
    assert round(total["Prognosförändring"], 3) == round(
        sum(r[heads.index("Prognosförändring")].value for r in rows[1:]), 3
    )
    assert ws[rows[-1][0].row + 1][1].font.b  # printed bold, like the nämnd's Totalt


def test_kommun_indicator_counts_have_no_decimals(kommun: KommunDemo) -> None:
    ws = load(kommun.summary)["Indikatorer"]
    rows = list(ws[ws.tables["Indikatorer"].ref])
    heads = [c.value for c in rows[0]]
    counts = [r for r in rows[1:] if r[heads.index("Enhet")].value == "antal"]
    rates = [r for r in rows[1:] if r[heads.index("Enhet")].value == "%"]
    assert len(counts) == 4 and rates
    assert {r[heads.index(h)].number_format for r in counts for h in ("Kvinnor", "Män", "Totalt")} == {"#,##0"}
    assert all(r[heads.index("Totalt")].number_format != "#,##0" for r in rates)


def test_kommun_ekonomi_ends_in_a_summa_outside_the_table(kommun: KommunDemo) -> None:
    ws = load(kommun.summary)["Ekonomi"]
    rows = list(ws[ws.tables["Ekonomi"].ref])
    heads = [c.value for c in rows[0]]
    below = {h: c.value for h, c in zip(heads, ws[rows[-1][0].row + 1])}
    assert below["Förvaltning"] == "Summa"
    deviation = heads.index("Avvikelse helår")
    assert below["Avvikelse helår"] == sum(r[deviation].value for r in rows[1:]) == 45365


def test_template_names_one_colour_for_the_cells_to_fill(demo: Demo) -> None:
    """The pre-filled template says "grå … låsta, fyll i de gula"; its rules must not speak of "ljusa"."""
    wb = load(demo.prefilled[0])
    texts = [
        str(v)
        for ws in (wb["Instruktioner"], wb["Uppgifter"])
        for row in ws.iter_rows(values_only=True)
        for v in row
        if isinstance(v, str)
    ]
    assert not [t for t in texts if "ljusa" in t]
    assert any(t.startswith("• Skriv bara i de gula cellerna.") for t in texts)


def test_running_text_puts_the_sign_on_the_number(demo: Demo) -> None:
    """ "+43,1 mnkr" in a sentence (domain.md); the reference's list alone spaces it ("+ 12,8 mnkr")."""
    from delar_xl.namnd.text import economy_list, economy_paragraph

    assert economy_paragraph(demo.result).endswith("Sammantaget är avvikelsen mot budget +43,1 mnkr.")
    assert economy_list(demo.result)[0] == "- Kommunledningsförvaltningen  + 12,8 mnkr"


@pytest.fixture(scope="module")
def without_leanlink(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's templates minus Leanlink's, consolidated with the plan: Leanlink is missing."""
    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.summary import write_summary

    result = consolidate(demo.templates[:2], plan=demo.plan)
    return write_summary(result, tmp_path_factory.mktemp("utan") / "Sammanställning.xlsx")


def test_plan_counts_without_a_row_are_explained_under_the_table(without_leanlink: Path) -> None:
    """Mål ej bedömt is 3 in Totalt while each row says 0: the note says which ids and why."""
    ws = load(without_leanlink)["Sammanställning"]
    texts = [str(v) for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert (
        "Mål-id KS-M16, KS-M17 och KS-M18 bedöms inte i någon mall som ingår och räknas som Ej bedömt "
        "(se bladet Kontroll)." in texts
    )
    assert (
        "Uppdrag-id KS-U16, KS-U17 och KS-U18 rapporteras inte i någon mall som ingår men räknas i "
        "Strategiska utvecklingsuppdrag totalt." in texts
    )
    assert "Mål-id KS-M05 bedöms av två förvaltningar och räknas en gång i nyckeltalen." in texts
    assert "Därför stämmer kolumnerna per förvaltning inte med nyckeltalen." in texts
    assert "Därför kan kolumnerna per förvaltning summera till mer än nyckeltalen." not in texts


def test_incomplete_chart_titles_are_set_small_enough_to_fit(without_leanlink: Path, demo: Demo) -> None:
    import re
    import zipfile

    def title_sizes(path: Path) -> list[str]:
        with zipfile.ZipFile(path) as zf:
            parts = sorted(n for n in zf.namelist() if n.startswith("xl/charts/chart"))
            return [
                re.search(r"<c:title>.*?sz=\"(\d+)\"", zf.read(p).decode(), re.S).group(1)
                if re.search(r"<c:title>.*?sz=\"(\d+)\"", zf.read(p).decode(), re.S)
                else "default"
                for p in parts
            ]

    assert title_sizes(without_leanlink) == ["1000", "1000"]
    # 11 pt (issue 22): the charts are narrower so they never overlap, and at 14 pt the title took two lines
    assert title_sizes(demo.summary) == ["1100", "1100"]


def test_kommun_text_says_how_many_assignments_were_not_reported(
    without_leanlink: Path, kommun: KommunDemo, tmp_path: Path
) -> None:
    import shutil

    from delar_xl.kommun.consolidate import consolidate_kommun
    from delar_xl.kommun.text import assignments_paragraph

    shutil.copy2(without_leanlink, tmp_path / "Sammanställning Kommunstyrelsen 2021-08-31.xlsx")
    for other in kommun.namnd_summaries[1:]:
        shutil.copy2(other, tmp_path / other.name)
    result = consolidate_kommun([tmp_path])
    assert result.count("AntalUppdrag") == 21
    assert assignments_paragraph(result) == (
        "Av nämndernas 21 strategiska utvecklingsuppdrag kommer 14 uppdrag att "
        "vara verkställda vid årets slut. Tre uppdrag har inte rapporterats "
        "i nämndernas underlag."
    )
    assert assignments_paragraph(kommun.result).endswith("kommer 17 uppdrag att vara verkställda vid årets slut.")


def test_both_levels_label_the_unreported_assignments_alike(demo: Demo, kommun: KommunDemo) -> None:
    for path in (demo.summary, kommun.summary):
        labels = [row[0] for row in load(path)["Sammanställning"].iter_rows(values_only=True)]
        assert "Uppdrag som inte rapporterats" in labels and "Uppdrag ej rapporterade" not in labels


def test_reminder_closing_line_in_singular_and_plural() -> None:
    from delar_xl.mail.reminders import _closing_line

    assert _closing_line(1, 1, sent=False) == "Påminnelsen sparades som utkast."
    assert _closing_line(0, 1, sent=True) == "Påminnelsen kunde inte skickas."
    assert _closing_line(2, 3, sent=True) == "2 av 3 påminnelser skickade."


def test_plan_prints_every_row_of_its_tables(demo: Demo, tmp_path: Path) -> None:
    """The demo's plan printed 14 pages, six of them only empty table rows under a header; the fixed
    print area that cut them also cut the rows of a plan filled after `delar-xl plan` (issue 19): a
    table sheet has no print area now, so every row prints, the blank ones of the table too."""
    from delar_xl.plan.write import write_plan

    wb = load(demo.plan)
    assert not wb["Nämndmål"].print_area
    assert not load(write_plan(tmp_path / "Plan.xlsx", "Kommunstyrelsen", 2022))["Ekonomi"].print_area


def test_kommun_status_column_is_as_wide_as_its_statuses(kommun: KommunDemo) -> None:
    ws = load(kommun.summary)["Sammanställning"]
    rows = list(ws[ws.tables["Namnder"].ref])
    status = [c.value for c in rows[0]].index("Status")
    letter = rows[0][status].column_letter
    assert int(ws.column_dimensions[letter].width) == len("Med i sammanställningen") + 2


def test_utskick_speaks_of_one_template_in_the_singular_and_names_the_previous_summary(
    demo: Demo, tmp_path: Path, capsys
) -> None:
    from dataclasses import replace

    from delar_xl.cli import main
    from delar_xl.demo.namnd import example_plan
    from delar_xl.plan.write import write_plan

    full = example_plan()
    only = "Leanlink"
    plan = replace(
        full,
        units=[u for u in full.units if u.forvaltning == only],
        goals=[g for g in full.goals if g.units == (only,)],
        assignments=[a for a in full.assignments if a.units == (only,)],
        economy=[e for e in full.economy if e.forvaltning == only],
        indicators=[i for i in full.indicators if not i.units or i.units == (only,)],
        investments=[r for r in full.investments if r.forvaltning == only],
    )  # contract §7
    path = write_plan(tmp_path / "Plan.xlsx", full.namnd, full.year, plan)
    code = main(
        [
            "utskick",
            str(path),
            "--period",
            "2021-12-31",
            "--ut",
            str(tmp_path / "ut"),
            "--foregaende",
            str(demo.summary),
        ]
    )
    out = capsys.readouterr().out.splitlines()
    assert code == 0, out
    assert out[0] == f"1 förifylld mall skrevs i {tmp_path / 'ut'}:"
    assert out[-1] == f"Föregående prognos är ifylld från {demo.summary.name}."


def test_word_keeps_the_economy_lead_in_with_its_table(demo: Demo, kommun: KommunDemo) -> None:
    """The kommun's "… per nämnd är följande:" ended page 1 with its table on page 2."""
    import docx

    for path in (demo.word, kommun.word):
        body = docx.Document(str(path)).element.body
        table = body.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl")
        lead_in = table.getprevious()
        assert lead_in.xpath("string(.)").endswith("är följande:")
        assert lead_in.xpath("./w:pPr/w:keepNext") != []
        rows = table.xpath("./w:tr")
        assert [bool(r.xpath(".//w:keepNext[not(@w:val='0')]")) for r in rows] == [True] * (len(rows) - 1) + [False]


def test_a_plan_checked_on_its_own_says_nothing_about_templates(tmp_path: Path, capsys) -> None:
    """`kontrollera PLAN` of a blank plan: its Fel, not an Info on checking templates that are not there."""
    from delar_xl.cli import main
    from delar_xl.plan.write import write_plan

    path = write_plan(tmp_path / "Plan.xlsx", "Kommunstyrelsen", 2022)
    assert main(["kontrollera", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Plan.xlsx, blad Förvaltningar, cell A5: Fel: Planen har inga förvaltningar. Fyll i tabellen "
        "PlanForvaltningar med en rad per förvaltning.",
        "1 fil kontrollerad: 1 fel, 0 varningar, 0 info.",
    ]


def test_mail_of_an_incomplete_summary_says_who_is_missing(without_leanlink: Path) -> None:
    from delar_xl import mail

    message, _ = mail.compose(without_leanlink, ["ekonomistaben@example.se"], None)
    lines = message.body.splitlines()
    assert "OBS! 1 av 3 förvaltningar har inte lämnat in (Leanlink). Totalerna är därför ofullständiga." in lines
    assert lines.index(
        "OBS! 1 av 3 förvaltningar har inte lämnat in (Leanlink). Totalerna är därför ofullständiga."
    ) < lines.index("- Totalt, utan Leanlink: +21,0 mnkr (överskott)")  # issue 19
    assert "Strategiska uppdrag: 18 (verkställs vid årets slut 12, förskjuts 3, avbryts 0, ej rapporterade 3)." in lines


def test_reminder_names_the_button_the_add_in_has(without_leanlink: Path, demo: Demo, tmp_path: Path) -> None:
    from delar_xl.mail.reminders import compose_reminder, read_reminders

    facts, (reminder,) = read_reminders(without_leanlink)
    body = compose_reminder(reminder, facts, demo.prefilled[-1], None).body
    # Issue 19: only the add-in's users have the button; the reminder no longer sends everyone to it.
    assert (
        "Har du Excel-tillägget delar_xl kan du kontrollera mallen själv först, med knappen Konsolidera på "
        "fliken Delårsrapport." in body
    )
    assert "knappen Kontrollera" not in body
    assert "Ekonomistaben har ännu inte fått Leanlinks delårsrapport" in body


def test_kommun_mail_marks_the_incomplete_namnd(without_leanlink: Path, kommun: KommunDemo, tmp_path: Path) -> None:
    import shutil

    from delar_xl import mail
    from delar_xl.kommun.consolidate import consolidate_kommun
    from delar_xl.kommun.summary import write_kommun_summary

    folder = tmp_path / "nämnder"
    folder.mkdir()
    shutil.copy2(without_leanlink, folder / "Sammanställning Kommunstyrelsen 2021-08-31.xlsx")
    for other in kommun.namnd_summaries[1:]:
        shutil.copy2(other, folder / other.name)
    path = write_kommun_summary(consolidate_kommun([folder]), tmp_path / "Kommunen.xlsx")
    lines = mail.compose(path, ["ekonomistaben@example.se"], None)[0].body.splitlines()
    (ks,) = [line for line in lines if line.startswith("- Kommunstyrelsen:")]
    assert ks.startswith("- Kommunstyrelsen: +21,0 mnkr (överskott) – Med i sammanställningen, men ofullständig")
    assert "- Äldrenämnden: +5,7 mnkr (överskott)" in lines
