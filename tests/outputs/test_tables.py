"""write_table: each text stays in its own cell."""

from __future__ import annotations

import openpyxl

from debiteuren.outputs.tables import Col, write_table

COLUMNS = (Col("Klant", "text", 10), Col("Land", "text", 6))


def test_a_large_table_wraps_only_a_text_with_a_line_break():
    """The export (``wrap=False``, a row per invoice) leaves a long text to its filled
    neighbour, as before; a name with a line break ran over the header above it there too."""
    ws = openpyxl.Workbook().active
    rows = [["Bouwbedrijf Van Dam B.V.", "NL"], ["Familie Bakker\nK999", "NL"]]
    write_table(ws, COLUMNS, rows, wrap=False)
    assert not ws["A2"].alignment.wrap_text and ws.row_dimensions[2].height is None
    assert ws["A3"].alignment.wrap_text and ws["B3"].alignment.vertical == "top"
    assert ws.row_dimensions[3].height == 45  # "Familie Bakker" takes two lines of 10


def test_a_money_column_is_wide_enough_for_its_largest_amount_and_total():
    """The export's money columns were 13 wide whatever they held: the accountant opening
    debiteuren-2026-10-15.xlsx of the demo in LibreOffice saw '###' for the totals € 91.397,50,
    € 84.378,71, € 11.992,08 and € 96.648,95 (bold, 11 characters); a total of a million
    or more does not fit in Excel either. Now a money column is as wide as its widest amount
    needs (3 more than its characters, as LibreOffice shows them); a narrower one keeps its
    declared width."""
    from decimal import Decimal

    ws = openpyxl.Workbook().active
    columns = (Col("Klant", "text", 10), Col("Hoofdsom", "money", 13), Col("Rente", "money", 13))
    rows = [["Jansen", Decimal("84378.71"), Decimal("12.50")], ["Bakker", Decimal("-5.00"), None]]
    write_table(ws, columns, rows, totals={1: Decimal("1234567.89"), 2: Decimal("12.50")})
    assert ws.column_dimensions["B"].width == len("€ 1.234.567,89") + 3
    assert ws.column_dimensions["C"].width == 13
    narrow = openpyxl.Workbook().active
    write_table(narrow, columns, [["Jansen", Decimal("-96648.95"), Decimal("0")]])
    assert narrow.column_dimensions["B"].width == len("€ -96.648,95") + 3
