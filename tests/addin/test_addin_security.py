"""The add-in runs only the installed Python and package, whatever workbook is open.

Read from the committed add-in with olevba (which shares no code with the build): a workbook's
``debiteuren.conf`` sheet and a ``debiteuren.conf`` beside it are never read, the workbook's
folder and ``<workbook>.zip`` never go on Python's import path, Python starts with ``-P``, and
no code from a workbook's ``*.py`` sheets runs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from oletools import olevba

from debiteuren import excel

XLAM = Path(__file__).resolve().parents[2] / "addin" / "debiteuren.xlam"


@pytest.fixture(scope="module")
def vba() -> str:
    parser = olevba.VBA_Parser(str(XLAM))
    try:
        modules = {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
    return modules["xlwings"].replace("\r\n", "\n")


def _function(code: str, name: str) -> str:
    found = re.search(rf"^(?:Public )?Function {name}\(.*?^End Function", code, re.M | re.S)
    assert found, name
    return found.group(0)


def test_settings_come_only_from_the_users_own_file(vba: str):
    get_config = _function(vba, "GetConfig")
    # the two layers a workbook controls are switched off, the user's file is still read
    assert 'If source = "" Or source = "sheet" Then' not in get_config
    assert 'If source = "" Or source = "directory" Then' not in get_config
    assert get_config.count("If False Then ' debiteuren:") == 2
    assert 'If source = "" Or source = "user" Then' in get_config


def test_the_workbooks_folder_never_goes_on_the_import_path(vba: str):
    assert "ADD_WORKBOOK_TO_PYTHONPATH" not in vba
    assert vba.count('AddExcelDir = "false"') == 3  # RunPython (both branches) and the UDF server
    assert vba.count(' -B -P -c ""import') == 2  # Windows: RunPython and the UDF server
    assert 'PythonInterpreter = ToPosixPath(PYTHON_MAC) & " -P"' in vba  # macOS


def test_no_code_from_a_workbooks_sheets(vba: str):
    run_python = _function(vba, "RunPython")
    loop_end = run_python.index("    Next i\n")
    after = run_python[loop_end:]
    assert after.startswith("    Next i\n    uses_embedded_code = False ' debiteuren")


def test_installing_writes_the_safe_setting_over_a_users_true(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(excel, "_platform", lambda: "win32")
    monkeypatch.setattr(excel, "startup_folder", lambda: tmp_path / "XLSTART")
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    monkeypatch.setattr(excel, "config_file", lambda platform=None: tmp_path / "debiteuren.conf")
    monkeypatch.setattr(excel, "_close_in_excel", lambda: None)
    monkeypatch.delenv("CONDA_DEFAULT_ENV", raising=False)
    monkeypatch.delenv("CONDA_EXE", raising=False)
    (tmp_path / "debiteuren.conf").write_text(
        '"ADD_WORKBOOK_TO_PYTHONPATH","true"\r\n"PYTHONPATH","C:\\eigen"\r\n', encoding="utf-8"
    )
    excel.install()
    lines = (tmp_path / "debiteuren.conf").read_text(encoding="utf-8").splitlines()
    assert lines == [
        f'"INTERPRETER_WIN","{sys.executable}"',
        '"ADD_WORKBOOK_TO_PYTHONPATH","false"',
        '"PYTHONPATH","C:\\eigen"',
    ]


def test_python_ignores_an_xlwings_conf_sheet(monkeypatch):
    import xlwings.utils

    class Sheet:
        def __getitem__(self, address):
            raise AssertionError("the xlwings.conf sheet was read")

    class Book:
        def __init__(self) -> None:
            self.sheets = {"xlwings.conf": Sheet()}

    monkeypatch.setattr(xlwings.utils, "read_config_sheet", xlwings.utils.read_config_sheet)
    excel.ignore_workbook_config()
    assert xlwings.utils.read_config_sheet(Book()) == {}
