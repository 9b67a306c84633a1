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


NONE_WORDS = r"\b(?:none|neither|nothing|no(?:pe)?|not really|nah|no difference|not sure|don'?t know|unsure|n/a)\b"

LOCATION = (
    _choice("groin_thigh", Side.HIP, r"groin|crotch|thigh"),
    _choice("buttock", Side.BOTH, r"butt(?:ock)?s?\b|bum|glute|bottom|backside|cheek"),
    _choice("lower_back", Side.SPINE, r"\bback\b|lumbar|spine|lower back|low back"),
    _choice("leg", Side.SPINE, r"\bleg|calf|shin|knee|foot|ankle"),
    _choice("hip", Side.HIP, r"\bhips?\b"),
)
AGGRAVATING = (
    _choice(
        "sit_to_stand",
        Side.HIP,
        r"(?:get|getting|stand|standing|rise|rising)(?:\s+\w+)?\s+(?:up|out)\b"
        r"(?:\s+(?:from|of|off)\s+(?:a\s+|the\s+|my\s+)?(?:sitting|seat\w*|chair|car|bed|sofa|couch))?|sit(?:ting)?[- ]to[- ]stand|out of (?:a |the )?(?:chair|car|bed)",
    ),
    _choice("walking_stairs", Side.HIP, r"walk|stair|steps|climb|hill|running|jog"),
    _choice("bending_twisting", Side.SPINE, r"bend|twist|lift|stoop|lean"),
    _choice("prolonged_sitting", Side.SPINE, r"sit|desk|driv|chair|car\b"),
)
EASING = (
    _choice(
        "worse_sitting",
        Side.SPINE,
        r"sit\w*\W+(?:\w+\W+){0,5}?(?:worse|hurts?|aggravat|painful|bad)|(?:worse|hurts?|painful) (?:\w+ ){0,3}?sit|can'?t sit",
    ),
    _choice(
        "eased_by_sitting",
        Side.HIP,
        r"sit\w*\W+(?:\w+\W+){0,5}?(?:eases?|helps?|better|reliev|relief|fine|comfortable|good)|(?:better|easier|eases?|relief|helps?) (?:\w+ ){0,3}?sit",
    ),
    _choice("no_difference", None, NONE_WORDS, r"same|doesn'?t (?:matter|change)"),
)
MOVEMENT = (
    _choice(
        "hip_rotation",
        Side.HIP,
        r"cross|sock|shoe|rotat|turn\w* (?:my )?(?:leg|hip)|out of (?:a |the )?car|tying|laces",
    ),
    _choice(
        "spine_bending",
        Side.SPINE,
        r"bend|arch|lean\w* back|touch\w* (?:my )?toes|straighten",
    ),
    _choice("none", None, NONE_WORDS),
)
BOTH_WORDS = re.compile(r"\b(?:both|all of (?:them|those|these)|everything)\b", re.IGNORECASE)
DURATION = re.compile(
    r"\d|\b(?:day|days|week|weeks|wk|month|months|year|years|yr|ages|long time|while|recent\w*|"
    r"yesterday|today|since|forever|decade|fortnight|a few|couple|always|less than|more than|"
    r"over|under|one|two|three|four|five|six|several)\b",
    re.IGNORECASE,
)
NONE_RE = re.compile(NONE_WORDS, re.IGNORECASE)


def match_many(text: str, choices: Iterable[Choice]) -> list[str]:
    """Every choice the answer mentions; an earlier choice consumes its words first."""
    remaining = text
    found: list[str] = []
    choices = tuple(choices)
    if BOTH_WORDS.search(text) and len([c for c in choices if c.side]) == 2:
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


def parse_duration(text: str) -> str | None:
    cleaned = " ".join(text.split())[:80]
    return cleaned if DURATION.search(cleaned) else None


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
