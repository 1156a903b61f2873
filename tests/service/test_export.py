"""export: the accountant's files reconcile with the engine to the cent, and are safe to open."""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren import service
from debiteuren.cli import main
from debiteuren.core.book import AGING_BUCKETS, assess_book, overview
from debiteuren.core.ladder import Stage
from debiteuren.core.rates import builtin
from debiteuren.demo import DEMO_AS_OF
from debiteuren.errors import ValidationFailed
from debiteuren.letters import render
from debiteuren.service.export import (
    SHEET_AGING,
    SHEET_BE,
    SHEET_HANDED_OVER,
    SHEET_ITEMS,
    SHEET_NOTES,
    SHEET_VAT_NL,
    csv_text,
    export,
)
from debiteuren.workbook.files import BACKUP_DIR
from debiteuren.workbook.read import read_workbook
from debiteuren.workbook.template import template_path
from debiteuren.workbook.write import append_table_rows, set_settings

CENT = D("0.01")
MONEY = (
    "Hoofdsom",
    "Betaald",
    "Open hoofdsom",
    "Rente berekend",
    "Rente ontvangen",
    "Kosten berekend",
    "Kosten ontvangen",
    "Totaal open",
)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def money(value: object) -> D:
    return D(str(value)).quantize(CENT)


@pytest.fixture
def no_pdf(monkeypatch):
    """Skip LibreOffice (slow) where the PDF is not what is tested."""
    monkeypatch.setattr(render, "convert_to_pdf", lambda docx, outdir, **kw: None)


@pytest.fixture
def demo(tmp_path) -> Path:
    return service.demo_workbook(tmp_path / "demo.xlsx")


def table(ws, first_header: str = "Klantnr") -> tuple[list[str], list[dict], dict | None]:
    """Return (headers, data rows, totals row) of the first table on a sheet."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(k for k, r in enumerate(rows) if r[0] == first_header)
    head = [h for h in rows[start] if h is not None]
    data, totals = [], None
    for r in rows[start + 1 :]:
        if r[0] is None or all(v is None for v in r[1 : len(head)]):
            break  # the end, or the "Geen ..." line of an empty table
        record = dict(zip(head, r, strict=False))
        if r[0] == "Totaal":
            totals = record
            break
        data.append(record)
    return head, data, totals


def engine(path: Path, per: date):
    loaded = service.load(path, per, for_writing=False)
    return loaded.data, service.assess(loaded, per)


def test_open_items_match_the_engine_to_the_cent(demo, tmp_path, no_pdf):
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path / "uit")
    data, assessment = engine(demo, DEMO_AS_OF)
    wb = openpyxl.load_workbook(result.workbook)
    assert wb.sheetnames == [
        SHEET_ITEMS,
        SHEET_AGING,
        SHEET_HANDED_OVER,
        SHEET_VAT_NL,
        SHEET_BE,
        SHEET_NOTES,
        "Ongekoppelde ontvangsten",
    ]
    head, rows, totals = table(wb[SHEET_ITEMS])
    assert head == [
        "Klantnr",
        "Klant",
        "Land",
        "Soort",
        "Factuurnr",
        "Omschrijving",
        "Factuurdatum",
        "Vervaldatum",
        "Dagen te laat",
        "Ouderdom",
        *MONEY[:7],
        "Totaal open",
        "Fase",
        "Uit handen",
    ]
    by_number = {r["Factuurnr"]: r for r in rows}
    checked = 0
    for number, claim in assessment.claims.items():
        for c in claim.invoices:
            st = c.statement
            if st.outstanding <= 0:
                assert c.invoice.number not in by_number
                continue
            row = by_number[c.invoice.number]
            capitalised = sum((k.amount for k in st.capitalisations), D(0))
            assert row["Klantnr"] == number
            assert row["Klant"] == claim.debtor.name
            assert row["Land"] == str(claim.debtor.country)
            assert row["Factuurdatum"].date() == c.invoice.invoice_date
            assert row["Vervaldatum"].date() == c.invoice.due_date
            assert row["Dagen te laat"] == c.days_late
            assert (
                row["Ouderdom"]
                == AGING_BUCKETS[
                    next(
                        k
                        for k, (_, lo, hi) in enumerate(AGING_BUCKETS)
                        if (DEMO_AS_OF - c.invoice.due_date).days >= lo
                        and (hi is None or (DEMO_AS_OF - c.invoice.due_date).days <= hi)
                    )
                ][0]
            )
            assert money(row["Hoofdsom"]) == c.invoice.amount
            assert money(row["Betaald"]) == st.paid
            assert money(row["Open hoofdsom"]) == st.principal_open
            assert money(row["Rente berekend"]) == st.interest
            assert money(row["Rente ontvangen"]) == st.paid_interest + capitalised - (
                st.capitalised_open
            )
            assert money(row["Kosten berekend"]) == st.costs
            assert money(row["Kosten ontvangen"]) == st.paid_costs
            assert money(row["Totaal open"]) == st.outstanding
            assert row["Fase"] == assessment.stages[number][c.invoice.number].stage.value
            # the two identities stated in the Toelichting
            assert money(row["Totaal open"]) == (
                money(row["Open hoofdsom"])
                + money(row["Rente berekend"])
                - money(row["Rente ontvangen"])
                + money(row["Kosten berekend"])
                - money(row["Kosten ontvangen"])
            )
            assert money(row["Hoofdsom"]) - money(row["Open hoofdsom"]) == (
                money(row["Betaald"])
                - money(row["Rente ontvangen"])
                - money(row["Kosten ontvangen"])
            )
            checked += 1
    assert checked == len(rows) == result.summary.count > 30
    # the open total is the sum of the rows, equals the totals row and the Overzicht
    ov = overview(assessment, data.invoices)
    assert (
        sum(money(r["Totaal open"]) for r in rows)
        == money(totals["Totaal open"])
        == (result.summary.outstanding)
        == ov.outstanding
    )
    for header in MONEY:
        assert sum(money(r[header]) for r in rows) == money(totals[header]), header
    assert (
        result.summary.interest_open + result.summary.costs_open + (result.summary.principal_open)
        == result.summary.outstanding
    )


def test_capitalised_interest_is_shown_as_interest(demo, tmp_path, no_pdf):
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path)
    old = next(i for i in result.items if i.invoice.number == "2023-0041")
    assert old.principal_open == D("18450.00")  # the invoice amount, untouched
    assert old.interest_open > 0 and old.outstanding == old.principal_open + old.extras_open
    _, assessment = engine(demo, DEMO_AS_OF)
    st = assessment.claims["K003"].claim_for("2023-0041").statement
    assert st.capitalisations, "the demo's 2023 invoice has capitalised interest"
    assert old.interest_open == st.interest_open + st.capitalised_open


def test_aging_sheet_reconciles(demo, tmp_path, no_pdf):
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path)
    ws = openpyxl.load_workbook(result.workbook)[SHEET_AGING]
    _, rows, totals = table(ws, "Periode na vervaldatum")
    assert [r["Periode na vervaldatum"] for r in rows] == [b[0] for b in AGING_BUCKETS]
    items = result.items
    for k, row in enumerate(rows):
        mine = [i for i in items if i.bucket == k]
        assert row["Aantal facturen"] == len(mine)
        assert money(row["Open hoofdsom"]) == sum((i.principal_open for i in mine), D(0))
        assert money(row["Totaal open"]) == sum((i.outstanding for i in mine), D(0))
    assert totals["Aantal facturen"] == len(items)
    assert money(totals["Totaal open"]) == result.summary.outstanding
    _, per_debtor, per_totals = table(ws, "Klantnr")
    assert sum(money(r["Totaal open"]) for r in per_debtor) == result.summary.outstanding
    assert money(per_totals["Open hoofdsom"]) == result.summary.principal_open
    for row in per_debtor:
        assert sum(money(row[b[0]]) for b in AGING_BUCKETS) == money(row["Open hoofdsom"])


def test_vat_refund_nl_one_year_after_due_date(demo, tmp_path, no_pdf):
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path)
    ws = openpyxl.load_workbook(result.workbook)[SHEET_VAT_NL]
    texts = " ".join(str(r[0]) for r in ws.iter_rows(values_only=True) if r[0])
    assert "CONTROLEER PER FACTUUR het werkelijke btw-tarief" in texts
    assert "open hoofdsom × 21/(100+21)" in texts
    _, rows, totals = table(ws)
    expected = [
        i
        for i in result.items
        if i.debtor.country == "NL"
        and i.vat_refund_from is not None
        and i.vat_refund_from <= DEMO_AS_OF
        and i.principal_open > 0
    ]
    assert (
        [r["Factuurnr"] for r in rows]
        == [i.invoice.number for i in expected]
        == ["2023-0041", "2025-0088"]
    )
    for row, item in zip(rows, expected, strict=True):
        assert row["Teruggaaf mogelijk vanaf"].date() == date(
            item.invoice.due_date.year + 1, item.invoice.due_date.month, item.invoice.due_date.day
        )
        assert row["Btw-tarief (aanname)"] == 0.21
        assert money(row["Btw in open deel"]) == (item.principal_open * 21 / 121).quantize(CENT)
    assert money(rows[0]["Btw in open deel"]) == D("3202.07")
    assert money(totals["Btw in open deel"]) == result.summary.vat_total == D("3644.94")
    # a later invoice of the same customer is not yet a year past due
    assert all(r["Factuurnr"] != "2026-0057" for r in rows)


def test_vat_rate_is_a_parameter(demo, tmp_path, no_pdf):
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path, vat_rate=D(9))
    ws = openpyxl.load_workbook(result.workbook)[SHEET_VAT_NL]
    _, rows, _ = table(ws)
    assert money(rows[0]["Btw in open deel"]) == (D("18450.00") * 9 / 109).quantize(CENT)
    assert rows[0]["Btw-tarief (aanname)"] == 0.09


def handed_over_demo(tmp_path: Path) -> Path:
    book = openpyxl.load_workbook(template_path())
    from debiteuren.demo import fill_demo

    fill_demo(book)
    append_table_rows(
        book,
        "Acties",
        [
            {
                "on": date(2026, 9, 1),
                "debtor": "K012",
                "invoices": "",
                "step": "overdracht",
                "channel": "post",
                "note": "Incassobureau Noord",
            },
        ],
    )
    path = tmp_path / "overdracht.xlsx"
    book.save(path)
    return path


def test_handed_over_claims_and_belgian_candidates(tmp_path, no_pdf):
    path = handed_over_demo(tmp_path)
    result = export(path, DEMO_AS_OF, out_dir=tmp_path / "uit")
    wb = openpyxl.load_workbook(result.workbook)
    _, items, _ = table(wb[SHEET_ITEMS])
    k012 = [r for r in items if r["Klantnr"] == "K012"]
    assert k012 and all(
        r["Uit handen"] == "Ja" and r["Fase"] == Stage.HANDED_OVER.value for r in k012
    )
    assert all(r["Uit handen"] == "Nee" for r in items if r["Klantnr"] != "K012")
    _, handed, totals = table(wb[SHEET_HANDED_OVER])
    assert [r["Factuurnr"] for r in handed] == [r["Factuurnr"] for r in k012]
    assert all(r["Uit handen sinds"].date() == date(2026, 9, 1) for r in handed)
    assert all(r["Notitie"] == "Incassobureau Noord" for r in handed)
    assert (
        money(totals["Totaal open"])
        == sum(money(r["Totaal open"]) for r in k012)
        == (result.summary.handed_over_total)
    )
    ws = wb[SHEET_BE]
    texts = " ".join(str(r[0]) for r in ws.iter_rows(values_only=True) if r[0])
    assert "alleen terug bij een BEWEZEN, DEFINITIEF verlies" in texts
    assert "NIET als teruggaaf" in texts
    _, be, _ = table(ws)
    assert {r["Klantnr"] for r in be} == {"K012"}  # no NL claim, no young claim unless handed over
    reasons = {r["Factuurnr"]: r["Waarom beoordelen"] for r in be}
    assert reasons["2024-0107"] == "uit handen gegeven; meer dan 365 dagen na de vervaldatum"
    assert reasons["2026-0088"] == "uit handen gegeven"
    for row in be:
        assert money(row["Btw in open deel (alleen bij bewezen verlies)"]) == (
            money(row["Open hoofdsom (incl. btw)"]) * 21 / 121
        ).quantize(CENT)


def test_belgian_claims_without_reason_are_not_listed(demo, tmp_path, no_pdf):
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path)
    _, be, _ = table(openpyxl.load_workbook(result.workbook)[SHEET_BE])
    assert [r["Factuurnr"] for r in be] == ["2024-0107"]  # 866 days late; the rest is younger
    _, handed, _ = table(openpyxl.load_workbook(result.workbook)[SHEET_HANDED_OVER])
    assert handed == []


def test_csv_parses_back_with_the_same_figures(demo, tmp_path, no_pdf):
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path)
    raw = result.csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    with open(result.csv, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    head, body = rows[0], rows[1:]
    assert head[:5] == ["Klantnr", "Klant", "Land", "Soort", "Factuurnr"]
    assert len(body) == len(result.items)
    _, xlsx_rows, _ = table(openpyxl.load_workbook(result.workbook)[SHEET_ITEMS])
    for line, xrow in zip(body, xlsx_rows, strict=True):
        record = dict(zip(head, line, strict=True))
        assert record["Factuurnr"] == xrow["Factuurnr"]
        for header in MONEY:
            assert "." not in record[header]
            assert D(record[header].replace(",", ".")) == money(xrow[header]), header
        assert datetime.strptime(record["Vervaldatum"], "%d-%m-%Y") == xrow["Vervaldatum"]
        assert int(record["Dagen te laat"]) == xrow["Dagen te laat"]
    total = sum(D(dict(zip(head, r, strict=True))["Totaal open"].replace(",", ".")) for r in body)
    assert total == result.summary.outstanding


INJECTIONS = ['=HYPERLINK("http://x","y")', "+31 6 1234", "-2+3", "@SUM(A1)", "=1+1"]


def injection_book(tmp_path: Path) -> Path:
    book = openpyxl.load_workbook(template_path())
    set_settings(book, {"Naam": "Testbedrijf B.V.", "IBAN": "NL91ABNA0417164300"})
    append_table_rows(
        book,
        "Klanten",
        [
            {"number": f"K{k}", "name": text, "country": "NL", "kind": "Onderneming"}
            for k, text in enumerate(INJECTIONS, 1)
        ],
    )
    append_table_rows(
        book,
        "Facturen",
        [
            {
                "number": f"F{k}",
                "debtor": f"K{k}",
                "invoice_date": date(2025, 1, 1),
                "due_date": date(2025, 1, 31),
                "amount": D("121.00"),
                "description": text,
            }
            for k, text in enumerate(INJECTIONS, 1)
        ],
    )
    for ws in (book["Klanten"], book["Facturen"]):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text typed as text, not a formula
    path = tmp_path / "injectie.xlsx"
    book.save(path)
    return path


def test_formula_injection_is_neutralised(tmp_path, no_pdf):
    path = injection_book(tmp_path)
    data, issues = read_workbook(path, date(2025, 12, 31))
    assert not issues
    stored = {d.name for d in data.debtors.values()}
    assert stored == set(INJECTIONS)
    result = export(path, date(2025, 12, 31), out_dir=tmp_path / "uit")
    with open(result.csv, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    head = rows[0]
    for line in rows[1:]:
        record = dict(zip(head, line, strict=True))
        assert record["Klant"] in {"'" + t for t in stored}
        assert record["Omschrijving"].startswith("'")
        assert record["Klant"][1:] in stored
        assert not record["Hoofdsom"].startswith("'") and record["Hoofdsom"] == "121,00"
    assert {dict(zip(head, r, strict=True))["Omschrijving"] for r in rows[1:]} == {
        "'" + t for t in (i.invoice.description for i in result.items)
    }
    # the xlsx keeps the text as text: no formula cell anywhere
    wb = openpyxl.load_workbook(result.workbook)
    _, items, _ = table(wb[SHEET_ITEMS])
    assert {r["Klant"] for r in items} == stored
    ws = wb[SHEET_ITEMS]
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                assert cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(result.workbook) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
        assert not any(n.endswith("vbaProject.bin") for n in archive.namelist())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31", "'+31"),
        ("-2", "'-2"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("Jansen", "Jansen"),
        ("", ""),
        ("a=b", "a=b"),
        # LibreOffice's CSV import with "remove spaces" and "evaluate formulas" (soffice
        # --infilter "...,true,false,true") read " =1+1" as the formula =1+1; "' =1+1" is text
        (" =1", "' =1"),
    ],
)
def test_csv_text(text, expected):
    assert csv_text(text) == expected


def test_export_only_reads_the_workbook(demo, tmp_path, no_pdf):
    lock = demo.with_name("~$" + demo.name)
    lock.write_text("Excel heeft het open")
    before = sha(demo)
    result = export(demo, DEMO_AS_OF)
    assert result.folder == demo.parent / "export-2026-10-15"
    assert result.workbook == result.folder / "debiteuren-2026-10-15.xlsx"
    assert result.csv == result.folder / "openstaande-posten-2026-10-15.csv"
    assert sha(demo) == before
    assert not (demo.parent / BACKUP_DIR).exists()
    # a second export replaces the files
    again = export(demo, DEMO_AS_OF)
    assert again.workbook == result.workbook and sha(demo) == before


def test_export_at_an_earlier_date_leaves_later_items_out(demo, tmp_path, no_pdf):
    per = date(2026, 6, 30)
    result = export(demo, per, out_dir=tmp_path)
    data, issues = read_workbook(demo, DEMO_AS_OF)
    assert not issues
    later = [i for i in data.invoices if i.invoice_date > per]
    assert result.summary.skipped_invoices == len(later) > 0
    assert all(i.invoice.invoice_date <= per for i in result.items)
    # the same figures as the engine on the data known at that date
    kept = replace(
        data,
        invoices=[i for i in data.invoices if i.invoice_date <= per],
        payments=[p for p in data.payments if p.on <= per],
        actions=[a for a in data.actions if a.on <= per],
    )
    assessment = assess_book(
        kept.debtors,
        kept.invoices,
        kept.payments,
        kept.actions,
        kept.plans,
        kept.creditor,
        kept.settings,
        builtin().with_rows(kept.rate_rows),
        per,
    )
    assert result.summary.outstanding == overview(assessment, kept.invoices).outstanding
    notes = openpyxl.load_workbook(result.workbook)[SHEET_NOTES]
    values = {r[0]: r[1] for r in notes.iter_rows(values_only=True) if r[0]}
    assert values["Peildatum"].date() == per
    assert values["Weggelaten"].startswith(f"{len(later)} facturen met een factuurdatum na")
    assert "werkelijke dagen / 365" in values["Dagtelling"].lower()
    assert "puntkomma" in values["CSV-bestand"] and "UTF-8 met BOM" in values["CSV-bestand"]
    assert "decimale komma" in values["CSV-bestand"]


def test_a_workbook_with_problems_stops_the_export(tmp_path, no_pdf):
    book = openpyxl.load_workbook(template_path())
    append_table_rows(
        book,
        "Facturen",
        [
            {
                "number": "X",
                "debtor": "ONBEKEND",
                "invoice_date": date(2025, 1, 1),
                "amount": D("10.00"),
            }
        ],
    )
    path = tmp_path / "fout.xlsx"
    book.save(path)
    with pytest.raises(ValidationFailed):
        export(path, date(2025, 12, 31), out_dir=tmp_path / "uit")
    assert not (tmp_path / "uit").exists()


def test_without_libreoffice_the_docx_is_kept(demo, tmp_path, no_pdf):
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path)
    assert result.pdf is None
    assert result.docx == tmp_path / "samenvatting-2026-10-15.docx" and result.docx.exists()
    assert "LibreOffice is niet geïnstalleerd" in result.note
    from docx import Document

    text = "\n".join(
        [p.text for p in Document(str(result.docx)).paragraphs]
        + [c.text for t in Document(str(result.docx)).tables for r in t.rows for c in r.cells]
    )
    assert "€ 97.762,28" in text and "15-10-2026" in text


@pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice is not installed",
)
def test_pdf_summary_shows_the_totals(demo, tmp_path):
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path)
    assert result.pdf == tmp_path / "samenvatting-2026-10-15.pdf" and result.pdf.exists()
    assert result.docx is None and result.note == ""
    assert not (tmp_path / "samenvatting-2026-10-15.docx").exists()
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", str(result.pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert "Pages:           1" in info
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(result.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    s = result.summary
    assert "Debiteuren per 15 oktober 2026" in text
    assert "Peildatum: 15-10-2026" in text
    assert "€ 97.762,28" in text  # total open
    assert "€ 85.427,17" in text  # open principal (as on the Overzicht)
    assert "€ 3.644,94" in text  # VAT refund candidates
    assert "€ 7.260,00" in text  # BE to review
    assert f"{s.count}" in text
    for label, _, _ in AGING_BUCKETS:
        assert label in text


def test_cli_export(demo, tmp_path, no_pdf):
    out = tmp_path / "accountant"
    result = CliRunner().invoke(
        main, ["export", str(demo), "--per", "2026-10-15", "--map", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"Export per 15-10-2026 in {out}:" in result.output
    assert "  debiteuren-2026-10-15.xlsx" in result.output
    assert "  openstaande-posten-2026-10-15.csv" in result.output
    assert "  samenvatting-2026-10-15.docx" in result.output
    assert "totaal open € 97.762,28." in result.output
    assert "Btw-teruggaaf NL mogelijk: 2 facturen, btw € 3.644,94 (bij 21%" in result.output
    assert "LibreOffice is niet geïnstalleerd" in result.output
    assert (out / "debiteuren-2026-10-15.xlsx").exists()


@pytest.mark.parametrize("args", [["--per", "31-13-2025"], ["--btw", "veel"], ["--btw", "150"]])
def test_cli_export_bad_options(demo, args, no_pdf):
    result = CliRunner().invoke(main, ["export", str(demo), *args])
    assert result.exit_code == 2
    assert result.output.startswith("Fout: ")


def test_an_export_before_any_invoice_is_empty_but_complete(demo, tmp_path, no_pdf):
    result = export(demo, date(2020, 1, 1), out_dir=tmp_path)
    assert result.items == () and result.summary.count == 0
    assert result.summary.outstanding == 0
    wb = openpyxl.load_workbook(result.workbook)
    texts = [r[0] for r in wb[SHEET_ITEMS].iter_rows(values_only=True) if r[0]]
    assert "Geen openstaande posten op de peildatum." in texts
    assert not wb[SHEET_ITEMS].tables
    with open(result.csv, encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.reader(fh, delimiter=";"))) == 1  # the header only


def test_doctests():
    import doctest

    from debiteuren.core import receivables
    from debiteuren.outputs import accountant

    for module in (accountant, receivables):
        found = doctest.testmod(module)
        assert found.attempted and found.failed == 0


def three_dates_book(tmp_path: Path) -> Path:
    """NL business K1: 1,000.00 due 31-01-2026, handed over 01-03-2026 (Uit handen = Ja today),
    400.00 paid 01-04-2026."""
    book = openpyxl.load_workbook(template_path())
    set_settings(book, {"Naam": "Testbedrijf B.V.", "IBAN": "NL91ABNA0417164300"})
    append_table_rows(
        book,
        "Klanten",
        [
            {
                "number": "K1",
                "name": "Bouwbedrijf Noord B.V.",
                "country": "NL",
                "kind": "Onderneming",
                "handed_over": "Ja",
            }
        ],
    )
    append_table_rows(
        book,
        "Facturen",
        [
            {
                "number": "F1",
                "debtor": "K1",
                "invoice_date": date(2026, 1, 1),
                "due_date": date(2026, 1, 31),
                "amount": D("1000.00"),
            }
        ],
    )
    append_table_rows(
        book,
        "Acties",
        [
            {
                "on": date(2026, 3, 1),
                "debtor": "K1",
                "invoices": "F1",
                "step": "overdracht",
                "channel": "post",
                "note": "overgedragen aan Incassobureau Noord",
            }
        ],
    )
    append_table_rows(
        book,
        "Betalingen",
        [{"on": date(2026, 4, 1), "amount": D("400.00"), "debtor": "K1", "invoice": "F1"}],
    )
    path = tmp_path / "drie-data.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("per", "expected"),
    [
        # before the hand-over: 15 days at 10.15 % = 4.171233 -> 4.17; the € 40 from 01-02
        (date(2026, 2, 15), ("0.00", "1000.00", "4.17", "0.00", "40.00", "0.00", "1044.17", "Nee")),
        # handed over on 01-03, not paid yet: 43 days = 11.957534 -> 11.96
        (date(2026, 3, 15), ("0.00", "1000.00", "11.96", "0.00", "40.00", "0.00", "1051.96", "Ja")),
        # 400.00 paid on 01-04: 60 days = 16.684932 -> 16.68 and the € 40 first, 343.32 to the
        # principal; then 14 days on 656.68 = 2.556554 -> 2.56
        (
            date(2026, 4, 15),
            ("400.00", "656.68", "19.24", "16.68", "40.00", "40.00", "659.24", "Ja"),
        ),
    ],
)
def test_export_per_date_shows_the_status_on_that_date(tmp_path, no_pdf, per, expected):
    path = three_dates_book(tmp_path)
    result = export(path, per, out_dir=tmp_path / per.isoformat())
    _, rows, _ = table(openpyxl.load_workbook(result.workbook)[SHEET_ITEMS])
    (row,) = rows
    columns = MONEY[1:]  # Betaald .. Totaal open
    got = (*(f"{money(row[k]):.2f}" for k in columns), row["Uit handen"])
    assert got == expected
    assert result.summary.handed_over_count == (1 if expected[-1] == "Ja" else 0)
    _, handed, _ = table(openpyxl.load_workbook(result.workbook)[SHEET_HANDED_OVER])
    assert [r["Factuurnr"] for r in handed] == (["F1"] if expected[-1] == "Ja" else [])
    # the workbook itself still says what is true today
    assert read_workbook(path, date(2026, 4, 15))[0].debtors["K1"].handed_over


def test_a_credit_is_listed_per_customer(demo, tmp_path, no_pdf):
    # Jean Dupont (K010: 2026-0061, -0098 and -0135, € 465,00 open without interest or costs:
    # a Belgian consumer before the term of a first reminder) paid € 500,00 on 14-10-2026:
    # € 35,00 is owed to him. The export said only "€ 35,00 … tegoed van klanten" on
    # Toelichting and in the PDF, not whose it is.
    book = openpyxl.load_workbook(demo)
    append_table_rows(
        book,
        "Betalingen",
        [{"on": date(2026, 10, 14), "amount": D("500.00"), "debtor": "K010", "invoice": ""}],
    )
    book.save(demo)
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path / "uit")
    assert result.summary.unallocated == D("35.00")
    assert not [i for i in result.items if i.debtor.number == "K010"]
    wb = openpyxl.load_workbook(result.workbook)
    assert wb.sheetnames[-1] == "Tegoed"
    head, rows, totals = table(wb["Tegoed"])
    assert head == ["Klantnr", "Klant", "Land", "Tegoed"]
    assert [(r["Klantnr"], r["Klant"], r["Land"], money(r["Tegoed"])) for r in rows] == [
        ("K010", "Jean Dupont", "BE", D("35.00"))
    ]
    assert money(totals["Tegoed"]) == result.summary.unallocated
    # the explanation wraps over the table's width and the sheet prints one page wide: it ran
    # on unwrapped over two more pages of the PDF (so did that of Ongekoppelde ontvangsten)
    for name, columns in (("Tegoed", "A2:D2"), ("Ongekoppelde ontvangsten", "A2:F2")):
        ws = wb[name]
        assert [str(r) for r in ws.merged_cells.ranges] == [columns]
        assert ws["A2"].alignment.wrap_text and ws.row_dimensions[2].height >= 30
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


def test_a_negative_credit_is_no_credit_in_the_export(demo, tmp_path, no_pdf):
    # K010 paid € 35,00 too much; K099, whose only row on Facturen is a credit note of € 40,00,
    # got € 50,00 back (a negative credit, not on Tegoed). Before, "Niet toegewezen"
    # (the credit of customers) said € 25,00 where the sheet Tegoed totalled € 35,00.
    book = openpyxl.load_workbook(demo)
    customer = {"number": "K099", "name": "Nieuwe Klant", "country": "NL", "kind": "Onderneming"}
    append_table_rows(book, "Klanten", [customer])
    note = {"number": "C-099", "debtor": "K099", "amount": D("-40.00"), "is_credit_note": "Ja"}
    append_table_rows(book, "Facturen", [{**note, "invoice_date": date(2026, 9, 1)}])
    append_table_rows(
        book,
        "Betalingen",
        [
            {"on": date(2026, 10, 14), "amount": D("500.00"), "debtor": "K010"},
            {
                "on": date(2026, 10, 2),
                "amount": D("-50.00"),
                "debtor": "K099",
                "status": "Terugbetaling",
            },
        ],
    )
    book.save(demo)
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path / "uit")
    _, rows, totals = table(openpyxl.load_workbook(result.workbook)["Tegoed"])
    assert [r["Klantnr"] for r in rows] == ["K010"]
    assert result.summary.unallocated == money(totals["Tegoed"]) == D("35.00")
    # the € 10,00 more paid back to K099 than it had: money that left the bank, to check
    # (the Overzicht lists it; the export listed it nowhere)
    wb = openpyxl.load_workbook(result.workbook)
    assert wb.sheetnames[-2:] == ["Tegoed", "Meer terugbetaald"]
    head, rows, totals = table(wb["Meer terugbetaald"])
    assert head == ["Klantnr", "Klant", "Land", "Meer terugbetaald"]
    assert [(r["Klantnr"], money(r["Meer terugbetaald"])) for r in rows] == [("K099", D("10.00"))]
    assert money(totals["Meer terugbetaald"]) == D("10.00")


def test_without_a_credit_there_is_no_credit_sheet(demo, tmp_path, no_pdf):
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path / "uit")
    assert result.summary.unallocated == 0
    assert "Tegoed" not in openpyxl.load_workbook(result.workbook).sheetnames


def test_every_header_word_fits_its_column(demo, tmp_path, no_pdf):
    """The accountant saw 'Factuurdatu' over 'm' in LibreOffice: a bold header word wider than
    its column breaks inside the word (the specification had the same, see its layout test)."""
    result = export(demo, DEMO_AS_OF, out_dir=tmp_path)
    broken = []
    for ws in openpyxl.load_workbook(result.workbook):
        for row in ws.iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.font.b and cell.fill.fill_type):
                    continue
                width = ws.column_dimensions[cell.column_letter].width
                word = max(cell.value.split(), key=len)
                if len(word) * 1.15 > width:  # as tables.put_table estimates a bold header
                    broken.append((ws.title, cell.coordinate, word, width))
    assert broken == []


def test_money_not_yet_linked_is_on_the_summary_page_and_in_the_output(tmp_path, no_pdf):
    """Money on the bank account that is linked to no invoice yet ("Te controleren") was on
    the sheet Ongekoppelde ontvangsten only: the summary page for the accountant said
    "Niet toegewezen betalingen en creditnota's € 0,00", the output nothing (newcomer,
    session 27)."""
    book = openpyxl.load_workbook(template_path())
    set_settings(book, {"Naam": "Fietsenwinkel De Spaak", "IBAN": "NL91ABNA0417164300"})
    append_table_rows(
        book,
        "Klanten",
        [{"number": "K1", "name": "Jansen", "country": "NL", "kind": "Onderneming"}],
    )
    append_table_rows(
        book,
        "Facturen",
        [
            {
                "number": "F1",
                "debtor": "K1",
                "invoice_date": date(2026, 11, 1),
                "due_date": date(2026, 12, 1),
                "amount": D("100"),
            }
        ],
    )
    received = [(date(2026, 12, 7), D("75"), "J. SMIT"), (date(2026, 12, 21), D("500.50"), "CLUB")]
    later = (date(2026, 12, 22), D("9"), "LATER")  # after the peildatum: not counted
    append_table_rows(
        book,
        "Betalingen",
        [
            {"on": on, "amount": amount, "payer_name": name, "status": "Te controleren"}
            for on, amount, name in [*received, later]
        ],
    )
    path = tmp_path / "boek.xlsx"
    book.save(path)
    result = export(path, date(2026, 12, 21), out_dir=tmp_path / "uit")
    assert (result.summary.unmatched_count, result.summary.unmatched_total) == (2, D("575.50"))
    from docx import Document

    rows = [[c.text for c in r.cells] for t in Document(str(result.docx)).tables for r in t.rows]
    label = "Ontvangsten nog niet gekoppeld (blad Ongekoppelde ontvangsten)"
    assert [label, "2", "€ 575,50"] in rows
    output = (
        CliRunner()
        .invoke(main, ["export", str(path), "--per", "2026-12-21", "--map", str(tmp_path / "cli")])
        .output
    )
    assert (
        "Ontvangsten nog niet gekoppeld: 2 betalingen, € 575,50; niet afgetrokken van de "
        "openstaande posten (blad Ongekoppelde ontvangsten). Koppel ze op het blad Betalingen."
    ) in output


def test_money_that_is_no_customers_can_be_set_aside(tmp_path, no_pdf):
    """Bank interest or a supplier's refund on the statement stayed 'Te controleren' for ever:
    Gematcht without Klantnr or Factuurnr was refused, and every command listed it again
    (newcomer, session 27). The Status 'Geen klant' counts nowhere and is listed nowhere."""
    book = openpyxl.load_workbook(template_path())
    set_settings(book, {"Naam": "Fietsenwinkel De Spaak", "IBAN": "NL91ABNA0417164300"})
    append_table_rows(
        book,
        "Klanten",
        [{"number": "K1", "name": "Jansen", "country": "NL", "kind": "Onderneming"}],
    )
    append_table_rows(
        book,
        "Facturen",
        [
            {
                "number": "F1",
                "debtor": "K1",
                "invoice_date": date(2026, 11, 1),
                "due_date": date(2026, 12, 1),
                "amount": D("100"),
            }
        ],
    )
    append_table_rows(
        book,
        "Betalingen",
        [
            {"on": date(2026, 12, 7), "amount": D("3.10"), "payer_name": "ABN AMRO RENTE",
             "status": "Geen klant"},
            {"on": date(2026, 12, 8), "amount": D("75"), "payer_name": "J. SMIT",
             "status": "Te controleren"},
        ],
    )  # fmt: skip
    path = tmp_path / "boek.xlsx"
    book.save(path)
    result = export(path, date(2026, 12, 21), out_dir=tmp_path / "uit")
    assert (result.summary.unmatched_count, result.summary.unmatched_total) == (1, D("75"))
    assert result.summary.outstanding > D("100")  # F1 is not paid by it
    ws = openpyxl.load_workbook(path)["Betalingen"]
    (rule,) = [dv for dv in ws.data_validations.dataValidation if dv.type == "list" and
               "Gematcht" in dv.formula1]  # fmt: skip
    assert rule.formula1.strip('"').split(",")[-1] == "Geen klant"
