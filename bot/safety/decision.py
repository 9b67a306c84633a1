"""Put the nets together: escalate at once, ask a yes/no question, or leave the message be.

1. The rules (``signs.yml``) confirm a sign: escalate at once, at the sign's urgency (or
   at the classifier's, when it is sure of a more urgent sign: "both my legs are weak" read
   by a one-leg pattern). If the classifier finds the message very unlike a red flag
   (below ``RULES_DOUBTED_BELOW``: "my legs turned to jelly when I saw the prices", "nothing
   numb down there"), ask instead: a "yes" still escalates, a "no" is answered as asked.
   The rules only suspect a sign (a vaguer mention): ask about it, and about what the
   classifier suspects too.
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
#
# Re-chosen on 2026-12-07 on two sets the classifier was not trained on: the blind set E
# (eval/red_flags_blind_e.jsonl) and a fresh blind set G (171 red flags, 117 hard controls
# together), with the rules' own false alarms now asked about (RULES_DOUBTED_BELOW).
# Escalating at once at 0.9 instead of 0.98 took the red flags escalated at once from
# 157 to 162 for 3 more controls; doubting the rules below 0.3 took their false alarms
# from 14 to 1 for one red flag asked about instead of escalated.
ESCALATE_AT = 0.9
ASK_AT = 0.5
RULES_DOUBTED_BELOW = 0.3
# The classifier's likeliest sign overrides the rules' urgency when it is this sure of it
# (on those sets, 2 upgrades at 0.7-0.9, both right; at 0.5, one of three wrong).
SURE_OF_THE_SIGN = 0.8
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
        return _confirmed_by_rules(flags, verdict)
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


def _confirmed_by_rules(flags: list[RedFlag], verdict: Verdict | None) -> Assessment:
    ids = tuple(dict.fromkeys(f.sign for f in flags))
    someone_else = any(f.someone_else for f in flags)
    if verdict is not None and verdict.probability < RULES_DOUBTED_BELOW:
        asked = ids[:MAX_SIGNS_ASKED]
        return Assessment(
            Decision.ASK, asked, most_urgent(asked), someone_else, "rules, doubted",
            verdict.probability,
        )  # fmt: skip
    urgency = most_urgent(ids)
    if verdict is not None and verdict.signs:
        sign, share = verdict.signs[0]
        if share >= SURE_OF_THE_SIGN and urgency_of(sign) is Urgency.EMERGENCY:
            ids, urgency = tuple(dict.fromkeys((*ids, sign))), Urgency.EMERGENCY
    return Assessment(
        Decision.ESCALATE, ids, urgency, someone_else, "rules",
        verdict.probability if verdict else 1.0,
    )  # fmt: skip
