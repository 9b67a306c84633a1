"""The knowledge engine of this process, configured from the assistant's settings."""

from __future__ import annotations

from functools import lru_cache

from bot.runtime.settings import get_settings
from knowledge.engine import DEFAULT_MIN_SCORE, KnowledgeEngine


@lru_cache(maxsize=1)
def get_engine() -> KnowledgeEngine:
    """One engine per process: the model and index load once and stay fresh by themselves."""
    settings = get_settings()
    return KnowledgeEngine(
        knowledge_dir=settings.knowledge_dir,
        index_dir=settings.knowledge_index_dir,
        min_score=settings.knowledge_min_score or DEFAULT_MIN_SCORE,
        refresh_seconds=settings.knowledge_refresh_seconds,
    )
