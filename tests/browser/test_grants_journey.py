"""A community grant from the call to the accepted final report, in a real browser.

Arta, Elbasan's technical secretary, drafts a call and opens it; the Women's Forum applies on the public
page without an account and gets its private link by e-mail; Arta closes the call, checks eligibility and
names a scorer, who declares no conflict of interest and scores; the committee's proposal is approved by
the council's decision; Arta records the award with its tranche and pays it; the Forum sends its final
report through its link; Arta accepts it, and the public register shows what the grant achieved.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from safetycouncil.timeutil import local_today
from tests.plans.support import decision
from .test_secretary_journey import sign_in

pytestmark = pytest.mark.browser


def _link(outbox, kind: str) -> str:
    body = outbox[-1].get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"http://localhost(/public/\S+/grants/{kind}/\S+)", body).group(1)


def test_a_grant_from_the_call_to_the_accepted_final_report(page, browser, live_server, make_user, in_tenant,
                                                           outbox, run_jobs):
    with in_tenant("elbasan") as session:
        council_decision = decision(session, datetime(2026, 11, 20, 10, 0), number="12/2026")
        decision_label = f"{council_decision.number} — {council_decision.title}"
    arta = make_user("technical_secretary", municipality="elbasan", name="Arta Hoxha")
    sign_in(page, arta.email)
    page.goto("/elbasan/grants/")
    today = local_today()
    page.get_by_label("Titulli", exact=True).fill("Grante për sigurinë në lagje")
    page.get_by_label("Objektivat").fill("Partneritet komunitet-polici")
    page.get_by_label("Buxheti (lekë)").fill("500000")
    page.get_by_label("Maksimumi për grant (lekë)").fill("250000")
    page.get_by_label("Hapet më").fill(today.isoformat())
    page.get_by_label("Mbyllet më (dita e fundit për aplikime)").fill((today + timedelta(days=10)).isoformat())
    page.get_by_label("Kriteret e pranueshmërisë, një për rresht").fill("Organizatë e regjistruar")
    page.get_by_label(re.compile("^Kriteret e vlerësimit")).fill("Lidhja me planin | 60\nKosto e arsyeshme | 40")
    page.get_by_role("button", name="Ruani projektin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grante për sigurinë në lagje")
    page.get_by_role("button", name="Hapni thirrjen (publikojeni)").click()
    expect(page.get_by_role("status").first).to_contain_text("Thirrja është e hapur")
    call_url = page.url

    # the organisation, without an account
    applicant = browser.new_context(base_url=live_server, locale="sq-AL").new_page()
    applicant.goto("/public/elbasan/grants/")
    applicant.get_by_role("link", name="Grante për sigurinë në lagje").click()
    applicant.get_by_label("Emri i organizatës").fill("Forumi i Gruas Elbasan")
    applicant.get_by_label("Numri i regjistrimit (NIPT)").fill("L12345678A")
    applicant.get_by_label("Personi i kontaktit").fill("Drita Hoxha")
    applicant.get_by_label("E-mail").fill("drita@example.org")
    applicant.get_by_label("Titulli i projektit").fill("Në partneritet për komunitet më të sigurt")
    applicant.get_by_label("Çfarë do të bëni, për kë, me cilat rezultate").fill("Takime lagjeje me policinë")
    applicant.get_by_label("Shuma e kërkuar (lekë)").fill("200000")
    applicant.get_by_label("Zëri 1: përshkrimi").fill("Takime")
    applicant.get_by_label("Zëri 1: nga granti").fill("200000")
    applicant.get_by_role("button", name="Dërgoni aplikimin").click()
    expect(applicant.get_by_role("heading", level=1)).to_contain_text("Aplikimi juaj")
    run_jobs()  # the e-mails are background jobs (a real worker in the PostgreSQL pass)
    private_link = _link(outbox, "application")

    # closed; eligible; a scorer
    page.goto(call_url)
    page.get_by_role("button", name="Mbyllni thirrjen").click()
    page.get_by_role("link", name=re.compile("^[A-Z0-9]{4}-[A-Z0-9]{4}$")).click()
    page.get_by_label("Plotësohet", exact=True).check()
    page.get_by_role("button", name="Regjistroni kontrollin e pranueshmërisë").click()
    page.goto(call_url)
    page.get_by_label("Emri", exact=True).fill("Gentian Dervishi")
    page.get_by_label("E-mail").fill("gentian@example.org")
    page.get_by_role("button", name="Shtoje në komision dhe dërgo lidhjen").click()
    expect(page.get_by_role("status").first).to_be_visible()  # added (the job is queued once this shows)
    scorer = browser.new_context(base_url=live_server, locale="sq-AL").new_page()
    run_jobs()
    scorer.goto(_link(outbox, "score"))
    expect(scorer.get_by_text("Forumi i Gruas Elbasan")).to_have_count(0)
    scorer.get_by_label(re.compile("^Deklaroj se nuk kam konflikt interesi")).check()
    scorer.get_by_role("button", name="Deklaroni dhe shihni aplikimet").click()
    scorer.get_by_label(re.compile("^Lidhja me planin")).fill("9")
    scorer.get_by_label(re.compile("^Kosto e arsyeshme")).fill("7")
    scorer.get_by_role("button", name="Ruani pikët").click()
    expect(scorer.get_by_role("status").first).to_contain_text("Pikët tuaja u ruajtën")

    # the proposal, the council's decision, the award and its payment
    page.goto(call_url)
    expect(page.get_by_role("cell", name="82,00")).to_be_visible()
    page.get_by_role("button", name="Regjistroni propozimin e komisionit").click()
    page.get_by_label("Vendimi i këshillit që miraton propozimin").select_option(label=decision_label)
    page.get_by_role("button", name="Regjistroni vendimin e këshillit").click()
    expect(page.get_by_role("link", name="Vendimi në regjistër")).to_be_visible()
    page.get_by_role("link", name=re.compile("^[A-Z0-9]{4}-[A-Z0-9]{4}$")).first.click()
    page.get_by_label("Numri i kontratës").fill("GR-1/2026")
    page.get_by_label("Nënshkruar më").fill(today.isoformat())
    page.get_by_label("Kësti 1: shuma (lekë)").fill("200000")
    page.get_by_label("Kësti 1: data").fill(today.isoformat())
    page.get_by_role("button", name="Regjistroni grantin").click()
    page.get_by_label("Paguar më").fill(today.isoformat())
    page.get_by_role("button", name="Regjistroni", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Pagesa u regjistrua")

    # the final report through the private link, accepted
    applicant.goto(private_link)
    applicant.get_by_label("Lloji i raportit").select_option(label="Raporti përfundimtar")
    applicant.get_by_label("Çfarë u bë dhe çfarë arriti").fill("U mbajtën 8 takime me 150 banorë")
    applicant.get_by_label("Shuma e shpenzuar deri tani (lekë)").fill("200000")
    applicant.get_by_role("button", name="Dërgoni raportin").click()
    expect(applicant.get_by_role("status").first).to_contain_text("Raporti juaj u dërgua")
    page.reload()
    page.get_by_label("Pranoni", exact=True).check()
    page.get_by_role("button", name="Regjistroni shqyrtimin").click()
    expect(page.get_by_role("status").first).to_contain_text("Raporti u pranua")

    applicant.goto("/public/elbasan/grants/")
    expect(applicant.get_by_role("cell", name="U mbajtën 8 takime me 150 banorë")).to_be_visible()
