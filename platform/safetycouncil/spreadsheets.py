"""Spreadsheets in and out, safely: one bounded workbook opener for every import, one formula
neutraliser for every export.

Reading. An XLSX file is a zip: 400 KB can hold a gigabyte of shared strings, which openpyxl
expands in full while it opens the workbook (a decompression bomb). ``open_workbook`` reads the
zip's directory first and refuses a workbook whose parts, uncompressed, are larger than
``MAX_PART_BYTES`` each or ``MAX_TOTAL_BYTES`` together (zipfile never inflates a member past
the size its directory declares, so the check holds for lying archives too), then opens it
read-only and lets its sheets yield at most ``max_rows`` rows and ``max_cells`` cells.
Plan imports and crime-statistics uploads open their workbooks here.

Writing. A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is run as a formula by spreadsheet programs (formula injection, CWE-1236): ``neutralise``
prefixes it with an apostrophe, as the open-data exports always did. Every spreadsheet and CSV
the platform writes passes its cells through it.
"""
from __future__ import annotations

import io
import warnings
import zipfile

from flask_babel import gettext as _

from .errors import ValidationFailed

MAX_PART_BYTES = 25 * 1024 * 1024      # one part of the workbook (a sheet, the shared strings), uncompressed
MAX_TOTAL_BYTES = 60 * 1024 * 1024     # every part together, uncompressed
MAX_PARTS = 500
MAX_ROWS = 100_000
MAX_CELLS = 2_000_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetTooLarge(ValidationFailed):
    """A workbook refused before (or while) it is read, with a translated message under "file"."""

    def __init__(self, message: str):
        super().__init__({"file": message})
        self.message = message

    def __str__(self) -> str:
        return self.message


def neutralise(value):
    """A cell value safe to write into a spreadsheet or CSV: text that would run as a formula gets
    a leading apostrophe (shown as text, never evaluated); everything else is unchanged."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def neutralise_row(row) -> list:
    return [neutralise(v) for v in row]


def check_workbook(data: bytes, *, max_part_bytes: int = MAX_PART_BYTES,
                   max_total_bytes: int = MAX_TOTAL_BYTES) -> None:
    """Refuse a workbook whose parts would take too much memory once uncompressed."""
    too_large = _("The workbook is too large once unpacked (at most %(mb)d MB): "
                  "keep only the sheet to import and save it again.", mb=max_total_bytes // (1024 * 1024))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip: the caller's own reading refuses it with its message
    if len(members) > MAX_PARTS:
        raise SpreadsheetTooLarge(too_large)
    total = 0
    for member in members:
        if member.file_size > max_part_bytes:
            raise SpreadsheetTooLarge(too_large)
        total += member.file_size
        if total > max_total_bytes:
            raise SpreadsheetTooLarge(too_large)


class _BoundedSheet:
    def __init__(self, sheet, max_rows: int, max_cells: int):
        self._sheet, self._max_rows, self._max_cells = sheet, max_rows, max_cells

    def iter_rows(self, *args, **kwargs):
        rows = cells = 0
        for row in self._sheet.iter_rows(*args, **kwargs):
            rows += 1
            cells += len(row)
            if rows > self._max_rows or cells > self._max_cells:
                raise SpreadsheetTooLarge(_(
                    "The sheet is too large: at most %(rows)d rows and %(cells)d cells.",
                    rows=self._max_rows, cells=self._max_cells))
            yield row

    def __getattr__(self, name):
        return getattr(self._sheet, name)


class BoundedWorkbook:
    """A read-only workbook whose sheets yield a bounded number of rows and cells."""

    def __init__(self, workbook, max_rows: int, max_cells: int):
        self._workbook = workbook
        self.worksheets = [_BoundedSheet(s, max_rows, max_cells) for s in workbook.worksheets]

    def close(self) -> None:
        self._workbook.close()

    def __getattr__(self, name):
        return getattr(self._workbook, name)


def open_workbook(data: bytes, *, max_rows: int = MAX_ROWS, max_cells: int = MAX_CELLS,
                  max_part_bytes: int = MAX_PART_BYTES, max_total_bytes: int = MAX_TOTAL_BYTES) -> BoundedWorkbook:
    """Open an uploaded XLSX for reading (values, not formulas), after checking its unpacked size.
    Raises SpreadsheetTooLarge (a ValidationFailed on "file") for a bomb; openpyxl's own errors
    for a file that is not a workbook."""
    check_workbook(data, max_part_bytes=max_part_bytes, max_total_bytes=max_total_bytes)
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return BoundedWorkbook(workbook, max_rows, max_cells)


__all__ = ["SpreadsheetTooLarge", "check_workbook", "neutralise", "neutralise_row", "open_workbook"]
