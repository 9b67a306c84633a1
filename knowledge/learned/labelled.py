"""The labelled visitor questions the models learn from.

Each set in ``eval/`` holds first questions and multi-turn conversations, every turn
labelled with the phrases of the articles that answer it (any one will do) or as one to
decline. A turn of a conversation carries what came before it: the previous question and
the passage that answered it, as the running assistant would have them.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from knowledge.chunking import Chunk

# The sets learned from (and cross-validated over, one set per group). Sets kept blind for a
# final run are not listed: see eval/README.md.
TRAINING_SETS = (
    "knowledge_eval.jsonl",
    "knowledge_eval_fresh.jsonl",
    "knowledge_eval_lay.jsonl",
    "questions_blind_c.jsonl",
    "questions_blind_f.jsonl",
    "questions_blind_g.jsonl",
    "questions_blind_h.jsonl",
    "questions_blind_i.jsonl",
)
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014"), "-")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}


def normalised(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_QUOTES)
    return " ".join(text.lower().split())


def answers(passage_text: str, expected: Sequence[str]) -> bool:
    """A passage answers a turn when it holds one of the turn's phrases (a phrase quoting a
    table row as ``cell | cell`` needs each of its cells)."""
    body = normalised(passage_text)
    return any(
        all(normalised(part) in body for part in phrase.split("|") if part.strip())
        for phrase in expected
    )


@dataclass(frozen=True)
class LabelledTurn:
    group: str  # the set it comes from: never in both a training and a test fold
    item: str  # the question's or conversation's id
    text: str
    expect: str  # "answer" | "decline" | "triage_offer"
    expected: tuple[str, ...]
    # The conversation so far: the previous turn's text and the phrases that answered it.
    previous_text: str = ""
    previous_expected: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.expect == "answer" and bool(self.expected)

    @property
    def is_follow_up(self) -> bool:
        return bool(self.previous_text)

    def answered_by(self, chunk: Chunk) -> bool:
        return self.answerable and answers(chunk.text, self.expected)


def _expect(row: dict) -> str:
    if row.get("expect"):
        return row["expect"]
    if "answerable" in row:
        return "answer" if row["answerable"] else "decline"
    return "answer" if row.get("expected") else "decline"


def turns_of(group: str, rows: Iterable[dict]) -> list[LabelledTurn]:
    out: list[LabelledTurn] = []
    for row in rows:
        previous: LabelledTurn | None = None
        for turn in row.get("turns") or [row]:
            labelled = LabelledTurn(
                group=group,
                item=row["id"],
                text=turn["text"],
                expect=_expect(turn),
                expected=tuple(turn.get("expected") or ()),
                previous_text=previous.text if previous else "",
                previous_expected=previous.expected if previous else (),
            )
            out.append(labelled)
            previous = labelled
    return out


def load_turns(eval_dir: Path, sets: Sequence[str] = TRAINING_SETS) -> list[LabelledTurn]:
    turns: list[LabelledTurn] = []
    for name in sets:
        rows = [json.loads(line) for line in (eval_dir / name).read_text().splitlines() if line]
        turns.extend(turns_of(name.removesuffix(".jsonl"), rows))
    return turns
