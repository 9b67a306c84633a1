"""Word-level matching on the model's contextual word pieces ("late interaction").

One vector per question says what the question means on average, and a question whose
key word is rare in it ("does being overweight affect hip mobility") can land on a
passage that shares the average but not the point. Here each content word piece of the
question looks for its closest word piece in a passage, in context ("overweight" finds
"excess body weight", "walk funny" finds "walking patterns"), and the passage scores the
mean of those best matches. BM25 (``knowledge.lexical``) rewards the same spelling;
this rewards the same meaning, word by word.

The vectors come from the same forward pass as the sentence embedding, so a question
costs no extra model call.
"""

from __future__ import annotations

import numpy as np

from knowledge.lexical import STOP_WORDS


def content_pieces(text: str, vectors: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """Unit vectors of the word pieces that belong to content words.

    Special tokens, punctuation and stop words are dropped: "the" in a question would
    otherwise find "the" in every passage and flatten the scores.
    """
    keep = [
        row
        for row, (start, end) in enumerate(spans)
        if end > start and _word_at(text, int(start), int(end)) not in STOP_WORDS
        and any(ch.isalnum() for ch in text[start:end])
    ]  # fmt: skip
    if not keep:
        return np.zeros((0, vectors.shape[1]), dtype="float32")
    chosen = vectors[keep].astype("float32")
    norms = np.linalg.norm(chosen, axis=1, keepdims=True)
    return chosen / np.maximum(norms, 1e-12)


def _word_at(text: str, start: int, end: int) -> str:
    """The whole word a piece belongs to ("##itis" -> "arthritis"), lower-cased."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end].lower()


class PieceMatcher:
    """Every passage's content pieces in one matrix, scored against a question's pieces."""

    def __init__(self, pieces: np.ndarray, owners: np.ndarray, passages: int) -> None:
        order = np.argsort(owners, kind="stable")
        self._pieces = np.ascontiguousarray(pieces[order], dtype="float32")
        owners = np.asarray(owners)[order]
        self._passages = passages
        # Start of each passage's run of rows; passages without pieces score zero.
        self._present = np.unique(owners)
        self._starts = np.searchsorted(owners, self._present)

    def scores(self, question_pieces: np.ndarray) -> np.ndarray:
        """Per passage: mean over the question's pieces of the best cosine in the passage."""
        result = np.zeros(self._passages, dtype="float32")
        if len(question_pieces) == 0 or len(self._pieces) == 0:
            return result
        similarity = question_pieces @ self._pieces.T  # [question pieces, all passage pieces]
        best = np.maximum.reduceat(similarity, self._starts, axis=1)
        result[self._present] = best.mean(axis=0)
        return result
