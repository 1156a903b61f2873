"""The workbook schema as Markdown, for the README (``python -m debiteuren.workbook.docs``).

A test checks that README.md holds exactly this text, so the documentation cannot drift from
:mod:`debiteuren.workbook.schema`.
"""

from __future__ import annotations

from . import schema

__all__ = ["BEGIN", "END", "schema_markdown"]

BEGIN = "<!-- schema: begin (gegenereerd door python -m debiteuren.workbook.docs) -->"
END = "<!-- schema: end -->"

TYPE_WORDS = {
    schema.ColumnType.TEXT: "tekst",
    schema.ColumnType.CODE: "code (tekst)",
    schema.ColumnType.MONEY: "bedrag (€)",
    schema.ColumnType.DATE: "datum",
    schema.ColumnType.DATETIME: "datum (en tijd)",
    schema.ColumnType.INTEGER: "geheel getal",
    schema.ColumnType.PERCENT: "percentage",
    schema.ColumnType.CHOICE: "keuze",
    schema.ColumnType.YES_NO: "Ja/Nee",
    schema.ColumnType.LIST: "lijst",
    schema.ColumnType.WEEKDAYS: "weekdagen",
}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def schema_markdown() -> str:
    """Return the schema section of the README, sheet by sheet and column by column."""
    lines = [BEGIN, ""]
    for sheet in schema.SHEETS:
        title = f"### {sheet.name}"
        if sheet.table:
            title += f" (tabel `{sheet.table}`)"
        lines += [title, "", _cell(sheet.help), ""]
        if sheet is schema.INSTELLINGEN:
            lines += ["| Instelling | Standaard | Toelichting |", "|---|---|---|"]
            for s in schema.SETTINGS:
                default = "" if s.default is None else s.default
                lines.append(f"| {_cell(s.label)} | {_cell(default)} | {_cell(s.help)} |")
            lines.append("")
            continue
        if not sheet.columns:
            continue
        lines += [
            "| Kolom | Soort | Invoer of berekend | Verplicht | Toelichting |",
            "|---|---|---|---|---|",
        ]
        for c in sheet.columns:
            kind = TYPE_WORDS[c.type]
            if c.choices:
                kind += ": " + ", ".join(c.choices)
            if c.choices_from:
                kind += f", keuze uit het blad {c.choices_from}"
            lines.append(
                f"| {_cell(c.header)} | {_cell(kind)} | {'berekend' if c.computed else 'invoer'} "
                f"| {'ja' if c.required else ''} | {_cell(c.help)} |"
            )
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(schema_markdown())
