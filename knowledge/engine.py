"""Search over the clinic's articles: the best passages for a question, or none at all.

The relevance bar is what keeps the assistant honest: below it the engine answers
"no grounded answer" rather than offering its least-bad passage.

Ranking and the bar ask different questions. Ranking (which passage answers best) blends
the passage's meaning, its closest sentence and a share of word overlap. The bar (do the
articles answer this at all) looks only at meaning: a returned passage, or one sentence
of it, must be close enough to the question. Word overlap would let "period pain in my
lower back" through on "lower back" alone.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge import index as passage_index
from knowledge.chunking import SIGNPOST, Chunk
from knowledge.embedding import Embedder, get_embedder
from knowledge.keys import lexical_text
from knowledge.lexical import LexicalScorer, tokens

log = logging.getLogger(__name__)

# Closest-key similarity a returned passage needs for the question to count as answerable.
# Chosen on the odd-numbered half of eval/knowledge_eval.jsonl (docs/evaluation.md).
DEFAULT_MIN_SCORE = 0.56
# Ranking = semantic similarity + these shares of the (0..1) BM25 score and of the word-piece
# match score (``knowledge.word_match``); chosen on the same half.
LEXICAL_WEIGHT = 0.15
WORD_MATCH_WEIGHT = 0.7
# A word of the question that only one or two passages use ("Thomas test", "palpation",
# "facet") points at those passages: they rank this much higher per such word, and clear a
# bar this much lower. Chosen on eval/questions_blind_c.jsonl (docs/evaluation.md).
RARE_TERM_MAX_PASSAGES = 2
RARE_TERM_WEIGHT = 0.15
RARE_TERM_BAR_DISCOUNT = 0.06

INTRODUCTION = "Introduction"
# The engine's signals per passage, in the order ``KnowledgeEngine.signals`` gives them.
SIGNALS = ("whole", "closest", "lexical", "word_match", "rare_terms")


@dataclass(frozen=True)
class Passage:
    """A passage returned to callers, with everything needed to quote and cite it."""

    text: str
    article: str
    title: str
    section: str
    position: int
    kind: str
    score: float
    # A table row's cells with their column headers (see ``knowledge.chunking.Chunk``).
    cells: tuple[tuple[str, str], ...] = ()

    @property
    def answer_text(self) -> str:
        """The text to show: an FAQ answer under its question ("Absolutely." alone says
        nothing)."""
        return self.text

    @property
    def ref(self) -> str:
        """The passage's address, for quick replies and the clinic's report."""
        return f"{self.article}#{self.position}"

    @property
    def citation(self) -> str:
        return f"From *{self.title}*, section *{self.section}*"

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "article": self.article,
            "title": self.title,
            "section": self.section,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class SearchResult:
    passages: list[Passage]
    answerable: bool


class KnowledgeEngine:
    """Holds the model and index for the life of the process and keeps the index fresh."""

    def __init__(
        self,
        knowledge_dir: Path,
        index_dir: Path,
        min_score: float = DEFAULT_MIN_SCORE,
        refresh_seconds: float = 5.0,
        embedder: Embedder | None = None,
    ) -> None:
        self.knowledge_dir = knowledge_dir
        self.index_dir = index_dir
        self.min_score = min_score
        self.refresh_seconds = refresh_seconds
        self._embedder = embedder or get_embedder()
        self._lock = threading.Lock()
        self._signature = self._folder_signature()
        self._checked_at = time.monotonic()
        self._index, self.last_changes = passage_index.refresh(
            knowledge_dir, index_dir, self._embedder
        )
        self._lexical = _lexical_scorer(self._index)
        self._rare_terms = RareTerms(self._index.chunks)
        self._not_answers = _not_answers(self._index)

    @property
    def passage_count(self) -> int:
        return len(self._index.chunks)

    def refresh(self) -> passage_index.IndexChanges:
        """Re-read the articles now; rebuilds the index only if something changed."""
        with self._lock:
            self._index, self.last_changes = passage_index.refresh(
                self.knowledge_dir, self.index_dir, self._embedder
            )
            self._lexical = _lexical_scorer(self._index)
            self._rare_terms = RareTerms(self._index.chunks)
            self._not_answers = _not_answers(self._index)
            self._signature = self._folder_signature()
            self._checked_at = time.monotonic()
            return self.last_changes

    @property
    def chunks(self) -> list[Chunk]:
        return self._index.chunks

    def signals(self, questions: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """What the engine knows of each passage for each question, for the learned models:
        ``[questions, passages, len(SIGNALS)]``, and each question's own sentence vector
        (one forward pass for all the questions)."""
        self._refresh_if_articles_changed()
        index, lexical = self._index, self._lexical
        out = np.zeros((len(questions), len(index.chunks), len(SIGNALS)), dtype="float32")
        if not questions:
            return out, np.zeros((0, self._embedder.dimension), dtype="float32")
        vectors, pieces = self._embedder.encode_with_pieces(questions)
        if not index.chunks:
            return out, vectors
        for n, question in enumerate(questions):
            whole, closest = index.similarities(vectors[n])
            out[n] = np.stack(
                [
                    whole,
                    closest,
                    lexical.scores(question),
                    index.word_matcher.scores(pieces[n]),
                    self._rare_terms.hits(question),
                ],
                axis=1,
            )
        return out, vectors

    def passages_at(self, positions: list[int], scores: list[float]) -> list[Passage]:
        """Passages by their place in the index, with the score to report for each."""
        return [
            _to_passage(self._index.chunks[i], s) for i, s in zip(positions, scores, strict=True)
        ]

    def position_of(self, ref: str) -> int | None:
        """A passage's place in the index from its address (``article#position``)."""
        article, _, position = (ref or "").partition("#")
        return next(
            (
                n
                for n, c in enumerate(self._index.chunks)
                if c.article == article and str(c.position) == position
            ),
            None,
        )

    def quotable(self) -> np.ndarray:
        """Which passages may be quoted (signposts only introduce what follows)."""
        return ~self._not_answers

    def search(self, question: str, k: int = 3) -> SearchResult:
        """Top-k passages (always returned, for tuning) and whether one of them clears the bar.

        Each passage's score is the similarity of its closest key (the whole passage or one
        of its sentences) to the question: the figure compared with the bar.
        """
        self._refresh_if_articles_changed()
        question = " ".join(question.split())
        if not question:
            return SearchResult([], answerable=False)
        index, lexical = self._index, self._lexical
        if not index.chunks:
            return SearchResult([], answerable=False)
        vectors, pieces = self._embedder.encode_with_pieces([question])
        whole, closest = index.similarities(vectors[0])
        rare = self._rare_terms.hits(question)
        # For ranking, the passage's meaning and its closest sentence count equally.
        ranking = (
            (whole + closest) / 2
            + LEXICAL_WEIGHT * lexical.scores(question)
            + WORD_MATCH_WEIGHT * index.word_matcher.scores(pieces[0])
            + RARE_TERM_WEIGHT * rare
        )
        ranking[self._not_answers] = -np.inf  # signposts are never quoted
        order = np.argsort(-ranking, kind="stable")[: max(k, 1)]
        passages = [_to_passage(index.chunks[i], float(closest[i])) for i in order]
        bars = [self.min_score - RARE_TERM_BAR_DISCOUNT * (rare[i] > 0) for i in order]
        answerable = any(p.score >= bar for p, bar in zip(passages, bars, strict=True))
        return SearchResult(passages, answerable)

    def passage(self, ref: str) -> Passage | None:
        """One passage by its address (``article#position``), to quote it on request."""
        article, _, position = ref.partition("#")
        return next(
            (
                _to_passage(c, 1.0)
                for c in self._index.chunks
                if c.article == article and str(c.position) == position and c.kind != SIGNPOST
            ),
            None,
        )

    def table_rows(self) -> list[Passage]:
        """Comparison-table rows, for the triage summary to quote."""
        return [_to_passage(c, 1.0) for c in self._index.chunks if c.kind == "table_row"]

    def _refresh_if_articles_changed(self) -> None:
        # A cheap stat of the folder, at most every few seconds: a new article is picked
        # up by a running server without a restart and without work on every request.
        now = time.monotonic()
        if now - self._checked_at < self.refresh_seconds:
            return
        self._checked_at = now
        signature = self._folder_signature()
        if signature != self._signature:
            changes = self.refresh()
            log.info("knowledge: articles changed on disk, %s", changes.describe())

    def _folder_signature(self) -> tuple:
        try:
            return tuple(
                (p.name, p.stat().st_mtime_ns, p.stat().st_size)
                for p in sorted(self.knowledge_dir.glob("*.md"))
            )
        except OSError:
            return ()


def _lexical_scorer(index: passage_index.PassageIndex) -> LexicalScorer:
    return LexicalScorer([lexical_text(c) for c in index.chunks])


def _not_answers(index: passage_index.PassageIndex) -> np.ndarray:
    return np.array([c.kind == SIGNPOST for c in index.chunks], dtype=bool)


class RareTerms:
    """Words only one or two passages use: a question naming one is about those passages."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self._words = [set(tokens(lexical_text(c))) for c in chunks]
        counts: dict[str, int] = {}
        for words in self._words:
            for word in words:
                counts[word] = counts.get(word, 0) + 1
        self._rare = {w for w, n in counts.items() if n <= RARE_TERM_MAX_PASSAGES}

    def hits(self, question: str) -> np.ndarray:
        """Per passage: how many of the question's rare words it uses."""
        asked = set(tokens(question)) & self._rare
        return np.array([len(asked & words) for words in self._words], dtype="float32")


def _to_passage(chunk: Chunk, score: float) -> Passage:
    return Passage(
        text=chunk.text,
        article=chunk.article,
        title=chunk.title,
        section=chunk.section or INTRODUCTION,
        position=chunk.position,
        kind=chunk.kind,
        score=score,
        cells=chunk.cells,
    )
