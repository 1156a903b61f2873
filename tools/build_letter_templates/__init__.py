"""Build the letter templates (.docx) from the texts in ``wording/`` and ``layout.py``.

A build tool, not part of the program: nothing in ``debiteuren`` imports it. The templates in
``letter_templates/<lang>/<id>.docx`` are generated here with python-docx, so that their wording
lives in the repository as text and changes can be reviewed line by line. A user may edit the
generated files in Word; the fields they can use are listed in ``letter_templates/README.md``,
whose field tables are generated too (``readme.py``, from ``debiteuren.letters.fields``).
Regenerate both from the repository's root with::

    python -m tools.build_letter_templates [DIR]

Legal wording (see ``shared/domain/nl.md`` §4 and ``be.md`` §3.2):

- ``veertiendagenbrief`` (NL consumer, art. 6:96 lid 6 BW): the term is worded "binnen veertien
  dagen vanaf de dag nadat deze brief bij u is bezorgd"; never "na dagtekening", "na heden" or
  "na verzending" (HR 25-11-2016, ECLI:NL:HR:2016:2704). It states the collection costs as an
  amount and, when VAT is added, says so and why.
- ``eerste_herinnering`` (BE consumer, Book XIX WER): free of charge, the creditor's enterprise
  number, due date, outstanding balance, at least 14 calendar days with the last day, the damages
  (lump sum and interest with its start) owed if unpaid, payment details, and the consumer's
  rights with a contact for disputes or a payment plan.
- Letters that interrupt limitation in the Netherlands (art. 3:317 BW) reserve the creditor's
  right to payment when ``brief.stuit_verjaring`` is true.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from .layout import letter_document
from .readme import write_readme
from .wording import LETTERS
from .wording.common import TITLES

__all__ = ["LANGUAGES", "TEMPLATE_IDS", "build_all", "build_template", "main"]

#: Template ids, one .docx per id and language.
TEMPLATE_IDS = tuple(LETTERS)
#: Letter languages.
LANGUAGES = ("nl", "fr", "en", "de")

_FIXED_TIME = datetime(2025, 1, 1)  # core properties and zip entries: reproducible files


def build_template(template_id: str, language: str) -> bytes:
    """Return the .docx template for one letter in one language.

    Args:
      template_id: one of :data:`TEMPLATE_IDS`.
      language: one of :data:`LANGUAGES`.
    Returns:
      The .docx file as bytes; the same texts always give the same bytes.
    """
    if template_id not in LETTERS:
        raise ValueError(f"unknown template {template_id!r}")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    doc = letter_document(template_id, language)
    props = doc.core_properties
    props.author = "debiteuren"
    props.last_modified_by = "debiteuren"
    props.title = f"{TITLES[template_id][language]} ({language})"
    props.subject = template_id
    # The generator's old module name stays in the properties: the shipped files stay
    # byte-identical to those made before the builder moved to tools/.
    props.comments = (
        "Briefsjabloon van debiteuren. Velden en regels: letter_templates/README.md. "
        "Gegenereerd door debiteuren.letters.template_builder."
    )
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = props.modified = _FIXED_TIME
    props.last_printed = _FIXED_TIME
    out = io.BytesIO()
    doc.save(out)
    return _stable_zip(out.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Rewrite a .docx zip with fixed timestamps so that rebuilding gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def build_all(
    directory: Path,
    *,
    templates: Iterable[str] = TEMPLATE_IDS,
    languages: Iterable[str] = LANGUAGES,
) -> list[Path]:
    """Write every template to ``directory/<lang>/<id>.docx``.

    Args:
      directory: the target folder, e.g. the repository's ``letter_templates``.
      templates: the template ids to write (all by default).
      languages: the languages to write (all by default).
    Returns:
      The paths written.
    """
    written = []
    for language in languages:
        folder = directory / language
        folder.mkdir(parents=True, exist_ok=True)
        for template_id in templates:
            path = folder / f"{template_id}.docx"
            path.write_bytes(build_template(template_id, language))
            written.append(path)
    return written


def default_directory() -> Path:
    """Return the repository's ``letter_templates`` folder (where the shipped files live)."""
    return Path(__file__).resolve().parents[2] / "letter_templates"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m tools.build_letter_templates [DIR]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0] in ("-h", "--help")):
        print("Gebruik: python -m tools.build_letter_templates [MAP]")
        return 0 if args and args[0] in ("-h", "--help") else 2
    directory = Path(args[0]) if args else default_directory()
    for path in build_all(directory):
        print(path)
    readme = directory / "README.md"
    if readme.is_file() and write_readme(readme):
        print(f"{readme}: veldentabellen bijgewerkt")
    return 0
