"""'You said, we did' answers a concern only with what was decided or done after it was raised, or is
linked to it explicitly; the citizen gets a reference number and follows the concern on a public page
with no personal data (issue 18, part 3)."""
import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from safetycouncil.timeutil import local_today, utcnow


@pytest.fixture
def concern_world(app, in_tenant):
    from safetycouncil.areas.models import Area
    from safetycouncil.concerns.models import Concern, RiskCategory
    from safetycouncil.concerns.services import ensure_default_categories
    from safetycouncil.extensions import db
    from safetycouncil.plans.models import Plan, PlanActivity, PlanItem, PlanVersion, ProgressEntry
    from safetycouncil.risks.models import Risk, RiskConcern

    with app.app_context():
        ensure_default_categories()
        db.session.commit()
    today = local_today()
    raised = today - timedelta(days=20)
    with in_tenant("elbasan") as session:
        area = Area(name="Lagjja Kala", kind="neighbourhood")
        session.add(area)
        session.flush()
        category = session.execute(select(RiskCategory).order_by(RiskCategory.id)).scalars().first()
        concern = Concern(text="Në Lagjen Kala nuk ka ndriçim natën.", source_kind="citizen", area_id=area.id,
                          category_id=category.id, channel="online", status="accepted",
                          contact="ana@example.al", created_at=utcnow() - timedelta(days=20))
        session.add(concern)
        session.flush()
        risk = Risk(title="Rrugë pa ndriçim në Lagjen Kala", category_id=category.id, area_id=area.id)
        session.add(risk)
        session.flush()
        session.add(RiskConcern(risk_id=risk.id, concern_id=concern.id))
        risk_id = risk.id

        def plan(session, year, approved_on, activities):
            row = Plan(year=year, title=f"Plani {year}")
            session.add(row)
            session.flush()
            version = PlanVersion(plan_id=row.id, number=1, status="approved", approved_on=approved_on)
            session.add(version)
            session.flush()
            item = PlanItem(version_id=version.id, key=uuid.uuid4().hex, position=1, number="1.1",
                            issue="Ndriçimi i rrugëve", risk_id=risk_id)
            session.add(item)
            session.flush()
            for position, (description, reported_on) in enumerate(activities, start=1):
                activity = PlanActivity(item_id=item.id, key=uuid.uuid4().hex, position=position,
                                        description=description)
                session.add(activity)
                session.flush()
                if reported_on:
                    session.add(ProgressEntry(plan_id=row.id, activity_id=activity.id, activity_key=activity.key,
                                              status="completed", progress=100, reported_on=reported_on))
            return row

        plan(session, 2023, date(2023, 3, 1), [("Llamba të reja në qendër (2023)", date(2023, 9, 1))])
        plan(session, 2024, date(2024, 3, 1), [("Kamera në park (2024)", date(2024, 10, 1)),
                                      ("Riparimi i ndriçimit në Kala, kërkuar nga banorët", raised + timedelta(days=5))])
        reference = concern.reference
        area_id = area.id
    return {"reference": reference, "raised": raised, "plan": plan, "in_tenant": in_tenant, "area_id": area_id}


def _said_did(page: str) -> str:
    return re.search(r'<section aria-labelledby="you-said">.*?</section>', page, re.S).group(0)


def test_only_what_came_after_the_concern_answers_it(app, concern_world):
    block = _said_did(app.test_client().get("/public/elbasan/").get_data(as_text=True))
    assert "Në Lagjen Kala nuk ka ndriçim natën." in block
    assert "Llamba të reja në qendër (2023)" not in block  # done years before the concern
    assert "Kamera në park (2024)" not in block
    assert "Riparimi i ndriçimit në Kala, kërkuar nga banorët" in block  # reported after the concern
    # a plan approved after the concern answers it with all its activities
    with concern_world["in_tenant"]("elbasan") as session:
        concern_world["plan"](session, local_today().year, local_today(), [("Ndriçim LED në Lagjen Kala", None)])
    block = _said_did(app.test_client().get("/public/elbasan/").get_data(as_text=True))
    assert "Ndriçim LED në Lagjen Kala" in block and "Llamba të reja në qendër (2023)" not in block


def test_a_risk_answered_only_before_the_concern_says_so(app, concern_world, in_tenant):
    from safetycouncil.plans.models import ProgressEntry

    with in_tenant("elbasan") as session:
        for entry in session.execute(select(ProgressEntry)).scalars():
            entry.reported_on = date(2024, 10, 1)
    block = _said_did(app.test_client().get("/public/elbasan/").get_data(as_text=True))
    assert "Riparimi i ndriçimit" not in block and "Kamera në park" not in block
    assert "Që kur u ngrit shqetësimi" in block  # nothing decided or done since; not "not in a plan yet"


def test_the_citizen_gets_a_reference_and_follows_the_concern_without_personal_data(app, concern_world):
    from safetycouncil.concerns.models import RiskCategory
    from safetycouncil.extensions import db

    client = app.test_client()
    with app.app_context():
        category_id = db.session.execute(select(RiskCategory.id).order_by(RiskCategory.id)).scalars().first()
    response = client.post("/public/elbasan/concern", data={
        "text": "Semafori te tregu nuk punon.", "area_id": concern_world["area_id"], "category_id": category_id,
        "contact": "069 123 4567"})
    assert response.status_code == 302 and "reference=" in response.headers["Location"]
    sent = client.get(response.headers["Location"]).get_data(as_text=True)
    reference = re.search(r'class="concern-reference">([A-Z0-9-]+)<', sent).group(1)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", reference)
    page = client.get(f"/public/elbasan/concern/follow?reference={reference.lower().replace('-', ' ')}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and reference in text
    assert "069 123 4567" not in text and "Semafori te tregu nuk punon." not in text  # not published yet
    # accepted: the text and its answers, still no contact
    followed = client.get(f"/public/elbasan/concern/follow?reference={concern_world['reference']}")
    body = followed.get_data(as_text=True)
    assert "Në Lagjen Kala nuk ka ndriçim natën." in body and "ana@example.al" not in body
    assert "Riparimi i ndriçimit në Kala, kërkuar nga banorët" in body and "Llamba të reja" not in body
    # a wrong number, or another municipality's, finds nothing
    assert client.get("/public/elbasan/concern/follow?reference=AAAA-AAAA").status_code == 404
    assert client.get(f"/public/fier/concern/follow?reference={reference}").status_code == 404
    assert client.get("/public/elbasan/concern/follow").status_code == 200  # the form
