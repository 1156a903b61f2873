"""The engine and the xlwings Lite code run inside Pyodide, with no compiled package.

What runs: Node starts Pyodide 0.27.5 (the npm package ``pyodide``, the version xlwings Lite
uses) from ``tools/pyodide/node_modules``; micropip installs, from a local folder and without
network, debiteuren's own wheel (built here from the source with hatchling) and the pure-Python
wheels of ``tools/pyodide/wheels.txt``. Inside Pyodide ``tests/pyodide/in_pyodide.py`` checks
that lxml, python-calamine, python-docx and xlwings are absent and that every requirement of
debiteuren that applies under emscripten is installed, computes the worksheet functions on
worked examples, loads ``lite/main.py`` and runs the Bijwerken button on the demo workbook
through the fake of the Lite book.

``tools/pyodide/prepare.sh`` (run by ``.ci/run``) installs Node, the npm package and the
wheels. Without them the test is skipped with the reason, except in CI (``CI`` set), where it
fails: there it must run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from debiteuren import __version__, service

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools" / "pyodide"
PYODIDE = TOOLS / "node_modules" / "pyodide"
WHEELS = TOOLS / "wheels"
BUILDER = TOOLS / ".venv" / "bin" / "python"


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is niet geïnstalleerd"
    if not (PYODIDE / "pyodide.mjs").is_file():
        return "het npm-pakket pyodide ontbreekt in tools/pyodide/node_modules"
    if not list(WHEELS.glob("micropip-*.whl")) or not BUILDER.is_file():
        return "de wheels of de bouwomgeving ontbreken in tools/pyodide"
    return None


@pytest.fixture(scope="module")
def pyodide_result(tmp_path_factory) -> dict:
    reason = _missing()
    if reason:
        message = f"{reason}: draai eerst bash tools/pyodide/prepare.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    work = tmp_path_factory.mktemp("pyodide")
    wheels = work / "wheels"
    shutil.copytree(WHEELS, wheels)
    subprocess.run(
        [
            *(str(BUILDER), "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"),
            *("--disable-pip-version-check", "-w", str(wheels), str(ROOT)),
        ],
        check=True,
        capture_output=True,
    )
    assert (wheels / f"debiteuren-{__version__}-py3-none-any.whl").is_file()
    files = work / "files"
    (files / "lite").mkdir(parents=True)
    shutil.copy(ROOT / "lite" / "main.py", files / "lite" / "main.py")
    for name in ("fake_xlwings.py", "fake_lite.py"):
        shutil.copy(ROOT / "tests" / "excel" / name, files / name)
    shutil.copy(ROOT / "tests" / "pyodide" / "in_pyodide.py", files / "in_pyodide.py")
    service.demo_workbook(files / "demo.xlsx")
    run = subprocess.run(
        [
            *("node", str(ROOT / "tests" / "pyodide" / "run.mjs"), str(PYODIDE), str(wheels)),
            *(str(files), "in_pyodide.py"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # Node prints a line of Pyodide's minified source (64 kB) before the Python traceback
    readable = [line for line in run.stderr.splitlines() if len(line) < 1000]
    assert run.returncode == 0, "\n".join(readable[-60:])
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_pyodide_has_no_compiled_package_and_every_requirement(pyodide_result):
    assert pyodide_result["platform"] == "emscripten"
    assert pyodide_result["python"].startswith("3.12")
    assert pyodide_result["compiled_present"] == []
    assert pyodide_result["requirements_missing"] == []
    assert pyodide_result["modules_loaded_compiled"] == []


def test_the_worksheet_functions_give_the_worked_examples_in_pyodide(pyodide_result):
    assert pyodide_result["WETTELIJKE_RENTE TV-03"] == 1163.74  # nl.md TV-03
    assert pyodide_result["WETTELIJKE_RENTE B2 serials"] == 18.9  # be.md B2
    assert pyodide_result["INCASSOKOSTEN 2500 nl-wik"] == 375.0  # nl.md §3.7
    assert pyodide_result["BETALINGSKENMERK BE"] == "+++123/4567/89002+++"  # payments.md §2
    assert pyodide_result["RENTE_SPECIFICATIE Openstaand"] == 1058.9  # be.md B2, with € 40
    assert pyodide_result["fout"].startswith("Fout: bedrag: 'veel'")
    assert pyodide_result["main WETTELIJKE_RENTE"] == 18.9


def test_the_lite_bijwerken_button_runs_in_pyodide(pyodide_result, tmp_path):
    # the same book and day on the desktop: the same status line and the same actions
    sys.path.insert(0, str(ROOT / "tests" / "excel"))
    from fake_lite import lite_book_from_file

    from debiteuren import lite

    book = lite_book_from_file(service.demo_workbook(tmp_path / "demo.xlsx"))
    lines = lite.bijwerken(book, datetime(2026, 10, 15).date(), say=lambda _: None)
    assert pyodide_result["bijwerken"] == lines[0]
    assert pyodide_result["bijwerken"].startswith("Bijgewerkt op 15-10-2026: 34 open facturen")
    assert pyodide_result["bijwerken_actions"] == len(book.app.calls)
