"""Uploading and reading a municipality's monthly crime statistics. Runs inside the tenant scope.

An upload carries one month's figures per area and offence category. It is checked line
by line and stored whole or not at all. A later upload for the same month is a revision:
its lines replace the month's figures for the same area and category (a line with 0 sets
a figure to zero); lines it does not contain keep their figures. Every revision stays
readable. Within a month that has figures, an area and category without a line counts 0.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..areas.models import Area
from ..errors import ValidationFailed
from ..extensions import db
from ..tenancy.context import current_municipality_id
from ..timeutil import local_today, utcnow
from .categories import list_categories
from .disclosure import MISSING, plain
from .models import CrimeCount, CrimeStatisticsUpload, OffenceCategory
from .parsing import LineError, RawLine, Table, normalise

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
MAX_COUNT = 1_000_000


# --- months -------------------------------------------------------------------------------------

def month_start(value: date | datetime) -> date:
    return date(value.year, value.month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_range(first: date, last: date) -> list[date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def parse_month_key(text: str | None) -> date | None:
    """'2025-03' -> date(2025, 3, 1); None when it is not a month."""
    match = MONTH_PATTERN.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def this_month(today: date | None = None) -> date:
    return month_start(today or local_today())


# --- checking an upload -------------------------------------------------------------------------

class UploadRejected(ValidationFailed):
    """The upload has errors; nothing was stored. ``lines`` lists each error with its line."""

    def __init__(self, lines: list[LineError], understood: list[dict] | None = None,
                 columns: dict[str, str] | None = None):
        self.lines = lines
        self.understood = understood or []
        self.columns = columns or {}  # field -> the column's name as written in the file
        message = (_("Nothing was stored: %(n)d problem was found in the file.", n=len(lines)) if len(lines) == 1
                   else _("Nothing was stored: %(n)d problems were found in the file.", n=len(lines)))
        super().__init__({"file": message})
        self.errors = {"file": message, "lines": [e.as_dict() for e in lines]}


def _key(text) -> str:
    return normalise(text).replace("_", " ").replace("-", " ").replace("  ", " ").strip()


class _Lookup:
    """The municipality's areas and the national categories, by every name a line may use."""

    def __init__(self):
        self.areas: dict[str, list[Area]] = {}
        for area in db.session.execute(select(Area).order_by(Area.name)).scalars():
            self.areas.setdefault(_key(area.name), []).append(area)
        self.categories: dict[str, OffenceCategory] = {}
        for category in list_categories():
            for name in (category.code, category.name_sq, category.name_en):
                self.categories.setdefault(_key(name), category)


def _month(value, today: date) -> tuple[date | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, _("The month is missing.")
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        month = value if value.day == 1 else None
        shown = value.isoformat()
    else:
        shown = str(value).strip()
        month = parse_month_key(shown)
    if month is None:
        return None, _("“%(value)s” is not a month: write it as YYYY-MM, for example 2025-03.", value=shown)
    if month > this_month(today):
        return None, _("%(month)s is in the future.", month=month_key(month))
    return month, None


def _count(value) -> tuple[int | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, _("The count is missing.")
    if isinstance(value, bool):
        return None, _("The count must be a whole number, not “%(value)s”.", value=value)
    if isinstance(value, float):
        if not value.is_integer():
            return None, _("The count must be a whole number, not “%(value)s”.", value=value)
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if re.fullmatch(r"-\s*\d+", text):
            return None, _("The count cannot be negative (%(value)s).", value=text)
        if not text.isdigit():
            return None, _("The count must be a whole number, not “%(value)s”.", value=text)
        number = int(text)
    if number < 0:
        return None, _("The count cannot be negative (%(value)s).", value=number)
    if number > MAX_COUNT:
        return None, _("The count %(value)s is too large to be right.", value=number)
    return number, None


def check_lines(table: Table, today: date | None = None) -> list[dict]:
    """Every line understood, or UploadRejected listing every problem with its line number."""
    today = today or local_today()
    errors = list(table.errors)
    if errors:
        raise UploadRejected(errors, columns=table.columns)
    lookup = _Lookup()
    understood: list[dict] = []
    seen: dict[tuple, int] = {}
    first_month: tuple[date, int] | None = None
    for raw in table.lines:
        problems: list[LineError] = []
        month, problem = _month(raw.values.get("month"), today)
        if problem:
            problems.append(LineError(raw.line, "month", problem))
        area = _area(raw, lookup, problems)
        category = _category(raw, lookup, problems)
        count, problem = _count(raw.values.get("count"))
        if problem:
            problems.append(LineError(raw.line, "count", problem))
        if month is not None:
            if first_month is None:
                first_month = (month, raw.line)
            elif month != first_month[0]:
                problems.append(LineError(raw.line, "month", _(
                    "This line is for %(month)s but the file is for %(first)s (line %(line)d): "
                    "upload one month per file.", month=month_key(month), first=month_key(first_month[0]),
                    line=first_month[1])))
        if month is not None and area is not None and category is not None:
            key = (month, area.id, category.id)
            if key in seen:
                problems.append(LineError(raw.line, None, _(
                    "This line repeats line %(line)d (same month, area and category).", line=seen[key])))
            else:
                seen[key] = raw.line
        errors.extend(problems)
        if not problems:
            understood.append({
                "line": raw.line,
                "written": {name: raw.shown(name) for name in ("month", "area", "category", "count")},
                "month": month_key(month), "area_id": area.id, "area": area.name,
                "category_id": category.id, "category": category.code, "count": count,
            })
    if errors:
        raise UploadRejected(errors, understood, table.columns)
    return understood


def _area(raw: RawLine, lookup: _Lookup, problems: list[LineError]) -> Area | None:
    written = raw.shown("area")
    if not written:
        problems.append(LineError(raw.line, "area", _("The area is missing.")))
        return None
    found = lookup.areas.get(_key(written), [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        problems.append(LineError(raw.line, "area", _(
            "“%(value)s” matches several areas of this municipality; give them different names in Areas.",
            value=written)))
        return None
    close = difflib.get_close_matches(_key(written), list(lookup.areas), n=1, cutoff=0.75)
    if close:
        message = _("There is no area “%(value)s” in this municipality. Did you mean “%(suggestion)s”?",
                    value=written, suggestion=lookup.areas[close[0]][0].name)
    else:
        message = _("There is no area “%(value)s” in this municipality.", value=written)
    problems.append(LineError(raw.line, "area", message))
    return None


def _category(raw: RawLine, lookup: _Lookup, problems: list[LineError]) -> OffenceCategory | None:
    written = raw.shown("category")
    if not written:
        problems.append(LineError(raw.line, "category", _("The offence category is missing.")))
        return None
    category = lookup.categories.get(_key(written))
    if category is None:
        problems.append(LineError(raw.line, "category", _(
            "There is no offence category “%(value)s”: use a code or a name from the national list.",
            value=written)))
    return category


# --- storing --------------------------------------------------------------------------------------

def _display_name(filename: str | None) -> str:
    """The file's own name, as the user knows it (no folders, no control characters)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable()).strip()[:200]


def store_upload(table: Table, *, filename: str = "", note: str | None = None,
                 uploaded_by_id: int | None, today: date | None = None) -> CrimeStatisticsUpload:
    """Check every line and store the month's figures as a new upload (a revision when the month
    already has figures). All or nothing: the caller commits, or rolls back on an exception."""
    note = (note or "").strip() or None
    if note and len(note) > 500:
        raise ValidationFailed({"note": _("The note can have at most 500 characters.")})
    understood = check_lines(table, today)
    month = parse_month_key(understood[0]["month"])
    latest = db.session.execute(
        select(func.max(CrimeStatisticsUpload.revision)).where(CrimeStatisticsUpload.month == month)).scalar()
    revision = (latest or 0) + 1
    current = {(row.area_id, row.category_id): row for row in db.session.execute(
        select(CrimeCount.id, CrimeCount.area_id, CrimeCount.category_id, CrimeCount.count)
        .where(CrimeCount.month == month, CrimeCount.is_current.is_(True))).all()}
    for line in understood:
        before = current.get((line["area_id"], line["category_id"]))
        line["previous"] = before.count if before is not None else (0 if revision > 1 else None)
    upload = CrimeStatisticsUpload(
        month=month, revision=revision, is_revision=revision > 1,
        filename=_display_name(filename), source=table.source, note=note,
        line_count=len(understood), uploaded_by_id=uploaded_by_id, uploaded_at=utcnow(),
        line_report={"format": table.source, "columns": table.columns, "ignored_columns": table.ignored_columns,
                     "lines": understood})
    db.session.add(upload)
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise ValidationFailed({"file": _("Another upload for this month was stored at the same moment. "
                                          "Reload the page and try again.")}) from exc
    replaced = [current[(line["area_id"], line["category_id"])].id for line in understood
                if (line["area_id"], line["category_id"]) in current]
    if replaced:
        db.session.execute(update(CrimeCount).where(CrimeCount.id.in_(replaced)).values(is_current=False))
    municipality_id = current_municipality_id()
    db.session.execute(insert(CrimeCount), [
        {"municipality_id": municipality_id, "upload_id": upload.id, "month": month, "area_id": line["area_id"],
         "category_id": line["category_id"], "count": line["count"], "is_current": True}
        for line in understood])
    db.session.flush()
    return upload


# --- reading --------------------------------------------------------------------------------------

def get_upload(upload_id: int) -> CrimeStatisticsUpload | None:
    return db.session.get(CrimeStatisticsUpload, upload_id)


def list_uploads(month: date | None = None) -> list[CrimeStatisticsUpload]:
    query = select(CrimeStatisticsUpload).order_by(CrimeStatisticsUpload.month.desc(),
                                                   CrimeStatisticsUpload.revision.desc())
    if month is not None:
        query = query.where(CrimeStatisticsUpload.month == month)
    return list(db.session.execute(query).scalars())


def uploader_names(uploads) -> dict[int, str]:
    ids = {u.uploaded_by_id for u in uploads if u.uploaded_by_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def superseded_cells(upload: CrimeStatisticsUpload) -> set[tuple[int, int]]:
    """(area id, category id) of this upload's figures that a later revision replaced."""
    rows = db.session.execute(
        select(CrimeCount.area_id, CrimeCount.category_id)
        .where(CrimeCount.upload_id == upload.id, CrimeCount.is_current.is_(False))).all()
    return {(r.area_id, r.category_id) for r in rows}


def report_lines(upload: CrimeStatisticsUpload) -> list[dict]:
    """The upload's lines as written and understood; for uploads stored without a line report (bulk
    loads), the figures it set."""
    lines = (upload.line_report or {}).get("lines")
    if lines:
        return lines
    rows = db.session.execute(
        select(CrimeCount.area_id, Area.name, CrimeCount.category_id, OffenceCategory.code, CrimeCount.count)
        .join(Area, Area.id == CrimeCount.area_id).join(OffenceCategory, OffenceCategory.id == CrimeCount.category_id)
        .where(CrimeCount.upload_id == upload.id).order_by(Area.name, OffenceCategory.position)).all()
    return [{"line": None, "written": None, "area_id": r[0], "area": r[1], "category_id": r[2], "category": r[3],
             "count": r[4], "previous": None} for r in rows]


@dataclass
class MonthStatus:
    month: date
    status: str  # "published", "revised", "missing" or "not_started" (before the first upload)
    revision: int | None = None
    first_published_at: datetime | None = None
    revised_at: datetime | None = None

    @property
    def key(self) -> str:
        return month_key(self.month)

    def as_dict(self) -> dict:
        return {"month": self.key, "status": self.status, "revision": self.revision,
                "published_at": self.first_published_at.isoformat() if self.first_published_at else None,
                "revised_at": self.revised_at.isoformat() if self.revised_at else None}


def uploaded_months() -> dict[date, tuple[int, datetime, datetime]]:
    """month -> (latest revision, first upload time, latest upload time)."""
    rows = db.session.execute(
        select(CrimeStatisticsUpload.month, func.max(CrimeStatisticsUpload.revision),
               func.min(CrimeStatisticsUpload.uploaded_at), func.max(CrimeStatisticsUpload.uploaded_at))
        .group_by(CrimeStatisticsUpload.month)).all()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def last_expected_month(today: date | None = None, uploaded: dict | None = None) -> date:
    """The last month whose figures are due: last month, or this month once it has figures."""
    current = this_month(today)
    uploaded = uploaded_months() if uploaded is None else uploaded
    return current if current in uploaded else add_months(current, -1)


def month_statuses(first: date | None = None, last: date | None = None, *,
                   today: date | None = None) -> list[MonthStatus]:
    """Each month from ``first`` (default: the first month with figures) to ``last`` (default: the
    last month due), oldest first. Months after the first upload without figures are missing."""
    uploaded = uploaded_months()
    last = last or last_expected_month(today, uploaded)
    if first is None:
        if not uploaded:
            return []
        first = min(uploaded)
    started = min(uploaded) if uploaded else None
    statuses = []
    for month in month_range(first, last):
        if month in uploaded:
            revision, first_at, last_at = uploaded[month]
            statuses.append(MonthStatus(month, "revised" if revision > 1 else "published", revision, first_at,
                                        last_at if revision > 1 else None))
        elif started is not None and month >= started:
            statuses.append(MonthStatus(month, "missing"))
        else:
            statuses.append(MonthStatus(month, "not_started"))
    return statuses


def current_counts(first: date, last: date, area_id: int | None = None) -> dict[tuple[date, int, int], int]:
    """(month, area id, category id) -> the current count, for the months in [first, last]."""
    query = (select(CrimeCount.month, CrimeCount.area_id, CrimeCount.category_id, CrimeCount.count)
             .where(CrimeCount.is_current.is_(True), CrimeCount.month >= first, CrimeCount.month <= last))
    if area_id is not None:
        query = query.where(CrimeCount.area_id == area_id)
    return {(r.month, r.area_id, r.category_id): r.count for r in db.session.execute(query).all()}


def revision_history(months) -> dict[date, list[dict[tuple[int, int], int]]]:
    """For each of ``months`` that was corrected: the figures as each earlier revision left them
    ((area id, category id) -> count), oldest first. Months never corrected are not in the result."""
    months = list(months)
    if not months:
        return {}
    revised = db.session.execute(
        select(CrimeStatisticsUpload.month).where(CrimeStatisticsUpload.month >= min(months),
                                                  CrimeStatisticsUpload.month <= max(months),
                                                  CrimeStatisticsUpload.revision > 1).distinct()).scalars().all()
    wanted = set(revised) & set(months)
    if not wanted:
        return {}
    rows = db.session.execute(
        select(CrimeStatisticsUpload.month, CrimeStatisticsUpload.revision, CrimeCount.area_id,
               CrimeCount.category_id, CrimeCount.count)
        .join(CrimeCount, CrimeCount.upload_id == CrimeStatisticsUpload.id)
        .where(CrimeStatisticsUpload.month.in_(wanted))
        .order_by(CrimeStatisticsUpload.month, CrimeStatisticsUpload.revision)).all()
    by_month: dict[date, dict[int, dict]] = {}
    for month, revision, area, category, count in rows:
        by_month.setdefault(month, {}).setdefault(revision, {})[(area, category)] = count
    history = {}
    for month, revisions in by_month.items():
        state: dict[tuple[int, int], int] = {}
        states = []
        for revision in sorted(revisions)[:-1] if len(revisions) > 1 else []:
            state = {**state, **revisions[revision]}
            states.append(state)
        if states:
            history[month] = states
    return history


def monthly_counts(area_id: int | None, category_code: str | None, months: int, *,
                   public: bool = False, today: date | None = None) -> list[dict]:
    """The monthly series other areas build on (a risk's evidence, a plan indicator's source).

    The last ``months`` months up to the last month due, oldest first, one dict per month:
    ``month`` ("YYYY-MM"), ``count`` (the current figure; None when the month has no figures),
    ``status``, ``revision``. ``area_id`` None: the whole municipality; ``category_code`` None: every
    category. Figures are the true ones; with ``public=True`` they go through the disclosure rules
    (``suppressed`` added) for anything shown to the public.
    """
    if months < 1 or months > 240:
        raise ValidationFailed({"months": _("Ask for 1 to 240 months.")})
    if area_id is not None and db.session.get(Area, area_id) is None:
        raise ValidationFailed({"area_id": _("There is no such area in this municipality.")})
    categories = list_categories()
    if category_code is not None:
        categories = [c for c in categories if c.code == category_code]
        if not categories:
            raise ValidationFailed({"category": _("There is no offence category “%(value)s”: use a code or a name "
                                                  "from the national list.", value=category_code)})
    wanted = {c.id for c in categories}
    sensitive = any(c.sensitive for c in categories)
    if public and sensitive and len(categories) > 1:
        # Several categories together are only published when none of them is sensitive.
        raise ValidationFailed({"category": _("Sensitive categories are published one by one.")})
    last = last_expected_month(today)
    first = add_months(last, -(months - 1))
    statuses = month_statuses(first, last, today=today)
    counts = current_counts(first, last, area_id)
    groups = {}
    if public:
        from .publication import published_groups, protection_rule

        area_ids = list(db.session.execute(select(Area.id)).scalars())
        everywhere = current_counts(first, last) if area_id is not None else counts
        groups = published_groups(everywhere, [s.month for s in statuses], {s.month: s for s in statuses},
                                  area_ids, categories, protection_rule())
    series = []
    for status in statuses:
        has_figures = status.status in ("published", "revised")
        parts: dict[int, int] = {}
        if has_figures:
            for (month, area, category), count in counts.items():
                if month == status.month and category in wanted:
                    parts[area] = parts.get(area, 0) + count
        total = sum(parts.values()) if has_figures else None
        row = {"month": status.key, "count": total, "status": status.status, "revision": status.revision}
        if public:
            # The same figure as every public output: one category's group, or a total of categories that
            # are not sensitive (which hides nothing).
            if not has_figures:
                figure = MISSING
            elif len(categories) == 1:
                group = groups[(status.month, categories[0].id)]
                figure = group.total if area_id is None else group.cells[area_id]
            else:
                figure = plain(total)
            row.update(figure.as_dict())
        series.append(row)
    return series
