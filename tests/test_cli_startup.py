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


STOPPED_WHILE_STARTING = """
import sys

class Stop:
    # Ctrl-C while the command line is imported (the first tenths of a second)
    def find_spec(self, name, path=None, target=None):
        if name == "debiteuren.cli":
            raise KeyboardInterrupt

sys.meta_path.insert(0, Stop())
sys.argv = ["debiteuren", "bijwerken", "boek.xlsx"]
from debiteuren.launch import run
run()
"""


def test_ctrl_c_while_starting_says_afgebroken_without_a_traceback():
    done = subprocess.run(
        [sys.executable, "-c", STOPPED_WHILE_STARTING], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr == "Afgebroken.\n"


def test_the_program_and_python_m_start_the_same_command_line():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"] == {"debiteuren": "debiteuren.launch:run"}
    done = subprocess.run(
        [sys.executable, "-m", "debiteuren", "--versie"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("debiteuren, versie ")
