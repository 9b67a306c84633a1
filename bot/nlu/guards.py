"""The guard that runs last and may override the classifiers: messages in other languages.

It makes the routing independent of the classifiers' training: a message in another
language is routed by intent like everything else, so the rules in ``data/rules.yml``
handle it at any point in the conversation.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language import looks_non_english
from bot.nlu.overrides import override_intent
from bot.nlu.red_flag_detector import CHECK_INTENT
from bot.safety.training import RED_FLAG_INTENT

NON_ENGLISH_INTENT = "non_english"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EnglishOnlyGuard(GraphComponent):
    """Routes messages in other languages to a polite note (unless they raise a red flag)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        # Loading the stop-word lists takes seconds: do it when the model loads, not on
        # the first visitor's message.
        looks_non_english("warm up the stop word lists")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EnglishOnlyGuard:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            intent = (message.get(INTENT) or {}).get("name")
            if text and intent not in (RED_FLAG_INTENT, CHECK_INTENT) and looks_non_english(text):
                override_intent(message, NON_ENGLISH_INTENT)
        return messages
