"""Web pages: sign in and out, invitations, password resets, language, one's own account."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from ..extensions import csrf, db, limiter
from ..tenancy.web import scope
from . import access, services, throttle, two_factor
from .models import AccountToken, User

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


def _sign_in(user, *, second_factor: bool = False) -> None:
    session.clear()
    session["sid"] = services.start_session(user, request.headers.get("User-Agent"))
    session["locale"] = user.locale
    session["mfa"] = bool(second_factor)  # the session loader refuses a session without it when 2FA is required
    session.permanent = True
    login_user(user)


PENDING_SECONDS = 10 * 60  # between the password and the code


def _after_password(user, next_url: str | None, *, via_link: bool = False):
    """The password was right: sign in, or first ask for the second factor. Setting up a second
    factor needs more than the password: the invitation's (or a reset) link just used, or an
    administrator's leave; otherwise the sign-in is refused with a clear message. The caller commits."""
    if not two_factor.required(user):
        _sign_in(user)
        return redirect(next_url or landing_url(user))
    locale = user.locale
    enrolled = two_factor.enrolled(user)
    if not enrolled and not (via_link or two_factor.enrolment_allowed(user)):
        session.clear()
        session["locale"] = locale
        message = _("Two-factor sign-in is required for your role and is not set up yet. Open the link in your "
                    "invitation e-mail, or ask an administrator to let you set it up.")
        return render_template("accounts/login.html", error=message, email=user.email), 401
    session.clear()
    session["locale"] = locale
    session["pending_2fa"] = {"uid": user.id, "next": next_url, "at": int(time.time()), "enrol": not enrolled}
    if enrolled:
        return redirect(url_for("accounts.two_factor_code"))
    return redirect(url_for("accounts.two_factor_setup"))


def _pending_user():
    pending = session.get("pending_2fa") or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = db.session.get(User, pending.get("uid") or 0)
    if user is None or not user.active:
        return None, None
    return user, _safe_next(pending.get("next"))


def _refuse_code(user, message: str) -> str:
    """Count a wrong code (the same counter and lock as the API's, services.second_factor_failed)."""
    locked = services.second_factor_failed(user)
    if locked:
        session.pop("pending_2fa", None)
        return locked
    return message


@bp.route("/login/two-factor", methods=["GET", "POST"])
@scope("public")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def two_factor_code():
    user, next_url = _pending_user()
    if user is None:
        flash(_("Sign in again: the sign-in expired."), "error")
        return redirect(url_for(".login"))
    if not two_factor.enrolled(user):
        return redirect(url_for(".two_factor_setup"))
    error = None
    if request.method == "POST":
        try:
            two_factor.verify(user, request.form.get("code", ""))
        except two_factor.TwoFactorError as exc:
            db.session.rollback()
            error = _refuse_code(user, str(exc))
            if "pending_2fa" not in session:
                return render_template("accounts/login.html", error=error, email=user.email), 401
        else:
            services.second_factor_passed(user)
            _sign_in(user, second_factor=True)
            db.session.commit()
            return redirect(next_url or landing_url(user))
    return render_template("accounts/two_factor_code.html", error=error), (401 if error else 200)


@bp.route("/login/two-factor/setup", methods=["GET", "POST"])
@scope("public")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def two_factor_setup():
    user, next_url = _pending_user()
    if user is None:
        flash(_("Sign in again: the sign-in expired."), "error")
        return redirect(url_for(".login"))
    if two_factor.enrolled(user):
        return redirect(url_for(".two_factor_code"))
    if not (session.get("pending_2fa") or {}).get("enrol"):
        flash(_("Sign in again: the sign-in expired."), "error")
        return redirect(url_for(".login"))
    error = None
    if request.method == "POST":
        try:
            codes = two_factor.confirm_enrolment(user, request.form.get("code", ""))
        except two_factor.TwoFactorError as exc:
            db.session.rollback()
            error = _refuse_code(user, str(exc))
            if "pending_2fa" not in session:
                return render_template("accounts/login.html", error=error, email=user.email), 401
        else:
            services.second_factor_passed(user)
            _sign_in(user, second_factor=True)
            db.session.commit()
            return render_template("accounts/two_factor_recovery.html", codes=codes,
                                   next_url=next_url or landing_url(user))
    secret = two_factor.start_enrolment(user)
    db.session.commit()
    uri = two_factor.provisioning_uri(user)
    return render_template("accounts/two_factor_setup.html", secret=secret, uri=uri,
                           qr=Markup(two_factor.qr_svg(uri) or ""),  # SVG made by segno from our own URI
                           error=error), (401 if error else 200)


@bp.route("/login", methods=["GET", "POST"])
@scope("public")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    error, email = None, ""
    if request.method == "POST":
        email = request.form.get("email", "")
        result = services.authenticate(email, request.form.get("password", ""), request.remote_addr)
        if result.user:
            response = _after_password(result.user, _safe_next(request.args.get("next")))
            db.session.commit()
            return response
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
@csrf.exempt  # a visitor's choice of language needs no token: pages for visitors carry none (caching)
def set_language(code: str):
    if current_user.is_authenticated and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()  # a signed-in person's language is stored on their account: a token, as everywhere
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
            _sign_in(current_user._get_current_object(), second_factor=session.get("mfa", False))
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
                throttle.cleared(user.email, request.remote_addr)
                response = _after_password(user, None, via_link=True)
                db.session.commit()
                flash(_("Your password is set. Welcome."), "success")
                return response
            except services.AccountError as exc:
                db.session.rollback()
                error = str(exc)
    return render_template(template, error=error, invalid=False), (422 if error else 200)


@bp.route("/account/invitation/<raw>", methods=["GET", "POST"])
@scope("public", replica=False)  # a link sent a moment ago
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
@scope("public", replica=False)  # a link sent a moment ago
def reset_password(raw: str):
    return _link_page(raw, AccountToken.PASSWORD_RESET, "accounts/reset.html")


@bp.app_context_processor
def _inject():
    return {"g": g}
