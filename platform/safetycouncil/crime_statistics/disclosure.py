"""Statistical disclosure control: the ONE place where figures are made safe to publish.

Every public output (pages, charts, CSV, JSON, the public API) takes its figures from
``disclose``; nothing public reads a raw count.

Rules, for categories marked ``sensitive`` (domestic violence, sexual offences, offences
against children):

* primary suppression: a count from 1 to threshold - 1 is not shown ("< 5"); 0 is shown;
* complementary suppression: an aggregate (all areas of the municipality) is not shown
  when the parts hidden inside it add up to less than the threshold, since subtracting the
  published parts from it would give the hidden small figure back.

Totals across categories are only published for the categories that are not sensitive, so
they never contain a hidden figure.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _

SMALL_COUNT = "small_count"
COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class Figure:
    """A figure as the public may see it."""

    count: int | None  # None when suppressed or when the month has no figures
    suppressed: bool = False
    reason: str | None = None  # SMALL_COUNT or COMPLEMENTARY when suppressed
    available: bool = True  # False: the month was not published (missing)

    @property
    def published(self) -> bool:
        return self.available and not self.suppressed

    def as_dict(self) -> dict:
        data = {"count": self.count, "suppressed": self.suppressed}
        if self.suppressed:
            data["suppression"] = self.reason
        if not self.available:
            data["available"] = False
        return data


MISSING = Figure(None, available=False)


def disclose(count: int | None, *, sensitive: bool, threshold: int,
             parts: Iterable[int] | None = None) -> Figure:
    """The publishable form of ``count``.

    ``parts``: for an aggregate, the counts it adds up (each of which is published through
    this same function), so that the aggregate cannot reveal a suppressed part.
    """
    if count is None:
        return MISSING
    if not sensitive or count == 0:
        return Figure(count)
    if count < threshold:
        return Figure(None, True, SMALL_COUNT)
    if parts is not None:
        hidden = sum(p for p in parts if 0 < p < threshold)
        if 0 < hidden < threshold:
            return Figure(None, True, COMPLEMENTARY)
    return Figure(count)


def display(figure: Figure, threshold: int) -> str:
    """The figure as text for people: the number, "< 5", "not shown" or "—" (no figures)."""
    if not figure.available:
        return "—"
    if figure.reason == SMALL_COUNT:
        return f"< {threshold}"
    if figure.suppressed:
        return _("not shown")
    return str(figure.count)


def change(current: Figure, earlier: Figure) -> int | None:
    """The difference between two figures, only when both are published (never from a hidden one)."""
    if current.published and earlier.published:
        return current.count - earlier.count
    return None
