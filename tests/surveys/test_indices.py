"""The indices and their confidence intervals, checked against values worked out by hand."""
import math
from types import SimpleNamespace

import pytest

from safetycouncil.surveys import indices as ix
from safetycouncil.surveys.questions import VERSION_1

QUESTIONS = [SimpleNamespace(code=c, section=s, scale=sc, index=i, only_if=o) for c, s, sc, i, o, _sq, _en in VERSION_1]

# Eleven respondents' answers to the two safety questions (1 very unsafe ... 4 very safe).
SAFETY = [(4, 4), (4, 3), (3, 3), (3, 2), (2, 2), (4, 2), (3, None), (None, None), (1, 1), (2, 1), (4, 4)]


def _responses(pairs):
    out = []
    for day, night in pairs:
        answers = {}
        if day is not None:
            answers["safety_day"] = day
        if night is not None:
            answers["safety_night"] = night
        out.append(answers)
    return out


def test_rescaling_of_a_four_point_answer():
    # (value - 1) / 3 * 100
    assert [ix.rescale(v, "safety4") for v in (1, 2, 3, 4)] == pytest.approx([0, 100 / 3, 200 / 3, 100])


def test_safety_index_and_its_95_percent_confidence_interval_by_hand():
    # Rescaled answers are multiples of 100/6 when a respondent's two answers are averaged, so write each
    # respondent's score as k · 100/6:
    #   (4,4) -> (100+100)/2 = 100      k=6        (4,3) -> (100+66.7)/2 = 83.3  k=5
    #   (3,3) -> 66.7  k=4                         (3,2) -> (66.7+33.3)/2 = 50   k=3
    #   (2,2) -> 33.3  k=2                         (4,2) -> (100+33.3)/2 = 66.7  k=4
    #   (3,-) -> 66.7  k=4 (the unanswered night question is skipped)
    #   (-,-) -> answered neither: does not count, so n = 10
    #   (1,1) -> 0     k=0                         (2,1) -> (33.3+0)/2 = 16.7    k=1
    #   (4,4) -> 100   k=6
    # k = 6,5,4,3,2,4,4,0,1,6: sum 35, mean k 3.5 -> mean = 3.5 · 100/6 = 58.333
    # deviations of k from 3.5: 2.5,1.5,.5,-.5,-1.5,.5,.5,-3.5,-2.5,2.5; squares add to 36.5
    # s(k) = sqrt(36.5 / 9) = 2.01384 -> s = 2.01384 · 100/6 = 33.564
    # half-width = 1.96 · 33.564 / sqrt(10) = 1.96 · 10.614 = 20.803
    # 95% CI = 58.333 ± 20.803 = 37.530 to 79.137
    result = ix.indices(_responses(SAFETY), QUESTIONS)["safety"]
    assert result.n == 10
    assert result.mean == pytest.approx(58.333, abs=0.001)
    assert result.sd == pytest.approx(33.564, abs=0.001)
    assert result.low == pytest.approx(37.530, abs=0.001)
    assert result.high == pytest.approx(79.137, abs=0.001)
    assert result.as_dict() == {"index": "safety", "n": 10, "value": 58.3, "ci_low": 37.5, "ci_high": 79.1,
                                "shown": True}
    # Nobody answered a trust or problem question: those indices have n = 0 and are not shown.
    assert not ix.indices(_responses(SAFETY), QUESTIONS)["trust"].shown


def test_problem_index_and_a_confidence_interval_cut_at_100_by_hand():
    # Respondent 1 calls all eight problems big (4): score 100.
    # Respondent 2 answers two: drugs 3 (66.7) and noise 1 (0): score (66.7 + 0) / 2 = 33.3.
    # mean = (100 + 33.3) / 2 = 66.667; s = sqrt(((33.333)² + (33.333)²) / 1) = 47.140
    # half-width = 1.96 · 47.140 / sqrt(2) = 65.333 -> 1.333 to 132.0, cut to 100.
    problems = [q.code for q in QUESTIONS if q.index == "problem"]
    responses = [{code: 4 for code in problems}, {"problem_drugs": 3, "problem_noise": 1}]
    result = ix.indices(responses, QUESTIONS, minimum=2)["problem"]
    assert (result.n, round(result.mean, 3), round(result.sd, 3)) == (2, 66.667, 47.140)
    assert result.low == pytest.approx(1.333, abs=0.001)
    assert result.high == 100.0
    # Ranking of the problems: the six only respondent 1 answered score 100 (n = 1), then drugs
    # (mean of 100 and 66.7 = 83.3, n = 2), then noise (mean of 100 and 0 = 50, n = 2), last.
    ranking = ix.problem_ranking(responses, QUESTIONS)
    assert [r[1] for r in ranking[:6]] == [100] * 6
    assert ranking[6][0] == "problem_drugs" and ranking[6][1] == pytest.approx(250 / 3) and ranking[6][2] == 2
    assert ranking[7][0] == "problem_noise" and ranking[7][1] == pytest.approx(50)


def test_trust_index_by_hand():
    # Ten respondents; five answer police 4, municipality 2, prosecution 3 -> (100 + 33.3 + 66.7) / 3 = 66.667;
    # five answer all three 1 -> 0. mean = 33.333; s = sqrt(10 · 33.333² / 9) = 35.136;
    # half-width = 1.96 · 35.136 / sqrt(10) = 21.778 -> 11.556 to 55.111.
    responses = [{"trust_police": 4, "trust_municipality": 2, "trust_prosecution": 3}] * 5 + \
                [{"trust_police": 1, "trust_municipality": 1, "trust_prosecution": 1}] * 5
    result = ix.indices(responses, QUESTIONS)["trust"]
    assert result.mean == pytest.approx(100 / 3)
    assert result.sd == pytest.approx(math.sqrt(10 * (100 / 3) ** 2 / 9))
    assert (round(result.low, 3), round(result.high, 3)) == (11.556, 55.111)


def test_fewer_respondents_than_the_minimum_show_no_index():
    assert ix.MIN_RESPONDENTS == 10
    result = ix.indices(_responses(SAFETY[:9]), QUESTIONS)["safety"]  # 8 answered: under 10
    assert result.n == 8 and not result.shown and result.mean is None and result.low is None


def test_distribution_counts_each_answer_and_the_unanswered():
    dist = ix.distribution(_responses(SAFETY), "safety_day", "safety4")
    # day answers: 4,4,3,3,2,4,3,-,1,2,4 -> 4: four, 3: three, 2: two, 1: one, unanswered: one
    assert dist.counts == {1: 1, 2: 2, 3: 3, 4: 4} and dist.unanswered == 1 and dist.answered == 10
    assert dist.percent(4) == pytest.approx(40.0)
    # An out-of-range value (stored by mistake) counts as unanswered, never as an answer.
    assert ix.distribution([{"safety_day": 7}], "safety_day", "safety4").unanswered == 1
