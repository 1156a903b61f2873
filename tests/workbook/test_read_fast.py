"""The column-wise conversion (issue 17) gives what the cell-by-cell conversion gives.

``_Rows.get`` takes a cell from a column converted in one pass (``read._fast_cells``) where that
is certain, and converts it cell by cell otherwise. These tests compare both paths on random
cells of every column type that has a fast path, and on whole random Facturen tables: the same
values, the same problems (sheet, row, column, message) and the same dates and numbers typed
as text.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from debiteuren.workbook import read, schema

#: Cells as a reader gives them, the awkward ones often.
_TEXTS = st.text(
    alphabet=st.sampled_from(
        [*"aZ09 -.,€/", "\t", "\n", "\x0b", "\x00", "\u00a0", "\u200b", "é", "\uff12", "ﬁ", "\x85"]
    ),
    max_size=8,
)
_WORDS = st.sampled_from(
    ["Ja", " nee ", "JA", "waar", "Onwaar", "x", "true", "", "  ", "12-3-2025", "2025-03-12"]
)
_AMOUNTS = st.sampled_from(["1.250,00", "€ 500,-", "1,250", "12.5", "-3", "abc"])
CELLS = st.one_of(
    st.none(),
    _TEXTS,
    _WORDS,
    _AMOUNTS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-2e12, max_value=2e12),
    st.integers(min_value=-(10**13), max_value=10**13),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.decimals(allow_nan=True, allow_infinity=True),  # as a command appends them, and worse
)

#: One column of each type with a fast path, required and not.
_COLUMNS = [
    (sheet, column)
    for sheet in (schema.FACTUREN, schema.ACTIES, schema.BETALINGEN)
    for column in sheet.columns
    if column.type in read._FAST_TYPES
]


def _read_column(sheet, column, cells, *, fast: bool, default=None):
    table = read.TableData(
        sheet=sheet.name, headers=[column.header], rows=[[v] for v in cells], first_row=2
    )
    issues: list = []
    text_cells: list = []
    rows = read._Rows(sheet, table, issues, text_cells, fast=fast)
    rows.usable = True  # the other required columns are missing: read this one anyway
    values = []
    for offset, values_ in enumerate(table.rows):
        rows.values, rows.row, rows.offset, rows.ok = values_, 2 + offset, offset, True
        values.append((rows.get(column.key, default=default), rows.ok))
    return values, issues, text_cells


@settings(max_examples=300, deadline=None)
@given(
    column=st.sampled_from(_COLUMNS),
    cells=st.lists(CELLS, min_size=1, max_size=12),
    default=st.sampled_from([None, "", False, "nl"]),
)
def test_each_cell_converts_as_cell_by_cell(column, cells, default):
    sheet, col = column
    fast = _read_column(sheet, col, cells, fast=True, default=default)
    slow = _read_column(sheet, col, cells, fast=False, default=default)
    assert fast == slow
    assert [type(v) for v, _ in fast[0]] == [type(v) for v, _ in slow[0]]


def test_the_fast_path_takes_the_plain_cells_and_leaves_the_rest():
    code = read._fast_cells(schema.ColumnType.CODE, ["F1", " F2 ", "F\u200b3", 12.0, None], True)
    assert code[:2] == ["F1", "F2"]
    assert code[2:] == [read._SLOW] * 3  # cleaned, a number, an empty required cell
    money = read._fast_cells(schema.ColumnType.MONEY, [575.31, 3, "1,00", 1e12, None], False)
    assert money[:2] == [Decimal("575.31"), Decimal("3.00")]
    assert money[2:] == [read._SLOW, read._SLOW, None]  # text, too large, empty
    days = read._fast_cells(
        schema.ColumnType.DATE, [date(2026, 1, 2), datetime(2026, 1, 2, 5)], True
    )
    assert days == [date(2026, 1, 2), date(2026, 1, 2)]


_INVOICE_CELLS = {
    "number": st.one_of(st.sampled_from(["F1", "F2", " f1", "F\u200b2", "F3"]), CELLS),
    "debtor": st.one_of(st.sampled_from(["K1", "k1", "K9", " K1 "]), CELLS),
    "invoice_date": st.one_of(st.just(date(2026, 1, 5)), CELLS),
    "due_date": st.one_of(st.just(date(2026, 2, 5)), st.none(), CELLS),
    "amount": st.one_of(st.sampled_from([100.0, -50.25, 12]), CELLS),
    "is_credit_note": st.one_of(st.sampled_from(["Ja", "Nee", ""]), CELLS),
    "reference": st.one_of(st.sampled_from(["", "RF18 0000 0000 1"]), CELLS),
}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries(_INVOICE_CELLS), min_size=1, max_size=8))
def test_a_whole_invoice_table_converts_as_cell_by_cell(rows):
    keys = list(_INVOICE_CELLS)
    klanten = read.TableData(
        sheet="Klanten",
        headers=["Klantnr", "Naam", "Land", "Soort", "Betaaltermijn (dagen)"],
        rows=[["K1", "Jansen", "NL", "Onderneming", 30]],
    )
    facturen = read.TableData(
        sheet="Facturen",
        headers=[schema.FACTUREN.column(k).header for k in keys] + ["Omschrijving", "Betwist"],
        rows=[[row[k] for k in keys] + ["Levering", "Nee"] for row in rows],
    )
    tables = {"Klanten": klanten, "Facturen": facturen}
    as_of = date(2026, 11, 27)
    fast = read.convert_tables(tables, as_of)
    everything_slow = lambda kind, cells, required: [read._SLOW] * len(cells)  # noqa: E731
    with mock.patch.object(read, "_fast_cells", everything_slow):
        slow = read.convert_tables(tables, as_of)
    assert fast[0].invoices == slow[0].invoices
    assert fast[0].invoice_rows == slow[0].invoice_rows
    assert fast[0].text_cells == slow[0].text_cells
    assert fast[1] == slow[1]


def test_a_real_book_converts_the_same_both_ways(tmp_path):
    from debiteuren import service
    from debiteuren.demo import DEMO_AS_OF

    path = service.demo_workbook(tmp_path / "demo.xlsx")
    tables = read.load_tables(path, engine=read.fastest_engine())
    fast, fast_issues = read.convert_tables(tables, DEMO_AS_OF)
    with mock.patch.object(read, "_fast_cells", lambda k, cells, r: [read._SLOW] * len(cells)):
        slow, slow_issues = read.convert_tables(tables, DEMO_AS_OF)
    assert fast_issues == slow_issues == []
    assert (fast.debtors, fast.invoices, fast.payments, fast.actions) == (
        slow.debtors,
        slow.invoices,
        slow.payments,
        slow.actions,
    )
    assert fast.invoices  # the demo has invoices: the comparison compared something


def test_an_amount_of_only_a_euro_sign_is_reported_not_a_crash():
    # found by the comparison above: "€" left no text after the sign and failed with IndexError
    for text in ("€", " EUR ", "+"):
        try:
            read._money(text)
        except read._Bad as bad:
            assert (
                bad.message == f"'{text.strip()}' is geen bedrag; vul een bedrag in zoals 1.234,56."
            )
        else:
            raise AssertionError(text)


def test_the_extent_of_a_sheet_counts_its_widest_column_whatever_the_width(tmp_path):
    import zipfile

    def extent(cells: str) -> tuple[int, int]:
        path = tmp_path / "sheet.zip"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("s.xml", f'<worksheet><sheetData><row r="7">{cells}</row></sheetData>')
        with zipfile.ZipFile(path) as z:
            return read._extent(z, "s.xml")

    # the rows are bounded by the largest number of as many digits (a cell may name a row
    # below its own row); a cell naming a row of more digits is read exactly
    assert extent('<c r="B7"/><c r="AB7"/>') == (9, 28)
    assert extent('<c r="XFD7"/><c r="Z7"/>') == (9, 16384)
    assert extent('<c r="C7"/><c>1</c>') == (9, 4)  # a cell without its place: one more
    assert extent('<c r="C7"/><c r="C70"/>') == (70, 3)
    unsure = (1 << 20, 1 << 14)
    assert extent('<c r="ABCD7"/><c r="C7"/>') == unsure  # no column has four letters
    assert extent('<c s="1" r="C7"/>') == unsure  # the place not first: read with openpyxl


@given(
    st.lists(
        st.lists(st.sampled_from([None, "", "x", 0, 1.5]), max_size=4),
        max_size=8,
    )
)
def test_the_rows_used_are_found_from_the_end_as_when_streamed(rows):
    assert read._used(rows) == read._used(iter(rows))  # a list, and a stream (openpyxl)
    assert read._used(rows) == rows[: len(read._used(iter(rows)))]


@given(st.text(alphabet=[*"aZ09 -._/", "\u00a0", "é", "\uff12", "\u200b", "ß"], max_size=12))
def test_a_reference_is_compacted_as_by_the_pattern(text):
    import re

    assert read._compact(text) == re.sub(r"[\W_]+", "", text).casefold()


@given(
    first=st.integers(2, 5),
    last=st.one_of(st.none(), st.integers(0, 12)),
    rows=st.lists(st.sampled_from([["x"], [None], [""], [" "], []]), max_size=10),
)
def test_the_rows_under_a_table_are_found_as_when_all_rows_are_looked_at(first, last, rows):
    table = read.TableData(
        sheet="Klanten", headers=["Klantnr"], rows=rows, first_row=first, table="t", last_row=last
    )
    found = read.table_growth({"Klanten": table})
    filled = [
        first + k
        for k, values in enumerate(rows)
        if last is not None
        and first + k > last
        and any(v is not None and (not isinstance(v, str) or v.strip()) for v in values)
    ]
    assert [(g.first, g.last) for g in found] == ([(last + 1, filled[-1])] if filled else [])


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
@pytest.mark.parametrize(
    "damage",
    [
        (b"<v>", b"<v>abc"),  # a number that is no number
        (b"Factuurnr", b"Factuur\xff\xfenr"),  # bytes that are no UTF-8
    ],
)
def test_a_damaged_sheet_is_named_in_dutch_and_nothing_is_changed(tmp_path, engine, damage):
    """Found in a review: a sheet whose XML python-calamine or openpyxl cannot read gave a
    Python traceback (exit 1) instead of a Dutch message; now the sheet is named, exit 2."""
    import zipfile

    from click.testing import CliRunner

    from debiteuren import service
    from debiteuren.cli import main

    path = service.demo_workbook(tmp_path / "boek.xlsx")
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert b"Factuurnr" in parts[sheet]
    parts[sheet] = parts[sheet].replace(*damage, 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(read.DamagedSheet, match="Het werkblad 'Facturen' in .* is beschadigd"):
        read.load_tables(path, engine=engine)
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["bijwerken", str(path), "--peildatum", "2026-10-16"])
    assert result.exit_code == 2, result.output
    assert "Het werkblad 'Facturen'" in result.output and "Er is niets gewijzigd" in result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize("aside", [False, True])
def test_a_sheet_whose_compressed_data_is_damaged_is_named_in_dutch(tmp_path, monkeypatch, aside):
    """Found while reading the large sheet sooner (issue 17): a part whose deflated bytes are
    damaged gave zlib's traceback (exit 1), whichever way Facturen was read; now the sheet is
    named (python-calamine), or the file refused (openpyxl), exit 2, the file unchanged."""
    import struct
    import zipfile

    from click.testing import CliRunner

    from debiteuren import service
    from debiteuren.cli import main
    from debiteuren.errors import DebiteurenError

    path = service.demo_workbook(tmp_path / "boek.xlsx")
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        offset = z.getinfo("xl/worksheets/sheet1.xml").header_offset
    name, extra = struct.unpack("<HH", raw[offset + 26 : offset + 30])
    start = offset + 30 + name + extra  # the deflated data of Facturen
    raw[start + 200 : start + 260] = bytes(b ^ 0xFF for b in raw[start + 200 : start + 260])
    path.write_bytes(bytes(raw))
    if aside:  # Facturen checked in a copy and parsed in a thread (read.InTurn)
        monkeypatch.setattr(read, "ASIDE_BYTES", 0)
        monkeypatch.setattr(read, "_declared_titles", lambda parts: {"Facturen", "Klanten"})
    with pytest.raises(read.DamagedSheet, match="Het werkblad 'Facturen' in .* is beschadigd"):
        turn = read.load_tables(path, engine="calamine", in_turn=True)
        turn["Facturen"]
    with pytest.raises(DebiteurenError):
        read.load_tables(path, engine="openpyxl")
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["bijwerken", str(path), "--peildatum", "2026-10-16"])
    assert result.exit_code == 2, result.output
    assert "Het werkblad 'Facturen'" in result.output and "Er is niets gewijzigd" in result.output
    assert path.read_bytes() == before


def _invoices_cell_by_cell(rows, debtors, debtor_index, as_of):
    """read._read_invoices as it was before it took its cells by row (issue 17): ``rows.get``
    for every cell, in this order. The reference for the test below."""
    from datetime import timedelta

    from debiteuren.core.model import Invoice

    invoices, invoice_rows = [], {}
    index = read._Index(complete=rows.usable)
    references, owners = {}, {}
    for row in rows:
        number = read._indexed_number(rows, row, index, "Factuurnummer", "factuur")
        debtor = rows.get("debtor")
        if debtor:
            known = read._check_debtor(rows, "debtor", debtor, debtor_index)
            debtor = known or debtor
            if known and number:
                owners.setdefault(number, known)
        invoice_date = rows.get("invoice_date")
        read._check_not_future(rows, "invoice_date", invoice_date, as_of)
        due_date = rows.get("due_date")
        amount = rows.get("amount")
        credit_note = rows.get("is_credit_note", default=False)
        reference = rows.get("reference", default="")
        if reference and number:
            references.setdefault(read._compact(reference), number)
        fields = dict(
            description=rows.get("description", default=""),
            disputed=rows.get("disputed", default=False),
            paused_until=rows.get("paused_until"),
            note=rows.get("note", default=""),
            credits=rows.get("credits", default="") if credit_note else "",
            file=rows.get("file", default=""),
        )
        if amount is not None:
            if amount < 0 and not credit_note:
                rows.problem(
                    "amount",
                    f"Het bedrag {read._nl_money(amount)} is negatief, maar Creditnota staat niet "
                    "op Ja; zet Creditnota op Ja of maak het bedrag positief.",
                )
            elif amount >= 0 and credit_note:
                rows.problem(
                    "amount",
                    "Een creditnota moet een negatief bedrag hebben; zet een minteken voor het "
                    "bedrag of zet Creditnota op Nee.",
                )
        if invoice_date is not None and due_date is not None and due_date < invoice_date:
            rows.problem(
                "due_date",
                f"De vervaldatum {read._nl_date(due_date)} ligt vóór de factuurdatum "
                f"{read._nl_date(invoice_date)}; verbeter een van beide.",
            )
        read._check_years(
            rows, invoice_date=invoice_date, due_date=due_date, paused_until=fields["paused_until"]
        )
        if due_date is None and invoice_date is not None and rows.ok:
            if credit_note:
                due_date = invoice_date
            else:
                known = debtors.get(debtor)
                term = known.payment_term_days if known is not None else None
                if term is not None:
                    due_date = invoice_date + timedelta(days=term)
                elif known is not None:
                    rows.problem(
                        "due_date",
                        f"Vervaldatum is leeg en klant '{debtor}' heeft geen betaaltermijn; vul "
                        "een vervaldatum in, of een betaaltermijn bij de klant op het werkblad "
                        "Klanten.",
                    )
        if rows.ok and due_date is not None:
            invoices.append(
                Invoice(
                    number=number,
                    debtor=debtor,
                    invoice_date=invoice_date,
                    due_date=due_date,
                    amount=amount,
                    reference=reference,
                    is_credit_note=credit_note,
                    **fields,
                )
            )
            invoice_rows[number] = row
    return invoices, invoice_rows, index, references, owners


_ALL_INVOICE_CELLS = {
    **_INVOICE_CELLS,
    "description": st.one_of(st.just("Levering"), CELLS),
    "disputed": st.one_of(st.sampled_from(["Ja", "Nee"]), CELLS),
    "paused_until": st.one_of(st.just(date(2026, 3, 1)), st.none(), CELLS),
    "note": st.one_of(st.none(), CELLS),
    "credits": st.one_of(st.sampled_from(["F1", "", "F1, F2"]), CELLS),
    "file": st.one_of(st.none(), st.just("f.pdf"), CELLS),
}


def _mostly_valid_rows(cells: dict) -> st.SearchStrategy:
    """Rows of a table, each valid but for a few random cells (or empty), and the columns the
    table has: (rows, columns) for :func:`_table_of`."""
    return st.tuples(
        st.lists(
            st.tuples(
                st.fixed_dictionaries(cells),
                st.sets(st.sampled_from(sorted(cells)), max_size=3),  # made random
                st.booleans(),  # an empty row
            ),
            min_size=1,
            max_size=8,
        ),
        st.one_of(st.just(set(cells)), st.sets(st.sampled_from(sorted(cells)))),
    )


def _table_of(sheet, drawn, valid: dict, unique: str) -> read.TableData:
    """The table of rows drawn by :func:`_mostly_valid_rows`: ``valid`` cells but for the random
    ones, and each row's ``unique`` cell numbered."""
    rows, columns = drawn
    keys = [k for k in valid if k in columns]
    cells = [
        [
            None
            if empty
            else random[k]
            if k in chosen
            else f"{valid[k]}{i}"
            if k == unique
            else valid[k]
            for k in keys
        ]
        for i, (random, chosen, empty) in enumerate(rows)
    ]
    headers = [sheet.column(k).header for k in keys]
    return read.TableData(sheet=sheet.name, headers=headers, rows=cells, first_row=2)


#: A valid invoice row: the test below makes a few of its cells random.
_VALID_INVOICE = {
    "number": "F",
    "debtor": "K1",
    "invoice_date": date(2026, 1, 5),
    "due_date": None,
    "amount": 100.0,
    "is_credit_note": "Nee",
    "reference": "RF18 0000 0000 1",
    "description": "Levering",
    "disputed": None,
    "paused_until": None,
    "note": None,
    "credits": None,
    "file": None,
}


@settings(max_examples=400, deadline=None)
@example(  # a Factuurdatum past 2199: the reference lacked the check of the years (session 14)
    drawn=(
        [({**_VALID_INVOICE, "invoice_date": date(2200, 1, 1)}, {"invoice_date"}, False)],
        set(_ALL_INVOICE_CELLS),
    ),
    klanten=[],
    only=False,
)
@given(
    drawn=_mostly_valid_rows(_ALL_INVOICE_CELLS),
    klanten=st.lists(
        st.tuples(st.sampled_from(["K1", "k1", "K2", "", 7]), st.sampled_from([30, None, "x"])),
        max_size=3,
    ),
    only=st.booleans(),
)
def test_invoices_read_by_row_are_those_read_cell_by_cell(drawn, klanten, only):
    """_read_invoices, with every cell of a row taken at once (``_Rows.fast_rows``), against the
    reader that asked ``rows.get`` for each: the same invoices, rows, index, references and
    owners, the same problems in the same order and the same text cells; with and without the
    column-wise conversion, any columns missing, empty rows, unknown and misspelled customers."""
    facturen = _table_of(schema.FACTUREN, drawn, _VALID_INVOICE, "number")
    klanten = [("K1", 30), *klanten]
    debtor_table = read.TableData(
        sheet="Klanten",
        headers=["Klantnr", "Naam", "Land", "Soort", "Betaaltermijn (dagen)"],
        rows=[[number, "Jansen", "NL", "Onderneming", term] for number, term in klanten],
    )
    as_of = date(2026, 11, 27)
    chosen = list(range(0, len(drawn[0]), 2)) if only else None

    def read_with(reader, fast):
        issues, text_cells = [], []
        klanten_rows = read._Rows(schema.KLANTEN, debtor_table, issues, text_cells)
        debtors, debtor_index = read._read_debtors(klanten_rows)
        invoice_rows = read._Rows(
            schema.FACTUREN, facturen, issues, text_cells, fast=fast, only=chosen
        )
        found = reader(invoice_rows, debtors, debtor_index, as_of)
        invoices, rows_of, index, references, owners = found
        return invoices, rows_of, index, references, owners, issues, text_cells

    expected = read_with(_invoices_cell_by_cell, fast=False)
    assert read_with(read._read_invoices, fast=True) == expected
    assert read_with(read._read_invoices, fast=False) == expected
    assert read_with(_invoices_cell_by_cell, fast=True) == expected


def _payments_cell_by_cell(rows, debtor_index, invoice_index, references, owners, as_of):
    """read._read_payments as it was before it took its cells by row (issue 17): ``rows.get``
    for every cell, in this order. The reference for the test below."""
    from debiteuren.core.model import Payment

    payments, payment_rows, bank_references, uncounted = [], [], {}, []
    for row in rows:
        status = str(rows.raw("status") or "").strip().casefold()
        if status in schema.PAYMENT_IGNORED:
            bank_reference = rows.get("bank_reference", default="")
            if bank_reference:
                bank_references.setdefault(bank_reference, row)
                uncounted.append((bank_reference, row))
            continue
        on = rows.get("on")
        read._check_not_future(rows, "on", on, as_of)
        amount = rows.get("amount")
        refund = status == schema.REFUND_STATUS
        if amount is not None:
            read._check_sign(rows, amount, refund)
        debtor = rows.get("debtor", default="")
        named = rows.get("invoice", default="")
        if refund:
            read._check_refund(rows, debtor, named)
        invoice = ""
        if named:
            invoice = read._find_invoice(rows, "invoice", named, invoice_index, references) or named
        if debtor:
            known = read._check_debtor(rows, "debtor", debtor, debtor_index)
            if known and invoice:
                read._check_owner(rows, "debtor", invoice, known, owners)
            debtor = known or debtor
        elif invoice:
            debtor = owners.get(invoice, "")
        elif rows.ok:
            rows.problem(
                "debtor", "Klantnr en Factuurnr zijn allebei leeg; vul minstens een van beide in."
            )
        bank_reference = rows.get("bank_reference", default="")
        if bank_reference:
            earlier = bank_references.setdefault(bank_reference, row)
            if earlier != row:
                rows.problem(
                    "bank_reference",
                    f"Bankreferentie '{bank_reference}' staat twee keer in de lijst (rij "
                    f"{earlier} en rij {row}); is deze betaling dubbel ingelezen? Haal er een weg.",
                )
        text = rows.get("text", default="")
        source = rows.get("source", default="")
        if rows.ok and debtor:
            payments.append(
                Payment(
                    on=on,
                    amount=amount,
                    debtor=debtor,
                    invoice=invoice,
                    text=text,
                    source=source,
                    bank_reference=bank_reference,
                    payer_iban=read._iban_text(rows.get("payer_iban", default="")),
                )
            )
            payment_rows.append(row)
        elif bank_reference:
            uncounted.append((bank_reference, row))
    return payments, payment_rows, uncounted


_PAYMENT_CELLS = {
    "on": st.one_of(st.just(date(2026, 3, 2)), CELLS),
    "amount": st.one_of(st.sampled_from([100.0, 12, -25.5]), CELLS),
    "debtor": st.one_of(st.sampled_from(["K1", "k1", "K9", ""]), CELLS),
    "invoice": st.one_of(st.sampled_from(["F1", "f1", "RF18 0000 0000 1", "F9", ""]), CELLS),
    "bank_reference": st.one_of(st.sampled_from(["B1", "B2", ""]), CELLS),
    "text": st.one_of(st.just("factuur F1"), CELLS),
    "source": st.one_of(st.just("camt"), CELLS),
    "payer_iban": st.one_of(st.just("NL91 ABNA 0417 1643 00"), CELLS),
    "status": st.one_of(
        st.sampled_from(["", "Storno", " te controleren ", "Terugbetaling"]), CELLS
    ),
}
_VALID_PAYMENT = {
    "on": date(2026, 3, 2),
    "amount": 100.0,
    "debtor": "K1",
    "invoice": "F1",
    "bank_reference": "B",
    "text": "factuur F1",
    "source": None,
    "payer_iban": None,
    "status": None,
}


@settings(max_examples=400, deadline=None)
@given(
    drawn=_mostly_valid_rows(_PAYMENT_CELLS),
    complete=st.booleans(),
    only=st.booleans(),
)
def test_payments_read_by_row_are_those_read_cell_by_cell(drawn, complete, only):
    """_read_payments, with every cell of a row taken at once, against the reader that asked
    ``rows.get`` for each: the same payments, rows and uncounted references, the same problems
    in the same order and the same text cells."""
    table = _table_of(schema.BETALINGEN, drawn, _VALID_PAYMENT, "bank_reference")
    debtor_index, invoice_index = read._Index(complete=complete), read._Index(complete=complete)
    debtor_index.add("K1", 2)
    invoice_index.add("F1", 2)
    context = (debtor_index, invoice_index, {"rf18000000001": "F1"}, {"F1": "K1"})
    as_of = date(2026, 11, 27)
    chosen = list(range(0, len(drawn[0]), 2)) if only else None

    def read_with(reader, fast):
        issues, text_cells = [], []
        rows_ = read._Rows(schema.BETALINGEN, table, issues, text_cells, fast=fast, only=chosen)
        if reader is _payments_cell_by_cell:
            found = reader(rows_, *context, as_of)
        else:
            uncounted = []
            found = (*reader(rows_, *context, as_of, uncounted=uncounted), uncounted)
        return found, issues, text_cells

    expected = read_with(_payments_cell_by_cell, fast=False)
    assert read_with(read._read_payments, fast=True) == expected
    assert read_with(read._read_payments, fast=False) == expected
    assert read_with(_payments_cell_by_cell, fast=True) == expected


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text("ABCWXYZ", min_size=0, max_size=4),
            st.sampled_from(
                [
                    *["1", "20", "", '"', "x", '1"', '20"', '123"', '7" s="1"', '99999"'],
                    *['100000"', '123456789"', '1234567890"', '0012"'],  # ten digits: odd
                ]
            ),
            st.sampled_from(['<c r="', "<c r='", '<c  r="', '<row r="']),
        ),
        max_size=12,
    )
)
def test_the_cells_are_scanned_as_from_every_reference(cells):
    """read._scan_cells (issue 17: one pass over a sheet of columns A to Z) against every
    reference: None for a reference not of the form A1, else the largest column and the most
    digits of a reference's row, with wider, narrower, odd and malformed references."""
    import re

    data = b"".join(f"{start}{letters}{after}/>".encode() for letters, after, start in cells)
    starts = [m.end() for m in re.finditer(rb'<c r="', data)]
    form = re.compile(rb'([A-Z]{1,3})([0-9]{1,9})"')
    strict = [form.match(data, at) for at in starts]
    if any(m is None for m in strict):
        assert read._scan_cells(data) is None
        return
    widest = max((read._column_number(m.group(1).decode()) for m in strict), default=0)
    most = max((len(m.group(2)) for m in strict), default=0)
    assert read._scan_cells(data) == (widest, most)


_SHEET_BITS = st.sampled_from(
    [
        '<row r="7">',
        '<row r="12" spans="1:3">',
        "<row>",
        '<row  r="3">',
        "<row\tr='4'>",
        "</row>",
        '<c r="B7"/>',
        '<c r="AB7">',
        "<c>",
        '<c  r="C2"/>',
        "<c\nt='s'>",
        "<cols>",
        "<col min='1'/>",
        '<c r="Z9"/>',
        "<v>1</v>",
        "<rowBreaks/>",
        '<c r="C70"/>',
        "<c s='1' r='XFD1'>",
        '<c r="xfd1"/>',
        '<c r = "D5"/>',
        "<c/>",
        "<row/>",
        '<row r="12345678901">',
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_SHEET_BITS, max_size=14))
def test_the_extent_bounds_every_place_a_reader_would_use(bits):
    """read._extent against a tolerant reading of every cell and row tag: a place in a form the
    scan does not know makes it unsure (openpyxl reads the sheet); else the rows and columns
    bound every place, a tag without one counting one more (session 9: python-calamine
    aborted the process on a far-away cell in such a form)."""
    import io
    import re
    import zipfile

    data = "".join(bits).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("s.xml", data)
    with zipfile.ZipFile(buffer) as z:
        found = read._extent(z, "s.xml")
    loose, row_numbers, cell_rows, columns, odd = 0, [0], [0], [0], False
    for name, rest in re.findall(rb"<(c|row)(?=[\s>/])([^>]*)", data):
        place = re.search(rb"""\br\s*=\s*["']([^"']*)["']""", rest)
        if place is None:
            loose += 1
            continue
        ref = place.group(1)
        strict = rb"[0-9]{1,9}" if name == b"row" else rb"[A-Z]{1,3}[0-9]{1,9}"
        if not rest.startswith(b' r="') or not re.fullmatch(strict, ref):
            odd = True
        elif name == b"row":
            row_numbers.append(int(ref))
        else:
            letters, digits = re.fullmatch(rb"([A-Z]+)([0-9]+)", ref).groups()  # type: ignore[union-attr]
            cell_rows.append(int(digits))
            columns.append(read._column_number(letters.decode()))
    if odd:
        assert found == (1 << 20, 1 << 14)
        return
    rows = max(row_numbers) + loose
    assert found[1] == max(columns) + loose
    assert (
        max(rows, max(cell_rows)) <= found[0] <= max(rows, max(cell_rows), 10 ** len(str(rows)) - 1)
    )
