"""Speed and memory of the knowledge engine: ``python -m tools.bench_knowledge`` (make bench).

Prints the index build time, warm query latency (p50/p95 over the evaluation questions)
and the resident memory of a process holding the model and index.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from pathlib import Path

from bot.runtime.settings import get_settings
from knowledge.embedding import get_embedder
from knowledge.engine import KnowledgeEngine
from tools.evaluate_knowledge import DEFAULT_SET, load_set

QUERY_P95_TARGET_MS = 25.0


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    settings = get_settings()
    started = time.perf_counter()
    embedder = get_embedder()
    load_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        engine = KnowledgeEngine(settings.knowledge_dir, Path(tmp) / "index", embedder=embedder)
        build_s = time.perf_counter() - started

        questions = [item["text"] for item in load_set(DEFAULT_SET)]
        for question in questions[:10]:  # warm-up
            engine.search(question, 3)
        timings = []
        for _ in range(3):
            for question in questions:
                started = time.perf_counter()
                engine.search(question, 3)
                timings.append((time.perf_counter() - started) * 1000)

    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"Knowledge engine ({engine.passage_count} passages, {len(timings)} warm queries)")
    print(f"  model load            {load_s:6.2f} s")
    print(f"  index build           {build_s:6.2f} s")
    print(f"  query p50             {p50:6.1f} ms")
    print(f"  query p95             {p95:6.1f} ms  (target < {QUERY_P95_TARGET_MS:.0f} ms)")
    print(f"  peak memory (RSS)     {_peak_rss_mb():6.0f} MB")
    return 0 if p95 < QUERY_P95_TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
