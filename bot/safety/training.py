"""What the red-flag classifier learns from: the project's labelled red-flag messages.

- every ``eval/red_flags*.jsonl`` set but those kept blind for a final run: red flags with
  their sign and urgency, and near-miss controls;
- the corpus (``corpus.yml``): whole messages by sign, and hard near misses;
- the labelled visitor questions of the answer sets (``eval/questions_blind_*``,
  ``eval/knowledge_eval*``), as ordinary messages (the three of them that describe a red
  flag say so: ``"red_flag": true``).

Not the NLU examples: an edit to an intent's examples must not change what is safe. Each
example keeps the set it came from, so cross-validation holds a whole set out at a time
(``python -m tools.calibrate_red_flags``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.safety.rules import detect, signs

CORPUS_FILE = Path(__file__).with_name("corpus.yml")
EVAL_DIR = Path(__file__).resolve().parents[2] / "eval"
RED_FLAG_INTENT = "red_flag"
RED_FLAG_SETS = "red_flags*.jsonl"
ORDINARY_SETS = ("questions_blind_*.jsonl", "knowledge_eval*.jsonl")
# Written blind and run once through the assistant (eval/README.md), then kept out of the
# classifier's training: set J as a check set; set L and answer set J until a session
# trains and recalibrates with them (the cut-offs in cutoffs.yml were chosen without them).
KEPT_BLIND = frozenset(
    {"red_flags_blind_j.jsonl", "red_flags_blind_l.jsonl", "questions_blind_j.jsonl"}
)
CORPUS_GROUP = "corpus"


@dataclass
class Examples:
    texts: list[str] = field(default_factory=list)
    is_red_flag: list[bool] = field(default_factory=list)
    sign_of: list[str | None] = field(default_factory=list)
    urgency_of: list[str | None] = field(default_factory=list)
    group: list[str] = field(default_factory=list)
    # "control" (a near miss written to test the red flags) or "question" (an ordinary one)
    kind: list[str] = field(default_factory=list)

    def add(
        self,
        text: str,
        red_flag: bool,
        group: str,
        sign: str | None = None,
        urgency: str | None = None,
        kind: str = "control",
    ) -> None:
        if red_flag and sign is None:
            found = detect(text)
            sign = found[0].sign if found else None
        if red_flag and urgency is None and sign is not None:
            urgency = _urgency_of_sign().get(sign)
        self.texts.append(text)
        self.is_red_flag.append(red_flag)
        self.sign_of.append(sign if red_flag else None)
        self.urgency_of.append(urgency if red_flag else None)
        self.group.append(group)
        self.kind.append("red_flag" if red_flag else kind)

    def __len__(self) -> int:
        return len(self.texts)


@lru_cache(maxsize=1)
def _urgency_of_sign() -> dict[str, str]:
    return {sign.id: sign.urgency.value for sign in signs()}


@lru_cache(maxsize=1)
def sign_for_label() -> dict[str, str]:
    """A set's sign label (``bladder_dysfunction``) to the sign's id in ``signs.yml``
    (``bladder``): each sign lists the labels it answers to."""
    table = {}
    for sign in signs():
        table[sign.id] = sign.id
        for label in sign.labels:
            table[label] = sign.id
    return table


def red_flag_sets(eval_dir: Path = EVAL_DIR) -> list[Path]:
    return [p for p in sorted(eval_dir.glob(RED_FLAG_SETS)) if p.name not in KEPT_BLIND]


def ordinary_sets(eval_dir: Path = EVAL_DIR) -> list[Path]:
    return sorted(
        p for pattern in ORDINARY_SETS for p in eval_dir.glob(pattern) if p.name not in KEPT_BLIND
    )


def training_files(eval_dir: Path = EVAL_DIR, corpus: Path = CORPUS_FILE) -> list[Path]:
    """Every file the classifier learns from: a change to any of them retrains it."""
    return [corpus, *red_flag_sets(eval_dir), *ordinary_sets(eval_dir)]


def _rows(path: Path) -> Iterator[dict]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def training_examples(eval_dir: Path = EVAL_DIR, corpus: Path = CORPUS_FILE) -> Examples:
    """Each message once (the corpus holds some of the sets' messages too)."""
    examples = Examples()
    seen: set[str] = set()

    def add(text: str, red_flag: bool, group: str, **labels: str | None) -> None:
        key = " ".join(text.lower().split())
        if text and key not in seen:
            seen.add(key)
            examples.add(text, red_flag, group, **labels)

    labels = sign_for_label()
    for path in red_flag_sets(eval_dir):
        for row in _rows(path):
            label = row.get("sign")
            urgency = row.get("urgency") or row.get("kind")
            add(
                row["text"], bool(row["red_flag"]), path.stem,
                sign=labels.get(label) if label else None,
                urgency=urgency if row["red_flag"] else None,
            )  # fmt: skip
    data = yaml.safe_load(corpus.read_text(encoding="utf-8"))
    for sign, texts in (data.get("red_flags") or {}).items():
        for text in texts:
            add(text, True, CORPUS_GROUP, sign=sign)
    for text in data.get("not_red_flags") or ():
        add(text, False, CORPUS_GROUP)
    for path in ordinary_sets(eval_dir):
        for row in _rows(path):
            # A few visitor questions describe a red flag (labelled "red_flag": true).
            add(row.get("text") or "", bool(row.get("red_flag")), path.stem, kind="question")
    return examples
