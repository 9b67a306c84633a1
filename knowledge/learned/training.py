"""Builds the learned answerer from the labelled sets: ``make train`` runs it.

The ranker and the answerability model must learn from signals as they are on questions
the retriever never saw, or they would trust it too much. So the signals they learn from
are cross-fitted: the sets are split into ``CROSS_FIT_FOLDS`` groups, a retriever is
fine-tuned without each group and gives that group's signals. The retriever that ships is
then fine-tuned on every set.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.answering import describe
from knowledge.chunking import Chunk, chunk_document
from knowledge.documents import load_documents
from knowledge.embedding import Embedder, base_model_path
from knowledge.engine import KnowledgeEngine
from knowledge.learned.dataset import turn_signals
from knowledge.learned.labelled import LabelledTurn
from knowledge.learned.ranker import LearnedAnswerer, TurnSignals, fit_answerer
from knowledge.learned.retriever import fine_tune, training_pairs

CROSS_FIT_FOLDS = 3
RETRIEVER_DIR = "retriever"
ANSWERER_FILE = "answerer.pkl"


@dataclass(frozen=True)
class LearnedModels:
    """Where ``make train`` puts the models (``build/`` by default)."""

    folder: Path

    @property
    def retriever(self) -> Path:
        return self.folder / RETRIEVER_DIR

    @property
    def answerer(self) -> Path:
        return self.folder / ANSWERER_FILE

    def exist(self) -> bool:
        return self.answerer.exists() and (self.retriever / "config.json").exists()


def article_chunks(articles: Path) -> list[Chunk]:
    """The passages, in index order, without embedding anything."""
    return [chunk for doc in load_documents(articles) for chunk in chunk_document(doc)]


def cross_fitted_signals(
    turns: Sequence[LabelledTurn], articles: Path, say: Callable[[str], None] = print
) -> tuple[list[TurnSignals], list[np.ndarray], np.ndarray]:
    """Every turn's signals from a retriever fine-tuned without its group of sets."""
    groups = sorted({t.group for t in turns})
    fold_of = {g: n % CROSS_FIT_FOLDS for n, g in enumerate(groups)}
    topics = describe([t.text for t in turns])
    signals: list[TurnSignals | None] = [None] * len(turns)
    answering: list[np.ndarray | None] = [None] * len(turns)
    quotable = np.zeros(0, dtype=bool)
    for fold in range(CROSS_FIT_FOLDS):
        held = [n for n, t in enumerate(turns) if fold_of[t.group] == fold]
        if not held:
            continue
        with tempfile.TemporaryDirectory() as scratch:
            training = [t for t in turns if fold_of[t.group] != fold]
            pairs = training_pairs(training, article_chunks(articles))
            started = time.monotonic()
            tuned = fine_tune(base_model_path(), pairs, Path(scratch) / "retriever")
            say(f"cross-fit retriever {fold + 1}/{CROSS_FIT_FOLDS}: {len(pairs)} pairs, "
                f"{time.monotonic() - started:.0f} s")  # fmt: skip
            engine = KnowledgeEngine(articles, Path(scratch) / "index", embedder=Embedder(tuned))
            fold_signals, fold_answering = turn_signals(
                engine, [turns[n] for n in held], topics[held]
            )
            quotable = engine.quotable()
        for n, s, a in zip(held, fold_signals, fold_answering, strict=True):
            signals[n], answering[n] = s, a
    return signals, answering, quotable  # type: ignore[return-value]


def train_answerer(
    turns: Sequence[LabelledTurn],
    articles: Path,
    models: LearnedModels,
    say: Callable[[str], None] = print,
) -> LearnedAnswerer:
    """The retriever (fine-tuned on every turn) and the answerer, saved to ``models``."""
    signals, answering, quotable = cross_fitted_signals(turns, articles, say)
    answerer = fit_answerer(signals, answering, [t.group for t in turns], quotable)
    started = time.monotonic()
    fine_tune(base_model_path(), training_pairs(turns, article_chunks(articles)), models.retriever)
    say(f"retriever: {time.monotonic() - started:.0f} s")
    answerer.trained_on = {"turns": len(turns), "sets": sorted({t.group for t in turns})}
    answerer.save(models.answerer)
    return answerer
