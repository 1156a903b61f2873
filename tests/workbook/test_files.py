"""Files we create get the user's normal permissions; a replaced file keeps its own."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from debiteuren.workbook.files import atomic_write

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX modes")


@pytest.fixture
def umask():
    """Set the umask for one test and restore it afterwards."""
    old = os.umask(0o022)

    def set_(mask: int) -> None:
        os.umask(mask)

    yield set_
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_the_umask_mode(tmp_path, umask, mask, mode):
    umask(mask)
    target = tmp_path / "brief.docx"
    atomic_write(target, lambda tmp: tmp.write_bytes(b"x"))
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() == b"x"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.docx"]


def test_a_replaced_file_keeps_its_mode(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "boek.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write(target, lambda tmp: tmp.write_bytes(b"new"))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_bytes() == b"new"
