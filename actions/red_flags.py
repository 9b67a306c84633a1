"""Urgent-care advice for a red flag, wherever in the conversation it comes."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import reset_triage
from actions.red_flag_check import clear_check
from actions.urgent import send_urgent
from bot.safety.decision import Assessment, Decision, assessment_of


class ActionRedFlag(Action):
    """Urgent-care advice at once; any triage or question in progress stops."""

    def name(self) -> str:
        return "action_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # What the red-flag detector decided (bot/nlu/red_flag_detector.py). Reached
        # without it (a story, Rasa's `/red_flag` syntax), both routes are given.
        found = assessment_of(tracker.latest_message) or Assessment(Decision.ESCALATE)
        send_urgent(
            dispatcher,
            tracker,
            domain,
            found.urgency,
            list(found.signs),
            someone_else=found.someone_else,
        )
        return [ActiveLoop(None), *reset_triage(), *clear_check()]
