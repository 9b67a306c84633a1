"""Answers from the clinic's articles: the best passage, quoted and cited, or a plain no."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import PromptResponse, latest_text
from actions.closing import send_closing
from actions.phrasing import asks_a_question
from bot.runtime.knowledge_base import get_engine
from bot.wording import phrase
from knowledge.engine import Passage


def best_passage(question: str) -> Passage | None:
    result = get_engine().search(question, k=3)
    return result.passages[0] if result.answerable else None


def citation(domain: DomainDict, passage: Passage) -> str:
    return phrase(
        domain["responses"], "utter_citation", title=passage.title, section=passage.section
    )


def utter_passage(dispatcher: CollectingDispatcher, domain: DomainDict, passage: Passage) -> None:
    dispatcher.utter_message(
        response="utter_grounded_answer",
        citation=citation(domain, passage),
        passage=passage.answer_text,
    )


class ActionAnswerQuestion(Action):
    """Answers from the best passage of the clinic's articles, or says plainly it can't."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        passage = best_passage(latest_text(tracker))
        if passage is None:
            dispatcher.utter_message(response="utter_no_grounded_answer")
        else:
            utter_passage(dispatcher, domain, passage)
        send_closing(dispatcher, tracker)
        return []


class ActionOfferTriage(PromptResponse):
    """Offers the triage to someone describing their pain.

    If the description also asks something ("my back's been sore a week, should I keep
    walking?"), the articles answer that first: the NLU gives one message one intent.
    """

    response = "utter_offer_triage"

    def name(self) -> str:
        return "action_offer_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = latest_text(tracker)
        passage = best_passage(text) if asks_a_question(text) else None
        if passage is None:
            return await super().run(dispatcher, tracker, domain)
        utter_passage(dispatcher, domain, passage)
        send_closing(dispatcher, tracker)
        dispatcher.utter_message(response=self.response)
        return []
