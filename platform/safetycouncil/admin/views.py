"""Platform administration: municipalities (tenants) and accounts."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from .. import jobs
from ..accounts import services, two_factor
from ..accounts.models import RoleAssignment, User
from ..accounts.roles import COUNTY_ROLES, MUNICIPALITY_ROLES, ROLE_LABELS, Role
from ..data_protection.services import log_contacts_shown
from ..extensions import db
from ..municipalities.models import County, Municipality
from ..tenancy.web import scope

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def _choices():
    return {
        "roles": ROLE_LABELS,
        "municipalities": db.session.execute(select(Municipality).order_by(Municipality.name)).scalars().all(),
        "counties": db.session.execute(select(County).order_by(County.name)).scalars().all(),
        "municipality_roles": {str(r) for r in MUNICIPALITY_ROLES},
        "county_roles": {str(r) for r in COUNTY_ROLES},
    }


def _grant_from_form(user: User, form) -> None:
    role = form.get("role", "")
    municipality = county = None
    if role in MUNICIPALITY_ROLES:
        municipality = db.session.get(Municipality, form.get("municipality_id", type=int) or 0)
        if municipality is None:
            raise services.AccountError(_("Choose the municipality for this role."))
    elif role in COUNTY_ROLES:
        county = db.session.get(County, form.get("county_id", type=int) or 0)
        if county is None:
            raise services.AccountError(_("Choose the county for this role."))
    services.grant_role(user, role, municipality=municipality, county=county, granted_by=current_user)


@bp.route("/")
@scope("admin")
def index():
    municipalities = db.session.execute(
        select(Municipality).join(County).order_by(County.name, Municipality.name)).scalars().all()
    return render_template("admin/index.html", municipalities=municipalities)


@bp.route("/users")
@scope("admin")
def users():
    q = (request.args.get("q") or "").strip()
    query = select(User).order_by(User.name).limit(200)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(User.email.like(like), User.name.ilike(like)))
    people = db.session.execute(query).scalars().all()
    log_contacts_shown("User", people, ["email"])  # the list shows e-mail addresses
    return render_template("admin/users.html", users=people, q=q)


@bp.route("/users/new", methods=["GET", "POST"])
@scope("admin")
def invite():
    error, form = None, request.form
    if request.method == "POST":
        try:
            user = services.create_user(form.get("email", ""), form.get("name", ""), locale=form.get("locale", "sq"))
            _grant_from_form(user, form)
            services.invite(user)  # commits, then sends
            flash(_("The invitation was sent to %(email)s.", email=user.email), "success")
            return redirect(url_for(".user", user_id=user.id))
        except services.AccountError as exc:
            db.session.rollback()
            error = str(exc)
    return render_template("admin/invite.html", error=error, form=form, **_choices()), (422 if error else 200)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@scope("admin")
def user(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    error = None
    if request.method == "POST":
        action = request.form.get("action")
        try:
            if action == "grant":
                _grant_from_form(person, request.form)
                flash(_("The role was granted."), "success")
            elif action == "revoke":
                assignment = db.session.get(RoleAssignment, request.form.get("assignment_id", type=int) or 0)
                if assignment is None or assignment.user_id != person.id:
                    abort(404)
                services.revoke_role(assignment)
                flash(_("The role was withdrawn."), "success")
            elif action in ("disable", "enable"):
                if person.id == current_user.id:
                    raise services.AccountError(_("You cannot disable your own account."))
                services.set_active(person, action == "enable")
                flash(_("The account was enabled.") if action == "enable" else _("The account was disabled."), "success")
            elif action == "reset_two_factor":
                two_factor.reset(person)
                two_factor.allow_enrolment(person)  # the password alone no longer enrols
                services.end_all_sessions(person)
                flash(_("Two-factor sign-in was reset: the person sets it up again at the next sign-in."), "success")
            elif action == "reinvite":
                services.invite(person)
                flash(_("A new invitation was sent to %(email)s.", email=person.email), "success")
                return redirect(url_for(".user", user_id=person.id))
            else:
                abort(400)
            db.session.commit()
            return redirect(url_for(".user", user_id=person.id))
        except services.AccountError as exc:
            db.session.rollback()
            error = str(exc)
    log_contacts_shown("User", [person], ["email"])
    return render_template("admin/user.html", person=person, error=error, form={}, **_choices()), (422 if error else 200)


@bp.route("/jobs")
@scope("admin")
def jobs_page():
    in_process = current_app.config["JOBS_IN_PROCESS"]
    failed = [] if in_process else jobs.failed_jobs()
    names = {}
    if failed:
        ids = {j["municipality_id"] for j in failed if j["municipality_id"]}
        names = dict(db.session.execute(select(Municipality.id, Municipality.name).where(
            Municipality.id.in_(ids))).all()) if ids else {}
    return render_template("admin/jobs.html", in_process=in_process, failed=failed, names=names)


@bp.route("/jobs/<job_id>/retry", methods=["POST"])
@scope("admin")
def retry_job(job_id: str):
    if current_app.config["JOBS_IN_PROCESS"]:
        abort(404)
    try:
        jobs.retry_failed(job_id)
    except LookupError:
        abort(404, description=_("There is no failed job with this id (it may have been retried already)."))
    except Exception as exc:  # rq's NoSuchJobError and the like
        if type(exc).__name__ == "NoSuchJobError":
            abort(404, description=_("There is no failed job with this id (it may have been retried already)."))
        raise
    flash(_("The job was queued again."), "success")
    return redirect(url_for(".jobs_page"))


del Role
