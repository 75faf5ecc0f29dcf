"""Reading the police's monthly file (CSV or XLSX) or the API's rows into numbered raw lines.

Columns, in Albanian or English, in any order, extra columns ignored:
``muaji``/``month`` (YYYY-MM), ``zona``/``area``, ``kategoria``/``category``, ``numri``/``count``.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from ..errors import ValidationFailed
from ..uploads import check_upload

FIELDS = ("month", "area", "category", "count")
ALBANIAN_HEADERS = {"month": "muaji", "area": "zona", "category": "kategoria", "count": "numri"}
HEADER_ALIASES = {
    "month": {"muaji", "muaj", "month"},
    "area": {"zona", "zone", "area"},
    "category": {"kategoria", "kategori", "category"},
    "count": {"numri", "nr", "count", "number"},
}
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_LINES = 20000


def normalise(text) -> str:
    """Lower case, without diacritics (ë -> e, ç -> c), single spaces: how names are compared."""
    text = unicodedata.normalize("NFKD", str(text or "").replace("\ufeff", ""))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


@dataclass
class RawLine:
    line: int
    values: dict[str, object]  # field -> the value as read (str, int, float, date...)

    def shown(self, name: str) -> str:
        value = self.values.get(name)
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()


@dataclass
class LineError:
    line: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class Table:
    lines: list[RawLine] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    source: str = "csv"


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _map_header(cells: list, header_line: int, table: Table) -> dict[int, str]:
    """Which field each column holds; records missing and repeated columns as errors."""
    positions: dict[int, str] = {}
    for index, cell in enumerate(cells):
        if _empty(cell):
            continue
        key = normalise(cell)
        name = next((f for f, aliases in HEADER_ALIASES.items() if key in aliases), None)
        if name is None:
            table.ignored_columns.append(str(cell).strip())
        elif name in table.columns:
            table.errors.append(LineError(header_line, name, _(
                "The column “%(column)s” appears twice.", column=str(cell).strip())))
        else:
            table.columns[name] = str(cell).strip()
            positions[index] = name
    for name in FIELDS:
        if name not in table.columns:
            table.errors.append(LineError(header_line, name, _(
                "The column “%(sq)s” (%(en)s) is missing. The first line must name the columns "
                "muaji, zona, kategoria, numri (or month, area, category, count).",
                sq=ALBANIAN_HEADERS[name], en=name)))
    return positions


def _from_rows(rows, table: Table) -> Table:
    """``rows``: (line number, list of cells). The first non-empty row is the header."""
    positions = None
    for number, cells in rows:
        if all(_empty(c) for c in cells):
            continue
        if positions is None:
            positions = _map_header(list(cells), number, table)
            if table.errors:
                return table
            continue
        values = {name: (cells[index] if index < len(cells) else None) for index, name in positions.items()}
        table.lines.append(RawLine(number, values))
        if len(table.lines) > MAX_LINES:
            raise ValidationFailed({"file": _("The file has too many lines: at most %(n)d.", n=MAX_LINES)})
    if positions is None:
        table.errors.append(LineError(None, None, _("The file is empty.")))
    elif not table.lines:
        table.errors.append(LineError(None, None, _("The file has no lines with figures.")))
    return table


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1250")


def read_csv(data: bytes) -> Table:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = Table(source="csv")

    def rows():
        for cells in reader:
            yield reader.line_num, cells

    return _from_rows(rows(), table)


def read_xlsx(data: bytes) -> Table:
    from ..spreadsheets import SpreadsheetTooLarge, open_workbook

    try:
        workbook = open_workbook(data)  # refuses a decompression bomb (and bounds rows and cells)
    except SpreadsheetTooLarge:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file, not our bug
        raise ValidationFailed({"file": _("The spreadsheet could not be read.")}) from exc
    try:
        sheet = workbook.worksheets[0]
        table = Table(source="xlsx")
        return _from_rows(((n, list(cells)) for n, cells in enumerate(sheet.iter_rows(values_only=True), 1)),
                          table)
    finally:
        workbook.close()


def read_file(filename: str, data: bytes) -> Table:
    """Check the file (type from its content, size) and read its lines."""
    check_upload(filename, data, max_bytes=MAX_FILE_BYTES, allowed={"csv", "xlsx"})
    if filename.lower().endswith(".xlsx"):
        return read_xlsx(data)
    return read_csv(data)


def read_rows(rows) -> Table:
    """Rows sent as JSON: a list of objects with the four fields (English or Albanian names).
    Lines are numbered from 1 in the order given."""
    table = Table(source="json")
    if not isinstance(rows, list) or not rows:
        table.errors.append(LineError(None, None, _("Send a list of rows, each with month, area, category "
                                                    "and count.")))
        return table
    if len(rows) > MAX_LINES:
        raise ValidationFailed({"file": _("The file has too many lines: at most %(n)d.", n=MAX_LINES)})
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            table.errors.append(LineError(number, None, _("This row is not an object with month, area, "
                                                          "category and count.")))
            continue
        values: dict[str, object] = {}
        for key, value in row.items():
            name = next((f for f, aliases in HEADER_ALIASES.items() if normalise(key) in aliases), None)
            if name is not None:
                values[name] = value
        table.lines.append(RawLine(number, values))
    table.columns = {name: name for name in FIELDS}
    return table
