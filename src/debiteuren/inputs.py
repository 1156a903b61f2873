"""Reading a user's input file whole, but never more than a limit.

A bank statement or an e-invoice is read into memory whole before it is parsed. Its size on
disk is checked first, but a device or a pipe (``/dev/zero``, a FIFO) has no size there and
never ends: such a path is refused before it is opened, and a file is read at most one byte
past the limit, so that no input can make a command read without end.
"""

from __future__ import annotations

import stat
from pathlib import Path


class NotAFile(Exception):
    """The path is a folder, a device or a pipe, not a file."""


class TooLarge(Exception):
    """The file holds more bytes than the limit.

    Attributes:
      size: its size in bytes; None when it grew past the limit while it was read.
    """

    def __init__(self, path: Path, size: int | None) -> None:
        super().__init__(path)
        self.size = size


def read_limited(path: Path, limit: int) -> bytes:
    """Return the bytes of the regular file ``path``.

    Raises NotAFile for a folder, device or pipe; TooLarge when it holds more than ``limit``
    bytes (also when it grew past it while being read); OSError as ``open`` does.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise NotAFile(path)
    if info.st_size > limit:
        raise TooLarge(path, info.st_size)
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(path, None)
    return data
