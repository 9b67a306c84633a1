"""Red flags are caught wherever and however they are described, without crying wolf."""

import json

import pytest

from bot.safety.rules import Urgency, detect
from tools import EVAL_DIR as DATA

# The sets the rules were written and widened against (docs/evaluation.md): every red flag
# in them must be caught, and no control raised. The blind sets are measured through the
# whole assistant by `make eval` (tools/evaluate_red_flags.py), not held to this.
SETS = [DATA / "red_flags.jsonl", *sorted(DATA.glob("red_flags_heldout*.jsonl"))]


def _cases(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line]


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_every_red_flag_is_caught(path):
    missed = [c["text"] for c in _cases(path) if c["red_flag"] and not detect(c["text"])]
    assert missed == []


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_no_control_is_a_false_alarm(path):
    controls = [c for c in _cases(path) if not c["red_flag"]]
    assert [c["text"] for c in controls if detect(c["text"])] == []


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_cauda_equina_signs_mean_the_emergency_department(path):
    wrong = [
        c["text"]
        for c in _cases(path)
        if c["red_flag"]
        and c["kind"] == "emergency"
        and detect(c["text"])[0].urgency is not Urgency.EMERGENCY
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "text",
    [
        "I had a fall years ago, is that why my hip is stiff?",
        "no bladder or bowel problems, just a stiff hip",
        "I don't have a fever",
        "my dad had cancer, I just have hip stiffness",
        "is weight loss good for hip pain",
        # Everyday phrases that share words with the signs.
        "Nothing came up on the X-ray",
        "I have water retention in my legs",
        "the pain comes on without warning",
        "I couldn't make it in time for my appointment",
        "I came off the pill last year and my back hurts",
        "I couldn't stand the pain in my hip, so I sat down",
        "I want to lose weight to help my back",
        "I work day and night at the shop",
        "I can't fall asleep because my bottom hurts",
        "I twisted my back and didn't even feel it happen",
        # A denial inside the phrase, between the body part and the sign.
        "my legs are not weak, just stiff in the mornings",
        "the pain never wakes me, it's worse when I first get up",
        "my knee has never buckled but my hip clicks",
        # The pain is fading, not the feeling.
        "I can hardly feel the pain in my groin any more since the physio",
    ],
)
def test_mentions_that_are_not_red_flags(text):
    assert detect(text) == []


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("I can't control my bladder since yesterday", Urgency.EMERGENCY),
        ("it feels numb when I wipe", Urgency.EMERGENCY),
        # Lost feeling with a word between: "can't really feel", "can barely feel".
        ("since this morning I can't really feel the toilet paper when I wipe", Urgency.EMERGENCY),
        ("I can barely feel anything down below", Urgency.EMERGENCY),
        ("I fell down the stairs this morning and can't stand on my leg", Urgency.SAME_DAY),
        ("none of those... though actually I've had a temperature", Urgency.SAME_DAY),
        ("my leg has felt a bit weaker lately", Urgency.SAME_DAY),
        ("weakness in my right leg since last week", Urgency.SAME_DAY),
        ("my leg has not stopped giving way since Monday", Urgency.SAME_DAY),
    ],
)
def test_red_flags_found_mid_sentence(text, urgency):
    flags = detect(text)
    assert flags and flags[0].urgency is urgency
