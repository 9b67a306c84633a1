"""Visitor text made safe to hand to Rasa, shared by the web front door and the channels.

Rasa reads a message starting with ``/`` as an intent (``/greet``) or even slot values
(``/inform{"slot": ...}``); visitors must not be able to drive the assistant that way.
"""

from __future__ import annotations

import re
import unicodedata

# Control and format characters (NUL, bidi overrides, zero-width joiners...), bar newlines/tabs.
_INVISIBLE = {"Cc", "Cf", "Co", "Cs"}
_KEEP = {"\n", "\t"}
_LEADING_COMMAND = re.compile(r"^\s*/+\s*")


def strip_invisible(text: str) -> str:
    cleaned = "".join(c for c in text if c in _KEEP or unicodedata.category(c) not in _INVISIBLE)
    return cleaned.strip()


def neutralise_command(text: str) -> str:
    """Drop leading slashes so Rasa treats the message as words, not an intent."""
    return _LEADING_COMMAND.sub("", text)


def clean_visitor_text(text: str) -> str:
    return neutralise_command(strip_invisible(text))
