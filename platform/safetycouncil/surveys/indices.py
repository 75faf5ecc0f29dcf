"""The three indices, their confidence intervals, and the distributions: pure computation.

Definitions (the same for every wave, area and municipality, and for the national average):

* Each answer on a four-point scale (values 1 to 4) is rescaled to 0-100:
  ``score = (value - 1) / 3 * 100``, so 1 -> 0, 2 -> 33.3, 3 -> 66.7, 4 -> 100.
* A respondent's score on an index is the mean of the rescaled answers they gave to that index's
  questions; questions left unanswered are skipped. A respondent who answered none of them does not
  count for that index.
* **Safety index** (questions ``safety_day``, ``safety_night``; 1 = very unsafe ... 4 = very safe):
  0 = everybody feels very unsafe day and night, 100 = everybody feels very safe. Higher is better.
* **Problem index** (the eight "problems in your area" questions; 1 = no problem ... 4 = a big
  problem): 0 = nobody sees any problem, 100 = everybody sees every problem as big. Higher is WORSE.
* **Trust index** (trust in the police, the municipality, the prosecution; 1 = no trust ... 4 = a
  great deal): 0 = no trust at all, 100 = complete trust. Higher is better.
* The index of a group (an area, the municipality, the country) is the mean of its respondents'
  scores, ``m``, over the ``n`` respondents who count for it.
* **95% confidence interval**: normal approximation on the respondent-level scores,
  ``m ± 1.96 · s / √n`` where ``s`` is the sample standard deviation (divisor ``n - 1``). The bounds
  are cut to 0 and 100.
* A group with fewer than ``MIN_RESPONDENTS`` responses shows no figures at all (neither
  distributions nor indices): too few to be reliable, and too few to protect the respondents. An
  index with fewer than ``MIN_RESPONDENTS`` respondents counting for it is not shown either.

The per-question **distribution** counts each answer value and the responses without an answer;
percentages are of the responses that answered the question.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .questions import SCALES

MIN_RESPONDENTS = 10
Z_95 = 1.96


def rescale(value: int, scale: str) -> float:
    values = [v for v, _sq, _en in SCALES[scale]]
    low, high = min(values), max(values)
    return (value - low) / (high - low) * 100


def respondent_score(answers: Mapping[str, int], items: Sequence[tuple[str, str]]) -> float | None:
    """The mean of the rescaled answers to ``items`` ((code, scale) pairs); None when none answered."""
    scores = [rescale(answers[code], scale) for code, scale in items
              if isinstance(answers.get(code), int) and answers[code] in _values(scale)]
    return sum(scores) / len(scores) if scores else None


def _values(scale: str) -> set[int]:
    return {v for v, _sq, _en in SCALES[scale]}


@dataclass(frozen=True)
class IndexResult:
    name: str
    n: int
    mean: float | None = None
    sd: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def shown(self) -> bool:
        return self.mean is not None

    def as_dict(self) -> dict:
        r = (lambda x: None if x is None else round(x, 1))
        return {"index": self.name, "n": self.n, "value": r(self.mean), "ci_low": r(self.low),
                "ci_high": r(self.high), "shown": self.shown}


def index_of(name: str, scores: Iterable[float], *, minimum: int = MIN_RESPONDENTS) -> IndexResult:
    """Mean and 95% confidence interval of respondent scores; hidden (mean None) under ``minimum``."""
    values = list(scores)
    n = len(values)
    if n < max(minimum, 2):
        return IndexResult(name, n)
    mean = sum(values) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in values) / (n - 1))
    half = Z_95 * sd / math.sqrt(n)
    return IndexResult(name, n, mean, sd, max(0.0, mean - half), min(100.0, mean + half))


def index_items(questions) -> dict[str, list[tuple[str, str]]]:
    """index name -> [(question code, scale)], from the questionnaire's questions."""
    items: dict[str, list[tuple[str, str]]] = {}
    for q in questions:
        if q.index:
            items.setdefault(q.index, []).append((q.code, q.scale))
    return items


def indices(responses: Sequence[Mapping[str, int]], questions, *, minimum: int = MIN_RESPONDENTS
            ) -> dict[str, IndexResult]:
    result = {}
    for name, items in index_items(questions).items():
        scores = [s for s in (respondent_score(a, items) for a in responses) if s is not None]
        result[name] = index_of(name, scores, minimum=minimum)
    return result


@dataclass
class Distribution:
    code: str
    scale: str
    counts: dict[int, int] = field(default_factory=dict)
    unanswered: int = 0

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    def percent(self, value: int) -> float | None:
        return None if not self.answered else 100 * self.counts.get(value, 0) / self.answered

    def as_dict(self) -> dict:
        return {"question": self.code, "answered": self.answered, "unanswered": self.unanswered,
                "counts": {str(v): self.counts.get(v, 0) for v in _ordered(self.scale)},
                "percent": {str(v): (None if self.percent(v) is None else round(self.percent(v), 1))
                            for v in _ordered(self.scale)}}


def _ordered(scale: str) -> list[int]:
    return [v for v, _sq, _en in SCALES[scale]]


def distribution(responses: Sequence[Mapping[str, int]], code: str, scale: str) -> Distribution:
    dist = Distribution(code, scale, {v: 0 for v in _ordered(scale)})
    allowed = _values(scale)
    for answers in responses:
        value = answers.get(code)
        if isinstance(value, int) and value in allowed:
            dist.counts[value] += 1
        else:
            dist.unanswered += 1
    return dist


def problem_ranking(responses: Sequence[Mapping[str, int]], questions) -> list[tuple[str, float, int]]:
    """The problems of the problem index, worst first: (code, mean rescaled score, respondents)."""
    ranked = []
    for q in questions:
        if q.index != "problem":
            continue
        scores = [s for s in (respondent_score(a, [(q.code, q.scale)]) for a in responses) if s is not None]
        if scores:
            ranked.append((q.code, sum(scores) / len(scores), len(scores)))
    return sorted(ranked, key=lambda r: -r[1])
