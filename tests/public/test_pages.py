"""Pages built around what each person comes to do (issue 14): the national page's search and map,
the council's public page led by meetings and concerns, the membership page, the platform's pages."""
from __future__ import annotations

import re

from safetycouncil.municipalities.tilemap import fold, grid


def test_the_tile_grid_places_every_municipality_once(app):
    with app.app_context():
        from safetycouncil.municipalities.models import Municipality
        from safetycouncil.extensions import db
        from sqlalchemy import select

        slugs = set(db.session.execute(select(Municipality.slug)).scalars())
    places = grid()
    assert set(places) == slugs and len(slugs) == 61
    assert len({(col, row) for col, row, _abbr in places.values()}) == 61  # no two on one square
    assert len({abbr for *_pos, abbr in places.values()}) == 61
    # north is up, south is down, the coast is west
    assert places["tropoje"][1] < places["tirane"][1] < places["konispol"][1]
    assert places["durres"][0] < places["korce"][0]


def test_search_finds_a_municipality_with_or_without_diacritics(client):
    assert fold("Korçë") == fold("korce") == "korce"
    for typed in ("Korce", "korçë", "KORÇ", "  korc "):
        body = client.get("/", query_string={"q": typed}).get_data(as_text=True)
        found = body.split('id="found-title"', 1)[1].split("</section>", 1)[0]
        assert 'href="/public/korce/"' in found, typed
        assert "/public/tirane/" not in found
    none = client.get("/", query_string={"q": "Atlantis"}).get_data(as_text=True)
    assert "0 bashki përputhen me “Atlantis”" in none


def test_the_national_page_has_a_map_of_61_linked_tiles_and_its_table(client):
    body = client.get("/").get_data(as_text=True)
    svg = body.split('<svg class="tilemap"', 1)[1].split("</svg>", 1)[0]
    tiles = re.findall(r'<a href="(/public/[a-z-]+/)" aria-label="([^"]+)" class="tile tile-(\w+)"', svg)
    assert len(tiles) == 61 and {"/public/korce/", "/public/tirane/"} <= {t[0] for t in tiles}
    assert all(status in {"ok", "partial", "low", "none"} for *_x, status in tiles)
    assert any(label.startswith("KOR ") and ": Korçë, " in label for _h, label, _s in tiles)
    assert "<script" not in body
    table = body.split('id="map-table-caption"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 62  # header and 61 rows: the map as a table


def test_the_public_page_leads_with_meetings_and_how_to_raise_a_concern(client):
    body = client.get("/public/elbasan/").get_data(as_text=True)
    order = [body.index(marker) for marker in (
        'id="meetings"', 'id="concern"', 'id="you-said"', 'id="plan"', 'id="surveys"', 'id="statistics"')]
    assert order == sorted(order)
    assert "/public/elbasan/meetings.ics" in body
    concern = body.split('id="concern"', 1)[1].split("</section>", 1)[0]
    assert "112" in concern and "129" in concern and 'href="/public/elbasan/concern"' in concern
    assert "/api/v1/" not in body  # no technical addresses for citizens
    assert 'id="council-caption"' not in body  # the membership table has its own page
    members = client.get("/public/elbasan/council")
    assert members.status_code == 200 and "<h1>Anëtarët e këshillit</h1>" in members.get_data(as_text=True)
    assert 'href="/public/elbasan/council"' in body


def test_every_page_names_the_republic_and_the_ministry_and_links_the_statements(client):
    body = client.get("/").get_data(as_text=True)
    assert "Republika e Shqipërisë" in body and "Ministria e Brendshme" in body
    for page in ("contact", "privacy", "accessibility"):
        assert f'href="/about/{page}"' in body
        assert client.get(f"/about/{page}").status_code == 200
    assert "(WCAG) 2.1" in client.get("/about/accessibility").get_data(as_text=True)
    assert client.get("/about/nothing").status_code == 404


def test_a_form_with_errors_starts_with_a_summary_that_takes_focus(client):
    """WCAG 3.3.1: the errors are listed first, each linked to its field, and the summary has focus."""
    bad = client.post("/public/elbasan/concern", data={"text": ""})
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    summary = body.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "autofocus" in summary and 'href="#text"' in summary
    assert body.index('class="error-summary"') < body.index('id="text"')
    assert 'id="text"' in body  # the field the link leads to


def test_albanian_content_on_english_pages_is_marked_lang_sq(app, in_tenant, client):
    from .support import build_world

    build_world(app, in_tenant, slug="elbasan")
    client.post("/language/en", data={"next": "/public/elbasan/"})
    body = client.get("/public/elbasan/").get_data(as_text=True)
    assert '<html lang="en">' in body
    said = body.split('id="you-said"', 1)[1].split("</section>", 1)[0]
    assert '<span lang="sq">' in said
    assert '<a href="#text"' not in body and "error-summary" not in body
    albanian = app.test_client().get("/public/elbasan/").get_data(as_text=True)
    assert '<html lang="sq">' in albanian and 'lang="sq">' not in albanian.split("</header>", 1)[1]
