"""The council's rules, through its services: composition and gaps, seats and their history,
mandates, institutions shared between municipalities, the establishment."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from safetycouncil.audit.models import AuditEntry
from safetycouncil.council import services
from safetycouncil.council.models import CouncilInstitution, CouncilMember, CouncilSeat, Institution
from safetycouncil.errors import ValidationFailed
from safetycouncil.municipalities.models import Municipality
from safetycouncil.tenancy import read_across_tenants
from tests import factories as make

from .conftest import PDF, create_institution, create_member, member_data, save_establishment

ON = date(2025, 6, 1)


def add(category, name, start=date(2024, 1, 1), end=None, **extra):
    return create_member(member_data(full_name=name, category=category, mandate_start=start,
                                              mandate_end=end, **extra))


# --- composition ------------------------------------------------------------------------------

def test_every_category_is_a_gap_until_it_has_an_active_member(council):
    with council():
        assert services.composition_gaps(ON) == list("abcdefghijklmno")
        add("a", "Gledian Llatja")
        add("c", "Ilir Kola", end=date(2025, 5, 31))       # ended the day before
        add("d", "Arta Leka", start=date(2025, 6, 2))      # starts the day after
        add("invited", "Teuta Gjini", invited_kind="prefect")
        add("staff", "Kristina Keka")
        assert services.composition_gaps(ON) == list("bcdefghijklmno")
        assert services.composition_gaps(date(2025, 5, 31)) == list("bdefghijklmno")
        rows = {row.code: row for row in services.composition(ON)}
        assert [row.code for row in rows.values()] == [*"abcdefghijklmno", "staff"]
        assert rows["a"].always_required and rows["c"].always_required and rows["d"].always_required
        assert not rows["b"].always_required
        assert rows["c"].empty and not rows["a"].empty
        assert rows["a"].label == "Mayor" and rows["o"].label == "Heads of educational institutions"


def test_active_members_are_members_only_by_category_then_albanian_alphabetical_name(council):
    with council():
        for category, name in [("k", "Dhimitër Toska"), ("k", "Dritan Sula"), ("k", "Çlirim Kaçi"),
                               ("k", "Cani Bregu"), ("a", "Zamira Zeneli"), ("staff", "Ana Bregu"),
                               ("invited", "Besnik Prifti")]:
            add(category, name, **({"invited_kind": "chief_judge"} if category == "invited" else {}))
        add("b", "Ended Member", end=date(2024, 12, 31))
        names = [m.full_name for m in services.active_members(ON)]
        # c < ç < d < dh in the Albanian alphabet; secretariat staff after (o); invited participants never.
        assert names == ["Zamira Zeneli", "Cani Bregu", "Çlirim Kaçi", "Dritan Sula", "Dhimitër Toska", "Ana Bregu"]
        assert [m.full_name for m in services.invited_participants(ON)] == ["Besnik Prifti"]


def test_the_services_can_answer_for_one_municipality_in_a_read_across_tenants(app, council, municipality_id):
    with council("elbasan"):
        add("a", "Kryetari Elbasan")
    with council("fier"):
        add("a", "Kryetari Fier")
        add("c", "Policia Fier")
    with app.app_context(), read_across_tenants():
        fier = municipality_id("fier")
        assert [m.full_name for m in services.active_members(ON, municipality_id=fier)] == [
            "Kryetari Fier", "Policia Fier"]
        assert services.composition_gaps(ON, municipality_id=municipality_id("elbasan"))[:3] == ["b", "c", "d"]
        assert services.composition_gaps(ON, municipality_id=fier)[:2] == ["b", "d"]


# --- validation: nothing half-saved -----------------------------------------------------------

@pytest.mark.parametrize("overrides, field, message", [
    ({"mandate_end": date(2023, 12, 31)}, "mandate_end", "The mandate cannot end before it starts."),
    ({"category": "z"}, "category", "Choose one of the categories (a) to (o)"),
    ({"email": "not-an-email"}, "email", "Enter a valid e-mail address."),
    ({"substitute_email": "a@b"}, "substitute_email", "Enter a valid e-mail address."),
    ({"full_name": "   "}, "full_name", "Enter the member's full name."),
    ({"mandate_start": "2024-02-30"}, "mandate_start", "Enter a date as DD.MM.YYYY."),
    ({"mandate_start": None}, "mandate_start", "Enter the day the mandate starts."),
    ({"category": "invited"}, "invited_kind", "Say who is invited"),
    ({"institution_id": 999999}, "institution_id", "There is no such institution."),
    ({"phone": "call me"}, "phone", "Enter a phone number"),
])
def test_bad_member_input_is_refused_with_a_clear_message(council, overrides, field, message):
    with council(commit=False) as session:
        with pytest.raises(ValidationFailed) as refused:
            create_member(member_data(**overrides))
        assert message in refused.value.errors[field]
        session.rollback()
        assert session.execute(select(func.count()).select_from(CouncilMember)).scalar() == 0


def test_several_mistakes_are_reported_together(council):
    with council(commit=False):
        with pytest.raises(ValidationFailed) as refused:
            create_member({"full_name": "", "category": "q", "email": "x", "mandate_start": "soon"})
        assert set(refused.value.errors) == {"full_name", "category", "email", "mandate_start"}


# --- seats --------------------------------------------------------------------------------------

def test_replacing_a_seat_holder_ends_the_previous_term_the_day_before_and_keeps_history(council):
    with council():
        first = add("staff", "Kristina Keka")
        second = add("staff", "Ana Bregu")
        services.assign_seat("technical_secretariat", first.id, date(2024, 1, 1))
        services.assign_seat("technical_secretariat", second.id, date(2025, 3, 1))
        history = services.seat_history("technical_secretariat")
        assert [(t.member.full_name, t.started_on, t.ended_on) for t in history] == [
            ("Ana Bregu", date(2025, 3, 1), None),
            ("Kristina Keka", date(2024, 1, 1), date(2025, 2, 28)),
        ]
        assert services.current_seat_holder("technical_secretariat", ON).full_name == "Ana Bregu"
        assert services.current_seat_holder("technical_secretariat", date(2025, 2, 28)).full_name == "Kristina Keka"
        assert services.current_seat_holder("technical_secretariat", date(2023, 12, 31)) is None
        assert services.current_seat_holder("chair", ON) is None
        assert services.current_seats(ON)["technical_secretariat"].member_id == second.id


def test_seat_refusals_are_explained(council):
    with council():
        mayor = add("a", "Gledian Llatja")
        police = add("c", "Ilir Kola")
        prefect = add("invited", "Teuta Gjini", invited_kind="prefect")
        ended = add("k", "Arta Leka", end=date(2024, 6, 30))
        services.assign_seat("chair", mayor.id, date(2024, 1, 1))
        mayor, police, prefect, ended = (m.id for m in (mayor, police, prefect, ended))
    cases = [
        (("chair", police, date(2024, 2, 1)), "member_id", "The chair is the Mayor"),
        (("chair", mayor, date(2024, 2, 1)), "member_id", "already holds this seat"),
        (("secretariat_police", prefect, date(2024, 2, 1)), "member_id", "invited participant"),
        (("secretariat_police", ended, date(2024, 7, 1)), "member_id", "must be an active member"),
        (("secretariat_police", 999999, date(2024, 7, 1)), "member_id", "Choose a member"),
        (("president", police, date(2024, 7, 1)), "seat", "Choose one of the council's seats"),
        (("secretariat_police", police, None), "started_on", "Enter the day the term starts"),
    ]
    for args, field, message in cases:
        with council(commit=False) as session:
            with pytest.raises(ValidationFailed) as refused:
                services.assign_seat(*args)
            assert message in refused.value.errors.get(field, ""), (args, refused.value.errors)
            session.rollback()
    with council(commit=False) as session:
        other_mayor = add("a", "Erion Marku")
        with pytest.raises(ValidationFailed) as refused:
            services.assign_seat("chair", other_mayor.id, date(2024, 1, 1))  # not after the current holder's start
        assert "the new term must start after that day" in refused.value.errors["started_on"]
        session.rollback()
    with council() as session:
        assert session.execute(select(func.count()).select_from(CouncilSeat)).scalar() == 1


def test_the_same_member_cannot_be_given_the_same_seat_twice_but_may_return_after_a_gap(council):
    with council():
        a = add("staff", "Ervin Muço")
        b = add("staff", "Klodiana Marku")
        services.assign_seat("secretariat_municipality", a.id, date(2024, 1, 1))
        services.assign_seat("secretariat_municipality", b.id, date(2024, 6, 1))
        with pytest.raises(ValidationFailed) as refused:
            services.assign_seat("secretariat_municipality", b.id, date(2024, 9, 1))
        assert "already holds this seat" in refused.value.errors["member_id"]
        with pytest.raises(ValidationFailed) as refused:  # a's old term is over but reaches this day
            services.assign_seat("secretariat_municipality", a.id, date(2024, 5, 1))
        assert "already holds this seat" in refused.value.errors["member_id"]
        services.assign_seat("secretariat_municipality", a.id, date(2025, 1, 1))
        assert [t.member.full_name for t in services.seat_history("secretariat_municipality")] == [
            "Ervin Muço", "Klodiana Marku", "Ervin Muço"]


def test_one_person_cannot_represent_two_institutions_in_the_coordination_secretariat(council):
    with council():
        rep = add("staff", "Ervin Muço")
        services.assign_seat("secretariat_municipality", rep.id, date(2024, 1, 1))
        with pytest.raises(ValidationFailed) as refused:
            services.assign_seat("secretariat_police", rep.id, date(2024, 2, 1))
        assert "already sits in the Coordination Secretariat" in refused.value.errors["member_id"]
        services.assign_seat("technical_secretariat", rep.id, date(2024, 2, 1))  # a municipal employee may
        services.end_seat("secretariat_municipality", date(2024, 5, 31))
        services.assign_seat("secretariat_police", rep.id, date(2024, 6, 1))


def test_the_chair_holder_cannot_stop_being_the_mayor(council):
    with council():
        mayor = add("a", "Gledian Llatja")
        services.assign_seat("chair", mayor.id, date(2024, 1, 1))
        with pytest.raises(ValidationFailed) as refused:
            services.update_member(mayor, {"category": "b"})
        assert "the chair must be the Mayor" in refused.value.errors["category"]
        with pytest.raises(ValidationFailed) as refused:
            services.update_member(mayor, {"category": "invited", "invited_kind": "topic_guest"})
        assert "an invited participant cannot" in refused.value.errors["category"]


def test_ending_a_mandate_ends_the_seats_and_cannot_precede_them(council):
    with council():
        rep = add("staff", "Sokol Dervishi")
        services.assign_seat("secretariat_police", rep.id, date(2024, 3, 1))
        with pytest.raises(ValidationFailed) as refused:
            services.end_mandate(rep, date(2024, 2, 1))
        assert "took a seat on" in refused.value.errors["mandate_end"]
        with pytest.raises(ValidationFailed) as refused:
            services.update_member(rep, {"mandate_start": date(2024, 4, 1)})
        assert "cannot start after that" in refused.value.errors["mandate_start"]
        services.end_mandate(rep, date(2025, 4, 30))
        term = services.seat_history("secretariat_police")[0]
        assert term.ended_on == date(2025, 4, 30)
        assert services.current_seat_holder("secretariat_police", date(2025, 4, 30)).id == rep.id
        assert services.current_seat_holder("secretariat_police", date(2025, 5, 1)) is None
        assert rep not in services.active_members(date(2025, 5, 1))
        # A successor starts after the ended term.
        successor = add("staff", "Arjan Tafa")
        with pytest.raises(ValidationFailed) as refused:
            services.assign_seat("secretariat_police", successor.id, date(2025, 4, 1))
        assert "held this seat until" in refused.value.errors["started_on"]
        services.assign_seat("secretariat_police", successor.id, date(2025, 5, 1))


def test_a_member_with_history_is_not_deleted(council):
    from safetycouncil.meetings.models import Invitation

    with council():
        seated = add("staff", "Kristina Keka")
        services.assign_seat("technical_secretariat", seated.id, date(2024, 1, 1))
        attended = add("k", "Arta Leka")
        invited = add("k", "Besnik Prifti")
        mistake = add("k", "Typo Name")
        meeting = make.meeting(services.db.session, starts_at=datetime(2025, 3, 5, 10), status="planned",
                               location=None, deadline=date(2025, 2, 26), attendance=[attended.id])
        services.db.session.add(Invitation(meeting_id=meeting.id, member_id=invited.id))
        seated, attended, invited, mistake = (m.id for m in (seated, attended, invited, mistake))
    with council() as session:
        for member_id, phrase in [(seated, "holds or held a seat"), (attended, "attended meetings"),
                                  (invited, "attended meetings")]:
            with pytest.raises(ValidationFailed) as refused:
                services.delete_member(services.get_member(member_id))
            message = refused.value.errors["member"]
            assert phrase in message and "End the mandate instead" in message
        services.delete_member(services.get_member(mistake))
        assert session.get(CouncilMember, mistake) is None


# --- institutions ----------------------------------------------------------------------------------

def _county_id(session, slug):
    return session.execute(select(Municipality.county_id).where(Municipality.slug == slug)).scalar_one()


def test_a_shared_institution_is_one_row_linked_from_several_municipalities(app, council):
    with council("elbasan") as session:
        prosecution = create_institution(
            {"name": "Prokuroria pranë Gjykatës së Rrethit Gjyqësor Elbasan", "kind": "prosecution"})
        assert prosecution.county_id == _county_id(session, "elbasan")
        prosecution_id = prosecution.id
    with council("cerrik"):
        found = services.search_institutions("prokuroria")
        assert [i.id for i in found] == [prosecution_id]
        services.link_institution(prosecution_id)
        services.link_institution(prosecution_id)  # linking twice changes nothing
        member = add("d", "Arta Leka", institution_id=prosecution_id)
        assert member.institution.name.startswith("Prokuroria")
    with app.app_context(), read_across_tenants():
        session = services.db.session
        assert session.execute(select(func.count()).select_from(Institution)).scalar() == 1
        links = session.execute(select(CouncilInstitution.municipality_id, CouncilInstitution.institution_id)).all()
        assert len(links) == 2 and {i for _, i in links} == {prosecution_id}


def test_choosing_an_institution_for_a_member_links_it(council):
    with council("elbasan"):
        police = create_institution({"name": "Drejtoria Vendore e Policisë Elbasan", "kind": "police"}).id
    with council("peqin") as session:
        assert services.linked_institutions() == []
        linked, county_others = services.institution_choices()
        assert linked == [] and [i.name for i in county_others] == ["Drejtoria Vendore e Policisë Elbasan"]
        add("c", "Ilir Kola", institution_id=police)
        assert [i.id for i in services.linked_institutions()] == [police]
        with pytest.raises(ValidationFailed) as refused:
            services.unlink_institution(police)
        assert "Members of the council belong to" in refused.value.errors["institution_id"]
        assert session.execute(select(func.count()).select_from(CouncilInstitution)).scalar() == 1


def test_a_duplicate_name_in_the_same_county_is_refused(council):
    with council("elbasan"):
        create_institution({"name": "Dhoma e Tregtisë dhe Industrisë Elbasan",
                                     "kind": "chamber_of_commerce"})
    for name in ("Dhoma e Tregtisë dhe Industrisë Elbasan", "dhoma e tregtisë  dhe industrisë elbasan",
                 "DHOMA E TREGTISË DHE INDUSTRISË ELBASAN"):
        with council("cerrik", commit=False) as session:
            with pytest.raises(ValidationFailed) as refused:
                create_institution({"name": name, "kind": "chamber_of_commerce"})
            assert "already exists in the county of Elbasan" in refused.value.errors["name"]
            assert "link it instead" in refused.value.errors["name"]
            session.rollback()
    with council("fier") as session:  # another county may have an institution of the same name
        create_institution({"name": "Dhoma e Tregtisë dhe Industrisë Elbasan", "kind": "other"})
        assert session.execute(select(func.count()).select_from(Institution)).scalar() == 2


def test_institution_input_is_checked(council):
    with council(commit=False):
        with pytest.raises(ValidationFailed) as refused:
            create_institution({"name": "", "kind": "castle", "email": "nope"})
        assert set(refused.value.errors) == {"name", "kind", "email"}


def test_search_puts_the_shared_institutions_of_the_county_first(council):
    with council("fier") as session:
        fier_county = _county_id(session, "fier")
        elbasan_county = _county_id(session, "elbasan")
        session.add_all([
            Institution(name="Policia A (Fier, local)", kind="police", county_id=fier_county),
            Institution(name="Policia B (Elbasan, shared)", kind="police", county_id=elbasan_county, shared=True),
            Institution(name="Policia C (Elbasan, local)", kind="police", county_id=elbasan_county),
            Institution(name="Policia D (national)", kind="national_agency", shared=True),
            Institution(name="Spitali", kind="health", county_id=elbasan_county),
        ])
    with council("cerrik"):
        # Another county's own institution is not offered (issue 20: references across municipalities).
        assert [i.name for i in services.search_institutions("polici")] == [
            "Policia B (Elbasan, shared)", "Policia C (Elbasan, local)", "Policia D (national)"]
        assert [i.name for i in services.search_institutions("spitalí")] == []
        assert [i.name for i in services.search_institutions("SPITAL")] == ["Spitali"]
        assert [i.name for i in services.search_institutions("100%")] == []


def test_search_ignores_albanian_diacritics(council):
    with council("elbasan"):
        create_institution({"name": "Drejtoria Vendore e Policisë Elbasan", "kind": "police"})
        assert len(services.search_institutions("policise")) == 1
        assert len(services.search_institutions("POLICISË")) == 1


# --- establishment -------------------------------------------------------------------------------

def test_the_establishment_is_one_record_whose_corrections_are_audited(app, council):
    with council() as session:
        record = save_establishment(
            {"decision_number": "22", "decision_date": "2022-03-04", "regulation_adopted_on": "2022-03-04"},
            decision_file=("vendimi.pdf", PDF), on=date(2025, 1, 1))
        assert record.decision_document_id is not None
        first_id = record.id
    with council() as session:
        record = save_establishment({"decision_number": "22/1"}, on=date(2025, 1, 1))
        assert record.id == first_id and record.decision_date == date(2022, 3, 4)
        assert record.decision_document_id is not None  # kept when not given
        entries = session.execute(select(AuditEntry).where(AuditEntry.entity_type == "CouncilEstablishment")
                                  .order_by(AuditEntry.id)).scalars().all()
        assert [e.action for e in entries] == ["create", "update"]
        assert entries[1].changes["decision_number"] == ["22", "22/1"]


def test_a_bad_establishment_saves_nothing_not_even_the_good_file(council):
    from safetycouncil.documents.models import Document

    with council(commit=False) as session:
        with pytest.raises(ValidationFailed) as refused:
            save_establishment({"decision_number": "", "decision_date": "2999-01-01"},
                               decision_file=("vendimi.pdf", PDF), on=date(2025, 1, 1))
        errors = refused.value.errors
        assert "Enter the number" in errors["decision_number"]
        assert "Enter a date as DD.MM.YYYY." in errors["decision_date"]  # 2000 to 2100
        with pytest.raises(ValidationFailed) as refused:
            save_establishment({"decision_number": "22", "decision_date": "2022-03-04"},
                               decision_file=("vendimi.pdf", PDF),
                               regulation_file=("rregullorja.exe", b"MZ"), on=date(2025, 1, 1))
        assert "not accepted" in refused.value.errors["regulation_document_id"]
        session.rollback()
        assert session.execute(select(func.count()).select_from(Document)).scalar() == 0
        assert services.get_establishment() is None
    with council(commit=False):
        with pytest.raises(ValidationFailed) as refused:
            save_establishment({"decision_number": "5", "decision_date": date(2025, 2, 1)},
                                        on=date(2025, 1, 1))
        assert "cannot be dated in the future" in refused.value.errors["decision_date"]


def test_albanian_alphabetical_order():
    names = ["Zana", "Dhurata", "Çela", "Cara", "Dyli", "Ëngjëll", "Era", "Gjon", "Gani", "Shpresa", "Sara"]
    assert sorted(names, key=services.name_key) == [
        "Cara", "Çela", "Dyli", "Dhurata", "Era", "Ëngjëll", "Gani", "Gjon", "Sara", "Shpresa", "Zana"]
