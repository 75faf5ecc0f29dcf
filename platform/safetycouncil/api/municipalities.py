"""Municipalities (the tenants) and counties through the API."""
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields
from sqlalchemy import select

from ..accounts import access
from ..extensions import db
from ..municipalities.models import County, Municipality
from ..tenancy.web import scope
from .paging import listing

blp = Blueprint("api_municipalities", __name__, url_prefix="/api/v1/municipalities",
                description="The 61 municipalities and what the caller may do in each")
public_blp = Blueprint("api_public", __name__, url_prefix="/api/v1/public",
                       description="What anyone may read without signing in")


class CountySchema(Schema):
    slug = fields.String()
    name = fields.String()
    iso_code = fields.String()


class MunicipalitySchema(Schema):
    slug = fields.String()
    name = fields.String()
    county = fields.Nested(CountySchema)


class MunicipalityAccessSchema(MunicipalitySchema):
    permissions = fields.Method("_permissions")

    def _permissions(self, municipality):
        return sorted(access.permissions_in(self.context_user, municipality))

    @property
    def context_user(self):
        return current_user


def _all():
    return db.session.execute(
        select(Municipality).join(County).where(Municipality.active.is_(True))
        .order_by(County.name, Municipality.name)).scalars().all()


def _one(slug: str) -> Municipality:
    municipality = db.session.execute(
        select(Municipality).where(Municipality.slug == slug, Municipality.active.is_(True))).scalar_one_or_none()
    if municipality is None:
        abort(404, message=_("There is no municipality at this address."))
    return municipality


@blp.route("")
@scope("account")
class MunicipalityList(MethodView):
    @blp.response(200, MunicipalityAccessSchema(many=True))
    @listing(blp, sync=None)
    def get(self):
        """All municipalities, each with the caller's permissions there"""
        return _all()


@blp.route("/<slug>")
@scope("account")
class MunicipalityDetail(MethodView):
    @blp.response(200, MunicipalityAccessSchema)
    def get(self, slug):
        """One municipality"""
        return _one(slug)


@public_blp.route("/municipalities")
@scope("public")
class PublicMunicipalityList(MethodView):
    @public_blp.doc(security=[])  # anyone, without a token
    @public_blp.response(200, MunicipalitySchema(many=True))
    @listing(public_blp, sync=None)
    def get(self):
        """All municipalities with their county"""
        return _all()


@public_blp.route("/municipalities/<slug>")
@scope("public")
class PublicMunicipalityDetail(MethodView):
    @public_blp.doc(security=[])  # anyone, without a token
    @public_blp.response(200, MunicipalitySchema)
    def get(self, slug):
        """One municipality"""
        return _one(slug)


@public_blp.route("/counties")
@scope("public")
class PublicCountyList(MethodView):
    @public_blp.doc(security=[])  # anyone, without a token
    @public_blp.response(200, CountySchema(many=True))
    @listing(public_blp, sync=None)
    def get(self):
        """The 12 counties"""
        return db.session.execute(select(County).order_by(County.name)).scalars().all()
