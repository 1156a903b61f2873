"""The use cases. The command line and the Excel buttons call only these functions.

- :mod:`.update`: ``bijwerken`` (load, validate, assess, write back), ``nieuw``, the demo book;
- :mod:`.letters`: ``brieven`` (the ladder's letters, call list, logging in Acties),
  ``verzonden`` (marking made letters as sent) and ``gesprek``;
- :mod:`.payments`: ``betalingen`` (bank statements) and ``regeling`` (payment plans);
- :mod:`.handover`: ``overdracht`` (the dossier for an agency or bailiff; ``handover.handover``);
- :mod:`.export`: ``export`` (the accountant's files; ``export.export``);
- :mod:`.einvoice`: ``facturen`` (UBL / Peppol e-invoices);
- :mod:`.live`: the same use cases on the book that is open in Excel;
- :mod:`.changes`: the workbook changes a use case returns, applied to a file or a live book.
"""

from importlib import import_module

from .letters import LettersResult, letters, log_call, mark_sent
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
    "payment_plan": "payments",
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
