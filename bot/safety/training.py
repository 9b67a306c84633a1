"""What the red-flag classifier learns from: the NLU examples and the corpus.

Every NLU example counts: those of the ``red_flag`` intent as red flags (their sign named by
the rules where they can), all others as messages that are not. The corpus
(``corpus.yml``) adds whole messages by sign and hard near misses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.safety.rules import detect

CORPUS_FILE = Path(__file__).with_name("corpus.yml")
RED_FLAG_INTENT = "red_flag"


@dataclass
class Examples:
    texts: list[str] = field(default_factory=list)
    is_red_flag: list[bool] = field(default_factory=list)
    sign_of: list[str | None] = field(default_factory=list)

    def add(self, text: str, red_flag: bool, sign: str | None = None) -> None:
        if red_flag and sign is None:
            found = detect(text)
            sign = found[0].sign if found else None
        self.texts.append(text)
        self.is_red_flag.append(red_flag)
        self.sign_of.append(sign if red_flag else None)


def training_examples(
    nlu_examples: Iterable[tuple[str, str]], corpus: Path = CORPUS_FILE
) -> Examples:
    """``nlu_examples``: (text, intent) pairs from Rasa's training data."""
    examples = Examples()
    for text, intent in nlu_examples:
        examples.add(text, intent == RED_FLAG_INTENT)
    data = yaml.safe_load(corpus.read_text(encoding="utf-8"))
    for sign, texts in (data.get("red_flags") or {}).items():
        for text in texts:
            examples.add(text, True, sign)
    for text in data.get("not_red_flags") or ():
        examples.add(text, False)
    return examples
