"""How to reach the clinic: the reply to what only the clinic can answer (prices, opening
hours, insurance, whether it offers a treatment), with the contact details its settings
give."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.closing import send_closing
from actions.phrasing import asks_the_clinic
from bot.runtime.settings import get_settings


def utter_contact_clinic(dispatcher: CollectingDispatcher) -> None:
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


def referred_to_the_clinic(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> bool:
    """A question only the clinic can answer gets how to reach it, with the closing (and no
    passage: ``actions.answer_finder`` never quotes one for such a question)."""
    if not asks_the_clinic(text):
        return False
    utter_contact_clinic(dispatcher)
    send_closing(dispatcher, tracker)
    return True
