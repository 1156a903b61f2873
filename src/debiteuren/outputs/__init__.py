"""The files debiteuren makes that are not the workbook: the call list, the hand-over dossier
(specification, notes, manifest), the accountant's export and the letters' files.

Every table in them is written by :func:`.tables.write_table`, whose cells are values only (a
text from outside stays a text, never a formula) with the number formats the schema declares.
"""
