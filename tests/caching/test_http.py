"""Public pages that survive a rush (issue 16): anonymous public pages, feeds and open data answer
conditional requests with an ETag built from the data stamps, 304 without rendering, and say that
shared caches may keep them briefly; nothing a signed-in person sees is ever cacheable by others."""
from __future__ import annotations

from contextlib import contextmanager

from flask import template_rendered
from sqlalchemy import select

from safetycouncil.caching.http import CONDITIONAL
from safetycouncil.tenancy.web import endpoint_scope

# Public GET endpoints that do not answer conditional requests, each with the reason.
NOT_CONDITIONAL = {
    "public.favicon": "a redirect to a static file",
    "public.robots": "static text",
    "public.healthz": "a probe: always answered",
    "public.readyz": "a probe: always answered",
    "accounts.login": "a form",
    "accounts.accept_invitation": "a secret in the address, and a form",
    "accounts.request_reset": "a form",
    "accounts.reset_password": "a secret in the address, and a form",
    "accounts.two_factor_code": "a form during sign-in",
    "accounts.two_factor_setup": "a form during sign-in",
    "api-docs.openapi_json": "the API's description, not data",
    "meetings.material_link": "a personal link (a secret in the address)",
    "meetings.material_link_download": "a personal link (a secret in the address)",
    "obligations.feed": "a person's secret calendar address",
    "concerns.public_form": "a form",
    "concerns.public_follow": "looked up by reference number; rate-limited per client",
    "concerns.public_sent": "shown once, after sending",
    "surveys.answer": "a form",
    "surveys.thanks": "shown once, after answering",
    "grants.public_call": "the call with its application form",
    "grants.public_application": "an applicant's private link (a secret in the address), and a form",
    "grants.public_scoring": "a scorer's private link (a secret in the address), and a form",
    "grants.public_call_document": "a call's document, sent as a file once the call is open",
    "grants.public_programmes": "the Ministry's programmes with their lots' calls across municipalities (no one stamp)",
    "api_grant_programmes.PublicProgrammes": "the Ministry's programmes (national rows without a data stamp of their own)",
}


def test_every_public_read_is_reviewed(app):
    public_reads = {r.endpoint for r in app.url_map.iter_rules()
                    if r.endpoint != "static" and "GET" in r.methods
                    and endpoint_scope(app.view_functions[r.endpoint]) == "public"}
    assert public_reads - CONDITIONAL - set(NOT_CONDITIONAL) == set()
    assert CONDITIONAL <= public_reads and not CONDITIONAL & set(NOT_CONDITIONAL)


@contextmanager
def rendered(app):
    seen = []

    def note(sender, template, context, **extra):
        seen.append(template.name)

    template_rendered.connect(note, app)
    try:
        yield seen
    finally:
        template_rendered.disconnect(note, app)


def _area(in_tenant, slug: str, name: str) -> None:
    from safetycouncil.areas.models import Area

    with in_tenant(slug) as s:
        s.add(Area(name=name, kind="administrative_unit"))


def test_a_public_page_answers_304_without_rendering_until_its_data_changes(app, client, in_tenant):
    first = client.get("/public/elbasan/")
    assert first.status_code == 200 and first.headers["ETag"]
    assert "Set-Cookie" not in first.headers and 'name="csrf_token"' not in first.get_data(as_text=True)
    control = first.headers["Cache-Control"]
    assert control.startswith("public, max-age=") and 0 < int(control.split("=")[1]) <= 60
    etag = first.headers["ETag"]

    with rendered(app) as templates:
        again = client.get("/public/elbasan/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and templates == []
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == control
    assert client.get("/public/elbasan/").headers["ETag"] == etag  # nothing changed, same tag

    _area(in_tenant, "fier", "Mbrostar")  # another council's record: Elbasan's page is the same
    assert client.get("/public/elbasan/", headers={"If-None-Match": etag}).status_code == 304
    _area(in_tenant, "elbasan", "Gjergjan")  # a record of Elbasan: the page is built again
    changed = client.get("/public/elbasan/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_a_public_page_is_served_again_without_rendering_until_its_data_changes(app, client, in_tenant):
    """A visitor without the page in their own cache: the page kept under its ETag is sent, the view
    does not run; a change of the council's records gives a new ETag, and the page is built again."""
    first = client.get("/public/elbasan/")
    with rendered(app) as templates:
        again = client.get("/public/elbasan/")
    assert templates == [] and again.status_code == 200
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert again.headers["Content-Security-Policy"] and "Set-Cookie" not in again.headers

    _area(in_tenant, "elbasan", "Gjergjan")
    with rendered(app) as templates:
        changed = client.get("/public/elbasan/")
    assert templates and changed.headers["ETag"] != first.headers["ETag"]


def test_the_kept_page_is_never_sent_to_someone_with_a_session(app, client, make_user, login):
    """A signed-in person, or a visitor who chose a language, always gets a page built for them."""
    app.test_client().get("/public/elbasan/")
    login(client, make_user("technical_secretary", municipality="elbasan"))
    visitor = app.test_client()
    visitor.post("/language/en", data={"next": "/public/elbasan/"})
    for who in (client, visitor):
        with rendered(app) as templates:
            page = who.get("/public/elbasan/")
        assert page.status_code == 200 and templates, who
        assert page.headers["Cache-Control"] == "private, no-store"


def test_the_tag_changes_when_a_concern_is_accepted(app, client, in_tenant):
    from safetycouncil.concerns.models import Concern
    from safetycouncil.concerns.services import ensure_default_categories, submit_public_concern

    with in_tenant("elbasan") as s:
        ensure_default_categories()
        from safetycouncil.areas.models import Area

        s.add(Area(name="Gjergjan", kind="administrative_unit"))
    from safetycouncil.concerns.models import RiskCategory

    with in_tenant("elbasan") as s:
        area = s.execute(select(Area.id)).scalar_one()
        category = s.execute(select(RiskCategory.id)).scalars().first()
        submit_public_concern("Ndriçimi mungon prej një muaji pranë shkollës së Gjergjanit.", area, category, None)
    before = client.get("/public/elbasan/").headers["ETag"]
    with in_tenant("elbasan") as s:
        s.execute(select(Concern)).scalar_one().status = "accepted"
    after = client.get("/public/elbasan/", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before


def test_pages_of_every_council_change_with_any_council(app, client, in_tenant):
    etag = client.get("/").headers["ETag"]
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 304
    _area(in_tenant, "fier", "Mbrostar")
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 200


def test_feeds_and_open_data_answer_conditional_requests(app, client, in_tenant):
    for path, headers in [("/public/elbasan/feed.atom", {}), ("/public/elbasan/meetings.ics", {}),
                          ("/public/elbasan/open-data/meetings.json", {}), ("/public/open-data/compliance.csv", {}),
                          ("/api/v1/public/municipalities/elbasan/meetings", {"Accept-Language": "en"})]:
        first = client.get(path, headers=headers)
        assert first.status_code == 200 and first.headers.get("ETag"), path
        assert first.headers["Cache-Control"].startswith("public"), path
        again = client.get(path, headers={**headers, "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, path
    # the API's language comes from Accept-Language: another language, another tag, and caches know it
    en = client.get("/api/v1/public/municipalities/elbasan/meetings", headers={"Accept-Language": "en"})
    sq = client.get("/api/v1/public/municipalities/elbasan/meetings", headers={"Accept-Language": "sq"})
    assert en.headers["ETag"] != sq.headers["ETag"] and "Accept-Language" in en.headers["Vary"]


def test_nothing_a_signed_in_person_sees_is_cacheable(app, client, make_user, login, api_token):
    anonymous = app.test_client().get("/public/elbasan/")
    person = make_user("technical_secretary", municipality="elbasan")
    login(client, person)
    for path in ("/public/elbasan/", "/", "/elbasan/", "/public/elbasan/feed.atom"):
        response = client.get(path, headers={"If-None-Match": anonymous.headers["ETag"]})
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "private, no-store", path
        assert "ETag" not in response.headers and "Cookie" in response.headers.get("Vary", ""), path
    api = app.test_client().get("/api/v1/public/municipalities/elbasan/meetings", headers=api_token(person))
    assert api.headers["Cache-Control"] == "private, no-store" and "ETag" not in api.headers
    # a visitor who chose a language has a session: their pages are theirs alone too
    visitor = app.test_client()
    visitor.post("/language/en", data={"next": "/public/elbasan/"})
    assert visitor.get("/public/elbasan/").headers["Cache-Control"] == "private, no-store"
