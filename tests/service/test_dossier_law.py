"""The hand-over dossier tells the law of the debtor's country, the agency's address, and only
what is really enclosed (issue 13 point 2)."""

from __future__ import annotations

import os
import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from debiteuren import service
from debiteuren.core.model import Agency
from debiteuren.demo import DEMO_AS_OF
from debiteuren.errors import DebiteurenError
from debiteuren.filenames import existing_file, is_inside
from debiteuren.letters import render
from debiteuren.service.handover import handover, resolve_agency
from debiteuren.workbook.read import open_book
from debiteuren.workbook.write import append_table_rows

NOW = datetime(2026, 10, 15, 10, 0)

#: A Dutch Civil Code article: Book:article ("6:44", "3:317", "6:119a").
DUTCH_ARTICLE = re.compile(r"\b\d{1,2}:\d{1,3}[a-z]?\b")
#: Belgian law: the new and old Civil Code, the Code of Economic Law, the 2002 and 1865 acts.
BELGIAN_LAW = ("5.210", "1254", "oud BW", "WER", "2 augustus 2002", "5 mei 1865", "Staatsblad 1")


@pytest.fixture(autouse=True)
def no_pdf(monkeypatch):
    """LibreOffice is not what these tests are about."""
    monkeypatch.setattr(render, "convert_to_pdf", lambda docx, outdir, **kw: None)


def dossier_text(folder: Path) -> str:
    """Return every word of the dossier: the specification (.xlsx, .docx), the agency letter
    and the notes."""
    parts = []
    wb = openpyxl.load_workbook(folder / "specificatie.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            parts += [str(v) for v in row if isinstance(v, str)]
    for name in ("specificatie.docx", "overdrachtsbrief.docx"):
        doc = Document(str(folder / name))
        parts += [p.text for p in doc.paragraphs]
        for table in doc.tables:
            parts += [cell.text for row in table.rows for cell in row.cells]
    parts.append((folder / "notities.txt").read_text(encoding="utf-8"))
    return "\n".join(parts)


def letter_text(folder: Path) -> str:
    doc = Document(str(folder / "overdrachtsbrief.docx"))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def demo(demo: Path) -> Path:
    path = demo  # the shared demo workbook (conftest), changed here
    service.update(path, DEMO_AS_OF, now=NOW)
    return path


def test_a_belgian_dossier_cites_belgian_law_only(demo):
    result = handover(
        demo,
        DEMO_AS_OF,
        customer="K012",
        to="Gerechtsdeurwaarder Peeters, Meir 1, 2000 Antwerpen",
        now=NOW,
        confirm_stale=True,
    )
    text = dossier_text(result.folder)
    assert DUTCH_ARTICLE.findall(text) == []
    assert "art. 5.210 BW (voorheen art. 1254 oud BW)" in text
    assert "art. 6 wet van 2 augustus 2002" in text
    assert "Belgisch Staatsblad" in text  # the publications of the rates used
    assert "lexalert" not in text and "schoups" not in text  # no internal notes or blog links


def k003(demo: Path, to: str = "Incassobureau Noord B.V., Postbus 12, 9700 AA Groningen"):
    """Hand K003 (NL business) over on the demo date."""
    return handover(
        demo, DEMO_AS_OF, customer="K003", to=to, now=NOW, confirm_stale=True, force=True
    )


def test_a_dutch_dossier_cites_no_belgian_law(demo):
    result = k003(demo)
    text = dossier_text(result.folder)
    assert [law for law in BELGIAN_LAW if law in text] == []
    assert "art. 6:44 BW" in text
    assert "Belgisch Staatsblad" not in text


def test_the_agency_letter_has_the_agencys_address(demo):
    result = k003(demo)
    text = letter_text(result.folder)
    assert "Incassobureau Noord B.V." in text
    assert "Postbus 12" in text and "9700 AA" in text and "Groningen" in text
    assert result.agency == Agency(
        name="Incassobureau Noord B.V.",
        address="Postbus 12",
        postcode="9700 AA",
        city="Groningen",
        country="NL",
    )
    assert not any("geen adres" in w for w in result.warnings)


def test_an_agency_from_the_incassobureaus_sheet(demo):
    book = open_book(demo)
    append_table_rows(
        book,
        "Incassobureaus",
        [
            {
                "code": "NOORD",
                "name": "Incassobureau Noord B.V.",
                "contact": "mr. J. de Vries",
                "address": "Herestraat 10",
                "postcode": "9711 LM",
                "city": "Groningen",
                "country": "NL",
            }
        ],
    )
    book.save(demo)
    result = k003(demo, "noord")
    text = letter_text(result.folder)
    assert "mr. J. de Vries" in text and "Herestraat 10" in text and "9711 LM" in text
    acties = [
        r
        for r in openpyxl.load_workbook(demo)["Acties"].iter_rows(values_only=True)
        if r[1] == "K003" and r[3] == "overdracht"
    ]
    assert "overgedragen aan Incassobureau Noord B.V." in acties[-1]


def test_resolve_agency():
    sheet = [Agency(code="NOORD", name="Incassobureau Noord B.V.", address="Herestraat 10")]
    assert resolve_agency("", sheet) == sheet[0]  # the only row
    assert resolve_agency("Incassobureau noord b.v.", sheet) == sheet[0]
    assert resolve_agency("Peeters, Meir 1, 2000 Antwerpen", []) == Agency(
        name="Peeters", address="Meir 1", postcode="2000", city="Antwerpen", country="BE"
    )
    assert resolve_agency("Alleen Een Naam", []) == Agency(name="Alleen Een Naam")
    with pytest.raises(DebiteurenError, match="'Naam, Straat 1, 1234 AB Plaats'"):
        resolve_agency("Bureau, Straat 1, Groningen", [])


def _set_pdf(path: Path, files: dict[str, str]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Facturen"]
    head = [c.value for c in ws[1]]
    number, pdf = head.index("Factuurnr") + 1, head.index("Factuur-pdf") + 1
    for row in range(2, ws.max_row + 1):
        value = ws.cell(row=row, column=number).value
        if value in files:
            ws.cell(row=row, column=pdf, value=files[value])
    wb.save(path)


def test_invoice_pdfs_are_copied_only_from_inside_the_workbooks_folder(demo, tmp_path):
    (demo.parent / "facturen").mkdir()
    (demo.parent / "facturen" / "2023-0041.pdf").write_bytes(b"%PDF-1.4 factuur 2023-0041\n")
    outside = tmp_path.parent / f"{tmp_path.name}-buiten.pdf"
    outside.write_bytes(b"%PDF-1.4 geheim\n")
    link = demo.parent / "facturen" / "link.pdf"
    os.symlink(outside, link)
    _set_pdf(
        demo,
        {
            "2023-0041": "facturen/2023-0041.pdf",
            "2025-0088": "/etc/passwd",
            "2026-0057": "facturen/link.pdf",
        },
    )
    result = k003(demo, "Bureau, Straat 1, 1234 AB Plaats")
    copies = {c.invoice: c for c in result.invoice_copies}
    assert copies["2023-0041"].copy is not None
    assert copies["2023-0041"].copy.read_bytes() == b"%PDF-1.4 factuur 2023-0041\n"
    assert copies["2025-0088"].copy is None
    assert copies["2025-0088"].why.startswith("staat buiten de map van het werkboek")
    assert copies["2026-0057"].copy is None  # a link out of the folder is refused
    assert copies["2026-0057"].why.startswith("staat buiten de map van het werkboek")
    names = zipfile.ZipFile(result.archive).namelist()
    assert sum(n.endswith(".pdf") for n in names) == 1
    assert not any("passwd" in n or "geheim" in n for n in names)
    text = letter_text(result.folder)
    assert "Kopieën van de facturen 2023-0041" in text
    missing = [n for n, c in copies.items() if c.copy is None]
    assert f"Van factuur {', '.join(missing)} is geen kopie bijgevoegd" in text
    notes = (result.folder / "notities.txt").read_text(encoding="utf-8")
    assert "2025-0088: NIET BIJGEVOEGD" in notes


def test_without_invoice_files_the_letter_does_not_claim_they_are_enclosed(demo):
    result = k003(demo, "Bureau, Straat 1, 1234 AB Plaats")
    text = letter_text(result.folder)
    assert "Kopieën van de facturen zijn niet bijgevoegd" in text
    assert "Kopieën van de facturen en" not in text
    # nor that the letters are: it said nothing of them, beside a list of letters sent
    assert "Kopieën van verstuurde brieven zijn niet bijgevoegd." in text


def test_existing_file_resolves_what_data_names(tmp_path):
    inside = tmp_path / "a" / "f.pdf"
    inside.parent.mkdir()
    inside.write_bytes(b"x")
    assert existing_file("a/f.pdf", tmp_path) == inside.resolve()
    assert existing_file(str(inside), tmp_path) == inside.resolve()
    above = existing_file("../f.pdf", tmp_path / "a")
    assert above is None  # no such file
    (tmp_path / "f.pdf").write_bytes(b"y")
    above = existing_file("../f.pdf", tmp_path / "a")
    assert above == (tmp_path / "f.pdf").resolve() and not is_inside(tmp_path / "a", above)
    assert not is_inside(tmp_path, existing_file("/etc/passwd", tmp_path))
    assert existing_file("a", tmp_path) is None  # a folder, not a file
    assert existing_file("", tmp_path) is None
    assert existing_file("a/\x00.pdf", tmp_path) is None
    assert existing_file("a/bestaat-niet.pdf", tmp_path) is None


def test_the_dossier_says_when_and_why_a_consumer_without_an_agreed_term_is_in_default(demo):
    """With 'NL consument: rente pas na 14-dagenbrief' interest does not run from the day after
    the due date but from the end of the notice of default (art. 6:82 BW): the agency, which
    goes on computing the interest, must be told from when and why (K004: due 30-09-2026, the
    e-mailed reminder of 15-10 is the notice, its term ends 29-10; the 14-dagenbrief of 30-10
    by post, received Saturday 31-10, term to 14-11)."""
    book = openpyxl.load_workbook(demo)
    for row in book["Instellingen"].iter_rows(min_row=2):
        if row[0].value == "NL consument: rente pas na 14-dagenbrief":
            row[1].value = "Ja"
    book.save(demo)
    service.letters(demo, DEMO_AS_OF, now=NOW, customer="K004", pdf=False, eml=False)
    service.mark_sent(demo, DEMO_AS_OF, now=NOW)
    demand_on = datetime(2026, 10, 30, 9, 0)
    service.letters(
        demo,
        demand_on.date(),
        now=demand_on,
        customer="K004",
        pdf=False,
        eml=False,
        confirm_rates=True,
        confirm_stale=True,
    )
    service.mark_sent(demo, demand_on.date(), now=demand_on)
    handed = datetime(2026, 11, 16, 10, 0)
    result = handover(
        demo,
        handed.date(),
        customer="K004",
        to="Incassobureau Noord",
        now=handed,
        confirm_stale=True,
    )
    assert result.invoices == ("2026-0116",)
    text = " ".join(dossier_text(result.folder).split())
    assert "Eerste rentedag 30-10-2026." in text
    assert (
        "Factuur 2026-0116: de betaaltermijn was niet vooraf afgesproken; de klant is in verzuim "
        "sinds 30-10-2026, na de ingebrekestelling van 15-10-2026 (termijn tot en met "
        "29-10-2026, art. 6:82 BW). De rente loopt vanaf die dag, niet vanaf de dag na de "
        "vervaldatum." in text
    )
