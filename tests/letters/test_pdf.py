"""PDF conversion in batches: at most 200 files per LibreOffice call, one instance per core,
every PDF checked before anything counts (calls are counted, never timed)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren import service
from debiteuren.cli import main
from debiteuren.demo import DEMO_AS_OF
from debiteuren.letters import pdf, render
from debiteuren.letters.pdf import MAX_BATCH, ConversionError, batches, convert

SOFFICE = "/usr/bin/soffice-fake"


class FakeOffice:
    """Stands in for subprocess.run: records each LibreOffice call and writes its PDFs."""

    def __init__(self, skip: tuple[str, ...] = (), empty: tuple[str, ...] = ()) -> None:
        self.calls: list[list[str]] = []
        self.skip, self.empty = skip, empty

    def __call__(self, command, **kwargs):
        self.calls.append(list(command))
        outdir = Path(command[command.index("--outdir") + 1])
        for name in command[command.index("--outdir") + 2 :]:
            stem = Path(name).stem
            if stem in self.skip:
                continue
            (outdir / f"{stem}.pdf").write_bytes(b"" if stem in self.empty else b"%PDF-1.4\n")
        return subprocess.CompletedProcess(command, 0, "", "")

    def files(self, call: list[str]) -> list[str]:
        return call[call.index("--outdir") + 2 :]

    def profiles(self) -> set[str]:
        return {a for c in self.calls for a in c if a.startswith("-env:UserInstallation=")}


def _real_letter() -> bytes:
    from debiteuren.letters.render import render_letter, shipped_template_dir
    from debiteuren.letters.samples import sample_context

    template = shipped_template_dir() / "nl" / "herinnering.docx"
    return render_letter(template, sample_context("herinnering", "nl"))


def _docs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"K{k:04d}-herinnering.docx" for k in range(count)]
    for path in paths:
        path.write_bytes(b"docx")
    return paths


def test_batches_stay_under_the_limit_and_cover_every_file():
    for count in (1, 19, 20, 199, 200, 201, 450, 1000, 2345):
        for instances in (1, 2, 3, 8):
            parts = batches(count, instances)
            assert [k for b in parts for k in b] == list(range(count))
            assert all(0 < len(b) <= MAX_BATCH for b in parts)


def test_450_letters_take_three_calls_on_one_core(tmp_path, monkeypatch):
    office = FakeOffice()
    monkeypatch.setattr(pdf.subprocess, "run", office)
    paths = _docs(tmp_path / "docx", 450)
    made = convert(SOFFICE, paths, tmp_path / "pdf", instances=1)
    assert len(office.calls) == 3
    assert [len(office.files(c)) for c in office.calls] == [150, 150, 150]
    assert made == [tmp_path / "pdf" / f"{p.stem}.pdf" for p in paths]
    assert len(office.profiles()) == 1  # one instance keeps its profile for its batches


def test_two_cores_run_two_instances_each_with_its_own_profile(tmp_path, monkeypatch):
    office = FakeOffice()
    monkeypatch.setattr(pdf.subprocess, "run", office)
    monkeypatch.setattr(pdf, "cpu_count", lambda: 2)
    paths = _docs(tmp_path / "docx", 450)
    seen = []
    made = convert(SOFFICE, paths, tmp_path / "pdf", progress=lambda *a: seen.append(a))
    assert len(office.calls) == 4 and all(len(office.files(c)) <= 200 for c in office.calls)
    assert sorted(f for c in office.calls for f in office.files(c)) == sorted(map(str, paths))
    assert len(office.profiles()) == 2
    assert len(made) == 450 and all(p.is_file() for p in made)
    assert [s[0] for s in seen] == ["PDF maken"] * 4
    assert sorted(s[1] for s in seen)[-1] == 450 and {s[2] for s in seen} == {450}


def test_a_few_letters_take_one_call(tmp_path, monkeypatch):
    office = FakeOffice()
    monkeypatch.setattr(pdf.subprocess, "run", office)
    monkeypatch.setattr(pdf, "cpu_count", lambda: 2)
    convert(SOFFICE, _docs(tmp_path, 5), tmp_path)
    assert len(office.calls) == 1


@pytest.mark.parametrize("fault", ["skip", "empty"])
def test_a_missing_or_empty_pdf_is_an_error_and_leaves_no_pdf(tmp_path, monkeypatch, fault):
    office = FakeOffice(**{fault: ("K0321-herinnering",)})
    monkeypatch.setattr(pdf.subprocess, "run", office)
    paths = _docs(tmp_path / "docx", 450)
    with pytest.raises(ConversionError, match=r"geen pdf gemaakt voor K0321-herinnering\.pdf"):
        convert(SOFFICE, paths, tmp_path / "pdf", instances=2)
    assert list((tmp_path / "pdf").iterdir()) == []


def test_libreoffice_gets_the_lean_copies_and_the_pdfs_keep_the_letters_names(
    tmp_path, monkeypatch
):
    office = FakeOffice()
    monkeypatch.setattr(pdf.subprocess, "run", office)
    letters = []
    data = _real_letter()  # a real letter: its copy is leaner
    for k in range(30):
        letters.append(tmp_path / "docx" / f"K{k:03d}-herinnering.docx")
        letters[-1].parent.mkdir(exist_ok=True)
        letters[-1].write_bytes(data)
    made = convert("/usr/bin/soffice-fake", letters, tmp_path / "pdf", instances=1)
    assert made == [tmp_path / "pdf" / f"{p.stem}.pdf" for p in letters]
    given = [Path(f) for f in office.files(office.calls[0])]
    assert [g.name for g in given] == [p.name for p in letters]
    assert all(g.parent != letters[0].parent for g in given)  # copies, not the letters
    assert not any(g.exists() for g in given)  # and gone afterwards
    assert all(p.read_bytes() == data for p in letters)  # the user's letters are untouched


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_real_libreoffice_two_instances_side_by_side(tmp_path, monkeypatch):
    from docx import Document

    paths = []
    for k in range(5):
        doc = Document()
        doc.add_paragraph(f"Brief nummer {k}")
        paths.append(tmp_path / f"brief-{k}.docx")
        doc.save(paths[-1])
    calls = []
    real_run = subprocess.run

    def counting_run(*args, **kwargs):
        calls.append(args[0])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(pdf.subprocess, "run", counting_run)
    monkeypatch.setattr(pdf, "MAX_BATCH", 2)
    monkeypatch.setattr(pdf, "MIN_PER_INSTANCE", 1)
    made = convert(shutil.which("soffice"), paths, tmp_path / "pdf", instances=2)
    assert len(calls) == 4  # 5 files in batches of at most 2, a multiple of 2 instances
    assert all(p.read_bytes().startswith(b"%PDF") for p in made)
    text = subprocess.run(["pdftotext", str(made[3]), "-"], capture_output=True, text=True)
    assert "Brief nummer 3" in text.stdout


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_brieven_logs_nothing_when_a_pdf_is_missing(tmp_path, monkeypatch):
    book = service.demo_workbook(tmp_path / "demo.xlsx")
    before = _sha(book)
    rows = openpyxl.load_workbook(book)["Acties"].max_row
    monkeypatch.setattr(render, "_soffice", lambda: SOFFICE)
    monkeypatch.setattr(pdf.subprocess, "run", FakeOffice(skip=("K008-ingebrekestelling",)))
    result = CliRunner().invoke(
        main, ["brieven", str(book), "--peildatum", DEMO_AS_OF.isoformat(), "--toch"]
    )
    assert result.exit_code == 2, result.output
    assert "Omzetten naar pdf mislukt: geen pdf gemaakt voor K008-ingebrekestelling.pdf" in (
        " ".join(result.output.split())
    )
    assert _sha(book) == before
    assert openpyxl.load_workbook(book)["Acties"].max_row == rows
    assert not list(book.parent.glob("brieven/*/*.eml"))


def test_brieven_shows_progress_for_making_and_converting(tmp_path, monkeypatch):
    from debiteuren import cli

    book = service.demo_workbook(tmp_path / "demo.xlsx")
    monkeypatch.setattr(render, "_soffice", lambda: SOFFICE)
    monkeypatch.setattr(pdf.subprocess, "run", FakeOffice())
    seen: list[tuple[str, int, int]] = []
    monkeypatch.setattr(cli._Progress, "__call__", lambda self, *a: seen.append(a))
    result = CliRunner().invoke(
        main, ["brieven", str(book), "--peildatum", DEMO_AS_OF.isoformat(), "--toch"]
    )
    assert result.exit_code in (0, 1), result.output
    phases = {phase: (done, total) for phase, done, total in seen}
    made = phases["Brieven maken"]
    assert made[0] == made[1] > 1
    converted = phases["PDF maken"]  # the letters made (held letters are counted above)
    assert converted[0] == converted[1] > 1 and converted[1] <= made[1]


class PagedOffice(FakeOffice):
    """A fake LibreOffice that writes real PDFs: one page per letter, two for the merged file."""

    def __call__(self, command, **kwargs):
        from pypdf import PdfWriter

        self.calls.append(list(command))
        outdir = Path(command[command.index("--outdir") + 1])
        for name in command[command.index("--outdir") + 2 :]:
            writer = PdfWriter()
            for _ in range(2 if "afdrukken" in name else 1):
                writer.add_blank_page(width=595, height=842)
            writer.write(outdir / f"{Path(name).stem}.pdf")
        return subprocess.CompletedProcess(command, 0, "", "")


def test_the_print_files_pdf_joins_the_letters_pdfs_without_a_second_conversion(
    tmp_path, monkeypatch
):
    from pypdf import PdfReader

    book = service.demo_workbook(tmp_path / "demo.xlsx")
    monkeypatch.setattr(render, "_soffice", lambda: SOFFICE)
    office = PagedOffice()
    monkeypatch.setattr(pdf.subprocess, "run", office)
    result = service.letters(book, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 30))
    assert len(office.calls) == 1  # the letters; the print file is not converted again
    posted = [w for w in result.letters if w.print_file is not None]
    assert len(posted) > 1
    assert result.merged_pdf == result.merged.with_suffix(".pdf")
    assert len(PdfReader(result.merged_pdf).pages) == len(posted)
    assert not list(result.merged_pdf.parent.glob("*.tmp"))


def test_a_letter_pdf_that_cannot_be_joined_leaves_the_print_file_to_libreoffice(
    tmp_path, monkeypatch
):
    book = service.demo_workbook(tmp_path / "demo.xlsx")
    monkeypatch.setattr(render, "_soffice", lambda: SOFFICE)
    office = FakeOffice()  # its PDFs are only a header
    monkeypatch.setattr(pdf.subprocess, "run", office)
    result = service.letters(book, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 30))
    assert len(office.calls) == 2  # the letters, then the print file
    assert [Path(f).name for f in office.files(office.calls[1])] == [result.merged.name]
    assert result.merged_pdf == result.merged.with_suffix(".pdf")


def _pdf_in(path: Path, *fonts: str) -> Path:
    """Write a one-page PDF whose page uses ``fonts`` (base names as LibreOffice embeds them:
    a subset tag, then the font's name)."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    used = DictionaryObject()
    for k, font in enumerate(fonts):
        used[NameObject(f"/F{k}")] = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/TrueType"),
                NameObject("/BaseFont"): NameObject(f"/{font}"),
            }
        )
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): used})
    writer.write(path)
    return path


@pytest.mark.parametrize(
    ("fonts", "fallback"),
    [
        (("BAAAAA+DejaVuSans-Bold", "CAAAAA+DejaVuSans"), "DejaVuSans"),
        (("BAAAAA+Carlito-Bold", "CAAAAA+Carlito"), ""),
        (("BAAAAA+Calibri-Bold", "CAAAAA+Calibri", "DAAAAA+LiberationMono"), ""),
        ((), ""),
    ],
)
def test_the_font_libreoffice_took_for_calibri_is_named(tmp_path, fonts, fallback):
    assert pdf.fallback_font(_pdf_in(tmp_path / "brief.pdf", *fonts)) == fallback


def test_a_pdf_that_cannot_be_read_names_no_font(tmp_path):
    (tmp_path / "brief.pdf").write_bytes(b"%PDF-1.4\n")
    assert pdf.fallback_font(tmp_path / "brief.pdf") == ""


class DejaVuOffice(FakeOffice):
    """A LibreOffice without Calibri or Carlito (Debian's libreoffice-writer only suggests
    fonts-crosextra-carlito): each PDF is set in DejaVu Sans."""

    def __call__(self, command, **kwargs):
        self.calls.append(list(command))
        outdir = Path(command[command.index("--outdir") + 1])
        for name in command[command.index("--outdir") + 2 :]:
            _pdf_in(
                outdir / f"{Path(name).stem}.pdf", "BAAAAA+DejaVuSans-Bold", "CAAAAA+DejaVuSans"
            )
        return subprocess.CompletedProcess(command, 0, "", "")


def test_brieven_says_when_the_pdfs_are_not_in_the_letters_font(tmp_path, monkeypatch):
    """Without Calibri or Carlito LibreOffice sets the letters in DejaVu Sans, which is much
    wider: the customer's letter read 'Hoofdso m' and '€ 1.331,0 0' in its table, and nothing
    said why. The .docx files are right; the note says what to install."""
    book = service.demo_workbook(tmp_path / "demo.xlsx")
    monkeypatch.setattr(render, "_soffice", lambda: SOFFICE)
    monkeypatch.setattr(pdf.subprocess, "run", DejaVuOffice())
    args = ["brieven", str(book), "--peildatum", DEMO_AS_OF.isoformat(), "--toch"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    assert (
        "Let op: de PDF's zijn gezet in DejaVuSans, omdat het lettertype van de brieven "
        "(Calibri, of Carlito met dezelfde breedtes) niet op deze computer staat: in de "
        "tabellen breken kolomkoppen en bedragen dan midden in een woord af. Installeer "
        "Carlito (Debian, Ubuntu: sudo apt install fonts-crosextra-carlito) en maak de "
        "brieven opnieuw: dezelfde opdracht met --opnieuw erbij (met dezelfde --peildatum); "
        "de .docx-bestanden zijn goed"
    ) in " ".join(result.output.split())
    monkeypatch.setattr(pdf.subprocess, "run", PagedOffice())  # PDFs without text: no note
    again = CliRunner().invoke(main, [*args, "--opnieuw"])
    assert again.exit_code in (0, 1) and "DejaVuSans" not in again.output, again.output
