"""Only the front door is public: a stranger can neither read nor write a visitor's
conversation, send on a channel's behalf, flood the front door's memory, nor continue a
conversation whose id it guessed."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from bot.runtime.processes import Supervisor, free_port
from bot.runtime.settings import Settings
from bot.runtime.stack import FRONT_DOOR, child_environment, front_door_command
from tests.stack.servers import bot_command

STRANGER_ORIGIN = "https://evil.example"
PHISHING = "Your booking failed, pay again at http://evil.example/pay"
WHATSAPP_CONVERSATION = "whatsapp:+447700900123"
OVERSIZED_BYTES = 300 * 1024 * 1024
PER_CLIENT_LIMIT = 3


def rasa(stack, method: str, path: str, **kwargs) -> httpx.Response:
    """A request to Rasa's HTTP API as a stranger makes it: no token."""
    return httpx.request(method, f"{stack.rasa_url}{path}", timeout=30, **kwargs)


@pytest.fixture(scope="module")
def visitor(stack) -> str:
    """A widget visitor who has told the assistant something private."""
    stack.chat("public-door-visitor", "my hip hurts when I walk, and I'm 67")
    return stack.conversation("public-door-visitor")


def test_a_stranger_cannot_read_a_visitors_conversation(stack, visitor):
    for conversation in (visitor, WHATSAPP_CONVERSATION, "U2147483697"):
        assert rasa(stack, "GET", f"/conversations/{conversation}/tracker").status_code == 401
    wrong = {"token": "guessed"}
    assert rasa(stack, "GET", f"/conversations/{visitor}/tracker", params=wrong).status_code == 401
    assert httpx.get(f"{stack.web_url}/conversations/{visitor}/tracker").status_code == 404
    # What the token holders (the front door, staff tools) still read:
    assert "my hip hurts" in str(stack.tracker(visitor)["events"])


def test_a_stranger_cannot_write_into_a_conversation_or_drive_rasa(stack, visitor):
    fake = {"event": "bot", "text": PHISHING}
    assert (
        rasa(stack, "POST", f"/conversations/{visitor}/tracker/events", json=fake).status_code
        == 401
    )
    assert rasa(stack, "PUT", "/model", json={"model_file": "/tmp/x.tar.gz"}).status_code == 401
    assert rasa(stack, "POST", "/model/parse", json={"text": "hi"}).status_code == 401
    for path in ("/status", "/domain"):
        assert rasa(stack, "GET", path).status_code == 401
    assert PHISHING not in str(stack.tracker(visitor)["events"])


def test_no_process_lets_another_website_call_it(stack):
    asked = {"Origin": STRANGER_ORIGIN}
    preflight = {**asked, "Access-Control-Request-Method": "POST"}
    for url in (f"{stack.rasa_url}/webhooks/rest/webhook", f"{stack.web_url}/api/chat"):
        answer = httpx.options(url, headers=preflight, timeout=30)
        assert "access-control-allow-origin" not in answer.headers, url
    chat = httpx.post(f"{stack.web_url}/api/chat", json={"message": "hi"}, headers=asked)
    assert "access-control-allow-origin" not in chat.headers


def test_a_session_id_the_front_door_did_not_issue_is_refused(stack):
    issued = stack.chat("public-door-owner", "what is a hip hinge?").json()["session_id"]
    tampered = issued[:-1] + ("A" if issued[-1] != "A" else "B")
    made_up = "web-0123456789abcdef01234567"
    for session_id in (made_up, tampered, stack.conversation("public-door-owner")):
        refused = httpx.post(
            f"{stack.web_url}/api/chat",
            json={"session_id": session_id, "message": "what did I ask you?"},
            timeout=30,
        )
        assert refused.status_code == 403
        assert refused.json()["session_refused"] is True
        assert "started a new one" in refused.json()["messages"][0]["text"]
    rating = {"session_id": made_up, "passage": "hip-arthritis-back-pain#3", "rating": "down"}
    assert httpx.post(f"{stack.web_url}/api/feedback", json=rating).status_code == 403
    # The owner's conversation was not touched by any of it.
    asked = [
        e["text"]
        for e in stack.tracker(stack.conversation("public-door-owner"))["events"]
        if e["event"] == "user"
    ]
    assert asked == ["what is a hip hinge?"]


def test_a_first_message_is_issued_a_session_that_carries_the_conversation(stack):
    first = stack.chat("public-door-triage", "can you check my symptoms")
    assert first.status_code == 200
    session_id = first.json()["session_id"]
    assert session_id.startswith(stack.conversation("public-door-triage") + ".")
    second = stack.chat("public-door-triage", "Groin or front of the thigh")
    assert second.json()["session_id"] == session_id
    assert "What makes it worse?" in " ".join(m["text"] or "" for m in second.json()["messages"])


def test_staff_forget_a_widget_conversation_by_the_id_in_the_browser(stack):
    stack.chat("public-door-forget", "my lower back is stiff in the mornings")
    session_id = stack.widget.issued["public-door-forget"]
    output = bot_command(stack.running, "forget", session_id)
    assert int(output.split()[1]) > 0, output
    events = stack.tracker(stack.conversation("public-door-forget"))["events"]
    assert not [e for e in events if e["event"] == "user"]


def _raw_request(stack, head: str, body: bytes) -> bytes:
    """Sends a request's head and the start of its body, then reads what comes back."""
    with socket.create_connection(("127.0.0.1", stack.settings.web_port), timeout=30) as conn:
        conn.sendall(head.encode() + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


def test_an_oversized_body_is_refused_before_it_is_read(stack):
    head = (
        "POST /api/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        f"Content-Length: {OVERSIZED_BYTES}\r\n\r\n"
    )
    # 300 MB announced, 16 bytes sent: an answer now means the body was never waited for.
    answer = _raw_request(stack, head, b'{"message": "hi')
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_an_oversized_body_without_a_length_is_cut_off_at_the_cap(stack):
    cap = stack.settings.max_request_bytes
    chunk = b"x" * 8192
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(cap // len(chunk) + 4))
    head = (
        "POST /webhooks/slack/webhook HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    answer = _raw_request(stack, head, body)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


@contextmanager
def front_door_alone(trusted_proxies: str) -> Iterator[str]:
    """A front door by itself, allowing 3 messages a minute per client address (its Rasa
    is not running: the limit answers before any relay)."""
    settings = Settings(
        web_port=free_port(),
        rasa_url=f"http://127.0.0.1:{free_port()}",
        rasa_api_token="unused",
        ip_messages_per_minute=PER_CLIENT_LIMIT,
        session_messages_per_minute=1000,
        trusted_proxies=trusted_proxies,
    )
    supervisor = Supervisor()
    try:
        supervisor.start(FRONT_DOOR, front_door_command(settings), child_environment(settings))
        url = f"http://127.0.0.1:{settings.web_port}"
        supervisor.wait_until_healthy(FRONT_DOOR, f"{url}/healthz")
        yield url
    finally:
        supervisor.stop()


def _statuses(url: str, forwarded_for: list[str]) -> list[int]:
    return [
        httpx.post(
            f"{url}/api/chat", json={"message": "hi"}, headers={"X-Forwarded-For": ip}, timeout=30
        ).status_code
        for ip in forwarded_for
    ]


def test_a_client_cannot_escape_its_rate_limit_with_a_made_up_forwarded_for():
    made_up = [f"203.0.113.{n}" for n in range(PER_CLIENT_LIMIT + 2)]
    with front_door_alone(trusted_proxies="") as url:
        assert 429 in _statuses(url, made_up)
    # Behind a trusted proxy (here: loopback), each visitor the proxy names has a limit.
    with front_door_alone(trusted_proxies="127.0.0.1") as url:
        assert 429 not in _statuses(url, made_up)
        assert _statuses(url, ["198.51.100.7"] * (PER_CLIENT_LIMIT + 1))[-1] == 429
