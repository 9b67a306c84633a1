"""The closing every substantive answer ends with: disclaimer plus the booking link.

The wording is the ``utter_closing`` response in domain.yml; the link and the offer come
from settings, so changing BOOKING_URL or BOOKING_OFFER changes them everywhere at once.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.runtime.settings import get_settings

# Channels that show buttons as a menu the user must answer (Rasa's terminal shell).
TEXT_ONLY_CHANNELS = frozenset({"cmdline"})


def send_closing(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    channel = tracker.get_latest_input_channel()
    response = "utter_closing_text_only" if channel in TEXT_ONLY_CHANNELS else "utter_closing"
    settings = get_settings()
    dispatcher.utter_message(
        response=response, booking_url=settings.booking_url, booking_offer=settings.booking_offer
    )
