"""One error shape for the whole API: {"code", "status", "message", "errors"?}, in the caller's language."""
from __future__ import annotations

import re
from http import HTTPStatus

from flask import jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..schemas import too_long

# marshmallow's and webargs's own English messages, translated for the caller.
KNOWN_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field cannot be empty."),
    "Unknown field.": _l("This field is not known."),
    "Not a valid string.": _l("Enter text."),
    "Not a valid integer.": _l("Enter a whole number."),
    "Not a valid number.": _l("Enter a number."),
    "Not a valid boolean.": _l("Enter true or false."),
    "Not a valid date.": _l("Enter a date as YYYY-MM-DD."),
    "Not a valid datetime.": _l("Enter a date and time in ISO 8601 form."),
    "Not a valid email address.": _l("Enter a valid e-mail address."),
    "Invalid input type.": _l("The body must be a JSON object."),
    "Invalid JSON body.": _l("The request body is not valid JSON."),
    "Shorter than minimum length 1.": _l("This field cannot be empty."),
}


_PATTERNS = [
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"),
     lambda m: _("Enter between %(min)s and %(max)s characters.", min=m[1], max=m[2])),
    (re.compile(r"^Longer than maximum length (\d+)\.$"),
     lambda m: str(too_long(int(m[1])))),  # the platform's one "too long" message
    (re.compile(r"^Shorter than minimum length (\d+)\.$"),
     lambda m: _("Enter at least %(min)s characters.", min=m[1])),
    (re.compile(r"^Must be one of: (.*)\.$"), lambda m: _("Choose one of: %(choices)s.", choices=m[1])),
    (re.compile(r"^Must be greater than or equal to (.*)\.$"),
     lambda m: _("Enter a value of at least %(min)s.", min=m[1])),
    (re.compile(r"^Must be greater than or equal to (.*) and less than or equal to (.*)\.$"),
     lambda m: _("Enter a value from %(min)s to %(max)s.", min=m[1], max=m[2])),
]


def translate(messages):
    if isinstance(messages, dict):
        return {key: translate(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [translate(m) for m in messages]
    if isinstance(messages, str):
        known = KNOWN_MESSAGES.get(messages)
        if known is not None:
            return str(known)
        for pattern, render in _PATTERNS:
            match = pattern.match(messages)
            if match:
                return render(match)
        return messages
    return messages


def api_error_response(exc, code: int, message: str):
    payload = {"code": code, "status": HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "Error",
               "message": message}
    data = getattr(exc, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    if errors:
        # webargs nests errors by location ("json", "form", "query"); callers want the fields.
        if isinstance(errors, dict) and len(errors) == 1 and next(iter(errors)) in ("json", "form", "query", "files"):
            errors = next(iter(errors.values()))
        payload["errors"] = translate(errors)
        if errors == ["Invalid JSON body."]:
            payload["message"] = str(KNOWN_MESSAGES["Invalid JSON body."])
    if data.get("message"):
        payload["message"] = data["message"]
    headers = data.get("headers") or {}
    response = jsonify(payload)
    response.status_code = code
    for key, value in headers.items():
        response.headers[key] = value
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="kvsp"'
    return response


def validation_failed(errors: dict[str, str]):
    """Abort with 422 and field messages from a service's ValidationFailed."""
    from flask_smorest import abort

    abort(422, message=_("Some fields are not valid."), errors=errors)


def commit_or_fail(action):
    """Run a service call and commit; on refusal roll back and answer with the messages
    (422, or the refusal's own ``status``: 403 for ``NotAllowed``, 409 for a locked record).
    Nothing is ever half-saved."""
    from flask_smorest import abort

    from ..errors import FormErrors
    from ..extensions import db

    try:
        result = action()
        db.session.commit()
        return result
    except FormErrors as exc:
        db.session.rollback()
        status = exc.status
        if status == 422:
            validation_failed(exc.errors)
        abort(status, message=next(iter(exc.errors.values())), errors=exc.errors)
