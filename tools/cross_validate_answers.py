"""Grouped cross-validation of the learned answerer, beside the hand-set engine.

Each labelled set (``knowledge.learned.labelled.TRAINING_SETS``) is held out in turn: the
models are trained on the other sets and measured on it, so no set is ever in both the
training and the test fold. For every held-out set it prints, for the learned answerer and
for the engine's hand-set ranking and bar (the untrained baseline):

- first questions / follow-ups: the first passage answers it and is quoted;
- answerable declined: an answerable turn that got no passage;
- unanswerable declined: a turn labelled decline that got no passage.

The engine alone, without the conversation's other rules (clinic questions, amounts).

With ``--retriever tuned`` each fold also fine-tunes the retriever on its training sets
(cross-fitted, as ``make train`` does: four fine-tunings per fold, about 25 minutes in
all on 2 cores); with ``base`` the ranker reads the packaged MiniLM's signals.

``python -m tools.cross_validate_answers [--retriever base|tuned]``
"""

from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge import ARTICLES_DIR
from knowledge.answering import Answerer
from knowledge.embedding import Embedder, base_model_path
from knowledge.engine import SIGNALS, KnowledgeEngine
from knowledge.learned.dataset import turn_signals
from knowledge.learned.labelled import LabelledTurn, load_turns
from knowledge.learned.ranker import LearnedAnswerer, TurnSignals, fit_answerer
from knowledge.learned.retriever import fine_tune, training_pairs
from knowledge.learned.training import article_chunks, cross_fitted_signals
from tools import EVAL_DIR


@dataclass
class Tally:
    first_right: int = 0
    first_total: int = 0
    follow_right: int = 0
    follow_total: int = 0
    answerable_declined: int = 0
    unanswerable_declined: int = 0
    unanswerable_total: int = 0
    ranked_right: int = 0  # answerable turns whose first passage answers, quoted or not

    def add(self, turn: LabelledTurn, answered: bool, right: bool) -> None:
        if turn.answerable:
            self.ranked_right += right
            if turn.is_follow_up:
                self.follow_total += 1
                self.follow_right += answered and right
            else:
                self.first_total += 1
                self.first_right += answered and right
            self.answerable_declined += not answered
        elif turn.expect == "decline":
            self.unanswerable_total += 1
            self.unanswerable_declined += not answered

    def line(self) -> str:
        def share(a: int, b: int) -> str:
            return f"{a}/{b} ({a / max(b, 1):.2f})"

        answerable = self.first_total + self.follow_total
        return (
            f"ranked first {share(self.ranked_right, answerable)}; quoted and right: "
            f"first {share(self.first_right, self.first_total)}, "
            f"follow-ups {share(self.follow_right, self.follow_total)}, "
            f"answerable declined {share(self.answerable_declined, answerable)}, "
            f"unanswerable declined {share(self.unanswerable_declined, self.unanswerable_total)}"
        )


def hand_set(baseline: Answerer, turn: LabelledTurn) -> tuple[bool, int]:
    """The untrained baseline: the answerer without learned models (the engine's own ranking
    and bar, a follow-up also read in context); whether it answers, and its first passage."""
    answer = baseline.answer(turn.text, k=1, previous_question=turn.previous_text)
    if not answer.passages:
        return False, -1
    position = baseline.engine.position_of(answer.passages[0].ref)
    return answer.answerable, -1 if position is None else position


def tuned_fold(
    turns: list[LabelledTurn], held_out: str, scratch: Path
) -> tuple[LearnedAnswerer, list[TurnSignals], np.ndarray]:
    """As ``make train`` on every set but ``held_out``; the held-out set's signals from the
    retriever tuned on the others."""
    train = [t for t in turns if t.group != held_out]
    signals, answering, quotable = cross_fitted_signals(train, ARTICLES_DIR)
    answerer = fit_answerer(signals, answering, [t.group for t in train], quotable)
    chunks = article_chunks(ARTICLES_DIR)
    tuned = fine_tune(base_model_path(), training_pairs(train, chunks), scratch / held_out)
    engine = KnowledgeEngine(ARTICLES_DIR, scratch / f"index-{held_out}", embedder=Embedder(tuned))
    test_signals, _ = turn_signals(engine, [t for t in turns if t.group == held_out])
    return answerer, test_signals, quotable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--retriever", choices=("base", "tuned"), default="base")
    parser.add_argument("--only", help="hold out this set alone (a quicker look)")
    args = parser.parse_args()
    turns = load_turns(EVAL_DIR)
    with tempfile.TemporaryDirectory() as folder:
        engine = KnowledgeEngine(ARTICLES_DIR, Path(folder) / "index")
        signals, answering = turn_signals(engine, turns)
        quotable = engine.quotable()
        baseline_answerer = Answerer(engine, learned=None)
        groups = [t.group for t in turns]
        learned, baseline = defaultdict(Tally), defaultdict(Tally)
        for held_out in [args.only] if args.only else sorted(set(groups)):
            train = [n for n, g in enumerate(groups) if g != held_out]
            test = [n for n, g in enumerate(groups) if g == held_out]
            if args.retriever == "tuned":
                answerer, test_signals, quotable = tuned_fold(turns, held_out, Path(folder))
                fold_signals = dict(zip(test, test_signals, strict=True))
            else:
                answerer = fit_answerer(
                    [signals[n] for n in train],
                    [answering[n] for n in train],
                    [groups[n] for n in train],
                    quotable,
                )
                fold_signals = {n: signals[n] for n in test}
            for n in test:
                turn = turns[n]
                order, _, probability = answerer.decide(fold_signals[n], quotable)
                first = int(order[0])
                for tally in (learned[held_out], learned["all"]):
                    tally.add(turn, probability >= answerer.threshold, bool(answering[n][first]))
                answered, position = hand_set(baseline_answerer, turn)
                right = position >= 0 and bool(answering[n][position])
                for tally in (baseline[held_out], baseline["all"]):
                    tally.add(turn, answered, right)
            print(f"{held_out} (threshold {answerer.threshold:.2f})", flush=True)
            print(f"  learned:  {learned[held_out].line()}")
            print(f"  hand-set: {baseline[held_out].line()}", flush=True)
    print(
        f"all sets, each held out once ({args.retriever} retriever; signals: {', '.join(SIGNALS)})"
    )
    print(f"  learned:  {learned['all'].line()}")
    print(f"  hand-set: {baseline['all'].line()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
