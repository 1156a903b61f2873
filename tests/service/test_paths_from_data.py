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
from debiteuren.service.handover import handover
from debiteuren.service.payments import payment_plan
from debiteuren.workbook.read import open_book
from debiteuren.workbook.write import append_table_rows

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
        "K012": "../../ontsnapt",
    }
    _rename_customers(path, names)
    service.update(path, DEMO_AS_OF, now=NOW)
    return path, names


def test_letters_plans_and_dossiers_stay_in_the_letters_folder(hostile, tmp_path: Path):
    path, names = hostile
    before = _files(tmp_path)
    result = service.letters(
        path, DEMO_AS_OF, now=NOW, pdf=False, eml=True, confirm_stale=True, confirm_rates=True
    )
    assert {w.debtor.number for w in result.letters} >= set(names.values())
    plan = payment_plan(
        path, customer="a/b", instalments=3, first=date(2026, 11, 1), as_of=DEMO_AS_OF, now=NOW
    )
    dossier = handover(path, DEMO_AS_OF, customer="../../ontsnapt", to="Incasso B.V.", now=NOW)
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
    assert is_inside(letters, dossier.folder) and is_inside(letters, dossier.archive)
    assert dossier.folder.name.startswith("overdracht-ontsnapt-")


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
