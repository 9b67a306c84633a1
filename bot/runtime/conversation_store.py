"""The conversations Rasa keeps: the database of the tracker store the endpoints file
configures (SQLite by default, PostgreSQL when scaled out).

``forget``, ``purge`` and the clinic's report open it through Rasa's own endpoint reader
and tracker-store factory, so they always read the database Rasa itself writes to.
"""

from __future__ import annotations

import os

import sqlalchemy as sa

from bot.runtime.settings import Settings


class NotAnSQLStore(RuntimeError):
    """The configured tracker store keeps no SQL table these tools could read."""


def events_table(settings: Settings) -> tuple[sa.engine.Engine, sa.Table]:
    """The engine and ``events`` table (one row per event, keyed by ``sender_id``)."""
    from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    from bot.runtime.stack import child_environment

    # The endpoints file names its values as ${VARIABLES}; fill in the ones the launcher
    # would give Rasa, keeping any already set (POSTGRES_*, say).
    for name, value in child_environment(settings).items():
        os.environ.setdefault(name, value)
    config = read_endpoint_config(str(settings.endpoints_file), "tracker_store")
    store = TrackerStore.create(config)
    store = getattr(store, "_tracker_store", store)  # Rasa may wrap it to make it awaitable
    if not isinstance(store, SQLTrackerStore):
        raise NotAnSQLStore(
            f"{settings.endpoints_file.name} configures {type(store).__name__}; "
            "forget, purge and report need Rasa's SQL tracker store"
        )
    return store.engine, SQLTrackerStore.SQLEvent.__table__
