"""Retrieval quality on the development set: ``python -m tools.evaluate_knowledge``.

A hit means the expected answer text lies inside a returned passage. Out-of-scope
questions must fall below the relevance bar; in-scope ones must clear it (the engine
answers when one of the returned passages scores at least the bar).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.runtime.knowledge_base import get_engine
from knowledge.engine import KnowledgeEngine, SearchResult
from tools import EVAL_DIR

DEFAULT_SET = EVAL_DIR / "knowledge_eval.jsonl"
# Written after the settings were chosen and never tuned on: how the engine does on
# questions it has not seen, printed alongside (the targets apply to the default set).
HELD_OUT_SETS = (
    EVAL_DIR / "knowledge_eval_lay.jsonl",
    EVAL_DIR / "knowledge_eval_fresh.jsonl",
)
TARGETS = {"hit@1": 0.85, "hit@3": 0.95, "oos_rejection": 0.90}
MAX_FALSE_REJECTION = 0.05


@dataclass(frozen=True)
class Figures:
    hit_at_1: float
    hit_at_3: float
    mrr: float
    oos_rejection: float
    false_rejection: float
    in_scope: int
    out_of_scope: int

    def meets_targets(self) -> bool:
        return (
            self.hit_at_1 >= TARGETS["hit@1"]
            and self.hit_at_3 >= TARGETS["hit@3"]
            and self.oos_rejection >= TARGETS["oos_rejection"]
            and self.false_rejection <= MAX_FALSE_REJECTION
        )


HALVES = ("odd", "even")


def load_set(path: Path, half: str | None = None) -> list[dict]:
    """The questions of a set; ``half`` keeps only those on odd or even line numbers.

    The fixed split lets a setting be chosen on one half and checked on the other, so a
    figure is not just a measure of how well the setting was fitted to these questions.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    keep = {None: lambda _: True, "odd": lambda n: n % 2 == 1, "even": lambda n: n % 2 == 0}[half]
    return [json.loads(line) for n, line in enumerate(lines, 1) if line and keep(n)]


def rank_of_expected(item: dict, result: SearchResult) -> int | None:
    """Rank of the first passage that is one of the labelled answers (any of them counts)."""
    expected = _as_list(item["expected"])
    articles = _as_list(item["article"])
    for rank, passage in enumerate(result.passages, 1):
        for text, article in zip(expected, articles, strict=True):
            if text in passage.text and passage.article == article:
                return rank
    return None


def _as_list(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def score(items: list[dict], results: list[SearchResult], bar: float) -> Figures:
    in_scope = [(i, r) for i, r in zip(items, results, strict=True) if i["expected"]]
    out_scope = [r for i, r in zip(items, results, strict=True) if not i["expected"]]
    ranks = [rank_of_expected(i, r) for i, r in in_scope]

    def top(result: SearchResult) -> float:
        return max((p.score for p in result.passages), default=0.0)

    n = max(len(in_scope), 1)
    return Figures(
        hit_at_1=sum(r == 1 for r in ranks) / n,
        hit_at_3=sum(r is not None and r <= 3 for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r) / n,
        oos_rejection=sum(top(r) < bar for r in out_scope) / max(len(out_scope), 1),
        false_rejection=sum(top(r) < bar for _, r in in_scope) / n,
        in_scope=len(in_scope),
        out_of_scope=len(out_scope),
    )


def report(figures: Figures, bar: float, name: str, with_targets: bool = True) -> str:
    def target(text: str) -> str:
        return f"  ({text})" if with_targets else ""

    return "\n".join(
        [
            f"Knowledge retrieval on {name}: {figures.in_scope} in-scope and "
            f"{figures.out_of_scope} out-of-scope questions (relevance bar {bar:.2f})"
            + ("" if with_targets else ", held out: no setting was chosen on it"),
            f"  hit@1                     {figures.hit_at_1:.3f}"
            + target(f"target >= {TARGETS['hit@1']}"),
            f"  hit@3                     {figures.hit_at_3:.3f}"
            + target(f"target >= {TARGETS['hit@3']}"),
            f"  MRR                       {figures.mrr:.3f}",
            f"  out-of-scope rejection    {figures.oos_rejection:.3f}"
            + target(f"target >= {TARGETS['oos_rejection']}"),
            f"  in-scope false rejection  {figures.false_rejection:.3f}"
            + target(f"target <= {MAX_FALSE_REJECTION}"),
        ]
    )


def sweep(items: list[dict], results: list[SearchResult]) -> str:
    """Rejection figures at other bars, to recalibrate after adding articles."""
    lines = ["  bar   oos-rejected  in-scope-rejected"]
    for step in range(30, 66, 3):
        bar = step / 100
        f = score(items, results, bar)
        lines.append(f"  {bar:.2f}  {f.oos_rejection:.3f}         {f.false_rejection:.3f}")
    return "\n".join(lines)


def run(
    engine: KnowledgeEngine,
    items: list[dict],
    name: str,
    show_misses: bool = False,
    with_targets: bool = True,
) -> Figures:
    results = [engine.search(item["text"], 3) for item in items]
    figures = score(items, results, engine.min_score)
    print(report(figures, engine.min_score, name, with_targets))
    if show_misses:
        print(sweep(items, results))
        for item, result in zip(items, results, strict=True):
            if not result.passages:
                continue
            first = result.passages[0].text[:70]
            best = max(p.score for p in result.passages)
            if item["expected"] and rank_of_expected(item, result) != 1:
                print(f"  miss {item['id']}: {item['text']!r} -> {first!r}")
            if not item["expected"] and best >= engine.min_score:
                print(f"  accepted oos {item['id']} ({best:.2f}): {item['text']!r}")
            if item["expected"] and best < engine.min_score:
                print(f"  rejected in-scope {item['id']} ({best:.2f}): {item['text']!r}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--set", type=Path, help="one set only (default: all, targets on the dev set)"
    )
    parser.add_argument("--half", choices=HALVES, help="only questions on odd or even lines")
    parser.add_argument("--verbose", action="store_true", help="list misses and a bar sweep")
    args = parser.parse_args(argv)
    engine = get_engine()
    chosen = args.set or DEFAULT_SET
    figures = run(engine, load_set(chosen, args.half), chosen.name, args.verbose)
    if args.set is None and args.half is None:
        for held_out in HELD_OUT_SETS:
            run(engine, load_set(held_out), held_out.name, args.verbose, with_targets=False)
    return 0 if figures.meets_targets() else 1


if __name__ == "__main__":
    sys.exit(main())
