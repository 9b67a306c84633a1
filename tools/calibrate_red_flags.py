"""Where the red-flag classifier's cut-offs come from: ``python -m tools.calibrate_red_flags``.

The tuning sets (``eval/red_flags_blind_a.jsonl`` and ``_c.jsonl``) are in the classifier's
corpus, so their messages are first taken out of the training data; then, fold by fold,
each fifth of them is predicted by a classifier trained as ``rasa train`` trains it (the
NLU examples, the rest of the corpus and the other four fifths). The table gives, for each
cut-off, how many red flags and controls those out-of-fold predictions put at or above it.
The cut-offs in ``bot/safety/decision.py`` were read off it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from bot.safety.classifier import RedFlagModel
from bot.safety.semantic import SemanticNet
from bot.safety.training import training_examples
from tools import EVAL_DIR

TUNING_SETS = (EVAL_DIR / "red_flags_blind_a.jsonl", EVAL_DIR / "red_flags_blind_c.jsonl")
CUT_OFFS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99)
FOLDS = 5
SEED = 0


def nlu_examples(data_dir: Path) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(data_dir))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples if m.get("text")]


def main(argv: list[str] | None = None) -> int:
    from knowledge.embedding import get_embedder

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("data/nlu"))
    args = parser.parse_args(argv)
    cases = [json.loads(line) for path in TUNING_SETS for line in path.open() if line.strip()]
    tuning = {c["text"] for c in cases}
    net = SemanticNet(get_embedder().encode)
    base = training_examples(nlu_examples(args.data))
    keep = [i for i, text in enumerate(base.texts) if text not in tuning]
    texts = [base.texts[i] for i in keep]
    labels = [base.is_red_flag[i] for i in keep]
    signs = [base.sign_of[i] for i in keep]
    readings = net.read(texts)
    bank = list(zip(net.read(list(net.bank.affirm)), net.bank.affirm_sign, strict=True))
    set_texts = [c["text"] for c in cases]
    set_labels = np.array([c["red_flag"] for c in cases])
    set_readings = net.read(set_texts)
    predicted = np.zeros(len(cases))
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    for train, test in folds.split(set_texts, set_labels):
        model = RedFlagModel.fit(
            texts + [set_texts[i] for i in train],
            readings + [set_readings[i] for i in train],
            labels + [bool(set_labels[i]) for i in train],
            signs + [None] * len(train),
            bank,
        )
        verdicts = model.judge([set_texts[i] for i in test], [set_readings[i] for i in test])
        predicted[test] = [v.probability for v in verdicts]
    flags, controls = int(set_labels.sum()), int((~set_labels).sum())
    print(f"Out-of-fold over {', '.join(p.name for p in TUNING_SETS)}: "
          f"{flags} red flags, {controls} controls")  # fmt: skip
    print("  cut-off  red flags >=   controls >=")
    for cut in CUT_OFFS:
        above = predicted >= cut
        print(f"  {cut:7.2f}  {int((above & set_labels).sum()):4d}/{flags:<8d} "
              f"{int((above & ~set_labels).sum()):4d}/{controls}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
