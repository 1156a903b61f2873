"""README.md documents the schema exactly as schema.py declares it."""

from pathlib import Path

from debiteuren.workbook.docs import BEGIN, END, schema_markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_schema_section_is_generated_from_the_schema():
    text = README.read_text(encoding="utf-8")
    section = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert section == schema_markdown(), (
        "README.md is out of date: replace the schema section with the output of "
        "`python -m debiteuren.workbook.docs`"
    )


def test_every_sheet_and_computed_column_is_documented():
    section = schema_markdown()
    for word in (
        "### Facturen",
        "### Klanten",
        "### Betalingen",
        "### Acties",
        "### Regelingen",
        "### Instellingen",
        "### Rentes",
        "| Totaal | bedrag (€) | berekend |",
        "| Verjaart op | datum | berekend |",
        "| Dagtelling rente | 365 |",
    ):
        assert word in section


def test_no_text_a_user_reads_in_the_workbook_cites_a_file_outside_the_repository():
    # "(nl.md §6)" stood in the Instellingen sheet: a domain note of the developers that no
    # user has (it is not in the repository).
    import re

    from debiteuren.workbook.schema import SETTINGS, SHEETS

    texts = [s.help for s in SETTINGS] + [c.help for sheet in SHEETS for c in sheet.columns]
    texts += [sheet.help for sheet in SHEETS]
    cited = [t for t in texts if re.search(r"\b\w+\.md\b|shared/", t or "")]
    assert not cited, cited


def test_the_fase_column_documents_every_value_debiteuren_writes_there():
    # A credit note's Fase is "Creditnota", which the README's list of Fase values left out.
    from debiteuren.workbook.schema import FACTUREN
    from debiteuren.workbook.write import CREDIT_NOTE_VALUES

    assert CREDIT_NOTE_VALUES["stage"] in FACTUREN.column("stage").choices
    assert "Regeling, Creditnota |" in schema_markdown()
