"""Shared builders of the use case tests.

Fixtures (test modules do not import this file):
  demo: the demo workbook (``debiteuren demo``'s data, not yet updated) in the test's own
    folder, as ``tmp_path / "demo.xlsx"``; built once per session and copied per test. A module
    that needs it changed (updated, customers added) overrides ``demo`` and asks for this one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from debiteuren import service


@pytest.fixture(scope="session")
def _demo_built(tmp_path_factory) -> Path:
    return service.demo_workbook(tmp_path_factory.mktemp("demo") / "demo.xlsx")


@pytest.fixture
def demo(_demo_built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copyfile(_demo_built, tmp_path / "demo.xlsx"))
