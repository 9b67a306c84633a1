"""Free-text triage answers map to the comparison table, and the summary follows them."""

import pytest

from actions import triage


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in my groin", ["groin_thigh"]),
        ("front of my thigh and my bum", ["groin_thigh", "buttock"]),
        ("lower back, and it goes down my leg", ["lower_back", "leg"]),
        ("Buttock", ["buttock"]),
        ("banana", None),
    ],
)
def test_pain_location(text, expected):
    assert triage.parse_location(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Getting up from sitting", ["sit_to_stand"]),
        ("walking up hills and stairs", ["walking_stairs"]),
        (
            "bending over to tie my laces, and long drives",
            ["bending_twisting", "prolonged_sitting"],
        ),
        ("nothing really", ["none"]),
        ("purple", None),
    ],
)
def test_what_makes_it_worse(text, expected):
    assert triage.parse_aggravating(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sitting eases it", "eased_by_sitting"),
        ("it's better when I sit down", "eased_by_sitting"),
        ("sitting for long makes it much worse", "worse_sitting"),
        ("I can't sit at my desk without pain", "worse_sitting"),
        ("not sure", "no_difference"),
        ("blue", None),
    ],
)
def test_effect_of_sitting(text, expected):
    assert triage.parse_easing(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("putting my socks on is a nightmare", ["hip_rotation"]),
        ("arching backwards", ["spine_bending"]),
        ("both", ["hip_rotation", "spine_bending"]),
        ("neither", ["none"]),
    ],
)
def test_movement_limits(text, expected):
    assert triage.parse_movement(text) == expected


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("Less than 6 weeks", "lt_6_weeks"),
        ("about a fortnight", "lt_6_weeks"),
        ("just over six weeks", "6_weeks_to_3_months"),
        ("about 3 months", "6_weeks_to_3_months"),
        ("6 months or so", "gt_3_months"),
        ("since last year", "gt_3_months"),
        ("ages", "gt_3_months"),
        ("since yesterday", "lt_6_weeks"),
        ("asdfgh", None),
    ],
)
def test_duration_is_read_as_the_buttons_ask_it(text, duration):
    assert triage.parse_duration(text) == duration


def test_red_flag_screen():
    assert triage.parse_red_flag_screen("None of these") == "none"
    assert triage.parse_red_flag_screen("nope") == "none"
    assert triage.parse_red_flag_screen("Yes, I have one of these") == "yes"
    assert triage.parse_red_flag_screen("hmm") is None


HIP = {
    "pain_location": ["groin_thigh"],
    "aggravating": ["walking_stairs", "sit_to_stand"],
    "easing": "eased_by_sitting",
    "movement_limits": ["hip_rotation"],
}
SPINE = {
    "pain_location": ["lower_back", "leg"],
    "aggravating": ["bending_twisting"],
    "easing": "worse_sitting",
    "movement_limits": ["spine_bending"],
}
MIXED = {
    "pain_location": ["groin_thigh", "lower_back"],
    "aggravating": ["walking_stairs", "bending_twisting"],
    "easing": "no_difference",
    "movement_limits": ["hip_rotation", "spine_bending"],
}


@pytest.mark.parametrize(
    ("answers", "pattern"), [(HIP, "hip-like"), (SPINE, "spine-like"), (MIXED, "mixed")]
)
def test_pattern_follows_the_table(answers, pattern):
    assert triage.assess(answers).pattern == pattern


def test_clues_name_the_table_rows():
    rows = {clue.row for clue in triage.assess(HIP).clues}
    assert rows == {"Pain location", "Aggravated by", "Relief position", "Range of motion"}
