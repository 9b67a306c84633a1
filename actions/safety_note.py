"""The conditional safety note, for a message the classifier read as a possible red flag.

The rules (bot/safety/rules.py) did not confirm it, so the visitor gets the reply their
message asked for, plus the ``utter_safety_check`` note. The NLU pipeline marks such a
message with the ``red_flag_suspected`` entity (bot/nlu/guards.py, RedFlagGuard).
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.safety.rules import SUSPECTED_ENTITY


def red_flag_suspected(tracker: Tracker) -> bool:
    entities = (tracker.latest_message or {}).get("entities") or []
    return any(entity.get("entity") == SUSPECTED_ENTITY for entity in entities)


def send_safety_note_if_suspected(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    if red_flag_suspected(tracker):
        dispatcher.utter_message(response="utter_safety_check")
