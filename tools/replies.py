"""Tell which of domain.yml's responses a reply is, from its text alone.

The evaluation tools talk to the running assistant as a visitor would (Rasa's REST
channel), which returns only text; matching it against the responses' templates says what
the assistant did (answered, declined, sent the urgent message, asked a question...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.wording import Responses, load_responses

_PLACEHOLDER = re.compile(r"\\\{[a-z_]+\\\}")
# Responses that are parts of other messages ("{first}, or {second}"), never sent alone.
MIN_LITERAL_CHARS = 12
# The one whole message made almost only of placeholders: tried last.
ANSWER = "utter_grounded_answer"


class ReplyReader:
    def __init__(self, responses: Responses | None = None) -> None:
        patterns = []
        for name, variants in (responses or load_responses()).items():
            for variant in variants:
                text = variant.get("text")
                if not text:
                    continue
                literal = len(_PLACEHOLDER.sub("", re.escape(text)))
                if literal < MIN_LITERAL_CHARS and name != ANSWER:
                    continue
                regex = _PLACEHOLDER.sub("(.*?)", re.escape(text))
                rank = -1 if name == ANSWER else literal
                patterns.append((rank, name, re.compile(regex, re.DOTALL)))
        # The most specific template first: "{passage}\n({citation})" matches almost anything.
        self._patterns = [(n, r) for _, n, r in sorted(patterns, key=lambda p: -p[0])]

    def name_of(self, text: str) -> str | None:
        return next((name for name, regex in self._patterns if regex.fullmatch(text)), None)

    def names(self, replies: Iterable[dict]) -> list[str]:
        return [self.name_of(r.get("text") or "") or "?" for r in replies if r.get("text")]
