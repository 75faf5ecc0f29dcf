"""Every list operation of the API pages, and most follow changes (``updated_since``), the same way.

``page`` (from 1) and ``page_size`` (default 100, at most 1000) in the query; the answer is the page's
items as a JSON array, with the total and the links in the ``X-Pagination`` header (flask-smorest's:
``{"total", "total_pages", "first_page", "last_page", "page", "previous_page"?, "next_page"?}``).
``updated_since`` (an RFC 3339 date-time; UTC when it carries no offset) keeps only the items
created or changed at or after that moment (their ``updated_at``), so that another system can keep
a copy in step: remember when you last read, ask for what changed since. A record deleted since is
not listed: compare the ids of a full read now and then.

    @blp.response(200, ThingSchema(many=True))
    @listing(blp)                      # or listing(blp, sync=None) for lists without timestamps
    def get(self, ...):
        return [...]                   # the whole list; the pager cuts the page
"""
from __future__ import annotations

import functools
from flask import g
from flask_smorest import Page
from marshmallow import Schema

from .contract import UtcDateTime

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class UpdatedSinceSchema(Schema):
    updated_since = UtcDateTime(metadata={
        "description": "Only the items created or changed at or after this moment (RFC 3339; UTC when it carries "
                       "no offset). Each item's `updated_at` says when it last changed."})


def _changed_at(item, attribute: str):
    return item.get(attribute) if isinstance(item, dict) else getattr(item, attribute, None)


class SyncPage(Page):
    """A page of a list, after ``updated_since`` (when given) has kept the items changed since."""

    def __init__(self, collection, page_params):
        since, attribute = g.get("api_updated_since"), g.get("api_sync_attribute")
        if since is not None and attribute:
            collection = [item for item in collection
                          if (changed := _changed_at(item, attribute)) is not None and changed >= since]
        super().__init__(collection, page_params)


def listing(blp, *, sync: str | None = "updated_at"):
    """Pages the list the view returns; with ``sync``, accepts ``updated_since`` on that attribute."""

    def decorator(func):
        paged = blp.paginate(SyncPage, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)(func)
        if not sync:
            return paged

        @functools.wraps(paged)
        def wrapper(*args, updated_since=None, **kwargs):
            g.api_updated_since, g.api_sync_attribute = updated_since, sync
            return paged(*args, **kwargs)

        return blp.arguments(UpdatedSinceSchema, location="query", as_kwargs=True)(wrapper)

    return decorator
