"""Two Rasa processes on PostgreSQL + Redis answer a conversation exactly like one process.

Run by `make test-scale` (which installs PostgreSQL and Redis when they are missing).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from bot.processes import (
    Supervisor,
    free_port,
    latest_model,
    quiet_environment,
    rasa_process_name,
    rasa_server_command,
    start_stack,
)
from bot.settings import PROJECT_ROOT, Settings
from bot.web.app import FrontDoor
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


@dataclass
class Scaled:
    settings: Settings
    supervisor: Supervisor
    ports: list[int]

    @property
    def web(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}"


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
            yield Scaled(base, supervisor, ports)
        finally:
            supervisor.stop()


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


def _chat(scaled: Scaled, session: str, message: str) -> list[dict]:
    response = httpx.post(
        f"{scaled.web}/api/chat", json={"session_id": session, "message": message}, timeout=60
    )
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def test_front_door_serves_a_conversation_through_both_servers(scaled):
    ready = httpx.get(f"{scaled.web}/readyz", timeout=10).json()
    assert ready["checks"]["rasa"] and ready["checks"]["rasa 2"]
    replies = [_chat(scaled, "scale-web-visitor", m) for m in CONVERSATION[2:10]]
    summary = " ".join(m["text"] or "" for m in replies[-1])
    assert "**hip-like**" in summary


def test_conversation_carries_on_when_its_server_stops(scaled):
    session = "scale-failover-visitor"
    for message in CONVERSATION[2:6]:
        _chat(scaled, session, message)
    # Stop the server this conversation lives on, mid-triage.
    home = FrontDoor(scaled.settings).rasa_for(session)[0]
    number = scaled.settings.rasa_urls.index(home)
    name = rasa_process_name(number)
    scaled.supervisor.stop_one(name)
    try:
        ready = httpx.get(f"{scaled.web}/readyz", timeout=10).json()
        assert ready["not_ready"] == ["rasa" if number == 0 else f"rasa {number + 1}"]
        replies = [_chat(scaled, session, m) for m in CONVERSATION[6:10]]
        # The other server picked the triage up where it was and finished it.
        assert "**hip-like**" in " ".join(m["text"] or "" for m in replies[-1])
    finally:
        one = scaled.settings.copy(update={"rasa_port": scaled.ports[number]})
        scaled.supervisor.restart(name, rasa_server_command(one, latest_model()))
        scaled.supervisor.wait_until_healthy(name, f"{home}/status")
