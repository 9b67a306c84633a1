"""Which passage answers what the visitor asked, read in the conversation.

The learned answerer (``knowledge.answering``) reads the message with the question asked
before it and the passage quoted for it: whether a message continues the last topic, and
whether to quote the same passage again, is learned from the labelled conversations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.phrasing import asks_for_an_amount, states_an_amount
from bot.nlu.vector_wire import SENTENCE_VECTOR_KEY, from_wire
from bot.runtime.knowledge_base import get_answerer
from knowledge.engine import Passage

# The conversation so far: the visitor's last question, and the passage quoted for it (if any).
TOPIC_SLOT = "answered_topic"
# Passages looked at, to offer other sections beside the answer.
CANDIDATES = 8
MAX_RELATED = 2
# Another section is offered when the ranker scores it at least this share of the answer's
# score. Set by hand, not tuned: it decides only which quick replies are offered.
RELATED_SHARE = 0.5


@dataclass(frozen=True)
class Found:
    passage: Passage
    question: str  # the message it answers
    related: tuple[Passage, ...]  # other sections to offer


def topic_of(tracker: Tracker) -> dict[str, Any]:
    topic = tracker.get_slot(TOPIC_SLOT)
    return topic if isinstance(topic, dict) and topic.get("question") else {}


def remember(question: str, found: Found | None) -> SlotSet:
    """What the next turn is read with: this question, and the passage quoted for it."""
    return SlotSet(
        TOPIC_SLOT, {"question": question, "passage": found.passage.ref if found else None}
    )


def find_answer(tracker: Tracker, text: str) -> Found | None:
    """The passage that answers the message in this conversation, or None to decline. A
    question wanting an amount (reps, minutes) is answered only by a passage that states one."""
    topic = topic_of(tracker)
    answer = get_answerer().answer(
        text,
        k=CANDIDATES,
        previous_question=topic.get("question") or "",
        just_quoted=topic.get("passage") or "",
        described=described_by_rasa(tracker, text),
    )
    if not answer.answerable or not answer.passages:
        return None
    best = answer.passages[0]
    if asks_for_an_amount(text) and not states_an_amount(best.text):
        return None
    return Found(best, text, related_sections(answer.passages))


def described_by_rasa(tracker: Tracker, text: str) -> np.ndarray | None:
    """The message's base-model vector from Rasa's featurizer, if ``text`` is the latest
    message (a question answered after a yes/no check is an earlier one)."""
    latest = tracker.latest_message or {}
    if latest.get("text") != text:
        return None
    return from_wire(latest.get(SENTENCE_VECTOR_KEY))


def related_sections(passages: list[Passage]) -> tuple[Passage, ...]:
    """Other sections the ranker scores close to the answer, at most MAX_RELATED."""
    best, rest = passages[0], passages[1:]
    offered: list[Passage] = []
    seen = {(best.article, best.section)}
    for passage in rest:
        key = (passage.article, passage.section)
        if key in seen or passage.score < RELATED_SHARE * best.score:
            continue
        seen.add(key)
        offered.append(passage)
        if len(offered) == MAX_RELATED:
            break
    return tuple(offered)
