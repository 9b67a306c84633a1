"""Two Rasa processes on PostgreSQL + Redis answer a conversation exactly like one process.

Run by `make test-scale` (which installs PostgreSQL and Redis when they are missing).
"""

from __future__ import annotations

import httpx
import pytest

from bot.processes import Supervisor, free_port, latest_model, quiet_environment, start_stack
from bot.settings import PROJECT_ROOT, Settings
from tests.scale.services import postgres_and_redis

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
        ports = [free_port(), free_port()]
        action_port, web_port = free_port(), free_port()
        base = Settings(
            action_port=action_port,
            web_port=web_port,
            action_server_url=f"http://127.0.0.1:{action_port}",
            rasa_url=",".join(f"http://127.0.0.1:{p}" for p in ports),
            endpoints_file=PROJECT_ROOT / "deploy" / "endpoints.scale.yml",
            booking_url="https://clinic.test/book-now",
        )
        env = {**quiet_environment(base), **services.env(), "RASA_URL": base.rasa_url,
               "BOOKING_URL": base.booking_url, "WEB_PORT": str(web_port)}  # fmt: skip
        supervisor = Supervisor(env=env)
        try:
            start_stack(supervisor, base, latest_model(), rasa_ports=ports)
            yield base
        finally:
            supervisor.stop()


def _texts(replies: list[dict]) -> list[str]:
    return [r.get("text") or "" for r in replies]


def test_alternating_processes_give_the_same_answers_as_one(scaled, stack):
    urls = scaled.rasa_urls
    for turn, message in enumerate(CONVERSATION):
        # Consecutive messages land on different Rasa processes.
        spread = httpx.post(
            f"{urls[turn % 2]}/webhooks/rest/webhook",
            json={"sender": "scale-visitor-1", "message": message},
            timeout=60,
        ).json()
        single = stack.say("scale-reference-1", message)
        assert _texts(spread) == _texts(single), f"turn {turn}: {message!r}"


def test_front_door_spreads_a_conversation_over_both(scaled):
    web = f"http://127.0.0.1:{scaled.web_port}"
    ready = httpx.get(f"{web}/readyz", timeout=10).json()
    assert ready["checks"]["rasa"] and ready["checks"]["rasa 2"]
    replies = [
        httpx.post(
            f"{web}/api/chat",
            json={"session_id": "scale-web-visitor", "message": m},
            timeout=60,
        ).json()["messages"]
        for m in CONVERSATION[2:10]
    ]
    summary = " ".join(m["text"] or "" for m in replies[-1])
    assert "**hip-like**" in summary
