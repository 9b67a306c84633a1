"""Urgent-care advice for a red flag, wherever in the conversation it comes."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import latest_text, reset_triage
from actions.closing import send_closing
from bot.safety.rules import Urgency, detect


class ActionRedFlag(Action):
    """Urgent-care advice at once; any triage in progress stops (it no longer matters)."""

    def name(self) -> str:
        return "action_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        flags = detect(latest_text(tracker))
        if not flags:
            # Reached through Rasa's `/red_flag` syntax or a story: give both routes.
            dispatcher.utter_message(response="utter_urgent_unspecified")
        else:
            signs = ", ".join(flag.sign for flag in flags)
            response = (
                "utter_urgent_emergency"
                if flags[0].urgency is Urgency.EMERGENCY
                else "utter_urgent_same_day"
            )
            dispatcher.utter_message(response=response, signs=signs)
        send_closing(dispatcher, tracker)
        return [ActiveLoop(None), *reset_triage()]
