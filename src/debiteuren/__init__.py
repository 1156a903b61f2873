"""debiteuren: get unpaid invoices paid, under Dutch and Belgian law, from Excel.

The pure engine lives in :mod:`debiteuren.core`; :mod:`debiteuren.service` holds the use cases
that the command line (:mod:`debiteuren.cli`) and the Excel ribbon (:mod:`debiteuren.excel`) call.
"""

__version__ = "0.1.0"

import sys

if sys.platform == "emscripten":  # Pyodide: xlwings Lite (lite/README.md)
    from . import _pyodide  # noqa: F401
