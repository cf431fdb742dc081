"""One crawl run: discover article URLs on each configured site, fetch what is new or
changed, extract, and store each article as soon as it is extracted.

Incremental and resumable:
- every discovered URL is written to the store's fetch state before any page is fetched,
  so an interrupted run (crash, Ctrl-C, `--max-pages`) leaves the rest for the next run;
- pages that failed are recorded and retried on the next run (after Retry-After when the
  server gave one);
- a URL whose sitemap `lastmod` is not newer than its last fetch is not requested again,
  and every other known URL is requested conditionally (ETag / Last-Modified), so a run
  over an unchanged site downloads no article page again;
- sitemaps, feeds and listing pages are requested conditionally too, and the links each
  listed are kept in the store, so a 304 still yields their URLs and `lastmod`;
- a URL that redirected permanently (301/308), or that turned out to be a duplicate of
  a canonical article, is not requested again until its `lastmod` is newer than the time
  that was recorded (302/307 targets are checked every run: those moves are temporary).

`run_crawl` adds the lock (two runs never overlap) and records the summary.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from crawler.content_links import link_stored_translations
from crawler.database import WriterLockHeld
from crawler.discover import (
    MAX_SITEMAP_BYTES,
    Discovery,
    Link,
    alternate_language_links,
    likely_article_path,
    parse_document,
    unique_links,
)
from crawler.encoding import decode_html
from crawler.errors import CrawlLockedError, StoreError
from crawler.extract import extract
from crawler.fetch import BlockedError, Fetcher, FetchError, FetchResult, retry_time
from crawler.models import Article, article_id_for
from crawler.sources import SiteConfig, Sources
from crawler.store import DONE, FAILED, GONE, MOVED, ArticleStore, FetchState
from crawler.urls import canonicalize_url

logger = logging.getLogger(__name__)

Extractor = Callable[..., Article | None]

# A page that failed this many runs in a row is given up on (recorded as gone).
MAX_FAILED_RUNS = 8


@dataclass
class CrawlOptions:
    max_pages: int | None = None  # article pages to request, at most
    since: datetime | None = None  # skip items dated before this
    progress: bool | None = None  # a progress bar; None: only when stderr is a terminal


@dataclass
class CrawlSummary:
    sites: int = 0
    discovered: int = 0  # distinct article URLs found (including ones left from earlier runs)
    fetched: int = 0  # article pages requested and answered (200 or 304)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    # not requested (sitemap lastmod, --since, robots.txt, moved), not an article, or a
    # duplicate URL of an article already stored
    skipped: int = 0
    failed: int = 0  # left for the next run
    seconds: float = 0.0
    downloaded: int = 0  # article pages answered 200 (a full download)
    not_modified: int = 0  # article pages answered 304
    not_articles: int = 0
    # translations that named no original, linked to it by content after the crawl
    linked_by_content: int = 0
    requests: int = 0  # every HTTP request, discovery and robots.txt included
    interrupted: bool = False
    started_at: str = ""
    failures: list[str] = field(default_factory=list)  # a sample, for the log

    def line(self) -> str:
        return (
            f"crawl: sites={self.sites} discovered={self.discovered} fetched={self.fetched} "
            f"new={self.new} changed={self.changed} unchanged={self.unchanged} "
            f"linked={self.linked_by_content} "
            f"skipped={self.skipped} failed={self.failed} seconds={self.seconds:.1f}"
            + (" (interrupted)" if self.interrupted else "")
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["failures"] = self.failures[:20]
        return data


@dataclass
class _PageResult:
    """What a worker thread found; the store is written from the main thread only."""

    site: SiteConfig
    link: Link
    response: FetchResult | None = None
    article: Article | None = None
    alternates: list[Link] = field(default_factory=list)
    error: FetchError | None = None
    extract_error: str | None = None


@dataclass
class _DocumentRead:
    """A discovery document answered 200 (`discovery` set) or 304 (`discovery` None)."""

    url: str
    status: int
    etag: str | None
    last_modified: str | None
    discovery: Discovery | None


@dataclass
class _Discovered:
    links: list[Link]
    documents: list[_DocumentRead]
    failures: list[str]


@dataclass
class _SitePlan:
    site: SiteConfig
    queue: deque[Link] = field(default_factory=deque)
    discovered: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)


class CrawlRun:
    """Crawls the sites of a Sources into a store, through a Fetcher."""

    def __init__(
        self,
        sources: Sources,
        store: ArticleStore,
        fetcher: Fetcher,
        options: CrawlOptions | None = None,
        *,
        extractor: Extractor = extract,
    ) -> None:
        self.sources = sources
        self.store = store
        self.fetcher = fetcher
        self.options = options or CrawlOptions()
        self.extractor = extractor
        self.summary = CrawlSummary(sites=len(sources.sites))
        self._requested = 0
        self._progress: tqdm[Any] | None = None

    # -- discovery -------------------------------------------------------------------

    def _is_candidate(self, site: SiteConfig, url: str) -> bool:
        if not site.owns(url):
            return False
        if site.article_patterns:
            return site.looks_like_article(url)
        return likely_article_path(url)

    def discover(self, site: SiteConfig) -> _Discovered:
        """Article URLs of a site from its start URLs and robots.txt sitemaps. Runs in a
        worker thread: it reads the store but leaves writing to `plan_site`."""
        start = list(site.start_urls)
        try:
            start += [
                url for url in self.fetcher.robots_sitemaps(site.start_urls[0]) if site.owns(url)
            ]
        except FetchError as error:
            logger.warning("%s: %s", site.domain, error)
        documents: deque[tuple[Link, int]] = deque((Link(url), 1) for url in dict.fromkeys(start))
        visited: set[str] = set()
        found: list[Link] = []
        read: list[_DocumentRead] = []
        failures: list[str] = []
        while documents:
            document, listing_page = documents.popleft()
            if document.url in visited:
                continue
            visited.add(document.url)
            if self._skip_document(document):
                continue
            try:
                response, cached = self._fetch_document(document.url)
            except BlockedError as error:
                logger.info("%s: skipping %s: %s", site.domain, document.url, error)
                continue
            except FetchError as error:
                # Start URLs and child sitemaps are read again on the next run.
                logger.warning("%s: discovery document failed: %s", site.domain, error)
                failures.append(str(error))
                continue
            if cached is not None:
                discovery = cached
            elif not response.ok:
                logger.info("%s: %s answered %s", site.domain, document.url, response.status)
                continue
            else:
                html = None
                if b"<html" in response.content[:4096].lower():
                    html = decode_html(response.content, response.content_type)
                try:
                    discovery = parse_document(
                        response.content, response.content_type, response.final_url, html=html
                    )
                except ValueError as error:
                    logger.warning("%s: cannot read %s: %s", site.domain, document.url, error)
                    continue
            read.append(
                _DocumentRead(
                    url=response.final_url,
                    status=response.status,
                    etag=response.etag,
                    last_modified=response.last_modified,
                    discovery=None if cached is not None else discovery,
                )
            )
            pages = [link for link in discovery.pages if self._is_candidate(site, link.url)]
            found.extend(pages)
            logger.info(
                "%s: %s (%s%s) lists %d article URLs",
                site.domain,
                document.url,
                discovery.kind,
                ", not modified" if cached is not None else "",
                len(pages),
            )
            for follow in discovery.follow:
                if not site.owns(follow.url) or follow.url in visited:
                    continue
                if discovery.kind == "html":
                    # "next page" links and advertised feeds of a listing
                    if listing_page >= site.max_listing_pages and not _looks_like_feed(follow.url):
                        continue
                    documents.append((follow, listing_page + 1))
                else:
                    documents.append((follow, 1))
        links = unique_links(
            Link(canonicalize_url(link.url), link.lastmod, link.published) for link in found
        )
        return _Discovered(links=links, documents=read, failures=failures)

    def _fetch_document(self, url: str) -> tuple[FetchResult, Discovery | None]:
        """A discovery document, requested conditionally. On 304, also what it listed when
        it was last read (a 304 without stored links is asked again in full)."""
        etag, last_modified = self._validators(url)
        response = self.fetcher.fetch(
            url,
            etag=etag,
            last_modified=last_modified,
            validators=self._validators,
            max_bytes=MAX_SITEMAP_BYTES,
        )
        if not response.not_modified:
            return response, None
        cached = self.store.discovery(response.final_url)
        if cached is not None:
            return response, cached
        logger.info("%s answered 304 but its links are not stored; reading it again", url)
        return self.fetcher.fetch(url, max_bytes=MAX_SITEMAP_BYTES), None

    def _skip_document(self, document: Link) -> bool:
        """A child sitemap that has not changed since it was last read, or that only
        holds items older than --since."""
        if document.lastmod is None:
            return False
        if self.options.since and document.lastmod < self.options.since:
            return True
        state = self.store.fetch_state(document.url)
        return bool(state and state.fetched_at and document.lastmod <= state.fetched_at)

    # -- page selection --------------------------------------------------------------

    def _should_fetch(self, link: Link, state: FetchState | None) -> bool:
        since = self.options.since
        newest = link.newest_date
        if since and newest and newest < since:
            return False
        if state is None or state.fetched_at is None:
            return True
        if state.outcome == FAILED and state.next_retry_at:
            return state.next_retry_at <= datetime.now(UTC)
        # A sitemap skipped as unchanged gives no lastmod this run: the last one seen holds.
        lastmod = link.lastmod or state.lastmod_seen
        if state.outcome in (GONE, MOVED):
            return bool(lastmod and lastmod > state.fetched_at)
        if state.outcome == DONE and lastmod is not None:
            return lastmod > state.fetched_at
        return True

    def _validators(self, url: str) -> tuple[str | None, str | None]:
        state = self.store.fetch_state(url)
        return (state.etag, state.last_modified) if state else (None, None)

    # -- fetching (worker threads) ---------------------------------------------------

    def _fetch_page(self, site: SiteConfig, link: Link) -> _PageResult:
        result = _PageResult(site=site, link=link)
        etag, last_modified = self._validators(link.url)
        try:
            result.response = self.fetcher.fetch(
                link.url, etag=etag, last_modified=last_modified, validators=self._validators
            )
        except FetchError as error:
            result.error = error
            return result
        response = result.response
        if response.ok:
            try:
                html = decode_html(response.content, response.content_type)
                result.article = self.extractor(
                    html,
                    response.final_url,
                    profile=site.profile,
                    defaults=site.extraction_defaults(),
                )
            except Exception as error:  # a page the extractor cannot handle: log, retry later
                logger.exception("extraction failed for %s", response.final_url)
                result.extract_error = f"extraction failed: {error!r}"
            if result.article is not None:
                result.alternates = [
                    Link(canonicalize_url(alt.url))
                    for alt in alternate_language_links(html, response.final_url)
                    if self._is_candidate(site, alt.url)
                ]
        return result

    # -- storing (main thread) -------------------------------------------------------

    def _fail(
        self, url: str, message: str, *, site: str | None = None, error: FetchError | None = None
    ) -> None:
        state = self.store.fetch_state(url)
        attempts = (state.attempts if state else 0) + 1
        self.summary.failed += 1
        if len(self.summary.failures) < 100:
            self.summary.failures.append(message)
        if attempts >= MAX_FAILED_RUNS:
            logger.warning("giving up on %s after %d failed runs: %s", url, attempts, message)
            self.store.record_fetch(
                url, site=site, status=(error.status or 0) if error else 0, outcome=GONE
            )
            return
        self.store.record_failure(
            url,
            site=site,
            error=message,
            status=error.status if error else None,
            retry_at=retry_time(error) if error else None,
        )

    def _store_result(self, result: _PageResult) -> list[Link]:
        site, url = result.site.domain, result.link.url
        if result.error is not None:
            if isinstance(result.error, BlockedError):
                logger.info("skipped %s: %s", url, result.error)
                self.summary.skipped += 1
                self.store.record_fetch(
                    url, site=site, status=result.error.status or 0, outcome=GONE
                )
            else:
                logger.warning("failed %s: %s (retried next run)", url, result.error)
                self._fail(url, str(result.error), site=site, error=result.error)
            return []
        response = result.response
        assert response is not None
        if result.extract_error:
            self._fail(url, result.extract_error, site=site)
            return []
        if response.not_modified:
            self.summary.fetched += 1
            self.summary.not_modified += 1
            article_id = self._known_article(url, response.final_url)
            if _is_duplicate(url, article_id):
                self.summary.skipped += 1
            else:
                self.summary.unchanged += 1
            self._record_response(result, article_id=article_id)
            return []
        if not response.ok:
            logger.info("%s answered %s; not retried", url, response.status)
            self.summary.skipped += 1
            self.store.record_fetch(url, site=site, status=response.status, outcome=GONE)
            return []
        self.summary.fetched += 1
        self.summary.downloaded += 1
        if result.article is None:
            self.summary.skipped += 1
            self.summary.not_articles += 1
            self._record_response(result, article_id=None)
            return []
        since = self.options.since
        if since and result.article.published and result.article.published < since:
            # Left pending: a run without --since still stores it.
            self.summary.skipped += 1
            return []
        outcome = self.store.add(result.article)
        article_id = self.store.article_id_for_url(result.article.identity_url)
        if outcome == "unchanged" and _is_duplicate(result.link.url, article_id):
            # Another URL of an article already stored (a second section path, a legacy
            # URL that redirects): nothing new was learned from it.
            self.summary.skipped += 1
        else:
            setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
        self._record_response(result, article_id=article_id)
        return result.alternates

    def _record_response(self, result: _PageResult, *, article_id: str | None) -> None:
        response = result.response
        assert response is not None
        requested = result.link.url
        # A temporary redirect is checked again every run, wherever it leads.
        moved = response.moved_permanently or (
            not response.redirects and _is_duplicate(requested, article_id)
        )
        for url in dict.fromkeys([requested, response.final_url]):
            settled = moved and url == requested
            self.store.record_fetch(
                url,
                site=result.site.domain,
                status=(
                    response.redirect_statuses[0]
                    if settled and response.redirect_statuses
                    else response.status
                ),
                outcome=MOVED if settled else DONE,
                etag=response.etag,
                last_modified=response.last_modified,
                article_id=article_id,
            )

    def _known_article(self, *urls: str) -> str | None:
        """The article an earlier fetch of one of these URLs produced, if any."""
        for url in urls:
            state = self.store.fetch_state(url)
            if state and state.article_id:
                return state.article_id
        return None

    # -- the run ---------------------------------------------------------------------

    def _budget_left(self) -> bool:
        return self.options.max_pages is None or self._requested < self.options.max_pages

    def plan_site(self, site: SiteConfig) -> _SitePlan:
        """Discover a site's URLs, record them, and choose the ones to fetch this run."""
        found = self.discover(site)
        links = found.links
        self.store.note_discovered(((link.url, link.lastmod) for link in links), site=site.domain)
        # Only now: an unchanged child sitemap is skipped next time, so its URLs must be
        # in the fetch state before it counts as read.
        for document in found.documents:
            self.store.record_document(
                document.url,
                site=site.domain,
                status=document.status,
                etag=document.etag,
                last_modified=document.last_modified,
                discovery=document.discovery,
            )
        known = {link.url for link in links}
        for url in self.store.pending_urls(site=site.domain):
            if url not in known:
                links.append(Link(url))
                known.add(url)
        plan = _SitePlan(site=site, discovered=len(links), failures=found.failures)
        for link in links:
            if self._should_fetch(link, self.store.fetch_state(link.url)):
                plan.queue.append(link)
            else:
                plan.skipped += 1
        logger.info(
            "%s: %d article URLs known, %d to fetch", site.domain, len(links), len(plan.queue)
        )
        return plan

    def _plan_all(self) -> deque[tuple[SiteConfig, Link]]:
        """Plan every site (in parallel: politeness is per host) and interleave their
        queues, so requests to different hosts overlap instead of queueing behind one."""
        sites = list(self.sources.sites)
        workers = max(1, min(len(sites), self.fetcher.config.concurrency))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="discover") as pool:
            plans = list(pool.map(self.plan_site, sites))
        for plan in plans:
            self.summary.discovered += plan.discovered
            self.summary.skipped += plan.skipped
            self.summary.failed += len(plan.failures)
            self.summary.failures.extend(plan.failures)
        queue: deque[tuple[SiteConfig, Link]] = deque()
        while any(plan.queue for plan in plans):
            for plan in plans:
                if plan.queue:
                    queue.append((plan.site, plan.queue.popleft()))
        return queue

    def _fetch_all(self, queue: deque[tuple[SiteConfig, Link]]) -> None:
        known = {link.url for _site, link in queue}
        workers = max(1, self.fetcher.config.concurrency)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crawl") as pool:
            in_flight: set[Future[_PageResult]] = set()
            try:
                while queue or in_flight:
                    while queue and len(in_flight) < workers * 2 and self._budget_left():
                        self._requested += 1
                        in_flight.add(pool.submit(self._fetch_page, *queue.popleft()))
                    if not in_flight:
                        break
                    done, in_flight = _wait_first(in_flight)
                    for future in done:
                        result = future.result()
                        for alternate in self._store_result(result):
                            if alternate.url not in known:
                                known.add(alternate.url)
                                self.summary.discovered += 1
                                self.store.note_discovered(
                                    [(alternate.url, None)], site=result.site.domain
                                )
                                queue.append((result.site, alternate))
                                if self._progress is not None:
                                    self._progress.total = (self._progress.total or 0) + 1
                        if self._progress is not None:
                            self._progress.update(1)
            except BaseException:
                # Ctrl-C or a store error: stop now; stored pages are kept, the rest stay
                # pending in the fetch state for the next run.
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        if queue:
            logger.info("page limit reached; %d pages are left for the next run", len(queue))

    def run(self) -> CrawlSummary:
        started = time.monotonic()
        self.summary.started_at = datetime.now(UTC).isoformat()
        show = self.options.progress if self.options.progress is not None else sys.stderr.isatty()
        self._progress = tqdm(total=0, unit="page", disable=not show, file=sys.stderr, leave=False)
        try:
            logger.info("discovering %d sites", len(self.sources.sites))
            queue = self._plan_all()
            self._progress.total = len(queue)
            self._progress.refresh()
            self._fetch_all(queue)
        except KeyboardInterrupt:
            self.summary.interrupted = True
            raise
        finally:
            self._progress.close()
            self.summary.seconds = time.monotonic() - started
            self.summary.requests = self.fetcher.requests_made
        return self.summary


def _link_by_content(store: ArticleStore, places: Mapping[str, Sequence[str]] | None) -> int:
    """Translations linked by content; a store failure here is logged, not raised: the
    crawl's articles are stored, the pass records all its links or none, and the next
    run tries again."""
    try:
        return link_stored_translations(store, places=places).linked
    except StoreError as error:
        logger.error("could not link translations by content: %s", error)
        return 0


def _wait_first(
    futures: set[Future[_PageResult]],
) -> tuple[set[Future[_PageResult]], set[Future[_PageResult]]]:
    done, pending = wait(futures, return_when=FIRST_COMPLETED)
    return set(done), set(pending)


def _is_duplicate(url: str, article_id: str | None) -> bool:
    """Whether `url` led to an article whose canonical URL is another one."""
    return article_id is not None and article_id != article_id_for(canonicalize_url(url))


def _looks_like_feed(url: str) -> bool:
    lowered = url.lower()
    return "/rss" in lowered or lowered.endswith((".rss", ".xml", "/feed", ".atom"))


def run_crawl(
    sources: Sources,
    store: ArticleStore,
    fetcher: Fetcher,
    *,
    lock_path: Path,
    options: CrawlOptions | None = None,
    extractor: Extractor = extract,
    places: Mapping[str, Sequence[str]] | None = None,
) -> CrawlSummary:
    """A locked crawl run whose summary is recorded in the store, even when interrupted.
    After a completed run, stored translations that name no original are linked to it by
    content (`crawler.content_links`; `places`: place key -> names in any language).

    The lock is a file at `lock_path` for an SQLite store, an advisory lock in the database
    for a PostgreSQL one (crawlers on different hosts exclude each other)."""
    with ExitStack() as held_lock:
        try:
            held_lock.enter_context(store.writer_lock("crawl", file_lock_path=lock_path))
        except WriterLockHeld as held:
            raise CrawlLockedError(
                f"another crawl is running ({held}); wait for it to finish. "
                "The lock is released automatically when that process ends."
            ) from None
        run = CrawlRun(sources, store, fetcher, options, extractor=extractor)
        try:
            summary = run.run()
            summary.linked_by_content = _link_by_content(store, places)
        finally:
            try:
                store.record_run({**run.summary.as_dict(), "sources": sources.origin})
            except StoreError as error:
                # Do not hide the error that ended the run behind this one.
                logger.error("could not record the crawl summary: %s", error)
    logger.debug("%s", summary.line())
    return summary
