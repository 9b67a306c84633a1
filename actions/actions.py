"""The custom actions Rasa calls. Each one ends a substantive answer with the closing."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import triage
from actions.closing import send_closing
from actions.phrasing import asks_a_question
from actions.safety_note import send_safety_note_if_suspected
from bot.red_flags import Urgency, detect
from bot.settings import get_settings
from knowledge.engine import Passage, get_engine

log = logging.getLogger(__name__)

TRIAGE_SLOTS = (
    "pain_location",
    "aggravating",
    "easing",
    "movement_limits",
    "duration",
    "red_flag_screen",
)


def _reset_triage() -> list[EventType]:
    return [SlotSet(slot, None) for slot in (*TRIAGE_SLOTS, "requested_slot")]


def _latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def _best_passage(question: str) -> Passage | None:
    result = get_engine().search(question, k=3)
    return result.passages[0] if result.answerable else None


def _utter_passage(dispatcher: CollectingDispatcher, passage: Passage) -> None:
    dispatcher.utter_message(
        response="utter_grounded_answer", citation=passage.citation, passage=passage.answer_text
    )


def _answer_from_articles(dispatcher: CollectingDispatcher, question: str) -> None:
    passage = _best_passage(question)
    if passage is None:
        dispatcher.utter_message(response="utter_no_grounded_answer")
    else:
        _utter_passage(dispatcher, passage)


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
        return _reset_triage() if self.resets_triage else []


class ActionAnswerQuestion(Action):
    """Answers from the best passage of the clinic's articles, or says plainly it can't."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        _answer_from_articles(dispatcher, _latest_text(tracker))
        send_closing(dispatcher, tracker)
        return []


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


class ActionOfferTriage(SafetyNoteThenResponse):
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
        text = _latest_text(tracker)
        passage = _best_passage(text) if asks_a_question(text) else None
        if passage is None:
            return await super().run(dispatcher, tracker, domain)
        _utter_passage(dispatcher, passage)
        send_closing(dispatcher, tracker)  # with the safety note, if due
        dispatcher.utter_message(response=self.response)
        return []


class ActionHowCanIHelp(SafetyNoteThenResponse):
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


class ActionRedFlag(Action):
    """Urgent-care advice at once; any triage in progress stops (it no longer matters)."""

    def name(self) -> str:
        return "action_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        flags = detect(_latest_text(tracker))
        if not flags:
            # Reached through Rasa's `/red_flag` syntax or a story: give both routes.
            dispatcher.utter_message(response="utter_urgent_unspecified")
        else:
            signs = ", ".join(flag.sign for flag in flags)
            response = (
                "utter_urgent_emergency"
                if flags[0].urgency is Urgency.EMERGENCY
                else "utter_urgent_same_day"
            )
            dispatcher.utter_message(response=response, signs=signs)
        send_closing(dispatcher, tracker)
        return [ActiveLoop(None), *_reset_triage()]


class ActionOfferBooking(ResponseThenClosing):
    response = "utter_booking_intro"

    def name(self) -> str:
        return "action_offer_booking"


class ActionContactClinic(Action):
    def name(self) -> str:
        return "action_contact_clinic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        settings = get_settings()
        ways = [
            f"by phone on {settings.clinic_phone}" if settings.clinic_phone else "",
            f"by email at {settings.clinic_email}" if settings.clinic_email else "",
        ]
        contact = " or ".join(w for w in ways if w) or "through our booking page"
        dispatcher.utter_message(
            response="utter_contact_clinic",
            clinic_name=settings.clinic_name,
            contact_details=contact,
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


class ActionTriageStopped(ResponseThenClosing):
    response = "utter_triage_stopped"
    resets_triage = True

    def name(self) -> str:
        return "action_triage_stopped"


class ValidateTriageForm(FormValidationAction):
    """Maps each free-text (or button) answer to a value; re-asks politely on nonsense."""

    HINTS: ClassVar[dict[str, str]] = {
        "pain_location": "Where is the pain: groin or front of the thigh, buttock, lower back, or down the leg?",
        "aggravating": "What makes it worse: walking or stairs, getting up from a chair, bending or twisting, or sitting for a long time?",
        "easing": "Does sitting ease the pain, make it worse, or make no difference?",
        "movement_limits": "Is it hard to cross your legs or put on socks and shoes, to bend forward or arch your back, both, or neither?",
        "duration": 'Roughly how long have you had it, for example "2 weeks" or "since last year"?',
        "red_flag_screen": 'Please answer "none of these" or "yes".',
    }
    PARSERS: ClassVar[dict[str, Any]] = {
        "pain_location": triage.parse_location,
        "aggravating": triage.parse_aggravating,
        "easing": triage.parse_easing,
        "movement_limits": triage.parse_movement,
        "duration": triage.parse_duration,
        "red_flag_screen": triage.parse_red_flag_screen,
    }

    def name(self) -> str:
        return "validate_triage_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # An answer the classifier read as a possible red flag: the note comes before the
        # next question, not only at the summary.
        send_safety_note_if_suspected(dispatcher, tracker)
        return await super().run(dispatcher, tracker, domain)

    def _validate(self, slot: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        parsed = self.PARSERS[slot](str(value or "")) if value else None
        if parsed is None:
            dispatcher.utter_message(response="utter_triage_not_understood", hint=self.HINTS[slot])
        return {slot: parsed}

    async def validate_pain_location(self, value: Any, dispatcher, tracker, domain) -> dict:
        return self._validate("pain_location", value, dispatcher)

    async def validate_aggravating(self, value: Any, dispatcher, tracker, domain) -> dict:
        return self._validate("aggravating", value, dispatcher)

    async def validate_easing(self, value: Any, dispatcher, tracker, domain) -> dict:
        return self._validate("easing", value, dispatcher)

    async def validate_movement_limits(self, value: Any, dispatcher, tracker, domain) -> dict:
        return self._validate("movement_limits", value, dispatcher)

    async def validate_duration(self, value: Any, dispatcher, tracker, domain) -> dict:
        return self._validate("duration", value, dispatcher)

    async def validate_red_flag_screen(self, value: Any, dispatcher, tracker, domain) -> dict:
        return self._validate("red_flag_screen", value, dispatcher)


class ActionTriageSummary(Action):
    """Says which column of the hip-vs-back table the answers resemble, quoting its rows."""

    def name(self) -> str:
        return "action_triage_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("red_flag_screen") == "yes":
            dispatcher.utter_message(response="utter_urgent_unspecified")
            send_closing(dispatcher, tracker)
            return _reset_triage()
        answers = {slot: tracker.get_slot(slot) for slot in TRIAGE_SLOTS}
        assessment = triage.assess(answers)
        rows = {_row_feature(p): p for p in get_engine().table_rows()}
        reasons = "\n".join(_reason_line(clue, rows.get(clue.row)) for clue in assessment.clues)
        citation_source = next(iter(rows.values()), None)
        dispatcher.utter_message(
            response="utter_triage_summary",
            pattern=assessment.pattern,
            citation=citation_source.citation if citation_source else "our clinic's articles",
            reasons=reasons or "- (your answers did not match any row of the table)",
            pattern_note=_pattern_note(assessment, answers.get("duration")),
        )
        send_closing(dispatcher, tracker)
        return _reset_triage()


def _row_cells(passage: Passage) -> list[tuple[str, str]]:
    """ "Feature: Pain location; Hip Arthritis: Groin, ..." -> [(header, cell), ...]."""
    cells = []
    for part in passage.text.split("; "):
        header, _, cell = part.partition(": ")
        cells.append((header.strip(), cell.strip()))
    return cells


def _row_feature(passage: Passage) -> str:
    cells = _row_cells(passage)
    return cells[0][1] if cells else ""


def _reason_line(clue: triage.Clue, row: Passage | None) -> str:
    line = f"- {clue.row}: you said {clue.answer}"
    if row is None:
        return line + "."
    cells = _row_cells(row)
    if len(cells) < 3:
        return line + "."
    (hip_header, hip_cell), (spine_header, spine_cell) = cells[1], cells[2]
    if clue.side is triage.Side.HIP:
        return f'{line}; the table lists "{hip_cell}" under {hip_header}.'
    if clue.side is triage.Side.SPINE:
        return f'{line}; the table lists "{spine_cell}" under {spine_header}.'
    return f"{line}, which the table lists under both columns."


def _pattern_note(assessment: triage.Assessment, duration: object) -> str:
    how_long = f" You've had it for: {duration}." if duration else ""
    if assessment.pattern == "mixed":
        return (
            "Your answers point both ways, so both your hip and your back may be involved."
            + how_long
        )
    return how_long.strip()
