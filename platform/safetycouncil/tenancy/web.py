"""Every endpoint declares its scope; the scope is enforced here, once per request.

Scopes:
  public    anyone; with a ``<municipality>`` in the URL, that municipality read-only
  account   any signed-in person (their own account, the landing page)
  tenant    ``/<municipality>/...``: people with a permission in that municipality
  county    ``/prefecture/<county>/...``: that county's Prefecture, the Ministry, admins
  national  Ministry of Interior and administrators
  admin     platform administrators

The app refuses to start when an endpoint has no scope.
"""
from __future__ import annotations

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts import access
from ..accounts.roles import Permission
from ..extensions import db
from ..municipalities.models import County, Municipality
from .context import TenantScope, reset_scope, set_scope

SCOPES = frozenset({"public", "account", "tenant", "county", "national", "admin"})
BLUEPRINT_IDS: dict[str, dict] = {}  # blueprint name -> {id parameter: tenant-owned model}
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# tenant pages that show a visitor (or a person without a role there) the public page instead
VISITOR_PAGES = {"portal.home": "public.municipality"}


# Scopes whose reads (GET, HEAD) go to a read replica when there is one (replicas.py): what the
# public, the Ministry and the Prefectures read. The API's GETs too, whatever their scope.
REPLICA_SCOPES = frozenset({"public", "national", "county"})


def scope(name: str, *, write: Permission = Permission.MANAGE_RECORDS, read: Permission = Permission.READ,
          ids: dict | None = None, replica: bool | None = None):
    """Declare an endpoint's scope; ``write`` is the permission its non-GET methods need. ``ids`` maps
    the path's id parameters to their tenant-owned model (``{"waiver_id": Waiver}``): an id that is not
    a row of this municipality answers 404 here, before the permission check and before the view.
    ``replica`` overrides whether its reads may come from a read replica (``reads_from_replica``):
    False for a page that must see what was written a moment ago by someone else (a link just sent)."""
    if name not in SCOPES:
        raise ValueError(f"unknown scope {name!r}")

    def decorate(view):
        view.kvsp_scope = name
        view.kvsp_write_permission = write
        view.kvsp_read_permission = read
        view.kvsp_ids = dict(ids or {})
        if replica is not None:
            view.kvsp_replica = replica
        return view

    return decorate


def reads_from_replica(view, method: str, path: str) -> bool:
    """The one place that decides which requests may read from a read replica: reads (GET, HEAD)
    of public pages, feeds and open data, of the Ministry's and Prefectures' consoles, and of the
    API; unless the endpoint says otherwise (``@scope(..., replica=False)``)."""
    if method not in ("GET", "HEAD"):
        return False
    declared = _declared(view, "kvsp_replica")
    if declared is not None:
        return bool(declared)
    return endpoint_scope(view) in REPLICA_SCOPES or path.startswith("/api/")


def _declared(view, attr: str):
    value = getattr(view, attr, None)
    if value is None and hasattr(view, "view_class"):
        value = getattr(view.view_class, attr, None)
    return value


def endpoint_scope(view) -> str | None:
    return _declared(view, "kvsp_scope")


def check_every_endpoint_is_scoped(app) -> None:
    missing = [ep for ep, view in app.view_functions.items()
               if ep != "static" and endpoint_scope(view) not in SCOPES]
    if missing:
        raise RuntimeError("Endpoints without a declared scope: " + ", ".join(sorted(missing)))


def _not_found_municipality():
    abort(404, description=_("There is no municipality at this address."))


def resolve_municipality(slug: str) -> Municipality:
    municipality = db.session.execute(
        select(Municipality).where(Municipality.slug == slug, Municipality.active.is_(True))
    ).scalar_one_or_none()
    if municipality is None:
        _not_found_municipality()
    return municipality


def enforce_scope(app):
    """Install the per-request resolution and authorisation of scopes."""

    @app.url_value_preprocessor
    def _pop_slugs(endpoint, values):
        if values:
            g.municipality_slug = values.pop("municipality", None)
            g.county_slug = values.pop("county", None)

    @app.url_defaults
    def _add_slugs(endpoint, values):
        if "municipality" not in values and getattr(g, "municipality", None) is not None:
            if app.url_map.is_endpoint_expecting(endpoint, "municipality"):
                values["municipality"] = g.municipality.slug
        if "county" not in values and getattr(g, "county", None) is not None:
            if app.url_map.is_endpoint_expecting(endpoint, "county"):
                values["county"] = g.county.slug

    @app.before_request
    def _authorise():
        g.kvsp_ids_checked = False
        response = _authorise_scope()
        if response is None and request.endpoint not in (None, "static") and not g.get("kvsp_ids_checked"):
            _check_ids(app.view_functions[request.endpoint])  # national lists' ids (e.g. a category)
        return response

    def _authorise_scope():
        g.municipality = None
        g.county = None
        g.permissions = frozenset()
        if request.endpoint is None or request.endpoint == "static":
            return None
        name = endpoint_scope(app.view_functions[request.endpoint])
        slug = getattr(g, "municipality_slug", None)
        if name == "public":
            if slug:
                g.municipality = resolve_municipality(slug)
                _enter(TenantScope(g.municipality.id, read_only=True))
            return None
        if name == "tenant":
            # An unknown municipality is a 404 for everyone, signed in or not.
            g.municipality = resolve_municipality(slug or "")
        if name == "tenant" and request.endpoint in VISITOR_PAGES and request.method in READ_METHODS:
            # /<municipality>/, the address people type: the portal for those with a role there,
            # the council's public page for everyone else (never the sign-in page).
            if not current_user.is_authenticated or not access.permissions_in(current_user._get_current_object(),
                                                                              g.municipality):
                return redirect(url_for(VISITOR_PAGES[request.endpoint], municipality=g.municipality.slug))
        if not current_user.is_authenticated:
            return app.login_manager.unauthorized()
        user = current_user._get_current_object()
        if name == "account":
            return None
        if name == "admin":
            if not access.is_admin(user):
                abort(403, description=_("Only platform administrators can open this page."))
            return None
        if name == "national":
            if not access.is_national(user):
                abort(403, description=_("Only the Ministry of Interior can open this page."))
            return None
        if name == "county":
            county = db.session.execute(
                select(County).where(County.slug == (getattr(g, "county_slug", None) or ""))
            ).scalar_one_or_none()
            if county is None or not access.can_read_county(user, county.id):
                abort(404, description=_("There is no county at this address that you can see."))
            g.county = county
            return None
        # tenant
        municipality = g.municipality
        g.municipality = None
        permissions = access.permissions_in(user, municipality)
        view = app.view_functions[request.endpoint]
        if not permissions or _declared(view, "kvsp_read_permission") not in permissions:
            abort(404, description=_("There is no page at this address that you can see."))
        own_role = bool(access.municipality_roles(user, municipality.id))
        _enter(TenantScope(municipality.id, read_only=not own_role))
        _check_ids(view)  # another municipality's id: 404 before any 403
        if request.method not in READ_METHODS:
            if _declared(view, "kvsp_write_permission") not in permissions:
                abort(403, description=_("Your role does not allow this change."))
        g.municipality = municipality
        g.permissions = permissions
        return None

    @app.teardown_request
    def _leave(exc=None):
        token = g.pop("tenant_scope_token", None)
        if token is not None:
            reset_scope(token)


def require_ids(blueprint, models: dict) -> None:
    """``scope(ids=models)`` for every route of ``blueprint``."""
    BLUEPRINT_IDS.setdefault(blueprint.name, {}).update(models)


def _check_ids(view) -> None:
    """Every declared id of the path (``scope(ids=...)``, ``require_ids``) is a row of the current
    municipality (the ORM's tenant filter reads it), or the answer is 404 — before the permission
    check, before the view and before its body is read: the one place that says "this id belongs to
    this municipality"."""
    g.kvsp_ids_checked = True
    ids = {**BLUEPRINT_IDS.get(request.blueprint or "", {}), **(_declared(view, "kvsp_ids") or {})}
    for parameter, model in ids.items():
        value = (request.view_args or {}).get(parameter)
        if value is not None and db.session.get(model, value) is None:
            abort(404, description=_("There is no such record in this municipality."))


def _enter(scope_value) -> None:
    g.tenant_scope_token = set_scope(scope_value)
