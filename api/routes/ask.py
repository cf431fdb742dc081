"""`POST /ask`: a cited answer to a question."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import (
    ERROR_RESPONSES,
    Authenticated,
    EngineDep,
    MetricsDep,
    SettingsDep,
    run_blocking,
)
from api.schemas import AskRequest, AskResponse
from qa.models import Turn

router = APIRouter(tags=["qa"])


@router.post("/ask", response_model=AskResponse, responses=ERROR_RESPONSES)
async def ask(
    body: AskRequest,
    _client: Authenticated,
    engine: EngineDep,
    settings: SettingsDep,
    metrics: MetricsDep,
) -> AskResponse:
    """The answer to a question, in its language, with numbered citations."""
    history = [Turn(role=t.role, content=t.content) for t in body.history]
    result = await run_blocking(
        settings, lambda: engine.answer(body.question, body.filters, history)
    )
    metrics.count_answer("ask", refused=result.refused)
    return result
