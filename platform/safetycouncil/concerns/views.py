"""Web pages: the register of concerns, moderation, the national list of categories, and the public
form for citizens.

  /<municipality>/concerns/               the register (?status=, ?category=, ?area=), record a concern (POST)
  /<municipality>/concerns/moderation     concerns sent online, waiting for moderation
  /<municipality>/concerns/<id>           a concern, what became of it ("you said, we did"), edit / moderate (POST)
  /national/risk-categories               the Ministry's national list: add (POST)
  /national/risk-categories/<id>          rename, retire or restore (POST)
  /public/<municipality>/concern          citizens send a concern (honeypot, rate limit)
  /public/<municipality>/concern/sent     what happens next
"""
from flask import (
    Blueprint,
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
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from ..accounts.roles import Permission
from ..areas.services import list_areas
from ..data_protection.services import log_personal_data_viewed
from ..errors import ValidationFailed
from ..extensions import db, limiter
from ..schemas import load_form
from ..tenancy import tenant
from ..tenancy.web import require_ids, scope
from . import services
from .models import Concern, RiskCategory
from .schemas import CategorySchema, ConcernSchema, ModerationSchema, PublicConcernSchema

bp = Blueprint("concerns", __name__, template_folder="templates")
require_ids(bp, {"concern_id": Concern, "category_id": RiskCategory})


def _int(raw) -> int | None:
    return int(raw) if raw and str(raw).isdigit() else None


def _form_context(**extra):
    return {"areas": list_areas(), "categories": services.list_categories(), "sources": services.SOURCE_LABELS,
            "meetings": services.consultation_meetings(), "statuses": services.STATUS_LABELS,
            "channels": services.CHANNEL_LABELS, "category_name": services.category_name, **extra}


@bp.route("/<municipality>/concerns/", methods=["GET", "POST"])
@scope("tenant")
def index():
    errors, form = {}, {"meeting_id": request.args.get("meeting", "")}
    if request.method == "POST":
        form = request.form
        try:
            concern = services.record_concern(load_form(ConcernSchema(), form), recorded_by_id=current_user.id)
            db.session.commit()
            flash(_("The concern was recorded."), "success")
            return redirect(url_for(".index", meeting=concern.meeting_id or None))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    status = request.args.get("status") or None
    concerns = services.list_concerns(status=status if status in services.STATUS_LABELS else None,
                                      category_id=_int(request.args.get("category")),
                                      area_id=_int(request.args.get("area")))
    text_filter = (request.args.get("q") or "").strip()
    if text_filter:  # Albanian-aware: "Korce" also finds "Korçë"
        from ..search.services import matches_text

        concerns = [c for c in concerns if matches_text(f"{c.text} {c.source_name or ''}", text_filter)]
    return render_template("concerns/index.html", concerns=concerns, errors=errors, form=form, status=status,
                           pending=services.count_pending(),
                           **_form_context()), (422 if errors else 200)


@bp.route("/<municipality>/concerns/moderation", methods=["GET", "POST"])
@scope("tenant")
def moderation():
    if request.method == "POST":  # bulk moderation: the chosen concerns accepted, or rejected with one note
        try:
            moderation = load_form(ModerationSchema(), request.form)
            count = services.moderate_many(request.form.getlist("concern_ids"), moderation["decision"],
                                           moderation.get("note"), user_id=current_user.id)
            db.session.commit()
            flash(ngettext("%(num)d concern moderated.", "%(num)d concerns moderated.", count), "success")
            return redirect(url_for(".moderation"))
        except ValidationFailed as exc:
            db.session.rollback()
            for message in exc.errors.values():
                flash(message, "error")
    concerns = services.list_concerns(status="pending_moderation")
    if Permission.MANAGE_RECORDS in g.permissions:
        log_personal_data_viewed("Concern", [c.id for c in concerns if c.contact], ["contact"])
        db.session.commit()
    return render_template("concerns/moderation.html", concerns=concerns, **_form_context())


@bp.route("/<municipality>/concerns/<int:concern_id>", methods=["GET", "POST"])
@scope("tenant")
def detail(concern_id: int):
    from ..plans.monitoring import STATUS_LABELS as PROGRESS_LABELS
    from ..plans.monitoring import you_said_we_did
    from ..risks.services import intensity_label

    concern = services.get_concern(concern_id) or abort(404)
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            if form.get("action") == "moderate":
                moderation = load_form(ModerationSchema(), form)
                services.moderate_concern(concern, moderation["decision"], moderation.get("note"),
                                          user_id=current_user.id)
                message = _("The concern was accepted.") if concern.status == "accepted" else \
                    _("The concern was rejected.")
            else:
                services.update_concern(concern, load_form(ConcernSchema(), form))
                message = _("The concern was saved.")
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".detail", concern_id=concern.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            concern = services.get_concern(concern_id)
    if concern.contact and Permission.MANAGE_RECORDS in g.permissions:
        log_personal_data_viewed("Concern", [concern.id], ["contact"])
        db.session.commit()
    return render_template("concerns/detail.html", concern=concern, errors=errors, form=form or {},
                           outcome=you_said_we_did(concern), progress_labels=PROGRESS_LABELS,
                           intensity_label=intensity_label, **_form_context()), (422 if errors else 200)


# --- the Ministry's national list ---------------------------------------------------------------

@bp.route("/national/risk-categories", methods=["GET", "POST"])
@scope("national")
def categories():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            services.create_category(load_form(CategorySchema(), form))
            db.session.commit()
            flash(_("The category was added to the national list."), "success")
            return redirect(url_for(".categories"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("concerns/categories.html", categories=services.list_categories(include_retired=True),
                           errors=errors, form=form), (422 if errors else 200)


@bp.route("/national/risk-categories/<int:category_id>", methods=["POST"])
@scope("national")
def category(category_id: int):
    category_row = services.get_category(category_id) or abort(404)
    action = request.form.get("action")
    try:
        if action == "retire":
            services.update_category(category_row, active=False)
            message = _("The category was retired: it is no longer offered for new concerns.")
        elif action == "restore":
            services.update_category(category_row, active=True)
            message = _("The category is offered again.")
        else:
            services.update_category(category_row, load_form(CategorySchema(), request.form))
            message = _("The category was renamed.")
        db.session.commit()
        flash(message, "success")
    except ValidationFailed as exc:
        db.session.rollback()
        flash("; ".join(exc.errors.values()), "error")
    return redirect(url_for(".categories"))


# --- citizens ---------------------------------------------------------------------------------

def _public_limit() -> str:
    return current_app.config.get("PUBLIC_CONCERN_RATE_LIMIT", "5 per hour")


@bp.route("/public/<municipality>/concern", methods=["GET", "POST"])
@scope("public")
@limiter.limit(_public_limit, methods=["POST"])
def public_form():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        if form.get("website"):  # the honeypot: people never fill a field they cannot see
            return redirect(url_for(".public_sent", municipality=g.municipality.slug))
        try:
            with tenant(g.municipality.id):
                data = load_form(PublicConcernSchema(), form)
                concern = services.submit_public_concern(data["text"], data["area_id"], data["category_id"],
                                                         data.get("contact"))
                reference = concern.reference
                db.session.commit()
            return redirect(url_for(".public_sent", municipality=g.municipality.slug, reference=reference))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("concerns/public_form.html", municipality=g.municipality, errors=errors, form=form,
                           areas=list_areas(), categories=services.list_categories(),
                           category_name=services.category_name), (422 if errors else 200)


@bp.route("/public/<municipality>/concern/sent")
@scope("public")
def public_sent():
    from .models import normalise_reference

    return render_template("concerns/public_sent.html", municipality=g.municipality,
                           reference=normalise_reference(request.args.get("reference")))


@bp.route("/public/<municipality>/concern/follow")
@scope("public")
@limiter.limit(lambda: current_app.config.get("PUBLIC_CONCERN_FOLLOW_RATE_LIMIT", "60 per hour"))
def public_follow():
    """A concern followed by its reference number: where it stands and, once accepted, what was decided or
    done about it since (the same answers as "you said, we did"). No personal data: no contact, no source's
    name, no moderation note."""
    from ..public.services import answers_to
    from ..public.views import _plan_helpers
    from .models import normalise_reference

    written = (request.args.get("reference") or "").strip()
    reference = normalise_reference(written)
    concern, said, error = None, None, None
    if written:
        if reference is not None:
            concern = db.session.execute(select(Concern).where(Concern.reference == reference)).scalar_one_or_none()
        if concern is None:
            error = _("There is no concern with the reference number “%(value)s” in this municipality. "
                      "Check it on the page you saw after sending the concern.", value=written[:20])
        elif concern.status == "accepted":
            said = answers_to([concern])[0]
    return render_template("concerns/public_follow.html", municipality=g.municipality, concern=concern, said=said,
                           written=written, error=error, status_labels=services.STATUS_LABELS,
                           category_name=services.category_name, **_plan_helpers()), (404 if error else 200)
