"""Shared fixtures: one embedding model and one knowledge engine for the whole run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from bot.settings import PROJECT_ROOT

ARTICLES = PROJECT_ROOT / "knowledge" / "articles"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def embedder():
    from knowledge.embedding import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def clinic_engine(tmp_path_factory, embedder):
    """The engine over the clinic's real articles, with its index in a temporary folder."""
    from knowledge.engine import KnowledgeEngine

    index_dir = tmp_path_factory.mktemp("index") / "index"
    return KnowledgeEngine(ARTICLES, index_dir, embedder=embedder)


@pytest.fixture
def articles_copy(tmp_path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    return folder


@pytest.fixture(scope="session")
def stack():
    """The whole assistant, started once for every test that talks to it."""
    from tests.servers import running_stack

    with running_stack() as running:
        yield running
