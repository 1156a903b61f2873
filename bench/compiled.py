"""Compile debiteuren's bytecode before a benchmark measures it, as pip does when it installs.

An editable install (``pip install -e .``) writes no bytecode, and where ``PYTHONDONTWRITEBYTECODE``
is set (as on the machine these benchmarks ran on) Python then compiles every module of the
package from its source in every process: 0.2 s of each ``debiteuren betalingen`` that a user's
program does not spend, because pip compiles the bytecode of what it installs (as it did for
openpyxl, lxml and every other dependency here). Compiled once before the measurements, the
package is measured as its dependencies are.
"""

from __future__ import annotations

import compileall
import importlib.util


def compile_package() -> None:
    """Write the bytecode of every module of debiteuren (where it is missing or stale)."""
    spec = importlib.util.find_spec("debiteuren")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        compileall.compile_dir(folder, quiet=1)
