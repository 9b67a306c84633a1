"""The red-flag classifier measured by grouped cross-validation, and its cut-offs chosen:
``python -m tools.calibrate_red_flags [--write] [--show-misses]``.

Every labelled message the classifier learns from (``bot.safety.training``) is predicted by a
classifier trained without its whole set (GroupKFold over the sets: a set is never in both
the training and the test fold). Those out-of-fold verdicts go through the final decision
(``bot.safety.decision.assess``, the rules included) for every combination of cut-offs on a
grid; the chosen one keeps the most red flags escalated at once at the right urgency within
the false-alarm and question budgets below. Beside it, the untrained baseline: the rules
alone. ``--write`` saves the choice to ``bot/safety/cutoffs.yml``.

The figures are cross-validated, not blind: the rules and the paraphrases were written
with several of these sets in view. The blind figure is the final run of a kept set
through the assistant (``tools.evaluate_red_flags``).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import yaml
from sklearn.model_selection import GroupKFold

from bot.safety.classifier import RedFlagModel, Verdict
from bot.safety.decision import CUTOFFS, CUTOFFS_FILE, Assessment, Cutoffs, Decision, assess
from bot.safety.rules import RedFlag, about_someone_else, detect, suspect
from bot.safety.training import Examples, training_examples

FOLDS = 5
# Budgets on the out-of-fold figures, a little inside issue 24's targets (at most 5% of
# controls alarmed and 15% asked; at most 3% of ordinary questions asked) so that a new set
# has room to differ. At 3% false alarms the grid's choice (escalate at 0.95) stopped
# escalating at once red flags the golden test holds ("lose control of your bowels since
# yesterday"): the frontier this tool prints shows what each point costs.
MAX_CONTROL_ALARMS = 0.04
MAX_CONTROL_QUESTIONS = 0.12
MAX_ORDINARY_QUESTIONS = 0.02
MAX_ORDINARY_ALARMS = 0.005
GRID_ESCALATE = (0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98)
GRID_ASK = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
GRID_DOUBT = (0.0, 0.1, 0.2, 0.3)
# How sure of the sign the classifier must be to ask about it (issue 24: ask only about
# what the message hints at).
GRID_NAMED = (0.0, 0.3, 0.4, 0.5)


@dataclass(frozen=True)
class RulesSaid:
    flags: list[RedFlag]
    suspected: list[RedFlag]
    someone_else: bool


@dataclass(frozen=True)
class Figures:
    flags: int
    at_once: int  # escalated at once at the right urgency
    reached: int  # at once, or asked and "yes" escalates at the right urgency
    missed: int  # neither escalated nor asked
    wrong_urgency: int
    controls: int
    control_alarms: int
    control_questions: int
    ordinary: int
    ordinary_alarms: int
    ordinary_questions: int

    def within_budget(self) -> bool:
        return (
            self.control_alarms <= MAX_CONTROL_ALARMS * self.controls
            and self.control_questions <= MAX_CONTROL_QUESTIONS * self.controls
            and self.ordinary_questions <= MAX_ORDINARY_QUESTIONS * self.ordinary
            and self.ordinary_alarms <= MAX_ORDINARY_ALARMS * self.ordinary
        )

    def lines(self, name: str) -> list[str]:
        def share(part: int, whole: int) -> str:
            return f"{part}/{whole} ({part / max(whole, 1):.3f})"

        return [
            f"{name}",
            f"  red flags escalated at once, right urgency  {share(self.at_once, self.flags)}",
            f"  ... or asked, and 'yes' escalates            {share(self.reached, self.flags)}",
            f"  red flags missed (no alarm, no question)    {share(self.missed, self.flags)}",
            f"  escalated at the wrong urgency              {self.wrong_urgency}",
            f"  controls: direct false alarm                {share(self.control_alarms, self.controls)}",
            f"  controls: yes/no question                   {share(self.control_questions, self.controls)}",
            f"  ordinary questions: false alarm             {share(self.ordinary_alarms, self.ordinary)}",
            f"  ordinary questions: yes/no question         {share(self.ordinary_questions, self.ordinary)}",
        ]  # fmt: skip


def out_of_fold(
    examples: Examples, readings: list, paraphrases: list, folds: int = FOLDS
) -> list[Verdict]:
    """Each message judged by a classifier trained as ``rasa train`` trains it, without its
    set."""
    verdicts: list[Verdict | None] = [None] * len(examples)
    groups = np.asarray(examples.group)
    for train, test in GroupKFold(folds).split(examples.texts, groups=groups):
        model = RedFlagModel.fit(
            [examples.texts[i] for i in train],
            [readings[i] for i in train],
            [examples.is_red_flag[i] for i in train],
            [examples.sign_of[i] for i in train],
            paraphrases,
        )
        judged = model.judge([examples.texts[i] for i in test], [readings[i] for i in test])
        for i, verdict in zip(test, judged, strict=True):
            verdicts[i] = verdict
    return [v for v in verdicts if v is not None]


def figures(
    examples: Examples,
    said: Sequence[RulesSaid],
    verdicts: Sequence[Verdict | None],
    cutoffs: Cutoffs,
) -> tuple[Figures, list[tuple[int, Assessment]]]:
    counts: Counter[str] = Counter()
    misses = []
    for i, (rules, verdict) in enumerate(zip(said, verdicts, strict=True)):
        result = assess(rules.flags, verdict, rules.someone_else, rules.suspected, cutoffs)
        kind = examples.kind[i]
        if kind == "red_flag":
            counts["flags"] += 1
            wanted = examples.urgency_of[i]
            right = wanted is None or (result.urgency and result.urgency.value == wanted)
            if result.decision is Decision.ESCALATE:
                counts["at_once"] += bool(right)
                counts["wrong_urgency"] += not right
            counts["reached"] += result.decision is not Decision.NONE and bool(right)
            counts["missed"] += result.decision is Decision.NONE
            if not (result.decision is Decision.ESCALATE and right):
                misses.append((i, result))
        else:
            prefix = "control" if kind == "control" else "ordinary"
            counts[f"{prefix}s" if prefix == "control" else prefix] += 1
            counts[f"{prefix}_alarms"] += result.decision is Decision.ESCALATE
            counts[f"{prefix}_questions"] += result.decision is Decision.ASK
            if result.decision is not Decision.NONE:
                misses.append((i, result))
    fields = Figures.__dataclass_fields__
    return Figures(**{name: counts[name] for name in fields}), misses


def grid(
    examples: Examples, said: Sequence[RulesSaid], verdicts: Sequence[Verdict]
) -> list[tuple[Cutoffs, Figures]]:
    points = []
    grid_points = itertools.product(GRID_ESCALATE, GRID_ASK, GRID_DOUBT, GRID_NAMED)
    for escalate, ask, doubt, named in grid_points:
        if ask <= escalate:
            cutoffs = replace(
                CUTOFFS,
                escalate_at=escalate,
                ask_at=ask,
                rules_doubted_below=doubt,
                sign_named_at=named,
            )
            points.append((cutoffs, figures(examples, said, verdicts, cutoffs)[0]))
    return points


def frontier(points: list[tuple[Cutoffs, Figures]]) -> list[str]:
    """For each number of controls alarmed, the most red flags escalated at once (within
    the question budgets): what a stricter or looser false-alarm budget would cost."""
    best: dict[int, tuple[Cutoffs, Figures]] = {}
    for cutoffs, found in points:
        if found.control_questions > MAX_CONTROL_QUESTIONS * found.controls:
            continue
        if found.ordinary_questions > MAX_ORDINARY_QUESTIONS * found.ordinary:
            continue
        held = best.get(found.control_alarms)
        if held is None or found.at_once > held[1].at_once:
            best[found.control_alarms] = (cutoffs, found)
    lines, record = [], -1
    for alarms in sorted(best):
        cutoffs, found = best[alarms]
        if found.at_once > record:
            record = found.at_once
            lines.append(
                f"  controls alarmed {alarms:3d}/{found.controls} ({alarms / found.controls:.3f})"
                f"  red flags at once {found.at_once}/{found.flags}"
                f"  (escalate_at {cutoffs.escalate_at}, ask_at {cutoffs.ask_at},"
                f" rules_doubted_below {cutoffs.rules_doubted_below},"
                f" sign_named_at {cutoffs.sign_named_at})"
            )
    return lines


def choose(
    examples: Examples, said: Sequence[RulesSaid], verdicts: Sequence[Verdict]
) -> tuple[Cutoffs, Figures] | None:
    best = None
    for cutoffs, found in grid(examples, said, verdicts):
        if not found.within_budget():
            continue
        key = (found.at_once, found.reached, -found.control_questions, -found.control_alarms)
        if best is None or key > best[0]:
            best = (key, cutoffs, found)
    return (best[1], best[2]) if best else None


def write(cutoffs: Cutoffs, found: Figures, baseline: Figures) -> None:
    header = (
        "# The red-flag classifier's cut-offs (bot/safety/decision.py reads them).\n"
        "# Written by `python -m tools.calibrate_red_flags --write`: the combination on its grid\n"
        "# that escalates the most red flags at once at the right urgency, in grouped\n"
        "# cross-validation over the labelled sets, within the false-alarm and question budgets\n"
        "# in that tool. sure_of_the_sign, second_sign_share and max_signs_asked are kept as\n"
        "# they were (how many signs one question names is a wording choice).\n#\n"
        + "".join(f"# {line}\n" for line in found.lines("Out of fold, these cut-offs:"))
        + "".join(f"# {line}\n" for line in baseline.lines("Untrained baseline, the rules alone:"))
    )
    body = yaml.safe_dump(cutoffs.__dict__, sort_keys=False)
    CUTOFFS_FILE.write_text(header + body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    from bot.safety.semantic import SemanticNet
    from knowledge.embedding import get_embedder

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="save the chosen cut-offs")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    examples = training_examples()
    kinds = Counter(examples.kind)
    print(f"{len(examples)} labelled messages in {len(set(examples.group))} sets: "
          f"{kinds['red_flag']} red flags, {kinds['control']} controls, "
          f"{kinds['question']} ordinary questions")  # fmt: skip
    said = [
        RulesSaid(detect(text), suspect(text), about_someone_else(text)) for text in examples.texts
    ]
    net = SemanticNet(get_embedder().encode)
    readings = net.read(examples.texts)
    bank = list(zip(net.read(list(net.bank.affirm)), net.bank.affirm_sign, strict=True))
    verdicts = out_of_fold(examples, readings, bank)
    baseline, _ = figures(examples, said, [None] * len(examples), CUTOFFS)
    current, _ = figures(examples, said, verdicts, CUTOFFS)
    for line in baseline.lines("Untrained baseline, the rules alone:"):
        print(line)
    for line in current.lines(f"Out of fold, the cut-offs in {CUTOFFS_FILE.name} now:"):
        print(line)
    print("The frontier: fewer false alarms, fewer red flags escalated at once")
    for line in frontier(grid(examples, said, verdicts)):
        print(line)
    chosen = choose(examples, said, verdicts)
    if chosen is None:
        print("No cut-offs on the grid keep within the budgets.")
        return 1
    cutoffs, found = chosen
    print(f"Chosen: escalate_at {cutoffs.escalate_at}, ask_at {cutoffs.ask_at}, "
          f"rules_doubted_below {cutoffs.rules_doubted_below}, "
          f"sign_named_at {cutoffs.sign_named_at}")  # fmt: skip
    for line in found.lines("Out of fold, the chosen cut-offs:"):
        print(line)
    if args.show_misses:
        _, misses = figures(examples, said, verdicts, cutoffs)
        for i, result in misses:
            print(f"  {examples.kind[i]:8s} {examples.group[i]:22s} -> {result.decision.value} "
                  f"{result.urgency.value if result.urgency else ''} "
                  f"(wanted {examples.urgency_of[i]}): {examples.texts[i][:140]!r}")  # fmt: skip
    if args.write:
        write(cutoffs, found, baseline)
        print(f"Written to {CUTOFFS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
