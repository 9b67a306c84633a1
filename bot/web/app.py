"""The web front door (FastAPI): the demo page, the widget, a guarded chat relay and the
Slack and WhatsApp webhooks.

It is the only process exposed to the internet. Rasa (its HTTP API behind a token), the
action server and the staff service stay on loopback or a private network; everything a
visitor sends passes the limits here first: body size before the body is read, then the
session's signature, then the rate limits.
"""

from __future__ import annotations

import asyncio
import json
import logging
import zlib
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from bot.channels.visitor_text import clean_visitor_text
from bot.runtime.settings import Settings, get_settings
from bot.staff.feedback import feedback_event, is_rating, passages_answered
from bot.web.body_limit import BodySizeLimit
from bot.web.channel_webhooks import channel_router
from bot.web.rate_limit import SlidingWindowLimiter
from bot.web.sessions import MAX_SESSION_ID_CHARS, SessionSigner, session_secret
from bot.wording import load_responses, phrase, response

log = logging.getLogger("bot.web")
STATIC = Path(__file__).parent / "static"
ONE_MINUTE = 60.0
IDLE_CONNECTION_SECONDS = 2.0
WIDGET_WORDING_PLACEHOLDER = "/*WIDGET_WORDING*/null"


class ChatRequest(BaseModel):
    # None on a visitor's first message: the reply carries the session id issued for it.
    session_id: str | None = Field(None, max_length=MAX_SESSION_ID_CHARS)
    message: str = Field(..., max_length=100_000)


class FeedbackRequest(BaseModel):
    session_id: str = Field(..., max_length=MAX_SESSION_ID_CHARS)
    passage: str = Field(..., max_length=200)
    rating: str = Field(..., max_length=8)


def _reply(status: int, *texts: str, buttons: list[dict] | None = None) -> JSONResponse:
    messages: list[dict[str, Any]] = [{"text": t, "buttons": []} for t in texts]
    if buttons and messages:
        messages[-1]["buttons"] = buttons
    return JSONResponse({"messages": messages}, status_code=status)


class FrontDoor:
    """State shared by the routes: settings, HTTP client, limiters, wording."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = httpx.AsyncClient(
            timeout=settings.rasa_timeout_seconds,
            # Rasa and the action server (Sanic) close idle connections after 5 s, httpx
            # by default after 5 s too: a request sent on a connection the server is just
            # closing fails. Dropping idle connections sooner on this side avoids that race.
            limits=httpx.Limits(keepalive_expiry=IDLE_CONNECTION_SECONDS),
        )
        self.responses = load_responses()
        self.sessions = SessionSigner(session_secret(settings))
        # Rasa's HTTP API answers only with its token (Rasa's --auth-token).
        self.api_params = {"token": settings.rasa_api_token} if settings.rasa_api_token else {}
        self.per_session = SlidingWindowLimiter(settings.session_messages_per_minute, ONE_MINUTE)
        self.per_ip = SlidingWindowLimiter(settings.ip_messages_per_minute, ONE_MINUTE)

    def rasa_for(self, session_id: str) -> list[str]:
        """The Rasa servers to try for a conversation: its own first, then the others.

        A conversation stays on one server, so the server's own lock keeps two messages of
        one visitor in order even without a shared lock store (the embedded default: two
        servers on one SQLite file). If that server is down, the next one takes over; all
        of them read the conversation from the shared tracker store.
        """
        urls = self.settings.rasa_urls
        home = zlib.crc32(session_id.encode()) % len(urls)
        return urls[home:] + urls[:home]

    def say(self, name: str, **values: object) -> str:
        return phrase(self.responses, name, **values)

    def booking_button(self) -> list[dict]:
        """The closing's own booking button (domain.yml, utter_closing)."""
        return [{"title": self.settings.booking_offer, "url": self.settings.booking_url}]

    def unavailable(self, status: int, reason: str) -> JSONResponse:
        return _reply(
            status,
            self.say(
                "utter_front_door_unavailable",
                reason=self.say(reason),
                booking_url=self.settings.booking_url,
            ),
            buttons=self.booking_button(),
        )

    def prompt_with_closing(self) -> JSONResponse:
        """The reply to an empty message: what the visitor can ask, and the closing."""
        closing = self.say(
            "utter_closing",
            booking_url=self.settings.booking_url,
            booking_offer=self.settings.booking_offer,
        )
        return _reply(200, self.say("utter_how_can_i_help"), closing, buttons=self.booking_button())

    def widget_script(self) -> str:
        """widget.js with its wording (domain.yml, utter_widget_*) filled in."""
        welcome = response(self.responses, "utter_widget_welcome")
        wording = {
            "welcome": {"text": welcome.get("text", ""), "buttons": welcome.get("buttons", [])},
            "unreachable": self.say("utter_widget_unreachable"),
            "noReply": self.say("utter_widget_no_reply"),
            "labels": response(self.responses, "utter_widget_labels").get("custom", {}),
        }
        script = (STATIC / "widget.js").read_text(encoding="utf-8")
        return script.replace(WIDGET_WORDING_PLACEHOLDER, json.dumps(wording, ensure_ascii=False))

    async def prepare(self, session_id: str, message: str) -> str:
        """What is sent on to Rasa: the visitor's text cleaned, or, for a button the
        assistant offered in its last reply, the button's payload as it is."""
        if message.lstrip().startswith("/") and message in await self.offered(session_id):
            return message
        return clean_visitor_text(message)

    async def events(self, session_id: str) -> list[dict] | None:
        """The conversation's events, read through Rasa's HTTP API (so any front door
        process sees the same), or None if no Rasa server answers."""
        for url in self.rasa_for(session_id):
            try:
                tracker = await self.client.get(
                    f"{url}/conversations/{session_id}/tracker", params=self.api_params
                )
                tracker.raise_for_status()
                return tracker.json().get("events") or []
            except (httpx.HTTPError, ValueError):
                continue
        return None

    async def offered(self, session_id: str) -> set[str]:
        """The payloads of the buttons in every message of the assistant's last reply (a
        reply can be several messages: an answer's quick replies come before its closing)."""
        payloads: set[str] = set()
        for event in reversed(await self.events(session_id) or []):
            if event.get("event") == "user":
                break
            if event.get("event") == "bot":
                buttons = (event.get("data") or {}).get("buttons") or []
                payloads.update(b["payload"] for b in buttons if b.get("payload"))
        return payloads

    async def record_feedback(self, session_id: str, passage: str, rating: str) -> int:
        """Appends the rating to the conversation if the passage is one it was given; the
        HTTP status says how it went (the widget does not trouble the visitor with it)."""
        events = await self.events(session_id)
        if events is None:
            return 503
        if passage not in passages_answered(events):
            return 404
        for url in self.rasa_for(session_id):
            try:
                appended = await self.client.post(
                    f"{url}/conversations/{session_id}/tracker/events",
                    json=feedback_event(passage, rating),
                    params=self.api_params,
                )
                appended.raise_for_status()
                return 200
            except httpx.ConnectError:
                continue
            except httpx.HTTPError as exc:
                log.warning("rating not recorded: %s", type(exc).__name__)
                return 503
        return 503


def _to_widget_messages(rasa_messages: list[dict]) -> list[dict]:
    """Rasa's REST messages as the widget draws them; an answer's rating marker (a custom
    message of its own on the REST channel) goes on the answer it follows."""
    out: list[dict[str, Any]] = []
    for message in rasa_messages:
        rated = (message.get("custom") or {}).get("feedback_for")
        if rated and out:
            out[-1]["feedback"] = str(rated)
        buttons = []
        for button in message.get("buttons") or []:
            if button.get("url"):
                buttons.append({"title": button.get("title", ""), "url": button["url"]})
            elif button.get("payload"):
                buttons.append({"title": button.get("title", ""), "payload": button["payload"]})
        if message.get("text") or buttons:
            out.append({"text": message.get("text"), "buttons": buttons})
    return out


async def _relay(door: FrontDoor, session_id: str, text: str) -> httpx.Response:
    """Post to the conversation's Rasa server, moving on only if it cannot be reached.

    A refused connection means the message was not delivered, so another server may take
    it; after a timeout it may have been handled, so it is not sent twice.
    """
    servers = door.rasa_for(session_id)
    for url in servers[:-1]:
        try:
            return await _post_to_rasa(door, url, session_id, text)
        except httpx.ConnectError:
            log.warning("rasa at %s unreachable, trying the next one", url)
    return await _post_to_rasa(door, servers[-1], session_id, text)


async def _post_to_rasa(door: FrontDoor, url: str, session_id: str, text: str) -> httpx.Response:
    return await door.client.post(
        f"{url}/webhooks/rest/webhook", json={"sender": session_id, "message": text}
    )


def _relay_webhook(door: FrontDoor):
    """Hands a signed channel webhook to the conversation's Rasa server (another only if
    that one cannot be reached), as the chat relay does."""

    async def relay(path: str, key: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
        servers = door.rasa_for(key)
        for url in servers[:-1]:
            try:
                return await door.client.post(f"{url}{path}", content=body, headers=headers)
            except httpx.ConnectError:
                log.warning("rasa at %s unreachable, trying the next one", url)
        return await door.client.post(f"{servers[-1]}{path}", content=body, headers=headers)

    return relay


def _client_ip(request: Request) -> str:
    """The visitor's address: uvicorn has already taken it from X-Forwarded-For when, and
    only when, the request came through one of TRUSTED_PROXIES."""
    return request.client.host if request.client else "unknown"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The front door's routes (the ASGI app served is ``app``: this, with its body limit)."""
    settings = settings or get_settings()
    door = FrontDoor(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        await door.client.aclose()

    app = FastAPI(title="Hip & Back Assistant", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.door = door
    if settings.origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            allow_credentials=False,
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _reply(422, door.say("utter_front_door_unreadable"))

    @app.get("/", include_in_schema=False)
    async def demo_page() -> FileResponse:
        return FileResponse(STATIC / "demo.html", media_type="text/html")

    widget_script = door.widget_script()

    @app.get("/widget.js", include_in_schema=False)
    async def widget_js() -> Response:
        return Response(widget_script, media_type="application/javascript")

    @app.get("/widget.css", include_in_schema=False)
    async def widget_css() -> FileResponse:
        return FileResponse(STATIC / "widget.css", media_type="text/css")

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        rasa_checks = [
            _check(door, f"{url}/status", "rasa" if n == 0 else f"rasa {n + 1}")
            for n, url in enumerate(settings.rasa_urls)
        ]
        checks = await asyncio.gather(
            *rasa_checks,
            _check(door, f"{settings.action_server_url}/health", "action server"),
        )
        status = {name: ok for name, ok in checks}
        status["knowledge index"] = (settings.knowledge_index_dir / "manifest.json").exists()
        not_ready = [name for name, ok in status.items() if not ok]
        return JSONResponse(
            {"ready": not not_ready, "not_ready": not_ready, "checks": status},
            status_code=503 if not_ready else 200,
        )

    def refused_session() -> JSONResponse:
        """An id this front door did not issue: the widget starts a new conversation."""
        text = door.say("utter_front_door_invalid_session")
        return JSONResponse(
            {"messages": [{"text": text, "buttons": []}], "session_refused": True}, status_code=403
        )

    @app.post("/api/chat")
    async def chat(body: ChatRequest, request: Request) -> JSONResponse:
        session_id = body.session_id or door.sessions.issue()
        conversation = door.sessions.conversation_of(session_id)
        if conversation is None:
            return refused_session()
        if len(body.message) > settings.max_message_chars:
            return _reply(
                413, door.say("utter_front_door_too_long", max_chars=settings.max_message_chars)
            )
        if not door.per_ip.allow(_client_ip(request)) or not door.per_session.allow(conversation):
            return _reply(429, door.say("utter_front_door_rate_limited"))
        reply = await answer(conversation, body.message)
        # The widget keeps the id it was issued: the visitor's key to this conversation.
        with_session = {**json.loads(reply.body), "session_id": session_id}
        return JSONResponse(with_session, status_code=reply.status_code)

    async def answer(conversation: str, message: str) -> JSONResponse:
        text = await door.prepare(conversation, message)
        if not text:
            return door.prompt_with_closing()
        try:
            response = await _relay(door, conversation, text)
            response.raise_for_status()
            messages = _to_widget_messages(response.json())
        except httpx.TimeoutException:
            log.warning("rasa timed out")
            return door.unavailable(504, "utter_front_door_reason_timeout")
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("rasa unavailable: %s", type(exc).__name__)
            return door.unavailable(503, "utter_front_door_reason_down")
        if not messages:
            # Rasa answered nothing: most often the action server is down or slow.
            log.warning("rasa returned no messages (action server down?)")
            return door.unavailable(200, "utter_front_door_reason_no_reply")
        return JSONResponse({"messages": messages})

    @app.post("/api/feedback")
    async def feedback(body: FeedbackRequest, request: Request) -> JSONResponse:
        conversation = door.sessions.conversation_of(body.session_id)
        if conversation is None:
            return JSONResponse({"recorded": False, "detail": "unknown session"}, status_code=403)
        if not is_rating(body.passage, body.rating):
            return JSONResponse({"recorded": False, "detail": "not a rating"}, status_code=422)
        if not door.per_ip.allow(_client_ip(request)) or not door.per_session.allow(conversation):
            return JSONResponse({"recorded": False, "detail": "too many"}, status_code=429)
        status = await door.record_feedback(conversation, body.passage, body.rating)
        return JSONResponse({"recorded": status == 200}, status_code=status)

    app.include_router(channel_router(settings, _relay_webhook(door)))

    return app


def guarded_app(settings: Settings | None = None) -> BodySizeLimit:
    """The front door as served: no request body over MAX_REQUEST_BYTES is ever read."""
    settings = settings or get_settings()
    routes = create_app(settings)
    too_large = routes.state.door.say("utter_front_door_too_large")
    return BodySizeLimit(
        routes, settings.max_request_bytes, {"messages": [{"text": too_large, "buttons": []}]}
    )


async def _check(door: FrontDoor, url: str, name: str) -> tuple[str, bool]:
    try:
        response = await door.client.get(url, timeout=3, params=door.api_params)
        return name, response.status_code == 200
    except httpx.HTTPError:
        return name, False


app = guarded_app()
