"""The red-flag signs of bot/safety/signs.yml: every example a clinician wrote there holds,
and the rules' known pitfalls stay fixed."""

from __future__ import annotations

import pytest

from bot.safety.rules import Urgency, detect, signs

EXAMPLES = [
    (sign.id, kind, text)
    for sign in signs()
    for kind, texts in (sign.examples or {}).items()
    for text in texts
]


@pytest.mark.parametrize(("sign", "kind", "text"), EXAMPLES)
def test_each_sign_finds_its_examples_and_not_its_near_misses(sign, kind, text):
    found = {flag.sign for flag in detect(text)}
    if kind == "red_flag":
        assert sign in found, f"{sign} not found in {text!r} (found {found})"
    else:
        assert sign not in found, f"{sign} wrongly found in {text!r}"


def test_every_sign_has_examples_both_ways():
    for sign in signs():
        assert sign.examples and sign.examples.get("red_flag"), sign.id
        assert sign.examples.get("not_red_flag"), sign.id


# Defects found by reading the rules (issue 16), each failing on the rules before the fix.
def test_a_gap_never_steps_over_a_denial():
    assert detect("my feet tingle, no numbness in my groin") == []


def test_a_guard_for_one_pattern_does_not_hide_the_others():
    flags = detect("I cant pee since this morning and I keep coughing")
    assert [f.sign for f in flags] == ["bladder"]


def test_a_fall_over_the_dog_is_the_visitors_own():
    flags = detect("I fell over my dog this morning and my hip is killing me")
    assert [(f.sign, f.someone_else) for f in flags] == [("fall_injury", False)]


def test_falling_apart_is_not_a_fall():
    assert (
        detect("is it common to have hip and back pain together or am I just falling apart") == []
    )


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("my mums legs keep giving way", "leg_weakness"),
        ("my husband hasnt peed since last night", "bladder"),
        ("my son cant put any weight on his leg", "cannot_bear_weight"),
    ],
)
def test_someone_elses_red_flag_now_is_a_red_flag_for_them(text, sign):
    flags = detect(text)
    assert flags and flags[0].sign == sign and flags[0].someone_else


def test_a_relatives_old_illness_is_not_a_red_flag():
    assert detect("my grandmother had cancer, my back has been sore for a week") == []


def test_sudden_tearing_pain_with_faintness_is_an_emergency():
    flags = detect("sudden tearing pain in my back right through to my stomach, I feel faint")
    assert flags and flags[0].urgency is Urgency.EMERGENCY


def test_a_child_limping_is_seen_the_same_day():
    flags = detect("my 12 year old has had knee pain for weeks and has started limping")
    assert flags and flags[0].urgency is Urgency.SAME_DAY


def test_every_sign_is_named_in_the_urgent_message_and_the_question():
    from bot.wording import load_responses

    responses = load_responses()
    missing = [
        f"{prefix}{sign.id}"
        for sign in signs()
        for prefix in ("utter_sign_", "utter_check_")
        if f"{prefix}{sign.id}" not in responses
    ]
    assert missing == []


@pytest.mark.parametrize(
    "text",
    [
        "My dad is 79, fell down the stairs last night and can't put any weight on his leg",
        "I'm 84, slipped in the kitchen and can't stand up, my foot looks turned out",
    ],
)
def test_an_older_person_who_fell_and_cannot_bear_weight_is_an_emergency(text):
    assert detect(text)[0].urgency is Urgency.EMERGENCY


@pytest.mark.parametrize(
    "text",
    [
        "Just wondering, I can't pee since this morning, is that normal?",
        "I have none of the symptoms except I can't control my bladder",
        "I don't have that, but I have wet myself twice today",
    ],
)
def test_a_denial_applies_only_to_what_it_denies(text):
    assert [flag.sign for flag in detect(text)] == ["bladder"]


def test_a_visit_to_the_dentist_is_not_numbness():
    assert detect("I went to the dentist and my bum is sore from the chair") == []
