"""The JSON API under /api/v1, described by /api/v1/openapi.json (flask-smorest + marshmallow)."""
from __future__ import annotations

import functools

from flask_smorest import Api

from ..extensions import csrf
from ..tenancy.web import scope
from .contract import document_errors, document_fields, install_parser

install_parser()  # before any area's API module decorates its views
api = Api()


def init_api(app) -> None:
    from .. import areas_registry
    from .auth import blp as auth_blp
    from .municipalities import blp as municipalities_blp
    from .municipalities import public_blp

    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "The Local Public Safety Councils platform. Sign in with "
                                "POST /api/v1/auth/token and send the token as `Authorization: Bearer ...`. "
                                "Errors always have the shape {code, status, message, errors?}; messages are in "
                                "the caller's language (Albanian by default, English with Accept-Language: en). "
                                "Every timestamp (`date-time`) is in UTC, written with `Z` "
                                "(e.g. `2026-12-04T09:30:00Z`); timestamps sent may carry any offset "
                                "(none means UTC). Dates (`date`) are days in Albania. Integers fit in 32 bits "
                                "and ids are positive: an id out of range in a path answers 404, in a body 422."},
        "security": [{"bearerAuth": []}],
    })
    api.init_app(app)
    api.ma_plugin.converter.add_attribute_function(document_fields)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blp in (auth_blp, public_blp, municipalities_blp, *areas_registry.api_blueprints()):
        api.register_blueprint(blp)
        csrf.exempt(blp)  # bearer tokens only: the API never reads the session cookie
    document_errors(api)
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith("api-docs."):
            app.view_functions[endpoint] = scope("public")(_plain_function(view))


def _plain_function(view):
    """The docs views are bound methods, which take no attributes: wrap them."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return wrapper
