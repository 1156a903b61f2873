"""bijwerken without a full openpyxl load: the no-op check, the package patch and its fallback."""

from __future__ import annotations

import hashlib
import importlib
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.workbook import read, xlsx_patch

source_mod = importlib.import_module("debiteuren.workbook.source")

NOW = datetime(2026, 11, 27, 10, 0)
LATER = date(2026, 10, 20)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo(tmp_path) -> Path:
    return service.demo_workbook(tmp_path / "demo.xlsx")


def sheet_values(path: Path, title: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path, data_only=True)[title].iter_rows(values_only=True))


def no_openpyxl_load(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was loaded with openpyxl")

    monkeypatch.setattr(read, "open_book", refuse)


def force_fallback(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise xlsx_patch.UnexpectedStructure("forced by the test")

    monkeypatch.setattr(xlsx_patch.Patch, "__init__", refuse)


def test_a_no_op_run_neither_loads_nor_patches(demo, monkeypatch):
    service.update(demo, DEMO_AS_OF, now=NOW)
    before = sha(demo)
    no_openpyxl_load(monkeypatch)
    monkeypatch.setattr(xlsx_patch, "Patch", None)  # any use would fail
    result = service.update(demo, DEMO_AS_OF, now=NOW)
    assert not result.saved and result.cells_changed == 0 and result.backup is None
    assert sha(demo) == before


def test_patch_and_openpyxl_write_the_same_values(demo, tmp_path, monkeypatch):
    other = tmp_path / "fallback" / "demo.xlsx"
    other.parent.mkdir()
    shutil.copy(demo, other)
    results = []
    with monkeypatch.context() as m:
        no_openpyxl_load(m)
        results.append(service.update(demo, DEMO_AS_OF, now=NOW))
        results.append(service.update(demo, LATER, now=NOW))
    with monkeypatch.context() as m:
        force_fallback(m)
        results.append(service.update(other, DEMO_AS_OF, now=NOW))
        results.append(service.update(other, LATER, now=NOW))
    patched, fallback = results[:2], results[2:]
    assert [r.cells_changed for r in patched] == [r.cells_changed for r in fallback]
    assert all(r.saved for r in results) and patched[1].cells_changed > 0
    for title in ("Facturen", "Overzicht", "Klanten", "Betalingen", "Acties"):
        assert sheet_values(demo, title) == sheet_values(other, title), title
    # and both are a no-op the next time
    assert not service.update(demo, LATER, now=NOW).saved
    assert not service.update(other, LATER, now=NOW).saved


def test_what_openpyxl_would_drop_survives(demo):
    wb = openpyxl.load_workbook(demo)
    own = wb.create_sheet("Grafiek")
    own.append(["a", 1])
    own.append(["b", 2])
    chart = BarChart()
    chart.add_data(Reference(own, min_col=2, min_row=1, max_row=2))
    own.add_chart(chart, "D2")
    wb.save(demo)
    with zipfile.ZipFile(demo) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    user_chart = next(n for n in parts if n.startswith("xl/charts/") and b"'Grafiek'" in parts[n])
    result = service.update(demo, DEMO_AS_OF, now=NOW)
    assert result.saved
    with zipfile.ZipFile(demo) as z:
        after = {n: z.read(n) for n in z.namelist()}
    assert after[user_chart] == parts[user_chart], "a chart openpyxl cannot read is kept"
    assert len([n for n in after if n.startswith("xl/charts/")]) == 2
    assert openpyxl.load_workbook(demo)["Overzicht"]._charts


def test_styles_do_not_grow_from_day_to_day(demo):
    service.update(demo, DEMO_AS_OF, now=NOW)
    with zipfile.ZipFile(demo) as z:
        first = z.read("xl/styles.xml")
    service.update(demo, LATER, now=NOW)
    service.update(demo, date(2026, 10, 21), now=NOW)
    with zipfile.ZipFile(demo) as z:
        assert z.read("xl/styles.xml") == first


def test_a_missing_overzicht_falls_back_to_openpyxl(demo):
    wb = openpyxl.load_workbook(demo)
    del wb["Overzicht"]
    wb.save(demo)
    result = service.update(demo, DEMO_AS_OF, now=NOW)
    assert result.saved and result.cells_changed > 0
    assert sheet_values(demo, "Overzicht")[0][0] == "Overzicht debiteuren"
    assert not service.update(demo, DEMO_AS_OF, now=NOW).saved


def test_new_cells_get_a_money_and_date_format(demo):
    """A row appended without computed cells gets them, formatted, and is a no-op next time."""
    service.update(demo, DEMO_AS_OF, now=NOW)
    wb = openpyxl.load_workbook(demo)
    ws = wb["Facturen"]
    head = [c.value for c in ws[1]]
    last = ws.max_row
    for name in ("Betaald", "Totaal", "Per", "Fase"):
        ws.cell(row=last, column=head.index(name) + 1).value = None
        ws.cell(row=last, column=head.index(name) + 1).style = "Normal"
    wb.save(demo)
    assert service.update(demo, DEMO_AS_OF, now=NOW).cells_changed >= 3
    ws = openpyxl.load_workbook(demo)["Facturen"]
    assert ws.cell(row=last, column=head.index("Totaal") + 1).number_format != "General"
    per = ws.cell(row=last, column=head.index("Per") + 1)
    if per.value is not None:
        assert per.is_date
    assert not service.update(demo, DEMO_AS_OF, now=NOW).saved


def test_bad_input_reads_only(demo, monkeypatch):
    wb = openpyxl.load_workbook(demo)
    ws = wb["Facturen"]
    head = [c.value for c in ws[1]]
    ws.cell(row=3, column=head.index("Vervaldatum") + 1, value="morgen")
    wb.save(demo)
    before = sha(demo)
    no_openpyxl_load(monkeypatch)
    with pytest.raises(service.ValidationFailed):
        service.update(demo, DEMO_AS_OF, now=NOW)
    assert sha(demo) == before
    assert not (demo.parent / "reservekopieen").exists()


def test_the_fallback_is_used_for_an_unexpected_package(demo, monkeypatch):
    calls = []
    real = source_mod._with_openpyxl

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(source_mod, "_with_openpyxl", spy)
    force_fallback(monkeypatch)
    assert service.update(demo, DEMO_AS_OF, now=NOW).saved
    assert calls == [1]
