"""Issue 22, finding 8: invitation codes checked by GET (?code=) are rate-limited per client."""


def test_guessing_codes_by_get_is_rate_limited(app, make_wave, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_SURVEY_CODE_CHECK_LIMIT", "5 per hour")
    wave_id, _areas = make_wave("elbasan")
    url = f"/public/elbasan/survey/{wave_id}"
    client = app.test_client()
    for n in range(5):
        assert client.get(f"{url}?code=AAAA-{n:04d}").status_code == 200
    response = client.get(f"{url}?code=AAAA-9999")
    assert response.status_code == 429
    assert "Keni bërë shumë përpjekje" in response.get_data(as_text=True)
    assert client.get(url).status_code == 200  # the form itself, without a code, stays open
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "127.0.0.8"
    assert elsewhere.get(f"{url}?code=AAAA-0001").status_code == 200
