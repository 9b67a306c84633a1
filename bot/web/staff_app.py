"""The staff service: the clinic's report and the passage search, off the public edge.

It runs on its own private port (STAFF_PORT, on HOST: loopback by default), behind
STAFF_TOKEN, and is the only web process that reads the tracker store's database and loads
the knowledge engine. The front door has neither.
"""

from __future__ import annotations

from fastapi import FastAPI

from bot.runtime.settings import Settings, get_settings
from bot.web.staff import staff_router


def create_staff_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="Hip & Back Assistant: staff", docs_url=None, redoc_url=None)

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    app.include_router(staff_router(settings))
    return app


app = create_staff_app()
