"""Yes, no or not sure, in a visitor's own words: the answer to a safety question."""

from __future__ import annotations

import re
from enum import Enum


class Answer(str, Enum):
    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


# Read in this order: "no idea" and "not sure" are not a no, "no, but I did fall" is a yes.
_NOT_SURE = re.compile(
    r"\b(?:not sure|unsure|dunno|dont know|do not know|no idea|not certain|cant tell|"
    r"cant say|hard to say|maybe|possibly|perhaps|might (?:have|be)|could be|not really sure|"
    r"idk|i think so|kind of|sort of|a bit|a little|slightly)\b",
    re.I,
)
_YES_DESPITE_NO = re.compile(r"\bno\b\W+(?:but|well|although|though|actually)\b", re.I)
_NO = re.compile(
    r"^\W*(?:no+|nope|nah|na|n)\b|\b(?:not at all|none|never|no way|definitely not|"
    r"certainly not|not that i know|i havent|i have not|havent|hasnt|has not|nothing like that|"
    r"negative|thankfully not|luckily not)\b",
    re.I,
)
_YES = re.compile(
    r"^\W*(?:y|ye|yes+|yeah|yep|yup|yh|ya|aye|sure|correct|right|true|definitely|afraid so|"
    r"unfortunately|i have|i do|i did|he has|she has|they have|some|one of them|a few|several)\b|"
    r"\b(?:yes|yeah|yep|i have|i do|i did|he has|she has|he did|she did|one of (?:them|those|these))\b",
    re.I,
)
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")


def read_answer(text: str) -> Answer | None:
    """The visitor's answer, or None when the message does not answer the question."""
    said = _APOSTROPHES.sub("", " ".join(text.split()))
    if _YES_DESPITE_NO.search(said):
        return Answer.YES
    if _NOT_SURE.search(said):
        return Answer.NOT_SURE
    if _NO.search(said):
        return Answer.NO
    if _YES.search(said):
        return Answer.YES
    return None
