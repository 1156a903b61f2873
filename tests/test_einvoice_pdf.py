"""Factur-X and ZUGFeRD: the CII invoice attached to a PDF/A-3 is read (debiteuren.facturx).

The PDFs are made here, as ISO 32000-1 describes an embedded file (§7.11.4: an ``EmbeddedFile``
stream, a ``Filespec`` in the document's ``EmbeddedFiles`` name tree and, for PDF/A-3, its
``AF`` array), with a correct cross-reference table: poppler's ``pdfdetach`` lists and saves the
attachment of the same file where it is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debiteuren import facturx
from debiteuren.einvoice import EInvoiceError, OtherFile, RefusedXml, parse_einvoice

CII = (Path(__file__).parent / "fixtures" / "cii" / "invoice-cii.xml").read_bytes()
UBL = (Path(__file__).parent / "fixtures" / "ubl" / "invoice-ogm.xml").read_bytes()


def hybrid_pdf(
    attachments: list[tuple[str, bytes]],
    *,
    deflate: bool = True,
    indirect_length: bool = False,
    escaped_type: bool = False,
    updated: bytes | None = None,
    encrypted: bool = False,
) -> bytes:
    """Return a one-page PDF with ``attachments`` (name, content) as embedded files.

    ``updated``: a later version of the first attachment, appended as an incremental update
    (the same object number, a second cross-reference section)."""
    objects: dict[int, bytes] = {}
    kind = b"/Embedded#46ile" if escaped_type else b"/EmbeddedFile"
    specs, refs = [], []
    number = 5
    for name, content in attachments:
        data = zlib.compress(content) if deflate else content
        filters = b" /Filter /FlateDecode" if deflate else b""
        if indirect_length:
            length = b"%d 0 R" % (number + 2)
            objects[number + 2] = b"%d" % len(data)
        else:
            length = b"%d" % len(data)
        objects[number] = (
            b"<< /Type "
            + kind
            + b" /Subtype /text#2Fxml"
            + filters
            + b" /Length "
            + length
            + b" /Params << /Size %d >> >>\nstream\n" % len(content)
            + data
            + b"\nendstream"
        )
        label = name.encode()
        objects[number + 1] = (
            b"<< /Type /Filespec /F (" + label + b") /UF (" + label + b") /AFRelationship /Data"
            b" /Desc (Factuur \\(XML\\)) /EF << /F %d 0 R /UF %d 0 R >> >>" % (number, number)
        )
        specs.append(b"(" + label + b") %d 0 R" % (number + 1))
        refs.append(b"%d 0 R" % (number + 1))
        number += 3
    objects[1] = (
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names ["
        + b" ".join(specs)
        + b"] >> >> /AF ["
        + b" ".join(refs)
        + b"] >>"
    )
    objects[2] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    objects[3] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    page = b"BT /F1 12 Tf 72 770 Td (Factuur 2026-0301) Tj ET"
    objects[4] = b"<< /Length %d >>\nstream\n" % len(page) + page + b"\nendstream"
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(
        b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 00000 f \n"
        for n in range(1, size)
    )
    encrypt = b" /Encrypt 99 0 R" if encrypted else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        encrypt,
        xref,
    )
    if updated is not None:
        data = zlib.compress(updated)
        again = len(out)
        out += (
            b"5 0 obj\n<< /Type /EmbeddedFile /Filter /FlateDecode /Length %d >>\nstream\n"
            % len(data)
            + data
            + b"\nendstream\nendobj\n"
        )
        second = len(out)
        out += b"xref\n5 1\n%010d 00000 n \n" % again
        out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
            size,
            xref,
            second,
        )
    return bytes(out)


def test_a_factur_x_pdf_is_read_as_its_attached_xml():
    pdf = parse_einvoice(hybrid_pdf([("factur-x.xml", CII)]), source="factuur-2026-0301.pdf")
    xml = parse_einvoice(CII, source="factuur-2026-0301.pdf")
    assert pdf == xml
    assert (pdf.number, str(pdf.amount)) == ("2026-0301", "611.00")


@pytest.mark.parametrize(
    "how",
    [
        {"deflate": False},
        {"indirect_length": True},
        {"escaped_type": True},
    ],
    ids=["not compressed", "length elsewhere", "escaped name"],
)
def test_the_attachment_is_found_however_the_pdf_writes_it(how):
    data = hybrid_pdf([("zugferd-invoice.xml", CII)], **how)
    assert facturx.invoice_xml(data) == CII


def test_a_ubl_invoice_attached_to_a_pdf_is_read_too():
    invoice = parse_einvoice(hybrid_pdf([("xrechnung.xml", UBL)]), source="f.pdf")
    assert invoice == parse_einvoice(UBL, source="f.pdf")


def test_an_attachment_that_is_no_invoice_is_passed_by():
    data = hybrid_pdf([("leesmij.txt", b"Bedankt voor uw bestelling."), ("factur-x.xml", CII)])
    assert facturx.invoice_xml(data) == CII


def test_two_versions_of_the_attached_invoice_are_not_guessed():
    """An incremental update (the same object again, later in the file) and an object that
    shadows the attachment without the cross-reference table pointing to it look the same
    without reading that table: neither version is taken (a hostile review of session 10 made
    the second one give another invoice than a PDF reader shows)."""
    changed = CII.replace(b"2026-0301", b"2026-0302")
    data = hybrid_pdf([("factur-x.xml", CII)], updated=changed)
    assert "twee versies van dezelfde XML-factuur" in _refusal(data)
    pdf = hybrid_pdf([("factur-x.xml", CII)])
    shadow = b"5 0 obj\n<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(changed)
    at = pdf.rindex(b"\nxref\n") + 1
    assert "twee versies" in _refusal(
        pdf[:at] + shadow + changed + b"\nendstream\nendobj\n" + pdf[at:]
    )


def test_an_embedded_file_no_file_specification_names_is_not_an_attachment():
    """A PDF reader shows the files the file specifications name (/EF); a stream that says it
    is an embedded file but that none names is passed by."""
    other = CII.replace(b"2026-0301", b"2026-9999")
    pdf = hybrid_pdf([("factur-x.xml", CII)])
    orphan = b"30 0 obj\n<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(other)
    at = pdf.rindex(b"\nxref\n") + 1
    data = pdf[:at] + orphan + other + b"\nendstream\nendobj\n" + pdf[at:]
    assert parse_einvoice(data, source="f.pdf").number == "2026-0301"


def test_a_file_specification_in_an_object_stream_names_the_attachment():
    """PDF 1.5 writers put dictionaries such as the file specification in a compressed object
    stream; the attachment it names is found there."""
    pdf = hybrid_pdf([("factur-x.xml", CII)])
    spec = re.search(rb"6 0 obj\n(<< /Type /Filespec.*?>> >>)\nendobj\n", pdf, re.S)
    assert spec is not None
    body = b"6 0 " + spec.group(1)
    packed = zlib.compress(body)
    stream = (
        b"40 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(packed)
        + packed
        + b"\nendstream\nendobj\n"
    )
    data = pdf.replace(spec.group(0), b"").replace(b"\nxref\n", b"\n" + stream + b"xref\n", 1)
    assert b"/EF <<" not in data  # only in the object stream now
    assert facturx.invoice_xml(data) == CII


def test_the_stated_length_holds_when_the_xml_says_endstream():
    noted = CII.replace(
        b"</rsm:ExchangedDocument>",
        b"<ram:IncludedNote><ram:Content>zie endstream</ram:Content></ram:IncludedNote>"
        b"</rsm:ExchangedDocument>",
        1,
    )
    assert b"endstream" in noted
    assert facturx.invoice_xml(hybrid_pdf([("factur-x.xml", noted)], deflate=False)) == noted


def test_a_cut_off_attachment_is_refused():
    data = hybrid_pdf([("factur-x.xml", CII)])
    packed = zlib.compress(CII)
    cut = data.replace(packed, packed[: len(packed) // 2], 1).replace(
        b"/Length %d " % len(packed), b"/Length %d " % (len(packed) // 2), 1
    )
    assert "afgebroken" in _refusal(cut)


def _refusal(data: bytes) -> str:
    with pytest.raises(OtherFile) as exc:
        parse_einvoice(data, source="factuur.pdf")
    return exc.value.message


def test_a_pdf_without_an_xml_invoice_says_what_to_ask_for():
    assert _refusal(hybrid_pdf([])) == (
        "E-factuur 'factuur.pdf': dit is een PDF-document zonder XML-factuur erin (geen "
        "Factur-X of ZUGFeRD); debiteuren leest een factuur uit de XML, niet uit de tekst van een "
        "PDF; vraag de afzender om de e-factuur als XML-bestand (UBL, Peppol BIS Billing 3.0) of "
        "als Factur-X- of ZUGFeRD-PDF met de XML erin, of voer de factuur zelf in op het blad "
        "Facturen."
    )
    assert "zonder XML-factuur" in _refusal(hybrid_pdf([("foto.xml", b"<foto/>")]))


def test_a_zugferd_1_pdf_says_it_is_zugferd_1_and_what_to_ask_for():
    """Said "a PDF without an XML invoice (no Factur-X or ZUGFeRD)" before."""
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<rsm:CrossIndustryDocument xmlns:rsm='
        b'"urn:ferd:CrossIndustryDocument:invoice:1p0"><rsm:HeaderExchangedDocument/>'
        b"</rsm:CrossIndustryDocument>"
    )
    with pytest.raises(EInvoiceError) as exc:
        parse_einvoice(hybrid_pdf([("ZUGFeRD-invoice.xml", xml)]), source="factuur.pdf")
    message = exc.value.message
    assert "zonder XML-factuur" not in message
    assert message.endswith(
        "dit is een e-factuur in het oude ZUGFeRD 1.0-formaat (hoofdelement "
        "CrossIndustryDocument), dat debiteuren niet leest; vraag de afzender om ZUGFeRD 2, "
        "Factur-X of XRechnung (CII) of om UBL."
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_an_attached_invoice_saved_as_utf_16_is_read(encoding):
    """Refused as "a PDF without an XML invoice" before."""
    text = CII.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert parse_einvoice(hybrid_pdf([("factur-x.xml", data)]), source="f.pdf").number == (
        "2026-0301"
    )


def test_two_different_invoices_in_one_pdf_are_not_guessed():
    other = CII.replace(b"2026-0301", b"2026-0399")
    message = _refusal(hybrid_pdf([("factur-x.xml", CII), ("oud.xml", other)]))
    assert "2 verschillende XML-facturen" in message
    assert facturx.invoice_xml(hybrid_pdf([("a.xml", CII), ("b.xml", CII)])) == CII


def test_an_encrypted_pdf_is_refused():
    assert "versleutelde" in _refusal(hybrid_pdf([("factur-x.xml", CII)], encrypted=True))


def test_an_attachment_that_unpacks_too_far_is_refused(monkeypatch):
    monkeypatch.setattr(facturx, "MAX_XML", 100_000)
    monkeypatch.setattr(facturx, "_MAX_UNPACKED", 200_000)
    bomb = b"<x>" + b" " * 10_000_000  # 10 MB of spaces: a few kilobytes deflated
    data = hybrid_pdf([("factur-x.xml", bomb)])
    assert len(data) < 30_000
    assert "groter dan de 10 MB" in _refusal(data)
    many = hybrid_pdf([(f"{k}.xml", b" " * 90_000) for k in range(4)])
    assert "meer of grotere bijlagen" in _refusal(many)


def test_a_pdf_with_hundreds_of_attachments_is_refused():
    assert "meer of grotere bijlagen" in _refusal(
        hybrid_pdf([(f"{k}.txt", b"x") for k in range(150)])
    )


def test_the_attached_xml_is_checked_as_any_e_invoice():
    doctype = CII.replace(b"<rsm:", b'<!DOCTYPE x [<!ENTITY e "e">]><rsm:', 1)
    with pytest.raises(RefusedXml):
        parse_einvoice(hybrid_pdf([("factur-x.xml", doctype)]), source="f.pdf")


@pytest.mark.skipif(shutil.which("pdfdetach") is None, reason="poppler's pdfdetach")
def test_the_test_pdfs_are_pdfs_a_pdf_reader_opens(tmp_path: Path):
    path = tmp_path / "factuur.pdf"
    path.write_bytes(hybrid_pdf([("factur-x.xml", CII)], indirect_length=True))
    listed = subprocess.run(
        ["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True
    )
    assert "factur-x.xml" in listed.stdout
    subprocess.run(
        ["pdfdetach", "-save", "1", "-o", str(tmp_path / "uit.xml"), str(path)], check=True
    )
    assert (tmp_path / "uit.xml").read_bytes() == CII


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                b"1 0 obj",
                b"<<",
                b">>",
                b"/Type /EmbeddedFile",
                b"/Filter /FlateDecode",
                b"/Length 5",
                b"/Length 9 0 R",
                b"stream\n",
                b"endstream",
                b"(a\\)b(",
                b")",
                b"<0a>",
                b"%c\n",
                b"#45",
                b"/Encrypt",
                zlib.compress(CII)[:40],
                b"\x00",
                b" ",
            ]
        ),
        max_size=40,
    )
)
def test_any_pdf_is_read_or_refused_with_a_reason(parts):
    """Whatever the bytes after ``%PDF``, the reader returns an invoice or refuses the file in
    Dutch: nothing else is raised."""
    data = b"%PDF-1.7\n" + b" ".join(parts)
    try:
        parse_einvoice(data, source="x.pdf")
    except EInvoiceError as exc:
        assert exc.message.startswith("E-factuur 'x.pdf'")


def test_the_command_imports_a_factur_x_pdf_as_its_xml(tmp_path: Path):
    """`debiteuren facturen BOEK.xlsx factuur.pdf`: the invoice of a Factur-X PDF lands on
    Facturen as the same XML would."""
    from datetime import datetime

    import openpyxl

    from debiteuren import service
    from debiteuren.demo import DEMO_AS_OF
    from debiteuren.service.einvoice import import_invoices

    rows = {}
    for name, content in (("factuur.pdf", hybrid_pdf([("factur-x.xml", CII)])), ("f.xml", CII)):
        book = service.demo_workbook(tmp_path / name / "demo.xlsx")
        source = tmp_path / name / name
        source.write_bytes(content)
        result = import_invoices(book, [source], now=datetime(2026, 10, 15, 9), as_of=DEMO_AS_OF)
        assert [(f.status, f.invoice) for f in result.files] == [("toegevoegd", "2026-0301")]
        sheet = openpyxl.load_workbook(book)["Facturen"]
        rows[name] = [
            c.value for c in next(r for r in sheet.iter_rows() if r[0].value == "2026-0301")
        ]
    note = rows["f.xml"].index("Ingelezen uit e-factuur f.xml; vooruitbetaald € 100,00")
    assert (
        rows["factuur.pdf"][note] == "Ingelezen uit e-factuur factuur.pdf; vooruitbetaald € 100,00"
    )
    assert rows["factuur.pdf"][:note] + rows["factuur.pdf"][note + 1 :] == (
        rows["f.xml"][:note] + rows["f.xml"][note + 1 :]
    )


def test_a_factur_x_pdf_made_by_another_program_is_read():
    """tests/fixtures/cii/factur-x.pdf: made by LibreOffice and the factur-x library (pypdf),
    with its own layout of objects (see the fixtures' README)."""
    made = (Path(__file__).parent / "fixtures" / "cii" / "factur-x.pdf").read_bytes()
    assert facturx.invoice_xml(made) == CII
    assert parse_einvoice(made, source="factur-x.pdf") == parse_einvoice(CII, source="factur-x.pdf")
