"""Other processes for work that takes long: how many cores, and how to start a process.

Filling letters (:mod:`debiteuren.letters.render`) and reading large bank statements
(:mod:`debiteuren.payments.background`) use a second core where the machine has one. Where no
process can be started (a sandboxed host, Excel on the web) the callers do the work themselves.
"""

from __future__ import annotations

import os


def cpu_count() -> int:
    """Return the cores this process may use (its affinity where the system knows it)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return max(os.cpu_count() or 1, 1)


def pool_context():
    """Return how to start worker processes: fork where it is safe (one thread), else a fresh
    interpreter per process."""
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def ignore_interrupt() -> None:
    """In a worker process (its ``initializer``): leave Ctrl-C to the command, which ends its
    workers itself. The terminal sends Ctrl-C to every process of the command: a worker that
    took it printed a Python traceback before the command's "Afgebroken."."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
