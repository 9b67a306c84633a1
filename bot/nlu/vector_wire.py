"""The message's sentence vector as it travels from Rasa to the action server.

Rasa's featurizer has already run MiniLM over every message; the NLU publishes that vector
in its parse output (``bot.nlu.featurizer``), and the action server reads it back here
instead of encoding the message again (one MiniLM pass fewer per message, issue 22). Half
precision and base64 keep it to about 1 KB in the tracker store: the answerability model
it feeds cannot tell the difference (tests/unit/test_nlu_components.py checks the vector
that arrives against the model's own, to 1e-3).
"""

from __future__ import annotations

import base64
import binascii

import numpy as np

# The key in Rasa's parse output (and so in the tracker's latest message).
SENTENCE_VECTOR_KEY = "sentence_vector"
_WIRE_TYPE = np.float16


def to_wire(vector: np.ndarray) -> str:
    return base64.b64encode(np.asarray(vector, dtype=_WIRE_TYPE).tobytes()).decode("ascii")


def from_wire(value: object) -> np.ndarray | None:
    """The vector, L2-normalised, or None if it is missing or not a vector (its reader
    checks the size it expects)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        raw = np.frombuffer(base64.b64decode(value, validate=True), dtype=_WIRE_TYPE)
    except (binascii.Error, ValueError):
        return None
    if raw.ndim != 1 or not raw.size or not np.all(np.isfinite(raw)):
        return None
    vector = raw.astype("float32")
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else None
