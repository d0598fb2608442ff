"""Mail errors: nothing was sent, and the message says why in Swedish."""

from __future__ import annotations

from delar_xl.findings import DelarXlError


class MailError(DelarXlError):
    """Nothing was sent. The message is Swedish and meant for the user."""


class ConfigError(MailError):
    """The settings, arguments or summary file do not allow a message to be built or sent."""


class DeliveryError(MailError):
    """The server could not be reached or refused the message; nothing was delivered."""
