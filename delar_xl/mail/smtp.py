"""SMTP: STARTTLS or SSL and login when configured; all recipients or none.

The envelope is checked recipient by recipient before any data is sent, so a refused recipient
means nothing was delivered to anyone.
"""

from __future__ import annotations

import base64
import contextlib
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email import policy
from email.utils import getaddresses

from delar_xl.mail.errors import ConfigError, DeliveryError, MailError
from delar_xl.mail.message import Mail, build_message
from delar_xl.mail.settings import KEYRING_SERVICE, MailSettings, keyring_password


@dataclass(frozen=True)
class SmtpSender:
    """Sends over SMTP; STARTTLS/SSL and login as configured. All recipients or none."""

    settings: MailSettings

    def deliver(self, mail: Mail) -> str:
        s = self.settings
        if not s.host:
            raise ConfigError(
                "Ingen e-postserver är angiven: ange --smtp VÄRD:PORT, miljövariabeln DELAR_XL_SMTP "
                "eller smtp i avsnittet [epost] i inställningsfilen."
            )
        if not mail.sender:
            raise ConfigError("Avsändare saknas: ange --fran ADRESS, DELAR_XL_FRAN eller fran i [epost].")
        if not mail.to:
            raise ConfigError("Mottagare saknas: ange --till ADRESS, DELAR_XL_TILL eller till i [epost].")
        if s.user and s.effective_security == "ingen":
            raise ConfigError(
                'Inloggning utan kryptering är avstängd: sätt sakerhet = "starttls" eller "ssl" i [epost].'
            )
        password = s.password or (keyring_password(s.user) if s.user else None) or ""
        if s.user and not password:
            raise ConfigError(
                f"Lösenord saknas för {s.user}: sätt miljövariabeln DELAR_XL_SMTP_LOSENORD eller spara "
                f"det i nyckelringen (keyring set {KEYRING_SERVICE} {s.user})."
            )
        data = build_message(mail).as_bytes(policy=policy.SMTP)
        recipients = [_addr_spec(a) for a in mail.to]
        where = f"{s.host}:{s.port}"
        try:
            smtp = self._connect()
            try:
                self._secure_and_login(smtp, password)
                _transmit(smtp, _addr_spec(mail.sender), recipients, data)
            finally:
                _quit(smtp)
        except MailError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"E-postservern {where} godtog inte inloggningen för {s.user} "
                f"({_reply(exc.smtp_code, exc.smtp_error)}). Kontrollera användarnamn och lösenord. Inget skickades."
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(
                f"E-postservern {where} saknar stöd för det som krävs: {exc}. Inget skickades."
            ) from exc
        except ssl.SSLError as exc:
            raise DeliveryError(
                f"Den krypterade förbindelsen med {where} kunde inte upprättas ({exc.reason or exc}). "
                "Kontrollera sakerhet och ca_fil i [epost]. Inget skickades."
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"E-postservern {where} avvisade meddelandet ({_reply(exc.smtp_code, exc.smtp_error)}). "
                "Inget skickades."
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(
                f"Kunde inte ansluta till e-postservern {where} ({_os_reason(exc)}). Inget skickades."
            ) from exc
        return f"Sammanställningen skickades till {', '.join(mail.to)} via {where}."

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.effective_security == "ssl":
            return smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._tls_context())
        return smtplib.SMTP(s.host, s.port, timeout=s.timeout)

    def _secure_and_login(self, smtp: smtplib.SMTP, password: str) -> None:
        s = self.settings
        smtp.ehlo()
        if s.effective_security == "starttls":
            if not smtp.has_extn("starttls"):
                raise DeliveryError(
                    f"E-postservern {s.host}:{s.port} erbjuder inte krypterad förbindelse (STARTTLS). Inget skickades."
                )
            smtp.starttls(context=self._tls_context())
            smtp.ehlo()
        if s.user:
            _login(smtp, s.user, password, s.host)

    def _tls_context(self) -> ssl.SSLContext:
        try:
            return ssl.create_default_context(cafile=self.settings.ca_file or None)
        except ssl.SSLError as exc:
            raise ConfigError(f"Certifikatfilen {self.settings.ca_file} kunde inte läsas: {exc}.") from exc
        except OSError as exc:
            from delar_xl.oserrors import reading

            raise ConfigError(f"Certifikatfilen {self.settings.ca_file} kunde inte läsas: {reading(exc)}") from exc


def _login(smtp: smtplib.SMTP, user: str, password: str, host: str) -> None:
    """smtplib's login, or AUTH PLAIN in UTF-8 (RFC 4616) for a name or password with å, ä, ö.

    smtplib encodes credentials as ASCII and would crash on "lösen".
    """
    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    if "PLAIN" not in smtp.esmtp_features.get("auth", "").upper().split():
        raise DeliveryError(
            f"E-postservern {host} kan inte ta emot inloggning med å, ä eller ö (AUTH PLAIN saknas). Inget skickades."
        )
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _transmit(smtp: smtplib.SMTP, envelope_from: str, recipients: list[str], data: bytes) -> None:
    """MAIL, every RCPT, then DATA only if every recipient was accepted (else RSET: nothing sent)."""
    code, reply = smtp.mail(envelope_from)
    if code != 250:
        _abort(smtp)
        raise DeliveryError(
            f"E-postservern avvisade avsändaren {envelope_from} ({_reply(code, reply)}). Inget skickades."
        )
    for address in recipients:
        code, reply = smtp.rcpt(address)
        if code not in (250, 251):
            _abort(smtp)
            raise DeliveryError(
                f"E-postservern tog inte emot mottagaren {address} ({_reply(code, reply)}). "
                "Inget skickades, inte heller till de andra mottagarna."
            )
    smtp.data(data)  # raises SMTPDataError unless the server answers 250


def _quit(smtp: smtplib.SMTP) -> None:
    """Say goodbye; once DATA was accepted the message is delivered, whatever QUIT answers."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _abort(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):  # the connection may already be gone
        smtp.rset()


def _addr_spec(address: str) -> str:
    return getaddresses([address])[0][1]


def _reply(code: int | None, text: bytes | str | None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"svar {code}: {(text or '').strip()}".rstrip(": ")


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "anslutningen nekades; fel värd eller port, eller servern är inte igång"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "ingen kontakt inom tidsgränsen"
    if isinstance(exc, socket.gaierror):
        return "värdnamnet hittades inte"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "servern stängde förbindelsen"
    if isinstance(exc, OSError) and exc.errno is not None:
        from delar_xl.oserrors import problem

        return problem(exc).what
    return str(exc) or type(exc).__name__
