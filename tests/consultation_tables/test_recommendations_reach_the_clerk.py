"""A Prefecture recommendation arrives like any other work: in the municipality's navigation, by
e-mail (Albanian first, English second) to the technical secretary and the chair, on the home page,
with its date of receipt ("Marrë më ...") and the date of each follow-up step."""
from sqlalchemy import select

from safetycouncil.consultation_tables.models import ConsultationTable, RecommendationFollowUp
from safetycouncil.extensions import db
from safetycouncil.tenancy import tenant


def _client(app, make_user, login, *args, **kwargs):
    user = make_user(*args, **kwargs)
    client = app.test_client()
    login(client, user)
    return client, user


def test_a_recommendation_reaches_the_clerk(app, make_user, login, municipality_id, outbox, run_jobs):
    secretary, _ = _client(app, make_user, login, "technical_secretary", municipality="fier",
                           email="sekretari@fier.example")
    make_user("chair", municipality="fier", email="kryetari@fier.example")
    make_user("technical_secretary", municipality="patos", email="sekretari@patos.example")
    prefect, _ = _client(app, make_user, login, "prefecture", county="fier")
    prefect.post("/prefecture/fier/consultation-tables", data={"title": "Tryeza për sigurinë në shkolla",
                                                             "held_on": "2026-11-20"})
    with app.app_context():
        table_id = db.session.execute(select(ConsultationTable.id)).scalar_one()
    response = prefect.post(f"/prefecture/fier/consultation-tables/{table_id}", data={
        "action": "recommendation", "text": "Patrullimi pranë shkollave në orët e mbylljes",
        "municipality_ids": [str(municipality_id("fier"))]})
    assert response.status_code == 302
    run_jobs()

    # By e-mail, to Fier's secretary and chair only, in both languages, with a link to it.
    assert sorted(m["To"] for m in outbox) == ["kryetari@fier.example", "sekretari@fier.example"]
    message = outbox[0]
    assert "Prefekturës" in message["Subject"] and "Prefecture" in message["Subject"]
    body = message.get_content()
    assert "Patrullimi pranë shkollave" in body
    assert body.index("Prefektura i ka drejtuar") < body.index("The Prefecture has addressed")
    assert "http://localhost/fier/recommendations#recommendation-" in body

    # In the navigation and on the home page, with the date of receipt.
    home = secretary.get("/fier/").get_data(as_text=True)
    assert 'href="/fier/recommendations"' in home
    assert "Rekomandimet e Prefekturës që presin ndjekje" in home and "Patrullimi pranë shkollave" in home
    assert "Marrë më " in home
    page = secretary.get("/fier/recommendations").get_data(as_text=True)
    assert "Marrë më " in page and "Marrë më</strong>" not in page
    assert "<strong>E hapur</strong>" in page  # the status

    with app.app_context(), tenant(municipality_id("fier")):
        from safetycouncil.consultation_tables.models import ConsultationRecommendation

        rec_id = db.session.execute(select(ConsultationRecommendation.id)).scalar_one()
    assert secretary.post(f"/fier/recommendations/{rec_id}", data={
        "status": "in_progress", "note": "U fut në regjistrin e rreziqeve"}).status_code == 302
    assert secretary.post(f"/fier/recommendations/{rec_id}", data={
        "status": "done", "note": "Aktiviteti 2.3 i planit"}).status_code == 302
    with app.app_context(), tenant(municipality_id("fier")):
        steps = db.session.execute(select(RecommendationFollowUp).order_by(RecommendationFollowUp.id)).scalars().all()
        assert [s.status for s in steps] == ["open", "in_progress", "done"]
        assert all(s.recorded_at is not None for s in steps)
    page = secretary.get("/fier/recommendations").get_data(as_text=True)
    assert "U fut në regjistrin e rreziqeve" in page and "Aktiviteti 2.3 i planit" in page
    assert page.count('class="recommendation-steps"') == 1 and page.count("<li>") >= 3
    # Done: no longer waiting on the home page.
    assert "presin ndjekje" not in secretary.get("/fier/").get_data(as_text=True)
