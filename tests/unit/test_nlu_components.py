"""The red-flag guard and the suspicion classifier, on messages as Rasa passes them."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.guards import RedFlagGuard
from bot.nlu.red_flag_classifier import SUSPICION_KEY, RedFlagSuspicionClassifier

GUARD = RedFlagGuard(
    {
        "suspicion_threshold": 0.5,
        "intents_answered_with_note": ["ask_health_question", "describe_own_pain"],
    }
)


def guarded(text: str, intent: str, suspicion: float | None = None) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}])
    if suspicion is not None:
        message.set(SUSPICION_KEY, suspicion)
    GUARD.process([message])
    return message


def entities(message: Message) -> dict[str, str]:
    return {e["entity"]: e["value"] for e in message.get(ENTITIES) or []}


def test_a_red_flag_the_rules_confirm_is_an_alarm_whatever_the_classifiers_said():
    message = guarded(
        "I can't feel anything when I wipe after the toilet", "ask_health_question", 0.1
    )
    assert message.get(INTENT)["name"] == "red_flag"
    assert entities(message) == {"red_flag_urgency": "emergency"}


def test_an_unconfirmed_suspicion_keeps_what_the_visitor_was_doing_and_asks_for_the_note():
    message = guarded("my hip aches at night but it doesn't wake me", "describe_own_pain", 0.8)
    assert message.get(INTENT) == {"name": "describe_own_pain", "confidence": 0.9}
    assert entities(message) == {"red_flag_suspected": "true"}


def test_a_suspected_message_whose_reply_has_no_note_is_answered_from_the_articles():
    message = guarded("hello, my hip aches at night but it doesn't wake me", "greet", 0.8)
    assert message.get(INTENT)["name"] == "nlu_fallback"
    assert entities(message) == {"red_flag_suspected": "true"}


@pytest.mark.parametrize("suspicion", [None, 0.2])
def test_an_ordinary_message_passes_unchanged(suspicion):
    message = guarded("can hip arthritis cause sciatica", "ask_health_question", suspicion)
    assert message.get(INTENT) == {"name": "ask_health_question", "confidence": 0.9}
    assert entities(message) == {}


RED_FLAGS = [
    "I've lost control of my bladder since my back went",
    "my bladder is leaking and my back hurts",
    "numb in the saddle area and can't control my bladder",
    "bladder problems and numbness between my legs",
]
OTHERS = [
    "my hip is stiff in the morning",
    "what stretches help a stiff back",
    "can hip arthritis cause sciatica",
    "book me in for thursday",
    "my back aches after gardening",
    "hello there",
]


def featurized(texts: list[str], featurizer: CountVectorsFeaturizer) -> list[Message]:
    messages = [Message(data={TEXT: t}) for t in texts]
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process(messages)
    return featurizer.process(messages)


def test_the_suspicion_classifier_learns_red_flags_and_survives_saving_and_loading(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    examples = [Message(data={TEXT: t, INTENT: "red_flag"}) for t in RED_FLAGS] + [
        Message(data={TEXT: t, INTENT: "other"}) for t in OTHERS
    ]
    data = TrainingData(examples)
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process_training_data(data)
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), storage, Resource("cvf"), context
    )
    featurizer.train(data)
    featurizer.process_training_data(data)

    resource = Resource("red_flag_classifier")
    trained = RedFlagSuspicionClassifier.create({}, storage, resource, context)
    trained.train(data)
    loaded = RedFlagSuspicionClassifier.load({}, storage, resource, context)

    probe = ["sudden bladder trouble with my back pain", "my hip is stiff after gardening"]
    scores = [m.get(SUSPICION_KEY) for m in loaded.process(featurized(probe, featurizer))]
    assert scores[0] > 0.5 > scores[1]
    assert scores == [m.get(SUSPICION_KEY) for m in trained.process(featurized(probe, featurizer))]
