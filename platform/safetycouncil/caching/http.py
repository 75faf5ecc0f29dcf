"""Public pages that survive a rush: conditional requests and shared caches.

The anonymous public pages, feeds and open data listed in ``CONDITIONAL`` carry an ETag derived
from what they are built from: the data stamps (``caching.stamps``: the municipality's and the
national one; a page of all councils, every stamp), the reader's language, the day in Albania (what
is due, next or late moves with the date) and the code's version (templates, translations, rules).
A write gives the municipality a new stamp, so the ETag changes exactly when the data does. A request
whose ``If-None-Match`` matches is answered 304 before the view runs (one query: the stamps).

The page itself: the first anonymous GET of a page under a given ETag keeps the response it rendered
(body and content headers) in the application cache under that ETag and the host; the next anonymous
GET with the same ETag is answered from there without running the view: the same page, because the
ETag changes whenever anything it shows could (``PAGE_CACHE_MAX_BYTES``: larger bodies, files sent as
they are read, and anything for a visitor with a session are never kept).

``Cache-Control``: ``public, max-age=HTTP_CACHE_MAX_AGE`` (10 s by default, at most 60: a change shows
within a minute anywhere) for visitors without a session; a micro-cache (infra/nginx.conf) or a CDN
may keep and share those. Anything for a signed-in person (a session or a bearer token) is
``private, no-store`` (never stored by a shared cache), and so is a response that sets a cookie or
follows a write.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import g, request, session
from sqlalchemy import select

from . import cache

READS = ("GET", "HEAD")
# The endpoints that answer conditional requests: pages, feeds and open data for everyone, without
# a form (a form carries a token) nor a secret in the address. Reviewed: tests/caching/test_http.py
# fails on a public GET endpoint in neither this set nor NOT_CONDITIONAL there.
CONDITIONAL = frozenset({
    "public.home", "public.municipality", "public.council_members", "public.about", "public.plan_version",
    "public.municipality_feed", "public.national_feed", "public.meetings_calendar", "public.open_data",
    "public.compliance_open_data", "public.press_release",
    "plans.public_plan", "plans.public_report_pdf", "plans.public_report_docx",
    "crime_statistics.public_overview", "crime_statistics.public_csv", "crime_statistics.public_json",
    "crime_statistics.public_area",
    "surveys.public_results", "surveys.public_pdf", "surveys.public_xlsx",
    "embed.page", "embed.fragment", "embed.oembed",
    "api_public.PublicCountyList", "api_public.PublicMunicipalityList", "api_public.PublicMunicipalityDetail",
    "api_public_open_data.PublicOpenDataMeetings", "api_public_open_data.PublicOpenDataPlan",
    "api_public_open_data.PublicOpenDataPressReleases", "api_public_open_data.PublicOpenDataReports",
    "api_crime_statistics.PublicCrimeStatistics", "api_surveys.PublicSurveys", "api_surveys.PublicSurveyResults",
    "grants.public_index", "grants.public_open_data",
    "api_public_grants.PublicCalls", "api_public_grants.PublicAwards",
})

PAGE_CACHE_MAX_BYTES = 1_000_000
PAGE_CACHE_SECONDS = 3600  # an ETag names one day at most; entries under older tags simply expire
_PAGE_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")

_code_version: str | None = None
_ALSO: dict[str, list] = {}


def also_varies_with(endpoints, stamp_keys) -> None:
    """Pages that show data of other municipalities than their own (a national average on a council's
    page) name what else their ETag varies with: stamp keys (``stamps.shared_key``), read in the same
    query as the page's own stamps. The areas call this for their endpoints; without it such a page
    would be answered 304 (or from the page cache) after a change elsewhere that it shows."""
    for endpoint in endpoints:
        _ALSO.setdefault(endpoint, []).extend(stamp_keys)


def code_version() -> str:
    """A digest of the package's code, templates and compiled catalogs (computed once per process):
    a deployment that changes what a page shows changes its ETag."""
    global _code_version
    if _code_version is None:
        root = Path(__file__).resolve().parents[1]
        digest = hashlib.sha256()
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".html", ".mo", ".txt", ".svg", ".css", ".json") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
        _code_version = digest.hexdigest()[:16]
    return _code_version


def _signed_in() -> bool:
    from flask import current_app

    if request.headers.get("Authorization"):
        return True
    from flask_login import current_user

    return bool(current_user and current_user.is_authenticated) or \
        current_app.config.get("SESSION_COOKIE_NAME", "session") in request.cookies


def _conditional() -> bool:
    return request.method in READS and request.endpoint in CONDITIONAL


def _stamps_digest() -> str | None:
    from ..extensions import db
    from . import stamps, version_of
    from .models import DataStamp

    municipality = getattr(g, "municipality", None)
    if municipality is not None:
        return version_of([stamps.municipality_key(municipality.id), stamps.NATIONAL],
                          optional=_ALSO.get(request.endpoint or "", ()))
    rows = db.session.execute(select(DataStamp.key, DataStamp.stamp).order_by(DataStamp.key)).all()
    return hashlib.sha256("|".join(f"{k}={s}" for k, s in rows).encode()).hexdigest()[:32] if rows else None


def current_etag() -> str | None:
    """The ETag of this request's page (None when it has none)."""
    from flask_babel import get_locale

    from ..timeutil import local_today

    data = _stamps_digest()
    if data is None:
        return None
    parts = [data, str(get_locale()), local_today().isoformat(), code_version(), request.endpoint or "",
             request.full_path]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _page_key(etag: str) -> str:
    return f"page:{etag}:{request.host}"


def init_app(app) -> None:
    """After the tenancy layer's before_request (g.municipality is resolved by then)."""
    app.config.setdefault("HTTP_CACHE_MAX_AGE", 10)

    def cache_control(response) -> None:
        if _signed_in():
            response.headers["Cache-Control"] = "private, no-store"
        else:
            age = max(0, min(60, int(app.config["HTTP_CACHE_MAX_AGE"])))
            response.headers["Cache-Control"] = f"public, max-age={age}"
        response.vary.update(("Cookie", "Accept-Language") if request.path.startswith("/api/") else ("Cookie",))

    @app.before_request
    def _not_modified():
        if not _conditional() or request.headers.get("Authorization"):
            return None
        from flask_login import current_user

        if current_user.is_authenticated:
            return None
        etag = current_etag()
        g.kvsp_etag = etag
        if etag and request.if_none_match.contains(etag):
            response = app.response_class(status=304)
            response.set_etag(etag)
            cache_control(response)
            return response
        if etag and request.method == "GET" and not _signed_in():
            kept = cache.get(_page_key(etag))
            if kept is not None:
                body, headers = kept
                g.kvsp_page_kept = True
                response = app.response_class(body, headers=headers)
                response.set_etag(etag)
                cache_control(response)
                return response
        return None

    @app.after_request
    def _cache_headers(response):
        if request.endpoint in (None, "static") or request.method not in READS:
            return response
        from flask_login import current_user

        etag = getattr(g, "kvsp_etag", None)
        if (etag and response.status_code == 200 and not getattr(g, "kvsp_wrote", False)
                and not session.modified and "Set-Cookie" not in response.headers
                and not current_user.is_authenticated):
            response.set_etag(etag)
            cache_control(response)
            if (request.method == "GET" and not getattr(g, "kvsp_page_kept", False) and not _signed_in()
                    and not response.direct_passthrough and not response.is_streamed):
                body = response.get_data()
                if len(body) <= PAGE_CACHE_MAX_BYTES:
                    headers = [(k, v) for k, v in response.headers.items() if k in _PAGE_HEADERS]
                    cache.set(_page_key(etag), (body, headers), timeout=PAGE_CACHE_SECONDS)
        elif _signed_in() or "Set-Cookie" in response.headers or getattr(g, "kvsp_wrote", False):
            response.headers["Cache-Control"] = "private, no-store"
            response.vary.add("Cookie")
        return response
