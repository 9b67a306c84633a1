"""Start the real action server and Rasa server on free loopback ports for tests."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from bot.processes import (
    Supervisor,
    action_server_command,
    latest_model,
    quiet_environment,
    rasa_server_command,
)
from bot.settings import Settings

BOOKING_URL = "https://clinic.test/book-now"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    settings: Settings
    supervisor: Supervisor

    def say(self, sender: str, text: str) -> list[dict]:
        response = httpx.post(
            f"{self.settings.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()


@contextmanager
def running_stack(**overrides: str) -> Iterator[Stack]:
    model = latest_model()
    if model is None:
        raise RuntimeError("no trained model: run `make train` (make test does it first)")
    rasa_port, action_port = free_port(), free_port()
    settings = Settings(
        rasa_port=rasa_port,
        action_port=action_port,
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_server_url=f"http://127.0.0.1:{action_port}",
        booking_url=BOOKING_URL,
        **overrides,
    )
    env = quiet_environment(settings)
    env.update(
        {
            "BOOKING_URL": BOOKING_URL,
            "ACTION_PORT": str(action_port),
            "ACTION_SERVER_URL": settings.action_server_url,
        }
    )
    supervisor = Supervisor(env=env)
    try:
        supervisor.start("action server", action_server_command(settings))
        supervisor.start("rasa server", rasa_server_command(settings, model))
        supervisor.wait_until_healthy("action server", f"{settings.action_server_url}/health")
        supervisor.wait_until_healthy("rasa server", f"{settings.rasa_url}/status")
        yield Stack(settings, supervisor)
    finally:
        supervisor.stop()
