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


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# A long story's question is searched on its own too: over this many words, a message
# is read sentence by sentence as well as whole.
LONG_MESSAGE_WORDS = 25


def question_sentences(text: str) -> list[str]:
    """The sentences of a long message that ask something ("...so is it my hip?")."""
    if len(text.split()) <= LONG_MESSAGE_WORDS:
        return []
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip() and asks_a_question(s)]


# A follow-up leans on what came before: it is short, and opens like a continuation or
# points back with a pronoun ("what about at home?", "and if it's in the groin?",
# "how do I do that one?", "will it settle on its own?").
FOLLOW_UP_MAX_WORDS = 12
_CONTINUES = re.compile(
    r"^\W*(?:and|so|but|also|ok(?:ay)?|right|then|what about|how about|what if|and if|"
    r"what else|anything else|any others?|is that|does that|would that|will that|"
    r"is it|does it|will it|would it|could it|can it|should i|how do i|how long|how often|"
    r"how much|how many)\b",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(
    r"\b(?:it|that|this|them|those|these|they|one|ones|there|then)\b", re.IGNORECASE
)
# Words that put a message on a subject the articles leave to the clinic, whatever came
# before ("what about my neck?", "and how much does it cost?").
_ANOTHER_SUBJECT = re.compile(
    r"\b(?:neck|shoulders?|arms?|elbows?|wrists?|hands?|fingers?|head|headaches?|jaw|chest|"
    r"ibuprofen|paracetamol|naproxen|codeine|tramadol|co-?codamol|dose|dosage|tablets?|pills?|"
    r"painkillers?|cortisone|prescri\w+|parking|park|price|prices|cost|costs|pay|insurance|"
    r"bupa|nhs|waiting list|open|opening|hours|weekend|saturday|sunday|address|directions)\b",
    re.IGNORECASE,
)


def is_follow_up(text: str) -> bool:
    words = text.split()
    if not words or len(words) > FOLLOW_UP_MAX_WORDS:
        return False
    return bool(_CONTINUES.search(text) or _POINTS_BACK.search(text))


def names_another_subject(text: str) -> bool:
    return bool(_ANOTHER_SUBJECT.search(text))
