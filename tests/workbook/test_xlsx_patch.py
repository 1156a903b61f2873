"""Patching an .xlsx package: cells, a replaced sheet, and everything else left as it was."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from python_calamine import CalamineWorkbook

from debiteuren.workbook.xlsx_patch import Patch, UnexpectedStructure


def build(path: Path, *, user_chart: bool = True) -> Path:
    """A small book: Data (values, styles, a General column), Eigen (a chart), Overzicht."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Nr", "Bedrag", "Tekst", "Datum", "Leeg"])
    for i in range(1, 6):
        ws.append([f"F{i}", i * 10.5, f"tekst {i}", date(2026, 1, i), None])
    ws["B2"].number_format = '"€" #,##0.00'
    ws["C2"].font = Font(bold=True)
    ws.sheet_view.tabSelected = True
    own = wb.create_sheet("Eigen")
    own.append(["a", 1])
    own.append(["b", 2])
    if user_chart:
        chart = BarChart()
        chart.add_data(Reference(own, min_col=2, min_row=1, max_row=2))
        own.add_chart(chart, "D2")
    ov = wb.create_sheet("Overzicht")
    ov["A1"] = "oud"
    chart = BarChart()
    chart.add_data(Reference(ov, min_col=1, min_row=1, max_row=1))
    ov.add_chart(chart, "C3")
    wb.save(path)
    return path


def overview_source(title: str = "Overzicht", value: object = "nieuw") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.sheet_view.tabSelected = True  # selected there, not in the book it goes into
    ws["A1"] = value
    ws["A1"].font = Font(bold=True, size=14)
    ws["B2"] = D("12.50")
    ws["B2"].number_format = "0.00"
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=2))
    ws.add_chart(chart, "D4")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def patched(source: Path, target: Path, change) -> Path:
    with Patch(source) as patch:
        change(patch)
        patch.write(target)
    return target


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def values(path: Path, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


def check_package(path: Path) -> None:
    """Every part has a content type, every override and relationship points at a part."""
    parts = entries(path)
    types = parts["[Content_Types].xml"].decode()
    overrides = re.findall(r'PartName="/([^"]+)"', types)
    defaults = set(re.findall(r'Extension="([^"]+)"', types))
    for name in overrides:
        assert name in parts, f"override for a missing part {name}"
    for name in parts:
        assert name in overrides or name.rsplit(".", 1)[-1] in defaults, name
    for name, data in parts.items():
        if name.endswith(".rels"):
            folder = name.rsplit("_rels/", 1)[0]
            for target, mode in re.findall(
                r'Target="([^"]+)"(?: TargetMode="(\w+)")?', data.decode()
            ):
                if mode == "External":
                    continue
                resolved = target[1:] if target.startswith("/") else folder + target
                resolved = re.sub(r"[^/]+/\.\./", "", resolved)
                assert resolved in parts, f"{name} points at a missing {resolved}"


class TestSetCells:
    def test_writes_numbers_texts_dates_and_empties(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        cells = {
            2: {2: D("1234.50"), 3: " a & <b> ", 4: date(2026, 11, 27), 5: 7},
            4: {3: None, 5: "nieuw"},
        }
        out = patched(source, tmp_path / "out.xlsx", lambda p: p.set_cells("Data", cells))
        rows = values(out, "Data")
        assert rows[1] == ("F1", 1234.5, " a & <b> ", datetime(2026, 11, 27), 7)
        assert rows[3] == ("F3", 31.5, None, datetime(2026, 1, 3), "nieuw")
        assert rows[2] == ("F2", 21.0, "tekst 2", datetime(2026, 1, 2), None)
        grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Data").to_python()
        assert grid[1][:5] == ["F1", 1234.5, " a & <b> ", date(2026, 11, 27), 7.0]
        check_package(out)

    def test_keeps_a_cells_style_and_adds_a_format_only_to_general_cells(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        cells = {2: {2: D("5.00"), 3: "vet"}, 3: {2: D("6.00"), 5: date(2026, 2, 1)}}
        out = patched(
            source,
            tmp_path / "out.xlsx",
            lambda p: p.set_cells("Data", cells, {2: "0.000", 5: "dd-mm-yyyy"}),
        )
        ws = openpyxl.load_workbook(out)["Data"]
        assert ws["B2"].number_format == '"€" #,##0.00'  # had a format: kept
        assert ws["B3"].number_format == "0.000"  # was General
        assert ws["C2"].font.bold
        assert ws["E3"].number_format == "dd-mm-yyyy" and ws["E3"].value == datetime(2026, 2, 1)

    def test_leaves_every_other_part_and_row_as_it_was(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        out = patched(
            source, tmp_path / "out.xlsx", lambda p: p.set_cells("Data", {3: {3: "anders"}})
        )
        before, after = entries(source), entries(out)
        sheet = "xl/worksheets/sheet1.xml"
        assert {n for n in before if before[n] != after.get(n)} == {sheet}
        rows = lambda data: re.findall(r"<row .*?</row>", data.decode())  # noqa: E731
        changed = [
            a for a, b in zip(rows(before[sheet]), rows(after[sheet]), strict=True) if a != b
        ]
        assert len(changed) == 1 and 'r="3"' in changed[0]

    def test_inserts_missing_cells_in_column_order(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        out = patched(
            source,
            tmp_path / "out.xlsx",
            lambda p: p.set_cells("Data", {2: {7: "G", 6: D("1.00")}}),
        )
        assert values(out, "Data")[1][5:7] == (1.0, "G")
        xml = entries(out)["xl/worksheets/sheet1.xml"].decode()
        row = re.search(r'<row r="2".*?</row>', xml).group(0)
        assert re.findall(r'<c r="([A-Z]+)2"', row) == list("ABCDFG")  # E2 is empty: no cell

    def test_reads_rows_and_cells_without_r(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        parts = entries(source)
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        xml = re.sub(r'(<row) r="\d+"', r"\1", xml)
        xml = re.sub(r'(<c) r="[A-Z]+\d+"', r"\1", xml)
        parts["xl/worksheets/sheet1.xml"] = xml.encode()
        bare = tmp_path / "bare.xlsx"
        with zipfile.ZipFile(bare, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
        out = patched(
            bare,
            tmp_path / "out.xlsx",
            lambda p: p.set_cells("Data", {3: {3: "derde"}, 5: {1: "F4b"}}),
        )
        rows = values(out, "Data")
        assert rows[2][2] == "derde" and rows[4][0] == "F4b" and rows[5][0] == "F5"

    def test_refuses_to_overwrite_a_shared_formula(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        parts = entries(source)
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        xml, n = re.subn(
            r'<c r="B2".*?</c>',
            '<c r="B2"><f t="shared" ref="B2:B3" si="0">A2*2</f><v>21</v></c>',
            xml,
        )
        assert n == 1
        parts["xl/worksheets/sheet1.xml"] = xml.encode()
        shared = tmp_path / "shared.xlsx"
        with zipfile.ZipFile(shared, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
        with Patch(shared) as patch, pytest.raises(UnexpectedStructure):
            patch.set_cells("Data", {2: {2: D("1.00")}})

    def test_refuses_a_row_that_is_not_there(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        with Patch(source) as patch, pytest.raises(UnexpectedStructure):
            patch.set_cells("Data", {40: {1: "x"}})

    def test_refuses_a_sheet_that_is_not_there(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        with Patch(source) as patch, pytest.raises(UnexpectedStructure):
            patch.set_cells("Bestaat niet", {2: {1: "x"}})


class TestReplaceSheet:
    def test_replaces_values_drawing_and_chart_and_keeps_other_charts(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        out = patched(
            source, tmp_path / "out.xlsx", lambda p: p.replace_sheet("Overzicht", overview_source())
        )
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == ["Data", "Eigen", "Overzicht"]
        assert wb["Overzicht"]["A1"].value == "nieuw" and wb["Overzicht"]["A1"].font.bold
        assert wb["Overzicht"]["B2"].number_format == "0.00"
        assert len(wb["Overzicht"]._charts) == 1
        parts = entries(out)
        charts = [n for n in parts if n.startswith("xl/charts/")]
        assert len(charts) == 2, "the user's chart on Eigen and the new one"
        assert entries(source)["xl/charts/chart1.xml"] == parts["xl/charts/chart1.xml"]
        check_package(out)

    def test_does_not_grow_the_styles_when_repeated(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        once = patched(
            source, tmp_path / "1.xlsx", lambda p: p.replace_sheet("Overzicht", overview_source())
        )
        twice = patched(
            once, tmp_path / "2.xlsx", lambda p: p.replace_sheet("Overzicht", overview_source())
        )
        assert entries(once)["xl/styles.xml"] == entries(twice)["xl/styles.xml"]
        assert sorted(entries(once)) == sorted(entries(twice))
        check_package(twice)

    def test_keeps_the_tab_selection(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        out = patched(
            source, tmp_path / "out.xlsx", lambda p: p.replace_sheet("Overzicht", overview_source())
        )
        xml = {n: d.decode() for n, d in entries(out).items() if n.startswith("xl/worksheets/s")}
        selected = [n for n, d in xml.items() if 'tabSelected="1"' in d]
        assert selected == ["xl/worksheets/sheet1.xml"]

    def test_drops_the_calculation_chain(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        parts = entries(source)
        parts["xl/calcChain.xml"] = (
            b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<c r="A1" i="3"/></calcChain>'
        )
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxml'
            b'formats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
        )
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>",
            b'<Relationship Id="rIdCalc" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>',
        )
        with_chain = tmp_path / "chain.xlsx"
        with zipfile.ZipFile(with_chain, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
        out = patched(
            with_chain, tmp_path / "out.xlsx", lambda p: p.set_cells("Data", {2: {1: "x"}})
        )
        assert "xl/calcChain.xml" not in entries(out)
        check_package(out)

    def test_refuses_a_missing_sheet(self, tmp_path):
        source = build(tmp_path / "in.xlsx")
        with Patch(source) as patch, pytest.raises(UnexpectedStructure):
            patch.replace_sheet("Dashboard", overview_source("Dashboard"))


def test_create_appends_and_inserts_rows_in_order_and_grows_the_dimension(tmp_path):
    path = build(tmp_path / "boek.xlsx")
    ws = openpyxl.load_workbook(path)["Data"]
    ws["A9"] = "verder"  # a row below a gap
    ws.parent.save(path)
    with Patch(path) as patch:
        patch.set_cells(
            "Data",
            {3: {3: "gewijzigd"}, 7: {1: "F7", 2: D("7.25")}, 12: {1: "F12", 4: date(2026, 2, 1)}},
            {2: '"€" #,##0.00'},
            create=True,
        )
        patch.write(tmp_path / "uit.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "uit.xlsx")["Data"]
    assert ws["C3"].value == "gewijzigd" and ws["A3"].value == "F2"
    assert (ws["A7"].value, ws["B7"].value, ws["B7"].number_format) == ("F7", 7.25, '"€" #,##0.00')
    assert ws["A9"].value == "verder"
    assert ws["A12"].value == "F12" and ws["D12"].value == datetime(2026, 2, 1)
    assert ws.calculate_dimension() == "A1:E12"
    xml = zipfile.ZipFile(tmp_path / "uit.xlsx").read("xl/worksheets/sheet1.xml").decode()
    numbers = [int(n) for n in re.findall(r'<row r="(\d+)"', xml)]
    assert numbers == sorted(numbers) and {7, 12} <= set(numbers)
    assert re.search(r'<dimension ref="A1:E12"', xml)
    rows = CalamineWorkbook.from_path(str(tmp_path / "uit.xlsx")).get_sheet_by_name("Data")
    assert rows.to_python()[11][0] == "F12"


def test_rows_are_still_refused_without_create(tmp_path):
    path = build(tmp_path / "boek.xlsx")
    with Patch(path) as patch, pytest.raises(UnexpectedStructure):
        patch.set_cells("Data", {40: {1: "nieuw"}})


def test_cells_set_twice_on_one_sheet_keep_both_writes(tmp_path):
    """The second write reads the sheet the first one patched (kept encoded, issue 17)."""
    source = build(tmp_path / "in.xlsx")

    def twice(patch: Patch) -> None:
        patch.set_cells("Data", {2: {3: "eerst"}, 4: {2: D("1.25")}})
        patch.set_cells("Data", {3: {3: "daarna"}, 4: {3: "ook"}})

    out = patched(source, tmp_path / "out.xlsx", twice)
    rows = values(out, "Data")
    assert [r[2] for r in rows[1:4]] == ["eerst", "daarna", "ook"]
    assert rows[3][1] == 1.25
    check_package(out)


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_rows_patched_as_they_stream_are_those_of_the_sheet_read_whole(
    tmp_path, monkeypatch, chunk
):
    """Issue 17: the sheet is patched as it streams out of the package, in pieces of any size
    (a row, a cell or a character cut in two), with the same bytes as when read whole."""
    from debiteuren.workbook import xlsx_patch

    source = build(tmp_path / "in.xlsx")
    wb = openpyxl.load_workbook(source)
    for n in range(7, 60):
        wb["Data"].append([f"F{n}", n * 1.5, f"tekst {n} – é", date(2026, 2, 1), None])
    wb.save(source)
    cells = {2: {2: D("1.25"), 3: "één"}, 9: {5: date(2026, 3, 1)}, 58: {3: " x "}, 59: {2: 7}}
    monkeypatch.setattr(xlsx_patch, "_CHUNK", chunk)
    streamed = patched(source, tmp_path / "s.xlsx", lambda p: p.set_cells("Data", cells))
    monkeypatch.setattr(Patch, "_open_rows", lambda self, part: None)
    whole = patched(source, tmp_path / "w.xlsx", lambda p: p.set_cells("Data", cells))
    sheet = "xl/worksheets/sheet1.xml"
    assert entries(streamed)[sheet] == entries(whole)[sheet]
    assert values(streamed, "Data")[57][2] == " x "  # Excel row 58


def test_a_sheet_it_cannot_stream_is_read_whole(tmp_path):
    """Rows out of order: the streamed patch gives up and the sheet is read whole."""
    source = build(tmp_path / "in.xlsx")
    with zipfile.ZipFile(source) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    rows = re.findall(r'<row r="\d+".*?</row>', xml)
    xml = xml.replace(rows[2] + rows[3], rows[3] + rows[2])  # rows 3 and 4 swapped
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(source, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    out = patched(
        source, tmp_path / "out.xlsx", lambda p: p.set_cells("Data", {3: {3: "a"}, 4: {3: "b"}})
    )
    assert [r[2] for r in values(out, "Data")[2:4]] == ["a", "b"]


_CELL_VALUES = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-(10**6), 10**6),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.dictionaries(st.integers(1, 7), _CELL_VALUES, min_size=1), max_size=30),
    changed=st.dictionaries(st.integers(2, 6), st.dictionaries(st.integers(1, 5), _CELL_VALUES)),
    gap=st.integers(0, 3),
    chunk=st.sampled_from([5, 100, 1 << 20]),
    seal=st.booleans(),
)
def test_rows_appended_through_a_temporary_file_are_those_inserted_in_memory(
    tmp_path, monkeypatch, rows, changed, gap, chunk, seal
):
    """Issue 17: rows appended after a sheet's last row are written to a temporary file and
    copied into the package from there; the package is the same, byte for byte, as when they
    are inserted into the sheet's text (the general way, for rows between others)."""
    from debiteuren.workbook import xlsx_patch

    source = tmp_path / "in.xlsx"
    if not source.exists():
        build(source)
    cells = {**changed, **{7 + gap + k: values for k, values in enumerate(rows)}}

    def change(patch: Patch) -> None:
        patch.set_cells("Data", cells, {2: '"€" #,##0.00', 4: "dd-mm-yyyy"}, create=True)
        if seal:
            patch.set_custom_properties({"a": "b"})
            patch.seal("zegel", "zout")

    monkeypatch.setattr(xlsx_patch, "_CHUNK", chunk)
    spooled = patched(source, tmp_path / "spooled.xlsx", change)
    with monkeypatch.context() as m:
        m.setattr(xlsx_patch._Sheet, "_after_the_rows", staticmethod(lambda present, new: False))
        in_memory = patched(source, tmp_path / "memory.xlsx", change)
    assert spooled.read_bytes() == in_memory.read_bytes()


def test_appended_rows_changed_again_and_the_temporary_file_removed(tmp_path, monkeypatch):
    """A sheet with appended rows changed a second time is read back whole from its pieces;
    closing the patch removes the temporary file."""
    from debiteuren.workbook import xlsx_patch

    made = []
    real = xlsx_patch.tempfile.TemporaryFile

    def tracked():
        made.append(real())
        return made[-1]

    monkeypatch.setattr(xlsx_patch.tempfile, "TemporaryFile", tracked)
    source = build(tmp_path / "in.xlsx")
    with Patch(source) as patch:
        patch.set_cells("Data", {8: {1: "F8", 2: D("8.50")}, 9: {1: "F9"}}, create=True)
        patch.set_cells("Data", {3: {3: "daarna"}, 9: {3: "ook"}})
        patch.write(tmp_path / "uit.xlsx")
    assert len(made) == 1 and made[0].closed
    rows = values(tmp_path / "uit.xlsx", "Data")
    assert rows[2][2] == "daarna"
    assert rows[7][:2] == ("F8", 8.5) and rows[8][0] == "F9" and rows[8][2] == "ook"
    check_package(tmp_path / "uit.xlsx")


def _raw_entry(path: Path, name: str) -> bytes:
    """Return the compressed bytes of entry ``name`` as they stand in the zip file."""
    import struct

    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    data = path.read_bytes()
    n, m = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + n + m
    return data[start : start + info.compress_size]


def test_the_package_is_written_with_unchanged_parts_as_compressed_and_changed_ones_deflated(
    tmp_path,
):
    """Unchanged parts keep their compressed bytes (stored, or deflated at any level), changed
    ones are deflated as zipfile does at level 3 (a large one in a thread, also when it was
    started early and changed once more); every entry has its name, time and attributes."""
    import random
    import zlib

    source = tmp_path / "bron.xlsx"
    build(source)
    parts = {}
    with zipfile.ZipFile(source) as z:
        infos = z.infolist()
        parts = {i.filename: z.read(i.filename) for i in infos}
    noise = random.Random(7).randbytes(3_000_000)  # large and not compressible: a thread
    with zipfile.ZipFile(source, "w") as z:
        for info in infos:
            z.writestr(info, parts[info.filename], zipfile.ZIP_DEFLATED, compresslevel=9)
        z.writestr("xl/media/ruis.bin", noise, zipfile.ZIP_STORED)
        z.writestr("xl/media/leeg/", b"")
        z.writestr(zipfile.ZipInfo("xl/media/naïef.txt", (2020, 2, 2, 2, 2, 2)), "tekst é")
    target = tmp_path / "uit.xlsx"
    big = b"<x>" + b"rij " * 600_000 + b"</x>"
    with Patch(source) as patch:
        part = patch.sheet_part("Eigen")
        patch.package.put(part, b"<x>eerst</x>" * 200_000)
        patch.deflate_soon("Eigen")  # started, then changed again: the later bytes count
        patch.package.put(part, big)
        patch.set_cells("Data", {2: {2: D("99.99")}})
        patch.write(target)
        changed = {
            part: big,
            patch.sheet_part("Data"): patch.package.read(patch.sheet_part("Data")),
        }
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(target) as after:
        assert after.testzip() is None
        for info in before.infolist():
            if info.filename == "xl/calcChain.xml":
                continue
            new = after.getinfo(info.filename)
            assert (new.date_time, new.compress_type) == (info.date_time, info.compress_type)
            if info.filename in changed:
                assert after.read(info.filename) == changed[info.filename]
                deflate = zlib.compressobj(3, zlib.DEFLATED, -15)
                expected = deflate.compress(changed[info.filename]) + deflate.flush()
                assert _raw_entry(target, info.filename) == expected
            else:
                assert new.external_attr == info.external_attr
                assert after.read(info.filename) == before.read(info.filename)
                assert _raw_entry(target, info.filename) == _raw_entry(source, info.filename)
    assert openpyxl.load_workbook(target)["Data"]["B2"].value == 99.99


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_damaged_part_is_not_copied_into_the_new_package(tmp_path, method):
    """An unchanged part whose bytes do not give the CRC-32 the zip names (or do not inflate)
    is refused, as zipfile refuses it: the save stops before the workbook is replaced."""
    import struct

    source = tmp_path / "bron.xlsx"
    build(source)
    with zipfile.ZipFile(source) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(source, "w") as z:
        for info, data in parts:
            z.writestr(info, data, method)
    with zipfile.ZipFile(source) as z:
        info = z.getinfo("docProps/app.xml")
    data = bytearray(source.read_bytes())
    n, m = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + n + m
    data[start + info.compress_size // 2] ^= 0x01  # one bit in the middle of its data
    source.write_bytes(bytes(data))
    with Patch(source) as patch, pytest.raises(zipfile.BadZipFile):
        patch.set_cells("Data", {2: {2: D("1.00")}})
        patch.write(tmp_path / "uit.xlsx")


def test_a_part_larger_than_its_zip_entry_says_is_refused_without_unpacking_it_all(
    tmp_path, monkeypatch
):
    """A zip bomb in an unchanged part whose entry states a small size: it is refused once
    more than that size came out (a megabyte at a time), not held unpacked."""
    import struct

    from debiteuren.workbook import xlsx_patch

    source = tmp_path / "bom.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/nul.bin", bytes(50_000_000))
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as z:
        info = z.getinfo("xl/media/nul.bin")
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = struct.pack("<L", 1000)  # the stated size: 1,000 bytes
    source.write_bytes(bytes(data))
    with zipfile.ZipFile(source) as z:
        info = z.getinfo("xl/media/nul.bin")
    assert info.file_size == 1000
    pulled = []
    real = xlsx_patch._inflated

    def counted(pieces, info):
        for plain in real(pieces, info):
            pulled.append(len(plain))
            yield plain

    monkeypatch.setattr(xlsx_patch, "_inflated", counted)
    with pytest.raises(zipfile.BadZipFile):
        xlsx_patch._compressed(str(source), info)
    assert pulled and max(pulled) <= 1 << 20 and sum(pulled) <= 1 << 20


def test_a_damaged_part_found_while_saving_is_a_dutch_message_and_nothing_changes(tmp_path):
    """A part no command reads (docProps/app.xml) whose bytes do not give its CRC-32 is found
    only when the save copies it: a Dutch message naming the part, exit 2, the file as it was
    (it was a Python traceback)."""
    import struct

    from click.testing import CliRunner

    from debiteuren import service
    from debiteuren.cli import main

    path = service.demo_workbook(tmp_path / "boek.xlsx")
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in parts:
            z.writestr(info, data, zipfile.ZIP_STORED)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("docProps/app.xml")
    data = bytearray(path.read_bytes())
    n, m = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    data[info.header_offset + 30 + n + m + 5] ^= 0x01
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["bijwerken", str(path), "--peildatum", "2026-10-16"])
    assert result.exit_code == 2, result.output
    assert "is beschadigd: een deel van het bestand klopt niet (docProps/app.xml)" in result.output
    assert "Er is niets gewijzigd" in result.output
    assert path.read_bytes() == before
