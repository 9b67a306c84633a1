"""The clinic's report: what visitors asked over a period, and what the assistant did.

Read from Rasa's tracker store (whichever ``endpoints.yml`` configures), within the
retention period; it shows no visitor identifiers (no session ids, and e-mail addresses and
phone numbers in visitors' words are masked). ``python -m bot report [--days N]`` prints
it; the front door's staff page shows the same (``/staff``, behind ``STAFF_TOKEN``).

What it counts, from the events of each conversation:

- conversations with at least one visitor message;
- questions answered from the articles and questions declined, and the declined questions
  themselves, grouped by meaning so the themes the articles miss stand out;
- thumbs up and down per passage (``bot.staff.feedback``), most thumbs-down first;
- urgent-care messages and safety questions, by sign, and how the questions were answered;
- triage questionnaires finished, by the pattern they resembled.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlalchemy as sa

from bot.channels.visitor_text import strip_invisible
from bot.runtime.conversation_store import events_table
from bot.runtime.privacy import DAY_SECONDS
from bot.runtime.settings import Settings
from bot.safety.decision import assessment_of
from bot.staff.feedback import FEEDBACK_SLOT, is_rating

ANSWERED = frozenset({"utter_grounded_answer"})
DECLINED = frozenset({"utter_no_grounded_answer", "utter_decline"})
URGENT_PREFIX = "utter_urgent_"
QUESTION_PREFIX = "utter_ask_red_flag_check_answer"
QUESTION_AGAIN = "utter_red_flag_check_reask"
SUMMARY = "utter_triage_summary"
# Declined questions this close in meaning are one theme (cosine of MiniLM vectors). On the
# 28 unanswerable questions of eval/questions_blind_c.jsonl, pairs on one subject (parking,
# neck, shoulders) scored 0.60-0.91 and pairs on different subjects at most 0.50, but for
# two "is it X or Y?" diagnosis questions at 0.55, which staff would read as one theme too.
THEME_SIMILARITY = 0.55
EXAMPLES_PER_THEME = 3
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
Encode = Callable[[list[str]], np.ndarray]


@dataclass
class Theme:
    size: int
    examples: list[str]


@dataclass
class Report:
    days: float
    since: float
    conversations: int = 0
    answered: int = 0
    declined: int = 0
    declined_questions: list[str] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    thumbs: dict[str, Counter] = field(default_factory=dict)
    escalations: Counter = field(default_factory=Counter)
    safety_questions: Counter = field(default_factory=Counter)
    safety_answers: Counter = field(default_factory=Counter)
    triage_runs: int = 0
    triage_patterns: Counter = field(default_factory=Counter)

    def most_thumbs_down(self) -> list[tuple[str, int, int]]:
        rows = [(p, c["down"], c["up"]) for p, c in self.thumbs.items()]
        return sorted(rows, key=lambda r: (-r[1], r[2], r[0]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "since": self.since,
            "conversations": self.conversations,
            "questions": {"answered": self.answered, "declined": self.declined},
            "declined_themes": [{"size": t.size, "examples": t.examples} for t in self.themes],
            "most_thumbs_down": [
                {"passage": p, "down": d, "up": u} for p, d, u in self.most_thumbs_down()
            ],
            "escalations_by_sign": dict(self.escalations),
            "safety_questions_by_sign": dict(self.safety_questions),
            "safety_answers": dict(self.safety_answers),
            "triage": {"runs": self.triage_runs, "patterns": dict(self.triage_patterns)},
        }


MASKS = ("[email]", "[phone]")
_SENTENCE_END = re.compile(r"(?<=[.?!;])\s+")


def masked(text: str) -> str:
    """A visitor's words as staff see them: identifiers masked, and no control characters
    (a visitor's terminal escape codes must not write into a staff terminal), on one line."""
    text = " ".join(strip_invisible(text).split())
    return _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))


def what_is_asked(question: str) -> str:
    """The masked question without its sentences of contact details, which say nothing of
    its subject but pulled it out of its theme ("... my email is [email]")."""
    kept = [s for s in _SENTENCE_END.split(question) if not any(m in s for m in MASKS)]
    return " ".join(kept) or question


def build_report(
    settings: Settings,
    days: float | None = None,
    encode: Encode | None = None,
    now: float | None = None,
) -> Report:
    """The report over the last ``days`` (the retention period at most)."""
    period = min(days or settings.conversation_retention_days, settings.conversation_retention_days)
    since = (now or time.time()) - period * DAY_SECONDS
    engine, events = events_table(settings)
    query = (
        sa.select(events.c.sender_id, events.c.type_name, events.c.data)
        .where(events.c.timestamp >= since)
        .order_by(events.c.sender_id, events.c.id)
    )
    report = Report(days=period, since=since)
    with engine.connect() as connection:
        rows = connection.execute(query).fetchall()
    for _, conversation in _by_conversation(rows):
        _count(report, conversation)
    report.themes = themes(report.declined_questions, encode)
    return report


def _by_conversation(rows: Sequence[Any]) -> Iterable[tuple[str, list[tuple[str, dict]]]]:
    current, batch = None, []
    for sender, kind, data in rows:
        if sender != current and batch:
            yield current, batch
            batch = []
        current = sender
        batch.append((kind, json.loads(data) if data else {}))
    if batch:
        yield current, batch


@dataclass
class _Reading:
    """Where a conversation is, while its events are read in order."""

    last_user: dict = field(default_factory=dict)
    ratings: dict[str, str] = field(default_factory=dict)  # a visitor's last word per passage
    asked_about: list[str] | None = None  # the signs of a safety question not yet answered
    replied_to_question: bool = False


def _count(report: Report, events: list[tuple[str, dict]]) -> None:
    reading = _Reading()
    spoke = False
    for kind, data in events:
        if kind == "user":
            spoke = True
            reading.last_user = data
            reading.replied_to_question = reading.asked_about is not None
        elif kind == "bot":
            _count_reply(report, (data.get("metadata") or {}), reading)
        elif kind == "slot":
            _read_rating(reading, data.get("name"), data.get("value"))
    report.conversations += spoke
    for passage, rating in reading.ratings.items():
        report.thumbs.setdefault(passage, Counter({"up": 0, "down": 0}))[rating] += 1


# An escalation or question whose message carries no named sign (a story, an old conversation).
NOT_NAMED = "not named"


def _signs_of(user: dict) -> list[str]:
    """The signs the safety check found in a visitor's message (its assessment)."""
    assessment = assessment_of(user.get("parse_data"))
    return list(assessment.signs) if assessment else []


def _count_reply(report: Report, metadata: dict, reading: _Reading) -> None:
    response = metadata.get("utter_action") or ""
    asks = response.startswith(QUESTION_PREFIX) or response == QUESTION_AGAIN
    answered_question = reading.replied_to_question and not asks
    if answered_question:
        # The first reply after the visitor answered a safety question tells how it went.
        outcome = "urgent message" if response.startswith(URGENT_PREFIX) else "no, or unclear"
        report.safety_answers[outcome] += 1
        reading.replied_to_question = False
    if response in ANSWERED:
        report.answered += 1
    elif response in DECLINED:
        report.declined += 1
        if reading.last_user.get("text"):
            report.declined_questions.append(masked(reading.last_user["text"]))
    elif response.startswith(URGENT_PREFIX):
        signs = _signs_of(reading.last_user) or reading.asked_about or [NOT_NAMED]
        for sign in signs:
            report.escalations[sign] += 1
    elif asks:
        if reading.asked_about is None:
            reading.asked_about = _signs_of(reading.last_user) or [NOT_NAMED]
            for sign in reading.asked_about:
                report.safety_questions[sign] += 1
        return
    elif response == SUMMARY:
        report.triage_runs += 1
        report.triage_patterns[str(metadata.get("pattern") or "unknown")] += 1
    if answered_question:
        reading.asked_about = None


def _read_rating(reading: _Reading, name: str | None, value: Any) -> None:
    if name == FEEDBACK_SLOT and isinstance(value, dict):
        passage, rating = str(value.get("passage", "")), str(value.get("rating", ""))
        if is_rating(passage, rating):
            reading.ratings[passage] = rating


def themes(questions: list[str], encode: Encode | None) -> list[Theme]:
    """Questions grouped by meaning, biggest group first (one group each without a model)."""
    if not questions:
        return []
    if encode is None:
        groups = [[q] for q in questions]
    else:
        vectors = encode([what_is_asked(q) for q in questions])
        groups: list[list[str]] = []
        centroids: list[np.ndarray] = []
        for question, vector in zip(questions, vectors, strict=True):
            similarities = [float(vector @ c / np.linalg.norm(c)) for c in centroids]
            best = int(np.argmax(similarities)) if similarities else -1
            if best >= 0 and similarities[best] >= THEME_SIMILARITY:
                groups[best].append(question)
                centroids[best] = centroids[best] + vector
            else:
                groups.append([question])
                centroids.append(vector.copy())
    ordered = sorted(groups, key=len, reverse=True)
    return [Theme(len(g), _distinct(g)[:EXAMPLES_PER_THEME]) for g in ordered]


def _distinct(questions: list[str]) -> list[str]:
    """Each example once, however often it was asked (case and spacing aside)."""
    seen: dict[str, str] = {}
    for question in questions:
        seen.setdefault(" ".join(question.lower().split()), question)
    return list(seen.values())


def clinic_report(settings: Settings, days: float | None = None) -> tuple[Report, dict[str, str]]:
    """The report with declined questions grouped by meaning (the articles' own MiniLM),
    and the passages' names for the rated ones."""
    from bot.runtime.knowledge_base import get_engine
    from knowledge.embedding import get_embedder

    report = build_report(settings, days, encode=get_embedder().encode)
    engine = get_engine()
    titles = {}
    for ref in report.thumbs:
        passage = engine.passage(ref)
        titles[ref] = f"{passage.title}: {passage.section}" if passage else f"{ref} (since removed)"
    return report, titles


@dataclass
class Section:
    """One part of the report as staff read it: a heading and (figure, what) rows."""

    heading: str
    rows: list[tuple[str, str]]
    empty: str = "(none)"


def sections(report: Report, titles: dict[str, str] | None = None) -> list[Section]:
    """The report's parts, shared by the terminal and the staff page."""
    titles = titles or {}
    safety = _by_count(report.safety_questions)
    if report.safety_answers:
        answered = ", ".join(f"{a} {n}" for a, n in report.safety_answers.most_common())
        safety.append(("", f"what followed the visitor's answer: {answered}"))
    return [
        Section(
            f"The last {report.days:g} days",
            [
                (str(report.conversations), "conversations"),
                (str(report.answered), "questions answered from the articles"),
                (str(report.declined), "questions declined"),
            ],
        ),
        Section(
            "What visitors asked that the articles do not answer (by theme, biggest first)",
            [(str(t.size), " | ".join(t.examples)) for t in report.themes],
        ),
        Section(
            "Answers with the most thumbs down",
            [(f"{d} down, {u} up", titles.get(p, p)) for p, d, u in report.most_thumbs_down()],
            empty="(no ratings)",
        ),
        Section("Urgent-care messages, by sign", _by_count(report.escalations)),
        Section("Safety questions asked, by sign", safety),
        Section(
            f"Triage questionnaires finished: {report.triage_runs}, by the pattern they resembled",
            _by_count(report.triage_patterns),
        ),
    ]


def _by_count(counts: Counter) -> list[tuple[str, str]]:
    return [(str(n), key) for key, n in counts.most_common()]


def render_text(report: Report, titles: dict[str, str] | None = None) -> str:
    """The report as staff read it in a terminal."""
    lines: list[str] = []
    for section in sections(report, titles):
        lines += ["", section.heading + ":"] if lines else [section.heading + ":"]
        lines += [f"  {figure:>14}  {what}" for figure, what in section.rows]
        lines += [] if section.rows else [f"  {section.empty}"]
    return "\n".join(lines)
