"""A visitor's thumbs up or down on an answer, kept in the conversation as a Rasa event.

The rating is a slot event (``answer_feedback``, value ``{"passage", "rating"}``) in the
conversation's tracker, so it lives and is deleted with the conversation and no separate
database is needed. The widget draws its own thumbs and sends the rating to the front door
(``POST /api/feedback``), which appends the event through Rasa's HTTP API without a turn in
the conversation. On Slack the thumbs are buttons under the answer; a button sends the
``rate_answer`` intent, and ``action_record_feedback`` sets the slot and says thanks.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

FEEDBACK_SLOT = "answer_feedback"
RATE_INTENT = "rate_answer"
PASSAGE_ENTITY = "passage"
RATING_ENTITY = "rating"
RATINGS = ("up", "down")
PASSAGE_REF = re.compile(r"^[A-Za-z0-9_-]+#\d+$")


def is_rating(passage: str, rating: str) -> bool:
    return rating in RATINGS and bool(PASSAGE_REF.match(passage or ""))


def feedback_value(passage: str, rating: str) -> dict[str, str]:
    return {"passage": passage, "rating": rating}


def feedback_event(passage: str, rating: str) -> dict[str, Any]:
    """The slot event as Rasa's HTTP API takes it (``/conversations/{id}/tracker/events``)."""
    return {
        "event": "slot",
        "name": FEEDBACK_SLOT,
        "value": feedback_value(passage, rating),
        "timestamp": time.time(),
    }


def feedback_payload(passage: str, rating: str) -> str:
    """What a rating button sends on channels with buttons of their own (Slack): Rasa's
    intent syntax, which those channels pass on verbatim (bot/channels/slack.py)."""
    entities = {PASSAGE_ENTITY: passage, RATING_ENTITY: rating}
    return f"/{RATE_INTENT}{json.dumps(entities)}"


def passages_answered(events: list[dict[str, Any]]) -> set[str]:
    """The passages the assistant quoted in a conversation (bot events carry their ref),
    so that only an answer actually given can be rated."""
    return {
        str(ref)
        for event in events
        if event.get("event") == "bot" and (ref := (event.get("metadata") or {}).get("passage_ref"))
    }
