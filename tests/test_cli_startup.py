"""``debiteuren --help`` starts without the calculator, the rate tables and holidays (issue 17)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from debiteuren import calculator, cli

CHECK = """
import sys
from click.testing import CliRunner
from debiteuren import cli
result = CliRunner().invoke(cli.main, sys.argv[1:])
assert result.exit_code == 0, result.output
assert "Gebruik" in result.output or "Usage" in result.output, result.output
heavy = [m for m in ("holidays", "debiteuren.calculator", "debiteuren.core.rates",
                     "debiteuren.core.interest", "openpyxl", "babel") if m in sys.modules]
assert not heavy, heavy
"""


@pytest.mark.parametrize("args", [["--help"], ["bereken", "--help"], ["bijwerken", "--help"]])
def test_help_imports_nothing_heavy(args):
    done = subprocess.run(
        [sys.executable, "-c", CHECK, *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_the_named_choices_are_the_calculators():
    assert tuple(calculator.SERIES) == cli.SERIES_NAMES
    assert tuple(calculator.COSTS) == cli.COST_NAMES
