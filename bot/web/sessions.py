"""Widget conversations that belong to their visitor: session ids the front door issues
and signs, so nobody can continue, read or rate-limit a conversation by guessing its id.

A session id is ``<conversation>.<signature>``. Rasa only ever sees the conversation part,
so an id read from the tracker store (by staff, in a backup) cannot be used in the widget.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot.runtime.settings import PROJECT_ROOT, Settings

CONVERSATION_BYTES = 18  # 144 random bits: 24 characters
SIGNATURE_CHARS = 32  # 192 bits of HMAC-SHA256
SECRET_FILE = PROJECT_ROOT / "var" / "session.key"
SEPARATOR = "."
# Long enough for any id this module issues; checked before any work is done on one.
MAX_SESSION_ID_CHARS = 100


def _urlsafe(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class SessionSigner:
    """Issues session ids and tells which conversation a session id it issued belongs to."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("a session secret is needed to sign session ids")
        self._key = secret.encode()

    def _signature(self, conversation: str) -> str:
        digest = hmac.new(self._key, conversation.encode(), hashlib.sha256).digest()
        return _urlsafe(digest)[:SIGNATURE_CHARS]

    def issue(self) -> str:
        conversation = "web-" + _urlsafe(secrets.token_bytes(CONVERSATION_BYTES))
        return f"{conversation}{SEPARATOR}{self._signature(conversation)}"

    def conversation_of(self, session_id: str | None) -> str | None:
        """The conversation a session id names, or None if this front door did not issue it."""
        if not session_id or len(session_id) > MAX_SESSION_ID_CHARS:
            return None
        conversation, _, signature = session_id.rpartition(SEPARATOR)
        if not conversation or not hmac.compare_digest(
            signature.encode(), self._signature(conversation).encode()
        ):
            return None
        return conversation


def conversation_id(session_id: str) -> str:
    """The conversation part of a widget session id (what Rasa stores), for staff tools."""
    return session_id.rpartition(SEPARATOR)[0] or session_id


def session_secret(settings: Settings, secret_file: Path = SECRET_FILE) -> str:
    """SESSION_SECRET, or a secret kept in var/session.key (made once, readable by the
    owner only) so the widget's sessions survive a restart of a single-host install."""
    if settings.session_secret:
        return settings.session_secret
    try:
        return secret_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    secret_file.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)
    # O_EXCL: two processes starting together keep one secret, the first one written.
    try:
        handle = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return secret_file.read_text(encoding="utf-8").strip()
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(secret)
    return secret
