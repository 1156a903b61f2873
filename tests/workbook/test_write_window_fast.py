"""The write window of a large ``bijwerken`` made cheaper (issue 17) without changing a byte.

- ``digest._edited`` puts a changed row in the form python-calamine reads it back: a compact row
  (``RowCells``) and an amount or whole number are taken without the general per-value steps.
  On random rows and random edits it gives what the general form (every cell through
  ``digest._as_read``) gives, so the stored digest is the same.
- ``write.computed_invoice_row`` reads the Fase and the Volgende stap as the enum's value
  (``_value_``) without the enum's descriptor: the same texts for every stage and step.
- ``inflated``: the Facturen XML the read inflated is used again by the save, only while it is the
  same part of the same unchanged file; the saved workbook is the same either way.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren import service
from debiteuren.core.ladder import InvoiceStage, Stage
from debiteuren.core.model import Step
from debiteuren.demo import DEMO_AS_OF
from debiteuren.workbook import digest, inflated, write
from debiteuren.workbook.changes import RowCells

NOW = datetime(2026, 11, 27, 10, 0)

CELL = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.sampled_from(["=1+1", "=SUM(A1:A2)", "+31 6", "-"]),
    st.dates(),
    st.datetimes(),
)


def _general(row, cells, first_column):
    """The edited row, every value through ``_as_read`` (the form before issue 17)."""
    out = list(row)
    for column, value in dict(cells.items()).items():
        pos = column - first_column
        if pos < 0:
            continue
        if pos >= len(out):
            out.extend([""] * (pos + 1 - len(out)))
        out[pos] = digest._as_read(value)
    return out


@settings(max_examples=300, deadline=None)
@given(
    row=st.lists(CELL, max_size=8),
    edits=st.dictionaries(st.integers(1, 12), CELL, max_size=6),
    first_column=st.integers(1, 3),
    compact=st.booleans(),
)
def test_an_edited_row_reads_as_the_general_form(row, edits, first_column, compact):
    cells = RowCells(tuple(edits), tuple(edits.values())) if compact else edits
    found = digest._edited(row, cells, first_column)
    expected = _general(row, cells, first_column)
    assert repr(found) == repr(expected)  # what the digest hashes
    assert [type(v) for v in found] == [type(v) for v in expected]


def test_the_digest_of_compact_rows_is_that_of_plain_ones(tmp_path):
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    tables = service.load(path, DEMO_AS_OF).tables
    facturen = tables["Facturen"]
    first = facturen.first_row
    cells = {first: {14: Decimal("12.30"), 16: 7}, first + 2: {15: None, 20: "Betaald"}}
    compact = {row: RowCells(tuple(c), tuple(c.values())) for row, c in cells.items()}
    plain = digest.inputs_digest(tables, DEMO_AS_OF, "1", {facturen.sheet: cells})
    assert digest.inputs_digest(tables, DEMO_AS_OF, "1", {facturen.sheet: compact}) == plain
    assert digest.inputs_digest(tables, DEMO_AS_OF, "1") != plain


def test_the_stage_and_step_texts_are_the_enum_values():
    for stage in Stage:
        for step in [None, *Step]:
            for on in (None, date(2026, 12, 1)):
                made = InvoiceStage(
                    invoice="F1", stage=stage, next_step=step, next_on=on, reason=""
                )
                assert write._next_step_text(made) == (
                    None
                    if step is None
                    else step.value
                    if on is not None
                    else f"{step.value} (wacht op verzending)"
                )
                text = write._next_step_text(made)
                assert text is None or type(text) is str
    assert all(type(s._value_) is str and s._value_ == s.value for s in Stage)


def _parts(path) -> list[tuple[str, zipfile.ZipInfo, bytes]]:
    """The worksheets of the package, the largest first."""
    with zipfile.ZipFile(path) as archive:
        sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/sheet")]
        found = [(i.filename, i, archive.read(i)) for i in sheets]
    return sorted(found, key=lambda p: -len(p[2]))


def test_kept_bytes_are_taken_once_and_only_for_the_same_part_of_the_same_file(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(inflated, "MIN_BYTES", 1)
    monkeypatch.setattr(inflated, "_kept", None)
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    (part, info, data), (small, small_info, small_data) = _parts(path)[:2]
    assert len(data) > len(small_data)
    inflated.keep(path, part, data)
    assert inflated.take(path, small, small_info) is None  # another part: still kept
    assert inflated.take(path, part, info) == data
    assert inflated.take(path, part, info) is None  # taken once
    inflated.keep(path, part, data[:-1])  # not the whole part: not kept
    assert inflated.take(path, part, info) is None
    inflated.keep(tmp_path / "elders.xlsx", part, data)  # no such file: not kept
    assert inflated._kept is None
    inflated.keep(path, part, data)
    inflated.keep(path, small, small_data)  # a smaller part of the same file: the larger stays
    assert inflated.take(path, part, info) == data
    inflated.keep(path, small, small_data)
    assert inflated._kept is not None
    inflated.keep(path, part, data)  # a larger one takes its place
    assert inflated.take(path, small, small_info) is None
    assert inflated.take(path, part, info) == data
    inflated.keep(path, part, data)
    other = tmp_path / "kopie.xlsx"
    shutil.copy(path, other)
    assert inflated.take(other, part, info) is None  # another file: not taken, and let go
    assert inflated._kept is None
    inflated.keep(path, part, data)
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # the file changed since
    assert inflated.take(path, part, info) is None


def _book(tmp_path):
    """The demo book with Facturen the largest sheet, as in a real book."""
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Facturen"]
    notes = [c.column for c in sheet[1] if c.value == "Notitie"]
    sheet.cell(row=2, column=notes[0], value="lange notitie " * 5000)
    book.save(path)
    return path


def _updated(book, path, min_bytes, monkeypatch) -> tuple[bytes, list]:
    monkeypatch.setattr(inflated, "MIN_BYTES", min_bytes)
    monkeypatch.setattr(inflated, "_kept", None)
    taken = []
    take = inflated.take

    def spy(*args):
        found = take(*args)
        taken.append(found is not None)
        return found

    monkeypatch.setattr(inflated, "take", spy)
    shutil.copy(book, path)
    os.utime(path, ns=(10**18, 10**18))
    result = service.update(path, DEMO_AS_OF, now=NOW)
    assert result.saved and result.cells_changed > 0
    return path.read_bytes(), taken


def test_the_save_with_the_kept_xml_writes_the_same_bytes(tmp_path, monkeypatch):
    book = _book(tmp_path)
    with_kept, taken = _updated(book, tmp_path / "a.xlsx", 1, monkeypatch)
    without, not_taken = _updated(book, tmp_path / "b.xlsx", 1 << 40, monkeypatch)
    assert True in taken and True not in not_taken
    assert with_kept == without


def test_changed_rows_pickle_as_they_are_and_keep_sharing_their_columns():
    import pickle

    columns = (16, 17, 19)
    rows = {
        3: RowCells(columns, (95, Decimal("160.11"), Decimal("7031.51"))),
        5: RowCells(columns, (618, Decimal("2434.58"), None)),
        8: RowCells((16,), (True,)),
    }
    again = pickle.loads(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
    assert {r: dict(c.items()) for r, c in again.items()} == {
        r: dict(c.items()) for r, c in rows.items()
    }
    assert [type(v) for c in again.values() for v in c.row_values] == [
        type(v) for c in rows.values() for v in c.row_values
    ]
    assert again[3].columns is again[5].columns  # one tuple for the rows of one shape
