"""The workbook prints as people share it: the Overzicht one page wide, with its chart."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime

import openpyxl
import pytest

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.letters import render

needs_tools = pytest.mark.skipif(
    render._soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice of pdftotext (poppler) is niet geïnstalleerd",
)


@pytest.fixture(scope="module")
def updated(tmp_path_factory):
    path = service.demo_workbook(tmp_path_factory.mktemp("print") / "demo.xlsx")
    service.update(path, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 0))
    return path


def test_the_overzicht_keeps_its_page_setup_after_bijwerken(updated):
    ws = openpyxl.load_workbook(updated)["Overzicht"]
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert len(ws._charts) == 1 and ws._charts[0].anchor._from.row < 20  # on the first page
    # Long texts wrap inside the page width instead of running on to the right.
    long = [c for row in ws.iter_rows() for c in row if len(str(c.value or "")) > 80]
    assert long and all(c.alignment.wrap_text and c.coordinate in ws.merged_cells for c in long)


@needs_tools
def test_a_libreoffice_pdf_of_the_overzicht_is_one_page_wide(updated, tmp_path):
    subprocess.run(
        [render._soffice(), f"-env:UserInstallation={(tmp_path / 'profiel').as_uri()}",
         "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(updated)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "demo.pdf"
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    start = next(i for i, p in enumerate(pages) if "Overzicht debiteuren" in p)
    overview = "".join(pages[start:])  # the Overzicht is the last sheet
    # The widest table (per klant) prints whole on each page: every row up to its last column.
    per_klant = overview[overview.index("Per klant") :].splitlines()
    assert any(re.search(r"\(dagen\)\s+Fase$", line.rstrip()) for line in per_klant[:3])
    k012 = next(line for line in per_klant if line.startswith("K012"))
    assert k012.rstrip().endswith("866 Aangemaand")
    total = next(line for line in per_klant if line.startswith("Totaal"))
    assert total.rstrip().endswith(("97.762,28", "97,762.28"))  # the locale of LibreOffice


def test_the_overzicht_chart_has_colours_of_its_own(updated):
    """The bars and gridlines took the colours of the workbook's theme; LibreOffice saves no
    theme, so after one save there the next Overzicht had a chart without bars (newcomer,
    session 27)."""
    import zipfile

    with zipfile.ZipFile(updated) as package:
        (name,) = [n for n in package.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        chart = package.read(name).decode("utf-8")
    series = chart[chart.index("<ser>") : chart.index("</ser>")]
    fill = re.search(r"<spPr>\s*<a:solidFill[^>]*>\s*<a:srgbClr val=\"(\w+)\"", series)
    assert fill is not None and fill.group(1) == "4F81BD", series
    grid = chart[chart.index("<majorGridlines>") : chart.index("</majorGridlines>")]
    assert re.search(r"<a:ln[^>]*>\s*<a:solidFill>\s*<a:srgbClr val=\"D9D9D9\"", grid), grid
