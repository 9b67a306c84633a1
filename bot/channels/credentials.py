"""Which channels Rasa opens: each is on only when its secrets are set, with one log line
saying whether it is on."""

from __future__ import annotations

import logging
from typing import Any

from bot.runtime.settings import Settings

log = logging.getLogger(__name__)

SLACK_CONNECTOR = "bot.channels.slack.GuardedSlackInput"
WHATSAPP_CONNECTOR = "bot.channels.whatsapp.SignedTwilioInput"


def credentials_for(base: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The channels Rasa should open: the base file plus each channel whose secrets are set."""
    channels = dict(base)
    if settings.slack_bot_token and settings.slack_signing_secret:
        channels[SLACK_CONNECTOR] = {
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
        channels[WHATSAPP_CONNECTOR] = {
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
