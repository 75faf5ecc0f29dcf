"""The technical secretary's first day, in a real browser.

Arta Hoxha, technical secretary of Elbasan's council, signs in, finds her council's portal in
Albanian, records an area, switches to English, and cannot open another municipality's pages
by typing their address. On a phone the same pages fit the screen.

Locators are accessible ones (role + name, label): if a label or a button's name goes missing,
these tests fail too.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/kvsp-browser"


def sign_in(page, email: str) -> None:
    response = page.goto("/login")
    assert response is not None and response.status == 200
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Fjalëkalimi").fill(TEST_PASSWORD)
    with page.expect_navigation():  # signed in before the next page is asked for
        page.get_by_role("button", name="Hyni", exact=True).click()


def assert_no_horizontal_scroll(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url}: the page is {widths[0]}px wide on a {widths[1]}px screen"


def test_secretary_signs_in_adds_an_area_switches_language_and_cannot_open_another_municipality(
        page, make_user):
    arta = make_user("technical_secretary", municipality="elbasan", name="Arta Hoxha")

    # --- signs in and lands on her council's portal, in Albanian --------------------------
    sign_in(page, arta.email)
    page.wait_for_url(re.compile(r"/elbasan/$"))
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page).to_have_title("Elbasan · Këshillat Vendorë të Sigurisë Publike")
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshilli Vendor i Sigurisë Publike Elbasan")
    expect(page.get_by_text("Qarku Elbasan")).to_be_visible()
    expect(page.get_by_role("link", name="Arta Hoxha")).to_be_visible()
    expect(page.get_by_role("button", name="Dilni")).to_be_visible()
    council_nav = page.get_by_role("navigation", name="Këshilli")
    expect(council_nav.get_by_role("link", name="Përmbledhje")).to_have_attribute("aria-current", "page")
    page.screenshot(path=f"{SCREENSHOTS}-portal-sq.png", full_page=True)

    # --- Areas (Zonat): adds a neighbourhood through the form and sees it listed ------------
    council_nav.get_by_role("link", name="Zonat").click()
    page.wait_for_url(re.compile(r"/elbasan/areas/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zonat")
    expect(page.get_by_text("Ende nuk ka zona.")).to_be_visible()
    expect(page.get_by_role("heading", name="Shtoni një zonë")).to_be_visible()
    page.get_by_label("Emri").fill("Lagjja Kongresi i Elbasanit")
    page.get_by_label("Lloji").select_option(label="Lagje")
    expect(page.get_by_label("Brenda zonës (opsionale)")).to_have_value("")
    page.get_by_role("button", name="Shtoni", exact=True).click()
    page.wait_for_url(re.compile(r"/elbasan/areas/$"))
    expect(page.get_by_role("status")).to_have_text("Zona u shtua.")
    row = page.get_by_role("row", name=re.compile("Lagjja Kongresi i Elbasanit"))
    expect(row.get_by_role("cell").nth(0)).to_have_text("Lagjja Kongresi i Elbasanit")
    expect(row.get_by_role("cell").nth(1)).to_have_text("Lagje")
    expect(row.get_by_role("link", name="Ndryshoni")).to_be_visible()

    # --- switches to English with the header's language button ----------------------------
    page.get_by_role("navigation", name="Llogaria").get_by_role("button", name="English").click()
    page.wait_for_url(re.compile(r"/elbasan/areas/$"))  # back on the same page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Areas")
    row = page.get_by_role("row", name=re.compile("Lagjja Kongresi i Elbasanit"))
    expect(row.get_by_role("cell").nth(1)).to_have_text("Neighbourhood")
    expect(page.get_by_role("navigation", name="Account").get_by_role("button", name="Shqip")).to_be_visible()

    # ... and the choice holds on the next page
    page.get_by_role("navigation", name="Council").get_by_role("link", name="Overview").click()
    page.wait_for_url(re.compile(r"/elbasan/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Local Public Safety Council of Elbasan")
    expect(page.get_by_text("County of Elbasan")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"1\s+areas"))).to_be_visible()

    # --- another municipality's address: its public page, as any visitor sees it ------------
    response = page.goto("/fier/")
    assert response is not None and response.status == 200 and "/public/fier/" in page.url
    expect(page.get_by_role("navigation", name="Council")).to_have_count(0)

    # --- another municipality's portal pages: a clear 404, none of Fier's content ---------
    for path in ("/fier/areas/",):
        response = page.goto(path)
        assert response is not None and response.status == 404, (path, response and response.status)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=1)).to_have_text("Error 404")
        expect(page.locator(".error-message")).to_have_text("There is no page at this address that you can see.")
        expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
        expect(page.get_by_role("navigation", name="Council")).to_have_count(0)
        body = page.locator("body").inner_text()
        assert "Fier" not in body, f"{path} shows Fier's content: {body[:300]!r}"
        assert "Lagjja Kongresi" not in body
        if path == "/fier/areas/":
            page.screenshot(path=f"{SCREENSHOTS}-404-en.png", full_page=True)

    # Back in Albanian, the same refusal reads in Albanian.
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Shqip").click()
    page.wait_for_url(re.compile(r"/fier/areas/$"))
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gabim 404")
    expect(page.locator(".error-message")).to_have_text("Në këtë adresë nuk ka asnjë faqe që ju mund ta shihni.")
    page.screenshot(path=f"{SCREENSHOTS}-404-sq.png", full_page=True)


def test_login_and_portal_fit_a_phone_screen(phone_page, make_user):
    page = phone_page
    arta = make_user("technical_secretary", municipality="elbasan", name="Arta Hoxha")

    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hyni")
    assert_no_horizontal_scroll(page)
    for locator in (page.get_by_label("E-mail"), page.get_by_label("Fjalëkalimi"),
                    page.get_by_role("button", name="Hyni", exact=True)):
        expect(locator).to_be_in_viewport()

    sign_in(page, arta.email)
    page.wait_for_url(re.compile(r"/elbasan/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshilli Vendor i Sigurisë Publike Elbasan")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=f"{SCREENSHOTS}-phone-portal-sq.png", full_page=True)

    # Every entry of the header navigation is on screen (no sideways scrolling to reach it) and works.
    account_nav = page.get_by_role("navigation", name="Llogaria")
    council_nav = page.get_by_role("navigation", name="Këshilli")
    width = page.viewport_size["width"]
    entries = [account_nav.get_by_role("button", name="English"), account_nav.get_by_role("link", name="Arta Hoxha"),
               account_nav.get_by_role("button", name="Dilni")]
    entries += [council_nav.get_by_role("link", name=name)
                for name in ("Përmbledhje", "Personat", "Zonat", "Dokumentet", "Gjurma e auditimit", "Faqja publike")]
    for entry in entries:
        expect(entry).to_be_visible()
        box = entry.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (entry, box)

    council_nav.get_by_role("link", name="Zonat").click()
    page.wait_for_url(re.compile(r"/elbasan/areas/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zonat")
    assert_no_horizontal_scroll(page)
