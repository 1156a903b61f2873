"""Tests for debiteuren.letters.qr: the EPC QR payloads of shared/domain/payments.md §4.5 and §6."""

from __future__ import annotations

import shutil
import struct
import subprocess

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.core.money import Decimal
from debiteuren.core.references import ogm_reference, rf_reference
from debiteuren.errors import DebiteurenError
from debiteuren.letters.qr import (
    MAX_PAYLOAD_BYTES,
    QrError,
    check_epc_payload,
    epc_payload,
    epc_qr_png,
)

# payments.md §6 "epc_payloads": name, bytes, QR version at level M, payload.
PAYLOAD_A = "BCD\n002\n1\nSCT\n\nVoorbeeld BV\nBE71096123456769\nEUR1234.50\n\nRF18539007547034"
PAYLOAD_B = "BCD\n002\n1\nSCT\n\nVoorbeeld BV\nBE71096123456769\nEUR463.63\n\n123456789002"
PAYLOAD_B2 = (
    "BCD\n002\n1\nSCT\n\nVoorbeeld BV\nBE71096123456769\nEUR463.63\n\n\n+++123/4567/89002+++"
)
PAYLOAD_C = (
    "BCD\n001\n1\nSCT\nBPOTBEB1\nRed Cross of Belgium\nBE72000000001616\nEUR1\nCHAR\n\n"
    "Urgency fund\nSample EPC QR code"
)
EPC_VECTORS = [
    ("A_rf", 73, 5, PAYLOAD_A),
    ("B_ogm_line10", 68, 5, PAYLOAD_B),
    ("B_ogm_line11", 77, 5, PAYLOAD_B2),
    ("C_epc_sample", 103, 6, PAYLOAD_C),
]

ZBARIMG = shutil.which("zbarimg")
needs_zbarimg = pytest.mark.skipif(
    ZBARIMG is None,
    reason="zbarimg ontbreekt (apt-get install zbar-tools); QR-code niet teruggelezen",
)


def qr_version(payload: str) -> int:
    """The QR version segno needs for the payload at level M in byte mode."""
    return segno.make(payload.encode(), error="m", mode="byte", boost_error=False).version


def png_width(png: bytes) -> int:
    """The width in pixels from a PNG's IHDR chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    return struct.unpack(">I", png[16:20])[0]


def payload_for(**overrides) -> str:
    details = {
        "name": "Voorbeeld BV",
        "iban": "BE71096123456769",
        "amount": Decimal("463.63"),
        "reference": "123456789002",
    }
    details.update(overrides)
    return epc_payload(**details)


class TestDocumentedPayloads:
    @pytest.mark.parametrize(("name", "size", "version", "payload"), EPC_VECTORS)
    def test_every_example_is_valid_with_the_documented_size(self, name, size, version, payload):
        assert check_epc_payload(payload) == []
        assert len(payload.encode("utf-8")) == size
        assert qr_version(payload) == version

    def test_makes_payload_a_with_an_rf_reference(self):
        payload = epc_payload(
            name="Voorbeeld BV",
            iban="BE71 0961 2345 6769",
            amount=Decimal("1234.50"),
            reference="RF18 5390 0754 7034",
        )
        assert payload == PAYLOAD_A
        assert len(payload.encode()) == 73

    def test_makes_payload_b_with_the_ogm_in_line_10(self):
        payload = payload_for(reference="+++123/4567/89002+++")
        assert payload == PAYLOAD_B
        assert len(payload.encode()) == 68
        assert payload_for(reference=ogm_reference("1234567890")) == PAYLOAD_B

    def test_makes_payload_b2_with_the_ogm_as_text(self):
        payload = payload_for(reference=None, text="+++123/4567/89002+++")
        assert payload == PAYLOAD_B2
        assert len(payload.encode()) == 77

    def test_writes_the_amount_with_a_dot_and_two_decimals(self):
        assert payload_for(amount=Decimal("1234.5")).split("\n")[7] == "EUR1234.50"
        assert payload_for(amount=Decimal(12)).split("\n")[7] == "EUR12.00"
        assert payload_for(amount=Decimal("0.01")).split("\n")[7] == "EUR0.01"
        assert payload_for(amount=Decimal("999999999.99")).split("\n")[7] == "EUR999999999.99"
        assert payload_for(amount=Decimal("1E+3")).split("\n")[7] == "EUR1000.00"

    def test_writes_a_bic_and_line_12(self):
        payload = payload_for(bic="gebabebb", information="Dank u voor uw betaling")
        assert payload.split("\n") == [
            "BCD",
            "002",
            "1",
            "SCT",
            "GEBABEBB",
            "Voorbeeld BV",
            "BE71096123456769",
            "EUR463.63",
            "",
            "123456789002",
            "",
            "Dank u voor uw betaling",
        ]
        assert check_epc_payload(payload) == []

    def test_makes_whitespace_one_space(self):
        payload = payload_for(name=" Voorbeeld\n BV ", reference=None, text="Factuur\r\n2024-017")
        assert payload.split("\n")[5] == "Voorbeeld BV"
        assert payload.split("\n")[10] == "Factuur 2024-017"

    def test_writes_utf8_names(self):
        payload = payload_for(name="Café Ëlise & Zoon")
        assert payload.split("\n")[2] == "1"
        assert check_epc_payload(payload) == []


class TestEpcPayloadErrors:
    @pytest.mark.parametrize(
        ("overrides", "fragment"),
        [
            ({"iban": "BE68539007547035"}, "IBAN 'BE68539007547035' is ongeldig"),
            ({"iban": "NL00ABNA0417164300"}, "IBAN"),
            ({"iban": ""}, "IBAN"),
            ({"bic": "GEBABEB"}, "BIC 'GEBABEB' is ongeldig"),
            ({"name": ""}, "naam van de begunstigde ontbreekt"),
            ({"name": "x" * 71}, "71 tekens"),
            ({"amount": Decimal(0)}, "tussen 0.01 en 999999999.99"),
            ({"amount": Decimal("-5")}, "tussen 0.01"),
            ({"amount": Decimal("1000000000")}, "tussen 0.01"),
            ({"amount": Decimal("12.345")}, "meer dan twee decimalen"),
            ({"amount": Decimal("NaN")}, "geen getal"),
            ({"text": "Factuur 17"}, "niet allebei"),
            ({"reference": None}, "ontbreekt"),
            ({"reference": "  ", "text": " "}, "ontbreekt"),
            ({"reference": "RF17539007547034"}, "RF-betalingskenmerk 'RF17539007547034'"),
            ({"reference": "+++123/4567/89003+++"}, "Nederlands betalingskenmerk hoort"),
            ({"reference": "5000056789012345"}, "omschrijving"),
        ],
    )
    def test_refuses_details_that_cannot_be_made_valid(self, overrides, fragment):
        with pytest.raises(QrError, match=fragment) as info:
            payload_for(**overrides)
        assert isinstance(info.value, DebiteurenError)
        assert info.value.message.startswith("De betaal-QR-code (EPC) kan niet worden gemaakt: ")

    def test_refuses_a_float_amount(self):
        with pytest.raises(TypeError):
            payload_for(amount=463.63)

    def test_refuses_a_name_too_large_to_fit(self):
        with pytest.raises(QrError, match="bytes"):
            payload_for(name="😀" * 70, bic="GEBABEBBXXX", reference=rf_reference("A" * 21))


class TestShortening:
    def test_cuts_text_and_information_to_their_maximum(self):
        payload = payload_for(reference=None, text="t" * 200, information="i" * 100)
        lines = payload.split("\n")
        assert lines[10] == "t" * 140
        assert lines[11] == "i" * 70

    def test_a_payload_filled_to_every_maximum_fits_in_331_bytes(self):
        """payments.md §4.2: without BIC and purpose it would be 332 bytes."""
        payload = epc_payload(
            name="N" * 70,
            iban="BE71096123456769",
            amount=Decimal("999999999.99"),
            text="T" * 140,
            information="I" * 70,
        )
        assert len(payload.encode()) == MAX_PAYLOAD_BYTES
        assert payload.split("\n")[10] == "T" * 140
        assert payload.split("\n")[11] == "I" * 69
        assert qr_version(payload) == 13

    def test_shortens_line_12_before_line_11(self):
        payload = epc_payload(
            name="N" * 70,
            iban="BE71096123456769",
            amount=Decimal("999999999.99"),
            text="T" * 140,
            information="I" * 70,
            bic="GEBABEBBXXX",
        )
        lines = payload.split("\n")
        assert len(payload.encode()) == MAX_PAYLOAD_BYTES
        assert lines[11] == "I" * 58
        assert lines[10] == "T" * 140

    def test_then_shortens_line_11_and_drops_line_12(self):
        payload = epc_payload(
            name="É" * 70,
            iban="BE71096123456769",
            amount=Decimal("999999999.99"),
            text="T" * 140,
            information="I" * 70,
            bic="GEBABEBBXXX",
        )
        lines = payload.split("\n")
        assert len(lines) == 11
        assert lines[10] == "T" * 129
        assert len(payload.encode()) == MAX_PAYLOAD_BYTES

    def test_never_shortens_the_reference_or_amount(self):
        reference = rf_reference("A" * 21)
        payload = epc_payload(
            name="😀" * 50,
            iban="BE71096123456769",
            amount=Decimal("999999999.99"),
            reference=reference,
            information="I" * 70,
            bic="GEBABEBBXXX",
        )
        lines = payload.split("\n")
        assert lines[7] == "EUR999999999.99"
        assert lines[9] == reference
        assert lines[11] == "I" * 43
        assert len(payload.encode()) == MAX_PAYLOAD_BYTES

    @settings(max_examples=60)
    @given(
        name=st.text(min_size=1, max_size=70).filter(lambda s: " ".join(s.split())),
        cents=st.integers(min_value=1, max_value=99_999_999_999),
        use_reference=st.booleans(),
        invoice=st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=21),
        text=st.text(min_size=1, max_size=200).filter(lambda s: " ".join(s.split())),
        information=st.text(max_size=100),
        bic=st.sampled_from(["", "GEBABEBB", "KREDBEBBXXX"]),
    )
    def test_every_generated_payload_is_valid(
        self, name, cents, use_reference, invoice, text, information, bic
    ):
        amount = Decimal(cents) / 100
        reference = rf_reference(invoice) if use_reference else None
        payload = epc_payload(
            name=name,
            iban="BE71096123456769",
            amount=amount,
            reference=reference,
            text=None if use_reference else text,
            bic=bic,
            information=information,
        )
        assert check_epc_payload(payload) == []
        assert len(payload.encode()) <= MAX_PAYLOAD_BYTES
        assert not payload.endswith("\n")
        lines = payload.split("\n")
        assert Decimal(lines[7][3:]) == amount
        if reference:
            assert lines[9] == reference
        assert qr_version(payload) <= 13


class TestCheckEpcPayload:
    @pytest.mark.parametrize(
        ("line", "value", "fragment"),
        [
            (0, "BCX", "Regel 1 (servicelabel)"),
            (1, "003", "Regel 2 (versie)"),
            (2, "9", "Regel 3 (tekenset)"),
            (3, "SCX", "Regel 4 (identificatie)"),
            (4, "GEBABEB", "8 of 11 tekens"),
            (4, "GEBA1EBB", "geen geldige BIC"),
            (5, "", "Regel 6 (naam van de begunstigde) is leeg"),
            (5, "x" * 71, "71 tekens"),
            (6, "", "Regel 7 (IBAN) is leeg"),
            (6, "BE71 0961 2345 6769", "zonder spaties"),
            (6, "BE68539007547035", "geen geldig IBAN"),
            (6, "BE71096123456768", "geen geldig IBAN"),
            (6, "BE" + "1" * 33, "35 tekens"),
            (7, "EUR12,34", "Regel 8 (bedrag)"),
            (7, "EUR1.234", "Regel 8 (bedrag)"),
            (7, "12.34", "Regel 8 (bedrag)"),
            (7, "EUR.50", "Regel 8 (bedrag)"),
            (7, "EUR0.00", "ligt niet tussen"),
            (7, "EUR1000000000.00", "ligt niet tussen"),
            (8, "char", "Regel 9 (doelcode)"),
            (9, "RF17539007547034", "geen geldige RF-referentie"),
            (9, "123456789003", "geen geldige gestructureerde mededeling"),
            (9, "R" * 36, "36 tekens"),
        ],
    )
    def test_reports_each_broken_rule(self, line, value, fragment):
        lines = PAYLOAD_B.split("\n")
        lines[line] = value
        problems = check_epc_payload("\n".join(lines))
        assert len(problems) == 1, problems
        assert fragment in problems[0]

    @pytest.mark.parametrize("amount", ["EUR1", "EUR12.3", "EUR1234.50", "EUR0.01", ""])
    def test_accepts_the_documented_amount_forms_and_no_amount(self, amount):
        lines = PAYLOAD_B.split("\n")
        lines[7] = amount
        assert check_epc_payload("\n".join(lines)) == []

    def test_accepts_an_iban_at_a_bank_missing_from_python_stdnums_list(self):
        # the standard example IBAN: its check digits hold, its Belgian bank code 539 is not
        # in python-stdnum's list of banks
        lines = PAYLOAD_B.split("\n")
        lines[6] = "BE68539007547034"
        assert check_epc_payload("\n".join(lines)) == []

    def test_requires_the_bic_in_version_001(self):
        assert check_epc_payload(PAYLOAD_C.replace("BPOTBEB1", "")) == [
            "Regel 5 (BIC) is verplicht in versie 001."
        ]

    def test_requires_exactly_one_of_line_10_and_11(self):
        both = PAYLOAD_B + "\nFactuur 17"
        assert any("allebei ingevuld" in p for p in check_epc_payload(both))
        neither = PAYLOAD_B.rsplit("\n", 2)[0]
        assert any("allebei leeg" in p for p in check_epc_payload(neither))

    def test_checks_line_lengths_11_and_12(self):
        problems = check_epc_payload(PAYLOAD_B2.replace("+++123/4567/89002+++", "t" * 141))
        assert problems == ["Regel 11 (omschrijving) heeft 141 tekens; het maximum is 140."]
        problems = check_epc_payload(PAYLOAD_B + "\n\n" + "i" * 71)
        assert problems == [
            "Regel 12 (informatie voor de betaler) heeft 71 tekens; het maximum is 70."
        ]

    def test_checks_the_size_in_bytes(self):
        payload = PAYLOAD_B2.replace("Voorbeeld BV", "😀" * 70).replace(
            "+++123/4567/89002+++", "t" * 100
        )
        assert check_epc_payload(payload) == [
            f"De QR-inhoud is {len(payload.encode())} bytes; het maximum is 331."
        ]

    def test_checks_the_declared_character_set(self):
        latin1 = PAYLOAD_B.replace("\n1\n", "\n2\n", 1).replace("Voorbeeld", "Café")
        assert check_epc_payload(latin1) == []
        assert "tekenset 2" in check_epc_payload(latin1.replace("Café", "Łódź"))[0]

    def test_checks_line_structure(self):
        assert "het maximum is 12" in check_epc_payload(PAYLOAD_C + "\nextra")[0]
        assert "minstens 7" in check_epc_payload("BCD\n002\n1\nSCT")[0]
        assert check_epc_payload(PAYLOAD_A + "\n") == [
            "Na de laatste ingevulde regel mag niets meer volgen."
        ]
        assert check_epc_payload("") == ["De QR-inhoud is leeg."]

    def test_accepts_crlf_but_not_mixed_or_bare_cr(self):
        assert check_epc_payload(PAYLOAD_A.replace("\n", "\r\n")) == []
        mixed = PAYLOAD_A.replace("\n", "\r\n", 3)
        assert check_epc_payload(mixed) == [
            "De regeleinden zijn gemengd: gebruik overal LF of overal CR LF."
        ]
        assert "losse CR" in check_epc_payload(PAYLOAD_A.replace("\n", "\r"))[0]


class TestEpcQrPng:
    @pytest.mark.parametrize(("name", "size", "version", "payload"), EPC_VECTORS)
    def test_draws_the_documented_version(self, name, size, version, payload):
        png = epc_qr_png(payload, scale=3)
        modules = 17 + 4 * version + 2 * 4  # symbol plus the quiet zone
        assert png_width(png) == modules * 3

    def test_stays_at_version_13_for_the_largest_payload(self):
        payload = epc_payload(
            name="N" * 70,
            iban="BE71096123456769",
            amount=Decimal("999999999.99"),
            text="T" * 140,
            information="I" * 70,
        )
        assert png_width(epc_qr_png(payload, scale=1)) == 17 + 4 * 13 + 8

    def test_refuses_an_invalid_payload(self):
        with pytest.raises(QrError, match="Regel 1 \\(servicelabel\\)"):
            epc_qr_png(PAYLOAD_A.replace("BCD", "XYZ"))

    def test_refuses_a_scale_below_1(self):
        with pytest.raises(QrError, match="schaal"):
            epc_qr_png(PAYLOAD_A, scale=0)

    @needs_zbarimg
    @pytest.mark.parametrize(
        "payload",
        [
            PAYLOAD_A,
            PAYLOAD_B,
            PAYLOAD_B2,
            PAYLOAD_C,
            "BCD\n002\n1\nSCT\n\nCafé Ëlise & Zoon\nNL91ABNA0417164300\nEUR12.00\n\n\n"
            "Factuur 2024-017 — dank u",
        ],
    )
    def test_decodes_back_to_the_payload(self, payload, tmp_path):
        path = tmp_path / "epc.png"
        path.write_bytes(epc_qr_png(payload))
        result = subprocess.run(
            [ZBARIMG, "--raw", "-q", str(path)], capture_output=True, check=True, timeout=30
        )
        assert result.stdout.removesuffix(b"\n") == payload.encode("utf-8")

    @needs_zbarimg
    def test_decodes_the_largest_payload(self, tmp_path):
        payload = epc_payload(
            name="N" * 70,
            iban="BE71096123456769",
            amount=Decimal("999999999.99"),
            text="T" * 140,
            information="I" * 70,
        )
        path = tmp_path / "epc.png"
        path.write_bytes(epc_qr_png(payload))
        result = subprocess.run(
            [ZBARIMG, "--raw", "-q", str(path)], capture_output=True, check=True, timeout=30
        )
        assert result.stdout.removesuffix(b"\n") == payload.encode("utf-8")
