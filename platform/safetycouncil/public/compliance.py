"""What citizens read of compliance with the unified model, in plain words: for the national page
(every council) and each council's page, with the open data (/public/open-data/compliance.csv).

Verdicts are read only through the compliance area's public functions (``compliance.public.summary``,
``CouncilResult.complies``, the verdicts' statuses): the judgement is the compliance area's, the words
are this page's. The templates are partials (``public/_compliance_*.html``) the page layout places.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

FAILED = "fail"  # a verdict's status when the rule was due and not followed (compliance.engine)
PASSED = "pass"


@dataclass
class CouncilCompliance:
    """One council's judgement for a year, as citizens read it."""

    year: int
    complies: bool
    passed: int
    due: int
    not_followed: list[str] = field(default_factory=list)  # the rules' names

    @property
    def sentence(self) -> str:
        if self.due == 0:
            return _("In %(year)s no rule of the unified model was due yet.", year=self.year)
        if self.complies:
            return _("In %(year)s the council followed every rule of the unified model that was due "
                     "(%(passed)d of %(due)d).", year=self.year, passed=self.passed, due=self.due)
        return ngettext("In %(year)s the council did not follow %(num)d of the %(due)d rules of the unified "
                        "model that were due:",
                        "In %(year)s the council did not follow %(num)d of the %(due)d rules of the unified "
                        "model that were due:", len(self.not_followed), year=self.year, due=self.due)

    @property
    def short(self) -> str:
        """A few words beside the council's name in the national list."""
        if self.complies:
            return _("follows the unified model")
        return ngettext("%(num)d rule not followed", "%(num)d rules not followed", len(self.not_followed))


def _read(result, year: int) -> CouncilCompliance:
    from ..compliance.rules import rule_label

    statuses = {rule: verdict.status for rule, verdict in result.verdicts.items()}
    passed = sum(status == PASSED for status in statuses.values())
    failed = [rule for rule, status in statuses.items() if status == FAILED]
    return CouncilCompliance(year=year, complies=bool(result.complies), passed=passed, due=passed + len(failed),
                             not_followed=[rule_label(rule) for rule in failed])


@dataclass
class NationalCompliance:
    year: int
    total: int
    complying: int
    councils: dict[int, CouncilCompliance]
    results: dict = field(default_factory=dict)  # the engine's council results (the map's colours)

    @property
    def sentence(self) -> str:
        return _("%(n)d of the %(total)d councils followed every rule of the unified model that was due.",
                 n=self.complying, total=self.total)


def national() -> NationalCompliance | None:
    """Every council's compliance in the last full year (None when it cannot be judged)."""
    from ..compliance.public import summary

    result = summary()
    councils = {mid: _read(council, result.year) for mid, council in result.results.items()}
    return NationalCompliance(result.year, result.total, sum(c.complies for c in councils.values()), councils,
                              result.results)


def of_council(municipality_id: int) -> CouncilCompliance | None:
    """One council's compliance in the last full year, from the same judgement as the national page."""
    found = national()
    return None if found is None else found.councils.get(municipality_id)
