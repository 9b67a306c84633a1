"""Which passage answers what the visitor asked, read in the conversation.

A message is searched as it is, and also:

- sentence by sentence when it is a long story, so the question inside it is found;
- together with the question answered last, when it is a follow-up ("what about at
  home?", "and if it's in the groin?"), so it is read on the topic it continues. A
  follow-up that names another subject ("what about my neck?") is not pulled back.

The reading whose best passage is closest to its words wins; a follow-up's reading in
context wins unless the message alone is clearly closer to something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.phrasing import (
    asks_for_an_amount,
    asks_the_clinic,
    is_follow_up,
    names_another_subject,
    question_sentences,
    states_an_amount,
)
from bot.runtime.knowledge_base import get_engine
from knowledge.engine import Passage

# What the assistant answered last (the question as read, and the passage), for follow-ups.
TOPIC_SLOT = "answered_topic"
# How much closer the message alone must be to beat its reading in context.
FOLLOW_UP_PREFERENCE = 0.03
# Passages looked at, to offer other sections of the articles beside the answer.
CANDIDATES = 8
MAX_RELATED = 2
# A next passage this close to the first is as good an answer (another section is offered).
NEAR_TIE = 0.02
# Questions that want more than one thing ("what exercises...", "what can I do...").
_WANTS_SEVERAL = re.compile(
    r"\b(?:exercises?|stretch\w*|strengthen\w*|what (?:can|should|could) i do|how can i "
    r"(?:help|fix|ease|improve|stop)|ways? to|tips|self[- ]help|at home|treatments?|"
    r"what helps|anything (?:i can do|that helps)|fix\w*|what else|anything else)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    passage: Passage
    reading: str  # the words that found it
    related: tuple[Passage, ...]  # other sections to offer


def topic_of(tracker: Tracker) -> dict[str, Any] | None:
    topic = tracker.get_slot(TOPIC_SLOT)
    return topic if isinstance(topic, dict) and topic.get("question") else None


def remember(found: Found) -> SlotSet:
    return SlotSet(TOPIC_SLOT, {"question": found.reading, "passage": found.passage.ref})


def in_context(text: str, topic: dict[str, Any] | None) -> str | None:
    """The message read on the topic it continues, if it is a follow-up."""
    if not topic or not is_follow_up(text) or names_another_subject(text):
        return None
    return f"{topic['question']} {text}"


def find_answer(tracker: Tracker, text: str) -> Found | None:
    if asks_the_clinic(text):  # its prices, insurers, services: never in the articles
        return None
    engine = get_engine()
    readings = [text, *question_sentences(text)]
    topic = topic_of(tracker)
    followed = in_context(text, topic)
    if followed:
        readings.append(followed)
    results = [(reading, engine.search(reading, k=CANDIDATES)) for reading in readings]
    answered = [(reading, result) for reading, result in results if result.answerable]
    if not answered:
        return None
    reading, result = max(answered, key=lambda pair: pair[1].passages[0].score)
    if followed and reading != followed:
        context = next((r for r in answered if r[0] == followed), None)
        if (
            context
            and result.passages[0].score < context[1].passages[0].score + FOLLOW_UP_PREFERENCE
        ):
            reading, result = context
    passages = result.passages
    if followed and _WANTS_SEVERAL.search(text):
        passages = not_again(passages, topic.get("passage"), engine.min_score)
    best = passages[0]
    if asks_for_an_amount(text) and not states_an_amount(best.text):
        return None
    return Found(best, reading, related_sections(reading, passages, engine.min_score))


def not_again(passages: list[Passage], just_quoted: str | None, bar: float) -> list[Passage]:
    """A follow-up asking what to do ("how do I stretch them?" after what tight hip flexors
    do, "whats the fix") wants more than the passage it follows: the next passage that
    clears the bar comes first, if there is one. ("Why does that happen?" is often
    answered by the same passage: on the tuning sets, skipping it for every follow-up lost
    more than it won.)"""
    if passages[0].ref != just_quoted:
        return passages
    fresh = next((p for p in passages[1:] if p.ref != just_quoted and p.score >= bar), None)
    if fresh is None:
        return passages
    return [fresh, *(p for p in passages if p is not fresh)]


def related_sections(reading: str, passages: list[Passage], bar: float) -> tuple[Passage, ...]:
    """Other sections worth offering: for a question wanting several things, or when the
    next passage answers about as well as the first."""
    best, rest = passages[0], passages[1:]
    near_tie = bool(rest) and rest[0].score >= best.score - NEAR_TIE
    if not (_WANTS_SEVERAL.search(reading) or near_tie):
        return ()
    offered: list[Passage] = []
    seen = {(best.article, best.section)}
    for passage in rest:
        key = (passage.article, passage.section)
        if key in seen or passage.score < bar:
            continue
        seen.add(key)
        offered.append(passage)
        if len(offered) == MAX_RELATED:
            break
    return tuple(offered)
