"""The learned answerer: which passage answers a turn, and whether to answer at all.

Two small models over the engine's signals (``KnowledgeEngine.signals``), both logistic
regressions from scikit-learn, trained on the labelled turns (``knowledge.learned.labelled``):

- the **ranker** scores each passage for a turn: its signals for the message alone, for
  the message read after the previous question (a follow-up), and whether it is the passage
  just quoted, so whether to quote it again is learned from the labelled conversations;
- the **answerability** model gives the probability that the articles answer the turn at
  all, from how sure the ranker is, how close the words are, and what the question is
  about (its sentence vector: necks, doses and prices are learned as not answered). Below
  ``threshold`` the assistant declines. The threshold is chosen on out-of-fold
  probabilities at a stated cost: quoting a passage for a question the articles don't
  answer costs ``WRONG_ANSWER_COST`` declines of one they do.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from knowledge.engine import SIGNALS

# A wrong passage quoted as the answer misleads; a decline only disappoints. This is how many
# declines one wrong answer is worth when the threshold is chosen (issue 23: a wrong passage
# costs more than a decline).
WRONG_ANSWER_COST = 2.0
# Regularisation (scikit-learn's C): the ranker's few signals take the default; the
# answerability model reads a 384-dimension vector from about 800 turns, so it is held
# tighter. Set by hand, not tuned; docs/evaluation.md has the figures.
RANKER_REGULARISATION = 1.0
ANSWERABILITY_REGULARISATION = 0.05
INNER_FOLDS = 4
PAIR_FEATURES = (
    *(f"own_{s}" for s in SIGNALS),
    *(f"context_{s}" for s in SIGNALS),
    "just_quoted",
    "follow_up",
)
TURN_FEATURES = (
    "best",
    "second",
    "margin",
    "own_closest_max",
    "own_lexical_max",
    "context_closest_max",
    "follow_up",
    "words",
)


@dataclass(frozen=True)
class TurnSignals:
    """Everything the models read of one turn: the engine's signals for the message alone
    and in context, and the passage the assistant quoted last (its place in the index)."""

    own: np.ndarray  # [passages, signals]
    context: np.ndarray | None  # the same for "previous question + message", if a follow-up
    just_quoted: int | None
    words: int
    # What the message is about: its sentence vector from the packaged base model, whose
    # space does not move when the retriever is fine-tuned again.
    vector: np.ndarray

    def pair_features(self) -> np.ndarray:
        passages = self.own.shape[0]
        context = self.context if self.context is not None else np.zeros_like(self.own)
        quoted = np.zeros((passages, 1), dtype="float32")
        if self.just_quoted is not None:
            quoted[self.just_quoted] = 1.0
        follow_up = np.full((passages, 1), float(self.context is not None), dtype="float32")
        return np.hstack([self.own, context, quoted, follow_up])


def turn_features(signals: TurnSignals, scores: np.ndarray) -> np.ndarray:
    """What the answerability model reads: how sure the ranker is, how close the words are,
    and what the message is about."""
    top = np.sort(scores)[::-1]
    second = top[1] if len(top) > 1 else 0.0
    closest = SIGNALS.index("closest")
    lexical = SIGNALS.index("lexical")
    context_closest = signals.context[:, closest].max() if signals.context is not None else 0.0
    summary = np.array(
        [
            top[0],
            second,
            top[0] - second,
            signals.own[:, closest].max(),
            signals.own[:, lexical].max(),
            context_closest,
            float(signals.context is not None),
            np.log1p(signals.words),
        ],
        dtype="float32",
    )
    return np.concatenate([summary, signals.vector.astype("float32")])


def _model(regularisation: float) -> Pipeline:
    return make_pipeline(StandardScaler(), LogisticRegression(C=regularisation, max_iter=3000))


def fit_ranker(turns: Sequence[TurnSignals], answering: Sequence[np.ndarray]) -> Pipeline:
    """``answering[n]`` marks the passages that answer turn n (only answerable turns)."""
    features = np.vstack([t.pair_features() for t in turns])
    labels = np.concatenate([a.astype(int) for a in answering])
    return _model(RANKER_REGULARISATION).fit(features, labels)


def rank_scores(ranker: Pipeline, turn: TurnSignals, quotable: np.ndarray) -> np.ndarray:
    scores = ranker.predict_proba(turn.pair_features())[:, 1]
    return np.where(quotable, scores, -np.inf)


def best_threshold(probabilities: np.ndarray, answerable: np.ndarray) -> float:
    """The bar with the lowest cost on these out-of-fold probabilities: each unanswerable
    turn given a passage costs WRONG_ANSWER_COST, each answerable one declined costs 1."""
    candidates = np.unique(np.concatenate([[0.0, 1.0], probabilities]))
    costs = [
        WRONG_ANSWER_COST * np.sum((probabilities >= bar) & ~answerable)
        + np.sum((probabilities < bar) & answerable)
        for bar in candidates
    ]
    return float(candidates[int(np.argmin(costs))])


@dataclass
class LearnedAnswerer:
    ranker: Pipeline
    answerability: Pipeline
    threshold: float
    trained_on: dict = field(default_factory=dict)

    @property
    def vector_width(self) -> int:
        """The size of the question vector the answerability model reads."""
        return int(self.answerability.n_features_in_) - len(TURN_FEATURES)

    def decide(
        self, turn: TurnSignals, quotable: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """The passages in ranked order, the ranker's score of each, and the probability
        that the first one answers."""
        scores = rank_scores(self.ranker, turn, quotable)
        order = np.argsort(-scores, kind="stable")
        features = turn_features(turn, scores[quotable])
        return order, scores, float(self.answerability.predict_proba(features[None, :])[0, 1])

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(self))

    @staticmethod
    def load(path: Path) -> LearnedAnswerer:
        # Built by `make train` from this repository (never downloaded): trusted input.
        return pickle.loads(path.read_bytes())


def fit_answerer(
    turns: Sequence[TurnSignals],
    answering: Sequence[np.ndarray],
    groups: Sequence[str],
    quotable: np.ndarray,
) -> LearnedAnswerer:
    """Both models and the threshold. The answerability model learns from out-of-fold
    rankings (grouped by set), so it sees the ranker as it is on questions it never saw."""
    groups = np.asarray(groups)
    answerable = np.array([a.any() for a in answering])
    probabilities = np.zeros(len(turns))
    width = len(TURN_FEATURES) + len(turns[0].vector)
    features = np.zeros((len(turns), width), dtype="float32")
    folds = GroupKFold(n_splits=min(INNER_FOLDS, len(set(groups))))
    for train, test in folds.split(np.zeros(len(turns)), groups=groups):
        fit_on = [i for i in train if answerable[i]]
        ranker = fit_ranker([turns[i] for i in fit_on], [answering[i] for i in fit_on])
        for i in test:
            scores = rank_scores(ranker, turns[i], quotable)
            features[i] = turn_features(turns[i], scores[quotable])
    # The threshold is chosen on probabilities of turns each model did not learn from.
    labels = answerable.astype(int)
    for train, test in folds.split(features, groups=groups):
        held_out = _model(ANSWERABILITY_REGULARISATION).fit(features[train], labels[train])
        probabilities[test] = held_out.predict_proba(features[test])[:, 1]
    answerability = _model(ANSWERABILITY_REGULARISATION).fit(features, labels)
    fit_on = [i for i in range(len(turns)) if answerable[i]]
    ranker = fit_ranker([turns[i] for i in fit_on], [answering[i] for i in fit_on])
    return LearnedAnswerer(ranker, answerability, best_threshold(probabilities, answerable))
