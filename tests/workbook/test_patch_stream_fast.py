"""The rows of a large sheet patched as bytes while they stream (issue 17) are those the general
way writes.

``xlsx_patch._StreamedSheet`` finds each row and cell in the sheet's XML as bytes, copies the
text between the changed cells as it is, writes amounts, whole numbers and dates into templates
(``_CellRest``) and deflates the part in a thread while it is made (``_Deflating``). The general
way (``_Sheet.patch_rows``) reads the sheet whole as text and rewrites each changed row. On
random sheets (rows missing or empty, cells out of order or without a reference, inline and
shared strings, formulas, styles before or after the type) and random values (huge numbers,
dates, texts that start with ``=``), both give the same package, byte for byte, or both refuse.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font

from debiteuren.workbook import xlsx_patch
from debiteuren.workbook.aside import can_fork
from debiteuren.workbook.xlsx_patch import Patch, UnexpectedStructure

SHEET = "xl/worksheets/sheet1.xml"


def _base() -> bytes:
    """A package whose styles.xml has a few cell styles (General, money, date, text, bold)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for col, fmt in enumerate(("General", '"€" #,##0.00', "dd-mm-yyyy", "@", "0"), 1):
        ws.cell(row=1, column=col, value=1).number_format = fmt
    ws.cell(row=2, column=1, value="x").font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


_BASE = _base()

TEXT = st.text(
    alphabet=st.sampled_from([*"ab =+-@&<>é€\t\n '\"", "\x01", "\U0001f600", "\ufffe"]),
    max_size=8,
)
VALUE = st.one_of(
    st.none(),
    st.just(""),
    TEXT,
    st.sampled_from(["=SOM(A1)", "+31 6", "-", "@x", "Vervallen", " rand "]),
    st.integers(-(10**20), 10**20),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.sampled_from([Decimal("1E+30"), Decimal("-0.00"), Decimal("123456789012345678.99")]),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)
CONTENT = st.sampled_from(
    [
        "",
        "<v>1.5</v>",
        "<is><t>Betaald</t></is>",
        "<is><t>één – ✓</t></is>",
        "<v>3</v>",  # with t="s": a shared string
        "<f>A1+1</f><v>2</v>",
        '<f t="shared" ref="A1:A3" si="0">B1</f><v>4</v>',  # refused: others depend on it
    ]
)


@st.composite
def sheets(draw):
    """Return (sheet XML, cells to set, column formats)."""
    numbers = sorted(draw(st.sets(st.integers(1, 40), min_size=1, max_size=15)))
    rows = []
    for row in numbers:
        columns = sorted(draw(st.sets(st.integers(1, 8), max_size=6)))
        if draw(st.integers(0, 9)) == 0:
            columns.reverse()  # cells out of order
        cells = []
        for col in columns:
            ref = (
                ""
                if draw(st.integers(0, 19)) == 0
                else f' r="{xlsx_patch._column_letters(col)}{row}"'
            )
            style = draw(
                st.sampled_from(["", ' s="0"', ' s="1"', ' s="2"', ' s="3"', ' s="4"', ' s="5"'])
            )
            kind = draw(st.sampled_from(["", ' t="n"', ' t="inlineStr"', ' t="s"', ' t="b"']))
            attrs = ref + (style + kind if draw(st.booleans()) else kind + style)
            content = draw(CONTENT)
            cells.append(f"<c{attrs}/>" if not content else f"<c{attrs}>{content}</c>")
        spans = draw(st.sampled_from(["", ' spans="1:8"', ' ht="20" customHeight="1"']))
        if not cells and draw(st.booleans()):
            rows.append(f'<row r="{row}"{spans}/>')
        else:
            rows.append(f'<row r="{row}"{spans}>{"".join(cells)}</row>')
    cols = draw(st.sampled_from(["", '<cols><col min="2" max="3" width="12" style="1"/></cols>']))
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:H40"/>{cols}<sheetData>{"".join(rows)}</sheetData>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    present = st.sampled_from(numbers)
    any_row = st.one_of(present, st.integers(1, 45)) if draw(st.integers(0, 4)) == 0 else present
    cells = draw(
        st.dictionaries(any_row, st.dictionaries(st.integers(1, 8), VALUE, max_size=5), max_size=12)
    )
    formats = draw(
        st.dictionaries(
            st.integers(1, 8), st.sampled_from(['"€" #,##0.00', "dd-mm-yyyy", "0", "@"]), max_size=4
        )
    )
    return xml, cells, formats


def _package(path: Path, xml: str) -> Path:
    with zipfile.ZipFile(io.BytesIO(_BASE)) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = xml.encode("utf-8") if info.filename == SHEET else src.read(info)
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _written(source: Path, target: Path, cells, formats, retype: bool) -> bytes | str:
    try:
        with Patch(source) as patch:
            patch.set_cells("Data", cells, formats, retype=retype)
            patch.write(target)
    except UnexpectedStructure as exc:
        return f"refused: {exc}"
    return target.read_bytes()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    case=sheets(),
    retype=st.booleans(),
    chunk=st.sampled_from([7, 64, 1 << 20]),
    threaded=st.booleans(),
)
def test_rows_patched_as_streamed_bytes_are_those_of_the_general_way(
    tmp_path, monkeypatch, case, retype, chunk, threaded
):
    xml, cells, formats = case
    source = _package(tmp_path / "in.xlsx", xml)
    monkeypatch.setattr(xlsx_patch, "_CHUNK", chunk)
    monkeypatch.setattr(xlsx_patch, "_THREAD_BYTES", 0 if threaded else 1 << 30)
    fast = _written(source, tmp_path / "fast.xlsx", cells, formats, retype)
    with monkeypatch.context() as m:
        m.setattr(Patch, "_open_rows", lambda self, part: None)
        general = _written(source, tmp_path / "general.xlsx", cells, formats, retype)
    assert fast == general


def test_a_cell_starting_with_equals_stays_text_in_the_fast_way(tmp_path):
    """A text like ``=SOM(A1)`` is an inline string with the quote prefix, never a formula."""
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" s="1"><v>5</v></c><c r="B1"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    )
    source = _package(tmp_path / "in.xlsx", xml)
    written = _written(source, tmp_path / "uit.xlsx", {1: {1: "=SOM(B1)"}}, {}, False)
    assert isinstance(written, bytes)
    with zipfile.ZipFile(io.BytesIO(written)) as z:
        sheet = z.read(SHEET).decode()
    assert "<f>" not in sheet and '<c r="A1" s="' in sheet
    assert 't="inlineStr"><is><t>=SOM(B1)</t></is></c><c r="B1"><v>1</v></c>' in sheet
    cell = openpyxl.load_workbook(tmp_path / "uit.xlsx")["Data"]["A1"]
    assert cell.value == "=SOM(B1)" and cell.data_type == "s" and cell.quotePrefix


def test_a_part_deflated_while_made_is_read_again_whole(tmp_path, monkeypatch):
    """A sheet deflated in a thread as it was patched, patched once more, keeps both writes."""
    monkeypatch.setattr(xlsx_patch, "_THREAD_BYTES", 0)
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1"><v>5</v></c></row><row r="2"><c r="A2"><v>6</v></c>'
        "</row></sheetData></worksheet>"
    )
    source = _package(tmp_path / "in.xlsx", xml)
    with Patch(source) as patch:
        patch.set_cells("Data", {1: {1: Decimal("1.50")}})
        assert isinstance(patch.package.changed[SHEET], xlsx_patch._Deflating)
        patch.set_cells("Data", {2: {1: "twee"}})
        patch.write(tmp_path / "uit.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "uit.xlsx")["Data"].values)
    assert rows == [(1.5,), ("twee",)]


PIECE = st.one_of(
    st.builds(
        lambda tag, before, style, after, end: f"<{tag}{before}{style}{after}{end}",
        st.sampled_from(["c", "row", "x:c", "x:row", "col", "cx", "rows", "is", "t", "v"]),
        st.sampled_from(["", ' r="A1"', ' r="B12" t="n"', ' xs="9"', ' a:s="4"']),
        st.sampled_from(["", ' s="0"', ' s="12"', ' s="\u0663"', ' style="3"', ' s=""']),
        st.sampled_from(["", ' t="inlineStr"', ' customFormat="1"', ' s="7"']),
        st.sampled_from([">", "/>", ""]),
    ),
    st.sampled_from(["</c>", "</row>", '<t>s="5" a</t>', 'text s="6"', "<cols>", "\n"]),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECE, max_size=25))
def test_styles_mapped_by_splitting_the_sheet_are_those_mapped_tag_by_tag(pieces):
    """Issue 17: ``_restyle`` maps the styles of a replaced sheet as matching each tag does,
    and asks for each style first in the same order (a new style is added to the package)."""
    xml = "".join(pieces)
    asked: tuple[list[int], list[int]] = ([], [])

    def recorder(calls: list[int]):
        def convert(style: int) -> int:
            calls.append(style)
            return style * 7 + 1

        return convert

    fast = xlsx_patch._restyle(xml, recorder(asked[0]))
    general = xlsx_patch._restyle_by_tag(xml, recorder(asked[1]))
    assert fast == general
    assert list(dict.fromkeys(asked[0])) == list(dict.fromkeys(asked[1]))


def test_a_sheet_patched_for_another_process_is_held_as_bytes(tmp_path, monkeypatch):
    """``set_cells_into`` (a forked copy patching Facturen for ``betalingen``) wants the
    sheet's bytes: it is not deflated in a thread there, and its bytes are those of the part."""
    monkeypatch.setattr(xlsx_patch, "_THREAD_BYTES", 0)
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1"><v>5</v></c></row></sheetData></worksheet>'
    )
    source = _package(tmp_path / "in.xlsx", xml)
    cells = {1: {1: Decimal("2.50"), 2: "twee"}}
    with Patch(source) as patch:
        patch.set_cells("Data", cells)
        expected = bytes(patch.package.changed[SHEET])
    with Patch(source) as patch, (tmp_path / "into").open("w+b") as into:
        size = patch.set_cells_into("Data", cells, None, into)
        assert isinstance(patch.package.changed[SHEET], xlsx_patch._Pieces)
        into.seek(0)
        assert into.read() == expected and size == len(expected)
    assert b'<c r="A1"><v>2.50</v></c><c r="B1" t="inlineStr"><is><t>twee</t>' in expected


def _halves_written(source: Path, target: Path, cells, formats, retype: bool) -> bytes | str:
    try:
        with Patch(source) as patch:
            patch.in_halves = True
            patch.set_cells("Data", cells, formats, retype=retype)
            patch.write(target)
    except UnexpectedStructure as exc:
        return f"refused: {exc}"
    return target.read_bytes()


@pytest.mark.skipif(not can_fork(), reason="no fork or one core here")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    case=sheets(),
    retype=st.booleans(),
    copy=st.sampled_from(["patches", "lacks a style", "dies"]),
    threaded=st.booleans(),
)
def test_rows_patched_in_two_halves_are_those_patched_in_one_go(
    tmp_path, monkeypatch, case, retype, copy, threaded
):
    """Issue 17: a large sheet held in memory is patched in two halves at once, the second in
    a forked copy (``Patch._halves``); the package is the one patched in one go, byte for byte
    (or both refuse), also when the copy needs a new cell style or dies (this process then
    patches the second half itself)."""
    import os

    xml, cells, formats = case
    source = _package(tmp_path / "in.xlsx", xml)
    monkeypatch.setattr(xlsx_patch, "_CHUNK", 64)
    monkeypatch.setattr(xlsx_patch, "_THREAD_BYTES", 0 if threaded else 1 << 30)
    one_go = _written(source, tmp_path / "one.xlsx", cells, formats, retype)
    monkeypatch.setattr(xlsx_patch, "HALVES_ROWS", 1)
    monkeypatch.setattr(
        xlsx_patch.inflated, "take", lambda path, part, info: zipfile.ZipFile(path).read(part)
    )
    here, from_row = os.getpid(), xlsx_patch._from_row

    def in_the_copy(opened, data, start):
        if os.getpid() != here and copy == "dies":
            os._exit(3)
        if os.getpid() != here and copy == "lacks a style":
            xlsx_patch._Styles.changed = property(lambda self: True, lambda self, value: None)
        return from_row(opened, data, start)

    monkeypatch.setattr(xlsx_patch, "_from_row", in_the_copy)
    assert _halves_written(source, tmp_path / "halves.xlsx", cells, formats, retype) == one_go


@pytest.mark.skipif(not can_fork(), reason="no fork or one core here")
def test_a_sheet_in_two_halves_takes_the_copys_half(tmp_path, monkeypatch):
    """The copy's half is used (not patched here again), and the rows are patched right."""
    import os

    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 9))
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    source = _package(tmp_path / "in.xlsx", xml)
    monkeypatch.setattr(xlsx_patch, "HALVES_ROWS", 1)
    monkeypatch.setattr(
        xlsx_patch.inflated, "take", lambda path, part, info: zipfile.ZipFile(path).read(part)
    )
    here, from_row, calls = os.getpid(), xlsx_patch._from_row, []

    def counted(opened, data, start):
        calls.append(os.getpid() == here)
        return from_row(opened, data, start)

    monkeypatch.setattr(xlsx_patch, "_from_row", counted)
    cells = {r: {2: Decimal(r) / 4} for r in range(1, 9)}
    written = _halves_written(source, tmp_path / "uit.xlsx", cells, {}, False)
    assert isinstance(written, bytes) and calls == []  # made in the copy only
    values = list(openpyxl.load_workbook(tmp_path / "uit.xlsx")["Data"].values)
    assert values == [(r, r / 4) for r in range(1, 9)]


def test_a_processing_instruction_in_the_rows_is_not_patched_as_a_row(tmp_path, monkeypatch):
    """A hostile sheet can hide ``<row r="2">`` in a processing instruction before the real
    row 2: patched as bytes, the instruction's text was taken for the row and the real row kept
    its old value. Neither way patches such a sheet (the save then loads it with openpyxl,
    which reads the XML as XML), in one go or in two halves."""
    monkeypatch.setattr(xlsx_patch, "HALVES_ROWS", 1)
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        '<?x <row r="2"><c r="A2"><v>9</v></c></row>?>'
        '<row r="2"><c r="A2"><v>2</v></c></row></sheetData></worksheet>'
    )
    source = _package(tmp_path / "in.xlsx", xml)
    refused = "refused: comments, CDATA or processing instructions in sheetData"
    cells = {2: {1: Decimal("5.00")}}
    assert _written(source, tmp_path / "uit.xlsx", cells, {}, False) == refused
    monkeypatch.setattr(
        xlsx_patch.inflated, "take", lambda path, part, info: zipfile.ZipFile(path).read(part)
    )
    assert _halves_written(source, tmp_path / "halves.xlsx", cells, {}, False) == refused
