"""The clinic's answerer: which passage answers a visitor's turn, read in the conversation,
and whether the articles answer it at all.

It runs the learned models of ``make train`` (``knowledge.learned``) over the engine's
signals: the retriever fine-tuned on the clinic's labelled questions embeds the articles
and the question, the ranker orders the passages, and the answerability model gives the
probability that the first one answers. Without trained models (a fresh checkout before
``make train``) it says so and uses the engine's hand-set ranking and bar, the untrained
baseline every figure in docs/evaluation.md sits beside.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from knowledge.embedding import get_embedder
from knowledge.engine import KnowledgeEngine, Passage
from knowledge.learned.ranker import LearnedAnswerer, TurnSignals

log = logging.getLogger(__name__)


def describe(texts: list[str]) -> np.ndarray:
    """What each message is about, for the answerability model: the packaged base model's
    sentence vectors (the same space in training and in use, whatever the retriever)."""
    return get_embedder().encode(texts)


def in_context(previous_question: str, message: str) -> str:
    """A follow-up read after the question it follows (the ranker's context signals)."""
    return f"{previous_question} {message}"


@dataclass(frozen=True)
class Answer:
    """The passages in ranked order, and whether the first one should be quoted."""

    passages: list[Passage]
    answerable: bool
    probability: float | None  # that the first passage answers (None: hand-set baseline)


class Answerer:
    """The engine with the learned models, if they were trained."""

    def __init__(self, engine: KnowledgeEngine, learned: LearnedAnswerer | None) -> None:
        self.engine = engine
        self.learned = learned
        if learned is None:
            log.warning("knowledge: no trained answerer (run `make train`): hand-set ranking")

    def answer(
        self,
        question: str,
        k: int = 3,
        previous_question: str = "",
        just_quoted: str = "",
        described: np.ndarray | None = None,
    ) -> Answer:
        """``previous_question`` and ``just_quoted`` (a passage's ref) are the conversation
        so far: the question answered last and the passage quoted for it. ``described``: the
        question's base-model vector if the caller has it already (Rasa's featurizer made
        it), so the question is not encoded by the base model again."""
        question = " ".join(question.split())
        if not question:
            return Answer([], False, None)
        if self.learned is None:
            return self._hand_set(question, k, previous_question)
        texts = [question]
        if previous_question:
            texts.append(in_context(previous_question, question))
        signals, _ = self.engine.signals(texts)
        if not signals.shape[1]:
            return Answer([], False, None)
        turn = TurnSignals(
            own=signals[0],
            context=signals[1] if previous_question else None,
            just_quoted=self.engine.position_of(just_quoted),
            words=len(question.split()),
            vector=self._described(question, described),
        )
        order, scores, probability = self.learned.decide(turn, self.engine.quotable())
        top = [int(n) for n in order[:k]]
        passages = self.engine.passages_at(top, [float(scores[n]) for n in top])
        return Answer(passages, probability >= self.learned.threshold, probability)

    def _described(self, question: str, described: np.ndarray | None) -> np.ndarray:
        width = self.learned.vector_width if self.learned else None
        if described is not None and described.shape == (width,):
            return described
        return describe([question])[0]

    def _hand_set(self, question: str, k: int, previous_question: str) -> Answer:
        readings = [question]
        if previous_question:
            readings.append(in_context(previous_question, question))
        results = [self.engine.search(r, k) for r in readings]
        best = max(results, key=lambda r: r.passages[0].score if r.passages else -np.inf)
        return Answer(best.passages, best.answerable, None)
