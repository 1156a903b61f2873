"""The workbook: the system of record, read and written with openpyxl.

:mod:`.schema` declares every sheet and column; :mod:`.read` turns a workbook into model objects
and located problems; :mod:`.template` builds the empty workbook.
"""
