"""Tests for debiteuren.core.references.read_reference: the one order in which a text is read
as a structured payment reference, for the Betalingskenmerk cell, an e-invoice's BT-83 and a
bank payment's structured field.

The three readings each had an order of their own before. The property tests below keep those
readers (as they were) and check that the one function gives what they gave, except in the
documented case: 12 digits that pass both the OGM and the betalingskenmerk check, written in
neither's form, are of the creditor's country's kind.
"""

from __future__ import annotations

import contextlib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren import einvoice
from debiteuren.core import references
from debiteuren.core.references import (
    PaymentReference,
    ReferenceKind,
    compact_kind,
    find_references,
    is_valid_nl_payment_reference,
    is_valid_ogm,
    is_valid_rf,
    nl_payment_reference,
    ogm_reference,
    read_reference,
    rf_reference,
    stored_reference,
    validate_nl_payment_reference,
    validate_ogm,
    validate_rf,
)
from debiteuren.payments import lines

KINDS = [None, *ReferenceKind]


def _both_kinds(payload: int) -> str | None:
    """Return the 12-digit betalingskenmerk of ``payload`` when it passes the OGM check too."""
    body = f"0{payload:010d}"  # the length code of 12 digits, then the 10 digits
    digits = references._nl_check_digit(body) + body
    return digits if is_valid_ogm(digits) else None


#: 12-digit numbers that are both a valid OGM and a valid betalingskenmerk.
AMBIGUOUS = [v for p in range(2026000000, 2026004000) if (v := _both_kinds(p))]


# --- the readers as they were -------------------------------------------------------------------


def old_bank(value: str) -> str:
    """``payments.lines._parse_reference`` before: printed form, then RF, OGM, NL."""
    if not value.strip():
        return ""
    spaced = ""
    if re.fullmatch(r"RF[0-9]{2}[A-Z0-9]{1,21}", value, re.ASCII):
        spaced = " ".join([value[:4], *(value[k : k + 4] for k in range(4, len(value), 4))])
    elif value.isascii() and value.isdigit():
        if len(value) == 16:
            spaced = " ".join(value[k : k + 4] for k in range(0, 16, 4))
        if len(value) == 12:
            spaced = f"+++{value[:3]}/{value[3:7]}/{value[7:]}+++"
    printed = references.printed_compact(spaced or value)
    if printed is not None:
        return printed
    for validate in (validate_rf, validate_ogm, validate_nl_payment_reference):
        try:
            return validate(value)
        except references.ReferenceError:
            continue
    return ""


def old_bank_kind(value: str) -> ReferenceKind:
    """The kind ``matching._reference_phrase`` named a compact reference before."""
    if value.startswith("RF") and is_valid_rf(value):
        return ReferenceKind.RF
    if len(value) == 12 and is_valid_ogm(value):
        return ReferenceKind.OGM
    return ReferenceKind.NL


def old_stored(text: str) -> PaymentReference | None:
    """``core.references.stored_reference`` before: printed form, else the first found."""
    found = find_references(text)
    return found[0] if found else None


def old_bt83(payment_id: str, kind: ReferenceKind | None) -> PaymentReference | None:
    """``einvoice._structured_reference`` before."""
    compact = re.sub(r"[ .\-]", "", payment_id)
    plain = payment_id.strip()
    if (
        kind is ReferenceKind.NL
        and len(compact) == 12
        and compact.isdigit()
        and compact == plain
        and is_valid_nl_payment_reference(compact)
    ):
        return PaymentReference(kind=ReferenceKind.NL, value=compact)
    found = find_references(payment_id)
    if found:
        return found[0]
    weak = len(compact) == 7 and compact != payment_id.replace(" ", "")
    ogm_groups = re.fullmatch(r"\d{3}([ .-])\d{4}\1\d{5}", plain) is not None
    nl = compact.isdigit() and not weak and not ogm_groups
    if nl and is_valid_nl_payment_reference(compact):
        return PaymentReference(kind=ReferenceKind.NL, value=compact)
    if compact.isdigit() and is_valid_ogm(compact):
        return PaymentReference(kind=ReferenceKind.OGM, value=validate_ogm(compact))
    if compact.upper().startswith("RF") and is_valid_rf(compact):
        return PaymentReference(kind=ReferenceKind.RF, value=validate_rf(compact))
    return None


def _documented(old: PaymentReference | None, new: PaymentReference | None) -> bool:
    """Return whether ``old`` and ``new`` differ only as documented: the same 12 digits that
    pass both checks, read as the other kind."""
    return (
        old is not None
        and new is not None
        and old.value == new.value
        and len(new.value) == 12
        and is_valid_ogm(new.value)
        and is_valid_nl_payment_reference(new.value)
    )


# --- texts --------------------------------------------------------------------------------------


@st.composite
def _values(draw: st.DrawFn) -> str:
    """A reference's compact value of any kind, or digits that may be one."""
    number = draw(st.from_regex(r"[1-9][0-9]{0,9}", fullmatch=True))
    return draw(
        st.sampled_from(
            [
                draw(st.sampled_from(AMBIGUOUS)),
                nl_payment_reference(number),
                ogm_reference(number),
                rf_reference(number),
                draw(st.from_regex(r"[0-9]{7,16}", fullmatch=True)),
            ]
        )
    )


@st.composite
def spelled(draw: st.DrawFn) -> str:
    """A value spelled as people, banks and e-invoices write references, alone or in text."""
    value = draw(_values())
    style = draw(st.sampled_from(["compact", "display", "ogm", "groups", "separated", "lower"]))
    if style == "display":
        kind = compact_kind(value, draw(st.sampled_from(KINDS)))
        with contextlib.suppress(references.ReferenceError):
            value = PaymentReference(kind=kind, value=value).display
    elif style == "ogm" and len(value) == 12:
        value = draw(st.sampled_from(["+++{}/{}/{}+++", "***{}/{}/{}***", "{}/{}/{}"])).format(
            value[:3], value[3:7], value[7:]
        )
    elif style == "groups" and len(value) == 12:
        separator = draw(st.sampled_from(" .-"))
        value = separator.join([value[:3], value[3:7], value[7:]])
    elif style == "separated":
        cuts = sorted(draw(st.sets(st.integers(1, max(1, len(value) - 1)), max_size=4)))
        separators = draw(st.lists(st.sampled_from([" ", ".", "-", "/", "  "]), min_size=4))
        parts = [value[a:b] for a, b in zip([0, *cuts], [*cuts, len(value)], strict=True)]
        value = "".join(p + s for p, s in zip(parts, separators, strict=False)).rstrip(" ./-")
    elif style == "lower":
        value = value.lower()
    before = draw(st.sampled_from(["", " ", "Factuur 2026-042 ", "kenmerk: ", "+++", "nr "]))
    after = draw(st.sampled_from(["", " ", " dank u", "+++", "/1", "-3"]))
    return before + value + after


TEXTS = st.one_of(spelled(), st.text(max_size=30), st.text("0123456789 .-/+*RF", max_size=24))


@settings(max_examples=1500, deadline=None)
@given(TEXTS, st.sampled_from(KINDS))
def test_a_cell_is_read_as_before_except_twelve_digits_of_both_kinds(text, kind):
    """The Betalingskenmerk cell (the search alone)."""
    old, new = old_stored(text), stored_reference(text, kind)
    assert new == old or _documented(old, new)
    if new != old:
        assert kind is ReferenceKind.NL and new.kind is ReferenceKind.NL
    assert stored_reference(text) == old  # without a kind: exactly as before


@settings(max_examples=1500, deadline=None)
@given(TEXTS, st.sampled_from(KINDS))
def test_bt83_is_read_as_before_except_twelve_digits_of_both_kinds(text, kind):
    """BT-83 (the search, then the whole text). The whole text is now read as the bank's
    structured field reads it (the validators' spellings), so an OGM that python-stdnum reads
    with stray ``+``, ``*`` or spaces (``702 0260 00042+++``), or an RF with a slash, is one
    here too: before, BT-83 dropped only spaces, dots and hyphens and took it as plain text."""
    old, new = old_bt83(text, kind), einvoice._structured_reference(text, kind)
    if old is None and new is not None:
        assert new.value == old_bank(text)
        return
    assert new == old or _documented(old, new)


@settings(max_examples=1500, deadline=None)
@given(TEXTS, st.sampled_from(KINDS))
def test_a_bank_field_is_read_as_before_except_the_kind_of_twelve_digits(text, kind):
    """The compact form (the matching's key, and part of a line's stable bank reference) is
    the same as before, always; only the kind a reason names may differ, as documented."""
    old = old_bank(text)
    lines._parse_reference.cache_clear()
    compact = lines._parse_reference(text)
    assert compact == old
    found = read_reference(text, kind, search=False)
    assert (found.value if found else "") == old
    if compact:
        before = old_bank_kind(compact)
        now = compact_kind(compact, kind)
        if now != before:
            assert kind is ReferenceKind.NL and now is ReferenceKind.NL
            assert _documented(PaymentReference(kind=before, value=compact), found)


# --- the documented case, to the character ------------------------------------------------------

TWELVE = "702026000042"  # payload 2026000042: a betalingskenmerk that passes the OGM check too


def test_twelve_digits_of_both_kinds_are_the_creditors_kind():
    assert is_valid_ogm(TWELVE) and is_valid_nl_payment_reference(TWELVE)
    for text in (TWELVE, f" {TWELVE} ", f"betaling {TWELVE} dank u", "7020-2600-0042"):
        nl = read_reference(text, ReferenceKind.NL)
        assert (nl.kind, nl.display) == (ReferenceKind.NL, "7020 2600 0042")
        for kind in (None, ReferenceKind.OGM, ReferenceKind.RF):
            ogm = read_reference(text, kind)
            assert (ogm.kind, ogm.display) == (ReferenceKind.OGM, "+++702/0260/00042+++")


def test_twelve_digits_written_as_one_kind_are_that_kind():
    """An OGM's form stays an OGM and a betalingskenmerk's printed groups a betalingskenmerk,
    whatever the creditor's country."""
    for kind in KINDS:
        for text in (
            "+++702/0260/00042+++",
            "***702/0260/00042***",
            "702/0260/00042",
            "+++702026000042+++",
            "702 0260 00042",
            "702.0260.00042",
            "702-0260-00042",
        ):
            assert read_reference(text, kind).kind is ReferenceKind.OGM, (text, kind)
        assert read_reference("7020 2600 0042", kind).kind is ReferenceKind.NL


def test_a_stored_twelve_digit_betalingskenmerk_of_a_dutch_creditor():
    stored = stored_reference(TWELVE, ReferenceKind.NL)
    assert (stored.kind, stored.display) == (ReferenceKind.NL, "7020 2600 0042")
    stored = stored_reference(TWELVE, ReferenceKind.OGM)
    assert (stored.kind, stored.display) == (ReferenceKind.OGM, "+++702/0260/00042+++")


def test_compact_kind_names_twelve_digits_of_both_kinds_by_the_creditor():
    assert compact_kind(TWELVE, ReferenceKind.NL) is ReferenceKind.NL
    assert compact_kind(TWELVE, ReferenceKind.OGM) is ReferenceKind.OGM
    assert compact_kind(TWELVE) is ReferenceKind.OGM
    assert compact_kind("123456789002", ReferenceKind.NL) is ReferenceKind.OGM  # an OGM only
    assert compact_kind("5000056789012345", ReferenceKind.OGM) is ReferenceKind.NL
    assert compact_kind("RF18539007547034", ReferenceKind.NL) is ReferenceKind.RF


def test_the_ambiguous_numbers_are_both():
    assert TWELVE in AMBIGUOUS
    assert all(is_valid_nl_payment_reference(v) and is_valid_ogm(v) for v in AMBIGUOUS)


def _book(country: str, typed: str):
    from datetime import date
    from decimal import Decimal

    from debiteuren.core.model import Country, Creditor, Debtor, DebtorKind, Invoice

    debtors = {
        "K1": Debtor(number="K1", name="Klant", country=Country.NL, kind=DebtorKind.BUSINESS)
    }
    creditor = Creditor(
        name="Winkel",
        country=Country(country),
        iban="NL91ABNA0417164300" if country == "NL" else "BE71096123456769",
    )
    invoice = Invoice(
        number="2026-0192",
        debtor="K1",
        invoice_date=date(2026, 1, 1),
        due_date=date(2026, 2, 1),
        amount=Decimal("100.00"),
        reference=typed,
    )
    return [invoice], debtors, creditor


def test_a_typed_twelve_digit_betalingskenmerk_is_printed_as_one_for_a_dutch_creditor():
    """Letters, the matching and the write-back take an invoice's reference from
    book_references: a Dutch creditor's 12-digit betalingskenmerk typed in the cell, which
    passes the OGM check too, was printed as the OGM +++702/0260/00042+++."""
    invoices, debtors, creditor = _book("NL", TWELVE)
    assert references.book_references(invoices, debtors, creditor)["2026-0192"].display == (
        "7020 2600 0042"
    )
    assert references.invoice_reference("2026-0192", TWELVE, debtors["K1"], creditor).display == (
        "7020 2600 0042"
    )
    invoices, debtors, creditor = _book("BE", TWELVE)
    assert references.book_references(invoices, debtors, creditor)["2026-0192"].display == (
        "+++702/0260/00042+++"
    )
