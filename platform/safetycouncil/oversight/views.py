"""Oversight across municipalities: the Ministry's national console and each Prefecture's county console.

Every page exists twice: ``/national/...`` (Ministry, administrators: all 61 councils) and
``/prefecture/<county>/...`` (that county's Prefecture: its municipalities only). The county pages
compute everything, aggregates included, from the county's municipality ids only; they read
tenant data solely through ``read_across_tenants(ids)`` (read-only), in the compliance engine.

  /national/                                      the national picture (?year, ?county, ?rule, ?sort)
  /national/compliance/matrix                     councils x rules; every cell opens its evidence
  /national/compliance/<slug>                     one council, every rule
  /national/compliance/<slug>/<rule_id>           one verdict and its evidence (?year)
  /national/compliance/matrix.csv|.xlsx, evidence.csv|.xlsx, report.pdf   exports
  /national/compliance/trends                     trends over the years (snapshots), nationally and by county
  /national/compliance/risks                      the national risk picture
  /national/compliance/model                      the unified model's versions (Ministry only)
  /national/institutions                          shared institutions (Ministry only)
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, datetime, timedelta

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import format_date
from flask_login import current_user
from sqlalchemy import select

from ..compliance import charts, engine, services
from ..compliance.evidence import council_status_label, describe, headline_sentence, links, verdict_label
from ..compliance.rules import DEFAULT_ARTICLES, JUDGEMENT_NOTE, PARAMETER_LABELS, RULE_IDS, RULE_JUDGEMENT, rule_label
from ..council.models import Institution
from ..errors import ValidationFailed
from ..exports import ExportDocument, Section, Table, build_pdf, safe_filename
from ..extensions import db
from ..locales import language as current_language
from ..municipalities.models import County, Municipality
from ..spreadsheets import neutralise_row
from ..tenancy import read_across_tenants
from ..tenancy.web import scope

bp = Blueprint("oversight", __name__, template_folder="templates")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SYMBOLS = {"pass": "✓", "fail": "✗", "not_yet_due": "…"}


# --- two scopes, one page -----------------------------------------------------------------------

def _route(rule: str, name: str, methods=("GET",), national_only: bool = False):
    """Register ``func`` as /national<rule> (endpoint ``national_<name>``) and, unless national only,
    /prefecture/<county><rule> (``county_<name>``)."""
    def decorate(func):
        def national_view(**kwargs):
            return func(**kwargs)

        def county_view(**kwargs):
            return func(**kwargs)

        for view, prefix, scope_name, url in ((national_view, "national", "national", "/national" + rule),
                                              (county_view, "county", "county", "/prefecture/<county>" + rule)):
            if scope_name == "county" and national_only:
                continue
            endpoint = prefix if name == "" else f"{prefix}_{name}"
            view.__name__ = endpoint
            bp.add_url_rule(url, endpoint, scope(scope_name)(view), methods=list(methods))
        return func

    return decorate


def _county() -> County | None:
    return getattr(g, "county", None)


def _ep(name: str) -> str:
    return f"oversight.{'county' if _county() else 'national'}_{name}"


def _year() -> int:
    this_year = engine.local_today().year
    try:
        year = int(request.args.get("year") or this_year)
    except ValueError:
        year = this_year
    return min(max(year, services.FIRST_YEAR), this_year)


def _scope_municipalities() -> list[Municipality]:
    """The councils this page may read: the county's, or all (optionally one county's, for the Ministry)."""
    county = _county()
    if county is not None:
        return services.municipalities(county.id)
    chosen = request.args.get("county") or ""
    if chosen:
        found = db.session.execute(select(County).where(County.slug == chosen)).scalar_one_or_none()
        if found is not None:
            return services.municipalities(found.id)
    return services.municipalities()


def _rule_filter() -> str | None:
    rule = request.args.get("rule") or None
    return rule if rule in RULE_IDS else None


def _evaluation(municipalities, year, evidence: bool = False):
    """The verdicts of the councils (cached); their evidence only for the pages that show it."""
    return engine.evaluate_cached([m.id for m in municipalities], year, evidence=evidence)


def _rows(municipalities, evaluation, rule=None, sort="county"):
    rows = []
    for m in municipalities:
        result = evaluation.results[m.id]
        # plain values read once here: a page of 2,000 councils reads each many times
        rows.append({"municipality": m, "result": result, "county": m.county.name, "name": m.name, "slug": m.slug,
                     "score": result.score, "failed": result.failed, "status": result.status})
    if rule:
        rows = [r for r in rows if r["result"].verdicts.get(rule) and r["result"].verdicts[rule].status == "fail"]
    if sort == "score":
        rows.sort(key=lambda r: (r["score"], r["name"]))
    elif sort == "score_desc":
        rows.sort(key=lambda r: (-r["score"], r["name"]))
    elif sort == "name":
        rows.sort(key=lambda r: r["name"])
    return rows


def _common(year: int, municipalities=None) -> dict:
    county = _county()
    if county:
        counties = [county]
    elif municipalities is not None and not request.args.get("county"):
        # every council is on the page: their counties (loaded with them) are all the counties
        counties = sorted({m.county.id: m.county for m in municipalities}.values(), key=lambda c: c.name)
    else:
        counties = db.session.execute(select(County).order_by(County.name)).scalars().all()
    return {"county": county, "counties": counties, "year": year, "ep": _ep,
            "years": list(range(engine.local_today().year, services.FIRST_YEAR - 1, -1)),
            "this_year": engine.local_today().year, "rule_label": rule_label, "symbols": SYMBOLS,
            "verdict_label": verdict_label, "council_status_label": council_status_label,
            "headline_sentence": headline_sentence, "chosen_county": request.args.get("county") or "",
            "chosen_rule": _rule_filter() or "", "sort": request.args.get("sort") or "county",
            "filters": _filters(year), "filters_no_rule": _filters(year, rule=False)}


def _filters(year: int, rule: bool = True) -> dict:
    """The query arguments that keep the page's filters in links (never ``county`` on county pages)."""
    out = {"year": year}
    if not _county() and request.args.get("county"):
        out["county"] = request.args["county"]
    if rule and _rule_filter():
        out["rule"] = _rule_filter()
    return out


# --- pages ----------------------------------------------------------------------------------------

@_route("/", "")
def overview():
    year = _year()
    municipalities = _scope_municipalities()
    evaluation = _evaluation(municipalities, year)
    ctx = _common(year, municipalities)
    rows = _rows(municipalities, evaluation, _rule_filter(), ctx["sort"])
    return render_template("oversight/overview.html", rows=rows, evaluation=evaluation,
                           rates=evaluation.rule_pass_rates(), total=len(municipalities),
                           tiles=_map_tiles(municipalities, evaluation, year),
                           county_rows=county_comparison(municipalities, evaluation), **ctx)


def _map_tiles(municipalities, evaluation, year):
    """The map's tiles: coloured by score, or by the verdict on the chosen rule; each opens the council."""
    from flask_babel import format_decimal

    from ..municipalities.tilemap import compliance_tiles

    address = url_for(_ep("council"), slug="__slug__", year=year)  # one url_for per page
    return compliance_tiles(municipalities, evaluation.results, lambda m: address.replace("__slug__", m.slug),
                            rule=_rule_filter(), number=format_decimal)


def county_comparison(municipalities, evaluation) -> list[dict]:
    """One row per county: its councils, how many comply fully, the average score, the lowest score."""
    groups: dict[int, dict] = {}
    for m in municipalities:
        result = evaluation.results.get(m.id)
        if result is None:
            continue
        row = groups.setdefault(m.county.id, {"county": m.county, "councils": 0, "complying": 0, "scores": []})
        row["councils"] += 1
        row["complying"] += result.complies
        row["scores"].append(result.score)
    rows = []
    for row in groups.values():
        scores = row.pop("scores")
        rows.append({**row, "average": round(sum(scores) / len(scores)), "lowest": min(scores)})
    return sorted(rows, key=lambda r: (r["average"], r["county"].name))


@_route("/compliance/matrix", "matrix")
def matrix():
    year = _year()
    municipalities = _scope_municipalities()
    evaluation = _evaluation(municipalities, year)
    ctx = _common(year)
    rows = _rows(municipalities, evaluation, _rule_filter(), ctx["sort"])
    return render_template("oversight/matrix.html", rows=rows, evaluation=evaluation, **ctx)


def _municipality_or_404(slug: str) -> Municipality:
    county = _county()
    municipality = services.municipality_in(slug, county.id if county else None)
    if municipality is None:
        abort(404, description=_("There is no council at this address that you can see."))
    return municipality


@_route("/compliance/<slug>", "council")
def council(slug: str):
    year = _year()
    municipality = _municipality_or_404(slug)
    result = engine.evaluate_cached([municipality.id], year).results[municipality.id]
    return render_template("oversight/council.html", municipality=municipality, result=result,
                           describe=describe, links=links, **_common(year))


@_route("/compliance/<slug>/<rule_id>", "evidence")
def evidence(slug: str, rule_id: str):
    year = _year()
    municipality = _municipality_or_404(slug)
    if rule_id not in RULE_IDS:
        abort(404, description=_("There is no such rule in the unified model."))
    evaluation = engine.evaluate_cached([municipality.id], year)
    verdict = evaluation.results[municipality.id].verdicts.get(rule_id)
    if verdict is None:
        abort(404, description=_("This rule is not part of the model in force that year."))
    from ..obligations.services import waived_keys

    return render_template("oversight/evidence.html", municipality=municipality, verdict=verdict,
                           evaluation=evaluation, describe=describe, links=links,
                           waived=waived_keys(municipality.id, rule_id), **_common(year))


# --- exports --------------------------------------------------------------------------------------

def _matrix_table(year):
    municipalities = _scope_municipalities()
    evaluation = _evaluation(municipalities, year)
    rows = _rows(municipalities, evaluation, _rule_filter(), request.args.get("sort") or "county")
    rules = evaluation.model.rule_ids
    header = [_("County"), _("Municipality"), _("Status"), _("Score (%)")] + rules
    body = [[r["municipality"].county.name, r["municipality"].name, council_status_label(r["status"]),
             r["result"].score] + [r["result"].verdicts[rule].status for rule in rules] for r in rows]
    return header, body


def _evidence_table(year):
    municipalities = _scope_municipalities()
    evaluation = _evaluation(municipalities, year, evidence=True)
    rule_filter = _rule_filter()
    header = [_("County"), _("Municipality"), _("Rule"), _("Article"), _("Verdict"), _("Evidence"), _("Kind"),
              _("Meeting id"), _("Date")]
    body = []
    for m in municipalities:
        for rule_id, verdict in evaluation.results[m.id].verdicts.items():
            if rule_filter and rule_id != rule_filter:
                continue
            for item in verdict.evidence or [{"kind": ""}]:
                body.append([m.county.name, m.name, rule_id, verdict.article, verdict.status,
                             describe(item) if item.get("kind") else "", item.get("kind", ""),
                             item.get("meeting_id") or "", item.get("date") or item.get("period_start") or ""])
    return header, body


def _download(content: bytes, mimetype: str, name: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_filename(name)}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _csv(header, body, name):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(neutralise_row(header))
    writer.writerows(neutralise_row(row) for row in body)
    return _download(("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv", name)


def _xlsx(header, body, name, title):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(neutralise_row(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in body:
        sheet.append(neutralise_row(row))
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return _download(out.getvalue(), XLSX, name)


def _basename(kind: str, year: int) -> str:
    county = _county()
    where = county.slug if county else (request.args.get("county") or "shqiperia")
    return f"kvsp-{kind}-{where}-{year}"


@_route("/compliance/matrix.csv", "matrix_csv")
def matrix_csv():
    year = _year()
    return _csv(*_matrix_table(year), _basename("matrix", year) + ".csv")


@_route("/compliance/matrix.xlsx", "matrix_xlsx")
def matrix_xlsx():
    year = _year()
    return _xlsx(*_matrix_table(year), _basename("matrix", year) + ".xlsx", _("Compliance"))


@_route("/compliance/evidence.csv", "evidence_csv")
def evidence_csv():
    year = _year()
    return _csv(*_evidence_table(year), _basename("evidence", year) + ".csv")


@_route("/compliance/evidence.xlsx", "evidence_xlsx")
def evidence_xlsx():
    year = _year()
    return _xlsx(*_evidence_table(year), _basename("evidence", year) + ".xlsx", _("Evidence"))


@_route("/compliance/report.pdf", "report_pdf")
def report_pdf():
    year = _year()
    municipalities = _scope_municipalities()
    evaluation = _evaluation(municipalities, year)
    county = _county()
    rates = evaluation.rule_pass_rates()
    where = _("County of %(name)s", name=county.name) if county else _("All councils")
    sections = [
        Section(_("Summary"), paragraphs=[_("%(ok)d of %(n)d councils comply fully with the unified model in %(y)d "
                                            "(judged on %(day)s).", ok=evaluation.complying, n=len(municipalities),
                                            y=year, day=format_date(evaluation.as_of)),
                                          headline_sentence(evaluation)]),
        Section(_("Pass rate of each rule"), table=Table(
            [_("Rule"), _("Article"), _("Pass"), _("Fail"), _("Not yet due"), _("Pass rate")],
            [[rule_label(r), evaluation.model.article(r), str(v["pass"]), str(v["fail"]), str(v["not_yet_due"]),
              "—" if v["rate"] is None else f"{v['rate']}%"] for r, v in rates.items()], widths=[5, 2, 1, 1, 1, 1])),
        Section(_("How each rule is judged"), paragraphs=[_(
            "Each rule is judged for every period it sets (a meeting, a month, a half-year, the year), each with "
            "its own due date from the model in force. A council complies only when every rule has passed; "
            "\"on track\" means nothing has been missed so far while something is still to come; late is not on "
            "time.")]),
        Section(_("Councils"), table=Table(
            [_("County"), _("Municipality"), _("Status"), _("Score"), _("Rules not met")],
            [[m.county.name, m.name, council_status_label(evaluation.results[m.id].status),
              f"{evaluation.results[m.id].score}%",
              ", ".join(r for r, v in evaluation.results[m.id].verdicts.items() if v.status == "fail")]
             for m in municipalities], widths=[2, 2, 2, 1, 5])),
    ]
    document = ExportDocument(title=_("Compliance with the unified model, %(y)d", y=year), sections=sections,
                              subtitle=[_("Ministry of Interior"), where], language=current_language())
    return _download(build_pdf(document), "application/pdf", _basename("report", year) + ".pdf")


# --- trends and risks -------------------------------------------------------------------------------

@_route("/compliance/trends", "trends")
def trends():
    municipalities = _scope_municipalities()
    ids = [m.id for m in municipalities]
    years = sorted(set(services.snapshot_years(ids)) | {engine.local_today().year})
    data = services.trends(ids, years)
    county_names = {c.id: c.name for c in db.session.execute(select(County)).scalars()}
    national_chart = charts.percent_columns(
        [(str(p["year"]) + ("" if p["complete"] else " *"), p["percent"]) for p in data["national"]],
        title=_("Councils complying fully, by year"), description=_("The same figures are in the table below."))
    county_charts = [(county_names.get(cid, "?"), charts.percent_columns(
        [(str(p["year"]) + ("" if p["complete"] else " *"), p["percent"]) for p in points],
        title=_("%(c)s: councils complying fully, by year",
                                                                  c=county_names.get(cid, "?")),
        description=_("The same figures are in the table below."))) for cid, points in
        sorted(data["by_county"].items(), key=lambda kv: county_names.get(kv[0], ""))]
    return render_template("oversight/trends.html", data=data, years=years, national_chart=national_chart,
                           county_charts=county_charts, county_names=county_names,
                           **{k: v for k, v in _common(engine.local_today().year).items() if k != "years"})


def risk_picture(municipality_ids, *, today: date | None = None) -> dict:
    """Which risk categories are rated high, where, and a year earlier (latest rating per risk)."""
    from ..concerns.models import RiskCategory
    from ..risks.models import Risk, RiskRating

    today = today or engine.local_today()
    year_ago = datetime.combine(today - timedelta(days=365), datetime.min.time())
    ids = sorted(municipality_ids)
    with read_across_tenants(ids):
        risks = db.session.execute(select(Risk.id, Risk.municipality_id, Risk.category_id, Risk.intensity)).all()
        ratings = db.session.execute(select(RiskRating.risk_id, RiskRating.intensity, RiskRating.rated_at)
                                     .order_by(RiskRating.rated_at, RiskRating.id)).all()
    categories = {c.id: c for c in db.session.execute(select(RiskCategory)).scalars()}
    names = dict(db.session.execute(select(Municipality.id, Municipality.name).where(Municipality.id.in_(ids))).all())
    before = {}
    for risk_id, intensity, rated_at in ratings:
        if rated_at <= year_ago:
            before[risk_id] = intensity
    now_high, then_high = defaultdict(set), defaultdict(set)
    for risk_id, mid, category_id, intensity in risks:
        if intensity == "high":
            now_high[category_id].add(mid)
        if before.get(risk_id) == "high":
            then_high[category_id].add(mid)
    locale = current_language()
    rows = []
    for category_id in set(now_high) | set(then_high):
        category = categories.get(category_id)
        rows.append({"category": category.name(locale) if category else _("Without a category"),
                     "now": len(now_high[category_id]), "then": len(then_high[category_id]),
                     "change": len(now_high[category_id]) - len(then_high[category_id]),
                     "where": sorted(names.get(m, "?") for m in now_high[category_id])})
    rows.sort(key=lambda r: (-r["now"], r["category"]))
    return {"rows": rows, "since": year_ago.date()}


@_route("/compliance/risks", "risks")
def risks():
    municipalities = _scope_municipalities()
    picture = risk_picture([m.id for m in municipalities])
    return render_template("oversight/risks.html", picture=picture, **_common(engine.local_today().year))


# --- the Ministry edits the model and the shared institutions ----------------------------------------

@_route("/compliance/model", "model", methods=("GET", "POST"), national_only=True)
def model():
    errors = {}
    this_year = engine.local_today().year
    if request.method == "POST":
        form = request.form
        rules = [{"id": r, "article": form.get(f"article_{r}") or DEFAULT_ARTICLES[r]} for r in RULE_IDS
                 if form.get(f"rule_{r}")]
        params = {name: form.get(f"param_{name}") for name in PARAMETER_LABELS}
        try:
            version = services.create_model_version(form.get("valid_from"), params, rules, note=form.get("note"),
                                                    user_id=current_user.id)
            db.session.commit()
            flash(_("Version %(n)d of the model is in force from %(y)d.", n=version.number, y=version.valid_from),
                  "success")
            return redirect(url_for("oversight.national_model"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    versions = engine.model_versions()
    in_use = services.versions_in_use()
    current = engine.model_for(this_year)
    return render_template("oversight/model.html", versions=versions, in_use=in_use, current=current,
                           errors=errors, parameter_labels=PARAMETER_LABELS, rule_ids=RULE_IDS,
                           judgement=RULE_JUDGEMENT, judgement_note=JUDGEMENT_NOTE,
                           form=request.form if request.method == "POST" else None, **_common(this_year))


@_route("/institutions", "institutions", methods=("GET", "POST"), national_only=True)
def institutions():
    shown = request.args.get("show") or "shared"
    stmt = select(Institution).order_by(Institution.name)
    if shown == "shared":
        stmt = stmt.where(Institution.shared.is_(True))
    rows = db.session.execute(stmt.limit(500)).scalars().all()
    return render_template("oversight/institutions.html", rows=rows, shown=shown,
                           **_common(engine.local_today().year))


@bp.route("/national/institutions/<int:institution_id>", methods=["POST"])
@scope("national")
def institution_update(institution_id: int):
    institution = db.session.get(Institution, institution_id)
    if institution is None:
        abort(404)
    form = request.form
    if "shared" in form:
        institution.shared = form.get("shared") == "1"
    name = (form.get("name") or "").strip()
    if name:
        institution.name = name[:200]
    for field, limit in (("email", 254), ("phone", 40)):
        if field in form:
            institution.__setattr__(field, (form.get(field) or "").strip()[:limit] or None)
    db.session.commit()
    flash(_("%(name)s was saved.", name=institution.name), "success")
    return redirect(url_for("oversight.national_institutions", show=request.args.get("show") or "shared"))


# --- the roll-out the Ministry monitors (issue 19) ---------------------------------------------------------

from flask_babel import lazy_gettext as _l  # noqa: E402

from ..unified_model import parameter  # noqa: E402
from . import rollout as _rollout  # noqa: E402

ROLLOUT_STATES = {_rollout.ON_TIME: "✓", _rollout.LATE: "!", _rollout.MISSING: "✗", _rollout.PENDING: "…"}
ROLLOUT_LABELS = {_rollout.ON_TIME: _l("on time"), _rollout.LATE: _l("late"), _rollout.MISSING: _l("missing"),
                  _rollout.PENDING: _l("not yet due")}


def _rollout_data():
    year = _year()
    municipalities = _scope_municipalities()
    county = _county()
    return year, _rollout.rollout(municipalities, year, engine._now(), counties=[county] if county else None)


@_route("/compliance/rollout", "rollout")
def rollout():
    """Which municipalities adopted the unified-model regulation and when, which Prefectures held
    consultation tables in the year, and whether each month's crime statistics were published on time."""
    year, data = _rollout_data()
    return render_template("oversight/rollout.html", data=data, states=ROLLOUT_STATES, state_labels=ROLLOUT_LABELS,
                           publication_day=parameter("crime_statistics_publication_day", year), **_common(year))


def _rollout_table():
    year, data = _rollout_data()
    tables = {t["county"].id: t["count"] for t in data.tables}
    header = [_("Municipality"), _("County"), _("Unified-model regulation adopted on"), _("Decision"),
              _("Decision in force"), _("Regulation published on the official website"),
              _("Consultation tables of the Prefecture in the year"), _("Crime statistics: months on time"),
              _("Crime statistics: months late"), _("Crime statistics: months missing")]
    body = [[r.municipality.name, r.municipality.county.name,
             r.adopted_on.isoformat() if r.adopted_on else "", r.adopted_number or "",
             f"{r.in_force_number} ({r.in_force_date.isoformat()})" if r.in_force_number else "",
             r.published_on.isoformat() if r.published_on else "", tables.get(r.municipality.county_id, 0),
             r.count(_rollout.ON_TIME), r.count(_rollout.LATE), r.count(_rollout.MISSING)]
            for r in data.municipalities]
    return year, header, body


@_route("/compliance/rollout.csv", "rollout_csv")
def rollout_csv():
    year, header, body = _rollout_table()
    return _csv(header, body, _basename("rollout", year) + ".csv")


@_route("/compliance/rollout.xlsx", "rollout_xlsx")
def rollout_xlsx():
    """The roll-out as a workbook: the same columns as the CSV."""
    year, header, body = _rollout_table()
    return _xlsx(header, body, _basename("rollout", year) + ".xlsx", _("Roll-out"))
