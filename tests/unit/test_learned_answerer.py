"""The learned answerer's parts that need no trained model: labels, cost, features."""

from __future__ import annotations

import numpy as np

from knowledge.learned.labelled import answers, turns_of
from knowledge.learned.ranker import WRONG_ANSWER_COST, TurnSignals, best_threshold, fit_answerer


def test_a_table_phrase_needs_each_of_its_cells():
    row = "Feature: Pain location; Hip Arthritis: Groin, buttock, front of thigh; Back: Lower back"
    assert answers(row, ["Groin, buttock, front of thigh | Lower back"])
    assert not answers(row, ["Groin, buttock, front of thigh | Ankle"])
    assert answers("It can mimic sciatica \u2014 yes.", ["mimic sciatica - yes"])


def test_a_follow_up_carries_the_turn_before_it():
    rows = [{"id": "c1", "turns": [
        {"text": "can hip arthritis cause sciatica?", "expect": "answer", "expected": ["mimic sciatica"]},
        {"text": "what can I do at home?", "expect": "answer", "expected": ["Gentle stretching"]},
    ]}]  # fmt: skip
    first, second = turns_of("set", rows)
    assert not first.is_follow_up and second.is_follow_up
    assert second.previous_text == first.text and second.previous_expected == ("mimic sciatica",)


def test_the_bar_weighs_a_wrong_answer_above_a_decline():
    probabilities = np.array([0.9, 0.8, 0.6, 0.55, 0.3])
    answerable = np.array([True, True, False, True, False])
    # At 0.55 one unanswerable turn is answered (cost 2); at 0.8 one answerable is declined (1).
    assert WRONG_ANSWER_COST > 1
    assert best_threshold(probabilities, answerable) == 0.8


def test_the_ranker_learns_which_signals_point_at_the_answer():
    rng = np.random.default_rng(0)
    turns, answering, groups = [], [], []
    for n in range(80):
        own = rng.normal(size=(6, 5)).astype("float32")
        right = n % 6
        own[right, 1] += 3.0  # the answer's closest-sentence signal stands out
        answerable = n % 5 != 0
        turns.append(TurnSignals(own, None, None, 5, rng.normal(size=4).astype("float32")))
        answering.append(np.eye(6, dtype=bool)[right] if answerable else np.zeros(6, bool))
        groups.append(f"set-{n % 4}")
    quotable = np.ones(6, dtype=bool)
    answerer = fit_answerer(turns, answering, groups, quotable)
    ranked_right = [
        answering[n][answerer.decide(turns[n], quotable)[0][0]] for n in range(80) if n % 5
    ]
    assert sum(ranked_right) >= 0.9 * len(ranked_right)
