"""The real stack on free loopback ports for tests: action server, Rasa, front door.

Slack and Twilio are switched on with test secrets; their outgoing API calls go to a
local recorder standing in for api.slack.com / api.twilio.com (nothing leaves the machine).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import httpx

from bot.runtime.processes import free_port
from bot.runtime.settings import PROJECT_ROOT, Settings
from bot.runtime.stack import Stack, running_stack
from tools.widget_client import WidgetSessions

BOOKING_URL = "https://clinic.test/book-now"
# A clinic's own offer (the BOOKING_OFFER setting), not the default wording.
BOOKING_OFFER = "Book a free 20-minute consultation"
SLACK_SIGNING_SECRET = "test-slack-signing-secret"
TWILIO_AUTH_TOKEN = "test-twilio-auth-token"
TWILIO_NUMBER = "whatsapp:+15550001111"
STAFF_TOKEN = "test-staff-token"


@dataclass
class ApiRecorder:
    """A stand-in for Slack's and Twilio's APIs that records what the assistant sends."""

    port: int = field(default_factory=free_port)
    calls: list[tuple[str, dict]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

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
                with recorder.arrived:
                    recorder.calls.append((self.path, body))
                    recorder.arrived.notify_all()
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

    def wait_for(self, condition: Callable[[], bool], timeout: float = 30.0) -> bool:
        """Block until ``condition()`` holds, re-checking each time a call arrives."""
        with self.arrived:
            return self.arrived.wait_for(condition, timeout)

    def close(self) -> None:
        self.server.shutdown()


@dataclass
class TestStack:
    """The running stack, with helpers to talk to it as each channel would."""

    running: Stack
    api: ApiRecorder
    widget: WidgetSessions = field(init=False)

    def __post_init__(self) -> None:
        self.widget = WidgetSessions(self.running.web_url)

    @property
    def settings(self) -> Settings:
        return self.running.settings

    @property
    def web_url(self) -> str:
        return self.running.web_url

    def say(self, sender: str, text: str) -> list[dict]:
        """As the clinic's own integrations: Rasa's REST channel on the private address."""
        response = httpx.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def parse(self, text: str) -> dict:
        """What Rasa's NLU makes of a message (its API, with the token): the intent and
        the red-flag assessment of the trained detector."""
        response = httpx.post(
            f"{self.rasa_url}/model/parse",
            params={"token": self.settings.rasa_api_token},
            json={"text": text},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    @property
    def rasa_url(self) -> str:
        """Rasa's private address (its REST channel; its API needs the token)."""
        return self.settings.rasa_urls[0]

    def chat(self, visitor: str, message: str) -> httpx.Response:
        """As the widget: a visitor's first message is issued a session id, kept for the rest."""
        return self.widget.chat(visitor, message)

    def conversation(self, visitor: str) -> str:
        """The conversation id Rasa keeps for a widget visitor."""
        return self.widget.conversation(visitor)

    def tracker(self, conversation: str) -> dict:
        """A conversation as staff tools read it: Rasa's API with its token."""
        response = httpx.get(
            f"{self.rasa_url}/conversations/{conversation}/tracker",
            params={"token": self.settings.rasa_api_token},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()

    def stop_rasa(self) -> None:
        self.running.stop_rasa()

    def restart_rasa(self) -> None:
        self.running.restart_rasa()

    def stop_action_server(self) -> None:
        self.running.stop_action_server()

    def restart_action_server(self) -> None:
        self.running.restart_action_server()


def bot_command(stack: Stack, *args: str) -> str:
    """Run ``python -m bot ARGS`` as staff would, against this stack's conversations."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=stack.env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


@contextmanager
def running_test_stack() -> Iterator[TestStack]:
    api = ApiRecorder()
    rasa_port, action_port = free_port(), free_port()
    settings = Settings(
        rasa_port=rasa_port,
        action_port=action_port,
        web_port=free_port(),
        # Not the fixed staff port: two stacks on one machine (a test run beside a
        # running assistant, or beside another run) must not collide.
        staff_port=free_port(),
        # One Rasa server: the fault tests stop "the" Rasa; several are covered in tests/scale.
        rasa_processes=1,
        action_server_url=f"http://127.0.0.1:{action_port}",
        booking_url=BOOKING_URL,
        booking_offer=BOOKING_OFFER,
        staff_token=STAFF_TOKEN,
        session_messages_per_minute=60,
        ip_messages_per_minute=1000,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SLACK_SIGNING_SECRET,
        slack_api_url=f"{api.url}/slack/api/",
        twilio_account_sid="AC" + "1" * 32,
        twilio_auth_token=TWILIO_AUTH_TOKEN,
        twilio_whatsapp_number=TWILIO_NUMBER,
        twilio_api_url=f"{api.url}/twilio",
        tracker_db=Path(tempfile.mkdtemp(prefix="conversations-")) / "conversations.db",
    )
    try:
        with running_stack(settings) as running:
            yield TestStack(running, api)
    finally:
        api.close()
