"""Work on a second core (issue 17): the same result as doing it here, and a failed copy costs
nothing but time."""

from __future__ import annotations

import contextlib
import os
import zipfile
from datetime import datetime, timedelta

import pytest

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.workbook import aside, digest, prepared, read

NOW = datetime(2026, 11, 27, 10, 0)

needs_fork = pytest.mark.skipif(not aside.can_fork(), reason="no fork or one core here")


@needs_fork
def test_the_copy_computes_the_work_and_sends_it_back():
    parent = os.getpid()
    made = aside.Aside(lambda: (os.getpid(), b"x" * 3_000_000))
    assert made.forked
    pid, data = made.result()
    assert pid != parent  # computed in the copy
    assert data == b"x" * 3_000_000  # more than a pipe holds at once
    assert made.result() is made.result()


def test_without_a_copy_the_work_is_done_here_at_once():
    calls = []
    made = aside.Aside(lambda: calls.append(os.getpid()) or 7, fork=False)
    assert not made.forked and calls == [os.getpid()]
    assert made.result() == 7
    assert calls == [os.getpid()]


@needs_fork
@pytest.mark.parametrize(
    "work",
    [
        lambda: 1 / 0,  # the work raises in the copy
        lambda: os._exit(3),  # the copy dies before it sends anything
        lambda: lambda: None,  # the result does not pickle
    ],
)
def test_a_failed_copy_gives_the_fallback(work):
    made = aside.Aside(work, fallback=lambda: "here")
    assert made.forked
    assert made.result() == "here"


@needs_fork
def test_a_result_not_taken_ends_the_copy():
    import time

    made = aside.Aside(lambda: time.sleep(60), fallback=lambda: None)
    pid = made._pid
    made.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # killed and reaped: no process left behind


@needs_fork
def test_ctrl_c_during_the_fork_stops_the_run_and_ends_the_copy(monkeypatch):
    """A Ctrl-C that comes while ``os.fork`` runs its at-fork hooks was swallowed by them
    (logging's: "Exception ignored in: _releaseLock"); the run went on as if not stopped. It is
    raised after the fork now, and the copy just made is ended."""
    import signal
    import time

    real_fork, made = os.fork, []

    def fork():
        pid = real_fork()
        if pid:
            made.append(pid)
            # a stop that comes in an at-fork hook, which swallows what it raises
            with contextlib.suppress(KeyboardInterrupt):
                signal.raise_signal(signal.SIGINT)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    try:
        with pytest.raises(KeyboardInterrupt):
            aside.Aside(lambda: time.sleep(60), fallback=lambda: None).result()
        with pytest.raises(ChildProcessError):
            os.waitpid(made[0], os.WNOHANG)  # killed and reaped: no copy left behind
    finally:
        for pid in made:  # without the fix: end the copy that was left
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


@needs_fork
def test_chunks_computed_ahead_come_in_order_from_the_copy():
    parent = os.getpid()

    def chunks():
        for k in range(5):
            yield [os.getpid(), k, b"y" * 200_000]  # more than a pipe holds at once

    ahead = aside.Ahead(chunks)
    got = list(ahead)
    assert ahead.complete
    assert [c[1] for c in got] == [0, 1, 2, 3, 4]
    assert {c[0] for c in got} != {parent} and all(c[2] == b"y" * 200_000 for c in got)


@needs_fork
@pytest.mark.parametrize("how", ["raises", "dies", "does not pickle"])
def test_chunks_of_a_copy_that_stops_end_early_and_say_so(how):
    def chunks():
        yield [1]
        yield [2]
        if how == "raises":
            raise ValueError
        if how == "dies":
            os._exit(3)
        yield [lambda: None]

    ahead = aside.Ahead(chunks)
    assert list(ahead) == [[1], [2]]
    assert not ahead.complete


@needs_fork
def test_chunks_not_all_taken_end_the_copy():
    import itertools
    import time

    def chunks():
        for k in itertools.count():
            yield [k]
            time.sleep(0.01)

    ahead = aside.Ahead(chunks)
    pid = ahead._pid
    for chunk in ahead:
        if chunk == [2]:
            break
    ahead.close()
    assert not ahead.complete
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # killed and reaped: no process left behind


def _entries(path):
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _update(path, monkeypatch, *, aside_: bool, properties_fail: bool = False):
    monkeypatch.setattr(prepared, "MIN_ROWS", 0 if aside_ else 10**9)
    forked = []
    real = aside.Aside._start

    def start(self):
        real(self)
        forked.append(self.forked)

    monkeypatch.setattr(aside.Aside, "_start", start)
    if properties_fail:

        def fail(*args, **kwargs):
            raise RuntimeError("the copy failed")

        monkeypatch.setattr(digest, "properties_for", fail)
    result = service.update(path, DEMO_AS_OF, now=NOW)
    monkeypatch.undo()
    assert forked == ([True] if aside_ else [])
    return result


@needs_fork
def test_bijwerken_writes_the_same_bytes_with_or_without_the_copy(tmp_path, monkeypatch):
    first = service.demo_workbook(tmp_path / "a.xlsx")
    second = service.demo_workbook(tmp_path / "b.xlsx")
    here = _update(first, monkeypatch, aside_=False)
    aside_ = _update(second, monkeypatch, aside_=True)
    assert here.cells_changed == aside_.cells_changed > 0
    # the same parts, byte for byte, but the time of saving (core.xml, and the seal over it)
    ours, theirs = _entries(first), _entries(second)
    assert list(ours) == list(theirs)
    stamped = ("docProps/core.xml", "docProps/custom.xml")
    assert {n: b for n, b in ours.items() if n not in stamped} == {
        n: b for n, b in theirs.items() if n not in stamped
    }
    props = [digest.custom_properties(p) for p in (first, second)]
    for p in props:
        del p[digest.FILE_PROPERTY]
    assert props[0] == props[1] and props[1][digest.DIGEST_PROPERTY]


@needs_fork
def test_when_the_copy_fails_the_digests_are_left_out_and_the_rest_is_written(
    tmp_path, monkeypatch
):
    good = service.demo_workbook(tmp_path / "a.xlsx")
    failed = service.demo_workbook(tmp_path / "b.xlsx")
    _update(good, monkeypatch, aside_=True)
    result = _update(failed, monkeypatch, aside_=True, properties_fail=True)
    assert result.saved
    assert digest.DIGEST_PROPERTY not in digest.custom_properties(failed)
    ours, theirs = _entries(good), _entries(failed)
    assert {n for n in ours if n.startswith("xl/")} == {n for n in theirs if n.startswith("xl/")}
    for name in ours:
        if name.startswith("xl/"):  # the sheets, the Overzicht among them: the same bytes
            assert ours[name] == theirs[name], name
    # and the next run simply does its work
    again = service.update(failed, DEMO_AS_OF, now=NOW, skip_unchanged=True)
    assert not again.unchanged


@needs_fork
def test_when_the_copy_dies_the_digests_are_made_here_the_same(tmp_path, monkeypatch):
    """A copy killed while it makes the digests (SIGKILL, the system short of memory) changes
    nothing in the file: this process makes them from the file read again. Left out, the
    previous run's digests stayed, with its peildatum: other bytes than a run without the
    copy, and no run with this peildatum saved them again."""
    good = service.demo_workbook(tmp_path / "a.xlsx")
    died = service.demo_workbook(tmp_path / "b.xlsx")
    for path in (good, died):  # a book with the digests of the day before
        service.update(path, DEMO_AS_OF - timedelta(days=1), now=NOW)
    _update(good, monkeypatch, aside_=True)
    here, real = os.getpid(), digest.properties_for

    def dies_in_the_copy(*args, **kwargs):
        if os.getpid() != here:
            os._exit(9)
        return real(*args, **kwargs)

    monkeypatch.setattr(digest, "properties_for", dies_in_the_copy)
    _update(died, monkeypatch, aside_=True)
    assert _entries(good).keys() == _entries(died).keys()
    for name, data in _entries(good).items():
        if name not in ("docProps/core.xml", "docProps/custom.xml"):  # the time of saving
            assert _entries(died)[name] == data, name
    props = [digest.custom_properties(p) for p in (good, died)]
    for p in props:
        del p[digest.FILE_PROPERTY]
    assert props[0] == props[1]
    assert digest.read_summary(props[1][digest.SUMMARY_PROPERTY])["peildatum"] == str(DEMO_AS_OF)


def test_only_a_large_book_is_saved_with_a_copy(monkeypatch):
    monkeypatch.setattr(prepared, "can_fork", lambda: True)
    small = read.TableData(sheet="Facturen", headers=[], rows=[["F1"]] * (prepared.MIN_ROWS - 1))
    large = read.TableData(sheet="Facturen", headers=[], rows=[["F1"]] * prepared.MIN_ROWS)
    assert not prepared.worth_it(small) and prepared.worth_it(large)
    assert not prepared.worth_it(None)


def _forks(monkeypatch) -> list[bool]:
    forked: list[bool] = []
    real = aside.Aside._start

    def start(self):
        real(self)
        forked.append(self.forked)

    monkeypatch.setattr(aside.Aside, "_start", start)
    return forked


@needs_fork
@pytest.mark.parametrize("far_on", [None, "Facturen", "Klanten"])
def test_the_large_sheet_checked_aside_reads_the_same_tables(tmp_path, monkeypatch, far_on):
    import openpyxl

    path = service.demo_workbook(tmp_path / "demo.xlsx")
    if far_on:  # a value far away: the whole book is read with openpyxl, either way
        book = openpyxl.load_workbook(path)
        book[far_on]["XFD1048576"] = "x"
        book.save(path)
    before = read.load_tables(path, engine="calamine")
    forked = _forks(monkeypatch)
    monkeypatch.setattr(read, "ASIDE_BYTES", 0)  # every book is large: Facturen checked aside
    monkeypatch.setattr(read, "_declared_titles", lambda parts: {"Facturen", "Klanten"})
    after = read.load_tables(path, engine="calamine")
    monkeypatch.undo()
    assert forked == [True]
    expected = read.load_tables(path, engine="openpyxl" if far_on else "calamine")
    assert list(after) == list(before) == list(expected)
    assert after == expected == before


@needs_fork
@pytest.mark.parametrize("far_on", [None, "Facturen", "Klanten"])
def test_the_large_sheet_read_in_turn_gives_the_same_tables_and_data(tmp_path, monkeypatch, far_on):
    """The largest sheet parsed in a thread while the others are converted (read.InTurn): the
    same tables, and the same converted book, as read at once; a far-away cell on it reads
    everything again with openpyxl (read.ReadAgain), as load_tables does."""
    import openpyxl

    from debiteuren.service import pipeline

    path = service.demo_workbook(tmp_path / "demo.xlsx")
    if far_on:
        book = openpyxl.load_workbook(path)
        book[far_on]["XFD1048576"] = "x"
        book.save(path)
    expected = read.load_tables(path, engine="openpyxl" if far_on else "calamine")
    whole = pipeline.read_book(path, DEMO_AS_OF, tables=expected)
    monkeypatch.setattr(read, "ASIDE_BYTES", 0)  # every book is large: Facturen checked aside
    monkeypatch.setattr(read, "_declared_titles", lambda parts: {"Facturen", "Klanten"})
    forked = _forks(monkeypatch)
    turn = read.load_tables(path, engine="calamine", in_turn=True)
    if far_on != "Klanten":  # Klanten's far cell is found before: all read at once
        assert isinstance(turn, read.InTurn)
        assert "Facturen" in turn and list(turn) == list(expected)
        numbers = [row[0] for row in expected["Klanten"].rows]
        assert [row[0] for row in turn["Klanten"].rows] == numbers  # read already
        if far_on == "Facturen":
            with pytest.raises(read.ReadAgain) as again:
                turn["Facturen"]
            assert again.value.tables == expected
        else:
            assert turn["Facturen"] == expected["Facturen"]
            assert turn.finished() == expected
    loaded = pipeline.read_book(path, DEMO_AS_OF)
    monkeypatch.undo()
    assert forked and all(forked)
    assert loaded.tables == expected and list(loaded.tables) == list(expected)
    assert loaded.data == whole.data


@needs_fork
def test_a_damaged_large_sheet_read_in_turn_is_named(tmp_path, monkeypatch):
    """The large sheet parsed in the thread: its damage is raised where it is looked up, as
    the Dutch DamagedSheet, as when it is read at once."""
    from debiteuren.service import pipeline

    path = service.demo_workbook(tmp_path / "demo.xlsx")
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"<v>", b"<v>abc", 1
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    monkeypatch.setattr(read, "ASIDE_BYTES", 0)
    monkeypatch.setattr(read, "_declared_titles", lambda parts: {"Facturen", "Klanten"})
    turn = read.load_tables(path, engine="calamine", in_turn=True)
    assert isinstance(turn, read.InTurn)
    with pytest.raises(read.DamagedSheet, match="'Facturen'"):
        turn["Facturen"]
    with pytest.raises(read.DamagedSheet, match="'Facturen'"):
        pipeline.read_book(path, DEMO_AS_OF)


def _with_formulas(path):
    """Give Facturen a formula without a value (I2), one with TODAY() (D3) and an error value
    (I4), as Excel and openpyxl store them."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["Facturen"]
    sheet["I2"], sheet["D3"], sheet["I4"] = "=1=1", "=TODAY()+30", "=1/0"
    book.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    start = xml.index(b'<c r="I4"')
    cell = xml[start : xml.index(b"</c>", start)]
    error = cell.replace(b'<c r="I4"', b'<c r="I4" t="e"').replace(b"<v></v>", b"<v>#DIV/0!</v>")
    assert error.count(b"#DIV/0!") == 1
    parts["xl/worksheets/sheet1.xml"] = xml.replace(cell, error)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


@needs_fork
@pytest.mark.parametrize("in_turn", [False, True])
def test_the_formulas_of_the_large_sheet_are_found_as_when_read_at_once(
    tmp_path, monkeypatch, in_turn
):
    """The large sheet checked aside and parsed in a thread (its formulas without a value, with
    TODAY() and with an error value looked for meanwhile): the same marked table as read at
    once."""
    path = _with_formulas(service.demo_workbook(tmp_path / "demo.xlsx"))
    expected = read.load_tables(path, engine="calamine")
    assert sorted(expected["Facturen"].uncached) == [
        (2, 9, ""),
        (3, 4, ""),
        (3, 4, "VANDAAG"),
        (4, 9, "#DIV/0!"),
    ]
    monkeypatch.setattr(read, "ASIDE_BYTES", 0)  # every book is large: Facturen checked aside
    monkeypatch.setattr(read, "_declared_titles", lambda parts: {"Facturen", "Klanten"})
    forked = _forks(monkeypatch)
    tables = read.load_tables(path, engine="calamine", in_turn=in_turn)
    if in_turn:
        assert isinstance(tables, read.InTurn)
        tables = tables.finished()
    monkeypatch.undo()
    assert forked == [True]
    assert tables == expected and list(tables) == list(expected)


@needs_fork
def test_a_check_the_thread_asks_late_still_has_the_sheet(tmp_path, monkeypatch):
    """The thread that parses the large sheet asks the extent check (read._CheckAside) when
    it gets to it; this process meanwhile scans the formulas in the check's XML and then waits
    for the thread. Asked only then, the check still has the XML (session 10: it was let go
    before the thread had asked, the check said "unsure", and the whole book was read again
    with openpyxl)."""
    import threading

    path = service.demo_workbook(tmp_path / "demo.xlsx")
    expected = read.load_tables(path, engine="calamine")
    monkeypatch.setattr(read, "ASIDE_BYTES", 0)
    monkeypatch.setattr(read, "_declared_titles", lambda parts: {"Facturen", "Klanten"})
    waiting = threading.Event()
    join, check = read._Parsing.join, read._CheckAside.result

    def joined(self):
        waiting.set()
        join(self)

    def late(self):
        if threading.current_thread() is not threading.main_thread():
            assert waiting.wait(30)  # this process waits for the thread before it asks
        return check(self)

    monkeypatch.setattr(read._Parsing, "join", joined)
    monkeypatch.setattr(read._CheckAside, "result", late)
    turn = read.load_tables(path, engine="calamine", in_turn=True)
    assert isinstance(turn, read.InTurn)
    assert turn["Facturen"] == expected["Facturen"]
    assert waiting.is_set()
