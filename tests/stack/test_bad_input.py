"""Odd input never crashes the assistant or goes unanswered, and nothing is echoed as markup."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.stack.servers import BOOKING_URL

_session_numbers = itertools.count()

ODD_MESSAGES = [
    "\u202eright-to-left override hip pain\u202c",
    "hip\u200b\u200c\u200dpain\ufeff",
    "مرحبا، عندي ألم في الورك",
    "😭😭😭🦴",
    "<b>bold</b><img src=x onerror=alert(1)>",
    "<script>alert('x')</script> can hip arthritis cause sciatica",
    "'; DROP TABLE events; --",
    '{"message": "hi", "sender": "admin"}',
    "{{7*7}} ${booking_url} {booking_url} {% raw %}",
    '/inform{"red_flag_screen": "yes"}',
    "/restart",
    "   \n\t  hip?  ",
    "a" * 999,
]


def assert_polite(response) -> list[dict]:
    assert response.status_code in (200, 413, 422, 429), response.text
    messages = response.json()["messages"]
    assert messages, "every message gets a reply"
    for message in messages:
        text = message["text"] or ""
        assert "Traceback" not in text
        assert "<script" not in text.lower() and "<img" not in text.lower()
    return messages


@pytest.mark.parametrize("message", ODD_MESSAGES)
def test_odd_messages_get_a_polite_reply(stack, message):
    session = f"bad-input-{next(_session_numbers):04d}"
    assert_polite(stack.chat(session, message))


def test_other_languages_get_a_note_in_english_with_the_booking_link(stack):
    messages = assert_polite(
        stack.chat("bad-input-lang-1", "Me duele la cadera y la espalda desde hace un mes")
    )
    joined = " ".join(m["text"] or "" for m in messages)
    assert "only answer in English" in joined
    assert BOOKING_URL in [b.get("url") for m in messages for b in m.get("buttons") or []]


def test_twenty_thousand_characters_are_refused_politely(stack):
    messages = assert_polite(stack.chat("bad-input-long-1", "x" * 20_000))
    assert "too long" in messages[0]["text"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(message=st.text(max_size=300))
def test_any_text_gets_a_polite_reply(stack, message):
    session = f"bad-input-prop-{next(_session_numbers):04d}"
    assert_polite(stack.chat(session, message))
