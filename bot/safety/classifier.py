"""The red-flag classifier: how likely a message is to describe a red flag, and which sign.

Two scikit-learn logistic regressions over the same features:

- whether the message describes a red flag: its words and character n-grams (hashed, so
  no vocabulary has to be kept; character n-grams carry misspellings: "bowls", "wee-ing"),
  with denied words marked ("no not_numbness"), and its meaning as the semantic net read
  it, whole and clause by clause;
- which sign (and so which urgency), trained on red flags alone: that meaning and each
  sign's closest paraphrase in ``paraphrases.yml``, whose clauses are examples too.

Compared by cut-off on the tuning set (tools/calibrate_red_flags.py), the paraphrase
similarities added nothing to the first question, so they answer only the second. Both are
saved as plain numpy arrays and loaded without pickle, so a tampered model file cannot run
code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression

from bot.safety.rules import normalise
from bot.safety.semantic import Reading

# Hashed feature space per analyser: 2^18 keeps collisions rare for a few thousand short
# messages, and the coefficient vector at 2 MB.
HASHED_FEATURES = 2**18
# Inverse regularisation: compared at 1, 4 and 16 by five-fold out-of-fold predictions on
# the red-flag tuning sets (tools/calibrate_red_flags.py); 16 kept the most red flags at
# the high-confidence end for the same false alarms.
REGULARISATION_C = 16.0
MAX_ITERATIONS = 5000

_WORDS = HashingVectorizer(
    analyzer="word", ngram_range=(1, 2), n_features=HASHED_FEATURES, alternate_sign=False
)
_CHARACTERS = HashingVectorizer(
    analyzer="char_wb", ngram_range=(2, 5), n_features=HASHED_FEATURES, alternate_sign=False
)


_TOKEN = re.compile(r"[a-z0-9]+|[.,;:!?]")
_DENIAL = re.compile(
    r"(?:no|not|never|without|nor|dont|doesnt|didnt|isnt|arent|wasnt|havent|hasnt|none)"
)
_SCOPE_END = re.compile(r"[.,;:!?]|but|though|although|however")
# How many words after "no", "not"... a denial reaches ("no numbness in my groin").
DENIAL_SCOPE_WORDS = 4


def marked_denials(text: str) -> str:
    """The message with denied words marked ("no numbness" -> "no not_numbness"), so that
    "no numbness down there" does not read like "numbness down there" (NegEx's idea)."""
    out, reach = [], 0
    for token in _TOKEN.findall(normalise(text).lower()):
        if _SCOPE_END.fullmatch(token):
            reach = 0
            out.append(token)
        elif _DENIAL.fullmatch(token):
            reach = DENIAL_SCOPE_WORDS
            out.append(token)
        else:
            out.append(f"not_{token}" if reach else token)
            reach = max(0, reach - 1)
    return " ".join(out)


def text_features(texts: Sequence[str]) -> csr_matrix:
    marked = [marked_denials(t) for t in texts]
    return hstack([_WORDS.transform(marked), _CHARACTERS.transform(marked)]).tocsr()


def flag_features(texts: Sequence[str], readings: Sequence[Reading]) -> csr_matrix:
    meaning = np.stack([r.meaning() for r in readings])
    return hstack([text_features(texts), csr_matrix(meaning)]).tocsr()


def sign_features(readings: Sequence[Reading]) -> np.ndarray:
    return np.stack([r.sign_evidence() for r in readings])


@dataclass(frozen=True)
class Verdict:
    probability: float  # that the message describes a red flag
    signs: tuple[tuple[str, float], ...]  # signs, most likely first, with their share


class RedFlagModel:
    def __init__(self, flag: LogisticRegression, sign: LogisticRegression) -> None:
        self._flag = flag
        self._sign = sign

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        readings: Sequence[Reading],
        is_red_flag: Sequence[bool],
        sign_of: Sequence[str | None],
        paraphrases: Sequence[tuple[Reading, str]] = (),
    ) -> RedFlagModel:
        """``sign_of`` names the sign of a red flag where it is known (None otherwise);
        ``paraphrases`` are the bank's clauses, read, with their sign."""
        labels = np.asarray(is_red_flag, dtype=bool)
        if labels.all() or not labels.any():
            raise ValueError("the red-flag classifier needs red flags and other messages")
        flag = LogisticRegression(
            C=REGULARISATION_C, class_weight="balanced", max_iter=MAX_ITERATIONS
        ).fit(flag_features(texts, readings), labels)
        known = [i for i, (f, s) in enumerate(zip(labels, sign_of, strict=True)) if f and s]
        sign_readings = [readings[i] for i in known] + [r for r, _ in paraphrases]
        sign_labels = [sign_of[i] for i in known] + [s for _, s in paraphrases]
        sign = LogisticRegression(C=REGULARISATION_C, max_iter=MAX_ITERATIONS).fit(
            sign_features(sign_readings), sign_labels
        )
        return cls(flag, sign)

    def judge(self, texts: Sequence[str], readings: Sequence[Reading]) -> list[Verdict]:
        if not texts:
            return []
        probabilities = self._flag.predict_proba(flag_features(texts, readings))[:, 1]
        shares = self._sign.predict_proba(sign_features(readings))
        names = list(self._sign.classes_)
        verdicts = []
        for probability, row in zip(probabilities, shares, strict=True):
            order = np.argsort(-row)
            verdicts.append(
                Verdict(float(probability), tuple((names[i], float(row[i])) for i in order))
            )
        return verdicts

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            flag_coef=self._flag.coef_.astype("float32"),
            flag_intercept=self._flag.intercept_,
            flag_classes=self._flag.classes_,
            sign_coef=self._sign.coef_.astype("float32"),
            sign_intercept=self._sign.intercept_,
            sign_classes=self._sign.classes_.astype(str),
        )

    @classmethod
    def load(cls, path: Path) -> RedFlagModel:
        with np.load(path, allow_pickle=False) as saved:
            flag = _restored(saved["flag_coef"], saved["flag_intercept"], saved["flag_classes"])
            sign = _restored(saved["sign_coef"], saved["sign_intercept"], saved["sign_classes"])
        return cls(flag, sign)


def _restored(coef: np.ndarray, intercept: np.ndarray, classes: np.ndarray) -> LogisticRegression:
    model = LogisticRegression()
    model.coef_ = coef.astype("float64")
    model.intercept_ = intercept
    model.classes_ = classes
    model.n_features_in_ = coef.shape[1]
    return model
