"""The README's quick start, as a new user types it: a fresh clone and the system's Python.

The first command is run literally (``bash -c``) in a fresh ``git clone`` of this repository,
with ``PATH=/usr/bin:/bin`` so that the system's own ``python3`` is used (on Debian it refuses a
plain ``pip install``: PEP 668). The demo folder must then hold the workbook, the letters, a bank
statement and e-invoices, and the commands the demo prints for them must work when pasted.

This needs the package registry (pip installs the dependencies): without it the test is skipped
with the reason. CI has it, so CI runs this test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SYSTEM_PYTHON = Path("/usr/bin/python3")


def quick_start() -> list[str]:
    """Return the commands of the README's section "Snel starten" that run in ``sh``."""
    text = README.read_text(encoding="utf-8")
    start = text.index("## Snel starten")
    end = text.index("\n## ", start + 1)
    return re.findall(r"```sh\n(.*?)\n```", text[start:end], re.S)


def test_the_readme_has_the_two_commands_and_ci_runs_the_second_as_written():
    demo, tests = quick_start()
    assert demo == ("python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/debiteuren demo")
    assert tests.startswith("python3 -m venv .venv && ") and tests.endswith(" -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == tests


def test_the_readme_has_a_windows_section_for_powershell():
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```powershell\n(.*?)\n```", text, re.S)
    assert blocks, "no PowerShell block"
    install = blocks[0].splitlines()
    assert install[0] == "py -3 -m venv .venv"
    assert ".venv\\Scripts\\debiteuren excel installeren" in install
    assert any('-e ".[test]"' in line for b in blocks for line in b.splitlines())
    assert "LibreOffice" in text and "winget install" in text and "brew install" in text


def _environment() -> dict[str, str]:
    """The user's environment with only the system's programs on the PATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CONDA_PREFIX")
    }
    env["PATH"] = "/usr/bin:/bin"
    return env


def _shell(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as a user types it in a terminal in ``folder``."""
    return subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


def _registry_reachable(scratch: Path) -> bool:
    """Ask pip, as configured here, for one small package the build needs."""
    probe = ["download", "--no-deps", "-q", "-d", str(scratch), "hatchling"]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pip", *probe],
            capture_output=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> tuple[Path, str]:
    if not SYSTEM_PYTHON.is_file():
        pytest.skip("geen systeem-Python in /usr/bin/python3 (alleen op Linux)")
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("geen git of geen git-repository om te klonen")
    if not _registry_reachable(tmp_path_factory.mktemp("probe")):
        pytest.skip("geen verbinding met de pakketregistry (PyPI): pip kan niets installeren")
    target = tmp_path_factory.mktemp("schoon") / "debiteuren"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True, timeout=300)
    demo, _ = quick_start()
    done = _shell(demo, target)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return target, done.stdout


def test_the_first_command_installs_with_the_system_python_and_makes_the_demo(clone):
    target, output = clone
    venv_python = (target / ".venv" / "bin" / "python").resolve()
    assert venv_python.is_relative_to(Path("/usr")) or "python3" in venv_python.name
    demo = target / "demo"
    assert (demo / "voorbeeld-debiteuren.xlsx").is_file()
    letters = demo / "brieven" / "2026-10-15"
    names = {p.name for p in letters.iterdir()}
    assert {"K002-14-dagenbrief.docx", "K011-ingebrekestelling.docx", "belijst.xlsx"} <= names
    if shutil.which("soffice", path="/usr/bin:/bin"):
        assert "K002-14-dagenbrief.pdf" in names
    assert (demo / "bankafschriften" / "afschrift-2026-10-15.xml").is_file()
    assert len(list((demo / "e-facturen").glob("*.xml"))) == 2
    overzicht = openpyxl.load_workbook(demo / "voorbeeld-debiteuren.xlsx")["Overzicht"]
    assert overzicht["B3"].value is not None and not isinstance(overzicht["B3"].value, str)
    assert "Probeer daarna" in output


def test_the_statement_and_e_invoices_the_demo_prints_are_accepted(clone):
    target, output = clone
    printed = [line.strip() for line in output.splitlines() if line.startswith("    .venv/")]
    statement = next(c for c in printed if " betalingen " in c)
    einvoices = next(c for c in printed if " facturen " in c)
    for command, expected in (
        (statement, "2 bijschrijvingen, 2 gekoppeld, 0 te controleren"),
        (einvoices, "2 facturen toegevoegd; 1 nieuwe klant (K013)"),
    ):
        done = _shell(command, target)
        assert done.returncode == 0, done.stdout + done.stderr
        assert expected in done.stdout
