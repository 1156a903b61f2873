"""The empty workbook: generated from the schema, committed, and shaped for Excel users."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from decimal import Decimal as D
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from debiteuren.core.ladder import Stage
from debiteuren.core.model import Channel, Step
from debiteuren.workbook import schema
from debiteuren.workbook.template import build_template, main, template_path, write_template

REPO_TEMPLATE = Path(__file__).resolve().parents[2] / "workbook_template.xlsx"
LAST = schema.VALIDATION_LAST_ROW


@pytest.fixture(scope="module")
def wb():
    return openpyxl.load_workbook(REPO_TEMPLATE)


def letter(sheet: schema.Sheet, key: str) -> str:
    return get_column_letter([c.key for c in sheet.columns].index(key) + 1)


def validation_for(ws, cells: str):
    found = [dv for dv in ws.data_validations.dataValidation if cells in str(dv.sqref).split()]
    assert len(found) == 1, cells
    return found[0]


def test_committed_file_equals_generator_output(tmp_path, snapshot):
    generated = write_template(tmp_path / "workbook_template.xlsx")

    assert snapshot(REPO_TEMPLATE) == snapshot(generated), (
        "workbook_template.xlsx is out of date: run python -m debiteuren.workbook.template"
    )


def test_generator_is_deterministic(tmp_path):
    first = write_template(tmp_path / "a.xlsx").read_bytes()
    second = write_template(tmp_path / "b.xlsx").read_bytes()

    assert first == second


def test_command_line_writes_the_template(tmp_path, capsys):
    assert main([str(tmp_path / "nieuw.xlsx")]) == 0

    assert (tmp_path / "nieuw.xlsx").is_file()
    assert "nieuw.xlsx" in capsys.readouterr().out


def test_template_path_finds_the_shipped_file():
    assert template_path().is_file()
    assert template_path().name == "workbook_template.xlsx"


def test_fixed_document_properties(wb):
    props = wb.properties
    assert (props.creator, props.lastModifiedBy) == ("debiteuren", "debiteuren")
    assert props.created == props.modified == datetime(2025, 1, 1)


def test_sheets_in_order_each_with_one_table(wb):
    assert wb.sheetnames == [s.name for s in schema.SHEETS]
    for sheet in schema.SHEETS:
        ws = wb[sheet.name]
        if not sheet.table:
            assert ws.tables == {}
            continue
        (table,) = ws.tables.values()
        assert table.displayName == sheet.table
        assert " " not in table.displayName
        assert table.ref.startswith("A1:")
        assert [c.name for c in table.tableColumns] == [c.header for c in sheet.columns]
        assert [c.value for c in ws[1]] == [c.header for c in sheet.columns]
        assert ws.freeze_panes == "A2"


def test_overzicht_is_a_titled_placeholder(wb):
    ws = wb["Overzicht"]
    assert ws["A1"].value == "Overzicht"
    assert ws["A1"].font.b


@pytest.mark.parametrize(
    ("sheet", "key", "choices"),
    [
        (schema.KLANTEN, "law", "NL,BE"),
        (schema.KLANTEN, "kind", "Consument,Onderneming"),
        (schema.KLANTEN, "language", "nl,fr,en,de"),
        (schema.KLANTEN, "handed_over", "Ja,Nee"),
        (schema.FACTUREN, "is_credit_note", "Ja,Nee"),
        (schema.FACTUREN, "disputed", "Ja,Nee"),
        (schema.ACTIES, "step", ",".join(s.value for s in Step)),
        (schema.ACTIES, "channel", ",".join(c.value for c in Channel)),
    ],
)
def test_dropdowns(wb, sheet, key, choices):
    col = letter(sheet, key)
    dv = validation_for(wb[sheet.name], f"{col}2:{col}{LAST}")

    assert dv.type == "list"
    assert dv.formula1 == f'"{choices}"'
    assert dv.showErrorMessage and dv.errorStyle == "stop"
    assert dv.error.startswith("Kies een waarde uit de lijst")


def test_computed_columns_have_grey_headers_and_refuse_typing(wb):
    for sheet in schema.SHEETS:
        if not sheet.table:
            continue
        ws = wb[sheet.name]
        for position, column in enumerate(sheet.columns, start=1):
            header = ws.cell(row=1, column=position)
            col = get_column_letter(position)
            if column.computed:
                assert header.fill.fgColor.rgb.endswith("808080"), column.header
                dv = validation_for(ws, f"{col}2:{col}{LAST}")
                assert (dv.type, dv.operator, dv.formula1) == ("textLength", "lessThan", "0")
                assert dv.error.startswith("Deze kolom vult debiteuren zelf in.")
            else:
                assert header.fill.fill_type is None, column.header


def test_facturen_has_the_computed_columns_of_the_design():
    computed = [c.header for c in schema.FACTUREN.computed_columns]
    assert computed == [
        "Betaald",
        "Openstaand",
        "Dagen te laat",
        "Rente",
        "Kosten",
        "Totaal",
        "Fase",
        "Volgende stap",
        "Per",
        "Verjaart op",
    ]


def test_dutch_display_formats(wb):
    ws = wb["Facturen"]
    money = letter(schema.FACTUREN, "amount")
    due = letter(schema.FACTUREN, "due_date")
    number = letter(schema.FACTUREN, "number")
    assert ws.column_dimensions[money].number_format == '"€" #,##0.00;"€" -#,##0.00'
    assert ws[f"{money}2"].number_format == '"€" #,##0.00;"€" -#,##0.00'
    assert ws.column_dimensions[due].number_format == "dd-mm-yyyy"
    assert ws.column_dimensions[number].number_format == "@"  # "2025-01" stays text
    assert wb["Rentes"]["C2"].number_format == "0.00%"
    assert wb["Acties"].column_dimensions["A"].number_format == "dd-mm-yyyy hh:mm"


def test_widths_come_from_the_schema_and_fit_the_headers(wb):
    for sheet in schema.SHEETS:
        ws = wb[sheet.name]
        for position, column in enumerate(sheet.columns, start=1):
            width = ws.column_dimensions[get_column_letter(position)].width
            assert width >= column.width
            # The bold header and the filter button fit: "Dagen te laat" is not cut off.
            assert width >= len(column.header) * 1.15 + 3, (sheet.name, column.header, width)
    facturen = {c.value: c.column_letter for c in wb["Facturen"][1]}
    assert wb["Facturen"].column_dimensions[facturen["Dagen te laat"]].width == 18


def test_every_sheet_prints_landscape_one_page_wide_with_the_header_repeated(wb):
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == (None if ws.title == "Overzicht" else "$1:$1"), ws.title


def test_klantnr_is_a_drop_down_of_the_customers(wb):
    name = wb.defined_names["Klantnummers"]
    assert name.attr_text == "OFFSET(Klanten!$A$2,0,0,MAX(1,COUNTA(Klanten!$A$2:$A$20000)),1)"
    assert wb["Klanten"]["A1"].value == "Klantnr"
    for title in ("Facturen", "Betalingen", "Acties", "Regelingen"):
        ws = wb[title]
        letter = next(c.column_letter for c in ws[1] if c.value == "Klantnr")
        (validation,) = [
            v for v in ws.data_validations.dataValidation if str(v.sqref).startswith(letter + "2")
        ]
        assert (validation.type, validation.formula1) == ("list", "Klantnummers")
        assert str(validation.sqref) == f"{letter}2:{letter}20000"
        assert validation.allow_blank and validation.showErrorMessage
        assert "blad Klanten" in validation.error


def test_help_is_a_comment_on_the_header(wb):
    ws = wb["Facturen"]
    due = letter(schema.FACTUREN, "due_date")
    assert ws[f"{due}1"].comment.text == schema.FACTUREN.column("due_date").help


def test_invoice_rows_are_coloured_by_the_computed_columns(wb):
    ws = wb["Facturen"]
    stage = letter(schema.FACTUREN, "stage")
    outstanding = letter(schema.FACTUREN, "outstanding")
    late = letter(schema.FACTUREN, "days_late")
    (area,) = list(ws.conditional_formatting)
    assert str(area.sqref) == f"A2:{get_column_letter(len(schema.FACTUREN.columns))}{LAST}"
    rules = sorted(area.rules, key=lambda r: r.priority)
    assert [(r.formula[0], r.dxf.fill.bgColor.rgb[-6:], r.stopIfTrue) for r in rules] == [
        (
            f'OR(${stage}2="{Stage.PAID}",AND(ISNUMBER(${outstanding}2),${outstanding}2<=0))',
            "C6EFCE",  # green
            True,
        ),
        (f'${stage}2="{Stage.HANDED_OVER}"', "E4DFEC", True),  # purple
        (f'${stage}2="{Stage.DEMANDED}"', "FFC7CE", True),  # red
        (f"AND(N(${late}2)>0,N(${outstanding}2)>0)", "FFEB9C", True),  # amber
    ]


def test_instellingen_lists_every_setting_with_default_and_help(wb):
    ws = wb["Instellingen"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [s.label for s in schema.SETTINGS]
    for (label, value, help_text), setting in zip(rows, schema.SETTINGS, strict=True):
        assert value == setting.default, label
        assert help_text == setting.help
    legal = [s for s in schema.SETTINGS if s.target is schema.SettingTarget.SETTINGS]
    assert all(len(s.help) > 40 for s in legal)
    assert ws["B" + str(2 + [s.label for s in schema.SETTINGS].index("Land"))].value == "NL"


def test_instellingen_choices_have_dropdowns(wb):
    ws = wb["Instellingen"]
    row = 2 + [s.label for s in schema.SETTINGS].index("Dagtelling rente")
    assert validation_for(ws, f"B{row}").formula1 == '"365,werkelijk,rentejaar"'
    row = 2 + [s.label for s in schema.SETTINGS].index("Btw aftrekbaar")
    assert validation_for(ws, f"B{row}").formula1 == '"Ja,Nee"'


def test_every_dropdown_offers_its_choices_as_excel_and_libreoffice_split_them(wb):
    """A cell's list is split at every comma: the setting 'E-factuur: dagen einde maand'
    offered "dagen" and "dan einde maand", both refused by debiteuren, and its value "dagen,
    dan einde maand" could not be typed, for the list refuses what it does not offer
    (newcomer, session 27)."""
    lists = [(c.header, c.choices) for s in schema.SHEETS for c in s.columns if c.choices]
    lists += [(s.label, tuple(t for t, _ in s.choices)) for s in schema.SETTINGS if s.choices]
    for name, choices in lists:
        assert not [c for c in choices if "," in c], name
    ws = wb["Instellingen"]
    row = 2 + [s.label for s in schema.SETTINGS].index("E-factuur: dagen einde maand")
    offered = validation_for(ws, f"B{row}").formula1.strip('"').split(",")
    assert offered == ["einde maand plus dagen", "dagen dan einde maand"]


def test_rentes_are_seeded_from_the_rate_data_with_sources(wb):
    text = resources.files("debiteuren.core.data").joinpath("rates.csv").read_text("utf-8")
    shipped = list(csv.DictReader(line for line in text.splitlines() if line[:1] != "#"))
    ws = wb["Rentes"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]

    assert len(rows) == len(shipped)
    for (series, day, fraction, status, source), record in zip(rows, shipped, strict=True):
        assert series == schema.RATE_SERIES_LABELS[record["series"]]
        assert day.date().isoformat() == record["effective_from"]
        assert D(repr(fraction)) * 100 == D(record["rate_percent"])
        assert status == schema.RATE_STATUS[record["status"]]
        assert source == record["source"]
    assert ws.tables["tblRentes"].ref == f"A1:E{len(shipped) + 1}"


#: English words the rate sources used to carry; the Rentes sheet is read by Dutch users.
_ENGLISH = {
    "unchanged",
    "cited",
    "only",
    "per",
    "rate",
    "table",
    "fits",
    "derived",
    "and",
    "for",
    "rejected",
    "conflicts",
    "with",
    "notice",
    "applies",
    "contracts",
    "the",
    "code",
}


def test_rentes_speak_dutch(wb):
    ws = wb["Rentes"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {
        "NL wettelijke rente",
        "NL handelsrente",
        "BE handelsrente",
        "BE wettelijke interest",
    }
    for row in rows:
        words = {w.casefold() for w in re.findall(r"[A-Za-z]+", re.sub(r"\S+\.\w+\S*", "", row[4]))}
        assert not words & _ENGLISH, row[4]


def test_build_template_returns_a_workbook():
    book = build_template()
    assert book.sheetnames[0] == "Facturen"
