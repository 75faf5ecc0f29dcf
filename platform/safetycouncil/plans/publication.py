"""Roadmap: "every public institution in the council publishes the plan on its website". The
approved plan's publication on the municipality's official website is recorded (day and address),
within the model's days of the approval (compliance rule ``plan-published``). One marshmallow schema
is the contract for the page and the API."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates

from ..errors import ValidationFailed
from ..extensions import db
from ..schemas import length, load_form
from ..timeutil import local_today
from ..unified_model import APPROVED_VERSION
from .models import PlanVersion


class PlanPublicationSchema(Schema):
    published_on = fields.Date(required=True, error_messages={
        "required": _l("Enter the day the plan was published."), "invalid": _l("Enter the date as YYYY-MM-DD.")})
    published_url = fields.String(required=True, validate=length(500), error_messages={
        "required": _l("Enter the address of the page (https://...).")},
        metadata={"format": "uri", "description": "The page on the official website (http or https), at most "
                                                  "500 characters"})

    @validates("published_url")
    def _an_address(self, value, **_kw):
        try:
            validate.URL(schemes={"https", "http"}, require_tld=True)(value)
        except ValidationError:
            raise ValidationError(_("Enter the address of the page (https://...).")) from None

    @validates("published_on")
    def _not_in_future(self, value, **_kw):
        if value > local_today():
            raise ValidationError(_("The day of publication cannot be in the future."))


SCHEMA = PlanPublicationSchema()


def clean(data) -> dict:
    """The schema's clean data from the page's form, or ValidationFailed with a message per field."""
    return load_form(SCHEMA, data, ("published_on", "published_url"))


def record_publication(version: PlanVersion, data: dict) -> PlanVersion:
    """Record where and when the approved version was published (the caller commits; audited)."""
    if version.status not in APPROVED_VERSION or version.approved_on is None:
        raise ValidationFailed({"published_on": _("Only an approved plan is published.")})
    if data["published_on"] < version.approved_on:
        raise ValidationFailed({"published_on": _("The plan cannot be published before it was approved (%(d)s).",
                                                  d=version.approved_on.isoformat())})
    version.published_on, version.published_url = data["published_on"], data["published_url"]
    db.session.flush()
    return version
