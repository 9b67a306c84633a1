"""Custom actions, run as Rasa would call them (rasa_sdk Tracker + CollectingDispatcher)."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import (
    answer_finder,
    conversation,
    knowledge_answers,
    red_flags,
    reply_pipeline,
    triage_form,
)
from actions.phrasing import asks_a_question
from bot.runtime.settings import get_settings
from bot.safety import ASSESSMENT_KEY
from bot.safety.decision import Assessment, Decision
from bot.safety.rules import Urgency
from bot.wording import load_responses
from knowledge.answering import Answerer

DOMAIN = {"responses": load_responses()}


@pytest.fixture(autouse=True)
def clinic(monkeypatch, clinic_engine):
    for module in (knowledge_answers, triage_form):
        monkeypatch.setattr(module, "get_engine", lambda: clinic_engine)
    # The unit tier has no trained models: the answerer's untrained (hand-set) baseline. The
    # learned answerer is tested through the running assistant (tests/stack).
    answerer = Answerer(clinic_engine, learned=None)
    monkeypatch.setattr(answer_finder, "get_answerer", lambda: answerer)
    monkeypatch.setenv("BOOKING_URL", "https://clinic.test/book")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def tracker(
    text: str = "",
    slots: dict | None = None,
    active_loop: str | None = None,
    entities: list[dict] | None = None,
    assessment: Assessment | None = None,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": "inform", "confidence": 1.0},
        "entities": entities or [],
    }
    if assessment:
        latest[ASSESSMENT_KEY] = assessment.as_dict()
    return Tracker(
        sender_id="visitor",
        slots=slots or {},
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run(action, text="", **kwargs):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(text, **kwargs), DOMAIN))
    return dispatcher.messages, events


def responses(messages) -> list[str]:
    return [m["response"] for m in messages]


def assert_closes_with_booking_link(messages):
    assert messages[-1]["response"] == "utter_closing"
    assert messages[-1]["booking_url"] == "https://clinic.test/book"


def test_grounded_answer_quotes_and_cites_the_article():
    messages, _ = run(conversation.ActionAnswerQuestion(), "can hip arthritis cause sciatica?")
    answer = messages[0]
    assert answer["response"] == "utter_grounded_answer"
    # An FAQ answer is shown under its question ("Absolutely." alone would say nothing).
    assert answer["passage"].startswith("Can hip arthritis cause sciatica?\nIt can mimic sciatica.")
    assert "How Hip Arthritis Can Cause Back Pain" in answer["citation"]
    assert "Can hip arthritis cause sciatica?" in answer["citation"]
    assert_closes_with_booking_link(messages)


def test_question_the_articles_do_not_answer_is_declined_plainly():
    messages, _ = run(conversation.ActionAnswerQuestion(), "how much ibuprofen can I take")
    assert responses(messages) == ["utter_no_grounded_answer", "utter_closing"]
    assert_closes_with_booking_link(messages)


@pytest.mark.parametrize(
    "question",
    [
        "how many sets and reps of glute bridges should I do?",
        "how long until I'd need a new hip?",
        "what dose of turmeric helps arthritis?",
    ],
)
def test_a_question_wanting_an_amount_the_articles_do_not_give_is_declined(question):
    # A passage on the same subject (glute strengthening, hip arthritis, turmeric in an
    # anti-inflammatory diet) is no answer to "how many" or "how long".
    messages, _ = run(conversation.ActionAnswerQuestion(), question)
    assert responses(messages) == ["utter_no_grounded_answer", "utter_closing"]


def test_an_amount_the_articles_do_give_is_answered():
    messages, _ = run(conversation.ActionAnswerQuestion(), "how many bones make up the spine?")
    assert "24 vertebral bones" in messages[0]["passage"]


@pytest.mark.parametrize(
    "question",
    [
        "do you do dry needling for back pain?",
        "how much is a session with you guys?",
        "do u treat frozen shoulder",
        "can I claim it on my Bupa insurance?",
    ],
)
def test_what_only_the_clinic_can_answer_gets_how_to_reach_it(question):
    messages, _ = run(conversation.ActionAnswerQuestion(), question)
    assert responses(messages)[0].startswith("utter_contact_clinic")
    assert_closes_with_booking_link(messages)


def test_decline_offers_the_booking_link():
    messages, _ = run(conversation.ActionDecline(), "tell me a joke")
    assert responses(messages) == ["utter_decline", "utter_closing"]
    assert_closes_with_booking_link(messages)


def escalated(urgency: str, sign: str, someone_else: bool = False) -> Assessment:
    """What the red-flag detector puts on a message it escalates."""
    return Assessment(Decision.ESCALATE, (sign,), Urgency(urgency), someone_else, "rules", 1.0)


def test_cauda_equina_signs_go_to_the_emergency_department_and_stop_the_form():
    messages, events = run(
        red_flags.ActionRedFlag(),
        "I keep wetting myself since my back went",
        active_loop="triage_form",
        assessment=escalated("emergency", "bladder"),
    )
    assert messages[0]["response"] == "utter_urgent_emergency"
    assert messages[0]["signs"] == "changes in bladder control"
    assert_closes_with_booking_link(messages)
    assert ActiveLoop(None) in events
    assert SlotSet("pain_location", None) in events


def test_other_red_flags_get_same_day_advice():
    messages, _ = run(
        red_flags.ActionRedFlag(),
        "I've had a fever and chills with this back pain",
        assessment=escalated("same_day", "fever"),
    )
    assert messages[0]["response"] == "utter_urgent_same_day"
    assert_closes_with_booking_link(messages)


def test_someone_elses_red_flag_is_escalated_for_them():
    messages, _ = run(
        red_flags.ActionRedFlag(),
        "my husband hasn't peed since last night",
        assessment=escalated("emergency", "bladder", someone_else=True),
    )
    assert messages[0]["response"] == "utter_urgent_emergency_someone_else"
    assert_closes_with_booking_link(messages)


def test_red_flag_without_recognisable_sign_still_gets_urgent_advice():
    messages, _ = run(red_flags.ActionRedFlag(), "something is very wrong down there")
    assert messages[0]["response"] == "utter_urgent_unspecified"


def test_no_answer_carries_a_safety_note_any_more():
    messages, _ = run(conversation.ActionAnswerQuestion(), "can hip arthritis cause sciatica?")
    assert "utter_safety_check" not in responses(messages)
    messages, _ = run(conversation.ActionOfferTriage(), "my hip aches when I walk")
    assert responses(messages) == ["utter_offer_triage"]


def test_a_pain_description_that_asks_something_is_answered_before_the_triage_offer():
    messages, _ = run(
        conversation.ActionOfferTriage(),
        "I've got arthritis in my hip and my back aches too, can hip arthritis cause sciatica",
    )
    said = responses(messages)
    assert said[0] == "utter_grounded_answer"
    # The offer comes after the answer, and the closing is the turn's last word.
    assert said[-2:] == ["utter_offer_triage", "utter_closing"]
    assert "How Hip Arthritis Can Cause Back Pain" in messages[0]["citation"]
    assert_closes_with_booking_link(messages)


def test_a_pain_description_whose_question_the_articles_do_not_answer_gets_the_offer_alone():
    messages, _ = run(
        conversation.ActionOfferTriage(), "my back is sore, how much ibuprofen can I take"
    )
    assert responses(messages) == ["utter_offer_triage", "utter_closing"]


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("my lower back has been sore for a week, should i keep walking", True),
        ("hip's sore. what can i do", True),
        ("sore back, any advice", True),
        ("is it normal for my hip to click", True),
        ("hip and back pain together, what's going on", True),
        ("hip or back - which one is usually the culprit", True),
        ("my hip hurts, can't walk far", False),
        ("it started in june and is getting worse", False),
        ("when i sit my hip aches", False),
        ("any time i bend it hurts", False),
    ],
)
def test_a_question_is_told_from_a_statement(text, asks):
    assert asks_a_question(text) is asks


def test_triage_summary_reports_a_hip_like_pattern_quoting_the_table():
    slots = {
        "pain_location": ["groin_thigh"],
        "aggravating": ["walking_stairs"],
        "easing": "eased_by_sitting",
        "movement_limits": ["hip_rotation"],
        "duration": "3 months",
        "red_flag_screen": "none",
    }
    messages, events = run(triage_form.ActionTriageSummary(), slots=slots)
    summary = messages[0]
    assert summary["response"] == "utter_triage_summary"
    assert summary["pattern"] == "hip-like"
    assert "you said groin or front of the thigh" in summary["reasons"]
    assert '"Groin, buttock, front of thigh" under Hip Arthritis' in summary["reasons"]
    assert '"Often eased by sitting"' in summary["reasons"]
    assert "How Hip Arthritis Can Cause Back Pain" in summary["citation"]
    assert_closes_with_booking_link(messages)
    assert SlotSet("pain_location", None) in events


@pytest.mark.parametrize("answer", ["yes", "not_sure"])
def test_triage_ending_with_a_warning_sign_gets_urgent_advice_not_a_pattern(answer):
    messages, _ = run(triage_form.ActionTriageSummary(), slots={"red_flag_screen": answer})
    assert responses(messages) == ["utter_urgent_unspecified", "utter_closing"]


def test_form_validation_maps_free_text_reasks_once_then_records_unclear():
    validator = triage_form.ValidateTriageForm()
    dispatcher = CollectingDispatcher()
    first = tracker("it's better when I sit down")
    ok = asyncio.run(validator.validate_easing(first.latest_message["text"], dispatcher, first, {}))
    assert ok == {"easing": "eased_by_sitting"}
    assert dispatcher.messages == []

    nonsense = tracker("purple monkey")
    bad = asyncio.run(validator.validate_easing("purple monkey", dispatcher, nonsense, {}))
    assert bad == {"easing": None, "triage_reasked": ["easing"]}
    assert dispatcher.messages[0]["response"] == "utter_triage_reask_easing"

    again = tracker("purple monkey", slots={"triage_reasked": ["easing"]})
    moved_on = asyncio.run(validator.validate_easing("purple monkey", dispatcher, again, {}))
    assert moved_on == {"easing": "unclear"}
    assert len(dispatcher.messages) == 1  # not asked a third time


def test_the_summary_says_which_answers_were_unclear():
    slots = {
        "pain_location": ["groin_thigh"],
        "aggravating": "unclear",
        "easing": "eased_by_sitting",
        "movement_limits": ["hip_rotation"],
        "duration": "unclear",
        "red_flag_screen": "none",
    }
    messages, _ = run(triage_form.ActionTriageSummary(), slots=slots)
    note = messages[0]["pattern_note"]
    assert "what makes it worse and how long you've had it" in note


def test_contact_uses_the_clinic_settings(monkeypatch):
    monkeypatch.setenv("CLINIC_PHONE", "01234 567890")
    get_settings.cache_clear()
    messages, _ = run(conversation.ActionContactClinic(), "can I call you")
    assert messages[0]["response"] == "utter_contact_clinic_phone"
    assert messages[0]["clinic_phone"] == "01234 567890"
    assert_closes_with_booking_link(messages)


def test_a_stray_stop_gets_the_prompt():
    messages, _ = run(conversation.ActionHowCanIHelp(), "let's not carry on with this")
    assert responses(messages) == ["utter_how_can_i_help"]


TOPIC = {answer_finder.TOPIC_SLOT: {"question": "can tight hip flexors cause back pain?"}}


@pytest.mark.parametrize("follow_up", ["whats the fix", "how do I stretch them?"])
def test_a_follow_up_is_answered_on_the_topic_before_it(follow_up):
    # Taken for off-topic by the classifier, it is still read with the question before it.
    messages, events = run(conversation.ActionDecline(), follow_up, slots=TOPIC)
    assert messages[0]["response"] == "utter_grounded_answer"
    assert "hip flexor" in messages[0]["passage"].lower()
    assert any(isinstance(e, dict) and e.get("name") == answer_finder.TOPIC_SLOT for e in events)


def test_a_pain_description_asking_what_the_clinic_offers_gets_how_to_reach_it():
    text = "Do you treat knee pain? My left knee has been sore since I started running."
    messages, _ = run(conversation.ActionOfferTriage(), text)
    assert responses(messages)[0].startswith("utter_contact_clinic")
    assert_closes_with_booking_link(messages)


def test_the_fallback_ends_the_turn_after_answering_a_follow_up_or_referring():
    # Without action_listen next, Rasa's fallback rule runs the action again and again.
    def listens_next(events) -> bool:
        return ("followup", "action_listen") in [(e["event"], e.get("name")) for e in events]

    messages, events = run(conversation.ActionDefaultFallback(), "whats the fix", slots=TOPIC)
    assert messages[0]["response"] == "utter_grounded_answer" and listens_next(events)
    messages, events = run(conversation.ActionDefaultFallback(), "do u bulk bill")
    assert responses(messages)[0].startswith("utter_contact_clinic") and listens_next(events)
    assert_closes_with_booking_link(messages)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("do you take Bupa?", reply_pipeline.Outcome.REFER),
        ("can hip arthritis cause sciatica?", reply_pipeline.Outcome.ANSWER),
        ("how much ibuprofen can I take", reply_pipeline.Outcome.DECLINE),
    ],
)
def test_the_reply_pipeline_refers_answers_or_declines(text, outcome):
    decision = reply_pipeline.decide(tracker(text), text)
    assert decision.outcome is outcome
    assert (decision.found is not None) == (outcome is reply_pipeline.Outcome.ANSWER)


@pytest.mark.parametrize(
    "action",
    [
        conversation.ActionAnswerQuestion(),
        conversation.ActionDecline(),
        conversation.ActionDefaultFallback(),
    ],
)
def test_every_replying_action_ends_its_turn_with_the_closing(action):
    for text in (
        "do you take Bupa?",
        "can hip arthritis cause sciatica?",
        "what's the capital of France?",
    ):
        messages, events = run(action, text)
        assert_closes_with_booking_link(messages)
        assert ("followup", "action_listen") in [(e["event"], e.get("name")) for e in events]
        assert "utter_default" not in responses(messages)  # never "I didn't understand"
