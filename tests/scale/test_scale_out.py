"""Two Rasa processes on PostgreSQL + Redis answer a conversation exactly like one process.

Run by `make test-scale` (which installs PostgreSQL and Redis when they are missing).
"""

from __future__ import annotations

import httpx
import pytest

from bot.runtime.processes import free_port
from bot.runtime.settings import PROJECT_ROOT, Settings
from bot.runtime.stack import Stack, running_stack
from bot.web.app import FrontDoor
from tests.scale.services import postgres_and_redis
from tests.stack.servers import bot_command
from tools.widget_client import WidgetSessions

_widgets: dict[str, WidgetSessions] = {}


def _widget(scaled: Stack) -> WidgetSessions:
    """The widget's visitors of this stack, each with the session id it was issued."""
    return _widgets.setdefault(scaled.web_url, WidgetSessions(scaled.web_url))


pytestmark = pytest.mark.scale

CONVERSATION = [
    "hi",
    "can hip arthritis cause sciatica?",
    "I want to check my symptoms",
    "Groin or front of the thigh",
    "walking and stairs",
    "purple monkey",
    "Sitting eases it",
    "crossing my legs",
    "about 3 months",
    "None of these",
    "what is a hip hinge?",
]


@pytest.fixture(scope="module")
def scaled():
    """Action server, two Rasa processes sharing PostgreSQL and Redis, and the front door."""
    with postgres_and_redis() as services:
        action_port = free_port()
        settings = Settings(
            action_port=action_port,
            web_port=free_port(),
            # Not the fixed staff port: two stacks on one machine (a test run beside a
            # running assistant, or beside another run) must not collide.
            staff_port=free_port(),
            action_server_url=f"http://127.0.0.1:{action_port}",
            endpoints_file=PROJECT_ROOT / "deploy" / "endpoints.scale.yml",
            booking_url="https://clinic.test/book-now",
        )
        ports = [free_port(), free_port()]
        with running_stack(settings, rasa_ports=ports, extra_env=services.env()) as stack:
            yield stack


def _texts(replies: list[dict]) -> list[str]:
    return [r.get("text") or "" for r in replies]


def test_alternating_processes_give_the_same_answers_as_one(scaled, stack):
    urls = scaled.settings.rasa_urls
    for turn, message in enumerate(CONVERSATION):
        # Consecutive messages land on different Rasa processes.
        spread = httpx.post(
            f"{urls[turn % 2]}/webhooks/rest/webhook",
            json={"sender": "scale-visitor-1", "message": message},
            timeout=60,
        ).json()
        single = stack.say("scale-reference-1", message)
        assert _texts(spread) == _texts(single), f"turn {turn}: {message!r}"


def _chat(scaled: Stack, visitor: str, message: str) -> list[dict]:
    response = _widget(scaled).chat(visitor, message)
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def test_front_door_serves_a_conversation_through_both_servers(scaled):
    ready = httpx.get(f"{scaled.web_url}/readyz", timeout=10).json()
    assert ready["checks"]["rasa"] and ready["checks"]["rasa 2"]
    replies = [_chat(scaled, "scale-web-visitor", m) for m in CONVERSATION[2:10]]
    summary = " ".join(m["text"] or "" for m in replies[-1])
    assert "**hip-like**" in summary


def test_conversation_carries_on_when_its_server_stops(scaled):
    session = "scale-failover-visitor"
    for message in CONVERSATION[2:6]:
        _chat(scaled, session, message)
    # Stop the server this conversation lives on, mid-triage.
    home = FrontDoor(scaled.settings).rasa_for(_widget(scaled).conversation(session))[0]
    number = scaled.settings.rasa_urls.index(home)
    scaled.stop_rasa(number)
    try:
        ready = httpx.get(f"{scaled.web_url}/readyz", timeout=10).json()
        assert ready["not_ready"] == ["rasa" if number == 0 else f"rasa {number + 1}"]
        replies = [_chat(scaled, session, m) for m in CONVERSATION[6:10]]
        # The other server picked the triage up where it was and finished it.
        assert "**hip-like**" in " ".join(m["text"] or "" for m in replies[-1])
    finally:
        scaled.restart_rasa(number)


def _user_texts(scaled: Stack, visitor: str) -> list[str]:
    conversation = _widget(scaled).conversation(visitor)
    url = f"{scaled.settings.rasa_urls[0]}/conversations/{conversation}/tracker"
    tracker = httpx.get(url, params={"token": scaled.settings.rasa_api_token}, timeout=10)
    return [e["text"] for e in tracker.json()["events"] if e["event"] == "user"]


def test_forget_deletes_a_conversation_from_postgresql(scaled):
    _chat(scaled, "scale-forget-visitor", "my hip hurts when I walk")
    assert _user_texts(scaled, "scale-forget-visitor")
    # As the README tells staff: the id from the visitor's browser.
    output = bot_command(scaled, "forget", _widget(scaled).issued["scale-forget-visitor"])
    assert int(output.split()[1]) > 0, output
    assert _user_texts(scaled, "scale-forget-visitor") == []


def test_purge_deletes_expired_conversations_from_postgresql(scaled):
    _chat(scaled, "scale-purge-visitor", "hello")
    bot_command(scaled, "purge", "--days", "30")
    assert _user_texts(scaled, "scale-purge-visitor"), "a conversation from today is kept"
    output = bot_command(scaled, "purge", "--days", "0")
    assert int(output.split()[1]) > 0, output
    assert _user_texts(scaled, "scale-purge-visitor") == []
