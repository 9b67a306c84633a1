"""The web front door: limits at the edge, neutralised commands, readiness, staff search."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.channels.visitor_text import clean_visitor_text
from bot.runtime.processes import free_port
from bot.runtime.settings import Settings
from bot.web.app import FrontDoor, create_app
from bot.web.rate_limit import SlidingWindowLimiter
from tests.stack.servers import BOOKING_OFFER, BOOKING_URL, STAFF_TOKEN


def tracker_text(stack, visitor: str) -> str:
    """The text Rasa received last from this widget visitor."""
    events = stack.tracker(stack.conversation(visitor))["events"]
    return [e["text"] for e in events if e["event"] == "user"][-1]


def test_demo_page_and_widget_are_served(stack):
    page = httpx.get(f"{stack.web_url}/")
    assert page.status_code == 200
    assert '<script src="/widget.js"' in page.text
    assert (
        httpx.get(f"{stack.web_url}/widget.js")
        .headers["content-type"]
        .startswith("application/javascript")
    )


def test_chat_relays_to_rasa_with_buttons_and_links(stack):
    reply = stack.chat("front-door-faq-1", "can hip arthritis cause sciatica?")
    assert reply.status_code == 200
    messages = reply.json()["messages"]
    assert "It can mimic sciatica" in " ".join(m["text"] or "" for m in messages)
    assert {"title": BOOKING_OFFER, "url": BOOKING_URL} in messages[-1]["buttons"]


def test_too_long_message_gets_a_polite_reply(stack):
    reply = stack.chat("front-door-long-1", "hip " * 6000)
    assert reply.status_code == 413
    assert "too long" in reply.json()["messages"][0]["text"]


@pytest.mark.parametrize("message", ["", "   ", "\x00\u200b\u202e"])
def test_empty_or_invisible_message_gets_a_polite_prompt(stack, message):
    reply = stack.chat("front-door-empty-1", message)
    assert reply.status_code == 200
    assert "What would you like to know" in reply.json()["messages"][0]["text"]


def test_slash_commands_cannot_set_slots_or_trigger_intents(stack):
    sender = "front-door-slash-1"
    stack.chat(sender, '/inform{"red_flag_screen": "yes"}')
    assert not tracker_text(stack, sender).startswith("/")


def test_a_quick_reply_the_assistant_offered_is_sent_as_it_is_and_reads_its_passage(stack):
    sender = "front-door-button-1"
    first = stack.chat(sender, "what exercises can I do for my hips and back?").json()["messages"]
    offered = [b for m in first for b in m["buttons"] if b.get("payload", "").startswith("/")]
    assert offered, first
    replies = stack.chat(sender, offered[0]["payload"]).json()["messages"]
    assert tracker_text(stack, sender) == offered[0]["payload"]
    assert f"section *{offered[0]['title']}*" in " ".join(m["text"] or "" for m in replies)


def test_the_same_payload_typed_without_being_offered_is_neutralised(stack):
    sender = "front-door-button-2"
    stack.chat(sender, '/read_passage{"passage": "hip-arthritis-back-pain#23"}')
    assert not tracker_text(stack, sender).startswith("/")


def test_control_characters_are_stripped():
    assert clean_visitor_text("hip\x00 pain\u200b\u202e?") == "hip pain?"
    assert clean_visitor_text("  //greet") == "greet"


def test_each_conversation_keeps_to_one_rasa_server_and_conversations_spread():
    door = FrontDoor(Settings(rasa_url="http://rasa-a:5005,http://rasa-b:5005"))
    sessions = [f"visitor-{n:04d}" for n in range(200)]
    homes = [door.rasa_for(s)[0] for s in sessions]
    assert homes == [door.rasa_for(s)[0] for s in sessions]  # stable, message after message
    assert all(sorted(door.rasa_for(s)) == sorted(door.settings.rasa_urls) for s in sessions)
    assert 60 <= homes.count("http://rasa-a:5005") <= 140


def test_unreachable_rasa_server_is_skipped_without_losing_the_message(stack):
    closed = f"http://127.0.0.1:{free_port()}"
    settings = stack.settings.copy(update={"rasa_url": f"{closed},{stack.settings.rasa_url}"})
    with TestClient(create_app(settings)) as client:
        for n in range(4):  # whichever server each conversation calls home
            reply = client.post("/api/chat", json={"message": f"hi {n}"})
            assert reply.status_code == 200
            assert "can't answer right now" not in reply.json()["messages"][0]["text"]


def test_rate_limit_per_session():
    limiter = SlidingWindowLimiter(limit=3, window_seconds=60)
    assert [limiter.allow("s", now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limiter.allow("s", now=61)
    assert limiter.allow("other", now=3)


def test_rate_limited_visitor_gets_a_polite_429(stack):
    replies = [stack.chat("front-door-flood-1", "hi").status_code for _ in range(62)]
    assert 429 in replies
    flooded = stack.chat("front-door-flood-1", "hi")
    assert "faster than I can answer" in flooded.json()["messages"][0]["text"]


def test_staff_search_needs_the_token_and_is_not_on_the_front_door(stack):
    assert httpx.get(f"{stack.web_url}/api/knowledge/search", params={"q": "x"}).status_code == 404
    url = f"{stack.running.staff_url}/api/knowledge/search"
    assert httpx.get(url, params={"q": "hip hinge"}).status_code == 401
    found = httpx.get(
        url, params={"q": "how much ibuprofen"}, headers={"X-Staff-Token": STAFF_TOKEN}, timeout=60
    )
    assert found.status_code == 200
    assert found.json()["answerable"] is False
    assert len(found.json()["results"]) == 3


def test_action_server_down_gives_a_polite_answer_and_recovers(stack):
    ready = httpx.get(f"{stack.web_url}/readyz", timeout=10)
    assert ready.status_code == 200
    stack.stop_action_server()
    try:
        down = httpx.get(f"{stack.web_url}/readyz", timeout=10)
        assert down.status_code == 503
        assert down.json()["not_ready"] == ["action server"]
        reply = stack.chat("front-door-down-1", "can hip arthritis cause sciatica?")
        assert reply.status_code == 200
        text = reply.json()["messages"][0]["text"]
        assert "can't answer right now" in text
        assert BOOKING_URL in text
    finally:
        stack.restart_action_server()
    assert httpx.get(f"{stack.web_url}/readyz", timeout=10).status_code == 200
    again = stack.chat("front-door-down-2", "can hip arthritis cause sciatica?")
    assert "It can mimic sciatica" in " ".join(m["text"] or "" for m in again.json()["messages"])


def test_rasa_down_gives_a_clear_503_and_recovers(stack):
    stack.stop_rasa()
    try:
        down = stack.chat("front-door-rasa-down-1", "what is a hip hinge?")
        assert down.status_code == 503
        assert "can't answer right now" in down.json()["messages"][0]["text"]
        assert httpx.get(f"{stack.web_url}/readyz", timeout=10).json()["not_ready"] == ["rasa"]
    finally:
        stack.restart_rasa()
    again = stack.chat("front-door-rasa-down-2", "what is a hip hinge?")
    assert again.status_code == 200
    assert "hinge" in " ".join(m["text"] or "" for m in again.json()["messages"]).lower()
