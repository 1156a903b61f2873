"""bijwerken recognises an unchanged workbook from the digest it stored (issue 17, point 2)."""

from __future__ import annotations

import hashlib
import importlib
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren import service
from debiteuren.cli import main
from debiteuren.core import book as book_mod
from debiteuren.demo import DEMO_AS_OF
from debiteuren.workbook import digest, read

NOW = datetime(2026, 11, 27, 10, 0)
update_mod = importlib.import_module("debiteuren.service.pipeline")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def updated(tmp_path) -> Path:
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    result = service.update(path, DEMO_AS_OF, now=NOW)
    assert result.saved
    return path


def no_assessing(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the book was assessed")

    monkeypatch.setattr(update_mod, "assess_book", refuse)
    monkeypatch.setattr(read, "open_book", refuse)


def edit(path: Path, sheet: str, row: int, column: int, value: object) -> None:
    book = openpyxl.load_workbook(path)
    book[sheet].cell(row=row, column=column, value=value)
    book.save(path)


def test_the_digest_is_stored_as_custom_properties(updated):
    props = digest.custom_properties(updated)
    assert len(props[digest.DIGEST_PROPERTY]) == 64
    summary = digest.read_summary(props[digest.SUMMARY_PROPERTY])
    assert summary["peildatum"] == DEMO_AS_OF.isoformat()
    with zipfile.ZipFile(updated) as z:
        assert "docProps/custom.xml" in z.namelist()
        assert b"custom-properties+xml" in z.read("[Content_Types].xml")


def test_an_unchanged_workbook_is_recognised_without_assessing(updated, monkeypatch):
    before = sha(updated)
    full = service.update(updated, DEMO_AS_OF, now=NOW)  # the full check agrees
    assert not full.saved
    no_assessing(monkeypatch)
    result = service.update(updated, DEMO_AS_OF, now=NOW, skip_unchanged=True)
    assert result.unchanged and not result.saved and result.assessment is None
    assert result.summary["totaal"] == str(full.overview.outstanding)
    assert result.summary["open"] == str(full.overview.invoices_open)
    assert sha(updated) == before


def test_the_digest_survives_an_openpyxl_save(updated, monkeypatch):
    openpyxl.load_workbook(updated).save(updated)  # as another program that keeps the file
    no_assessing(monkeypatch)
    assert service.update(updated, DEMO_AS_OF, now=NOW, skip_unchanged=True).unchanged


@pytest.mark.parametrize(
    ("sheet", "header", "value"),
    [
        ("Facturen", "Bedrag (incl. btw)", 1234.56),
        ("Facturen", "Rente", 999.99),  # a computed value typed over
        ("Betalingen", "Bedrag", 1.0),
        ("Acties", "Notitie", "gebeld"),
        ("Klanten", "Naam", "Andere naam B.V."),
        ("Instellingen", "Waarde", None),
    ],
)
def test_one_changed_cell_defeats_the_digest(updated, monkeypatch, sheet, header, value):
    ws = openpyxl.load_workbook(updated)[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    row = 2
    if sheet == "Instellingen":  # the day count of interest: 365 -> werkelijk
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "Dagtelling rente")
        value = "werkelijk"
    edit(updated, sheet, row, column, value)
    calls = []
    real = book_mod.assess_book
    monkeypatch.setattr(update_mod, "assess_book", lambda *a, **k: calls.append(1) or real(*a, **k))
    result = service.update(updated, DEMO_AS_OF, now=NOW, skip_unchanged=True)
    assert not result.unchanged and calls == [1]


def test_another_peildatum_defeats_the_digest(updated):
    result = service.update(updated, DEMO_AS_OF + timedelta(days=1), now=NOW, skip_unchanged=True)
    assert not result.unchanged and result.saved
    again = service.update(updated, DEMO_AS_OF + timedelta(days=1), now=NOW, skip_unchanged=True)
    assert again.unchanged


def test_another_program_version_defeats_the_digest(updated, monkeypatch):
    monkeypatch.setattr("debiteuren.__version__", "99.0")
    assert not service.update(updated, DEMO_AS_OF, now=NOW, skip_unchanged=True).unchanged


def test_text_typed_cells_are_digested_as_they_are_written(tmp_path, monkeypatch):
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book["Facturen"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=headers.index("Bedrag (incl. btw)") + 1, value="1.210,00")
    ws.cell(row=3, column=headers.index("Factuurdatum") + 1, value="01-05-2024")
    book.save(path)
    first = service.update(path, DEMO_AS_OF, now=NOW, skip_unchanged=True)
    assert first.saved and first.tidied
    no_assessing(monkeypatch)
    assert service.update(path, DEMO_AS_OF, now=NOW, skip_unchanged=True).unchanged


def test_bijwerken_says_nothing_changed(updated):
    before = sha(updated)
    out = CliRunner().invoke(
        main, ["bijwerken", str(updated), "--peildatum", DEMO_AS_OF.isoformat(), "--stil"]
    )
    assert out.exit_code == 0, out.output
    assert "Niets veranderd sinds de vorige keer bijwerken" in out.output
    assert "totaal te vorderen €" in out.output
    assert sha(updated) == before


def test_an_edit_is_digested_as_it_is_read_back():
    from decimal import Decimal

    read_back = read.TableData(
        sheet="S", headers=["a", "b", "c"], rows=[[1.5, "", date(2026, 1, 2)]]
    )
    before = read.TableData(sheet="S", headers=["a", "b", "c"], rows=[[9.0, "x", "2-1-2026"]])
    edits = {"S": {2: {1: Decimal("1.50"), 2: None, 3: datetime(2026, 1, 2)}}}
    day = date(2026, 1, 1)
    assert digest.inputs_digest({"S": before}, day, "1", edits) == digest.inputs_digest(
        {"S": read_back}, day, "1"
    )
    assert digest.inputs_digest({"S": before}, day, "1") != digest.inputs_digest(
        {"S": read_back}, day, "1"
    )


def test_long_lists_are_capped_on_the_overzicht_and_summed_up_on_the_terminal(
    tmp_path, monkeypatch
):
    from debiteuren.service import reports
    from debiteuren.workbook import write

    path = service.demo_workbook(tmp_path / "demo.xlsx")
    monkeypatch.setattr(write, "OVERVIEW_LIST_CAP", 3)
    monkeypatch.setattr(reports, "SHOWN_WARNINGS", 2)
    out = CliRunner().invoke(main, ["bijwerken", str(path), "--peildatum", "2031-06-01", "--stil"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Let op, verjaring"))
    count = int(lines[head].split()[3].replace(".", ""))
    assert count > 3
    assert lines[head].endswith("zie het blad Overzicht. De eerste 2:")
    assert all(line.startswith("  Factuur ") for line in lines[head + 1 : head + 3])
    assert not lines[head + 3].startswith("  Factuur ")
    rows = [
        [v for v in r if v is not None]
        for r in openpyxl.load_workbook(path)["Overzicht"].iter_rows(values_only=True)
    ]
    start = next(i for i, r in enumerate(rows) if r and str(r[0]).startswith("Verjaring binnen"))
    listed = rows[start + 2 : start + 5]
    assert all(r[0].startswith("K0") for r in listed)
    assert rows[start + 5][0] == (
        f"… en nog {count - 3} facturen (de eerste 3 staan hierboven; filter op het blad "
        "Facturen op de kolom Verjaart op)."
    )


def test_opslaan_moves_to_its_end(tmp_path):
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    calls: list[tuple[str, int, int]] = []
    service.update(path, DEMO_AS_OF, now=NOW, progress=lambda *c: calls.append(c))
    assert [p for p, _, _ in calls].index("Schrijven") < [p for p, _, _ in calls].index("Opslaan")
    seen = [(done, total) for p, done, total in calls if p == "Opslaan"]
    done = [d for d, _ in seen]
    assert {total for _, total in seen} == {100}
    assert done == sorted(done) and done[0] == 0 and done[-1] == 100
    assert len(set(done)) >= 4  # it moves while the package is written


def test_a_phase_shows_done_when_the_next_begins(monkeypatch):
    from debiteuren import cli

    class Bar:
        def __init__(self):
            self.done: dict[int, int] = {}

        def add_task(self, phase, total):
            self.done[len(self.done)] = 0
            return len(self.done) - 1

        def update(self, task, completed):
            self.done[task] = completed

    progress = cli._Progress(quiet=True)
    progress.bar = bar = Bar()
    progress("Schrijven", 0, 0)  # a phase without steps (as the Excel status bar wants it)
    progress("Opslaan", 0, 100)
    progress("Opslaan", 60, 100)
    assert bar.done == {0: 1, 1: 60}


def test_a_file_as_bijwerken_wrote_it_is_recognised_without_reading_a_cell(updated, monkeypatch):
    props = digest.custom_properties(updated)
    salt = digest.salt(DEMO_AS_OF, importlib.import_module("debiteuren").__version__)
    assert props[digest.FILE_PROPERTY] == digest.package_digest(updated, salt)
    summary = digest.read_summary(props[digest.SUMMARY_PROPERTY])
    reads = []
    real = read.load_tables
    monkeypatch.setattr(read, "load_tables", lambda *a, **k: reads.append(k) or real(*a, **k))
    no_assessing(monkeypatch)
    result = service.update(updated, DEMO_AS_OF, now=NOW, skip_unchanged=True)
    assert result.unchanged
    if summary["te_controleren"] == "0":
        assert reads == []
    else:  # only the payments to review are read, to show them
        assert [k.get("only") for k in reads] == [("Betalingen",)]
        assert len(result.to_review) == int(summary["te_controleren"])


def test_a_deleted_overzicht_is_made_again(updated):
    book = openpyxl.load_workbook(updated)
    del book["Overzicht"]
    book.save(updated)
    result = service.update(updated, DEMO_AS_OF, now=NOW, skip_unchanged=True)
    assert not result.unchanged and result.saved
    assert "Overzicht" in openpyxl.load_workbook(updated).sheetnames


def test_the_digest_of_many_rows_is_that_of_their_whole_text():
    """Hashed in pieces (issue 17), the digest stays the one stored in existing workbooks."""
    rows = [
        [f"F{n:05d}", float(n), date(2026, 1, 1) + timedelta(days=n % 300), ""]
        for n in range(4_321)
    ]
    table = read.TableData(sheet="Facturen", headers=["Factuurnummer", "Bedrag"], rows=rows)
    h = hashlib.sha256(digest.salt(DEMO_AS_OF, "9.9").encode())
    h.update(f"\x1eFacturen\x1f{table.headers!r}\n".encode())
    h.update("\n".join(map(repr, rows)).encode())
    assert digest.inputs_digest({"Facturen": table}, DEMO_AS_OF, "9.9") == h.hexdigest()


def test_edits_across_the_pieces_are_digested_as_the_rows_read_back():
    """The edits are applied piece by piece (issue 17): rows in every piece, the first and the
    last row, and a row past the table (ignored) give the digest of the edited rows read back."""
    rows = [[f"F{n:05d}", float(n), ""] for n in range(4_321)]
    table = read.TableData(sheet="Facturen", headers=["Nr", "Bedrag", "Rente"], rows=rows)
    edited = [3, 1_999, 2_000, 2_001, 4_000, 4_320]
    edits = {"Facturen": {n + 2: {3: float(n) / 2} for n in edited}}
    edits["Facturen"][10_000] = {3: 1.0}
    read_back = [list(r) for r in rows]
    for n in edited:
        read_back[n][2] = float(n) / 2
    back = read.TableData(sheet="Facturen", headers=table.headers, rows=read_back)
    assert digest.inputs_digest({"Facturen": table}, DEMO_AS_OF, "9.9", edits) == (
        digest.inputs_digest({"Facturen": back}, DEMO_AS_OF, "9.9")
    )
    assert rows[3][2] == ""  # the table read is left as it was


def test_text_cells_and_computed_cells_of_one_row_are_both_digested():
    """A Facturen row with computed cells and a date typed as text: both edits count, the
    text cell's over a computed one of the same cell."""
    from types import SimpleNamespace

    rows = [["F1", "2-1-2026", 5.0, ""], ["F2", 7.0, 1.0, ""]]
    table = read.TableData(sheet="Facturen", headers=["Nr", "Datum", "Open", "Rente"], rows=rows)
    computed = {2: {3: 4.0, 4: 0.5}, 3: {4: 0.25}}
    text = [SimpleNamespace(sheet="Facturen", row=2, column=2, value=date(2026, 1, 2))]
    text.append(SimpleNamespace(sheet="Facturen", row=3, column=4, value=0.75))
    figures = dict.fromkeys(
        ("invoices_open", "invoices_overdue", "principal_open", "interest_open", "costs_open"), 0
    )
    ov = SimpleNamespace(outstanding=0, debtors=(), rate_warnings=(), watch=None, **figures)
    props = digest.properties_for({"Facturen": table}, DEMO_AS_OF, "9.9", computed, text, ov)
    back = read.TableData(
        sheet="Facturen",
        headers=table.headers,
        rows=[["F1", date(2026, 1, 2), 4.0, 0.5], ["F2", 7.0, 1.0, 0.75]],
    )
    assert props[digest.DIGEST_PROPERTY] == digest.inputs_digest(
        {"Facturen": back}, DEMO_AS_OF, "9.9"
    )
    assert computed == {2: {3: 4.0, 4: 0.5}, 3: {4: 0.25}}  # the caller's cells untouched
