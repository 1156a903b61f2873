"""The lean copy LibreOffice converts: the letter without the styles it never uses (counted by
style, never timed); the PDF of the copy looks like the PDF of the letter."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from debiteuren.letters import pdf
from debiteuren.letters.lean import lean_copy
from debiteuren.letters.qr import epc_payload, epc_qr_png
from debiteuren.letters.render import render_letter, shipped_template_dir
from debiteuren.letters.samples import sample_context

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _letter(template: str = "herinnering", language: str = "nl") -> bytes:
    context = sample_context(template, language)
    payload = epc_payload(
        name="Van Dijk", iban="NL91ABNA0417164300", amount=Decimal("12.50"), text="Factuur 1"
    )
    path = shipped_template_dir() / language / f"{template}.docx"
    return render_letter(path, context, qr_png=epc_qr_png(payload))


def _styles(path: Path) -> dict[str, str]:
    """Return the style ids of a package's styles part, each with the style it is based on."""
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/styles.xml").decode()
    found = {}
    for block in re.findall(r"<w:style\b.*?</w:style>", xml, re.S):
        style_id = re.search(r'w:styleId="([^"]*)"', block).group(1)
        based = re.search(r'<w:basedOn w:val="([^"]*)"', block)
        found[style_id] = based.group(1) if based else ""
    return found


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_the_copy_keeps_the_styles_the_letter_uses_and_what_they_build_on(tmp_path):
    letter = tmp_path / "K001-herinnering.docx"
    letter.write_bytes(_letter())
    copy = tmp_path / "lean" / "K001-herinnering.docx"
    copy.parent.mkdir()
    assert lean_copy(letter, copy) is True
    before, after = _styles(letter), _styles(copy)
    members = _members(letter)
    used = set()
    for name, data in members.items():
        if name.startswith("word/") and name.endswith(".xml") and "styles" not in name.lower():
            used |= set(re.findall(r'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]*)"', data.decode()))
    assert used and used <= set(after)
    for style_id in after:  # every style it builds on is there too
        assert after[style_id] in ("", *after)
    assert "Normal" in after  # the default paragraph style
    assert len(after) < len(before) / 5  # python-docx's template brings 160 styles nobody uses
    # Everything else is the same package, byte for byte (but Word 2010's styles copy).
    lean = _members(copy)
    assert set(lean) == set(members)
    assert [n for n in members if lean[n] != members[n]] == [
        "word/styles.xml",
        "word/stylesWithEffects.xml",
    ]
    # The document defaults and the latent styles stay as they were.
    for element in ("w:docDefaults", "w:latentStyles"):
        pattern = rf"<{element}\b.*?</{element}>"
        assert re.findall(pattern, lean["word/styles.xml"].decode(), re.S) == re.findall(
            pattern, members["word/styles.xml"].decode(), re.S
        )


def test_a_field_that_finds_styles_by_name_keeps_every_style(tmp_path):
    doc = Document()
    paragraph = doc.add_paragraph("Kop: ")
    run = paragraph.add_run()
    instr = run._r.makeelement(f"{W}instrText", {})
    instr.text = ' STYLEREF "Heading 1" '
    run._r.append(instr)
    letter = tmp_path / "a.docx"
    doc.save(letter)
    copy = tmp_path / "b.docx"
    assert lean_copy(letter, copy) is True
    assert _styles(copy) == _styles(letter)


def test_what_is_not_a_word_package_is_converted_as_it_is(tmp_path):
    letter = tmp_path / "a.docx"
    letter.write_bytes(b"not a zip")
    assert lean_copy(letter, tmp_path / "b.docx") is False
    assert not (tmp_path / "b.docx").exists()


def test_letters_of_one_template_share_one_lean_styles_part(tmp_path):
    cache: dict = {}
    for k, language in enumerate(["nl", "nl", "nl"]):
        letter = tmp_path / f"{k}.docx"
        letter.write_bytes(_letter("herinnering", language))
        assert lean_copy(letter, tmp_path / f"{k}-lean.docx", cache)
    assert len(cache) == 1


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice or poppler is not installed",
)
def test_the_pdf_of_the_copy_looks_like_the_pdf_of_the_letter(tmp_path):
    letter = tmp_path / "orig" / "brief.docx"
    letter.parent.mkdir()
    letter.write_bytes(_letter("ingebrekestelling", "fr"))
    copy = tmp_path / "lean" / "brief.docx"
    copy.parent.mkdir()
    assert lean_copy(letter, copy)
    pages = []
    for source in (letter, copy):
        out = source.parent
        subprocess.run(
            pdf.soffice_command(shutil.which("soffice"), tmp_path / "profile", [source], out),
            capture_output=True,
            check=True,
        )
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(out / "brief.pdf"), str(out / "p")])
        pages.append([p.read_bytes() for p in sorted(out.glob("p-*.png"))])
        fonts = subprocess.run(["pdffonts", str(out / "brief.pdf")], capture_output=True)
        pages.append([line.split()[-5:] for line in fonts.stdout.decode().splitlines()[2:]])
    assert pages[0] and pages[0] == pages[2]
    assert pages[1] and pages[1] == pages[3]  # the same fonts, embedded


def test_the_default_table_style_of_the_settings_stays(tmp_path):
    letter = tmp_path / "a.docx"
    letter.write_bytes(_letter())
    with zipfile.ZipFile(letter) as package:
        members = {name: package.read(name) for name in package.namelist()}
    assert b"w:defaultTableStyle" not in members["word/settings.xml"]
    members["word/settings.xml"] = members["word/settings.xml"].replace(
        b"</w:settings>", b'<w:defaultTableStyle w:val="LightShading"/></w:settings>'
    )
    with zipfile.ZipFile(letter, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    assert "LightShading" in _styles(letter)
    assert lean_copy(letter, tmp_path / "b.docx")
    assert "LightShading" in _styles(tmp_path / "b.docx")
