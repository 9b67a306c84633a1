"""The clinic's report counts what a scripted set of conversations did, exactly, and the
staff page shows it only to staff."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.stack.servers import STAFF_TOKEN, bot_command
from tests.stack.test_red_flag_check import SUSPECTED

ANSWERABLE = "can hip arthritis cause sciatica?"
# Questions the articles don't answer. ("Can you treat a stiff neck?" asks what the clinic
# offers: it gets how to reach the clinic, not a decline.)
DECLINED = (
    "what helps a stiff neck? my email is jo.bloggs@example.com",
    "my neck hurts when I turn my head, can you help?",
)
AT_ONCE = "I fell off a ladder this morning and now my lower back is agony"
TRIAGE = (
    "can you check my symptoms",
    "Groin or front of the thigh",
    "walking and stairs",
    "Sitting eases it",
    "crossing my legs and putting socks on",
    "about 4 months",
    "None of these",
)


def rated_answer(stack, session_id: str, question: str) -> str:
    """Asks through the widget's front door; returns the rating marker of the answer."""
    messages = stack.chat(session_id, question).json()["messages"]
    rated = [m["feedback"] for m in messages if m.get("feedback")]
    assert len(rated) == 1, messages
    return rated[0]


def rate(stack, visitor: str, passage: str, rating: str) -> httpx.Response:
    """As the widget's thumbs do, with the session id that visitor was issued."""
    return stack.widget.rate(visitor, passage, rating)


@pytest.fixture(scope="module")
def scripted(stack) -> dict:
    """Six conversations, on a tracker store emptied first, and the report over them."""
    bot_command(stack.running, "purge", "--days", "0")
    passage = rated_answer(stack, "report-visitor-1", ANSWERABLE)
    assert rate(stack, "report-visitor-1", passage, "up").status_code == 200
    assert rate(stack, "report-visitor-1", passage, "down").status_code == 200  # changed mind
    assert rated_answer(stack, "report-visitor-2", ANSWERABLE) == passage
    assert rate(stack, "report-visitor-2", passage, "down").status_code == 200
    # An answer this conversation was never given cannot be rated.
    assert rate(stack, "report-visitor-2", "hip-arthritis-back-pain#0", "up").status_code == 404
    for question in DECLINED:
        stack.chat("report-visitor-3", question)
    stack.chat("report-visitor-4", AT_ONCE)
    stack.chat("report-visitor-5", SUSPECTED)
    stack.chat("report-visitor-5", "Yes")
    for answer in TRIAGE:
        stack.say("report-visitor-6", answer)
    text = bot_command(stack.running, "report", "--days", "7")
    return {
        "passage": passage,
        "json": json.loads(bot_command(stack.running, "report", "--json")),
        "text": text,
    }


def test_the_report_counts_the_scripted_conversations_exactly(scripted):
    report = scripted["json"]
    assert report["conversations"] == 6
    assert report["questions"] == {"answered": 2, "declined": 2}
    assert report["most_thumbs_down"] == [{"passage": scripted["passage"], "down": 2, "up": 0}]
    assert report["escalations_by_sign"] == {"fall_injury": 1, "bladder": 1}
    assert report["safety_questions_by_sign"] == {"bladder": 1}
    assert report["safety_answers"] == {"urgent message": 1}
    assert report["triage"] == {"runs": 1, "patterns": {"hip-like": 1}}


def test_declined_questions_alike_in_meaning_are_one_theme_without_identifiers(stack, scripted):
    themes = scripted["json"]["declined_themes"]
    assert [t["size"] for t in themes] == [2]
    assert "[email]" in themes[0]["examples"][0]
    conversations = [stack.conversation(f"report-visitor-{n}") for n in (1, 2, 3, 4, 5)]
    assert "example.com" not in scripted["text"] and "report-visitor" not in scripted["text"]
    assert not any(conversation in scripted["text"] for conversation in conversations)
    assert "2 down, 0 up" in scripted["text"]


def test_the_staff_page_refuses_requests_without_the_token(stack, scripted):
    page = f"{stack.running.staff_url}/staff"
    refused = httpx.get(page, timeout=30)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Basic")
    assert httpx.get(page, auth=("staff", "wrong"), timeout=30).status_code == 401
    assert httpx.get(f"{stack.running.staff_url}/api/staff/report", timeout=30).status_code == 401
    shown = httpx.get(page, auth=("staff", STAFF_TOKEN), timeout=120)
    assert shown.status_code == 200
    assert "questions declined" in shown.text and "2 down, 0 up" in shown.text
    data = httpx.get(
        f"{stack.running.staff_url}/api/staff/report",
        headers={"X-Staff-Token": STAFF_TOKEN},
        timeout=120,
    ).json()
    assert data["questions"] == scripted["json"]["questions"]
