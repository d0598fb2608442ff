"""The kommun level's names for things (contract §6): levels, statuses, the names summed over nämnder.

A module of its own, like status.py one level down, so that kommun_tables.py can present a
`KommunResult` without importing kommun.py at run time (no import circle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from delar_xl.template import declaration as T

if TYPE_CHECKING:
    from delar_xl.kommun.consolidate import NamndUnit

NIVA_NAMND, NIVA_KOMMUN = "Nämnd", "Kommun"
KOMMUN_NAME = "Kommunen"  # what the §2 name `Namnd` holds at the kommun level

STATUS_INCOMPLETE = "Med i sammanställningen, men ofullständig"
STATUS_UNREADABLE = "Utesluten: kan inte läsas"
STATUS_OTHER_PERIOD = "Utesluten: annan period"
STATUS_DUPLICATE = "Utesluten: nämnden finns i flera sammanställningar"
STATUS_FINANS_ERRORS = "Utesluten: underlaget har fel"
STATUS_DUPLICATE_FINANS = "Utesluten: flera underlag från finansförvaltningen"

# §2 count names summed over the included nämnder, and the §4 names summed when every nämnd has them.
COUNT_NAMES = ("AntalMal", "MalHelt", "MalDelvis", "MalInte", "MalEjBedomt",
               "AntalUppdrag", "UppdragVerkstalls", "UppdragForskjuts", "UppdragAvbryts")
OPTIONAL_COUNT_NAMES = ("UppdragEjRapporterade",)
OPTIONAL_AMOUNT_NAMES = ("ForegaendePrognosTotal", "PrognosforandringTotal")
GOAL_NAMES = {T.GOAL_FULL: "MalHelt", T.GOAL_PARTIAL: "MalDelvis", T.GOAL_NOT: "MalInte",
              T.GOAL_NOT_ASSESSED: "MalEjBedomt"}


def unit_status(unit: "NamndUnit") -> str:
    """The nämnd's status as its row in `Namnder` says it."""
    if unit.status == STATUS_INCOMPLETE:
        return f"{STATUS_INCOMPLETE}: {'; '.join(unit.incomplete)}"
    return unit.status if unit.included else f"{unit.status} – ingår inte i summorna"
