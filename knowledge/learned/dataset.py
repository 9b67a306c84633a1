"""The labelled turns as the models see them: the engine's signals for each, and which
passages answer it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from knowledge.answering import describe, in_context
from knowledge.engine import SIGNALS, KnowledgeEngine
from knowledge.learned.labelled import LabelledTurn, answers
from knowledge.learned.ranker import TurnSignals


def turn_signals(
    engine: KnowledgeEngine, turns: Sequence[LabelledTurn], topics: np.ndarray | None = None
) -> tuple[list[TurnSignals], list[np.ndarray]]:
    """Signals for every turn, and per turn the passages that answer it. The passage "just
    quoted" before a follow-up is the one the assistant should have quoted for the turn
    before: of the passages answering it, the closest to its words. ``topics``: each turn's
    vector from the base model (``describe``), computed here if not given."""
    chunks = engine.chunks
    own, _ = engine.signals([t.text for t in turns])
    vectors = describe([t.text for t in turns]) if topics is None else topics
    follow_ups = [n for n, t in enumerate(turns) if t.is_follow_up]
    context, _ = engine.signals(
        [in_context(turns[n].previous_text, turns[n].text) for n in follow_ups]
    )
    previous, _ = engine.signals([turns[n].previous_text for n in follow_ups])
    closest = SIGNALS.index("closest")
    signals: list[TurnSignals] = []
    answering: list[np.ndarray] = []
    where = {n: k for k, n in enumerate(follow_ups)}
    for n, turn in enumerate(turns):
        just_quoted = None
        if n in where:
            answered_before = np.array([answers(c.text, turn.previous_expected) for c in chunks])
            if turn.previous_expected and answered_before.any():
                scores = np.where(answered_before, previous[where[n]][:, closest], -np.inf)
                just_quoted = int(np.argmax(scores))
        signals.append(
            TurnSignals(
                own=own[n],
                context=context[where[n]] if n in where else None,
                just_quoted=just_quoted,
                words=len(turn.text.split()),
                vector=vectors[n],
            )
        )
        answering.append(np.array([turn.answered_by(c) for c in chunks], dtype=bool))
    return signals, answering
