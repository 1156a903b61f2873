"""Pyodide (xlwings Lite): an ``ssl`` that refuses every use, when Pyodide has none loaded.

python-stdnum 2 imports :mod:`ssl` when it starts, for its online checks (VIES and other SOAP
services), which debiteuren never calls. Pyodide ships ``ssl`` apart from its standard library,
as a compiled package with OpenSSL, so without it importing stdnum would fail, and with it every
Lite workbook would load OpenSSL for nothing. When ``ssl`` cannot be imported, this puts a
module in its place whose every attribute raises ImportError with the reason.
"""

import sys
import types

__all__: list[str] = []


class _NoSSL(types.ModuleType):
    def __getattr__(self, name: str) -> object:
        raise ImportError(
            f"ssl.{name}: ssl is in Pyodide niet geladen; debiteuren gebruikt het niet "
            "(alleen de online controles van python-stdnum hebben het nodig)."
        )


try:
    import ssl  # noqa: F401
except ImportError:
    sys.modules["ssl"] = _NoSSL("ssl")
