"""Texts from data in the Word documents we write (the hand-over specification, the
accountant's summary) are shown as they read: no character XML cannot hold, no direction
control that reverses the rest of a line."""

from __future__ import annotations

import io
import zipfile

from debiteuren.outputs.tables import a4_document, docx_table, docx_text

_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_docx_text_drops_direction_controls_and_what_xml_cannot_hold():
    assert docx_text("ACME \u202eBV\u202c\x01") == "ACME BV"
    assert docx_text("\u05e9\u05dc\u05d5\u05dd Jansen") == "\u05e9\u05dc\u05d5\u05dd Jansen"
    assert docx_text("\u05e9\u05dc\u05d5\u05dd \u200fJansen \u061c12 \u200e34") == (
        "\u05e9\u05dc\u05d5\u05dd Jansen 12 34"
    )
    assert docx_text(12) == "12"


def test_a_table_cell_from_a_bank_remittance_keeps_its_order():
    doc = a4_document(landscape=True, side=1.6, top=1.4, size=9, after=2)
    remittance = "Factuur 2026-0035 \u202e00,001 RUE\u202c betaald"
    docx_table(doc, ("Datum", "Mededeling"), [("01-10-2026", remittance)], (3.0, 20.0))
    out = io.BytesIO()
    doc.save(out)
    with zipfile.ZipFile(out) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert "Factuur 2026-0035 00,001 RUE betaald" in xml
    assert not any(ch in xml for ch in _CONTROLS)
