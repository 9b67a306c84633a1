"""The yes/no question about a suspected sign: ask, don't hint.

When the red-flag detector suspects a sign it cannot confirm (the ``red_flag_check``
intent), the first thing the visitor sees is one plain question about that sign, with
Yes / No / Not sure. Yes or not sure: the urgent message, at the sign's urgency. No: the
message that raised the question is answered as it was asked (it is put back into the
conversation, so Rasa's rules handle it as if the question had never been needed).
An answer that is none of those is asked for once more; after that the general safety
note is given and the conversation goes on.

Asked on its own by ``red_flag_check_form``, or inside the triage form (``actions.triage_form``
adds the question to the form's slots).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, EventType, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import latest_text
from actions.urgent import joined, send_urgent
from actions.yes_no import Answer, read_answer
from bot.safety.decision import Assessment, Decision, assessment_of, most_urgent

CHECK_INTENT = "red_flag_check"
CHECK_SLOT = "red_flag_check"  # what was asked about, and the message that raised it
ANSWER_SLOT = "red_flag_check_answer"  # "yes" | "no" | "not_sure" | "unclear"
UNCLEAR = "unclear"
# The question, then once more; after that the answer is recorded as unclear.
MAX_ASKS = 2


def clear_check() -> list[EventType]:
    return [SlotSet(CHECK_SLOT, None), SlotSet(ANSWER_SLOT, None)]


def raised_just_now(tracker: Tracker) -> bool:
    """The latest message raised a new suspicion."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") == CHECK_INTENT


def escalates(answer: str | None) -> bool:
    return answer in (Answer.YES.value, Answer.NOT_SURE.value)


def _suspicion(tracker: Tracker) -> dict[str, Any]:
    message = tracker.latest_message or {}
    original = message.get("overridden_intent") or {"name": "nlu_fallback", "confidence": 1.0}
    suspected = assessment_of(message) or Assessment(Decision.ASK)
    return {
        "signs": list(suspected.signs),
        "someone_else": suspected.someone_else,
        "asked": 0,
        "message": {
            "text": latest_text(tracker),
            "intent": original,
            "entities": message.get("entities") or [],
        },
    }


class ActionAskRedFlagCheckAnswer(Action):
    """Asks the question (or asks it again); remembers what it asked about."""

    def name(self) -> str:
        return "action_ask_red_flag_check_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        check = tracker.get_slot(CHECK_SLOT)
        if raised_just_now(tracker) or not check:
            check = _suspicion(tracker)
        if check["asked"]:
            dispatcher.utter_message(response="utter_red_flag_check_reask")
        else:
            signs = joined(domain["responses"], "utter_check_", check["signs"])
            suffix = "_someone_else" if check["someone_else"] else ""
            dispatcher.utter_message(
                response=f"utter_ask_red_flag_check_answer{suffix}", signs=signs
            )
        return [SlotSet(CHECK_SLOT, {**check, "asked": check["asked"] + 1})]


def validate_check_answer(value: Any, tracker: Tracker) -> dict[str, Any]:
    """The slot values for an answer: read, asked again, or (the second time) unclear."""
    answer = read_answer(str(value or ""))
    if answer is not None:
        return {ANSWER_SLOT: answer.value}
    check = tracker.get_slot(CHECK_SLOT) or {}
    return {ANSWER_SLOT: UNCLEAR if check.get("asked", 0) >= MAX_ASKS else None}


class ValidateRedFlagCheckForm(FormValidationAction):
    def name(self) -> str:
        return "validate_red_flag_check_form"

    async def validate_red_flag_check_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return validate_check_answer(value, tracker)


class ActionRedFlagCheckOutcome(Action):
    """After the question: the urgent message, or the visitor's message answered as asked."""

    def name(self) -> str:
        return "action_red_flag_check_outcome"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        check = tracker.get_slot(CHECK_SLOT) or {}
        answer = tracker.get_slot(ANSWER_SLOT)
        signs = tuple(check.get("signs") or ())
        if escalates(answer):
            send_urgent(
                dispatcher,
                tracker,
                domain,
                most_urgent(signs) if signs else None,
                signs,
                bool(check.get("someone_else")),
            )
            return [ActiveLoop(None), *clear_check()]
        if answer == UNCLEAR:
            dispatcher.utter_message(response="utter_safety_check")
        return [*clear_check(), *replay(check.get("message"))]


def replay(message: dict[str, Any] | None) -> list[EventType]:
    """The message that raised the question, put back as if the visitor had just sent it."""
    if not message or not message.get("text"):
        return []
    parse_data = {
        "text": message["text"],
        "intent": message["intent"],
        "intent_ranking": [message["intent"]],
        "entities": message.get("entities") or [],
    }
    return [ActionExecuted("action_listen"), UserUttered(message["text"], parse_data)]
