"""Speed and memory of answering from the articles: ``python -m tools.bench_knowledge`` (make bench).

What the action server does for every question: the learned answerer (fine-tuned retriever,
ranker, answerability) over the engine's index, for a first question and for a follow-up
read with the question before it. Prints the model and index load times, warm latency
(p50/p95 over the labelled questions) and the resident memory of the process.
"""

from __future__ import annotations

import resource
import statistics
import time

from bot.runtime.knowledge_base import get_answerer
from knowledge.learned.labelled import load_turns
from tools import EVAL_DIR

QUERY_P95_TARGET_MS = 25.0
REPEATS = 2


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def main() -> int:
    started = time.perf_counter()
    answerer = get_answerer()
    load_s = time.perf_counter() - started
    turns = load_turns(EVAL_DIR)
    for turn in turns[:10]:  # warm-up
        answerer.answer(turn.text, 8)
    first, follow_up = [], []
    for _ in range(REPEATS):
        for turn in turns:
            started = time.perf_counter()
            answerer.answer(turn.text, 8, previous_question=turn.previous_text)
            (follow_up if turn.is_follow_up else first).append(
                (time.perf_counter() - started) * 1000
            )
    p50, p95 = _percentiles(first)
    follow_p50, follow_p95 = _percentiles(follow_up)
    kind = "learned" if answerer.learned else "hand-set (no trained models: run make train)"
    print(f"Answering from the articles ({kind}; {answerer.engine.passage_count} passages)")
    print(f"  models and index load   {load_s:6.2f} s")
    print(f"  first question p50      {p50:6.1f} ms")
    print(f"  first question p95      {p95:6.1f} ms  (target < {QUERY_P95_TARGET_MS:.0f} ms)")
    print(f"  follow-up p50 / p95     {follow_p50:6.1f} / {follow_p95:.1f} ms")
    print(f"  peak memory (RSS)       {_peak_rss_mb():6.0f} MB")
    if p95 >= QUERY_P95_TARGET_MS:
        print(f"  MISSED: first question p95 {p95:.1f} ms >= {QUERY_P95_TARGET_MS:.0f} ms")
    return 0 if p95 < QUERY_P95_TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
