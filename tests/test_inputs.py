"""Input files are read whole but never without end: devices, pipes and folders are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from debiteuren.einvoice import EInvoiceError, read_einvoice
from debiteuren.inputs import NotAFile, TooLarge, read_limited
from debiteuren.payments import StatementError, read_statement_file

ENDLESS = Path("/dev/zero")


def test_a_file_within_the_limit_is_read_whole(tmp_path):
    path = tmp_path / "a.xml"
    path.write_bytes(b"x" * 100)
    assert read_limited(path, 100) == b"x" * 100
    with pytest.raises(TooLarge):
        read_limited(path, 99)


def test_a_folder_and_a_pipe_are_refused_before_they_are_opened(tmp_path):
    with pytest.raises(NotAFile):
        read_limited(tmp_path, 1000)
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pijp"
        os.mkfifo(pipe)
        with pytest.raises(NotAFile):  # opening it would wait for a writer for ever
            read_limited(pipe, 1000)


@pytest.mark.skipif(not ENDLESS.exists(), reason="no /dev/zero here")
def test_an_endless_device_is_refused_by_both_readers():
    with pytest.raises(StatementError, match="geen gewoon bestand"):
        read_statement_file(ENDLESS)
    with pytest.raises(EInvoiceError, match="geen gewoon bestand"):
        read_einvoice(ENDLESS)


def test_a_template_past_its_limit_is_refused_with_a_dutch_message(tmp_path, monkeypatch):
    from debiteuren.letters import render

    template = tmp_path / "groot.docx"
    template.write_bytes(b"PK" + b"\0" * 200)
    monkeypatch.setattr(render, "MAX_TEMPLATE_BYTES", 100)
    with pytest.raises(render.TemplateError, match="groter dan 100 MB"):
        render.render_letter(template, {})


def test_a_workbook_path_that_is_a_pipe_or_device_is_refused_without_a_lock_file(tmp_path):
    from datetime import date

    from debiteuren import service
    from debiteuren.workbook.files import NotAWorkbookFile

    paths = [ENDLESS] if ENDLESS.exists() else []
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "boek.xlsx"
        os.mkfifo(pipe)
        paths.append(pipe)
    for path in paths:
        with pytest.raises(NotAWorkbookFile, match="geen gewoon bestand"):
            service.update(path, date(2026, 11, 26), now=None)
        assert not list(path.parent.glob(f".~debiteuren.{path.name}.lock"))


def test_files_of_another_kind_are_recognised_by_their_first_bytes():
    import io
    import zipfile

    from debiteuren.inputs import EXCEL, OFX, OLD_OFFICE, PDF, ZIP, other_kind, zip_contents

    assert [
        other_kind(head)
        for head in (b"%PDF-1.7", b"\xd0\xcf\x11\xe0", b"OFXHEADER:100", b"PK\x03\x04", b"<?xml")
    ] == [PDF, OLD_OFFICE, OFX, ZIP, ""]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("map/", "")
        archive.writestr("map/a.xml", "x")
        archive.writestr("b.sta", "x")
    assert zip_contents(buffer.getvalue()) == (ZIP, ["a.xml", "b.sta"])
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/workbook.xml", "x")
    assert zip_contents(buffer.getvalue()) == (EXCEL, ["a.xml", "b.sta", "workbook.xml"])
    assert zip_contents(b"PK\x03\x04kapot") == (ZIP, [])


def test_a_zip_of_20000_files_counts_them_all():
    import io
    import zipfile

    from debiteuren.einvoice import OtherFile, parse_einvoice
    from debiteuren.inputs import ZIP, name_list, zip_contents

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for k in range(20_000):
            archive.writestr(f"facturen/f{k}.xml", "")
    kind, files = zip_contents(buffer.getvalue())
    assert (kind, len(files), files[:2], files[-1]) == (
        ZIP,
        20_000,
        ["f0.xml", "f1.xml"],
        "f19999.xml",
    )
    assert name_list(files) == "f0.xml, f1.xml, f2.xml, f3.xml, f4.xml en nog 19995"
    with pytest.raises(OtherFile) as exc:
        parse_einvoice(buffer.getvalue(), source="facturen.zip")
    assert exc.value.problem == (
        "dit is een zip-bestand met f0.xml, f1.xml, f2.xml, f3.xml, f4.xml en nog 19995; pak het "
        "eerst uit en geef de XML-bestanden die erin zitten (de e-facturen) op"
    )
