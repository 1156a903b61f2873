"""The hand-over dossier as the agency or bailiff receives it: figures that add up and agree
with the workbook, and only the files the workbook's own folders hold (review of session 27)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
from docx import Document

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service.handover import handover

NOW = datetime(2026, 10, 15, 17, 0)


def _money(value: object) -> D:
    return D(str(value)).quantize(D("0.01"))


def _sheet(path: Path, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path, data_only=True)[sheet].iter_rows(values_only=True))


def _summary(spec: Path) -> dict[str, dict[str, object]]:
    rows = _sheet(spec, "Samenvatting")
    start = next(i for i, r in enumerate(rows) if r[0] == "Factuurnr")
    return {r[0]: dict(zip(rows[start], r, strict=False)) for r in rows[start + 1 :] if r[0]}


def test_capitalised_interest_is_open_interest_and_every_row_adds_up(demo):
    """K003's oldest invoices are over a year late: NL interest was added to the base on each
    anniversary. The specification's 'Open rente' left that interest out (2023-0041:
    € 1.323,83 where Facturen says Rente € 8.381,12), so Open hoofdsom + Open rente + Open
    kosten fell € 7.057,29 short of the row's own Totaal; the Word specification too."""
    service.update(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 0))
    facturen = _sheet(demo, "Facturen")
    book = {r[0]: dict(zip(facturen[0], r, strict=False)) for r in facturen[1:] if r[0]}
    result = handover(demo, DEMO_AS_OF, customer="K003", to="NOORDERLICHT", now=NOW, force=True)
    rows = _summary(result.folder / "specificatie.xlsx")
    assert set(rows) == {"2023-0041", "2025-0088", "2026-0057", "2026-0110", "Totaal"}
    assert _money(rows["2023-0041"]["Open rente"]) == D("8381.12")
    for number, row in rows.items():
        parts = _money(row["Open hoofdsom"]) + _money(row["Open rente"])
        assert parts + _money(row["Open kosten"]) == _money(row["Totaal"]), number
        if number != "Totaal":  # the workbook's own columns, to the cent
            assert _money(row["Open rente"]) == _money(book[number]["Rente"]), number
            assert _money(row["Totaal"]) == _money(book[number]["Totaal"]), number
    assert _money(rows["Totaal"]["Totaal"]) == result.amount == D("45758.43")
    text = "\n".join(p.text for p in Document(result.folder / "specificatie.docx").paragraphs)
    assert (
        "Totaal factuur 2023-0041: € 26.871,12 (open hoofdsom € 18.450,00, rente € 8.381,12, "
        "kosten € 40,00)."
    ) in text
