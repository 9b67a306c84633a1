"""A rating pressed on Slack's buttons under an answer (the widget's goes to the front door)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import entity_value
from bot.staff.feedback import (
    FEEDBACK_SLOT,
    PASSAGE_ENTITY,
    RATING_ENTITY,
    feedback_value,
    is_rating,
    passages_answered,
)


class ActionRecordFeedback(Action):
    """Keeps the rating in the conversation, for the clinic's report, and says thanks.

    Only a passage this conversation was given can be rated; anything else is thanked for
    and not counted, so a hand-typed payload cannot skew the report.
    """

    def name(self) -> str:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        passage = entity_value(tracker, PASSAGE_ENTITY) or ""
        rating = entity_value(tracker, RATING_ENTITY) or ""
        dispatcher.utter_message(response="utter_feedback_thanks")
        if is_rating(passage, rating) and passage in passages_answered(tracker.events):
            return [SlotSet(FEEDBACK_SLOT, feedback_value(passage, rating))]
        return []
