"""What the routes depend on: the engine, the metrics and the settings of the app that
received the request, the caller's key, the documented error responses, and running
blocking work in a worker thread within the request time limit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, TypeVar

import anyio
from fastapi import Depends, Request
from starlette.responses import JSONResponse

from api.engine import Engine
from api.errors import ApiError, api_error_from, error_body
from api.metrics import Metrics
from api.schemas import ErrorResponse
from api.security import Authenticated, get_settings_from_app
from api.settings import Settings

T = TypeVar("T")


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


SettingsDep = Annotated[Settings, Depends(get_settings_from_app)]
EngineDep = Annotated[Engine, Depends(get_engine)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
__all__ = [
    "ERROR_RESPONSES",
    "Authenticated",
    "EngineDep",
    "MetricsDep",
    "SettingsDep",
    "error_response",
    "run_blocking",
]

# The error responses every authenticated route documents (OpenAPI `responses=`).
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (401, "Missing or wrong API key"),
        (422, "Invalid request"),
        (429, "Rate limit reached (see Retry-After)"),
        (503, "No index yet (run `policyqa index`)"),
        (504, "Took longer than the request time limit"),
    )
}


def error_response(
    status: int,
    message: str,
    error_type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        error_body(status, message, error_type), status_code=status, headers=headers
    )


async def run_blocking(settings: Settings, fn: Callable[[], T]) -> T:
    """Run `fn` in a worker thread, within the request time limit. Its errors leave
    through the error table (`api.errors`)."""
    try:
        with anyio.fail_after(settings.request_timeout_seconds):
            return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
    except TimeoutError:
        raise ApiError(
            504,
            f"the request took longer than {settings.request_timeout_seconds:g} s; "
            "try again, or narrow the question with filters",
        ) from None
    except Exception as error:
        raise api_error_from(error) from None
