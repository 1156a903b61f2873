"""``brieven`` and the envelope's window: the address block of every letter fits in at most six
lines (PostNL, bpost), or a letter by post is not made and the Klanten cell to shorten is named.
Before, the block took every line typed (nine and more) and a long name pushed the postcode
under the window's edge or off the address row; the next pages' header took a name's line
breaks too."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from docx import Document

from debiteuren.cli import main
from debiteuren.letters.render import letter_text

ARGS = ["--peildatum", "2026-10-15", "--onbevestigde-rente", "--geen-pdf"]


def _klanten(demo: Path, rows: dict[str, dict[str, str]]) -> None:
    book = openpyxl.load_workbook(demo)
    sheet = book["Klanten"]
    headers = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        for header, value in rows.get(sheet.cell(row, 1).value, {}).items():
            sheet.cell(row, headers.index(header) + 1).value = value
    book.save(demo)


def _letter(demo: Path, name: str) -> bytes:
    return next(demo.parent.glob(f"brieven/*/{name}")).read_bytes()


def test_a_letter_by_post_whose_address_needs_seven_lines_is_not_made(demo: Path):
    _klanten(
        demo,
        {
            "K002": {
                "Naam": "Petra de Vries\nen Jan de Vries\nen Kees de Vries",
                "Contactpersoon": "mr. A. Bewind, bewindvoerder van de heer en mevrouw De Vries",
                "Adres": "Lindelaan 4, appartementencomplex De Linde\n"
                "appartement 12 op de derde verdieping\nachteringang via de parkeerplaats",
            }
        },
    )
    result = CliRunner().invoke(main, ["brieven", str(demo), *ARGS])
    output = " ".join(result.output.split())
    assert "Niet gemaakt:" in result.output
    assert (
        "K002 Petra de Vries en Jan de Vries en Kees de Vries: 14-dagenbrief: het adres past "
        "niet in het venster van de envelop: het neemt 7 regels en PostNL en bpost nemen er "
        "hoogstens 6" in output
    )
    assert "Maak Klanten, rij 3, Adres korter (3 regels in het adres)" in output
    assert not list(demo.parent.glob("brieven/*/K002-14-dagenbrief*"))
    assert list(demo.parent.glob("brieven/*/K005-*.docx"))  # the others are made
    # the milder reminder the held letter released goes by e-mail: made, with the warning
    assert "Let op: de herinnering aan K002 gaat per e-mail, maar het adres past niet" in output
    assert list(demo.parent.glob("brieven/*/K002-herinnering.docx"))


def test_a_letter_by_post_with_line_breaks_in_its_cells_gets_six_lines(demo: Path):
    _klanten(
        demo,
        {
            "K005": {
                "Naam": "Familie Bakker\nde heer en mevrouw Bakker-de Groot\nen kinderen",
                "Contactpersoon": "Sanne Bakker\nadministratie",
                "Adres": "Dorpsstraat 21\nachterom\nbij de schuur",
            }
        },
    )
    result = CliRunner().invoke(main, ["brieven", str(demo), *ARGS])
    assert result.exit_code == 0, result.output
    text = letter_text(_letter(demo, "K005-herinnering.docx"))
    block = (
        "Familie Bakker\nde heer en mevrouw Bakker-de Groot\nen kinderen\n"
        "t.a.v. Sanne Bakker, administratie\nDorpsstraat 21, achterom, bij de schuur\n"
        "1741 BE  Schagen\n"
    )
    assert block in text


def test_a_letter_by_email_is_made_with_a_warning_and_its_header_takes_one_line(demo: Path):
    """K007 (French, abroad) by e-mail: seven lines; the letter goes, the user is told."""
    name = "Société Coopérative des Producteurs Laitiers de la Province de Luxembourg SCRL"
    _klanten(
        demo, {"K007": {"Naam": name, "Contactpersoon": "Sophie Lambert\nService Comptabilité"}}
    )
    result = CliRunner().invoke(main, ["brieven", str(demo), *ARGS])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert (
        "Let op: de herinnering aan K007 gaat per e-mail, maar het adres past niet in het "
        "venster van de envelop: het neemt 7 regels" in output
    )
    assert "Maak Klanten, rij 8, Naam korter (2 regels in het adres)" in output
    docx = _letter(demo, "K007-herinnering.docx")
    assert (
        "Société Coopérative des Producteurs Laitiers de la\nProvince de Luxembourg SCRL\n"
        "À l'attention de Sophie Lambert\nService Comptabilité\nGrote Markt 5\n1000  Brussel\n"
        "BELGIQUE\n"
    ) in letter_text(docx)
    header = Document(io.BytesIO(docx)).sections[0].header
    assert [p.text for p in header.paragraphs if "SCRL" in p.text or "Société" in p.text] == [
        f"Drukkerij De Letterzetter B.V. · {name[:59].rstrip()}… · Notre référence K007-20261015"
    ]


def test_the_hand_over_warns_when_the_agencys_address_does_not_fit(demo: Path):
    book = openpyxl.load_workbook(demo)
    sheet = book["Incassobureaus"]
    headers = [c.value for c in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "NOORDERLICHT")
    for header, value in {
        "Naam": "Incassobureau Noorderlicht B.V.\nvestiging Amersfoort\nafdeling zakelijk",
        "Contactpersoon": "mr. J. Bos, gerechtsdeurwaarder en incassospecialist zakelijk",
        "Adres": "Stationsplein 2, kantoorgebouw De Eemhof, vierde verdieping\nachteringang",
    }.items():
        sheet.cell(row, headers.index(header) + 1).value = value
    book.save(demo)
    args = ["overdracht", str(demo), "--klant", "K012", "--aan", "NOORDERLICHT"]
    result = CliRunner().invoke(main, [*args, "--peildatum", "2026-10-15"])
    output = " ".join(result.output.split())
    assert (
        "Let op: Het adres van Incassobureau Noorderlicht B.V. vestiging Amersfoort afdeli… "
        "past niet in het venster van de envelop: het neemt 8 regels en PostNL en bpost nemen "
        "er hoogstens 6. Maak op het blad Incassobureaus de kolom Adres korter" in output
    )


def test_a_letter_by_post_without_an_address_is_not_made(demo: Path):
    """K005 (herinnering by post, no e-mail) without a street, and K001 (by e-mail) without
    one: the post cannot deliver K005's letter, and its term counts from receipt. Before, it
    was made with only the name in the window; K001's e-mail needs no postal address."""
    _klanten(demo, {"K005": {"Adres": None}, "K001": {"Adres": None, "Postcode": None}})
    result = CliRunner().invoke(main, ["brieven", str(demo), *ARGS])
    assert result.exit_code == 1, result.output  # a letter held, as for any other reason
    output = " ".join(result.output.split())
    assert (
        "K005 Familie Bakker: herinnering: Klanten, rij 6, Adres is leeg: een brief per post "
        "komt zonder straat en postcode of plaats niet aan, en een termijn telt pas vanaf de "
        "ontvangst. Vul het adres in; maak de brief daarna opnieuw." in output
    )
    assert not list(demo.parent.glob("brieven/*/K005-*"))
    assert list(demo.parent.glob("brieven/*/K001-herinnering.docx"))
    assert "K001" not in output.split("Niet gemaakt:")[1].split("Bellen:")[0]


def test_a_letter_by_post_without_postcode_and_place_is_not_made(demo: Path):
    _klanten(demo, {"K005": {"Postcode": None, "Plaats": "  "}})
    result = CliRunner().invoke(main, ["brieven", str(demo), *ARGS])
    assert "K005 Familie Bakker: herinnering: Klanten, rij 6, Plaats is leeg" in " ".join(
        result.output.split()
    )
    assert not list(demo.parent.glob("brieven/*/K005-*"))


def test_the_warning_on_an_agency_given_with_aan_names_aan(demo: Path):
    """An agency given as 'Naam, Straat 1, 1234 AB Plaats' on --aan has no row on the
    Incassobureaus sheet: the warning told the user to shorten a column there."""
    name = " ".join(["Incassobureau Zeer Lange Naamgeving"] * 6)
    args = [
        "overdracht",
        str(demo),
        "--klant",
        "K012",
        "--aan",
        f"{name}, Straat 1, 1234 AB Zwolle",
    ]
    result = CliRunner().invoke(main, [*args, "--peildatum", "2026-10-15"])
    output = " ".join(result.output.split())
    assert "past niet in het venster van de envelop: het neemt 7 regels" in output
    assert "Geef bij --aan een kortere naam of een korter adres en maak het dossier opnieuw" in (
        output
    )
    assert "blad Incassobureaus de kolom" not in output
