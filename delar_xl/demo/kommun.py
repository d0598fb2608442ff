"""The demo one level up: two small invented nämnder beside kommunstyrelsen, the finansförvaltning, and the
kommun's summary.

Utbildningsnämnden and Äldrenämnden (EXEMPELDATA, one förvaltning each) are written through the
product's own template generator and consolidation like kommunstyrelsen's example; the three
nämnd summaries are then consolidated into the kommun's. Both new nämnder use the goal id `M1`,
to show that goals are counted per (nämnd, id). Kommunstyrelsen's reference figures are those of
demo/namnd.py, unchanged. The finansförvaltning's template (EXEMPELDATA too, contract §9) holds figures of a
plausible size for a kommun whose nämnder cost 3 940,6 mnkr net: it lies beside the nämnd summaries, so
`konsolidera` on that folder gives årets resultat and the balanskrav.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from delar_xl.demo.namnd import NAMND, PERIOD, Demo, summary_file_name, write_demo
from delar_xl.finans.declaration import finans_file_name
from delar_xl.finans.model import BalanskravRow, Finans, FinansRow
from delar_xl.finans.write import write_finans
from delar_xl.template.model import AssignmentRow, EconomyRow, GoalRow, IndicatorRow, Metadata, Template
from delar_xl.template.write import template_file_name, write_template

if TYPE_CHECKING:
    from delar_xl.kommun.result import KommunResult
    from delar_xl.namnd.result import Result

KOMMUN_NOTE = "EXEMPELDATA: påhittad nämnd för att visa sammanställningen för kommunen."
UBN, AEN = "Utbildningsnämnden", "Äldrenämnden"
UF, AF = "Utbildningsförvaltningen", "Äldreförvaltningen"
NAMNDER_FOLDER = "nämnder"  # the three nämnd summaries, the folder `konsolidera` is run on
FINANS_NOTE = "EXEMPELDATA: påhittade belopp för finansförvaltningen, för att visa årets resultat och balanskravet."
DEMO_KOMMUN = "Exempelkommun"  # invented: the figures are no real kommun's


def _meta(forvaltning: str, namnd: str, mbl: date) -> Metadata:
    return Metadata(
        forvaltning=forvaltning,
        namnd=namnd,
        periodslut=PERIOD,
        rapport="Delårsrapport",
        kontaktperson=f"Controller, {forvaltning}",
        mbl_datum=mbl,
        sammanfattning=f"{KOMMUN_NOTE} {forvaltning} följer i stort verksamhetsplanen.",
    )


def _utbildning() -> Template:
    economy = [
        EconomyRow(
            "UF-01",
            "Förskola",
            -812_000,
            -538_200,
            -809_600,
            -810_500,
            "Färre barn än planerat under hösten. Engångseffekt.",
        ),
        EconomyRow(
            "UF-02",
            "Grundskola",
            -1_096_000,
            -742_900,
            -1_103_100,
            -1_101_000,
            "Fler elever med behov av särskilt stöd. Bestående; åtgärdsplan tas fram.",
        ),
        EconomyRow(
            "UF-03",
            "Gymnasieskola",
            -242_000,
            -160_400,
            -240_700,
            -241_500,
            "Lägre kostnader för interkommunala elever. Engångseffekt.",
        ),
    ]
    goals = [
        GoalRow(
            "M1",
            "Alla elever ska nå kunskapskraven",
            "Uppnås delvis",
            "Andelen behöriga till gymnasiet ökar men når inte målet.",
        ),
        GoalRow("M2", "Förskolan ska ha likvärdig kvalitet", "Uppnås helt", "Kvalitetsuppföljningen når målet."),
        GoalRow(
            "M3",
            "Elevernas trygghet ska öka",
            "Ej bedömt",
            "Elevenkäten genomförs under hösten; resultatet kommer i verksamhetsberättelsen.",
        ),
    ]
    assignments = [
        AssignmentRow("U1", "Utbildningsnämnden ska ta fram en plan för nya förskoleplatser", "Verkställt"),
        AssignmentRow(
            "U2",
            "Utbildningsnämnden ska utreda en samlad skolskjutsorganisation",
            "Förskjuts",
            2022,
            "Utredningen väntar på den nya trafikupphandlingen.",
        ),
    ]
    indicators = [
        IndicatorRow("N00090", "Sjukfrånvaro bland medarbetare", "%", 7.4, 4.6, 6.8, 6.0),
        IndicatorRow("UF-I02", "Andel behöriga till gymnasiet", "%", 88, 84, 86, 90),
    ]
    return Template(_meta(UF, UBN, date(2021, 9, 20)), economy, goals, assignments, indicators)


def _aldre() -> Template:
    economy = [
        EconomyRow(
            "AF-01",
            "Hemtjänst",
            -612_000,
            -405_300,
            -606_900,
            -609_000,
            "Färre beviljade timmar än budgeterat. Delvis bestående.",
        ),
        EconomyRow("AF-02", "Särskilt boende", -868_000, -575_800, -867_400, -868_000, ""),
    ]
    goals = [
        GoalRow(
            "M1", "Äldre ska kunna bo kvar hemma med god kvalitet", "Uppnås helt", "Brukarundersökningen når målet."
        ),
        GoalRow(
            "M2",
            "Väntetiden till särskilt boende ska minska",
            "Uppnås inte",
            "Väntetiden har ökat; fler platser öppnar först 2022.",
        ),
    ]
    assignments = [
        AssignmentRow("U1", "Äldrenämnden ska införa digital tillsyn i hela kommunen", "Verkställs under året"),
    ]
    indicators = [
        IndicatorRow("N00090", "Sjukfrånvaro bland medarbetare", "%", 9.1, 6.0, 8.7, 8.0),
        IndicatorRow("AF-I02", "Antal brukare med hemtjänst", "antal", 1_410, 780, 2_190),
    ]
    return Template(_meta(AF, AEN, date(2021, 9, 21)), economy, goals, assignments, indicators)


def example_finans() -> Finans:
    """The finansförvaltning (tkr, result sign): skatteintäkter and statsbidrag of about 4,2 miljarder, a
    finansnetto, pensions and a realisationsvinst; the balanskrav adjustments for that vinst, unrealised
    gains and a reservation to the resultatutjämningsreserv."""
    finans = [
        FinansRow(
            "SKATT",
            "Skatteintäkter",
            3_150_000,
            2_130_900,
            3_196_400,
            "Skatteunderlagsprognosen i augusti är högre än i budgeten. Bestående för året.",
        ),
        FinansRow(
            "STATSBIDRAG",
            "Generella statsbidrag och utjämning",
            1_020_000,
            687_500,
            1_031_200,
            "Högre kostnadsutjämning och ett tillfälligt statsbidrag. Engångseffekt.",
        ),
        FinansRow(
            "FINANSINT", "Finansiella intäkter", 28_000, 21_800, 31_500, "Högre utdelning från de kommunala bolagen."
        ),
        FinansRow("FINANSKOST", "Finansiella kostnader", -42_000, -24_900, -38_600, "Lägre räntor än budgeterat."),
        FinansRow(
            "GEMENSAMT",
            "Finansförvaltningens övriga poster",
            -135_000,
            -109_400,
            -162_300,
            "Högre pensionskostnader enligt ny prognos från pensionsförvaltaren.",
        ),
        FinansRow("JMF", "Jämförelsestörande poster", 0, 14_200, 14_200, "Realisationsvinst vid försäljning av mark."),
    ]
    balanskrav = [
        BalanskravRow("REAVINST", "Samtliga realisationsvinster", -14_200, "Markförsäljningen."),
        BalanskravRow("REAFORL", "Realisationsförluster enligt undantagsmöjlighet"),
        BalanskravRow(
            "VPORE",
            "Orealiserade vinster och förluster i värdepapper",
            -3_100,
            "Orealiserad vinst i pensionsmedelsportföljen.",
        ),
        BalanskravRow("RURRES", "Reservering till resultatutjämningsreserv", -40_000, "Enligt riktlinjerna för RUR."),
        BalanskravRow("RURDISP", "Disponering från resultatutjämningsreserv"),
    ]
    return Finans(
        periodslut=PERIOD,
        kommun=DEMO_KOMMUN,
        resultatmal_procent=2.0,
        kontaktperson="Controller, Finansförvaltningen",
        finans=finans,
        balanskrav=balanskrav,
    )


def example_namnder() -> list[Template]:
    """The two invented nämnder's templates (one förvaltning each)."""
    return [_utbildning(), _aldre()]


@dataclass(frozen=True)
class KommunDemo:
    namnd: Demo  # kommunstyrelsen's demo, as `delar-xl demo` writes it
    templates: list[Path]  # the invented nämnders' templates
    namnd_summaries: list[Path]  # the three nämnd summaries, in MAPP/nämnder
    finans: Path  # the finansförvaltning's template, beside them
    summary: Path  # the kommun's summary
    word: Path  # the kommun's tjänsteskrivelse (.docx) beside it
    namnd_results: list[Result]
    result: KommunResult


def write_kommun_demo(folder: Path | str) -> KommunDemo:
    """Kommunstyrelsen's demo as always, plus two invented nämnder and the kommun's summary in `folder`."""
    from delar_xl.kommun.consolidate import consolidate_kommun
    from delar_xl.kommun.result import KOMMUN_NAME
    from delar_xl.kommun.summary import write_kommun_summary
    from delar_xl.kommun.word import write_kommun_word
    from delar_xl.namnd.consolidate import consolidate
    from delar_xl.namnd.summary import write_summary
    from delar_xl.namnd.word import word_file_name

    folder = Path(folder)
    base = write_demo(folder)
    summaries_folder = folder / NAMNDER_FOLDER
    summaries = [write_summary(base.result, summaries_folder / summary_file_name(NAMND, PERIOD))]
    templates, results = [], [base.result]
    for template in example_namnder():
        templates_folder = folder / template.meta.namnd / "mallar"
        templates.append(
            write_template(
                templates_folder / template_file_name(template.meta.forvaltning, PERIOD), template, note=KOMMUN_NOTE
            )
        )
        result = consolidate([templates_folder])
        results.append(result)
        summaries.append(write_summary(result, summaries_folder / summary_file_name(template.meta.namnd, PERIOD)))
    finans = write_finans(summaries_folder / finans_file_name(PERIOD), example_finans(), note=FINANS_NOTE)
    kommun = consolidate_kommun([summaries_folder])
    summary = write_kommun_summary(kommun, folder / summary_file_name(KOMMUN_NAME, PERIOD))
    word = write_kommun_word(kommun, word_file_name(summary))
    return KommunDemo(base, templates, summaries, finans, summary, word, results, kommun)


__all__ = ["KommunDemo", "example_finans", "example_namnder", "write_kommun_demo"]
