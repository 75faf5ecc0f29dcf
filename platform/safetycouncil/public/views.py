"""Pages anyone may read: the national list of councils, each council's public page, health checks."""
from itertools import groupby

from flask import Blueprint, abort, current_app, g, jsonify, render_template
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
    return render_template("public/home.html", counties=municipalities_by_county())


@bp.route("/public/<municipality>/")
@scope("public")
def municipality():
    from ..records.services import published_press_releases

    return render_template("public/municipality.html", municipality=g.municipality,
                           press_releases=published_press_releases())


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
@scope("public")
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
