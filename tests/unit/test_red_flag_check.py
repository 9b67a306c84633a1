"""The yes/no question about a suspected sign, and what each answer leads to."""

from __future__ import annotations

import asyncio

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher

from actions import red_flag_check, triage_form
from actions.yes_no import Answer, read_answer
from bot.safety import ASSESSMENT_KEY
from bot.safety.classifier import Verdict
from bot.safety.decision import CUTOFFS, Assessment, Decision, assess
from bot.safety.rules import detect, suspect
from bot.wording import DOMAIN_FILE, load_responses

DOMAIN = {"responses": load_responses()}
QUESTION = "things aren't working downstairs since my back went, what stretches help?"


def suspected_message() -> dict:
    return {
        "text": QUESTION,
        "intent": {"name": "red_flag_check", "confidence": 1.0},
        "overridden_intent": {"name": "ask_health_question", "confidence": 0.8},
        "entities": [],
        ASSESSMENT_KEY: Assessment(
            Decision.ASK, ("bladder", "saddle_numbness"), source="classifier", probability=0.6
        ).as_dict(),
    }


def tracker(latest: dict, slots: dict | None = None) -> Tracker:
    return Tracker("visitor", slots or {}, latest, [], False, None, {}, "action_listen")


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, DOMAIN))
    return dispatcher.messages, events


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Yes", Answer.YES),
        ("yeah a bit since sunday", Answer.NOT_SURE),
        ("no", Answer.NO),
        ("nope nothing like that", Answer.NO),
        ("Not sure", Answer.NOT_SURE),
        ("dunno tbh", Answer.NOT_SURE),
        ("no idea", Answer.NOT_SURE),
        ("no, but I did fall last week", Answer.YES),
        ("I have", Answer.YES),
        ("what stretches help?", None),
    ],
)
def test_answers_in_visitors_words(text, answer):
    assert read_answer(text) is answer


def test_the_question_names_the_suspected_signs_and_offers_three_buttons():
    messages, events = run(
        red_flag_check.ActionAskRedFlagCheckAnswer(), tracker(suspected_message())
    )
    assert messages[0]["response"] == "utter_ask_red_flag_check_answer"
    assert "bladder" in messages[0]["signs"] and "groin" in messages[0]["signs"]
    check = next(e["value"] for e in events if e["name"] == "red_flag_check")
    assert check["signs"] == ["bladder", "saddle_numbness"]
    assert check["message"]["intent"]["name"] == "ask_health_question"


@pytest.mark.parametrize("answer", ["yes", "not_sure"])
def test_yes_or_not_sure_to_an_emergency_sign_sends_to_the_emergency_department(answer):
    check = {"signs": ["bladder"], "someone_else": False, "asked": 1, "message": {}}
    latest = {"text": "yes", "intent": {"name": "affirm"}, "entities": []}
    slots = {"red_flag_check": check, "red_flag_check_answer": answer}
    messages, _ = run(red_flag_check.ActionRedFlagCheckOutcome(), tracker(latest, slots))
    assert [m["response"] for m in messages] == ["utter_urgent_emergency", "utter_closing"]


def test_yes_to_a_same_day_sign_gets_same_day_advice():
    check = {"signs": ["fever"], "someone_else": False, "asked": 1, "message": {}}
    latest = {"text": "yes", "intent": {"name": "affirm"}, "entities": []}
    slots = {"red_flag_check": check, "red_flag_check_answer": "yes"}
    messages, _ = run(red_flag_check.ActionRedFlagCheckOutcome(), tracker(latest, slots))
    assert messages[0]["response"] == "utter_urgent_same_day"


def test_no_puts_the_original_message_back_to_be_answered_as_asked():
    _, asked = run(red_flag_check.ActionAskRedFlagCheckAnswer(), tracker(suspected_message()))
    check = next(e["value"] for e in asked if e["name"] == "red_flag_check")
    latest = {"text": "no", "intent": {"name": "deny"}, "entities": []}
    slots = {"red_flag_check": check, "red_flag_check_answer": "no"}
    messages, events = run(red_flag_check.ActionRedFlagCheckOutcome(), tracker(latest, slots))
    assert messages == []
    assert events[-2] == ActionExecuted("action_listen")
    replayed = events[-1]
    assert replayed["event"] == UserUttered(QUESTION)["event"]
    assert replayed["text"] == QUESTION
    assert replayed["parse_data"]["intent"]["name"] == "ask_health_question"
    assert ASSESSMENT_KEY not in replayed["parse_data"]


def test_an_unclear_answer_is_asked_once_more_then_recorded_as_unclear():
    check = {"signs": ["bladder"], "someone_else": False, "asked": 1, "message": {}}
    once = red_flag_check.validate_check_answer("hmm", tracker({}, {"red_flag_check": check}))
    assert once == {"red_flag_check_answer": None}
    check["asked"] = 2
    twice = red_flag_check.validate_check_answer("hmm", tracker({}, {"red_flag_check": check}))
    assert twice == {"red_flag_check_answer": "unclear"}


def test_mid_triage_the_question_comes_first_and_no_goes_back_to_the_questions():
    form = triage_form.ValidateTriageForm()
    dispatcher = CollectingDispatcher()
    slots = list(triage_form.triage.TRIAGE_SLOTS)
    suspected = tracker(suspected_message())
    required = asyncio.run(
        form.required_slots(["red_flag_check_answer", *slots], dispatcher, suspected, DOMAIN)
    )
    assert required[0] == "red_flag_check_answer"
    check = {"signs": ["bladder"], "someone_else": False, "asked": 1, "message": {}}
    answered = tracker({"text": "no", "intent": {"name": "deny"}}, {"red_flag_check": check})
    result = asyncio.run(form.validate_red_flag_check_answer("no", dispatcher, answered, DOMAIN))
    assert result == {"red_flag_check_answer": None, "red_flag_check": None}
    after = tracker({"text": "no", "intent": {"name": "deny"}}, {})
    required = asyncio.run(
        form.required_slots(["red_flag_check_answer", *slots], dispatcher, after, DOMAIN)
    )
    assert required == slots


def test_rules_ask_about_a_vague_mention_and_escalate_a_clear_one():
    vague = "my wee is a bit weird since my back went"
    assert detect(vague) == [] and [f.sign for f in suspect(vague)] == ["bladder"]
    assert assess([], None, suspected=suspect(vague)).decision is Decision.ASK
    assert assess(detect("I cant pee since this morning"), None).decision is Decision.ESCALATE


@pytest.mark.parametrize(
    ("probability", "decision"),
    [
        (CUTOFFS.escalate_at, Decision.ESCALATE),
        (CUTOFFS.ask_at, Decision.ASK),
        (CUTOFFS.ask_at - 0.01, Decision.NONE),
    ],
)
def test_the_classifiers_cut_offs(probability, decision):
    verdict = Verdict(probability, (("fever", 0.9), ("cancer", 0.1)))
    assessment = assess([], verdict)
    assert assessment.decision is decision
    if decision is not Decision.NONE:
        assert assessment.signs[0] == "fever"


def test_a_same_day_sign_the_rules_find_in_a_message_the_classifier_doubts_is_asked_about():
    # "My legs turned to jelly when I saw the prices": the rules read weak legs, the
    # classifier reads nothing like a red flag. A question, whose "yes" still escalates.
    flags = detect("my left leg has gone weak since yesterday")
    doubt = CUTOFFS.rules_doubted_below
    doubted = assess(flags, Verdict(doubt - 0.01, (("leg_weakness", 0.9),)))
    assert doubted.decision is Decision.ASK
    assert doubted.signs == ("leg_weakness",) and doubted.urgency.value == "same_day"
    agreed = assess(flags, Verdict(doubt, (("leg_weakness", 0.9),)))
    assert agreed.decision is Decision.ESCALATE


def test_an_emergency_sign_the_rules_confirm_is_never_demoted_by_the_classifier():
    flags = detect("I cant pee since this morning")
    doubted = assess(flags, Verdict(0.0, (("fever", 0.9),)))
    assert doubted.decision is Decision.ESCALATE and doubted.urgency.value == "emergency"


def test_the_classifier_sure_of_a_more_urgent_sign_raises_the_urgency():
    flags = detect("my left leg has gone weak since yesterday")
    assert {f.urgency.value for f in flags} == {"same_day"}
    sure = assess(flags, Verdict(0.99, (("both_legs", CUTOFFS.sure_of_the_sign),)))
    assert sure.decision is Decision.ESCALATE and sure.urgency.value == "emergency"
    unsure = assess(flags, Verdict(0.99, (("both_legs", CUTOFFS.sure_of_the_sign - 0.01),)))
    assert unsure.urgency.value == "same_day"


def test_a_suspected_emergency_sign_is_asked_about_at_its_urgency():
    verdict = Verdict(CUTOFFS.ask_at, (("bladder", 0.6), ("fever", 0.4)))
    assessment = assess([], verdict)
    assert assessment.signs == ("bladder", "fever")
    assert assessment.urgency.value == "emergency"


def test_the_slots_the_question_uses_are_in_the_domain():
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    for slot in (red_flag_check.CHECK_SLOT, red_flag_check.ANSWER_SLOT):
        assert slot in domain["slots"]
    assert red_flag_check.ANSWER_SLOT in domain["forms"]["triage_form"]["required_slots"]
    assert SlotSet(red_flag_check.CHECK_SLOT, None) in red_flag_check.clear_check()
