"""The claims of a book assessed on two cores give what one core gives, in the same order."""

from __future__ import annotations

import dataclasses
import itertools
import os
import shutil
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from camt_entries import ONE_PAYMENT as STATEMENT  # the shared statement builder
from debiteuren import service
from debiteuren.core.book import Assessment, assess_book, merge_overviews, overview
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service import payments, pipeline, shards
from debiteuren.service.payments import import_statements
from debiteuren.workbook import aside, digest, read
from debiteuren.workbook.write import append_table_rows

needs_fork = pytest.mark.skipif(not aside.can_fork(), reason="no second core or no fork here")


def _open(number, claim):
    return [
        (c.invoice.number, number, c.outstanding, c.principal_open, c.statement.costs_open)
        for c in claim.invoices
        if c.outstanding > 0
    ]


def _amounts(number, amounts):
    return [(a.invoice.number, number, *a[1:]) for a in amounts]


@pytest.mark.parametrize("fork", [False, True])
def test_picked_claims_are_those_of_the_whole_assessment(demo, monkeypatch, fork):
    monkeypatch.setattr(shards, "MIN_INVOICES", 0)  # the demo is small: share it anyway
    loaded = pipeline.read_book(demo, DEMO_AS_OF, for_writing=False)
    d = loaded.data
    whole = assess_book(
        d.debtors,
        d.invoices,
        d.payments,
        d.actions,
        d.plans,
        d.creditor,
        d.settings,
        loaded.rates,
        DEMO_AS_OF,
    )
    expected = [v for n, claim in whole.claims.items() for v in _open(n, claim)]
    assert len({v[1] for v in expected}) > 2  # several customers, so both halves have some
    got = shards.picked_claims(d, loaded.rates, DEMO_AS_OF, _amounts, fork=fork)
    assert got == expected
    assert [str(v) for g in got for v in g[2:]] == [str(v) for e in expected for v in e[2:]]


def test_the_copy_takes_groups_of_customers_in_turns(demo, monkeypatch):
    """With a copy, this process assesses whole groups of customers, and the copy the rest."""
    if not aside.can_fork():
        pytest.skip("no second core or no fork here")
    monkeypatch.setattr(shards, "MIN_INVOICES", 0)
    monkeypatch.setattr(shards, "TURNS", 5)
    loaded = pipeline.read_book(demo, DEMO_AS_OF, for_writing=False)
    seen: list[str] = []

    def pick(number, amounts):
        seen.append(number)  # only this process's list grows
        return _amounts(number, amounts)

    got = shards.picked_claims(loaded.data, loaded.rates, DEMO_AS_OF, pick)
    everyone = sorted({i.debtor for i in loaded.data.invoices})
    groups = shards._Groups(loaded.data).members
    assert len(groups) == 5 and [n for g in groups for n in g] == everyone
    assert set(seen) == {n for g in groups if set(g) & set(seen) for n in g}  # whole groups
    assert 0 < len(seen) <= len(everyone)
    assert [v[1] for v in got] == sorted(v[1] for v in got)  # in customer order


# --- writing back: the Overzicht and the Facturen cells of two processes are those of one ---

NOW = datetime(2026, 10, 15, 12, 0)


def _entries(path):
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _same_parts(first, second):
    ours, theirs = _entries(first), _entries(second)
    assert list(ours) == list(theirs)
    stamped = ("docProps/core.xml", "docProps/custom.xml")  # the time of saving
    assert {n: b for n, b in ours.items() if n not in stamped} == {
        n: b for n, b in theirs.items() if n not in stamped
    }


def _forks(monkeypatch) -> list[bool]:
    """Return the list that gets, for each copy Aside tries to make, whether it was made."""
    forked: list[bool] = []
    real = aside.Aside._start

    def start(self):
        real(self)
        forked.append(self.forked)

    monkeypatch.setattr(aside.Aside, "_start", start)
    return forked


def _run(monkeypatch, shared, command):
    monkeypatch.setattr(shards, "MIN_INVOICES", 0 if shared else 10**9)
    # as when a statement touches most customers: all are assessed again after the import
    monkeypatch.setattr(payments, "_worth_keeping", lambda *args: None)
    forked = _forks(monkeypatch)
    result = command()
    monkeypatch.undo()
    assert forked == ([True] if shared else [])
    return result


@needs_fork
@pytest.mark.parametrize("credit", [False, True])
def test_bijwerken_writes_the_same_bytes_on_one_or_two_cores(demo, tmp_path, monkeypatch, credit):
    if credit:  # a customer who paid too much: listed on the Overzicht, counted in its summary
        _overpaid(demo)
    other = Path(shutil.copyfile(demo, tmp_path / "b.xlsx"))
    one = _run(monkeypatch, False, lambda: service.update(demo, DEMO_AS_OF, now=NOW))
    two = _run(monkeypatch, True, lambda: service.update(other, DEMO_AS_OF, now=NOW))
    assert one.cells_changed == two.cells_changed > 0
    assert one.overview == two.overview and one.warnings == two.warnings
    assert one.assessment is not None and two.assessment is None
    _same_parts(demo, other)
    props = [digest.custom_properties(p) for p in (demo, other)]
    for p in props:
        del p[digest.FILE_PROPERTY]
    assert props[0] == props[1] and props[1][digest.DIGEST_PROPERTY]
    assert [c[1] for c in two.overview.credits] == ([Decimal("35.00")] if credit else [])


@needs_fork
def test_betalingen_writes_the_same_bytes_on_one_or_two_cores(demo, tmp_path, monkeypatch):
    service.update(demo, DEMO_AS_OF, now=NOW)
    other = Path(shutil.copyfile(demo, tmp_path / "b.xlsx"))
    statement = tmp_path / "afschrift.xml"
    statement.write_text(STATEMENT)
    results = [
        _run(
            monkeypatch,
            shared,
            lambda book=book: import_statements(book, [statement], as_of=DEMO_AS_OF, now=NOW),
        )
        for shared, book in ((False, demo), (True, other))
    ]
    assert [(r.rows_added, r.files[0].matched) for r in results] == [(1, 1), (1, 1)]
    _same_parts(demo, other)


def _overpaid(path: Path) -> Path:
    """Let Jean Dupont (K010, € 465,00 open) pay € 500,00 on 14-10-2026: € 35,00 credit."""
    book = openpyxl.load_workbook(path)
    row = {"on": date(2026, 10, 14), "amount": Decimal("500.00"), "debtor": "K010"}
    append_table_rows(book, read.schema.BETALINGEN.name, [{**row, "invoice": "2026-0061"}])
    book.save(path)
    return path


def _credited(whole: Assessment, at: list[int]) -> Assessment:
    """Return ``whole`` with a credit (tegoed) also for the customers ``at`` per cent of the
    way through the customers: the book itself has one (K010)."""
    numbers = sorted(whole.claims)
    claims = dict(whole.claims)
    for k, c in enumerate(at, start=1):
        n = numbers[min(c * len(numbers) // 100, len(numbers) - 1)]
        claims[n] = dataclasses.replace(claims[n], unallocated=Decimal("12.34") * k)
    return dataclasses.replace(whole, claims=claims)


@settings(max_examples=25, deadline=None)
@given(cut=st.integers(0, 100), credited=st.lists(st.integers(0, 100), max_size=4))
def test_the_overview_of_two_parts_is_that_of_the_whole(updated, cut, credited):
    loaded, whole = updated
    whole = _credited(whole, credited)
    numbers = sorted(whole.claims)
    at = cut * len(numbers) // 100
    parts = [
        overview(
            Assessment(
                as_of=whole.as_of,
                claims={n: whole.claims[n] for n in part},
                stages={n: whole.stages[n] for n in part},
                creditor=whole.creditor,
            ),
            (),
        )
        for part in (numbers[:at], numbers[at:])
        if part
    ]
    merged = merge_overviews(parts, loaded.data.invoices)
    assert merged == overview(whole, loaded.data.invoices)
    assert "K010" in {debtor.number for debtor, _ in merged.credits}


@pytest.fixture(scope="module")
def updated(tmp_path_factory):
    path = service.demo_workbook(tmp_path_factory.mktemp("shards") / "demo.xlsx")
    service.update(_overpaid(path), DEMO_AS_OF, now=NOW)
    loaded = pipeline.read_book(path, DEMO_AS_OF, for_writing=False)
    assessment = pipeline.assess(loaded, DEMO_AS_OF)
    assert assessment.claims["K010"].unallocated == Decimal("35.00")
    return loaded, assessment


def _gifts(n):
    """Entries from payers nobody knows (each one "Te controleren")."""
    return "".join(
        f'<Ntry><Amt Ccy="EUR">1.{k:02d}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
        "<BookgDt><Dt>2026-10-14</Dt></BookgDt><ValDt><Dt>2026-10-14</Dt></ValDt>"
        f"<AcctSvcrRef>G{k}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Iemand {k}</Nm>"
        "</Dbtr></RltdPties><RmtInf><Ustrd>gift</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        for k in range(n)
    )


@needs_fork
def test_a_statement_for_most_customers_is_matched_the_same_on_two_cores(
    demo, tmp_path, monkeypatch
):
    """Read in a second process and large enough to touch most customers, the statement is
    matched against open amounts assessed on two cores: the same rows, the same bytes."""
    from debiteuren.payments import background

    service.update(demo, DEMO_AS_OF, now=NOW)
    other = Path(shutil.copyfile(demo, tmp_path / "b.xlsx"))
    statement = tmp_path / "afschrift.xml"
    statement.write_text(STATEMENT.replace("</Stmt>", _gifts(40) + "</Stmt>"))
    monkeypatch.setattr(background, "BACKGROUND_BYTES", 0)
    monkeypatch.setattr(background, "cpu_count", lambda: 2)
    monkeypatch.setattr(payments, "BYTES_PER_LINE", 100)  # a small file counts as large
    # the amounts worked out, not taken from the columns bijwerken just wrote
    monkeypatch.setattr(payments, "_stored_amounts", lambda loaded, as_of: None)
    results, forks = [], []
    for shared, book in ((False, demo), (True, other)):
        monkeypatch.setattr(shards, "MIN_INVOICES", 0 if shared else 10**9)
        with monkeypatch.context() as patched:
            forks.append(_forks(patched))
            results.append(import_statements(book, [statement], as_of=DEMO_AS_OF, now=NOW))
    assert forks == [[], [True, True]]  # the open amounts, then the write-back
    assert [(r.rows_added, r.files[0].matched, r.files[0].review) for r in results] == [
        (41, 1, 40),
        (41, 1, 40),
    ]
    _same_parts(demo, other)


@needs_fork
@pytest.mark.parametrize("stored", [False, True])
def test_a_small_statement_on_a_large_book_is_matched_the_same_on_two_cores(
    demo, tmp_path, monkeypatch, stored
):
    """A statement of a few lines on a large book: the open amounts for the matching are not
    assessed on one core (the columns bijwerken wrote, else worked out on two), and the book is
    assessed again on two cores for the write-back; the same rows, the same bytes as one core
    that assesses everyone first and keeps that for the customers the lines leave alone."""
    service.update(demo, DEMO_AS_OF, now=NOW)
    other = Path(shutil.copyfile(demo, tmp_path / "b.xlsx"))
    statement = tmp_path / "afschrift.xml"
    statement.write_text(STATEMENT.replace("</Stmt>", _gifts(2) + "</Stmt>"))
    if not stored:
        monkeypatch.setattr(payments, "_stored_amounts", lambda loaded, as_of: None)
    assessed: list[int] = []
    real_assess = payments.assess
    monkeypatch.setattr(payments, "assess", lambda *a: assessed.append(1) or real_assess(*a))
    results, forks = [], []
    for shared, book in ((False, demo), (True, other)):
        monkeypatch.setattr(shards, "MIN_INVOICES", 0 if shared else 10**9)
        with monkeypatch.context() as patched:
            forks.append(_forks(patched))
            results.append(import_statements(book, [statement], as_of=DEMO_AS_OF, now=NOW))
    # one core: everyone assessed once for the matching (kept); two: open amounts, write-back
    assert assessed == [1]
    assert forks == [[], [True] if stored else [True, True]]
    assert [(r.rows_added, r.files[0].matched, r.files[0].review) for r in results] == [
        (3, 1, 2),
        (3, 1, 2),
    ]
    _same_parts(demo, other)


def _ahead(monkeypatch) -> list[bool]:
    """Return the list that gets, for each file matched, whether a copy matched it, and had
    done so completely."""
    made: list[bool] = []
    real = payments.Ahead.__iter__

    def spy(self):
        yield from real(self)
        made.append(self.complete)

    monkeypatch.setattr(payments.Ahead, "__iter__", spy)
    return made


def _paying(number, booked, amount, iban, text):
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
        f"<BookgDt><Dt>{booked}</Dt></BookgDt><ValDt><Dt>{booked}</Dt></ValDt>"
        f"<AcctSvcrRef>P{number}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Klant</Nm>"
        f"</Dbtr><DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct></RltdPties><RmtInf><Ustrd>"
        f"{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
    )


def _p_rows(book):
    """Return (bank reference, invoice, amount, status) of the Betalingen rows of the lines
    P1, P2, …"""
    table = read.load_tables(book)[read.schema.BETALINGEN.name]
    at = {h: k for k, h in enumerate(table.headers)}
    return [
        tuple(r[at[h]] for h in ("Bankreferentie", "Factuurnr", "Bedrag", "Status"))
        for r in table.rows
        if str(r[at["Bankreferentie"]]).startswith("P")
    ]


@needs_fork
def test_lines_matched_in_a_copy_give_the_rows_of_one_core(demo, tmp_path, monkeypatch):
    """Issue 17: a large file's lines are matched in a copy, a batch at a time, while this
    process makes the rows (payments split over invoices, a storno of one of them): the rows,
    their amounts (to the cent) and their order are those of one core."""
    service.update(demo, DEMO_AS_OF, now=NOW)
    other = Path(shutil.copyfile(demo, tmp_path / "b.xlsx"))
    before = Path(shutil.copyfile(demo, tmp_path / "voor.xlsx"))
    iban = "NL44RABO0123456789"
    entries = (
        _paying(1, "2026-10-12", "9000.00", iban, "facturen 2025-0088 en 2026-0057")
        + _paying(2, "2026-10-13", "100.00", iban, "factuur 2026-0110")
        + _paying(3, "2026-10-14", "5000.00", "BE68539007547034", "2024-0107 2026-0035")
        + _paying(4, "2026-10-14", "600.00", iban, "2023-0041, 2026-0110")
        + _paying(5, "2026-10-14", "100.00", iban, "factuur 2026-0110")
        .replace("CRDT", "DBIT")
        .replace("<Sts>", "<RvslInd>true</RvslInd><Sts>")
    )
    statement = tmp_path / "afschrift.xml"
    statement.write_text(STATEMENT.replace("</Stmt>", entries + "</Stmt>"))
    rows, forks, here = [], [], []
    parent, real = os.getpid(), payments.owed_on

    def owed_on(*args):
        if os.getpid() == parent:
            here.append(args[0].number)
        return real(*args)

    monkeypatch.setattr(payments, "owed_on", owed_on)
    for ahead, book in ((False, demo), (True, other)):
        monkeypatch.setattr(payments, "MIN_LINES_AHEAD", 0 if ahead else 10**9)
        monkeypatch.setattr(payments, "MATCH_BATCH", 2)  # the copy sends three chunks
        with monkeypatch.context() as patched:
            forks.append(_ahead(patched))
            import_statements(book, [statement], as_of=DEMO_AS_OF, now=NOW)
        here.append("|")
        rows.append(_p_rows(book))
    assert forks == [[], [True]]
    # what is owed for P1 and P3 (split over two invoices each) as the book was, and for P4
    # with P2 of the day before (its second invoice): here without the copy; with it, the copy
    # works out the splits of some customers (K003: P1, and P4 with P2, whose row it
    # follows) and this process those of the others (K012: P3)
    assert here == ["K003", "K012", "K003", "|", "K012", "|"]
    _same_parts(demo, other)
    assert rows[0] == rows[1]
    again = import_statements(other, [statement], as_of=DEMO_AS_OF, now=NOW)  # in a copy too
    assert (again.rows_added, again.files[0].duplicates) == (0, 6)
    # P1: 2025-0088 gets what it owes on the booking day (principal, costs and interest, as the
    # claim on that day says), 2026-0057 the rest; P3 and P4 do not cover their first invoice,
    # so their second invoice gets no row of € 0,00 (that row was refused: nothing imported)
    loaded = pipeline.read_book(before, DEMO_AS_OF, for_writing=False)
    d = loaded.data
    on_the_day = assess_book(
        d.debtors, d.invoices, d.payments, d.actions, d.plans, d.creditor, d.settings,
        loaded.rates, date(2026, 10, 12),
    )  # fmt: skip
    owed = {c.invoice.number: c.outstanding for c in on_the_day.claims["K003"].invoices}
    assert owed["2025-0088"] == Decimal("2714.99")
    assert rows[1] == [
        ("P1", "2025-0088", 2714.99, "Gematcht"),
        ("P1~2", "2026-0057", 6285.01, "Gematcht"),
        ("P2", "2026-0110", 100.0, "Teruggeboekt"),
        ("P3", "2024-0107", 5000.0, "Gematcht"),
        ("P4", "2023-0041", 600.0, "Gematcht"),
        ("P5", None, 100.0, "Storno"),
    ]
    table = read.load_tables(other)[read.schema.BETALINGEN.name]
    at = {h: k for k, h in enumerate(table.headers)}
    (p4,) = [r for r in table.rows if r[at["Bankreferentie"]] == "P4"]
    assert p4[at["Reden"]] == (
        "factuurnummers 2023-0041, 2026-0110 in de omschrijving; betaald € 600,00, openstaand "
        "€ 32.974,91; voor factuur 2026-0110 bleef niets over"
    )


def _two_statements(demo: Path, tmp_path: Path, first: str, second: str) -> tuple[Path, ...]:
    """Bring the demo up to date and copy it; return the copy and two statements of the
    entries ``first`` and ``second``."""
    service.update(demo, DEMO_AS_OF, now=NOW)
    other = Path(shutil.copyfile(demo, tmp_path / "b.xlsx"))
    paths = (tmp_path / "eerste.xml", tmp_path / "tweede.xml")
    for path, entries in zip(paths, (first, second), strict=True):
        path.write_text(STATEMENT.replace("</Stmt>", entries + "</Stmt>"))
    return (other, *paths)


@needs_fork
def test_a_split_after_a_double_gives_the_rows_of_one_core(demo, tmp_path, monkeypatch):
    """Issue 17: the copy that matches the lines works out what the book owed for a split
    (P1); a line that is a double of a row of Betalingen (P7, the payment P2 read before) is
    not paid, and a later split of the same customer on another day (P8, after P1) is worked
    out here with the payments this process kept: the rows are those of one core."""
    iban = "NL44RABO0123456789"
    other, first, second = _two_statements(
        demo,
        tmp_path,
        _paying(2, "2026-10-13", "100.00", iban, "2026-0110"),
        _paying(1, "2026-10-12", "9000.00", iban, "facturen 2025-0088 en 2026-0057")
        + _paying(7, "2026-10-13", "100.00", iban, "factuur 2026-0110")  # P2 again: a double
        + _paying(8, "2026-10-14", "6400.00", iban, "2026-0110 en 2026-0057"),
    )
    parent, real, here, rows = os.getpid(), payments.owed_on, [], []

    def owed_on(*args):
        if os.getpid() == parent:
            here.append(args[0].number)
        return real(*args)

    monkeypatch.setattr(payments, "owed_on", owed_on)
    monkeypatch.setattr(payments, "MATCH_BATCH", 2)
    for ahead, book in ((False, demo), (True, other)):
        monkeypatch.setattr(payments, "MIN_LINES_AHEAD", 10**9)
        import_statements(book, [first], as_of=DEMO_AS_OF, now=NOW)
        here.clear()
        monkeypatch.setattr(payments, "MIN_LINES_AHEAD", 0 if ahead else 10**9)
        with monkeypatch.context() as patched:
            made = _ahead(patched)
            result = import_statements(book, [second], as_of=DEMO_AS_OF, now=NOW)
        assert made == ([True] if ahead else [])
        # B1 read before; P7 the double of P2, to check
        assert [(f.matched, f.duplicates, f.doubles) for f in result.files] == [(2, 1, 1)]
        rows.append(_p_rows(book))
        # P1 as the book was (by the copy, with it), P8 after P1 here
        assert here == (["K003"] if ahead else ["K003", "K003"])
    assert rows[0] == rows[1]
    assert [r[0] for r in rows[1] if r[3] == "Te controleren"] == ["P7"]
    assert [r[0] for r in rows[1] if r[3] == "Gematcht"] == ["P2", "P1", "P1~2", "P8", "P8~2"]
    _same_parts(demo, other)


@needs_fork
def test_a_customer_the_copy_follows_wrongly_is_worked_out_here(demo, tmp_path, monkeypatch):
    """Issue 17: the copy that matches the lines follows the rows of some customers
    (K003 among them) to work out their splits. A matched line that becomes no row here (P7,
    a double of P2) leaves the copy one row ahead; the split that follows (P8) then gives the
    copy one row where this process makes two, so both count three rows before P9. P9 is still
    worked out here, with what P8 really paid: the rows are those of one core, to the cent."""
    iban = "NL44RABO0123456789"
    # K003 owes € 2.715,74 on 2025-0088 on 13 October: € 50,00 is left
    other, first, second = _two_statements(
        demo,
        tmp_path,
        _paying(2, "2026-10-13", "2665.74", iban, "2025-0088"),
        _paying(7, "2026-10-13", "2665.74", iban, "factuur 2025-0088")  # P2 again: a double
        + _paying(8, "2026-10-14", "1000.00", iban, "2025-0088 en 2026-0057")
        + _paying(9, "2026-10-15", "100000.00", iban, "2026-0057 en 2026-0110"),
    )
    assert payments._ahead_of("K003")
    rows = []
    for ahead, book in ((False, demo), (True, other)):
        monkeypatch.setattr(payments, "MIN_LINES_AHEAD", 10**9)
        import_statements(book, [first], as_of=DEMO_AS_OF, now=NOW)
        monkeypatch.setattr(payments, "MIN_LINES_AHEAD", 0 if ahead else 10**9)
        with monkeypatch.context() as patched:
            made = _ahead(patched)
            import_statements(book, [second], as_of=DEMO_AS_OF, now=NOW)
        assert made == ([True] if ahead else [])
        rows.append(_p_rows(book))
    assert rows[0] == rows[1]
    assert [r[:3] for r in rows[1] if r[0].startswith(("P8", "P9"))] == [
        ("P8", "2025-0088", 50.01),
        ("P8~2", "2026-0057", 949.99),
        ("P9", "2026-0057", 9116.12),
        ("P9~2", "2026-0110", 90883.88),
    ]
    _same_parts(demo, other)


#: The demo's payers with several open invoices: IBAN -> their invoices.
_PAYERS = {
    "NL44RABO0123456789": ("2025-0088", "2026-0057", "2026-0110", "2023-0041"),  # K003
    "BE68539007547034": ("2024-0107", "2026-0035"),  # K012
}


@pytest.fixture(scope="module")
def _demo_updated(_demo_built, tmp_path_factory) -> Path:
    book = Path(shutil.copyfile(_demo_built, tmp_path_factory.mktemp("bijgewerkt") / "d.xlsx"))
    service.update(book, DEMO_AS_OF, now=NOW)
    return book


@needs_fork
@settings(max_examples=10, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(_PAYERS)),
            st.integers(8, 14),  # the day in October: earlier, the same and later days
            st.sampled_from(["0.01", "50.00", "100.00", "600.00", "2714.99", "9000.00"]),
            st.lists(st.integers(0, 3), min_size=1, max_size=3, unique=True),
        ),
        min_size=1,
        max_size=7,
    ),
    st.integers(0, 7),
)
def test_payments_split_by_the_copy_are_split_as_here(
    _demo_updated, tmp_path_factory, entries, double_at
):
    """Issue 17: the copy that matches the lines works out what the book owed for every other
    split; random payments of two customers (several invoices, the same, earlier and later
    days, under- and overpayments, a double of a row of Betalingen somewhere) give the bytes
    of one core."""
    folder = tmp_path_factory.mktemp("splits")
    iban = "NL44RABO0123456789"
    first = folder / "eerste.xml"
    first.write_text(
        STATEMENT.replace(
            "</Stmt>", _paying(2, "2026-10-13", "100.00", iban, "2026-0110") + "</Stmt>"
        )
    )
    made = [_paying(1, "2026-10-12", "9000.00", iban, "facturen 2025-0088 en 2026-0057")]
    for k, (payer, day, amount, which) in enumerate(entries, start=10):
        invoices = _PAYERS[payer]
        numbers = " en ".join(invoices[n % len(invoices)] for n in which)
        made.append(_paying(k, f"2026-10-{day:02d}", amount, payer, f"facturen {numbers}"))
    made.insert(min(double_at, len(made)), _paying(9, "2026-10-13", "100.00", iban, "2026-0110"))
    second = folder / "tweede.xml"
    second.write_text(STATEMENT.replace("</Stmt>", "".join(made) + "</Stmt>"))
    books, kinds = [], []
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(payments, "MATCH_BATCH", 3)
        for ahead in (False, True):
            book = Path(shutil.copyfile(_demo_updated, folder / f"{ahead}.xlsx"))
            patched.setattr(payments, "MIN_LINES_AHEAD", 10**9)
            import_statements(book, [first], as_of=DEMO_AS_OF, now=NOW)
            patched.setattr(payments, "MIN_LINES_AHEAD", 0 if ahead else 10**9)
            with pytest.MonkeyPatch.context() as spied:
                kinds.append(_ahead(spied))
                import_statements(book, [second], as_of=DEMO_AS_OF, now=NOW)
            books.append(book)
    assert kinds == [[], [True]]
    _same_parts(*books)


@needs_fork
def test_when_the_copy_matching_the_lines_dies_the_rest_is_matched_here(
    demo, tmp_path, monkeypatch
):
    """The copy sends one batch of two matches and dies in the second: this process matches
    the lines from the third on itself, with the bank references of the first two taken, and
    writes what one core writes."""
    import os

    service.update(demo, DEMO_AS_OF, now=NOW)
    other = Path(shutil.copyfile(demo, tmp_path / "b.xlsx"))
    iban = "NL44RABO0123456789"
    entries = (
        _paying(1, "2026-10-12", "9000.00", iban, "facturen 2025-0088 en 2026-0057")
        + _paying(2, "2026-10-13", "100.00", iban, "factuur 2026-0110")
        + _paying(1, "2026-10-13", "100.00", iban, "factuur 2026-0110")  # P1 again: P1/2
        + _paying(4, "2026-10-14", "600.00", iban, "2023-0041, 2026-0110")
    )
    statement = tmp_path / "afschrift.xml"
    statement.write_text(STATEMENT.replace("</Stmt>", entries + "</Stmt>"))
    parent = os.getpid()
    real = payments.iter_matches

    def dying(*args):
        for k, m in enumerate(real(*args)):
            if k == 2 and os.getpid() != parent:
                os._exit(3)
            yield m

    monkeypatch.setattr(payments, "iter_matches", dying)
    monkeypatch.setattr(payments, "MATCH_BATCH", 2)
    results, made = [], []
    for ahead, book in ((False, demo), (True, other)):
        monkeypatch.setattr(payments, "MIN_LINES_AHEAD", 0 if ahead else 10**9)
        with monkeypatch.context() as patched:
            made.append(_ahead(patched))
            results.append(import_statements(book, [statement], as_of=DEMO_AS_OF, now=NOW))
    assert made == [[], [False]]  # the copy stopped before it was done
    report = [(f.matched, f.duplicates, f.review) for r in results for f in r.files]
    assert report == [(5, 0, 0), (5, 0, 0)]  # with the statement's own line B1
    _same_parts(demo, other)


@needs_fork
def test_bijwerken_assesses_what_a_dying_copy_took(demo, tmp_path, monkeypatch):
    """Issue 17: the customers are assessed in turns by this process and a copy; the copy dies
    in its second group, after taking it: this process assesses the groups the copy took and
    did not send, and writes what one core writes."""
    other = Path(shutil.copyfile(demo, tmp_path / "b.xlsx"))
    parent, real, calls = os.getpid(), shards._refreshed, []

    def dying(*args, **kwargs):
        if os.getpid() != parent:
            calls.append(1)
            if len(calls) == 2:
                os._exit(3)
        return real(*args, **kwargs)

    monkeypatch.setattr(shards, "TURNS", 6)
    one = _run(monkeypatch, False, lambda: service.update(demo, DEMO_AS_OF, now=NOW))
    monkeypatch.setattr(shards, "TURNS", 6)
    monkeypatch.setattr(shards, "_refreshed", dying)
    two = _run(monkeypatch, True, lambda: service.update(other, DEMO_AS_OF, now=NOW))
    assert one.cells_changed == two.cells_changed > 0
    assert one.overview == two.overview
    _same_parts(demo, other)


@needs_fork
def test_turns_are_taken_once_each_by_two_processes():
    turns = aside.Turns(200)
    with aside.Aside(lambda: list(iter(turns.take, None))) as copy:
        here = list(iter(turns.take, None))
        turns.close()
        there = copy.result()
    assert sorted(here + there) == list(range(200))
    assert here == sorted(here) and there == sorted(there)
    assert turns.take() is None


def test_turns_without_a_copy():
    turns = aside.Turns(3)
    assert [turns.take(), turns.take(), turns.take(), turns.take()] == [0, 1, 2, None]
    assert aside.Turns(0).take() is None
    with pytest.raises(ValueError):
        aside.Turns(256)


def test_the_groups_cover_every_customer_once_in_order(updated):
    """The groups of :func:`shards.refresh`: consecutive customers, each in one group, with
    all their rows, and every Facturen row in one group."""
    loaded, _ = updated
    d = loaded.data
    groups = shards._Groups(d)
    members = [n for m in groups.members for n in m]
    assert members == sorted({i.debtor for i in d.invoices})
    books = [(groups.book(k), groups.rows(k)) for k in range(len(groups.members))]
    for name in ("invoices", "payments", "actions", "plans"):
        got = sorted((id(x) for sub, _ in books for x in getattr(sub, name)))
        want = [x for x in getattr(d, name) if x.debtor in set(members)]
        assert got == sorted(id(x) for x in want)
    rows = [r for _, part in books for r in part.items()]
    assert sorted(rows) == sorted(d.invoice_rows.items())


@settings(max_examples=25, deadline=None)
@given(
    cuts=st.lists(st.integers(0, 100), max_size=6),
    credited=st.lists(st.integers(0, 100), max_size=4),
)
def test_the_overview_of_many_parts_is_that_of_the_whole(updated, cuts, credited):
    loaded, whole = updated
    whole = _credited(whole, credited)
    numbers = sorted(whole.claims)
    at = sorted({0, len(numbers), *(c * len(numbers) // 100 for c in cuts)})
    parts = [
        overview(
            Assessment(
                as_of=whole.as_of,
                claims={n: whole.claims[n] for n in numbers[a:b]},
                stages={n: whole.stages[n] for n in numbers[a:b]},
                creditor=whole.creditor,
            ),
            (),
        )
        for a, b in itertools.pairwise(at)
        if b > a
    ]
    merged = merge_overviews(parts, loaded.data.invoices)
    assert merged == overview(whole, loaded.data.invoices)
    assert "K010" in {debtor.number for debtor, _ in merged.credits}


@needs_fork
def test_parts_arrive_while_this_process_works_and_the_rest_at_the_end():
    sent = aside.Parts()
    big = "x" * 300_000  # larger than a pipe holds without the bigger buffer

    def work():
        for k in range(5):
            sent.send((k, big if k == 2 else k))
        return "klaar"

    with aside.Aside(work) as copy:
        sent.opened()
        got = []
        while len(got) < 5:
            got += sent.ready()
        got += sent.rest()
        assert copy.result() == "klaar"
    assert [k for k, _ in got] == [0, 1, 2, 3, 4] and got[2][1] == big


@needs_fork
def test_a_part_cut_off_by_a_dying_copy_is_not_taken():
    sent = aside.Parts()

    def work():
        sent.send("heel")
        data = b"\xff" * 1000
        os.write(sent._write, aside._SIZE.pack(5000) + data)  # the copy dies halfway
        os._exit(3)

    with aside.Aside(work, fallback=lambda: "hier") as copy:
        sent.opened()
        got = sent.rest()
        assert copy.result() == "hier"
    assert got == ["heel"]


@needs_fork
def test_a_copy_whose_parent_stopped_reading_ends_instead_of_waiting():
    """A copy that sends to a process that is gone (killed) gets an error and ends, instead of
    waiting for ever on a full pipe whose reading end it held itself."""
    sent = aside.Parts()
    go_read, go_write = os.pipe()

    def work():
        os.close(go_write)
        os.read(go_read, 1)  # until this process has let go of its reading end
        os.set_blocking(sent._write, False)  # a full pipe raises rather than waits
        try:
            for _ in range(100):
                sent.send(b"x" * 100_000)  # 10 MB: more than any pipe holds
        except OSError as exc:
            return type(exc).__name__
        return "alles verstuurd"

    with aside.Aside(work) as copy:
        sent.opened()
        sent.close()  # this process reads no more, as when it was killed
        os.close(go_read)
        os.close(go_write)  # the copy goes on
        assert copy.result() == "BrokenPipeError"


def test_parts_without_a_copy():
    sent = aside.Parts()
    sent.send(1)
    sent.send({"a": 2})
    sent.opened()
    assert sent.ready() == [1, {"a": 2}]
    assert sent.rest() == [] and sent.ready() == []


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=())))  # surrogates too
@example("K\ud800")
def test_the_copy_can_take_any_customer_number(number):
    """Issue 17: which customers the copy works out (`_ahead_of`) is decided for any text, a
    lone surrogate too (an Excel escape such as _xD800_ reads as one), the same every time."""
    assert payments._ahead_of(number) is payments._ahead_of(number)
