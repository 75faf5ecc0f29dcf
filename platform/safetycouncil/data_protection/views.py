"""Web pages of data protection.

  /national/data-protection                          national: the register of personal data, the retention
                                                     period of citizens' contacts, the erasures, archives
  /national/data-protection/archives                 national (POST): prepare a municipality's data archive
  /<municipality>/data-protection/archives           tenant: the municipality's data archives; prepare one
  /<municipality>/data-protection/archives/<id>/download   tenant: download one (written to the audit trail)

Archives hold every personal datum of the municipality: they are for the chair and the technical
secretary and for the Ministry (``export_data``), not for a Prefecture (data minimisation).
"""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from .. import jobs
from ..accounts.models import User
from ..accounts.roles import Permission
from ..errors import ValidationFailed
from ..extensions import db
from ..municipalities.models import Municipality
from ..tenancy import current_scope, read_across_tenants
from ..tenancy.web import scope
from . import archive, register, services
from .models import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, DataArchive

bp = Blueprint("data_protection", __name__, template_folder="templates")

STATUS_LABELS = {
    "preparing": _l("Being prepared"),
    "ready": _l("Ready"),
    "failed": _l("Failed: prepare it again"),
    "expired": _l("Deleted after its time"),
}


def retention_text(entry: register.Entry, days: int, keep_days: int) -> str:
    if entry.retention == register.CONTACT_RETENTION:
        return ngettext("%(num)d day after the concern was recorded, then the contact is erased automatically",
                        "%(num)d days after the concern was recorded, then the contact is erased automatically", days)
    if entry.retention == register.ARCHIVE_RETENTION:
        return ngettext("The file is deleted %(num)d day after it is made; the record of the export stays",
                        "The file is deleted %(num)d days after it is made; the record of the export stays", keep_days)
    return str(entry.retention)


def _keep_days() -> int:
    return int(current_app.config.get("DATA_ARCHIVE_KEEP_DAYS", 7))


# --- national ---------------------------------------------------------------------------------------

def _national_archives(limit: int = 50):
    with read_across_tenants():
        return db.session.execute(
            select(DataArchive, Municipality, User.name).join(Municipality, Municipality.id == DataArchive.municipality_id)
            .outerjoin(User, User.id == DataArchive.requested_by_id)
            .order_by(DataArchive.id.desc()).limit(limit)).all()


@bp.route("/national/data-protection", methods=["GET", "POST"])
@scope("national")
def national():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            days = services.set_contact_retention_days(form.get("retention_days"), updated_by_id=current_user.id)
            db.session.commit()
            flash(ngettext("Citizens' contact details are now kept for %(num)d day.",
                           "Citizens' contact details are now kept for %(num)d days.", days), "success")
            return redirect(url_for(".national"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    days = services.contact_retention_days()
    setting = services.retention_setting()
    set_by = db.session.get(User, setting.updated_by_id) if setting is not None and setting.updated_by_id else None
    return render_template(
        "data_protection/national.html", errors=errors, form=form, days=days, setting=setting, set_by=set_by,
        default_days=current_app.config["CONCERN_CONTACT_RETENTION_DAYS"], min_days=MIN_RETENTION_DAYS,
        max_days=MAX_RETENTION_DAYS, last_purge=services.last_purge(), recent_purges=services.recent_purges(),
        stored_contacts=services.stored_contacts(), register=register.entries(),
        no_personal_data=sorted(register.NO_PERSONAL_DATA.items()), retention_text=retention_text,
        keep_days=_keep_days(), archives=_national_archives(), statuses=STATUS_LABELS,
        municipalities=db.session.execute(select(Municipality).where(Municipality.active.is_(True))
                                          .order_by(Municipality.name)).scalars().all(),
    ), (422 if errors else 200)


@bp.route("/national/data-protection/archives", methods=["POST"])
@scope("national")
def national_archive():
    municipality = db.session.execute(select(Municipality).where(
        Municipality.id == request.form.get("municipality_id", type=int), Municipality.active.is_(True))
    ).scalar_one_or_none()
    if municipality is None:
        flash(_("Choose the municipality whose data to export."), "error")
        return redirect(url_for(".national") + "#archives")
    jobs.enqueue(archive.build_archive_job, municipality_id=municipality.id)
    flash(_("The data archive of %(name)s is being prepared. It appears in the list when it is ready.",
            name=municipality.name), "success")
    return redirect(url_for(".national") + "#archives")


# --- a municipality's archives -----------------------------------------------------------------------

def _can_prepare() -> bool:
    scope_value = current_scope()
    return scope_value is not None and not getattr(scope_value, "read_only", True)


@bp.route("/<municipality>/data-protection/archives", methods=["GET", "POST"])
@scope("tenant", read=Permission.EXPORT_DATA, write=Permission.EXPORT_DATA)
def archives():
    if request.method == "POST":
        if not _can_prepare():
            abort(403, description=_("Only the municipality's chair and technical secretary prepare its archive here; "
                                     "the Ministry prepares archives from its data-protection page."))
        jobs.enqueue(archive.build_archive_job, municipality_id=g.municipality.id)
        flash(_("The archive is being prepared. It appears in the list when it is ready."), "success")
        return redirect(url_for(".archives"))
    rows = archive.list_archives()
    requesters = {u.id: u.name for u in db.session.execute(select(User).where(
        User.id.in_({a.requested_by_id for a in rows if a.requested_by_id}))).scalars()}
    return render_template("data_protection/archives.html", archives=rows, requesters=requesters,
                           statuses=STATUS_LABELS, can_prepare=_can_prepare(), keep_days=_keep_days())


@bp.route("/<municipality>/data-protection/archives/<int:archive_id>/download")
@scope("tenant", read=Permission.EXPORT_DATA, write=Permission.EXPORT_DATA)
def download(archive_id: int):
    row = archive.get_archive(archive_id) or abort(404)
    data = archive.read_archive(row)
    if data is None:
        abort(404, description=_("This archive is not available: it is still being prepared, it failed, "
                                 "or it was deleted after its time."))
    archive.record_download(row)
    db.session.commit()
    response = Response(data, mimetype="application/zip")
    filename = archive.archive_filename(g.municipality.slug, row.requested_at)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
