"""Workbooks as other programs write them: handled, or refused whole with a Dutch message, the
file unchanged and exit code 2.

Each variant is the demo workbook with its package parts changed the way that program (or a
user in Excel) changes them: Strict Open XML, a table with a totals row, a sheet the patcher
cannot put new rows in while the workbook holds what openpyxl would drop.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from camt_entries import ONE_PAYMENT as STATEMENT  # the shared statement builder
from debiteuren.cli import main
from debiteuren.workbook.read import RowsOutOfOrder, load_tables

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rewrite(path: Path, edits: dict[str, Callable[[str], str]], add: dict[str, bytes] = {}):  # noqa: B006
    """Rewrite the package at ``path``: ``edits`` change parts (as text), ``add`` adds parts."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    for name, edit in edits.items():
        parts[name] = edit(parts[name].decode("utf-8")).encode("utf-8")
    parts.update(add)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def part_of(path: Path, sheet: str) -> tuple[str, str]:
    """Return the worksheet part and the table part of ``sheet`` (the demo: one table each)."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="(\w+)"', workbook).group(1)
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        target = re.search(rf'<Relationship [^>]*Target="/?(?:xl/)?([^"]+)"[^>]*Id="{rid}"', rels)
        part = "xl/" + target.group(1)
        folder, name = part.rsplit("/", 1)
        sheet_rels = z.read(f"{folder}/_rels/{name}.rels").decode()
        table = re.search(r'Target="/?([^"]*tables/[^"]+)"', sheet_rels).group(1)
    return part, table if table.startswith("xl/") else "xl/" + table.split("../")[-1]


def run(*args: str):
    return CliRunner().invoke(main, [*args, "--peildatum", "2026-10-15"])


def statement(tmp_path: Path) -> Path:
    path = tmp_path / "afschrift.xml"
    path.write_text(STATEMENT, encoding="utf-8")
    return path


# --- Strict Open XML ----------------------------------------------------------------------------

STRICT = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
        "http://purl.oclc.org/ooxml/spreadsheetml/main"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        "http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    "http://schemas.openxmlformats.org/drawingml/2006/main": (
        "http://purl.oclc.org/ooxml/drawingml/main"
    ),
}


def _strict(text: str) -> str:
    for transitional, strict in STRICT.items():
        text = text.replace(transitional, strict)
    return text


def test_a_strict_open_xml_workbook_is_refused_whole(demo: Path, tmp_path: Path):
    """Excel's "Strict Open XML-spreadsheet" has other namespaces: the save used to fall back on
    openpyxl, which finds no sheets in it, and end in a traceback (KeyError)."""
    with zipfile.ZipFile(demo) as z:
        xml = [n for n in z.namelist() if n.endswith((".xml", ".rels"))]
    rewrite(demo, dict.fromkeys(xml, _strict))
    before = sha(demo)
    for args in (("bijwerken", str(demo)), ("betalingen", str(demo), str(statement(tmp_path)))):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert "is opgeslagen als 'Strict Open XML-spreadsheet'" in result.output
        assert "Opslaan als > 'Excel-werkmap (*.xlsx)'" in result.output
        assert "Traceback" not in result.output and sha(demo) == before


# --- a table with a totals row ------------------------------------------------------------------


def _with_totals_row(path: Path, sheet: str, column: str) -> None:
    """Show the totals row of ``sheet``'s table, as Excel writes it (Tabelontwerp > Totaalrij):
    one row under the data, inside the table's range, ``totalsRowCount="1"``; a count of the
    second column in ``column``."""
    part, table = part_of(path, sheet)
    with zipfile.ZipFile(path) as z:
        xml = z.read(table).decode()
    ref = re.search(r' ref="([A-Z]+)1:([A-Z]+)(\d+)"', xml)
    table_name = re.search(r' displayName="(\w+)"', xml).group(1)
    header = re.findall(r'<tableColumn [^>]*name="([^"]+)"', xml)[1]
    left, right, end = ref.group(1), ref.group(2), int(ref.group(3))
    total = end + 1
    row = (
        f'<row r="{total}"><c r="{left}{total}" t="str"><f>"Totaal"</f><v>Totaal</v></c>'
        f'<c r="{column}{total}"><f>SUBTOTAL(103,{table_name}[{header}])</f><v>1</v></c></row>'
    )

    def grown(text: str) -> str:
        text = text.replace(f'ref="{left}1:{right}{end}"', f'ref="{left}1:{right}{total}"', 1)
        return text.replace('headerRowCount="1"', 'headerRowCount="1" totalsRowCount="1"')

    rewrite(path, {part: lambda s: s.replace("</sheetData>", row + "</sheetData>"), table: grown})


def test_rows_are_not_added_to_a_table_with_a_totals_row(demo: Path, tmp_path: Path):
    """The new payment used to be written over the totals row (its label and SUBTOTAL gone, the
    payment itself taken for the totals row by Excel)."""
    _with_totals_row(demo, "Betalingen", "B")
    before = sha(demo)
    result = run("betalingen", str(demo), str(statement(tmp_path)))
    assert result.exit_code == 2, result.output
    assert (
        "Op het blad Betalingen heeft de tabel tblBetalingen een totaalrij; daar kan debiteuren "
        "geen rijen aan toevoegen. Er is niets gewijzigd. Zet de totaalrij uit"
    ) in " ".join(result.output.split())
    assert sha(demo) == before


def test_brieven_makes_no_letter_for_an_acties_table_with_a_totals_row(demo: Path):
    """The letters used to be made (files on disk) before the rows for Acties were refused."""
    _with_totals_row(demo, "Acties", "B")
    before = sha(demo)
    result = run("brieven", str(demo), "--toch", "--onbevestigde-rente")
    assert result.exit_code == 2, result.output
    assert "Op het blad Acties heeft de tabel tblActies een totaalrij" in result.output
    assert sha(demo) == before and not (demo.parent / "brieven").exists()


def test_a_totals_row_on_facturen_is_kept_by_bijwerken(demo: Path):
    """bijwerken adds no rows: it writes the computed cells and leaves the totals row as it is."""
    _with_totals_row(demo, "Facturen", "E")
    part, _ = part_of(demo, "Facturen")
    result = run("bijwerken", str(demo))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(demo) as z:
        sheet = z.read(part).decode()
    assert '<f>"Totaal"</f><v>Totaal</v>' in sheet and "<f>SUBTOTAL(103," in sheet


# --- the save with openpyxl, for a package the patcher does not expect ---------------------------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)

PICTURE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:oneCellAnchor><xdr:from>
<xdr:col>24</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff>
</xdr:from><xdr:ext cx="952500" cy="952500"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Logo"/>
<xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill><a:blip xmlns:r="{R}" r:embed="rId1"/><a:stretch>
<a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
</xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor><xdr:oneCellAnchor><xdr:from>
<xdr:col>24</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>8</xdr:row><xdr:rowOff>0</xdr:rowOff>
</xdr:from><xdr:ext cx="952500" cy="300000"/><xdr:sp><xdr:nvSpPr><xdr:cNvPr id="3" name="Tekst"/>
<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
</xdr:spPr><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>Bel eerst</a:t></a:r></a:p></xdr:txBody></xdr:sp>
<xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>"""


def _with_picture(path: Path, sheet: str) -> None:
    """Put a picture (a logo) and a text box on ``sheet``, as Excel does: a drawing part with
    the image. openpyxl drops the text box always, the picture without Pillow."""
    part, _ = part_of(path, sheet)
    folder, name = part.rsplit("/", 1)
    link = f'<Relationship Id="rIdLogo" Type="{R}/drawing" Target="/xl/drawings/logo.xml"/>'
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{R}/image" Target="../media/logo.png"/></Relationships>'
    )
    types = (
        '<Override PartName="/xl/drawings/logo.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>'
        '<Default Extension="png" ContentType="image/png"/></Types>'
    )
    rewrite(
        path,
        {
            part: lambda s: s.replace(
                "<legacyDrawing ", f'<drawing xmlns:r="{R}" r:id="rIdLogo"/><legacyDrawing ', 1
            ),
            f"{folder}/_rels/{name}.rels": lambda s: s.replace(
                "</Relationships>", link + "</Relationships>"
            ),
            "[Content_Types].xml": lambda s: s.replace("</Types>", types),
        },
        {
            "xl/drawings/logo.xml": PICTURE.encode(),
            "xl/drawings/_rels/logo.xml.rels": rels.encode(),
            "xl/media/logo.png": PNG,
        },
    )


def _rows_without_numbers(path: Path, sheet: str) -> None:
    """Leave out the rows' ``r`` (the position is implied, as the standard allows): the patcher
    can change such rows but not put new rows between them, so the save goes through openpyxl."""
    part, _ = part_of(path, sheet)
    rewrite(path, {part: lambda s: re.sub(r'<row r="\d+"', "<row", s)})


def test_a_save_that_would_drop_a_picture_is_refused(demo: Path, tmp_path: Path):
    """openpyxl drops the text box (and without Pillow the picture): that save used to replace
    the workbook without a word."""
    _with_picture(demo, "Facturen")
    _rows_without_numbers(demo, "Betalingen")
    before = sha(demo)
    result = run("betalingen", str(demo), str(statement(tmp_path)))
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert "niet rechtstreeks bijwerken" in message
    assert "zou weglaten: tekeningen, afbeeldingen of grafieken (blad Facturen)" in message
    assert "Er is niets gewijzigd. Open het werkboek in Excel of LibreOffice" in message
    assert sha(demo) == before


def test_a_save_through_openpyxl_that_drops_nothing_goes_on(demo: Path, tmp_path: Path):
    _rows_without_numbers(demo, "Betalingen")
    result = run("betalingen", str(demo), str(statement(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "1 rij toegevoegd aan het blad Betalingen" in result.output


# --- rows out of order --------------------------------------------------------------------------


def _swapped(text: str, first: int, second: int) -> str:
    """Return the sheet XML with rows ``first`` and ``second`` in each other's place."""
    rows = {int(m.group(1)): m.group(0) for m in re.finditer(r'<row r="(\d+)".*?</row>', text)}
    a, b = rows[first], rows[second]
    return text.replace(a, "\0").replace(b, a).replace("\0", b)


def _far_away_cell(text: str) -> str:
    """Add a value in the sheet's last cell: the workbook is then read by openpyxl."""
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return text.replace("</sheetData>", far + "</sheetData>")


def test_rows_out_of_order_are_refused_where_openpyxl_would_skip_one(demo: Path):
    """openpyxl's read-only reader skips a row that comes after a later one: invoice 2024-0107
    (row 3, after row 4) used to be missing without a word (only the Acties rows naming it were
    reported). python-calamine places rows by their number: read as they are."""
    part, _ = part_of(demo, "Facturen")
    rewrite(demo, {part: lambda s: _swapped(s, 3, 4)})
    tables = load_tables(demo, engine="calamine")
    assert "2024-0107" in [row[0] for row in tables["Facturen"].rows]
    with pytest.raises(RowsOutOfOrder, match=r"^Op het werkblad .Facturen. in .*\(rij 3 staat na"):
        load_tables(demo, engine="openpyxl")
    rewrite(demo, {part: _far_away_cell})
    before = sha(demo)
    result = run("bijwerken", str(demo))
    assert result.exit_code == 2, result.output
    assert "staan de rijen niet op volgorde" in result.output and sha(demo) == before


# --- a formula filled down a computed column ----------------------------------------------------


def _filled_down_total(text: str) -> str:
    """Make every Totaal cell (column S) one shared formula, as Excel and LibreOffice save a
    formula filled down: the patcher does not overwrite those, so openpyxl saves the workbook."""

    def row(m: re.Match[str]) -> str:
        number, body = int(m.group(1)), m.group(0)
        shared = (
            '<f t="shared" ref="S2:S41" si="0">O2+Q2+R2</f>'
            if number == 2
            else '<f t="shared" si="0"/>'
        )
        cell = f'<c r="S{number}">{shared}<v>0</v></c>'
        body = re.sub(rf'<c r="S{number}"[^>]*?(/>|>.*?</c>)', "", body)
        later = re.search(rf'<c r="[T-W]{number}"', body)
        at = later.start() if later else body.index("</row>")
        return body[:at] + cell + body[at:]

    return re.sub(r'<row r="([2-9]|[1-3]\d|4[01])".*?</row>', row, text)


def test_computed_dates_written_by_openpyxl_get_the_workbook_date_format(demo: Path):
    """openpyxl gives a date put in a new cell its own format (yyyy-mm-dd): Per and Verjaart op
    used to show 2026-06-03 in the rows that had no cell there, 03-06-2026 in the others."""
    part, _ = part_of(demo, "Facturen")
    rewrite(demo, {part: _filled_down_total})
    result = run("bijwerken", str(demo))
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(demo)["Facturen"]
    header = {c.value: c.column for c in ws[1]}
    formats = {
        ws.cell(row=r, column=header[h]).number_format
        for r in range(2, 42)
        for h in ("Per", "Verjaart op")
        if ws.cell(row=r, column=header[h]).value is not None
    }
    assert formats == {"dd-mm-yyyy"}
    assert ws.cell(row=3, column=header["Totaal"]).value == 9229.37  # a value, no formula


# --- the Overzicht renamed or deleted -----------------------------------------------------------


def test_a_renamed_overzicht_is_made_anew_without_openpyxl(demo: Path):
    """The patcher replaced the sheet called Overzicht and left a workbook without one to
    openpyxl, which drops pictures and shapes (now a refusal: :mod:`.kept`). It adds the sheet
    at the end instead; the renamed one stays as the user's."""
    _with_picture(demo, "Facturen")
    rewrite(demo, {"xl/workbook.xml": lambda s: s.replace('name="Overzicht"', 'name="Dashboard"')})
    result = run("bijwerken", str(demo))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(demo) as z:
        assert "xl/drawings/logo.xml" in z.namelist() and "xl/media/logo.png" in z.namelist()
    book = openpyxl.load_workbook(demo)
    assert book.sheetnames[-2:] == ["Dashboard", "Overzicht"]
    assert book["Overzicht"]._charts and book["Overzicht"].max_row > 10
    assert run("bijwerken", str(demo)).output.count("Niets veranderd") == 1


def test_a_filled_down_formula_with_a_picture_names_the_formula(demo: Path):
    """The patcher does not overwrite the first cell of a formula filled down Totaal; openpyxl
    would drop the picture: refused, and the message says what to do about the formula (saving
    the file again would not help)."""
    part, _ = part_of(demo, "Facturen")
    rewrite(demo, {part: _filled_down_total})
    _with_picture(demo, "Facturen")
    before = sha(demo)
    result = run("bijwerken", str(demo))
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert "staat een doorgetrokken formule of matrixformule" in message
    assert "Maak die cellen leeg (debiteuren vult die kolommen zelf)" in message
    assert sha(demo) == before
