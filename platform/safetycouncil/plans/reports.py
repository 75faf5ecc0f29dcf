"""The standard monitoring report (Art. 8.6) and the yearly report to the Municipal Council
(Art. 5.2.d): requested, generated in the background as PDF and Word in Albanian or English,
stored as documents, approved by the chair, then published once.
"""
from __future__ import annotations

import logging
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts import access
from ..accounts.roles import Permission
from ..documents.services import store_document
from ..errors import ValidationFailed
from ..exports import build_docx, build_pdf, safe_filename
from ..extensions import db
from ..locales import force_locale
from ..timeutil import local_day, local_today, utcnow
from . import services
from .models import MonitoringReport, Plan

log = logging.getLogger(__name__)
STATUS_LABELS = {"queued": _l("Being generated"), "generated": _l("Generated, waiting for the chair's approval"),
                 "failed": _l("Generation failed"), "approved": _l("Approved by the chair"),
                 "published": _l("Published")}
KIND_LABELS = {"monitoring": _l("Monitoring report"), "yearly": _l("Yearly report to the Municipal Council")}


def list_reports() -> list[MonitoringReport]:
    return list(db.session.execute(select(MonitoringReport).order_by(MonitoringReport.created_at.desc(),
                                                                      MonitoringReport.id.desc())).scalars())


def get_report(report_id) -> MonitoringReport | None:
    try:
        return db.session.get(MonitoringReport, int(report_id))
    except (TypeError, ValueError):
        return None


def default_period(kind: str, today: date | None = None) -> tuple[date, date]:
    today = today or local_today()
    if kind == "yearly":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    start = date(today.year, 1, 1) if today.month <= 6 else date(today.year, 7, 1)
    end = date(today.year, 6, 30) if today.month <= 6 else date(today.year, 12, 31)
    return start, end


def request_report(data: dict, *, user_id: int | None) -> MonitoringReport:
    """Record the request (the clean data of ``schemas.ReportSchema``; without a period, the current
    half-year or year); the caller commits and then enqueues ``generate_report``."""
    kind, language, summary = data.get("kind", "monitoring"), data.get("language", "sq"), data.get("summary")
    start, end = data.get("period_start"), data.get("period_end")
    if start is None:
        start, end = default_period(kind)
    if data.get("plan_id") is not None:
        plan = db.session.get(Plan, data["plan_id"])
        if plan is None:
            raise ValidationFailed({"plan_id": _("Choose a plan of this municipality.")})
    else:
        plan = services.plan_for_year(start.year)
    report = MonitoringReport(kind=kind, language=language, period_start=start, period_end=end, summary=summary,
                              plan_id=plan.id if plan else None, status="queued", requested_by_id=user_id)
    db.session.add(report)
    db.session.flush()
    return report


def generate_report(report_id: int) -> str:
    """Job: build the report as PDF and Word in its language and store both. Runs in the report's
    municipality (restored by the job runner). A report already generated is left alone."""
    report = db.session.get(MonitoringReport, report_id)
    if report is None or report.status not in ("queued", "failed"):
        return report.status if report else "missing"
    try:
        _store_files(report, report.requested_by_id)
        report.status, report.error, report.generated_at = "generated", None, utcnow()
        db.session.commit()
    except Exception as exc:
        log.exception("monitoring report %s could not be generated", report_id)
        db.session.rollback()
        report = db.session.get(MonitoringReport, report_id)
        report.status, report.error = "failed", f"{type(exc).__name__}: {exc}"[:500]
        db.session.commit()
    return report.status


def regenerate(report: MonitoringReport) -> MonitoringReport:
    """Ask again (after a failure, or for fresh figures) while the chair has not approved it."""
    if report.status in ("approved", "published"):
        raise ValidationFailed({"report": _("The chair approved this report: it is kept as approved. Request a new "
                                            "report for fresh figures.")})
    if report.status == "queued":
        raise ValidationFailed({"report": _("The report is being generated.")})
    report.status, report.error, report.generated_at = "queued", None, None
    db.session.flush()
    return report


def approve_report(report: MonitoringReport, user) -> MonitoringReport:
    """The chair approves the generated report (Art. 8.6)."""
    if not access.holds(user, report.municipality_id, Permission.CHAIR_DECISIONS):
        from ..errors import NotAllowed

        raise NotAllowed({"report": _("Only the chair of the council approves the monitoring report.")})
    if report.status in ("approved", "published"):
        return report
    if report.status != "generated":
        raise ValidationFailed({"report": _("The report can be approved once it has been generated.")})
    report.status, report.approved_by_id, report.approved_at = "approved", user.id, utcnow()
    db.session.flush()
    return report


def stamp_approval(report_id: int) -> str:
    """Job: build the approved report's files again, with the same figures (as of the day it was generated)
    and an approval section naming the chair and the date of approval."""
    report = db.session.get(MonitoringReport, report_id)
    if report is None or report.status not in ("approved", "published"):
        return report.status if report else "missing"
    _store_files(report, report.approved_by_id)
    db.session.commit()
    return report.status


def as_of(report: MonitoringReport) -> date:
    """The report's date: the day it was (first) generated, never after the period's end. Lateness is
    counted as of this day, as the monitoring page counts it as of today."""
    generated = local_day(report.generated_at) if report.generated_at else local_today()
    return min(report.period_end, generated)


def publish_report(report: MonitoringReport) -> tuple[MonitoringReport, bool]:
    """Publish an approved report. Idempotent: a published report is never published twice
    (returns False the second time, changing nothing)."""
    if report.published_at is not None:
        return report, False
    if report.status != "approved":
        raise ValidationFailed({"report": _("Only a report approved by the chair can be published.")})
    report.status, report.published_at = "published", utcnow()
    db.session.flush()
    from ..webhooks import emit, payloads

    emit("monitoring_report.published", report.municipality_id, payloads.monitoring_report(report))
    return report, True


def _store_files(report: MonitoringReport, uploaded_by_id: int | None) -> None:
    """Render the report in its language and store it as PDF and Word; the report points at both."""
    from .rendering import report_document

    with force_locale(report.language):
        document = report_document(report)
        title = document.title
    base = safe_filename(f"{'raporti' if report.language == 'sq' else 'report'}-{report.kind}-"
                         f"{report.period_start.isoformat()}-{report.period_end.isoformat()}")
    pdf = store_document(title, f"{base}.pdf", build_pdf(document), uploaded_by_id=uploaded_by_id, kind="reports")
    docx = store_document(title, f"{base}.docx", build_docx(document), uploaded_by_id=uploaded_by_id,
                          kind="reports")
    report.pdf_document_id, report.docx_document_id = pdf.id, docx.id
