"""DIET trained on what the visitor is doing, never on whether they describe a red flag."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.shared.nlu.constants import INTENT
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.safety.training import RED_FLAG_INTENT


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class ConversationIntentClassifier(DIETClassifier):
    """Rasa's DIET, trained on what the visitor is doing and never on ``red_flag``.

    Whether a message describes a red flag is a different question from what the visitor
    is doing (asking, describing their pain, answering the triage), and ``RedFlagDetector``
    answers it. As a DIET class of their own, the long red-flag examples pulled near-miss
    descriptions of ordinary pain ("no problems with my bladder") into ``red_flag`` with
    near-certain confidence, and the message lost its real reading.
    """

    def train(self, training_data: TrainingData) -> Resource:
        return super().train(
            training_data.filter_training_examples(lambda m: m.get(INTENT) != RED_FLAG_INTENT)
        )
