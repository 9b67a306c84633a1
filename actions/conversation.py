"""The rest of the conversation: declines, booking, reaching the clinic, prompts."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer_finder import find_answer, in_context, remember, topic_of
from actions.base import PromptResponse, ResponseThenClosing, latest_text
from actions.closing import send_closing
from actions.contact import referred_to_the_clinic, utter_contact_clinic
from actions.knowledge_answers import answer_or_decline, utter_found

# Rasa's action that ends the assistant's turn.
LISTEN = "action_listen"


class ActionHowCanIHelp(PromptResponse):
    """The prompt after a stray yes, no or stop."""

    response = "utter_how_can_i_help"

    def name(self) -> str:
        return "action_how_can_i_help"


class ActionGoodbye(ResponseThenClosing):
    response = "utter_goodbye"

    def name(self) -> str:
        return "action_goodbye"


class ActionYoureWelcome(ResponseThenClosing):
    response = "utter_youre_welcome"

    def name(self) -> str:
        return "action_youre_welcome"


class ActionDecline(Action):
    """Declines what the articles don't cover; a follow-up the classifier took for
    off-topic ("what exercises can I do for it at home?") is answered in context first."""

    def name(self) -> str:
        return "action_decline"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Rasa's fallback rule would run this action again on the same message (until its
        # circuit breaker stops it, and the next message is lost) unless the turn ends here.
        if referred_to_the_clinic(dispatcher, tracker, latest_text(tracker)):
            return [FollowupAction(LISTEN)]
        if in_context(latest_text(tracker), topic_of(tracker)):
            return answer_or_decline(dispatcher, tracker, domain, "utter_decline")
        dispatcher.utter_message(response="utter_decline")
        send_closing(dispatcher, tracker)
        return []


class ActionNonEnglish(ResponseThenClosing):
    response = "utter_non_english"

    def name(self) -> str:
        return "action_non_english"


class ActionOfferBooking(ResponseThenClosing):
    response = "utter_booking_intro"

    def name(self) -> str:
        return "action_offer_booking"


class ActionContactClinic(Action):
    """How to reach the clinic, with the contact details its settings give."""

    def name(self) -> str:
        return "action_contact_clinic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        utter_contact_clinic(dispatcher)
        send_closing(dispatcher, tracker)
        return []


class ActionDefaultFallback(Action):
    """Replaces Rasa's default: a follow-up it could not place is answered in context, and
    even a misunderstanding ends with the booking link."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Rasa's fallback rule would run this action again on the same message (until its
        # circuit breaker stops it, and the next message is lost) unless the turn ends here.
        if referred_to_the_clinic(dispatcher, tracker, latest_text(tracker)):
            return [FollowupAction(LISTEN)]
        if in_context(latest_text(tracker), topic_of(tracker)):
            found = find_answer(tracker, latest_text(tracker))
            if found is not None:
                utter_found(dispatcher, domain, found, tracker)
                send_closing(dispatcher, tracker)
                return [remember(found), FollowupAction(LISTEN)]
        dispatcher.utter_message(response="utter_default")
        send_closing(dispatcher, tracker)
        return [UserUtteranceReverted()]
