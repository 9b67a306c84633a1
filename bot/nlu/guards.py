"""Rasa NLU components that run after the classifiers and may override their reading.

They make safety independent of the classifiers' training: a described red flag, or a
message in another language, is routed by intent like everything else, so the rules in
``data/rules.yml`` handle it at any point in the conversation, mid-form included.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language import looks_non_english
from bot.nlu.red_flag_classifier import RED_FLAG_INTENT, SUSPICION_KEY
from bot.safety.rules import SUSPECTED_ENTITY, detect

NON_ENGLISH_INTENT = "non_english"
FALLBACK_INTENT = "nlu_fallback"
RED_FLAG_ENTITY = "red_flag_urgency"


def _override_intent(message: Message, intent: str, confidence: float = 1.0) -> None:
    previous = message.get(INTENT) or {}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    message.set(INTENT, {"name": intent, "confidence": confidence}, add_to_output=True)
    message.set(
        INTENT_RANKING_KEY,
        [{"name": intent, "confidence": confidence}, *ranking][:10],
        add_to_output=True,
    )
    if previous.get("name") and previous.get("name") != intent:
        message.set("overridden_intent", previous, add_to_output=True)


def _add_entity(message: Message, entity: str, value: str) -> None:
    text = message.get(TEXT) or ""
    entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != entity]
    entities.append(
        {
            "entity": entity,
            "value": value,
            "start": 0,
            "end": len(text),
            "extractor": "RedFlagGuard",
        }
    )
    message.set(ENTITIES, entities, add_to_output=True)


class _OverrideComponent(GraphComponent):
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                self.inspect(message, text)
        return messages

    def inspect(self, message: Message, text: str) -> None:
        raise NotImplementedError


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagGuard(_OverrideComponent):
    """Sets the ``red_flag`` intent (with the urgency as an entity) when rules find one.

    If the rules find nothing but ``RedFlagSuspicionClassifier`` thinks the message looks
    like a red flag, that guess alone over-fires on near misses ("no bladder problems"), so
    it earns a safety check rather than an alarm: the message keeps its own reading and
    carries the ``red_flag_suspected`` entity, which makes the reply add the safety note.
    That is the second net for phrasings the rules do not know.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # The suspicion classifier's probability from which the note is added.
            "suspicion_threshold": 0.5,
            # Intents whose replies add the safety note (actions/safety_note.py); a
            # suspected message read as anything else is answered from the articles, with
            # the note.
            "intents_answered_with_note": [],
        }

    def inspect(self, message: Message, text: str) -> None:
        flags = detect(text)
        if flags:
            _override_intent(message, RED_FLAG_INTENT)
            _add_entity(message, RED_FLAG_ENTITY, flags[0].urgency.value)
        elif (message.get(SUSPICION_KEY) or 0.0) >= self.config["suspicion_threshold"]:
            _add_entity(message, SUSPECTED_ENTITY, "true")
            intent = (message.get(INTENT) or {}).get("name")
            if intent not in (*self.config["intents_answered_with_note"], FALLBACK_INTENT):
                _override_intent(message, FALLBACK_INTENT)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EnglishOnlyGuard(_OverrideComponent):
    """Routes messages in other languages to a polite note (unless a red flag was found)."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        # Loading the stop-word lists takes seconds: do it when the model loads, not on
        # the first visitor's message.
        looks_non_english("warm up the stop word lists")

    def inspect(self, message: Message, text: str) -> None:
        intent = (message.get(INTENT) or {}).get("name")
        if intent != RED_FLAG_INTENT and looks_non_english(text):
            _override_intent(message, NON_ENGLISH_INTENT)
