"""The hand-over specification prints without headers broken in the middle of a word."""

from __future__ import annotations

import zipfile
from datetime import datetime

import openpyxl
import pytest
from lxml import etree

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.outputs.tables import _CELL_PADDING, _CM_PER_CHAR, header_widths
from debiteuren.service.handover import handover

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_CM = 1440 / 2.54


def need(text: str) -> float:
    """The width (cm) the longest word of ``text`` needs in a bold 9 pt header."""
    return max(len(w) for w in text.split()) * _CM_PER_CHAR + _CELL_PADDING


def test_a_narrow_column_is_widened_and_the_widest_gives_up_the_room():
    widths = header_widths(
        ("Van", "Tot en met", "Dagen", "Bron van de rentevoet"),
        (2.3, 2.3, 1.5, 20.0),
        [("02-06-2024", "31-12-2024", "213", "lawbase.be; een lange bron met veel woorden")],
    )
    # A date stays on one line; a header word is never cut; a long text wraps at its spaces.
    assert widths[:3] == pytest.approx([need("02-06-2024"), need("02-06-2024"), need("Dagen")])
    assert sum(widths) == pytest.approx(26.1)  # the table keeps its width
    assert widths[3] == pytest.approx(26.1 - 2 * need("02-06-2024") - need("Dagen"))


@pytest.fixture(scope="module")
def handed_over(tmp_path_factory):
    path = service.demo_workbook(tmp_path_factory.mktemp("spec") / "demo.xlsx")
    # --toch: only 2024-0107 is ready (2026-0035 and 2026-0088 are still at the reminder);
    # forcing them in gives the specification its interest and cost tables for every invoice.
    result = handover(
        path,
        DEMO_AS_OF,
        customer="K012",
        to="Incasso B.V.",
        now=datetime(2026, 10, 15, 10),
        force=True,
    )
    assert result.invoices == ("2024-0107", "2026-0035", "2026-0088")
    return result.folder


@pytest.fixture(scope="module")
def specification(handed_over):
    with zipfile.ZipFile(handed_over / "specificatie.docx") as docx:
        return etree.fromstring(docx.read("word/document.xml"))


def test_every_header_word_fits_its_column(specification):
    tables = specification.iter(f"{W}tbl")
    checked = 0
    for table in tables:
        grid = [int(c.get(f"{W}w")) / TWIPS_PER_CM for c in table.iter(f"{W}gridCol")]
        header = table.find(f"{W}tr")
        texts = ["".join(tc.itertext()) for tc in header.findall(f"{W}tc")]
        for width, text in zip(grid, texts, strict=True):
            assert width >= need(text) - 0.01, (text, width)
            checked += 1
    assert checked > 20


def test_every_sheet_of_the_xlsx_prints_one_page_wide(handed_over):
    """specificatie.xlsx, which the agency prints, had no print setup: LibreOffice printed
    the summary on 13 portrait pages with the columns cut over two, the labels of column A cut
    ("Toepasselijk re") and the wrapped "Open hoofdsom" header over the first row of values."""
    book = openpyxl.load_workbook(handed_over / "specificatie.xlsx")
    for ws in book:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    summary = book["Samenvatting"]
    labels = [c.value for c in summary["A"][1:9]]
    assert "Toepasselijk recht" in labels
    assert summary.column_dimensions["A"].width >= max(len(t) for t in labels) + 2
    header = next(r for r in summary.iter_rows() if r[0].value == "Factuurnr")[0].row
    assert summary.row_dimensions[header].height >= 30  # two lines: "Open / hoofdsom"
    assert book["Rente"].print_title_rows == "$1:$1"
