"""A council meeting from the invitation to the press release, in a real browser.

Arta Hoxha, technical secretary of Elbasan's council, plans a council meeting ten days ahead and
sees by when the invitation must go out (Art. 7.4); she puts an item on the agenda with the
Police's report attached as a PDF, and e-mails the invitation to the members (a real SMTP server
receives it). The meeting day comes: she records that it was held, who attended, and the minutes,
then publishes the press release (Art. 11), drafted from the meeting's record. A citizen, not
signed in, finds it on Elbasan's public page, in Albanian.

The Albanian catalog is still being completed, so the texts the pages show are located through
``sq()``: the Albanian translation the catalog has today, or the English text the page falls back
to while the translation is missing. Locators stay accessible ones (role + name, label).
"""
from __future__ import annotations

import functools
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.support import Translations
from icalendar import Calendar
from playwright.sync_api import expect
from sqlalchemy import select

from ..conftest import TEST_PASSWORD
from .conftest import DESKTOP, TIMEOUT_MS

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/kvsp-browser"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "platform" / "safetycouncil" / "translations"

TITLE = "Mbledhja e KVSP Elbasan për sigurinë pranë shkollave"
PLACE = "Salla e Këshillit Bashkiak, Elbasan"
ITEM = "Siguria në rrugët pranë shkollave"
MATERIAL = "Raporti i Policisë Vendore për shkollat"
MINUTES = ("Mbledhjen e hapi Kryetari i Bashkisë, z. Gazment Bardhi.\n\n"
           "1. Siguria në rrugët pranë shkollave: znj. Drita Kola paraqiti raportin e Policisë Vendore. "
           "U ra dakord për patrullime në orarin e hyrjes dhe të daljes nga shkollat.")
ESSENCE = ("Këshilli shqyrtoi raportin e Policisë Vendore për sigurinë në rrugët pranë shkollave dhe ra "
           "dakord që Policia Vendore dhe Policia Bashkiake të patrullojnë bashkë gjatë orarit të shkollave.")
# (name, category, position, e-mail, attendance on the day)
MEMBERS = [
    ("Gazment Bardhi", "a", "Kryetar i Bashkisë", "gazment.bardhi@elbasan.test.kvsp.al", "present"),
    ("Drita Kola", "c", "Drejtoreshë e Policisë Vendore", "drita.kola@elbasan.test.kvsp.al", "present"),
    ("Besnik Shehu", "d", "Prokuror", "besnik.shehu@elbasan.test.kvsp.al", "excused"),
    ("Lindita Dervishi", "k", "Organizata e shoqërisë civile", None, "absent"),  # no e-mail address
]


@functools.cache
def _albanian() -> Translations:
    # The .mo file the application reads (tests/conftest.py compiles it when the session starts).
    return Translations.load(str(TRANSLATIONS), ["sq"])


def sq(english: str, *, plural: str | None = None, exact: bool = True, **params) -> re.Pattern:
    """The text an Albanian page shows for ``english``: its translation, or the English itself
    while the catalog has none. Both are accepted, so the test survives the catalog's completion.
    With ``plural``, the ngettext message for ``params["num"]``."""
    if plural is None:
        texts = {english, _albanian().gettext(english)}
    else:
        num = params["num"]
        texts = {english if num == 1 else plural, _albanian().ngettext(english, plural, num)}
    if params:
        texts = {text % params for text in texts}
    body = "|".join(re.escape(text) for text in sorted(texts, key=len, reverse=True))
    return re.compile(f"^(?:{body})$" if exact else f"(?:{body})")


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Fjalëkalimi").fill(TEST_PASSWORD)
    with page.expect_navigation():  # signed in before the next page is asked for
        page.get_by_role("button", name="Hyni", exact=True).click()


def small_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII), with a correct cross-reference table."""
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
         b"/Resources << /Font << /F1 5 0 R >> >> >>"),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def wait_for_mail(outbox, count: int, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while len(outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(outbox) == count, [m["To"] for m in outbox]


def test_secretary_holds_a_council_meeting_and_the_public_reads_its_press_release(
        page, browser, live_server, app, make_user, in_tenant, outbox, tmp_path):
    from safetycouncil.council.models import CouncilMember
    from safetycouncil.meetings import services as meetings
    from safetycouncil.meetings.models import Invitation, Meeting

    arta = make_user("technical_secretary", municipality="elbasan", name="Arta Hoxha", locale="sq")
    with in_tenant("elbasan") as session:
        for name, category, position, email, _status in MEMBERS:
            session.add(CouncilMember(full_name=name, category=category, position=position, email=email,
                                      mandate_start=meetings.local_today() - timedelta(days=365)))

    # --- plans a council meeting ten days ahead --------------------------------------------------
    starts = (meetings.local_now() + timedelta(days=10)).replace(hour=10, minute=0, second=0)
    with app.app_context():
        while meetings.deadline_for(starts.date()) < meetings.local_today():  # holidays in between
            starts += timedelta(days=1)
        deadline = meetings.deadline_for(starts.date())
    deadline_text = format_date(deadline, "full", locale="sq")  # as the pages write it in Albanian

    sign_in(page, arta.email)
    page.wait_for_url(re.compile(r"/elbasan/$"))
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    page.get_by_role("navigation", name=sq("Council")).get_by_role("link", name=sq("Meetings")).click()
    page.wait_for_url(re.compile(r"/elbasan/meetings/$"))
    page.get_by_role("link", name=sq("Plan a meeting")).click()
    page.wait_for_url(re.compile(r"/elbasan/meetings/new"))
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Plan a meeting"))
    page.get_by_label(sq("Kind")).select_option("council")
    page.get_by_label(sq("Title")).fill(TITLE)
    page.get_by_label(sq("Starts")).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(sq("Ends")).fill((starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(sq("Place")).fill(PLACE)
    page.get_by_role("button", name=sq("Plan the meeting")).click()

    page.wait_for_url(re.compile(r"/elbasan/meetings/\d+$"))
    meeting_url = page.url
    meeting_id = int(meeting_url.rsplit("/", 1)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_have_text(sq(
        "The meeting was planned. The invitation must be sent by %(date)s.", date=deadline_text))
    invitation = page.get_by_role("region", name=sq("Invitation"))
    expect(invitation).to_contain_text(sq("Deadline for sending the invitation:", exact=False))
    expect(invitation).to_contain_text(deadline_text)
    expect(page.get_by_text(sq("Invitation not sent yet"))).to_be_visible()
    expect(invitation).to_contain_text(sq("%(num)d person will be invited.",
                                          plural="%(num)d people will be invited.", exact=False, num=4))

    # --- adds an agenda item and attaches the Police's report (a PDF) ----------------------------
    agenda = page.get_by_role("region", name=sq("Agenda"))
    agenda.get_by_label(sq("Title")).fill(ITEM)
    agenda.get_by_label(sq("Presented by (optional)")).fill("Drita Kola")
    agenda.get_by_label(sq("Description (optional)")).fill(
        "Raporti i tremujorit të parë për aksidentet pranë shkollave.")
    agenda.get_by_role("button", name=sq("Add to the agenda")).click()
    expect(page.get_by_role("status")).to_have_text(sq("The agenda item was added."))
    agenda = page.get_by_role("region", name=sq("Agenda"))
    item = agenda.get_by_role("listitem").filter(has_text=ITEM)
    expect(item).to_contain_text("Drita Kola")

    pdf = tmp_path / "raporti-policise-shkollat.pdf"
    pdf.write_bytes(small_pdf("Raporti i Policise Vendore: siguria prane shkollave"))
    item.get_by_text(sq("Attach a material", exact=False)).click()  # opens the <details>
    item.get_by_label(sq("Title (optional)")).fill(MATERIAL)
    item.get_by_label(sq("File: PDF, Word, spreadsheet, presentation, image or audio")).set_input_files(pdf)
    item.get_by_role("button", name=sq("Attach")).click()
    expect(page.get_by_role("status")).to_have_text(sq("The material was attached."))
    material_link = page.get_by_role("region", name=sq("Agenda")).get_by_role("link", name=MATERIAL)
    expect(material_link).to_be_visible()
    expect(page.get_by_text("(raporti-policise-shkollat.pdf, 1 KB)")).to_be_visible()
    download = page.request.get(material_link.get_attribute("href"))
    assert download.status == 200 and download.body() == pdf.read_bytes()

    # --- e-mails the invitation; the SMTP server receives one per member with an address ---------
    page.get_by_role("button", name=sq("E-mail the invitation with the agenda and materials")).click()
    page.wait_for_url(re.compile(rf"/elbasan/meetings/{meeting_id}#invitations$"))
    expect(page.get_by_role("status")).to_have_text(
        sq("The invitation is being e-mailed to %(n)d people.", n=3))
    invitation = page.get_by_role("region", name=sq("Invitation"))
    for name, _category, _position, email, _status in MEMBERS:
        row = invitation.get_by_role("row", name=re.compile(name))
        expect(row.get_by_role("cell").nth(2)).to_have_text(sq("Sent") if email else sq("No e-mail address"))
    expect(page.get_by_text(sq("Invitation on time"))).to_be_visible()

    wait_for_mail(outbox, 3)
    assert sorted(m["To"] for m in outbox) == sorted(email for *_, email, _s in MEMBERS if email)
    for message in outbox:
        assert TITLE in message["Subject"]
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert ITEM in text and MATERIAL in text
        # The material travels with the invitation: invitees without an account can read it too.
        assert [p.get_content_type() for p in message.iter_attachments()].count("application/pdf") == 1
        assert f"/elbasan/meetings/{meeting_id}" in text
        calendars = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
        assert len(calendars) == 1
        # Read as UTF-8 bytes: the part declares no charset, so get_content() would decode it as ASCII.
        event = Calendar.from_ical(calendars[0].get_payload(decode=True)).walk("VEVENT")[0]
        assert (str(event["SUMMARY"]), str(event["LOCATION"])) == (TITLE, PLACE)
    page.screenshot(path=f"{SCREENSHOTS}-meeting-planned-sq.png", full_page=True)

    # --- the meeting day comes -------------------------------------------------------------------
    # A browser test cannot wait ten days for the meeting day, so time is moved instead, directly
    # in the database (inside Elbasan's tenant scope, as the application writes): the meeting, and
    # the sending of its invitations with it, move back by the same span, so that the two-hour
    # meeting ended an hour or so ago and its invitations still went out ten days before it.
    with in_tenant("elbasan") as session:
        meeting = session.get(Meeting, meeting_id)
        ended = meetings.local_now() - timedelta(hours=1)
        ended = ended.replace(minute=ended.minute // 15 * 15, second=0)
        shift = meeting.ends_at - ended
        meeting.starts_at -= shift
        meeting.ends_at -= shift
        meeting.invitation_sent_at -= shift
        for row in session.execute(select(Invitation).where(Invitation.meeting_id == meeting_id)).scalars():
            if row.sent_at is not None:
                row.sent_at -= shift
        meetings.refresh_deadline(meeting)  # the deadline follows the meeting's new date
        held_from = meeting.starts_at

    page.goto(meeting_url)
    send = page.get_by_role("button", name=sq("E-mail the invitation with the agenda and materials"))
    expect(send).to_have_count(0)  # the meeting has started: nothing more to send
    page.get_by_role("button", name=sq("Record that the meeting was held")).click()
    expect(page.get_by_role("status")).to_have_text(sq("The meeting is recorded as held."))
    expect(page.get_by_text(sq("Held"))).to_be_visible()

    # --- records the attendance --------------------------------------------------------------
    attendance = page.get_by_role("region", name=sq("Attendance"))
    attendance.get_by_role("link", name=sq("Record the attendance")).click()
    page.wait_for_url(re.compile(rf"/elbasan/meetings/{meeting_id}/attendance$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Attendance"))
    for name, *_rest, status in MEMBERS:
        page.get_by_label(name, exact=True).select_option(status)
    page.get_by_role("button", name=sq("Save the attendance")).click()
    expect(page.get_by_role("status")).to_have_text(sq("The attendance was saved."))
    for name, *_rest, status in MEMBERS:
        expect(page.get_by_label(name, exact=True)).to_have_value(status)

    page.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url(re.compile(rf"/elbasan/meetings/{meeting_id}#attendance$"))
    expect(page.get_by_role("region", name=sq("Attendance"))).to_contain_text(sq(
        "Present: %(present)d · absent: %(absent)d · excused: %(excused)d · guests: %(guests)d",
        exact=False, present=2, absent=1, excused=1, guests=0))

    # --- writes the minutes --------------------------------------------------------------------
    records = page.get_by_role("region", name=sq("What the meeting left behind"))
    records.get_by_role("link", name=sq("Write the minutes")).click()
    page.wait_for_url(re.compile(rf"/elbasan/meetings/{meeting_id}/minutes$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Minutes of the meeting"))
    page.get_by_label(sq("Minutes")).fill(MINUTES)
    page.get_by_role("button", name=sq("Save the minutes")).click()
    expect(page.get_by_role("status")).to_have_text(
        sq("The minutes were saved as version %(version)d.", version=1))
    expect(page.get_by_role("heading", name=sq("Current text (version %(version)d)", version=1))).to_be_visible()
    expect(page.get_by_label(sq("Minutes"))).to_have_value(MINUTES)

    # --- publishes the press release, drafted from the meeting's record ----------------------------
    page.get_by_role("link", name=sq("Back to the meeting: %(title)s", title=TITLE)).click()
    page.wait_for_url(meeting_url)
    records = page.get_by_role("region", name=sq("What the meeting left behind"))
    expect(records).to_contain_text(sq("Not drafted yet", exact=False))
    records.get_by_role("link", name=sq("Draft and publish the press release")).click()
    page.wait_for_url(re.compile(rf"/elbasan/meetings/{meeting_id}/press-release$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Press release"))

    release_title = page.get_by_label(sq("Title"))
    expect(release_title).to_have_value(sq("Press release: %(title)s", title=TITLE))
    time_and_place = page.get_by_label(sq("Time and place of the meeting"))
    expect(time_and_place).to_have_value(
        re.compile(re.escape(held_from.strftime("%H:%M")) + ".*" + re.escape(PLACE)))
    participation = page.get_by_label(sq("Who took part"))
    for name, *_rest, status in MEMBERS:
        if status == "present":
            expect(participation).to_have_value(re.compile(re.escape(name)))
        else:
            expect(participation).not_to_have_value(re.compile(re.escape(name)))
    expect(page.get_by_label(sq("Agenda items"))).to_have_value(f"1. {ITEM}")
    essence = page.get_by_label(sq("Essence of the discussion"))
    expect(essence).to_have_value(MINUTES)  # the opening of the minutes, to edit
    essence.fill(ESSENCE)
    page.get_by_role("button", name=sq("Publish")).click()

    expect(page.get_by_role("status")).to_have_text(
        sq("The press release was published on the council's public page."))
    published_title = page.get_by_role("heading", level=2, name=sq("Press release: %(title)s", title=TITLE))
    expect(published_title).to_be_visible()
    expect(page.get_by_text(ESSENCE)).to_be_visible()
    public_link = page.get_by_role("link", name=sq("Read it on the council's public page"))
    release_path = public_link.get_attribute("href")
    assert re.fullmatch(r"/public/elbasan/press/\d+", release_path), release_path

    page.goto(meeting_url)
    records = page.get_by_role("region", name=sq("What the meeting left behind"))
    expect(records).to_contain_text(sq("Published on time", exact=False))
    expect(records).to_contain_text(sq("%(num)d version", plural="%(num)d versions", exact=False, num=1))
    page.screenshot(path=f"{SCREENSHOTS}-meeting-held-sq.png", full_page=True)

    # --- a citizen, not signed in, reads it on Elbasan's public page, in Albanian -------------------
    citizen = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="sq-AL",
                                  timezone_id="Europe/Tirane")
    citizen.set_default_timeout(TIMEOUT_MS)
    try:
        public = citizen.new_page()
        response = public.goto("/public/elbasan/")
        assert response is not None and response.status == 200
        expect(public.locator("html")).to_have_attribute("lang", "sq")
        expect(public.get_by_role("heading", level=1)).to_have_text("Këshilli Vendor i Sigurisë Publike Elbasan")
        expect(public.get_by_role("link", name=sq("Sign in"))).to_be_visible()
        releases = public.get_by_role("region", name=sq("Press releases"))
        entry = releases.get_by_role("listitem").filter(has_text=TITLE)
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text(format_date(held_from.date(), "long", locale="sq"))
        public.screenshot(path=f"{SCREENSHOTS}-public-elbasan-sq.png", full_page=True)

        entry.get_by_role("link", name=sq("Press release: %(title)s", title=TITLE)).click()
        public.wait_for_url(re.compile(re.escape(release_path) + "$"))
        expect(public.locator("html")).to_have_attribute("lang", "sq")
        expect(public.get_by_role("heading", level=1)).to_have_text(
            sq("Press release: %(title)s", title=TITLE))
        for heading in ("Time and place of the meeting", "Who took part", "Agenda items",
                        "Essence of the discussion"):
            expect(public.get_by_role("heading", level=2, name=sq(heading))).to_be_visible()
        article = public.get_by_role("article")
        expect(article).to_contain_text(PLACE)
        expect(article).to_contain_text("Gazment Bardhi")
        expect(article).to_contain_text(f"1. {ITEM}")
        expect(article).to_contain_text(ESSENCE)
        expect(article).not_to_contain_text("Lindita Dervishi")  # absent: not among those who took part
        expect(public.get_by_role("link", name=sq("Back to the council's page"))).to_be_visible()
        public.screenshot(path=f"{SCREENSHOTS}-public-press-release-sq.png", full_page=True)
    finally:
        citizen.close()
