"""The red-flag guard that runs after the intent classifier, on messages as Rasa passes them."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu_components import RedFlagGuard

GUARD = RedFlagGuard(
    {
        "fallback_threshold": 0.45,
        "intents_answered_with_note": ["ask_health_question", "describe_own_pain"],
    }
)


def classified(text: str, ranking: list[tuple[str, float]]) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    GUARD.process([message])
    return message


def entities(message: Message) -> dict[str, str]:
    return {e["entity"]: e["value"] for e in message.get(ENTITIES) or []}


def test_a_red_flag_the_rules_confirm_is_an_alarm_whatever_the_classifier_said():
    message = classified(
        "I can't feel anything when I wipe after the toilet",
        [("ask_health_question", 0.9), ("red_flag", 0.1)],
    )
    assert message.get(INTENT)["name"] == "red_flag"
    assert entities(message) == {"red_flag_urgency": "emergency"}


def test_an_unconfirmed_suspicion_keeps_what_the_visitor_was_doing_and_asks_for_the_note():
    message = classified(
        "my hip aches at night but it doesn't wake me",
        [("red_flag", 0.8), ("describe_own_pain", 0.15), ("ask_health_question", 0.05)],
    )
    assert message.get(INTENT)["name"] == "describe_own_pain"
    assert message.get(INTENT)["confidence"] == pytest.approx(0.75)
    assert entities(message) == {"red_flag_suspected": "true"}


@pytest.mark.parametrize(
    "ranking",
    [
        # The next-best reading is too unsure to act on.
        [("red_flag", 0.6), ("describe_own_pain", 0.15), ("ask_health_question", 0.13)],
        # The next-best reading's reply carries no safety note.
        [("red_flag", 0.5), ("greet", 0.45), ("describe_own_pain", 0.05)],
    ],
)
def test_without_a_usable_next_reading_it_is_answered_from_the_articles_with_the_note(ranking):
    message = classified("hello, my hip aches at night but it doesn't wake me", ranking)
    assert message.get(INTENT)["name"] == "nlu_fallback"
    assert entities(message) == {"red_flag_suspected": "true"}


def test_an_ordinary_message_passes_unchanged():
    message = classified("can hip arthritis cause sciatica", [("ask_health_question", 0.95)])
    assert message.get(INTENT) == {"name": "ask_health_question", "confidence": 0.95}
    assert entities(message) == {}
