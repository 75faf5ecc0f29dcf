"""Web pages: the risk register.

  /<municipality>/risks/             the register, a new risk from concerns (POST)
  /<municipality>/risks/<id>         a risk: its rating history, evidence, concerns; rate, cite, edit (POST)
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..areas.services import list_areas
from ..concerns import services as concerns
from ..documents.services import list_documents
from ..errors import FormErrors
from ..extensions import db
from ..schemas import load_form
from ..tenancy.web import require_ids, scope
from . import services
from .models import Risk
from .schemas import EvidenceSchema, RatingSchema, RiskPatchSchema, RiskSchema

bp = Blueprint("risks", __name__, url_prefix="/<municipality>/risks", template_folder="templates")
require_ids(bp, {"risk_id": Risk})


def _context(**extra):
    from ..plans.monitoring import user_names

    return {"intensities": services.INTENSITY_LABELS, "evidence_kinds": services.EVIDENCE_LABELS,
            "categories": concerns.list_categories(), "areas": list_areas(),
            "category_name": concerns.category_name, "intensity_label": services.intensity_label,
            "meetings": concerns.consultation_meetings(), "user_names": user_names, **extra}


@bp.route("/", methods=["GET", "POST"])
@scope("tenant")
def index():
    errors, form, status = {}, {}, 422
    if request.method == "POST":
        form = request.form
        try:
            risk = services.create_risk(load_form(RiskSchema(), form), user_id=current_user.id)
            db.session.commit()
            flash(_("The risk was added to the register."), "success")
            return redirect(url_for(".detail", risk_id=risk.id))
        except FormErrors as exc:
            db.session.rollback()
            errors, status = exc.errors, exc.status  # 403 when the person may not
    return render_template("risks/index.html", risks=services.list_risks(), errors=errors, form=form,
                           open_concerns=services.unlinked_accepted_concerns(),
                           **_context()), (status if errors else 200)


@bp.route("/<int:risk_id>", methods=["GET", "POST"])
@scope("tenant")
def detail(risk_id: int):
    risk = services.get_risk(risk_id) or abort(404)
    errors, form, status = {}, {}, 422
    if request.method == "POST":
        form = request.form
        action = form.get("action")
        try:
            if action == "rate":
                rating = load_form(RatingSchema(), form)
                services.rate_risk(risk, rating["intensity"], rating["reason"],
                                   meeting_id=rating.get("meeting_id"), user_id=current_user.id)
                message = _("The rating was recorded.")
            elif action == "evidence":
                services.add_evidence(risk, load_form(EvidenceSchema(), form), user_id=current_user.id)
                message = _("The evidence was added.")
            elif action == "concerns":
                services.set_concerns(risk, load_form(RiskPatchSchema(only=("concern_ids",)), form).get("concern_ids", []))
                message = _("The concerns behind the risk were saved.")
            else:
                services.update_risk(risk, load_form(RiskPatchSchema(), form))
                message = _("The risk was saved.")
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".detail", risk_id=risk.id))
        except FormErrors as exc:
            db.session.rollback()
            errors, status = exc.errors, exc.status  # 403 when the person may not
            risk = services.get_risk(risk_id)
    linked = {link.concern_id for link in risk.concern_links}
    choosable = [c for c in concerns.list_concerns(status="accepted")]
    return render_template("risks/detail.html", risk=risk, errors=errors, form=form, action=form.get("action"),
                           linked=linked, choosable=choosable, documents=list_documents(),
                           **_context()), (status if errors else 200)
