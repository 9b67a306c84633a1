"""Word-overlap scoring (BM25) that complements embeddings on rare, exact words.

Embeddings blur a word like "hinge" or "sciatica" into its neighbourhood; BM25 rewards a
passage that uses the visitor's rare words. It matches pieces of words (character
4-grams inside each word) rather than whole words, so that forms and misspellings of a word
still meet: "sciatic" and "sciatica", "exercising" and "exercise", "arthritus" and
"arthritis", "personalised" and "personalized".
"""

from __future__ import annotations

import re

import numpy as np
from rank_bm25 import BM25Okapi

_WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset(
    """a about after all also am an and any are as at be because been but by can could did do
    does doing for from get gets got had has have how i if in into is it its just me more most
    much my no not of on or our should so some than that the their them then there these they
    this those to too very was we were what when where which who why will with would you your
    yes really thing things""".split()
)


GRAM = 4


def tokens(text: str) -> list[str]:
    """Lower-cased content words, with a light plural fold (hips -> hip)."""
    words = _WORD.findall(text.lower())
    return [_fold_plural(w) for w in words if w not in STOP_WORDS]


def terms(text: str) -> list[str]:
    """Character 4-grams of each content word, marked at its ends ("#hip#", "#sci", ...)."""
    grams = []
    for word in tokens(text):
        marked = f"#{word}#"
        grams.extend(marked[i : i + GRAM] for i in range(max(1, len(marked) - GRAM + 1)))
    return grams


def _fold_plural(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class LexicalScorer:
    """BM25 over the passages, scores scaled to 0..1 per query."""

    def __init__(self, texts: list[str]) -> None:
        corpus = [terms(t) or ["_"] for t in texts]
        self._bm25 = BM25Okapi(corpus) if corpus else None
        self._size = len(texts)

    def scores(self, query: str) -> np.ndarray:
        words = terms(query)
        if self._bm25 is None or not words:
            return np.zeros(self._size, dtype="float32")
        raw = np.asarray(self._bm25.get_scores(words), dtype="float32")
        top = float(raw.max())
        return raw / top if top > 0 else np.zeros_like(raw)
