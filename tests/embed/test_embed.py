"""The council on the municipality's own website: a block without JavaScript (iframe page, HTML fragment,
oEmbed), in Albanian or English, and the snippet on a staff page (issue 17)."""
from __future__ import annotations

from tests.api.contract_support import load_elbasan_demo


def test_the_iframe_page_shows_meetings_press_releases_and_progress_without_script(app, client):
    load_elbasan_demo(app)
    response = client.get("/public/elbasan/embed")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script" not in html.lower() and "<form" not in html.lower()
    assert "Këshilli Vendor i Sigurisë Publike" in html or "Elbasan" in html
    assert 'lang="sq"' in html
    # any website may frame it (frame-ancestors overrides X-Frame-Options in browsers)
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "script-src" not in response.headers["Content-Security-Policy"]
    english = client.get("/public/elbasan/embed?lang=en").get_data(as_text=True)
    assert 'lang="en"' in english
    assert "Next meetings" in english and "Latest press releases" in english and "Progress of the plan" in english


def test_the_fragment_is_a_piece_of_html_with_absolute_links(app, client):
    load_elbasan_demo(app)
    response = client.get("/public/elbasan/embed.html?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<script" not in html.lower()
    assert html.strip().startswith(("{#", "<section"))
    assert 'href="/' not in html  # every link absolute: the fragment lives on another site
    assert 'href="http://localhost/public/elbasan/' in html


def test_oembed_answers_a_rich_iframe_for_a_councils_address(app, client):
    response = client.get("/public/oembed", query_string={"url": "http://localhost/public/elbasan/embed?lang=en",
                                                          "maxwidth": 300})
    assert response.status_code == 200
    data = response.get_json()
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert 'src="http://localhost/public/elbasan/embed?lang=en"' in data["html"]
    assert data["width"] == 300 and 'width="300"' in data["html"]
    assert "Elbasan" in data["title"]
    assert client.get("/public/oembed", query_string={"url": "http://localhost/public/nowhere/embed"}).status_code == 404
    assert client.get("/public/oembed", query_string={"url": "http://localhost/elsewhere"}).status_code == 404
    assert client.get("/public/oembed", query_string={"url": "http://localhost/public/elbasan/embed",
                                                      "format": "xml"}).status_code == 501


def test_an_unknown_municipality_has_no_block(client):
    assert client.get("/public/nowhere/embed").status_code == 404
    assert client.get("/public/nowhere/embed.html").status_code == 404


def test_staff_find_the_snippet_to_paste(app, client, make_user, login):
    secretary = make_user("technical_secretary", municipality="elbasan")
    login(client, secretary)
    page = client.get("/elbasan/embed")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "&lt;iframe src=&#34;http://localhost/public/elbasan/embed?lang=sq&#34;" in html \
        or "&lt;iframe src=&quot;http://localhost/public/elbasan/embed?lang=sq&quot;" in html
    assert "embed.html?lang=en" in html
    assert client.get("/fier/embed").status_code == 404
