"""The isolation sweep: every route and API operation, discovered from the URL map.

A route added tomorrow is covered without anyone remembering: if it takes an id this
sweep cannot make an object for, the sweep fails and asks for a factory below.
"""
import re

import pytest
from sqlalchemy import func, select

from safetycouncil.accounts.roles import OVERSIGHT_PERMISSIONS
from safetycouncil.areas.models import Area
from safetycouncil.documents.models import Document
from safetycouncil.documents.services import store_document
from safetycouncil.extensions import db
from safetycouncil.tenancy.web import VISITOR_PAGES, endpoint_scope

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _make_area(session, tag):
    area = Area(name=f"Zona {tag}", kind="neighbourhood")
    session.add(area)
    session.flush()
    return area.id


def _make_document(session, tag):
    return store_document(f"Dokument {tag}", f"doc-{tag}.pdf", PDF, uploaded_by_id=None).id


def _collect_factories() -> dict:
    """One factory per kind of id a tenant route takes: these two, plus every area's
    ``tests/<area>/sweep_factories.py`` (a dict ``ID_FACTORIES`` of url parameter -> function
    (session, tag) -> id). A new route with a new id needs a factory there."""
    import importlib
    from pathlib import Path

    factories = {"area_id": _make_area, "document_id": _make_document}
    for path in sorted(Path(__file__).resolve().parents[1].glob("*/sweep_factories.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.sweep_factories")
        factories.update(module.ID_FACTORIES)
    return factories


ID_FACTORIES = _collect_factories()


@pytest.fixture
def world(app, in_tenant):
    ids = {}
    for slug in ("elbasan", "fier", "cerrik"):
        with in_tenant(slug) as session:
            ids[slug] = {param: make(session, slug) for param, make in ID_FACTORIES.items()}
    return ids


def tenant_rules(app):
    """Every route inside a municipality that is not public (public pages are the public's)."""
    rules = [r for r in app.url_map.iter_rules() if "municipality" in r.arguments
             and endpoint_scope(app.view_functions[r.endpoint]) != "public"
             and r.endpoint not in VISITOR_PAGES]  # those show outsiders the public page: tested below
    assert all(endpoint_scope(app.view_functions[r.endpoint]) == "tenant" for r in rules)
    assert len(rules) >= 10, "the sweep found too few tenant routes: is the URL map read correctly?"
    return rules


def build(rule, slug, ids):
    missing = [a for a in rule.arguments if a != "municipality" and a not in ID_FACTORIES]
    assert not missing, f"{rule.rule} takes {missing}: add a factory to ID_FACTORIES so the sweep covers it"
    path = rule.rule.replace("<municipality>", slug)
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), path)


def methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


@pytest.fixture
def as_people(app, make_user, login, api_token):
    """Returns a function giving (client, api headers) for a person."""

    def sign_in(user):
        client = app.test_client()
        login(client, user)
        return client, api_token(user)

    return sign_in


def call(client, headers, rule, method, url):
    kwargs = {"headers": headers} if rule.endpoint.startswith("api") else {}
    if method in WRITE_METHODS and rule.endpoint.startswith("api"):
        kwargs["json"] = {}
    return client.open(url, method=method, **kwargs)


def _fier_snapshot(app, municipality_id):
    from safetycouncil.tenancy import tenant

    with app.app_context(), tenant(municipality_id("fier")):
        return (sorted(db.session.execute(select(Area.name)).scalars()),
                sorted(db.session.execute(select(Document.title)).scalars()))


def test_a_municipality_user_gets_404_for_everything_of_another_municipality(
        app, world, make_user, as_people, municipality_id):
    before = _fier_snapshot(app, municipality_id)
    secretary = make_user("technical_secretary", municipality="elbasan")
    client, headers = as_people(secretary)
    checked = 0
    for rule in tenant_rules(app):
        for method in methods(rule):
            # Fier's path with Fier's objects, and Elbasan's own path with Fier's objects.
            urls = {build(rule, "fier", world["fier"]), build(rule, "elbasan", world["fier"])}
            if len(rule.arguments) == 1:
                urls.discard(build(rule, "elbasan", world["fier"]))
            for url in urls:
                response = call(client, headers, rule, method, url)
                assert response.status_code == 404, f"{method} {url} ({rule.endpoint}) -> {response.status_code}"
                checked += 1
    assert checked >= 20
    assert _fier_snapshot(app, municipality_id) == before, "a refused write changed another municipality's data"


def test_the_sweep_is_not_vacuous_own_objects_are_readable(app, world, make_user, as_people):
    secretary = make_user("technical_secretary", municipality="elbasan")
    client, headers = as_people(secretary)
    for rule in tenant_rules(app):
        if "GET" in rule.methods:
            url = build(rule, "elbasan", world["elbasan"])
            response = call(client, headers, rule, "GET", url)
            assert response.status_code == 200, f"GET {url} ({rule.endpoint}) -> {response.status_code}"


def _read_permission(app, rule):
    from safetycouncil.tenancy.web import _declared

    return _declared(app.view_functions[rule.endpoint], "kvsp_read_permission")


def test_a_prefecture_reads_its_county_only_and_never_writes(app, world, make_user, as_people):
    prefect = make_user("prefecture", county="elbasan")
    client, headers = as_people(prefect)
    for rule in tenant_rules(app):
        for method in methods(rule):
            outside = build(rule, "fier", world["fier"])
            assert call(client, headers, rule, method, outside).status_code == 404, f"{method} {outside}"
            inside = build(rule, "cerrik", world["cerrik"])
            status = call(client, headers, rule, method, inside).status_code
            if _read_permission(app, rule) not in OVERSIGHT_PERMISSIONS:
                # e.g. a municipality's whole data archive: not for a Prefecture (data minimisation)
                assert status == 404, f"{method} {inside} -> {status}"
            elif method in WRITE_METHODS:
                assert status == 403, f"{method} {inside} -> {status}"
            else:
                assert status == 200, f"{method} {inside} -> {status}"
    assert client.get("/prefecture/fier/").status_code == 404
    assert client.get("/prefecture/elbasan/").status_code == 200
    assert client.get("/national/").status_code == 403


def test_only_the_ministry_and_administrators_read_across_counties(app, world, make_user, as_people):
    ministry = make_user("ministry")
    admin = make_user("admin")
    member = make_user("member", municipality="elbasan")
    prefect = make_user("prefecture", county="fier")
    for person in (ministry, admin):
        client, headers = as_people(person)
        assert client.get("/national/").status_code == 200
        assert client.get("/prefecture/fier/").status_code == 200
        for rule in tenant_rules(app):
            if "GET" in rule.methods:
                url = build(rule, "fier", world["fier"])
                assert call(client, headers, rule, "GET", url).status_code == 200, url
            for method in set(methods(rule)) & WRITE_METHODS:
                url = build(rule, "fier", world["fier"])
                assert call(client, headers, rule, method, url).status_code == 403, f"{method} {url}"
    for person in (member, prefect):
        client, _ = as_people(person)
        assert client.get("/national/").status_code == 403
        assert client.get("/national/audit").status_code == 403
    client, _ = as_people(member)
    assert client.get("/prefecture/elbasan/").status_code == 404


def test_a_member_reads_but_cannot_change(app, world, make_user, as_people):
    member = make_user("member", municipality="elbasan")
    client, headers = as_people(member)
    assert client.post("/elbasan/areas/", data={"name": "X", "kind": "village"}).status_code == 403
    response = client.post("/api/v1/municipalities/elbasan/areas", json={"name": "X", "kind": "village"},
                           headers=headers)
    assert response.status_code == 403
    assert client.get("/elbasan/areas/").status_code == 200


def test_one_person_with_roles_in_several_municipalities_sees_each(app, world, make_user, as_people):
    prosecutor = make_user(("secretariat_prosecution", "elbasan", None), ("secretariat_prosecution", "cerrik", None))
    client, headers = as_people(prosecutor)
    assert client.get("/elbasan/areas/").status_code == 200
    assert client.get("/cerrik/areas/").status_code == 200
    assert client.get("/fier/areas/").status_code == 404
    listed = client.get("/api/v1/municipalities/cerrik/areas", headers=headers).get_json()
    assert [a["name"] for a in listed] == ["Zona cerrik"]


def test_the_municipality_address_shows_outsiders_the_public_page_and_insiders_the_portal(
        app, world, make_user, as_people):
    """/<municipality>/, the address people type: the portal only with a role there."""
    assert set(VISITOR_PAGES) == {"portal.home"}
    visitor = app.test_client()
    response = visitor.get("/fier/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/public/fier/")
    secretary = make_user("technical_secretary", municipality="elbasan")
    client, _headers = as_people(secretary)
    response = client.get("/fier/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/public/fier/")
    own = client.get("/elbasan/")
    assert own.status_code == 200 and "/elbasan/people" in own.get_data(as_text=True)
    assert visitor.get("/atlantis/").status_code == 404


def test_unknown_municipality_is_a_clear_404(app, make_user, as_people):
    secretary = make_user("technical_secretary", municipality="elbasan")
    client, headers = as_people(secretary)
    page = client.get("/atlantis/areas/")
    assert page.status_code == 404
    assert "nuk ka asnjë bashki" in page.get_data(as_text=True) or "There is no municipality" in page.get_data(as_text=True)
    api = client.get("/api/v1/municipalities/atlantis/areas", headers=headers)
    assert api.status_code == 404 and api.get_json()["message"]
    assert app.test_client().get("/atlantis/").status_code == 404


def test_cross_tenant_aggregates_do_not_leak_to_a_prefecture(app, world, make_user, as_people):
    prefect = make_user("prefecture", county="fier")
    client, _ = as_people(prefect)
    page = client.get("/prefecture/fier/").get_data(as_text=True)
    assert "Elbasan" not in page and "Cërrik" not in page
    assert "Fier" in page


def test_every_tenant_table_was_counted(app, world):
    """A sanity check of the fixture: each municipality has exactly its own records."""
    from safetycouncil.tenancy import read_across_tenants

    with app.app_context(), read_across_tenants():
        counts = dict(db.session.execute(select(Area.municipality_id, func.count()).group_by(Area.municipality_id)).all())
        assert sorted(counts.values()) == [1, 1, 1]
