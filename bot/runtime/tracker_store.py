"""Rasa's SQL tracker store on a local SQLite file, set up for a live server.

Rasa's ``SQLTrackerStore`` opens and closes a SQLite connection for every read and every
write (SQLAlchemy 1.4 pools nothing for file databases), and SQLite's default rollback
journal costs several fsyncs per write. Under load the server then spent a large share of
each message waiting on the disk (`make bench`, README "Performance"). This subclass keeps
Rasa's schema, queries and serialisation and changes only how the file is opened:

- write-ahead logging, so readers never wait for a writer and a write is one append;
- ``synchronous=NORMAL``: a crash of the process loses nothing; a power cut may lose the
  last moments of a conversation, never corrupt the file;
- connections kept open and reused instead of one per query;
- a busy timeout, so a purge from another process waits instead of failing a message.

Use it with ``type: bot.runtime.tracker_store.SQLiteTrackerStore`` in endpoints.yml.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_SECONDS = 30


def configure_connection(connection: sqlite3.Connection, _record: Any = None) -> None:
    """Pragmas for every new connection (``journal_mode`` also sticks to the file)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.close()


def sqlite_engine(url: str | sa.engine.URL) -> sa.engine.Engine:
    """An engine whose connections are pooled and configured as above."""
    engine = sa.create_engine(
        url,
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=4,
        # Rasa's handlers run on one event loop thread but may be handed any pooled
        # connection; SQLite's same-thread check would refuse that needlessly.
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_SECONDS},
    )
    sa.event.listen(engine, "connect", configure_connection)
    return engine


class SQLiteTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with ``dialect: sqlite`` and the connection handling above."""

    def __init__(
        self,
        domain: Domain | None = None,
        db: str = "rasa.db",
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("dialect", None)
        kwargs.pop("host", None)  # Rasa passes the endpoint's url; a file has none
        super().__init__(
            domain=domain, dialect="sqlite", db=db, event_broker=event_broker, **kwargs
        )
        url = self.engine.url
        self.engine.dispose()
        self.engine = sqlite_engine(url)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
