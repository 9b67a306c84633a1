"""The triage form in Rasa: each answer validated, then the summary against the table.

The reading of answers and the comparison are plain rules in ``actions/triage.py``; this
module is what Rasa calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import triage
from actions.base import REASKED_SLOT, ResponseThenClosing, reset_triage
from actions.closing import send_closing
from actions.red_flag_check import (
    ANSWER_SLOT,
    CHECK_SLOT,
    UNCLEAR,
    clear_check,
    escalates,
    raised_just_now,
    validate_check_answer,
)
from actions.urgent import joined, send_urgent
from bot.runtime.knowledge_base import get_engine
from bot.safety.decision import most_urgent
from bot.wording import Responses, phrase
from knowledge.engine import Passage


class ActionTriageStopped(ResponseThenClosing):
    response = "utter_triage_stopped"
    resets_triage = True

    def name(self) -> str:
        return "action_triage_stopped"


class ValidateTriageForm(FormValidationAction):
    """Maps each free-text (or button) answer to a value; re-asks politely on nonsense."""

    PARSERS: ClassVar[dict[str, Callable[[str], Any]]] = {
        "pain_location": triage.parse_location,
        "aggravating": triage.parse_aggravating,
        "easing": triage.parse_easing,
        "movement_limits": triage.parse_movement,
        "duration": triage.parse_duration,
        "red_flag_screen": triage.parse_red_flag_screen,
    }

    def name(self) -> str:
        return "validate_triage_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The form's questions, with the safety question first while one is open.

        An answer that raises a suspicion is kept as the answer it is; the next thing the
        visitor sees is the yes/no question about the suspected sign. "Yes" or "not sure"
        ends the form (the summary gives the urgent message instead of a pattern).
        """
        if escalates(tracker.get_slot(ANSWER_SLOT)):
            return []
        questions = [slot for slot in domain_slots if slot != ANSWER_SLOT]
        open_question = tracker.get_slot(CHECK_SLOT) and tracker.get_slot(ANSWER_SLOT) is None
        if raised_just_now(tracker) or open_question:
            return [ANSWER_SLOT, *questions]
        return questions

    async def validate_red_flag_check_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        checked = validate_check_answer(value, tracker)
        answer = checked[ANSWER_SLOT]
        if escalates(answer) or answer is None:
            return checked
        if answer == UNCLEAR:
            dispatcher.utter_message(response="utter_safety_check")
        # "No" (or no clear answer twice): the questions go on where they were.
        return {ANSWER_SLOT: None, CHECK_SLOT: None}

    def _validate(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """The answer read; if it can't be, asked once more, then recorded as unclear."""
        parsed = self.PARSERS[slot](str(value or "")) if value else None
        if parsed is not None:
            return {slot: parsed}
        reasked = list(tracker.get_slot(REASKED_SLOT) or [])
        if slot in reasked:
            return {slot: triage.UNCLEAR}
        dispatcher.utter_message(response=f"utter_triage_reask_{slot}")
        return {slot: None, REASKED_SLOT: [*reasked, slot]}

    async def validate_pain_location(self, value: Any, dispatcher, tracker, domain) -> dict:
        return self._validate("pain_location", value, dispatcher, tracker)

    async def validate_aggravating(self, value: Any, dispatcher, tracker, domain) -> dict:
        return self._validate("aggravating", value, dispatcher, tracker)

    async def validate_easing(self, value: Any, dispatcher, tracker, domain) -> dict:
        return self._validate("easing", value, dispatcher, tracker)

    async def validate_movement_limits(self, value: Any, dispatcher, tracker, domain) -> dict:
        return self._validate("movement_limits", value, dispatcher, tracker)

    async def validate_duration(self, value: Any, dispatcher, tracker, domain) -> dict:
        return self._validate("duration", value, dispatcher, tracker)

    async def validate_red_flag_screen(self, value: Any, dispatcher, tracker, domain) -> dict:
        return self._validate("red_flag_screen", value, dispatcher, tracker)


class ActionTriageSummary(Action):
    """Says which column of the hip-vs-back table the answers resemble, quoting its rows."""

    def name(self) -> str:
        return "action_triage_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        check = tracker.get_slot(CHECK_SLOT) or {}
        if escalates(tracker.get_slot(ANSWER_SLOT)):
            signs = tuple(check.get("signs") or ())
            urgency = most_urgent(signs) if signs else None
            send_urgent(
                dispatcher, tracker, domain, urgency, signs, bool(check.get("someone_else"))
            )
            return [*reset_triage(), *clear_check()]
        if tracker.get_slot("red_flag_screen") in ("yes", "not_sure"):
            send_urgent(dispatcher, tracker, domain, None, ())
            return reset_triage()
        if tracker.get_slot("red_flag_screen") == triage.UNCLEAR:
            dispatcher.utter_message(response="utter_safety_check")
        responses: Responses = domain["responses"]
        answers = {slot: tracker.get_slot(slot) for slot in triage.TRIAGE_SLOTS}
        assessment = triage.assess(answers)
        rows = {p.cells[0][1]: p for p in get_engine().table_rows() if p.cells}
        reasons = [_reason_line(responses, clue, rows.get(clue.row)) for clue in assessment.clues]
        table = next(iter(rows.values()), None)
        dispatcher.utter_message(
            response="utter_triage_summary",
            pattern=assessment.pattern,
            citation=(
                phrase(responses, "utter_citation", title=table.title, section=table.section)
                if table
                else phrase(responses, "utter_triage_table_citation_missing")
            ),
            reasons="\n".join(reasons) or phrase(responses, "utter_triage_no_reasons"),
            pattern_note=_pattern_note(responses, assessment, answers),
        )
        send_closing(dispatcher, tracker)
        return reset_triage()


def _reason_line(responses: Responses, clue: triage.Clue, row: Passage | None) -> str:
    answer = phrase(responses, f"utter_triage_answer_{clue.answer}")
    columns = row.cells[1:3] if row else ()
    if len(columns) < 2:
        return phrase(responses, "utter_triage_reason_no_row", row=clue.row, answer=answer)
    if clue.side is triage.Side.BOTH:
        return phrase(responses, "utter_triage_reason_both_columns", row=clue.row, answer=answer)
    column, cell = columns[0] if clue.side is triage.Side.HIP else columns[1]
    return phrase(
        responses,
        "utter_triage_reason_one_column",
        row=clue.row,
        answer=answer,
        cell=cell,
        column=column,
    )


def _pattern_note(responses: Responses, assessment: triage.Assessment, answers: dict) -> str:
    notes = []
    if assessment.pattern == "mixed":
        notes.append(phrase(responses, "utter_triage_note_mixed"))
    duration = answers.get("duration")
    if duration in triage.DURATIONS:
        said = phrase(responses, f"utter_triage_answer_{duration}")
        notes.append(phrase(responses, "utter_triage_note_duration", duration=said))
    unclear = [slot for slot in triage.TABLE_ROWS if answers.get(slot) == triage.UNCLEAR]
    if duration == triage.UNCLEAR:
        unclear.append("duration")
    if unclear:
        what = joined(responses, "utter_triage_question_", unclear, "utter_and_joined")
        notes.append(phrase(responses, "utter_triage_note_unclear", what=what))
    return " ".join(notes)
