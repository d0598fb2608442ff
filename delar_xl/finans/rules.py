"""The finansförvaltning's template's rules (contract §9): one small function each, from a read `Finans` to findings.

Reading problems (text in an amount, a missing sheet or name) are found by read.py while reading;
the rules judge the content: the fixed posts are all there once, under their own ids; the amounts
the resultatprognos cannot do without are given; signs follow the posts; a large avvikelse has a
comment (the template's threshold, from the settings).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from delar_xl.finans import declaration as F
from delar_xl.finans.model import Finans
from delar_xl.findings import Finding, Severity
from delar_xl.numbers import format_number
from delar_xl.settings import Settings
from delar_xl.xlsx.schema import FIRST_DATA_ROW

Rule = Callable[[Finans, Settings], Iterable[Finding]]

RESULTATMAL_PLAUSIBLE = 20.0  # percent: a finansiellt mål beyond ±20 % is almost certainly a slip


def _at(f: Finans, sheet: str, cell: str, severity: Severity, code: str, message: str) -> Finding:
    return Finding(f.file, sheet, cell, severity, code, message)


def _reported(f: Finans, sheet: str, cell: str) -> bool:
    return f"{sheet}!{cell}" in f.unreadable


def _rows(f: Finans, table: F.Table) -> list:
    return f.finans if table is F.FINANS else f.balanskrav


def _table_present(f: Finans, table: F.Table) -> bool:
    return table.name in f.columns


def period_present(f: Finans, s: Settings) -> Iterator[Finding]:
    sheet, cell = f.field_cell("Periodslut")
    if f.periodslut is None and not _reported(f, sheet, cell):
        yield _at(
            f,
            sheet,
            cell,
            Severity.ERROR,
            "periodslut-saknas",
            "Periodslut saknas. Skriv periodens sista dag, samma som i nämndernas sammanställningar, t.ex. 2021-08-31.",
        )


def resultatmal_plausible(f: Finans, s: Settings) -> Iterator[Finding]:
    goal = f.resultatmal_procent
    if goal is not None and abs(goal) > RESULTATMAL_PLAUSIBLE:
        sheet, cell = f.field_cell("ResultatmalProcent")
        yield _at(
            f,
            sheet,
            cell,
            Severity.WARNING,
            "resultatmal-orimligt",
            f"Det finansiella målet är {format_number(goal, 1)} %; det brukar ligga kring 1–3 %. Skriv målet "
            "i procent (2 för 2 %), inte som andel (0,02) eller i tkr.",
        )


def posts_fixed(f: Finans, s: Settings) -> Iterator[Finding]:
    """Every fixed post once, under its own id: an unknown id, a duplicate or a missing post is a Fel at its cell.

    A changed id is found where the post should be (the generator writes the posts in their
    declared order): one finding that says what should stand there, not two.
    """
    for table in F.TABLES:
        if not _table_present(f, table):
            continue  # the reader said the table is missing
        posts = F.POSTS[table.name]
        known = {p.post_id: p for p in posts}
        rows = _rows(f, table)
        counts = Counter(r.post_id for r in rows)
        present = set(counts)
        missing = [p for p in posts if p.post_id not in present]
        unknown = {r.row: r for r in rows if r.post_id not in known}
        for index, post in enumerate(posts):
            if post.post_id in present:
                continue
            row = FIRST_DATA_ROW + index  # the 1-based sheet row where the generator put it
            cell = f.cell(table.name, "post_id", row)
            changed = unknown.pop(row, None)
            if changed is not None:
                shown = changed.post_id or "tomt"
                yield _at(
                    f,
                    table.sheet,
                    cell,
                    Severity.ERROR,
                    "post-id-andrat",
                    f'Post-id "{shown}" är ändrat: här ska stå {post.post_id} ({post.name}). '
                    "Byt tillbaka id:t; "
                    "sammanställningen läser posterna på id.",
                )
            else:
                yield _at(
                    f,
                    table.sheet,
                    cell,
                    Severity.ERROR,
                    "post-saknas",
                    f"Posten {post.post_id} ({post.name}) saknas i tabellen {table.name}. Skriv ett nytt "
                    "underlag med delar-xl mall --finans och för över beloppen.",
                )
        for row in unknown.values():
            cell = f.cell(table.name, "post_id", row.row)
            hint = f" Saknas: {', '.join(p.post_id for p in missing)}." if missing else ""
            yield _at(
                f,
                table.sheet,
                cell,
                Severity.ERROR,
                "post-okand",
                f'Post-id "{row.post_id or "tomt"}" känns inte igen i tabellen {table.name}; de fasta posterna '
                f"är {', '.join(known)}.{hint} Lägg inte till rader: det som inte hör till en fast post tas "
                "inte med.",
            )
        for row in rows:
            if row.post_id in known and counts[row.post_id] > 1:
                yield _at(
                    f,
                    table.sheet,
                    f.cell(table.name, "post_id", row.row),
                    Severity.ERROR,
                    "post-dubblett",
                    f"Posten {row.post_id} finns på {counts[row.post_id]} rader i tabellen {table.name}; "
                    "beloppen skulle räknas flera gånger. Ta bort raden som inte gäller.",
                )


def tax_amounts_present(f: Finans, s: Settings) -> Iterator[Finding]:
    """Skatteintäkter and statsbidrag carry årets resultat: without their budget and prognos it means nothing."""
    for row in f.finans:
        if row.post_id not in F.TAX_POSTS:
            continue
        for key, value in (("budget", row.budget), ("forecast", row.forecast)):
            cell = f.cell(F.FINANS.name, key, row.row)
            if value is None and not _reported(f, F.FINANS.sheet, cell):
                header = F.FINANS.column(key).header
                yield _at(
                    f,
                    F.FINANS.sheet,
                    cell,
                    Severity.ERROR,
                    "belopp-saknas",
                    f"{header} saknas för {row.post}. Årets resultat kan inte räknas utan det; skriv beloppet i tkr.",
                )


def signs_follow_posts(f: Finans, s: Settings) -> Iterator[Finding]:
    """An intäkt typed negative (or a deduction positive) turns the result around: a Varning at the cell."""
    for table in F.TABLES:
        posts = {p.post_id: p for p in F.POSTS[table.name]}
        keys = ("budget", "forecast") if table is F.FINANS else ("forecast",)
        for row in _rows(f, table):
            post = posts.get(row.post_id)
            if post is None or not post.sign:
                continue
            for key in keys:
                value = getattr(row, key)
                if value and (value > 0) != (post.sign > 0):
                    expected = "positivt" if post.sign > 0 else "negativt"
                    yield _at(
                        f,
                        table.sheet,
                        f.cell(table.name, key, row.row),
                        Severity.WARNING,
                        "tecken-post",
                        f"{post.name} är {format_number(value, 0)} tkr men skrivs {expected} (resultattecken: "
                        "intäkter positiva, kostnader och avräkningar negativa). Kontrollera tecknet.",
                    )


def comment_on_large_deviation(f: Finans, s: Settings) -> Iterator[Finding]:
    for row in f.finans:
        deviation = row.deviation
        if row.comment.strip() or deviation is None or not _large(deviation, row.budget, s):
            continue
        yield _at(
            f,
            F.FINANS.sheet,
            f.cell(F.FINANS.name, "comment", row.row),
            Severity.ERROR,
            "kommentar-saknas",
            f"Kommentar krävs för {row.post or row.post_id}: avvikelsen {format_number(deviation, 0)} tkr når "
            f"gränsen ({format_number(s.comment_threshold_tkr, 0)} tkr eller "
            f"{format_number(s.comment_threshold_percent, 0)} % av budget). Skriv orsaken, t.ex. ny "
            "skatteprognos.",
        )


def _large(amount: float, budget: float | None, s: Settings) -> bool:
    if abs(amount) >= s.comment_threshold_tkr:
        return True
    return budget is not None and budget != 0 and abs(amount) >= abs(budget) * s.comment_threshold_percent / 100


RULES: tuple[Rule, ...] = (
    period_present,
    resultatmal_plausible,
    posts_fixed,
    tax_amounts_present,
    signs_follow_posts,
    comment_on_large_deviation,
)


def validate_finans(finans: Finans, settings: Settings | None = None) -> list[Finding]:
    """All rule findings for the finansförvaltning's template, in rule order."""
    settings = settings or Settings()
    return [finding for rule in RULES for finding in rule(finans, settings)]


__all__ = ["RULES", "validate_finans"]
