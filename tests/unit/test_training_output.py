"""`make train` tells a newcomer what it is doing in one line per step, not Rasa's log."""

from __future__ import annotations

import io

from bot.runtime.training import _tell

RASA_LOG = """\
2026-12-02 18:13:30 INFO     rasa.cli.train  - Started validating domain and training data...
2026-12-02 18:13:44 INFO     rasa.validator  - Validating intents...
2026-12-02 18:14:04 INFO     rasa.nlu.utils.spacy_utils  - Trying to load SpaCy model with name 'x'.
2026-12-02 18:14:05 INFO     rasa.nlu.utils.spacy_utils  - Trying to load SpaCy model with name 'x'.
Epochs:  12%|#2        | 3/25 [00:03<00:22,  1.01s/it, t_loss=4.1, i_acc=0.6]
2026-12-02 18:14:23 INFO     rasa.engine.training.hooks  - Starting to train component 'CountVectorsFeaturizer'.
2026-12-02 18:14:25 INFO     rasa.engine.training.hooks  - Starting to train component 'CountVectorsFeaturizer'.
2026-12-02 18:14:27 INFO     rasa.engine.training.hooks  - Starting to train component 'ConversationIntentClassifier'.
2026-12-02 18:21:05 INFO     rasa.model_training  - Your Rasa model is trained and saved at 'models/a.tar.gz'.
"""


def test_each_step_is_told_once_and_the_library_log_is_not():
    out = io.StringIO()
    told: set[str] = set()
    for line in RASA_LOG.splitlines():
        _tell(line, 0.0, out, told)
    steps = [line.split(" s  ", 1)[-1].strip() for line in out.getvalue().splitlines()]
    assert steps == [
        "checking the training data",
        "loading spaCy",
        "word and character counts",
        "the intent classifier (DIET)",
        "Saved models/a.tar.gz",
    ]
