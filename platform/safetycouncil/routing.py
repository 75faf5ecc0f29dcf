"""One URL converter for every ``<int:...>`` in the application's paths (web pages and API).

Every integer in a path is a row id: a positive integer that fits the id columns (PostgreSQL's
``integer``, 32 bits). Anything else (beyond that, zero, negative, not a number) matches no route and answers 404 there, before any view or query
runs; the OpenAPI document states the bounds (flask-smorest reads them from the converter).
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer, the type of every id column


class IdConverter(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def install(app) -> None:
    """Before any route is added."""
    app.url_map.converters["int"] = IdConverter
