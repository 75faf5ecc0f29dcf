"""Errors that services raise for people to read, already in their language."""
from __future__ import annotations


class ValidationFailed(ValueError):
    """Bad input: ``errors`` maps each field (or a general key) to a message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotAllowed(ValidationFailed):
    """The person may not do this (a permission matter, HTTP 403), said field by field."""

    status = 403
