"""The command line: `delar-xl mall | plan | utskick | kontrollera | konsolidera | demo | skicka | installera |
avinstallera`.

Each command parses its arguments, calls the core and renders the outcome; exit codes follow
contract §3. Nothing heavy is imported before a command needs it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: the CLI imports what a command needs when it runs (a fast --help)
    from delar_xl.demo.kommun import KommunDemo
    from delar_xl.findings import Report
    from delar_xl.kommun.result import KommunResult
    from delar_xl.namnd.result import CheckResult, Result

EXIT_OK, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2

# argparse's own words, in Swedish. argparse looks its strings up through the module-level `_`.
_SWEDISH = {
    "usage: ": "Användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "show program's version number and exit": "visa versionen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "the following arguments are required: %s": "följande argument krävs: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "expected one argument": "väntade ett värde",
    "expected at least one argument": "väntade minst ett värde",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig flagga: %(option)s kan betyda %(matches)s",
    "unexpected option string: %s": "oväntad flagga: %s",
}
argparse._ = lambda text: _SWEDISH.get(text, text)  # type: ignore[attr-defined]
_ARGV: list[str] = []  # the arguments being parsed, for the usage error on a file name starting with "-"

DESCRIPTION = "delar_xl – delårsrapporter i Excel: mall, kontroll, sammanställning och e-post till Ekonomistaben."
EPILOG = """exempel:
  delar-xl demo --ut demo
  delar-xl mall --forvaltning Leanlink --period 2021-08-31 --ut Leanlink.xlsx
  delar-xl mall --finans --period 2021-08-31 --ut Finansförvaltningen.xlsx
  delar-xl plan --namnd Kommunstyrelsen --ar 2021 --ut Plan.xlsx
  delar-xl utskick Plan.xlsx --period 2021-08-31 --ut mallar/
  delar-xl kontrollera mallar/
  delar-xl konsolidera mallar/ --ut Sammanställning.xlsx --text --word Tjänsteskrivelse.docx
  delar-xl konsolidera mallar/ --ut Sammanställning.xlsx --rapport Delårsrapport.docx --pdf
  delar-xl skicka Sammanställning.xlsx --till ekonomistaben@example.se

slutstatus: 0 = inga fel, 1 = minst ett Fel i mallarna (eller utskick nekat), 2 = inget kunde göras."""


def _period(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" är inte ett datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2021-08-31') from None


def _year(text: str) -> int:
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    raise argparse.ArgumentTypeError(f'"{text}" är inte ett budgetår; skriv ÅÅÅÅ, t.ex. 2021')


def _formatter(prog: str) -> argparse.HelpFormatter:
    # A fixed width: the help must read the same in every terminal (the README quotes it).
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=28, width=100)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        dashed = self._dashed_file_name()
        if dashed is not None:  # argparse's own words would not say why the file "is missing"
            message = (
                f'"{dashed}" tolkas som en flagga eftersom det börjar med -. Är det ett filnamn, skriv '
                f"./{dashed} eller -- {dashed} (till exempel {self.prog} -- {dashed})."
            )
        self.exit(EXIT_FAILED, f"{self.prog}: fel: {message}\n")

    def _dashed_file_name(self) -> str | None:
        """The first argument that starts with "-" but is no option here and looks like a file name."""
        for token in _ARGV:
            if token == "--":
                return None
            if not token.startswith("-") or token == "-" or token.split("=", 1)[0] in self._option_string_actions:
                continue
            if "." in token or "/" in token or "\\" in token or Path(token).exists():
                return token
        return None


def build_parser() -> argparse.ArgumentParser:
    from delar_xl import __version__

    parser = _Parser(prog="delar-xl", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument(
        "--version", action="version", version=f"delar_xl {__version__}", help="visa versionen och avsluta"
    )
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", title="kommandon", parser_class=_Parser)

    p = sub.add_parser(
        "mall",
        help="skriv en tom mall för en förvaltning (eller finansförvaltningen) och period",
        description="Skriver en tom mall (.xlsx) för en förvaltning och period. Med --finans skrivs "
        "i stället finansförvaltningens underlag till kommunens resultatprognos och "
        "balanskravsutredning.",
    )
    p.add_argument("--forvaltning", metavar="NAMN", help="förvaltningens namn, t.ex. Leanlink (krävs utan --finans)")
    p.add_argument(
        "--finans",
        action="store_true",
        help="skriv finansförvaltningens underlag (skatteintäkter, statsbidrag, finansnetto, balanskrav)",
    )
    p.add_argument("--kommun", metavar="NAMN", help='med --finans: kommunens namn, t.ex. "Linköpings kommun"')
    p.add_argument("--period", required=True, type=_period, metavar="ÅÅÅÅ-MM-DD", help="periodslut, t.ex. 2021-08-31")
    p.add_argument("--ut", required=True, type=Path, metavar="FIL", help="filen som skrivs (.xlsx)")
    p.add_argument("--namnd", default="Kommunstyrelsen", metavar="NAMN", help="nämnd (standard: Kommunstyrelsen)")
    p.set_defaults(run=cmd_template)

    p = sub.add_parser(
        "plan",
        help="skriv en tom plan för en nämnd och ett budgetår",
        description="Skriver en tom plan (.xlsx): förvaltningar, nämndmål, uppdrag, budget, "
        "indikatorer och mottagare. Ekonomistaben fyller i den; utskick gör mallar av den.",
    )
    p.add_argument("--namnd", required=True, metavar="NAMN", help="nämndens namn, t.ex. Kommunstyrelsen")
    p.add_argument("--ar", required=True, type=_year, metavar="ÅÅÅÅ", help="budgetåret, t.ex. 2021")
    p.add_argument("--ut", required=True, type=Path, metavar="FIL", help="filen som skrivs (.xlsx)")
    p.set_defaults(run=cmd_plan)

    p = sub.add_parser(
        "utskick",
        help="skriv en förifylld mall per förvaltning ur planen",
        description="Kontrollerar planen och skriver en förifylld mall per förvaltning i MAPP "
        '("Bilaga N – Delårsrapport FÖRVALTNING ÅÅÅÅ-MM-DD.xlsx"). Befintliga mallar '
        "skrivs aldrig över. Slutstatus 0 = skrivna, 1 = planen har Fel (inget skrevs), "
        "2 = oanvändbar indata.",
    )
    p.add_argument("plan", type=Path, metavar="PLAN", help="planen (.xlsx)")
    p.add_argument("--period", required=True, type=_period, metavar="ÅÅÅÅ-MM-DD", help="periodslut, t.ex. 2021-08-31")
    p.add_argument("--ut", required=True, type=Path, metavar="MAPP", help="mappen där mallarna skrivs")
    p.add_argument(
        "--foregaende",
        type=Path,
        metavar="SAMMANSTÄLLNING",
        help="förra periodens sammanställning: fyller i Föregående prognos per Radnyckel",
    )
    p.add_argument("--tyst", action="store_true", help="visa bara Fel och Varning, inte Info")
    p.set_defaults(run=cmd_dispatch)

    p = sub.add_parser(
        "kontrollera",
        help="kontrollera ifyllda mallar (eller en plan) och visa alla fynd",
        description="Kontrollerar mallar och skriver varje fynd med fil, blad och cell. En plan "
        "kontrolleras som plan. Är alla filer nämndernas sammanställningar kontrolleras "
        "de som underlag för kommunens. "
        "Slutstatus 0 = inga fel, 1 = minst ett Fel, 2 = inget kunde läsas.",
    )
    p.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="FIL_ELLER_MAPP",
        help="mallar, planer eller mappar med mallar (eller med nämndernas sammanställningar)",
    )
    p.add_argument("--tyst", action="store_true", help="visa bara Fel och Varning, inte Info")
    _plan_option(p)
    _period_option(p)
    p.set_defaults(run=cmd_check)

    p = sub.add_parser(
        "konsolidera",
        help="kontrollera och sammanställ mallar till en arbetsbok",
        description="Kontrollerar mallarna och skriver sammanställningen. Är alla filer nämndernas "
        "sammanställningar skrivs kommunens sammanställning. Slutstatus 0 = inga fel, "
        "1 = sammanställningen skrevs men något saknas eller hade Fel, 2 = inget skrevs.",
    )
    p.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="FIL_ELLER_MAPP",
        help="mallar eller mappar med mallar (eller med nämndernas sammanställningar)",
    )
    p.add_argument("--ut", required=True, type=Path, metavar="FIL", help="sammanställningen som skrivs (.xlsx)")
    p.add_argument("--text", action="store_true", help="skriv också förslaget till tjänsteskrivelse")
    p.add_argument(
        "--kommun", metavar="NAMN", help="kommunens namn i kommunens sammanställning (standard: från nämndernas planer)"
    )
    p.add_argument(
        "--word", type=Path, metavar="FIL.docx", help="skriv också tjänsteskrivelsen som Word-dokument (.docx)"
    )
    p.add_argument(
        "--rapport", type=Path, metavar="FIL.docx", help="skriv också nämndens delårsrapport som Word-dokument (.docx)"
    )
    p.add_argument(
        "--word-mall",
        type=Path,
        dest="word_mall",
        metavar="FIL.dotx",
        help="kommunens Word-mall (.dotx eller .docx) för tjänsteskrivelsen och delårsrapporten",
    )
    p.add_argument("--diarienummer", default="", metavar="DNR", help="ärendets diarienummer i tjänsteskrivelsen")
    p.add_argument("--pdf", action="store_true", help="skriv också dokumenten som PDF (kräver LibreOffice, soffice)")
    p.add_argument(
        "--bara-godkanda",
        action="store_true",
        dest="approved_only",
        help="ta bara med mallar som förvaltningschefen har godkänt (ett datum i Godkänd); "
        "övriga redovisas som Utesluten: inte godkänd",
    )
    p.add_argument("--tyst", action="store_true", help="visa bara Fel och Varning, inte Info")
    _plan_option(p)
    _period_option(p)
    p.set_defaults(run=cmd_consolidate)

    p = sub.add_parser(
        "demo",
        help="skriv exempelmallarna (2021) och deras sammanställning",
        description="Skriver tre ifyllda exempelmallar (kommunstyrelsen per 31 augusti 2021, "
        "påhittade siffror) och deras sammanställning i MAPP.",
    )
    p.add_argument("--ut", type=Path, default=Path("demo"), metavar="MAPP", help="mappen som skrivs (standard: demo)")
    p.add_argument(
        "--kommun",
        action="store_true",
        help="lägg till två påhittade nämnder och skriv kommunens sammanställning av de tre nämnderna",
    )
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser(
        "skicka",
        help="e-posta sammanställningen till Ekonomistaben",
        description="Skickar sammanställningen med SMTP, eller skriver ett oskickat utkast (.eml). "
        "Slutstatus 0 = skickat/skrivet, 1 = nekat (Fel i sammanställningen), "
        "2 = misslyckades, inget skickat.",
    )
    p.add_argument("summary", type=Path, metavar="SAMMANSTÄLLNING", help="sammanställningen (.xlsx)")
    p.add_argument("--till", nargs="+", default=[], metavar="ADRESS", help="mottagare (standard: från inställningarna)")
    p.add_argument("--fran", metavar="ADRESS", help="avsändare (standard: från inställningarna)")
    p.add_argument("--smtp", metavar="VÄRD:PORT", help="SMTP-server (standard: från inställningarna)")
    p.add_argument("--eml", type=Path, metavar="FIL", help="skriv ett oskickat utkast (.eml) i stället för att skicka")
    p.add_argument(
        "--trots-fel", action="store_true", dest="despite_errors", help="skicka även om sammanställningen har Fel"
    )
    p.add_argument(
        "--paminnelse",
        action="store_true",
        help="skicka i stället en påminnelse till varje förvaltning som inte lämnat in (planens "
        "E-post, mallen bifogad); --eml är då en MAPP för utkasten",
    )
    p.add_argument(
        "--mallar",
        type=Path,
        metavar="MAPP",
        help="med --paminnelse: mappen med utskickets mallar (standard: sammanställningens mapp med mallar)",
    )
    p.set_defaults(run=cmd_send)

    p = sub.add_parser(
        "installera",
        help="installera Excel-tillägget för den här användaren",
        description="Installerar tillägget delar_xl.xlam (fliken Delårsrapport) i Excel.",
    )
    p.set_defaults(run=cmd_install)
    p = sub.add_parser(
        "avinstallera", help="ta bort Excel-tillägget", description="Tar bort tillägget delar_xl.xlam ur Excel."
    )
    p.set_defaults(run=cmd_uninstall)
    return parser


def _plan_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--plan",
        type=Path,
        metavar="PLAN",
        help="kontrollera också mot nämndens plan och redovisa förvaltningar utan mall "
        "(standard: en plan i samma mapp som mallarna)",
    )


def _period_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--period",
        type=_period,
        metavar="ÅÅÅÅ-MM-DD",
        help="perioden som sammanställs; mallar för andra perioder tas inte med (standard: den "
        "period flest mallar avser; är det oavgjort måste --period anges)",
    )


def _output_refused(target: Path) -> bool:
    """--ut is checked before anything is read: a folder or a name that is not .xlsx is a bad argument."""
    from delar_xl.files import require_xlsx_name
    from delar_xl.findings import OutputError

    # A folder meant as the place to write in ("--ut exp/"). A folder named like a workbook is something
    # in the way, as a locked file is: the writer keeps the summary under a free name and says so.
    if target.is_dir() and target.suffix.lower() != ".xlsx":
        print(
            f"Fel: --ut ska vara en fil som slutar på .xlsx, inte mappen {target}. "
            f"Skriv t.ex. --ut {target / 'Sammanställning.xlsx'}.",
            file=sys.stderr,
        )
        return True
    try:
        require_xlsx_name(target, "Sammanställningen")
    except OutputError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return True
    return False


def _plan_missing(args: argparse.Namespace) -> bool:
    """--plan naming no file is a bad argument (exit 2), not a finding."""
    if args.plan is not None and not args.plan.is_file():
        print(f"Fel: planen {args.plan} finns inte.", file=sys.stderr)
        return True
    return False


# Rendering ---------------------------------------------------------------------------------


def _print_findings(findings: Sequence, quiet: bool) -> None:
    from delar_xl.findings import Severity

    for finding in findings:
        if quiet and finding.severity is Severity.INFO:
            continue
        print(finding.render())


def _summary_line(report: Report, files: int) -> str:
    from delar_xl.findings import Severity

    warnings = report.count(Severity.WARNING)
    return (
        f"{files} {'fil kontrollerad' if files == 1 else 'filer kontrollerade'}: "
        f"{report.count(Severity.ERROR)} fel, {warnings} {'varning' if warnings == 1 else 'varningar'}, "
        f"{report.count(Severity.INFO)} info."
    )


def _print_failure(message: str) -> None:
    """An error line on stderr, after everything already printed: its own line, in order, even when
    both streams go to one file or pipe (stdout is buffered there, stderr is not)."""
    sys.stdout.flush()
    print(message, file=sys.stderr)


# Commands ---------------------------------------------------------------------------------


def cmd_template(args: argparse.Namespace) -> int:
    from delar_xl.files import require_xlsx_name

    require_xlsx_name(args.ut)
    if args.finans:
        from delar_xl.finans.write import write_blank_finans

        path = write_blank_finans(args.ut, args.period, args.kommun or "")
        print(f"Finansförvaltningens underlag skrevs: {path}")
        return EXIT_OK
    if not args.forvaltning:
        print("Fel: ange --forvaltning NAMN (eller --finans för finansförvaltningens underlag).", file=sys.stderr)
        return EXIT_FAILED
    from delar_xl.template.write import write_blank

    path = write_blank(args.ut, args.forvaltning, args.period, args.namnd)
    print(f"Mallen skrevs: {path}")
    return EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    from delar_xl.files import require_xlsx_name
    from delar_xl.plan.write import write_plan

    require_xlsx_name(args.ut)
    path = write_plan(args.ut, args.namnd, args.ar)
    print(f"Planen skrevs: {path}")
    return EXIT_OK


def cmd_dispatch(args: argparse.Namespace) -> int:
    from delar_xl.findings import Report
    from delar_xl.namnd.dispatch import dispatch

    result = dispatch(args.plan, args.period, args.ut, args.foregaende)
    report = Report(result.findings)
    _print_findings(report.sorted(), args.tyst)
    if result.plan is None:
        print("Planen kunde inte läsas; inga mallar skrevs.", file=sys.stderr)
        return EXIT_FAILED
    if result.has_errors:
        print(f"Planen har {_count_text(report)}; inga mallar skrevs. Rätta planen och försök igen.", file=sys.stderr)
        return EXIT_FINDINGS
    written = len(result.written)
    print(
        f"{written} förifyllda mallar skrevs i {args.ut}:" if written != 1 else f"1 förifylld mall skrevs i {args.ut}:"
    )
    for path, prefilled in zip(result.written, result.templates):
        print(f"  {path.name}")
        if result.previous is not None and prefilled.missing_previous:
            print(
                f"    Föregående prognos saknas i {result.previous.file} för {prefilled.unit.forvaltning}: "
                f"{', '.join(prefilled.missing_previous)}"
            )
        for line in prefilled.carried:
            print(f"    Förs vidare (inte i planen, tillagd av förvaltningen): {line}")
        for line in prefilled.dropped:
            print(f"    Inte med: {line}")
    if result.previous is not None:  # say where the locked Föregående prognos came from
        print(f"Föregående prognos är ifylld från {result.previous.file}.")
    return EXIT_OK


def undecided_line(result: Result | KommunResult, what: str) -> str:
    """Why nothing is consolidated when the periods tie, and what to do about it."""
    periods = " eller ".join(p.isoformat() for p in result.undecided_periods)
    inputs = "sammanställningarna" if hasattr(result, "considered") else "mallarna"  # kommun level: summaries
    return (
        f"{what}: {inputs} avser olika perioder, lika många var. Lägg till --period ÅÅÅÅ-MM-DD "
        f"({periods}) för att välja."
    )


def _count_text(report: Report) -> str:
    from delar_xl.findings import Severity

    errors = report.count(Severity.ERROR)
    return f"{errors} fel" if errors != 1 else "1 fel"


def cmd_check(args: argparse.Namespace) -> int:
    from delar_xl.namnd.consolidate import check

    if _plan_missing(args):
        return EXIT_FAILED

    result = check(args.paths, plan=args.plan, period=args.period)
    _print_findings(result.report.sorted(), args.tyst)
    print(_summary_line(result.report, len(result.units) + len(result.plans)))
    _print_missing(result)
    if result.undecided_periods:
        _print_failure(undecided_line(result, "Inget kan sammanställas"))
    if not result.readable and not any(p.plan is not None for p in result.plans):
        _print_failure("Ingen mall kunde läsas.")
        return EXIT_FAILED
    return EXIT_OK if result.report.valid else EXIT_FINDINGS


def cmd_consolidate(args: argparse.Namespace) -> int:
    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.document import render
    from delar_xl.namnd.summary import write_summary
    from delar_xl.numbers import format_mnkr

    if not _document_options_ok(args):
        return EXIT_FAILED
    if _plan_missing(args) or _output_refused(args.ut):
        return EXIT_FAILED
    result = consolidate(args.paths, plan=args.plan, period=args.period, approved_only=args.approved_only)
    _print_findings(result.report.sorted(), args.tyst)
    print(_summary_line(result.report, len(result.units)))
    if not result.readable:
        _print_failure("Ingen mall kunde läsas; ingen sammanställning skrevs.")
        return EXIT_FAILED
    if result.undecided_periods:
        _print_failure(undecided_line(result, "Ingen sammanställning skrevs"))
        return EXIT_FAILED
    path = write_summary(result, args.ut)
    print(f"Sammanställningen skrevs: {path}")
    written: list[Path] = []
    word_written = args.word is None or _write_word(result, args.word, None, args, written)
    report_written = args.rapport is None or _write_report(result, args, written)
    if args.pdf:
        _write_pdfs(result, args, written)
    word_written = word_written and report_written
    _print_headline(result, format_mnkr)
    if args.text:
        print()
        print(render(result), end="")
    if not word_written:
        return EXIT_FAILED
    return EXIT_OK if result.complete and result.report.valid else EXIT_FINDINGS


def _document_options_ok(args: argparse.Namespace) -> bool:
    """--word, --rapport, --word-mall and --pdf make sense before anything is read (else exit 2)."""
    for option, path in (("--word", args.word), ("--rapport", getattr(args, "rapport", None))):
        if path is not None and path.suffix.lower() != ".docx":
            print(f"Fel: {option} ska vara ett Word-dokument som slutar på .docx, inte {path.name}.", file=sys.stderr)
            return False
    mall = getattr(args, "word_mall", None)
    if mall is not None and (mall.suffix.lower() not in (".dotx", ".docx") or not mall.is_file()):
        print(
            f"Fel: --word-mall ska vara en Word-mall (.dotx eller .docx) som finns; {mall} går inte att använda.",
            file=sys.stderr,
        )
        return False
    if getattr(args, "pdf", False) and args.word is None and getattr(args, "rapport", None) is None:
        print("Fel: --pdf skriver dokumenten som PDF och behöver --word eller --rapport.", file=sys.stderr)
        return False
    return True


def _write_word(
    result: Result | KommunResult,
    path: Path,
    write: Callable[..., Path] | None = None,
    args: argparse.Namespace | None = None,
    written: list[Path] | None = None,
) -> bool:
    """The tjänsteskrivelse beside the summary (nämnd or kommun level, by `write`); a failure is
    said, and the summary stands."""
    from delar_xl.findings import DelarXlError

    options: dict[str, Any] = {}
    if write is None:
        from delar_xl.namnd.word import write_word

        write = write_word  # the nämnd level: its options from the command line
        if args is not None:
            options = {"diarienummer": args.diarienummer, "template": args.word_mall}
    writer: Callable[..., Path] = write
    try:
        done = writer(result, path, **options)
    except DelarXlError as exc:
        print(f"Fel: sammanställningen skrevs, men inte tjänsteskrivelsen: {exc}", file=sys.stderr)
        return False
    print(f"Tjänsteskrivelsen skrevs: {done}")
    if written is not None:
        written.append(done)
    return True


def _write_report(result: Result, args: argparse.Namespace, written: list[Path]) -> bool:
    """The nämnd's delårsrapport (contract §8); a failure is said, and the summary stands."""
    from delar_xl.findings import DelarXlError
    from delar_xl.namnd.report import write_report

    try:
        done = write_report(result, args.rapport, template=args.word_mall)
    except DelarXlError as exc:
        print(f"Fel: sammanställningen skrevs, men inte delårsrapporten: {exc}", file=sys.stderr)
        return False
    print(f"Delårsrapporten skrevs: {done}")
    written.append(done)
    return True


def _write_pdfs(result: Result, args: argparse.Namespace, documents: list[Path]) -> None:
    """Each written document also as PDF; without LibreOffice one line says so (the exit status stays)."""
    from delar_xl.namnd.report import write_report_pdf
    from delar_xl.pdf import to_pdf

    report = args.rapport if args.rapport is not None and args.rapport in documents else None
    others = [d for d in documents if d != report]
    outcomes = [to_pdf(others)] if others else []
    if report is not None and not (outcomes and outcomes[0].message.startswith("PDF skrevs inte: LibreOffice (")):
        outcomes.append(write_report_pdf(result, report, template=args.word_mall))
    for outcome in outcomes:
        for path in outcome.written:
            print(f"PDF skrevs: {path}")
    for message in dict.fromkeys(o.message for o in outcomes if o.message):
        _print_failure(message)


def _print_headline(result: Result, format_mnkr: Callable[[float], str]) -> None:
    from delar_xl.namnd.declaration import STATUS_SKIPPED
    from delar_xl.template import declaration as T

    goals, assignments = result.goal_counts(), result.assignment_counts()
    for unit in result.included:
        print(f"  {unit.name}: {format_mnkr(unit.model.deviation)}")
    print(f"  Totalt: {format_mnkr(result.deviation)}")
    for line in left_out_lines(result):  # right under Totalt: what it lacks
        print(f"  {line}")
    if result.has_investments:  # contract §7; amounts with the result sign, as in the summary
        from delar_xl.numbers import format_mnkr as mnkr

        print(
            f"  Investeringar: budget {mnkr(result.investment_budget, sign=False)}, "
            f"prognos {mnkr(result.investment_forecast, sign=False)}, "
            f"avvikelse {mnkr(result.investment_deviation)}"
        )
    change = result.forecast_change
    if change is not None:
        from delar_xl.namnd.coverage import previous_coverage, terminal_caveat

        print(f"  Prognosförändring: {format_mnkr(change)}{terminal_caveat(previous_coverage(result))}")
    print(
        f"  Nämndmål: {sum(goals.values())} (helt {goals[T.GOAL_FULL]}, delvis {goals[T.GOAL_PARTIAL]}, "
        f"inte {goals[T.GOAL_NOT]}, ej bedömt {goals[T.GOAL_NOT_ASSESSED]})"
    )
    # AntalUppdrag counts the plan's unreported assignments too: the line must say the same number
    unreported = len(result.unreported)
    done = assignments[T.DONE] + assignments[T.DOING]
    print(
        f"  Uppdrag: {sum(assignments.values()) + unreported} (verkställs {done}, "
        f"förskjuts {assignments[T.POSTPONED]}, avbryts {assignments[T.CANCELLED]}"
        + (f", ej rapporterade {unreported})" if unreported else ")")
    )
    if result.plan is not None:
        expected = len(result.expected)
        print(f"  Inlämnat: {expected - len(result.missing)} av {expected} förvaltningar")
    left_out = any(not u.included and u.status != STATUS_SKIPPED for u in result.units)
    closing = incomplete_line([u.forvaltning for u in result.missing], left_out)
    if closing:
        print(f"  {closing}")


def incomplete_line(missing: list[str], left_out: bool) -> str | None:
    """One closing line on why the totals are incomplete, whichever the reasons (never two OBS lines)."""
    from delar_xl.words import join_and

    if missing and left_out:
        return (
            f"OBS! Summorna är ofullständiga: ingen mall från {join_and(missing)}, och det som står under "
            '"Ingår inte" är inte med.'
        )
    if missing:
        which = "mallen" if len(missing) == 1 else "mallarna"
        return f"OBS! Ingen mall från {join_and(missing)}. Summorna är ofullständiga tills {which} har kommit in."
    if left_out:
        return 'OBS! Summorna är ofullständiga: det som står under "Ingår inte" är inte med.'
    return None


def _print_missing(result: CheckResult) -> None:
    """The förvaltningar in the plan that sent nothing, named in the closing lines."""
    line = incomplete_line([u.forvaltning for u in result.missing], False)
    if line:
        print(f"  {line}")


def left_out_lines(result: Result) -> list[str]:
    """One line per förvaltning or file that is not in the totals, and why."""
    from delar_xl.findings import Severity
    from delar_xl.namnd.declaration import STATUS_OTHER_REPORT, STATUS_SKIPPED

    lines = []
    for unit in result.units:
        if unit.included:
            continue
        if unit.status == STATUS_SKIPPED:
            reason = unit.findings[0].message if unit.findings else "ingen mall"
            lines.append(f"Hoppades över: {unit.file} – {reason}")
            continue
        errors = sum(1 for f in unit.findings if f.severity is Severity.ERROR)
        reason = unit.status.removeprefix("Utesluten: ")
        meta = unit.template.meta if unit.template else None
        if unit.status == STATUS_OTHER_REPORT and meta is not None and meta.periodslut is not None:
            reason += f": {meta.namnd} per {meta.periodslut.isoformat()}"
        reason += f" ({errors} fel, se ovan)" if errors else ""
        where = f" ({unit.file})" if unit.name != unit.file else ""
        lines.append(f"Ingår inte: {unit.name}{where} – {reason}")
    for finding in result.report.findings:
        if finding.code in ("fil-saknas", "fil-lank"):  # never became a unit (a lock file is no template: not listed)
            lines.append(f"Hoppades över: {finding.file} – {finding.message}")
    return lines


def cmd_demo(args: argparse.Namespace) -> int:
    from delar_xl.demo.namnd import write_demo
    from delar_xl.numbers import format_mnkr

    kommun = _write_kommun_demo(args.ut) if args.kommun else None
    demo = kommun.namnd if kommun else write_demo(args.ut)
    print(f"Planen (påhittade siffror, kommunstyrelsen 2021): {demo.plan}")
    if demo.prefilled:
        print(f"Förifyllda mallar (utskick): {demo.prefilled[0].parent}")
    print("Ifyllda mallar (påhittade siffror, kommunstyrelsen per 31 augusti 2021):")
    for path in demo.templates:
        print(f"  {path}")
    print(f"Sammanställningen skrevs: {demo.summary}")
    if demo.word is not None:
        print(f"Tjänsteskrivelsen skrevs: {demo.word}")
    if getattr(demo, "report", None) is not None:
        print(f"Delårsrapporten skrevs: {demo.report}")
    _print_headline(demo.result, format_mnkr)
    if kommun:
        _print_kommun_demo(kommun)
    return EXIT_OK


def cmd_send(args: argparse.Namespace) -> int:
    if args.paminnelse:
        from delar_xl.mail.reminders import cli_remind

        if args.till:
            print("--till används inte med --paminnelse: påminnelserna går till planens E-post.", file=sys.stderr)
            return EXIT_FAILED
        return cli_remind(args.summary, args.fran, args.smtp, args.eml, args.mallar)
    from delar_xl.mail import cli_send

    return cli_send(args.summary, args.till, args.fran, args.smtp, args.eml, args.despite_errors)


def cmd_install(args: argparse.Namespace) -> int:
    from delar_xl.excel.install import install_addin

    print(install_addin())
    return EXIT_OK


def cmd_uninstall(args: argparse.Namespace) -> int:
    from delar_xl.excel.install import uninstall_addin

    print(uninstall_addin())
    return EXIT_OK


# The kommun level (contract §6) ---------------------------------------------------------------


def _check_kommun(args: argparse.Namespace) -> int:
    """`kontrollera` on nämnd summaries: what `konsolidera` would find one level up, nothing written."""
    from delar_xl.kommun.consolidate import consolidate_kommun

    result = consolidate_kommun(args.paths, period=args.period)
    _print_findings(result.report.sorted(), args.tyst)
    print(_summary_line(result.report, len(result.units) + len(result.finans_units)))
    if not result.anything_readable:
        print("Ingen nämnds sammanställning kunde läsas.", file=sys.stderr)
        return EXIT_FAILED
    if result.undecided_periods:
        _print_failure(undecided_line(result, "Inget kan sammanställas"))
    return EXIT_OK if result.report.valid else EXIT_FINDINGS


def _consolidate_kommun(args: argparse.Namespace) -> int:
    """`konsolidera` one level up: every input is a nämnd's summary (contract §6)."""
    from delar_xl.kommun.consolidate import consolidate_kommun
    from delar_xl.kommun.summary import write_kommun_summary
    from delar_xl.kommun.text import render
    from delar_xl.kommun.word import write_kommun_word

    word = getattr(args, "word", None)
    if word is not None and word.suffix.lower() != ".docx":
        print(f"Fel: --word ska vara ett Word-dokument som slutar på .docx, inte {word.name}.", file=sys.stderr)
        return EXIT_FAILED
    if _output_refused(args.ut):
        return EXIT_FAILED
    result = consolidate_kommun(args.paths, period=args.period, kommun=getattr(args, "kommun", None))
    _print_findings(result.report.sorted(), args.tyst)
    print(_summary_line(result.report, len(result.units) + len(result.finans_units)))
    if not result.readable:
        _print_failure("Ingen nämnds sammanställning kunde läsas; ingen sammanställning skrevs.")
        return EXIT_FAILED
    if result.undecided_periods:
        _print_failure(undecided_line(result, "Ingen sammanställning skrevs"))
        return EXIT_FAILED
    path = write_kommun_summary(result, args.ut)
    print(f"Kommunens sammanställning skrevs: {path}")
    word_written = word is None or _write_word(result, word, write_kommun_word)
    _print_kommun_headline(result)
    if args.text:
        print()
        print(render(result), end="")
    if not word_written:
        return EXIT_FAILED
    return EXIT_OK if result.complete and result.report.valid else EXIT_FINDINGS


def _print_kommun_headline(result: KommunResult) -> None:
    from delar_xl.namnd import declaration as D
    from delar_xl.numbers import format_mnkr

    for unit in result.included:
        caveat = " (ofullständig)" if unit.incomplete else ""
        print(f"  {unit.name}: {format_mnkr(unit.deviation * 1000.0)}{caveat}")
    print(f"  Nämndernas budgetavvikelse: {format_mnkr(result.deviation * 1000.0)}")
    change = result.forecast_change
    if change is not None:
        from delar_xl.kommun.coverage import previous_coverage
        from delar_xl.namnd.coverage import terminal_caveat

        print(f"  Prognosförändring: {format_mnkr(change * 1000.0)}{terminal_caveat(previous_coverage(result))}")
    for line in annual_lines(result):
        print(f"  {line}")
    print(
        f"  Nämndmål: {result.count(D.ANTAL_MAL)} (helt {result.count(D.MAL_HELT)}, "
        f"delvis {result.count(D.MAL_DELVIS)}, "
        f"inte {result.count(D.MAL_INTE)}, ej bedömt {result.count(D.MAL_EJ_BEDOMT)})"
    )
    unreported = result.count(D.UPPDRAG_EJ_RAPPORTERADE)  # as the nämnd level says it (and the text)
    print(
        f"  Uppdrag: {result.count(D.ANTAL_UPPDRAG)} (verkställs {result.count(D.UPPDRAG_VERKSTALLS)}, "
        f"förskjuts {result.count(D.UPPDRAG_FORSKJUTS)}, avbryts {result.count(D.UPPDRAG_AVBRYTS)}"
        + (f", ej rapporterade {unreported})" if unreported else ")")
    )
    for unit in result.left_out:
        where = f" ({unit.file})" if unit.file != unit.name else ""
        print(f"  OBS! {unit.name}{where} ingår inte: {unit.status.removeprefix('Utesluten: ')}.")
    if result.incomplete_units:
        print(
            "  OBS! Kommunens summor bygger på ofullständiga nämnder: "
            + ", ".join(u.name for u in result.incomplete_units)
            + "."
        )


def annual_lines(result: KommunResult) -> list[str]:
    """Årets resultat, the balanskravsresultat and the finansiella målet (contract §9), or what is missing."""
    from delar_xl.numbers import format_mnkr, format_number

    annual = result.annual
    if annual is None:
        if result.finans_left_out:
            return [
                (
                    "Årets resultat: redovisas inte – finansförvaltningens underlag ingår inte "
                    f"({result.finans_left_out[0].status.split(': ', 1)[-1]})."
                )
            ]
        return ["Årets resultat: redovisas inte – finansförvaltningens underlag saknas."]
    lines = [
        (
            f"Årets resultat: {format_mnkr(annual.forecast * 1000.0)} (budget {format_mnkr(annual.budget * 1000.0)}, "
            f"avvikelse {format_mnkr(annual.deviation * 1000.0)})"
        )
    ]
    balance = annual.balance
    lines.append(
        f"Balanskravsresultat: {format_mnkr(balance * 1000.0)}"
        + (" – NEGATIVT: ska återställas inom tre år (KL 11 kap. 12 §)" if annual.balance_negative else "")
    )
    if annual.goal_reached is not None and annual.goal_percent is not None and annual.share_percent is not None:
        lines.append(
            f"Finansiellt mål ({format_number(annual.goal_percent, 1)} %): "
            f"{'uppnås' if annual.goal_reached else 'uppnås inte'} "
            f"({format_number(annual.share_percent, 1)} %)"
        )
    return lines


def _write_kommun_demo(folder: Path) -> KommunDemo:
    from delar_xl.demo.kommun import write_kommun_demo

    return write_kommun_demo(folder)


def _print_kommun_demo(demo: KommunDemo) -> None:
    print("Två påhittade nämnder (EXEMPELDATA):")
    for path in demo.templates:
        print(f"  {path}")
    print("Nämndernas sammanställningar:")
    for path in demo.namnd_summaries:
        print(f"  {path}")
    print(f"Finansförvaltningens underlag (påhittade belopp): {demo.finans}")
    print(f"Kommunens sammanställning skrevs: {demo.summary}")
    print(f"Kommunens tjänsteskrivelse skrevs: {demo.word}")
    _print_kommun_headline(demo.result)


# No input is ever overwritten -------------------------------------------------------------------

_KIND_ROLES = {"template": "mallen", "plan": "planen", "summary": "sammanställningen"}


def _outputs(args: argparse.Namespace) -> list[tuple[str, Path | None]]:
    """(option, path) of every file the command writes. --rapport (another branch) is one more line."""
    outputs: list[tuple[str, Path | None]] = []
    if args.command in ("mall", "plan", "konsolidera"):
        outputs.append(("--ut", args.ut))
    outputs.append(("--word", getattr(args, "word", None)))
    outputs.append(("--rapport", getattr(args, "rapport", None)))
    if not getattr(args, "paminnelse", False):  # with --paminnelse, --eml is a folder of drafts
        outputs.append(("--eml", getattr(args, "eml", None)))
    return outputs


def _inputs(args: argparse.Namespace, outputs: list[Path]) -> list:
    """Every file the command reads that an output would hit: files given, files in folders given
    (a template or a plan; a summary there is an earlier output, ours to replace), the plan, the
    previous summary and the settings file. Only a file an output hits is peeked at (its kind names
    it in the message); nothing else is opened."""
    from delar_xl.files import InputFile, same_file
    from delar_xl.namnd.consolidate import collect_paths
    from delar_xl.namnd.read import input_kind
    from delar_xl.settings import settings_file

    inputs = []
    given = list(getattr(args, "paths", None) or [])
    for path in given:
        if not path.is_dir() and any(same_file(out, path) for out in outputs):
            inputs.append(InputFile(path, _KIND_ROLES.get(input_kind(path), "en av indatafilerna")))
    for path in collect_paths([p for p in given if p.is_dir()])[0]:
        if any(same_file(out, path) for out in outputs):
            kind = input_kind(path)
            if kind in ("template", "plan", "other"):
                inputs.append(InputFile(path, _KIND_ROLES.get(kind, "en av filerna som läses")))
    for option, role in (
        ("plan", "planen"),
        ("foregaende", "förra periodens sammanställning"),
        ("summary", "sammanställningen"),
    ):
        if getattr(args, option, None) is not None:
            inputs.append(InputFile(getattr(args, option), role))
    found = settings_file()
    if found is not None:
        inputs.append(InputFile(found, "inställningsfilen"))
    return inputs


def _refuse_overwriting_inputs(args: argparse.Namespace) -> None:
    """--ut, --word, --eml (and --rapport) naming an input, or a file that can never be written (a name
    too long, a device), are refused before anything is read."""
    from delar_xl.files import check_target, refuse_inputs_as_outputs

    outputs = _outputs(args)
    paths = [path for _, path in outputs if path is not None]
    if paths:
        refuse_inputs_as_outputs(outputs, _inputs(args, paths))
    for path in paths:
        check_target(path)


def _load_settings() -> None:
    """The settings file, read first in every command: a typo stops the command at once (SettingsError,
    exit 2, naming the file and line), an unknown section or key is a Varning before anything else."""
    from delar_xl.settings import load_settings

    _print_findings(load_settings().warnings, quiet=False)


def _run(args: argparse.Namespace) -> int:
    """The command; `kontrollera` and `konsolidera` work one level up when every input is a nämnd's
    summary (contract §6). With a plan the inputs are templates, as always."""
    _load_settings()
    _refuse_overwriting_inputs(args)
    if args.command in ("kontrollera", "konsolidera") and not getattr(args, "plan", None):
        from delar_xl.kommun.consolidate import inputs_are_summaries

        if inputs_are_summaries(args.paths):
            if args.command == "konsolidera" and _namnd_only_options(args):
                return EXIT_FAILED
            return _check_kommun(args) if args.command == "kontrollera" else _consolidate_kommun(args)
    return args.run(args)


def _namnd_only_options(args: argparse.Namespace) -> bool:
    """--rapport, --word-mall, --diarienummer and --pdf write the nämnd's documents: said, not ignored,
    when the inputs are nämnd summaries (the kommun level)."""
    given = [
        option
        for option, value in (
            ("--rapport", args.rapport),
            ("--word-mall", args.word_mall),
            ("--diarienummer", args.diarienummer),
            ("--pdf", args.pdf),
        )
        if value
    ]
    if given:
        print(
            f"Fel: {', '.join(given)} gäller nämndens dokument och kan inte användas när indata är nämndernas "
            "sammanställningar (kommunens nivå).",
            file=sys.stderr,
        )
    return bool(given)


def _tolerant_output() -> None:
    """Output redirected on Windows uses the ANSI code page, which lacks "−" and "”": replace
    such characters rather than fail on them."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `delar-xl`. Returns the exit code; no traceback ever reaches the user."""
    _tolerant_output()
    parser = build_parser()
    _ARGV[:] = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_FAILED
    from delar_xl.findings import DelarXlError

    try:
        return _run(args)
    except DelarXlError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # output piped into `head` and the like: nothing more to say
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # the last line of defence: a message and a log, never a traceback
        from delar_xl.log import unexpected_message

        print(unexpected_message(exc, f"delar-xl {args.command}"), file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
