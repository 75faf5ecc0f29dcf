"""Open data: every published item of a council as CSV and JSON, under the platform's open data licence.

Datasets (``/public/<municipality>/open-data/<dataset>.csv|.json`` and
``/api/v1/public/municipalities/<municipality>/<dataset>``):

  press-releases   published press releases (Art. 11)
  meetings         council meetings and open consultations, planned or held, with their agenda titles
  plan             every approved version of the plan: one row per activity (items without one: one row)
  reports          published monitoring reports, with their download addresses

Crime statistics have their own (``crime_statistics.publication.open_data``); the compliance
summary is the compliance area's. Everything comes from ``public.services``: nothing unpublished.
"""
from __future__ import annotations

import csv
import io
import json

from flask import Response, g, url_for
from flask_babel import gettext as _

from ..crime_statistics import OPEN_DATA_LICENCE, OPEN_DATA_LICENCE_URL
from ..timeutil import utcnow
from . import services

DATASETS = ("press-releases", "meetings", "plan", "reports")


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _press_releases() -> tuple[list[str], list[dict]]:
    columns = ["id", "title", "meeting_date", "published_at", "time_and_place", "participation",
               "agenda_summary", "discussion_essence", "url"]
    rows = [{"id": r.id, "title": r.title, "meeting_date": m.starts_at.date().isoformat(),
             "published_at": _iso(r.published_at) and _iso(r.published_at) + "Z",
             "time_and_place": r.time_and_place, "participation": r.participation,
             "agenda_summary": r.agenda_summary, "discussion_essence": r.discussion_essence,
             "url": url_for("public.press_release", municipality=g.municipality.slug, release_id=r.id,
                            _external=True)}
            for r, m in services.press_releases()]
    return columns, rows


def _meetings() -> tuple[list[str], list[dict]]:
    from ..meetings.services import KIND_LABELS, STATUS_LABELS

    columns = ["id", "kind", "kind_label", "title", "starts_at", "ends_at", "location", "status", "status_label",
               "agenda"]
    rows = [{"id": m.id, "kind": m.kind, "kind_label": str(KIND_LABELS[m.kind]), "title": m.title,
             "starts_at": m.starts_at.isoformat(), "ends_at": m.ends_at.isoformat(), "location": m.location,
             "status": m.status, "status_label": str(STATUS_LABELS[m.status]),
             "agenda": services.agenda_titles(m)}
            for m in services.public_meetings()]
    return columns, rows


def _plan() -> tuple[list[str], list[dict]]:
    from ..locales import language
    from ..plans.services import VERSION_STATUS_LABELS
    from ..plans.vocabulary import indicator_line, timing_words
    from ..risks.services import intensity_label

    lang = language()
    columns = ["plan_year", "plan_title", "version", "version_status", "version_status_label", "approved_on",
               "item_number", "issue", "intensity", "intensity_label", "activity", "responsible_institutions",
               "partners", "timing", "indicators"]
    rows = []
    for version in services.approved_versions():
        base = {"plan_year": version.plan.year, "plan_title": version.plan.title, "version": version.number,
                "version_status": version.status,
                "version_status_label": str(VERSION_STATUS_LABELS.get(version.status, version.status)),
                "approved_on": _iso(version.approved_on)}
        for item in version.items:
            item_values = {**base, "item_number": item.number, "issue": item.issue, "intensity": item.intensity,
                           "intensity_label": intensity_label(item.intensity),
                           "indicators": [indicator_line(i) for i in item.indicators]}
            if not item.activities:
                rows.append({**item_values, "activity": None, "responsible_institutions": [], "partners": None,
                             "timing": None})
            for activity in item.activities:
                rows.append({**item_values, "activity": activity.description,
                             "responsible_institutions": [i.name for i in activity.institutions],
                             "partners": activity.partners,
                             "timing": timing_words(activity.timing_kind, activity.timing_value, lang) or None})
    return columns, rows


def _reports() -> tuple[list[str], list[dict]]:
    from ..plans.reports import KIND_LABELS

    columns = ["id", "kind", "kind_label", "period_start", "period_end", "language", "published_at", "pdf_url",
               "docx_url"]
    slug = g.municipality.slug
    rows = [{"id": r.id, "kind": r.kind, "kind_label": str(KIND_LABELS.get(r.kind, r.kind)),
             "period_start": r.period_start.isoformat(), "period_end": r.period_end.isoformat(),
             "language": r.language, "published_at": _iso(r.published_at) + "Z",
             "pdf_url": url_for("plans.public_report_pdf", municipality=slug, monitoring_report_id=r.id,
                                _external=True) if r.pdf_document_id else None,
             "docx_url": url_for("plans.public_report_docx", municipality=slug, monitoring_report_id=r.id,
                                 _external=True) if r.docx_document_id else None}
            for r in services.published_reports()]
    return columns, rows


_BUILDERS = {"press-releases": _press_releases, "meetings": _meetings, "plan": _plan, "reports": _reports}


def dataset_title(dataset: str) -> str:
    return {"press-releases": _("Press releases"), "meetings": _("Public meetings"),
            "plan": _("Multi-agency local plan (approved versions)"), "reports": _("Monitoring reports")}[dataset]


def dataset(name: str) -> dict:
    """One dataset of the current municipality, with its licence and source."""
    columns, rows = _BUILDERS[name]()
    municipality = g.municipality
    return {
        "dataset": name,
        "municipality": {"slug": municipality.slug, "name": municipality.name, "county": municipality.county.name},
        "title": f"{dataset_title(name)}: {municipality.name}",
        "source": _("Local Public Safety Council of %(name)s", name=municipality.name),
        "licence": {"name": OPEN_DATA_LICENCE, "url": OPEN_DATA_LICENCE_URL},
        "generated_at": utcnow().isoformat(timespec="seconds") + "Z",
        "columns": columns,
        "items": rows,
    }


def _cell(value):
    """Lists become "a; b"; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _headers(name: str, ext: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}-{g.municipality.slug}.{ext}"',
            "Link": f'<{OPEN_DATA_LICENCE_URL}>; rel="license"'}


def csv_response(name: str) -> Response:
    data = dataset(name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*data["columns"], "licence"])
    for row in data["items"]:
        writer.writerow([_cell(row.get(c)) for c in data["columns"]] + [OPEN_DATA_LICENCE])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers=_headers(name, "csv"))


def json_response(name: str) -> Response:
    return Response(json.dumps(dataset(name), ensure_ascii=False, indent=1), mimetype="application/json",
                    headers=_headers(name, "json"))
