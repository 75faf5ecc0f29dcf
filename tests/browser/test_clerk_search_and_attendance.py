"""A clerk's daily work in a real browser, on a phone: searching the council's records without
typing ë or ç, and recording a meeting's attendance with "mark all present"."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests import factories as make

from .test_secretary_journey import SCREENSHOTS, assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser


def test_search_and_mark_all_present_on_a_phone(phone_page, make_user, in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan")
    with in_tenant("elbasan") as session:
        names = ["Gledian Llatja", "Arben Kola", "Drita Leka", "Besnik Çela"]
        ids = [make.member(session, name, email=f"m{n}@elbasan.example").id for n, name in enumerate(names)]
        starts = (datetime.now() - timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
        meeting_id = make.meeting(session, starts_at=starts, title="Mbledhja e KVSP në Korçë, lagjja Kala",
                                 agenda=["Siguria në shkolla"], status="planned").id
        make.meeting(session, starts_at=starts - timedelta(days=40), title="Takim për sigurinë rrugore", status="planned")
    page = phone_page
    sign_in(page, secretary.email)

    # Search without diacritics, from the navigation.
    page.goto("/elbasan/")
    page.get_by_role("link", name="Kërkoni").first.click()
    page.get_by_label("Mbledhje, vendime, shqetësime dhe dokumente").fill("korce kala")
    page.get_by_role("button", name="Kërkoni").click()
    expect(page.get_by_role("status")).to_contain_text("1 rezultat")
    result = page.get_by_role("link", name="Mbledhja e KVSP në Korçë, lagjja Kala")
    expect(result).to_be_visible()
    expect(page.get_by_text("Takim për sigurinë rrugore")).to_have_count(0)
    assert_no_horizontal_scroll(page)
    page.screenshot(path=f"{SCREENSHOTS}-clerk-search-phone.png", full_page=True)

    # The meeting, then its attendance: everyone present at once, then one changed.
    result.click()
    page.get_by_role("link", name="Regjistroni pjesëmarrjen").click()
    page.get_by_role("button", name="Shënoni të gjithë të pranishëm").click()
    expect(page.get_by_text("4 persona u shënuan të pranishëm")).to_be_visible()
    for member_id in ids:
        expect(page.locator(f"#status-{member_id}")).to_have_value("present")
    page.locator(f"#status-{ids[1]}").select_option("excused")
    page.get_by_role("button", name="Ruani pjesëmarrjen").click()
    expect(page.locator(f"#status-{ids[1]}")).to_have_value("excused")
    expect(page.locator(f"#status-{ids[0]}")).to_have_value("present")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=f"{SCREENSHOTS}-clerk-attendance-phone.png", full_page=True)

    page.goto(f"/elbasan/meetings/{meeting_id}")
    expect(page.get_by_text("Të pranishëm: 3")).to_be_visible()
    page.goto("/elbasan/meetings/month")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=f"{SCREENSHOTS}-clerk-month-phone.png", full_page=True)
