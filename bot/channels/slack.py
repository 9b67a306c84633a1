"""Slack on Rasa's own connector.

Rasa verifies Slack's signature and skips Slack's timeout retries itself; here a leading
``/`` is neutralised and replies can go to another API base (GovSlack, tests).
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.slack import SlackBot, SlackInput
from sanic.request import Request

from bot.channels.visitor_text import clean_visitor_text


class GuardedSlackInput(SlackInput):
    """Rasa's Slack connector; its output can target another API base (GovSlack, tests)."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedSlackInput:
        channel = super().from_credentials(credentials)
        channel.api_url = (credentials or {}).get("slack_api_url") or None
        return channel

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> SlackBot:
        output = SlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy)
        if getattr(self, "api_url", None):
            output.client.base_url = self.api_url
        return output

    async def process_message(
        self, request: Request, on_new_message, text: str, sender_id: str | None, metadata
    ) -> Any:
        # Rasa itself acknowledges Slack's timeout retries without answering again (its
        # `errors_ignore_retry`); retries after a real failure are answered, so none is lost.
        # A button pressed (an interactive payload, signed by Slack) sends the button's own
        # value, which may be Rasa's intent syntax; what a visitor types is cleaned.
        pressed = bool(request.form.get("payload"))
        said = (text or "").strip() if pressed else clean_visitor_text(text or "")
        return await super().process_message(request, on_new_message, said, sender_id, metadata)
