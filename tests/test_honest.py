"""Issue 19: no number a nämnd signs is silently wrong or incomplete (items 2–8 beyond plausibility)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import with_meta

from delar_xl.cli import main
from delar_xl.template.model import Template
from delar_xl.template.write import write_template

AUG, SEP = date(2021, 8, 31), date(2021, 9, 30)


def _codes(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": Fel: " in line or ": Varning: " in line]


# Item 4: kontrollera shows every finding konsolidera would ------------------------------------


@pytest.fixture
def conflicting(examples: list[Template], tmp_path: Path) -> Path:
    """Two förvaltningar assessing one goal differently and giving one uppdrag two statuses."""
    folder = tmp_path / "mallar"
    folder.mkdir()
    klf, vos, _ = examples
    goal, assignment = klf.goals[0], klf.assignments[0]
    vos = replace(
        vos,
        goals=vos.goals + [replace(goal, assessment="Uppnås inte", row=0)],
        assignments=vos.assignments + [replace(assignment, status="Avbryts", comment="Utgår.", row=0)],
    )
    write_template(folder / "a.xlsx", klf)
    write_template(folder / "b.xlsx", vos)
    return folder


def test_kontrollera_shows_the_cross_file_findings_konsolidera_shows(
    conflicting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["konsolidera", str(conflicting), "--ut", str(tmp_path / "s.xlsx")])
    consolidated = _codes(capsys.readouterr().out)
    assert any('Nämndmål KS-M01 har bedömning "Uppnås inte" här men' in line for line in consolidated)
    main(["kontrollera", str(conflicting)])
    checked = _codes(capsys.readouterr().out)
    assert checked == consolidated


# Item 5: periods ------------------------------------------------------------------------------


@pytest.fixture
def two_periods(examples: list[Template], tmp_path: Path) -> Path:
    folder = tmp_path / "perioder"
    folder.mkdir()
    klf, vos, _ = examples
    write_template(folder / "aug.xlsx", klf)
    write_template(folder / "sep.xlsx", with_meta(vos, periodslut=SEP))
    return folder


def test_a_tie_of_periods_is_never_decided(
    two_periods: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "s.xlsx"
    assert main(["konsolidera", str(two_periods), "--ut", str(out_file)]) == 2
    captured = capsys.readouterr()
    assert not out_file.exists()
    assert (
        "aug.xlsx, blad Uppgifter, cell B7: Fel: Mallarna avser olika perioder, lika många var: "
        "2021-08-31 (aug.xlsx) och 2021-09-30 (sep.xlsx). Ange vilken period som sammanställs med "
        "--period ÅÅÅÅ-MM-DD, t.ex. --period 2021-09-30."
    ) in captured.out
    assert (
        "Ingen sammanställning skrevs: mallarna avser olika perioder, lika många var. Lägg till --period"
        in captured.err
    )
    assert main(["kontrollera", str(two_periods)]) == 1
    assert "Fel: Mallarna avser olika perioder" in capsys.readouterr().out


def test_period_option_chooses_and_names_the_left_out(
    two_periods: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "s.xlsx"
    assert main(["konsolidera", str(two_periods), "--period", "2021-09-30", "--ut", str(out_file)]) == 1
    out = capsys.readouterr().out
    assert out_file.exists()
    assert (
        "aug.xlsx, blad Uppgifter, cell B7: Fel: Mallen avser Kommunstyrelsen per 2021-08-31, men "
        "sammanställningen avser perioden 2021-09-30 (--period). Den tas inte med."
    ) in out
    assert (
        "Ingår inte: Kommunledningsförvaltningen (aug.xlsx) – annan nämnd eller period: Kommunstyrelsen per "
        "2021-08-31 (1 fel, se ovan)"
    ) in out
    assert main(["kontrollera", str(two_periods), "--period", "2021-08-31"]) == 1
    assert (
        "sep.xlsx, blad Uppgifter, cell B7: Fel: Mallen avser Kommunstyrelsen per 2021-09-30" in capsys.readouterr().out
    )


# Item 2: nothing vanishes between periods -------------------------------------------------------


@pytest.fixture
def august_with_added_row(examples: list[Template], tmp_path: Path) -> Path:
    """August's summary, in which Leanlink added a verksamhet that is not in the plan (Budget 0)."""
    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.summary import write_summary
    from delar_xl.template.model import EconomyRow, IndicatorRow

    folder = tmp_path / "augusti"
    folder.mkdir()
    klf, vos, ll = examples
    ll = replace(
        ll,
        economy=ll.economy + [EconomyRow("LL-09", "Ny verksamhet", 0, -2_100, -3_700, None, "Startade i juni.")],
        indicators=ll.indicators + [IndicatorRow("LL-I9", "Nöjda brukare", "%", 80, 84, 82)],
    )
    for i, t in enumerate((klf, vos, ll)):
        write_template(folder / f"{i}.xlsx", t)
    return write_summary(consolidate([folder]), tmp_path / "Sammanställning 2021-08-31.xlsx")


def test_utskick_foregaende_carries_added_rows_and_names_dropped_ones(
    august_with_added_row: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    from delar_xl.demo.namnd import example_plan
    from delar_xl.plan.write import write_plan

    plan = example_plan()
    plan.economy = [r for r in plan.economy if r.key != "KLF-06"]  # the nämnd dropped a budget line …
    plan.goals = [g for g in plan.goals if g.goal_id != "KS-M18"]  # … and a goal Leanlink reported
    plan_file = write_plan(tmp_path / "Plan.xlsx", "", None, plan)
    out_folder = tmp_path / "oktober"
    assert (
        main(
            [
                "utskick",
                str(plan_file),
                "--period",
                "2021-10-31",
                "--ut",
                str(out_folder),
                "--foregaende",
                str(august_with_added_row),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert (
        "    Förs vidare (inte i planen, tillagd av förvaltningen): LL-09 Ny verksamhet, föregående prognos "
        "−3\u00a0700 tkr"
    ) in out
    assert "    Förs vidare (inte i planen, tillagd av förvaltningen): indikator LL-I9 Nöjda brukare" in out
    assert (
        "    Inte med: KLF-06 Kommungemensamma kostnader finns inte längre i planen (föregående prognos "
        "−29\u00a0892 tkr i Sammanställning 2021-08-31.xlsx)."
    ) in out
    assert "    Inte med: nämndmål KS-M18 " in out and "finns inte längre i planen för Leanlink." in out
    ws = openpyxl.load_workbook(out_folder / "Bilaga 6 – Delårsrapport Leanlink 2021-10-31.xlsx")["Ekonomi"]
    rows = {ws[f"A{r}"].value: r for r in range(5, 12)}
    r = rows["LL-09"]
    assert [ws[f"{c}{r}"].value for c in "ABCEG"] == ["LL-09", "Ny verksamhet", 0, None, -3_700]
    assert ws[f"A{r}"].protection.locked and ws[f"G{r}"].protection.locked
    assert ws[f"E{r}"].protection.locked is False


# Item 3: partial is said ---------------------------------------------------------------------------


@pytest.fixture
def partly_previous(examples: list[Template], tmp_path: Path) -> Path:
    """Only Kommunledningsförvaltningen has a Föregående prognos, and on five of its six rows."""
    folder = tmp_path / "delvis"
    folder.mkdir()
    klf, vos, ll = examples
    klf = replace(klf, economy=[replace(r, previous_forecast=None) if r.key == "KLF-06" else r for r in klf.economy])
    vos, ll = (replace(t, economy=[replace(r, previous_forecast=None) for r in t.economy]) for t in (vos, ll))
    for i, t in enumerate((klf, vos, ll)):
        write_template(folder / f"{i}.xlsx", t)
    return folder


PARTIAL_SENTENCE = (
    "Jämfört med föregående prognos har helårsprognosen för Kommunledningsförvaltningen (5 av 6 "
    "verksamheter) förbättrats med 5,3 mnkr. Verksamhetsstöd och service och Leanlink har ingen "
    "föregående prognos och ingår inte i jämförelsen."
)


def test_a_change_over_part_of_the_nämnd_says_whose_it_is(
    partly_previous: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.text import forecast_change_sentence

    result = consolidate([partly_previous])
    assert forecast_change_sentence(result) == PARTIAL_SENTENCE
    summary, word = tmp_path / "s.xlsx", tmp_path / "t.docx"
    main(["konsolidera", str(partly_previous), "--ut", str(summary), "--word", str(word), "--text"])
    out = capsys.readouterr().out
    assert (
        "  Prognosförändring: +5,3 mnkr (delsumma: bara Kommunledningsförvaltningen (5 av 6 verksamheter); "
        "Verksamhetsstöd och service och Leanlink saknar föregående prognos)"
    ) in out
    assert PARTIAL_SENTENCE in out  # the text
    ws = openpyxl.load_workbook(summary)["Sammanställning"]
    labels = [ws.cell(r, 1).value for r in range(1, 60)]
    assert "Föregående prognos (mnkr), delsumma" in labels and "Prognosförändring (mnkr), delsumma" in labels
    assert (
        "Föregående prognos och Prognosförändring är delsummor: de avser bara Kommunledningsförvaltningen "
        "(5 av 6 verksamheter). Verksamhetsstöd och service och Leanlink saknar föregående prognos."
    ) in labels
    import docx

    assert PARTIAL_SENTENCE in [p.text for p in docx.Document(str(word)).paragraphs]


# Item 8: messages a new user stumbled on ------------------------------------------------------------


def _findings_at(path: Path, sheet: str, cell: str) -> list[list[str]]:
    from delar_xl.namnd.consolidate import check

    return [
        [f.severity.value, f.code, f.message]
        for f in check([path]).report.findings
        if (f.sheet, f.cell) == (sheet, cell)
    ]


def test_a_trailing_space_in_a_choice_gets_the_info_the_readme_promises(write, klf: Template, tmp_path: Path) -> None:
    from conftest import fill

    path = fill(write(klf), {("Nämndmål", "C5"): "Uppnås helt "}, tmp_path / "m.xlsx")
    assert _findings_at(path, "Nämndmål", "C5") == [
        [
            "Info",
            "val-tolkat",
            ('Bedömning "Uppnås helt " har extra mellanslag; tolkat som "Uppnås helt". Välj gärna värdet i listan.'),
        ]
    ]


def test_a_date_that_is_not_a_date_gets_one_fel(write, klf: Template, tmp_path: Path) -> None:
    from conftest import fill

    path = fill(write(klf), {("Uppgifter", "B9"): "22 sept"}, tmp_path / "m.xlsx")
    assert [f[:2] for f in _findings_at(path, "Uppgifter", "B9")] == [["Fel", "datum-ogiltigt"]]


def test_a_deleted_column_is_never_advised_as_a_retitle(write, klf: Template, tmp_path: Path) -> None:
    """Excel removes a deleted table column from the table: the next header moves into its place."""
    import openpyxl

    path = write(klf)
    wb = openpyxl.load_workbook(path)
    ws = wb["Ekonomi"]
    table = ws.tables["Ekonomi"]
    ws.delete_cols(4)  # Utfall period
    start, end = table.ref.split(":")
    table.ref = f"{start}:{chr(ord(end[0]) - 1)}{end[1:]}"
    del table.tableColumns[3]
    table.autoFilter = None
    wb.save(path)
    messages = [f[2] for f in _findings_at(path, "Ekonomi", "D4")]
    assert messages == [
        (
            'Kolumnen "Utfall period" saknas i tabellen Ekonomi; den verkar ha tagits bort. Lägg '
            'tillbaka den med rubriken "Utfall period" (högerklicka i tabellen ▸ Infoga ▸ Tabellkolumn '
            'till vänster) före kolumnen "Prognos helår", eller hämta en ny mall. Byt inte namn på '
            "någon annan kolumn."
        )
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["plan", "--namnd", "KS", "--ar", "2021", "--ut", "p.xls"],
        ["mall", "--forvaltning", "L", "--period", "2021-08-31", "--ut", "L.xls"],
    ],
)
def test_an_xlsx_is_never_written_under_another_name(
    command: list[str], tmp_path: Path, monkeypatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(command) == 2
    assert not (tmp_path / command[-1]).exists()
    assert capsys.readouterr().err == (
        f"Fel: Filen sparas alltid som Excel-arbetsbok (.xlsx), inte {command[-1]}. "
        "Ange ett filnamn som slutar på .xlsx.\n"
    )


def test_konsolidera_into_a_folder_is_refused_before_checking(
    demo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "exp"
    folder.mkdir()
    assert main(["konsolidera", str(demo.summary.parent / "mallar"), "--ut", f"{folder}/"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"Fel: --ut ska vara en fil som slutar på .xlsx, inte mappen {folder}. "
        f"Skriv t.ex. --ut {folder / 'Sammanställning.xlsx'}.\n"
    )


def test_messages_never_show_internal_names(tmp_path: Path, capsys: pytest.CaptureFixture[str], demo) -> None:
    from delar_xl.namnd.dispatch import DispatchRefused, read_previous_summary

    other = demo.templates[0]
    with pytest.raises(DispatchRefused) as refused:
        read_previous_summary(other)
    assert "AntalMal" not in str(refused.value) and "tabellen" not in str(refused.value)
    assert str(refused.value) == (
        f"{other.name} är ingen sammanställning från delar_xl. Ange förra periodens "
        "sammanställning (skriven av delar-xl konsolidera)."
    )


def test_the_reminder_does_not_send_a_controller_to_the_add_ins_button(demo, tmp_path: Path) -> None:
    from delar_xl.mail.reminders import compose_reminder, read_reminders
    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.summary import write_summary

    folder = tmp_path / "inkomna"
    folder.mkdir()
    for path in demo.templates[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    summary = write_summary(consolidate([folder], plan=demo.plan), tmp_path / "S.xlsx")
    facts, (reminder,) = read_reminders(summary)
    body = compose_reminder(reminder, facts, demo.prefilled[-1], None).body
    assert (
        "Fyll i de gula cellerna och skicka mallen till Ekonomistaben så snart som möjligt; Ekonomistaben "
        "kontrollerar den och hör av sig om något behöver rättas."
    ) in body
    assert "Har du Excel-tillägget delar_xl kan du kontrollera mallen själv först" in body


def test_kommun_terminal_says_unreported_and_never_an_amount_of_a_left_out_namnd(
    demo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from delar_xl.demo.kommun import write_kommun_demo
    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.summary import write_summary

    kommun = write_kommun_demo(tmp_path / "k")
    folder = tmp_path / "nämnder"
    folder.mkdir()
    for path in kommun.namnd_summaries[1:]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "Kopia.xlsx").write_bytes(kommun.namnd_summaries[1].read_bytes())  # one nämnd twice: left out
    write_summary(consolidate(demo.templates[:2], plan=demo.plan), folder / "KS.xlsx")  # 3 uppdrag unreported
    capsys.readouterr()
    main(["konsolidera", str(folder), "--ut", str(tmp_path / "K.xlsx")])
    lines = capsys.readouterr().out.splitlines()
    assert "  Uppdrag: 19 (verkställs 13, förskjuts 3, avbryts 0, ej rapporterade 3)" in lines
    assert "  OBS! Utbildningsnämnden (Kopia.xlsx) ingår inte: nämnden finns i flera sammanställningar." in lines
    assert not [line for line in lines if line.startswith("  Utbildningsnämnden")]


# Item 6: every row prints ------------------------------------------------------------------------


def test_no_table_sheet_has_a_fixed_print_area(demo, tmp_path: Path) -> None:
    """A plan written by `delar-xl plan` printed rows 1–9 of every table sheet: 8 budget rows printed 5.
    A table sheet has no print area, so Excel and LibreOffice print every row the table grows to."""
    import openpyxl

    blank = tmp_path / "Plan.xlsx"
    assert main(["plan", "--namnd", "Kommunstyrelsen", "--ar", "2021", "--ut", str(blank)]) == 0
    for path in (blank, demo.plan, demo.templates[0], demo.prefilled[0], demo.summary):
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            if ws.tables:
                assert not ws.print_area, (path.name, ws.title, ws.print_area)


# Item 7: the text check is consistent -------------------------------------------------------------


@pytest.mark.parametrize(
    "tail",
    [
        "",
        ", främst på grund av lägre kostnader inom HR-center",
        ", till följd av vakanser inom Ekonomiservice och lägre kostnader för möten",
    ],
)
def test_a_sentence_about_the_result_is_checked_whatever_follows(examples: list[Template], tail: str) -> None:
    from delar_xl.template.crosscheck import cross_check

    klf = examples[0]  # Avvikelse helår +12,8 mnkr
    wrong = with_meta(klf, sammanfattning=f"Förvaltningen prognostiserar ett överskott på 9,9 mnkr för helåret{tail}.")
    right = with_meta(klf, sammanfattning=f"Förvaltningen prognostiserar ett överskott på 12,8 mnkr för helåret{tail}.")
    assert [(f.code, f.message) for f in cross_check(wrong)] == [
        (
            "text-belopp-avviker",
            "Sammanfattningen nämner ett överskott på 9,9 mnkr, men tabellen Ekonomi ger +12,8 mnkr.",
        )
    ]
    assert cross_check(right) == []


def test_a_sign_about_the_result_is_checked_whatever_follows(examples: list[Template]) -> None:
    from delar_xl.template.crosscheck import cross_check

    klf = examples[0]
    wrong = with_meta(
        klf, sammanfattning="Förvaltningen prognostiserar ett underskott för helåret, främst inom HR-center."
    )
    assert [f.code for f in cross_check(wrong)] == ["text-tecken-avviker"]


def test_the_mail_total_says_whose_it_lacks(demo, tmp_path: Path) -> None:
    from delar_xl import mail
    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.summary import write_summary

    summary = write_summary(consolidate(demo.templates[:2], plan=demo.plan), tmp_path / "S.xlsx")
    message, _ = mail.compose(summary, ["ekonomistaben@example.se"], None)
    assert "- Totalt, utan Leanlink: +21,0 mnkr (överskott)" in message.body.splitlines()


def test_kommun_level_never_decides_a_tie_of_periods_either(
    demo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two nämnders' summaries on two periods, one each: the later one won silently one level up too."""
    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.summary import write_summary

    folder = tmp_path / "nämnder"
    folder.mkdir()
    templates = tmp_path / "sep"
    templates.mkdir()
    from delar_xl.demo.namnd import example_templates

    for i, t in enumerate(example_templates()):
        write_template(templates / f"{i}.xlsx", with_meta(t, namnd="Socialnämnden", periodslut=SEP))
    write_summary(consolidate([templates]), folder / "Soc.xlsx")
    (folder / "KS.xlsx").write_bytes(demo.summary.read_bytes())
    out_file = tmp_path / "K.xlsx"
    assert main(["konsolidera", str(folder), "--ut", str(out_file)]) == 2
    captured = capsys.readouterr()
    assert not out_file.exists()
    assert (
        "Fel: Sammanställningarna avser olika perioder, lika många var: 2021-08-31 (KS.xlsx) och 2021-09-30 "
        "(Soc.xlsx). Ange vilken period som sammanställs med --period ÅÅÅÅ-MM-DD, t.ex. --period 2021-09-30."
    ) in captured.out
    assert "Lägg till --period ÅÅÅÅ-MM-DD" in captured.err
    assert main(["konsolidera", str(folder), "--period", "2021-08-31", "--ut", str(out_file)]) == 1
    out = capsys.readouterr().out
    assert out_file.exists()
    assert (
        "Soc.xlsx, blad Sammanställning, cell B7: Fel: Sammanställningen avser delårsrapport per 2021-09-30, "
        "men sammanställningen avser perioden 2021-08-31 (--period)."
    ) in out


def test_the_add_in_refuses_a_tie_of_periods(two_periods: Path) -> None:
    from delar_xl.excel.ribbon import consolidate_templates
    from delar_xl.findings import DelarXlError

    with pytest.raises(DelarXlError) as refused:
        consolidate_templates(two_periods)
    assert str(refused.value) == (
        f"Filerna i mappen {two_periods} avser olika perioder, lika många var (2021-08-31: "
        "aug.xlsx; 2021-09-30: sep.xlsx). Flytta filerna för den period som inte ska "
        "sammanställas till en annan mapp."
    )


# Item 3 at the kommun level: a kommun total over part of the nämnder says so ------------------------


def _namnd_summary(folder: Path, templates: list[Template], file: str) -> Path:
    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.summary import write_summary

    source = folder.parent / f"mallar {file}"
    source.mkdir()
    for i, t in enumerate(templates):
        write_template(source / f"{i}.xlsx", t)
    return write_summary(consolidate([source]), folder / file)


@pytest.fixture
def kommun_partly_previous(examples: list[Template], tmp_path: Path) -> Path:
    """Kommunstyrelsen's föregående prognos lacks one row (its own total is a delsumma), Utbildningsnämnden
    has none, Äldrenämnden has all, and Kulturnämnden (another period) is left out."""
    from delar_xl.demo.kommun import example_namnder

    folder = tmp_path / "nämnder"
    folder.mkdir()
    klf, vos, ll = examples
    klf = replace(klf, economy=[replace(r, previous_forecast=None) if r.key == "KLF-06" else r for r in klf.economy])
    _namnd_summary(folder, [klf, vos, ll], "1 KS.xlsx")
    utbildning, aldre = example_namnder()
    _namnd_summary(
        folder,
        [replace(utbildning, economy=[replace(r, previous_forecast=None) for r in utbildning.economy])],
        "2 UBN.xlsx",
    )
    _namnd_summary(folder, [aldre], "3 AEN.xlsx")
    kultur = with_meta(aldre, namnd="Kulturnämnden", forvaltning="Kulturförvaltningen", periodslut=date(2021, 4, 30))
    _namnd_summary(folder, [kultur], "4 KN.xlsx")
    return folder


KOMMUN_WHOSE = "Kommunstyrelsen (15 av 16 verksamheter) och Äldrenämnden"
KOMMUN_PARTIAL_SENTENCE = (
    f"Jämfört med föregående prognos har helårsprognosen för {KOMMUN_WHOSE} förbättrats med "
    "21,7 mnkr. Utbildningsnämnden har ingen föregående prognos och ingår inte i jämförelsen."
)
KOMMUN_PARTIAL_NOTE = (
    f"Föregående prognos och Prognosförändring är delsummor: de avser bara {KOMMUN_WHOSE}. "
    "Utbildningsnämnden saknar föregående prognos. Kulturnämnden ingår inte i sammanställningen."
)


def test_a_kommun_change_over_part_of_the_nämnder_says_whose_it_is(
    kommun_partly_previous: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import docx
    import openpyxl

    from delar_xl import mail

    summary, word = tmp_path / "K.xlsx", tmp_path / "K.docx"
    main(["konsolidera", str(kommun_partly_previous), "--ut", str(summary), "--word", str(word), "--text"])
    out = capsys.readouterr().out
    assert (
        f"  Prognosförändring: +21,7 mnkr (delsumma: bara {KOMMUN_WHOSE}; Utbildningsnämnden saknar föregående "
        "prognos; Kulturnämnden ingår inte)"
    ) in out.splitlines()
    assert KOMMUN_PARTIAL_SENTENCE in out  # the text
    assert "nämndernas samlade helårsprognos" not in out
    wb = openpyxl.load_workbook(summary)
    ws = wb["Sammanställning"]
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "Föregående prognos (mnkr), delsumma" in labels and "Prognosförändring (mnkr), delsumma" in labels
    assert labels.count(KOMMUN_PARTIAL_NOTE) == 2  # under the key figures and under Per nämnd
    ((sheet, ref),) = list(wb.defined_names["PrognosforandringTotal"].destinations)
    assert wb[sheet][ref.replace("$", "")].value == pytest.approx(21.657, abs=1e-9)
    assert KOMMUN_PARTIAL_SENTENCE in [ws.cell(r, 1).value for r in range(1, 80) for ws in [wb["Text"]]]
    assert KOMMUN_PARTIAL_SENTENCE in [p.text for p in docx.Document(str(word)).paragraphs]
    message, _ = mail.compose(summary, ["ekonomistaben@example.se"], None)
    # the e-mail shows no föregående prognos or change: nothing there to label
    assert "öregående" not in message.body and "förändring" not in message.body


def test_a_kommun_change_over_every_nämnd_is_the_nämnders(
    demo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    from delar_xl.demo.kommun import write_kommun_demo

    kommun = write_kommun_demo(tmp_path / "k")
    capsys.readouterr()
    summary = tmp_path / "K.xlsx"
    main(["konsolidera", str(kommun.namnd_summaries[0].parent), "--ut", str(summary), "--text"])
    out = capsys.readouterr().out
    assert "  Prognosförändring: +21,4 mnkr" in out.splitlines()
    assert "Jämfört med föregående prognos har nämndernas samlade helårsprognos förbättrats med 21,4 mnkr." in out
    assert "delsumma" not in out
    ws = openpyxl.load_workbook(summary)["Sammanställning"]
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "Prognosförändring (mnkr)" in labels and not [v for v in labels if v and "delsumma" in str(v)]


def test_a_kommun_of_one_nämnd_names_it(demo, tmp_path: Path) -> None:
    from delar_xl.kommun.consolidate import consolidate_kommun
    from delar_xl.kommun.text import forecast_change_sentence

    folder = tmp_path / "nämnder"
    folder.mkdir()
    (folder / "KS.xlsx").write_bytes(demo.summary.read_bytes())
    assert forecast_change_sentence(consolidate_kommun([folder])) == (
        "Jämfört med föregående prognos har helårsprognosen för Kommunstyrelsen förbättrats med 19,1 mnkr."
    )
