"""Errors that services raise for people to read, already in their language.

Two kinds, never mixed: ``ValidationFailed`` is bad input (HTTP 422: the form again, with its
messages); ``Refused`` is a refusal whatever the input (``NotAllowed``, 403: the person may not;
``Conflict``, 409: the record's state forbids it). Views and ``api.errors.commit_or_fail`` answer a
refusal with its ``status``; one that no view catches is answered by the application's handler."""
from __future__ import annotations


class ValidationFailed(ValueError):
    """Bad input: ``errors`` maps each field (or a general key) to a message."""

    status = 422

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class Refused(Exception):
    """Not a matter of input: the person may not, or the record's state forbids it. ``errors`` as in
    ``ValidationFailed``; ``status`` is the answer's HTTP status."""

    status = 409

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotAllowed(Refused):
    """The person may not do this (a permission matter, HTTP 403), said field by field."""

    status = 403


class Conflict(Refused):
    """The record's state forbids the change (HTTP 409), e.g. an approved plan version."""

    status = 409


# What a view catches to answer "the form again, with the messages, and the error's status".
FormErrors = (ValidationFailed, Refused)
