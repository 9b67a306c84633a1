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


# What only the clinic can answer: its prices, insurers, hours and what it offers ("do you
# do dry needling?", "how much is a session with you guys?", "do you bulk bill?"). The
# articles never say, and a passage that mentions the same treatment is no answer.
_ASKS_THE_CLINIC = re.compile(
    r"\b(?:do|does|can|could|will|would|are|is) (?:you|u|ya|your (?:clinic|physios?|"
    r"therapists?|team|staff|practice)|the clinic)(?: guys| lot| all)?(?: \w+){0,2}? (?:do|offer|"
    r"provide|run|treat|see|take|accept|bulk bill|open|work|deal with|cover|sell|teach|hold|"
    r"have (?:physios?|therapists?|appointments?|parking|classes|availability|slots?))\b|"
    r"\b(?:cost|costs|price|prices|pricing|fees?|charges?|insurance|insurer|bupa|medicare|"
    r"medicaid|simplyhealth|bulk bill\w*|claim (?:it )?(?:on|back|through)|"
    r"your (?:clinic|practice|physios?|therapists?))\b|"
    r"\bhow much (?:is|are|does|do|would|will)(?: \w+){0,3}? (?:sessions?|appointments?|"
    r"massages?|treatments?|visits?|consultations?|classes)\b",
    re.IGNORECASE,
)


def asks_the_clinic(text: str) -> bool:
    return bool(_ASKS_THE_CLINIC.search(text))


# Questions wanting an amount, a duration or a dose ("how many sets and reps?", "how long
# until I need a new hip?", "what dose of turmeric?"). The articles give almost no
# amounts, so such a question is answered only by a passage that states one ("24
# vertebral bones"); otherwise a passage on the same subject would be quoted as if it
# answered. Of the 46 such questions in eval/ and the tuning set G, 41 are labelled not
# answerable.
_ASKS_AN_AMOUNT = re.compile(
    r"\b(?:how (?:many|much|long|often|soon|quickly)|what (?:dose|dosage)|dosage|"
    r"recovery time|at what age)\b",
    re.IGNORECASE,
)
# A number that is part of a name is no amount: "omega-3s", "omega 3" (the articles' only
# such names).
_STATES_AN_AMOUNT = re.compile(
    r"(?<![-\w])(?<!omega )(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"twenty|thirty|hundred|dozen)\b(?!-)",
    re.IGNORECASE,
)


def asks_for_an_amount(text: str) -> bool:
    return any(_ASKS_AN_AMOUNT.search(q) for q in question_sentences(text) or [text])


def states_an_amount(text: str) -> bool:
    return bool(_STATES_AN_AMOUNT.search(text))
