"""Where each source file ends up: the `Status` of the summary's Forvaltningar and Kallor tables.

A module of its own so that tables.py (and anything else presenting a result) can name the
statuses without importing consolidation; consolidation re-exports them.
"""

STATUS_INCLUDED = "Med i sammanställningen"
STATUS_ERRORS = "Utesluten: fel i mallen"
STATUS_UNREADABLE = "Utesluten: kan inte läsas"
STATUS_OTHER_REPORT = "Utesluten: annan nämnd eller period"
STATUS_DUPLICATE = "Utesluten: förvaltningen finns i flera mallar"
STATUS_SKIPPED = "Hoppades över"
STATUS_NOT_IN_PLAN = "Utesluten: förvaltningen finns inte i planen"
STATUS_MISSING = "Saknas"  # a förvaltning in the plan that sent no template (the Inlamning table only)
STATUS_NOT_APPROVED = "Utesluten: inte godkänd"  # `konsolidera --bara-godkanda`: no Godkand date (contract §7)
