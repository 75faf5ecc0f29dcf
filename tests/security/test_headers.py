"""Issue 22, finding 8: the CSP forbids plugins (object-src 'none'); a 405 says what is allowed."""


def test_the_csp_forbids_objects(client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert "object-src 'none'" in csp.split("; ")


def test_a_405_answer_carries_allow_on_pages_and_the_api(client):
    page = client.put("/login")
    assert page.status_code == 405
    assert set(page.headers["Allow"].split(", ")) >= {"GET", "POST"}
    api = client.put("/api/v1/auth/token")
    assert api.status_code == 405
    assert "POST" in api.headers["Allow"].split(", ")
    assert api.get_json()["code"] == 405
