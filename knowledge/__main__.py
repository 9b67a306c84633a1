"""Command line: ``python -m knowledge train|index|search``; one model load per call.

By default it reads the articles in ``knowledge/articles`` and the index in ``build/index``,
the places the assistant uses unless its settings say otherwise.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from knowledge import ARTICLES_DIR, DEFAULT_INDEX_DIR, DEFAULT_LEARNED_DIR
from knowledge.answering import Answerer
from knowledge.embedding import Embedder
from knowledge.engine import DEFAULT_MIN_SCORE, KnowledgeEngine
from knowledge.learned.ranker import LearnedAnswerer
from knowledge.learned.training import LearnedModels

EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    parser.add_argument("--articles", type=Path, default=ARTICLES_DIR, help="articles folder")
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX_DIR, help="index folder")
    parser.add_argument(
        "--min-score", type=float, default=DEFAULT_MIN_SCORE, help="the relevance bar"
    )
    parser.add_argument(
        "--learned", type=Path, default=DEFAULT_LEARNED_DIR, help="the trained models' folder"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "train", help="fine-tune the retriever and train the answerer on the labelled sets"
    )
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

    models = LearnedModels(args.learned)
    if args.command == "train":
        return _train(args.articles, models)
    tuned = Embedder(models.retriever) if models.exist() else None
    engine = KnowledgeEngine(args.articles, args.index, min_score=args.min_score, embedder=tuned)
    answerer = Answerer(engine, LearnedAnswerer.load(models.answerer) if tuned else None)
    if args.command == "index":
        print(f"{engine.last_changes.describe()}: {engine.passage_count} passages")
        return 0
    if args.jsonl:
        return _search_jsonl(answerer, args.top_k)
    if not args.question:
        parser.error("search needs a question, or --jsonl")
    result = answerer.answer(args.question, args.top_k)
    if args.json:
        print(json.dumps(_result_json(None, result), ensure_ascii=False, indent=2))
        return 0
    verdict = "answerable" if result.answerable else "no grounded answer (declined)"
    if result.probability is not None:
        bar = answerer.learned.threshold
        print(
            f"{verdict}; probability the first passage answers {result.probability:.2f}, bar {bar:.2f}"
        )
    else:
        print(f"{verdict}; hand-set bar {engine.min_score:.2f} (no trained answerer)")
    for rank, passage in enumerate(result.passages, 1):
        print(f"\n{rank}. score {passage.score:.3f}  {passage.citation}\n{passage.text}")
    return 0


def _train(articles: Path, models: LearnedModels) -> int:
    """What `make train` runs for the answers: the models learned from eval/'s labelled sets."""
    from knowledge.learned.labelled import load_turns
    from knowledge.learned.training import train_answerer

    turns = load_turns(EVAL_DIR)
    print(f"Learning from {len(turns)} labelled turns ({models.folder})", flush=True)
    answerer = train_answerer(
        turns, articles, models, say=lambda line: print("  " + line, flush=True)
    )
    print(f"  answer when the first passage answers with probability >= {answerer.threshold:.2f}")
    return 0


def _search_jsonl(answerer: Answerer, top_k: int) -> int:
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
        out = _result_json(item.get("id"), answerer.answer(text, top_k))
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
