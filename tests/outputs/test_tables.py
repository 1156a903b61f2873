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
