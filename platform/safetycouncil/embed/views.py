"""The council on the municipality's own website (issue 17; the regulation asks the Technical Secretariat
to publish notices and acts on the municipality's official website).

A block with the council's next meetings, its latest press releases and the plan's progress, in Albanian
or English (``?lang=en``), that a municipal web team pastes once and never updates by hand:

* ``/public/<municipality>/embed`` — a page for an ``<iframe>`` (may be framed by any site; no script);
* ``/public/<municipality>/embed.html`` — the same block as an HTML fragment, for a server-side include;
* ``/public/oembed?url=...`` — oEmbed 1.0 (``rich``), for sites that embed by address;
* ``/<municipality>/embed`` — staff: the copy-paste snippet and a preview.
"""
from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, render_template, request, url_for
from flask_babel import format_decimal
from sqlalchemy import select

from ..extensions import db
from ..locales import force_locale
from ..municipalities.models import Municipality
from ..tenancy import tenant
from ..tenancy.web import scope
from ..timeutil import local_today

bp = Blueprint("embed", __name__, template_folder="templates")

LANGUAGES = ("sq", "en")
MEETINGS_SHOWN = 3
PRESS_RELEASES_SHOWN = 3
WIDTH, HEIGHT = 360, 560
# Anyone's website may frame the block; it runs no script and sends no form.
FRAMEABLE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors *; "
                 "base-uri 'none'; form-action 'none'")


def _language() -> str:
    lang = request.args.get("lang", "sq")
    return lang if lang in LANGUAGES else "sq"


def _progress() -> dict | None:
    """The plan in force: its activities by status (the public page's figures)."""
    from ..plans import monitoring
    from ..public import services

    version = services.current_version()
    if version is None:
        return None
    counts = {status: 0 for status in monitoring.STATUS_LABELS}
    for row in monitoring.board(version, today=local_today()):
        for activity in row["activities"]:
            counts[activity["status"]] += 1
    total = sum(counts.values())
    return {"version": version, "total": total, "done": counts.get("done", 0),
            "in_progress": counts.get("in_progress", 0), "delayed": counts.get("delayed", 0),
            "percent": round(100 * counts.get("done", 0) / total) if total else 0}


def _block_context(municipality: Municipality) -> dict:
    from ..meetings.services import KIND_LABELS
    from ..public import services
    from ..records.services import format_meeting_time

    return {"municipality": municipality, "meetings": services.upcoming_meetings()[:MEETINGS_SHOWN],
            "press_releases": services.press_releases(PRESS_RELEASES_SHOWN), "progress": _progress(),
            "meeting_kinds": KIND_LABELS, "meeting_time": format_meeting_time, "lang": _language(),
            "format_decimal": format_decimal}


def _render(template: str) -> str:
    with force_locale(_language()):
        return render_template(template, **_block_context(g.municipality))


@bp.route("/public/<municipality>/embed")
@scope("public")
def page():
    from flask import make_response

    response = make_response(_render("embed/page.html"))
    response.headers["Content-Security-Policy"] = FRAMEABLE_CSP
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/public/<municipality>/embed.html")
@scope("public")
def fragment():
    from flask import make_response

    response = make_response(_render("embed/_block.html"))
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def snippet(slug: str, lang: str) -> str:
    src = url_for("embed.page", municipality=slug, lang=lang, _external=True)
    return (f'<iframe src="{src}" width="{WIDTH}" height="{HEIGHT}" style="border:0;max-width:100%" '
            f'loading="lazy" title="KVSP"></iframe>')


@bp.route("/public/oembed")
@scope("public")
def oembed():
    """oEmbed 1.0: ``url`` is a council's embed page or public page; JSON only."""
    from urllib.parse import parse_qs, urlsplit

    if request.args.get("format", "json") != "json":
        abort(501)
    parts = urlsplit(request.args.get("url", ""))
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0] != "public":
        abort(404)
    slug = segments[1]
    municipality = db.session.execute(select(Municipality).where(
        Municipality.slug == slug, Municipality.active.is_(True))).scalar_one_or_none()
    if municipality is None:
        abort(404)
    lang = (parse_qs(parts.query).get("lang") or ["sq"])[0]
    lang = lang if lang in LANGUAGES else "sq"
    width = min(WIDTH, request.args.get("maxwidth", WIDTH, type=int) or WIDTH)
    height = min(HEIGHT, request.args.get("maxheight", HEIGHT, type=int) or HEIGHT)
    with tenant(municipality.id), force_locale(lang):
        from flask_babel import gettext as _

        title = _("Local Public Safety Council of %(name)s", name=municipality.name)
    html = snippet(slug, lang).replace(f'width="{WIDTH}"', f'width="{width}"').replace(
        f'height="{HEIGHT}"', f'height="{height}"')
    return jsonify({"version": "1.0", "type": "rich", "provider_name": "KVSP",
                    "provider_url": url_for("public.home", _external=True), "title": title,
                    "html": html, "width": width, "height": height, "cache_age": 300})


@bp.route("/<municipality>/embed")
@scope("tenant")
def staff():
    """Staff: the copy-paste snippet for the municipality's website."""
    slug = g.municipality.slug
    return render_template("embed/staff.html", municipality=g.municipality,
                           snippets={lang: snippet(slug, lang) for lang in LANGUAGES},
                           fragment_urls={lang: url_for("embed.fragment", municipality=slug, lang=lang,
                                                        _external=True) for lang in LANGUAGES},
                           oembed_url=url_for("embed.oembed", url=url_for("embed.page", municipality=slug,
                                                                          _external=True), _external=True))
