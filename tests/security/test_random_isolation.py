"""A randomized isolation sweep (hypothesis): random people, roles, municipalities, routes and
objects; no read or write ever crosses into a municipality the person may not see or change."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetycouncil.accounts.roles import MUNICIPALITY_ROLES, MUNICIPALITY_PERMISSIONS, Permission

from ..tenancy.test_isolation_sweep import WRITE_METHODS, build, call, methods, tenant_rules, world  # noqa: F401

# Elbasan and Cërrik are in the county of Elbasan; Fier is in the county of Fier.
PLACES = ("elbasan", "cerrik", "fier")
COUNTY_OF = {"elbasan": "elbasan", "cerrik": "elbasan", "fier": "fier"}
ROLES = sorted(MUNICIPALITY_ROLES) + ["prefecture", "ministry", "admin"]


@pytest.fixture
def people(app, make_user, login, api_token):
    """One signed-in person per (role, place), made on first use."""
    made = {}

    def get(role, place):
        key = (role, place)
        if key not in made:
            if role in ("ministry", "admin"):
                user = make_user(role)
            elif role == "prefecture":
                user = make_user(role, county=COUNTY_OF[place])
            else:
                user = make_user(role, municipality=place)
            client = app.test_client()
            login(client, user)
            made[key] = (client, api_token(user))
        return made[key]

    return get


def expected(role, home, target, method, rule, app):
    """What the platform must answer: 404 when the person may not see the municipality,
    403 when they may see but not change, otherwise anything but a cross-tenant success."""
    from safetycouncil.tenancy.web import _declared

    view = app.view_functions[rule.endpoint]
    if role in ("ministry", "admin"):
        visible, writable = True, False
    elif role == "prefecture":
        visible, writable = COUNTY_OF[target] == COUNTY_OF[home], False
    else:
        permissions = MUNICIPALITY_PERMISSIONS[role] if target == home else frozenset()
        visible = _declared(view, "kvsp_read_permission") in permissions
        writable = _declared(view, "kvsp_write_permission") in permissions
    if not visible:
        return {404}
    if method in WRITE_METHODS and not writable:
        return {403, 404}
    return None  # allowed: the ORM and RLS scope what it sees


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_request_crosses_a_municipality(app, world, people, data):  # noqa: F811 - world is a fixture
    rules = tenant_rules(app)
    role = data.draw(st.sampled_from(ROLES), label="role")
    home = data.draw(st.sampled_from(PLACES), label="home")
    target = data.draw(st.sampled_from(PLACES), label="target municipality in the URL")
    owner = data.draw(st.sampled_from(PLACES), label="municipality the ids belong to")
    rule = data.draw(st.sampled_from(rules), label="route")
    method = data.draw(st.sampled_from(methods(rule)), label="method")
    client, headers = people(role, home)
    url = build(rule, target, world[owner])
    status = call(client, headers, rule, method, url).status_code
    must = expected(role, home, target, method, rule, app)
    if must is not None:
        assert status in must, f"{role}@{home} {method} {url} -> {status}, expected {must}"
    elif owner != target and len(rule.arguments) > 1:
        # Another municipality's object under this municipality's address is never found.
        assert status == 404, f"{role}@{home} {method} {url} (ids of {owner}) -> {status}"
    else:
        assert status < 500, f"{role}@{home} {method} {url} -> {status}"


def test_the_expectations_cover_every_permission():
    assert {p for perms in MUNICIPALITY_PERMISSIONS.values() for p in perms} <= set(Permission)
