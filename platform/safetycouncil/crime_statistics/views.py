"""Web pages: staff upload and follow the monthly figures; citizens read them; the Ministry sets the
disclosure threshold.

One blueprint, three kinds of page:
  /<municipality>/crime-statistics/...         tenant: months, revisions, upload, line reports
  /public/<municipality>/crime-statistics...   public: overview, one area, CSV and JSON downloads
  /national/crime-statistics/settings          national: the disclosure threshold
"""
from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import access
from ..accounts.roles import Permission
from ..areas.services import KIND_LABELS, list_areas
from ..errors import ValidationFailed
from ..extensions import db
from ..tenancy.web import scope
from . import OPEN_DATA_LICENCE, OPEN_DATA_LICENCE_URL, charts, services
from .categories import (category_name, disclosure_threshold, list_categories, protection_width,
                         set_disclosure_threshold, set_protection_width)
from .parsing import read_file
from .publication import CSV_COLUMNS, month_label, open_data, public_view, suppression_note

bp = Blueprint("crime_statistics", __name__, template_folder="templates")


@bp.app_template_global("crime_month")
def _crime_month(month, short=False):
    return month_label(month, short=short)


# --- staff ----------------------------------------------------------------------------------------

@bp.route("/<municipality>/crime-statistics/")
@scope("tenant")
def index():
    statuses = list(reversed(services.month_statuses()))
    uploads = services.list_uploads()
    by_month: dict = {}
    for upload in uploads:
        by_month.setdefault(upload.month, []).append(upload)
    return render_template("crime_statistics/index.html", statuses=statuses, by_month=by_month,
                           names=services.uploader_names(uploads), threshold=disclosure_threshold(),
                           missing=[s for s in statuses if s.status == "missing"],
                           national=access.is_national(current_user))


def _upload_form_context(**extra):
    return {"areas": list_areas(), "kinds": KIND_LABELS, "categories": list_categories(),
            "category_name": category_name, **extra}


@bp.route("/<municipality>/crime-statistics/upload", methods=["GET", "POST"])
@scope("tenant", write=Permission.UPLOAD_CRIME_STATISTICS)
def upload():
    errors, lines, understood, form, columns = {}, [], [], {}, {}
    if request.method == "POST":
        form = request.form
        file = request.files.get("file")
        filename = file.filename if file else ""
        try:
            table = read_file(filename or "", file.read() if file else b"")
            stored = services.store_upload(table, filename=filename, note=form.get("note"),
                                           uploaded_by_id=current_user.id)
            db.session.commit()
            flash(_("The figures for %(month)s were stored (revision %(revision)d).",
                    month=month_label(stored.month), revision=stored.revision), "success")
            return redirect(url_for(".upload_report", upload_id=stored.id))
        except services.UploadRejected as exc:
            db.session.rollback()
            errors, lines, understood, columns = exc.errors, exc.lines, exc.understood, exc.columns
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("crime_statistics/upload.html", errors=errors, lines=lines, understood=understood,
                           columns=columns, form=form, **_upload_form_context()), (422 if errors else 200)


@bp.route("/<municipality>/crime-statistics/uploads/<int:upload_id>")
@scope("tenant")
def upload_report(upload_id: int):
    stored = services.get_upload(upload_id) or abort(404)
    revisions = services.list_uploads(stored.month)
    categories = {c.code: c for c in list_categories(include_inactive=True)}
    return render_template("crime_statistics/report.html", upload=stored, revisions=revisions,
                           names=services.uploader_names(revisions), categories=categories,
                           category_name=category_name, lines=services.report_lines(stored),
                           superseded=services.superseded_cells(stored))


@bp.route("/<municipality>/crime-statistics/template.csv")
@scope("tenant")
def template_csv():
    """A file to fill in: every area and category for last month, with count 0."""
    month = services.add_months(services.this_month(), -1)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["muaji", "zona", "kategoria", "numri"])
    for area in list_areas():
        for category in list_categories():
            writer.writerow([services.month_key(month), area.name, category.code, 0])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=crime-statistics-{g.municipality.slug}-"
                               f"{services.month_key(month)}.csv"})


# --- public ---------------------------------------------------------------------------------------

def _chosen_month():
    return services.parse_month_key(request.args.get("month"))


def _public_page(area=None):
    view = public_view(area.id if area is not None else None, _chosen_month())
    figures = {}
    if view.has_figures:
        labels = [month_label(m, short=True) for m in view.window]
        marks = [(view.status_of(m).status if view.status_of(m) else "") for m in view.window]
        place = area.name if area is not None else g.municipality.name
        figures["month"] = charts.month_bars(
            [(r.name, r.this_month, r.year_earlier) for r in view.rows],
            title=_("Offences in %(place)s by category: %(month)s and a year earlier", place=place,
                    month=month_label(view.month)),
            current_label=month_label(view.month), earlier_label=month_label(view.year_earlier_month),
            show=view.show)
        figures["total"] = charts.trend_columns(
            labels, view.totals, marks=marks, show=view.show,
            title=_("Offences in %(place)s per month over 24 months, without the protected categories",
                    place=place))
        figures["categories"] = [charts.trend_columns(
            labels, r.series, marks=marks, show=view.show, small=True,
            title=_("%(category)s in %(place)s per month over 24 months", category=r.name, place=place))
            for r in view.rows]
    return render_template("crime_statistics/public.html", view=view, area=area, charts=figures,
                           kinds=KIND_LABELS, licence=OPEN_DATA_LICENCE, licence_url=OPEN_DATA_LICENCE_URL,
                           note=suppression_note(view.threshold), municipality=g.municipality)


@bp.route("/public/<municipality>/crime-statistics")
@scope("public")
def public_overview():
    area_id = request.args.get("area", type=int)
    if area_id:  # the area picker (a form that works without JavaScript)
        return redirect(url_for(".public_area", area_id=area_id))
    return _public_page()


@bp.route("/public/<municipality>/crime-statistics/<int:area_id>")
@scope("public")
def public_area(area_id: int):
    from ..areas.services import get_area

    area = get_area(area_id) or abort(404)
    return _public_page(area)


def _cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _download_name(ext: str) -> str:
    return f"crime-statistics-{g.municipality.slug}.{ext}"


def _licence_headers(ext: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{_download_name(ext)}"',
            "Link": f'<{OPEN_DATA_LICENCE_URL}>; rel="license"'}


@bp.route("/public/<municipality>/crime-statistics.csv")
@scope("public")
def public_csv():
    data = open_data(request.args.get("area", type=int))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in data["figures"]:
        writer.writerow({**{key: _cell(value) for key, value in row.items()},
                         "count": "" if row["count"] is None else row["count"],
                         "area_id": "" if row["area_id"] is None else row["area_id"],
                         "area_kind": row["area_kind"] or "",
                         "sensitive": str(row["sensitive"]).lower(), "suppressed": str(row["suppressed"]).lower(),
                         "revision": row["revision"] or "", "licence": OPEN_DATA_LICENCE})
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers=_licence_headers("csv"))


@bp.route("/public/<municipality>/crime-statistics.json")
@scope("public")
def public_json():
    data = open_data(request.args.get("area", type=int))
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers=_licence_headers("json"))


# --- national -------------------------------------------------------------------------------------

@bp.route("/national/crime-statistics/settings", methods=["GET", "POST"])
@scope("national")
def national_settings():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            value = set_disclosure_threshold(form.get("disclosure_threshold"), updated_by_id=current_user.id)
            if "protection_width" in form:
                width = set_protection_width(form.get("protection_width"), updated_by_id=current_user.id)
            db.session.commit()
            flash(_("The disclosure threshold is now %(n)d.", n=value), "success")
            if "protection_width" in form:
                flash(_("The protection width is now %(n)d.", n=width), "success")
            return redirect(url_for(".national_settings"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("crime_statistics/settings.html", threshold=disclosure_threshold(), errors=errors,
                           width=protection_width(), form=form, categories=list_categories(), category_name=category_name), \
        (422 if errors else 200)
