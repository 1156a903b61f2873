"""The largest sheet parsed by python-calamine in two halves (workbook/halves.py, issue 17):
the joined grid is the grid of the whole sheet, for every sheet that is cut, and a sheet that
cannot be cut or joined is parsed whole."""

from __future__ import annotations

import io
import re
import tempfile
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.table import Table
from python_calamine import CalamineWorkbook

from debiteuren.workbook import halves, read


def _book(path: Path, rows: list[list[object]]) -> str:
    """Save ``rows`` on sheet Facturen (openpyxl: shared strings, as Excel saves them); return
    the sheet's part."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Facturen"
    for row in rows:
        ws.append(row)
    book.create_sheet("Klanten").append(["Klantnr"])
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        return read._sheet_parts(archive)["Facturen"]


def _with_sheet(path: Path, part: str, xml: bytes) -> None:
    """Replace the part ``part`` of the package at ``path`` by ``xml``."""
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    parts[part] = xml
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def _whole(path: Path) -> list[list[object]]:
    return (
        CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name("Facturen")
        .to_python(skip_empty_area=False)
    )


def _halves(path: Path, part: str) -> halves.Halves | None:
    with zipfile.ZipFile(path) as archive:
        data = archive.read(part)
    whole = mock.Mock(side_effect=AssertionError("parsed whole"))
    with mock.patch.object(halves, "MIN_BYTES", 0):
        return halves.parsed_in_halves(
            path, read.calamine_parts(path), part, "Facturen", data, whole
        )


def test_the_halves_of_a_sheet_as_excel_saves_it_are_the_whole(tmp_path):
    """Shared strings, dates, amounts, empty cells, a wider second half: the same grid."""
    path = tmp_path / "boek.xlsx"
    rows: list[list[object]] = [["Factuurnr", "Klantnr", "Factuurdatum", "Bedrag"]]
    for n in range(1, 400):
        row: list[object] = [f"F{n:04d}", f"K{n % 7}", date(2026, 1, 1 + n % 28), n + 0.25]
        if n > 300:
            row += [None, "=niet", "breder"]  # a text that looks like a formula stays text
        rows.append(row)
    part = _book(path, rows)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with mock.patch.object(tempfile, "tempdir", str(scratch)):
        found = _halves(path, part)
    assert found is not None
    assert not list(scratch.iterdir())  # unnamed files: no copy of the data to leave behind
    grid = found.to_python(skip_empty_area=False)
    assert grid == _whole(path)
    assert grid[1][:4] == ["F0001", "K1", date(2026, 1, 2), 1.25]
    assert grid[-1][-1] == "breder" and grid[1][-1] == ""


def _sheet_xml(rows: list[tuple[int, list[tuple[str, int | None, object]]]]) -> bytes:
    """Return a sheet's XML: rows of (row number, cells of (column letters, the row the cell
    names when it is another, value))."""
    out = [
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        b"<sheetData>",
    ]
    for number, cells in rows:
        out.append(b'<row r="%d">' % number)
        for letters, named, value in cells:
            ref = f"{letters}{named or number}".encode()
            if isinstance(value, str):
                out.append(
                    b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, value.encode())
                )
            else:
                out.append(b'<c r="%s"><v>%s</v></c>' % (ref, repr(value).encode()))
        out.append(b"</row>")
    out.append(b"</sheetData></worksheet>")
    return b"".join(out)


_CELLS = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C", "E", "Z", "AB"]),
        st.one_of(st.none(), st.none(), st.integers(1, 80)),  # sometimes another row
        st.one_of(st.text("abcxyz ", max_size=4), st.floats(-1e6, 1e6, width=32)),
    ),
    max_size=4,
    unique_by=lambda c: c[0],
).map(lambda cells: sorted(cells, key=lambda c: (len(c[0]), c[0])))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 3), _CELLS), min_size=1, max_size=40),
)
def test_the_halves_join_to_the_whole_or_the_sheet_is_parsed_whole(tmp_path_factory, rows):
    """Any sheet of plain rows (gaps between rows, rows with no cells, a cell that names a row
    of the other half, a half that starts in a later column): the grid is the whole sheet's,
    joined or parsed whole when joining cannot be exact."""
    path = tmp_path_factory.mktemp("halves") / "boek.xlsx"
    part = _book(path, [["x"]])
    numbered, number = [], 0
    for gap, cells in rows:
        number += gap
        numbered.append((number, cells))
    _with_sheet(path, part, _sheet_xml(numbered))
    with zipfile.ZipFile(path) as archive:
        data = archive.read(part)
    whole = mock.Mock(
        side_effect=lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Facturen")
    )
    with mock.patch.object(halves, "MIN_BYTES", 0):
        found = halves.parsed_in_halves(
            path, read.calamine_parts(path), part, "Facturen", data, whole
        )
    expected = _whole(path)
    if len(rows) < 2:  # one row: nothing to cut
        assert found is None
        return
    assert found is not None
    assert found.to_python(skip_empty_area=False) == expected


@pytest.mark.parametrize(
    "change",
    [
        (b"<sheetData>", b'<sheetData><!-- <row r="9"> -->'),  # a comment among the rows
        (b'<row r="', b'<row spans="1:4" r="'),  # rows that state their place later
        (b"<sheetData>", b"<sheetData/><x>"),  # no rows
    ],
)
def test_a_sheet_not_in_the_plain_form_is_not_cut(tmp_path, change):
    path = tmp_path / "boek.xlsx"
    part = _book(path, [[f"F{n}", n] for n in range(200)])
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(part)
    _with_sheet(path, part, xml.replace(*change))
    assert _halves(path, part) is None


def test_a_half_python_calamine_cannot_parse_leaves_the_sheet_to_be_parsed_whole(tmp_path):
    """Damage in one half: no halves (the whole parse then names the damage as before)."""
    path = tmp_path / "boek.xlsx"
    part = _book(path, [[f"F{n}", n] for n in range(200)])
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(part)
    at = xml.rfind(b"<v>")
    _with_sheet(path, part, xml[:at] + b"<v>abc" + xml[at + 3 :])
    assert _halves(path, part) is None


def test_bijwerken_reads_a_large_book_in_halves_with_the_same_result(tmp_path):
    """The read of a large workbook through load_tables (in turn) gives the same tables with
    and without the halves."""
    path = tmp_path / "boek.xlsx"
    rows: list[list[object]] = [["Factuurnr", "Klantnr", "Bedrag"]]
    rows += [[f"F{n:05d}", f"K{n % 50}", n / 4] for n in range(1, 3000)]
    _book(path, rows)

    def tables() -> dict:
        found = read.load_tables(path, engine="calamine", in_turn=True)
        finished = getattr(found, "finished", None)
        return dict(finished() if finished else found)

    with (
        mock.patch.object(read, "ASIDE_BYTES", 0),
        mock.patch.object(halves, "MIN_BYTES", 0),
        mock.patch.object(halves, "Halves", wraps=halves.Halves) as made,
    ):
        cut = tables()
    assert made.called
    with mock.patch.object(halves, "MIN_BYTES", 1 << 40):
        whole = tables()
    assert cut == whole
    assert cut["Facturen"].rows[-1][:3] == ["F02999", "K49", 2999 / 4]


def test_the_cut_is_made_only_where_a_row_ends():
    """A row's opening inside damaged text (a raw '<row r=' in a cell) is no place to cut."""
    rows = [(n, [("A", None, f"F{n}")]) for n in range(1, 40)]
    data = _sheet_xml(rows)
    middle = len(data) // 2
    fake = data.find(b"<t>", middle) + 3
    data = data[:fake] + b'<row r="99">' + data[fake:]
    cut = halves._cut(data)
    assert cut is not None
    _, at, _, first_row = cut
    assert data[:at].endswith(b"</row>") and data[at:].startswith(b'<row r="%d">' % first_row)
    assert first_row != 99


def test_the_halves_read_the_styles_python_calamine_reads_without_a_relationship(tmp_path):
    """python-calamine reads xl/styles.xml by its name: a workbook whose relationships do not
    name it (a generator that leaves the relationship out) keeps its dates in the halves."""
    path = tmp_path / "boek.xlsx"
    part = _book(path, [[f"F{n}", date(2026, 1, 1 + n % 28)] for n in range(200)])
    with zipfile.ZipFile(path) as archive:
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    styles = re.search(r'<Relationship [^>]*/styles"[^>]*/>', rels)
    assert styles is not None
    _with_sheet(path, "xl/_rels/workbook.xml.rels", rels.replace(styles.group(), "").encode())
    found = _halves(path, part)
    assert found is not None
    grid = found.to_python(skip_empty_area=False)
    assert grid == _whole(path)
    assert grid[0] == ["F0", date(2026, 1, 1)]


@pytest.mark.parametrize("end", [b"<sheetData/>", b"</sheetData >", b"<x:sheetData/>"])
def test_a_sheet_whose_cells_end_before_the_cut_is_not_cut(tmp_path, end):
    """python-calamine ends the cells at the first end of a sheetData in any form: the rows
    after it are not the whole sheet's, so they must not come back through the second half."""
    path = tmp_path / "boek.xlsx"
    part = _book(path, [["x"]])
    xml = _sheet_xml([(n, [("A", None, n)]) for n in range(1, 41)])
    at = xml.find(b'<row r="11">')
    xml = xml[:at] + end + xml[at:]
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = xml.replace(b"<worksheet ", b'<worksheet xmlns:x="%s" ' % main)
    _with_sheet(path, part, xml)
    assert _halves(path, part) is None
    if end != b"</sheetData >":  # python-calamine: the end tags after it match no open tag
        assert len(_whole(path)) == 10  # the halves gave rows 21 to 40 too


def test_the_cut_is_not_made_after_an_empty_cell():
    """A row not ended (damaged): python-calamine puts the next row's cells without a place
    after the last cell of the row before, in the whole sheet; a half would put them in
    column A. The cut is made only after a row's end, also after an empty element."""
    rows = [b'<row r="%d"><c><v>%d</v></c><c r="B%d" s="0"/>' % (n, n, n) for n in range(1, 41)]
    data = _sheet_xml([]).replace(b"<sheetData>", b"<sheetData>" + b"".join(rows))
    assert halves._cut(data) is None
    empty = b"".join(b'<row r="%d" ht="20" customHeight="1"/>' % n for n in range(1, 41))
    cut = halves._cut(_sheet_xml([]).replace(b"<sheetData>", b"<sheetData>" + empty))
    assert cut is not None and cut[3] > 1  # after an empty row


def test_the_halves_of_a_row_not_ended_are_parsed_whole(tmp_path):
    path = tmp_path / "boek.xlsx"
    part = _book(path, [["x"]])
    rows = [b'<row r="%d"><c><v>%d</v></c><c r="B%d" s="0"/>' % (n, n, n) for n in range(1, 41)]
    _with_sheet(path, part, _sheet_xml([]).replace(b"<sheetData>", b"<sheetData>" + b"".join(rows)))
    found = _halves(path, part)
    assert found is None or found.to_python(skip_empty_area=False) == _whole(path)
    assert _whole(path)[-1][2] == 40  # after the empty cell of the row before


def test_two_tables_on_the_sheet_in_halves_read_as_without(tmp_path):
    """tblFacturen and tblBetalingen on one large sheet: its grid is asked for twice (the
    halves are let go of after the first), the same tables as without the halves."""
    path = tmp_path / "boek.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Facturen"
    ws.append(["Factuurnr", "Klantnr", "Bedrag", None, "Datum", "Klantnr", "Bedrag"])
    for n in range(1, 3000):
        paid = [None, date(2026, 1, 1 + n % 28), f"K{n % 50}", n] if n < 10 else []
        ws.append([f"F{n:05d}", f"K{n % 50}", n / 4, *paid])
    ws.add_table(Table(displayName="tblFacturen", ref="A1:C3000"))
    ws.add_table(Table(displayName="tblBetalingen", ref="E1:G10"))
    book.create_sheet("Klanten").append(["Klantnr"])
    book.save(path)

    def tables() -> dict:
        found = read.load_tables(path, engine="calamine", in_turn=True)
        finished = getattr(found, "finished", None)
        return dict(finished() if finished else found)

    with (
        mock.patch.object(read, "ASIDE_BYTES", 0),
        mock.patch.object(halves, "MIN_BYTES", 0),
        mock.patch.object(halves, "Halves", wraps=halves.Halves) as made,
    ):
        cut = tables()  # ValueError: the halves were let go of
    assert made.called
    with mock.patch.object(halves, "MIN_BYTES", 1 << 40):
        assert cut == tables()
    assert cut["Betalingen"].rows[-1] == [date(2026, 1, 10), "K9", 9]


def test_a_sheet_with_large_shared_strings_is_not_cut(tmp_path):
    """Each half's package holds the shared strings and python-calamine parses them for each
    half: a part larger than a quarter of the sheet (and than a megabyte) is not copied twice
    (a hostile gigabyte of shared strings would be parsed twice at once, written twice)."""
    path = tmp_path / "boek.xlsx"
    part = _book(path, [[f"F{n}", n] for n in range(2000)])
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo(part).file_size
    strings = b"".join(b"<si><t>%d</t></si>" % n for n in range(max(sheet, 1 << 20) // 16))
    _with_sheet(path, "xl/sharedStrings.xml", b"<sst>%s</sst>" % strings)
    assert _halves(path, part) is None


def test_the_cut_is_looked_for_at_few_places():
    """A sheet whose rows are never ended (hostile: 40 MB of '<row r="1"><c r="A1"/>' took a
    second to search): the cut is looked for at a bounded number of places, then not made."""
    rows = b'<row r="1"><c r="A1"/>' * 20_000
    data = _sheet_xml([]).replace(b"<sheetData>", b"<sheetData>" + rows)
    with mock.patch.object(halves, "_after_row", wraps=halves._after_row) as looked:
        assert halves._cut(data) is None
    assert looked.call_count <= 1001


def test_the_halves_grids_are_let_go_of_before_the_whole_parse(tmp_path):
    """A sheet that cannot be joined is parsed whole: the halves' grids are let go of first
    (they held as much again as the whole sheet's grid: 346 against 233 MB at 50,000 invoices)."""
    path = tmp_path / "boek.xlsx"
    part = _book(path, [["x"]])
    rows = [(n, [("A", None, f"tekst {n}"), ("B", None, n / 4)]) for n in range(1, 4001)]
    rows[0][1].append(("C", 4000, "in de andere helft"))  # a cell naming a row of the other
    _with_sheet(path, part, _sheet_xml(rows))
    with zipfile.ZipFile(path) as archive:
        data = archive.read(part)
    during: list[int] = []

    def whole() -> object:
        during.append(tracemalloc.get_traced_memory()[0])
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Facturen")

    with mock.patch.object(halves, "MIN_BYTES", 0):
        found = halves.parsed_in_halves(
            path, read.calamine_parts(path), part, "Facturen", data, whole
        )
    assert found is not None
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        grid = found.to_python(skip_empty_area=False)
        size = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grid == _whole(path)
    assert during and during[0] - before < size / 2
