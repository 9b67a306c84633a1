"""How to reach the clinic: the reply to what only the clinic can answer (prices, opening
hours, insurance, whether it offers a treatment), with the contact details its settings
give."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

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
