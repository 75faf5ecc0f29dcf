"""The Ministry's console in a real browser: open it, filter by a county, open a failing cell's
evidence, download the matrix as XLSX and read it."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from ..compliance.support import exemplary
from ..conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_a_ministry_user_filters_opens_evidence_and_downloads_the_matrix(page, app, make_user, in_tenant):
    with in_tenant("elbasan") as s:
        exemplary(s, "elb")
    with in_tenant("fier") as s:
        exemplary(s, "fie", skip=("secretariat_police",))
    ministry = make_user("ministry", locale="en")
    page.goto("/login")
    page.get_by_label("E-mail").fill(ministry.email)
    page.get_by_label("Fjalëkalimi").fill(TEST_PASSWORD)
    with page.expect_navigation():  # signed in before the next page is asked for
        page.get_by_role("button", name="Hyni", exact=True).click()
    page.goto("/national/?year=2024")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ministry of Interior")
    expect(page.get_by_text("1 of 61 councils comply fully")).to_be_visible()

    page.get_by_label("County", exact=True).select_option(label="Fier")
    page.get_by_role("button", name="Show").click()
    assert "county=fier" in page.url
    expect(page.get_by_role("row", name="Fier").first).to_be_visible()
    assert page.get_by_role("link", name="Elbasan", exact=True).count() == 0

    page.get_by_role("link", name="Matrix of councils and rules").first.click()
    cell = page.get_by_role("link", name="Fier, Coordination Secretariat: municipality, police, prosecution: "
                                          "Does not comply")
    cell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordination Secretariat: municipality, police, "
                                                              "prosecution")
    expect(page.get_by_text("Coordination Secretariat: police: vacant from")).to_be_visible()
    expect(page.locator(".verdict-fail")).to_contain_text("Does not comply")

    page.go_back()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the matrix (XLSX)").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).active.iter_rows(values_only=True))
    header = rows[0]
    fier = next(r for r in rows if r[1] == "Fier")
    assert fier[header.index("coordination-secretariat")] == "fail"
    assert {r[0] for r in rows[1:]} == {"Fier"}
