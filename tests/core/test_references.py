"""Tests for debiteuren.core.references: every vector of shared/domain/payments.md §1–§3 and §6."""

from __future__ import annotations

import dataclasses
import string
import time
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from debiteuren.core import references
from debiteuren.core.references import (
    InvalidReference,
    PaymentReference,
    ReferenceError,
    ReferenceKind,
    UnusableInvoiceNumber,
    find_references,
    format_nl_payment_reference,
    format_ogm,
    format_rf,
    is_valid_nl_payment_reference,
    is_valid_ogm,
    is_valid_rf,
    nl_payment_reference,
    ogm_reference,
    reference_for,
    rf_reference,
    validate_nl_payment_reference,
    validate_ogm,
    validate_rf,
)
from debiteuren.errors import DebiteurenError

WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)


def weighted_sum(digits: str) -> int:
    """The Betaalvereniging sum, written out independently of the module."""
    return sum(int(d) * WEIGHTS[i % 10] for i, d in enumerate(reversed(digits)))


# --- §1 Dutch betalingskenmerk ----------------------------------------------------------------

# payments.md §1.3 (NL TV-16): payload after C, Σ, Σ mod 11, C, full reference.
NL_VECTORS = [
    ("000056789012345", 215, 6, "5", "5000056789012345"),
    ("123456789012345", 275, 0, "0", "0123456789012345"),
    ("000000000000006", 12, 1, "1", "1000000000000006"),
    ("2234534622567", 263, 10, "1", "12234534622567"),
]


class TestNlPaymentReference:
    @pytest.mark.parametrize(("payload", "total", "remainder", "check", "full"), NL_VECTORS)
    def test_matches_the_documented_sums(self, payload, total, remainder, check, full):
        assert weighted_sum(payload) == total
        assert total % 11 == remainder
        assert full == check + payload
        assert validate_nl_payment_reference(full) == full
        assert is_valid_nl_payment_reference(full)

    @pytest.mark.parametrize(("payload", "full"), [(v[0], v[4]) for v in NL_VECTORS[:3]])
    def test_makes_the_16_digit_vectors(self, payload, full):
        assert nl_payment_reference(payload) == full

    def test_makes_the_official_example_from_an_invoice_number(self):
        assert nl_payment_reference("F-56789012345") == "5000056789012345"
        assert nl_payment_reference("2024-017") == "5000000002024017"

    @pytest.mark.parametrize(
        ("value", "printed"),
        [
            ("5000056789012345", "5000 0567 8901 2345"),
            ("5000 0567 8901 2345", "5000 0567 8901 2345"),
            ("0123456789012345", "0123 4567 8901 2345"),
            ("1000000000000006", "1000 0000 0000 0006"),
            ("12234534622567", "12 2345 3462 2567"),
            ("12 2345 3462 2567", "12 2345 3462 2567"),
            ("1234567", "123 4567"),
        ],
    )
    def test_formats_in_groups_of_four_from_the_right(self, value, printed):
        assert format_nl_payment_reference(value) == printed

    def test_accepts_spaces_dots_and_hyphens(self):
        assert validate_nl_payment_reference(" 5000.0567-8901 2345 ") == "5000056789012345"

    def test_accepts_the_7_digit_form_without_check(self):
        assert validate_nl_payment_reference("1234567") == "1234567"

    @pytest.mark.parametrize("length", [9, 10, 11, 12, 13, 14])
    def test_validates_the_length_code_forms(self, length):
        digits = "3" * (length - 2)
        code = str((length - 2) % 10)
        full = _nl_check(code + digits) + code + digits
        assert validate_nl_payment_reference(full) == full
        wrong_code = str((int(code) + 1) % 10)
        wrong = _nl_check(wrong_code + digits) + wrong_code + digits
        with pytest.raises(InvalidReference, match="lengtecode"):
            validate_nl_payment_reference(wrong)

    @pytest.mark.parametrize(
        ("value", "fragment"),
        [
            ("4000056789012345", "controlecijfer"),
            ("1000000000000007", "controlecijfer"),
            ("000056789012345", "15 cijfers"),
            ("12345678", "8 cijfers"),
            ("123456", "6 cijfers"),
            ("50000567890123450", "17 cijfers"),
            ("5000O56789012345", "alleen cijfers"),
            ("", "leeg"),
            ("0000000000000000", "nullen"),
            ("13234534622567", "lengtecode"),
        ],
    )
    def test_refuses_invalid_references(self, value, fragment):
        with pytest.raises(InvalidReference, match=fragment) as info:
            validate_nl_payment_reference(value)
        assert f"'{value}'" in info.value.message
        assert info.value.message.startswith("Ongeldig Nederlands betalingskenmerk")
        assert not is_valid_nl_payment_reference(value)

    @pytest.mark.parametrize(
        ("invoice_number", "fragment"),
        [
            ("ABC", "geen cijfers"),
            ("", "geen cijfers"),
            ("2024-0000000000017", "17 cijfers"),
            ("F-000", "alleen nullen"),
        ],
    )
    def test_refuses_unusable_invoice_numbers(self, invoice_number, fragment):
        with pytest.raises(UnusableInvoiceNumber, match=fragment) as info:
            nl_payment_reference(invoice_number)
        assert f"factuurnummer '{invoice_number}'" in info.value.message
        assert isinstance(info.value, DebiteurenError)

    def test_misses_a_change_between_remainders_1_and_10(self):
        """The documented weakness of 10 → 1: both remainders give check digit 1."""
        assert weighted_sum("000000000000006") % 11 == 1
        assert weighted_sum("000000000000005") % 11 == 10
        assert is_valid_nl_payment_reference("1000000000000006")
        assert is_valid_nl_payment_reference("1000000000000005")

    @given(st.text(alphabet="0123456789", min_size=1, max_size=15).filter(lambda d: int(d) > 0))
    def test_makes_references_that_validate(self, digits):
        reference = nl_payment_reference(f"F{digits}/X")
        assert len(reference) == 16
        assert validate_nl_payment_reference(reference) == reference
        assert reference.endswith(digits)

    @given(
        st.text(alphabet="0123456789", min_size=15, max_size=15).filter(lambda d: int(d) > 0),
        st.integers(min_value=0, max_value=15),
        st.integers(min_value=1, max_value=9),
    )
    def test_detects_a_changed_digit_unless_the_remainders_are_1_and_10(self, digits, index, step):
        reference = nl_payment_reference(digits)
        changed = _change_digit(reference, index, step)
        if int(changed) == 0 or not is_valid_nl_payment_reference(changed):
            return
        # Only possible when the check digit stayed 1 through the 10 → 1 rule.
        assert index > 0
        assert reference[0] == changed[0] == "1"
        remainders = {weighted_sum(reference[1:]) % 11, weighted_sum(changed[1:]) % 11}
        assert remainders == {1, 10}

    @given(
        st.text(alphabet="0123456789", min_size=15, max_size=15).filter(lambda d: int(d) > 0),
        st.integers(min_value=0, max_value=15),
        st.integers(min_value=1, max_value=9),
    )
    def test_always_detects_a_changed_digit_when_the_check_is_not_1(self, digits, index, step):
        reference = nl_payment_reference(digits)
        assume(reference[0] != "1")
        assert not is_valid_nl_payment_reference(_change_digit(reference, index, step))


def _nl_check(digits: str) -> str:
    check = 11 - weighted_sum(digits) % 11
    return {10: "1", 11: "0"}.get(check, str(check))


def _change_digit(value: str, index: int, step: int) -> str:
    digit = str((int(value[index]) + step) % 10)
    return value[:index] + digit + value[index + 1 :]


# --- §2 Belgian OGM/VCS -----------------------------------------------------------------------

# payments.md §6 "ogm" plus the last row of the §2 table.
OGM_VECTORS = [
    ("1234567890", "02", "123456789002", "+++123/4567/89002+++"),
    ("0108068171", "83", "010806817183", "+++010/8068/17183+++"),
    ("0123456789", "39", "012345678939", "+++012/3456/78939+++"),
    ("0000000097", "97", "000000009797", "+++000/0000/09797+++"),
    ("2026000042", "36", "202600004236", "+++202/6000/04236+++"),
    ("0000000001", "01", "000000000101", "+++000/0000/00101+++"),
    ("0000000000", "97", "000000000097", "+++000/0000/00097+++"),
]


class TestOgm:
    @pytest.mark.parametrize(("base", "check", "digits", "printed"), OGM_VECTORS)
    def test_makes_validates_and_prints_every_vector(self, base, check, digits, printed):
        assert digits == base + check
        assert int(base) % 97 == int(check) % 97
        assert ogm_reference(base) == digits
        assert validate_ogm(digits) == digits
        assert validate_ogm(printed) == digits
        assert validate_ogm(printed.replace("+", "*")) == digits
        assert format_ogm(digits) == printed
        assert format_ogm(printed) == printed
        assert is_valid_ogm(digits)

    def test_follows_the_worked_example(self):
        assert 1234567890 - 12_727_504 * 97 == 2
        assert ogm_reference("F-1234567890") == "123456789002"

    def test_pads_the_invoice_digits_to_ten(self):
        assert 202642 % 97 == 9
        assert ogm_reference("2026-42") == "000020264209"
        assert validate_ogm("000020264209") == "000020264209"

    @pytest.mark.parametrize(
        ("value", "fragment"),
        [
            ("010806817180", "controlecijfers"),
            ("010/8068/17180", "controlecijfers"),
            ("12345678900", "11 cijfers"),
            ("000000000000", "nullen"),
            ("+++123/4567/89003+++", "controlecijfers"),
            ("1234567890021", "13 cijfers"),
            ("12345678900A", "alleen cijfers"),
            ("", "leeg"),
        ],
    )
    def test_refuses_invalid_values(self, value, fragment):
        with pytest.raises(InvalidReference, match=fragment) as info:
            validate_ogm(value)
        assert info.value.message.startswith("Ongeldige gestructureerde mededeling (OGM)")
        assert not is_valid_ogm(value)

    @pytest.mark.parametrize(
        ("invoice_number", "fragment"),
        [("INV-ABC", "geen cijfers"), ("2026-0000042", "11 cijfers")],
    )
    def test_refuses_unusable_invoice_numbers(self, invoice_number, fragment):
        with pytest.raises(UnusableInvoiceNumber, match=fragment) as info:
            ogm_reference(invoice_number)
        assert invoice_number in info.value.message

    @given(st.text(alphabet="0123456789", min_size=1, max_size=10))
    def test_makes_references_that_validate(self, digits):
        reference = ogm_reference(f"F-{digits}")
        assert validate_ogm(reference) == reference
        assert reference[:10] == digits.rjust(10, "0")

    @given(
        st.text(alphabet="0123456789", min_size=10, max_size=10),
        st.integers(min_value=0, max_value=11),
        st.integers(min_value=1, max_value=9),
    )
    def test_always_detects_a_changed_digit(self, base, index, step):
        reference = ogm_reference(base)
        assert not is_valid_ogm(_change_digit(reference, index, step))


# --- §3 ISO 11649 RF --------------------------------------------------------------------------

RF_VECTORS = [
    ("539007547034", "RF18539007547034", "RF18 5390 0754 7034"),
    ("INV2026042", "RF67INV2026042", "RF67 INV2 0260 42"),
    ("123456789002", "RF79123456789002", "RF79 1234 5678 9002"),
    ("2026000042", "RF022026000042", "RF02 2026 0000 42"),
    ("AB2G59X56V543", "RF19AB2G59X56V543", "RF19 AB2G 59X5 6V54 3"),
]


class TestRf:
    @pytest.mark.parametrize(("body", "ref", "printed"), RF_VECTORS)
    def test_makes_validates_and_prints_every_vector(self, body, ref, printed):
        assert rf_reference(body) == ref
        assert rf_reference(body.lower()) == ref
        assert validate_rf(ref) == ref
        assert validate_rf(printed) == ref
        assert validate_rf(printed.lower()) == ref
        assert format_rf(ref) == printed
        assert is_valid_rf(printed)

    def test_follows_the_worked_example(self):
        assert int("539007547034271500") % 97 == 80
        assert int("539007547034271518") % 97 == 1

    def test_uses_only_the_letters_and_digits_of_the_invoice_number(self):
        assert rf_reference("inv-2026/042") == "RF67INV2026042"
        assert rf_reference("INV 2026.042 é") == "RF67INV2026042"

    @pytest.mark.parametrize(
        ("value", "fragment"),
        [
            ("RF17 5390 0754 7034", "controlecijfers"),
            ("RF18539007547035", "controlecijfers"),
            ("RF18", "4 tekens"),
            ("RF18" + "1" * 22, "26 tekens"),
            ("XX18539007547034", "met RF beginnen"),
            ("RFAB539007547034", "twee controlecijfers"),
            ("RF18 5390_0754", "letters en cijfers"),
        ],
    )
    def test_refuses_invalid_values(self, value, fragment):
        with pytest.raises(InvalidReference, match=fragment):
            validate_rf(value)
        assert not is_valid_rf(value)

    @pytest.mark.parametrize(
        ("invoice_number", "fragment"), [("--/--", "geen letters"), ("A" * 22, "22 letters")]
    )
    def test_refuses_unusable_invoice_numbers(self, invoice_number, fragment):
        with pytest.raises(UnusableInvoiceNumber, match=fragment) as info:
            rf_reference(invoice_number)
        assert invoice_number in info.value.message

    @given(st.text(alphabet=string.ascii_letters + string.digits + "-/ ", min_size=1, max_size=30))
    def test_makes_references_that_validate(self, invoice_number):
        body = "".join(c for c in invoice_number if c.isalnum()).upper()
        if not 1 <= len(body) <= 21:
            with pytest.raises(UnusableInvoiceNumber):
                rf_reference(invoice_number)
            return
        reference = rf_reference(invoice_number)
        assert validate_rf(reference) == reference
        assert reference[4:] == body


# --- PaymentReference and reference_for -------------------------------------------------------


class TestPaymentReference:
    @pytest.mark.parametrize(
        ("kind", "value", "display"),
        [
            (ReferenceKind.NL, "5000056789012345", "5000 0567 8901 2345"),
            (ReferenceKind.OGM, "123456789002", "+++123/4567/89002+++"),
            (ReferenceKind.RF, "RF18539007547034", "RF18 5390 0754 7034"),
        ],
    )
    def test_prints_each_kind(self, kind, value, display):
        reference = PaymentReference(kind=kind, value=value)
        assert reference.display == display

    def test_has_the_agreed_kind_values(self):
        assert [k.value for k in ReferenceKind] == ["betalingskenmerk", "ogm", "rf"]

    @pytest.mark.parametrize(
        ("kind", "value"),
        [
            (ReferenceKind.OGM, "+++123/4567/89002+++"),
            (ReferenceKind.OGM, "123456789003"),
            (ReferenceKind.NL, "5000 0567 8901 2345"),
            (ReferenceKind.RF, "rf18539007547034"),
            (ReferenceKind.RF, "123456789002"),
        ],
    )
    def test_only_holds_valid_compact_values(self, kind, value):
        with pytest.raises(ReferenceError):
            PaymentReference(kind=kind, value=value)

    def test_is_frozen_and_keyword_only(self):
        reference = PaymentReference(kind=ReferenceKind.OGM, value="123456789002")
        with pytest.raises(dataclasses.FrozenInstanceError):
            reference.value = "010806817183"  # type: ignore[misc]
        with pytest.raises(TypeError):
            PaymentReference(ReferenceKind.OGM, "123456789002")  # type: ignore[misc]


class TestReferenceFor:
    @pytest.mark.parametrize(
        ("invoice_number", "country", "kind", "value"),
        [
            ("56789012345", "NL", ReferenceKind.NL, "5000056789012345"),
            ("2026-000042", "BE", ReferenceKind.OGM, "202600004236"),
            ("1234567890", "be", ReferenceKind.OGM, "123456789002"),
            ("INV2026042", "NL", ReferenceKind.NL, "4000000002026042"),
            ("INV-ABC", "NL", ReferenceKind.RF, rf_reference("INVABC")),
            ("INV-ABC", "BE", ReferenceKind.RF, rf_reference("INVABC")),
            ("20260000000042", "BE", ReferenceKind.RF, rf_reference("20260000000042")),
            ("2026-0000000000000042", "NL", ReferenceKind.RF, rf_reference("20260000000000000042")),
            ("0", "NL", ReferenceKind.RF, rf_reference("0")),
            ("INV2026042", "DE", ReferenceKind.RF, "RF67INV2026042"),
        ],
    )
    def test_prefers_the_national_kind_and_falls_back_to_rf(
        self, invoice_number, country, kind, value
    ):
        assert reference_for(invoice_number, country) == PaymentReference(kind=kind, value=value)

    def test_raises_when_not_even_an_rf_can_be_made(self):
        with pytest.raises(UnusableInvoiceNumber, match="RF-betalingskenmerk"):
            reference_for("A" * 30, "BE")


# --- find_references --------------------------------------------------------------------------


def _ogm(value: str) -> PaymentReference:
    return PaymentReference(kind=ReferenceKind.OGM, value=value)


def _rf(value: str) -> PaymentReference:
    return PaymentReference(kind=ReferenceKind.RF, value=value)


def _nl(value: str) -> PaymentReference:
    return PaymentReference(kind=ReferenceKind.NL, value=value)


class TestFindReferences:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("+++123/4567/89002+++", [_ogm("123456789002")]),
            ("Betaling ***010/8068/17183*** fact 17", [_ogm("010806817183")]),
            ("mededeling +++ 202 / 6000 / 04236 +++", [_ogm("202600004236")]),
            ("ref 123/4567/89002.", [_ogm("123456789002")]),
            ("OGM 123456789002 bedankt", [_ogm("123456789002")]),
            ("RF18 5390 0754 7034", [_rf("RF18539007547034")]),
            ("rf18539007547034", [_rf("RF18539007547034")]),
            ("Fact RF67 INV2 0260 42 voor maart", [_rf("RF67INV2026042")]),
            ("RF19 AB2G 59X5 6V54 3, dank", [_rf("RF19AB2G59X56V543")]),
            ("kenmerk 5000 0567 8901 2345", [_nl("5000056789012345")]),
            ("kenmerk:5000056789012345/", [_nl("5000056789012345")]),
            (
                "RF18 5390 0754 7034 en +++123/4567/89002+++ en 0123456789012345",
                [_rf("RF18539007547034"), _ogm("123456789002"), _nl("0123456789012345")],
            ),
            ("dubbel 123456789002 en +++123/4567/89002+++", [_ogm("123456789002")]),
        ],
    )
    def test_finds_valid_references(self, text, expected):
        assert find_references(text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "factuur 2024-017 betaald",
            "+++123/4567/89003+++",
            "123456789003",
            "1234567890021",  # 13 digits containing a valid OGM
            "0123456789002",  # a valid OGM with a digit in front
            "RF17 5390 0754 7034",
            "XRF18539007547034",  # RF glued to a word
            "4000 0567 8901 2345",
            "15000056789012345",  # 17 digits
            "1 5000 0567 8901 2345",  # another group in front
            "IBAN BE71 0961 2345 6769",
            "IBAN BE71096123456769 BIC GEBABEBB",
            "bel 0470 12 34 56 of 012 345 67 89",
            "RF12 voor de factuur van maart",
        ],
    )
    def test_returns_nothing_without_a_valid_reference(self, text):
        assert find_references(text) == []

    def test_does_not_read_the_digits_of_an_rf_as_an_ogm(self):
        # The body 539007547034 is itself a valid OGM (and Belgian BBAN).
        assert is_valid_ogm("539007547034")
        assert find_references("RF18 539007547034") == [_rf("RF18539007547034")]

    def test_prefers_the_longest_valid_rf(self):
        assert find_references("RF18 5390 0754 7034 ABCD") == [_rf("RF18539007547034")]

    @given(
        st.sampled_from(["nl", "ogm", "rf"]),
        st.text(alphabet="0123456789", min_size=1, max_size=10),
        st.booleans(),
        st.text(alphabet=string.ascii_letters + " àéëïöü.,:;!?()'\"-_€\n\t", max_size=40),
        st.sampled_from([". ", ", ", "; ", "\n", " - ", "!"]),
        st.text(alphabet=string.ascii_letters + " àéëïöü.,:;!?()'\"-_€\n\t", max_size=40),
    )
    def test_finds_a_reference_in_random_text(self, kind, digits, printed, before, sep, after):
        if kind == "nl":
            if int(digits) == 0:
                digits = "1"
            reference = _nl(nl_payment_reference(digits))
        elif kind == "ogm":
            reference = _ogm(ogm_reference(digits))
        else:
            reference = _rf(rf_reference("INV" + digits))
        shown = reference.display if printed else reference.value
        assert find_references(f"{before} {shown}{sep}{after}") == [reference]

    @given(st.text(alphabet=string.digits + string.ascii_uppercase + " +/*", max_size=80))
    def test_only_returns_references_with_valid_check_digits(self, text):
        validators = {
            ReferenceKind.NL: is_valid_nl_payment_reference,
            ReferenceKind.OGM: is_valid_ogm,
            ReferenceKind.RF: is_valid_rf,
        }
        for reference in find_references(text):
            assert validators[reference.kind](reference.value)


def test_invoice_numbers_that_differ_only_in_letters_get_different_references():
    from debiteuren.core.references import unique_references

    for country in ("NL", "BE"):
        numbers = ["A001", "B001", "CN-2026-0001", "2026-0001"]
        refs = unique_references([(n, None, reference_for(n, country)) for n in numbers])
        values = [refs[n].value for n in numbers]
        assert len(set(values)) == 4, (country, values)
        assert refs["A001"] == reference_for("A001", country)  # the first keeps the plain one
        assert refs["CN-2026-0001"] == reference_for("CN-2026-0001", country)


def test_invoice_numbers_that_differ_only_in_punctuation_get_different_references():
    # X-1 and X/1 have the same letters and digits: after the plain reference and the one with
    # the letters as digits, both were RF88 X1, and every command refused the workbook, asking
    # to empty a Betalingskenmerk that was empty
    from debiteuren.core.references import unique_references

    for country in ("NL", "BE", "DE"):
        numbers = ["X-1", "X/1", "X.1", "X 1"]
        refs = unique_references([(n, None, reference_for(n, country)) for n in numbers])
        assert len({refs[n].value for n in numbers}) == 4, (country, refs)
        assert refs["X-1"] == reference_for("X-1", country)  # the first keeps the plain one
    refs = unique_references([(n, None, reference_for(n, "DE")) for n in ("X-1", "X/1")])
    assert (refs["X-1"].value, refs["X/1"].value) == ("RF88X1", "RF62X2F1")


def test_two_stored_equal_references_are_refused_naming_both():
    from debiteuren.core.references import DuplicateReference, unique_references

    same = reference_for("2026-1", "NL")
    with pytest.raises(DuplicateReference) as caught:
        unique_references([("X-1", same, same), ("Y-1", same, same)])
    assert (caught.value.first, caught.value.second) == ("X-1", "Y-1")


# --- stored_reference: the printed form checked by its digits alone (issue 17) ---------------

_PRINTED_TEXTS = st.one_of(
    st.builds(
        lambda n, k: references.reference_of_kind(n, k).display,
        # an RF reference holds at most 21 letters and digits (ISO 11649)
        st.text("0123456789ABCXYZ-", min_size=1, max_size=24).filter(
            lambda n: 0 < sum(ch.isalnum() for ch in n) <= 21
        ),
        st.sampled_from(list(references.ReferenceKind)),
    ),
    st.from_regex(r"\A\d{4} \d{4} \d{4} \d{4}\Z"),
    st.from_regex(r"\A\+\+\+\d{3}/\d{4}/\d{5}\+\+\+\Z"),
    st.from_regex(r"\ARF\d\d( [A-Z0-9]{4}){0,4} [A-Z0-9]{1,4}\Z"),
    st.text(max_size=30),
)


@settings(max_examples=400, deadline=None)
@given(_PRINTED_TEXTS)
def test_stored_reference_is_the_first_reference_found(text):
    try:
        expected = references.find_references(text)[:1]
    except references.ReferenceError:
        expected = []
    assert [r for r in [references.stored_reference(text)] if r is not None] == expected


def test_a_stored_reference_in_print_skips_python_stdnum(monkeypatch):
    made = [
        references.reference_of_kind("2026-042", kind).display for kind in references.ReferenceKind
    ]
    monkeypatch.setattr(references, "find_references", None)  # any use would fail
    monkeypatch.setattr(references, "_VALIDATORS", {})
    assert [references.stored_reference(t).display for t in made] == made
    assert references._printed("4000 0000 0202 6043") is None  # a wrong check digit


@settings(max_examples=400, deadline=None)
@given(_PRINTED_TEXTS)
def test_printed_compact_agrees_with_the_validators(text):
    """The fast path of the bank matching gives what the validators give, or steps aside."""
    compact = references.printed_compact(text)
    if compact is None:
        return
    for validate in (validate_rf, validate_ogm, validate_nl_payment_reference):
        try:
            assert validate(text) == compact
            return
        except references.ReferenceError:
            continue
    raise AssertionError(f"{text!r} is valid in print but not for any validator")


@settings(max_examples=300, deadline=None)
@given(
    st.text("0123456789ABCXYZ-", min_size=1, max_size=24).filter(
        lambda n: 0 < sum(ch.isalnum() for ch in n) <= 21
    ),
    st.sampled_from(list(references.ReferenceKind)),
)
def test_display_is_what_the_format_functions_print(number, kind):
    reference = references.reference_of_kind(number, kind)
    formats = {
        references.ReferenceKind.NL: references.format_nl_payment_reference,
        references.ReferenceKind.OGM: references.format_ogm,
        references.ReferenceKind.RF: references.format_rf,
    }
    assert reference.display == formats[reference.kind](reference.value)


def test_a_long_run_of_groups_after_rf_is_read_only_as_far_as_a_body_can_go():
    """An RF body has at most 21 characters, so at most 22 groups after RFcc can matter; a
    statement text of thousands of groups was read whole for every RF in it (the square of
    its length: a megabyte of text held betalingen for minutes)."""
    run = "RF18 " + "abcd " * 5000
    candidate = references._RF_CANDIDATE.search(run)
    assert candidate.group("rest").count(" ") == 22
    # what a longer run held is found as before: the reference at its start
    assert find_references(f"kenmerk {format_rf('RF1520260095')} {'abcd ' * 40}") == [
        PaymentReference(kind=ReferenceKind.RF, value="RF1520260095")
    ]
    assert find_references(run) == []


def test_a_printed_nl_check_digit_is_the_weighted_one():
    """The check of a Dutch reference in print (base 13, modulo 11) against the weights."""
    for digits in ("000000000000000", "999999999999999", "123456789012345", "1", "0123456789" * 2):
        assert references._nl_check_ascii(digits) == references._nl_check_digit(digits)


@settings(max_examples=300, deadline=None)
@given(st.text("0123456789", min_size=1, max_size=30))
def test_a_printed_nl_check_digit_is_the_weighted_one_for_any_digits(digits):
    assert references._nl_check_ascii(digits) == references._nl_check_digit(digits)


_BOOK_NUMBERS = st.sampled_from(["F1", "F2", "A001", "B001", "2026-0001", "CN-2026-0001", "X"])
_BOOK_TEXTS = st.one_of(
    st.just(""),
    _PRINTED_TEXTS,
    st.builds(lambda n: references.reference_for(n, "NL").display, _BOOK_NUMBERS),
    st.builds(lambda n: "betaling " + references.rf_reference(n), _BOOK_NUMBERS),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            _BOOK_NUMBERS,
            st.sampled_from(["K-NL", "K-BE"]),
            _BOOK_TEXTS,
            st.sampled_from(["100.00", "-5.00", "0.00"]),
            st.booleans(),
        ),
        max_size=8,
    ),
    st.sampled_from(["NL", "BE"]),
)
def test_the_references_to_write_are_those_the_book_gives_the_empty_cells(rows, country):
    """references_to_write (issue 17: the typed ones only checked) against book_references: the
    same references for the invoices without a typed Betalingskenmerk, the same refusal."""
    from decimal import Decimal

    from debiteuren.core.model import Country, Creditor, Debtor, DebtorKind, Invoice

    debtors = {
        f"K-{c}": Debtor(
            number=f"K-{c}", name="Klant", country=Country(c), kind=DebtorKind.BUSINESS
        )
        for c in ("NL", "BE")
    }
    creditor = Creditor(
        name="Winkel",
        country=Country(country),
        iban="NL91ABNA0417164300" if country == "NL" else "BE71096123456769",
    )
    invoices = [
        Invoice(
            number=number,
            debtor=debtor,
            invoice_date=date(2026, 1, 1),
            due_date=date(2026, 2, 1),
            amount=Decimal(amount),
            reference=text,
            is_credit_note=credit,
        )
        for number, debtor, text, amount, credit in rows
    ]
    try:
        whole = references.book_references(invoices, debtors, creditor)
    except references.DuplicateReference as exc:
        with pytest.raises(references.DuplicateReference) as raised:
            references.references_to_write(invoices, debtors, creditor)
        assert (raised.value.first, raised.value.second) == (exc.first, exc.second)
        assert raised.value.reference == exc.reference and str(raised.value) == str(exc)
        return
    typed = {i.number for i in invoices if i.reference}
    expected = {n: r for n, r in whole.items() if n not in typed}
    assert references.references_to_write(invoices, debtors, creditor) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2026 0000 0192", "202600000192"),  # 12 digits, as an e-invoice's kenmerk is stored
        ("1010 0000 0000", "101000000000"),
        ("12 2345 3462 2567", "12234534622567"),  # 14 digits
        ("2026 0000 0193", None),  # a wrong check digit
        ("1234 5678 9012", None),  # no length code 0 in the second place
        ("06 1234 5678", None),  # a phone number: no short form
    ],
)
def test_a_short_betalingskenmerk_in_print_is_stored_and_found(text, value):
    """A 9- to 14-digit betalingskenmerk in its groups of four (what format_nl_payment_reference
    prints, and what the e-invoice import writes to Facturen) was no reference at all for the
    workbook: debiteuren made another one, and letters and the matching used that."""
    expected = [] if value is None else [PaymentReference(kind=ReferenceKind.NL, value=value)]
    assert find_references(f"betaling {text} dank u") == expected
    stored = references.stored_reference(text)
    assert [stored] == (expected or [None])
    if value is not None:
        assert references.format_nl_payment_reference(value) == text


@pytest.mark.parametrize("opener", ["+++123", "***123 / 4567"])
def test_find_references_takes_no_seconds_on_a_long_run_of_spaces(opener: str):
    # A hostile remittance text: an OGM's opening and 40,000 spaces, no closing (a minute for
    # 100,000 spaces when two runs of spaces stood in a row in the pattern).
    started = time.perf_counter()
    assert find_references(opener + " " * 40_000 + "x") == []
    assert time.perf_counter() - started < 1  # 9 seconds before
