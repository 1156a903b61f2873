"""A command stopped with SIGTERM (``kill``, a service manager) or SIGHUP (a closed terminal or
session) stops as on Ctrl-C: the workbook as it was, no temporary file, no lock left, a short
Dutch line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: ``bijwerken`` on the workbook of argv[1], sent the signal named in argv[2] at the last moment
#: before its save replaces the workbook: the new workbook is written in full beside it.
STOPPED = """
import os, signal, sys
from debiteuren import cli
from debiteuren.workbook import files

real = files.atomic_write
stop = getattr(signal, sys.argv[2])

def stopped(path, write):
    def written(temp):
        write(temp)
        os.kill(os.getpid(), stop)
    real(path, written)

files.atomic_write = stopped
sys.argv = ["debiteuren", "bijwerken", sys.argv[1], "--peildatum", "2026-11-27", "--stil"]
cli.main()
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGTERM cannot be caught on Windows")
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_a_stop_during_the_save_leaves_the_workbook_and_no_files(demo: Path, signal_name: str):
    before = demo.read_bytes()
    done = subprocess.run(
        [sys.executable, "-c", STOPPED, str(demo), signal_name],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == "Afgebroken."
    assert demo.read_bytes() == before
    left = [p.name for p in demo.parent.iterdir() if p.name.startswith(".~")]
    assert left == []  # neither the temporary workbook nor the lock file


#: ``brieven`` on the workbook of argv[1], its terminal closed (SIGHUP) right after it wrote the
#: first letter's file.
HUNG_UP = """
import os, signal, sys
from debiteuren import cli
from debiteuren.outputs import letters

real = letters.atomic_write

def hung_up(path, write):
    real(path, write)
    os.kill(os.getpid(), signal.SIGHUP)

letters.atomic_write = hung_up
sys.argv = ["debiteuren", "brieven", sys.argv[1], "--peildatum", "2026-10-15", "--toch",
            "--onbevestigde-rente", "--stil"]
cli.main()
"""


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGHUP"), reason="no SIGHUP here")
def test_a_closed_terminal_leaves_no_letter_that_acties_does_not_name(demo: Path):
    before = demo.read_bytes()
    done = subprocess.run(
        [sys.executable, "-c", HUNG_UP, str(demo)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == "Afgebroken."
    assert demo.read_bytes() == before
    # before: the filled letters stayed in the folder of the day, logged nowhere
    letters = demo.parent / "brieven"
    assert not letters.exists() or [p for p in letters.rglob("*") if p.is_file()] == []
    assert [p.name for p in demo.parent.iterdir() if p.name.startswith(".~")] == []
