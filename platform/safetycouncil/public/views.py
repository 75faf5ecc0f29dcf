"""Pages anyone may read: the national list of councils, each council's public page, health checks."""
from itertools import groupby

from flask import Blueprint, abort, current_app, g, jsonify, render_template, request, url_for
from sqlalchemy import select, text

from ..extensions import db
from ..municipalities.models import County, Municipality
from ..tenancy.web import scope

bp = Blueprint("public", __name__, template_folder="templates")


def municipalities_by_county():
    rows = db.session.execute(
        select(Municipality).join(County).where(Municipality.active.is_(True))
        .order_by(County.name, Municipality.name)).scalars().all()
    return [(county, list(items)) for county, items in groupby(rows, key=lambda m: m.county)]


@bp.route("/")
@scope("public")
def home():
    """The national page: find a municipality by name (with or without diacritics), the map, the list."""
    from flask_babel import format_decimal

    from ..municipalities.tilemap import compliance_tiles, fold

    counties = municipalities_by_county()
    compliance = _compliance()
    query = (request.args.get("q") or "").strip()[:80]
    found = None
    if query:
        needle = fold(query)
        found = [m for _county, items in counties for m in items if needle in fold(m.name) or needle in m.slug]
    everyone = [m for _county, items in counties for m in items]
    address = url_for("public.municipality", municipality="__slug__")  # one url_for, not 61
    tiles = compliance_tiles(everyone, compliance.results if compliance else {},
                             lambda m: address.replace("__slug__", m.slug), number=format_decimal)
    return render_template("public/home.html", counties=counties, compliance=compliance, query=query,
                           found=found, tiles=tiles, everyone=everyone)


def _compliance():
    """Each council's compliance with the unified model, in plain words (public/compliance.py)."""
    from .compliance import national

    return national()


@bp.route("/public/open-data/compliance.<any(csv, json):fmt>")
@scope("public")
def compliance_open_data(fmt: str):
    """Every council's verdict on every rule of the unified model, last full year (open data)."""
    import csv
    import io
    import json

    from ..compliance.public import open_data_rows
    from ..crime_statistics import OPEN_DATA_LICENCE

    columns, rows, year = open_data_rows()
    headers = {"Content-Disposition": f'attachment; filename="compliance-{year}.{fmt}"'}
    if fmt == "json":
        body = json.dumps({"dataset": "compliance", "year": year, "licence": OPEN_DATA_LICENCE,
                           "columns": columns, "items": rows}, ensure_ascii=False, indent=1)
        return current_app.response_class(body, mimetype="application/json", headers=headers)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*columns, "licence"])
    for row in rows:
        writer.writerow([row[c] for c in columns] + [OPEN_DATA_LICENCE])
    return current_app.response_class("\ufeff" + out.getvalue(), mimetype="text/csv", headers=headers)


@bp.route("/feed.atom")
@scope("public")
def national_feed():
    """The latest press releases and notices of every council (Atom)."""
    from .feeds import national_feed as feed

    return feed()


@bp.route("/public/<municipality>/")
@scope("public")
def municipality():
    from ..crime_statistics import OPEN_DATA_LICENCE
    from . import services
    from .opendata import DATASETS, dataset_title

    def load_plan():
        version = services.current_version()
        return version, [v for v in services.approved_versions() if version is None or v.id != version.id]

    # The plan, "you said, we did", the survey and the crime figures are read inside cached blocks
    # of the template (caching.cached_fragment): loaded only when the municipality's data changed.
    return render_template("public/municipality.html", municipality=g.municipality,
                           meetings=services.upcoming_meetings(), compliance=_compliance_of(g.municipality),
                           press_releases=services.press_releases(), load_plan=load_plan,
                           reports=services.published_reports(), load_said_did=services.you_said_we_did,
                           load_crime=services.crime_headline, load_progress=services.plan_progress,
                           datasets=DATASETS, dataset_title=dataset_title,
                           open_data_licence=OPEN_DATA_LICENCE, council_compliance=_council_compliance(),
                           **_plan_helpers())


def _council_compliance():
    from .compliance import of_council

    return of_council(g.municipality.id)


def _compliance_of(municipality):
    """The council's published compliance (last full year), for the page's summary."""
    from ..compliance.public import summary_of

    return summary_of(municipality)


def _plan_helpers() -> dict:
    from ..locales import language
    from ..meetings.services import KIND_LABELS
    from ..plans.monitoring import status_label
    from ..plans.reports import KIND_LABELS as REPORT_KINDS
    from ..plans.services import VERSION_STATUS_LABELS
    from ..plans.vocabulary import format_number, timing_words
    from ..records.services import format_meeting_time
    from ..risks.services import intensity_label

    lang = language()
    return {"intensity_label": intensity_label, "activity_status": status_label, "report_kinds": REPORT_KINDS,
            "version_status": lambda v: str(VERSION_STATUS_LABELS.get(v.status, v.status)),
            "meeting_kinds": KIND_LABELS, "meeting_time": format_meeting_time, "number": format_number,
            "timing_words": lambda a: timing_words(a.timing_kind, a.timing_value, lang)}


@bp.route("/public/<municipality>/council")
@scope("public")
def council_members():
    """Who sits on the council, by the categories of the regulation (moved off the public page)."""
    from . import services

    return render_template("public/council_members.html", municipality=g.municipality,
                           composition=services.composition())


@bp.route("/about/<any(contact, privacy, accessibility):page>")
@scope("public")
def about(page: str):
    """The platform's contact, privacy notice and accessibility statement."""
    return render_template(f"public/about_{page}.html", page=page)


@bp.route("/public/<municipality>/plan/versions/<int:version_id>")
@scope("public")
def plan_version(version_id: int):
    """An approved version of the plan (in force or replaced); drafts are never public."""
    from . import services

    version = services.get_approved_version(version_id) or abort(404)
    return render_template("public/plan_version.html", municipality=g.municipality, version=version,
                           **_plan_helpers())


@bp.route("/public/<municipality>/feed.atom")
@scope("public")
def municipality_feed():
    """Press releases and notices of upcoming public meetings (Atom)."""
    from .feeds import municipality_feed as feed

    return feed(g.municipality)


@bp.route("/public/<municipality>/meetings.ics")
@scope("public")
def meetings_calendar():
    """Council meetings and open consultations (iCalendar)."""
    from .feeds import meetings_calendar as calendar

    return calendar(g.municipality)


@bp.route("/public/<municipality>/open-data/<any('press-releases', meetings, plan, reports):dataset>.<any(csv, json):fmt>")
@scope("public")
def open_data(dataset: str, fmt: str):
    from . import opendata

    return opendata.csv_response(dataset) if fmt == "csv" else opendata.json_response(dataset)


@bp.route("/public/<municipality>/press/<int:release_id>")
@scope("public")
def press_release(release_id: int):
    """A published press release (Art. 11); drafts are never public."""
    from ..records.services import get_published_press_release

    found = get_published_press_release(release_id) or abort(404)
    release, meeting = found
    return render_template("public/press_release.html", municipality=g.municipality, release=release,
                           meeting=meeting)


@bp.route("/favicon.ico")
@scope("public")
def favicon():
    return current_app.send_static_file("favicon.svg")


@bp.route("/robots.txt")
@scope("public")
def robots():
    return current_app.response_class("User-agent: *\nDisallow: /api/\nAllow: /\n", mimetype="text/plain")


@bp.route("/healthz")
@scope("public")
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
@scope("public", replica=False)  # the primary answers
def readyz():
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        checks["database"] = f"error: {type(exc).__name__}"
    if current_app.config.get("REDIS_URL"):
        try:
            from ..jobs import redis_connection

            redis_connection().ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), (200 if ready else 503)
