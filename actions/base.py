"""What every action shares: the visitor's message, and the two shapes most replies take."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.closing import send_closing
from actions.safety_note import send_safety_note_if_suspected
from actions.triage import TRIAGE_SLOTS


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def reset_triage() -> list[EventType]:
    return [SlotSet(slot, None) for slot in (*TRIAGE_SLOTS, "requested_slot")]


class ResponseThenClosing(Action, ABC):
    """One response from domain.yml, then the closing: declines, notes, booking."""

    response: ClassVar[str]
    resets_triage: ClassVar[bool] = False

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response=self.response)
        send_closing(dispatcher, tracker)
        return reset_triage() if self.resets_triage else []


class SafetyNoteThenResponse(Action, ABC):
    """A prompt that is not a substantive answer, so no closing; the safety note if due."""

    response: ClassVar[str]

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        send_safety_note_if_suspected(dispatcher, tracker)
        dispatcher.utter_message(response=self.response)
        return []
