"""Put the nets together: escalate at once, ask a yes/no question, or leave the message be.

1. The rules (``signs.yml``) confirm a sign: escalate at once, at the sign's urgency (or
   at the classifier's, when it is sure of a more urgent sign: "both my legs are weak" read
   by a one-leg pattern). If the sign is a same-day one and the classifier finds the
   message very unlike a red flag ("my legs turned to jelly when I saw the prices"), ask
   instead: a "yes" still escalates, a "no" is answered as asked. An emergency sign the
   rules confirm is always escalated.
   The rules only suspect a sign (a vaguer mention): ask about it, and about what the
   classifier suspects too.
2. Otherwise the classifier (with the semantic net's reading) gives a probability:
   - at or above ``escalate_at``: escalate at once, at the urgency of its likeliest sign;
   - at or above ``ask_at``: ask the visitor one yes/no question about its likeliest signs
     (the actions do; "yes" or "not sure" then escalates);
   - below: nothing.

The cut-offs live in ``cutoffs.yml``, with the command that chose them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from bot.safety import ASSESSMENT_KEY
from bot.safety.classifier import Verdict
from bot.safety.rules import RedFlag, Urgency, signs

CUTOFFS_FILE = Path(__file__).with_name("cutoffs.yml")


@dataclass(frozen=True)
class Cutoffs:
    """The classifier's cut-offs, chosen from grouped cross-validation and written to
    ``cutoffs.yml`` by ``python -m tools.calibrate_red_flags --write`` (the file says how)."""

    escalate_at: float  # escalate at once at or above this probability
    ask_at: float  # ask a yes/no question at or above this
    rules_doubted_below: float  # a same-day sign the rules found is asked about below this
    sure_of_the_sign: float  # the classifier's emergency sign overrides the rules' urgency
    sign_named_at: float  # the classifier asks about its likeliest sign at this share
    second_sign_share: float  # a second sign is asked about too at this share
    max_signs_asked: int

    @classmethod
    def load(cls, path: Path = CUTOFFS_FILE) -> Cutoffs:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})


CUTOFFS = Cutoffs.load()


class Decision(str, Enum):
    ESCALATE = "escalate"
    ASK = "ask"
    NONE = "none"


@dataclass(frozen=True)
class Assessment:
    """What the safety check decided about one message: decided once, in the NLU, and
    carried whole in Rasa's parse output (``ASSESSMENT_KEY``) to every route that acts on
    it: the urgent advice, the yes/no check, the clinic's report."""

    decision: Decision
    signs: tuple[str, ...] = ()
    urgency: Urgency | None = None
    someone_else: bool = False
    source: str = ""  # "rules" or "classifier", for the logs and the clinic's report
    probability: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision.value,
            "signs": list(self.signs),
            "urgency": self.urgency.value if self.urgency else None,
            "someone_else": self.someone_else,
            "source": self.source,
            "probability": round(self.probability, 4),
        }

    @classmethod
    def from_dict(cls, value: object) -> Assessment | None:
        """The assessment as read back from a message, or None if it has none (a story,
        Rasa's ``/red_flag`` syntax) or it is not one."""
        if not isinstance(value, dict):
            return None
        try:
            decision = Decision(value.get("decision"))
            urgency = Urgency(value["urgency"]) if value.get("urgency") else None
        except ValueError:
            return None
        signs = value.get("signs") or []
        return cls(
            decision,
            tuple(str(s) for s in signs) if isinstance(signs, list) else (),
            urgency,
            bool(value.get("someone_else")),
            str(value.get("source") or ""),
            float(value.get("probability") or 0.0),
        )


def assessment_of(message: dict[str, Any] | None) -> Assessment | None:
    """The assessment the NLU put on a message (Rasa's parse data, a tracker's latest
    message)."""
    return Assessment.from_dict((message or {}).get(ASSESSMENT_KEY))


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
    cutoffs: Cutoffs = CUTOFFS,
) -> Assessment:
    """``flags`` the rules confirm and ``suspected`` the ones they only suspect;
    ``someone_else``: the message is written about another person (for the classifier's
    decisions; the rules say so for each sign they find)."""
    if flags:
        return _confirmed_by_rules(flags, verdict, cutoffs)
    probability = verdict.probability if verdict else 0.0
    if suspected and not (verdict and probability >= cutoffs.escalate_at):
        asked = tuple(dict.fromkeys(f.sign for f in suspected))
        if verdict and probability >= cutoffs.ask_at and _names_a_sign(verdict, cutoffs):
            asked = tuple(dict.fromkeys((*asked, verdict.signs[0][0])))
        asked = asked[: cutoffs.max_signs_asked]
        return Assessment(
            Decision.ASK, asked, most_urgent(asked),
            any(f.someone_else for f in suspected) or someone_else, "rules", probability,
        )  # fmt: skip
    if verdict is None or probability < cutoffs.ask_at or not verdict.signs:
        return Assessment(Decision.NONE, probability=probability)
    top, *rest = verdict.signs
    if verdict.probability >= cutoffs.escalate_at:
        return Assessment(
            Decision.ESCALATE, (top[0],), urgency_of(top[0]), someone_else, "classifier",
            verdict.probability,
        )  # fmt: skip
    if not _names_a_sign(verdict, cutoffs):
        # Something red-flag-like, but no sign the message hints at: a question about a
        # sign it never mentioned ("a hot swollen joint?" to "my hip aches") is not asked.
        return Assessment(Decision.NONE, probability=probability)
    asked = (top[0], *(s for s, share in rest if share >= cutoffs.second_sign_share))
    asked = asked[: cutoffs.max_signs_asked]
    return Assessment(
        Decision.ASK, asked, most_urgent(asked), someone_else, "classifier",
        verdict.probability,
    )  # fmt: skip


def _names_a_sign(verdict: Verdict, cutoffs: Cutoffs) -> bool:
    """The classifier is sure enough which sign the message hints at to ask about it."""
    return bool(verdict.signs) and verdict.signs[0][1] >= cutoffs.sign_named_at


def _confirmed_by_rules(
    flags: list[RedFlag], verdict: Verdict | None, cutoffs: Cutoffs
) -> Assessment:
    ids = tuple(dict.fromkeys(f.sign for f in flags))
    someone_else = any(f.someone_else for f in flags)
    urgency = most_urgent(ids)
    # An emergency sign the rules confirm is never demoted: doubt may ask, never about it.
    doubted = verdict is not None and verdict.probability < cutoffs.rules_doubted_below
    if doubted and urgency is not Urgency.EMERGENCY:
        asked = ids[: cutoffs.max_signs_asked]
        return Assessment(
            Decision.ASK, asked, most_urgent(asked), someone_else, "rules, doubted",
            verdict.probability,
        )  # fmt: skip
    if verdict is not None and verdict.signs:
        sign, share = verdict.signs[0]
        if share >= cutoffs.sure_of_the_sign and urgency_of(sign) is Urgency.EMERGENCY:
            ids, urgency = tuple(dict.fromkeys((*ids, sign))), Urgency.EMERGENCY
    return Assessment(
        Decision.ESCALATE, ids, urgency, someone_else, "rules",
        verdict.probability if verdict else 1.0,
    )  # fmt: skip
