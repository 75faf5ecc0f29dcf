"""Web pages: sign in and out, invitations, password resets, language, one's own account."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import db, limiter
from ..tenancy.web import scope
from . import access, services
from .models import AccountToken

bp = Blueprint("accounts", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def landing_url(user) -> str:
    """Where a person lands after signing in: the most useful page their roles allow."""
    if access.is_national(user):
        return url_for("oversight.national")
    counties = sorted(access.prefecture_county_ids(user))
    if counties:
        county = next(r.county for r in user.roles if r.county_id == counties[0])
        return url_for("oversight.county", county=county.slug)
    homes = access.home_municipality_ids(user)
    if len(homes) == 1:
        municipality = next(r.municipality for r in user.roles if r.municipality_id == homes[0])
        return url_for("portal.home", municipality=municipality.slug)
    return url_for("accounts.mine")


def _sign_in(user) -> None:
    session.clear()
    session["sid"] = services.start_session(user, request.headers.get("User-Agent"))
    session["locale"] = user.locale
    session.permanent = True
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@scope("public")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    error, email = None, ""
    if request.method == "POST":
        email = request.form.get("email", "")
        result = services.authenticate(email, request.form.get("password", ""))
        if result.user:
            _sign_in(result.user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or landing_url(result.user))
        db.session.rollback()
        error = result.error
    elif current_user.is_authenticated:
        return redirect(landing_url(current_user))
    return render_template("accounts/login.html", error=error, email=email), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
@scope("account")
def logout():
    services.end_session(session.get("sid"))
    db.session.commit()
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You have signed out."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/language/<code>", methods=["POST"])
@scope("public")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("public.home"))


@bp.route("/account", methods=["GET", "POST"])
@scope("account")
def mine():
    error = None
    if request.method == "POST":
        try:
            services.change_password(current_user, request.form.get("current_password", ""),
                                     request.form.get("new_password", ""))
            _sign_in(current_user._get_current_object())
            db.session.commit()
            flash(_("Your password was changed. Other sessions were signed out."), "success")
            return redirect(url_for(".mine"))
        except services.AccountError as exc:
            db.session.rollback()
            error = str(exc)
    return render_template("accounts/mine.html", error=error), (422 if error else 200)


def _link_page(raw: str, purpose: str, template: str):
    error = None
    try:
        services.redeem_link(raw, purpose, consume=False)
    except services.AccountError as exc:
        return render_template(template, error=str(exc), invalid=True), 410
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("password_repeat", ""):
            error = _("The two passwords are not the same.")
        else:
            try:
                user = services.complete_link(raw, purpose, password)
                _sign_in(user)
                db.session.commit()
                flash(_("Your password is set. Welcome."), "success")
                return redirect(landing_url(user))
            except services.AccountError as exc:
                db.session.rollback()
                error = str(exc)
    return render_template(template, error=error, invalid=False), (422 if error else 200)


@bp.route("/account/invitation/<raw>", methods=["GET", "POST"])
@scope("public")
def accept_invitation(raw: str):
    return _link_page(raw, AccountToken.INVITATION, "accounts/invitation.html")


@bp.route("/account/reset", methods=["GET", "POST"])
@scope("public")
@limiter.limit("10 per hour", methods=["POST"])
def request_reset():
    sent = False
    if request.method == "POST":
        services.request_password_reset(request.form.get("email", ""))
        sent = True
    return render_template("accounts/request_reset.html", sent=sent)


@bp.route("/account/reset/<raw>", methods=["GET", "POST"])
@scope("public")
def reset_password(raw: str):
    return _link_page(raw, AccountToken.PASSWORD_RESET, "accounts/reset.html")


@bp.app_context_processor
def _inject():
    return {"g": g}
