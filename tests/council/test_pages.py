"""The council's web pages: overview, establishment, members, seats, institutions. Forms follow
POST-redirect-GET; bad input gives 422, the messages, what was typed, and saves nothing."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from safetycouncil.council import services
from safetycouncil.council.models import (
    CouncilEstablishment,
    CouncilInstitution,
    CouncilMember,
    CouncilSeat,
    Institution,
)
from safetycouncil.documents.models import Document

from .conftest import PDF, create_member


@pytest.fixture
def secretary(app, make_user, login):
    """A technical secretary of Elbasan who reads English, signed in."""
    user = make_user("technical_secretary", municipality="elbasan", locale="en")
    client = app.test_client()
    login(client, user)
    return client


def count(council, model, slug="elbasan"):
    with council(slug) as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def text(response) -> str:
    return response.get_data(as_text=True)


def member_form(**overrides):
    form = {"full_name": "Arben Hoxha", "category": "k", "invited_kind": "", "institution_id": "",
            "position": "Drejtor", "email": "arben.hoxha@example.org", "phone": "+355 69 123 4567",
            "mandate_start": "2024-01-01", "mandate_end": "", "substitute_name": "", "substitute_email": "",
            "substitute_phone": ""}
    form.update(overrides)
    return form


def test_the_overview_flags_the_empty_categories(secretary, council):
    page = text(secretary.get("/elbasan/council/"))
    assert "The decision that established the council has not been recorded." in page
    assert "15 mandatory categories have no active member today" in page
    assert page.count("council-gap-required") >= 3  # (a), (c), (d): always required
    for label in ("Mayor", "Head of the Police Commissariat", "Head of the District Prosecutor&#39;s Office",
                  "Heads of educational institutions", "Chamber of Commerce and Industry"):
        assert label in page
    with council():
        for category in "abcdefghijklmno":
            create_member({"full_name": f"Anëtar {category}", "category": category,
                                    "mandate_start": date(2024, 1, 1)})
        create_member({"full_name": "Teuta Gjini", "category": "invited", "invited_kind": "prefect",
                                "mandate_start": date(2024, 1, 1)})
    page = text(secretary.get("/elbasan/council/"))
    assert "Every category of Art. 4 has an active member today." in page
    assert "Teuta Gjini" in page and "Prefect of the County" in page


def test_adding_a_member_redirects_and_shows_them(secretary, council):
    response = secretary.post("/elbasan/council/members/new", data=member_form(category="c"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/elbasan/council/")
    page = text(secretary.get("/elbasan/council/"))
    assert "Arben Hoxha was added to the council." in page
    assert "Arben Hoxha" in page
    assert "14 mandatory categories" in page


@pytest.mark.parametrize("overrides, message", [
    ({"full_name": ""}, "Enter the member&#39;s full name."),
    ({"email": "arben at example"}, "Enter a valid e-mail address."),
    ({"mandate_end": "2023-06-30"}, "The mandate cannot end before it starts."),
    ({"category": "x"}, "Choose one of the categories (a) to (o)"),
])
def test_bad_member_input_is_explained_kept_and_nothing_is_saved(secretary, council, overrides, message):
    form = member_form(**overrides)
    response = secretary.post("/elbasan/council/members/new", data=form)
    page = text(response)
    assert response.status_code == 422
    assert message in page
    assert 'aria-invalid="true"' in page
    assert 'value="+355 69 123 4567"' in page  # what was typed is still there
    if form["full_name"]:
        assert f'value="{form["full_name"]}"' in page
    assert count(council, CouncilMember) == 0


def test_editing_ending_and_deleting_a_member(secretary, council):
    with council():
        member_id = create_member({"full_name": "Arta Leka", "category": "n",
                                            "mandate_start": date(2024, 1, 1)}).id
        seated = create_member({"full_name": "Kristina Keka", "category": "staff",
                                         "mandate_start": date(2024, 1, 1)})
        services.assign_seat("technical_secretariat", seated.id, date(2024, 1, 1))
        seated_id = seated.id
    page = text(secretary.get(f"/elbasan/council/members/{member_id}"))
    assert 'value="Arta Leka"' in page
    response = secretary.post(f"/elbasan/council/members/{member_id}",
                              data=member_form(full_name="Arta Leka-Hoxha", category="n", substitute_name="Eda Kola"))
    assert response.status_code == 302
    # Ending the mandate: a bad date is refused, a good one ends it (history kept, not deleted).
    url = f"/elbasan/council/members/{member_id}"
    response = secretary.post(url, data={"action": "end_mandate", "end_on": "2023-01-01"})
    assert response.status_code == 422 and "The mandate cannot end before it starts." in text(response)
    response = secretary.post(url, data={"action": "end_mandate", "end_on": "2025-01-31"})
    assert response.status_code == 302
    with council() as session:
        member = session.get(CouncilMember, member_id)
        assert member.full_name == "Arta Leka-Hoxha" and member.substitute_name == "Eda Kola"
        assert member.mandate_end == date(2025, 1, 31)
    assert "Former members" in text(secretary.get("/elbasan/council/"))
    # Deleting a seat holder is refused with a message; a plain mistake can be deleted.
    response = secretary.post(f"/elbasan/council/members/{seated_id}", data={"action": "delete"})
    assert response.status_code == 422 and "End the mandate instead of deleting" in text(response)
    assert secretary.post(f"/elbasan/council/members/{member_id}", data={"action": "delete"}).status_code == 302
    assert count(council, CouncilMember) == 1


def test_giving_seats_and_the_history(secretary, council):
    with council():
        mayor = create_member({"full_name": "Gledian Llatja", "category": "a",
                                        "mandate_start": "2024-01-01"}).id
        first = create_member({"full_name": "Ilir Kola", "category": "c", "mandate_start": "2024-01-01"}).id
        second = create_member({"full_name": "Sokol Dervishi", "category": "staff",
                                         "mandate_start": "2024-01-01"}).id
    assert secretary.post("/elbasan/council/seats", data={"seat": "chair", "member_id": mayor,
                                                          "started_on": "2024-01-10"}).status_code == 302
    response = secretary.post("/elbasan/council/seats", data={"seat": "chair", "member_id": first,
                                                              "started_on": "2024-02-01"})
    assert response.status_code == 422 and "The chair is the Mayor" in text(response)
    response = secretary.post("/elbasan/council/seats", data={"seat": "chair", "member_id": mayor,
                                                              "started_on": "2024-02-01"})
    assert response.status_code == 422 and "already holds this seat" in text(response)
    for member, day in ((first, "2024-01-10"), (second, "2024-09-01")):
        response = secretary.post("/elbasan/council/seats", data={"seat": "secretariat_police", "member_id": member,
                                                                  "started_on": day})
        assert response.status_code == 302
    page = text(secretary.get("/elbasan/council/seats"))
    assert "Sokol Dervishi now holds the seat" in page
    history = page.split("History")[1]
    assert history.index("Sokol Dervishi") < history.index("Ilir Kola")
    with council():
        terms = {t.member_id: t for t in services.seat_history("secretariat_police")}
        assert terms[first].ended_on == date(2024, 8, 31) and terms[second].ended_on is None
    assert secretary.post("/elbasan/council/seats", data={"action": "end", "seat": "secretariat_police",
                                                          "ended_on": "2025-01-31"}).status_code == 302
    assert "Vacant" in text(secretary.get("/elbasan/council/"))
    assert count(council, CouncilSeat) == 3


def test_linking_and_creating_institutions(secretary, council):
    with council("fier"):
        shared = Institution(name="Drejtoria Vendore e Policisë Elbasan", kind="police", shared=True,
                             county_id=services._municipality().county_id)
        services.db.session.add(shared)
    with council("cerrik") as session:
        elbasan_county = services._municipality().county_id
        shared = Institution(name="Drejtoria Vendore e Policisë Elbasan", kind="police", shared=True,
                             county_id=elbasan_county)
        session.add(shared)
        session.flush()
        shared_id = shared.id
    page = text(secretary.get("/elbasan/council/institutions?q=policise"))
    assert page.index("Drejtoria Vendore e Policisë Elbasan") < page.rindex("Drejtoria Vendore e Policisë Elbasan")
    assert secretary.post("/elbasan/council/institutions", data={"action": "link", "institution_id": shared_id}) \
        .status_code == 302
    response = secretary.post("/elbasan/council/institutions", data={
        "action": "create", "name": "drejtoria vendore e policisë elbasan", "kind": "police", "email": ""})
    assert response.status_code == 422
    page = text(response)
    assert "already exists in the county of Elbasan" in page and 'value="drejtoria vendore e policisë elbasan"' in page
    response = secretary.post("/elbasan/council/institutions", data={
        "action": "create", "name": "Forumi i Gruas Elbasan", "kind": "civil_society", "email": "forum@example"})
    assert response.status_code == 422 and "Enter a valid e-mail address." in text(response)
    response = secretary.post("/elbasan/council/institutions", data={
        "action": "create", "name": "Forumi i Gruas Elbasan", "kind": "civil_society", "email": "info@forumi.al"})
    assert response.status_code == 302
    with council() as session:
        assert sorted(i.name for i in services.linked_institutions()) == [
            "Drejtoria Vendore e Policisë Elbasan", "Forumi i Gruas Elbasan"]
        assert session.execute(select(func.count()).select_from(CouncilInstitution)).scalar() == 2
    response = secretary.post("/elbasan/council/institutions", data={"action": "unlink", "institution_id": shared_id})
    assert response.status_code == 302
    assert count(council, CouncilInstitution) == 1


def test_recording_the_establishment_with_its_documents(secretary, council):
    response = secretary.post("/elbasan/council/establishment", data={
        "decision_number": "", "decision_date": "04.03.2022", "regulation_adopted_on": "",
        "decision_file": (io.BytesIO(PDF), "vendimi.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 422
    page = text(response)
    assert "Enter the number of the Municipal Council&#39;s decision." in page
    assert 'value="04.03.2022"' in page  # what was typed is kept (a day as people write it is accepted)
    assert count(council, Document) == 0 and count(council, CouncilEstablishment) == 0
    response = secretary.post("/elbasan/council/establishment", data={
        "decision_number": "22", "decision_date": "2022-03-04", "regulation_adopted_on": "2022-03-04",
        "decision_file": (io.BytesIO(PDF), "vendimi.pdf"), "regulation_file": (io.BytesIO(PDF), "rregullorja.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = text(secretary.get("/elbasan/council/"))
    assert "No. 22" in page
    links = re.findall(r'href="(/elbasan/documents/\d+/download)"', page)
    assert len(links) == 2
    assert secretary.get(links[0]).data == PDF
    form = text(secretary.get("/elbasan/council/establishment"))
    assert 'value="22"' in form and 'value="2022-03-04"' in form


def test_a_member_reads_the_council_but_cannot_change_it(app, make_user, login, council):
    user = make_user("member", municipality="elbasan", locale="en")
    client = app.test_client()
    login(client, user)
    with council():
        member_id = create_member({"full_name": "Arta Leka", "category": "k",
                                            "mandate_start": "2024-01-01"}).id
    for url in ("/elbasan/council/", "/elbasan/council/seats", "/elbasan/council/institutions",
                f"/elbasan/council/members/{member_id}", "/elbasan/council/establishment"):
        response = client.get(url)
        assert response.status_code == 200, url
    page = text(client.get(f"/elbasan/council/members/{member_id}"))
    assert "End the mandate" not in page and "disabled" in page
    assert "Add a member" not in text(client.get("/elbasan/council/"))
    assert client.post("/elbasan/council/members/new", data=member_form()).status_code == 403
    assert client.post(f"/elbasan/council/members/{member_id}", data={"action": "delete"}).status_code == 403
    assert count(council, CouncilMember) == 1


def test_the_overview_reads_a_demo_council_in_few_queries(app, secretary, municipality_id):
    """The composition page of a full council (the Elbasan demo) loads without N+1 queries."""
    from sqlalchemy import event

    from safetycouncil.audit.trail import acting_as
    from safetycouncil.council.demo import load_demo
    from safetycouncil.extensions import db
    from safetycouncil.municipalities.models import Municipality

    with app.app_context(), acting_as(None):
        load_demo(db.session.execute(select(Municipality).where(Municipality.slug == "elbasan")).scalars().all())
        db.session.commit()
    statements = []

    def count_statement(*args):
        statements.append(args[2])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count_statement)
        try:
            page = text(secretary.get("/elbasan/council/"))
        finally:
            event.remove(db.engine, "before_cursor_execute", count_statement)
    assert "Gledian Llatja" in page and "Kristina Keka" in page
    council_queries = [s for s in statements if "council_" in s or "institutions" in s]
    assert len(council_queries) <= 12, council_queries
