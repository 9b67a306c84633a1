"""The rest of the conversation: declines, booking, reaching the clinic, prompts."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import PromptResponse, ResponseThenClosing
from actions.closing import send_closing
from bot.runtime.settings import get_settings


class ActionHowCanIHelp(PromptResponse):
    """The prompt after a stray yes, no or stop."""

    response = "utter_how_can_i_help"

    def name(self) -> str:
        return "action_how_can_i_help"


class ActionDecline(ResponseThenClosing):
    response = "utter_decline"

    def name(self) -> str:
        return "action_decline"


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
        settings = get_settings()
        phone, email = settings.clinic_phone, settings.clinic_email
        response = {
            (True, True): "utter_contact_clinic",
            (True, False): "utter_contact_clinic_phone",
            (False, True): "utter_contact_clinic_email",
            (False, False): "utter_contact_clinic_booking_page",
        }[(bool(phone), bool(email))]
        dispatcher.utter_message(
            response=response,
            clinic_name=settings.clinic_name,
            clinic_phone=phone,
            clinic_email=email,
        )
        send_closing(dispatcher, tracker)
        return []


class ActionDefaultFallback(Action):
    """Replaces Rasa's default so even a misunderstanding ends with the booking link."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_default")
        send_closing(dispatcher, tracker)
        return [UserUtteranceReverted()]
