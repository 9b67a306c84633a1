"""Is a message in English? The articles are, so answers in other languages would be invented.

Uses the stop-word lists spaCy ships for each language: function words give a language
away in a few words, and other scripts (Cyrillic, Arabic, CJK...) give it away at once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import import_module

_OTHER_LANGUAGES = ("es", "fr", "de", "it", "pt", "nl", "pl", "tr", "sv", "da", "ro", "id")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Words several languages share with English, or that English visitors write anyway.
# Single letters are text-speak in English ("r u human", "y not", "k thx") and stop words
# in several other languages, so they never count as evidence either way.
_AMBIGUOUS = frozenset({"me", "he", "no", "once", "die", "son", "hip", "is", "en"})


@lru_cache(maxsize=1)
def _stop_words() -> dict[str, frozenset[str]]:
    lists = {}
    for code in ("en", *_OTHER_LANGUAGES):
        module = import_module(f"spacy.lang.{code}.stop_words")
        lists[code] = frozenset(w.lower() for w in module.STOP_WORDS)
    return lists


def looks_non_english(text: str) -> bool:
    """True when the message is clearly written in another language."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum("LATIN" in unicodedata.name(c, "") for c in letters)
    if latin / len(letters) < 0.5:
        return True
    words = [w.lower() for w in _WORD.findall(text) if len(w) > 1]
    if len(words) < 3:
        return False
    lists = _stop_words()
    english = sum(w in lists["en"] for w in words)
    foreign = max(
        sum(w in lists[code] and w not in lists["en"] and w not in _AMBIGUOUS for w in words)
        for code in _OTHER_LANGUAGES
    )
    return foreign >= 2 and foreign > 2 * english
