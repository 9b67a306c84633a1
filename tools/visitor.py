"""A visitor on Rasa's REST channel, for the evaluation tools: one conversation per sender,
and the replies read back as the responses of domain.yml they are (``tools.replies``)."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.runtime.processes import free_port
from bot.runtime.settings import Settings
from bot.runtime.stack import running_stack
from tools.replies import ReplyReader


@dataclass(frozen=True)
class Reply:
    response: str  # the domain.yml response it is, or "?"
    text: str


class Visitor:
    def __init__(
        self, rasa_url: str, api_token: str = "", reader: ReplyReader | None = None
    ) -> None:
        self.rasa_url = rasa_url
        self.api_token = api_token
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.reader = reader or ReplyReader()
        self.client = httpx.Client(timeout=60)

    @staticmethod
    def new_conversation(prefix: str = "eval") -> str:
        return f"{prefix}-{uuid.uuid4().hex[:12]}"

    def say(self, sender: str, text: str) -> list[Reply]:
        response = self.client.post(self.url, json={"sender": sender, "message": text})
        response.raise_for_status()
        return [
            Reply(self.reader.name_of(m["text"]) or "?", m["text"])
            for m in response.json()
            if m.get("text")
        ]

    def tracker(self, sender: str) -> dict:
        """The conversation as Rasa keeps it (its HTTP API, with its token)."""
        url = f"{self.rasa_url}/conversations/{sender}/tracker"
        response = self.client.get(url, params={"token": self.api_token})
        response.raise_for_status()
        return response.json()


@contextmanager
def visiting() -> Iterator[Visitor]:
    """The whole assistant on free ports, with a visitor talking to its Rasa server."""
    rasa_port, action_port = free_port(), free_port()
    settings = Settings(
        rasa_port=rasa_port,
        rasa_processes=1,
        action_port=action_port,
        action_server_url=f"http://127.0.0.1:{action_port}",
        web_port=free_port(),
        # Not the fixed staff port: two stacks on one machine (a test run beside a
        # running assistant, or beside another run) must not collide.
        staff_port=free_port(),
        tracker_db=Path(tempfile.mkdtemp(prefix="eval-")) / "conversations.db",
    )
    with running_stack(settings, quiet=True) as stack:
        yield Visitor(stack.settings.rasa_urls[0], stack.settings.rasa_api_token)
