"""Slack and WhatsApp (Twilio) on Rasa's own connectors, with the guards they lack.

- Slack: Rasa verifies Slack's signature and skips Slack's timeout retries itself; here a
  leading ``/`` is neutralised and replies can go to another API base.
- WhatsApp through Twilio: Rasa's connector does not check ``X-Twilio-Signature``, so
  anyone could make the clinic's number send messages at its cost. Unsigned or forged
  requests are refused with 403 before Rasa sees them. Replies are plain text: buttons are
  written out as a list, the booking link as a URL.

Which channels run is decided from settings: a channel whose secrets are missing is off,
with one log line saying so (see ``credentials_for``).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from rasa.core.channels.slack import SlackBot, SlackInput
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from twilio.request_validator import RequestValidator

from bot.settings import Settings
from bot.text_safety import clean_visitor_text

log = logging.getLogger(__name__)


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
        return await super().process_message(
            request, on_new_message, clean_visitor_text(text or ""), sender_id, metadata
        )


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


def credentials_for(base: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The channels Rasa should open: the base file plus each channel whose secrets are set."""
    channels = dict(base)
    if settings.slack_bot_token and settings.slack_signing_secret:
        channels[f"{__name__}.GuardedSlackInput"] = {
            "slack_token": settings.slack_bot_token,
            "slack_signing_secret": settings.slack_signing_secret,
            "slack_channel": settings.slack_channel or None,
            "slack_api_url": settings.slack_api_url,
        }
        log.info("Slack: on (webhook /webhooks/slack/webhook)")
    else:
        log.info("Slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on)")
    if (
        settings.twilio_account_sid
        and settings.twilio_auth_token
        and settings.twilio_whatsapp_number
    ):
        number = settings.twilio_whatsapp_number
        channels[f"{__name__}.SignedTwilioInput"] = {
            "account_sid": settings.twilio_account_sid,
            "auth_token": settings.twilio_auth_token,
            "twilio_number": number if number.startswith("whatsapp:") else f"whatsapp:{number}",
            "webhook_url": settings.twilio_webhook_url,
            "api_url": settings.twilio_api_url,
        }
        log.info("WhatsApp (Twilio): on (webhook /webhooks/twilio/webhook)")
    else:
        log.info(
            "WhatsApp (Twilio): off (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
            "TWILIO_WHATSAPP_NUMBER to turn it on)"
        )
    return channels
