"""Cells a fuzzer put in the demo workbook: each gives exit code 0 or 2, never a traceback."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren.cli import main


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set(book: Path, sheet: str, cell: str, value: object) -> None:
    wb = openpyxl.load_workbook(book)
    wb[sheet][cell].value = value
    wb.save(book)


@pytest.mark.parametrize(
    ("sheet", "cell", "header"),
    [("Facturen", "C2", "Factuurdatum"), ("Rentes", "B30", "Ingangsdatum")],
)
@pytest.mark.parametrize(
    "command",
    [
        ["bijwerken", "{book}"],
        ["regeling", "{book}", "--klant", "K001", "--termijnen", "3", "--eerste", "2026-11-01"],
    ],
)
def test_a_date_cell_of_minus_1e308_is_a_dutch_message(demo: Path, sheet, cell, header, command):
    # python-calamine panicked on the date serial (TimeDelta out of bounds); pyo3's
    # PanicException is no Exception, so it came out as a traceback (exit code 1)
    _set(demo, sheet, cell, -1e308)
    before = sha(demo)
    args = [a.replace("{book}", str(demo)) for a in command] + ["--peildatum", "2026-10-15"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    row = cell[1:]
    assert f"{sheet}, rij {row}, {header}: '#VALUE!' is geen datum" in result.output
    assert sha(demo) == before


def test_the_panic_and_openpyxls_warning_stay_off_the_screen(demo: Path):
    # the Dutch message came after Rust's panic text (with RUST_BACKTRACE=1 a backtrace of a
    # hundred lines) and openpyxl's English UserWarning about the date cell
    _set(demo, "Facturen", "C2", -1e308)
    env = {**os.environ, "RUST_BACKTRACE": "1", "PYTHONWARNINGS": "default"}
    args = ["bijwerken", str(demo), "--peildatum", "2026-10-15"]
    done = subprocess.run(
        [sys.executable, "-m", "debiteuren", *args], capture_output=True, text=True, env=env
    )
    assert done.returncode == 2, done.stderr
    said = done.stdout + done.stderr
    assert "Facturen, rij 2, Factuurdatum: '#VALUE!' is geen datum" in said
    assert "panicked" not in said
    assert "backtrace" not in said
    assert "Warning" not in said


def test_a_text_date_before_1900_stays_text_and_reads_the_same_again(demo: Path, tmp_path: Path):
    # '01-01-0001' typed as text on Rentes was written back as a date: serial -693593, which
    # python-calamine reads as the time 00:00:00, so the next command refused the workbook
    # ("Rentes, rij 70, Ingangsdatum: '00:00:00' is geen datum")
    _set(demo, "Rentes", "B70", "01-01-0001")
    first = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert first.exit_code == 0, first.output
    args = ["export", str(demo), "--per", "2026-10-15", "--map", str(tmp_path / "export")]
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert openpyxl.load_workbook(demo)["Rentes"]["B70"].value == "01-01-0001"
