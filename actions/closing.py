"""The closing every substantive answer ends with: disclaimer plus the booking link.

The wording is the ``utter_closing`` response in domain.yml; the link comes from settings,
so changing BOOKING_URL changes it everywhere at once.
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from bot.settings import get_settings


def send_closing(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(response="utter_closing", booking_url=get_settings().booking_url)
