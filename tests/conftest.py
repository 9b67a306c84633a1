"""Shared fixtures, and the test tiers.

Each folder is a tier, marked automatically: ``unit`` (no trained model, no servers: `make
test-unit`, under a minute), ``stack`` (the real stack on loopback ports), ``browser``
(headless Chromium against the stack) and ``scale`` (PostgreSQL and Redis: `make
test-scale`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.runtime.environment import apply_offline_environment

apply_offline_environment()

from knowledge import ARTICLES_DIR as ARTICLES  # noqa: E402

TIERS = ("unit", "stack", "browser", "scale")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        tier = Path(item.fspath).relative_to(tests).parts[0]
        if tier in TIERS:
            item.add_marker(getattr(pytest.mark, tier))


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
    from tests.stack.servers import running_test_stack

    with running_test_stack() as running:
        yield running
