"""A marshmallow schema as the one contract for a form and the API: load a form with it, and turn its
messages into the platform's refusal (``ValidationFailed``, a message per field, translated)."""
from __future__ import annotations

from marshmallow import Schema, ValidationError

from .errors import ValidationFailed


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
