"""Request bodies are capped before they are read.

A body announced larger than the cap is refused from its headers alone; a body without a
length (chunked) is counted as it arrives and refused the moment it passes the cap. Either
way the front door never holds more than the cap in memory. Starlette and uvicorn have no
such limit of their own (uvicorn's ``--limit-*`` options cap connections, not bodies).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    """Raised inside the app when a streamed body passes the cap."""


class BodySizeLimit:
    """ASGI middleware: 413 with ``refusal`` as the JSON body for bodies over ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int, refusal: dict[str, Any]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.refusal = json.dumps(refusal).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0
        started = refused = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Refuse here, before the app's error handling answers 500 instead.
                    if not started:
                        refused = True
                        await self._refuse(send)
                    raise BodyTooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 has been sent; the app's own error reply is dropped
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, counted_receive, tracked_send)

    async def _refuse(self, send: Send) -> None:
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(self.refusal)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": self.refusal})
