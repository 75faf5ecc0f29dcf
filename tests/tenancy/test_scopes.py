"""Every endpoint declares its scope, and the app refuses to start when one does not."""
import pytest
from flask import Blueprint

from safetycouncil.tenancy.web import SCOPES, check_every_endpoint_is_scoped, endpoint_scope


def test_every_endpoint_of_the_app_declares_a_scope(app):
    for endpoint, view in app.view_functions.items():
        if endpoint != "static":
            assert endpoint_scope(view) in SCOPES, endpoint


def test_tenant_routes_are_exactly_those_under_a_municipality(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        scope = endpoint_scope(app.view_functions[rule.endpoint])
        if scope == "tenant":
            assert "municipality" in rule.arguments, rule.rule
        if scope == "county":
            assert "county" in rule.arguments, rule.rule


def test_an_endpoint_without_a_scope_stops_the_app_from_starting(base_config):
    from safetycouncil.app import create_app

    app = create_app(base_config)
    forgotten = Blueprint("forgotten", __name__)

    @forgotten.route("/<municipality>/forgotten")
    def page():
        return "leak"

    app.register_blueprint(forgotten)
    with pytest.raises(RuntimeError, match="forgotten.page"):
        check_every_endpoint_is_scoped(app)
