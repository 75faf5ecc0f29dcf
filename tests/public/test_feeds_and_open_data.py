"""Feeds parse (Atom with xml.etree, iCalendar with icalendar) and hold the published items; the open
data downloads and the public API carry the licence and the items."""
import csv
import io
from xml.etree import ElementTree as ET

from icalendar import Calendar

from safetycouncil.crime_statistics import OPEN_DATA_LICENCE, OPEN_DATA_LICENCE_URL

from .support import VISIBLE, build_world

ATOM = "{http://www.w3.org/2005/Atom}"


def _atom(response):
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text and feed.find(f"{ATOM}updated").text
    return [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href"), e.find(f"{ATOM}updated").text)
            for e in feed.findall(f"{ATOM}entry")]


def test_the_municipality_feed_has_the_press_releases_and_the_notices(client, world):
    entries = _atom(client.get("/public/elbasan/feed.atom"))
    titles = [t for t, _, _ in entries]
    assert VISIBLE["press release"] in titles
    assert any(VISIBLE["upcoming meeting"] in t for t in titles)
    assert any(VISIBLE["consultation"] in t for t in titles)
    assert len(entries) == 3  # one release, two notices: nothing else
    assert any(link.endswith(f"/public/elbasan/press/{world.release_ids[0]}") for _, link, _ in entries)
    page = client.get("/public/elbasan/").get_data(as_text=True)
    assert 'rel="alternate" type="application/atom+xml" href="/public/elbasan/feed.atom"' in page
    assert 'rel="alternate" type="text/calendar" href="/public/elbasan/meetings.ics"' in page


def test_the_national_feed_reads_across_municipalities(app, client, in_tenant, world):
    build_world(app, in_tenant, slug="fier", crime=False)
    entries = _atom(client.get("/feed.atom"))
    links = [link for _, link, _ in entries]
    assert any("/public/elbasan/press/" in link for link in links)
    assert any("/public/fier/press/" in link for link in links)
    assert sum(VISIBLE["upcoming meeting"] in t for t, _, _ in entries) == 2
    assert len(entries) <= 50
    assert 'href="/feed.atom"' in client.get("/").get_data(as_text=True)


def test_the_calendar_has_the_public_meetings_only(client, world):
    response = client.get("/public/elbasan/meetings.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.get_data())
    events = [c for c in calendar.walk("VEVENT")]
    summaries = {str(e.get("summary")) for e in events}
    assert VISIBLE["upcoming meeting"] in summaries and VISIBLE["consultation"] in summaries
    assert len(events) == 4  # two planned, two held council meetings; no secretariat or cancelled meeting
    upcoming = next(e for e in events if str(e.get("summary")) == VISIBLE["upcoming meeting"])
    assert VISIBLE["agenda item"] in str(upcoming.get("description"))
    assert "Sekretari Teknik" not in str(upcoming.get("description"))  # titles only
    assert upcoming.decoded("dtstart").tzinfo is not None


def test_the_open_data_downloads_carry_the_licence_and_the_items(client, world):
    expected = {"press-releases": VISIBLE["press release"], "meetings": VISIBLE["upcoming meeting"],
                "plan": VISIBLE["approved activity"], "reports": "monitoring"}
    for dataset, item in expected.items():
        response = client.get(f"/public/elbasan/open-data/{dataset}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert OPEN_DATA_LICENCE_URL in response.headers["Link"]
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert rows and all(r["licence"] == OPEN_DATA_LICENCE for r in rows)
        assert any(item in " ".join(r.values()) for r in rows), dataset
        data = client.get(f"/public/elbasan/open-data/{dataset}.json").get_json()
        assert data["licence"] == {"name": OPEN_DATA_LICENCE, "url": OPEN_DATA_LICENCE_URL}
        assert data["municipality"]["slug"] == "elbasan" and data["items"]
        api = client.get(f"/api/v1/public/municipalities/elbasan/{dataset}").get_json()
        assert api["licence"]["name"] == OPEN_DATA_LICENCE and api["items"] == data["items"]
    plan = client.get("/public/elbasan/open-data/plan.json").get_json()["items"]
    assert {r["version_status"] for r in plan} == {"approved", "superseded"}
    assert {r["issue"] for r in plan} == {VISIBLE["approved item"], VISIBLE["superseded item"]}
    approved = next(r for r in plan if r["version_status"] == "approved")
    assert approved["responsible_institutions"][0].startswith(VISIBLE["institution"])
    assert approved["timing"] and approved["indicators"] and approved["intensity"] == "high"
    reports = client.get("/public/elbasan/open-data/reports.json").get_json()["items"]
    assert [r["id"] for r in reports] == [world.published_report_id]
    assert reports[0]["pdf_url"].endswith(f"/public/elbasan/reports/{world.published_report_id}/report.pdf")


def test_empty_sections_say_so_and_the_api_is_documented(client):
    body = client.get("/public/cerrik/").get_data(as_text=True)
    for text in ("Ende nuk", "nuk"):
        assert text in body
    assert client.get("/public/cerrik/open-data/plan.json").get_json()["items"] == []
    assert client.get("/public/cerrik/open-data/plan.csv").status_code == 200
    assert client.get("/public/cerrik/meetings.ics").status_code == 200
    assert client.get("/public/cerrik/feed.atom").status_code == 200
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/public/municipalities/{municipality}/plan" in spec["paths"]
    assert client.get("/public/nowhere/feed.atom").status_code == 404
    assert client.get("/api/v1/public/municipalities/nowhere/plan").status_code == 404


def test_the_page_in_english(client, world):
    assert client.post("/language/en", data={"next": "/public/elbasan/"}).status_code == 302  # the switch
    body = client.get("/public/elbasan/").get_data(as_text=True)
    for heading in ("The council", "Upcoming meetings", "The multi-agency plan", "Monitoring reports",
                    "You said, we did", "Survey results", "Crime statistics", "Open data"):
        assert heading in body
    assert VISIBLE["approved item"] in body
