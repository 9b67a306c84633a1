"""Red flags in Rasa's NLU pipeline: the rules, the semantic net and the classifier of
``bot/safety``, run on every message after the intent classifiers.

What it decides (``bot.safety.decision``) becomes what Rasa routes on, so a red flag is
handled the same way wherever it comes, mid-triage included (``data/rules.yml``):

- escalate: the ``red_flag`` intent;
- ask: the ``red_flag_check`` intent; the message's own reading is kept
  (``overridden_intent``), so that after a "no" it is answered as asked;
- nothing: the message passes unchanged.

Whatever it decides, the whole assessment (signs, urgency, whose, how sure) goes into
Rasa's parse output as one typed value (``bot.safety.ASSESSMENT_KEY``), which every route
reads back (``bot.safety.decision.assessment_of``): nothing is flattened into strings.

The classifier is trained here, at ``rasa train``, on the project's labelled red-flag
messages (``bot.safety.training``), not on the NLU examples.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.featurizer import sentence_vector
from bot.nlu.overrides import override_intent
from bot.safety import ASSESSMENT_KEY
from bot.safety.classifier import RedFlagModel
from bot.safety.decision import Assessment, Decision, assess
from bot.safety.rules import SIGNS_FILE, about_someone_else, detect, suspect
from bot.safety.semantic import PARAPHRASES_FILE, SemanticNet
from bot.safety.training import (
    CORPUS_FILE,
    EVAL_DIR,
    RED_FLAG_INTENT,
    training_examples,
    training_files,
)

log = logging.getLogger(__name__)

CHECK_INTENT = "red_flag_check"
_MODEL_FILE = "red_flag_model.npz"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class RedFlagDetector(GraphComponent):
    """Sets ``red_flag`` or ``red_flag_check`` on messages that describe, or may describe,
    a red flag."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"corpus": str(CORPUS_FILE), "labelled_sets": str(EVAL_DIR)}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: RedFlagModel | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model
        self._net: SemanticNet | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagDetector:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when the signs, the paraphrases or any labelled message changes (Rasa's
        cache otherwise only knows the NLU data and the config)."""
        digest = hashlib.sha256()
        config = {**cls.get_default_config(), **config}
        learned_from = training_files(Path(config["labelled_sets"]), Path(config["corpus"]))
        for path in (SIGNS_FILE, PARAPHRASES_FILE, *learned_from):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    @property
    def net(self) -> SemanticNet:
        if self._net is None:
            from knowledge.embedding import get_embedder

            self._net = SemanticNet(get_embedder().encode)
        return self._net

    def train(self, training_data: TrainingData) -> Resource:
        examples = training_examples(
            Path(self.config["labelled_sets"]), Path(self.config["corpus"])
        )
        bank = self.net.bank
        self._model = RedFlagModel.fit(
            examples.texts,
            self.net.read(examples.texts),
            examples.is_red_flag,
            examples.sign_of,
            list(zip(self.net.read(list(bank.affirm)), bank.affirm_sign, strict=True)),
        )
        with self._model_storage.write_to(self._resource) as model_dir:
            self._model.save(model_dir / _MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> RedFlagDetector:
        with model_storage.read_from(resource) as model_dir:
            path = model_dir / _MODEL_FILE
            if not path.exists():
                raise FileNotFoundError(
                    f"{path.name} is missing from the model: it was trained by an older "
                    "version of this component. Retrain with `rasa train --force`."
                )
            model = RedFlagModel.load(path)
        detector = cls(config, model_storage, resource, model)
        _ = detector.net  # the paraphrases are encoded at load, not on the first message
        return detector

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                self._mark(message, self.assess(text, sentence_vector(message, self.net.dimension)))
        return messages

    def assess(self, text: str, vector: np.ndarray | None = None) -> Assessment:
        """``vector``: the message's MiniLM embedding if the featurizer already made it."""
        flags = detect(text)
        if self._model is None:
            return assess(flags, None, suspected=suspect(text))
        # The classifier reads every message, the ones the rules flag too: it can doubt
        # them, or know a more urgent sign (bot.safety.decision).
        verdict = self._model.judge([text], self.net.read([text], [vector]))[0]
        return assess(flags, verdict, about_someone_else(text), suspect(text))

    @staticmethod
    def _mark(message: Message, assessment: Assessment) -> None:
        message.set(ASSESSMENT_KEY, assessment.as_dict(), add_to_output=True)
        if assessment.decision is Decision.ESCALATE:
            override_intent(message, RED_FLAG_INTENT)
        elif assessment.decision is Decision.ASK:
            override_intent(message, CHECK_INTENT)
