"""The sentence-embedding featurizer gives DIET features that carry meaning."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.featurizer import SentenceEmbeddingFeaturizer


@pytest.fixture(scope="module")
def featurizer(embedder):
    config = SentenceEmbeddingFeaturizer.get_default_config()
    return SentenceEmbeddingFeaturizer(config, "sentence_embedding", embedder=embedder)


def _tokenized(texts: list[str]) -> list[Message]:
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    messages = [Message(data={TEXT: text}) for text in texts]
    tokenizer.process(messages)
    return messages


def _features(message: Message) -> tuple[np.ndarray, np.ndarray]:
    sequence, sentence = message.get_dense_features(TEXT)
    return sequence.features, sentence.features


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a.ravel(), b.ravel()
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_paraphrases_are_closer_than_unrelated_messages(featurizer):
    messages = _tokenized(
        [
            "my hip has been aching for weeks",
            "I've had a sore hip for a while now",
            "what's the weather like tomorrow",
            "definitely",
            "yes of course",
        ]
    )
    featurizer.process(messages)
    hip, sore_hip, weather, definitely, of_course = (_features(m)[1] for m in messages)
    assert _cosine(hip, sore_hip) > _cosine(hip, weather) + 0.2
    # The short replies the count features alone confused ("definitely" was read as deny).
    assert _cosine(definitely, of_course) > _cosine(definitely, weather)


def test_one_sequence_vector_per_token_and_training_data_gets_features(featurizer):
    texts = ["hello", "my physiotherapist says it's bursitis", "sitting makes it worse"]
    messages = _tokenized(texts)
    featurizer.process_training_data(TrainingData(training_examples=messages))
    for message in messages:
        sequence, sentence = _features(message)
        tokens = message.get("text_tokens")
        assert sequence.shape == (len(tokens), 384)
        assert sentence.shape == (1, 384)
        # Every whitespace token is covered by word pieces, so no row is left at zero.
        assert np.all(np.abs(sequence).sum(axis=1) > 0)


def test_batched_training_features_match_one_message_at_a_time(featurizer):
    texts = ["stop the questions", "can hip arthritis cause sciatica?"]
    batched = _tokenized(texts)
    featurizer.process_training_data(TrainingData(training_examples=batched))
    for text, message in zip(texts, batched, strict=True):
        single = _tokenized([text])
        featurizer.process(single)
        for a, b in zip(_features(message), _features(single[0]), strict=True):
            np.testing.assert_allclose(a, b, atol=1e-4)
