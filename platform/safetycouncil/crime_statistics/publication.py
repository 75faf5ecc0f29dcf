"""What the public sees: the figures of pages, charts, downloads and the public API.

Runs in the public, read-only scope of one municipality. Every figure comes out of
``disclosure.publish_group``; nothing here hands a raw count to the public.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import g
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from ..areas.models import Area
from ..areas.services import KIND_LABELS
from ..extensions import db
from ..timeutil import utcnow
from . import OPEN_DATA_LICENCE, OPEN_DATA_LICENCE_URL
from .categories import category_name, disclosure_threshold, list_categories, protection_width
from .disclosure import MISSING, Figure, Group, Rule, change, display, plain, publish_group
from .services import (MonthStatus, add_months, current_counts, month_key, month_range, month_statuses,
                       revision_history)

TREND_MONTHS = 24
HAS_FIGURES = ("published", "revised")


@dataclass
class CategoryRow:
    code: str
    name: str
    sensitive: bool
    this_month: Figure
    year_earlier: Figure
    change: int | None
    series: list[Figure] = field(default_factory=list)


@dataclass
class PublicView:
    """Everything a public statistics page shows, already made safe to publish."""

    threshold: int
    statuses: list[MonthStatus]  # every month from the first upload to the last due
    areas: list[Area]
    month: date | None = None  # the month shown
    window: list[date] = field(default_factory=list)  # the trend's months, oldest first
    rows: list[CategoryRow] = field(default_factory=list)
    totals: list[Figure] = field(default_factory=list)  # per window month: the categories that are not sensitive
    total_this_month: Figure = MISSING
    total_year_earlier: Figure = MISSING

    @property
    def has_figures(self) -> bool:
        return self.month is not None

    @property
    def published_months(self) -> list[date]:
        return [s.month for s in self.statuses if s.status in HAS_FIGURES]

    @property
    def revised(self) -> list[MonthStatus]:
        return [s for s in self.statuses if s.status == "revised"]

    @property
    def missing(self) -> list[MonthStatus]:
        return [s for s in self.statuses if s.status == "missing"]

    @property
    def year_earlier_month(self) -> date | None:
        return add_months(self.month, -12) if self.month else None

    def status_of(self, month: date) -> MonthStatus | None:
        return next((s for s in self.statuses if s.month == month), None)

    def show(self, figure: Figure) -> str:
        return display(figure, self.threshold)


def month_label(month: date, *, short: bool = False) -> str:
    return format_date(month, "MMM yyyy" if short else "LLLL yyyy")


def protection_rule() -> Rule:
    return Rule(disclosure_threshold(), protection_width())


def published_groups(counts, months: list[date], statuses: dict[date, MonthStatus], area_ids: list[int],
                     categories, rule: Rule, history=None) -> dict[tuple[date, int], Group | None]:
    """(month, category id) -> the group as published (None: the month has no figures).

    Each (month, category) is published as one group through ``disclosure.publish_group`` with every
    area's count, so an area's page hides exactly what the municipality's table hides."""
    history = revision_history(months) if history is None else history
    groups = {}
    for month in months:
        status = statuses.get(month)
        for category in categories:
            if status is None or status.status not in HAS_FIGURES:
                groups[(month, category.id)] = None
                continue
            groups[(month, category.id)] = publish_group(
                {a: counts.get((month, a, category.id), 0) for a in area_ids}, area_ids,
                sensitive=category.sensitive, rule=rule,
                earlier=[{a: state.get((a, category.id), 0) for a in area_ids}
                         for state in history.get(month, ())])
    return groups


def _figures(groups, area_id: int | None) -> dict[tuple[date, int], Figure]:
    """(month, category id) -> the publishable figure for one area, or for all areas together."""
    return {key: MISSING if group is None else (group.total if area_id is None
                                                 else group.cells.get(area_id, MISSING))
            for key, group in groups.items()}


def _total(counts, month: date, statuses, area_ids, area_id, categories) -> Figure:
    """The total of the categories that are not sensitive: never contains a hidden figure."""
    status = statuses.get(month)
    if status is None or status.status not in HAS_FIGURES:
        return MISSING
    ids = {c.id for c in categories if not c.sensitive}
    wanted = [area_id] if area_id is not None else area_ids
    total = sum(counts.get((month, a, c), 0) for a in wanted for c in ids)
    return plain(total)


def public_view(area_id: int | None = None, month: date | None = None) -> PublicView:
    """The page for the whole municipality (``area_id`` None) or one area, for ``month`` (default:
    the latest month with figures): that month, the same month a year earlier, and 24 months."""
    rule = protection_rule()
    threshold = rule.threshold
    areas = list(db.session.execute(select(Area).order_by(Area.kind, Area.name)).scalars())
    view = PublicView(threshold=threshold, statuses=month_statuses(), areas=areas)
    published = view.published_months
    if not published:
        return view
    view.month = month if month in published else max(published)
    view.window = month_range(add_months(view.month, -(TREND_MONTHS - 1)), view.month)
    statuses = {s.month: s for s in month_statuses(view.window[0], max(view.month, view.statuses[-1].month))}
    categories = list_categories()
    area_ids = [a.id for a in areas]
    counts = current_counts(view.window[0], view.month)  # every area: an area's cells depend on the others
    figures = _figures(published_groups(counts, view.window, statuses, area_ids, categories, rule), area_id)
    earlier = view.year_earlier_month
    for category in categories:
        this = figures[(view.month, category.id)]
        before = figures.get((earlier, category.id), MISSING)
        view.rows.append(CategoryRow(category.code, category_name(category), category.sensitive, this, before,
                                     change(this, before), [figures[(m, category.id)] for m in view.window]))
    view.totals = [_total(counts, m, statuses, area_ids, area_id, categories) for m in view.window]
    view.total_this_month = view.totals[-1]
    view.total_year_earlier = view.totals[-13] if len(view.totals) >= 13 else MISSING
    return view


# --- open data: CSV, JSON and the public API ---------------------------------------------------------

CSV_COLUMNS = ("month", "area_id", "area", "area_kind", "category", "category_name_sq", "category_name_en",
               "sensitive", "count", "suppressed", "display", "month_status", "revision", "licence")


def open_data(area_id: int | None = None, category_code: str | None = None) -> dict:
    """Every month with figures, for every area and for the whole municipality (area_id null),
    as publishable figures, with the licence, the months revised and the months missing."""
    rule = protection_rule()
    threshold = rule.threshold
    municipality = g.municipality
    statuses = month_statuses()
    published = [s for s in statuses if s.status in HAS_FIGURES]
    categories = [c for c in list_categories() if category_code is None or c.code == category_code]
    areas = list(db.session.execute(select(Area).order_by(Area.kind, Area.name)).scalars())
    area_ids = [a.id for a in areas]
    by_month = {s.month: s for s in statuses}
    rows = []
    if published:
        counts = current_counts(published[0].month, published[-1].month)
        months = [s.month for s in published]
        targets = ([None] if area_id is None else []) + [a for a in areas if area_id is None or a.id == area_id]
        groups = published_groups(counts, months, by_month, area_ids, categories, rule)
        for target in targets:
            figures = _figures(groups, None if target is None else target.id)
            for month in months:
                for category in categories:
                    figure = figures[(month, category.id)]
                    rows.append({
                        "month": month_key(month),
                        "area_id": None if target is None else target.id,
                        "area": _("All areas") if target is None else target.name,
                        "area_kind": None if target is None else target.kind,
                        "category": category.code, "category_name_sq": category.name_sq,
                        "category_name_en": category.name_en, "sensitive": category.sensitive,
                        **figure.as_dict(), "display": display(figure, threshold),
                        "month_status": by_month[month].status, "revision": by_month[month].revision,
                    })
    return {
        "municipality": {"slug": municipality.slug, "name": municipality.name,
                         "county": municipality.county.name},
        "title": _("Crime statistics by area and month: %(name)s", name=municipality.name),
        "source": _("State Police, through the Local Public Safety Council of %(name)s", name=municipality.name),
        "licence": {"name": OPEN_DATA_LICENCE, "url": OPEN_DATA_LICENCE_URL},
        "disclosure_threshold": threshold,
        "protection_width": rule.width,
        "suppression_note": suppression_note(threshold, data=True),
        "generated_at": utcnow().isoformat(timespec="seconds") + "Z",
        "months": [s.as_dict() for s in statuses],
        "revised_months": [s.key for s in statuses if s.status == "revised"],
        "missing_months": [s.key for s in statuses if s.status == "missing"],
        "categories": [{"code": c.code, "name_sq": c.name_sq, "name_en": c.name_en, "sensitive": c.sensitive}
                       for c in categories],
        "areas": [{"id": a.id, "name": a.name, "kind": a.kind, "kind_label": str(KIND_LABELS.get(a.kind, a.kind))}
                  for a in areas],
        "figures": rows,
    }


def suppression_note(threshold: int, *, data: bool = False) -> str:
    """How small counts are protected: for people (the pages), or for the open data files (``data``),
    which also say how a suppressed count is written in them."""
    if threshold <= 1:
        return _("No count is suppressed: the disclosure threshold is %(threshold)d.", threshold=threshold)
    if not data:
        return _("To protect victims, counts from 1 to %(max)d in the categories domestic violence, sexual "
                 "offences and offences against children are shown as “< %(threshold)d”; a total that would "
                 "reveal such a count is not shown either.", max=threshold - 1, threshold=threshold)
    return _("To protect victims, counts from 1 to %(max)d in the categories domestic violence, sexual offences "
             "and offences against children are shown as “< %(threshold)d” (null, suppressed: true); the total of all areas "
             "is not shown either when, with the published areas, it would narrow such a count down.",
             max=threshold - 1, threshold=threshold)
