"""Does a message ask something? One message can describe the visitor's pain and ask a
question about it ("my back's been sore for a week, should I keep walking?"); the NLU picks
one intent, so the action that offers the triage checks for the question itself."""

from __future__ import annotations

import re

# Not "when" or a bare "any": "when I sit it aches", "any time I bend" are statements.
_WH = r"(?:why|how|what|which|where|whats|hows|any (?:tips|advice|ideas|exercises|stretches|suggestions))"
_MODAL = r"(?:can|could|should|shall|would|will)"
_AUXILIARY = r"(?:is|are|am|does|do|did)"
# A clause opening with a question word or an inverted verb ("should I", "is it"), not with
# its negative statement form ("can't walk far", "don't sleep well"). After "and", "but" or
# "so", only question words and modals: "and is getting worse" is a statement.
_NOT_NEGATIVE = r"\b(?!['’]t\b|n['’]?t\b)"
_QUESTION_OPENING = re.compile(
    rf"(?:(?:^|[.,;:!\-–—]\s*)(?:{_WH}|{_MODAL}|{_AUXILIARY})|"
    rf"\b(?:and|but|so|also)\s+(?:{_WH}|{_MODAL})){_NOT_NEGATIVE}",
    re.IGNORECASE,
)


def asks_a_question(text: str) -> bool:
    return "?" in text or bool(_QUESTION_OPENING.search(text.strip()))
