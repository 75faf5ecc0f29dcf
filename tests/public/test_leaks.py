"""Nothing unpublished leaks: every public route (discovered from the URL map, so a new one is covered
without anyone remembering), in both languages, never shows a draft plan, an unmoderated or rejected
concern, a concern's contact details, an unpublished press release or report, a member's e-mail or
phone, or a suppressed small count."""
import io
import itertools
import json
import re
import zipfile

import pytest

from safetycouncil.tenancy.web import endpoint_scope

from .support import SECRETS, SUPPRESSED_COUNT, VISIBLE

SLUG = "elbasan"


def public_rules(app):
    return [r for r in app.url_map.iter_rules()
            if r.endpoint != "static" and "GET" in r.methods
            and endpoint_scope(app.view_functions[r.endpoint]) == "public"]


def candidate_values(rule, world) -> dict[str, list]:
    """Every value to try for each argument of a rule: the ids of published AND unpublished things."""
    from safetycouncil.public.opendata import DATASETS

    known = {"municipality": [SLUG], "slug": [SLUG], "release_id": world.release_ids, "area_id": world.area_ids,
             "monitoring_report_id": world.report_ids, "version_id": world.version_ids,
             "dataset": list(DATASETS), "fmt": ["csv", "json"], "wave_id": world.wave_ids,
             "page": ["contact", "privacy", "accessibility"],
             "call_id": world.call_ids,
             "raw": ["no-such-token"],  # pages reached by a one-time link
             "document_id": [1, 2],  # only behind such a link (materials)
             "call_document_id": [1, 2, 3]}  # documents of grant calls: public only once the call is open
    missing = [a for a in rule.arguments if a not in known]
    assert not missing, (f"{rule.rule} takes {missing}: add the ids of published and unpublished objects to "
                         f"candidate_values so the leak test covers it")
    return {a: known[a] for a in sorted(rule.arguments)}


def public_urls(app, world) -> list[str]:
    adapter = app.url_map.bind("localhost")
    urls = set()
    for rule in public_rules(app):
        values = candidate_values(rule, world)
        for combination in itertools.product(*values.values()):
            urls.add(adapter.build(rule.endpoint, dict(zip(values, combination, strict=True)), method="GET"))
    return sorted(urls)


def _readable(response) -> str:
    """What a reader sees in the answer: a spreadsheet's cells (one a line) and a PDF's text, not their
    compressed bytes (where any two digits may turn up by chance); other answers as text."""
    data, content_type = response.get_data(), response.content_type or ""
    if data[:4] == b"PK\x03\x04":  # XLSX (a zip of XML)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = " ".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                           if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml")
        return "\n".join(re.findall(r"<(?:v|t)(?:\s[^>]*)?>([^<]*)</(?:v|t)>", xml))
    if data[:5] == b"%PDF-":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        except (PdfReadError, ValueError):  # a test's stand-in file, not a real PDF: its bytes are its text
            pass
    if content_type.startswith("image/") and "svg" not in content_type:
        return ""
    return data.decode("utf-8", errors="replace")


def _suppressed_count_shown(body: str, content_type: str) -> bool:
    n = SUPPRESSED_COUNT
    if "spreadsheet" in content_type:  # one cell a line
        return re.search(rf"^\s*{n}(\.0)?\s*$", body, re.MULTILINE) is not None
    if "json" in content_type:
        return re.search(rf'"count":\s*{n}\b', body) is not None
    if "csv" in content_type:
        return re.search(rf'(^|[,;])"?{n}"?([,;]|\r?$)', body, re.MULTILINE) is not None
    if "html" in content_type:  # a text node or an SVG title "label: 97"
        return re.search(rf"(>|:\s)\s*{n}\s*<", body) is not None
    return re.search(rf"(?<![\w.:-]){n}(?![\w.:-])", body) is not None


def test_the_sweep_finds_the_public_routes(app, world):
    urls = public_urls(app, world)
    for expected in ("/", "/feed.atom", f"/public/{SLUG}/", f"/public/{SLUG}/feed.atom",
                     f"/public/{SLUG}/meetings.ics", f"/public/{SLUG}/open-data/plan.csv",
                     f"/public/{SLUG}/open-data/press-releases.json",
                     f"/api/v1/public/municipalities/{SLUG}/meetings", f"/public/{SLUG}/crime-statistics",
                     f"/public/{SLUG}/concern"):
        assert expected in urls
    assert len(urls) >= 30


@pytest.mark.parametrize("language", ["sq", "en"])
def test_nothing_unpublished_appears_on_any_public_route(app, client, world, language):
    seen_ok = 0
    assert client.post(f"/language/{language}", data={"next": "/"}).status_code == 302  # the language switch
    for url in public_urls(app, world):
        response = client.get(url, headers={"Accept-Language": language})
        assert response.status_code < 500, url
        if response.status_code in (301, 302, 308):
            response = client.get(response.headers["Location"], headers={"Accept-Language": language})
        body = _readable(response)
        if response.status_code == 200:
            seen_ok += 1
        for what, marker in SECRETS.items():
            assert marker not in body, f"{what} ({marker}) appears at {url}"
        assert not _suppressed_count_shown(body, response.content_type or ""), \
            f"the suppressed count {SUPPRESSED_COUNT} appears at {url}"
    assert seen_ok >= 25


def test_unpublished_things_answer_404_at_their_own_addresses(client, world):
    unpublished_release, unpublished_report, draft = world.release_ids[1], world.report_ids[1], world.version_ids[2]
    assert client.get(f"/public/{SLUG}/press/{unpublished_release}").status_code == 404
    assert client.get(f"/public/{SLUG}/reports/{unpublished_report}/report.pdf").status_code == 404
    assert client.get(f"/public/{SLUG}/plan/versions/{draft}").status_code == 404
    for version_id in world.version_ids[:2]:
        assert client.get(f"/public/{SLUG}/plan/versions/{version_id}").status_code == 200


def test_the_page_shows_what_is_published(client, world):
    body = client.get(f"/public/{SLUG}/").get_data(as_text=True)
    # the membership table has a page of its own, linked from the public page
    assert f"/public/{SLUG}/council" in body
    body += client.get(f"/public/{SLUG}/council").get_data(as_text=True)
    for what in ("member", "upcoming meeting", "agenda item", "consultation", "press release", "approved item",
                 "approved activity", "indicator", "accepted concern", "risk", "plan title"):
        assert VISIBLE[what] in body, what
    assert VISIBLE["superseded item"] not in body  # an earlier version: on its own page, linked
    assert f"/public/{SLUG}/plan/versions/{world.version_ids[0]}" in body
    assert f"/public/{SLUG}/reports/{world.published_report_id}/report.pdf" in body
    published = client.get(f"/public/{SLUG}/reports/{world.published_report_id}/report.pdf")
    assert published.status_code == 200 and published.headers["Content-Disposition"].startswith("attachment")


def test_the_api_json_is_parsed_not_just_searched(client, world):
    for dataset in ("press-releases", "meetings", "plan", "reports"):
        data = json.loads(client.get(f"/api/v1/public/municipalities/{SLUG}/{dataset}").get_data(as_text=True))
        text = json.dumps(data, ensure_ascii=False)
        assert all(marker not in text for marker in SECRETS.values())
    figures = client.get(f"/api/v1/public/municipalities/{SLUG}/crime-statistics").get_json()["figures"]
    protected = [f for f in figures if f["category"] == "domestic_violence" and f["area_id"] in (None, world.area_ids[0])]
    assert len(protected) == 2 and all(f["count"] is None and f["suppressed"] for f in protected)
    assert all(f["count"] != SUPPRESSED_COUNT for f in figures)
