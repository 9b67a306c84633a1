"""Conversations hold health information: delete one visitor's, or all past retention.

Works on the table of Rasa's SQL tracker store (``events``, one row per event, keyed by
``sender_id``), on SQLite by default or on the PostgreSQL of a scaled-out deployment.
"""

from __future__ import annotations

import time

import sqlalchemy as sa

from bot.settings import Settings

DAY_SECONDS = 86_400


def tracker_store_url(settings: Settings) -> str:
    return f"sqlite:///{settings.tracker_db}"


def _events(engine: sa.engine.Engine) -> sa.Table | None:
    metadata = sa.MetaData()
    try:
        return sa.Table("events", metadata, autoload_with=engine)
    except sa.exc.NoSuchTableError:
        return None


def forget(session_id: str, url: str) -> int:
    """Delete every stored event of one conversation; returns how many were deleted."""
    engine = sa.create_engine(url)
    events = _events(engine)
    if events is None:
        return 0
    with engine.begin() as connection:
        return connection.execute(events.delete().where(events.c.sender_id == session_id)).rowcount


def purge(older_than_days: float, url: str, now: float | None = None) -> int:
    """Delete conversations whose last event is older than the retention period."""
    cutoff = (now or time.time()) - older_than_days * DAY_SECONDS
    engine = sa.create_engine(url)
    events = _events(engine)
    if events is None:
        return 0
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
