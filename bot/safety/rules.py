"""Find red-flag signs in a visitor's own words, by the reviewable rules of ``signs.yml``.

A red flag must never be missed, so the first net is a transparent rule set a clinician
can read and amend (``bot/safety/signs.yml``, with its examples checked by the tests).
The semantic net (``bot.safety.semantic``) and the classifier catch wordings these rules
do not know. This module has no Rasa in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

SIGNS_FILE = Path(__file__).with_name("signs.yml")


class Urgency(str, Enum):
    """Emergency: the emergency department now; same day: a doctor or urgent care today."""

    EMERGENCY = "emergency"
    SAME_DAY = "same_day"


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern[str]
    # This pattern does not count in a clause that also says this.
    unless: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Guard:
    regex: re.Pattern[str]
    # The guard does not apply when the whole message says this ("it doesnt go away").
    unless_message: re.Pattern[str] | None = None

    def holds(self, clause: str, message: str) -> bool:
        if not self.regex.search(clause):
            return False
        return not (self.unless_message and self.unless_message.search(message))


@dataclass(frozen=True)
class Sign:
    id: str
    name: str
    urgency: Urgency
    patterns: tuple[Pattern, ...]
    # Vaguer mentions: enough to ask about the sign, not to raise the alarm.
    suspect: tuple[Pattern, ...] = ()
    guards: tuple[Guard, ...] = ()
    message_guards: tuple[re.Pattern[str], ...] = ()
    family_history: tuple[re.Pattern[str], ...] = ()
    # A denial just before a match cancels it, unless the patterns carry their own ("cant pee").
    denial_before_counts: bool = True
    # Read the whole message rather than clause by clause.
    across_clauses: bool = False
    # Someone else's sign counts only if the message also tells of that person's pain.
    someone_else_needs_their_pain: bool = False
    # Found in a sentence that speaks of the past: asked about rather than escalated.
    past_means_ask: bool = True
    # Found only when every one of these is said somewhere in the message (an older person
    # + a fall + cannot bear weight), after the guards; no denial check (each carries its own).
    all_of: tuple[re.Pattern[str], ...] = ()
    # What the labelled sets call this sign (``bladder_dysfunction`` for ``bladder``).
    labels: tuple[str, ...] = ()
    examples: dict[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class RedFlag:
    sign: str  # the sign's id, e.g. "bladder"
    name: str
    urgency: Urgency
    evidence: str
    # The sign is someone else's (a relative, a child, a client): escalate for them.
    someone_else: bool = False
    # False: the rules only suspect it (a vague mention, or told with the past).
    confirmed: bool = True


# "Up to N words between", never across a denial: "my legs are not weak" and "no numbness in
# my groin" deny the sign inside the match, where the look-back before it cannot see.
_DENIAL_WORD = r"(?:not|no|never|nor|dont|doesnt|didnt|isnt|arent|wasnt|without)\b(?! stop)"
_GAP = re.compile(r"\{gap(?::(\d+))?\}")
_VOCABULARY_NAME = re.compile(r"\{([a-z_]+)\}")
_CLAUSE_BREAK = re.compile(
    r"[.;!?\n]+|\.\.\.|\s[-–—]\s|,?\s+\b(?:but|though|although|however|except|whereas)\b", re.I
)
_DENIAL = re.compile(
    r"\b(?:no|not(?! my| being| able)|never|none|nothing|without|nor|neither|dont|doesnt|didnt|havent|"
    r"hasnt|isnt|arent|wasnt|free of|denies|deny|negative for)\b",
    re.I,
)
# Words before a symptom that can deny it: "no fever", "I dont have any numbness".
DENIAL_REACH_WORDS = 5
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_FIRST_PERSON = re.compile(r"\b(?:i|im|ive|id|ill|me|myself)\b", re.I)
_RELATIVE_STEM = (
    r"(?:flatmate|housemate|roommate|mate|pal|bf|gf|mum|mom|mother|dad|father|parent|brother|sister|aunt|auntie|uncle|gran\w*|grand\w*|"
    r"nan|nana|friend|wife|husband|hubby|partner|son|daughter|cousin|neighbou?r|colleague|boss|"
    r"toddler|baby|kids?|child|children|boy|girl|patients?|client|fiance\w*|boyfriend|"
    r"girlfriend|lad|teen\w*|little one|youngest|eldest)s?"
)
_SOMEONE_ELSE = re.compile(
    # Not "they": "what they call saddle numbness" is the visitor's own.
    rf"\b(?:(?:my|our|a) {_RELATIVE_STEM}|he|she|hes|shes|him|his|her|himself|herself)\b",
    re.I,
)
# The message tells of that other person's pain ("her back is agony", "he cant walk"), or of
# something that happened to them just now.
_RECENTLY = (
    r"\b(?:today|this (?:morning|afternoon|evening|week)|yesterday|last night|just now|earlier|"
    r"(?:a |two |three |few |couple of )?days? ago|at the weekend|(?:on|since) "
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|is having|currently|right now|at the moment)\b"
)
_SOMEONE_ELSES_PAIN = re.compile(
    r"\b(?:his|her|their|(?:my|our) \w+s) (?:lower |upper |bad |left |right )?"
    r"(?:back|hip|hips|spine|leg|legs|knee|knees|joint|ankle)"
    r"\W+(?:\w+\W+){0,3}?(?:pain|hurt\w*|sore|ach\w*|agony|killing|bad|worse|awful|terrible|"
    r"swollen|bruised|injured|playing up)|"
    r"(?:pain|hurt\w*|sore\w*|ach\w*|agony|complain\w* (?:about|of)|moan\w* about) (?:in )?"
    r"(?:his|her|their) (?:lower |upper |bad )?(?:back|hip|hips|spine|leg|legs|knee|knees)|"
    rf"\b(?:my|our) {_RELATIVE_STEM}\b (?:\(\d+\) )?(?:has|had|is|has had|has got|got)\W+"
    r"(?:\w+\W+){0,3}?(?:back|hip|spine) (?:pain|ache)|"
    r"\b(?:he|she|hes|shes|they)\b\W+(?:\w+\W+){0,4}?"
    r"(?:pain|hurt\w*|sore|ach\w*|agony|limp\w*|cant walk)|" + _RECENTLY,
    re.I,
)


def normalise(text: str) -> str:
    """How the rules read a message: apostrophes dropped, spaces folded."""
    return " ".join(_APOSTROPHES.sub("", text).split())


def clauses(message: str) -> list[str]:
    """The message cut at full stops, semicolons, dashes and "but", "although"..."""
    return [c.strip() for c in _CLAUSE_BREAK.split(message) if c and c.strip()]


@lru_cache(maxsize=1)
def signs() -> tuple[Sign, ...]:
    return load_signs(SIGNS_FILE)


def load_signs(path: Path) -> tuple[Sign, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    vocabulary = data.get("vocabulary") or {}

    def compile_(text: str) -> re.Pattern[str]:
        return re.compile(_expand(text, vocabulary), re.IGNORECASE)

    loaded = []
    for raw in data["signs"]:

        def patterns_of(key: str, raw: dict[str, Any] = raw) -> tuple[Pattern, ...]:
            return tuple(
                Pattern(compile_(p))
                if isinstance(p, str)
                else Pattern(
                    compile_(p["match"]), compile_(p["unless"]) if p.get("unless") else None
                )
                for p in raw.get(key) or ()
            )

        examples = raw.get("examples") or {}
        loaded.append(
            Sign(
                id=raw["id"],
                name=raw["name"],
                urgency=Urgency(raw["urgency"]),
                patterns=patterns_of("patterns"),
                suspect=patterns_of("suspect"),
                guards=tuple(
                    Guard(compile_(g))
                    if isinstance(g, str)
                    else Guard(compile_(g["match"]), compile_(g["unless_message"]))
                    for g in raw.get("guards") or ()
                ),
                message_guards=tuple(compile_(g) for g in raw.get("message_guards") or ()),
                family_history=tuple(compile_(g) for g in raw.get("family_history") or ()),
                denial_before_counts=raw.get("denial_before_counts", True),
                across_clauses=raw.get("across_clauses", False),
                someone_else_needs_their_pain=raw.get("someone_else_needs_their_pain", False),
                past_means_ask=raw.get("past_means_ask", True),
                all_of=tuple(compile_(p) for p in raw.get("all_of") or ()),
                labels=tuple(raw.get("labels") or ()),
                examples={k: tuple(v) for k, v in examples.items()},
            )
        )
    return tuple(loaded)


@lru_cache(maxsize=4)
def _message_rule(key: str) -> re.Pattern[str]:
    """One of the file's rules read over the whole message (``general_questions``...)."""
    data = yaml.safe_load(SIGNS_FILE.read_text(encoding="utf-8"))
    vocabulary = data.get("vocabulary") or {}
    joined = "|".join(f"(?:{_expand(p, vocabulary)})" for p in data.get(key) or ())
    return re.compile(joined or r"(?!x)x", re.IGNORECASE)


def _expand(text: str, vocabulary: dict[str, Any]) -> str:
    def gap(match: re.Match[str]) -> str:
        most = match.group(1) or "1"
        return rf"(?:(?!{_DENIAL_WORD})\w+\W+){{0,{most}}}?"

    # Vocabulary may name vocabulary ({no_weight} uses {cant}): expand until none is left.
    while _VOCABULARY_NAME.search(text):
        text = _VOCABULARY_NAME.sub(lambda m: str(vocabulary[m.group(1)]), text)
    return _GAP.sub(gap, text)


def detect(text: str) -> list[RedFlag]:
    """Every red-flag sign the message describes, most urgent first."""
    return [flag for flag in _find(text, _confirming) if flag.confirmed]


def _confirming(sign: Sign) -> tuple[re.Pattern[str], ...] | tuple[Pattern, ...]:
    return sign.all_of or sign.patterns


def suspect(text: str) -> list[RedFlag]:
    """Signs the message mentions too vaguely, or too much in the past, to confirm: to be
    asked about."""
    told_with_the_past = [f for f in _find(text, _confirming) if not f.confirmed]
    vague = _find(text, lambda sign: sign.suspect)
    return [
        *told_with_the_past,
        *(f for f in vague if f.sign not in {g.sign for g in told_with_the_past}),
    ]


def _find(text: str, patterns_of: Callable[[Sign], tuple[Pattern, ...]]) -> list[RedFlag]:
    message = normalise(text)
    seen_today = bool(_message_rule("already_seen_today").search(message))
    # A clause that only talks about signs in general, or denies them all, says nothing of
    # the other clauses: "none of those symptoms, except I cant control my bladder".
    general = _message_rule("not_about_a_sign")
    denies_before = _message_rule("denies_what_came_before")
    parts = clauses(message)
    kept = [not general.search(part) for part in parts]
    for at, part in enumerate(parts):
        if at and denies_before.search(part):
            kept[at - 1] = kept[at] = False
    parts = [part for part, keep in zip(parts, kept, strict=True) if keep]
    if not parts:
        return []
    message = " . ".join(parts)
    found = []
    for sign in signs():
        if seen_today and sign.urgency is Urgency.SAME_DAY:
            continue
        if any(_affirmed(guard, message) for guard in sign.message_guards):
            continue
        for target in [message] if sign.across_clauses else parts:
            flag = _flag_in(sign, patterns_of(sign), target, message)
            if flag:
                found.append(flag)
                break
    return sorted(found, key=lambda flag: flag.urgency != Urgency.EMERGENCY)


def most_urgent(flags: list[RedFlag]) -> Urgency | None:
    return flags[0].urgency if flags else None


def _flag_in(
    sign: Sign, patterns: tuple[Pattern, ...], clause: str, message: str
) -> RedFlag | None:
    if any(guard.holds(clause, message) for guard in sign.guards):
        return None
    if sign.all_of:
        return _all_said(sign, clause) if patterns == sign.all_of else None
    for pattern in patterns:
        if pattern.unless and pattern.unless.search(clause):
            continue
        for match in pattern.regex.finditer(clause):
            if _denied(clause, match.start(), None if sign.denial_before_counts else 1):
                continue
            someone_else = _about_someone_else(clause, match.start(), match.end())
            needs_their_pain = someone_else and sign.someone_else_needs_their_pain
            if needs_their_pain and not _SOMEONE_ELSES_PAIN.search(message):
                continue
            if any(history.search(clause) for history in sign.family_history):
                continue
            past = sign.past_means_ask and _message_rule("past_or_resolved").search(
                _sentence_at(message, message.find(clause) + match.start())
            )
            return RedFlag(sign.id, sign.name, sign.urgency, match.group(0), someone_else, not past)
    return None


def _all_said(sign: Sign, text: str) -> RedFlag | None:
    found = [pattern.search(text) for pattern in sign.all_of]
    if not all(found):
        return None
    evidence = " ... ".join(match.group(0) for match in found if match)
    someone_else = _about_someone_else(text, 0, len(text))
    return RedFlag(sign.id, sign.name, sign.urgency, evidence, someone_else)


_SENTENCE_BREAK = re.compile(r"[.!?\n]+")


def _sentence_at(message: str, offset: int) -> str:
    """The sentence around a position (a clause may stop at a dash or a "but")."""
    start = 0
    for found in _SENTENCE_BREAK.finditer(message):
        if found.start() >= offset:
            return message[start : found.start()]
        start = found.end()
    return message[start:]


def _about_someone_else(clause: str, start: int, end: int) -> bool:
    """Whose sign: the person named last before it (or within it), the visitor by default."""
    upto = clause[:end]
    others = [m.start() for m in _SOMEONE_ELSE.finditer(upto)]
    selves = [m.start() for m in _FIRST_PERSON.finditer(upto)]
    if not others:
        return False
    return not selves or max(others) > max(selves)


def about_someone_else(text: str) -> bool:
    """Whether a message is written about someone else: the person it names last."""
    message = normalise(text)
    return _about_someone_else(message, 0, len(message))


def _affirmed(pattern: re.Pattern[str], text: str) -> bool:
    """A match that is not denied: "I'm on a diet" is, "I'm not on a diet" is not."""
    return any(
        not _DENIAL.search(m.group(0)) and not _denied(text, m.start())
        for m in pattern.finditer(text)
    )


def _denied(clause: str, start: int, reach: int | None = None) -> bool:
    """A denial in the words just before ``start``: ``reach`` of them (one for a sign whose
    patterns carry their own negative: "no trouble peeing" but "I cant pee")."""
    words_before = clause[:start].split()[-(reach or DENIAL_REACH_WORDS) :]
    return bool(_DENIAL.search(" ".join(words_before)))
