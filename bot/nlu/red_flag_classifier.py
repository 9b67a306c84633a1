"""The second net for red flags: a small classifier trained on the ``red_flag`` examples.

The rules in ``bot/safety/rules.py`` decide the alarm. This classifier only says how much a
message looks like the red flags in the training data, so that a phrasing the rules do not
know still gets the safety note (``RedFlagGuard`` in ``bot/nlu/guards.py``).

Why a classifier of its own rather than a ``red_flag`` class inside DIET: whether a message
describes a red flag is a different question from what the visitor is doing (asking,
describing their pain, answering the triage). As one DIET class, the long red-flag examples
pulled near-miss descriptions of ordinary pain ("no problems with my bladder") into
``red_flag`` with near-certain confidence, and the message lost its real reading. Here the
question is asked on its own, and DIET (``ConversationIntentClassifier``) is trained without
the ``red_flag`` examples.

It is Rasa's own kind of model: scikit-learn logistic regression over the sparse sentence
features the pipeline's count-vector featurizers already computed (words and character
n-grams, which carry the telling words and their misspellings). Its two learned arrays are
saved as a numpy ``.npz`` file, loaded without pickle, so a tampered model file cannot run
code. (skops, which Rasa uses for its ``LogisticRegressionClassifier``, would do the same
but imports pytest and about a hundred other modules into every Rasa server.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, vstack
from sklearn.linear_model import LogisticRegression

RED_FLAG_INTENT = "red_flag"
# Where the probability is written on the message (and shown in Rasa's parse output).
SUSPICION_KEY = "red_flag_suspicion"
_MODEL_FILE = "red_flag_classifier.npz"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class RedFlagSuspicionClassifier(GraphComponent):
    """Writes the probability that a message describes a red flag to ``red_flag_suspicion``."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Red flags are a small share of the examples: balanced class weights keep the
        # classifier from learning that "not a red flag" is always the safe bet.
        return {"C": 1.0, "max_iter": 5000, "random_state": 42}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: LogisticRegression | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._classifier = classifier

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagSuspicionClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT)]
        labels = np.array([e.get(INTENT) == RED_FLAG_INTENT for e in examples])
        if not labels.any() or labels.all():
            raise ValueError(
                f"{type(self).__name__} needs both '{RED_FLAG_INTENT}' examples and others "
                "in the NLU training data."
            )
        self._classifier = LogisticRegression(
            C=self.config["C"],
            class_weight="balanced",
            max_iter=self.config["max_iter"],
            random_state=self.config["random_state"],
        ).fit(_features(examples), labels)
        with self._model_storage.write_to(self._resource) as model_dir:
            _save(self._classifier, model_dir / _MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> RedFlagSuspicionClassifier:
        with model_storage.read_from(resource) as model_dir:
            path = model_dir / _MODEL_FILE
            if not path.exists():
                raise FileNotFoundError(
                    f"{path.name} is missing from the model: it was trained by an older "
                    "version of this component. Retrain with `rasa train --force`."
                )
            classifier = _load(path)
        return cls(config, model_storage, resource, classifier)

    def process(self, messages: list[Message]) -> list[Message]:
        todo = [m for m in messages if m.get(TEXT)]
        if not todo or self._classifier is None:
            return messages
        probabilities = self._classifier.predict_proba(_features(todo))[:, 1]
        for message, probability in zip(todo, probabilities, strict=True):
            message.set(SUSPICION_KEY, round(float(probability), 4), add_to_output=True)
        return messages


def _save(classifier: LogisticRegression, path: Path) -> None:
    np.savez(
        path, coef=classifier.coef_, intercept=classifier.intercept_, classes=classifier.classes_
    )


def _load(path: Path) -> LogisticRegression:
    with np.load(path, allow_pickle=False) as saved:
        classifier = LogisticRegression()
        classifier.coef_ = saved["coef"]
        classifier.intercept_ = saved["intercept"]
        classifier.classes_ = saved["classes"]
    classifier.n_features_in_ = classifier.coef_.shape[1]
    return classifier


def _features(messages: list[Message]) -> csr_matrix:
    """One row per message: its sparse sentence features (all count-vector featurizers)."""
    rows = []
    for message in messages:
        _, sentence = message.get_sparse_features(TEXT)
        if sentence is None:
            raise ValueError("RedFlagSuspicionClassifier needs a sparse featurizer before it.")
        rows.append(csr_matrix(sentence.features))
    return vstack(rows).tocsr()
