"""WhatsApp through Twilio, on Rasa's own connector, with what it lacks.

- Rasa's connector does not check ``X-Twilio-Signature``, so anyone could make the clinic's
  number send messages at its cost. Unsigned or forged requests are refused with 403
  before Rasa sees them.
- WhatsApp shows no buttons: options are written as a numbered list (the booking link as a
  URL), and a reply that is just one of those numbers is read as that option. The options
  come from the conversation itself (the assistant's last message in Rasa's tracker
  store), so any Rasa process of a scaled-out deployment reads them the same way.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from twilio.request_validator import RequestValidator

from bot.channels.visitor_text import clean_visitor_text
from bot.wording import load_responses, phrase

log = logging.getLogger(__name__)


_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def options_of(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The buttons a visitor can choose by number (links are written out instead)."""
    return [b for b in buttons or [] if b.get("title") and b.get("payload") and not b.get("url")]


def numbered(text: str, buttons: list[dict[str, Any]]) -> str:
    options = options_of(buttons)
    if not options:
        return text
    lines = [f"{n}. {b['title']}" for n, b in enumerate(options, 1)]
    return "\n".join([text, *lines, phrase(load_responses(), "utter_whatsapp_options_hint")])


def chosen_option(text: str, events: list[dict[str, Any]]) -> str | None:
    """The payload of the numbered option a reply picks, from the last message offering some."""
    match = _NUMBER.match(text or "")
    if not match:
        return None
    for event in reversed(events):
        if event.get("event") == "user":
            return None
        options = options_of((event.get("data") or {}).get("buttons") or [])
        if event.get("event") == "bot" and options:
            number = int(match.group(1))
            return options[number - 1]["payload"] if 1 <= number <= len(options) else None
    return None


class PlainTextTwilioOutput(TwilioOutput):
    """WhatsApp shows no buttons: options become a numbered list, links are written out."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_message(recipient_id, numbered(text, buttons))


class SignedTwilioInput(TwilioInput):
    """Rasa's Twilio connector, refusing requests without a valid Twilio signature."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SignedTwilioInput:
        credentials = credentials or {}
        channel = cls(
            credentials.get("account_sid"),
            credentials.get("auth_token"),
            credentials.get("twilio_number"),
        )
        channel.webhook_url = credentials.get("webhook_url") or ""
        channel.api_url = credentials.get("api_url") or ""
        return channel

    def get_output_channel(self) -> PlainTextTwilioOutput:
        output = PlainTextTwilioOutput(self.account_sid, self.auth_token, self.twilio_number)
        if getattr(self, "api_url", ""):
            output.api.base_url = self.api_url.rstrip("/")
        return output

    def is_signed(self, request: Request) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not self.auth_token:
            return False
        url = getattr(self, "webhook_url", "") or request.url
        params = {key: values[0] for key, values in request.form.items()}
        return RequestValidator(self.auth_token).validate(url, params, signature)

    async def _picked_option(self, request: Request, body: str) -> str | None:
        if not _NUMBER.match(body or ""):
            return None
        agent = getattr(request.app.ctx, "agent", None)
        sender = request.form.get("From")
        if agent is None or not sender:
            return None
        tracker = await agent.tracker_store.retrieve(sender)
        if tracker is None:
            return None
        return chosen_option(body, [event.as_dict() for event in tracker.events])

    def blueprint(self, on_new_message) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def verify_and_clean(request: Request):
            if request.method != "POST":
                return None
            if not self.is_signed(request):
                log.warning("twilio: refused a request without a valid X-Twilio-Signature")
                return response.text("forbidden", status=HTTPStatus.FORBIDDEN)
            body = request.form.get("Body")
            if body is not None:
                picked = await self._picked_option(request, body)
                request.form["Body"] = [picked or clean_visitor_text(body)]
            return None

        return blueprint
