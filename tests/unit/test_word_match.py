"""Word-level matching finds a passage that says the question's key word in other words."""

import numpy as np

from knowledge.word_match import PieceMatcher

PASSAGES = [
    "Carrying excess body weight puts extra stress on the hip joints.",
    "Sitting for long periods shortens the hip flexors.",
    "Limited hip mobility can disrupt normal walking patterns.",
]


def _matcher(embedder) -> PieceMatcher:
    _, pieces = embedder.encode_with_pieces(PASSAGES)
    owners = np.concatenate([np.full(len(p), n) for n, p in enumerate(pieces)])
    return PieceMatcher(np.concatenate(pieces), owners, len(PASSAGES))


def _best(embedder, question: str) -> str:
    _, (pieces,) = embedder.encode_with_pieces([question])
    return PASSAGES[int(np.argmax(_matcher(embedder).scores(pieces)))]


def test_a_word_meets_its_synonym_in_a_passage(embedder):
    assert _best(embedder, "am I overweight") == PASSAGES[0]
    assert _best(embedder, "I walk funny") == PASSAGES[2]
    assert _best(embedder, "desk job all day") == PASSAGES[1]


def test_a_question_of_stop_words_matches_nothing(embedder):
    _, (pieces,) = embedder.encode_with_pieces(["is it that I should do?"])
    assert not _matcher(embedder).scores(pieces).any()


def test_sentence_vectors_are_the_models_own(embedder):
    vectors, _ = embedder.encode_with_pieces(PASSAGES)
    assert np.allclose(vectors, embedder.encode(PASSAGES), atol=1e-5)
