"""The field tables of ``letter_templates/README.md``, generated from ``letters/fields.py``.

The README's section "De velden" lists every block and field a template can use, with its
Dutch meaning and an example. The part between :data:`BEGIN` and :data:`END` is written here
from the declaration (:func:`debiteuren.letters.fields.field_docs`); a test checks that the
README holds exactly this text.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from debiteuren.letters.fields import Example, FieldDoc, field_docs

__all__ = ["BEGIN", "END", "fields_markdown", "write_readme"]

BEGIN = "<!-- velden: begin (gegenereerd door python -m tools.build_letter_templates) -->"
END = "<!-- velden: end -->"

_WIDTH = 100


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _example(example: Example) -> str:
    if example is None:
        return ""
    if isinstance(example, bool):
        return "ja" if example else "nee"
    values = example if isinstance(example, tuple) else (example,)
    return ", ".join(f"`{_cell(str(value))}`" for value in values)


def _paragraph(text: str) -> str:
    """Wrap prose at the README's width without breaking a `code span`."""
    glued = re.sub(r"`[^`]*`", lambda m: m.group(0).replace(" ", "\0"), text)
    lines = textwrap.wrap(glued, _WIDTH, break_long_words=False, break_on_hyphens=False)
    return "\n".join(line.replace("\0", " ") for line in lines)


def _row(doc: FieldDoc) -> str:
    cells = (f"`{doc.path}`", _cell(doc.meaning), _example(doc.example))
    return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"


def fields_markdown() -> str:
    """Return the README's field tables: a heading, table and notes per block."""
    docs = field_docs()
    lines = [BEGIN]
    for block in (doc for doc in docs if doc.block):
        lines += ["", f"### `{block.path}`: {block.meaning}", ""]
        if block.intro:
            lines += [_paragraph(block.intro), ""]
        lines += ["| Veld | Betekenis | Voorbeeld |", "|---|---|---|"]
        lines += [_row(doc) for doc in docs if doc.path.startswith(block.path + ".")]
        if block.outro:
            lines += ["", _paragraph(block.outro)]
    lines += ["", END]
    return "\n".join(lines)


def write_readme(path: Path) -> bool:
    """Put the generated field tables into the README at ``path``; return True if it changed."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    new = text[:start] + fields_markdown() + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text
