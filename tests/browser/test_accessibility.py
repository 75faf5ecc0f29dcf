"""Accessibility and Albanian formats, kept by tests (issue 14).

axe-core (shipped inside the PyPI package axe-playwright-python, never downloaded at run time)
runs on the main public and staff pages in Albanian and in English and fails on any serious or
critical violation; at 390 px no page may scroll sideways; and on the Albanian pages no number or
date may be written in an English format (decimal point, ISO date, English month names).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from ..compliance.support import exemplary
from ..conftest import TEST_PASSWORD
from ..public.support import build_world

pytestmark = pytest.mark.browser

PUBLIC = ["/", "/?q=Korce", "/public/elbasan/", "/public/elbasan/council", "/public/elbasan/concern",
          "/public/elbasan/crime-statistics", "/about/accessibility"]
SECRETARY = ["/elbasan/", "/elbasan/meetings/", "/elbasan/plans/monitoring"]
MINISTRY = ["/national/", "/national/compliance/matrix", "/national/compliance/elbasan"]

# A number with a decimal point, except references that are numbered that way in Albanian too:
# articles ("neni 9.2"), plan items ("1.1 Ndriçimi"), versions of a licence or a standard.
DECIMAL_POINT = re.compile(r"(?<![\d.])(?<!neni )(?<!Neni )(?<!nenet )(?<!Nenet )(?<!BY )(?<!Attribution )"
                           r"(?<!WCAG\) )(?<!, )(?<!\d-)\d+\.\d+(?![\d.])(?! [A-ZÇË])(?!-\d)")
ENGLISH_FORMATS = [
    (DECIMAL_POINT, "a decimal point"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "an ISO date"),
    # one short and one long date style ("7 tet 2026", "7 tetor 2026"): no dates in digits
    (re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"), "a date in digits"),
    (re.compile(r"null|suppressed: true|/api/v1/"), "a technical string"),
    (re.compile(r"\b(January|February|March|April|June|July|August|September|October|November|December)\b"),
     "an English month"),
]


@lru_cache(maxsize=1)
def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def serious_violations(page) -> list[str]:
    page.evaluate(axe_source())  # evaluated by the browser's debugger: the page's CSP does not apply
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in result
            if v["impact"] in ("serious", "critical")]


def english_formats(page) -> list[str]:
    text = page.evaluate("document.body.innerText")
    found = []
    for pattern, what in ENGLISH_FORMATS:
        for match in pattern.finditer(text):
            found.append(f"{what}: …{text[max(0, match.start() - 30):match.end() + 10]!r}")
    return found


def _world(app, in_tenant):
    build_world(app, in_tenant, slug="elbasan")
    with in_tenant("fier") as s:
        exemplary(s, "fie")


def _sign_in(page, user):
    page.goto("/login")  # in whichever language the browser's session last chose
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(TEST_PASSWORD)
    with page.expect_navigation():  # signed in before the next page is asked for
        page.locator('main form button[type="submit"]').click()


def _sign_out(page):
    """Through the header's button, so the server ends the session. Clearing the browser's cookies
    raced with answers still in flight that set the session cookie again (a flaky CI failure)."""
    with page.expect_navigation():
        page.locator('form[action$="/logout"] button').click()


def _check(page, paths, problems, *, albanian: bool):
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{path} -> {response.status}"
        for v in serious_violations(page):
            problems.append(f"{path} [{'sq' if albanian else 'en'}] {v}")
        if albanian:
            for f in english_formats(page):
                problems.append(f"{path} [sq] English format, {f}")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            problems.append(f"{path} scrolls sideways: {width[0]} px in a {width[1]} px window")


@pytest.mark.parametrize("language", ["sq", "en"])
def test_public_pages_pass_axe_and_fit_a_phone(phone_page, app, in_tenant, language):
    _world(app, in_tenant)
    page = phone_page
    page.goto("/")
    if language == "en":
        page.get_by_role("button", name="English").click()
    problems: list[str] = []
    _check(page, PUBLIC, problems, albanian=language == "sq")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["sq", "en"])
def test_staff_pages_pass_axe_and_fit_a_phone(phone_page, app, in_tenant, make_user, language):
    _world(app, in_tenant)
    page = phone_page
    problems: list[str] = []
    secretary = make_user("technical_secretary", municipality="elbasan", locale=language)
    _sign_in(page, secretary)
    _check(page, SECRETARY, problems, albanian=language == "sq")
    _sign_out(page)
    ministry = make_user("ministry", locale=language)
    _sign_in(page, ministry)
    _check(page, MINISTRY, problems, albanian=language == "sq")
    assert not problems, "\n".join(problems)


def test_the_format_check_is_not_vacuous(phone_page, live_server):
    """The detector finds English formats when they are there."""
    phone_page.set_content("<p>45.5 people, 2026-12-04, 7 October 2026; 23.0 orë; Albanian: 45,5 · 7 tetor 2026 · "
                           "neni 9.2 · Nenet 7.8, 10.2 · 1.1 Ndriçimi · CC BY 4.0; 07.10.2026 (null)</p>")
    found = english_formats(phone_page)
    assert len(found) == 6, found
    # and axe reports a serious violation when there is one: a button without a name, grey on grey
    phone_page.set_content('<html lang="sq"><body><main><button></button>'
                           '<p style="color:#999;background:#aaa">lexo</p></main></body></html>')
    ids = {v.split(" ", 1)[0] for v in serious_violations(phone_page)}
    assert {"button-name", "color-contrast"} <= ids, ids
