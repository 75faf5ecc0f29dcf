"""Citizens' contact details are erased after the retention period; showing them is logged."""
from datetime import timedelta

from sqlalchemy import select

from safetycouncil.audit.models import AuditEntry
from safetycouncil.concerns.models import Concern
from safetycouncil.data_protection.services import purge_concern_contacts
from safetycouncil.extensions import db
from safetycouncil.tenancy import tenant
from safetycouncil.timeutil import utcnow


import pytest

from safetycouncil.areas.models import Area
from safetycouncil.concerns.models import RiskCategory


@pytest.fixture
def place(app, in_tenant):
    """An area in each municipality used, and a national category: what a concern needs."""
    from safetycouncil.concerns.services import ensure_default_categories

    with app.app_context():
        ensure_default_categories()
        db.session.commit()
        category_id = db.session.execute(select(RiskCategory.id)).scalars().first()
    areas = {}
    for slug in ("elbasan", "fier"):
        with in_tenant(slug) as s:
            area = Area(name="Qendra", kind="neighbourhood")
            s.add(area)
            s.flush()
            areas[slug] = area.id
    return lambda slug: {"area_id": areas[slug], "category_id": category_id}


def _concerns(app, municipality_id):
    with app.app_context(), tenant(municipality_id):
        return {c.text: c for c in db.session.execute(select(Concern)).scalars()}


def test_contacts_past_the_retention_period_are_erased_everywhere_and_the_concern_kept(
        app, in_tenant, municipality_id, place):
    with in_tenant("elbasan") as s:
        s.add_all([Concern(text="old elbasan", contact="old@example.al", source_kind="citizen", status="accepted",
                           created_at=utcnow() - timedelta(days=400), **place("elbasan")),
                   Concern(text="new elbasan", contact="new@example.al", source_kind="citizen", status="accepted",
                           created_at=utcnow() - timedelta(days=10), **place("elbasan"))])
    with in_tenant("fier") as s:
        s.add(Concern(text="old fier", contact="fier@example.al", source_kind="citizen", status="accepted",
                      created_at=utcnow() - timedelta(days=366), **place("fier")))
    with app.app_context():
        assert purge_concern_contacts() == 2
    elbasan, fier = _concerns(app, municipality_id("elbasan")), _concerns(app, municipality_id("fier"))
    assert elbasan["old elbasan"].contact is None and elbasan["new elbasan"].contact == "new@example.al"
    assert fier["old fier"].contact is None
    with app.app_context():
        purged = db.session.execute(select(AuditEntry).where(AuditEntry.action == "personal_data_purged")).scalars().all()
        assert sorted(e.changes["contacts_erased"] for e in purged) == [1, 1]
        assert purge_concern_contacts() == 0


def test_showing_a_contact_to_staff_is_logged(app, in_tenant, make_user, login, place):
    with in_tenant("elbasan") as s:
        concern = Concern(text="a lamp is broken", contact="citizen@example.al", source_kind="citizen",
                          status="pending_moderation", **place("elbasan"))
        s.add(concern)
        s.flush()
        concern_id = concern.id
    secretary = make_user("technical_secretary", municipality="elbasan")
    client = app.test_client()
    login(client, secretary)
    page = client.get(f"/elbasan/concerns/{concern_id}")
    assert page.status_code == 200 and "citizen@example.al" in page.get_data(as_text=True)
    client.get("/elbasan/concerns/moderation")
    with app.app_context():
        viewed = db.session.execute(select(AuditEntry).where(AuditEntry.action == "personal_data_viewed")).scalars().all()
    assert len(viewed) == 2 and all(e.user_id == secretary.id and e.changes["ids"] == [concern_id] for e in viewed)

    member = make_user("member", municipality="elbasan")
    reader = app.test_client()
    login(reader, member)
    assert "citizen@example.al" not in reader.get(f"/elbasan/concerns/{concern_id}").get_data(as_text=True)
    with app.app_context():
        assert len(db.session.execute(select(AuditEntry).where(
            AuditEntry.action == "personal_data_viewed")).scalars().all()) == 2
