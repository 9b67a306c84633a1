"""The real stack on free loopback ports for tests: action server, Rasa, front door.

Slack and Twilio are switched on with test secrets; their outgoing API calls go to a
local recorder standing in for api.slack.com / api.twilio.com (nothing leaves the machine).
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import httpx

from bot.processes import (
    Supervisor,
    action_server_command,
    free_port,
    latest_model,
    quiet_environment,
    rasa_server_command,
    start_stack,
)
from bot.settings import Settings

BOOKING_URL = "https://clinic.test/book-now"
SLACK_SIGNING_SECRET = "test-slack-signing-secret"
TWILIO_AUTH_TOKEN = "test-twilio-auth-token"
TWILIO_NUMBER = "whatsapp:+15550001111"
STAFF_TOKEN = "test-staff-token"


@dataclass
class ApiRecorder:
    """A stand-in for Slack's and Twilio's APIs that records what the assistant sends."""

    port: int = field(default_factory=free_port)
    calls: list[tuple[str, dict]] = field(default_factory=list)

    def __post_init__(self) -> None:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                recorder.calls.append((self.path, body))
                if "/Messages.json" in self.path:  # Twilio: a created message resource
                    reply = {"sid": "SM" + "0" * 32, "status": "queued", "body": body.get("Body")}
                    self._send(201, reply)
                else:  # Slack Web API
                    self._send(200, {"ok": True, "channel": body.get("channel"), "ts": "1.0"})

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def texts_to(self, path_part: str) -> list[str]:
        return [
            body.get("text") or body.get("Body") or ""
            for path, body in self.calls
            if path_part in path
        ]

    def close(self) -> None:
        self.server.shutdown()


@dataclass
class Stack:
    settings: Settings
    supervisor: Supervisor
    api: ApiRecorder
    env: dict[str, str]

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}"

    def say(self, sender: str, text: str) -> list[dict]:
        response = httpx.post(
            f"{self.settings.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def chat(self, session_id: str, message: str) -> httpx.Response:
        return httpx.post(
            f"{self.web_url}/api/chat",
            json={"session_id": session_id, "message": message},
            timeout=60,
        )

    def restart_rasa(self) -> None:
        self.supervisor.restart("rasa server", rasa_server_command(self.settings, latest_model()))
        self.supervisor.wait_until_healthy("rasa server", f"{self.settings.rasa_url}/status")

    def restart_action_server(self) -> None:
        self.supervisor.restart("action server", action_server_command(self.settings))
        self.supervisor.wait_until_healthy(
            "action server", f"{self.settings.action_server_url}/health"
        )


@contextmanager
def running_stack() -> Iterator[Stack]:
    model = latest_model()
    if model is None:
        raise RuntimeError("no trained model: run `make train` (make test does it first)")
    api = ApiRecorder()
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    values = {
        "rasa_port": rasa_port,
        "action_port": action_port,
        "web_port": web_port,
        "rasa_url": f"http://127.0.0.1:{rasa_port}",
        # One Rasa server: the fault tests stop "the" Rasa; several are covered in tests/scale.
        "rasa_processes": 1,
        "action_server_url": f"http://127.0.0.1:{action_port}",
        "booking_url": BOOKING_URL,
        "staff_token": STAFF_TOKEN,
        "session_messages_per_minute": 60,
        "ip_messages_per_minute": 1000,
        "slack_bot_token": "xoxb-test-token",
        "slack_signing_secret": SLACK_SIGNING_SECRET,
        "slack_api_url": f"{api.url}/slack/api/",
        "twilio_account_sid": "AC" + "1" * 32,
        "twilio_auth_token": TWILIO_AUTH_TOKEN,
        "twilio_whatsapp_number": TWILIO_NUMBER,
        "twilio_api_url": f"{api.url}/twilio",
        "tracker_db": str(Path(tempfile.mkdtemp(prefix="conversations-")) / "conversations.db"),
    }
    settings = Settings(**values)
    env = quiet_environment(settings)
    env.update({key.upper(): str(value) for key, value in values.items()})
    supervisor = Supervisor(env=env)
    try:
        start_stack(supervisor, settings, model)
        yield Stack(settings, supervisor, api, env)
    finally:
        supervisor.stop()
        api.close()
