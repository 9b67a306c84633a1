"""The clinic's articles and the retrieval engine that answers from them.

A library of its own: it knows nothing of Rasa or the assistant, and whoever uses it (the
actions, the front door, the tools) passes in where the articles and the index are.
"""

from pathlib import Path

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"
# The index is built, not kept in git: under the project's ignored build folder.
DEFAULT_INDEX_DIR = Path(__file__).resolve().parents[1] / "build" / "index"
# What `make train` learns from the labelled questions (knowledge.learned): built, not kept.
DEFAULT_LEARNED_DIR = Path(__file__).resolve().parents[1] / "build" / "learned"
