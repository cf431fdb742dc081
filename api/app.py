"""The HTTP app: cited answers, search, articles, health, metrics, an OpenAI-compatible
chat endpoint and the staff page at `/`.

`create_app()` wires the layers: the engine (`api.engine`), the routers (`api.routes`,
one module per area), middleware and the error handlers. Heavy objects (embedder, index
handle, optional chat model) load once, in the lifespan; blocking work runs in worker
threads with a time limit; every error leaves as `{"error": {"type", "message"}}`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from api.container import Container
from api.deps import error_response
from api.engine import AnswerFn, Engine, ServedIndex, package_version
from api.errors import ApiError, api_error_from
from api.metrics import Metrics, MetricsMiddleware
from api.routes import articles, ask, chat, operations, search
from api.security import PAGE_SECURITY_HEADERS, BodySizeLimit, RateLimiter, SecurityHeaders
from api.settings import Settings, get_settings

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"


def create_app(
    settings: Settings | None = None,
    *,
    retriever: ServedIndex | None = None,
    answer_fn: AnswerFn | None = None,
    llm: object | None = None,
    container: Container | None = None,
) -> FastAPI:
    """The HTTP app. Without `retriever`, the index is opened from `settings` at start-up
    (and reopened on later requests while it is missing); without `answer_fn`,
    `qa.answer.answer` is used (through `container`, one per app by default); without
    `llm`, one is built from settings when configured.
    """
    settings = settings or get_settings()
    engine = Engine(
        settings, retriever=retriever, answer_fn=answer_fn, llm=llm, container=container
    )
    metrics = Metrics()
    metrics.watch_state(engine.index_info, engine.last_crawl)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(engine.start)
        logger.info("policyqa API ready (index: %s)", settings.index_dir)
        yield
        engine.close()

    app = FastAPI(
        title="policyqa",
        summary="Multilingual semantic search and cited answers over Vietnamese provincial "
        "policy news.",
        version=package_version(),
        lifespan=lifespan,
        # /docs is served from packaged Swagger UI files (below): it must work on
        # machines whose browsers cannot reach a CDN.
        docs_url=None,
        # ReDoc's page loads its script from a CDN; only the packaged Swagger UI is served.
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.metrics = metrics
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute)

    # Outermost first at request time: metrics see every response, including 413s.
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
            expose_headers=["Retry-After"],
            max_age=600,
        )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders, page_headers=PAGE_SECURITY_HEADERS)
    app.add_middleware(MetricsMiddleware, metrics=metrics)

    _install_error_handlers(app)
    _add_page(app)
    for router in (ask.router, search.router, articles.router, operations.router, chat.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_offline_docs(app)
    return app


def _add_page(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")


def _add_offline_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from the `swagger-ui-bundle` package, no CDN needed."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="policyqa API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.message, error.error_type, error.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404 and error.detail == "Not Found":
            message = f"no such endpoint: {request.url.path}; the API is described at /docs"
        elif error.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}; see /docs"
        else:
            message = str(error.detail)
        return error_response(error.status_code, message, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, error: RequestValidationError) -> Response:
        return error_response(422, describe_validation_errors(error.errors()))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, error: Exception) -> Response:
        converted = api_error_from(error)
        return error_response(converted.status, converted.message, converted.error_type)


def describe_validation_errors(errors: Sequence[Mapping[str, object]]) -> str:
    parts = []
    for item in list(errors)[:5]:
        location = item.get("loc", ())
        path = location if isinstance(location, list | tuple) else ()
        where = ".".join(str(p) for p in path if p != "body") or "body"
        parts.append(f"{where}: {item.get('msg', 'invalid value')}")
    more = len(errors) - 5
    suffix = f" (and {more} more)" if more > 0 else ""
    return "invalid request: " + "; ".join(parts) + suffix + "; the API is described at /docs"


__all__ = ["ApiError", "Engine", "create_app", "error_response"]
