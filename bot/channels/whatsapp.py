"""WhatsApp through Twilio, on Rasa's own connector, with the guard it lacks.

Rasa's connector does not check ``X-Twilio-Signature``, so anyone could make the clinic's
number send messages at its cost. Unsigned or forged requests are refused with 403 before
Rasa sees them. Replies are plain text: buttons are written out as a list, the booking link
as a URL.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from twilio.request_validator import RequestValidator

from bot.channels.visitor_text import clean_visitor_text

log = logging.getLogger(__name__)


class PlainTextTwilioOutput(TwilioOutput):
    """WhatsApp shows no buttons: options become a list, links are written out."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        options = [f"- {b['title']}" for b in buttons if b.get("title") and not b.get("url")]
        body = "\n".join([text, *options]) if options else text
        await self.send_text_message(recipient_id, body)


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
                request.form["Body"] = [clean_visitor_text(body)]
            return None

        return blueprint
