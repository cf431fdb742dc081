"""`policyqa sources check`: what each configured site answers, before a real crawl.

For each site: robots.txt (reachable? which sitemaps it names), every start URL and
robots.txt sitemap (status, what kind of document, how many article URLs it lists, one
level of child sitemaps followed when a sitemap index lists no articles itself), and up
to `max_articles` of the article URLs found, fetched and extracted (title, date and its
source, body length, which extraction path read it, or why it is not an article).

Every failure is recorded on the site it belongs to and the check goes on with the next
site: offline, each site reports "unreachable" with the fetch error instead of a traceback.
The fetching goes through the crawler's polite `Fetcher` (robots.txt, delays, allowed hosts).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from lxml import etree

from crawler.discover import likely_article_path, parse_document, sniff_kind
from crawler.encoding import decode_html
from crawler.errors import CrawlerError
from crawler.extract import read_page
from crawler.fetch import Fetcher, FetchError
from crawler.sources import SiteConfig, Sources

logger = logging.getLogger(__name__)

MAX_ARTICLES = 3
# Child sitemaps of an index looked into when the index itself lists no articles.
MAX_CHILD_SITEMAPS = 2


@dataclass
class DocumentReport:
    url: str
    status: int | None = None
    kind: str | None = None  # sitemap_index | sitemap | feed | html | text
    article_urls: int = 0
    error: str | None = None


@dataclass
class ArticleReport:
    url: str
    status: int | None = None
    title: str | None = None
    published: str | None = None
    published_source: str | None = None
    body_chars: int = 0
    lang: str | None = None
    extraction_path: str | None = None
    verdict: str | None = None  # why the page was or was not taken as an article
    error: str | None = None


@dataclass
class SiteReport:
    domain: str
    robots: str = "not fetched"  # ok | none (no rules) | the error
    sitemaps: list[str] = field(default_factory=list)  # named in robots.txt
    documents: list[DocumentReport] = field(default_factory=list)
    article_urls: int = 0
    articles: list[ArticleReport] = field(default_factory=list)
    error: str | None = None

    @property
    def feeds(self) -> list[str]:
        return [d.url for d in self.documents if d.kind == "feed" and d.error is None]

    @property
    def ok(self) -> bool:
        return self.error is None and any(a.title and a.body_chars for a in self.articles)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["feeds"] = self.feeds
        data["ok"] = self.ok
        return data


def _is_candidate(site: SiteConfig, url: str) -> bool:
    if not site.owns(url):
        return False
    return site.looks_like_article(url) if site.article_patterns else likely_article_path(url)


def _read_document(
    site: SiteConfig, fetcher: Fetcher, url: str, found: list[str]
) -> tuple[DocumentReport, list[str]]:
    """One discovery document: its report, and the child documents it points to."""
    report = DocumentReport(url)
    try:
        response = fetcher.fetch(url)
    except FetchError as error:
        report.error = str(error)
        report.status = error.status
        return report, []
    report.status = response.status
    if not response.ok:
        report.error = f"HTTP {response.status}"
        return report, []
    kind = sniff_kind(response.content, response.content_type)
    report.kind = kind
    html = decode_html(response.content, response.content_type) if kind == "html" else None
    try:
        discovery = parse_document(response.content, response.content_type, url, html=html)
    except (ValueError, CrawlerError, etree.LxmlError) as error:
        report.error = f"unreadable {kind}: {error}"
        return report, []
    pages = [link.url for link in discovery.pages if _is_candidate(site, link.url)]
    report.article_urls = len(pages)
    found.extend(page for page in pages if page not in found)
    children = [link.url for link in discovery.follow if site.owns(link.url)]
    return report, children if kind == "sitemap_index" else []


def _read_article(site: SiteConfig, fetcher: Fetcher, url: str) -> ArticleReport:
    report = ArticleReport(url)
    try:
        response = fetcher.fetch(url)
    except FetchError as error:
        report.error = str(error)
        report.status = error.status
        return report
    report.status = response.status
    if not response.ok:
        report.error = f"HTTP {response.status}"
        return report
    html = decode_html(response.content, response.content_type)
    result = read_page(
        html, response.final_url, profile=site.profile, defaults=site.extraction_defaults()
    )
    report.extraction_path = result.path
    report.verdict = result.reason
    article = result.article
    if article is not None:
        report.title = article.title
        report.published = article.published.isoformat() if article.published else None
        report.published_source = article.published_source
        report.body_chars = len(article.text)
        report.lang = article.lang
    return report


def check_site(
    site: SiteConfig, fetcher: Fetcher, *, max_articles: int = MAX_ARTICLES
) -> SiteReport:
    report = SiteReport(site.domain)
    first = site.start_urls[0]
    try:
        rules = fetcher.robots(first)
    except FetchError as error:
        report.robots = str(error)
        report.error = f"unreachable: {error}"
        return report
    report.robots = "ok" if rules is not None else "none (no rules: everything allowed)"
    report.sitemaps = [url for url in (rules.sitemaps if rules else []) if site.owns(url)]
    found: list[str] = []
    queue = list(dict.fromkeys([*site.start_urls, *report.sitemaps]))
    children_left = MAX_CHILD_SITEMAPS
    while queue:
        url = queue.pop(0)
        document, children = _read_document(site, fetcher, url, found)
        report.documents.append(document)
        if document.article_urls == 0 and children and children_left > 0:
            take = children[:children_left]
            children_left -= len(take)
            queue.extend(child for child in take if child not in queue)
    report.article_urls = len(found)
    if all(d.error for d in report.documents):
        report.error = "no start URL answered: " + "; ".join(
            f"{d.url}: {d.error}" for d in report.documents[:3]
        )
    report.articles = [_read_article(site, fetcher, url) for url in found[:max_articles]]
    return report


def check_sources(
    sources: Sources, fetcher: Fetcher, *, max_articles: int = MAX_ARTICLES
) -> list[SiteReport]:
    """One report per site; a failure on one site never stops the others."""
    reports = []
    for site in sources.sites:
        try:
            reports.append(check_site(site, fetcher, max_articles=max_articles))
        except (CrawlerError, OSError, ValueError) as error:
            logger.warning("%s: check failed: %s", site.domain, error)
            reports.append(SiteReport(site.domain, error=f"check failed: {error}"))
    return reports


def format_table(reports: list[SiteReport]) -> str:
    """The reports as a plain-text table: one line per site, one indented line per article."""
    lines = [
        f"{'site':<26} {'robots':<8} {'sitemaps':>8} {'feeds':>5} {'articles':>8}  status",
    ]
    for report in reports:
        robots = (
            "ok"
            if report.robots == "ok"
            else ("none" if report.robots.startswith("none") else "error")
        )
        status = "ok" if report.ok else (report.error or "no article extracted")
        lines.append(
            f"{report.domain:<26} {robots:<8} {len(report.sitemaps):>8} {len(report.feeds):>5} "
            f"{report.article_urls:>8}  {status}"
        )
        for article in report.articles:
            if article.error:
                detail = f"error: {article.error}"
            elif article.title:
                detail = (
                    f"{article.extraction_path}: {article.title[:50]!r} "
                    f"{article.published or 'no date'} ({article.published_source or '-'}), "
                    f"{article.body_chars} chars"
                )
            else:
                detail = f"not an article ({article.verdict})"
            lines.append(f"    {article.url}  {detail}")
    return "\n".join(lines)
