"""Urgent-care advice for a red flag, wherever in the conversation it comes."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import entity_value, reset_triage
from actions.red_flag_check import clear_check
from actions.urgent import send_urgent
from bot.safety import SIGNS_ENTITY, SOMEONE_ELSE_ENTITY, URGENCY_ENTITY
from bot.safety.rules import Urgency


class ActionRedFlag(Action):
    """Urgent-care advice at once; any triage or question in progress stops."""

    def name(self) -> str:
        return "action_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # What the red-flag detector found (bot/nlu/red_flag_detector.py). Reached without
        # it (a story, Rasa's `/red_flag` syntax), both routes are given.
        urgency = entity_value(tracker, URGENCY_ENTITY)
        signs = [s for s in (entity_value(tracker, SIGNS_ENTITY) or "").split(",") if s]
        send_urgent(
            dispatcher,
            tracker,
            domain,
            Urgency(urgency) if urgency in {u.value for u in Urgency} else None,
            signs,
            someone_else=entity_value(tracker, SOMEONE_ELSE_ENTITY) == "true",
        )
        return [ActiveLoop(None), *reset_triage(), *clear_check()]
