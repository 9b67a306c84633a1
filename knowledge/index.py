"""The persisted FAISS index of passages, rebuilt by itself when an article changes.

Each passage is embedded as a whole and sentence by sentence (see ``knowledge.keys``).

On disk (an ignored build folder): ``passages.json``, ``vectors.faiss`` (one vector per
key: the passage, then its sentences), ``keys.json`` (which passage each vector belongs to),
``pieces.npz`` (each passage's content word-piece vectors, for ``knowledge.word_match``)
and a ``manifest.json`` naming the embedding model, the chunker version and each article's
hash. A manifest that no longer matches the articles on disk means the index is stale.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

from knowledge.chunking import Chunk, chunk_document
from knowledge.documents import Document, load_documents
from knowledge.embedding import Embedder
from knowledge.keys import passage_key, question_keys, sentence_keys
from knowledge.word_match import PieceMatcher

log = logging.getLogger(__name__)

# Bump when chunking or the keys change, so existing indexes are rebuilt with the new ones.
# 3: table lead-ins travel with their rows; title and heading in every passage key.
# 4: word-piece vectors of each passage key stored alongside.
# 5: table rows keep their cells (with headers) on the passage.
# 6: signposts, and the author's questions as keys.
CHUNKER_VERSION = 6


@dataclass(frozen=True)
class IndexChanges:
    """What a refresh found; printed by ``python -m knowledge index``."""

    added: list[str]
    changed: list[str]
    removed: list[str]
    rebuilt: bool

    def describe(self) -> str:
        if not self.rebuilt:
            return "index is up to date"
        parts = [
            f"{label}: {', '.join(ids)}"
            for label, ids in (
                ("added", self.added),
                ("changed", self.changed),
                ("removed", self.removed),
            )
            if ids
        ]
        return "index rebuilt (" + ("; ".join(parts) or "settings changed") + ")"


@dataclass(frozen=True)
class PassagePieces:
    """Content word-piece vectors of all passage keys, and the passage each belongs to."""

    vectors: np.ndarray
    owners: np.ndarray

    @classmethod
    def of(cls, per_passage: list[np.ndarray], dimension: int) -> PassagePieces:
        if not per_passage:
            return cls(np.zeros((0, dimension), dtype="float32"), np.zeros(0, dtype="int64"))
        owners = np.concatenate([np.full(len(p), n) for n, p in enumerate(per_passage)])
        return cls(np.concatenate(per_passage).astype("float32"), owners.astype("int64"))


class PassageIndex:
    """Passages and their vectors; scores every passage against a query vector."""

    def __init__(
        self, chunks: list[Chunk], vectors: faiss.Index, owners: list[int], pieces: PassagePieces
    ) -> None:
        self.chunks = chunks
        self._vectors = vectors
        self._owners = np.asarray(owners, dtype="int64")
        self.word_matcher = PieceMatcher(pieces.vectors, pieces.owners, len(chunks))

    def similarities(self, query_vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per passage: cosine of the whole passage, and of its best-matching sentence."""
        whole = np.full(len(self.chunks), -1.0, dtype="float32")
        best_sentence = np.full(len(self.chunks), -1.0, dtype="float32")
        if not self.chunks:
            return whole, best_sentence
        scores, ids = self._vectors.search(query_vector.reshape(1, -1), self._vectors.ntotal)
        found = ids[0] >= 0
        keys, scores = ids[0][found], scores[0][found]
        is_whole = keys < len(self.chunks)  # the first len(chunks) keys are whole passages
        whole[self._owners[keys[is_whole]]] = scores[is_whole]
        np.maximum.at(best_sentence, self._owners[keys[~is_whole]], scores[~is_whole])
        return whole, np.maximum(best_sentence, whole)


def expected_manifest(documents: list[Document], model: str) -> dict:
    return {
        "model": model,
        "chunker_version": CHUNKER_VERSION,
        "documents": {doc.id: doc.sha256 for doc in documents},
    }


def read_manifest(index_dir: Path) -> dict | None:
    try:
        return json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def diff_manifests(old: dict | None, new: dict) -> IndexChanges:
    old_docs: dict[str, str] = (old or {}).get("documents", {})
    new_docs: dict[str, str] = new["documents"]
    added = sorted(set(new_docs) - set(old_docs))
    removed = sorted(set(old_docs) - set(new_docs))
    changed = sorted(d for d in set(new_docs) & set(old_docs) if new_docs[d] != old_docs[d])
    settings_differ = old is None or any(
        old.get(key) != new[key] for key in ("model", "chunker_version")
    )
    rebuilt = bool(added or removed or changed or settings_differ)
    return IndexChanges(added, changed, removed, rebuilt)


def build(documents: list[Document], embedder: Embedder, index_dir: Path) -> PassageIndex:
    """Chunk, embed and write the index; the folder is replaced in one rename."""
    chunks = [chunk for doc in documents for chunk in chunk_document(doc)]
    passage_vectors, passage_pieces = embedder.encode_with_pieces([passage_key(c) for c in chunks])
    sentences, owners = [], list(range(len(chunks)))
    for number, chunk in enumerate(chunks):
        keys = sentence_keys(chunk) + question_keys(chunk)
        sentences.extend(keys)
        owners.extend([number] * len(keys))
    vectors = faiss.IndexFlatIP(embedder.dimension)
    if chunks:
        vectors.add(passage_vectors)
    if sentences:
        vectors.add(embedder.encode(sentences))
    pieces = PassagePieces.of(passage_pieces, embedder.dimension)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".index-", dir=index_dir.parent))
    try:
        faiss.write_index(vectors, str(staging / "vectors.faiss"))
        (staging / "passages.json").write_text(
            json.dumps([asdict(c) for c in chunks], ensure_ascii=False, indent=1), encoding="utf-8"
        )
        (staging / "keys.json").write_text(json.dumps(owners), encoding="utf-8")
        np.savez(staging / "pieces.npz", vectors=pieces.vectors, owners=pieces.owners)
        (staging / "manifest.json").write_text(
            json.dumps(expected_manifest(documents, embedder.model_id), indent=2), encoding="utf-8"
        )
        _replace_dir(staging, index_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return PassageIndex(chunks, vectors, owners, pieces)


def load(index_dir: Path) -> PassageIndex:
    chunks = [
        Chunk(
            **{
                **raw,
                "cells": tuple(tuple(cell) for cell in raw.get("cells", ())),
                "questions": tuple(raw.get("questions", ())),
            }
        )
        for raw in json.loads((index_dir / "passages.json").read_text(encoding="utf-8"))
    ]
    owners = json.loads((index_dir / "keys.json").read_text(encoding="utf-8"))
    vectors = faiss.read_index(str(index_dir / "vectors.faiss"))
    if vectors.ntotal != len(owners):
        raise ValueError("vectors and keys.json disagree")
    with np.load(index_dir / "pieces.npz") as stored:
        pieces = PassagePieces(stored["vectors"], stored["owners"])
    if len(pieces.owners) and pieces.owners.max() >= len(chunks):
        raise ValueError("pieces.npz and passages.json disagree")
    return PassageIndex(chunks, vectors, owners, pieces)


def refresh(
    knowledge_dir: Path, index_dir: Path, embedder: Embedder
) -> tuple[PassageIndex, IndexChanges]:
    """Load the index, rebuilding it first if the articles or model no longer match."""
    documents = load_documents(knowledge_dir)
    wanted = expected_manifest(documents, embedder.model_id)
    changes = diff_manifests(read_manifest(index_dir), wanted)
    if changes.rebuilt:
        log.info("knowledge: %s", changes.describe())
        return build(documents, embedder, index_dir), changes
    try:
        return load(index_dir), changes
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        log.warning("knowledge: index unreadable (%s); rebuilding", exc)
        return build(documents, embedder, index_dir), IndexChanges([], [], [], True)


def _replace_dir(staging: Path, target: Path) -> None:
    """Swap the new index in so a concurrent reader never sees a half-written one."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
