"""Tests for debiteuren.letters.outbox: the e-mail draft of a letter."""

from __future__ import annotations

import email
from datetime import date, datetime
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest

from debiteuren.core.letters import LetterFile
from debiteuren.core.model import Channel, Creditor, Debtor, DebtorKind, Settings, Step
from debiteuren.letters.outbox import write_eml


def _draft(
    folder: Path,
    language: str,
    country: str,
    signatory: str = "",
    invoices: tuple[str, ...] = ("F1", "F2"),
) -> bytes:
    attachment = folder / "K1-herinnering.pdf"
    attachment.write_bytes(b"%PDF-1.7 test")
    debtor = Debtor(
        number="K1",
        name="Jansen",
        country=country,
        kind=DebtorKind.BUSINESS,
        email="jansen@example.nl",
        language=language,
    )
    letter = LetterFile(
        debtor=debtor,
        step=Step.REMINDER,
        invoices=invoices,
        channel=Channel.EMAIL,
        amount=Decimal("1234.56"),
        deadline=None,
        pdf=attachment,
    )
    creditor = Creditor(name="Bakkerij Het Wiel", email="info@hetwiel.nl", signatory=signatory)
    made = write_eml(letter, creditor, Settings(), date(2026, 10, 1), datetime(2026, 10, 1, 9))
    return made.read_bytes()


@pytest.mark.parametrize(
    ("language", "country", "amount"),
    [
        ("nl", "NL", "€\xa01.234,56"),
        ("fr", "BE", "1\xa0234,56\xa0€"),
        ("en", "NL", "€1,234.56"),  # English writes no space at all
        ("de", "BE", "1.234,56\xa0€"),
    ],
)
def test_the_amount_in_the_e_mail_does_not_break_over_two_lines(
    tmp_path: Path, language: str, country: str, amount: str
):
    """The letter writes its amounts with no-break spaces; the e-mail wrote "€ 1.234,56"
    with an ordinary space, and a mail program that wraps the text could put "€" at the end
    of one line and "1.234,56" at the start of the next."""
    data = _draft(tmp_path, language, country)
    for read in (policy.default, policy.compat32):  # compat32: what smtplib reads and sends
        message = email.message_from_bytes(data, policy=read)
        assert not message.defects
        (body,) = [p for p in message.walk() if p.get_content_type() == "text/plain"]
        assert body.get_content_charset() == "utf-8"
        text = body.get_payload(decode=True).decode("utf-8")
        assert f" {amount}." in text
    # the paragraph's lines are long: quoted-printable, so the draft is plain ASCII throughout
    assert body["Content-Transfer-Encoding"] == "quoted-printable" and data.isascii()


def _body(data: bytes) -> str:
    message = email.message_from_bytes(data, policy=policy.default)
    (body,) = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    return body.get_content().replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("language", "greeting"),
    [
        ("nl", "Met vriendelijke groet,"),
        ("fr", "Salutations distinguées,"),
        ("en", "Kind regards,"),
        ("de", "Mit freundlichen Grüßen"),
    ],
)
def test_without_a_signer_the_e_mail_is_signed_with_the_name_once(
    tmp_path: Path, language: str, greeting: str
):
    """Without an Ondertekenaar on Instellingen the e-mail was signed "Bakkerij Het Wiel" twice,
    on two lines; with one, the signer and then the company."""
    body = _body(_draft(tmp_path, language, "NL"))
    assert body.endswith(f"{greeting}\n\nBakkerij Het Wiel\n"), body[-80:]
    signed = _body(_draft(tmp_path, language, "NL", "Anna de Wit"))
    assert signed.endswith(f"{greeting}\n\nAnna de Wit\nBakkerij Het Wiel\n"), signed[-80:]


def test_the_date_in_the_e_mail_does_not_break_over_two_lines(tmp_path: Path):
    """As in the letter: "1 oktober 2026" with no-break spaces, never "1" / "oktober 2026"."""
    assert "onze brief van 1\xa0oktober\xa02026 over" in _body(_draft(tmp_path, "nl", "NL"))


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("nl", "over 1 openstaande factuur van", "over 2 openstaande facturen van"),
        ("fr", "concernant 1 facture impayée pour", "concernant 2 factures impayées pour"),
        ("en", "about 1 unpaid invoice totalling", "about 2 unpaid invoices totalling"),
        ("de", "zu 1 offenen Rechnung über", "zu 2 offenen Rechnungen über"),
    ],
)
def test_the_e_mail_names_one_invoice_or_more_as_a_letter_does(
    tmp_path: Path, language: str, one: str, two: str
):
    """A German customer with one invoice read "zu 1 offenen Rechnung(en)", a French one "1
    facture(s) impayée(s)": a form to fill in, not a letter (newcomer, session 27)."""
    assert one in _body(_draft(tmp_path, language, "BE", invoices=("F1",)))
    assert two in _body(_draft(tmp_path, language, "BE"))
