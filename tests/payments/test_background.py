"""Statement files read in a second process give exactly what reading them here gives."""

from __future__ import annotations

import multiprocessing
import sys
import time
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.core.money import Decimal as D
from debiteuren.core.references import is_valid_iban
from debiteuren.payments import StatementError, background, lines, read_statement_file

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = ["camt053_normal.xml", "coda_batch.cod", "mt940_abnamro.sta", "camt053_reversal.xml"]


@pytest.fixture
def always_background(monkeypatch):
    """Every file, however small, goes to the second process; two cores are assumed."""
    monkeypatch.setattr(background, "BACKGROUND_BYTES", 0)
    monkeypatch.setattr(background, "cpu_count", lambda: 2)


def test_files_read_in_a_second_process_are_the_files_read_here(always_background):
    paths = [FIXTURES / name for name in GOOD]
    with background.StatementReading(paths) as reading:
        assert reading.started
        results = reading.results()
    assert [path for path, _ in results] == paths
    for path, found in results:
        here = read_statement_file(path)
        assert found == here  # every line, every field, every statement summary
        assert len(found.lines) > 0


def test_a_refused_file_is_refused_with_the_same_words(always_background):
    paths = [FIXTURES / "camt053_normal.xml", FIXTURES / "camt053_broken_amount.xml"]
    with background.StatementReading(paths) as reading:
        (_, first), (_, second) = reading.results()
    with pytest.raises(StatementError) as here:
        read_statement_file(paths[1])
    assert not isinstance(first, StatementError)
    assert isinstance(second, StatementError)
    assert second.message == here.value.message


def test_ctrl_c_is_left_to_the_command(always_background):
    """Ctrl-C in a terminal reaches every process of the command: the worker leaves it to the
    command, which ends the worker itself (close), instead of dying with a Python traceback
    printed before the command's "Afgebroken."."""
    import os
    import signal

    with background.StatementReading([FIXTURES / "camt053_normal.xml"]) as reading:
        reading._futures[0].result()  # the file is read: the worker waits for more
        (worker,) = reading._pool._processes
        os.kill(worker, signal.SIGINT)
        try:
            answer = reading._pool.submit(os.getpid).result()
        except BaseException as exc:  # KeyboardInterrupt, a broken pool
            answer = type(exc).__name__
        assert answer == worker


def _death_signal() -> int:
    """Return the signal the system sends this process when its parent ends (0: none)."""
    import ctypes

    found = ctypes.c_int(0)
    ctypes.CDLL(None).prctl(2, ctypes.byref(found))  # PR_GET_PDEATHSIG
    return found.value


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_the_worker_ends_with_the_command(always_background):
    """A command killed outright (kill -9) cannot end its worker, which then waited for ever
    for work: the system ends it with the command."""
    import signal

    with background.StatementReading([FIXTURES / "camt053_normal.xml"]) as reading:
        assert reading._pool.submit(_death_signal).result() == signal.SIGKILL


def test_small_files_and_hosts_without_processes_are_read_here(monkeypatch):
    paths = [FIXTURES / "camt053_normal.xml"]
    monkeypatch.setattr(background, "cpu_count", lambda: 2)
    assert not background.StatementReading(paths).started  # far below 4 MB
    monkeypatch.setattr(background, "BACKGROUND_BYTES", 0)
    assert not background.StatementReading(paths, background=False).started
    monkeypatch.setattr(background, "cpu_count", lambda: 1)
    reading = background.StatementReading(paths)
    assert not reading.started
    assert reading.results()[0][1] == read_statement_file(paths[0])


def test_a_missing_file_is_reported_as_when_read_here(always_background, tmp_path):
    missing = tmp_path / "weg.xml"
    with background.StatementReading([missing]) as reading:
        ((_, found),) = reading.results()
    assert isinstance(found, StatementError)
    assert "kan niet worden gelezen" in found.message


def _never_done(path: str) -> tuple:
    """A parse that does not end (in the second process) before the test stops it."""
    time.sleep(60)
    return ("fout", path, "", "niet gelezen")


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork to patch the worker"
)
def test_a_run_that_stops_early_ends_the_second_process_at_once(always_background, monkeypatch):
    """A problem in the workbook ends the run before the statement is needed: the process
    reading it is ended then, not waited for."""
    monkeypatch.setattr(background, "pool_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(background, "_read_packed", _never_done)
    reading = background.StatementReading([FIXTURES / "camt053_normal.xml"])
    assert reading.started
    workers = list(reading._pool._processes.values())
    assert workers
    reading.close()
    assert not any(w.is_alive() for w in workers)


def test_lines_packed_with_shared_texts_and_dates_keep_every_value_exactly(monkeypatch):
    """The packed lines share equal texts and dates (peak memory, issue 17), never amounts or
    flags: an amount keeps its own digits (1.0 is not 1.00) and a flag stays a bool."""
    from debiteuren.payments import StatementLine

    path = str(FIXTURES / "camt053_normal.xml")
    here = read_statement_file(path)
    unpacked = background._unpack(background._read_packed(path))
    assert unpacked == here
    for a, b in zip(unpacked.lines, here.lines, strict=True):
        assert [repr(getattr(a, f)) for f in background._LINE_FIELDS] == [
            repr(getattr(b, f)) for f in background._LINE_FIELDS
        ]
    first, second = unpacked.lines[:2]
    assert first.account_iban is second.account_iban and first.currency is second.currency

    def line(n: int, amount: str, reversal: bool) -> StatementLine:
        return StatementLine(
            source="x",
            account_iban="NL91ABNA0417164300",
            booking_date=here.lines[0].value_date,
            value_date=here.lines[0].value_date,
            amount=D(amount),
            currency="EUR",
            bank_reference=f"R{n}",
            is_reversal=reversal,
            booking_date_given=n != 3,  # an MT940 line without its entry date
        )

    tricky = [line(1, "1.0", False), line(2, "1.00", True), line(3, "1", True)]
    monkeypatch.setattr(background, "read_statement_file", lambda p: replace(here, lines=tricky))
    packed = background._unpack(background._read_packed(path))
    assert [str(x.amount) for x in packed.lines] == ["1.0", "1.00", "1"]
    assert [x.is_reversal for x in packed.lines] == [False, True, True]
    assert all(type(x.is_reversal) is bool for x in packed.lines)
    assert [x.booking_date_given for x in packed.lines] == [True, True, False]


def test_the_day_an_earlier_release_gave_a_line_travels_with_it():
    path = str(FIXTURES / "camt053_date_times.xml")
    here = read_statement_file(path)
    assert [x.booked_before for x in here.lines] == [
        date(2026, 12, 31),
        None,
        date(2026, 6, 30),
        None,
    ]
    assert background._unpack(background._read_packed(path)) == here


def test_the_payers_ibans_are_checked_in_the_second_process_with_the_same_answers(monkeypatch):
    """Issue 17: whether each payer's IBAN is valid is asked while the file is parsed, and the
    answers are those of stdnum here (a valid one, one with a wrong check digit, none)."""
    from stdnum import iban as stdnum_iban

    from debiteuren.payments import lines

    path = str(FIXTURES / "camt053_normal.xml")
    here = read_statement_file(path)
    payers = ["NL91ABNA0417164300", "NL92ABNA0417164300", ""]
    made = [replace(here.lines[0], counterparty_iban=iban) for iban in payers]
    monkeypatch.setattr(background, "read_statement_file", lambda p: replace(here, lines=made))
    monkeypatch.setattr(lines, "_VALID_IBANS", {})
    monkeypatch.setattr(background, "_VALID_IBANS", lines._VALID_IBANS)
    packed = background._read_packed(path)  # asked while packing (in the second process)
    lines._VALID_IBANS.clear()  # this process has not asked
    background._unpack(packed)  # answered with the file
    assert lines._VALID_IBANS == {"NL91ABNA0417164300": True, "NL92ABNA0417164300": False}
    assert [stdnum_iban.is_valid(i) for i in payers[:2]] == [True, False]

    def never(iban: str, **_) -> bool:
        raise AssertionError(iban)

    monkeypatch.setattr(stdnum_iban, "is_valid", never)  # answered without asking again
    assert [lines.valid_iban(i) for i in payers[:2]] == [True, False]


def _with_check_digits(country: str, bban: str) -> str:
    """An IBAN whose MOD 97-10 check holds (whatever its bank code)."""
    digits = int((bban + country.upper() + "00").translate(lines._BASE36))
    return f"{country}{98 - digits % 97:02d}{bban}"


IBAN_TEXTS = st.one_of(
    st.builds(
        _with_check_digits,
        st.sampled_from(["NL", "BE", "DE", "FR", "GB", "XX", "nl"]),
        st.text("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=0, max_size=40),
    ),
    st.sampled_from(
        [
            "NL91ABNA0417164300",
            "NL92ABNA0417164300",
            "nl91abna0417164300",
            "NL91 ABNA 0417 1643 00",
            "BE68539007547034",
            "BE68 5390 0754 7034",
            "BE69539007547034",
            "NL91-ABNA-0417-1643-00",
            "\u0661" * 18,
            "9" * 5000,
            "A",
            "1",
        ]
    ),
    st.text("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabc -.", max_size=40),
)


@settings(max_examples=2000, deadline=None)
@given(IBAN_TEXTS)
def test_an_iban_failing_the_quick_check_is_one_stdnum_refuses(iban):
    """Issue 17: a compact IBAN that fails the MOD 97-10 check is refused without asking
    stdnum (which checks that first); every answer stays stdnum's."""
    from stdnum import iban as stdnum_iban

    valid = stdnum_iban.is_valid(iban, check_country=False)
    assert (not lines._fails_checksum(iban) and is_valid_iban(iban)) == valid
    assert not (lines._fails_checksum(iban) and valid)


def test_an_iban_failing_its_check_digits_is_refused_without_stdnum(monkeypatch):
    from stdnum import iban as stdnum_iban

    monkeypatch.setattr(lines, "_VALID_IBANS", {})

    def never(iban: str, **_) -> bool:
        raise AssertionError(iban)

    monkeypatch.setattr(stdnum_iban, "is_valid", never)
    assert lines.valid_iban("NL92ABNA0417164300") is False
    assert lines.valid_iban("BE69539007547034") is False
    with pytest.raises(AssertionError):  # its check digits hold: stdnum decides
        lines.valid_iban("NL91ABNA0417164300")


@cache
def _normal_file():
    return read_statement_file(FIXTURES / "camt053_normal.xml")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.decimals(), min_size=1, max_size=6))
def test_amounts_packed_as_their_texts_come_back_exactly(amounts):
    """Issue 17: the amounts travel as texts; each comes back with its own digits, exponent
    and sign (also -0, NaN and infinities, which no statement has)."""
    here = _normal_file()
    made = [replace(here.lines[0], amount=amount) for amount in amounts]
    with mock.patch.object(background, "read_statement_file", lambda p: replace(here, lines=made)):
        packed = background._read_packed("afschrift.xml")
    assert isinstance(packed[3][background._AMOUNT][0], str)  # sent as texts
    unpacked = background._unpack(packed)
    assert [repr(line.amount) for line in unpacked.lines] == [repr(a) for a in amounts]
    assert all(type(line.amount) is D for line in unpacked.lines)


@pytest.mark.parametrize("in_background", [True, False])
def test_a_zip_of_statements_gives_each_statement_with_the_path_of_the_zip(
    in_background, monkeypatch, tmp_path
):
    """A zip read in the second process gives what it gives read here: a pair per statement
    in it, each with the zip's path, its notes kept; a bad statement in it refuses it."""
    import zipfile

    from debiteuren.payments import read_statement_files

    if in_background:
        monkeypatch.setattr(background, "BACKGROUND_BYTES", 0)
        monkeypatch.setattr(background, "cpu_count", lambda: 2)
    bundle = tmp_path / "afschriften.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        for name in GOOD[:2]:
            archive.write(FIXTURES / name, name)
        archive.writestr("lees.pdf", b"%PDF-1.7")
    broken = tmp_path / "kapot.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.write(FIXTURES / "camt053_broken_amount.xml", "a.xml")
    paths = [FIXTURES / GOOD[2], bundle, broken]
    with background.StatementReading(paths) as reading:
        assert reading.started == in_background
        results = reading.results()
    assert [path for path, _ in results] == [paths[0], bundle, bundle, broken]
    assert [found for _, found in results[1:3]] == read_statement_files(bundle)
    assert results[1][1].notes and "lees.pdf" in results[1][1].notes[0]
    assert isinstance(results[3][1], StatementError)
    assert "in het zip-bestand: a.xml" in results[3][1].message
