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

from importlib import import_module

from .calls import log_call
from .handover import handover
from .letters import LettersResult, letters
from .sent import mark_sent
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

#: Name -> the module that defines it, imported on first use: the bank statement and e-invoice
#: readers need lxml, which Pyodide (xlwings Lite) does not have, and the live use cases do not
#: need them to update a book.
_LAZY = {
    "import_invoices": "einvoice",
    "import_statements": "payments",
    "payment_plan": "plan",
}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_LAZY[name]}", __name__), name)


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
