"""Red flags through the running assistant, as a visitor meets them: ``make eval``.

Each message of each ``eval/red_flags*.jsonl`` set opens a fresh conversation on Rasa's
REST channel, and the replies say what the visitor saw first: the urgent message (at which
urgency), a yes/no question about a suspected sign (then "yes" is answered, to check that
it leads to the urgent message), only the conditional safety note, or nothing.

``python -m tools.evaluate_red_flags [--set PATH] [--show-misses]``
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.safety.rules import detect
from bot.safety.training import KEPT_BLIND
from tools import EVAL_DIR
from tools.visitor import Visitor, visiting

URGENCIES = ("emergency", "same_day", "unspecified")
QUESTION_PREFIX = "utter_ask_red_flag_check_answer"
NOTE = "utter_safety_check"
# Targets of issue 24, on a set none of the rules, examples or cut-offs were shaped on.
TARGETS = {
    "urgent_at_once": 0.97,
    "urgent_or_question": 1.0,
    "control_false_alarm": 0.05,
    "control_question": 0.15,
}


@dataclass(frozen=True)
class Outcome:
    """What the visitor saw first, and where answering "yes" to a question led."""

    first: str  # "urgent" | "question" | "note" | "nothing"
    urgency: str | None = None  # of the urgent message, at once or after "yes"

    def right_urgency(self, wanted: str | None) -> bool:
        # The unspecified message names both routes, the emergency one included.
        return self.urgency == wanted or self.urgency == "unspecified"


def urgency_in(names: list[str]) -> str | None:
    """The urgency of an urgent message among the replies (for the visitor or for them)."""
    for name in names:
        for urgency in URGENCIES:
            if name in (f"utter_urgent_{urgency}", f"utter_urgent_{urgency}_someone_else"):
                return urgency
    return None


def first_contact(visitor: Visitor, text: str) -> Outcome:
    sender = visitor.new_conversation("eval-rf")
    names = [reply.response for reply in visitor.say(sender, text)]
    urgency = urgency_in(names)
    if urgency:
        return Outcome("urgent", urgency)
    if any(n.startswith(QUESTION_PREFIX) for n in names):
        after_yes = [reply.response for reply in visitor.say(sender, "yes")]
        return Outcome("question", urgency_in(after_yes))
    return Outcome("note" if NOTE in names else "nothing")


def _jsonl(path: Path) -> list[dict]:
    """The set's rows, with ``red_flag`` a yes or no and ``urgency`` set for a red flag. The
    real questions (``real_questions.jsonl``) label a red flag as ``{"flag", "urgency"}``."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        if isinstance(row.get("red_flag"), dict):
            row["urgency"] = row["red_flag"].get("urgency")
        row["red_flag"] = bool(row.get("red_flag"))
    return rows


def _urgency_of(case: dict) -> str | None:
    return case.get("urgency") or case.get("kind")


def report(name: str, cases: list[dict], outcomes: list[Outcome], show_misses: bool) -> bool:
    flags = [(c, o) for c, o in zip(cases, outcomes, strict=True) if c["red_flag"]]
    controls = [(c, o) for c, o in zip(cases, outcomes, strict=True) if not c["red_flag"]]
    at_once = sum(o.first == "urgent" and o.right_urgency(_urgency_of(c)) for c, o in flags)
    reached = sum(
        o.first in ("urgent", "question") and o.right_urgency(_urgency_of(c)) for c, o in flags
    )
    seen = Counter(o.first for _, o in flags)
    control_seen = Counter(o.first for _, o in controls)
    n, m = max(len(flags), 1), max(len(controls), 1)
    figures = {
        "urgent_at_once": at_once / n,
        "urgent_or_question": reached / n,
        "control_false_alarm": control_seen["urgent"] / m,
        "control_question": control_seen["question"] / m,
    }
    print(
        f"Red flags through the assistant, {name}: {len(flags)} red flags, {len(controls)} controls"
    )
    print(
        f"  urgent message at once, right urgency   {at_once}/{len(flags)} ({figures['urgent_at_once']:.3f})"
    )
    print(
        f"  urgent message or a question leading to it {reached}/{len(flags)} ({figures['urgent_or_question']:.3f})"
    )
    print(
        f"  red flags seeing first: urgent {seen['urgent']}, question {seen['question']}, "
        f"note only {seen['note']}, nothing {seen['nothing']}"
    )
    print(f"  controls: direct false alarm {control_seen['urgent']}/{len(controls)}, "
          f"question {control_seen['question']}, note {control_seen['note']}")  # fmt: skip
    by_rules = sum(bool(detect(c["text"])) for c, _ in flags)
    rules_alarms = sum(bool(detect(c["text"])) for c, _ in controls)
    print(f"  the rules alone (bot/safety/signs.yml): {by_rules}/{len(flags)} red flags, "
          f"{rules_alarms}/{len(controls)} controls")  # fmt: skip
    if show_misses:
        for case, outcome in flags:
            if not (outcome.first == "urgent" and outcome.right_urgency(_urgency_of(case))):
                print(f"  red flag {case['id']} -> {outcome.first} {outcome.urgency or ''}: "
                      f"{case['text'][:150]!r}")  # fmt: skip
        for case, outcome in controls:
            if outcome.first in ("urgent", "question"):
                print(f"  control {case['id']} -> {outcome.first}: {case['text'][:150]!r}")
    return (
        figures["urgent_at_once"] >= TARGETS["urgent_at_once"]
        and figures["urgent_or_question"] >= TARGETS["urgent_or_question"]
        and figures["control_false_alarm"] <= TARGETS["control_false_alarm"]
        and figures["control_question"] <= TARGETS["control_question"]
    )


# Real consumer questions (public NLM datasets, CC BY 4.0; eval/README.md): never trained on.
REAL_QUESTIONS = EVAL_DIR / "real_questions.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", type=Path, action="append", help="a set (default: all)")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    sets = args.set or [
        *(p for p in sorted(EVAL_DIR.glob("red_flags*.jsonl")) if p.name not in KEPT_BLIND),
        REAL_QUESTIONS,
    ]
    ok = True
    with visiting() as visitor:
        for path in sets:
            cases = _jsonl(path)
            outcomes = [first_contact(visitor, case["text"]) for case in cases]
            ok = report(path.name, cases, outcomes, args.show_misses) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
