"""The EPC QR code ("betaal-QR", "GiroCode") for a SEPA credit transfer on a letter.

The payload follows EPC069-12 v2.1, "Quick Response Code: Guidelines to Enable Data Capture for
the Initiation of a SEPA Credit Transfer" (``shared/domain/payments.md`` §4): twelve lines
separated by LF, at most 331 bytes, drawn as a QR symbol of version 13 or lower at error
correction level M in byte mode. This module writes version ``002`` in UTF-8 (character set
``1``), leaves the BIC empty unless one is given, and puts a structured reference (an ISO 11649
RF reference or a Belgian OGM as its 12 digits, as recommended in payments.md §4.3) in line 10,
or a free text in line 11. Trailing empty lines are left off.

Sources: EPC069-12 v2.1 (europeanpaymentscouncil.eu); segno 1.6 (``make_epc_qr``) for the
symbol rules; letspeppol PR #286 and Odoo ``account_qr_code_sepa`` for the OGM in line 10.

>>> print(epc_payload(name="Voorbeeld BV", iban="BE71 0961 2345 6769",
...                   amount=Decimal("463.63"), reference="+++123/4567/89002+++"))
BCD
002
1
SCT
<BLANKLINE>
Voorbeeld BV
BE71096123456769
EUR463.63
<BLANKLINE>
123456789002
"""

from __future__ import annotations

import functools
import io
import re

import segno
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum import iso11649
from stdnum.exceptions import ValidationError

from debiteuren.core.money import Decimal, round_cents, to_decimal
from debiteuren.core.references import (
    ReferenceError,
    is_valid_iban,
    is_valid_nl_payment_reference,
    is_valid_ogm,
    is_valid_rf,
    validate_ogm,
    validate_rf,
)
from debiteuren.errors import DebiteurenError

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "MAX_QR_VERSION",
    "QrError",
    "cached_qr_png",
    "check_epc_payload",
    "epc_payload",
    "epc_qr_png",
]

#: Largest payload in bytes that fits a version-13 symbol at level M (EPC069-12).
MAX_PAYLOAD_BYTES = 331
#: Largest QR version an EPC QR code may use.
MAX_QR_VERSION = 13

_MIN_AMOUNT = Decimal("0.01")
_MAX_AMOUNT = Decimal("999999999.99")
_MAX_NAME = 70
_MAX_IBAN = 34
_MAX_REFERENCE = 35
_MAX_TEXT = 140
_MAX_INFORMATION = 70

#: Line 3: the character set code and the Python codec of the payload bytes.
_CHARSETS = {
    "1": "utf-8",
    "2": "iso-8859-1",
    "3": "iso-8859-2",
    "4": "iso-8859-4",
    "5": "iso-8859-5",
    "6": "iso-8859-7",
    "7": "iso-8859-10",
    "8": "iso-8859-15",
}
_AMOUNT = re.compile(r"EUR([0-9]+(?:\.[0-9]{1,2})?)", re.ASCII)
_PURPOSE = re.compile(r"[A-Z]{4}", re.ASCII)


class QrError(DebiteurenError):
    """An EPC QR code cannot be made from the given payment details."""

    def __init__(self, problem: str) -> None:
        """Build the sentence.

        Args:
          problem: what is wrong, a Dutch phrase (``"het IBAN 'NL00' is ongeldig"``).
        """
        self.problem = problem
        super().__init__(f"De betaal-QR-code (EPC) kan niet worden gemaakt: {problem}.")


def epc_payload(
    *,
    name: str,
    iban: str,
    amount: Decimal,
    reference: str | None = None,
    text: str | None = None,
    bic: str = "",
    information: str = "",
) -> str:
    """Return the EPC QR payload for a credit transfer to the creditor.

    Runs of whitespace (line breaks included) in the name, text and information become one
    space. The text is cut to 140 characters and the information to 70; when the payload is
    still over 331 bytes, the information (line 12) is shortened first, then the text (line 11).
    The name, IBAN, amount and reference are never shortened.

    Args:
      name: the beneficiary (the creditor), at most 70 characters.
      iban: the creditor's IBAN, with or without spaces; checked with python-stdnum.
      amount: the amount in euro, whole cents, from 0.01 to 999999999.99.
      reference: a structured reference for line 10: an RF reference (any spacing) or a
        Belgian OGM (``+++123/4567/89002+++`` or its 12 digits); written compact. A Dutch
        betalingskenmerk is not accepted here; pass it as ``text``.
      text: free remittance text for line 11. Give exactly one of ``reference`` and ``text``.
      bic: the BIC of the creditor's bank (8 or 11 characters), or empty to leave line 5 empty.
      information: a note to the payer for line 12, not sent with the transfer.
    Returns:
      The payload: lines joined by LF, without trailing empty lines. Raises :class:`QrError`
      when the details cannot make a valid payload.
    """
    name = _one_line(name)
    if not name:
        raise QrError("de naam van de begunstigde ontbreekt")
    if len(name) > _MAX_NAME:
        raise QrError(
            f"de naam van de begunstigde '{name}' heeft {len(name)} tekens; "
            f"het maximum is {_MAX_NAME}"
        )
    try:
        iban_compact = stdnum_iban.validate(iban, check_country=False)
    except ValidationError:
        raise QrError(f"het IBAN '{iban}' is ongeldig") from None
    bic_compact = ""
    if bic.strip():
        try:
            bic_compact = stdnum_bic.validate(bic)
        except ValidationError:
            raise QrError(f"de BIC '{bic}' is ongeldig") from None
    amount_text = _amount_text(amount)

    reference_text = _structured_reference(reference) if reference and reference.strip() else ""
    free_text = _one_line(text or "")[:_MAX_TEXT].rstrip()
    if reference_text and free_text:
        raise QrError("geef een betalingskenmerk of een omschrijving, niet allebei")
    if not reference_text and not free_text:
        raise QrError("een betalingskenmerk of een omschrijving ontbreekt")
    information = _one_line(information)[:_MAX_INFORMATION].rstrip()

    def build(line_11: str, line_12: str) -> str:
        lines = [
            "BCD",
            "002",
            "1",
            "SCT",
            bic_compact,
            name,
            iban_compact,
            amount_text,
            "",
            reference_text,
            line_11,
            line_12,
        ]
        while not lines[-1]:
            lines.pop()
        return "\n".join(lines)

    payload = build(free_text, information)
    while _size(payload) > MAX_PAYLOAD_BYTES and information:
        information = information[:-1].rstrip()
        payload = build(free_text, information)
    while _size(payload) > MAX_PAYLOAD_BYTES and len(free_text) > 1:
        free_text = free_text[:-1].rstrip()
        payload = build(free_text, information)
    if _size(payload) > MAX_PAYLOAD_BYTES:
        raise QrError(
            f"de gegevens nemen {_size(payload)} bytes in beslag; het maximum is "
            f"{MAX_PAYLOAD_BYTES} (kort de naam van de begunstigde in)"
        )
    problems = check_epc_payload(payload)
    if problems:
        raise QrError("; ".join(problems))
    return payload


def check_epc_payload(payload: str) -> list[str]:
    """Check a payload against the EPC069-12 rules.

    Checks the service tag, version, character set, identification, BIC (required in version
    001), name, IBAN (with python-stdnum), amount format and range, purpose code, line lengths,
    that exactly one of line 10 (structured reference; an RF reference or OGM must have valid
    check digits) and line 11 (text) is filled, the line separators, and the size (at most 331
    bytes in the declared character set). Both lines 10 and 11 empty is allowed by EPC069-12,
    but is reported here: such a payment cannot be matched to an invoice.

    Args:
      payload: the payload as text.
    Returns:
      One Dutch sentence per broken rule; empty when the payload is valid.
    """
    if not payload:
        return ["De QR-inhoud is leeg."]
    problems: list[str] = []
    crlf = payload.count("\r\n")
    if payload.count("\r") > crlf:
        problems.append("De QR-inhoud bevat een losse CR: scheid regels met LF of CR LF.")
    elif crlf and payload.count("\n") > crlf:
        problems.append("De regeleinden zijn gemengd: gebruik overal LF of overal CR LF.")
    lines = re.split(r"\r\n|\n|\r", payload)
    if len(lines) > 12:
        problems.append(f"De QR-inhoud heeft {len(lines)} regels; het maximum is 12.")
    if len(lines) < 7:
        problems.append(f"De QR-inhoud heeft {len(lines)} regels; minstens 7 zijn verplicht.")
    if len(lines) > 1 and not lines[-1]:
        problems.append("Na de laatste ingevulde regel mag niets meer volgen.")
    fields = (lines + [""] * 12)[:12]
    tag, version, charset, identification, bic, name, iban, amount = fields[:8]
    purpose, reference, text, information = fields[8:]

    if tag != "BCD":
        problems.append(f"Regel 1 (servicelabel) moet 'BCD' zijn, niet '{tag}'.")
    if version not in ("001", "002"):
        problems.append(f"Regel 2 (versie) moet '001' of '002' zijn, niet '{version}'.")
    if charset not in _CHARSETS:
        problems.append(
            f"Regel 3 (tekenset) moet een cijfer van 1 tot en met 8 zijn, niet '{charset}'."
        )
    if identification != "SCT":
        problems.append(f"Regel 4 (identificatie) moet 'SCT' zijn, niet '{identification}'.")
    if not bic:
        if version == "001":
            problems.append("Regel 5 (BIC) is verplicht in versie 001.")
    elif len(bic) not in (8, 11):
        problems.append(f"Regel 5 (BIC) '{bic}' moet 8 of 11 tekens hebben, niet {len(bic)}.")
    elif not stdnum_bic.is_valid(bic) or bic != bic.upper():
        problems.append(f"Regel 5 (BIC) '{bic}' is geen geldige BIC.")
    if not name:
        problems.append("Regel 6 (naam van de begunstigde) is leeg.")
    elif len(name) > _MAX_NAME:
        problems.append(
            f"Regel 6 (naam van de begunstigde) heeft {len(name)} tekens; "
            f"het maximum is {_MAX_NAME}."
        )
    problems += _check_iban(iban)
    problems += _check_amount(amount)
    if purpose and not _PURPOSE.fullmatch(purpose):
        problems.append(f"Regel 9 (doelcode) '{purpose}' moet uit 4 hoofdletters bestaan.")
    problems += _check_reference(reference)
    if len(text) > _MAX_TEXT:
        problems.append(
            f"Regel 11 (omschrijving) heeft {len(text)} tekens; het maximum is {_MAX_TEXT}."
        )
    if reference and text:
        problems.append(
            "Regel 10 (betalingskenmerk) en regel 11 (omschrijving) zijn allebei ingevuld; "
            "maar één van beide mag."
        )
    if not reference and not text:
        problems.append(
            "Regel 10 (betalingskenmerk) en regel 11 (omschrijving) zijn allebei leeg; "
            "de betaling is dan niet aan de factuur te koppelen."
        )
    if len(information) > _MAX_INFORMATION:
        problems.append(
            f"Regel 12 (informatie voor de betaler) heeft {len(information)} tekens; "
            f"het maximum is {_MAX_INFORMATION}."
        )
    if charset in _CHARSETS:
        try:
            size = len(payload.encode(_CHARSETS[charset]))
        except UnicodeEncodeError:
            problems.append(
                f"De QR-inhoud bevat tekens die niet in tekenset {charset} "
                f"({_CHARSETS[charset]}) passen."
            )
        else:
            if size > MAX_PAYLOAD_BYTES:
                problems.append(
                    f"De QR-inhoud is {size} bytes; het maximum is {MAX_PAYLOAD_BYTES}."
                )
    return problems


def epc_qr_png(payload: str, *, scale: int = 4) -> bytes:
    """Draw an EPC QR payload as a PNG image.

    The symbol uses error correction level M (not raised), byte mode and QR version 13 or lower;
    the bytes are the payload in the character set its line 3 names. The image includes the
    quiet zone of four modules.

    Args:
      payload: a valid payload, e.g. from :func:`epc_payload`.
      scale: the size of one module in pixels, at least 1.
    Returns:
      The PNG file as bytes. Raises :class:`QrError` when the payload breaks an EPC rule or
      needs a QR version above 13.
    """
    if scale < 1:
        raise QrError(f"de schaal moet minstens 1 zijn, niet {scale}")
    problems = check_epc_payload(payload)
    if problems:
        raise QrError("de inhoud voldoet niet aan EPC069-12: " + " ".join(problems))
    data = payload.encode(_CHARSETS[re.split(r"\r\n|\n", payload)[2]])
    symbol = segno.make(data, error="m", mode="byte", boost_error=False, micro=False)
    if symbol.version > MAX_QR_VERSION:  # not reached for ≤ 331 bytes; kept as a guard
        raise QrError(
            f"de QR-code heeft versie {symbol.version} nodig; het maximum is {MAX_QR_VERSION}"
        )
    out = io.BytesIO()
    symbol.save(out, kind="png", scale=scale)
    return out.getvalue()


@functools.lru_cache(maxsize=4096)
def cached_qr_png(payload: str, scale: int = 4) -> bytes:
    """Return :func:`epc_qr_png` of ``payload``, drawn once per payload in this process (a run
    that makes a letter again, or a posted copy of a refused e-mail, reuses it)."""
    return epc_qr_png(payload, scale=scale)


def _one_line(value: str) -> str:
    """Return ``value`` with every run of whitespace (line breaks too) made one space."""
    return " ".join(value.split())


def _size(payload: str) -> int:
    """Return the size of a UTF-8 payload in bytes."""
    return len(payload.encode("utf-8"))


def _amount_text(amount: Decimal) -> str:
    """Return line 8 for ``amount``: ``EUR`` and the amount with a dot and two decimals."""
    value = to_decimal(amount)
    if not value.is_finite():
        raise QrError(f"het bedrag {amount} is geen getal")
    if value != round_cents(value):
        raise QrError(f"het bedrag {value} heeft meer dan twee decimalen")
    if not _MIN_AMOUNT <= value <= _MAX_AMOUNT:
        raise QrError(f"het bedrag {value} ligt niet tussen 0.01 en 999999999.99 euro")
    return f"EUR{round_cents(value):f}"


def _structured_reference(reference: str) -> str:
    """Return the compact form of an RF reference or OGM for line 10, or raise QrError."""
    if iso11649.compact(reference).startswith("RF"):
        try:
            return validate_rf(reference)
        except ReferenceError:
            raise QrError(f"het RF-betalingskenmerk '{reference}' is ongeldig") from None
    try:
        return validate_ogm(reference)
    except ReferenceError:
        raise QrError(
            f"'{reference}' is geen geldig RF-betalingskenmerk of geldige gestructureerde "
            "mededeling (OGM); een Nederlands betalingskenmerk hoort in de omschrijving"
        ) from None


def _check_iban(iban: str) -> list[str]:
    """Return the problems with line 7 (IBAN)."""
    if not iban:
        return ["Regel 7 (IBAN) is leeg."]
    if " " in iban:
        return [f"Regel 7 (IBAN) '{iban}' moet zonder spaties."]
    if len(iban) > _MAX_IBAN:
        return [f"Regel 7 (IBAN) heeft {len(iban)} tekens; het maximum is {_MAX_IBAN}."]
    if not is_valid_iban(iban) or iban != iban.upper():
        return [f"Regel 7 (IBAN) '{iban}' is geen geldig IBAN."]
    return []


def _check_amount(amount: str) -> list[str]:
    """Return the problems with line 8 (amount); an empty amount is allowed."""
    if not amount:
        return []
    match = _AMOUNT.fullmatch(amount)
    if match is None:
        return [
            f"Regel 8 (bedrag) '{amount}' moet 'EUR' zijn gevolgd door een bedrag met een punt "
            "en hoogstens twee decimalen, zoals 'EUR12.34'."
        ]
    if not _MIN_AMOUNT <= to_decimal(match.group(1)) <= _MAX_AMOUNT:
        return [f"Regel 8 (bedrag) '{amount}' ligt niet tussen 0.01 en 999999999.99 euro."]
    return []


def _check_reference(reference: str) -> list[str]:
    """Return the problems with line 10 (structured reference)."""
    if not reference:
        return []
    if len(reference) > _MAX_REFERENCE:
        return [
            f"Regel 10 (betalingskenmerk) heeft {len(reference)} tekens; "
            f"het maximum is {_MAX_REFERENCE}."
        ]
    if reference.upper().startswith("RF") and not is_valid_rf(reference):
        return [f"Regel 10 (betalingskenmerk) '{reference}' is geen geldige RF-referentie."]
    if (
        reference.isascii()
        and reference.isdigit()
        and not (is_valid_ogm(reference) or is_valid_nl_payment_reference(reference))
    ):
        return [
            f"Regel 10 (betalingskenmerk) '{reference}' is geen geldige gestructureerde "
            "mededeling of Nederlands betalingskenmerk."
        ]
    return []
