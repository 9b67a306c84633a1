"""Slack and WhatsApp (Twilio) webhooks, received at the front door.

The front door is the only public process: Slack's and Twilio's requests arrive here, are
refused unless their platform signed them, and only then are handed, unchanged (body and
signature headers), to Rasa's own channel connector on the private address. Rasa's
connectors check the signatures again and do the channel's work (retries, replies).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from urllib.parse import parse_qsl

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import Response
from slack_sdk.signature import SignatureVerifier
from twilio.request_validator import RequestValidator

from bot.runtime.settings import Settings

log = logging.getLogger(__name__)

SLACK_PATH = "/webhooks/slack/webhook"
TWILIO_PATH = "/webhooks/twilio/webhook"
# What Rasa's connectors read besides the body: the content type and the platforms' own
# signature and retry headers. Nothing else of the outside request is passed on.
PASSED_HEADERS = (
    "content-type",
    "x-slack-request-timestamp",
    "x-slack-signature",
    "x-slack-retry-num",
    "x-slack-retry-reason",
    "x-twilio-signature",
)
# What Rasa's answer carries back to the platform besides its body (Slack: "don't retry").
RETURNED_HEADERS = ("x-slack-no-retry",)
FORBIDDEN = 403

# Posts a webhook body to the Rasa servers in the order given by the conversation's key.
Relay = Callable[[str, str, bytes, Mapping[str, str]], Awaitable[httpx.Response]]


def slack_is_signed(signing_secret: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """Slack's v0 signature over the raw body, within Slack's five minutes (slack_sdk)."""
    return SignatureVerifier(signing_secret).is_valid_request(body, dict(headers))


def twilio_is_signed(auth_token: str, url: str, body: bytes, signature: str) -> bool:
    """Twilio's signature over the public URL and the form fields (twilio's validator)."""
    if not signature:
        return False
    params = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return RequestValidator(auth_token).validate(url, params, signature)


def slack_sender(body: bytes) -> str:
    """Whose Slack conversation it is (an event's user, or the user who pressed a button),
    so each keeps to one Rasa server; empty if the body does not say."""
    text = body.decode("utf-8", "replace")
    try:
        if text.lstrip().startswith("{"):
            return str((json.loads(text).get("event") or {}).get("user") or "")
        payload = dict(parse_qsl(text)).get("payload") or "{}"
        return str((json.loads(payload).get("user") or {}).get("id") or "")
    except (ValueError, AttributeError):
        return ""


def twilio_sender(body: bytes) -> str:
    return dict(parse_qsl(body.decode("utf-8", "replace"))).get("From", "")


def passed_headers(request: Request) -> dict[str, str]:
    return {name: request.headers[name] for name in PASSED_HEADERS if name in request.headers}


def channel_router(settings: Settings, relay: Relay) -> APIRouter:
    """The routes of the channels whose secrets are set (the others answer 404)."""
    router = APIRouter()

    async def pass_on(path: str, key: str, request: Request, body: bytes) -> Response:
        try:
            answered = await relay(path, key, body, passed_headers(request))
        except httpx.HTTPError as exc:
            # 503: Slack and Twilio try again later, so the message is not lost.
            log.warning("channel webhook not delivered to rasa: %s", type(exc).__name__)
            return Response(status_code=503)
        return Response(
            answered.content,
            status_code=answered.status_code,
            media_type=answered.headers.get("content-type"),
            headers={k: answered.headers[k] for k in RETURNED_HEADERS if k in answered.headers},
        )

    if settings.slack_bot_token and settings.slack_signing_secret:

        @router.post(SLACK_PATH, include_in_schema=False)
        async def slack_webhook(request: Request) -> Response:
            body = await request.body()
            if not slack_is_signed(settings.slack_signing_secret, body, request.headers):
                log.warning("slack: refused a request without a valid signature")
                return Response("forbidden", status_code=FORBIDDEN)
            return await pass_on(SLACK_PATH, slack_sender(body), request, body)

    if settings.twilio_account_sid and settings.twilio_auth_token:

        @router.post(TWILIO_PATH, include_in_schema=False)
        async def twilio_webhook(request: Request) -> Response:
            body = await request.body()
            url = settings.twilio_webhook_url or str(request.url)
            signature = request.headers.get("x-twilio-signature", "")
            if not twilio_is_signed(settings.twilio_auth_token, url, body, signature):
                log.warning("twilio: refused a request without a valid X-Twilio-Signature")
                return Response("forbidden", status_code=FORBIDDEN)
            return await pass_on(TWILIO_PATH, twilio_sender(body), request, body)

    return router
