"""The Ministry's data-protection page: the retention period as a national setting, the erasures, the register."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from safetycouncil.audit.models import AuditEntry
from safetycouncil.concerns.models import Concern
from safetycouncil.data_protection.models import DataProtectionSettings
from safetycouncil.data_protection.services import contact_retention_days, purge_concern_contacts
from safetycouncil.extensions import db
from safetycouncil.timeutil import utcnow

from .test_personal_data import place  # noqa: F401 - a fixture


def _setting(app):
    with app.app_context():
        return db.session.get(DataProtectionSettings, 1)


def test_the_configuration_applies_until_the_ministry_sets_a_period(app, client, login, make_user):
    with app.app_context():
        assert contact_retention_days() == app.config["CONCERN_CONTACT_RETENTION_DAYS"] == 365
    ministry = make_user("ministry", locale="en")
    login(client, ministry)
    page = client.get("/national/data-protection").get_data(as_text=True)
    assert "Contacts are kept for 365 days." in page and "the Ministry has not set a period yet" in page
    response = client.post("/national/data-protection", data={"retention_days": " 90 "}, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "now kept for 90 days" in page and "Contacts are kept for 90 days." in page
    with app.app_context():
        assert contact_retention_days() == 90
        entry = db.session.execute(select(AuditEntry).where(
            AuditEntry.entity_type == "DataProtectionSettings")).scalar_one()
        assert entry.user_id == ministry.id and entry.changes["concern_contact_retention_days"] == [None, 90]


@pytest.mark.parametrize("value", ["", "abc", "29", "3651", "12.5", "-40", "1e3", "٣٠٠"])
def test_a_bad_period_is_refused_with_a_clear_message_and_nothing_is_saved(app, client, login, make_user, value):
    login(client, make_user("ministry", locale="en"))
    client.post("/national/data-protection", data={"retention_days": "200"})
    response = client.post("/national/data-protection", data={"retention_days": value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a whole number of days from 30 to 3650." in page and 'aria-invalid="true"' in page
    assert _setting(app).concern_contact_retention_days == 200


def test_the_message_is_in_albanian_first(app, client, login, make_user):
    login(client, make_user("ministry"))
    page = client.post("/national/data-protection", data={"retention_days": "5"}).get_data(as_text=True)
    assert "Mbrojtja e të dhënave" in page and "nga 30 deri në 3650" in page
    assert _setting(app) is None


def test_only_the_ministry_and_administrators_open_the_page(app, make_user, login):
    for role, status in (("ministry", 200), ("admin", 200)):
        client = app.test_client()
        login(client, make_user(role))
        assert client.get("/national/data-protection").status_code == status
    for user in (make_user("prefecture", county="elbasan"), make_user("chair", municipality="elbasan")):
        client = app.test_client()
        login(client, user)
        assert client.get("/national/data-protection").status_code == 403
        assert client.post("/national/data-protection", data={"retention_days": "60"}).status_code == 403
    assert _setting(app) is None


def test_the_purge_reads_the_setting_and_the_page_shows_the_last_run(
        app, client, login, make_user, in_tenant, place):  # noqa: F811
    with in_tenant("elbasan") as s:
        s.add_all([Concern(text="100 days old", contact="a@example.al", source_kind="citizen", status="accepted",
                           created_at=utcnow() - timedelta(days=100), **place("elbasan")),
                   Concern(text="20 days old", contact="b@example.al", source_kind="citizen", status="accepted",
                           created_at=utcnow() - timedelta(days=20), **place("elbasan"))])
    login(client, make_user("ministry", locale="en"))
    page = client.get("/national/data-protection").get_data(as_text=True)
    assert "The erasure has not run yet." in page and "2 concerns in all municipalities still hold a contact." in page
    with app.app_context():
        assert purge_concern_contacts() == 0  # 365 days by default
    client.post("/national/data-protection", data={"retention_days": "60"})
    with app.app_context():
        assert purge_concern_contacts() == 1
    page = client.get("/national/data-protection").get_data(as_text=True)
    assert "The erasure last ran on" in page and "It erased 1 contact." in page
    assert "1 contact was erased in the last twelve months." in page and "Elbasan" in page
    assert "1 concern in all municipalities still holds a contact." in page


def test_the_page_shows_the_register_and_is_linked_from_the_national_console(app, client, login, make_user):
    login(client, make_user("ministry", locale="en"))
    console = client.get("/national/").get_data(as_text=True)
    assert 'href="/national/data-protection"' in console
    page = client.get("/national/data-protection").get_data(as_text=True)
    assert "Register of personal data" in page and "Citizens who raised concerns" in page
    assert "<code>substitute_phone</code>" in page and "365 days after the concern was recorded" in page
    assert "Tables that hold no personal data" in page and "<code>crime_counts</code>" in page
