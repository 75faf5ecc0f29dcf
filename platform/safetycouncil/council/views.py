"""Web pages: the council's establishment, composition, seats and institutions.

Thin views over ``services``: read the form, call the service, commit, redirect (POST-redirect-GET);
on bad input roll back and show the form again with what was typed and the messages (422).
"""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..data_protection.services import log_contacts_shown
from ..documents.services import list_documents
from ..errors import ValidationFailed
from ..extensions import db
from ..schemas import load_form
from ..tenancy.web import require_ids, scope
from . import schemas, services, sessions
from .models import (INSTITUTION_KINDS, INVITED_KINDS, SEATS, CouncilEstablishment, CouncilMember,
                     MunicipalCouncilParty)

bp = Blueprint("council", __name__, url_prefix="/<municipality>/council", template_folder="templates")
require_ids(bp, {"member_id": CouncilMember, "establishment_id": CouncilEstablishment,
                 "party_id": MunicipalCouncilParty})  # another municipality's id: 404


def _labels() -> dict:
    return {"categories": services.CATEGORY_LABELS, "invited_kinds": services.INVITED_KIND_LABELS,
            "seats": services.SEAT_LABELS, "institution_kinds": services.INSTITUTION_KIND_LABELS}


def _page(template: str, errors: dict, **context):
    return render_template(template, errors=errors, labels=_labels(), **context), (422 if errors else 200)


def _upload(name: str) -> tuple[str, bytes] | None:
    upload = request.files.get(name)
    return (upload.filename, upload.read()) if upload and upload.filename else None


@bp.route("/")
@scope("tenant")
def index():
    on = services.today()
    return render_template(
        "council/index.html", on=on, labels=_labels(), establishment=services.get_establishment(),
        seats=services.current_seats(on), composition=services.composition(on),
        gaps=services.composition_gaps(on), invited=services.invited_participants(on),
        institutions=services.linked_institutions(),
        past_members=[m for m in services.list_members() if m.mandate_end and m.mandate_end < on])


@bp.route("/establishment", methods=["GET", "POST"])
@scope("tenant")
def establishment():
    record = services.get_establishment()
    errors: dict = {}
    form = {key: getattr(record, key) or "" for key in services.ESTABLISHMENT_FIELDS} if record else {}
    if request.method == "POST":
        form = request.form
        try:
            services.save_establishment(
                load_form(schemas.CouncilEstablishmentSchema(), form), decision_file=_upload("decision_file"),
                regulation_file=_upload("regulation_file"),
                uploaded_by_id=current_user.id)
            db.session.commit()
            flash(_("The council's establishment was saved."), "success")
            return redirect(url_for(".index"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            record = services.get_establishment()
    return _page("council/establishment.html", errors, form=form, record=record, documents=list_documents())


def _member_form(member=None) -> dict:
    if member is None:
        return {"mandate_start": services.today().isoformat()}
    return {key: ("" if getattr(member, key) is None else getattr(member, key)) for key in services.MEMBER_FIELDS}


def _member_page(errors: dict, form, member=None):
    if member is not None:
        log_contacts_shown("CouncilMember", [member], services.CONTACT_FIELDS)  # shown in the form
    linked, county_others = services.institution_choices()
    from .parties import list_parties

    return _page("council/member.html", errors, form=form, member=member, linked=linked, parties=list_parties(),
                 county_others=county_others, invited_kinds=INVITED_KINDS,
                 terms=services.seats_of(member) if member is not None else [], today=services.today())


@bp.route("/members/new", methods=["GET", "POST"])
@scope("tenant")
def new_member():
    errors: dict = {}
    form = _member_form()
    if request.method == "POST":
        form = request.form
        try:
            member = services.create_member(load_form(schemas.CouncilMemberSchema(), form))
            db.session.commit()
            flash(_("%(name)s was added to the council.", name=member.full_name), "success")
            return redirect(url_for(".index"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return _member_page(errors, form)


@bp.route("/members/<int:member_id>", methods=["GET", "POST"])
@scope("tenant")
def member(member_id: int):
    record = services.get_member(member_id)
    errors: dict = {}
    form = _member_form(record)
    if request.method == "POST":
        action = request.form.get("action", "save")
        name = record.full_name
        try:
            if action == "delete":
                services.delete_member(record)
                db.session.commit()
                flash(_("%(name)s was removed from the council.", name=name), "success")
                return redirect(url_for(".index"))
            if action == "end_mandate":
                services.end_mandate(record, load_form(schemas.EndMandateSchema(), request.form)["end_on"])
                db.session.commit()
                flash(_("%(name)s's mandate was ended.", name=name), "success")
                return redirect(url_for(".member", member_id=member_id))
            form = request.form
            services.update_member(record, load_form(schemas.CouncilMemberSchema(), form))
            db.session.commit()
            flash(_("%(name)s was saved.", name=record.full_name), "success")
            return redirect(url_for(".index"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            record = services.get_member(member_id)
            if action in ("end_mandate", "delete"):
                # These small forms keep their own messages; the member's form shows what is saved.
                errors = {action: " ".join(str(m) for m in exc.errors.values())}
                form = {**_member_form(record), "end_on": request.form.get("end_on", "")}
    return _member_page(errors, form, record)


@bp.route("/seats", methods=["GET", "POST"])
@scope("tenant")
def seats():
    on = services.today()
    errors: dict = {}
    form = {"started_on": on.isoformat()}
    if request.method == "POST":
        form = request.form
        try:
            if form.get("action") == "end":
                data = load_form(schemas.EndSeatSchema(), form)
                term = services.end_seat(data["seat"], data["ended_on"])
                db.session.commit()
                flash(_("%(name)s's term as %(seat)s was ended.", name=term.member.full_name,
                        seat=services.seat_label(term.seat)), "success")
            else:
                data = load_form(schemas.CouncilSeatSchema(), form)
                term = services.assign_seat(data["seat"], data["member_id"], data.get("started_on"))
                db.session.commit()
                flash(_("%(name)s now holds the seat: %(seat)s.", name=term.member.full_name,
                        seat=services.seat_label(term.seat)), "success")
            return redirect(url_for(".seats"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return _page("council/seats.html", errors, form=form, on=on, seat_names=SEATS,
                 current=services.current_seats(on), history=services.seat_history(),
                 candidates=services.active_members(on))


@bp.route("/institutions", methods=["GET", "POST"])
@scope("tenant")
def institutions():
    errors: dict = {}
    form: dict = {}
    if request.method == "POST":
        form = request.form
        action = form.get("action")
        try:
            if action == "create":
                institution = services.create_institution(load_form(schemas.CouncilInstitutionLinkSchema(), form))
                message = _("%(name)s was created and linked to the council.", name=institution.name)
            elif action == "unlink":
                institution = services.get_linked_institution(form.get("institution_id"))
                services.unlink_institution(form.get("institution_id"))
                message = _("%(name)s is no longer linked to the council.", name=institution.name)
            else:
                link = services.link_institution(load_form(schemas.InstitutionIdSchema(), form).get("institution_id"))
                message = _("%(name)s is linked to the council.", name=link.institution.name)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".institutions"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    query = request.args.get("q", "").strip()
    return _page("council/institutions.html", errors, form=form, query=query, kinds=INSTITUTION_KINDS,
                 linked=services.linked_institutions(), linked_ids=services.linked_institution_ids(),
                 results=services.search_institutions(query), county=g.municipality.county.name)


@bp.route("/municipal-council", methods=["GET", "POST"])
@scope("tenant")
def municipal_council():
    """Art. 5.2.d: the sessions at which the chair informed the Municipal Council."""
    errors: dict = {}
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            sessions.record_session(load_form(schemas.MunicipalCouncilSessionSchema(), request.form),
                                    user_id=current_user.id)
            db.session.commit()
            flash(_("The session of the Municipal Council was recorded."), "success")
            return redirect(url_for("council.municipal_council"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return _page("council/municipal_council.html", errors, form=form, sessions=sessions.list_sessions(),
                 today=services.today())


# --- Art. 13: every establishment decision, and the regulation's publication ---------------------------

from . import establishments as establishment_decisions  # noqa: E402


@bp.route("/establishments", methods=["GET", "POST"])
@scope("tenant")
def establishments():
    """The Municipal Council decisions that established the council or re-adopted its regulation."""
    errors: dict = {}
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            decision = establishment_decisions.create_decision(
                load_form(schemas.CouncilEstablishmentDecisionSchema(), request.form))
            db.session.commit()
            flash(_("Decision no. %(n)s was recorded.", n=decision.decision_number), "success")
            return redirect(url_for("council.establishments"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    decisions = establishment_decisions.list_decisions()
    current = establishment_decisions.in_force_on(decisions, services.today())
    return _page("council/establishments.html", errors, form=form, decisions=decisions, current=current,
                 today=services.today(), documents=list_documents())


@bp.route("/establishments/<int:establishment_id>", methods=["GET", "POST"])
@scope("tenant")
def establishment_decision(establishment_id: int):
    """One decision: correct it, or record the regulation's publication on the official website."""
    record = establishment_decisions.get_decision(establishment_id)
    errors: dict = {}
    form = {key: ("" if getattr(record, key) is None else getattr(record, key))
            for key in establishment_decisions.FIELDS}
    if request.method == "POST":
        form = request.form
        try:
            establishment_decisions.update_decision(
                record, load_form(schemas.CouncilEstablishmentDecisionSchema(), request.form))
            db.session.commit()
            flash(_("Decision no. %(n)s was saved.", n=record.decision_number), "success")
            return redirect(url_for("council.establishments"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            record = establishment_decisions.get_decision(establishment_id)
    return _page("council/establishment_decision.html", errors, form=form, record=record, today=services.today(),
                 documents=list_documents())


# --- Art. 4.1.e: the parties represented in the Municipal Council ------------------------------------------

from . import parties as council_parties  # noqa: E402


@bp.route("/parties", methods=["GET", "POST"])
@scope("tenant")
def parties():
    """The political parties represented in the Municipal Council, each with its category-(e) member."""
    errors: dict = {}
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            party = council_parties.create_party(load_form(schemas.MunicipalCouncilPartySchema(), request.form))
            db.session.commit()
            flash(_("%(name)s was recorded.", name=party.name), "success")
            return redirect(url_for("council.parties"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return _party_page(errors, form, None)


@bp.route("/parties/<int:party_id>", methods=["GET", "POST"])
@scope("tenant")
def party(party_id: int):
    record = council_parties.get_party(party_id)
    errors: dict = {}
    form = {key: ("" if getattr(record, key) is None else getattr(record, key)) for key in council_parties.FIELDS}
    if request.method == "POST":
        form = request.form
        try:
            council_parties.update_party(record, load_form(schemas.MunicipalCouncilPartySchema(), request.form))
            db.session.commit()
            flash(_("%(name)s was saved.", name=record.name), "success")
            return redirect(url_for("council.parties"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            record = council_parties.get_party(party_id)
    return _party_page(errors, form, record)


def _party_page(errors, form, record):
    members = [m for m in services.list_members() if m.category == "e"]
    return _page("council/parties.html", errors, form=form, record=record, parties=council_parties.list_parties(),
                 members=members, today=services.today())
