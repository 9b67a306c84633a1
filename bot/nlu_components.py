"""Rasa NLU components that run after the intent classifier and may override it.

They make safety independent of the classifier's training: a described red flag, or a
message in another language, is routed by intent like everything else, so the rules in
``bot/data/rules.yml`` handle it at any point in the conversation, mid-form included.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language import looks_non_english
from bot.red_flags import detect

RED_FLAG_INTENT = "red_flag"
RED_FLAG_CHECK_INTENT = "red_flag_check"
NON_ENGLISH_INTENT = "non_english"
RED_FLAG_ENTITY = "red_flag_urgency"


def _override_intent(message: Message, intent: str) -> None:
    previous = message.get(INTENT) or {}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
    message.set(
        INTENT_RANKING_KEY,
        [{"name": intent, "confidence": 1.0}, *ranking][:10],
        add_to_output=True,
    )
    if previous.get("name") and previous.get("name") != intent:
        message.set("overridden_intent", previous, add_to_output=True)


class _OverrideComponent(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls()

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

    If the rules find nothing but the classifier predicted ``red_flag``, the message becomes
    ``red_flag_check``: it is answered as usual, with a short "if you have any of these..."
    safety note. That is the second net for phrasings the rules do not know.
    """

    def inspect(self, message: Message, text: str) -> None:
        flags = detect(text)
        if not flags:
            if (message.get(INTENT) or {}).get("name") == RED_FLAG_INTENT:
                # The classifier alone over-fires on near misses ("no bladder problems"),
                # so without the rules' evidence it earns a safety check, not an alarm.
                _override_intent(message, RED_FLAG_CHECK_INTENT)
            return
        _override_intent(message, RED_FLAG_INTENT)
        entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != RED_FLAG_ENTITY]
        entities.append(
            {
                "entity": RED_FLAG_ENTITY,
                "value": flags[0].urgency.value,
                "start": 0,
                "end": len(text),
                "extractor": type(self).__name__,
            }
        )
        message.set(ENTITIES, entities, add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EnglishOnlyGuard(_OverrideComponent):
    """Routes messages in other languages to a polite note (unless a red flag was found)."""

    def __init__(self) -> None:
        # Loading the stop-word lists takes seconds: do it when the model loads, not on
        # the first visitor's message.
        looks_non_english("warm up the stop word lists")

    def inspect(self, message: Message, text: str) -> None:
        intent = (message.get(INTENT) or {}).get("name")
        if intent != RED_FLAG_INTENT and looks_non_english(text):
            _override_intent(message, NON_ENGLISH_INTENT)
