"""A command stopped with SIGTERM (``kill``, a service manager, a closed session) stops as on
Ctrl-C: the workbook as it was, no temporary file, no lock left, a short Dutch line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: ``bijwerken`` on the workbook of argv[1], sent SIGTERM at the last moment before its save
#: replaces the workbook: the new workbook is written in full beside it.
STOPPED = """
import os, signal, sys
from debiteuren import cli
from debiteuren.workbook import files

real = files.atomic_write

def stopped(path, write):
    def written(temp):
        write(temp)
        os.kill(os.getpid(), signal.SIGTERM)
    real(path, written)

files.atomic_write = stopped
sys.argv = ["debiteuren", "bijwerken", sys.argv[1], "--peildatum", "2026-11-27", "--stil"]
cli.main()
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGTERM cannot be caught on Windows")
def test_sigterm_during_the_save_leaves_the_workbook_and_no_files(demo: Path):
    before = demo.read_bytes()
    done = subprocess.run(
        [sys.executable, "-c", STOPPED, str(demo)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == "Afgebroken."
    assert demo.read_bytes() == before
    left = [p.name for p in demo.parent.iterdir() if p.name.startswith(".~")]
    assert left == []  # neither the temporary workbook nor the lock file
