"""Reminders (`delar-xl skicka --paminnelse`): one per missing förvaltning, to the plan's E-post,
with its template attached; sent to a real aiosmtpd server or written as .eml drafts."""

from __future__ import annotations

import os
import sys
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from plans import example_plan
from smtp_server import smtp_server

from delar_xl.cli import main
from delar_xl.demo.namnd import example_templates
from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.summary import write_summary
from delar_xl.template.write import write_template

FROM = "Ekonomistaben <ekonomistaben@example.se>"
LEANLINK_FILE = "Bilaga 6 – Delårsrapport Leanlink 2021-08-31.xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("DELAR_XL_"):
            monkeypatch.delenv(key)
    monkeypatch.delenv("APPDATA", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setitem(sys.modules, "keyring", None)


@pytest.fixture
def cycle(tmp_path: Path) -> tuple[Path, Path]:
    """Two of three templates returned and consolidated with the plan; Leanlink's sent-out one in utskick/."""
    klf, vos, leanlink = example_templates()
    returned = tmp_path / "inkomna"
    returned.mkdir()
    for i, t in enumerate((klf, vos), 1):
        write_template(returned / f"Bilaga {i} – {t.meta.forvaltning}.xlsx", t)
    sent_out = tmp_path / "utskick"
    sent_out.mkdir()
    write_template(sent_out / LEANLINK_FILE, leanlink)
    summary = write_summary(consolidate([returned], plan=example_plan()), tmp_path / "Sammanställning.xlsx")
    return summary, sent_out


def parse(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


def test_reminder_sent_over_smtp_to_the_plans_address(cycle, capsys) -> None:
    summary, sent_out = cycle
    with smtp_server() as server:
        code = main(
            [
                "skicka",
                "--paminnelse",
                str(summary),
                "--smtp",
                server.address,
                "--fran",
                FROM,
                "--mallar",
                str(sent_out),
            ]
        )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert out.out.splitlines() == [
        f"Leanlink: påminnelse skickad till leanlink@example.se med {LEANLINK_FILE} bifogad.",
        "Påminnelsen skickades.",  # one reminder: the singular
    ]
    (received,) = server.handler.messages
    assert received.rcpt_tos == ["leanlink@example.se"]
    msg = parse(received.content)
    assert msg["Subject"] == "Påminnelse: Delårsrapport per den 31 augusti 2021 – Leanlink"
    body = msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith(
        "Hej!\n\nEkonomistaben har ännu inte fått Leanlinks delårsrapport per den 31 augusti 2021 till "
        "kommunstyrelsen (bilaga 6). Sammanställningen är ofullständig tills den kommer in.\n"
    )
    (part,) = list(msg.iter_attachments())
    assert (part.get_content_type(), part.get_filename()) == (XLSX_TYPE, LEANLINK_FILE)
    assert part.get_content() == (sent_out / LEANLINK_FILE).read_bytes()


def test_reminders_written_as_eml_drafts(cycle, tmp_path: Path, capsys) -> None:
    summary, sent_out = cycle
    drafts = tmp_path / "utkast"
    assert main(["skicka", "--paminnelse", str(summary), "--eml", str(drafts), "--mallar", str(sent_out)]) == 0
    (draft,) = sorted(drafts.iterdir())
    assert draft.name == "Påminnelse Leanlink.eml"
    msg = parse(draft.read_bytes())
    assert msg["X-Unsent"] == "1" and msg["To"] == "leanlink@example.se"
    assert [p.get_filename() for p in msg.iter_attachments()] == [LEANLINK_FILE]
    assert capsys.readouterr().out.endswith("Påminnelsen sparades som utkast.\n")


def test_template_not_found_is_reported_and_exit_1(cycle, tmp_path: Path, capsys) -> None:
    summary, _ = cycle
    with smtp_server() as server:
        code = main(["skicka", "--paminnelse", str(summary), "--smtp", server.address, "--fran", FROM])
    assert code == 1
    assert server.handler.messages == []
    err = capsys.readouterr().err
    assert f'Leanlink: ingen påminnelse, mallen "{LEANLINK_FILE}" finns inte i {tmp_path / "inkomna"}.' in err


def test_nobody_missing_no_reminders(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "alla"
    folder.mkdir()
    for i, t in enumerate(example_templates(), 1):
        write_template(folder / f"{i}.xlsx", t)
    summary = write_summary(consolidate([folder], plan=example_plan()), tmp_path / "S.xlsx")
    assert main(["skicka", "--paminnelse", str(summary), "--eml", str(tmp_path / "utkast")]) == 0
    assert capsys.readouterr().out == "Alla förvaltningar i planen har lämnat in: inga påminnelser behövs.\n"


def test_no_server_exit_2(cycle, capsys) -> None:
    summary, sent_out = cycle
    assert main(["skicka", "--paminnelse", str(summary), "--fran", FROM, "--mallar", str(sent_out)]) == 2
    assert "Ingen e-postserver är angiven" in capsys.readouterr().err


def test_till_is_refused_with_paminnelse(cycle, capsys) -> None:
    summary, _ = cycle
    assert main(["skicka", "--paminnelse", str(summary), "--till", "x@example.se"]) == 2
    assert "påminnelserna går till planens E-post" in capsys.readouterr().err


def test_summary_made_without_a_plan_is_refused(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "mallar"
    folder.mkdir()
    write_template(folder / "1.xlsx", example_templates()[0])
    summary = write_summary(consolidate([folder]), tmp_path / "S.xlsx")
    assert main(["skicka", "--paminnelse", str(summary), "--eml", str(tmp_path / "utkast")]) == 2
    assert "Sammanställningen är gjord utan plan" in capsys.readouterr().err
    assert not (tmp_path / "utkast").exists()
