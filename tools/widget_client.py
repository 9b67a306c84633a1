"""Talking to the front door as the widget does, for tests, the load test and evaluation.

A visitor's first message goes without a session id; the reply carries the id the front
door issued, and every later message of that visitor sends it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from bot.web.sessions import conversation_id

CHAT_PATH = "/api/chat"
FEEDBACK_PATH = "/api/feedback"


@dataclass
class WidgetSessions:
    """Named visitors of one front door, each with the session id it was issued."""

    web_url: str
    issued: dict[str, str] = field(default_factory=dict)

    def body(self, visitor: str, message: str) -> dict:
        return {"session_id": self.issued.get(visitor), "message": message}

    def keep(self, visitor: str, response: httpx.Response) -> httpx.Response:
        try:
            session_id = response.json().get("session_id")
        except ValueError:
            session_id = None
        if session_id:
            self.issued[visitor] = session_id
        return response

    def chat(self, visitor: str, message: str, timeout: float = 60) -> httpx.Response:
        url = f"{self.web_url}{CHAT_PATH}"
        return self.keep(
            visitor, httpx.post(url, json=self.body(visitor, message), timeout=timeout)
        )

    async def chat_async(
        self, client: httpx.AsyncClient, visitor: str, message: str, timeout: float = 60
    ) -> httpx.Response:
        url = f"{self.web_url}{CHAT_PATH}"
        response = await client.post(url, json=self.body(visitor, message), timeout=timeout)
        return self.keep(visitor, response)

    def rate(self, visitor: str, passage: str, rating: str) -> httpx.Response:
        body = {"session_id": self.issued[visitor], "passage": passage, "rating": rating}
        return httpx.post(f"{self.web_url}{FEEDBACK_PATH}", json=body, timeout=60)

    def conversation(self, visitor: str) -> str:
        """The conversation Rasa keeps for this visitor (the session id without its signature)."""
        return conversation_id(self.issued[visitor])
