"""Issue 17: right after ``bijwerken``, a large bank import takes the open amounts from the
Facturen columns instead of assessing every customer again; the matching is the same."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from camt_entries import credit, statement  # the shared statement builder
from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service import payments, pipeline, shards
from debiteuren.workbook import read
from debiteuren.workbook.write import append_table_rows

NOW = datetime(2026, 10, 15, 12, 0)


@pytest.fixture(scope="module")
def updated(_demo_built, tmp_path_factory) -> Path:
    book = Path(shutil.copyfile(_demo_built, tmp_path_factory.mktemp("stored") / "d.xlsx"))
    service.update(book, DEMO_AS_OF, now=NOW)
    return book


def _worked_out(loaded):
    return shards.picked_claims(
        loaded.data, loaded.rates, DEMO_AS_OF, payments._amounts, fork=False
    )


def test_the_stored_amounts_are_those_worked_out(updated):
    loaded = pipeline.read_book(updated, DEMO_AS_OF, for_writing=False)
    stored = payments._stored_amounts(loaded, DEMO_AS_OF)
    assert stored is not None
    assert stored == _worked_out(loaded)
    assert len({v[1] for v in stored}) > 5  # several customers, several invoices each
    jansen = [v for v in stored if v[0] == "2026-0107"]
    # € 847,00 principal, € 40,00 costs and € 3,38 interest open (as Facturen shows them)
    assert jansen == [
        ("2026-0107", "K001", Decimal("890.38"), date(2026, 10, 1), Decimal("847.00"), 40)
    ]


def test_another_peildatum_or_a_cell_typed_over_is_worked_out_again(updated, tmp_path):
    loaded = pipeline.read_book(updated, DEMO_AS_OF, for_writing=False)
    later = DEMO_AS_OF + timedelta(days=1)
    assert payments._stored_amounts(loaded, later) is None  # bijwerken wrote another day's
    book = Path(shutil.copyfile(updated, tmp_path / "d.xlsx"))
    wb = openpyxl.load_workbook(book)
    ws = wb[read.schema.FACTUREN.name]
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=headers.index("Totaal") + 1).value = 1.23
    wb.save(book)
    typed = pipeline.read_book(book, DEMO_AS_OF, for_writing=False)
    assert payments._stored_amounts(typed, DEMO_AS_OF) is None


def test_a_missing_column_or_a_text_gives_none(updated):
    loaded = pipeline.read_book(updated, DEMO_AS_OF, for_writing=False)
    table = loaded.tables[read.schema.FACTUREN.name]
    at = table.headers.index("Kosten")
    first = next(i for i in loaded.data.invoices if not i.is_credit_note)
    rows = [list(r) for r in table.rows]
    rows[loaded.data.invoice_rows[first.number] - table.first_row][at] = "veel"
    texts = {**loaded.tables, table_name(): _with(table, rows=rows)}
    assert read.stored_open_amounts(texts, loaded.data) is None
    headers = [h if h != "Kosten" else "Iets" for h in table.headers]
    without = {**loaded.tables, table_name(): _with(table, headers=headers)}
    assert read.stored_open_amounts(without, loaded.data) is None


def table_name() -> str:
    return read.schema.FACTUREN.name


def _with(table, **changes):
    import dataclasses

    return dataclasses.replace(table, **changes)


# --- random books: what the columns hold is what the engine works out ---------------------------

_INVOICES = ("2026-0107", "2025-0088", "2026-0057", "2026-0110", "2026-0061", "")


@pytest.fixture(scope="module")
def demo_book(_demo_built, tmp_path_factory) -> Path:
    return Path(shutil.copyfile(_demo_built, tmp_path_factory.mktemp("random") / "demo.xlsx"))


@settings(max_examples=12, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_INVOICES),
            st.integers(-120, 0),  # days before the peildatum
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000"), places=2),
        ),
        max_size=6,
    )
)
def test_the_columns_hold_what_the_engine_works_out(demo_book, tmp_path_factory, paid):
    """Random payments (part, whole, too much, without an invoice, on other days): after
    ``bijwerken`` the stored open amounts are the worked-out ones, to the cent."""
    book = Path(shutil.copyfile(demo_book, tmp_path_factory.mktemp("b") / "d.xlsx"))
    if paid:
        wb = openpyxl.load_workbook(book)
        owners = {"2026-0107": "K001", "2026-0061": "K010", "": "K002"}
        rows = [
            {
                "on": DEMO_AS_OF + timedelta(days=day),
                "amount": amount,
                "debtor": owners.get(invoice, ""),
                "invoice": invoice,
            }
            for invoice, day, amount in paid
        ]
        append_table_rows(
            wb, read.schema.BETALINGEN.name, [{k: v for k, v in r.items() if v != ""} for r in rows]
        )
        wb.save(book)
    service.update(book, DEMO_AS_OF, now=NOW)
    loaded = pipeline.read_book(book, DEMO_AS_OF, for_writing=False)
    stored = payments._stored_amounts(loaded, DEMO_AS_OF)
    assert stored is not None and stored == _worked_out(loaded)


# --- the import: the same rows and bytes whichever way the amounts came -------------------------


def _parts(path: Path) -> dict[str, bytes]:
    stamped = ("docProps/core.xml", "docProps/custom.xml")  # the time of saving
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist() if i.filename not in stamped}


def test_the_import_is_the_same_with_the_stored_amounts(updated, tmp_path, monkeypatch):
    """More lines than half the customers: the amounts come from the columns; the rows, the
    counts and every byte are those of the import that works them out."""
    day = "2026-10-14"
    entries = [
        credit("S1", day, "847.00", "factuur 2026-0107"),
        credit("S2", day, "100.00", "2025-0088"),
        credit("S3", day, "5000.00", "facturen 2025-0088 en 2026-0057"),
        credit("S4", day, "12.34", "gift"),
    ] + [credit(f"S{k}", day, "1.00", "onbekend") for k in range(5, 30)]
    statement_file = tmp_path / "afschrift.xml"
    statement_file.write_text(statement(entries))
    used: list[bool] = []
    real = payments._stored_amounts

    def stored(loaded, as_of):
        found = real(loaded, as_of)
        used.append(found is not None)
        return found

    results = []
    for name, take in (("kolommen.xlsx", stored), ("berekend.xlsx", lambda *a: None)):
        book = Path(shutil.copyfile(updated, tmp_path / name))
        monkeypatch.setattr(payments, "_stored_amounts", take)
        results.append(
            payments.import_statements(book, [statement_file], as_of=DEMO_AS_OF, now=NOW)
        )
    assert used == [True]
    counts = [(r.rows_added, r.files[0].matched, r.files[0].review) for r in results]
    assert counts[0] == counts[1] and counts[0][1] >= 2
    assert _parts(tmp_path / "kolommen.xlsx") == _parts(tmp_path / "berekend.xlsx")
