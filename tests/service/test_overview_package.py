"""The Overzicht written as text (issue 17): the same bytes as openpyxl's own writer."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debiteuren.core.book import overview
from debiteuren.core.review import PaymentToReview
from debiteuren.service.pipeline import assess, read_book
from debiteuren.untrusted import xml_safe
from debiteuren.workbook import write, xlsx_patch

SHEET = "xl/worksheets/sheet1.xml"


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_overzicht_as_text_is_what_openpyxl_writes(demo):
    as_of = date(2026, 11, 27)
    loaded = read_book(demo, as_of, for_writing=False)
    ov = overview(assess(loaded, as_of), loaded.data.invoices)
    # texts that openpyxl escapes, keeps as text or marks with xml:space, on merged rows; the
    # customers with credit above the table per customer, more than the list shows
    debtor = ov.debtors[0].debtor
    names = ("=SOM(A1)", "a < b & c", " x ", "Ça va")
    credits = tuple(
        (dataclasses.replace(debtor, number=f"K{k:03d}", name=names[k % 4]), D(k) + D("0.35"))
        for k in range(write.OVERVIEW_LIST_CAP + 2)
    )
    ov = dataclasses.replace(
        ov,
        rate_warnings=(" spatie vooraf", "=SOM(A1:A2)", "a < b & c > d", "één\r\ntwee"),
        credits=credits,
    )
    review = [
        PaymentToReview(row=7, on=date(2026, 11, 2), amount=D("-12.50"), text="=1+1"),
        PaymentToReview(row=8, on=None, amount=None, text="USD 120,00 ✓", payer_name=" X "),
    ]
    book = write.overview_book(ov, date(2026, 11, 20), review)
    buffer = io.BytesIO()
    book.save(buffer)
    expected = parts(buffer.getvalue())

    package, xml = write.overview_package(ov, date(2026, 11, 20), review)

    assert xml == expected[SHEET]
    made = parts(package)
    assert set(made) == set(expected)
    for name in set(expected) - {SHEET, "docProps/core.xml"}:  # core.xml: the time it was made
        assert made[name] == expected[name], name
    assert b"<c " not in made[SHEET]  # the package's own copy has no cells


def test_a_cell_it_does_not_write_leaves_the_overzicht_to_openpyxl(demo, monkeypatch):
    as_of = date(2026, 11, 27)
    loaded = read_book(demo, as_of, for_writing=False)
    ov = overview(assess(loaded, as_of), loaded.data.invoices)
    buffer = io.BytesIO()
    write.overview_book(ov).save(buffer)

    def not_plain(*args):
        raise write._NotPlain("A1")

    monkeypatch.setattr(write, "_rows_xml", not_plain)
    package, xml = write.overview_package(ov)
    assert xml == parts(buffer.getvalue())[SHEET] == parts(package)[SHEET]


_OVERVIEWS: dict[str, object] = {}

TEXT = st.text(
    alphabet=st.sampled_from([*"ab =+-@#/&<>é€\t\r\n '\"", "\x01", "\x0b", "\U0001f600", "\ufffe"]),
    max_size=10,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(
        st.one_of(TEXT, st.sampled_from(["=SOM(A1)", "#N/A", "+31", " x "])), min_size=1
    ),
    amounts=st.lists(
        st.one_of(
            st.decimals(allow_nan=False, allow_infinity=False, places=2),
            st.sampled_from([D("1E+30"), D("-0.00"), D("123456789012345678.99")]),
        ),
        min_size=1,
    ),
    days=st.lists(st.one_of(st.none(), st.integers(-(10**12), 10**12)), min_size=1),
    odd=st.sampled_from([None, 1.5, date(2026, 1, 2), True]),
)
def test_the_table_per_customer_as_text_is_what_its_cells_give(
    demo, monkeypatch, names, amounts, days, odd
):
    """Issue 17: the rows per customer, kept without openpyxl's cells (``_PlainRows``), are
    written as their cells are: texts made safe, cut and marked as a text, huge and negative
    amounts, empty cells; a row with another kind of value is put as cells."""
    if "ov" not in _OVERVIEWS:
        as_of = date(2026, 11, 27)
        loaded = read_book(demo, as_of, for_writing=False)
        _OVERVIEWS["ov"] = overview(assess(loaded, as_of), loaded.data.invoices)
    ov = _OVERVIEWS["ov"]
    debtors = []
    for i, d in enumerate(ov.debtors):  # type: ignore[attr-defined]
        debtor = dataclasses.replace(
            d.debtor, name=names[i % len(names)], number=names[(i + 1) % len(names)] or "K1"
        )
        debtors.append(
            dataclasses.replace(
                d,
                debtor=debtor,
                outstanding=amounts[i % len(amounts)],
                interest_open=amounts[(i + 1) % len(amounts)],
                oldest_days=days[i % len(days)],
                stage=names[(i + 2) % len(names)],
            )
        )
    if odd is not None:
        debtors[-1] = dataclasses.replace(debtors[-1], oldest_days=odd)
    # customers with credit: rows above the table per customer, written as cells
    credits = tuple((d.debtor, amounts[i % len(amounts)]) for i, d in enumerate(debtors[::3]))
    ov = dataclasses.replace(ov, debtors=tuple(debtors), credits=credits)
    package, xml = write.overview_package(ov)
    with monkeypatch.context() as m:  # every row as cells
        m.setattr(write._PlainRows, "put", lambda self, ws, row, cells: False)
        cells_package, cells_xml = write.overview_package(ov)
    assert xml == cells_xml
    made, expected = parts(package), parts(cells_package)
    for name in set(expected) - {"docProps/core.xml"}:  # core.xml: the time it was made
        assert made[name] == expected[name], name
    # the style numbers marked: mapped into another package as when its tags are read
    marked = write.overview_package(ov, mark=xlsx_patch.STYLE_MARK)[1]
    assert marked.replace(b"\x00", b"") == xml
    asked: tuple[list[int], list[int]] = ([], [])
    fast = xlsx_patch._restyle(marked.decode(), lambda n: asked[0].append(n) or n * 3 + 2)
    by_tag = xlsx_patch._restyle_by_tag(xml.decode(), lambda n: asked[1].append(n) or n * 3 + 2)
    assert fast == by_tag
    assert list(dict.fromkeys(asked[0])) == list(dict.fromkeys(asked[1]))
    if all(xml_safe(n) for n in names) and None not in days:  # no empty cell: see _rows_xml
        buffer = io.BytesIO()  # and as openpyxl's own writer writes them
        write.overview_book(ov).save(buffer)
        assert xml == parts(buffer.getvalue())[SHEET]
