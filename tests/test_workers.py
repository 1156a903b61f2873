"""Worker processes and Ctrl-C (:mod:`debiteuren.workers`)."""

from __future__ import annotations

import os
import signal

import pytest

from debiteuren import workers

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "pthread_sigmask") or not hasattr(os, "fork"), reason="POSIX only"
)


def _held() -> bool:
    return signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, set())


def test_a_ctrl_c_while_a_worker_starts_waits_for_its_initializer():
    """A Ctrl-C that reached a worker before its initializer ran printed a Python traceback in
    it (a letters test failed so, now and then, on a busy machine): a worker starts with
    Ctrl-C held, and ignore_interrupt ignores it before letting go."""
    with workers.interrupts_held():
        pid = os.fork()
        if pid == 0:  # the worker, as it starts
            code = 3
            try:
                held = _held()
                os.kill(os.getpid(), signal.SIGINT)  # the terminal's Ctrl-C, now
                workers.ignore_interrupt()
                code = 0 if held and not _held() else 4
            finally:
                os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_ctrl_c_during_the_block_comes_after_it():
    assert not _held()
    with pytest.raises(KeyboardInterrupt), workers.interrupts_held():
        assert _held()
        os.kill(os.getpid(), signal.SIGINT)
        reached = True  # not stopped here
    assert reached and not _held()


def _recording(path):
    """Return an initializer that writes whether Ctrl-C is held as it starts, then does what
    ignore_interrupt does (a forked worker takes it over as it is)."""
    real = workers.ignore_interrupt

    def initializer(parent=None):
        with open(path, "a", encoding="utf-8") as out:
            out.write("held\n" if _held() else "free\n")
        real(parent)

    return initializer


def test_the_letters_pool_starts_its_workers_with_ctrl_c_held(monkeypatch, tmp_path):
    from pathlib import Path

    from debiteuren.letters import render

    log = tmp_path / "start"
    monkeypatch.setattr(workers, "ignore_interrupt", _recording(log))
    monkeypatch.setattr(workers, "pool_context", lambda: _fork())
    monkeypatch.setattr(render, "_fill", _plain_fill)
    jobs = [render.LetterJob(Path("brief.docx"), {"n": n}) for n in range(40)]
    assert render.render_letters(jobs, workers=2) == [b"brief"] * 40
    assert log.read_text(encoding="utf-8").split() == ["held", "held"]
    assert not _held()


def test_the_statement_worker_starts_with_ctrl_c_held(monkeypatch, tmp_path):
    from pathlib import Path

    from debiteuren.payments import background

    log = tmp_path / "start"
    monkeypatch.setattr(background, "ignore_interrupt", _recording(log))
    monkeypatch.setattr(background, "pool_context", lambda: _fork())
    monkeypatch.setattr(background, "BACKGROUND_BYTES", 0)
    monkeypatch.setattr(background, "cpu_count", lambda: 2)
    statement = Path(__file__).parent / "payments" / "fixtures" / "camt053_normal.xml"
    with background.StatementReading([statement]) as reading:
        assert reading.started
        ((_, found),) = reading.results()
    assert len(found.lines) > 0
    assert log.read_text(encoding="utf-8").split() == ["held"]
    assert not _held()


def _fork():
    import multiprocessing

    return multiprocessing.get_context("fork")


def _plain_fill(job):
    return ("ok", b"brief")
