"""The use cases. The command line and the Excel buttons call only these functions.

Every use case is one pipeline (:mod:`.pipeline`): read the book once, assess it, act, record
typed rows, write back in one save. Each takes a workbook file or the book open in Excel.

- :mod:`.update`: ``bijwerken``, ``nieuw`` and the demo workbook; :mod:`.demo`: ``demo``;
- :mod:`.letters`: ``brieven`` (the ladder's letters, the call list, logging in Acties);
- :mod:`.sent`: ``verzonden`` (made letters marked as sent); :mod:`.calls`: ``gesprek``;
- :mod:`.payments`: ``betalingen`` (bank statements); :mod:`.plan`: ``regeling``;
- :mod:`.handover`: ``overdracht`` (the dossier for an agency or bailiff);
- :mod:`.export`: ``export`` (the accountant's files); :mod:`.einvoice`: ``facturen``;
- :mod:`.reports`: the Dutch lines of every result, for the command line and Excel;
- :mod:`.live`: ``bijwerken`` on the book open in Excel, as its button reports it;
- :mod:`.changes`: the rule that nothing is recorded in the future.
"""

import sys
from importlib import import_module
from types import ModuleType

from .update import (
    LoadedBook,
    UpdateResult,
    ValidationFailed,
    assess,
    demo_workbook,
    last_statement_date,
    load,
    new_workbook,
    update,
)

#: Name -> the module that defines it, imported on first use: a command imports only the use
#: case it runs (issue 17: ``bijwerken`` and ``betalingen`` do not load the letters or the
#: hand-over, a tenth of a second), and the bank statement and e-invoice readers need lxml,
#: which Pyodide (xlwings Lite) does not have.
_LAZY = {
    "log_call": "calls",
    "handover": "handover",
    "LettersResult": "letters",
    "letters": "letters",
    "mark_sent": "sent",
    "import_invoices": "einvoice",
    "import_statements": "payments",
    "payment_plan": "plan",
}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_LAZY[name]}", __name__), name)


class _UseCases(ModuleType):
    """This package: ``letters`` and ``handover`` stay the use cases when their modules are
    imported (the import system then binds the module's name here, which the eager imports
    of before replaced with the function)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _LAZY and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _UseCases


__all__ = [
    "LettersResult",
    "LoadedBook",
    "UpdateResult",
    "ValidationFailed",
    "assess",
    "demo_workbook",
    "handover",
    "import_invoices",
    "import_statements",
    "last_statement_date",
    "letters",
    "load",
    "log_call",
    "mark_sent",
    "new_workbook",
    "payment_plan",
    "update",
]
