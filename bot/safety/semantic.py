"""The semantic net: each clause of a message compared, by meaning, with short paraphrases
of every sign (``paraphrases.yml``).

The rules know the words a clinician wrote down; a visitor may say "things arent working
downstairs". The packaged all-MiniLM-L6-v2 (the one the process already holds for the
knowledge engine and the NLU) places such clauses near the paraphrases of the sign they
describe. On its own that is too loose to raise an alarm (a denied or long-past sign reads
much like the sign), so what it reads is evidence the classifier weighs
(``bot.safety.classifier``), not a decision: the clause-by-clause meaning for whether a
message describes a red flag, and each sign's closest paraphrase for which sign.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from bot.safety.rules import clauses, normalise

PARAPHRASES_FILE = Path(__file__).with_name("paraphrases.yml")
# Texts in, L2-normalised vectors out (``knowledge.embedding.Embedder.encode``).
Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class ParaphraseBank:
    signs: tuple[str, ...]
    affirm: tuple[str, ...]
    affirm_sign: tuple[str, ...]
    near_miss: tuple[str, ...]

    @classmethod
    def load(cls, path: Path = PARAPHRASES_FILE) -> ParaphraseBank:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))["signs"]
        affirm = [(sign, text) for sign, lists in data.items() for text in lists["affirm"]]
        return cls(
            signs=tuple(data),
            affirm=tuple(text for _, text in affirm),
            affirm_sign=tuple(sign for sign, _ in affirm),
            near_miss=tuple(text for lists in data.values() for text in lists["near_miss"]),
        )


@dataclass(frozen=True)
class Reading:
    """What the semantic net sees in one message."""

    message_vector: np.ndarray  # the whole message
    clause_max: np.ndarray  # element-wise maximum over the clauses' vectors
    sign_similarity: np.ndarray  # per sign (bank order): best clause-to-paraphrase cosine
    near_miss_similarity: float  # best clause-to-near-miss cosine
    closest: tuple[str, str, str]  # (sign, paraphrase, clause) of the best match, for review

    def meaning(self) -> np.ndarray:
        """The message's meaning, whole and clause by clause: what tells a red flag."""
        return np.concatenate([self.message_vector, self.clause_max]).astype("float32")

    def sign_evidence(self) -> np.ndarray:
        """The meaning and each sign's closest paraphrase: what tells which sign."""
        return np.concatenate(
            [self.meaning(), self.sign_similarity, [self.near_miss_similarity]]
        ).astype("float32")


class SemanticNet:
    def __init__(self, encode: Encode, bank: ParaphraseBank | None = None) -> None:
        self.bank = bank or ParaphraseBank.load()
        self._encode = encode
        self._affirm = encode(list(self.bank.affirm))
        self._near_miss = encode(list(self.bank.near_miss))
        owners = np.asarray(self.bank.affirm_sign)
        self._columns = [np.flatnonzero(owners == sign) for sign in self.bank.signs]

    @property
    def dimension(self) -> int:
        return int(self._affirm.shape[1])

    def read(
        self, texts: Sequence[str], known: Sequence[np.ndarray | None] | None = None
    ) -> list[Reading]:
        """One reading per message; all clauses of all messages go through one batch.

        ``known``: a message's vector where it was already computed (the NLU featurizer's
        sentence embedding), so it is not encoded again. A message of one clause is
        encoded once at most: its clause is the message (most are)."""
        known = list(known) if known is not None else [None] * len(texts)
        pieces = [[text, *clauses(normalise(text))] for text in texts]
        todo = []
        for group, vector in zip(pieces, known, strict=True):
            wanted = group if len(group) > 2 else group[:1]
            todo.append(wanted[1:] if vector is not None else wanted)
        flat = [piece for group in todo for piece in group]
        vectors = self._encode(flat) if flat else np.zeros((0, self._affirm.shape[1]))
        readings, at = [], 0
        for text, group, vector, sent in zip(texts, pieces, known, todo, strict=True):
            block = vectors[at : at + len(sent)]
            at += len(sent)
            if vector is not None:
                block = np.concatenate([vector[None, :].astype(block.dtype), block])
            if len(block) < len(group):
                block = np.concatenate([block, block[:1]])
            readings.append(self._reading(text, group, block))
        return readings

    def _reading(self, text: str, group: list[str], block: np.ndarray) -> Reading:
        parts = block[1:] if len(block) > 1 else block
        affirm = parts @ self._affirm.T  # [clauses, paraphrases]
        near = parts @ self._near_miss.T
        per_sign = np.array([affirm[:, cols].max() for cols in self._columns], dtype="float32")
        clause, paraphrase = np.unravel_index(int(affirm.argmax()), affirm.shape)
        texts = group[1:] if len(group) > 1 else group
        return Reading(
            message_vector=block[0],
            clause_max=parts.max(axis=0),
            sign_similarity=per_sign,
            near_miss_similarity=float(near.max()) if near.size else 0.0,
            closest=(
                self.bank.affirm_sign[paraphrase],
                self.bank.affirm[paraphrase],
                texts[clause],
            ),
        )
