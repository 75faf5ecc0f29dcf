"""What every operation of the API holds to, in one place:

* integers in requests (bodies, queries) fit in 32 bits, like every integer column (PostgreSQL's
  ``integer``): a larger one is refused with 422 and the usual error envelope before any view or
  query sees it; the document states the bounds (``format: int32``, ``minimum``, ``maximum``);
* timestamps are written in UTC with ``Z`` (RFC 3339); timestamps sent to the API may carry any
  offset (converted to UTC) or none (read as UTC); dates stay dates.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC

from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import ValidationError, fields
from webargs.flaskparser import FlaskParser

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
_INTEGER_TEXT = re.compile(r"^\s*[+-]?\d+\s*$")


class UtcDateTime(fields.DateTime):
    """A timestamp, stored as naive UTC: written as ``2026-12-04T03:42:52Z``."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") + "Z"

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        return parsed


def _integer_out_of_range(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not INT_MIN <= value <= INT_MAX
    if isinstance(value, float):
        return value.is_integer() and not INT_MIN <= value <= INT_MAX
    if isinstance(value, str) and _INTEGER_TEXT.match(value):
        return not INT_MIN <= int(value) <= INT_MAX
    return False


def _check(field, value):
    if isinstance(field, fields.Integer):
        if _integer_out_of_range(value):
            return [_("A whole number from %(min)d to %(max)d.", min=INT_MIN, max=INT_MAX)]
        return None
    if isinstance(field, fields.List) and isinstance(value, list):
        found = {i: e for i, v in enumerate(value) if (e := _check(field.inner, v))}
        return found or None
    if isinstance(field, fields.Nested):
        schema = field.schema
        if isinstance(value, list) and schema.many:
            found = {i: e for i, v in enumerate(value) if (e := _out_of_range(schema, v))}
            return found or None
        return _out_of_range(schema, value) or None
    return None


def _out_of_range(schema, data) -> dict:
    if not isinstance(data, Mapping):
        return {}
    found = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if field.dump_only or key not in data:
            continue
        value = data.getlist(key) if hasattr(data, "getlist") and isinstance(field, fields.List) else data[key]
        error = _check(field, value)
        if error:
            found[key] = error
    return found


class ContractParser(FlaskParser):
    """webargs' parser with the API's bounds checked before marshmallow loads the data."""

    def pre_load(self, location_data, *, schema, req, location):
        if location == "json" and not req.is_json and req.get_data(cache=True):
            # A body that is not JSON (a form, text) is never read as an empty object: 422.
            required = {(f.data_key or n): ["Missing data for required field."]
                        for n, f in schema.fields.items() if f.required and not f.dump_only}
            raise ValidationError(required or {"_schema": ["Invalid input type."]})
        errors = _out_of_range(schema, location_data)
        if errors:
            raise ValidationError(errors)
        return location_data


def install_parser() -> None:
    """Every blueprint's @arguments goes through ContractParser (set before the areas' API modules
    are imported: they decorate their views at import)."""
    Blueprint.ARGUMENTS_PARSER = ContractParser()


def document_fields(converter, field, ret, **kwargs) -> dict:
    """apispec: every integer is documented as int32 with its bounds (unless a Range narrows them);
    every timestamp as a UTC date-time."""
    if isinstance(field, fields.Integer) and not isinstance(field, fields.Boolean):
        extra = {"format": "int32"}
        extra["minimum"] = max(ret.get("minimum", INT_MIN), INT_MIN)
        extra["maximum"] = min(ret.get("maximum", INT_MAX), INT_MAX)
        return extra
    if isinstance(field, UtcDateTime):
        return {"format": "date-time", "example": "2026-12-04T09:30:00Z"}
    return {}


_METHODS = {"get", "put", "post", "patch", "delete"}
_ERRORS = {
    "400": "The body is not JSON, or not the JSON object this operation takes",
    "401": "No bearer token, or one that has expired or been revoked",
    "403": "The caller's roles do not allow this here (e.g. a read-only reader's write)",
    "404": "Nothing at this address: no such municipality, or no such record in it, or an id out of range",
    "409": "The record is in a state that does not allow this (e.g. already signed or approved)",
    "413": "The upload is too large",
    "422": "A field or a query parameter is not valid: the envelope's `errors` says which and why",
    "429": "Too many attempts: wait and try again",
}


def document_pagination_header(api) -> None:
    """X-Pagination's value is JSON text: say so with `content` (a `schema` of type object would
    describe a header that is an object, which a header cannot be)."""
    from flask_smorest.pagination import PaginationMetadataSchema

    components = api.spec.components
    if "PaginationMetadata" not in components.schemas:
        components.schema("PaginationMetadata", schema=PaginationMetadataSchema)
    header = {"description": "The page's place in the list, as JSON: "
                             "{total, total_pages, first_page, last_page, page, previous_page?, next_page?}",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PaginationMetadata"}}}}
    components.headers_lazy.pop("PAGINATION", None)
    components.headers["PAGINATION"] = header


def document_errors(api) -> None:
    """Every operation documents the errors it may answer, each with the one error envelope: 401 and
    403 where a token is needed, 404 where the path names something, 400 where a body is read."""
    document_pagination_header(api)
    for name, description in _ERRORS.items():
        api.spec.components.response(f"ERROR_{name}", {
            "description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
    for path, operations in api.spec._paths.items():
        for method, operation in operations.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            wanted = []
            if operation.get("security") != []:
                wanted += ["401", "403"]
            if "{" in path:
                wanted.append("404")
            if method in ("post", "put", "patch"):
                wanted += ["400", "409", "413"]
            if any(p.get("in") == "query" for p in operation.get("parameters", []) if isinstance(p, dict)):
                wanted.append("422")
            if path.endswith("/auth/token"):
                wanted.append("429")
            for code in wanted:
                responses.setdefault(code, {"$ref": f"#/components/responses/ERROR_{code}"})
