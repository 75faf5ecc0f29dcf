"""The API against its own OpenAPI description, with generated requests (schemathesis): no server
error, and every response conforms to the schema. Bounded: a few examples per operation, a time limit."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def bearer_tokens(app, make_user, api_token, in_tenant):
    """Valid tokens of several roles: a technical secretary and a member of Elbasan, a Prefecture,
    the Ministry (two-factor sign-in is off in the tests' configuration)."""
    people = [make_user("technical_secretary", municipality="elbasan"), make_user("member", municipality="elbasan"),
              make_user("prefecture", county="elbasan"), make_user("ministry")]
    return [api_token(p) for p in people]


MAX_EXAMPLES = 5
TIME_LIMIT_SECONDS = 240


def test_the_api_never_fails_and_answers_as_described(api_schema, bearer_tokens):
    """Every operation, a few generated requests each, with each role's token. (schemathesis's
    pytest integration needs the schema at import time; the app is a fixture here, so the
    operations are driven by hand, through hypothesis as schemathesis does.)"""
    import time

    from hypothesis import given

    started = time.monotonic()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    checked = 0
    for operation in operations:
        if operation.method.upper() == "DELETE" and operation.path.endswith("/auth/token"):
            continue  # revokes the token the other requests use
        if time.monotonic() - started > TIME_LIMIT_SECONDS:
            break

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            for headers in bearer_tokens:
                case.headers = {**(case.headers or {}), **headers}
                response = case.call()
                case.validate_response(response, checks=(not_a_server_error, response_schema_conformance,
                                                          status_code_conformance))

        run()
        checked += 1
    assert checked >= 10
