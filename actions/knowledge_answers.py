"""How an answer from the clinic's articles is said: the passage, quoted and cited, with a
way to rate it and other sections as quick replies; and a quick reply's own passage."""

from __future__ import annotations

import json

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer_finder import Found
from actions.base import entity_value
from actions.closing import send_closing
from bot.runtime.knowledge_base import get_engine
from bot.staff.feedback import feedback_payload
from bot.wording import phrase, response
from knowledge.engine import Passage

READ_PASSAGE_INTENT = "read_passage"
PASSAGE_ENTITY = "passage"


def citation(domain: DomainDict, passage: Passage) -> str:
    return phrase(
        domain["responses"], "utter_citation", title=passage.title, section=passage.section
    )


def read_passage_payload(passage: Passage) -> str:
    """What a quick reply for a passage sends: Rasa's own intent syntax, which only the
    channels' own buttons may send verbatim (bot/web/app.py, bot/channels)."""
    return f"/{READ_PASSAGE_INTENT}{json.dumps({PASSAGE_ENTITY: passage.ref})}"


# Channels whose answers carry a rating for the front door's widget to draw thumbs for.
RATED_IN_THE_WIDGET = frozenset({"rest", "socketio"})
RATED_WITH_BUTTONS = frozenset({"slack"})


def utter_passage(
    dispatcher: CollectingDispatcher, domain: DomainDict, passage: Passage, tracker: Tracker
) -> None:
    """The passage with its citation; on the web and Slack, a way to rate it."""
    channel = tracker.get_latest_input_channel()
    dispatcher.utter_message(
        response="utter_grounded_answer",
        citation=citation(domain, passage),
        passage=passage.answer_text,
        passage_ref=passage.ref,  # kept in the conversation, for the clinic's report
        json_message={"feedback_for": passage.ref} if channel in RATED_IN_THE_WIDGET else None,
    )
    if channel in RATED_WITH_BUTTONS:
        asking = response(domain["responses"], "utter_feedback_buttons")
        buttons = [
            {"title": b["title"], "payload": feedback_payload(passage.ref, b["payload"])}
            for b in asking.get("buttons", [])
        ]
        dispatcher.utter_message(text=asking.get("text"), buttons=buttons)


def utter_found(
    dispatcher: CollectingDispatcher, domain: DomainDict, found: Found, tracker: Tracker
) -> None:
    """The answer, then the other sections as quick replies."""
    utter_passage(dispatcher, domain, found.passage, tracker)
    if found.related:
        buttons = [{"title": p.section, "payload": read_passage_payload(p)} for p in found.related]
        dispatcher.utter_message(response="utter_related_passages", buttons=buttons)


class ActionReadPassage(Action):
    """A quick reply for another section: that passage, with its citation and the closing."""

    def name(self) -> str:
        return "action_read_passage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        passage = get_engine().passage(entity_value(tracker, PASSAGE_ENTITY) or "")
        if passage is None:  # an article changed since the button was offered
            dispatcher.utter_message(response="utter_no_grounded_answer")
        else:
            utter_passage(dispatcher, domain, passage, tracker)
        send_closing(dispatcher, tracker)
        return []
