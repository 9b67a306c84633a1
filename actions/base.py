"""What every action shares: the visitor's message, and the two shapes most replies take."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.closing import send_closing
from actions.triage import TRIAGE_SLOTS


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def entity_value(tracker: Tracker, entity: str) -> str | None:
    """A value the NLU put on the latest message (the red-flag marks, for instance)."""
    entities = (tracker.latest_message or {}).get("entities") or []
    return next((str(e.get("value")) for e in entities if e.get("entity") == entity), None)


# The triage questions asked a second time (each is re-asked at most once).
REASKED_SLOT = "triage_reasked"


def reset_triage() -> list[EventType]:
    return [SlotSet(slot, None) for slot in (*TRIAGE_SLOTS, REASKED_SLOT, "requested_slot")]


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


class PromptResponse(Action, ABC):
    """A prompt that asks the visitor something, so no closing yet."""

    response: ClassVar[str]

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response=self.response)
        return []
