"""Operations: `GET /health` (index, embedder, last crawl) and `GET /metrics` (Prometheus)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import Authenticated, EngineDep, MetricsDep, SettingsDep, run_blocking
from api.schemas import HealthResponse
from api.security import presents_valid_key

router = APIRouter(tags=["operations"])


@router.get("/health", response_model=HealthResponse, response_model_exclude_unset=True)
async def health(request: Request, engine: EngineDep, settings: SettingsDep) -> HealthResponse:
    """Index version and size, embedder and the last crawl. When API keys are
    configured, callers without one see only `status` (the rest names paths and
    versions an outsider has no use for)."""
    report = await run_blocking(settings, engine.health)
    if settings.api_keys and not presents_valid_key(request, settings):
        return HealthResponse(status=report.status)
    return report


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}},
)
async def metrics_page(
    _client: Authenticated, settings: SettingsDep, metrics: MetricsDep
) -> Response:
    """Prometheus metrics."""
    body = await run_blocking(settings, metrics.render)
    return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")
