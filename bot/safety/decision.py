"""Put the nets together: escalate at once, ask a yes/no question, or leave the message be.

1. The rules (``signs.yml``) confirm a sign: escalate at once, at the sign's urgency.
   They only suspect one (a vaguer mention): ask about it, and about what the classifier
   suspects too.
2. Otherwise the classifier (with the semantic net's reading) gives a probability:
   - at or above ``ESCALATE_AT``: escalate at once, at the urgency of its likeliest sign;
   - at or above ``ASK_AT``: ask the visitor one yes/no question about its likeliest signs
     (the actions do; "yes" or "not sure" then escalates);
   - below: nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from bot.safety.classifier import Verdict
from bot.safety.rules import RedFlag, Urgency, signs

# Chosen from out-of-fold predictions over the two red-flag tuning sets
# (eval/red_flags_blind_a.jsonl and _c.jsonl, 159 red flags and 109 hard controls; five
# folds, each predicted by a classifier trained without it: `python -m
# tools.calibrate_red_flags` prints the table). ESCALATE_AT is the lowest cut-off that
# escalated at most 2 of the 109 controls (2%; 83 of the red flags reach it); ASK_AT the
# lowest that asked at most a sixth of them (17; 150 of the red flags reach it).
ESCALATE_AT = 0.98
ASK_AT = 0.5
# A second sign is asked about too when the classifier gives it at least this share.
SECOND_SIGN_SHARE = 0.25
MAX_SIGNS_ASKED = 2


class Decision(str, Enum):
    ESCALATE = "escalate"
    ASK = "ask"
    NONE = "none"


@dataclass(frozen=True)
class Assessment:
    decision: Decision
    signs: tuple[str, ...] = ()
    urgency: Urgency | None = None
    someone_else: bool = False
    source: str = ""  # "rules" or "classifier", for the logs and the clinic's report
    probability: float = 0.0


def urgency_of(sign: str) -> Urgency:
    return next((s.urgency for s in signs() if s.id == sign), Urgency.SAME_DAY)


def most_urgent(sign_ids: tuple[str, ...]) -> Urgency:
    urgencies = {urgency_of(s) for s in sign_ids}
    return Urgency.EMERGENCY if Urgency.EMERGENCY in urgencies else Urgency.SAME_DAY


def assess(
    flags: list[RedFlag],
    verdict: Verdict | None,
    someone_else: bool = False,
    suspected: Sequence[RedFlag] = (),
) -> Assessment:
    """``flags`` the rules confirm and ``suspected`` the ones they only suspect;
    ``someone_else``: the message is written about another person (for the classifier's
    decisions; the rules say so for each sign they find)."""
    if flags:
        ids = tuple(dict.fromkeys(f.sign for f in flags))
        return Assessment(
            Decision.ESCALATE,
            ids,
            flags[0].urgency,
            someone_else=any(f.someone_else for f in flags),
            source="rules",
            probability=1.0,
        )
    probability = verdict.probability if verdict else 0.0
    if suspected and not (verdict and probability >= ESCALATE_AT):
        asked = tuple(dict.fromkeys(f.sign for f in suspected))
        if verdict and probability >= ASK_AT:
            asked = tuple(dict.fromkeys((*asked, verdict.signs[0][0])))
        asked = asked[:MAX_SIGNS_ASKED]
        return Assessment(
            Decision.ASK, asked, most_urgent(asked),
            any(f.someone_else for f in suspected) or someone_else, "rules", probability,
        )  # fmt: skip
    if verdict is None or probability < ASK_AT or not verdict.signs:
        return Assessment(Decision.NONE, probability=probability)
    top, *rest = verdict.signs
    if verdict.probability >= ESCALATE_AT:
        return Assessment(
            Decision.ESCALATE, (top[0],), urgency_of(top[0]), someone_else, "classifier",
            verdict.probability,
        )  # fmt: skip
    asked = (top[0], *(s for s, share in rest if share >= SECOND_SIGN_SHARE))
    asked = asked[:MAX_SIGNS_ASKED]
    return Assessment(
        Decision.ASK, asked, most_urgent(asked), someone_else, "classifier",
        verdict.probability,
    )  # fmt: skip
