"""E-mail: the draft of a letter (.eml), and sending the drafts over SMTP.

A draft carries the letter (its PDF, else the .docx) and a short text in the letter's language;
``brieven --verstuur`` sends the drafts over one connection (:class:`Mailer`) and writes every
outcome to a journal as it happens (:func:`send_all`), so a crash between sending and logging
never makes a second run send the same e-mail again. The password comes from the command, the
environment (``DEBITEUREN_SMTP_WACHTWOORD``) or the operating system's keyring; a password never
goes over the network unencrypted unless the user says the server is in their own network.
"""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from email.utils import parseaddr, quote
from pathlib import Path

from ..core.letters import LetterFile
from ..core.model import Creditor, LetterState, Settings, Step
from ..core.rules import rules_for
from ..errors import DebiteurenError, quoted
from ..formatting import euro, locale_for, long_date
from ..untrusted import one_line, without_direction_controls
from ..workbook.files import atomic_write
from .context import TITLES, salutation, template_for

__all__ = [
    "DROPPED",
    "EMAIL_TEXT",
    "LATER",
    "NOT_SENT",
    "PASSWORD_VARIABLE",
    "SENDER_REFUSED",
    "SEND_LOG",
    "Mailer",
    "SendError",
    "SendInterrupted",
    "left_unsent",
    "logged_as_sent",
    "not_sent",
    "refuse_plain_login",
    "send_all",
    "smtp_password",
    "write_eml",
]

PASSWORD_VARIABLE = "DEBITEUREN_SMTP_WACHTWOORD"

#: Seconds to wait for the mail server's reply before the connection counts as dropped.
TIMEOUT = 30

EMAIL_TEXT = {
    "nl": (
        "{aanhef}\n\nIn de bijlage vindt u onze brief van {datum} over "
        "{facturen} van in totaal {bedrag}.\n\nHeeft u al betaald? Dan "
        "kunt u deze e-mail als niet verzonden beschouwen. Heeft u vragen, neem dan contact "
        "met ons op.\n\nMet vriendelijke groet,\n\n{ondertekening}\n"
    ),
    "fr": (
        "{aanhef}\n\nVeuillez trouver en annexe notre courrier du {datum} "
        "concernant {facturen} pour un total de {bedrag}.\n\nSi vous avez "
        "déjà payé, veuillez ne pas tenir compte de ce message. Pour toute question, "
        "n'hésitez pas à nous contacter.\n\nSalutations distinguées,\n\n{ondertekening}\n"
    ),
    "en": (
        "{aanhef}\n\nPlease find attached our letter of {datum} about {facturen} "
        "totalling {bedrag}.\n\nIf you have already paid, please disregard "
        "this message. If you have any questions, please contact us.\n\nKind regards,\n\n"
        "{ondertekening}\n"
    ),
    "de": (
        "{aanhef}\n\nim Anhang erhalten Sie unser Schreiben vom {datum} zu {facturen} "
        "über insgesamt {bedrag}.\n\nFalls Sie bereits bezahlt haben, betrachten "
        "Sie diese E-Mail bitte als gegenstandslos. Bei Fragen wenden Sie sich gern an uns.\n\n"
        "Mit freundlichen Grüßen\n\n{ondertekening}\n"
    ),
}

#: How the e-mail names the letter's invoices, per language: (one, more than one). "1
#: facture(s) impayée(s)" and "1 offenen Rechnung(en)" read as a form, not as a letter.
INVOICES_TEXT = {
    "nl": ("{aantal} openstaande factuur", "{aantal} openstaande facturen"),
    "fr": ("{aantal} facture impayée", "{aantal} factures impayées"),
    "en": ("{aantal} unpaid invoice", "{aantal} unpaid invoices"),
    "de": ("{aantal} offenen Rechnung", "{aantal} offenen Rechnungen"),
}


class SendError(DebiteurenError):
    """Sending e-mail could not start (no server, no password, no connection)."""


#: The note of an e-mail whose sending Ctrl-C stopped: the server may have taken it.
STOPPED = (
    "versturen afgebroken (Ctrl-C): de mailserver kan de e-mail al hebben aangenomen; kijk bij "
    "de verzonden e-mails of in de mailbox van de server voordat u hem opnieuw verstuurt"
)

#: The note of an e-mail during whose sending the connection dropped after the server had
#: been given the message: it may have gone out, so it is not sent again.
DROPPED = (
    "de verbinding met de mailserver werd verbroken terwijl deze e-mail werd verstuurd: de "
    "server kan hem al hebben aangenomen; kijk bij de verzonden e-mails of in de mailbox van de "
    "server voordat u hem zelf verstuurt"
)

#: The note of an e-mail not sent because the mail server could not be reached again.
UNREACHED = "niet verstuurd: de verbinding met de mailserver was verbroken en kwam niet terug"

#: :meth:`Mailer._attempt`'s answer when the connection dropped (a sentinel, never shown).
_DROPPED = "\0dropped"

#: The start of the note of an e-mail the server did not take for now: a reply of 4xx (a
#: transient failure, RFC 5321 4.2.1: "try again later"), such as 451 or 452 when a server
#: limits how many messages it takes.
LATER = "de mailserver nam de e-mail nu niet aan; probeer het later opnieuw"

#: The start of the note of an e-mail not sent because the server refused the sender address
#: (a reply of 5xx to MAIL FROM): every e-mail of the run has that sender, so the run sends no
#: more, and none is a failed letter for the post: the address on Instellingen is the problem.
SENDER_REFUSED = (
    "niet verstuurd: de mailserver weigerde het afzenderadres; controleer 'Afzender e-mail' "
    "en 'E-mail' op het blad Instellingen en de SMTP-gebruiker"
)

#: The notes of an e-mail that stays a concept: not refused, not (surely) sent.
NOT_SENT = (DROPPED, UNREACHED)
#: The starts of the notes of an e-mail that stays a concept after a reply of the server.
_NOT_SENT_STARTS = (LATER, SENDER_REFUSED)


def not_sent(reason: str) -> bool:
    """Return whether an e-mail with this outcome stays a concept: the connection dropped or
    did not come back (:data:`NOT_SENT`), the server did not take it for now (:data:`LATER`) or
    refused the sender (:data:`SENDER_REFUSED`); it was not refused (no ``mislukt``, no letter
    for the post) and not (surely) sent."""
    return reason in NOT_SENT or reason.startswith(_NOT_SENT_STARTS)


def left_unsent(note: str) -> bool:
    """Return whether an Acties note says that ``brieven --verstuur`` left this e-mail a
    concept without knowing it went out: Ctrl-C (:data:`STOPPED`), or any outcome
    :func:`not_sent` keeps a concept (a dropped connection, a server that did not take it for
    now or refused the sender). Only the user can say it was sent (``verzonden --klant``)."""
    return any(text in note for text in (STOPPED, *NOT_SENT, *_NOT_SENT_STARTS))


class SendInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped sending: ``letters`` are the outcomes so far, then the letters not sent
    (the one being sent with the note :data:`STOPPED`), so that the caller can log them."""

    def __init__(self, letters: list[LetterFile]) -> None:
        super().__init__()
        self.letters = letters


def write_eml(
    letter: LetterFile, creditor: Creditor, settings: Settings, as_of: date, now: datetime
) -> Path:
    """Write the e-mail draft of ``letter`` beside its attachment; return the .eml file."""
    lang = letter.debtor.language if letter.debtor.language in EMAIL_TEXT else "nl"
    loc = locale_for(lang, str(letter.debtor.country))
    body = EMAIL_TEXT[lang].format(
        aanhef=without_direction_controls(salutation(lang, letter.debtor)),  # as in the letter
        datum=long_date(as_of, loc, unbreakable=True),  # as the letter: one line
        facturen=INVOICES_TEXT[lang][len(letter.invoices) > 1].format(aantal=len(letter.invoices)),
        bedrag=euro(letter.amount, loc, unbreakable=True),  # as in the letter: on one line
        # the signer above the company's name; without one, the name once
        ondertekening="\n".join(filter(None, (creditor.signatory, creditor.name))),
    )
    attachment = letter.pdf or letter.docx
    assert attachment is not None
    mime = (
        "application/pdf"
        if attachment.suffix == ".pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    template = template_for(letter.step, rules_for(letter.debtor, creditor))
    subject = f"{TITLES[template][lang]} – {creditor.name}"
    # the address alone: 'Debiteuren <info@…>' typed on Instellingen made the sender 'Debiteuren'
    sender = parseaddr(settings.smtp_sender or creditor.email)[1] or "debiteuren@localhost"
    from .render import make_eml  # python-docx, lxml: desktop only

    content = make_eml(
        sender=f'"{quote(creditor.name)}" <{sender}>',  # a comma in the name stays in it
        to=letter.debtor.email,
        subject=subject,
        body_text=body,
        attachments=[(attachment.name, attachment.read_bytes(), mime)],
        date=now,
    )
    target = attachment.with_suffix(".eml")
    atomic_write(target, lambda tmp: tmp.write_bytes(content))
    return target


def refuse_plain_login(settings: Settings) -> None:
    """Raise SendError when the settings would send the SMTP password without encryption."""
    if settings.smtp_user and settings.smtp_security == "none" and not settings.smtp_plain_login:
        raise SendError(
            "De mailserver staat op 'SMTP-beveiliging: geen': dan zouden gebruikersnaam en "
            "wachtwoord leesbaar over het netwerk gaan. Kies STARTTLS of SSL, of zet 'SMTP: "
            "aanmelden zonder versleuteling' op Ja als de server in uw eigen netwerk staat. "
            "Er is niets gemaakt of verstuurd."
        )


def smtp_password(settings: Settings, given: str | None = None) -> str | None:
    """Return the SMTP password: given, else the environment, else the OS keyring."""
    if given:
        return given
    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    try:
        import keyring  # optional: only when the user installed it
    except ImportError:
        return None
    return keyring.get_password("debiteuren", settings.smtp_user or settings.smtp_host)


class Mailer:
    """One SMTP connection for a run of ``brieven --verstuur``."""

    def __init__(self, creditor: Creditor, settings: Settings, password: str | None) -> None:
        self.creditor, self.settings, self.given = creditor, settings, password
        self.secret: str | None = None
        self.server: smtplib.SMTP | None = None
        #: The addresses the server refused of the last message it accepted for another one.
        self.partly_refused = ""
        #: The connection dropped while the server was given the last message (it may have
        #: gone out).
        self.uncertain = False
        #: Why the server refused the sender address (:data:`SENDER_REFUSED`): nothing more
        #: is sent in this run.
        self.sender_refused = ""

    def check(self) -> None:
        """Refuse before anything is made when the server or the password is missing."""
        settings = self.settings
        if not settings.smtp_host:
            raise SendError(
                "Vul eerst 'SMTP-server' in op het blad Instellingen; er is niets gemaakt of "
                "verstuurd."
            )
        refuse_plain_login(settings)
        self.secret = smtp_password(settings, self.given)
        if settings.smtp_user and not self.secret:
            raise SendError(
                f"Geen wachtwoord voor de mailserver: zet het in de omgevingsvariabele "
                f"{PASSWORD_VARIABLE}; er is niets gemaakt of verstuurd."
            )

    def connect(self) -> None:
        """Open the connection (and log in); raise SendError when that fails."""
        settings = self.settings
        try:
            if settings.smtp_security == "ssl":
                server: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.smtp_host,
                    settings.smtp_port,
                    context=ssl.create_default_context(),
                    timeout=TIMEOUT,
                )
            else:
                server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT)
                if settings.smtp_security == "starttls":
                    server.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                server.login(settings.smtp_user, self.secret or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(
                f"Kan geen verbinding maken met de mailserver {settings.smtp_host}:"
                f"{settings.smtp_port}; er is niets vastgelegd of verstuurd. Controleer de "
                "SMTP-server, -poort, -beveiliging en -gebruiker op het blad Instellingen, het "
                f"wachtwoord en de internetverbinding {quoted(_server_text(exc))}."
            ) from None
        self.server = server

    def send(self, eml: Path) -> str:
        """Send one drafted message; return "" when accepted, else why not (Dutch).

        A message to more than one address that the server accepts for one of them went out:
        "" too, with the addresses it refused in ``partly_refused``. When the server drops the
        connection (or says it closes it: 421) before it was given the message, the mailer
        connects again once, as a mail program does, and sends the message again; when the
        connection drops while the server is given the message, it may have gone out: the
        message is not sent again (``uncertain``), and the next one gets a new connection.
        """
        self.partly_refused = ""
        self.uncertain = False
        if self.sender_refused:
            return self.sender_refused
        message = _Outgoing.read(eml)
        reason = self._attempt(message)
        if reason is _DROPPED and not self.uncertain and self._reconnect():
            reason = self._attempt(message)
        if reason is _DROPPED:
            if self.uncertain:
                return DROPPED
            self.server = None  # gone: the rest of the run is not sent
            return UNREACHED
        return reason

    def _reconnect(self) -> bool:
        """Connect again after a dropped connection; return False when that fails."""
        self.close()
        try:
            self.connect()
        except SendError:
            return False
        return True

    def _attempt(self, message: _Outgoing) -> str:
        """Send ``message`` once; return "" when accepted, :data:`_DROPPED` when the connection
        dropped (``uncertain`` when the server was being given the message), else why not."""
        if self.server is None and not self._reconnect():
            return _DROPPED
        assert self.server is not None
        server, data = self.server, self.server.data

        def watched_data(msg):  # the server is given the message from here on
            self.uncertain = True
            return data(msg)

        server.data = watched_data  # type: ignore[method-assign]
        try:
            options: tuple[str, ...] = ()
            if message.international:
                server.ehlo_or_helo_if_needed()
                if not server.has_extn("smtputf8"):
                    return NO_SMTPUTF8
                options = ("SMTPUTF8", "BODY=8BITMIME")
            refused = server.sendmail(message.sender, message.to, message.data, options)
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == 421:  # "service not available, closing transmission channel":
                self.server, self.uncertain = None, False  # a reply: the message not taken
                return _DROPPED
            if 400 <= exc.smtp_code < 500:  # a reply: not taken, for now
                return f"{LATER} (de server meldde: {exc.smtp_code} {_decode(exc.smtp_error)})"
            if isinstance(exc, smtplib.SMTPSenderRefused):  # the same for every e-mail
                self.sender_refused = (
                    f"{SENDER_REFUSED} (de server meldde: {exc.smtp_code} "
                    f"{_decode(exc.smtp_error)})"
                )
                return self.sender_refused
            return self._refused(exc)
        except smtplib.SMTPRecipientsRefused as exc:
            if all(code == 421 for code, _ in exc.recipients.values()):
                self.server = None
                return _DROPPED
            if all(400 <= code < 500 for code, _ in exc.recipients.values()):
                return f"{LATER} ({_replies(exc.recipients)})"
            return _refusal(exc.recipients)
        except (smtplib.SMTPServerDisconnected, ConnectionError):
            with contextlib.suppress(OSError):
                server.close()
            self.server = None
            return _DROPPED
        except (OSError, smtplib.SMTPException) as exc:
            if self.uncertain:  # no reply to the message (a time-out): it may have gone out
                with contextlib.suppress(OSError):
                    server.close()
                self.server = None
                return _DROPPED
            return f"het versturen mislukte (de server meldde: {_server_text(exc)})"
        finally:
            server.__dict__.pop("data", None)
        if refused:  # smtplib raises when every address is refused: this one went out
            self.partly_refused = _refusal(refused)
        return ""

    @staticmethod
    def _refused(exc: smtplib.SMTPResponseException) -> str:
        """Return why the server refused a message (Dutch, its reply quoted after it)."""
        reply = f"(de server meldde: {exc.smtp_code} {_decode(exc.smtp_error)})"
        if isinstance(exc, smtplib.SMTPDataError):
            return f"de mailserver weigerde het bericht {reply}"
        return f"het versturen mislukte {reply}"

    def close(self) -> None:
        if self.server is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.server.quit()
            self.server = None


#: Why an e-mail to an address with letters outside ASCII before its @ was not sent.
NO_SMTPUTF8 = (
    "de mailserver kan geen e-mail versturen naar een adres met letters als ü of é vóór de @ "
    "(hij kent SMTPUTF8 niet)"
)

#: The header that makes a mail program open a draft as a draft (not part of what is sent).
_UNSENT = re.compile(rb"^X-Unsent:[^\r\n]*\r?\n", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class _Outgoing:
    """An e-mail draft as it is sent: its bytes without ``X-Unsent``, and the envelope, the
    addresses of its From and To headers (the server is given exactly the draft)."""

    sender: str
    to: tuple[str, ...]
    data: bytes
    international: bool

    @classmethod
    def read(cls, eml: Path) -> _Outgoing:
        from .render import read_envelope  # the e-mail package's reading, as make_eml's

        data = eml.read_bytes()
        end = data.find(b"\r\n\r\n")
        head, body = (data[:end], data[end:]) if end >= 0 else (data, b"")
        head = _UNSENT.sub(b"", head + b"\r\n")[:-2]
        sender, to = read_envelope(head) or ("", ())
        return cls(sender, to, head + body, not "".join((sender, *to)).isascii())


def _decode(text: object) -> str:
    if isinstance(text, bytes):
        return text.decode("utf-8", "replace")
    return str(text)


def _server_text(exc: BaseException) -> str:
    code = getattr(exc, "smtp_code", None)
    error = getattr(exc, "smtp_error", None)
    if code is not None and error is not None:
        return f"{code} {_decode(error)}"
    return str(exc) or type(exc).__name__


def _refusal(recipients: dict) -> str:
    """Return the Dutch sentence for refused recipients, the server's reply quoted after it."""
    parts = [f"{address} ({code} {_decode(text)})" for address, (code, text) in recipients.items()]
    return "de mailserver weigerde het adres " + ", ".join(parts)


def _replies(recipients: dict) -> str:
    """Return the server's replies to the addresses it did not take for now."""
    parts = [f"{address}: {code} {_decode(text)}" for address, (code, text) in recipients.items()]
    return "de server meldde: " + ", ".join(parts)


#: The name of the send log in a day's folder of letters.
SEND_LOG = "verzendlog.txt"


def logged_as_sent(log: str, number: str, step: Step, address: str) -> bool | None:
    """Return whether the send log ``log`` (its text) says the mail server took the e-mail of
    this letter: True, False when it names another outcome (refused, in doubt, stopped), None
    when it does not name the letter (a run stopped before or while sending it). The last
    outcome counts; a letter is named as :func:`send_all` writes it, with its address."""
    prefix = one_line(f"{number} {step.value} aan {address}") + ": "
    found = None
    for line in log.splitlines():
        entry = line.partition(" ")[2]  # after the time
        if entry.startswith(prefix):
            found = entry[len(prefix) :].startswith("verzonden")
    return found


def send_all(
    written: list[LetterFile],
    mailer: Mailer,
    log: Path,
    now: datetime,
    progress: Callable[[str, int, int], None] | None,
) -> list[LetterFile]:
    """Send every e-mail draft; write each outcome to ``log`` as it happens (flushed to disk)."""
    out = []
    todo = [w for w in written if w.eml is not None]
    done, gone = 0, False
    with log.open("a", encoding="utf-8") as journal:
        journal.write(f"--- brieven --verstuur, {now:%d-%m-%Y %H:%M:%S}\n")
        try:
            for w in written:
                if w.eml is None:
                    out.append(w)
                    continue
                # after the server could not be reached again, the rest wait as concepts
                reason = UNREACHED if gone else mailer.send(w.eml)
                gone = reason == UNREACHED
                partly = "" if reason else getattr(mailer, "partly_refused", "")
                if not_sent(reason):  # not refused, not (surely) sent: still a concept
                    out.append(replace(w, error=reason))
                elif reason:
                    out.append(replace(w, error=reason, state=LetterState.FAILED))
                else:
                    out.append(replace(w, sent=True, state=LetterState.SENT, refused=partly))
                outcome = f"NIET verzonden: {reason}" if reason else "verzonden"
                outcome = f"ONZEKER: {reason}" if reason == DROPPED else outcome
                outcome += f" ({partly})" if partly else ""
                entry = f"{w.debtor.number} {w.step.value} aan {w.debtor.email}: {outcome}"
                # one line: a server's reply of several lines must not add a 'verzonden' line
                journal.write(f"{datetime.now():%H:%M:%S} {one_line(entry)}\n")
                journal.flush()
                os.fsync(journal.fileno())
                done += 1
                if progress:
                    progress("Versturen", done, len(todo))
        except KeyboardInterrupt:
            rest = list(written[len(out) :])
            if rest and rest[0].eml is not None:  # the one being sent: taken or not?
                rest[0] = replace(rest[0], error=STOPPED)
                entry = f"{rest[0].debtor.number} {rest[0].step.value} aan {rest[0].debtor.email}"
                journal.write(f"{datetime.now():%H:%M:%S} {one_line(entry)}: {STOPPED}\n")
                journal.flush()
            raise SendInterrupted(out + rest) from None
        finally:
            mailer.close()
    return out
