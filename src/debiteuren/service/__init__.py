"""The use cases. The command line and the Excel buttons call only these functions.

- :mod:`.update`: ``bijwerken`` (load, validate, assess, write back), ``nieuw``, the demo book;
- :mod:`.letters`: ``brieven`` (the ladder's letters, call list, logging in Acties).
"""

from .letters import LettersResult, letters
from .update import (
    LoadedBook,
    UpdateResult,
    ValidationFailed,
    assess,
    demo_workbook,
    last_statement_date,
    load,
    new_workbook,
    save,
    update,
)

__all__ = [
    "LettersResult",
    "LoadedBook",
    "UpdateResult",
    "ValidationFailed",
    "assess",
    "demo_workbook",
    "last_statement_date",
    "letters",
    "load",
    "new_workbook",
    "save",
    "update",
]
