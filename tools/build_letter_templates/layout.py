"""The layout of the letter templates: page, styles, letterhead, tables, payment box.

Layout (A4, one letter per section): the letterhead and the address block are the two rows of
a borderless table with exact row heights, so the recipient's address sits in the window of a
left-window envelope (DIN 5008 form B and the usual Dutch and Belgian window envelopes: the
address zone starts 45 mm from the top of the page, the text 25 mm from the left edge); the
reference block (date, our reference, customer number) stands to its right. Page 2 and later
carry a one-line running header; every page has a footer with the creditor's registration, VAT
number and IBAN, and "page X of Y".
"""

from __future__ import annotations

from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .wording import letter_blocks
from .wording.common import (
    ACTION_HEADERS,
    BELGIAN,
    COSTS,
    COSTS_HANDOVER,
    INTEREST,
    INTEREST_HANDOVER,
    INTEREST_NOTES,
    INVOICE_HEADERS,
    LABELS,
    PAYMENTS_NOTE,
    PERIOD_HEADERS,
    PLAN_HEADERS,
    RESERVE,
    TOTAL_INTEREST,
    Block,
)

_ACCENT = RGBColor(0x1F, 0x4E, 0x79)
_GREY = RGBColor(0x59, 0x59, 0x59)
_HEADER_FILL = "E3EAF2"
_BOX_FILL = "F2F4F7"
_RULE = "A6B4C4"

# Page geometry in millimetres (A4).
_LEFT, _RIGHT, _TOP, _BOTTOM = 25, 20, 20, 22
_TEXT_WIDTH = 210 - _LEFT - _RIGHT  # 165
_LETTERHEAD_HEIGHT = 45 - _TOP  # letterhead row ends where the address zone starts
_ADDRESS_HEIGHT = 45  # the address zone: 45 mm to 90 mm from the top edge
_ADDRESS_WIDTH = 85

_INVOICE_WIDTHS = (22, 19, 19, 13, 18, 17, 17, 17, 23)
_PERIOD_WIDTHS = (27, 22, 22, 14, 28, 20, 32)
_PLAN_WIDTHS = (25, 40, 35)
_ACTION_WIDTHS = (30, 135)
_DEBTOR_WIDTHS = (45, 120)
_PAYMENT_WIDTHS = (122, 43)

_WORD_LANG = {"nl": "nl-NL", "nl-BE": "nl-BE", "fr": "fr-BE", "en": "en-GB", "de": "de-DE"}

# --------------------------------------------------------------------------------------------
# Low-level docx helpers
# --------------------------------------------------------------------------------------------

_TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
)
_TCPR_ORDER = (
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
)
_PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)
_SECTPR_ORDER = (
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
)


def _put(parent, child, order: Sequence[str]) -> None:
    """Insert ``child`` into ``parent`` at its schema position, replacing a same-named child."""
    local = child.tag.split("}")[1]
    for old in parent.findall(child.tag):
        parent.remove(old)
    rank = order.index(local)
    for index, sibling in enumerate(parent):
        name = sibling.tag.split("}")[1]
        if name in order and order.index(name) > rank:
            parent.insert(index, child)
            return
    parent.append(child)


def _el(tag: str, **attrs: str):
    """Return a new ``w:`` element with ``w:`` attributes."""
    element = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def _borders(tag: str, **sides: tuple[str, int, str]):
    """Return a borders element; each side is (style, size in eighths of a point, colour)."""
    element = _el(tag)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if side in sides:
            style, size, colour = sides[side]
            element.append(_el(side, val=style, sz=str(size), space="0", color=colour))
    return element


_NONE = ("nil", 0, "auto")


def _new_table(container, rows: int, widths_mm: Sequence[float], *, margins_mm=(0, 0)) -> Table:
    """Add a fixed-layout table with the given column widths and cell margins."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    _put(tbl_pr, _el("tblW", w=_twips(sum(widths_mm)), type="dxa"), _TBLPR_ORDER)
    _put(tbl_pr, _el("tblInd", w="0", type="dxa"), _TBLPR_ORDER)
    _put(tbl_pr, _el("tblLayout", type="fixed"), _TBLPR_ORDER)
    left, right = margins_mm
    mar = _el("tblCellMar")
    mar.append(_el("top", w="0", type="dxa"))
    mar.append(_el("left", w=_twips(left), type="dxa"))
    mar.append(_el("bottom", w="0", type="dxa"))
    mar.append(_el("right", w=_twips(right), type="dxa"))
    _put(tbl_pr, mar, _TBLPR_ORDER)
    _put(
        tbl_pr,
        _borders(
            "tblBorders",
            **dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), _NONE),
        ),
        _TBLPR_ORDER,
    )
    for index, width in enumerate(widths_mm):
        table.columns[index].width = Mm(width)
        for cell in table.columns[index].cells:
            cell.width = Mm(width)
    return table


def _cell_borders(cell: _Cell, **sides: tuple[str, int, str]) -> None:
    _put(cell._tc.get_or_add_tcPr(), _borders("tcBorders", **sides), _TCPR_ORDER)


def _shade(cell: _Cell, fill: str) -> None:
    _put(cell._tc.get_or_add_tcPr(), _el("shd", val="clear", color="auto", fill=fill), _TCPR_ORDER)


def _cell_margins(cell: _Cell, top: float, left: float, bottom: float, right: float) -> None:
    mar = _el("tcMar")
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        mar.append(_el(side, w=_twips(value), type="dxa"))
    _put(cell._tc.get_or_add_tcPr(), mar, _TCPR_ORDER)


def _row_props(row, *, header: bool = False, height_mm: float | None = None) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_el("cantSplit"))
    if header:
        tr_pr.append(_el("tblHeader"))
    if height_mm is not None:
        row.height = Mm(height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY


def _add_runs(paragraph: Paragraph, text: str, *, bold: bool = False) -> None:
    """Add ``text`` to ``paragraph``; ``**…**`` marks bold parts."""
    for index, part in enumerate(text.split("**")):
        if part:
            run = paragraph.add_run(part)
            if bold or index % 2 == 1:
                run.bold = True


def _write(paragraph: Paragraph, text: str, style: str | None = None, **fmt) -> Paragraph:
    """Fill an existing paragraph (e.g. the first one of a table cell)."""
    if style:
        paragraph.style = style
    _add_runs(paragraph, text, bold=fmt.pop("bold", False))
    align = fmt.pop("align", None)
    if align is not None:
        paragraph.alignment = align
    if fmt.pop("keep_next", False):
        paragraph.paragraph_format.keep_with_next = True
    if fmt:
        raise TypeError(f"unknown format: {sorted(fmt)}")
    return paragraph


def _par(container, text: str = "", style: str | None = None, **fmt) -> Paragraph:
    """Add a paragraph to a document, cell, header or footer."""
    return _write(container.add_paragraph(), text, style, **fmt)


def _cell_par(cell: _Cell, text: str, style: str, *, first: bool = False, **fmt) -> Paragraph:
    """Write into the cell's first paragraph (``first=True``) or add one."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    return _write(paragraph, text, style, **fmt)


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """Add a complex field (PAGE, NUMPAGES) with a placeholder result."""
    begin = paragraph.add_run()._r
    begin.append(_el("fldChar", fldCharType="begin"))
    instr_run = paragraph.add_run()._r
    instr = _el("instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    paragraph.add_run()._r.append(_el("fldChar", fldCharType="separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(_el("fldChar", fldCharType="end"))


def _tab_stop(paragraph: Paragraph, position_mm: float, align=WD_TAB_ALIGNMENT.LEFT) -> None:
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(position_mm), align)


def _rule_above(paragraph: Paragraph, colour: str = _RULE) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    _put(p_pr, _borders("pBdr", top=("single", 4, colour)), _PPR_ORDER)


# --------------------------------------------------------------------------------------------
# Styles and page
# --------------------------------------------------------------------------------------------


def _styles(doc: DocxDocument, word_lang: str) -> None:
    """Define the named styles a user sees in Word."""
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    r_pr = normal.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        r_fonts.set(qn(f"w:{attr}"), "Calibri")
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    r_pr.append(_el("lang", val=word_lang))
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.08
    fmt.widow_control = True

    def add(
        name: str,
        size: float,
        *,
        bold=False,
        colour=None,
        after=0.0,
        before=0.0,
        keep_next=False,
        line=1.0,
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        if colour is not None:
            style.font.color.rgb = colour
        pf = style.paragraph_format
        pf.space_after = Pt(after)
        pf.space_before = Pt(before)
        pf.line_spacing = line
        pf.keep_with_next = keep_next
        return style

    add("Briefhoofd naam", 16, bold=True, colour=_ACCENT, after=2)
    add("Briefhoofd", 8, colour=_GREY)
    add("Retouradres", 7, colour=_GREY, after=5)
    add("Adres", 10)
    add("Infoblok", 8.5, after=1.5)
    add("Onderwerp", 11.5, bold=True, colour=_ACCENT, after=10, keep_next=True)
    add("Tussenkop", 10, bold=True, colour=_ACCENT, before=6, after=3, keep_next=True)
    add("Tabel", 8.5)
    add("Tabelkop", 8.5, bold=True, colour=_ACCENT)
    add("Tabeltoelichting", 7.5, colour=_GREY, before=2, after=8)
    add("Voettekst", 7.5, colour=_GREY)
    opsomming = add("Opsomming", 10, after=2, line=1.08)
    opsomming.paragraph_format.left_indent = Mm(8)
    opsomming.paragraph_format.first_line_indent = Mm(-4)
    add("Ondertekening", 10, keep_next=True, line=1.08)


def _page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(_LEFT), Mm(_RIGHT)
    section.top_margin, section.bottom_margin = Mm(_TOP), Mm(_BOTTOM)
    section.header_distance, section.footer_distance = Mm(9), Mm(7)
    section.gutter = Mm(0)
    section.different_first_page_header_footer = True
    # Page numbers restart at 1 in every letter (also after merging letters into one file).
    _put(section._sectPr, _el("pgNumType", start="1"), _SECTPR_ORDER)


def _header_footer(doc: DocxDocument, lang: str) -> None:
    labels = LABELS[lang]
    section = doc.sections[0]
    # First page: the letterhead is in the body; the header stays empty.
    section.first_page_header.paragraphs[0].style = "Voettekst"
    running = section.header.paragraphs[0]
    _write(
        running,
        "{{ schuldeiser.naam }} · {{ klant.naam_regel }} · "
        + labels["our_ref"]
        + " {{ brief.kenmerk }}",
        "Voettekst",
    )
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for footer in (section.footer, section.first_page_footer):
        line = footer.paragraphs[0]
        _write(
            line,
            "{{ schuldeiser.naam }} · {{ schuldeiser.adres }}, {{ schuldeiser.postcode }} "
            "{{ schuldeiser.plaats }}{% if schuldeiser.website %} · {{ schuldeiser.website }}"
            "{% endif %}",
            "Voettekst",
            align=centre,
        )
        _rule_above(line)
        line.paragraph_format.space_before = Pt(0)
        _par(
            footer,
            "{{ schuldeiser.registratie_label }} {{ schuldeiser.registratie }}"
            "{% if schuldeiser.btw_nummer %} · " + labels["vat"] + " {{ schuldeiser.btw_nummer }}"
            "{% endif %} · IBAN {{ schuldeiser.iban }}"
            "{% if schuldeiser.bic %} · BIC {{ schuldeiser.bic }}{% endif %}",
            "Voettekst",
            align=centre,
        )
        numbers = _par(footer, "", "Voettekst", align=WD_ALIGN_PARAGRAPH.RIGHT)
        numbers.add_run(labels["page"] + " ")
        _field(numbers, "PAGE", "1")
        numbers.add_run(" " + labels["page_of"] + " ")
        _field(numbers, "NUMPAGES", "1")


# --------------------------------------------------------------------------------------------
# Letter parts
# --------------------------------------------------------------------------------------------


def _add_lines(paragraph: Paragraph, chunks: Sequence[str | None]) -> None:
    """Add text chunks to one run, with a line break for every None.

    Conditions may enclose a line break (``"{% if x %}X", None, "{% endif %}…"``), so optional
    lines vanish without leaving an empty line, and the template stays one paragraph in Word.
    """
    run = paragraph.add_run()
    for chunk in chunks:
        if chunk is None:
            run.add_break()
        else:
            run.add_text(chunk)


def _letterhead_and_address(doc: DocxDocument, template_id: str, lang: str) -> None:
    """Add the letterhead row and the window-envelope address row."""
    labels = LABELS[lang]
    widths = (_ADDRESS_WIDTH, _TEXT_WIDTH - _ADDRESS_WIDTH)
    table = _new_table(doc, 2, widths)
    head, address = table.rows
    _row_props(head, height_mm=_LETTERHEAD_HEIGHT)
    _row_props(address, height_mm=_ADDRESS_HEIGHT)

    name_cell, contact_cell = head.cells
    _cell_par(name_cell, "{{ schuldeiser.naam }}", "Briefhoofd naam", first=True)
    _add_lines(
        _cell_par(name_cell, "", "Briefhoofd"),
        [
            "{{ schuldeiser.adres }}",
            None,
            "{{ schuldeiser.postcode }} {{ schuldeiser.plaats }}"
            "{% if schuldeiser.land %} · {{ schuldeiser.land }}{% endif %}",
        ],
    )
    _add_lines(
        _cell_par(contact_cell, "", "Briefhoofd", first=True, align=WD_ALIGN_PARAGRAPH.RIGHT),
        [
            "{% if schuldeiser.telefoon %}" + labels["phone"] + " {{ schuldeiser.telefoon }}",
            None,
            "{% endif %}{% if schuldeiser.email %}{{ schuldeiser.email }}",
            None,
            "{% endif %}{% if schuldeiser.website %}{{ schuldeiser.website }}",
            None,
            "{% endif %}{{ schuldeiser.registratie_label }} {{ schuldeiser.registratie }}",
            None,
            "{% if schuldeiser.btw_nummer %}" + labels["vat"] + " {{ schuldeiser.btw_nummer }}",
            None,
            "{% endif %}IBAN {{ schuldeiser.iban }}",
        ],
    )

    window, info = address.cells
    who = "overdracht" if template_id == "overdracht" else "klant"
    # Return address on top of the window (DIN 5008: Rücksendeangabe), then the recipient;
    # a letter to another country carries the sender's country too.
    _cell_par(
        window,
        "{{ schuldeiser.naam }} · {{ schuldeiser.adres }} · {{ schuldeiser.postcode }} "
        "{{ schuldeiser.plaats }}{% if " + who + ".land %} · {{ schuldeiser.land|upper }}"
        "{% endif %}",
        "Retouradres",
        first=True,
    )
    # The whole block is one field, built by the program (letters/address.py): at most six
    # lines (PostNL, bpost), a cell's own line breaks kept where there is room, long lines
    # wrapped, the postcode where the customer's country writes it and the country last.
    _cell_par(window, "{{ " + who + ".adresblok }}", "Adres")

    rows = [
        (labels["date"], "{{ brief.plaats }}, {{ brief.datum }}"),
        (labels["our_ref"], "{{ brief.kenmerk }}"),
    ]
    if who == "overdracht":
        rows.append((labels["dossier"], "{{ overdracht.dossier }}"))
    rows += [
        (labels["customer_no"], "{{ klant.nummer }}"),
        (labels["contact"], "{{ schuldeiser.ondertekenaar }}"),
    ]
    for index, (label, value) in enumerate(rows):
        if label == labels["contact"]:
            # No Ondertekenaar on Instellingen: the field is the company's name, no contact.
            _cell_par(info, "{%p if " + _SIGNER + " %}", "Infoblok")
        paragraph = _cell_par(info, "", "Infoblok", first=index == 0)
        # A hanging indent: a long value (the signer "Anna de Wit, financiële administratie")
        # wraps under itself, not under its label.
        paragraph.paragraph_format.left_indent = Mm(40)
        paragraph.paragraph_format.first_line_indent = Mm(-28)
        _tab_stop(paragraph, 40)
        paragraph.add_run(label).font.color.rgb = _GREY
        paragraph.add_run("\t")
        _add_runs(paragraph, value)
        if label == labels["contact"]:
            _cell_par(info, "{%p endif %}", "Infoblok")
    info.paragraphs[0].paragraph_format.space_before = Pt(14)


def _header_row(table: Table, headers: Sequence[str], numeric_from: int) -> None:
    row = table.rows[0]
    _row_props(row, header=True)
    for index, (cell, text) in enumerate(zip(row.cells, headers, strict=True)):
        align = WD_ALIGN_PARAGRAPH.RIGHT if index >= numeric_from else None
        _cell_par(cell, text, "Tabelkop", first=True, align=align)
        _shade(cell, _HEADER_FILL)
        _cell_borders(cell, bottom=("single", 6, "1F4E79"))
        _cell_margins(cell, 0.8, 1.0, 0.8, 1.0)


def _loop_rows(
    table: Table,
    start: int,
    loop: str,
    cells: Sequence[str],
    numeric_from: int,
    *,
    note: str | None = None,
) -> int:
    """Fill the rows of a docxtpl loop from row ``start``; return the next free row.

    The rows are: ``{%tr for %}``, the data row, and ``{%tr endfor %}``. With ``note`` (a
    field such as ``f.omschrijving``) a full-width row in small print follows the data row,
    shown only when the field is not empty.
    """
    rows = table.rows
    _cell_par(rows[start].cells[0], "{%tr " + loop + " %}", "Tabel", first=True)
    data = rows[start + 1]
    _row_props(data)
    for index, (cell, text) in enumerate(zip(data.cells, cells, strict=True)):
        align = WD_ALIGN_PARAGRAPH.RIGHT if index >= numeric_from else None
        _cell_par(cell, text, "Tabel", first=True, align=align, keep_next=note is not None)
        _cell_borders(cell, top=("single", 2, "C9D2DD"))
        _cell_margins(cell, 0.9, 1.0, 0.9 if note is None else 0.2, 1.0)
    end = start + 2
    if note is not None:
        _cell_par(rows[end].cells[0], "{%tr if " + note + " %}", "Tabel", first=True)
        row = rows[end + 1]
        _row_props(row)
        cell = row.cells[0].merge(row.cells[-1])
        paragraph = _cell_par(cell, "{{ " + note + " }}", "Tabel", first=True)
        for run in paragraph.runs:
            run.font.size = Pt(7.5)
            run.font.color.rgb = _GREY
        _cell_margins(cell, 0, 1.0, 0.9, 1.0)
        _cell_par(rows[end + 2].cells[0], "{%tr endif %}", "Tabel", first=True)
        end += 3
    _cell_par(rows[end].cells[0], "{%tr endfor %}", "Tabel", first=True)
    return end + 1


def _total_row(table: Table, index: int, label: str, span: int, values: Sequence[str]) -> None:
    row = table.rows[index]
    _row_props(row)
    first = row.cells[0].merge(row.cells[span - 1]) if span > 1 else row.cells[0]
    _cell_par(first, label, "Tabel", first=True, bold=True)
    cells = [first, *row.cells[span:]]
    unique = []
    for cell in cells:
        if all(cell._tc is not seen._tc for seen in unique):
            unique.append(cell)
    for cell, value in zip(unique[1:], values, strict=True):
        _cell_par(cell, value, "Tabel", first=True, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for cell in unique:
        _cell_borders(cell, top=("single", 8, "1F4E79"))
        _cell_margins(cell, 1.0, 1.0, 1.0, 1.0)


def _invoice_table(doc: DocxDocument, headers: Sequence[str], lang: str) -> None:
    table = _new_table(doc, 8, _INVOICE_WIDTHS)
    _header_row(table, headers, numeric_from=3)
    total_row = _loop_rows(
        table,
        1,
        "for f in facturen",
        (
            "{{ f.nummer }}",
            "{{ f.factuurdatum }}",
            "{{ f.vervaldatum }}",
            "{{ f.dagen_te_laat }}",
            "{{ f.hoofdsom }}",
            "{{ f.betaald }}",
            "{{ f.rente }}",
            "{{ f.kosten }}",
            "{{ f.totaal }}",
        ),
        numeric_from=3,
        note="f.omschrijving",
    )
    _total_row(
        table,
        total_row,
        LABELS[lang]["total"],
        4,
        (
            "{{ totaal.hoofdsom }}",
            "{{ totaal.betaald }}",
            "{{ totaal.rente }}",
            "{{ totaal.kosten }}",
            "{{ totaal.totaal }}",
        ),
    )
    paid, interest, costs = (h.replace("\u00ad", "") for h in headers[5:8])
    _par(
        doc,
        "{% if betalingen.naar_rente_en_kosten %}"
        + PAYMENTS_NOTE[lang].format(paid=paid, interest=interest, costs=costs)
        + "{% endif %}",
        "Tabeltoelichting",
    )


def _interest_blocks(doc: DocxDocument, variant: str, lang: str, text: str) -> None:
    labels = LABELS[lang]
    headers = PERIOD_HEADERS[variant]
    total = TOTAL_INTEREST.get(variant, labels["total_interest"])
    _par(doc, "{%p if rente.van_toepassing %}")
    _par(doc, text, keep_next=True)
    table = _new_table(doc, 5, _PERIOD_WIDTHS)
    _header_row(table, headers, numeric_from=3)
    _loop_rows(
        table,
        1,
        "for r in renteperioden",
        (
            "{{ r.factuur }}",
            "{{ r.van }}",
            "{{ r.tot }}",
            "{{ r.dagen }}",
            "{{ r.grondslag }}",
            "{{ r.percentage }}",
            "{{ r.rente }}",
        ),
        numeric_from=3,
    )
    _total_row(table, 4, total, 6, ("{{ rente.totaal }}",))
    _par(doc, labels["interest_basis"] + INTEREST_NOTES[lang], "Tabeltoelichting")
    _par(doc, "{%p endif %}")


def _plan_table(doc: DocxDocument, lang: str) -> None:
    table = _new_table(doc, 5, _PLAN_WIDTHS)
    _header_row(table, PLAN_HEADERS[lang], numeric_from=2)
    _loop_rows(
        table,
        1,
        "for t in regeling.termijnen",
        ("{{ t.nummer }}", "{{ t.vervaldatum }}", "{{ t.bedrag }}"),
        numeric_from=2,
    )
    _total_row(table, 4, LABELS[lang]["total"], 2, ("{{ regeling.totaal }}",))
    _par(doc, "", "Tabeltoelichting")


def _actions_table(doc: DocxDocument, lang: str) -> None:
    table = _new_table(doc, 4, _ACTION_WIDTHS)
    _header_row(table, ACTION_HEADERS[lang], numeric_from=99)
    _loop_rows(
        table,
        1,
        "for a in overdracht.acties",
        ("{{ a.datum }}", "{{ a.omschrijving }}"),
        numeric_from=99,
    )
    _par(doc, "", "Tabeltoelichting")


def _debtor_table(doc: DocxDocument, lang: str) -> None:
    labels = LABELS[lang]
    rows = (
        ("", labels["name"], "{{ klant.naam }}"),
        ("", labels["customer_no"], "{{ klant.nummer }}"),
        ("klant.contactpersoon", labels["contact"], "{{ klant.contactpersoon }}"),
        ("", labels["address"], "{{ klant.adres }}"),
        ("", labels["postcode_city"], "{{ klant.postcode_plaats }}"),
        ("klant.land", labels["country"], "{{ klant.land }}"),
        ("klant.email", labels["email"], "{{ klant.email }}"),
        ("klant.telefoon", labels["phone"], "{{ klant.telefoon }}"),
        (
            "",
            labels["kind"],
            "{% if klant.is_consument %}"
            + labels["consumer"]
            + "{% else %}"
            + labels["business"]
            + "{% endif %}",
        ),
    )
    count = sum(3 if condition else 1 for condition, _, _ in rows)
    table = _new_table(doc, count, _DEBTOR_WIDTHS)
    index = 0
    for condition, label, value in rows:
        if condition:
            _cell_par(
                table.rows[index].cells[0], "{%tr if " + condition + " %}", "Tabel", first=True
            )
            index += 1
        row = table.rows[index]
        _row_props(row)
        _cell_par(row.cells[0], label, "Tabel", first=True).runs[0].font.color.rgb = _GREY
        _cell_par(row.cells[1], value, "Tabel", first=True)
        for cell in row.cells:
            _cell_borders(cell, bottom=("single", 2, "C9D2DD"))
            _cell_margins(cell, 0.8, 1.0, 0.8, 1.0)
        index += 1
        if condition:
            _cell_par(table.rows[index].cells[0], "{%tr endif %}", "Tabel", first=True)
            index += 1
    _par(doc, "", "Tabeltoelichting")


def _payment_box(doc: DocxDocument, lang: str) -> None:
    labels = LABELS[lang]
    table = _new_table(doc, 1, _PAYMENT_WIDTHS)
    row = table.rows[0]
    _row_props(row)
    details, qr = row.cells
    for cell in (details, qr):
        _shade(cell, _BOX_FILL)
        _cell_margins(cell, 2.5, 4, 2.5, 3)
    _cell_par(details, labels["pay_heading"], "Tussenkop", first=True)
    details.paragraphs[0].paragraph_format.space_before = Pt(0)
    lines = (
        (labels["amount"], "**{{ betaling.bedrag }}**"),
        ("IBAN", "{{ betaling.iban }}"),
        ("BIC", "{{ betaling.bic }}"),
        (labels["beneficiary"], "{{ schuldeiser.naam }}"),
        (
            "{{ betaling.kenmerk_soort[:1]|upper }}{{ betaling.kenmerk_soort[1:] }}",
            "**{{ betaling.kenmerk }}**",
        ),
    )
    for label, value in lines:
        if label == "BIC":
            _cell_par(details, "{%p if betaling.bic %}", "Infoblok")
        paragraph = _cell_par(details, "", "Infoblok")
        _tab_stop(paragraph, 42)
        paragraph.add_run(label).font.color.rgb = _GREY
        paragraph.add_run("\t")
        _add_runs(paragraph, value)
        paragraph.paragraph_format.space_after = Pt(2)
        if label == "BIC":
            _cell_par(details, "{%p endif %}", "Infoblok")
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _cell_par(qr, "{{ betaling.qr }}", "Tabel", first=True, align=centre)
    _cell_par(qr, "{%p if betaling.qr %}", "Tabel")
    caption = _cell_par(qr, labels["qr_caption"], "Tabeltoelichting", align=centre)
    caption.paragraph_format.space_after = Pt(0)
    _cell_par(qr, "{%p endif %}", "Tabel")
    _par(doc, "", "Tabeltoelichting")


#: Whether the letter has a signer of its own: without an Ondertekenaar on Instellingen,
#: ``schuldeiser.ondertekenaar`` is the company's name (so that the running text can say whom
#: to contact), and the letter is signed with the name once, without a contact in its header.
_SIGNER = "schuldeiser.ondertekenaar != schuldeiser.naam"


def _closing(doc: DocxDocument, lang: str) -> None:
    _par(doc, LABELS[lang]["closing"], "Ondertekening").paragraph_format.space_before = Pt(6)
    _par(doc, "", "Ondertekening")
    _par(doc, "", "Ondertekening")
    _par(doc, "{%p if " + _SIGNER + " %}", "Ondertekening")
    _par(doc, "{{ schuldeiser.ondertekenaar }}", "Ondertekening")
    _par(doc, "{%p endif %}", "Ondertekening")
    last = _par(doc, "{{ schuldeiser.naam }}", "Ondertekening")
    last.paragraph_format.keep_with_next = False


def _last_bullet(blocks: Sequence[Block], index: int) -> bool:
    """Tell whether the bullet at ``index`` ends its list (conditions do not count)."""
    for block in blocks[index + 1 :]:
        if block[0] == "li":
            return False
        if block[0] not in ("if", "else", "endif"):
            return True
    return True


def _body(doc: DocxDocument, template_id: str, lang: str) -> None:
    variant = "nl-BE" if lang == "nl" and template_id in BELGIAN else lang
    _letterhead_and_address(doc, template_id, lang)
    subject = _par(doc, "{{ brief.titel }}", "Onderwerp")
    subject.paragraph_format.space_before = Pt(14)
    _par(doc, "{{ brief.aanhef }}")
    blocks = letter_blocks(template_id, lang)
    for index, block in enumerate(blocks):
        kind = block[0]
        if kind == "p":
            _par(doc, block[1])
        elif kind == "h":
            _par(doc, block[1], "Tussenkop")
        elif kind == "li":
            paragraph = _par(doc, "•\t" + block[1], "Opsomming")
            _tab_stop(paragraph, 8)
            if _last_bullet(blocks, index):
                paragraph.paragraph_format.space_after = Pt(6)
        elif kind == "if":
            _par(doc, "{%p if " + block[1] + " %}")
        elif kind == "else":
            _par(doc, "{%p else %}")
        elif kind == "endif":
            _par(doc, "{%p endif %}")
        elif kind == "invoices":
            _invoice_table(doc, INVOICE_HEADERS[variant], lang)
        elif kind == "interest":
            texts = INTEREST_HANDOVER if block[1:] == ("handover",) else INTEREST
            _interest_blocks(doc, variant, lang, texts[lang])
        elif kind == "costs":
            texts = COSTS_HANDOVER if block[1:] == ("handover",) else COSTS
            _par(doc, "{%p if kosten.van_toepassing %}")
            _par(doc, texts[lang])
            _par(doc, "{%p endif %}")
        elif kind == "plan":
            _plan_table(doc, lang)
        elif kind == "payment":
            _payment_box(doc, lang)
        elif kind == "reserve":
            _par(doc, "{%p if brief.stuit_verjaring %}")
            _par(doc, RESERVE[lang])
            _par(doc, "{%p endif %}")
        elif kind == "debtor":
            _debtor_table(doc, lang)
        elif kind == "actions":
            _actions_table(doc, lang)
        elif kind == "closing":
            _closing(doc, lang)
        else:  # pragma: no cover - a typo in the block lists above
            raise ValueError(f"unknown block {kind!r}")


def letter_document(template_id: str, language: str) -> DocxDocument:
    """Return the Word document of one letter template in one language (styles, page, body)."""
    doc = Document()
    variant = "nl-BE" if language == "nl" and template_id in BELGIAN else language
    _styles(doc, _WORD_LANG[variant])
    _page(doc)
    _header_footer(doc, language)
    # python-docx starts with one empty paragraph: drop it so the letterhead is first.
    body = doc.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    _body(doc, template_id, language)
    return doc
