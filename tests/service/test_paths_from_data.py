"""Paths built from data stay in their folder: hostile Klantnr values, Acties.Bestand."""

from __future__ import annotations

import os
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.filenames import OutsideFolder, inside, is_inside, safe_name
from debiteuren.letters.render import letter_text
from debiteuren.service.handover import handover
from debiteuren.service.payments import payment_plan
from debiteuren.workbook.read import open_book
from debiteuren.workbook.write import append_table_rows, set_settings

NOW = datetime(2026, 10, 15, 12, 0)


def _rename_customers(path: Path, names: dict[str, str]) -> None:
    """Give customers another Klantnr on every sheet (as text cells)."""
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in names:
                    cell.value = names[cell.value]
                    cell.data_type = "s"
    book.save(path)


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    work = tmp_path / "administratie"
    path = service.demo_workbook(work / "demo.xlsx")
    names = {
        "K001": str(tmp_path / "elders" / "absoluut"),
        "K003": "a/b",
        "K005": "..\\..\\windows",
        "K006": "CON",
        "K009": ".",
        "K011": "..",
        "K010": "../../post",
        "K012": "../../ontsnapt",
        "2026-0035": "../../factuur",  # an invoice of K012
    }
    _rename_customers(path, names)
    service.update(path, DEMO_AS_OF, now=NOW)
    return path, names


def test_letters_plans_and_dossiers_stay_in_the_letters_folder(hostile, tmp_path: Path):
    path, names = hostile
    (path.parent / "facturen").mkdir()
    (path.parent / "facturen" / "f.pdf").write_bytes(b"%PDF-1.4 factuur\n")
    _set_invoice_file(path, "../../factuur", "facturen/f.pdf")
    before = _files(tmp_path)
    result = service.letters(
        path, DEMO_AS_OF, now=NOW, pdf=False, eml=True, confirm_stale=True, confirm_rates=True
    )
    customers = {n for k, n in names.items() if k.startswith("K")}
    assert {w.debtor.number for w in result.letters} >= customers
    plan = payment_plan(
        path, customer="a/b", instalments=3, first=date(2026, 11, 1), as_of=DEMO_AS_OF, now=NOW
    )
    dossier = handover(  # with --toch: today's letters are not sent yet
        path, DEMO_AS_OF, customer="../../ontsnapt", to="Incasso B.V.", now=NOW, force=True
    )
    letters = path.parent / "brieven"
    new = _files(tmp_path) - before
    outside = {p for p in new if not is_inside(letters, p) and p.parent != path.parent}
    outside -= {p for p in new if p.parent.name == "reservekopieen"}
    assert outside == set()
    assert not (tmp_path / "elders").exists() and not (tmp_path / "ontsnapt").exists()
    written = sorted(p.name for p in new if p.suffix == ".docx" and p.parent.name == "2026-10-15")
    assert f"a-b-{safe_name('a/b', distinct=True)[-6:]}-herinnering.docx" in written
    assert any(n.startswith("_CON-") for n in written)
    assert plan.letter is not None and is_inside(letters, plan.letter)
    assert plan.letter.name.startswith("a-b-") and plan.letter.name.endswith("-regeling.docx")
    for made in (plan.pdf, plan.eml):  # the PDF only with LibreOffice; K003 has an e-mail
        assert made is None or (is_inside(letters, made) and made.stem == plan.letter.stem)
    assert plan.eml is not None
    assert is_inside(letters, dossier.folder) and is_inside(letters, dossier.archive)
    assert dossier.folder.name.startswith("overdracht-ontsnapt-")
    (copy,) = [c for c in dossier.invoice_copies if c.copy is not None]
    assert copy.invoice == "../../factuur" and is_inside(dossier.folder / "facturen", copy.copy)
    assert copy.copy.name == f"factuur-{safe_name('../../factuur')}.pdf"


def _set_invoice_file(path: Path, number: str, file: str) -> None:
    book = open_book(path)
    ws = book["Facturen"]
    head = [c.value for c in ws[1]]
    column, pdf = head.index("Factuurnr") + 1, head.index("Factuur-pdf") + 1
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=column).value == number:
            ws.cell(row=row, column=pdf, value=file)
    book.save(path)


def test_refused_e_mails_the_print_file_and_the_send_log_stay_in_the_letters_folder(
    hostile, tmp_path: Path
):
    """A refused e-mail gets a posted copy named after the (hostile) Klantnr; the print file and
    verzendlog.txt of the run are in the letters folder too."""
    from test_letter_lifecycle import smtp_server

    path, names = hostile
    before = _files(tmp_path)
    with smtp_server(refuse="jean.dupont") as (port, received):
        book = open_book(path)
        set_settings(
            book, {"SMTP-server": "127.0.0.1", "SMTP-poort": port, "SMTP-beveiliging": "geen"}
        )
        book.save(path)
        result = service.letters(
            path, DEMO_AS_OF, now=NOW, pdf=False, send=True, confirm_stale=True, confirm_rates=True
        )
    assert received  # the other e-mails went out
    letters = path.parent / "brieven"
    new = _files(tmp_path) - before
    outside = {p for p in new if not is_inside(letters, p) and p.parent != path.parent}
    outside -= {p for p in new if p.parent.name == "reservekopieen"}
    assert outside == set()
    (posted,) = [w for w in result.letters if w.instead_of_email]
    assert posted.debtor.number == names["K010"] == "../../post"
    assert posted.docx == letters / "2026-10-15" / (
        f"{safe_name('../../post', distinct=True)}-eerste-herinnering-post.docx"
    )
    assert result.send_log == letters / "2026-10-15" / "verzendlog.txt"
    assert result.merged is not None and result.merged.parent == letters / "2026-10-15"
    assert "../../post eerste herinnering" in result.send_log.read_text("utf-8")


def test_a_dossier_takes_only_files_from_the_letters_folder(tmp_path: Path):
    work = tmp_path / "administratie"
    path = service.demo_workbook(work / "demo.xlsx")
    secret = tmp_path / "geheim.txt"
    secret.write_text("wachtwoord: hunter2")
    letters = work / "brieven" / "2026-09-01"
    letters.mkdir(parents=True)
    own = letters / "K012-herinnering.docx"
    own.write_bytes(b"PK eigen brief")
    link = letters / "K012-aanmaning.docx"
    if os.name != "nt":
        link.symlink_to(secret)
    book = open_book(path)
    rows = [
        ("/etc/passwd", date(2026, 9, 1)),
        (str(secret), date(2026, 9, 2)),
        ("../geheim.txt", date(2026, 9, 3)),
        ("brieven/2026-09-01/K012-aanmaning.docx", date(2026, 9, 4)),
        ("brieven/2026-09-01/K012-herinnering.docx", date(2026, 9, 5)),
    ]
    append_table_rows(
        book,
        "Acties",
        [
            {"on": on, "debtor": "K012", "step": "herinnering", "channel": "post", "file": file}
            for file, on in rows
        ],
    )
    book.save(path)
    service.update(path, DEMO_AS_OF, now=NOW)
    result = handover(path, DEMO_AS_OF, customer="K012", to="Incasso B.V.", now=NOW)
    copied = [c.copy for c in result.letters if c.copy is not None]
    assert [c.name for c in copied] == ["2026-09-05-herinnering-K012-herinnering.docx"]
    # each letter left out says why: outside the letters folder, or not found
    why = {c.action.file: c.why for c in result.letters if c.copy is None}
    outside = (
        "staat buiten de map met brieven van dit werkboek; alleen bestanden uit die map gaan mee "
        "in een dossier"
    )
    assert why["/etc/passwd"].startswith(outside)
    assert why[str(secret)].startswith(outside)
    assert why["../geheim.txt"].startswith(outside)  # relative to the workbook's folder
    if os.name != "nt":
        assert why["brieven/2026-09-01/K012-aanmaning.docx"].startswith(outside)  # the link
    notes = (result.folder / "notities.txt").read_text(encoding="utf-8")
    assert f"NIET BIJGEVOEGD: {outside}" in notes and "(/etc/passwd)" in notes
    assert "ONTBREEKT: staat buiten" not in notes
    with zipfile.ZipFile(result.archive) as archive:
        contents = b"".join(archive.read(n) for n in archive.namelist())
    assert b"hunter2" not in contents and b"root:" not in contents
    assert b"PK eigen brief" in contents


@pytest.mark.parametrize(
    "name", ["../x", "/etc/passwd", "a/../../x", "..", "C:\\x" if os.name == "nt" else "/x"]
)
def test_inside_refuses_a_name_that_leaves_the_folder(tmp_path: Path, name: str):
    with pytest.raises(OutsideFolder, match="zou buiten de map"):
        inside(tmp_path, name)
    assert inside(tmp_path, "K001-herinnering.docx") == tmp_path / "K001-herinnering.docx"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("K001", "K001"),
        ("../../etc/passwd", "etc-passwd"),
        ("..\\..\\x", "x"),
        ("a/b", "a-b"),
        ("CON", "_CON"),
        ("lpt1.txt", "_lpt1.txt"),
        ("x\x01y", "x-y"),
        ("..", "naamloos"),
        ("Ça va Café", "Ça-va-Café"),
        ("a" * 200, "a" * 80),
    ],
)
def test_safe_name(text: str, name: str):
    assert safe_name(text) == name
    distinct = safe_name(text, distinct=True)
    assert distinct == name if text == name else distinct.startswith(name + "-")


def test_a_klantnr_of_wide_characters_gives_letter_files_a_name_the_system_accepts(
    tmp_path: Path,
):
    """Linux and macOS allow 255 bytes per name: 60 characters of four bytes each (CJK
    Extension B, letters by Unicode) plus "-herinnering.docx" are more than that."""
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    number = "\U00020000" * 60
    _rename_customers(path, {"K001": number})
    result = service.letters(
        path, DEMO_AS_OF, now=NOW, pdf=False, eml=True, confirm_stale=True, confirm_rates=True
    )
    (letter,) = [w for w in result.letters if w.debtor.number == number]
    assert letter.docx.is_file()
    assert len(letter.docx.name.encode("utf-8")) <= 160
    assert letter.docx.name.startswith("\U00020000" * 30)
    assert letter.docx.name.endswith("-herinnering.docx")


@pytest.mark.parametrize("text", ["\U00020000" * 100, "漢" * 100, "é" * 300, "a" * 300])
def test_safe_name_stays_within_a_byte_budget(text: str):
    for distinct in (False, True):
        name = safe_name(text, distinct=distinct)
        assert len(name.encode("utf-8")) <= 127
        assert name.startswith(text[:8])


def test_two_klantnrs_that_give_one_file_name_keep_a_letter_each(tmp_path: Path):
    """'K003/B' gives the name K003-B-<hash>, which another Klantnr can be: the second letter
    replaced the first, whose Acties row and e-mail draft then named the other customer's
    letter (and a hand-over would copy it into the dossier as this customer's)."""
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    twin = safe_name("K003/B", distinct=True)
    _rename_customers(path, {"K007": "K003/B", "K012": twin})
    service.update(path, DEMO_AS_OF, now=NOW)
    result = service.letters(
        path, DEMO_AS_OF, now=NOW, pdf=False, eml=True, confirm_stale=True, confirm_rates=True
    )
    made = {w.debtor.number: w for w in result.letters}
    assert made["K003/B"].docx != made[twin].docx
    for number in ("K003/B", twin):
        letter, debtor = made[number], made[number].debtor
        assert letter.eml is not None and letter.eml.stem == letter.docx.stem
        text = letter_text(letter.docx.read_bytes())
        assert debtor.name in text and debtor.number in text


def test_every_letter_takes_the_own_templates_beside_the_letters_folder(tmp_path: Path):
    """README: own templates go in ``sjablonen/`` beside the ``brieven`` folder and come
    first. ``brieven`` looked there, the hand-over letter beside the workbook (another folder
    when Uitvoermap brieven is set), and the confirmation of a payment plan never looked: a
    user's own (or a colleague's) regeling.docx was silently not used."""
    from docx import Document

    from debiteuren.letters.render import shipped_template_dir

    path = service.demo_workbook(tmp_path / "demo.xlsx")
    book = open_book(path)
    set_settings(book, {"Uitvoermap brieven": "uit/brieven"})
    book.save(path)
    for language in ("nl", "fr", "en", "de"):
        own = tmp_path / "uit" / "sjablonen" / language
        own.mkdir(parents=True)
        for name in ("regeling", "overdracht"):
            doc = Document(str(shipped_template_dir() / language / f"{name}.docx"))
            doc.add_paragraph(f"EIGEN-SJABLOON-{name}")
            doc.save(str(own / f"{name}.docx"))
    service.update(path, DEMO_AS_OF, now=NOW)
    plan = payment_plan(
        path, customer="K004", instalments=3, first=date(2026, 11, 1), as_of=DEMO_AS_OF, now=NOW
    )
    assert plan.letter is not None
    assert "EIGEN-SJABLOON-regeling" in letter_text(plan.letter.read_bytes())
    dossier = handover(path, DEMO_AS_OF, customer="K012", to="Incasso B.V.", now=NOW, force=True)
    letter = (dossier.folder / "overdrachtsbrief.docx").read_bytes()
    assert "EIGEN-SJABLOON-overdracht" in letter_text(letter)
