"""The plan as a spreadsheet laid out like the Elbasan table (Table 1 of the roadmap):

    Nr. | Problemi i identifikuar | Prioriteti | Aktivitetet | Institucioni përgjegjës | Afati
    No. | Identified issue        | Priority   | Activities  | Responsible institution | Timing

plus two optional columns, partner organisations and indicators ("name | unit | baseline |
target | source", one a line). Albanian and English headers and words are both understood.

A row with an issue starts an item; its activities cell may number several activities
("1. ...", "2. ..."), which then share the row's institutions and timing. A row without an
issue continues the item above with activities of its own (its own institutions and timing, or
the row above's when left empty). The export writes one row per item when its activities share
institutions, timing and partners, and one row per activity otherwise, so that exporting and
importing again gives the same plan.

The Excel export carries everything the platform knows about the plan, so that importing it again
(into the same year or another) loses nothing: two more columns on the plan's sheet (the risk each item
answers, by its number in the register, and the responsible institutions' stable codes) and a second
sheet with the funding of each activity. Sheets typed by hand need none of them: what they do not say is
carried over from the version the import continues.

Importing is all or nothing: every line is checked first and reported (what was understood,
what was refused); only a sheet without errors changes anything. Institutions are matched to known ones
(case and diacritics ignored) and never created: an unknown name is refused with the closest known
names. An import that would change or remove anything of the draft (or of the approved version it
revises) first shows the changes item by item and asks for confirmation; a draft it replaces is kept
as a version that can be restored.
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from ..wording import fold
from ..errors import ValidationFailed
from ..extensions import db
from . import services
from .models import (
    PlanActivity,
    PlanActivityInstitution,
    PlanFunding,
    PlanIndicator,
    PlanItem,
    PlanVersion,
)
from .vocabulary import (
    COLUMNS,
    FULL_COLUMNS,
    FUNDING_COLUMNS,
    FUNDING_HEADERS,
    FUNDING_SHEET,
    FUNDING_WORDS,
    HEADERS,
    PRIORITY_WORDS,
    REQUIRED_COLUMNS,
    column_of,
    exact_number,
    format_number,
    funding_column_of,
    indicator_line,
    parse_funding_source,
    parse_priority,
    parse_timing,
    timing_words,
)

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
_MARKER = re.compile(r"(?:^|(?<=[\n;]))[ \t]*(\d{1,2})[.)][ \t]+|(?:^|(?<=[\n;]))[ \t]*(\d{1,2})[.)][ \t]*(?=\n|;|$)")
_BULLET = re.compile(r"(?m)^[ \t]*[-•*–][ \t]+")


class NotASpreadsheet(ValueError):
    pass


@dataclass
class ParsedActivity:
    description: str
    institutions: list[str]
    timing: tuple[str, str]
    partners: str | None
    institution_ids: list[int] = field(default_factory=list)
    funding: list[dict] | None = None  # None: the sheet says nothing about funding (carried over)


@dataclass
class ParsedIndicator:
    name: str
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    source: str | None = None


@dataclass
class ParsedItem:
    line: int
    number: str | None
    issue: str
    intensity: str
    activities: list[ParsedActivity] = field(default_factory=list)
    indicators: list[ParsedIndicator] = field(default_factory=list)
    risk_id: int | None = None
    risk_given: bool = False  # the sheet has the risk column (an empty cell then removes the link)


@dataclass
class ImportReport:
    """The line-by-line report: ``lines`` of {line, status (ok, error, skipped), messages}."""

    filename: str
    lines: list[dict] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    imported: bool = False
    plan_id: int | None = None
    version_id: int | None = None
    version_number: int | None = None
    needs_confirmation: bool = False
    confirmation: str | None = None  # send it back to confirm the changes shown in ``preview``
    preview: dict | None = None  # compare_versions() of the version the import replaces or revises
    replaced_version_id: int | None = None  # the draft set aside (kept, can be restored)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(line["status"] == "error" for line in self.lines)

    def add(self, line: int | None, status: str, *messages: str, sheet: str | None = None) -> None:
        self.lines.append({"line": line, "status": status, "messages": [str(m) for m in messages],
                           "sheet": sheet})

    def as_dict(self) -> dict:
        return {"filename": self.filename, "imported": self.imported, "ok": self.ok,
                "items": len(self.items), "activities": sum(len(i.activities) for i in self.items),
                "errors": sum(1 for line in self.lines if line["status"] == "error"),
                "plan_id": self.plan_id, "version_id": self.version_id, "version_number": self.version_number,
                "needs_confirmation": self.needs_confirmation, "confirmation": self.confirmation,
                "preview": self.preview, "replaced_version_id": self.replaced_version_id,
                "warnings": [str(w) for w in self.warnings], "lines": self.lines}


# --- reading the file ---------------------------------------------------------------------------

def _cell(value, keep_numbers: bool = False):
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, bool):
        return str(value)
    if keep_numbers and isinstance(value, int | float):
        return float(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def read_rows(filename: str, data: bytes) -> list[list]:
    """The sheet's rows (the first worksheet of an XLSX, or a CSV), as lists of cells."""
    return read_sheets(filename, data)[0][1]


def read_sheets(filename: str, data: bytes) -> list[tuple[str, list[list]]]:
    """(title, rows) of every worksheet of an XLSX (numbers kept as numbers after the first sheet), or the
    one sheet of a CSV."""
    name = (filename or "").lower()
    if not data:
        raise NotASpreadsheet(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise NotASpreadsheet(_("The file is too large: at most %(mb)d MB.", mb=MAX_BYTES // (1024 * 1024)))
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                is_xlsx = any(n.startswith("xl/") for n in archive.namelist())
        except zipfile.BadZipFile:
            is_xlsx = False
        if not is_xlsx:
            raise NotASpreadsheet(_("The file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."))
        from ..spreadsheets import SpreadsheetTooLarge, open_workbook

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                workbook = open_workbook(data)  # refuses a decompression bomb before parsing
                try:
                    sheets = []
                    for position, sheet in enumerate(workbook.worksheets[:4]):
                        rows = [[_cell(v, keep_numbers=position > 0) for v in row]
                                for _, row in zip(range(MAX_ROWS + 1), sheet.iter_rows(values_only=True))]
                        sheets.append((sheet.title, rows))
                finally:
                    workbook.close()
        except SpreadsheetTooLarge as exc:
            raise NotASpreadsheet(str(exc)) from exc
        except Exception as exc:
            raise NotASpreadsheet(_("The workbook could not be read: save it again as .xlsx and retry.")) from exc
        return sheets
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise NotASpreadsheet(_("Old Excel files (.xls) are not read: save the sheet as .xlsx or CSV and retry."))
    if data.startswith(b"%PDF") or b"\x00" in data[:4096] or name.endswith((".pdf", ".docx", ".doc", ".ods")):
        raise NotASpreadsheet(_("The file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."))
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            content = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise NotASpreadsheet(_("The file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."))
    sample = "\n".join(content.splitlines()[:10])
    delimiter = max((";", ",", "\t"), key=sample.count)
    if sample.count(delimiter) == 0:
        raise NotASpreadsheet(_("The file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."))
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    return [("", [[_cell(v) for v in row] for _, row in zip(range(MAX_ROWS + 1), reader)])]


# --- understanding the rows ---------------------------------------------------------------------

def split_activities(cell: str) -> list[str]:
    """"1. A; 2. B" or "1. A\\n2. B" or bullets -> ["A", "B"]; unnumbered text is one activity.
    An empty numbered activity is kept as "" (and refused by the caller)."""
    cell = (cell or "").strip()
    if not cell:
        return []
    if _MARKER.match(cell):
        parts = _MARKER.split(cell)
        # split() yields [before, g1, g2, text, g1, g2, text, ...]
        texts = [parts[i] for i in range(3, len(parts), 3)]
    elif _BULLET.match(cell):
        texts = _BULLET.split(cell)[1:]
    else:
        texts = [cell]
    return [" ".join(t.split()).strip().rstrip(";").strip() for t in texts]


def split_institutions(cell: str) -> list[str]:
    parts = re.split(r"[;\n]", cell or "")
    names = [" ".join(p.split()).strip().rstrip(".,").strip() for p in parts]
    return list(dict.fromkeys(n for n in names if n))


def _parse_indicators(cell: str, line: int, errors: list[str]) -> list[ParsedIndicator]:
    found = []
    for raw in (cell or "").split("\n"):
        raw = raw.strip()
        if not raw:
            continue
        parts = [p.strip() for p in raw.split("|")]
        if not parts[0]:
            errors.append(_("An indicator has no name: write \"name | unit | baseline | target | source\"."))
            continue
        values = {}
        for index, key in ((2, "baseline"), (3, "target")):
            value = parts[index] if len(parts) > index else ""
            if value:
                try:
                    values[key] = float(value.replace(" ", "").replace(",", "."))
                except ValueError:
                    errors.append(_("The %(what)s of the indicator \"%(name)s\" is not a number: \"%(value)s\".",
                                    what=_("baseline") if key == "baseline" else _("target"), name=parts[0],
                                    value=value))
        found.append(ParsedIndicator(name=parts[0][:300], unit=(parts[1] if len(parts) > 1 and parts[1] else None),
                                     baseline=values.get("baseline"), target=values.get("target"),
                                     source=(parts[4] if len(parts) > 4 and parts[4] else None)))
    return found


def _header(rows: list[list]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:15]):
        columns: dict[str, int] = {}
        for position, value in enumerate(row):
            if isinstance(value, str):
                name = column_of(value)
                if name and name not in columns:
                    columns[name] = position
        if len(columns) >= 3:
            return index, columns
    return None


def _header_names(column: str) -> str:
    return f"\"{HEADERS['sq'][column]}\" ({HEADERS['en'][column]})"


def parse(filename: str, data: bytes) -> ImportReport:
    """Check every line; nothing is written here."""
    report = ImportReport(filename=filename or "")
    try:
        sheets = read_sheets(filename, data)
    except NotASpreadsheet as exc:
        report.add(None, "error", str(exc))
        return report
    rows = sheets[0][1]
    if len(rows) > MAX_ROWS:
        report.add(None, "error", _("The sheet has more than %(n)d rows.", n=MAX_ROWS))
        return report
    found = _header(rows)
    if found is None:
        report.add(None, "error", _("No header row was found. The sheet needs the columns %(columns)s.",
                                    columns=", ".join(_header_names(c) for c in REQUIRED_COLUMNS)))
        return report
    header_index, columns = found
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    for column in missing:
        report.add(header_index + 1, "error", _("The column %(column)s is missing.", column=_header_names(column)))
    if missing:
        return report
    report.add(header_index + 1, "skipped", _("Header row: %(columns)s.", columns=", ".join(
        _header_names(c) for c in COLUMNS if c in columns)))

    def get(row, column):
        position = columns.get(column)
        if position is None or position >= len(row):
            return ""
        return row[position]

    resolver = _InstitutionResolver()
    current: ParsedItem | None = None
    last_institutions: list[str] = []
    last_ids: list[int] = []
    last_timing: tuple[str, str] | None = None
    last_partners: str | None = None
    for index in range(header_index + 1, len(rows)):
        row, line = rows[index], index + 1
        cells = {c: get(row, c) for c in COLUMNS}
        if all(v == "" for v in cells.values()):
            continue
        errors: list[str] = []
        issue = cells["issue"] if isinstance(cells["issue"], str) else str(cells["issue"])
        starts_item = bool(issue)
        if starts_item:
            number_ = str(cells["number"]).strip() or None
            raw_priority = str(cells["priority"]).strip()
            intensity = parse_priority(raw_priority)
            if not raw_priority:
                errors.append(_("The priority is empty: write i lartë, mesatar or i ulët (high, moderate, low)."))
            elif intensity is None:
                errors.append(_("The priority \"%(word)s\" is not understood: write i lartë, mesatar or i ulët "
                                "(high, moderate, low).", word=raw_priority))
            current = ParsedItem(line=line, number=number_, issue=" ".join(issue.split())[:4000],
                                 intensity=intensity or "", risk_given="risk" in columns)
            if "risk" in columns:
                current.risk_id = _risk_of(cells["risk"], errors)
            last_institutions, last_ids, last_timing, last_partners = [], [], None, None
        elif current is None:
            report.add(line, "error", _("This line has activities but no identified issue: write the issue in the "
                                        "column %(column)s.", column=_header_names("issue")))
            continue
        elif str(cells["number"]).strip() or str(cells["priority"]).strip():
            errors.append(_("This line has a number or a priority but no identified issue."))

        descriptions = split_activities(cells["activities"] if isinstance(cells["activities"], str)
                                        else str(cells["activities"]))
        none_yet = descriptions in (["—"], ["-"])  # written by the export: an item with no activities yet
        descriptions = [] if none_yet else descriptions
        if not descriptions and not none_yet and (starts_item or not cells["indicators"]):
            errors.append(_("The activities cell is empty: every issue needs at least one activity."))
        for position, description in enumerate(descriptions, start=1):
            if not description:
                errors.append(_("Activity %(n)d is empty.", n=position))
        institutions = split_institutions(str(cells["institutions"]))
        explicit_none = institutions in (["—"], ["-"])  # written by the export: none yet (not the row above's)
        institutions = [] if explicit_none else institutions
        ids = resolver.resolve(institutions, str(cells["institution_ids"]) if "institution_ids" in columns else "",
                               errors)
        if not institutions and descriptions and not explicit_none:
            if starts_item or not last_institutions:
                errors.append(_("The responsible institution is empty."))
            institutions, ids = last_institutions, last_ids
        raw_timing = cells["timing"]
        timing = parse_timing(raw_timing) if raw_timing != "" else None
        if raw_timing in ("—", "-"):  # written by the export: no timing yet
            timing = (None, None)
        elif raw_timing == "" and descriptions:
            if starts_item or last_timing is None:
                errors.append(_("The timing is empty: write a date (31.12.2025), a period (first six months) "
                                "or a recurrence (every two months, all year round)."))
            timing = last_timing
        elif raw_timing != "" and timing is None:
            errors.append(_("The timing \"%(value)s\" is not understood: write a date (31.12.2025), a period "
                            "(first six months, gjashtëmujori i parë) or a recurrence (every two months, "
                            "çdo dy muaj, all year round).", value=str(raw_timing)))
        partners = " ".join(str(cells["partners"]).split()) or (None if starts_item else last_partners)
        if partners in ("—", "-"):  # written by the export: this activity has no partners (not the row above's)
            partners = None
        indicators = _parse_indicators(str(cells["indicators"]), line, errors)
        if errors:
            report.add(line, "error", *errors)
            continue
        for description in descriptions:
            current.activities.append(ParsedActivity(description=description[:4000], institutions=institutions,
                                                     timing=timing, partners=partners, institution_ids=ids))
        current.indicators.extend(indicators)
        last_institutions, last_ids, last_timing, last_partners = institutions, ids, timing, partners
        if starts_item:
            report.items.append(current)
        label = current.number or current.issue[:60]
        understood = [_("Item %(item)s", item=label)]
        if starts_item:
            understood.append(_("priority: %(p)s", p=PRIORITY_WORDS["en"][current.intensity].lower()))
        if descriptions:
            understood.append(_("%(n)d activities", n=len(descriptions)))
            understood.append(_("responsible: %(names)s", names="; ".join(institutions)))
            understood.append(_("timing: %(t)s", t=timing_words(*(timing or (None, None)), "en") or "—"))
        if indicators:
            understood.append(_("%(n)d indicators", n=len(indicators)))
        report.add(line, "ok", ", ".join(understood) + ".")
    if not report.items and report.ok:
        report.add(None, "error", _("The sheet has no plan items under its header row."))
    for title, funding_rows in sheets[1:]:
        if fold(title) in {fold(t) for t in FUNDING_SHEET.values()}:
            _parse_funding(title, funding_rows, report)
    return report


def _risk_of(raw, errors: list[str]) -> int | None:
    """The risk an item answers, from "12 · title" (its number in the register); None when empty."""
    text = str(raw or "").strip()
    if not text:
        return None
    from ..risks.models import Risk

    match = re.match(r"^#?\s*(\d+)", text)
    risk = db.session.get(Risk, int(match[1])) if match else None
    if risk is None:
        errors.append(_("The risk \"%(value)s\" is not in this municipality's register: write the risk's number "
                        "from the register, or leave the cell empty.", value=text[:80]))
        return None
    return risk.id


class _InstitutionResolver:
    """Names (and, from an export, codes) of responsible institutions -> ids of known institutions this
    municipality may name (council.references). Nothing is ever created: an unknown name is refused
    with the closest known names."""

    def __init__(self):
        from sqlalchemy import select

        from ..council.models import Institution
        from ..council.references import usable_clause

        rows = db.session.execute(select(Institution).where(usable_clause())).scalars().all()
        county_id = services._municipality().county_id
        self.candidates = sorted(rows, key=lambda i: (i.county_id != county_id, not i.shared, i.id))
        self.by_id = {i.id: i for i in self.candidates}
        self.by_name: dict[str, object] = {}
        for institution in self.candidates:
            self.by_name.setdefault(fold(institution.name), institution)

    def resolve(self, names: list[str], codes: str, errors: list[str]) -> list[int]:
        given = [c.strip().lstrip("#") for c in re.split(r"[;,\n]", codes or "") if c.strip()]
        ids: list[int] = []
        for position, name in enumerate(names):
            institution = None
            if len(given) == len(names) and given[position].isdigit():
                coded = self.by_id.get(int(given[position]))
                if coded is not None and fold(coded.name) == fold(name):
                    institution = coded
            if institution is None:
                institution = self.by_name.get(fold(name))
            if institution is None:
                close = difflib.get_close_matches(fold(name), list(self.by_name), n=3, cutoff=0.6)
                if close:
                    errors.append(_("The institution \"%(name)s\" is not known. Did you mean: %(names)s? Write the "
                                    "name as the platform knows it.", name=name,
                                    names="; ".join(f"\"{self.by_name[c].name}\"" for c in close)))
                else:
                    errors.append(_("The institution \"%(name)s\" is not known: add it to the council's institutions "
                                    "first (Council, Institutions), then import again.", name=name))
                continue
            ids.append(institution.id)
        return list(dict.fromkeys(ids))


def _parse_funding(title: str, rows: list[list], report: ImportReport) -> None:
    """The funding sheet: one row per funding record, by item (its number, or "#n" for the n-th item) and
    activity number. Present, it is the whole funding of the plan (an activity without rows has none)."""
    header = None
    for index, row in enumerate(rows[:10]):
        columns = {}
        for position, value in enumerate(row):
            name = funding_column_of(value) if isinstance(value, str) else None
            if name and name not in columns:
                columns[name] = position
        if {"item", "activity", "source"} <= set(columns):
            header = (index, columns)
            break
    if header is None:
        report.add(None, "error", _("The sheet \"%(sheet)s\" has no header row with the columns No., Activity no. "
                                    "and Source.", sheet=title), sheet=title)
        return
    for item in report.items:
        for activity in item.activities:
            activity.funding = []
    numbers: dict[str, list[ParsedItem]] = {}
    for item in report.items:
        if item.number:
            numbers.setdefault(fold(item.number), []).append(item)
    header_index, columns = header
    for index in range(header_index + 1, len(rows)):
        row, line = rows[index], index + 1

        def get(name, row=row):
            position = columns.get(name)
            return row[position] if position is not None and position < len(row) else ""

        if all(get(c) in ("", None) for c in FUNDING_COLUMNS):
            continue
        errors: list[str] = []
        ref = str(get("item")).strip()
        if isinstance(get("item"), float):
            ref = exact_number(get("item"))
        item = None
        if ref.startswith("#") and ref[1:].isdigit() and 0 < int(ref[1:]) <= len(report.items):
            item = report.items[int(ref[1:]) - 1]
        elif len(numbers.get(fold(ref), [])) == 1:
            item = numbers[fold(ref)][0]
        raw_activity = get("activity")
        try:
            activity_no = int(float(raw_activity))
        except (TypeError, ValueError):
            activity_no = 0
        if item is None:
            errors.append(_("No item of the plan has the number \"%(ref)s\".", ref=ref))
        elif not 0 < activity_no <= len(item.activities):
            errors.append(_("Item %(ref)s has no activity number %(n)s.", ref=ref, n=str(raw_activity)))
        source = parse_funding_source(get("source"))
        data = {name: get(name) for name in FUNDING_COLUMNS if name not in ("item", "activity")}
        data = {k: (exact_number(v) if isinstance(v, float) and k != "amount" else v) for k, v in data.items()}
        data = {k: (v if not isinstance(v, str) else (v or None)) for k, v in data.items()}
        data["source"] = source or str(get("source"))
        field_errors: dict[str, str] = {}
        values = services._funding_values(data, field_errors)
        errors.extend(field_errors.values())
        if errors:
            report.add(line, "error", *errors, sheet=title)
            continue
        item.activities[activity_no - 1].funding.append(values)
        report.add(line, "ok", _("Funding of activity %(n)d of item %(ref)s.", n=activity_no, ref=ref), sheet=title)


# --- applying it --------------------------------------------------------------------------------

def _match_keys(base: PlanVersion | None, items: list[ParsedItem]) -> list[tuple[PlanItem | None, list]]:
    """For each parsed item, the base version's item it continues (by number, else by issue), and for
    each of its activities the base activity (by description, else by position)."""
    base_items = list(base.items) if base is not None else []
    by_number = {fold(i.number): i for i in base_items if i.number}
    by_issue = {fold(i.issue): i for i in base_items}
    used: set[int] = set()
    matched = []
    for parsed in items:
        old = None
        if parsed.number and fold(parsed.number) in by_number:
            old = by_number[fold(parsed.number)]
        elif fold(parsed.issue) in by_issue:
            old = by_issue[fold(parsed.issue)]
        if old is not None and old.id in used:
            old = None
        if old is not None:
            used.add(old.id)
        activities: list[PlanActivity | None] = []
        if old is not None:
            by_text = {fold(a.description): a for a in old.activities}
            taken: set[int] = set()
            for position, activity in enumerate(parsed.activities):
                candidate = by_text.get(fold(activity.description))
                if candidate is None and position < len(old.activities):
                    candidate = old.activities[position]
                if candidate is not None and candidate.id in taken:
                    candidate = None
                if candidate is not None:
                    taken.add(candidate.id)
                activities.append(candidate)
        else:
            activities = [None] * len(parsed.activities)
        matched.append((old, activities))
    return matched


def _state(version: PlanVersion | None) -> str:
    """What a version holds now, to tell whether it changed between the preview and the confirmation."""
    if version is None:
        return ""
    content = [services.item_content(i) for i in version.items]
    return json.dumps({"id": version.id, "status": version.status, "items": content}, sort_keys=True, default=str)


def _fill(draft: PlanVersion, items: list[ParsedItem], base: PlanVersion | None) -> None:
    """Write the parsed items into the (empty) draft. Items and activities that continue ones of ``base`` keep
    their keys, and what the sheet does not say (a risk link, funding) is carried over from them."""
    carried = []
    for parsed, (old, activities) in zip(items, _match_keys(base, items), strict=True):
        carried.append({
            "key": old.key if old is not None else services.new_key(),
            "risk_id": old.risk_id if old is not None else None,
            "indicator_keys": {fold(i.name): i.key for i in old.indicators} if old is not None else {},
            "activities": [(a.key, [{f: getattr(x, f) for f in services.FUNDING_FIELDS} for x in a.funding])
                           if a is not None else (services.new_key(), []) for a in activities]})
    for position, (parsed, keep) in enumerate(zip(items, carried, strict=True), start=1):
        item = PlanItem(version_id=draft.id, key=keep["key"], position=position, number=parsed.number,
                        issue=parsed.issue, intensity=parsed.intensity,
                        risk_id=parsed.risk_id if parsed.risk_given else keep["risk_id"])
        db.session.add(item)
        db.session.flush()
        for a_position, (parsed_activity, (key, funding)) in enumerate(
                zip(parsed.activities, keep["activities"], strict=True), start=1):
            activity = PlanActivity(item_id=item.id, position=a_position, key=key,
                                    description=parsed_activity.description, partners=parsed_activity.partners,
                                    timing_kind=parsed_activity.timing[0], timing_value=parsed_activity.timing[1])
            db.session.add(activity)
            db.session.flush()
            for i_position, institution_id in enumerate(parsed_activity.institution_ids, start=1):
                db.session.add(PlanActivityInstitution(activity_id=activity.id, institution_id=institution_id,
                                                       position=i_position))
            for values in (parsed_activity.funding if parsed_activity.funding is not None else funding):
                db.session.add(PlanFunding(activity_id=activity.id, **values))
        keys = dict(keep["indicator_keys"])
        for i_position, parsed_indicator in enumerate(parsed.indicators, start=1):
            key = keys.pop(fold(parsed_indicator.name), None) or services.new_key()
            db.session.add(PlanIndicator(item_id=item.id, key=key, position=i_position, name=parsed_indicator.name,
                                         unit=parsed_indicator.unit, baseline=parsed_indicator.baseline,
                                         target=parsed_indicator.target, source=parsed_indicator.source))
    db.session.flush()
    db.session.expire(draft, ["items"])


def import_plan(filename: str, data: bytes, *, year, user_id: int | None, confirm: str | None = None) -> ImportReport:
    """Parse the sheet and, when every line is understood, make it the content of the year's draft: a new
    plan, the empty draft, a new revision of the approved version, or a new draft in place of an edited one
    (which is kept, status "replaced", and can be restored).

    When the result changes or removes anything of the version it replaces or revises, nothing is kept
    unless ``confirm`` is the ``report.confirmation`` of the preview (``report.preview``: the changes item by
    item) and nothing changed since. The caller commits when ``report.imported``, else rolls back."""
    errors: dict[str, str] = {}
    year_value = services._year(year, errors)
    if errors:
        raise ValidationFailed(errors)
    report = parse(filename, data)
    if not report.ok:
        return report
    plan = services.plan_for_year(year_value)
    old_draft = services.draft_of(plan) if plan is not None else None
    if plan is None:
        compare_from = None
    elif old_draft is not None and old_draft.items:
        compare_from = old_draft
    elif old_draft is not None:
        compare_from = db.session.get(PlanVersion, old_draft.based_on_id) if old_draft.based_on_id else None
    else:
        compare_from = services.approved_of(plan)
    token = hashlib.sha256(f"{year_value}|{hashlib.sha256(data).hexdigest()}|{_state(compare_from)}".encode()
                           ).hexdigest()[:32]
    if plan is None:
        plan = services.create_plan(year_value, user_id=user_id)
        draft = services.draft_of(plan)
    elif old_draft is None:
        draft = services.start_revision(plan, note=_("Imported from a spreadsheet."), user_id=user_id, copy=False)
    elif old_draft.items:
        old_draft.status = "replaced"
        db.session.flush()
        number_ = max(v.number for v in services.versions_of(plan)) + 1
        draft = PlanVersion(plan_id=plan.id, number=number_, status="draft", based_on_id=old_draft.based_on_id,
                            consultation_meeting_id=old_draft.consultation_meeting_id, created_by_id=user_id,
                            note=_("Imported from a spreadsheet in place of version %(n)s, which is kept and can be "
                                   "restored.", n=old_draft.number))
        db.session.add(draft)
        db.session.flush()
        report.replaced_version_id = old_draft.id
    else:
        draft = old_draft
    _fill(draft, report.items, compare_from)
    if compare_from is not None:
        comparison = services.compare_versions(compare_from, draft)
        summary = comparison["summary"]
        if summary["removed"] or summary["changed"]:
            report.preview = comparison
            if confirm != token:
                report.needs_confirmation, report.confirmation = True, token
                return report
    for activity in services.activities_of(draft):
        report.warnings.extend(services.deadline_warnings(activity, year_value))
    report.imported = True
    report.plan_id, report.version_id, report.version_number = draft.plan_id, draft.id, draft.number
    return report


# --- export -------------------------------------------------------------------------------------

def _uniform(item: PlanItem) -> bool:
    shapes = {(tuple(i.id for i in a.institutions), a.timing_kind, a.timing_value, a.partners or "")
              for a in item.activities}
    return len(shapes) <= 1


def table_rows(version: PlanVersion, language: str, *, full: bool = False
               ) -> tuple[list[str], list[list[str]], list[tuple[int, int]]]:
    """(header, rows, item row spans) of the plan's table in ``language``: the layout of every export.
    ``full`` adds the columns that make a round trip lossless (risk numbers, institution codes)."""
    has_partners = any(a.partners for i in version.items for a in i.activities)
    has_indicators = any(i.indicators for i in version.items)
    columns = [c for c in COLUMNS if c in REQUIRED_COLUMNS or (c == "partners" and has_partners)
               or (c == "indicators" and has_indicators) or (full and c in FULL_COLUMNS)]
    risks = {}
    if full:
        from sqlalchemy import select

        from ..risks.models import Risk

        ids = {i.risk_id for i in version.items if i.risk_id}
        if ids:
            risks = {r.id: r for r in db.session.execute(select(Risk).where(Risk.id.in_(ids))).scalars()}
    header = [HEADERS[language][c] for c in columns]
    rows: list[list[str]] = []
    spans: list[tuple[int, int]] = []

    def activity_cells(activities: list[PlanActivity], numbered: bool) -> dict:
        first = activities[0] if activities else None
        lines = [f"{n}. {a.description}" if numbered else a.description for n, a in
                 enumerate(activities, start=1)]
        return {"activities": "\n".join(lines) or "—",
                "institutions": ("; ".join(i.name for i in first.institutions) or "—") if first else "",
                "institution_ids": "; ".join(str(i.id) for i in first.institutions) if first else "",
                "timing": (timing_words(first.timing_kind, first.timing_value, language) or "—") if first else "",
                "partners": (first.partners or "") if first else ""}

    for item in version.items:
        start = len(rows)
        head = {"number": item.number or "", "issue": item.issue,
                "priority": PRIORITY_WORDS[language].get(item.intensity, "") if item.intensity else "",
                "indicators": "\n".join(indicator_line(i) for i in item.indicators),
                "risk": f"{item.risk_id} · {risks[item.risk_id].title}" if item.risk_id in risks else ""}
        if _uniform(item):
            cells = {**head, **activity_cells(list(item.activities), True)}
            rows.append([cells.get(c, "") for c in columns])
        else:
            for n, activity in enumerate(item.activities):
                cells = activity_cells([activity], False)
                cells["activities"] = f"{n + 1}. {activity.description}"
                if n and not activity.partners:
                    cells["partners"] = "—"  # not the partners of the row above
                if n == 0:
                    cells.update(head)
                rows.append([cells.get(c, "") for c in columns])
        spans.append((start, len(rows) - 1))
    return header, rows, spans


def export_xlsx(version: PlanVersion, language: str, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from ..spreadsheets import neutralise, neutralise_row

    header, rows, spans = table_rows(version, language, full=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plani" if language == "sq" else "Plan"
    sheet.append([neutralise(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EBEEF1")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(neutralise_row(row))  # an item's text starting with "=" stays text
    widths = {"number": 7, "issue": 38, "priority": 12, "activities": 60, "institutions": 36, "timing": 18,
              "partners": 28, "indicators": 40, "risk": 24, "institution_ids": 14}
    names = [next(c for c in COLUMNS if HEADERS[language][c] == h) for h in header]
    for index, name in enumerate(names, start=1):
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = widths[name]
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for start, end in spans:
        if end > start:
            for name in ("number", "issue", "priority", "indicators"):
                if name in names:
                    column = names.index(name) + 1
                    sheet.merge_cells(start_row=4 + start, end_row=4 + end, start_column=column, end_column=column)
    sheet.freeze_panes = "A4"
    _funding_sheet(workbook, version, language)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _funding_sheet(workbook, version: PlanVersion, language: str) -> None:
    """The second sheet: every funding record, by item (its number, or "#n" when numbers are missing or
    repeated) and activity number, with every field."""
    from openpyxl.styles import Font

    from ..spreadsheets import neutralise_row

    sheet = workbook.create_sheet(FUNDING_SHEET[language])
    sheet.append([FUNDING_HEADERS[language][c] for c in FUNDING_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    numbers = [fold(i.number) for i in version.items if i.number]
    for position, item in enumerate(version.items, start=1):
        ref = item.number if item.number and numbers.count(fold(item.number)) == 1 else f"#{position}"
        for a_position, activity in enumerate(item.activities, start=1):
            for funding in activity.funding:
                values = {"item": ref, "activity": a_position,
                          "source": FUNDING_WORDS[language].get(funding.source, funding.source),
                          **{f: getattr(funding, f) for f in services.FUNDING_FIELDS if f != "source"}}
                sheet.append(neutralise_row([values.get(c) if values.get(c) is not None else ""
                                             for c in FUNDING_COLUMNS]))  # user text never becomes a formula
    for letter, width in zip("ABCDEFGHIJK", (8, 12, 22, 14, 10, 24, 30, 30, 40, 18, 40), strict=True):
        sheet.column_dimensions[letter].width = width


__all__ = ["XLSX_MIMETYPE", "ImportReport", "export_xlsx", "format_number", "import_plan", "parse", "table_rows"]
