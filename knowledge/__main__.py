"""Command line: ``python -m knowledge index|search``; one model load per call.

By default it reads the articles in ``knowledge/articles`` and the index in ``build/index``,
the places the assistant uses unless its settings say otherwise.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from knowledge import ARTICLES_DIR, DEFAULT_INDEX_DIR
from knowledge.engine import DEFAULT_MIN_SCORE, KnowledgeEngine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    parser.add_argument("--articles", type=Path, default=ARTICLES_DIR, help="articles folder")
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX_DIR, help="index folder")
    parser.add_argument(
        "--min-score", type=float, default=DEFAULT_MIN_SCORE, help="the relevance bar"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("index", help="build or refresh the index, printing what changed")
    search = commands.add_parser("search", help="search the articles")
    search.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    search.add_argument("--top-k", type=int, default=3)
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument(
        "--jsonl",
        action="store_true",
        help='batch: read {"id", "text"} lines on stdin, write one result line per input',
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    engine = KnowledgeEngine(args.articles, args.index, min_score=args.min_score)
    if args.command == "index":
        print(f"{engine.last_changes.describe()}: {engine.passage_count} passages")
        return 0
    if args.jsonl:
        return _search_jsonl(engine, args.top_k)
    if not args.question:
        parser.error("search needs a question, or --jsonl")
    result = engine.search(args.question, args.top_k)
    if args.json:
        print(json.dumps(_result_json(None, result), ensure_ascii=False, indent=2))
        return 0
    verdict = "answerable" if result.answerable else "no grounded answer (below the relevance bar)"
    print(f"{verdict}; bar {engine.min_score:.2f}")
    for rank, passage in enumerate(result.passages, 1):
        print(f"\n{rank}. score {passage.score:.3f}  {passage.citation}\n{passage.text}")
    return 0


def _search_jsonl(engine: KnowledgeEngine, top_k: int) -> int:
    failures = 0
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = str(item["text"])
        except (ValueError, KeyError, TypeError) as exc:
            failures += 1
            print(f"line {number}: skipped, expected {{'id', 'text'}} ({exc})", file=sys.stderr)
            continue
        out = _result_json(item.get("id"), engine.search(text, top_k))
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failures else 0


def _result_json(item_id: object, result) -> dict:
    return {
        "id": item_id,
        "answerable": result.answerable,
        "results": [p.as_dict() for p in result.passages],
    }


if __name__ == "__main__":
    raise SystemExit(main())
