"""The body limit answers 413 before the app reads more than the cap."""

from __future__ import annotations

import asyncio

from bot.web.body_limit import BodySizeLimit

CAP = 1000


def run(headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> tuple[list[dict], int]:
    """The messages sent back, and how many body bytes the app itself read."""
    read = 0

    async def app(scope, receive, send):
        nonlocal read
        while True:
            message = await receive()
            read += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    pending = [
        {"type": "http.request", "body": c, "more_body": n < len(chunks) - 1}
        for n, c in enumerate(chunks)
    ]
    sent: list[dict] = []

    async def receive():
        return pending.pop(0)

    async def send(message):
        sent.append(message)

    limited = BodySizeLimit(app, CAP, {"messages": []})
    scope = {"type": "http", "headers": headers}
    asyncio.run(limited(scope, receive, send))
    return sent, read


def test_an_announced_oversized_body_is_refused_unread():
    sent, read = run([(b"content-length", b"300000000")], [b"x" * 10])
    assert sent[0]["status"] == 413 and read == 0


def test_a_streamed_body_is_cut_off_at_the_cap():
    sent, read = run([], [b"x" * 600] * 5)
    assert [m["status"] for m in sent if "status" in m] == [413]
    assert read <= CAP


def test_a_body_within_the_cap_reaches_the_app():
    sent, read = run([(b"content-length", b"900")], [b"x" * 900])
    assert sent[0]["status"] == 200 and read == 900
