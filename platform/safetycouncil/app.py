"""create_app(): configuration, extensions, tenancy, blueprints, CLI."""
from __future__ import annotations

import uuid

from flask import Flask, current_app, g, jsonify, render_template, request, session
from flask_babel import format_date, format_datetime
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from .config import load_config
from .extensions import babel, csrf, db, limiter, login_manager, migrate


def _select_locale() -> str:
    """The locale Babel works with: the reader's language, English formatted as en_GB (locales.py)."""
    from .locales import formatting_locale

    return formatting_locale(_select_language())


def _select_language() -> str:
    from flask import has_request_context

    default = current_app.config.get("BABEL_DEFAULT_LOCALE", "sq")
    if not has_request_context():
        return default
    chosen = session.get("locale")
    if chosen in ("sq", "en") and not request.path.startswith("/api/"):
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in ("sq", "en"):
        if not request.path.startswith("/api/"):
            return current_user.locale
    if request.path.startswith("/api/"):
        if current_user and current_user.is_authenticated:
            return current_user.locale or "sq"
        return request.accept_languages.best_match(["sq", "en"], default=default)
    return default


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    from .routing import install as install_routing

    install_routing(app)  # ids in paths: positive 64-bit integers, anything else 404
    app.config.update(load_config())
    if test_config:
        app.config.update(test_config)
    app.instance_path = app.config["INSTANCE_PATH"]
    _trust_proxies(app)
    from .observability import configure_logging, init_sentry

    configure_logging(app)
    init_sentry(app)

    from . import models  # noqa: F401 - every table known to the metadata

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   default_translation_directories="translations")
    csrf.init_app(app)
    limiter.init_app(app)

    from . import caching, storage
    from .caching import stamps  # noqa: F401 - registers the listeners that stamp every write
    from .tenancy import rls
    from .tenancy.web import check_every_endpoint_is_scoped, enforce_scope

    rls.install(db)
    from . import replicas

    replicas.init_app(app)  # DATABASE_REPLICA_URLS: read-only requests read from a replica
    storage.init_app(app)
    caching.init_app(app)
    _install_login(app)
    enforce_scope(app)
    from .caching import http as http_caching

    http_caching.init_app(app)  # ETag/304 and Cache-Control of public pages (after the scope is resolved)
    _install_request_context(app)
    if app.config.get("TESTING") or app.config.get("STRICT_TEMPLATES"):
        _strict_includes(app)

    from . import areas_registry
    from .api import init_api

    for bp in areas_registry.blueprints():
        app.register_blueprint(bp)
    init_api(app)
    _install_error_handlers(app)
    _install_template_helpers(app)

    from .cli import register_cli

    register_cli(app)
    check_every_endpoint_is_scoped(app)
    from . import inprocess_schedule

    inprocess_schedule.install(app)  # the schedule without Redis: started by the first request served
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXY_COUNT reverse proxies, the client is the address the nearest trusted
    proxies saw (the right-most entries of X-Forwarded-For): what a client writes in the header
    itself is ignored. With 0, the connection's own address."""
    count = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # X-Forwarded-For grows by one entry per proxy; X-Forwarded-Proto is written (not appended)
        # by the nearest one; X-Forwarded-Host is never trusted (infra/nginx.conf passes Host).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=1, x_host=0, x_port=0, x_prefix=0)


def _migrations_dir():
    from .config import PROJECT_ROOT

    return PROJECT_ROOT / "migrations"


def _install_login(app: Flask) -> None:
    from flask import redirect, url_for
    from flask_babel import lazy_gettext as _l

    from .accounts import services, two_factor
    from .accounts.models import User

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.session_protection = None  # sessions are checked against the server-side table

    @login_manager.user_loader
    def _load_from_session(user_id: str):
        if request.path.startswith("/api/"):
            return None  # the API only accepts bearer tokens, so a cookie can never be replayed there
        try:
            user = services.session_user(int(user_id), session.get("sid"))
        except ValueError:
            return None
        if user is not None and not session.get("mfa") and two_factor.required(user):
            return None  # a session that skipped a required second factor is no session
        return user

    @login_manager.request_loader
    def _load_from_token(req):
        if not req.path.startswith("/api/"):
            return None
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        from .replicas import on_primary

        with on_primary():  # a token issued a moment ago may not be on a read replica yet
            return services.token_user(header[7:].strip())

    @login_manager.unauthorized_handler
    def _unauthorized():
        from flask import abort
        from flask_babel import gettext as _

        if request.path.startswith("/api/"):
            abort(401, description=_("Sign in first: send a bearer token from POST /api/v1/auth/token."))
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))

    del User


class MissingTemplate(RuntimeError):
    """An ``{% include ... ignore missing %}`` of a template that does not exist (in tests)."""


def _strict_includes(app: Flask) -> None:
    """In tests, a missing template is an error even behind ``ignore missing`` (which would render
    nothing where a block should be): Jinja looks included templates up through these methods and
    ignores only ``TemplateNotFound``."""
    from jinja2 import TemplateNotFound

    env = app.jinja_env
    for name in ("get_template", "get_or_select_template", "select_template"):
        original = getattr(env, name)

        def strict(*args, __original=original, **kwargs):
            try:
                return __original(*args, **kwargs)
            except TemplateNotFound as exc:
                raise MissingTemplate(f"missing template: {exc}") from exc

        setattr(env, name, strict)


def _install_request_context(app: Flask) -> None:
    from .audit.trail import reset_actor, set_actor

    @app.before_request
    def _actor():
        g.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        user_id = current_user.id if current_user.is_authenticated else None
        g.actor_tokens = set_actor(user_id, g.request_id)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Request-Id", getattr(g, "request_id", ""))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    @app.teardown_request
    def _reset(exc=None):
        tokens = g.pop("actor_tokens", None)
        if tokens:
            reset_actor(tokens)


def _install_error_handlers(app: Flask) -> None:
    from flask_babel import gettext as _

    from .api.errors import api_error_response
    from .errors import Refused

    def default_message(code: int) -> str:
        return {
            400: _("The request could not be understood."),
            401: _("Sign in first."),
            403: _("You are not allowed to do this."),
            404: _("There is no page at this address."),
            405: _("This action is not allowed here."),
            413: _("The file is too large."),
            422: _("Some fields are not valid."),
            429: _("Too many attempts. Wait a minute and try again."),
        }.get(code, _("Something went wrong on our side. The team has been told."))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = exc.code or 500
        description = exc.description if _is_custom(exc) else default_message(code)
        if code == 429:
            description = default_message(429)
        if request.path.startswith("/api/"):
            return _with_allow(exc, api_error_response(exc, code, description))
        from flask_wtf.csrf import CSRFError

        if isinstance(exc, CSRFError):
            description = _("The form expired. Reload the page and try again.")
        return _with_allow(exc, app.make_response((render_template("error.html", code=code, message=description), code)))

    def _with_allow(exc: HTTPException, response):
        """A 405 says which methods the address takes (RFC 9110, 15.5.6)."""
        methods = getattr(exc, "valid_methods", None)
        if exc.code == 405 and methods:
            response.headers["Allow"] = ", ".join(sorted(methods))
        return response

    @app.errorhandler(Refused)
    def _refused(exc: Refused):
        """A refusal (403/409) that no view answered itself: its status and its message; nothing saved."""
        from werkzeug.exceptions import Conflict, Forbidden

        db.session.rollback()
        return _http_error((Forbidden if exc.status == 403 else Conflict)(next(iter(exc.errors.values()))))

    @app.errorhandler(Exception)
    def _server_error(exc: Exception):
        app.logger.exception("unhandled error")
        db.session.rollback()
        message = default_message(500)
        if request.path.startswith("/api/"):
            return jsonify({"code": 500, "status": "Internal Server Error", "message": message}), 500
        return render_template("error.html", code=500, message=message), 500


def _is_custom(exc: HTTPException) -> bool:
    """True when the description was written by us rather than Werkzeug's English default."""
    return type(exc).description != exc.description and bool(exc.description)


def _install_template_helpers(app: Flask) -> None:
    from .accounts.roles import label
    from .locales import language as current_language

    app.jinja_env.globals.update(
        format_date=format_date, format_datetime=format_datetime, role_label=label,
        current_locale=current_language,
    )
    from flask_babel import format_decimal

    from .municipalities.tilemap import render as tilemap

    from .wording import article, content_lang

    app.jinja_env.globals.update(format_decimal=format_decimal, tilemap=tilemap, content_lang=content_lang)
    from .schemas import field_limits

    app.jinja_env.globals.update(field_limits=field_limits)
    app.jinja_env.filters["article"] = article
