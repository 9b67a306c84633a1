"""NLU figures for ``make eval``: the trained model on the held-out sets, and Rasa's
cross-validation of the training data.

Run after ``make train``. Prints figures and exits non-zero when the target is missed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from bot.runtime.settings import PROJECT_ROOT
from bot.runtime.stack import latest_model, rasa_command
from tools import EVAL_DIR as DATA
from tools import RESULTS_DIR as RESULTS

NLU_MACRO_F1_TARGET = 0.90


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


def main() -> int:
    nlu_held_out()
    return 0 if nlu_cross_validation() else 1


if __name__ == "__main__":
    sys.exit(main())
