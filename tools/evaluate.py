"""Conversation-level figures for ``make eval``: NLU cross-validation, red flags, triage.

Run after ``make train``. Prints figures and exits non-zero when a target is missed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

from rasa.shared.utils.io import read_yaml_file

from actions import triage
from bot.nlu.red_flag_classifier import RED_FLAG_INTENT, SUSPICION_KEY
from bot.runtime.settings import PROJECT_ROOT
from bot.runtime.stack import latest_model, rasa_command
from bot.safety.rules import SUSPECTED_ENTITY, detect
from tools import EVAL_DIR as DATA
from tools import RESULTS_DIR as RESULTS

NLU_MACRO_F1_TARGET = 0.90
RED_FLAG_RECALL_TARGET = 1.0
MAX_FALSE_ALARMS_PER_TEN_CONTROLS = 1.0


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _fresh(out: Path) -> Path:
    """An empty results folder: Rasa writes no errors file when there are no errors, so an
    old run's file would otherwise be read as this run's."""
    shutil.rmtree(out, ignore_errors=True)
    return out


def nlu_cross_validation(folds: int = 5) -> bool:
    out = _fresh(RESULTS / "nlu")
    subprocess.run(
        [
            *rasa_command("test", "nlu"),
            "--nlu", str(PROJECT_ROOT / "data" / "nlu"),
            "--config", str(PROJECT_ROOT / "config.yml"),
            "--cross-validation", "--folds", str(folds), "--runs", "1",
            "--out", str(out), "--no-plot", "--quiet",
        ],
        check=True,
        cwd=PROJECT_ROOT,
    )  # fmt: skip
    report = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    macro = report["macro avg"]["f1-score"]
    weakest = sorted(((name, report[name]["f1-score"]) for name in _intents(report)),
                     key=lambda item: item[1])  # fmt: skip
    print(f"NLU intents, {folds}-fold cross-validation")
    print(f"  macro F1                  {macro:.3f}  (target >= {NLU_MACRO_F1_TARGET})")
    print(f"  accuracy                  {report.get('accuracy', 0):.3f}")
    print("  weakest intents           " + ", ".join(f"{n} {f:.2f}" for n, f in weakest[:4]))
    return macro >= NLU_MACRO_F1_TARGET


def nlu_held_out() -> None:
    """The trained model on each ``eval/nlu_heldout*.yml``, written apart from the
    training data.

    Cross-validation re-uses the training examples, which were written to be hard and
    overlapping; these sets say how the model does on messages nobody tuned it for.
    Printed for information: the target is on cross-validation.
    """
    model = latest_model()
    if model is None:
        raise SystemExit("no trained model: run `make train` first")
    for path in sorted(DATA.glob("nlu_heldout*.yml")):
        out = _fresh(RESULTS / path.stem)
        subprocess.run(
            [
                *rasa_command("test", "nlu"), "--model", str(model),
                "--nlu", str(path), "--out", str(out), "--no-plot", "--quiet",
            ],
            check=True,
            cwd=PROJECT_ROOT,
        )  # fmt: skip
        report = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
        errors_file = out / "intent_errors.json"
        errors = json.loads(errors_file.read_text(encoding="utf-8")) if errors_file.exists() else []
        print(f"NLU intents on {path.name} ({len(_intents(report))} intents)")
        print(f"  macro F1                  {report['macro avg']['f1-score']:.3f}")
        print(f"  accuracy                  {report.get('accuracy', 0):.3f}")
        for error in errors:
            predicted = error["intent_prediction"]["name"]
            print(f"  {error['intent']} read as {predicted}: {error['text']!r}")


def _intents(report: dict) -> list[str]:
    return [
        name for name, r in report.items()
        if isinstance(r, dict) and "support" in r and not name.endswith(" avg")
    ]  # fmt: skip


async def _parse(texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's per-message debug lines would drown the figures

    model = latest_model()
    if model is None:
        raise SystemExit("no trained model: run `make train` first")
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def red_flags() -> bool:
    """Recall and false alarms on the development set and on the independently written sets.

    The targets apply to every set: a red flag missed anywhere is a miss.
    """
    sets = {path: _jsonl(path) for path in sorted(DATA.glob("red_flags*.jsonl"))}
    # One model load for all sets.
    parses = iter(asyncio.run(_parse([c["text"] for s in sets.values() for c in s])))
    ok = True
    for path, cases in sets.items():
        ok = _red_flags_on(path.name, cases, [next(parses) for _ in cases]) and ok
    return ok


def _suspicion_threshold() -> float:
    pipeline = read_yaml_file(PROJECT_ROOT / "config.yml")["pipeline"]
    guard = next(c for c in pipeline if c["name"].endswith("RedFlagGuard"))
    return float(guard["suspicion_threshold"])


def _red_flags_on(name: str, cases: list[dict], parses: list[dict]) -> bool:
    flagged_by_rules = [bool(detect(c["text"])) for c in cases]
    threshold = _suspicion_threshold()
    suspected = [p.get(SUSPICION_KEY, 0.0) >= threshold for p in parses]
    flagged_by_assistant = [p["intent"]["name"] == RED_FLAG_INTENT for p in parses]
    checks = sum(
        any(e["entity"] == SUSPECTED_ENTITY for e in p.get("entities", [])) for p in parses
    )
    ok = True
    print(f"Red flags in {name}: {sum(c['red_flag'] for c in cases)} red-flag messages and "
          f"{sum(not c['red_flag'] for c in cases)} near-miss controls")  # fmt: skip
    for label, flagged in (
        ("rules alone", flagged_by_rules),
        ("assistant (NLU)", flagged_by_assistant),
    ):
        tp = sum(f and c["red_flag"] for f, c in zip(flagged, cases, strict=True))
        fp = sum(f and not c["red_flag"] for f, c in zip(flagged, cases, strict=True))
        positives = sum(c["red_flag"] for c in cases)
        controls = len(cases) - positives
        recall = tp / positives
        precision = tp / max(tp + fp, 1)
        per_ten = 10 * fp / controls
        print(f"  {label:17s} recall {recall:.3f}  precision {precision:.3f}  "
              f"false alarms {fp}/{controls} ({per_ten:.1f} per ten controls)")  # fmt: skip
        if label.startswith("assistant"):
            print(f"  {'':17s} plus {checks} answered with a conditional safety note "
                  "(the model suspected a red flag the rules did not confirm)")  # fmt: skip
            ok = recall >= RED_FLAG_RECALL_TARGET and per_ten <= MAX_FALSE_ALARMS_PER_TEN_CONTROLS
    red_flags_suspected = sum(s and c["red_flag"] for s, c in zip(suspected, cases, strict=True))
    controls_suspected = sum(s and not c["red_flag"] for s, c in zip(suspected, cases, strict=True))
    print(f"  {'second net alone':17s} suspects {red_flags_suspected}/{positives} red flags "
          f"and {controls_suspected}/{controls} controls (what it can catch when the rules "
          "miss; the safety note, never an alarm)")  # fmt: skip
    return ok


def triage_accuracy() -> bool:
    cases = _jsonl(DATA / "triage_cases.jsonl")
    parsers = {
        "pain_location": triage.parse_location,
        "aggravating": triage.parse_aggravating,
        "easing": triage.parse_easing,
        "movement_limits": triage.parse_movement,
    }
    correct, misses = 0, []
    for case in cases:
        answers = {slot: parsers[slot](text) for slot, text in case["answers"].items()}
        pattern = triage.assess(answers).pattern
        correct += pattern == case["expected"]
        if pattern != case["expected"]:
            misses.append(f"{case['id']} expected {case['expected']}, got {pattern}")
    print(f"Triage pattern on {len(cases)} scripted cases: accuracy {correct / len(cases):.3f}")
    for miss in misses:
        print(f"  {miss}")
    return not misses


def main() -> int:
    results = [triage_accuracy(), red_flags()]
    nlu_held_out()
    results.append(nlu_cross_validation())
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
