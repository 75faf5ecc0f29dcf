"""Web pages of the local safety surveys.

  /<municipality>/surveys/                          tenant: the waves; a new wave (POST)
  /<municipality>/surveys/<wave_id>                 tenant: a wave: details, status, publishing, own questions, codes
  /<municipality>/surveys/<wave_id>/codes.csv       tenant: the unused invitation codes, to print and hand out
  /<municipality>/surveys/<wave_id>/enter           tenant: enter a paper or telephone questionnaire
  /<municipality>/surveys/<wave_id>/import          tenant: import answers from a CSV file (line-by-line report)
  /<municipality>/surveys/<wave_id>/template.csv    tenant: the import file's columns
  /<municipality>/surveys/<wave_id>/results         tenant: results (also before publishing)
  /<municipality>/surveys/<wave_id>/results.pdf, /results.xlsx
  /<municipality>/surveys/<wave_id>/send-to-risks   tenant: a problem to the risk register (POST)
  /public/<municipality>/survey/<wave_id>           public: answer with an invitation code (phone first)
  /public/<municipality>/survey/<wave_id>/thanks    public: the thank-you page
  /public/<municipality>/surveys/<wave_id>          public: a PUBLISHED wave's results (404 otherwise)
  /public/<municipality>/surveys/<wave_id>.pdf, .xlsx
  /national/surveys/questionnaire                   national: the questionnaire; a new version (POST)
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
from flask_login import current_user

from ..caching import stamps
from ..caching.http import also_varies_with
from ..areas.services import list_areas
from ..errors import ValidationFailed
from ..extensions import db, limiter
from ..schemas import load_form
from ..tenancy import tenant
from ..tenancy.web import require_ids, scope
from . import charts, reports, services
from .indices import MIN_RESPONDENTS
from .models import SurveyWave
from .schemas import (CodesSchema, LocalQuestionSchema, QuestionnaireNoteSchema, ToRisksSchema, WaveSchema,
                      WaveStatusSchema)
from .questions import (
    INDEX_NAMES,
    LOCAL_SCALES,
    SECTIONS,
    scale_label,
    scale_options,
    section_label,
    text_of,
)

bp = Blueprint("surveys", __name__, template_folder="templates")
require_ids(bp, {"wave_id": SurveyWave})

STATUS_LABELS = {"draft": _l("Draft"), "open": _l("Open for answers"), "closed": _l("Closed")}
CHANNEL_LABELS = {"online": _l("Online"), "paper": _l("Paper"), "telephone": _l("Telephone"), "import": _l("Imported")}


def _helpers(**extra) -> dict:
    return {"text_of": text_of, "scale_options": scale_options, "scale_label": scale_label,
            "section_label": section_label, "index_label": reports.index_label, "index_names": INDEX_NAMES,
            "fmt": reports.fmt, "minimum": MIN_RESPONDENTS, "status_label": lambda s: str(STATUS_LABELS.get(s, s)),
            "channel_label": lambda c: str(CHANNEL_LABELS.get(c, c)), "local_scales": LOCAL_SCALES, **extra}


# --- staff ---------------------------------------------------------------------------------------

@bp.route("/<municipality>/surveys/", methods=["GET", "POST"])
@scope("tenant")
def index():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            wave = services.create_wave(load_form(WaveSchema(), form), user_id=current_user.id)
            db.session.commit()
            flash(_("The wave was created."), "success")
            return redirect(url_for(".wave", wave_id=wave.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    waves = services.list_waves()
    return render_template("surveys/index.html", waves=waves, errors=errors, form=form, areas=list_areas(),
                           counts={w.id: services.response_count(w) for w in waves},
                           **_helpers()), (422 if errors else 200)


@bp.route("/<municipality>/surveys/<int:wave_id>", methods=["GET", "POST"])
@scope("tenant")
def wave(wave_id: int):
    item = services.get_wave(wave_id) or abort(404)
    errors, form, new_codes = {}, {}, []
    if request.method == "POST":
        form = request.form
        action = form.get("action")
        try:
            if action == "status":
                services.set_status(item, load_form(WaveStatusSchema(), form)["status"])
                message = _("The wave's status was changed.")
            elif action == "publish":
                services.publish(item, True)
                message = _("The results are published on the municipality's public page.")
            elif action == "unpublish":
                services.publish(item, False)
                message = _("The results are no longer public.")
            elif action == "local_question":
                services.add_local_question(item, load_form(LocalQuestionSchema(), form))
                message = _("The question was added to the wave.")
            elif action == "remove_local_question":
                services.remove_local_question(item, form.get("question_id"))
                message = _("The question was removed.")
            elif action == "codes":
                new_codes = services.generate_codes(item, load_form(CodesSchema(), form)["count"])
                message = _("%(n)d invitation codes were made.", n=len(new_codes))
            else:
                services.update_wave(item, load_form(WaveSchema(), form))
                message = _("The wave was saved.")
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".wave", wave_id=item.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            item = services.get_wave(wave_id)
    made, used = services.code_counts(item)
    return render_template("surveys/wave.html", wave=item, errors=errors, form=form, action=form.get("action"),
                           areas=list_areas(), chosen={a.id for a in services.wave_areas(item)},
                           n=services.response_count(item), by_channel=services.counts_by_channel(item),
                           made=made, used=used, imports=services.list_imports(item),
                           questions=services.questions_of(item), **_helpers()), (422 if errors else 200)


@bp.route("/<municipality>/surveys/<int:wave_id>/codes.csv")
@scope("tenant")
def codes_csv(wave_id: int):
    item = services.get_wave(wave_id) or abort(404)
    link = url_for(".answer", wave_id=item.id, municipality=g.municipality.slug, _external=True)
    lines = ["code,link"] + [f"{c},{link}?code={c}" for c in services.unused_codes(item)]
    return Response("\ufeff" + "\r\n".join(lines) + "\r\n", mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="survey-codes-{g.municipality.slug}-{item.id}.csv"',
        "Cache-Control": "private, no-store"})


@bp.route("/<municipality>/surveys/<int:wave_id>/enter", methods=["GET", "POST"])
@scope("tenant")
def enter(wave_id: int):
    item = services.get_wave(wave_id) or abort(404)
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            services.enter_response(item, form.to_dict(), form.get("area_id"), form.get("channel", ""))
            db.session.commit()
            flash(_("The answers were recorded. You can enter the next questionnaire."), "success")
            return redirect(url_for(".enter", wave_id=item.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("surveys/enter.html", wave=item, errors=errors, form=form,
                           questions=services.questions_of(item), areas=services.wave_areas(item),
                           **_helpers()), (422 if errors else 200)


@bp.route("/<municipality>/surveys/<int:wave_id>/import", methods=["GET", "POST"])
@scope("tenant")
def import_answers(wave_id: int):
    item = services.get_wave(wave_id) or abort(404)
    errors, lines = {}, []
    if request.method == "POST":
        file = request.files.get("file")
        try:
            record = services.import_csv(item, file.filename if file else "", file.read() if file else b"",
                                         user_id=current_user.id)
            db.session.commit()
            flash(_("%(n)d questionnaires were imported.", n=record.line_count), "success")
            return redirect(url_for(".wave", wave_id=item.id))
        except services.ImportRejected as exc:
            db.session.rollback()
            errors, lines = exc.errors, exc.lines
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("surveys/import.html", wave=item, errors=errors, lines=lines,
                           columns=services.import_columns(item), questions=services.questions_of(item),
                           **_helpers()), (422 if errors else 200)


@bp.route("/<municipality>/surveys/<int:wave_id>/template.csv")
@scope("tenant")
def template_csv(wave_id: int):
    item = services.get_wave(wave_id) or abort(404)
    return Response(services.template_csv(item), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="survey-{g.municipality.slug}-{item.id}.csv"'})


def _results_page(item, *, public: bool):
    results = services.wave_results(item, public=public, municipality_name=g.municipality.name)
    area_id = request.args.get("area", type=int)
    group = results.area(area_id) or results.municipality
    figures = {name: charts.index_bars(
        [(gr.label, gr.indices.get(name)) for gr in [results.municipality, *results.areas]],
        title=_("%(index)s by area, 0 to 100, with 95%% confidence intervals", index=reports.index_label(name)),
        national=results.national.get(name)) for name in INDEX_NAMES}
    stacked = {}
    if not group.hidden:
        stacked = {q.code: charts.stacked(group.distributions[q.code], scale_options(q.scale),
                                          title=f"{text_of(q)} ({group.label})") for q in results.questions}
    risks = []
    if not public:
        from ..risks.services import list_risks

        risks = list_risks()
    return render_template("surveys/public_results.html" if public else "surveys/results.html", wave=item,
                           results=results, group=group, charts=figures, stacked=stacked, risks=risks,
                           municipality=g.municipality, public=public, **_helpers())


@bp.route("/<municipality>/surveys/<int:wave_id>/results")
@scope("tenant")
def results(wave_id: int):
    return _results_page(services.get_wave(wave_id) or abort(404), public=False)


@bp.route("/<municipality>/surveys/<int:wave_id>/results.pdf")
@scope("tenant")
def results_pdf(wave_id: int):
    return _export(services.get_wave(wave_id) or abort(404), "pdf", public=False)


@bp.route("/<municipality>/surveys/<int:wave_id>/results.xlsx")
@scope("tenant")
def results_xlsx(wave_id: int):
    return _export(services.get_wave(wave_id) or abort(404), "xlsx", public=False)


def _export(item, fmt: str, *, public: bool):
    results_ = services.wave_results(item, public=public, municipality_name=g.municipality.name)
    basename = f"survey-{g.municipality.slug}-{item.starts_on.isoformat()}"
    if fmt == "pdf":
        return reports.send_pdf(results_, g.municipality.name, basename)
    return reports.send_xlsx(results_, g.municipality.name, basename)


@bp.route("/<municipality>/surveys/<int:wave_id>/send-to-risks", methods=["POST"])
@scope("tenant")
def send_to_risks(wave_id: int):
    item = services.get_wave(wave_id) or abort(404)
    form = request.form
    try:
        data = load_form(ToRisksSchema(), form)
        risk, _evidence = services.send_problem_to_risks(item, data.get("area_id"), data["code"], data.get("risk_id"),
                                                         data.get("title"), user_id=current_user.id)
        db.session.commit()
        flash(_("The survey result was added to the risk register as evidence."), "success")
        return redirect(url_for("risks.detail", risk_id=risk.id))
    except ValidationFailed as exc:
        db.session.rollback()
        flash("; ".join(str(v) for v in exc.errors.values()), "error")
        return redirect(url_for(".results", wave_id=item.id, area=form.get("area_id") or None))


# --- citizens -------------------------------------------------------------------------------------

def _public_limit() -> str:
    return current_app.config.get("PUBLIC_SURVEY_RATE_LIMIT", "60 per hour")


def _code_check_limit() -> str:
    return current_app.config.get("PUBLIC_SURVEY_CODE_CHECK_LIMIT", "30 per hour")


@bp.route("/public/<municipality>/survey/<int:wave_id>", methods=["GET", "POST"])
@scope("public")
@limiter.limit(_public_limit, methods=["POST"])
# Opening the form with ?code= checks the code: limited per client too, so codes cannot be
# guessed by GET (issue 22, finding 8); the form without a code is not limited.
@limiter.limit(_code_check_limit, methods=["GET"], exempt_when=lambda: not request.args.get("code"))
def answer(wave_id: int):
    item = services.get_wave(wave_id) or abort(404)
    errors, form = {}, {}
    code = request.values.get("code", "")
    refused = None
    if item.status != "open":
        return render_template("surveys/answer_closed.html", wave=item, municipality=g.municipality), 200
    if request.method == "POST":
        form = request.form
        try:
            with tenant(g.municipality.id):
                services.submit_online(item, code, form.to_dict(), form.get("area_id"))
                db.session.commit()
            return redirect(url_for(".thanks", wave_id=item.id, municipality=g.municipality.slug))
        except services.CodeRefused as exc:
            db.session.rollback()
            refused = exc.errors["code"]
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    elif code:
        try:
            services.check_code(item, code)
        except services.CodeRefused as exc:
            refused = exc.errors["code"]
    status = 422 if (errors or (refused and request.method == "POST")) else 200
    return render_template("surveys/answer.html", wave=item, municipality=g.municipality, errors=errors, form=form,
                           code=services.normalise_code(code), refused=refused, ask_code=not code or refused,
                           questions=services.questions_of(item), areas=services.wave_areas(item),
                           sections=list(SECTIONS), **_helpers()), status


@bp.route("/public/<municipality>/survey/<int:wave_id>/thanks")
@scope("public")
def thanks(wave_id: int):
    item = services.get_wave(wave_id) or abort(404)
    return render_template("surveys/thanks.html", wave=item, municipality=g.municipality)


@bp.route("/public/<municipality>/surveys/<int:wave_id>")
@scope("public")
def public_results(wave_id: int):
    item = services.get_published_wave(wave_id) or abort(404)
    return _results_page(item, public=True)


@bp.route("/public/<municipality>/surveys/<int:wave_id>.pdf")
@scope("public")
def public_pdf(wave_id: int):
    return _export(services.get_published_wave(wave_id) or abort(404), "pdf", public=True)


@bp.route("/public/<municipality>/surveys/<int:wave_id>.xlsx")
@scope("public")
def public_xlsx(wave_id: int):
    return _export(services.get_published_wave(wave_id) or abort(404), "xlsx", public=True)


# --- national -----------------------------------------------------------------------------------

@bp.route("/national/surveys/questionnaire", methods=["GET", "POST"])
@scope("national")
def questionnaire():
    errors, form = {}, {}
    current = services.current_questionnaire()
    if current is None:
        current = services.ensure_questionnaire()
        db.session.commit()
    if request.method == "POST":
        form = request.form
        texts = {q.code: (form.get(f"{q.code}-sq", q.text_sq), form.get(f"{q.code}-en", q.text_en))
                 for q in current.questions}
        try:
            note = load_form(QuestionnaireNoteSchema(), form).get("note")
            created = services.new_questionnaire_version(texts, note, user_id=current_user.id)
            db.session.commit()
            flash(_("Version %(n)d of the questionnaire was saved. Waves already created keep their version.",
                    n=created.version), "success")
            return redirect(url_for(".questionnaire"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            current = services.current_questionnaire()
    return render_template("surveys/questionnaire.html", current=current, versions=services.list_questionnaires(),
                           errors=errors, form=form, editing=request.args.get("edit") == "1" or bool(errors),
                           **_helpers()), (422 if errors else 200)


# The public results (and the council's public page, which shows the latest) compare the wave with the
# national average: their ETag follows the surveys' shared stamp, which any survey write changes
also_varies_with(("public.municipality", "surveys.public_results", "surveys.public_pdf", "surveys.public_xlsx",
                  "api_surveys.PublicSurveyResults"), [stamps.shared_key("surveys")])


@bp.app_template_global("survey_comparison_version")
def _survey_comparison_version() -> str:
    return services.national_comparison_version()


@bp.app_template_global("survey_summary")
def _survey_summary():
    """The municipality's latest PUBLISHED wave, for its public page (None when there is none)."""
    from types import SimpleNamespace

    item = services.latest_published_wave()
    if item is None:
        return None
    return SimpleNamespace(wave=item, index_names=INDEX_NAMES, index_label=reports.index_label,
                           results=services.wave_results(item, public=True, municipality_name=g.municipality.name))
