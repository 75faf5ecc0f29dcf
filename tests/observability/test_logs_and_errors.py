import json
import logging

from safetycouncil.observability import ContextFilter, JsonFormatter, scrub_event


def test_json_log_lines_carry_request_id_municipality_and_user(base_config, make_user, login):
    from safetycouncil.app import create_app

    app = create_app(base_config)
    client = app.test_client()
    secretary = make_user("technical_secretary", municipality="elbasan")
    records = []

    class Capture(logging.Handler):
        def emit(self, record):
            records.append(JsonFormatter().format(record))

    handler = Capture()
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("safetycouncil.test")
    logger.addHandler(handler)

    @app.after_request
    def _log_something(response):
        logger.warning("inside a request")
        return response

    try:
        login(client, secretary)
        client.get("/elbasan/areas/", headers={"X-Request-Id": "req-123"})
    finally:
        logger.removeHandler(handler)
    line = json.loads(records[-1])
    assert line["message"] == "inside a request"
    assert line["request_id"] == "req-123"
    assert line["user_id"] == secretary.id
    assert line["path"] == "/elbasan/areas/"
    assert line["municipality"] == "elbasan"


def test_sentry_events_are_scrubbed_of_personal_data():
    event = {
        "request": {"headers": {"Authorization": "Bearer secret", "Cookie": "kvsp_session=abc", "Accept": "text/html"},
                    "cookies": {"kvsp_session": "abc"}, "data": {"password": "x"}, "query_string": "email=a@b"},
        "user": {"id": 7, "email": "person@example.com", "ip_address": "10.0.0.1"},
    }
    scrubbed = scrub_event(event)
    assert scrubbed["request"]["headers"]["Authorization"] == "[scrubbed]"
    assert scrubbed["request"]["headers"]["Cookie"] == "[scrubbed]"
    assert scrubbed["request"]["headers"]["Accept"] == "text/html"
    assert "cookies" not in scrubbed["request"]
    assert scrubbed["request"]["data"] == "[scrubbed]" and scrubbed["request"]["query_string"] == "[scrubbed]"
    assert scrubbed["user"] == {"id": 7}
