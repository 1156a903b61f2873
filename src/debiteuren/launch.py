"""The program ``debiteuren`` (and ``python -m debiteuren``): the command line, which says
"Afgebroken." when Ctrl-C comes while it is still starting.

Importing the command line takes a few tenths of a second; a Ctrl-C then (nothing is read or
written yet) printed a Python traceback. Once the command line runs, it handles Ctrl-C itself
(:func:`debiteuren.cli._run`).
"""

from __future__ import annotations

import sys


def run() -> None:
    """Import and run the command line."""
    try:
        from .cli import main
    except KeyboardInterrupt:
        sys.stderr.write("Afgebroken.\n")
        raise SystemExit(1) from None
    main()
