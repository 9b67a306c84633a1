"""Triage answers: free text (or a button) mapped to the rows of the hip-vs-back table.

The comparison table in *How Hip Arthritis Can Cause Back Pain* has four rows: pain
location, what aggravates it, the relief position and range of motion. Each answer is
mapped to the column it matches (hip or spine); the summary reports which column the
answers resemble. It never concludes more than that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from actions.yes_no import Answer, read_answer

# An answer asked for twice and still not readable: recorded, and left out of the summary.
UNCLEAR = "unclear"

# The form's questions, in the order it asks them (domain.yml, forms).
TRIAGE_SLOTS = (
    "pain_location",
    "aggravating",
    "easing",
    "movement_limits",
    "duration",
    "red_flag_screen",
)


class Side(str, Enum):
    HIP = "hip"
    SPINE = "spine"
    BOTH = "both"  # a clue the table lists in both columns (the buttock)


@dataclass(frozen=True)
class Choice:
    """One recognisable answer: its canonical value and the column of the table it fits.

    How the summary restates it is the ``utter_triage_answer_<value>`` response in domain.yml.
    """

    value: str
    side: Side | None
    pattern: re.Pattern[str]


def _choice(value: str, side: Side | None, *patterns: str) -> Choice:
    return Choice(value, side, re.compile("|".join(patterns), re.IGNORECASE))


NONE_WORDS = (
    r"\b(?:none|neither|nothing|no(?:pe)?|not really|nah|no difference|not sure|don'?t know|"
    r"dunno|no idea|idk|unsure|n/a)\b"
)
# Words for a chair, sofa or car seat, where "sitting" is meant.
_SEAT = r"(?:sit\w*|sat|chair|armchair|seat\w*|sofa|couch|settee|desk|car)"
_BAD = r"(?:worse|hurts?|aggravat\w*|painful|bad|agony|killing|awful|worst|unbearable|nightmare)"
_EASES = r"(?:eases?|helps?|better|reliev\w*|relief|fine|comfortable|comfy|good|settles?|calms?)"

LOCATION = (
    _choice("groin_thigh", Side.HIP, r"groin|crotch|thigh"),
    _choice("buttock", Side.BOTH, r"butt(?:ock)?s?\b|bum|glute|bottom|backside|cheek"),
    _choice("lower_back", Side.SPINE, r"\bback\b|lumbar|spine|\blow(?:er)?\s?back\b"),
    _choice("leg", Side.SPINE, r"\bleg|calf|shin|knee|foot|ankle"),
    _choice("hip", Side.HIP, r"\bhips?\b"),
)
AGGRAVATING = (
    _choice(
        "sit_to_stand",
        Side.HIP,
        r"(?:get|getting|stand|standing|rise|rising)(?:\s+\w+)?\s+(?:up|out)\b"
        r"(?:\s+(?:from|of|off)\s+(?:a\s+|the\s+|my\s+)?(?:sitting|seat\w*|chair|car|bed|sofa|couch))?|sit(?:ting)?[- ]to[- ]stand|out of (?:a |the )?(?:chair|car|bed)|"
        r"(?:rise|rising|getting|get|standing) (?:up )?from (?:a |the |my )?(?:chair|seat|sofa|bed|sitting|couch|settee)",
    ),
    _choice("walking_stairs", Side.HIP, r"walk|stair|steps|climb|hill|running|jog"),
    _choice(
        "bending_twisting", Side.SPINE, r"bend|twist|lift|stoop|lean|swing|golf|tennis|rotat|hoover"
    ),
    _choice("prolonged_sitting", Side.SPINE, r"sit|desk|driv|chair|car\b"),
)
EASING = (
    _choice(
        "worse_sitting",
        Side.SPINE,
        rf"{_SEAT}\W+(?:\w+\W+){{0,5}}?{_BAD}|{_BAD} (?:\w+ ){{0,3}}?{_SEAT}|can'?t sit|"
        r"(?:better|easier|fine|eases?) (?:\w+ ){0,4}?(?:on my feet|moving|walking|standing|up and about)|"
        r"(?:walking|moving|getting up|standing)(?: \w+){0,4}? (?:eases?|helps?|relieves?|is better)",
    ),
    _choice(
        "eased_by_sitting",
        Side.HIP,
        rf"{_SEAT}\W+(?:\w+\W+){{0,8}}?{_EASES}|(?:better|easier|eases?|relief|helps?|comfy|comfortable) (?:\w+ ){{0,3}}?{_SEAT}|"
        r"(?:need|have) (?:a |to )?sit (?:down)?",
    ),
    _choice(
        "no_difference",
        None,
        NONE_WORDS,
        r"same|doesn'?t (?:seem to )?(?:matter|change|make (?:a|any) difference)|makes no difference",
    ),
)
MOVEMENT = (
    _choice(
        "hip_rotation",
        Side.HIP,
        r"cross|sock|shoe|rotat|turn\w* (?:my )?(?:leg|hip|knee|foot)|out of (?:a |the )?car|tying|laces|"
        r"knees? out|butterfly|toenails|foot (?:up )?on (?:my|the) (?:other )?knee",
    ),
    _choice(
        "spine_bending",
        Side.SPINE,
        r"bend|arch|lean\w* back|touch\w* (?:my )?toes|straighten",
    ),
    _choice("none", None, NONE_WORDS),
)
BOTH_WORDS = re.compile(
    r"\b(?:both|all of (?:them|those|these)|everything|any movement|all movements?)\b",
    re.IGNORECASE,
)
NONE_RE = re.compile(NONE_WORDS, re.IGNORECASE)


def match_many(text: str, choices: Iterable[Choice]) -> list[str]:
    """Every choice the answer mentions; an earlier choice consumes its words first.
    "Everything" (or "both") is every choice that points to a column."""
    remaining = text
    found: list[str] = []
    choices = tuple(choices)
    if BOTH_WORDS.search(text):
        return [c.value for c in choices if c.side]
    for choice in choices:
        if choice.pattern.search(remaining):
            found.append(choice.value)
            remaining = choice.pattern.sub(" ", remaining)
    return found


def match_one(text: str, choices: Iterable[Choice]) -> str | None:
    values = match_many(text, choices)
    return values[0] if values else None


def parse_location(text: str) -> list[str] | None:
    values = match_many(text, LOCATION)
    return values or None


def parse_aggravating(text: str) -> list[str] | None:
    found = match_many(text, AGGRAVATING)
    if not found and NONE_RE.search(text):
        return ["none"]
    return found or None


def parse_easing(text: str) -> str | None:
    return match_one(text, EASING)


def parse_movement(text: str) -> list[str] | None:
    if BOTH_WORDS.search(text):
        return ["hip_rotation", "spine_bending"]
    values = match_many(text, MOVEMENT)
    if "none" in values and len(values) > 1:
        values.remove("none")
    return values or None


# Durations as the buttons ask them, in weeks: under 6, 6 to 13 (three months), over.
DURATIONS = ("lt_6_weeks", "6_weeks_to_3_months", "gt_3_months")
SIX_WEEKS = 6
_WEEKS_PER = {"day": 1 / 7, "week": 1, "wk": 1, "fortnight": 2, "month": 4.35, "mo": 4.35,
              "year": 52, "yr": 52}  # fmt: skip
THREE_MONTHS_IN_WEEKS = 3 * _WEEKS_PER["month"]
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                 "twelve": 12, "couple": 2, "few": 3, "several": 4}  # fmt: skip
_AMOUNT = re.compile(
    r"(?P<n>\d+(?:\.\d+)?|a couple of|a few|couple of|few|several|an?|one|two|three|four|five|"
    r"six|seven|eight|nine|ten|eleven|twelve)\s*(?P<half>and a half )?(?:or (?:so|two|\w+) )?"
    r"(?P<unit>days?|weeks?|wks?|fortnights?|months?|mos?|years?|yrs?)\b(?P<plus> and a (?:bit|half))?",
    re.IGNORECASE,
)
_OVER = re.compile(r"\b(?:over|more than|just over|at least|longer than|a good)\b", re.I)
_UNDER = re.compile(r"\b(?:less than|under|not quite|nearly|almost)\b", re.I)
_LONG = re.compile(
    r"\b(?:ages|forever|for years|years|decades?|as long as i can remember|a long time|"
    r"since (?:19|20)\d\d|since (?:i was|school|childhood)|always had)\b",
    re.IGNORECASE,
)
_RECENT = re.compile(
    r"\b(?:today|yesterday|this morning|last night|this week|last week|just started|"
    r"a few days|recent(?:ly)?|the other day|since (?:monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|the weekend))\b",
    re.IGNORECASE,
)
_SINCE_SEASON = re.compile(
    r"\bsince (?:the )?(?:summer|spring|autumn|fall|winter|christmas|easter|january|february|"
    r"march|april|may|june|july|august|september|october|november|december|last year)\b",
    re.IGNORECASE,
)


def parse_duration(text: str) -> str | None:
    """Which of the three durations an answer gives, or None when it names no time."""
    found = _AMOUNT.search(text)
    if found:
        raw = (
            found.group("n").lower().replace("a couple of", "couple").replace("couple of", "couple")
        )
        raw = raw.replace("a few", "few")
        amount = float(raw) if raw[0].isdigit() else _NUMBER_WORDS.get(raw, 1)
        unit = found.group("unit").lower().rstrip("s")
        amount += 0.5 if found.group("half") else 0
        weeks = amount * _WEEKS_PER.get(unit, _WEEKS_PER.get(unit[:2], 1))
        before = text[: found.start()]
        if found.group("plus") or _OVER.search(before):
            weeks += 0.5
        elif _UNDER.search(before):
            weeks -= 0.5
        if weeks < SIX_WEEKS:
            return DURATIONS[0]
        return DURATIONS[1] if weeks <= THREE_MONTHS_IN_WEEKS else DURATIONS[2]
    if _LONG.search(text) or _SINCE_SEASON.search(text):
        return DURATIONS[2]
    if _RECENT.search(text):
        return DURATIONS[0]
    return None


def parse_red_flag_screen(text: str) -> str | None:
    """ "none", "yes" or "not_sure": not being sure of a warning sign is treated as having it."""
    if re.search(r"\bnone\b.*\bbut\b", text, re.I):
        return "yes"
    answer = read_answer(text)
    if answer is Answer.NO or (answer is None and NONE_RE.search(text)):
        return "none"
    return answer.value if answer else None


# --- Summary -------------------------------------------------------------------------

TABLE_ROWS = {
    "pain_location": "Pain location",
    "aggravating": "Aggravated by",
    "easing": "Relief position",
    "movement_limits": "Range of motion",
}
_CHOICES = {
    "pain_location": LOCATION,
    "aggravating": AGGRAVATING,
    "easing": EASING,
    "movement_limits": MOVEMENT,
}


@dataclass(frozen=True)
class Clue:
    """One answer that points to a column of the table."""

    row: str  # the table's "Feature" cell, e.g. "Pain location"
    answer: str  # the answer's value, e.g. "groin_thigh"
    side: Side


@dataclass(frozen=True)
class Assessment:
    pattern: str  # "hip-like" | "spine-like" | "mixed"
    clues: list[Clue]
    hip_points: float
    spine_points: float


def assess(answers: dict[str, object]) -> Assessment:
    """Which column of the table the answers resemble, and the clues behind it."""
    clues: list[Clue] = []
    for slot, row in TABLE_ROWS.items():
        values = answers.get(slot)
        if values is None:
            continue
        for value in values if isinstance(values, list) else [values]:
            choice = next((c for c in _CHOICES[slot] if c.value == value), None)
            if choice and choice.side:
                clues.append(Clue(row, choice.value, choice.side))
    hip = sum(1.0 if c.side is Side.HIP else 0.5 if c.side is Side.BOTH else 0 for c in clues)
    spine = sum(1.0 if c.side is Side.SPINE else 0.5 if c.side is Side.BOTH else 0 for c in clues)
    total = hip + spine
    if total == 0 or abs(hip - spine) / total < 0.34:
        pattern = "mixed"
    else:
        pattern = "hip-like" if hip > spine else "spine-like"
    return Assessment(pattern, clues, hip, spine)
