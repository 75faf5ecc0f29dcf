"""A marshmallow schema as the one contract for a form and the API: load a form with it, and turn its
messages into the platform's refusal (``ValidationFailed``, a message per field, translated).

Also the platform's one wording per kind of bad input (one "too long", one date, one year range) as field
builders, and ``field_limits``: the HTML ``maxlength``/``required`` of a form read from its schema."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from importlib import import_module

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from marshmallow import Schema, ValidationError, fields, validate
from marshmallow.fields import List as ListField

from .errors import ValidationFailed

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the one range of years (and dates) any input accepts
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y")


def blank(value) -> bool:
    """Nothing written: None, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def too_long(n: int):
    """The one "too long" message."""
    return _l("At most %(n)d characters.", n=n)


def length(n: int) -> validate.Length:
    """A length validator with the one "too long" message; its limit readable as ``.max`` (HTML maxlength)."""
    return validate.Length(max=n, error=too_long(n))


def string(max_length: int, required=None, **kwargs) -> fields.String:
    """A text of at most ``max_length`` characters; ``required`` is the message when it is missing or empty
    (an optional text may be left out or null)."""
    at_most = length(max_length)
    if required:
        return fields.String(required=True, validate=[validate.Length(min=1, error=required), at_most],
                             error_messages={"required": required, "null": required}, **kwargs)
    return fields.String(allow_none=True, validate=at_most, **kwargs)


def choice(choices, required=None, *, invalid=None, **kwargs) -> fields.String:
    """One of ``choices``; ``required`` is the message when it is missing, ``invalid`` (or the required
    message, or "Choose one of the options.") when it is something else."""
    message = invalid or required or _l("Choose one of the options.")
    missing = required or message
    return fields.String(required=bool(required), allow_none=not required, validate=validate.OneOf(
        tuple(choices), error=message), error_messages={"required": missing, "null": missing}, **kwargs)


def integer(required=None, *, invalid=None, **kwargs) -> fields.Integer:
    """A whole number; ``required`` is the message when it is missing, ``invalid`` (or the required
    message, or "Enter a whole number.") when it is not a whole number."""
    invalid = invalid or required or _l("Enter a whole number.")
    messages = {"invalid": invalid}
    if required:
        messages |= {"required": required, "null": required}
    return fields.Integer(required=bool(required), allow_none=not required, error_messages=messages, **kwargs)


def year(required=None, **kwargs) -> fields.Integer:
    message = _l("Enter a year between 2000 and 2100.")
    messages = {"invalid": message} | ({"required": required, "null": required} if required else {})
    return fields.Integer(required=bool(required), allow_none=not required, error_messages=messages,
                          validate=validate.Range(FIRST_YEAR, LAST_YEAR, error=message), **kwargs)


class Number(fields.Float):
    """A number as people write it: "1 500,5" is 1500.5."""

    default_error_messages = {"invalid": _l("Enter a number.")}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if "," in value and "." not in value:
                value = value.replace(",", ".")
        return super()._deserialize(value, attr, data, **kwargs)


class Day(fields.Date):
    """A day written as YYYY-MM-DD or DD.MM.YYYY (also with / or -), from FIRST_YEAR to LAST_YEAR."""

    default_error_messages = {"invalid": _l("Enter a date as DD.MM.YYYY.")}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        raw = str(value).strip()
        for fmt in DATE_FORMATS:
            try:
                parsed = datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
            if FIRST_YEAR <= parsed.year <= LAST_YEAR:
                return parsed
            break
        raise self.make_error("invalid")


def day(required=None, **kwargs) -> Day:
    if required:
        return Day(required=True, error_messages={"required": required, "null": required}, **kwargs)
    return Day(allow_none=True, **kwargs)


def load(schema: Schema, data, *, partial=None) -> dict:
    """The schema's clean data, or ValidationFailed with one message per field."""
    try:
        return schema.load(data, partial=partial)
    except ValidationError as err:
        raise ValidationFailed({k: " ".join(str(m) for m in v) if isinstance(v, list) else str(v)
                                for k, v in err.messages.items()}) from None


def load_form(schema: Schema, form, fields: tuple[str, ...] | None = None, *, optional: tuple[str, ...] = (),
              partial=None) -> dict:
    """The schema's clean data from a form (strings stripped; an empty optional field left out), or
    ValidationFailed with the schema's messages. Without ``fields``: the schema's loadable fields (a list
    field takes every value of its name); an empty field is None when it may be null (a form clears it),
    otherwise missing (its "required" message, or its default)."""
    source = form.to_dict() if hasattr(form, "to_dict") else dict(form)
    if fields is None:
        loadable = {f.data_key or n: f for n, f in schema.fields.items() if not f.dump_only}
        raw = {k: (v.strip() if isinstance(v, str) else v) for k, v in source.items() if k in loadable}
        raw |= {k: form.getlist(k) for k, f in loadable.items()  # checkboxes, multiple selects
                if isinstance(f, ListField) and hasattr(form, "getlist") and k in form}
        raw = {k: (None if v == "" and loadable[k].allow_none else v) for k, v in raw.items()
               if v != "" or loadable[k].allow_none}  # an empty required field is missing
        return load(schema, raw, partial=partial)
    raw = {k: (v.strip() if isinstance(v, str) else v) for k, v in source.items() if k in fields}
    raw = {k: v for k, v in raw.items() if not (k in optional and v == "")}
    return load(schema, raw, partial=partial)


def _limits(schema: Schema) -> dict[str, Markup]:
    limits = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        validators = field.validators if isinstance(field.validators, list | tuple) else [field.validators]
        longest = [v.max for v in validators if isinstance(v, validate.Length) and v.max is not None]
        attrs = (f' maxlength="{min(longest)}"' if longest else "") + (" required" if field.required else "")
        limits[field.data_key or name] = Markup(attrs)
    return limits


@lru_cache(maxsize=None)
def _limits_of(path: str) -> dict[str, Markup]:
    module, _sep, name = path.rpartition(".")
    schema = getattr(import_module(f"{__package__}.{module}"), name)
    return _limits(schema() if isinstance(schema, type) else schema)


def field_limits(schema: Schema | str) -> dict[str, Markup]:
    """The HTML attributes of each input the schema loads (`` maxlength="200" required``), so a template
    repeats no number: ``{% set limits = field_limits("concerns.schemas.ConcernSchema") %}`` then
    ``<input name="contact"{{ limits.contact }}>``."""
    return _limits_of(schema) if isinstance(schema, str) else _limits(schema)


class Ids(ListField):
    """Ids (whole numbers): a list, one value, or a form's checkboxes (blanks left out); anything else is
    refused with one message, ``invalid`` ("Enter a whole number." when not given)."""

    def __init__(self, invalid=None, **kwargs):
        super().__init__(fields.Integer(), error_messages={"invalid": invalid or _l("Enter a whole number.")},
                         **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        values = [value] if isinstance(value, int | str) else value
        if not isinstance(values, list | tuple) or any(isinstance(v, bool) for v in values):
            raise self.make_error("invalid")
        try:
            return [int(str(v).strip()) for v in values if not blank(v)]
        except ValueError:
            raise self.make_error("invalid") from None


def parse_day(value) -> date | None:
    """A day as ``Day`` reads it ("31.12.2026", "2026-12-31"), or None when it is not one (or blank)."""
    if blank(value):
        return None
    try:
        return Day().deserialize(value)
    except ValidationError:
        return None


def load_fields(data, **fields_) -> dict:
    """``load_form`` of a few inputs that make no record, by a schema of ``fields_`` (the builders above)
    made on the spot: ``load_fields(request.args, since=day(), until=day())`` (read under each field's
    ``data_key`` when it has one)."""
    keys = [f.data_key or name for name, f in fields_.items()]
    return load_form(Schema.from_dict(fields_)(), {k: data.get(k) for k in keys})
