"""Work done on a second core while this process goes on (issue 17).

``bijwerken`` at 50,000 invoices spends most of a second on two things the rest of the save does
not need until its end: the digests it stores in the workbook (:mod:`.digest`) and the Overzicht
as a small package (:func:`.write.overview_package`); and reading starts with a scan of the
largest sheet's XML that only decides whether python-calamine may read it. :class:`Aside`
computes such work in a forked copy of this process while this one goes on (patching the
Facturen sheet, reading the other sheets: :mod:`.prepared`, :func:`.read.load_tables`). Nothing
big is pickled: the copy already holds the tables and the assessment (fork shares them), and
only the result (a few megabytes of bytes and text, or a yes) comes back through a pipe.

Only where that is safe and pays off: a system with ``fork`` (Linux; not macOS, where forking
a process that used system frameworks is unsafe, nor Windows), more than one core, and not in a
host without processes. The copy touches no lock another thread may hold: it writes no output,
logs nothing and shows no warning, and it ends with ``os._exit``. When the copy cannot be made,
fails or dies, the work is done here: the result is the same either way.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from typing import IO, Generic, TypeVar

from ..workers import stop_signals

T = TypeVar("T")

__all__ = [
    "Ahead",
    "Aside",
    "LazyMapping",
    "Parts",
    "Turns",
    "can_fork",
    "into_file",
    "unpickled",
]

#: What the copy sends back when its work raised: the work is then done here (and raises here).
_FAILED = b"!"


def can_fork() -> bool:
    """Return True when work can be done in a forked copy of this process on another core."""
    from ..workers import cpu_count

    return sys.platform == "linux" and hasattr(os, "fork") and cpu_count() > 1


class Aside(Generic[T]):
    """``work()``, computed in a forked copy of this process when :func:`can_fork`.

    Take the value with :meth:`result` (it waits for the copy); :meth:`close` ends a copy whose
    result is not wanted. Without a copy, :meth:`result` calls ``work`` itself.

    Args:
      work: what to compute; its result must pickle. Without a copy it is computed at once.
      fallback: what :meth:`result` gives when the copy failed or died. Once the copy is made,
        ``work`` (and what it holds, such as the tables) is let go here; without a fallback it
        is kept, to be computed here in that case.
      fork: False to compute here (a test compares both ways).
    """

    def __init__(
        self,
        work: Callable[[], T],
        *,
        fallback: Callable[[], T] | None = None,
        fork: bool = True,
    ) -> None:
        self._work: Callable[[], T] | None = work
        self._fallback = fallback or work
        self._pid = 0
        self._read = -1
        self._value: T | None = None
        self._done = False
        self.forked = False
        if fork and can_fork():
            self._start()
        if self.forked:
            self._work = None  # the copy computes it; here only the fallback is kept
        else:
            self._value, self._done = work(), True

    def _start(self) -> None:
        made = _fork(lambda fd: _send(fd, self._work))  # type: ignore[arg-type]
        if made is not None:
            (self._pid, self._read), self.forked = made, True

    def result(self) -> T:
        """Return the work's result: the copy's, else the fallback's when the copy failed."""
        if self._done:
            return self._value  # type: ignore[return-value]
        data = self._receive()
        if data is not None and data != _FAILED:
            with contextlib.suppress(Exception):  # a cut-off result: the fallback
                self._value, self._done = unpickled(data), True
        if not self._done:
            self._value, self._done = self._fallback(), True
        self._fallback = None  # type: ignore[assignment]
        return self._value  # type: ignore[return-value]

    def _receive(self) -> bytes | None:
        """Return what the copy sent (None when it died before it sent all); reap it."""
        chunks = []
        try:
            while chunk := os.read(self._read, 1 << 20):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(self._read)
            self._read = -1
        status, self._pid = _reap(self._pid), 0
        if not chunks or not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            return _FAILED if chunks == [_FAILED] else None
        return b"".join(chunks)

    def close(self) -> None:
        """End the copy when its result was not taken (the run stopped before it)."""
        _stop(self._pid, self._read)
        self._pid, self._read = 0, -1
        self._work = self._fallback = None  # type: ignore[assignment]

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    def __enter__(self) -> Aside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def into_file(work: Callable[[IO[bytes]], int | None]) -> tuple[Aside[int | None], IO[bytes]]:
    """Start ``work(file)`` in a forked copy that writes what it makes to a temporary file and
    returns its size (or None when it gives up); return (the copy, the file). The copy's result
    is None when no copy could be made: then the caller does the work itself. Close the file
    once its bytes are taken (issue 17: sheets patched on a second core, :mod:`.source`,
    :mod:`.xlsx_patch`)."""
    into = tempfile.TemporaryFile()  # noqa: SIM115  (the caller closes it)
    here = os.getpid()

    def run() -> int | None:
        if os.getpid() == here:  # no copy could be made: not in this process's own package
            return None
        return work(into)

    try:
        return Aside(run, fallback=lambda: None), into
    except BaseException:
        into.close()
        raise


class Turns:
    """The numbers ``0 .. count - 1``, each taken once, in order, by this process or by a copy
    forked after them (:class:`Aside`): whoever is free takes the next, so two processes that
    share work in turns end together, however long each turn takes.

    The turns wait in a pipe, one byte each, written whole before the fork: a read of one byte
    is atomic between processes, so no turn is taken twice or lost while both live. A copy that
    dies loses the turns it took: the caller knows which turns it got back.
    """

    #: Turns one pipe holds (one byte each, so one read is one turn).
    MOST = 255

    def __init__(self, count: int) -> None:
        if not 0 <= count <= self.MOST:
            raise ValueError(f"between 0 and {self.MOST} turns, not {count}")
        self._read, write = os.pipe()
        try:
            _write_all(write, bytes(range(count)))
        finally:
            os.close(write)

    def take(self) -> int | None:
        """Return the next turn, or None when all are taken (or :meth:`close` was called)."""
        if self._read < 0:
            return None
        got = os.read(self._read, 1)
        return got[0] if got else None

    def close(self) -> None:
        """Let go of the turns not taken (in this process)."""
        if self._read >= 0:
            os.close(self._read)
            self._read = -1

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


class Parts:
    """Values a forked copy sends one by one (:meth:`send`) while this process goes on and
    takes, without waiting, those that arrived (:meth:`ready`), and the others once the copy
    ended (:meth:`rest`): a copy that works in :class:`Turns` hands over each result as it is
    done, so that this process unpickles it between its own turns, not all at the end.

    Make it before the copy; call :meth:`opened` here once the copy is made. Each value is sent
    whole (pickled, with its length) through a pipe of 1 MB where the system allows, so the copy
    rarely waits for this process to take them. A value cut off by a copy that died is not
    taken.
    """

    #: The pipe's buffer asked for (Linux allows up to 1 MB to anyone).
    BUFFER = 1 << 20

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        with contextlib.suppress(OSError, AttributeError, ValueError):
            import fcntl

            fcntl.fcntl(self._write, fcntl.F_SETPIPE_SZ, self.BUFFER)
        self._got = bytearray()
        self._here = os.getpid()

    def send(self, value: object) -> None:
        """In the copy: send ``value`` (pickled).

        The copy first lets go of its own reading end: with it, a copy whose parent was killed
        waited for ever on a full pipe (holding what it inherited, the workbook's lock among
        them); without it, the write fails and the copy ends."""
        if self._read >= 0 and os.getpid() != self._here:
            os.close(self._read)
            self._read = -1
        _write_all(self._write, _framed(value))

    def opened(self) -> None:
        """Here, once the copy is made: let go of the writing end (the copy holds its own), so
        that the pipe ends when the copy does."""
        if self._write >= 0:
            os.close(self._write)
            self._write = -1
        os.set_blocking(self._read, False)

    def ready(self) -> list[object]:
        """Return the values that arrived whole, without waiting."""
        while self._read >= 0:
            try:
                chunk = os.read(self._read, 1 << 20)
            except BlockingIOError:
                break
            except OSError:
                self.close()
                break
            if not chunk:
                break
            self._got += chunk
        return self._values()

    def rest(self) -> list[object]:
        """Return the values not taken yet, once the copy ended (it waits for that)."""
        if self._read >= 0:
            os.set_blocking(self._read, True)
            while chunk := _read_or_end(self._read):
                self._got += chunk
            self.close()
        return self._values()

    def _values(self) -> list[object]:
        values, got, at = [], self._got, 0
        while len(got) - at >= _SIZE.size:
            (length,) = _SIZE.unpack_from(got, at)
            if len(got) - at - _SIZE.size < length:
                break  # the rest of it is still on its way
            data = bytes(got[at + _SIZE.size : at + _SIZE.size + length])
            at += _SIZE.size + length
            with contextlib.suppress(Exception):  # one that does not unpickle: not taken
                values.append(unpickled(data))
        del got[:at]
        return values

    def close(self) -> None:
        for fd in (self._read, self._write):
            if fd >= 0:
                os.close(fd)
        self._read = self._write = -1

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


def _read_or_end(fd: int) -> bytes:
    """Return what the pipe ``fd`` has next (waiting for it); b"" at its end or on an error."""
    try:
        return os.read(fd, 1 << 20)
    except OSError:
        return b""


def _fork(send: Callable[[int], None]) -> tuple[int, int] | None:
    """Fork a copy of this process that calls ``send`` with the writing end of a pipe and
    ends (status 0, or 1 when ``send`` raised; it never returns into the caller); return
    (its pid, the reading end) here, or None when no copy could be made."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    with _stops_held() as stopped:
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return None
    if pid == 0:  # the copy
        code = 0
        try:
            os.close(read)
            send(write)
        except BaseException:  # even KeyboardInterrupt: the caller does the work itself
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    try:
        for signum in stopped:  # Ctrl-C or SIGTERM during the fork: now, the copy ended
            signal.raise_signal(signum)
    except BaseException:
        _stop(pid, read)
        raise
    return pid, read


@contextlib.contextmanager
def _stops_held() -> Iterator[list[int]]:
    """Hold Ctrl-C, SIGTERM and SIGHUP while the block forks; yield the list of those that came.

    A stop that came during ``os.fork`` was raised in one of its at-fork hooks (logging's),
    which swallow it ("Exception ignored in: _releaseLock"): the command went on as if not
    stopped. Held, it is raised after the fork (:func:`_fork`). Only the main thread can
    hold them; elsewhere the block runs as it is."""
    import threading

    came: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield came
        return
    stops = [signal.SIGINT, *stop_signals()]
    before = {signum: signal.getsignal(signum) for signum in stops}
    for signum in stops:
        if callable(before[signum]) or before[signum] == signal.SIG_DFL:
            signal.signal(signum, lambda signum, _frame: came.append(signum))
    try:
        yield came
    finally:
        for signum, handler in before.items():
            if handler is not None:
                signal.signal(signum, handler)


def _reap(pid: int) -> int:
    """Wait for the copy ``pid`` to end; return its wait status."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = 1 << 8
    return status


def _stop(pid: int, read: int) -> None:
    """End the copy ``pid`` (when there is one) and close the reading end ``read`` (when
    open): a copy still sending gets EPIPE, one still computing is killed."""
    if read >= 0:
        os.close(read)
    if pid:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _reap(pid)


def unpickled(data: bytes) -> object:
    """Return ``data`` unpickled with the cycle collector paused: a result of a large book
    (the changed Facturen cells of half the customers) makes some 100,000 objects, and the
    collector went over the whole book while they were made (0.2-0.3 s in ``betalingen``)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


def _send(fd: int, work: Callable[[], object]) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # showing one writes to stderr: no locks in the copy
        try:
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # the caller's fallback instead
            data = _FAILED
    _write_all(fd, data)
    os.close(fd)


class Ahead(Generic[T]):
    """The chunks ``chunks()`` yields, computed in a forked copy of this process while this
    one takes them (a pipeline over two cores; :func:`can_fork` must hold).

    Iterate to take the chunks in order, each as soon as the copy has sent it. When the copy
    fails or dies, the iteration ends early and :attr:`complete` stays False: the caller then
    computes what is left itself (it knows how much it took). :meth:`close` ends a copy whose
    chunks are not all wanted.

    Args:
      chunks: what to compute; each chunk must pickle (a list of plain values: a chunk of a few
        thousand is sent at a time, while the copy computes the next).
    """

    def __init__(self, chunks: Callable[[], Iterator[T]]) -> None:
        self.complete = False
        made = _fork(lambda fd: _stream(fd, chunks))
        self._pid, self._read = made if made is not None else (0, -1)

    def __iter__(self) -> Iterator[T]:
        if self._read < 0:
            return
        try:
            while (size := _take(self._read, _SIZE.size)) is not None:
                (length,) = _SIZE.unpack(size)
                if length == 0:  # the end: every chunk was sent
                    status, self._pid = _reap(self._pid), 0
                    self.complete = status == 0
                    return
                data = _take(self._read, length)
                if data is None:
                    return
                try:
                    chunk = unpickled(data)
                except Exception:  # a chunk that does not unpickle: the caller goes on
                    return
                yield chunk  # type: ignore[misc]
        finally:
            self.close()

    def close(self) -> None:
        """End the copy (at once when it is still computing) and let go of the pipe."""
        _stop(self._pid, self._read)
        self._pid, self._read = 0, -1

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


#: The length of a chunk sent by :class:`Ahead` (0: the end).
_SIZE = struct.Struct("<Q")


def _stream(fd: int, chunks: Callable[[], Iterator[object]]) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # showing one writes to stderr: no locks in the copy
        for chunk in chunks():
            _write_all(fd, _framed(chunk))
    _write_all(fd, _SIZE.pack(0))
    os.close(fd)


def _framed(value: object) -> bytes:
    """Return ``value`` pickled, after its length (what :class:`Ahead` and :class:`Parts`
    send)."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _SIZE.pack(len(data)) + data


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _take(fd: int, n: int) -> bytes | None:
    """Return the next ``n`` bytes of a pipe; None when it ends first (the copy died)."""
    parts = []
    while n:
        try:
            part = os.read(fd, min(n, 1 << 20))
        except OSError:
            return None
        if not part:
            return None
        parts.append(part)
        n -= len(part)
    return b"".join(parts)


class LazyMapping(Mapping[str, str]):
    """A mapping whose items are made when first looked at (by ``make``)."""

    def __init__(self, make: Callable[[], Mapping[str, str]]) -> None:
        self._make: Callable[[], Mapping[str, str]] | None = make
        self._items: Mapping[str, str] = {}

    def _made(self) -> Mapping[str, str]:
        if self._make is not None:
            self._items, self._make = self._make(), None
        return self._items

    def __getitem__(self, key: str) -> str:
        return self._made()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())
