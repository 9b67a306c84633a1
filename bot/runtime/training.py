"""``make train``: Rasa's training, told as one line per step instead of a screen of logs.

``rasa train`` runs as a child in the project's environment; its full log goes to
``var/logs/train.log``. What staff see is each component as Rasa's training graph starts
it, with how long it took, and on failure the end of the log and where the rest is.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections import deque
from pathlib import Path
from typing import TextIO

from bot.runtime.settings import PROJECT_ROOT, get_settings
from bot.runtime.stack import child_environment, rasa_command

TRAIN_LOG = PROJECT_ROOT / "var" / "logs" / "train.log"
# Rasa's training hooks log these for every component of the graph (rasa/engine/training).
STARTED = re.compile(r"Starting to train component '(\w+)'")
# Steps before the components train, from what Rasa and the libraries log as they begin.
EARLIER_STEPS = (
    (re.compile(r"Started validating domain and training data"), "checking the training data"),
    (re.compile(r"Trying to load SpaCy model"), "loading spaCy"),
    (re.compile(r"Load pretrained SentenceTransformer"), "the meaning of each example (MiniLM)"),
)
SAVED = re.compile(r"Your Rasa model is trained and saved at '([^']+)'")
NOTHING_TO_DO = re.compile(r"Nothing changed|No training of components required")
LINES_SHOWN_ON_FAILURE = 40
# What each step is, for someone who has not read config.yml.
STEP_NAMES = {
    "SpacyNLP": "loading spaCy",
    "SpacyTokenizer": "splitting the examples into words (spaCy)",
    "SpacyFeaturizer": "spaCy features",
    "SentenceEmbeddingFeaturizer": "the meaning of each example (MiniLM)",
    "RegexFeaturizer": "pattern features",
    "LexicalSyntacticFeaturizer": "word-shape features",
    "CountVectorsFeaturizer": "word and character counts",
    "ConversationIntentClassifier": "the intent classifier (DIET)",
    "FallbackClassifier": "the fallback",
    "RedFlagDetector": "the red-flag detector (rules, meaning net, classifier)",
    "MemoizationPolicy": "remembering the example conversations",
    "RulePolicy": "the rules of the conversation",
    "TEDPolicy": "the dialogue policy (TED)",
}


def train(model_dir: Path, model_name: str, out: TextIO = sys.stdout) -> int:
    """Runs ``rasa train``; returns its exit status."""
    TRAIN_LOG.parent.mkdir(parents=True, exist_ok=True)
    command = rasa_command("train", "--out", str(model_dir), "--fixed-model-name", model_name)
    begun = time.monotonic()
    tail: deque[str] = deque(maxlen=LINES_SHOWN_ON_FAILURE)
    told: set[str] = set()
    print("Training the assistant (a few minutes; full log in var/logs/train.log)", file=out)
    with TRAIN_LOG.open("w", encoding="utf-8") as log:
        child = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=child_environment(get_settings()),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        assert child.stdout is not None
        for raw in child.stdout:
            log.write(raw)
            for line in raw.split("\r"):  # progress bars redraw with carriage returns
                tail.append(line.rstrip())
                _tell(line, begun, out, told)
        status = child.wait()
    if status != 0:
        print(f"Training failed (exit {status}). The end of {TRAIN_LOG}:", file=out)
        print("\n".join(f"  {line}" for line in tail if line), file=out)
    else:
        print(f"Trained in {time.monotonic() - begun:.0f} s.", file=out)
    out.flush()
    return status


def _tell(line: str, begun: float, out: TextIO, told: set[str]) -> None:
    step = next((name for pattern, name in EARLIER_STEPS if pattern.search(line)), None)
    if found := STARTED.search(line):
        step = STEP_NAMES.get(found.group(1), found.group(1))
    if step and step not in told:
        told.add(step)
        print(f"  {time.monotonic() - begun:5.0f} s  {step}", file=out)
    elif NOTHING_TO_DO.search(line):
        print("  Nothing changed since the last training: the model is up to date.", file=out)
    elif found := SAVED.search(line):
        print(f"  Saved {found.group(1)}", file=out)
    out.flush()
