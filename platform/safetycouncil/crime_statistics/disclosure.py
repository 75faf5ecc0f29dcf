"""Statistical disclosure control: the ONE place where figures are made safe to publish.

Every public output (pages, charts, CSV, JSON, the public API, the series other areas publish)
takes its figures from ``publish_group``; nothing public reads a raw count.

A published table is, for each month and offence category, one count per area and the count of
all areas together (their sum). Totals across categories are only published for the categories
that are not sensitive, so they never contain a hidden figure; no other subtotal is published.
Each (month, category) is therefore a group of its own: its area cells and its total.

Rules, for categories marked ``sensitive`` (domestic violence, sexual offences, offences
against children), with the threshold ``t`` and the protection width ``p`` set by the Ministry:

* primary suppression: a count from 1 to t - 1 is not shown ("< t"); 0 is shown. Anyone
  therefore knows that a hidden count lies between 1 and t - 1;
* complementary suppression: the total of all areas is not shown unless, given the total and
  every published cell, each hidden count can still be anywhere in an interval at least
  ``min(p, t - 2)`` wide (t - 2 is the width of what "< t" already says): the smallest and the
  largest value a hidden cell can take, with every other hidden cell between 1 and t - 1 and
  all of them adding up to the total minus the published cells;
* revisions: a month corrected later is published again. A total that was published by an
  earlier revision stays in the hands of whoever downloaded it, so the corrected total of a
  group is only published when it adds no new equation about hidden cells: either no earlier
  revision published the group's total, or the hidden cells and their values are the same as
  in every earlier revision that did. A count unchanged by a revision keeps its label, so a
  hidden count never becomes visible through a revision (unless the Ministry changes the
  threshold: that changes every table, past ones included).

The attacker's view of this (linear programming over everything published, demo tables and
random ones) is tests/crime_statistics/test_disclosure_attack.py.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
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


@dataclass(frozen=True)
class Rule:
    """The Ministry's settings: counts from 1 to threshold - 1 are hidden; a hidden count is never
    narrowed by the published table to an interval narrower than ``min(width, threshold - 2)``."""

    threshold: int
    width: int

    @property
    def required_width(self) -> int:
        return max(0, min(self.width, self.threshold - 2))

    def is_small(self, count: int) -> bool:
        return 0 < count < self.threshold


@dataclass(frozen=True)
class Group:
    """One published group: each cell's figure and the total's."""

    cells: dict
    total: Figure
    hidden: frozenset = frozenset()  # the keys of the hidden cells

    def equation(self, values: Mapping) -> tuple | None:
        """What the group tells about its hidden cells: None when the total is not shown."""
        if not self.total.published or not self.hidden:
            return None
        return tuple(sorted((key, values.get(key, 0)) for key in self.hidden))


def hidden_interval(k: int, remainder: int, threshold: int) -> tuple[int, int]:
    """The smallest and largest value one of ``k`` hidden counts (each from 1 to threshold - 1) can
    take when they add up to ``remainder``: exact for this single equation with bounds (a linear
    programme with one constraint and boxes)."""
    top = threshold - 1
    return max(1, remainder - top * (k - 1)), min(top, remainder - (k - 1))


def total_is_safe(hidden_values: Iterable[int], rule: Rule) -> bool:
    """Whether publishing the total leaves every hidden count at least ``rule.required_width`` wide."""
    values = list(hidden_values)
    if not values:
        return True
    low, high = hidden_interval(len(values), sum(values), rule.threshold)
    return high - low >= rule.required_width


def publish_group(values: Mapping, keys: Iterable, *, sensitive: bool, rule: Rule,
                  earlier: Iterable[Mapping] = ()) -> Group:
    """The publishable form of one month's counts of one category: ``values`` maps each key (area) to
    its count (a missing key counts 0), ``keys`` lists every area. ``earlier``: the same group as
    each earlier revision of the month left it (oldest first), for months that were corrected.

    Every output (pages, charts, CSV, JSON, the API, the series other areas publish) goes through
    this function, so that a cell hidden in one is hidden in all."""
    keys = list(keys)
    total = sum(values.get(key, 0) for key in keys)
    if not sensitive or rule.threshold <= 1:
        return Group({key: Figure(values.get(key, 0)) for key in keys}, Figure(total))
    hidden = frozenset(key for key in keys if rule.is_small(values.get(key, 0)))
    cells = {key: Figure(None, True, SMALL_COUNT) if key in hidden else Figure(values.get(key, 0))
             for key in keys}
    show_total = total_is_safe((values.get(key, 0) for key in hidden), rule)
    if show_total and hidden:
        mine = tuple(sorted((key, values.get(key, 0)) for key in hidden))
        history = list(earlier)
        for index, before in enumerate(history):
            group = publish_group(before, keys, sensitive=True, rule=rule, earlier=history[:index])
            told = group.equation(before)
            if told is not None and told != mine:
                show_total = False
                break
    return Group(cells, Figure(total) if show_total else Figure(None, True, COMPLEMENTARY), hidden)


def plain(count: int | None) -> Figure:
    """A figure with no hidden part in it (the categories that are not sensitive)."""
    return MISSING if count is None else Figure(count)


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
