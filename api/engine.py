"""The loaded parts behind the HTTP routes: the index handle, the answer function, the
optional chat model and the article store, each read through a typed method that returns
the response models of `api.schemas`.

Everything here is blocking; the routes run it in worker threads (`api.deps.run_blocking`).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from importlib import metadata
from typing import TYPE_CHECKING, Protocol

from api.container import Container
from api.errors import api_error_from, message_for
from api.schemas import (
    ArticleLink,
    ArticleOut,
    AskResponse,
    CrawlRunOut,
    Filters,
    HealthResponse,
    IndexInfoOut,
    PassageOut,
    ProvinceOut,
    RawFilters,
    VersionOut,
)
from api.settings import Settings
from index.models import Embedder, IndexedArticle, Retriever, SearchFilters, SearchHit
from qa.gazetteer import Gazetteer
from qa.models import Answer, Turn

if TYPE_CHECKING:
    from crawler.models import Article
    from crawler.store import ArticleStore

logger = logging.getLogger(__name__)

# How long to wait before trying again to open an index that failed to open.
REOPEN_AFTER_SECONDS = 10.0


class ServedIndex(Retriever, Protocol):
    """A retriever that can describe the index version it serves (`IndexHandle`)."""

    def info(self) -> Mapping[str, object]: ...


class AnswerFn(Protocol):
    """`qa.answer.answer`, or a fake with the same call."""

    def __call__(
        self,
        question: str,
        retriever: Retriever,
        llm: object | None = None,
        *,
        filters: RawFilters | None = None,
        history: Sequence[Turn] = (),
    ) -> Answer: ...


class Engine:
    """The loaded parts: retriever, answer function, chat model, article store access.

    `llm` is opaque here (a langchain chat model built by `qa.generative`); it is only
    handed on to the answer function.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        retriever: ServedIndex | None,
        answer_fn: AnswerFn | None,
        llm: object | None,
        container: Container | None = None,
    ) -> None:
        self.settings = settings
        self.container = container or Container(refusal=settings.refusal)
        self._retriever = retriever
        self._owns_retriever = retriever is None
        self._answer_fn = answer_fn or self.container.answer
        self.llm = llm
        self._load_llm = llm is None
        self._embedder: Embedder | None = None
        self._open_error: Exception | None = None
        self._open_failed_at = 0.0
        self._lock = threading.Lock()
        self._store: ArticleStore | None = None
        self._store_lock = threading.Lock()

    # -- start-up ------------------------------------------------------------------

    def start(self) -> None:
        """Load models and open the index (called once, in the lifespan). Nothing here
        stops the server: a missing index or chat model is reported and retried later."""
        from qa.errors import QAError

        if self._retriever is None:
            _best_effort("the index is not available yet", self.retriever)
        retriever = self._retriever
        if retriever is not None:
            # Open the index and embed one query now, so neither waits for the first request.
            _best_effort("the index is not available yet", retriever.info)
            _best_effort(
                "could not load the embedder",
                functools.partial(retriever.embedder.embed_queries, ["warm-up"]),
            )
        if self._load_llm:
            from api.services import load_chat_model

            try:
                self.llm = load_chat_model(self.settings)
            except (QAError, ImportError, ValueError) as error:
                logger.warning("generative answers disabled: %s", message_for(error))
                self.llm = None

    def retriever(self) -> ServedIndex:
        if self._retriever is not None:
            return self._retriever
        with self._lock:
            if self._retriever is not None:
                return self._retriever
            since_failure = time.monotonic() - self._open_failed_at
            if self._open_error is not None and since_failure < REOPEN_AFTER_SECONDS:
                raise self._open_error
            from api.services import load_embedder, open_retriever

            try:
                if self._embedder is None:
                    self._embedder = load_embedder(self.settings)
                retriever = open_retriever(self.settings, self._embedder)
            except Exception as error:
                # Remembered whatever it is, so a broken index is not reopened on every
                # request; the caller's error table decides what the client sees.
                self._open_error = error
                self._open_failed_at = time.monotonic()
                raise
            self._retriever = retriever
            self._open_error = None
            logger.info("index opened from %s", self.settings.index_dir)
            return retriever

    def store(self) -> ArticleStore | None:
        """The article store, opened on first use once it exists (it is thread-safe)."""
        if self._store is None:
            with self._store_lock:
                if self._store is None:
                    self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        if self._owns_retriever and self._retriever is not None:
            close = getattr(self._retriever, "close", None)
            if callable(close):
                close()
        if self._store is not None:
            self._store.close()
        self._store = None

    # -- work (runs in worker threads) ------------------------------------------------

    def answer(
        self, question: str, filters: Filters | None, history: Sequence[Turn]
    ) -> AskResponse:
        result = self._answer_fn(
            question,
            self.retriever(),
            self.llm,
            filters=filters.raw() if filters else None,
            history=tuple(history),
        )
        return AskResponse.model_validate(result.to_json())

    def search(self, query: str, k: int, filters: Filters) -> list[PassageOut]:
        hits = self.retriever().search(query, k, search_filters(filters, self.container.gazetteer))
        return [passage(rank, hit) for rank, hit in enumerate(hits, 1)]

    def article(self, article_id: str) -> ArticleOut | None:
        from index.errors import IndexError_

        stored = self._article_from_store(article_id)
        if stored is not None:
            return stored
        try:
            retriever = self.retriever()
            indexed = retriever.article(article_id)
        except (IndexError_, OSError):
            if self.store() is not None:
                return None  # the store answered: there is no such article
            raise
        if indexed is None:
            return None
        translations = []
        if indexed.translation_group:
            translations = [
                _indexed_link(t)
                for t in retriever.translations(indexed.translation_group)
                if t.id != indexed.id
            ]
        return _indexed_article(indexed, translations)

    def _article_from_store(self, article_id: str) -> ArticleOut | None:
        store = self.store()
        if store is None:
            return None
        found = store.get(article_id)
        if found is None:
            return None
        translations = []
        if found.translation_group:
            translations = [
                _stored_link(t)
                for t in store.translations(found.translation_group)
                if t.id != article_id
            ]
        versions = [_version(v) for v in store.versions(article_id)]
        return _stored_article(article_id, found, translations, versions)

    def index_info(self) -> IndexInfoOut:
        retriever = self.retriever()
        info = IndexInfoOut.model_validate(dict(retriever.info()))
        if "embedder" not in info.model_fields_set:
            info.embedder = retriever.embedder.name
        return info

    def last_crawl(self) -> CrawlRunOut | None:
        store = self.store()
        if store is None:
            return None
        run = store.last_run()
        return CrawlRunOut.model_validate(run) if run else None

    def health(self) -> HealthResponse:
        from crawler.errors import CrawlerError

        index: IndexInfoOut | None = None
        index_error: str | None = None
        try:
            index = self.index_info()
        except Exception as error:
            # Health reports every failure to open the index, as the error table words it.
            index_error = api_error_from(error).message
        try:
            last_crawl = self.last_crawl()
        except (CrawlerError, ValueError) as error:  # the store, or a run it cannot parse
            logger.warning("could not read the last crawl: %s", message_for(error))
            last_crawl = None
        embedder = (index.embedder if index else None) or (
            self._embedder.name if self._embedder else self.settings.embedder
        )
        return HealthResponse(
            status="ok" if index is not None else "degraded",
            version=package_version(),
            embedder=embedder,
            index=index,
            index_error=index_error,
            last_crawl=last_crawl,
            store=self.store() is not None,
        )


def _best_effort(problem: str, step: Callable[[], object]) -> None:
    """Run a start-up step whose failure must not stop the server: whatever went wrong
    happens again on the first request that needs it, and the error table reports it
    there; here it is only logged."""
    try:
        step()
    except Exception as error:
        logger.warning("%s: %s", problem, message_for(error))


# -- reading the store, the gazetteer and the index -------------------------------------


def open_store(settings: Settings) -> ArticleStore | None:
    """The article store, or None while there is none (opening would create one)."""
    if not settings.store_url and not settings.store_path.exists():
        return None
    from crawler.store import ArticleStore

    return ArticleStore(settings.store_location)


def provinces(gazetteer: Gazetteer) -> list[ProvinceOut]:
    """Every province and city, by Vietnamese name, with its names in other languages."""
    return [
        ProvinceOut(
            key=key,
            name=names.get("vi") or key,
            names=dict(names),
            current=bool(gazetteer.is_current(key)),
        )
        for key, names in gazetteer.units()
    ]


def search_filters(filters: Filters, gazetteer: Gazetteer) -> SearchFilters:
    """Filters as `POST /ask` resolves them (province names in any spelling, sites)."""
    from qa.answer import resolve_filters

    resolved, _shown = resolve_filters(filters.raw(), gazetteer=gazetteer)
    return resolved


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _stored_link(article: Article) -> ArticleLink:
    return ArticleLink(
        id=article.id, url=article.url, title=article.title, lang=article.lang, site=article.site
    )


def _indexed_link(article: IndexedArticle) -> ArticleLink:
    return ArticleLink(
        id=article.id, url=article.url, title=article.title, lang=article.lang, site=article.site
    )


def _stored_article(
    article_id: str,
    article: Article,
    translations: list[ArticleLink],
    versions: list[VersionOut],
) -> ArticleOut:
    return ArticleOut(
        id=article.id or article_id,
        url=article.url,
        title=article.title,
        text=article.text,
        site=article.site,
        lang=article.lang or article.lang_detected,
        province=article.province,
        author=article.author,
        section=article.section,
        sapo=article.sapo,
        translation_group=article.translation_group,
        translation_of=article.translation_of,
        version=article.version,
        published=_iso(article.published),
        fetched_at=_iso(article.fetched_at),
        source="store",
        translations=translations,
        versions=versions,
    )


def _indexed_article(article: IndexedArticle, translations: list[ArticleLink]) -> ArticleOut:
    return ArticleOut(
        id=article.id,
        url=article.url,
        title=article.title,
        text=article.text,
        site=article.site,
        published=_iso(article.published),
        lang=article.lang,
        province=article.province,
        sapo=article.sapo,
        translation_group=article.translation_group,
        translation_of=article.translation_of,
        source="index",
        translations=translations,
    )


def _version(version: Article) -> VersionOut:
    """A stored version's metadata (its text is the article's, not repeated per version)."""
    data = version.model_dump(mode="json", exclude={"paragraphs", "captions", "text"})
    return VersionOut.model_validate(data)


def passage(rank: int, hit: SearchHit) -> PassageOut:
    article = hit.article
    return PassageOut(
        rank=rank,
        score=float(hit.score),
        chunk_id=hit.chunk.chunk_id,
        article_id=article.id,
        text=hit.chunk.text,
        start=hit.chunk.start,
        end=hit.chunk.end,
        url=article.url,
        title=article.title,
        site=article.site,
        published=_iso(article.published),
        lang=article.lang,
        province=article.province,
    )


@functools.lru_cache(maxsize=1)
def package_version() -> str:
    try:
        return metadata.version("policyqa")
    except metadata.PackageNotFoundError:
        return "0.0.0"
