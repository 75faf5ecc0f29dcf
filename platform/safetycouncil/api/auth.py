"""Bearer tokens for the API, and the caller's own account."""
from flask import current_app, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from ..accounts import services, two_factor
from .contract import UtcDateTime
from ..extensions import db, limiter
from ..tenancy.web import scope

blp = Blueprint("api_auth", __name__, url_prefix="/api/v1", description="Sign in and one's own account")


class CredentialsSchema(Schema):
    # Two Length validators, not one Length(min, max): an empty value then gets marshmallow's
    # "Shorter than minimum length 1.", which the error handler translates, instead of the
    # untranslatable "Length must be between 1 and N.".
    email = fields.String(required=True, validate=[validate.Length(min=1), validate.Length(max=254)])
    password = fields.String(required=True, load_only=True,
                             validate=[validate.Length(min=1), validate.Length(max=1024)])
    code = fields.String(load_only=True, validate=validate.Length(max=32), metadata={
        "description": "The 6-digit two-factor code (or a recovery code): required of the Ministry and "
                       "administrators, who set up two-factor sign-in on the web first."})


class TokenSchema(Schema):
    token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_at = UtcDateTime(required=True)


class RoleSchema(Schema):
    role = fields.String(required=True)
    municipality = fields.Function(lambda r: r.municipality.slug if r.municipality else None, allow_none=True)
    county = fields.Function(lambda r: r.county.slug if r.county else None, allow_none=True)


class MeSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    locale = fields.String()
    roles = fields.List(fields.Nested(RoleSchema))


@blp.route("/auth/token")
@scope("public")
class TokenResource(MethodView):
    decorators = [limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])]

    @blp.arguments(CredentialsSchema)
    @blp.response(201, TokenSchema)
    @blp.alt_response(401, description="Wrong e-mail or password, or a locked account")
    @blp.doc(security=[])  # signing in needs no token
    def post(self, credentials):
        """Exchange e-mail and password for a bearer token"""
        result = services.authenticate(credentials["email"], credentials["password"], request.remote_addr)
        if result.user is None:
            db.session.rollback()
            abort(401, message=result.error)
        if two_factor.required(result.user):
            if not two_factor.enrolled(result.user):
                db.session.rollback()
                abort(401, message=_("Two-factor sign-in is required for your role: sign in on the web "
                                     "once to set it up, then send the code with the field 'code'."))
            try:
                two_factor.verify(result.user, credentials.get("code") or "")
            except two_factor.TwoFactorError as exc:
                db.session.rollback()
                # counted like a wrong code on the web: one counter, one lock for both paths
                abort(401, message=services.second_factor_failed(result.user) or str(exc))
            services.second_factor_passed(result.user)
        raw, token = services.issue_api_token(result.user)
        db.session.commit()
        return {"token": raw, "token_type": "Bearer", "expires_at": token.expires_at}

    @blp.response(204)
    def delete(self):
        """Revoke the bearer token sent with this request"""
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or not services.revoke_api_token(header[7:].strip()):
            abort(401, message=_("Send the token to revoke as a bearer token."))
        db.session.commit()
        return ""


@blp.route("/me")
@scope("account")
class MeResource(MethodView):
    @blp.response(200, MeSchema)
    def get(self):
        """The signed-in person and their roles"""
        return current_user
