"""The golden red-flag rows: what the trained detector and the final decision do with them.

``red_flag_golden.jsonl`` holds 96 labelled messages: red flags of every sign in ``bot/safety/signs.yml``
that the sets label (each with the urgency the clinic's guidance gives it), near-miss
controls from each labelled set, ordinary visitor questions, and the cases issue 24 named.
Each goes through Rasa's NLU as the running assistant holds it (``/model/parse``), so a
change to the rules, the classifier's data or its cut-offs that changes one of them fails
here. The labels come from the sets; the rows were picked, one set at a time, from those
the detector got right when they were added (2026-12-07), so that this is a regression
test, not a measure: the measures are ``make eval`` and ``tools.calibrate_red_flags``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOLDEN = [
    json.loads(line)
    for line in Path(__file__).with_name("red_flag_golden.jsonl").read_text().splitlines()
    if line
]


def test_the_golden_set_has_both_urgencies_and_the_controls():
    escalated = [row for row in GOLDEN if row["decision"] == "escalate"]
    assert len(GOLDEN) >= 60
    assert {row["urgency"] for row in escalated} == {"emergency", "same_day"}
    assert sum(row["decision"] == "none" for row in GOLDEN) >= 25


@pytest.mark.parametrize("row", GOLDEN, ids=lambda row: row["id"])
def test_golden_row(stack, row):
    assessment = stack.parse(row["text"])["red_flag_assessment"]
    assert assessment["decision"] == row["decision"], row["text"]
    if row["decision"] == "escalate":
        assert assessment["urgency"] == row["urgency"], row["text"]
