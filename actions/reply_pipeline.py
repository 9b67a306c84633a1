"""One reply pipeline for every message that is not a greeting, a triage step or a red
flag: refer to the clinic, answer with a passage, or decline.

Every action that replies to such a message (answers, declines, the fallback, the triage
offer's question, follow-ups) calls ``reply``; it decides once, says it, adds the closing
last and ends the turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer_finder import Found, find_answer, remember
from actions.base import latest_text
from actions.closing import send_closing
from actions.contact import utter_contact_clinic
from actions.knowledge_answers import utter_found
from actions.phrasing import asks_the_clinic

# Rasa's action that ends the assistant's turn (without it, Rasa's fallback rule runs the
# fallback again on the same message until its circuit breaker stops the conversation).
LISTEN = "action_listen"
# What the articles don't answer; what is outside them altogether (the NLU's out_of_scope).
NOT_IN_THE_ARTICLES = "utter_no_grounded_answer"
OUTSIDE_THE_ARTICLES = "utter_decline"


class Outcome(str, Enum):
    REFER = "refer"  # only the clinic can answer: prices, insurers, its services
    ANSWER = "answer"
    DECLINE = "decline"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    found: Found | None = None


def decide(tracker: Tracker, text: str) -> Decision:
    if asks_the_clinic(text):
        return Decision(Outcome.REFER)
    found = find_answer(tracker, text)
    return Decision(Outcome.ANSWER, found) if found else Decision(Outcome.DECLINE)


def reply(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    decline: str | None = NOT_IN_THE_ARTICLES,
    then: str | None = None,
) -> list[EventType]:
    """Says the decision (a decline with ``decline``, or nothing if None), then ``then`` (a
    response offering something more), then the closing, and ends the turn."""
    text = latest_text(tracker)
    decision = decide(tracker, text)
    if decision.outcome is Outcome.REFER:
        utter_contact_clinic(dispatcher)
    elif decision.outcome is Outcome.ANSWER and decision.found:
        utter_found(dispatcher, domain, decision.found, tracker)
    elif decline:
        dispatcher.utter_message(response=decline)
    if then:
        dispatcher.utter_message(response=then)
    send_closing(dispatcher, tracker)
    return [remember(text, decision.found), FollowupAction(LISTEN)]
