"""Web pages: the municipality's documents."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.roles import Permission
from ..errors import ValidationFailed
from ..extensions import db
from ..tenancy.web import scope
from . import services
from .download import send_document

bp = Blueprint("documents", __name__, url_prefix="/<municipality>/documents", template_folder="templates")


@bp.route("/", methods=["GET", "POST"])
@scope("tenant", write=Permission.UPLOAD)
def index():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        upload = request.files.get("file")
        try:
            services.store_document(form.get("title", ""), upload.filename if upload else "",
                                    upload.stream if upload else b"", uploaded_by_id=current_user.id)
            db.session.commit()
            flash(_("The document was uploaded."), "success")
            return redirect(url_for(".index"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("documents/index.html", documents=services.list_documents(), errors=errors,
                           form=form), (422 if errors else 200)


@bp.route("/<int:document_id>/download")
@scope("tenant")
def download(document_id: int):
    document = services.get_document(document_id) or abort(404)
    return send_document(document)
