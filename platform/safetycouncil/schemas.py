"""A marshmallow schema as the one contract for a form and the API: load a form with it, and turn its
messages into the platform's refusal (``ValidationFailed``, a message per field, translated)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, validate

from .errors import ValidationFailed

#: The one "too long" message, platform-wide (its msgid; a schema field uses ``too_long(limit)``).
TOO_LONG = "At most %(n)d characters."
#: The one range of years a date may fall in, platform-wide.
FIRST_YEAR = 1990


def last_year() -> int:
    """The last year a date may fall in."""
    return 2100


def too_long(n: int) -> validate.Length:
    """A length validator with the platform's one message, its limit readable as ``.max`` (HTML maxlength)."""
    return validate.Length(max=n, error=_l(TOO_LONG, n=n))


def load_form(schema: Schema, form, fields: tuple[str, ...], *, optional: tuple[str, ...] = ()) -> dict:
    """The schema's clean data from a form (strings stripped; an empty optional field left out), or
    ValidationFailed with the schema's messages."""
    raw = {k: (v.strip() if isinstance(v, str) else v) for k, v in dict(form).items() if k in fields}
    raw = {k: v for k, v in raw.items() if not (k in optional and v == "")}
    try:
        return schema.load(raw)
    except ValidationError as err:
        raise ValidationFailed({k: " ".join(str(m) for m in v) if isinstance(v, list) else str(v)
                                for k, v in err.messages.items()}) from None
