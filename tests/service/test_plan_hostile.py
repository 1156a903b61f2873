"""``regeling`` with what a plan must not cover, and amounts that do not divide (review of
session 27)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import openpyxl
import pytest

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.errors import DebiteurenError
from debiteuren.service.handover import handover
from debiteuren.service.payments import payment_plan
from debiteuren.workbook.read import open_book
from debiteuren.workbook.write import append_table_rows

NOW = datetime(2026, 10, 15, 17, 0)
FIRST = date(2026, 11, 1)


def _plan_rows(path, customer: str) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["Regelingen"]
    return [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == customer]


def test_a_plan_leaves_out_what_was_handed_over_or_is_disputed(demo):
    """K012 handed over three invoices to an agency; a plan made afterwards split all four
    (€ 27.856,53) and its confirmation letter asked the customer to pay the user what the
    agency claims. A disputed invoice went in too: a plan confirmed by letter reads as the
    customer's acknowledgement of it. Now the plan covers only the rest, and says why."""
    service.update(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 0))
    book = openpyxl.load_workbook(demo)
    ws = book["Facturen"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[head.index("Factuurnr")].value == "2026-0073":  # K001's
            row[head.index("Betwist")].value = "Ja"
    book.save(demo)
    handover(demo, DEMO_AS_OF, customer="K012", to="NOORDERLICHT", now=NOW, force=True)
    result = payment_plan(
        demo, customer="K012", instalments=3, first=FIRST, as_of=DEMO_AS_OF, now=NOW
    )
    assert result.total == D("2420.00")  # 2026-0125 only, not yet due
    assert [a for _, _, a in result.instalments] == [D("806.67"), D("806.67"), D("806.66")]
    assert [r[3] for r in _plan_rows(demo, "K012")] == [806.67, 806.67, 806.66]
    assert (
        "factuur 2024-0107 zit niet in de regeling: ze is uit handen (overgedragen aan een "
        "incassobureau of deurwaarder)"
    ) in result.warnings
    acties = list(openpyxl.load_workbook(demo)["Acties"].iter_rows(values_only=True))
    plan_row = dict(zip(acties[0], acties[-1], strict=False))
    assert (plan_row["Actie"], plan_row["Facturen"]) == ("regeling", "2026-0125")
    assert D(str(plan_row["Gevorderd bedrag"])) == D("2420.00")

    disputed = payment_plan(
        demo, customer="K001", instalments=7, first=FIRST, as_of=DEMO_AS_OF, now=NOW
    )
    assert disputed.total == D("554.64") + D("890.38")  # 2026-0011 and 2026-0107
    assert sum(a for _, _, a in disputed.instalments) == disputed.total
    assert (
        "factuur 2026-0073 zit niet in de regeling: ze is betwist (kolom Betwist op Facturen)"
    ) in disputed.warnings


def test_a_customer_with_only_handed_over_invoices_gets_no_plan(demo):
    service.update(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 0))
    handover(demo, DEMO_AS_OF, customer="K001", to="NOORDERLICHT", now=NOW, force=True)
    before = demo.read_bytes()
    with pytest.raises(DebiteurenError, match="niets openstaan dat in een betalingsregeling kan"):
        payment_plan(demo, customer="K001", instalments=3, first=FIRST, as_of=DEMO_AS_OF, now=NOW)
    assert demo.read_bytes() == before


def test_more_instalments_than_cents_is_refused_before_anything_is_written(demo):
    """€ 0,50 in 60 instalments wrote ten instalments of € 0,00 to Regelingen, which the
    workbook refuses ('Het bedrag € 0,00 van een termijn moet groter dan nul zijn'): every
    later command stopped until the rows were mended by hand."""
    service.update(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 0))
    book = openpyxl.load_workbook(demo)
    ws = book["Facturen"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[head.index("Klantnr")].value == "K012":
            row[head.index("Betwist")].value = "Ja"
    book.save(demo)
    book = open_book(demo)
    append_table_rows(
        book,
        "Facturen",
        [
            {
                "number": "2026-0500",
                "debtor": "K012",
                "invoice_date": date(2026, 10, 1),
                "due_date": date(2026, 11, 30),
                "amount": D("0.50"),
            }
        ],
    )
    book.save(demo)
    service.update(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 30))
    before = demo.read_bytes()
    with pytest.raises(DebiteurenError, match=r"€ 0,50 is te weinig voor 60 termijnen"):
        payment_plan(demo, customer="K012", instalments=60, first=FIRST, as_of=DEMO_AS_OF, now=NOW)
    assert demo.read_bytes() == before
    result = payment_plan(
        demo, customer="K012", instalments=50, first=FIRST, as_of=DEMO_AS_OF, now=NOW
    )
    assert {a for _, _, a in result.instalments} == {D("0.01")}
    service.update(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 18, 0))  # the book still reads


def test_a_first_instalment_years_away_is_refused_as_a_typo(demo):
    # 2062 typed for 2026: the plan paused the customer's ladder until 2062, and with 60
    # instalments from 2199 the last fell in 2204, a year the workbook refuses elsewhere
    before = demo.read_bytes()
    with pytest.raises(DebiteurenError) as refused:
        payment_plan(
            demo, customer="K012", instalments=3, first=date(2062, 11, 1), as_of=DEMO_AS_OF, now=NOW
        )
    assert str(refused.value) == (
        "De eerste termijn (01-11-2062) ligt meer dan een jaar na de peildatum (15-10-2026); "
        "controleer het jaar. Er is niets gewijzigd."
    )
    assert demo.read_bytes() == before
    # a year ahead, to the day, is a plan
    result = payment_plan(
        demo, customer="K012", instalments=2, first=date(2027, 10, 15), as_of=DEMO_AS_OF, now=NOW
    )
    assert [row[2] for row in _plan_rows(demo, "K012")][:1] == [datetime(2027, 10, 15)]
    assert result is not None
