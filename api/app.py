"""The HTTP app: cited answers, search, articles, health, metrics, an OpenAI-compatible
chat endpoint and the staff page at `/`.

`create_app()` wires the layers. Heavy objects (embedder, index handle, optional chat
model) load once, in the lifespan; blocking work runs in worker threads with a time
limit; every error leaves as `{"error": {"type", "message"}}`.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from sse_starlette import EventSourceResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from api import openai_compat
from api.errors import (
    ERROR_TYPES,
    NotAvailableError,
    error_body,
    exit_code_for,
    http_status_for,
    message_for,
)
from api.metrics import Metrics, MetricsMiddleware
from api.schemas import (
    ArticleOut,
    AskRequest,
    AskResponse,
    ChatCompletionRequest,
    ChatCompletionResponse,
    ErrorResponse,
    Filters,
    HealthResponse,
    ModelList,
    ProvinceOut,
    SearchResponse,
)
from api.security import (
    PAGE_SECURITY_HEADERS,
    Authenticated,
    BodySizeLimit,
    RateLimiter,
    SecurityHeaders,
    get_settings_from_app,
    presents_valid_key,
)
from api.settings import Settings, get_settings
from index.errors import IndexNotBuiltError
from index.models import IndexedArticle, Retriever, SearchFilters, SearchHit
from qa.models import Answer, Turn

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
# How long to wait before trying again to open an index that failed to open.
REOPEN_AFTER_SECONDS = 10.0

AnswerFn = Callable[..., Answer]
T = TypeVar("T")


class ApiError(Exception):
    """An error already phrased for the caller: HTTP status, type and message."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        error_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type or ERROR_TYPES.get(status, "error")
        self.headers = headers


def error_response(
    status: int,
    message: str,
    error_type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        error_body(status, message, error_type), status_code=status, headers=headers
    )


def api_error_from(error: BaseException) -> ApiError:
    """Convert an error from any layer; unknown errors are logged, never shown."""
    if isinstance(error, ApiError):
        return error
    if isinstance(error, ModuleNotFoundError) and (error.name or "").split(".")[0] in (
        "crawler",
        "index",
        "qa",
    ):
        error = NotAvailableError(f"this part of policyqa is not installed ({error.name})")
    if exit_code_for(error) is None:
        logger.error("unexpected error: %s", error, exc_info=error)
        return ApiError(500, "internal error; the server log has the details")
    message = message_for(error)
    if isinstance(error, IndexNotBuiltError) and "policyqa index" not in message:
        message = f"{message}; run `policyqa index` to build the index"
    return ApiError(http_status_for(error), message)


async def run_blocking(settings: Settings, fn: Callable[..., T], *args: Any) -> T:
    """Run `fn` in a worker thread, within the request time limit."""
    try:
        with anyio.fail_after(settings.request_timeout_seconds):
            return await anyio.to_thread.run_sync(
                functools.partial(fn, *args), abandon_on_cancel=True
            )
    except TimeoutError:
        raise ApiError(
            504,
            f"the request took longer than {settings.request_timeout_seconds:g} s; "
            "try again, or narrow the question with filters",
        ) from None
    except Exception as error:
        raise api_error_from(error) from None


def _default_answer_fn() -> AnswerFn:
    try:
        from qa.answer import answer
    except ModuleNotFoundError as error:
        raise NotAvailableError(
            "answering is not available: the qa.answer module is not installed"
        ) from error
    return answer


class Engine:
    """The loaded parts: retriever, answer function, chat model, article store access."""

    def __init__(
        self,
        settings: Settings,
        *,
        retriever: Retriever | None,
        answer_fn: AnswerFn | None,
        llm: Any | None,
    ) -> None:
        self.settings = settings
        self._retriever = retriever
        self._owns_retriever = retriever is None
        self._answer_fn = answer_fn
        self.llm = llm
        self._load_llm = llm is None
        self._embedder: Any | None = None
        self._open_error: BaseException | None = None
        self._open_failed_at = 0.0
        self._lock = threading.Lock()
        self._store: Any | None = None
        self._store_lock = threading.Lock()

    # -- start-up ------------------------------------------------------------------

    def start(self) -> None:
        """Load models and open the index (called once, in the lifespan)."""
        if self._retriever is None:
            try:
                self.retriever()
            except Exception as error:
                logger.warning("the index is not available yet: %s", message_for(error))
        if self._retriever is not None:
            self._warm_up(self._retriever)
        if self._load_llm:
            try:
                from api.services import load_chat_model

                self.llm = load_chat_model(self.settings)
            except Exception as error:
                logger.warning("generative answers disabled: %s", message_for(error))
                self.llm = None
        if self._answer_fn is None:
            try:
                self._answer_fn = _default_answer_fn()
            except NotAvailableError as error:
                logger.warning("%s", error)

    @staticmethod
    def _warm_up(retriever: Retriever) -> None:
        """Open the index and embed one query now, so neither waits for the first request."""
        info = getattr(retriever, "info", None)
        try:
            if callable(info):
                info()
        except Exception as error:
            logger.warning("the index is not available yet: %s", message_for(error))
        try:
            retriever.embedder.embed_queries(["warm-up"])
        except Exception as error:
            logger.warning("could not load the embedder: %s", message_for(error))

    def retriever(self) -> Retriever:
        if self._retriever is not None:
            return self._retriever
        with self._lock:
            if self._retriever is not None:
                return self._retriever
            since_failure = time.monotonic() - self._open_failed_at
            if self._open_error is not None and since_failure < REOPEN_AFTER_SECONDS:
                raise self._open_error
            try:
                from api.services import load_embedder, open_retriever

                if self._embedder is None:
                    self._embedder = load_embedder(self.settings)
                self._retriever = open_retriever(self.settings, self._embedder)
                self._open_error = None
                logger.info("index opened from %s", self.settings.index_dir)
            except Exception as error:
                self._open_error = error
                self._open_failed_at = time.monotonic()
                raise
            return self._retriever

    def store(self) -> Any | None:
        """The article store, opened on first use once it exists (it is thread-safe)."""
        if self._store is None:
            with self._store_lock:
                if self._store is None:
                    self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        for resource in (self._retriever if self._owns_retriever else None, self._store):
            close = getattr(resource, "close", None)
            if callable(close):
                close()
        self._store = None

    # -- work (runs in worker threads) ------------------------------------------------

    def answer(
        self, question: str, filters: Filters | None, history: Sequence[Turn]
    ) -> dict[str, Any]:
        answer_fn = self._answer_fn or _default_answer_fn()
        result = answer_fn(
            question,
            self.retriever(),
            self.llm,
            filters=filters.raw() if filters else None,
            history=tuple(history),
        )
        return result.to_json()

    def search(self, query: str, k: int, filters: Filters) -> list[SearchHit]:
        return self.retriever().search(query, k, search_filters(filters))

    def article(self, article_id: str) -> dict[str, Any] | None:
        stored = self._article_from_store(article_id)
        if stored is not None:
            return stored
        try:
            retriever = self.retriever()
            indexed = retriever.article(article_id)
        except Exception:
            if self.store() is not None:
                return None  # the store answered: there is no such article
            raise
        if indexed is None:
            return None
        data = _indexed_article_json(indexed)
        if indexed.translation_group:
            data["translations"] = [
                _link(t)
                for t in retriever.translations(indexed.translation_group)
                if t.id != indexed.id
            ]
        return data

    def _article_from_store(self, article_id: str) -> dict[str, Any] | None:
        store = self.store()
        if store is None:
            return None
        found = store.get(article_id)
        if found is None:
            return None
        data = _store_article_json(found)
        group = data.get("translation_group")
        if group:
            data["translations"] = [
                _link(t) for t in store.translations(group) if _get(t, "id") != article_id
            ]
        data["versions"] = [_version_json(v) for v in store.versions(article_id) or []]
        return data

    def index_info(self) -> dict[str, Any] | None:
        retriever = self.retriever()
        info = getattr(retriever, "info", None)
        result: dict[str, Any] = dict(info()) if callable(info) else {}
        result.setdefault("embedder", getattr(retriever.embedder, "name", None))
        return result

    def last_crawl(self) -> dict[str, Any] | None:
        store = self.store()
        if store is None:
            return None
        run = store.last_run()
        return _jsonable(run) if run else None

    def health(self) -> dict[str, Any]:
        index: dict[str, Any] | None = None
        index_error: str | None = None
        try:
            index = _jsonable(self.index_info())
        except Exception as error:
            index_error = api_error_from(error).message
        try:
            last_crawl = self.last_crawl()
        except Exception as error:
            logger.warning("could not read the last crawl: %s", message_for(error))
            last_crawl = None
        embedder = (index or {}).get("embedder") or (
            getattr(self._embedder, "name", None) if self._embedder else self.settings.embedder
        )
        return {
            "status": "ok" if index is not None else "degraded",
            "version": _package_version(),
            "embedder": embedder,
            "index": index,
            "index_error": index_error,
            "last_crawl": last_crawl,
            "store": self.store() is not None,
        }


# -- helpers for the store, the gazetteer and JSON ---------------------------------------


def open_store(settings: Settings) -> Any | None:
    """The article store, or None while there is none (opening would create one)."""
    if not settings.store_url and not settings.store_path.exists():
        return None
    try:
        from crawler.store import ArticleStore
    except ModuleNotFoundError:
        return None
    return ArticleStore(settings.store_location)


def provinces() -> list[dict[str, Any]]:
    """Every province and city, by Vietnamese name, with its names in other languages."""
    from qa.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()  # read once per process
    return [
        {
            "key": key,
            "name": names.get("vi") or key,
            "names": names,
            "current": bool(gazetteer.is_current(key)),
        }
        for key, names in gazetteer.units()
    ]


def search_filters(filters: Filters) -> SearchFilters:
    """Filters as `POST /ask` resolves them (province names in any spelling, sites)."""
    from qa.answer import resolve_filters

    resolved, _shown = resolve_filters(filters.raw())
    return resolved


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _link(article: Any) -> dict[str, Any]:
    return {
        "id": _get(article, "id"),
        "url": _get(article, "url"),
        "title": _get(article, "title"),
        "lang": _get(article, "lang"),
        "site": _get(article, "site"),
    }


def _store_article_json(article: Any) -> dict[str, Any]:
    fields = (
        "id",
        "url",
        "title",
        "text",
        "site",
        "lang",
        "province",
        "author",
        "section",
        "sapo",
        "translation_group",
        "translation_of",
        "version",
    )
    data: dict[str, Any] = {name: _get(article, name) for name in fields}
    data["published"] = _iso(_get(article, "published"))
    data["fetched_at"] = _iso(_get(article, "fetched_at"))
    data["lang"] = data["lang"] or _get(article, "lang_detected")
    data["source"] = "store"
    return data


def _indexed_article_json(article: IndexedArticle) -> dict[str, Any]:
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "text": article.text,
        "site": article.site,
        "published": _iso(article.published),
        "lang": article.lang,
        "province": article.province,
        "sapo": article.sapo,
        "translation_group": article.translation_group,
        "translation_of": article.translation_of,
        "source": "index",
    }


def _version_json(version: Any) -> dict[str, Any]:
    if hasattr(version, "model_dump"):
        data = version.model_dump(mode="json", exclude={"paragraphs", "captions", "text"})
    elif isinstance(version, dict):
        data = {k: v for k, v in version.items() if k not in ("paragraphs", "captions", "text")}
    else:
        data = {
            name: _get(version, name) for name in ("version", "fetched_at", "content_hash", "title")
        }
    return _jsonable(data)


def _passage_json(rank: int, hit: SearchHit) -> dict[str, Any]:
    article = hit.article
    return {
        "rank": rank,
        "score": float(hit.score),
        "chunk_id": hit.chunk.chunk_id,
        "article_id": article.id,
        "text": hit.chunk.text,
        "start": hit.chunk.start,
        "end": hit.chunk.end,
        "url": article.url,
        "title": article.title,
        "site": article.site,
        "published": _iso(article.published),
        "lang": article.lang,
        "province": article.province,
    }


@functools.lru_cache(maxsize=1)
def _package_version() -> str:
    try:
        return metadata.version("policyqa")
    except metadata.PackageNotFoundError:
        return "0.0.0"


# -- dependencies -----------------------------------------------------------------------


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


SettingsDep = Annotated[Settings, Depends(get_settings_from_app)]
EngineDep = Annotated[Engine, Depends(get_engine)]

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (401, "Missing or wrong API key"),
        (422, "Invalid request"),
        (429, "Rate limit reached (see Retry-After)"),
        (503, "No index yet (run `policyqa index`)"),
        (504, "Took longer than the request time limit"),
    )
}


# -- the app ------------------------------------------------------------------------------


def create_app(
    settings: Settings | None = None,
    *,
    retriever: Retriever | None = None,
    answer_fn: AnswerFn | None = None,
    llm: Any | None = None,
) -> FastAPI:
    """The HTTP app. Without `retriever`, the index is opened from `settings` at start-up
    (and reopened on later requests while it is missing); without `answer_fn`,
    `qa.answer.answer` is used; without `llm`, one is built from settings when configured.
    """
    settings = settings or get_settings()
    engine = Engine(settings, retriever=retriever, answer_fn=answer_fn, llm=llm)
    metrics = Metrics()
    metrics.watch_state(engine.index_info, engine.last_crawl)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        await anyio.to_thread.run_sync(engine.start)
        logger.info("policyqa API ready (index: %s)", settings.index_dir)
        yield
        engine.close()

    app = FastAPI(
        title="policyqa",
        summary="Multilingual semantic search and cited answers over Vietnamese provincial "
        "policy news.",
        version=_package_version(),
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
    _add_routes(app, settings, metrics)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_offline_docs(app)
    return app


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


def describe_validation_errors(errors: Sequence[Any]) -> str:
    parts = []
    for item in list(errors)[:5]:
        location = ".".join(str(p) for p in item.get("loc", ()) if p != "body") or "body"
        parts.append(f"{location}: {item.get('msg', 'invalid value')}")
    more = len(errors) - 5
    suffix = f" (and {more} more)" if more > 0 else ""
    return "invalid request: " + "; ".join(parts) + suffix + "; the API is described at /docs"


def _add_routes(app: FastAPI, settings: Settings, metrics: Metrics) -> None:
    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.post("/ask", response_model=AskResponse, responses=ERROR_RESPONSES, tags=["qa"])
    async def ask(
        body: AskRequest, _client: Authenticated, engine: EngineDep, settings: SettingsDep
    ) -> dict[str, Any]:
        """The answer to a question, in its language, with numbered citations."""
        history = [Turn(role=t.role, content=t.content) for t in body.history]
        result = await run_blocking(settings, engine.answer, body.question, body.filters, history)
        metrics.answers.labels("ask", str(bool(result.get("refused"))).lower()).inc()
        return result

    @app.get("/search", response_model=SearchResponse, responses=ERROR_RESPONSES, tags=["qa"])
    async def search(
        _client: Authenticated,
        engine: EngineDep,
        settings: SettingsDep,
        q: Annotated[str, Query(min_length=1, max_length=1000, description="What to find.")],
        k: Annotated[int, Query(ge=1, le=50, description="Number of passages.")] = 10,
        province: Annotated[list[str] | None, Query(max_length=20)] = None,
        since: Annotated[date | None, Query()] = None,
        until: Annotated[date | None, Query()] = None,
        lang: Annotated[list[str] | None, Query(max_length=20)] = None,
        site: Annotated[list[str] | None, Query(max_length=20)] = None,
    ) -> dict[str, Any]:
        """Ranked passages with their article's metadata."""
        if not q.strip():
            raise ApiError(422, "invalid request: q must contain some text")
        try:
            filters = Filters(
                province=province or [], since=since, until=until, lang=lang or [], site=site or []
            )
        except ValidationError as error:
            raise RequestValidationError(error.errors()) from None
        hits = await run_blocking(settings, engine.search, q, k, filters)
        return {
            "query": q,
            "k": k,
            "results": [_passage_json(rank, hit) for rank, hit in enumerate(hits, 1)],
        }

    @app.get(
        "/articles/{article_id}",
        response_model=ArticleOut,
        responses=ERROR_RESPONSES,
        tags=["articles"],
    )
    async def article(
        article_id: Annotated[str, PathParam(min_length=1, max_length=128)],
        _client: Authenticated,
        engine: EngineDep,
        settings: SettingsDep,
    ) -> dict[str, Any]:
        """An article's stored text and metadata, its translations and versions."""
        found = await run_blocking(settings, engine.article, article_id)
        if found is None:
            raise ApiError(
                404,
                f"no article with id {article_id!r}; article ids come from "
                "search results and citations",
            )
        return found

    @app.get("/provinces", response_model=list[ProvinceOut], tags=["qa"])
    async def province_list(_client: Authenticated, settings: SettingsDep) -> Any:
        """Provinces and cities known to the gazetteer (for filter pickers)."""
        return await run_blocking(settings, provinces)

    @app.get(
        "/health",
        response_model=HealthResponse,
        response_model_exclude_unset=True,
        tags=["operations"],
    )
    async def health(request: Request, engine: EngineDep, settings: SettingsDep) -> Any:
        """Index version and size, embedder and the last crawl. When API keys are
        configured, callers without one see only `status` (the rest names paths and
        versions an outsider has no use for)."""
        report = await run_blocking(settings, engine.health)
        if settings.api_keys and not presents_valid_key(request, settings):
            return HealthResponse(status=report["status"])
        return HealthResponse(**report)

    @app.get(
        "/metrics",
        tags=["operations"],
        response_class=Response,
        responses={200: {"content": {"text/plain": {}}}},
    )
    async def metrics_page(_client: Authenticated, settings: SettingsDep) -> Response:
        """Prometheus metrics."""
        body = await run_blocking(settings, metrics.render)
        return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.get("/v1/models", response_model=ModelList, tags=["openai"])
    async def models(_client: Authenticated) -> dict[str, Any]:
        """The models a chat front-end can pick (OpenAI format)."""
        return openai_compat.model_list()

    @app.post(
        "/v1/chat/completions",
        response_model=ChatCompletionResponse,
        responses={
            **ERROR_RESPONSES,
            200: {
                "content": {"text/event-stream": {}},
                "description": "A chat.completion, or chat.completion.chunk events "
                "when `stream` is true",
            },
        },
        tags=["openai"],
    )
    async def chat_completions(
        body: ChatCompletionRequest,
        _client: Authenticated,
        engine: EngineDep,
        settings: SettingsDep,
    ) -> Any:
        """OpenAI-compatible chat: the last user message is the question, earlier turns
        are history. Citations come as a "Sources:" list in the message and as data."""
        try:
            question, history = openai_compat.question_and_history(body.messages)
        except Exception as error:
            raise api_error_from(error) from None
        result = await run_blocking(settings, engine.answer, question, body.filters, history)
        metrics.answers.labels("chat", str(bool(result.get("refused"))).lower()).inc()
        if body.stream:
            include_usage = bool(body.stream_options and body.stream_options.include_usage)
            events = openai_compat.stream_events(
                result, body.model, question, include_usage=include_usage
            )
            return EventSourceResponse(
                events, sep="\n", ping=15, headers={"Cache-Control": "no-store"}
            )
        return openai_compat.completion(result, body.model, question)


__all__ = ["ApiError", "Engine", "create_app", "error_response"]
