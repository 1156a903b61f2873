"""Other processes for work that takes long: how many cores, and how to start a process.

Filling letters (:mod:`debiteuren.letters.render`) and reading large bank statements
(:mod:`debiteuren.payments.background`) use a second core where the machine has one. Where no
process can be started (a sandboxed host, Excel on the web) the callers do the work themselves.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


def cpu_count() -> int:
    """Return the cores this process may use (its affinity where the system knows it)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return max(os.cpu_count() or 1, 1)


def stop_signals() -> list[int]:
    """Return the signals that stop a command as Ctrl-C does, besides Ctrl-C itself: SIGTERM
    (``kill``, a service manager) and, where the system has it, SIGHUP (the terminal window
    closed, the remote session dropped). A closed terminal ended the command at once: the
    letters it had filled so far stayed in the folder of the day without a row on Acties, and
    the next run named its own ``-2``."""
    import signal

    return [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]


def pool_context():
    """Return how to start worker processes: fork where it is safe (one thread), else a fresh
    interpreter per process."""
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def ignore_interrupt(parent: int | None = None) -> None:
    """In a worker process (its ``initializer``): leave Ctrl-C to the command, which ends its
    workers itself, and end with the command (``parent``: its process id). The terminal sends
    Ctrl-C to every process of the command: a worker that took it printed a Python traceback
    before the command's "Afgebroken.". A command killed outright (``kill -9``, the system short
    of memory) cannot end its workers: on Linux the system ends them then, else a waiting
    worker stayed for ever."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # held while the worker started (interrupts_held)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if parent is None or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl here: as before
        return
    if os.getppid() != parent:  # the command ended before the line above
        os._exit(0)


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C in this thread while the block starts worker processes whose initializer
    is :func:`ignore_interrupt`.

    A worker starts with the signals this thread holds held, and :func:`ignore_interrupt`
    lets go of Ctrl-C only once the worker ignores it: a Ctrl-C that came while a worker was
    still starting (before its initializer ran) printed a Python traceback in it. A Ctrl-C
    that comes here during the block comes after it. Where the system has no signal masks
    (Windows) the block runs as it is."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


#: prctl's option that asks the system to send a signal when the parent ends (linux/prctl.h).
_PR_SET_PDEATHSIG = 1
