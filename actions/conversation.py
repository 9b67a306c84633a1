"""The conversation's replies: answers, declines and the fallback through the one reply
pipeline (``actions.reply_pipeline``), the triage offer, booking, reaching the clinic, prompts."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import PromptResponse, ResponseThenClosing, latest_text
from actions.closing import send_closing
from actions.contact import utter_contact_clinic
from actions.phrasing import asks_a_question
from actions.reply_pipeline import OUTSIDE_THE_ARTICLES, reply

OFFER_TRIAGE = "utter_offer_triage"


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


class ActionAnswerQuestion(Action):
    """A question: answered from the articles, referred to the clinic, or declined."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return reply(dispatcher, tracker, domain)


class ActionDecline(Action):
    """What the NLU took for off-topic: a follow-up it misread ("what exercises can I do for
    it at home?") is still answered; otherwise the plain no for what is outside the articles."""

    def name(self) -> str:
        return "action_decline"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return reply(dispatcher, tracker, domain, decline=OUTSIDE_THE_ARTICLES)


class ActionOfferTriage(PromptResponse):
    """Offers the triage to someone describing their pain. If the description also asks
    something ("my back's been sore a week, should I keep walking?"), that is answered
    first (the NLU gives one message one intent)."""

    response = OFFER_TRIAGE

    def name(self) -> str:
        return "action_offer_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not asks_a_question(latest_text(tracker)):
            return await super().run(dispatcher, tracker, domain)
        return reply(dispatcher, tracker, domain, decline=None, then=OFFER_TRIAGE)


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
    """Replaces Rasa's default: a message the NLU could not place still goes through the
    reply pipeline (a follow-up it misread is answered in context; otherwise the articles
    don't answer it, which is said plainly), and the turn ends with the closing."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return reply(dispatcher, tracker, domain)
