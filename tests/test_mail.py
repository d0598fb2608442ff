"""`delar-xl skicka` and the add-in's offer to email the summary, against a real SMTP server."""

from __future__ import annotations

import dataclasses
import datetime
import os
import shutil
import sys
import types
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import xlsxwriter
from smtp_server import free_port, smtp_server

from delar_xl import mail
from delar_xl.demo.namnd import example_templates, write_demo, write_examples
from delar_xl.mail import MailSettings, cli_send, offer_send, read_headline
from delar_xl.namnd.consolidate import consolidate
from delar_xl.namnd.summary import write_summary
from delar_xl.template.write import write_template

SUBJECT = "Delårsrapport per den 31 augusti 2021 – Kommunstyrelsen"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FROM = "Kommunledningsförvaltningen <klf.ekonomi@example.se>"
TO = "ekonomistaben@example.se"
ATTACHMENT_NAME = "Sammanställning delårsrapport 2021-08-31.xlsx"


# Summaries. -------------------------------------------------------------------------------


def contract_summary(path: Path, *, errors: int = 0) -> Path:
    """A small summary shaped like contract §2, with the 2021 figures (stand-in for the real one)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    sheet = wb.add_worksheet("Översikt")
    cells = {
        "Rapport": "Delårsrapport",
        "Namnd": "Kommunstyrelsen",
        "Periodslut": datetime.date(2021, 8, 31),
        "AntalMal": 18,
        "MalHelt": 8,
        "MalDelvis": 10,
        "MalInte": 0,
        "MalEjBedomt": 0,
        "AntalUppdrag": 18,
        "UppdragVerkstalls": 15,
        "UppdragForskjuts": 3,
        "UppdragAvbryts": 0,
        "BudgetTotal": -1000.0,
        "PrognosTotal": -956.9,
        "AvvikelseTotal": 43.1,
        "AntalFel": errors,
        "AntalVarningar": 2,
    }
    for row, (name, value) in enumerate(cells.items(), start=2):
        sheet.write_string(row, 0, name)
        if isinstance(value, datetime.date):
            sheet.write_datetime(row, 1, datetime.datetime.combine(value, datetime.time()), date_format)
        elif isinstance(value, str):
            sheet.write_string(row, 1, value)
        else:
            sheet.write_number(row, 1, value)
        wb.define_name(name, f"='Översikt'!$B${row + 1}")
    units = [
        ["Kommunledningsförvaltningen", -400.0, -387.2, 12.8, "OK"],
        ["Verksamhetsstöd och service", -300.0, -291.8, 8.2, "OK"],
        ["Leanlink", -300.0, -277.9, 22.1, "Fel: ingår inte i totalerna" if errors else "OK"],
    ]
    table = wb.add_worksheet("Förvaltningar")
    headers = ["Förvaltning", "Budget helår", "Prognos helår", "Avvikelse helår", "Status"]
    table.add_table(
        0,
        0,
        len(units),
        len(headers) - 1,
        {"name": "Forvaltningar", "columns": [{"header": h} for h in headers], "data": units},
    )
    check = wb.add_worksheet("Kontroll")
    rows = [["Fel", "leanlink.xlsx", "Ekonomi", "C7", "Beloppet saknas."]] * errors
    rows += [["Varning", "klf.xlsx", "Ekonomi", "C9", "Kommentar saknas."]] * 2
    check.add_table(
        0,
        0,
        len(rows),
        4,
        {
            "name": "Kontroll",
            "data": rows,
            "columns": [{"header": h} for h in ["Allvarlighet", "Fil", "Blad", "Cell", "Meddelande"]],
        },
    )
    wb.close()
    return path


def make_summary(folder: Path) -> Path:
    """THE summary the tests send: the real one `delar-xl demo` writes (contract §2)."""
    return write_demo(folder).summary


def make_summary_with_error(folder: Path) -> Path:
    """A real summary where Leanlink's template has one `Fel` (an unknown Bedömning)."""
    templates = write_examples(folder / "mallar")
    leanlink = next(t for t in example_templates() if t.meta.forvaltning == "Leanlink")
    goals = [dataclasses.replace(leanlink.goals[0], assessment="Kanske"), *leanlink.goals[1:]]
    path = next(p for p in templates if "Leanlink" in p.name)
    write_template(path, dataclasses.replace(leanlink, goals=goals))
    return write_summary(consolidate([folder / "mallar"]), folder / "sammanställning.xlsx")


@pytest.fixture(scope="session")
def summaries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Written once per session (consolidation takes a moment); tests get copies."""
    root = tmp_path_factory.mktemp("summaries")
    return {"ok": make_summary(root / "ok"), "fel": make_summary_with_error(root / "fel")}


def _copy(source: Path, folder: Path) -> Path:
    """A copy under a name with Swedish characters (the attachment name), alone in its folder."""
    folder.mkdir()
    target = folder / ATTACHMENT_NAME
    shutil.copyfile(source, target)
    return target


@pytest.fixture
def summary(tmp_path: Path, summaries: dict[str, Path]) -> Path:
    return _copy(summaries["ok"], tmp_path / "ut")


@pytest.fixture
def summary_with_errors(tmp_path: Path, summaries: dict[str, Path]) -> Path:
    return _copy(summaries["fel"], tmp_path / "fel")


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No settings file and no DELAR_XL_* variables from the machine running the tests."""
    for key in list(os.environ):
        if key.startswith("DELAR_XL_"):
            monkeypatch.delenv(key)
    monkeypatch.delenv("APPDATA", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home)
    monkeypatch.setitem(sys.modules, "keyring", None)  # no real keyring; `import keyring` fails


def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "delar_xl.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("DELAR_XL_SETTINGS", str(path))
    return path


def parse(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


def attachment_of(message) -> tuple[str, str, bytes]:
    (part,) = list(message.iter_attachments())
    return part.get_content_type(), part.get_filename(), part.get_content()


def send(summary: Path, *, to=(TO,), sender=FROM, smtp=None, eml=None, despite_errors=False) -> int:
    return cli_send(summary, list(to), sender, smtp, eml, despite_errors)


# Reading the summary and composing the message. ----------------------------------------------


def test_read_headline_figures(summary: Path) -> None:
    h = read_headline(summary)
    assert (h.report, h.board, h.period_end) == ("Delårsrapport", "Kommunstyrelsen", datetime.date(2021, 8, 31))
    assert sorted((u.name, round(u.deviation_mnkr, 1)) for u in h.units) == [
        ("Kommunledningsförvaltningen", 12.8),
        ("Leanlink", 22.1),
        ("Verksamhetsstöd och service", 8.2),
    ]
    assert round(h.deviation_total_mnkr, 1) == 43.1
    assert (h.goals, h.goals_full, h.goals_partly, h.goals_not, h.goals_unassessed) == (18, 8, 10, 0, 0)
    assert (h.assignments, h.assignments_done, h.assignments_postponed, h.assignments_cancelled) == (18, 15, 3, 0)
    assert h.errors == 0


def test_read_headline_needs_only_contract_names(tmp_path: Path) -> None:
    """Any workbook with the contract §2 names and tables will do, whatever its layout."""
    h = read_headline(contract_summary(tmp_path / "kontrakt.xlsx", errors=1))
    assert mail.subject_for(h) == SUBJECT
    assert (h.errors, h.warnings, h.goals_partly, h.assignments_postponed) == (1, 2, 10, 3)
    assert [u.status for u in h.units][-1] == "Fel: ingår inte i totalerna"


def test_subject_and_body(summary: Path) -> None:
    message, headline = mail.compose(summary, [TO], FROM)
    assert message.subject == SUBJECT
    assert "delårsrapporten för kommunstyrelsen per den 31 augusti 2021" in message.body
    for line in (
        "- Kommunledningsförvaltningen: +12,8 mnkr (överskott)",
        "- Verksamhetsstöd och service: +8,2 mnkr (överskott)",
        "- Leanlink: +22,1 mnkr (överskott)",
        "- Totalt: +43,1 mnkr (överskott)",
        "Nämndmål: 18 (uppnås helt 8, delvis 10, inte 0, ej bedömt 0).",
        "Strategiska uppdrag: 18 (verkställs vid årets slut 15, förskjuts 3, avbryts 0).",  # Verkställt + under året
    ):
        assert line in message.body.splitlines()
    assert "Kontroll: 0 fel" in message.body
    assert "OBS" not in message.body


def test_deviation_text_uses_true_minus() -> None:
    from delar_xl.mail.compose import _deviation_text  # a private helper, in compose.py since the split

    assert _deviation_text(-3.44) == "\u22123,4 mnkr (underskott)"
    assert _deviation_text(0.01) == "+0,0 mnkr"
    assert _deviation_text(None) == "–"


def test_subject_for_verksamhetsberattelse() -> None:
    h = mail.Headline(report="Verksamhetsberättelse", board="Kommunstyrelsen", period_end=datetime.date(2021, 12, 31))
    assert mail.subject_for(h) == "Verksamhetsberättelse per den 31 december 2021 – Kommunstyrelsen"
    assert "av verksamhetsberättelsen för kommunstyrelsen" in mail.body_for(h, "x.xlsx")


def test_not_a_summary_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "inte.xlsx"
    fake.write_text("a;b;c\n", encoding="utf-8")
    assert send(fake, smtp=f"127.0.0.1:{free_port()}") == 2
    assert "inte en Excel-arbetsbok" in capsys.readouterr().err


def test_template_is_not_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = write_examples(tmp_path / "mallar")[0]
    assert send(template, eml=tmp_path / "x.eml") == 2
    assert "Filen är ingen sammanställning från delar_xl" in capsys.readouterr().err
    assert not (tmp_path / "x.eml").exists()


def test_line_breaks_in_cells_never_reach_headers() -> None:
    h = mail.Headline(board="Kommun-\r\nstyrelsen\nBcc: x@example.se", period_end=datetime.date(2021, 8, 31))
    subject = mail.subject_for(h)
    assert "\n" not in subject and "\r" not in subject
    message = mail.build_message(mail.Mail(subject, "x", (TO,), None, "a.xlsx", b"PK"))
    assert "Bcc" not in message


# Sending over SMTP. -------------------------------------------------------------------------


def test_send_plain_smtp(summary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server() as server:
        assert send(summary, smtp=server.address) == 0
    assert "skickades till ekonomistaben@example.se" in capsys.readouterr().out
    (received,) = server.handler.messages
    assert received.mail_from == "klf.ekonomi@example.se"
    assert received.rcpt_tos == [TO]
    msg = parse(received.content)
    assert msg["Subject"] == SUBJECT
    assert msg["From"] == FROM
    assert msg["To"] == TO
    assert msg["Message-ID"].endswith("@example.se>")
    assert abs(parsedate_to_datetime(msg["Date"]) - datetime.datetime.now(datetime.UTC)).total_seconds() < 60
    assert "X-Unsent" not in msg
    assert received.content.isascii()  # every header and part encoded: no 8BITMIME/SMTPUTF8 needed
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert "- Totalt: +43,1 mnkr (överskott)" in body
    content_type, filename, data = attachment_of(msg)
    assert (content_type, filename) == (XLSX_TYPE, ATTACHMENT_NAME)
    assert data == summary.read_bytes()
    assert b"filename*=utf-8''Sammanst%C3%A4llning%20del%C3%A5rsrapport" in received.content
    assert not summary.with_suffix(".eml").exists()


def test_command_line_skicka(summary_with_errors: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real `delar-xl skicka` arguments reach `cli_send`; exit codes as in contract §3."""
    from delar_xl.cli import main

    with smtp_server() as server:
        args = ["skicka", str(summary_with_errors), "--till", TO, "--fran", FROM, "--smtp", server.address]
        assert main(args) == 1
        assert server.handler.messages == []
        assert main([*args, "--trots-fel"]) == 0
    assert len(server.handler.messages) == 1
    assert "skickades till" in capsys.readouterr().out


def test_send_starttls_with_login(tmp_path: Path, summary: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_server(tmp_path, users={"klf": "hemligt ord"}) as server:
        settings_file(
            tmp_path,
            monkeypatch,
            f"""
[epost]
smtp = "{server.address}"
sakerhet = "starttls"
anvandare = "klf"
ca_fil = "{server.cert.as_posix()}"
fran = "{FROM}"
till = ["{TO}", "Controller <controller@example.se>"]
""",
        )
        monkeypatch.setenv("DELAR_XL_SMTP_LOSENORD", "hemligt ord")
        assert cli_send(summary, [], None, None, None, False) == 0
    (received,) = server.handler.messages
    assert (received.login, received.tls) == ("klf", True)
    assert received.rcpt_tos == [TO, "controller@example.se"]
    msg = parse(received.content)
    assert msg["Subject"] == SUBJECT
    assert attachment_of(msg)[2] == summary.read_bytes()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_send_implicit_tls_with_login(tmp_path: Path, summary: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_server(tmp_path, users={"klf": "lösen"}, implicit_tls=True) as server:
        monkeypatch.setenv("DELAR_XL_SMTP_SAKERHET", "ssl")
        monkeypatch.setenv("DELAR_XL_SMTP_CA", str(server.cert))
        monkeypatch.setenv("DELAR_XL_SMTP_ANVANDARE", "klf")
        monkeypatch.setenv("DELAR_XL_SMTP_LOSENORD", "lösen")  # non-ASCII: AUTH PLAIN in UTF-8
        assert send(summary, smtp=server.address) == 0
    (received,) = server.handler.messages
    assert (received.login, received.tls) == ("klf", True)


def test_password_from_keyring(tmp_path: Path, summary: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = []

    def get_password(service: str, user: str) -> str:
        asked.append((service, user))
        return "från nyckelringen"

    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(get_password=get_password))
    with smtp_server(tmp_path, users={"klf": "från nyckelringen"}) as server:
        monkeypatch.setenv("DELAR_XL_SMTP", server.address)
        monkeypatch.setenv("DELAR_XL_SMTP_SAKERHET", "starttls")
        monkeypatch.setenv("DELAR_XL_SMTP_CA", str(server.cert))
        monkeypatch.setenv("DELAR_XL_SMTP_ANVANDARE", "klf")
        assert send(summary) == 0
    assert asked == [("delar_xl", "klf")]
    assert len(server.handler.messages) == 1


def test_login_refused(tmp_path: Path, summary: Path, monkeypatch, capsys) -> None:
    with smtp_server(tmp_path, users={"klf": "rätt"}) as server:
        monkeypatch.setenv("DELAR_XL_SMTP_SAKERHET", "starttls")
        monkeypatch.setenv("DELAR_XL_SMTP_CA", str(server.cert))
        monkeypatch.setenv("DELAR_XL_SMTP_ANVANDARE", "klf")
        monkeypatch.setenv("DELAR_XL_SMTP_LOSENORD", "fel")
        assert send(summary, smtp=server.address) == 2
    err = capsys.readouterr().err
    assert "godtog inte inloggningen för klf" in err
    assert "Inget skickades" in err
    assert "fel" not in err.split("klf", 1)[0]  # the password is never printed
    assert server.handler.messages == []
    assert_fallback_draft(summary, err)


def test_port_closed(summary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    assert send(summary, smtp=f"127.0.0.1:{port}") == 2
    err = capsys.readouterr().err
    assert f"Kunde inte ansluta till e-postservern 127.0.0.1:{port}" in err
    assert "anslutningen nekades" in err
    assert_fallback_draft(summary, err)


def test_recipient_refused_sends_to_nobody(summary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = "finns.inte@example.se"
    with smtp_server(refuse=frozenset({bad})) as server:
        assert send(summary, to=[TO, bad], smtp=server.address) == 2
    err = capsys.readouterr().err
    assert f"tog inte emot mottagaren {bad} (svar 550" in err
    assert "inte heller till de andra mottagarna" in err
    assert server.handler.rcpt_seen == [TO, bad]
    assert server.handler.messages == []
    assert_fallback_draft(summary, err)


def test_untrusted_certificate(tmp_path: Path, summary: Path, monkeypatch, capsys) -> None:
    with smtp_server(tmp_path, users={"klf": "x"}) as server:
        monkeypatch.setenv("DELAR_XL_SMTP_SAKERHET", "starttls")
        monkeypatch.setenv("DELAR_XL_SMTP_ANVANDARE", "klf")
        monkeypatch.setenv("DELAR_XL_SMTP_LOSENORD", "x")
        assert send(summary, smtp=server.address) == 2
    assert "krypterade förbindelsen" in capsys.readouterr().err
    assert server.handler.messages == []


def test_login_requires_encryption(summary: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DELAR_XL_SMTP_ANVANDARE", "klf")
    monkeypatch.setenv("DELAR_XL_SMTP_LOSENORD", "x")
    with smtp_server() as server:
        assert send(summary, smtp=server.address) == 2
    assert "Inloggning utan kryptering" in capsys.readouterr().err
    assert server.handler.messages == []


def assert_fallback_draft(summary: Path, err: str) -> None:
    draft = summary.with_suffix(".eml")
    assert f"sparades i stället som utkast: {draft}" in err
    msg = parse(draft.read_bytes())
    assert msg["X-Unsent"] == "1"
    assert attachment_of(msg)[2] == summary.read_bytes()


# Drafts. ----------------------------------------------------------------------------------


def test_eml_draft_round_trips(tmp_path: Path, summary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "utkast" / "till ekonomistaben.eml"
    assert send(summary, sender=None, eml=target) == 0
    assert str(target) in capsys.readouterr().out
    raw = target.read_bytes()
    msg = parse(raw)
    assert msg["X-Unsent"] == "1"
    assert msg["Subject"] == SUBJECT
    assert msg["To"] == TO
    assert "From" not in msg  # Outlook fills in the user's own account
    assert msg["Date"] and msg["Message-ID"]
    assert msg["Content-Language"] == "sv-SE"
    assert attachment_of(msg) == (XLSX_TYPE, ATTACHMENT_NAME, summary.read_bytes())
    assert b"\r\n" in raw and raw.isascii()
    again = parse(msg.as_bytes(policy=policy.SMTP))  # parse → write → parse keeps it intact
    assert attachment_of(again)[2] == summary.read_bytes()
    assert again["Subject"] == SUBJECT


def test_eml_and_smtp_together_refused(tmp_path: Path, summary: Path, capsys) -> None:
    assert send(summary, smtp="127.0.0.1:25", eml=tmp_path / "x.eml") == 2
    assert "antingen --eml eller --smtp" in capsys.readouterr().err


# A summary with Fel. ----------------------------------------------------------------------


def test_summary_with_errors_is_not_sent(summary_with_errors: Path, capsys) -> None:
    with smtp_server() as server:
        assert send(summary_with_errors, smtp=server.address) == 1
    err = capsys.readouterr().err
    assert "Sammanställningen har ett fel (se bladet Kontroll) och skickas inte." in err
    assert "--trots-fel" in err
    assert server.handler.messages == []
    assert not summary_with_errors.with_suffix(".eml").exists()


def test_summary_with_errors_sent_despite(summary_with_errors: Path) -> None:
    with smtp_server() as server:
        assert send(summary_with_errors, smtp=server.address, despite_errors=True) == 0
    body = parse(server.handler.messages[0].content).get_body(preferencelist=("plain",)).get_content()
    assert "OBS! Kontrollen hittade ett fel (se bladet Kontroll)" in body
    assert "ofullständiga" in body
    (leanlink,) = [line for line in body.splitlines() if line.startswith("- Leanlink: +22,1 mnkr (överskott) – ")]
    status = read_headline(summary_with_errors).units
    assert leanlink.endswith(next(u.status for u in status if u.name == "Leanlink"))
    assert "- Totalt, utan förvaltningar med fel: +21,0 mnkr (överskott)" in body.splitlines()
    assert "Kontroll: ett fel och 0 varningar." in body


# Settings. --------------------------------------------------------------------------------


def test_settings_environment_beats_file_arguments_beat_both(tmp_path, monkeypatch) -> None:
    settings_file(
        tmp_path,
        monkeypatch,
        """
[epost]
smtp = "smtp.fil.example.se"
fran = "fil@example.se"
till = "a@example.se; b@example.se"
""",
    )
    config = mail.mail_settings()
    assert (config.host, config.port, config.effective_security) == ("smtp.fil.example.se", 587, "starttls")
    assert config.to == ("a@example.se", "b@example.se")
    monkeypatch.setenv("DELAR_XL_SMTP", "smtp.env.example.se:465")
    monkeypatch.setenv("DELAR_XL_TILL", "env@example.se")
    config = mail.mail_settings()
    assert (config.host, config.port, config.effective_security) == ("smtp.env.example.se", 465, "ssl")
    assert (config.sender, config.to) == ("fil@example.se", ("env@example.se",))
    config = mail.mail_settings(smtp="[::1]:2525", sender="arg@example.se", to=["x@example.se"])
    assert (config.host, config.port, config.sender, config.to) == ("::1", 2525, "arg@example.se", ("x@example.se",))


def test_password_in_settings_file_refused(tmp_path, summary, monkeypatch, capsys) -> None:
    settings_file(tmp_path, monkeypatch, '[epost]\nsmtp = "127.0.0.1:25"\nlosenord = "hemligt"\n')
    assert send(summary) == 2
    err = capsys.readouterr().err
    assert "Lösenord får inte stå i inställningsfilen" in err
    assert "hemligt" not in err


def test_password_never_in_repr(monkeypatch) -> None:
    monkeypatch.setenv("DELAR_XL_SMTP_LOSENORD", "hemligt")
    assert "hemligt" not in repr(mail.mail_settings(file_section={}))


@pytest.mark.parametrize("address", ["inte-en-adress", "a@b.se\r\nBcc: x@y.se", "a@example.se b@example.se"])
def test_invalid_address(summary: Path, address: str, capsys) -> None:
    assert send(summary, to=[address], smtp="127.0.0.1:25") == 2
    assert "Ogiltig e-postadress" in capsys.readouterr().err


def test_configured_eml_method_writes_draft_next_to_summary(tmp_path, summary, monkeypatch, capsys) -> None:
    settings_file(tmp_path, monkeypatch, f'[epost]\nmetod = "eml"\ntill = "{TO}"\n')
    assert cli_send(summary, [], None, None, None, False) == 0
    assert str(summary.with_suffix(".eml")) in capsys.readouterr().out
    assert parse(summary.with_suffix(".eml").read_bytes())["To"] == TO


def test_no_server_configured(summary: Path, capsys) -> None:
    assert send(summary) == 2
    err = capsys.readouterr().err
    assert "Ingen e-postserver är angiven" in err
    assert summary.with_suffix(".eml").exists()


# The add-in's offer. ----------------------------------------------------------------------


class FakeUI:
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.questions: list[str] = []
        self.alerts: list[str] = []

    def alert(self, message: str) -> None:
        self.alerts.append(message)

    def confirm(self, question: str) -> bool:
        self.questions.append(question)
        return self.answer


def test_offer_send_declined(summary: Path) -> None:
    ui = FakeUI(False)
    with smtp_server() as server:
        offer_send(summary, ui, config=MailSettings(host=server.host, port=server.port, sender=FROM, to=(TO,)))
    assert ui.questions == [f"Vill du skicka sammanställningen till Ekonomistaben ({TO}) med e-post?"]
    assert ui.alerts == [] and server.handler.messages == []


def test_offer_send_by_smtp_from_settings(tmp_path: Path, summary: Path, monkeypatch) -> None:
    ui = FakeUI(True)
    with smtp_server() as server:
        settings_file(tmp_path, monkeypatch, f'[epost]\nsmtp = "{server.address}"\nfran = "{FROM}"\ntill = ["{TO}"]\n')
        offer_send(summary, ui)
    assert ui.alerts == [f"Sammanställningen skickades till {TO} via {server.address}."]
    assert attachment_of(parse(server.handler.messages[0].content))[2] == summary.read_bytes()


def test_offer_send_failure_leaves_draft(summary: Path) -> None:
    ui = FakeUI(True)
    offer_send(summary, ui, config=MailSettings(host="127.0.0.1", port=free_port(), sender=FROM, to=(TO,)))
    (alert,) = ui.alerts
    assert "Kunde inte ansluta" in alert and str(summary.with_suffix(".eml")) in alert
    assert parse(summary.with_suffix(".eml").read_bytes())["X-Unsent"] == "1"


def test_offer_send_eml_when_no_server(summary: Path) -> None:
    ui = FakeUI(True)
    offer_send(summary, ui, config=MailSettings(to=(TO,)))
    assert "Ett utkast sparas bredvid sammanställningen." in ui.questions[0]
    assert str(summary.with_suffix(".eml")) in ui.alerts[0]


def test_offer_send_with_errors_asks_plainly(summary_with_errors: Path) -> None:
    ui = FakeUI(False)
    offer_send(summary_with_errors, ui, config=MailSettings(to=(TO,)))
    assert ui.questions[0].startswith("Sammanställningen har ett fel, och totalerna är ofullständiga.")


class FakeOutlook:
    """Stands in for Outlook's COM object model (the real one exists only on Windows)."""

    def __init__(self) -> None:
        self.items: list[types.SimpleNamespace] = []

    def CreateItem(self, kind: int):  # noqa: N802
        assert kind == 0
        item = types.SimpleNamespace(attached=[], displayed=None)
        item.Attachments = types.SimpleNamespace(Add=item.attached.append)
        item.Display = lambda modal: setattr(item, "displayed", modal)
        self.items.append(item)
        return item


def test_offer_send_outlook_draft(summary: Path, monkeypatch) -> None:
    outlook = FakeOutlook()
    client = types.SimpleNamespace(Dispatch=lambda prog_id: outlook if prog_id == "Outlook.Application" else None)
    monkeypatch.setitem(sys.modules, "win32com", types.SimpleNamespace(client=client))
    monkeypatch.setitem(sys.modules, "win32com.client", client)
    ui = FakeUI(True)
    offer_send(summary, ui, config=MailSettings(method="outlook", to=(TO, "b@example.se")))
    (item,) = outlook.items
    assert (item.Subject, item.To, item.displayed) == (SUBJECT, f"{TO}; b@example.se", False)
    assert item.attached == [str(summary.resolve())]
    assert "+43,1 mnkr" in item.Body
    assert "öppet i Outlook" in ui.alerts[0]


def test_offer_send_outlook_missing_falls_back_to_draft(summary: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "win32com", None)
    monkeypatch.setitem(sys.modules, "win32com.client", None)
    ui = FakeUI(True)
    offer_send(summary, ui, config=MailSettings(method="outlook", to=(TO,)))
    assert "Outlook kan bara användas på Windows" in ui.alerts[0]
    assert summary.with_suffix(".eml").exists()
