"""Slack and WhatsApp (Twilio), exercised with their real request formats and signatures."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

import httpx
from twilio.request_validator import RequestValidator

from tests.stack.servers import (
    BOOKING_URL,
    SLACK_SIGNING_SECRET,
    TWILIO_AUTH_TOKEN,
    TWILIO_NUMBER,
)


def slack_event(text: str, event_id: str) -> dict:
    """An Events API `message` callback, as in Slack's documentation."""
    return {
        "token": "verification-token",
        "team_id": "T061EG9R6",
        "api_app_id": "A0PNCHHK2",
        "event": {
            "type": "message",
            "channel": "D024BE91L",
            "user": "U2147483697",
            "text": text,
            "ts": "1355517523.000005",
            "event_ts": "1355517523.000005",
            "channel_type": "im",
        },
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1355517523,
        "authed_users": ["U061F7AUR"],
    }


def slack_button_press(value: str) -> str:
    """An interactive callback (a block button pressed), form-encoded as Slack sends it."""
    payload = {
        "type": "block_actions",
        "user": {"id": "U2147483697"},
        "channel": {"id": "D024BE91L"},
        "message": {"ts": "1355517524.000001"},
        "actions": [{"type": "button", "value": value, "action_ts": "1355517525.000001"}],
    }
    return urlencode({"payload": json.dumps(payload)})


def slack_post(
    stack,
    payload: dict | str,
    secret: str = SLACK_SIGNING_SECRET,
    retry: int | None = None,
    reason: str = "http_timeout",
):
    form = isinstance(payload, str)
    body = payload if form else json.dumps(payload)
    timestamp = str(int(time.time()))
    digest = hmac.new(
        secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256
    ).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded" if form else "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest}",
    }
    if retry is not None:
        headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": reason})
    return httpx.post(
        f"{stack.web_url}/webhooks/slack/webhook",
        content=body,
        headers=headers,
        timeout=60,
    )


MARKER_QUESTION = "can hip arthritis cause sciatica?"


def after_the_next_answer(stack, api_path: str, before: int) -> list[str]:
    """What was sent after ``before``, once a marker question sent now has been answered.

    A channel answers one sender's messages in order, so anything an earlier request set
    off has been sent by the time the marker's answer arrives: no fixed sleep needed.
    """
    if api_path == "Messages.json":
        form = whatsapp_form(MARKER_QUESTION)
        url = f"{stack.web_url}/webhooks/twilio/webhook"
        twilio_post(stack, form, RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(url, form))
    else:
        slack_post(stack, slack_event(MARKER_QUESTION, f"Ev-marker-{before}"))

    def marker_answered() -> bool:
        return any("mimic sciatica" in text for text in stack.api.texts_to(api_path)[before:])

    assert stack.api.wait_for(marker_answered)
    return stack.api.texts_to(api_path)[before:]


def test_signed_slack_message_is_answered(stack):
    before = len(stack.api.texts_to("chat.postMessage"))
    response = slack_post(stack, slack_event("can hip arthritis cause sciatica?", "Ev0001"))
    assert response.status_code == 200
    assert stack.api.wait_for(lambda: len(stack.api.texts_to("chat.postMessage")) > before)
    sent = " ".join(stack.api.texts_to("chat.postMessage")[before:])
    assert "It can mimic sciatica" in sent
    assert stack.api.wait_for(
        lambda: BOOKING_URL in " ".join(stack.api.texts_to("chat.postMessage")[before:])
    )


def slack_buttons_sent(stack, before: int) -> list[dict]:
    buttons = []
    for path, body in stack.api.calls[before:]:
        blocks = body.get("blocks") or []
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        if "chat.postMessage" in path:
            for block in blocks:
                buttons += [e for e in block.get("elements") or [] if e.get("type") == "button"]
    return buttons


def test_a_slack_answer_can_be_rated_with_its_buttons(stack):
    before = len(stack.api.calls)
    slack_post(stack, slack_event("what is a hip hinge?", "Ev0010"))
    assert stack.api.wait_for(
        lambda: any(b["text"]["text"] == "👎 No" for b in slack_buttons_sent(stack, before))
    )
    thumbs_down = next(b for b in slack_buttons_sent(stack, before) if "👎" in b["text"]["text"])
    pressed = len(stack.api.calls)
    assert slack_post(stack, slack_button_press(thumbs_down["value"])).status_code == 200
    assert stack.api.wait_for(
        lambda: "Thanks for telling us." in stack.api.texts_to("chat.postMessage")[pressed:]
    )
    ratings = [
        e["value"]
        for e in stack.tracker("U2147483697")["events"]
        if e["event"] == "slot" and e["name"] == "answer_feedback"
    ]
    assert ratings[-1]["rating"] == "down"


def test_badly_signed_slack_request_is_refused(stack):
    before = len(stack.api.texts_to("chat.postMessage"))
    response = slack_post(stack, slack_event("hello", "Ev0002"), secret="wrong-secret")
    assert response.status_code == 403
    sent = after_the_next_answer(stack, "chat.postMessage", before)
    assert not any("Hi!" in text for text in sent), sent


def test_slack_retry_does_not_answer_twice(stack):
    # Counted from here: an earlier test may have asked the same question on Slack.
    before = len(stack.api.texts_to("chat.postMessage"))
    payload = slack_event("what is a hip hinge?", "Ev0003")
    slack_post(stack, payload)

    def new_answer() -> str | None:
        sent = stack.api.texts_to("chat.postMessage")[before:]
        return next((text for text in sent if "hip hinge" in text), None)

    assert stack.api.wait_for(lambda: new_answer() is not None)
    answer = new_answer()
    retry = slack_post(stack, payload, retry=1)
    assert retry.status_code == 201
    assert retry.headers.get("X-Slack-No-Retry") == "1"
    sent = after_the_next_answer(stack, "chat.postMessage", before)
    assert sent.count(answer) == 1, sent


def twilio_post(stack, form: dict, signature: str | None):
    url = f"{stack.web_url}/webhooks/twilio/webhook"
    headers = {"X-Twilio-Signature": signature} if signature is not None else {}
    return httpx.post(url, data=form, headers=headers, timeout=60), url


def whatsapp_form(text: str) -> dict:
    return {
        "SmsMessageSid": "SM" + "a" * 32,
        "NumMedia": "0",
        "ProfileName": "Pat",
        "SmsSid": "SM" + "a" * 32,
        "WaId": "447700900123",
        "SmsStatus": "received",
        "Body": text,
        "To": TWILIO_NUMBER,
        "NumSegments": "1",
        "MessageSid": "SM" + "a" * 32,
        "AccountSid": "AC" + "1" * 32,
        "From": "whatsapp:+447700900123",
        "ApiVersion": "2010-04-01",
    }


def test_signed_whatsapp_message_is_answered_in_plain_text(stack):
    form = whatsapp_form("can hip arthritis cause sciatica?")
    url = f"{stack.web_url}/webhooks/twilio/webhook"
    signature = RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(url, form)
    before = len(stack.api.texts_to("Messages.json"))
    response, _ = twilio_post(stack, form, signature)
    assert response.status_code in (200, 204)
    assert stack.api.wait_for(lambda: len(stack.api.texts_to("Messages.json")) >= before + 2)
    sent = stack.api.texts_to("Messages.json")[before:]
    assert any("It can mimic sciatica" in t for t in sent)
    assert any("https://clinic.test/book-now" in t for t in sent)
    assert all("payload" not in t for t in sent)


def test_unsigned_or_forged_whatsapp_requests_are_refused(stack):
    before = len(stack.api.texts_to("Messages.json"))
    unsigned, _ = twilio_post(stack, whatsapp_form("hello"), None)
    forged, _ = twilio_post(stack, whatsapp_form("hello"), "bm90IGEgcmVhbCBzaWduYXR1cmU=")
    assert unsigned.status_code == 403
    assert forged.status_code == 403
    sent = after_the_next_answer(stack, "Messages.json", before)
    assert not any("Hi!" in text for text in sent), sent


def test_slack_retry_after_a_failed_delivery_is_answered(stack):
    """Slack retries after an error on our side too: that message must not be lost."""
    before = len(stack.api.texts_to("chat.postMessage"))
    slack_post(stack, slack_event("what is a hip hinge?", "Ev0004"), retry=1, reason="http_error")
    assert stack.api.wait_for(lambda: len(stack.api.texts_to("chat.postMessage")) > before)
