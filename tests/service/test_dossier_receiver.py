"""The hand-over dossier as the agency or bailiff receives it: figures that add up and agree
with the workbook, and only the files the workbook's own folders hold (review of session 27)."""

from __future__ import annotations

import zipfile
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
from docx import Document

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.filenames import data_path
from debiteuren.service.handover import handover
from debiteuren.workbook.read import open_book
from debiteuren.workbook.write import append_table_rows

NOW = datetime(2026, 10, 15, 17, 0)


def _money(value: object) -> D:
    return D(str(value)).quantize(D("0.01"))


def _sheet(path: Path, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path, data_only=True)[sheet].iter_rows(values_only=True))


def _summary(spec: Path) -> dict[str, dict[str, object]]:
    rows = _sheet(spec, "Samenvatting")
    start = next(i for i, r in enumerate(rows) if r[0] == "Factuurnr")
    return {r[0]: dict(zip(rows[start], r, strict=False)) for r in rows[start + 1 :] if r[0]}


def test_capitalised_interest_is_open_interest_and_every_row_adds_up(demo):
    """K003's oldest invoices are over a year late: NL interest was added to the base on each
    anniversary. The specification's 'Open rente' left that interest out (2023-0041:
    € 1.323,83 where Facturen says Rente € 8.381,12), so Open hoofdsom + Open rente + Open
    kosten fell € 7.057,29 short of the row's own Totaal; the Word specification too."""
    service.update(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 0))
    facturen = _sheet(demo, "Facturen")
    book = {r[0]: dict(zip(facturen[0], r, strict=False)) for r in facturen[1:] if r[0]}
    result = handover(demo, DEMO_AS_OF, customer="K003", to="NOORDERLICHT", now=NOW, force=True)
    rows = _summary(result.folder / "specificatie.xlsx")
    assert set(rows) == {"2023-0041", "2025-0088", "2026-0057", "2026-0110", "Totaal"}
    assert _money(rows["2023-0041"]["Open rente"]) == D("8381.12")
    for number, row in rows.items():
        parts = _money(row["Open hoofdsom"]) + _money(row["Open rente"])
        assert parts + _money(row["Open kosten"]) == _money(row["Totaal"]), number
        if number != "Totaal":  # the workbook's own columns, to the cent
            assert _money(row["Open rente"]) == _money(book[number]["Rente"]), number
            assert _money(row["Totaal"]) == _money(book[number]["Totaal"]), number
    assert _money(rows["Totaal"]["Totaal"]) == result.amount == D("45758.43")
    text = "\n".join(p.text for p in Document(result.folder / "specificatie.docx").paragraphs)
    assert (
        "Totaal factuur 2023-0041: € 26.871,12 (open hoofdsom € 18.450,00, rente € 8.381,12, "
        "kosten € 40,00)."
    ) in text


def _set_pdf(path: Path, files: dict[str, str]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Facturen"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[head.index("Factuurnr")].value in files:
            row[head.index("Factuur-pdf")].value = files[row[head.index("Factuurnr")].value]
    wb.save(path)


def test_a_name_that_leaves_the_folder_is_not_looked_up_and_a_backslash_separates(demo, tmp_path):
    """A Factuur-pdf typed on Windows (facturen\\2023-0041.pdf) was 'bestand niet gevonden'
    on macOS and Linux. A name outside the workbook's folder was looked up before it was
    refused: notities.txt told the agency whether /geheim/ontslag.pdf exists on the user's
    computer ('bestand niet gevonden' or 'staat buiten'), and on Windows looking up
    \\\\server\\share\\x.pdf connects to that server and offers it the user's login. Now the
    text decides first: outside is outside, found or not."""
    (demo.parent / "facturen").mkdir()
    (demo.parent / "facturen" / "2023-0041.pdf").write_bytes(b"%PDF-1.4 factuur 2023-0041\n")
    _set_pdf(
        demo,
        {
            "2023-0041": "facturen\\2023-0041.pdf",
            "2025-0088": "\\\\server\\share\\2025-0088.pdf",
            "2026-0057": str(tmp_path.parent / "bestaat-niet" / "2026-0057.pdf"),
            "2026-0110": "facturen\\..\\..\\2026-0110.pdf",
        },
    )
    result = handover(demo, DEMO_AS_OF, customer="K003", to="NOORDERLICHT", now=NOW, force=True)
    copies = {c.invoice: c for c in result.invoice_copies}
    assert copies["2023-0041"].copy is not None
    assert copies["2023-0041"].copy.read_bytes() == b"%PDF-1.4 factuur 2023-0041\n"
    outside = "staat buiten de map van het werkboek"
    for number in ("2025-0088", "2026-0057", "2026-0110"):
        assert copies[number].copy is None and copies[number].why.startswith(outside), number


def test_data_path_decides_on_the_text(tmp_path: Path):
    letters = tmp_path / "brieven"
    assert data_path("brieven/a.docx", tmp_path, letters) == letters / "a.docx"
    assert data_path("brieven\\2026-10-15\\a.docx", tmp_path, letters) == (
        letters / "2026-10-15" / "a.docx"
    )
    assert data_path(str(letters / "a.docx"), tmp_path, letters) == letters / "a.docx"
    for name in (
        "a.docx",
        "brieven/../a.docx",
        "brieven\\..\\..\\a.docx",
        "/etc/passwd",
        "//server/share/a.docx",
        "\\\\server\\share\\brieven\\a.docx",
        "",
        "brieven/\x00.docx",
    ):
        assert data_path(name, tmp_path, letters) is None, name


def test_the_specification_workbook_has_no_direction_controls(demo):
    """specificatie.docx dropped the direction controls from a name, specificatie.xlsx kept
    them: its Debiteur cell 'Antwerp Logistics \\u202eNV (K012)' showed 'Antwerp Logistics
    )210K( VN', another Klantnr than the one written."""
    book = openpyxl.load_workbook(demo)
    ws = book["Klanten"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[head.index("Klantnr")].value == "K012":
            row[head.index("Naam")].value = "Antwerp Logistics \u202eNV"
    ws = book["Facturen"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[head.index("Factuurnr")].value == "2024-0107":
            cell = row[head.index("Omschrijving")]
            cell.value, cell.data_type = "=Etiketten \u2067\u200f2026\u2069", "s"
    book.save(demo)
    result = handover(demo, DEMO_AS_OF, customer="K012", to="NOORDERLICHT", now=NOW, force=True)
    texts = [
        cell.value
        for ws in openpyxl.load_workbook(result.folder / "specificatie.xlsx").worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert "Antwerp Logistics NV (K012)" in texts
    assert "=Etiketten 2026" in texts  # still a text, not a formula
    assert [t for t in texts if set(t) & set("\u202e\u2067\u2069\u200f")] == []


def test_a_dossier_takes_no_other_customers_letters_or_the_print_file(demo):
    """Bestand on Acties is data: a row of K012 typed by hand may name the print file of a
    run (the letters by post to every customer that day), K003's letter, or a file of K003's
    earlier dossier. Each lay in the letters folder and went to K012's agency: other
    customers' names, addresses and debts to a third party. A scan the user put there under
    a name of his own still goes."""
    day = DEMO_AS_OF.replace(day=1)
    folder = demo.parent / "brieven" / day.isoformat()
    (folder / "overdracht-K003-2026-09-01").mkdir(parents=True)
    files = {
        "alle-brieven-afdrukken-090500.pdf": b"%PDF alle klanten",
        "K003-herinnering.pdf": b"%PDF K003",
        "overdracht-K003-2026-09-01/specificatie.pdf": b"%PDF dossier K003",
        "scan-aanmaning-antwerp.pdf": b"%PDF scan",
        "K012-herinnering.pdf": b"%PDF K012",
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    book = open_book(demo)
    append_table_rows(
        book,
        "Acties",
        [
            {
                "on": day,
                "debtor": "K012",
                "step": "herinnering",
                "channel": "post",
                "file": f"brieven/{day.isoformat()}/{name}",
            }
            for name in files
        ],
    )
    book.save(demo)
    result = handover(demo, DEMO_AS_OF, customer="K012", to="NOORDERLICHT", now=NOW, force=True)
    why = {Path(c.action.file).name: c.why for c in result.letters if c.action.file}
    copied = {Path(c.action.file).name for c in result.letters if c.copy is not None}
    assert copied == {"scan-aanmaning-antwerp.pdf", "K012-herinnering.pdf"}
    assert why["alle-brieven-afdrukken-090500.pdf"].startswith("is het afdrukbestand")
    assert why["K003-herinnering.pdf"] == "is een brief aan klant K003, niet aan deze klant"
    assert why["specificatie.pdf"].startswith("hoort bij het dossier van een overdracht")
    with zipfile.ZipFile(result.archive) as archive:
        contents = b"".join(archive.read(n) for n in archive.namelist())
    assert b"%PDF K003" not in contents and b"%PDF dossier" not in contents
    assert b"%PDF alle klanten" not in contents
    assert b"%PDF scan" in contents and b"%PDF K012" in contents


def test_verzonden_looks_up_no_bestand_outside_the_letters_folder(demo, tmp_path):
    """verzonden warns when a letter's file is gone (a hand-over could not enclose it). It
    looked the Bestand up wherever it pointed: an existing file outside the letters folder
    passed without a word although no dossier takes it, and on Windows a UNC path on Acties
    (\\\\server\\share\\x.pdf) made verzonden offer that server the user's login."""
    made = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, eml=False, customer="K004")
    (letter,) = made.letters
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elders.docx"
    elsewhere.write_bytes(letter.docx.read_bytes())
    book = openpyxl.load_workbook(demo)
    ws = book["Acties"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[head.index("Bestand")].value)
    row[head.index("Bestand")].value = str(elsewhere)
    book.save(demo)
    marked = service.mark_sent(demo, DEMO_AS_OF, now=NOW)
    (k004,) = [m for m in marked.marked if m.action.debtor == "K004"]
    assert k004.missing == (
        f"het bestand van de herinnering aan klant K004 ({elsewhere}) staat buiten de map met "
        "brieven, dus een overdracht kan er geen kopie van meesturen. Is de brief niet "
        "verstuurd, zet hem dan op geannuleerd"
    )
