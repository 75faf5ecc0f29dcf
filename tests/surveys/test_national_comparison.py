"""The national figure a municipality's survey is compared with (issue 18, part 2): only waves whose own
results are published (and only the indices they show), never the municipality compared (the page and
the API say so), each other municipality once (documented weighting), so that no hidden wave can be
computed by difference: publishing one more hidden wave changes nothing, and the figure is always the
mean of figures that are themselves public."""
from datetime import date

import pytest

API = "/api/v1/public/municipalities"


def _national(client, slug):
    waves = client.get(f"{API}/{slug}/surveys").get_json()
    return client.get(f"{API}/{slug}/surveys/{waves[0]['id']}").get_json()["national"]


def _published_safety(client, slug):
    """What anyone can read of a municipality: the safety index of each of its published waves."""
    values = []
    for wave in client.get(f"{API}/{slug}/surveys").get_json():
        data = client.get(f"{API}/{slug}/surveys/{wave['id']}").get_json()
        values.append(data["municipality"].get("indices", {}).get("safety", {}).get("value"))
    return values


@pytest.fixture
def three_places(make_wave):
    make_wave("elbasan", {"Lagjja Kala": 15}, published=True)  # safety 83.3
    make_wave("cerrik", {"Cërrik": 12}, published=True, answers={"safety_day": 1, "safety_night": 1})  # 0
    make_wave("fier", {"Mbrostar": 40}, published=True, answers={"safety_day": 3, "safety_night": 3})  # 66.7


def test_the_municipality_compared_is_not_in_its_own_national_figure(app, client, three_places):
    national = _national(client, "elbasan")
    assert national["excludes"] == "elbasan" and national["municipalities"] == 2 and national["waves"] == 2
    # Cërrik (0) and Fier (66.7), each once, whatever their sizes (12 and 40 answers): 33.3
    assert national["safety"]["value"] == 33.3 and national["safety"]["n"] == 52
    assert "weighting" in national
    page = client.get("/public/elbasan/").get_data(as_text=True)
    assert "Elbasan is not included" in page or "Elbasan nuk përfshihet" in page


def test_publishing_a_hidden_wave_reveals_nothing(app, client, make_wave, three_places):
    """The attacker reads the national figure, a wave too small to show is published, and reads again:
    the figure has not moved, so nothing about the hidden wave can be computed from it."""
    before = {slug: _national(client, slug) for slug in ("elbasan", "cerrik", "fier")}
    make_wave("peqin", {"Peqin": 6}, published=True, answers={"safety_day": 4, "safety_night": 4},
              title="Vala e vogël")  # 6 answers: hidden on Peqin's own page
    assert _published_safety(client, "peqin") == [None]
    # Elbasan publishes a second, small wave too: its results are hidden, so it counts nowhere either
    make_wave("elbasan", {"Lagjja Kala": 4}, published=True, answers={"safety_day": 1, "safety_night": 1},
              starts=date(2025, 5, 1), title="Vala e vjeshtës")
    after = {slug: _national(client, slug) for slug in ("cerrik", "fier")}
    for slug in ("cerrik", "fier"):
        assert after[slug] == before[slug], slug
    assert _national(client, "peqin")["municipalities"] == 3  # Peqin is compared with the three others


def test_the_national_figure_is_made_of_published_figures_only(app, client, make_wave, three_places):
    """One more shown wave: the new national figure of each municipality is exactly the mean of the
    others' published figures (their latest wave each): nothing unpublished enters it."""
    make_wave("peqin", {"Peqin": 11}, published=True, answers={"safety_day": 2, "safety_night": 3})
    make_wave("fier", {"Mbrostar": 10}, published=True, answers={"safety_day": 4, "safety_night": 4},
              starts=date(2025, 5, 1), title="Vala e vjeshtës")
    latest = {}
    for slug in ("elbasan", "cerrik", "fier", "peqin"):
        waves = client.get(f"{API}/{slug}/surveys").get_json()
        shown = [v for v in _published_safety(client, slug) if v is not None]
        assert len(waves) >= 1 and shown
        latest[slug] = shown[0]  # the API lists the latest wave first
    assert latest["fier"] == 100.0  # its autumn wave replaces its spring one
    for slug in latest:
        others = [v for other, v in latest.items() if other != slug]
        national = _national(client, slug)
        assert national["safety"]["value"] == pytest.approx(sum(others) / len(others), abs=0.1), slug
        assert national["municipalities"] == 3
