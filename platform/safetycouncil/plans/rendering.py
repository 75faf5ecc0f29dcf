"""The plan and the monitoring reports as documents (PDF, Word) through ``exports``.

The plan's table uses the Elbasan layout and the vocabulary of the spreadsheet; the rest of
the text is in the language the document is built under (``flask_babel.force_locale``).
"""
from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..concerns.models import Concern, RiskCategory
from ..exports import ExportDocument, Section, Table, paragraphs
from ..extensions import db
from ..locales import language as reader_language
from ..meetings.models import MEETING_KINDS, Meeting
from ..municipalities.models import Municipality
from ..risks.models import Risk
from ..tenancy.context import current_municipality_id
from . import monitoring, services
from .models import MonitoringReport, Plan, PlanVersion
from .spreadsheet import table_rows
from .vocabulary import PRIORITY_WORDS, format_number, timing_words


def _municipality() -> Municipality:
    return db.session.get(Municipality, current_municipality_id())


def _day(value: date | None) -> str:
    return format_date(value) if value else "—"


def version_line(version: PlanVersion) -> str:
    if version.status == "draft":
        return _("Version %(number)s (draft, not approved)", number=version.number)
    return _("Version %(number)s, approved on %(date)s", number=version.number, date=_day(version.approved_on))


def plan_document(version: PlanVersion) -> ExportDocument:
    """The plan's table, as in the roadmap's Table 1, with the indicators of each item."""
    language = reader_language()
    plan = db.session.get(Plan, version.plan_id)
    municipality = _municipality()
    header, rows, _spans = table_rows(version, language)
    widths = {7: (2, 6, 3, 10, 6, 3, 5)}.get(len(header), None)
    sections = [Section(None, table=Table(header, rows, widths=widths),
                        empty=_("The plan has no items yet."))]
    indicator_rows = [[item.number or str(item.position), i.name, i.unit or "", format_number(i.baseline),
                       format_number(i.target), i.source or ""] for item in version.items for i in item.indicators]
    if indicator_rows:
        sections.append(Section(_("Measurable indicators"), table=Table(
            [_("Item"), _("Indicator"), _("Unit"), _("Baseline"), _("Target"), _("Source")], indicator_rows,
            widths=(1, 5, 2, 2, 2, 3))))
    funding_rows = []
    for item in version.items:
        for activity in item.activities:
            for f in activity.funding:
                funding_rows.append([item.number or str(item.position), activity.description[:120],
                                     str(services.FUNDING_LABELS[f.source]),
                                     f.donor or f.grantee or "", f.title or "",
                                     f"{format_number(f.amount)} {f.currency}" if f.amount is not None else ""])
    if funding_rows:
        sections.append(Section(_("Funding"), table=Table(
            [_("Item"), _("Activity"), _("Source"), _("Donor or grantee"), _("Title"), _("Amount")], funding_rows,
            widths=(1, 5, 3, 3, 3, 2))))
    return ExportDocument(
        title=plan.title,
        subtitle=[_("Local Public Safety Council of %(name)s", name=municipality.name), version_line(version)],
        sections=sections, language=language, landscape=True,
        footer=_("Multi-agency local plan %(year)s · %(name)s", year=plan.year, name=municipality.name))


# --- the standard monitoring report -------------------------------------------------------------

def _status_counts(board: list[dict]) -> dict[str, int]:
    counts = {s: 0 for s in monitoring.STATUS_LABELS}
    for row in board:
        for a in row["activities"]:
            counts[a["status"]] += 1
    return counts


def _plan_sections(version: PlanVersion, as_of: date, language: str) -> list[Section]:
    board = monitoring.board(version, today=as_of, until=as_of)
    counts = _status_counts(board)
    total = sum(counts.values())
    overdue = [a for row in board for a in row["activities"] if a["overdue"]]
    summary = [_("Situation on %(date)s.", date=_long_day(as_of, language)),
               _("%(total)d activities: %(done)d done, %(progress)d in progress, %(delayed)d delayed, "
                 "%(not_started)d not started, %(cancelled)d cancelled.", total=total, done=counts["done"],
                 progress=counts["in_progress"], delayed=counts["delayed"], not_started=counts["not_started"],
                 cancelled=counts["cancelled"]),
               _("%(n)d activities are overdue (their deadline has passed and they are not done).", n=len(overdue))]
    sections = [Section(_("Summary of implementation"), paragraphs=summary)]
    for row in board:
        item = row["item"]
        heading = f"{item.number} {item.issue}" if item.number else item.issue
        priority = PRIORITY_WORDS[language].get(item.intensity, "—") if item.intensity else "—"
        activity_rows = []
        for a in row["activities"]:
            activity = a["activity"]
            entry = a["entry"]
            delay = _("%(n)d days late", n=a["days_late"]) if a["overdue"] else ""
            activity_rows.append([
                activity.description, "; ".join(i.name for i in activity.institutions),
                timing_words(activity.timing_kind, activity.timing_value, language),
                monitoring.status_label(a["status"]) + (f" ({a['progress']}%)" if a["progress"] is not None else ""),
                delay, (entry.next_steps or "") if entry else ""])
        sections.append(Section(heading, paragraphs=[_("Priority: %(p)s", p=priority)],
                                table=Table([_("Activity"), _("Responsible"), _("Timing"), _("Status"), _("Delay"),
                                             _("Next steps")], activity_rows, widths=(6, 4, 2, 2, 2, 4)),
                                empty=_("No activities.")))
        indicator_rows = [[i["indicator"].name, i["indicator"].unit or "", format_number(i["indicator"].baseline),
                           format_number(i["indicator"].target),
                           format_number(i["current"]) if i["current"] is not None else _("not reported"),
                           i["indicator"].source or ""] for i in row["indicators"]]
        sections.append(Section(None, table=Table([_("Indicator"), _("Unit"), _("Baseline"), _("Target"),
                                                   _("Current value"), _("Source")], indicator_rows,
                                                  widths=(5, 2, 2, 2, 2, 3)),
                                empty=_("This item has no measurable indicator.")))
    delay_lines = [f"{a['activity'].description}: " + _("due %(date)s, %(n)d days late, %(status)s",
                                                         date=_day(a["due"]), n=a["days_late"],
                                                         status=monitoring.status_label(a["status"]).lower())
                   for a in overdue]
    sections.append(Section(_("Delays"), paragraphs=delay_lines, empty=_("No activity is late.")))
    steps = [f"{a['activity'].description}: {a['entry'].next_steps}" for row in board for a in row["activities"]
             if a["entry"] is not None and a["entry"].next_steps]
    sections.append(Section(_("Next steps"), paragraphs=steps, empty=_("No next steps were recorded.")))
    return sections


def _yearly_sections(report: MonitoringReport) -> list[Section]:
    start, end = report.period_start, report.period_end
    from datetime import datetime, time

    meetings = db.session.execute(
        select(Meeting.kind, func.count()).where(Meeting.status == "held",
                                                 Meeting.starts_at >= datetime.combine(start, time.min),
                                                 Meeting.starts_at <= datetime.combine(end, time.max))
        .group_by(Meeting.kind)).all()
    by_kind = dict(meetings)
    from ..meetings import services as meeting_services

    labels = getattr(meeting_services, "KIND_LABELS", {})  # the meetings area's labels
    meeting_rows = [[str(labels.get(kind, kind)), str(by_kind.get(kind, 0))] for kind in MEETING_KINDS]
    concerns = db.session.execute(
        select(RiskCategory, func.count(Concern.id)).join(Concern, Concern.category_id == RiskCategory.id)
        .where(Concern.status == "accepted", Concern.created_at >= datetime.combine(start, time.min),
               Concern.created_at <= datetime.combine(end, time.max))
        .group_by(RiskCategory.id).order_by(func.count(Concern.id).desc())).all()
    concern_rows = [[c.name(report.language), str(n)] for c, n in concerns]
    risks = db.session.execute(select(Risk.intensity, func.count()).group_by(Risk.intensity)).all()
    risk_counts = dict(risks)
    return [
        Section(_("Meetings held"), table=Table([_("Kind of meeting"), _("Held")], meeting_rows, widths=(5, 1))),
        Section(_("Citizens' concerns received"), table=Table([_("Category"), _("Concerns")], concern_rows,
                                                              widths=(5, 1)),
                empty=_("No concerns were recorded in the period.")),
        Section(_("Risks rated by the Coordination Secretariat"), paragraphs=[
            _("High: %(high)d, moderate: %(moderate)d, low: %(low)d, not yet rated: %(none)d.",
              high=risk_counts.get("high", 0), moderate=risk_counts.get("moderate", 0),
              low=risk_counts.get("low", 0), none=risk_counts.get(None, 0))]),
    ]


def _long_day(value: date, language: str) -> str:
    from babel.dates import format_date

    from ..locales import formatting_locale

    return format_date(value, "long", locale=formatting_locale(language))  # English as en_GB


def _approval_line(report: MonitoringReport, language: str) -> str:
    """Who approved the report and when; before approval, that it awaits the chair's approval."""
    if report.approved_at is None:
        return _("Awaiting the chair's approval.")
    from ..accounts.models import User
    from ..timeutil import local_day as _local_date

    chair = db.session.get(User, report.approved_by_id) if report.approved_by_id else None
    return _("Approved by the chair of the council, %(name)s, on %(date)s.", name=chair.name if chair else "—",
             date=_long_day(_local_date(report.approved_at), language))


def report_title(kind: str) -> str:
    if kind == "yearly":
        return _("Report to the Municipal Council on the work of the Local Public Safety Council")
    return _("Monitoring report on the implementation of the multi-agency local plan")


def report_document(report: MonitoringReport) -> ExportDocument:
    """The standard monitoring report (one format for every municipality), or the yearly report."""
    language = report.language
    municipality = _municipality()
    plan = db.session.get(Plan, report.plan_id) if report.plan_id else None
    version = services.approved_of(plan) if plan else None
    subtitle = [_("Local Public Safety Council of %(name)s", name=municipality.name),
                _("Period: %(start)s – %(end)s", start=_day(report.period_start), end=_day(report.period_end))]
    if plan is not None:
        subtitle.append(f"{plan.title} · " + (version_line(version) if version else _("no approved version")))
    sections: list[Section] = []
    if report.summary:
        sections.append(Section(_("Introduction"), paragraphs=paragraphs(report.summary)))
    if report.kind == "yearly":
        sections.extend(_yearly_sections(report))
    if version is not None:
        from .reports import as_of

        sections.extend(_plan_sections(version, as_of(report), language))
    else:
        sections.append(Section(_("The multi-agency plan"), empty=_("No approved plan was in force in the period.")))
    sections.append(Section(_("Approval"), paragraphs=[
        _("Drafted by the Technical Secretariat and the Coordination Secretariat; approved by the chair of the "
          "council (Art. 8.6)."), _approval_line(report, language)]))
    return ExportDocument(title=report_title(report.kind), subtitle=subtitle, sections=sections, language=language,
                          footer=_("KVSP %(name)s · %(title)s", name=municipality.name,
                                   title=report_title(report.kind)))
