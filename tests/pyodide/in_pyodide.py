"""Runs inside Pyodide (tests/test_pyodide.py): the engine and the xlwings Lite code, no compiled
package. Prints one JSON line with what it found; the test on the host asserts it.

The working folder holds lite/main.py, the fakes of the Lite book (fake_xlwings.py,
fake_lite.py) and demo.xlsx, the demo workbook made on the host.
"""

import importlib.metadata
import importlib.util
import json
import sys
import types
from datetime import date
from importlib import import_module

from packaging.requirements import Requirement

found: dict[str, object] = {"platform": sys.platform, "python": sys.version.split()[0]}

# 1. No compiled package is installed, and micropip would need none: every requirement of
#    debiteuren that applies here is installed.
compiled = {}
for name in ("lxml", "python_calamine", "docx", "docxtpl", "xlwings", "markupsafe"):
    compiled[name] = importlib.util.find_spec(name) is not None
found["compiled_present"] = sorted(name for name, present in compiled.items() if present)
missing = []
for text in importlib.metadata.requires("debiteuren") or []:
    requirement = Requirement(text)
    if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
        try:
            importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(requirement.name)
found["requirements_missing"] = missing

# 2. The engine: the worksheet functions on worked examples.
from debiteuren import functions  # noqa: E402

found["WETTELIJKE_RENTE TV-03"] = functions.wettelijke_rente(
    10000.0, date(2022, 6, 30), date(2024, 9, 30), "nl-wettelijk"
)
found["WETTELIJKE_RENTE B2 serials"] = functions.wettelijke_rente(
    1000.0, 45747.0, 45807.0, "be-handels"
)
found["INCASSOKOSTEN 2500 nl-wik"] = functions.incassokosten(2500.0, "nl-wik")
found["BETALINGSKENMERK BE"] = functions.betalingskenmerk("1234567890", "BE")
spec = functions.rente_specificatie(1000.0, 45747.0, 45807.0, "be-handels", None, "be-40")
found["RENTE_SPECIFICATIE Openstaand"] = spec[-1][5]
found["fout"] = functions.wettelijke_rente("veel", 45747.0, 45807.0, "be-handels")

# 3. lite/main.py, with a stand-in for Lite's own xlwings decorators.
stub = types.ModuleType("xlwings")
stub.func = stub.script = lambda fn=None, **options: fn if fn is not None else (lambda f: f)
stub.Book = object
sys.modules["xlwings"] = stub
loader = importlib.util.spec_from_file_location("lite_main", "lite/main.py")
main = importlib.util.module_from_spec(loader)
loader.loader.exec_module(main)
found["main WETTELIJKE_RENTE"] = main.wettelijke_rente(1000.0, 45747.0, 45807.0, "be-handels")

# 4. The Bijwerken button on the demo workbook, through the fake of the Lite book.
sys.path.insert(0, ".")
from fake_lite import lite_book_from_file  # noqa: E402

book = lite_book_from_file(import_module("pathlib").Path("demo.xlsx"))
lines = import_module("debiteuren.lite").bijwerken(book, date(2026, 10, 15), say=lambda _: None)
found["bijwerken"] = lines[0]
found["bijwerken_actions"] = len(book.app.calls)
found["modules_loaded_compiled"] = sorted(
    {m.split(".")[0] for m in sys.modules} & {"lxml", "python_calamine", "docx", "docxtpl"}
)
print(json.dumps(found, default=str))
