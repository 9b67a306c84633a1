"""The front door's staff pages: the clinic's report and the passage search.

Behind ``STAFF_TOKEN``: a browser logs in with HTTP Basic (any user name, the token as the
password), scripts send the ``X-Staff-Token`` header. With no token set they are off.
"""

from __future__ import annotations

import asyncio
import html
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from bot.channels.visitor_text import strip_invisible
from bot.runtime.settings import Settings
from bot.staff.report import Report, clinic_report, sections

STAFF_PAGE = Path(__file__).parent / "static" / "staff.html"
MAX_REPORT_DAYS = 3650.0
# At module level: FastAPI resolves the dependency's annotation in this module's globals.
STAFF_LOGIN = HTTPBasic(auto_error=False, realm="clinic staff")


def staff_router(settings: Settings) -> APIRouter:
    router = APIRouter()

    def staff_only(
        credentials: Annotated[HTTPBasicCredentials | None, Depends(STAFF_LOGIN)],
        x_staff_token: Annotated[str, Header()] = "",
    ) -> None:
        """401 (with the browser's login prompt) unless the staff token is given."""
        given = x_staff_token or (credentials.password if credentials else "")
        token = settings.staff_token
        if not token or not secrets.compare_digest(given.encode(), token.encode()):
            raise HTTPException(
                status_code=401,
                detail="staff token required" if token else "staff pages are off (STAFF_TOKEN)",
                headers={"WWW-Authenticate": 'Basic realm="clinic staff"'},
            )

    async def report_for(days: float | None) -> tuple[Report, dict[str, str]]:
        return await asyncio.to_thread(clinic_report, settings, days)

    @router.get("/staff", include_in_schema=False, dependencies=[Depends(staff_only)])
    async def staff_page(
        days: float | None = Query(None, gt=0, le=MAX_REPORT_DAYS),
    ) -> HTMLResponse:
        report, titles = await report_for(days)
        return HTMLResponse(render_page(report, titles), headers={"Cache-Control": "no-store"})

    @router.get("/api/staff/report", dependencies=[Depends(staff_only)])
    async def staff_report(
        days: float | None = Query(None, gt=0, le=MAX_REPORT_DAYS),
    ) -> JSONResponse:
        report, titles = await report_for(days)
        return JSONResponse({**report.as_dict(), "passage_titles": titles})

    @router.get("/api/knowledge/search", dependencies=[Depends(staff_only)])
    async def knowledge_search(
        q: str = Query(..., max_length=1000),
        k: int = Query(3, ge=1, le=10),
    ) -> JSONResponse:
        from bot.runtime.knowledge_base import get_answerer

        answerer = await asyncio.to_thread(get_answerer)
        result = await asyncio.to_thread(answerer.answer, strip_invisible(q), k)
        return JSONResponse(
            {
                "question": q,
                "answerable": result.answerable,
                # The probability that the first passage answers, and the bar it must clear.
                "probability": result.probability,
                "bar": answerer.learned.threshold
                if answerer.learned
                else answerer.engine.min_score,
                "results": [p.as_dict() for p in result.passages],
            }
        )

    return router


def render_page(report: Report, titles: dict[str, str]) -> str:
    """The report as an HTML page; everything from conversations is escaped."""
    parts = []
    for section in sections(report, titles):
        rows = (
            "".join(
                f"<tr><td class=n>{html.escape(figure)}</td><td>{html.escape(what)}</td></tr>"
                for figure, what in section.rows
            )
            or f"<tr><td></td><td class=empty>{html.escape(section.empty)}</td></tr>"
        )
        parts.append(
            f"<section><h2>{html.escape(section.heading)}</h2><table>{rows}</table></section>"
        )
    return STAFF_PAGE.read_text(encoding="utf-8").replace("<!--REPORT-->", "\n".join(parts))
