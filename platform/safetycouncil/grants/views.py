"""Web pages of community grants.

  /<municipality>/grants/                          calls; draft a call (POST)
  /<municipality>/grants/calls/<call_id>           a call: edit, open, close, committee, eligibility, ranking,
                                                   proposal, the council's decision, awards
  /<municipality>/grants/applications/<id>         an application: eligibility per criterion, the award
  /<municipality>/grants/awards/<award_id>         an award: tranches, disbursements, reports reviewed
  /<municipality>/grants/attachments/<id>          a file of an application or a report
  /national/grants                                 the Ministry: amounts by county and by plan area
  /prefecture/<county>/grants                      the Prefecture: its county's calls, awards, amounts
  /<municipality>/grants/calls/<id>/documents     attach or replace a document of a call (POST)
  /<municipality>/grants/call-documents/<id>       a document of a call, any version
  /public/<municipality>/grants/calls/<call_id>/documents/<id>  a current document of an open call
  /public/<municipality>/grants/                   open calls and the register of awards
  /public/<municipality>/grants/calls/<call_id>    a call, and its application form (no account)
  /public/<municipality>/grants/application/<raw>  the applicant's private page (follow, complete, report)
  /public/<municipality>/grants/score/<raw>        a scorer's private page (declare, score)
  /public/<municipality>/grants/awards.<fmt>       the register as open data (CSV, JSON, with the licence)
"""
from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import FormErrors, ValidationFailed
from ..extensions import db, limiter
from ..tenancy import tenant
from ..tenancy.web import require_ids, scope
from ..timeutil import local_today, utcnow
from . import notifications, schemas, services
from .models import GrantApplication, GrantAttachment, GrantAward, GrantCall

bp = Blueprint("grants", __name__, template_folder="templates")
require_ids(bp, {"call_id": GrantCall, "application_id": GrantApplication, "award_id": GrantAward,
                 "attachment_id": GrantAttachment})


@bp.app_template_global()
def grant_awards_for(activity_id: int) -> list:
    """(award, progress) of the community grants funding a plan activity (one query), for its monitoring."""
    awards = services.grants_for_activities([activity_id]).get(activity_id, [])
    return [(award, services.progress(award)) for award in awards]


@bp.app_template_global()
def grant_money(amount) -> str:
    return services.money(amount)


def _helpers(**extra) -> dict:
    return {"money": services.money, "call_labels": services.status_labels(),
            "application_labels": services.application_labels(), "report_labels": services.report_labels(),
            "activity_label": services.activity_label, "today": local_today(), **extra}


def _files(field: str = "attachments"):
    return [(f.filename, f.stream) for f in request.files.getlist(field) if f and f.filename]


def _form_id(form, name: str) -> int:
    """A row id from a form field: a whole number within 32 bits, or 0 (no row)."""
    value = str(form.get(name) or "")
    return int(value) if value.isdigit() and len(value) <= 10 and int(value) < 2**31 else 0


# --- staff -------------------------------------------------------------------------------------

@bp.route("/<municipality>/grants/", methods=["GET", "POST"])
@scope("tenant")
def index():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            call = services.create_call(schemas.load(schemas.CALL, schemas.call_from_form(form)),
                                        user_id=current_user.id)
            db.session.commit()
            flash(_("The call was saved as a draft. Check it, then open it to publish it."), "success")
            return redirect(url_for(".call", call_id=call.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("grants/index.html", calls=services.list_calls(), errors=errors, form=form,
                           activities=services.activity_choices(), **_helpers()), (422 if errors else 200)


@bp.route("/<municipality>/grants/calls/<int:call_id>", methods=["GET", "POST"])
@scope("tenant")
def call(call_id: int):
    call_row = services.get_call(call_id) or abort(404)
    errors, form, status = {}, {}, 200
    if request.method == "POST":
        form, action = request.form, request.form.get("action")
        try:
            if action == "update":
                services.update_call(call_row, schemas.load(schemas.CALL, schemas.call_from_form(form)))
                message = _("The call was saved.")
            elif action == "open":
                services.open_call(call_row)
                message = _("The call is open: it is on the public page and in the open data.")
            elif action == "close":
                services.close_call(call_row)
                message = _("The call is closed: no more applications are accepted.")
            elif action == "add_member":
                scorer = services.add_member(call_row, name=form.get("name"), email=form.get("email"),
                                             council_member_id=int(form["council_member_id"])
                                             if str(form.get("council_member_id", "")).isdigit() else None)
                db.session.commit()
                notifications.send_scorer_link(scorer)
                flash(_("The scorer was added and received their private link by e-mail."), "success")
                return redirect(url_for(".call", call_id=call_id))
            elif action in ("remove_member", "resend_member"):
                scorer = services.get_member(_form_id(form, "member_id"))
                if scorer is None or scorer.call_id != call_row.id:
                    abort(404)
                if action == "resend_member":
                    notifications.send_scorer_link(scorer, again=True)
                    flash(_("A new private link was sent to %(name)s; the earlier one no longer works.",
                            name=scorer.name), "success")
                    return redirect(url_for(".call", call_id=call_id))
                services.remove_member(scorer)
                message = _("The scorer was taken off the committee.")
            elif action == "propose":
                chosen = services.propose(call_row)
                message = _("The committee's proposal: %(count)s applications.", count=len(chosen))
            elif action == "approve":
                services.approve_proposal(call_row, int(form["decision_id"])
                                          if str(form.get("decision_id", "")).isdigit() else None)
                message = _("The council's decision is recorded: the call is decided.")
            else:
                abort(400)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".call", call_id=call_id))
        except FormErrors as exc:
            db.session.rollback()
            errors, status = exc.errors, exc.status
            call_row = services.get_call(call_id)
    return _render_call(call_row, errors, form, status)


def _render_call(call_row, errors: dict, form, status: int, **extra):
    from ..council.models import CouncilMember

    members = list(db.session.execute(db.select(CouncilMember).order_by(CouncilMember.full_name)).scalars())
    return render_template("grants/call.html", call=call_row, errors=errors, form=form,
                           applications=services.list_applications(call_row),
                           committee=services.committee(call_row), ranking=services.ranking(call_row),
                           awards=services.list_awards(call_row), decisions=services.decision_choices(),
                           council_members=members, activities=services.activity_choices(),
                           **_helpers(), **extra), status


@bp.route("/<municipality>/grants/applications/<int:application_id>", methods=["GET", "POST"])
@scope("tenant")
def application(application_id: int):
    row = services.get_application(application_id) or abort(404)
    errors, form = {}, {}
    if request.method == "POST":
        form, action = request.form, request.form.get("action")
        try:
            if action == "eligibility":
                results = {}
                for criterion in row.call.eligibility_criteria:
                    value = form.get(f"criterion_{criterion.id}")
                    if value in ("yes", "no"):
                        results[criterion.id] = (value == "yes", (form.get(f"note_{criterion.id}") or "").strip()
                                                 or None)
                services.record_eligibility(row, results, user_id=current_user.id)
                message = _("The eligibility check is recorded.")
            elif action == "award":
                award = services.create_award(row, schemas.load(schemas.AWARD, schemas.award_from_form(form)))
                db.session.commit()
                flash(_("The award is recorded with its tranches."), "success")
                return redirect(url_for(".award", award_id=award.id))
            else:
                abort(400)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".application", application_id=application_id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            row = services.get_application(application_id)
    return render_template("grants/application.html", application=row, errors=errors, form=form,
                           checks=services.eligibility_checks(row), award=services.award_of(row),
                           **_helpers()), (422 if errors else 200)


@bp.route("/<municipality>/grants/awards/<int:award_id>", methods=["GET", "POST"])
@scope("tenant")
def award(award_id: int):
    row = services.get_award(award_id) or abort(404)
    errors, form = {}, {}
    if request.method == "POST":
        form, action = request.form, request.form.get("action")
        try:
            if action == "disburse":
                tranche = services.get_tranche(int(form.get("tranche_id") or 0))
                if tranche is None or tranche.award_id != row.id:
                    abort(404)
                from ..schemas import day, integer, load_fields

                paid = load_fields({"disbursed_on": form.get("disbursed_on"),
                                    "disbursed_amount": schemas._amount(form.get("disbursed_amount"))},
                                   on=day(_("Enter the day the money was paid (not in the future)."),
                                          data_key="disbursed_on"),
                                   amount=integer(data_key="disbursed_amount"))
                services.disburse(tranche, **paid, user_id=current_user.id)
                message = _("The disbursement is recorded.")
            elif action == "review":
                report = services.get_report(int(form.get("report_id") or 0))
                if report is None or report.award_id != row.id:
                    abort(404)
                services.review_report(report, decision=form.get("decision", ""), comment=form.get("comment"),
                                       user_id=current_user.id)
                message = _("The report was accepted.") if report.status == "accepted" else \
                    _("The report was returned to the grantee with your comments.")
            else:
                abort(400)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".award", award_id=award_id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            row = services.get_award(award_id)
    return render_template("grants/award.html", award=row, errors=errors, form=form,
                           progress=services.progress(row), **_helpers()), (422 if errors else 200)


def send_stored(attachment) -> Response:
    """A stored file (an attachment, a document of a call) as a download, never cached by others."""
    from ..storage import storage

    response = Response(storage().chunks(attachment.storage_key), mimetype=attachment.content_type,
                        direct_passthrough=True)
    response.headers["Content-Disposition"] = f'attachment; filename="{attachment.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<municipality>/grants/attachments/<int:attachment_id>")
@scope("tenant")
def attachment(attachment_id: int):
    return send_stored(services.get_attachment(attachment_id) or abort(404))


# --- the Ministry ------------------------------------------------------------------------------

@bp.route("/national/grants")
@scope("national")
def national():
    from .oversight import totals

    return render_template("grants/national.html", **totals(), money=services.money)


# --- the public, applicants and scorers --------------------------------------------------------

def _public_limit() -> str:
    return current_app.config.get("PUBLIC_GRANT_RATE_LIMIT", "10 per hour")


@bp.route("/public/<municipality>/grants/")
@scope("public")
def public_index():
    with tenant(g.municipality.id):
        calls = services.public_calls()
        register = services.public_register()
        return render_template("grants/public_index.html", municipality=g.municipality, calls=calls,
                               register=register, accepting=services.accepting, **_helpers())


def _public_call(call_id: int) -> GrantCall:
    row = services.get_call(call_id)
    if row is None or row.status == "draft":
        abort(404)
    return row


@bp.route("/public/<municipality>/grants/calls/<int:call_id>", methods=["GET", "POST"])
@scope("public")
@limiter.limit(_public_limit, methods=["POST"])
def public_call(call_id: int):
    errors, form = {}, {}
    with tenant(g.municipality.id):
        row = _public_call(call_id)
        if request.method == "POST":
            form = request.form
            if form.get("website"):  # the honeypot
                return redirect(url_for(".public_index", municipality=g.municipality.slug))
            try:
                services.refuse_if_not_accepting(row)
                data = schemas.load(schemas.APPLICATION, schemas.application_from_form(form))
                application_row, token = services.submit_application(row, data, _files())
                db.session.commit()
                notifications.confirm_application(application_row, token)
                return redirect(url_for(".public_application", municipality=g.municipality.slug, raw=token,
                                        sent=1))
            except ValidationFailed as exc:
                db.session.rollback()
                errors = exc.errors
                row = _public_call(call_id)
        return render_template("grants/public_call.html", municipality=g.municipality, call=row, errors=errors,
                               form=form, accepting=services.accepting(row),
                               activities=services.activity_choices(row), lines=_line_rows(form),
                               **_helpers()), (422 if errors else 200)


@bp.route("/public/<municipality>/grants/calls/<int:call_id>/link", methods=["POST"])
@scope("public")
@limiter.limit(lambda: current_app.config.get("PUBLIC_GRANT_LINK_AGAIN_RATE_LIMIT", "5 per hour"))
@limiter.limit(lambda: current_app.config.get("PUBLIC_GRANT_LINK_AGAIN_ADDRESS_LIMIT", "3 per hour"),
               key_func=lambda: _address_key())
def public_link_again(call_id: int):
    """"Send my link again" (applicants and scorers of the call): a new private link by e-mail, if the
    address holds one; the answer is the same either way, so nobody learns who applied."""
    with tenant(g.municipality.id):
        row = _public_call(call_id)
        notifications.send_links_again(row, request.form.get("email", ""))
        flash(_("If this e-mail address applied to this call or scores its applications, a new private link is "
                "on its way there. The earlier link no longer works once the new one arrives."), "success")
        return redirect(url_for(".public_call", municipality=g.municipality.slug, call_id=call_id))


def _address_key() -> str:
    """One address's requests for a new link, from wherever they come (so nobody can keep replacing someone
    else's link); the address is hashed, never kept in clear by the limiter."""
    import hashlib

    email = (request.form.get("email") or "").strip().lower()
    return "grant-link:" + hashlib.sha256(email.encode("utf-8")).hexdigest()


def _line_rows(form, application=None, count: int = 5) -> list[dict]:
    if form:
        rows = [{"description": d, "amount": a, "cofinanced": c} for d, a, c in zip(
            form.getlist("line_description"), form.getlist("line_amount"), form.getlist("line_cofinanced"),
            strict=False)]
    elif application is not None:
        rows = [{"description": b.description, "amount": b.amount, "cofinanced": b.cofinanced}
                for b in application.budget_lines]
    else:
        rows = []
    return rows + [{"description": "", "amount": "", "cofinanced": ""}] * max(0, count - len(rows))


@bp.route("/public/<municipality>/grants/application/<raw>", methods=["GET", "POST"])
@scope("public")
@limiter.limit(lambda: current_app.config.get("PUBLIC_GRANT_LINK_RATE_LIMIT", "60 per hour"))
def public_application(raw: str):
    errors, form = {}, {}
    with tenant(g.municipality.id):
        row = services.application_by_token(raw) or abort(404)
        award_row = services.award_of(row)
        if request.method == "POST":
            form, action = request.form, request.form.get("action")
            try:
                if action == "report" and award_row is not None:
                    from ..schemas import integer, load_fields

                    spent = load_fields({"spent": schemas._amount(form.get("spent"))}, spent=integer())["spent"]
                    services.submit_report(award_row, kind=form.get("kind", ""), text=form.get("text", ""),
                                           spent=spent, files=_files())
                    message = _("Your report was sent. The municipality will review it.")
                else:
                    data = schemas.load(schemas.APPLICATION, schemas.application_from_form(form))
                    services.update_application(row, data, _files())
                    message = _("Your application was saved.")
                db.session.commit()
                flash(message, "success")
                return redirect(url_for(".public_application", municipality=g.municipality.slug, raw=raw))
            except ValidationFailed as exc:
                db.session.rollback()
                errors = exc.errors
                row = services.application_by_token(raw)
                award_row = services.award_of(row)
        return render_template("grants/public_application.html", municipality=g.municipality, application=row,
                               call=row.call, award=award_row, errors=errors, form=form,
                               accepting=services.accepting(row.call), sent=request.args.get("sent"),
                               activities=services.activity_choices(row.call), lines=_line_rows(form, row),
                               **_helpers()), (422 if errors else 200)


@bp.route("/public/<municipality>/grants/score/<raw>", methods=["GET", "POST"])
@scope("public")
@limiter.limit(lambda: current_app.config.get("PUBLIC_GRANT_LINK_RATE_LIMIT", "60 per hour"))
def public_scoring(raw: str):
    errors, form = {}, {}
    with tenant(g.municipality.id):
        scorer = services.member_by_token(raw) or abort(404)
        call_row = services.get_call(scorer.call_id)
        if request.method == "POST":
            form, action = request.form, request.form.get("action")
            try:
                if action == "declare":
                    if form.get("no_conflict") != "1":
                        raise ValidationFailed({"no_conflict": _(
                            "Tick the declaration to see the applications.")})
                    services.declare_no_conflict(scorer)
                    message = _("Thank you. You can now see and score the applications.")
                else:
                    target = services.get_application(int(form.get("application_id") or 0))
                    if target is None or target.call_id != scorer.call_id:
                        abort(404)
                    if action == "conflict":
                        services.declare_conflict(scorer, target, form.get("reason", ""))
                        message = _("Your conflict of interest is recorded: you will not score this application.")
                    else:
                        values = {}
                        for criterion in call_row.scoring_criteria:
                            raw_score = (form.get(f"score_{criterion.id}") or "").strip()
                            values[criterion.id] = (int(raw_score) if raw_score.isdigit() else None,
                                                    form.get(f"comment_{criterion.id}"))
                        services.record_scores(scorer, target, values)
                        message = _("Your scores were saved.")
                db.session.commit()
                flash(message, "success")
                return redirect(url_for(".public_scoring", municipality=g.municipality.slug, raw=raw))
            except ValidationFailed as exc:
                db.session.rollback()
                errors = exc.errors
        return render_template("grants/public_scoring.html", municipality=g.municipality, scorer=scorer,
                               call=call_row, applications=services.applications_for_scorer(scorer),
                               scores=services.scores_of(scorer), errors=errors, form=form,
                               **_helpers()), (422 if errors else 200)


@bp.route("/public/<municipality>/grants/awards.<any(csv, json):fmt>")
@scope("public")
def public_open_data(fmt: str):
    from ..crime_statistics import OPEN_DATA_LICENCE, OPEN_DATA_LICENCE_URL
    from ..public.opendata import _cell

    with tenant(g.municipality.id):
        rows = services.public_register()
    columns = ["id", "call", "organisation", "nipt", "project", "purpose", "activity", "amount", "disbursed",
               "signed_on", "status", "results"]
    headers = {"Content-Disposition": f'attachment; filename="grants-{g.municipality.slug}.{fmt}"',
               "Link": f'<{OPEN_DATA_LICENCE_URL}>; rel="license"'}
    items = [{c: (r[c].isoformat() if hasattr(r[c], "isoformat") else r[c]) for c in columns} for r in rows]
    if fmt == "json":
        body = {"dataset": "grants",
                "municipality": {"slug": g.municipality.slug, "name": g.municipality.name,
                                 "county": g.municipality.county.name},
                "title": _("Community grants awarded: %(name)s", name=g.municipality.name),
                "source": _("Local Public Safety Council of %(name)s", name=g.municipality.name),
                "licence": {"name": OPEN_DATA_LICENCE, "url": OPEN_DATA_LICENCE_URL},
                "generated_at": utcnow().isoformat(timespec="seconds") + "Z", "columns": columns, "items": items}
        return Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/json",
                        headers=headers)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*columns, "licence"])
    for item in items:
        writer.writerow([_cell(item.get(c)) for c in columns] + [OPEN_DATA_LICENCE])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers=headers)


# --- the Prefecture ----------------------------------------------------------------------------

@bp.route("/prefecture/<county>/grants")
@scope("county")
def prefecture():
    """The county's calls, awards and amounts, by municipality (totals, no applicant's data)."""
    from .prefecture import county_totals

    return render_template("grants/prefecture.html", **county_totals(g.county), **_helpers())


# --- documents of a call -----------------------------------------------------------------------

from .models import GrantCallDocument  # noqa: E402 - appended with the documents of a call

require_ids(bp, {"call_document_id": GrantCallDocument})


@bp.app_template_global()
def grant_call_documents(call_row) -> dict:
    """The call's current documents and earlier versions (for the staff and public call pages)."""
    from . import call_documents

    return {"current": call_documents.current_documents(call_row), "earlier": call_documents.earlier_versions(call_row),
            "public": call_documents.is_public(call_row)}


@bp.route("/<municipality>/grants/calls/<int:call_id>/documents", methods=["POST"])
@scope("tenant")
def add_call_document(call_id: int):
    from . import call_documents

    call_row = services.get_call(call_id) or abort(404)
    replaces_id = request.form.get("replaces_id", "")
    try:
        replaces = call_documents.replaced_by_form(call_row, replaces_id)
    except LookupError:
        abort(404)
    upload = request.files.get("file")
    try:
        call_documents.add_document(call_row, request.form.get("title"), upload.filename if upload else None,
                                    upload.stream if upload and upload.filename else None,
                                    user_id=current_user.id, replaces=replaces)
        db.session.commit()
    except ValidationFailed as exc:  # the page again, with the typed title and the messages beside the fields
        db.session.rollback()
        errors = {k: " ".join(v) if isinstance(v, list) else v for k, v in exc.errors.items()}
        return _render_call(services.get_call(call_id), {}, {}, 422, document_errors=errors,
                            document_form={"title": request.form.get("title", ""), "replaces_id": replaces_id})
    flash(_("The document is attached to the call.") if replaces is None
          else _("The document is replaced; the earlier version is kept."), "success")
    return redirect(url_for(".call", call_id=call_id) + "#documents-heading")


@bp.route("/<municipality>/grants/call-documents/<int:call_document_id>")
@scope("tenant")
def call_document(call_document_id: int):
    from . import call_documents

    return send_stored(call_documents.get_document(call_document_id) or abort(404))


@bp.route("/public/<municipality>/grants/calls/<int:call_id>/documents/<int:call_document_id>")
@scope("public")
def public_call_document(call_id: int, call_document_id: int):
    from . import call_documents

    with tenant(g.municipality.id):
        row = _public_call(call_id)
        document = call_documents.public_document(row, call_document_id) or abort(404)
        response = send_stored(document)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


# --- the Ministry's programmes with lots -------------------------------------------------------

@bp.route("/national/grants/programmes", methods=["GET", "POST"])
@scope("national")
def national_programmes():
    """The Ministry's programmes: create one, add its lots (a municipality or a county), open it."""
    from flask_babel import format_decimal
    from sqlalchemy import select

    from ..municipalities.models import County, Municipality
    from ..schemas import load_form
    from . import programmes

    errors, form, status = {}, {}, 200
    if request.method == "POST":
        form = request.form
        action = form.get("action")
        try:
            if action == "create":
                programmes.create_programme(load_form(schemas.GrantProgrammeInSchema(), form), user_id=current_user.id)
                message = _("The programme is saved as a draft: add its lots, then open it.")
            else:
                programme = programmes.get_programme(int(form.get("programme_id") or 0)) if (
                    form.get("programme_id") or "").isdigit() else None
                if programme is None:
                    abort(404)
                if action == "add_lot":
                    kind, _sep, place = (form.get("place") or "").partition(":")
                    place_id = int(place) if place.isdigit() else None
                    found = {} if kind in ("m", "c") and place_id else {
                        "place": _("Choose one municipality or one county for the lot.")}
                    try:
                        data = load_form(schemas.GrantLotInSchema(), {
                            "title": form.get("title", ""), "budget": schemas._amount(form.get("budget")),
                            "max_per_grant": schemas._amount(form.get("max_per_grant"))})
                    except ValidationFailed as exc:
                        raise ValidationFailed(exc.errors | found) from None
                    if found:
                        raise ValidationFailed(found)
                    programmes.add_lot(programme, data | {"municipality_id": place_id if kind == "m" else None,
                                                          "county_id": place_id if kind == "c" else None})
                    message = _("The lot is added.")
                elif action == "open":
                    calls = programmes.open_programme(programme, user_id=current_user.id)
                    message = _("The programme is open: %(count)s councils have its draft call.",
                                count=format_decimal(len(calls)))
                else:
                    abort(400)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".national_programmes"))
        except FormErrors as exc:
            db.session.rollback()
            errors, status = exc.errors, exc.status
    rows = [(p, programmes.programme_totals(p)) for p in programmes.list_programmes()]
    municipalities = db.session.execute(select(Municipality).where(Municipality.active.is_(True))
                                        .order_by(Municipality.name)).scalars().all()
    counties = db.session.execute(select(County).order_by(County.name)).scalars().all()
    return render_template("grants/programmes_national.html", programmes=rows, money=services.money,
                           labels=services.status_labels(), errors=errors, form=form,
                           municipalities=municipalities, counties=counties), status


@bp.route("/public/grants/programmes")
@scope("public")
def public_programmes():
    from . import programmes

    rows = [(p, programmes.programme_lots(p)) for p in programmes.list_programmes(public=True)]
    return render_template("grants/programmes_public.html", programmes=rows, money=services.money)
