"""The knowledge engine and answerer of this process, configured from the settings."""

from __future__ import annotations

from functools import lru_cache

from bot.runtime.settings import get_settings
from knowledge import DEFAULT_LEARNED_DIR
from knowledge.answering import Answerer
from knowledge.embedding import Embedder
from knowledge.engine import DEFAULT_MIN_SCORE, KnowledgeEngine
from knowledge.learned.ranker import LearnedAnswerer
from knowledge.learned.training import LearnedModels

# Where `make train` puts the fine-tuned retriever and the answerer.
LEARNED_MODELS = LearnedModels(DEFAULT_LEARNED_DIR)


@lru_cache(maxsize=1)
def get_engine() -> KnowledgeEngine:
    """One engine per process: the model and index load once and stay fresh by themselves.
    The articles are embedded by the fine-tuned retriever when `make train` has built it."""
    settings = get_settings()
    tuned = LEARNED_MODELS.retriever if LEARNED_MODELS.exist() else None
    return KnowledgeEngine(
        knowledge_dir=settings.knowledge_dir,
        index_dir=settings.knowledge_index_dir,
        min_score=settings.knowledge_min_score or DEFAULT_MIN_SCORE,
        refresh_seconds=settings.knowledge_refresh_seconds,
        embedder=Embedder(tuned) if tuned else None,
    )


@lru_cache(maxsize=1)
def get_answerer() -> Answerer:
    learned = LearnedAnswerer.load(LEARNED_MODELS.answerer) if LEARNED_MODELS.exist() else None
    return Answerer(get_engine(), learned)
