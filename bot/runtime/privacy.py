"""Conversations hold health information: delete one visitor's, or all past retention.

Works on the configured tracker store's ``events`` table (``bot.runtime.conversation_store``),
SQLite by default or the PostgreSQL of a scaled-out deployment.
"""

from __future__ import annotations

import time

import sqlalchemy as sa

from bot.runtime.conversation_store import events_table
from bot.runtime.settings import Settings

DAY_SECONDS = 86_400


def forget(session_id: str, settings: Settings) -> int:
    """Delete every stored event of one conversation; returns how many were deleted."""
    engine, events = events_table(settings)
    with engine.begin() as connection:
        return connection.execute(events.delete().where(events.c.sender_id == session_id)).rowcount


def purge(older_than_days: float, settings: Settings, now: float | None = None) -> int:
    """Delete conversations whose last event is older than the retention period."""
    cutoff = (now or time.time()) - older_than_days * DAY_SECONDS
    engine, events = events_table(settings)
    last_seen = (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(sa.func.max(events.c.timestamp) < cutoff)
    )
    with engine.begin() as connection:
        stale = [row[0] for row in connection.execute(last_seen)]
        if not stale:
            return 0
        return connection.execute(events.delete().where(events.c.sender_id.in_(stale))).rowcount
