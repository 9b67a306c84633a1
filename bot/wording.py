"""The assistant's words, which all live in the ``responses`` of domain.yml.

Rasa sends whole responses itself. Text that code puts together from parts (a triage
summary line, the front door's notices, the widget's labels) reads its parts from the same
place, so a clinic changes any wording in one file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.runtime.settings import PROJECT_ROOT

DOMAIN_FILE = PROJECT_ROOT / "domain.yml"
Responses = dict[str, list[dict[str, Any]]]


class MissingWording(KeyError):
    """Code asked for a response that domain.yml does not have."""


def response(responses: Responses, name: str) -> dict[str, Any]:
    """The first variant of a response (the one without a channel condition)."""
    variants = responses.get(name)
    if not variants:
        raise MissingWording(f"{name} is missing from the responses in domain.yml")
    return next((v for v in variants if "channel" not in v), variants[0])


def phrase(responses: Responses, name: str, **values: object) -> str:
    """A response's text with its ``{placeholders}`` filled in."""
    return str(response(responses, name).get("text", "")).format(**values)


@lru_cache(maxsize=4)
def load_responses(domain_file: Path = DOMAIN_FILE) -> Responses:
    """The responses of domain.yml, for processes that are not Rasa (the front door)."""
    domain = yaml.safe_load(domain_file.read_text(encoding="utf-8")) or {}
    return domain.get("responses") or {}
