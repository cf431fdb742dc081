"""Discovery: turn sitemaps, news sitemaps, RSS/Atom feeds and section listings into URLs.

Pure functions over bytes and strings, no network. Each parser returns a `Discovery`:
`pages` are candidate article pages (with the sitemap `lastmod` or feed date when known),
`follow` are more discovery documents (child sitemaps, the next listing page, feeds a page
advertises). The crawl run decides which of them are on a configured site.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import feedparser
from lxml import etree
from lxml import html as lxml_html

from crawler.urls import resolve_url
from facts.vietnam_time import VIETNAM_TZ

logger = logging.getLogger(__name__)

DocumentKind = Literal["sitemap_index", "sitemap", "feed", "html", "text"]

# Cap on a decompressed sitemap, against gzip bombs (the sitemap protocol allows 50 MB).
MAX_SITEMAP_BYTES = 50 * 1024 * 1024

_NEXT_TEXT = re.compile(
    r"^\s*(trang sau|sau|tiếp|xem thêm|next|older|»|›|>>?)\s*»?\s*$", re.IGNORECASE
)
_PAGINATION_CLASS = re.compile(r"pag", re.IGNORECASE)
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NON_ARTICLE_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "tim-kiem",
        "search",
        "video",
        "videos",
        "multimedia",
        "media",
        "rss",
        "category",
        "danh-muc",
        "chuyen-muc",
        "author",
        "tac-gia",
        "login",
        "dang-nhap",
        "lien-he",
        "gioi-thieu",
        "chinh-sach-bao-mat",
        "photo",
        "anh",
        "podcast",
        "emagazine-list",
    }
)
_ASSET_EXTENSION = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|css|js|pdf|mp4|mp3|zip|xml|rss)$", re.I
)


@dataclass(frozen=True)
class Link:
    """A discovered URL. `lastmod` is a sitemap's last-modified time (used to skip pages
    that have not changed since they were fetched); `published` is a feed's or news
    sitemap's publication time (used by `--since`)."""

    url: str
    lastmod: datetime | None = None
    published: datetime | None = None

    @property
    def newest_date(self) -> datetime | None:
        dates = [d for d in (self.lastmod, self.published) if d is not None]
        return max(dates) if dates else None


@dataclass
class Discovery:
    kind: DocumentKind
    pages: list[Link] = field(default_factory=list)
    follow: list[Link] = field(default_factory=list)


def parse_lastmod(value: str | None) -> datetime | None:
    """A W3C/ISO 8601 or RFC 822 date as an aware datetime, or None if unreadable.

    A date without a time means "some time that day": it becomes the end of that day in
    Vietnamese time, so an article changed later the same day is never skipped. A naive
    time is taken as Vietnamese local time.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        if _DATE_ONLY.fullmatch(text):
            day = date.fromisoformat(text)
            return datetime.combine(day + timedelta(days=1), time(), VIETNAM_TZ)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            logger.debug("unreadable date %r", text)
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM_TZ)


def _strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def _http_url(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def maybe_gunzip(body: bytes, *, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Decompress a gzip body (`sitemap.xml.gz`); other bodies are returned as they are."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = decompressor.decompress(body, limit)
    except zlib.error as error:
        raise ValueError(f"corrupt gzip data: {error}") from error
    if decompressor.unconsumed_tail:
        raise ValueError(f"decompressed document is larger than {limit} bytes")
    return data


def sniff_kind(body: bytes, content_type: str | None = None) -> DocumentKind:
    """What a discovery document is, from its first bytes (servers mislabel types)."""
    head = body[:4096]
    if body.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, 4096)
        except zlib.error:
            head = b""
    lowered = head.lower()
    if b"<sitemapindex" in lowered:
        return "sitemap_index"
    if b"<urlset" in lowered:
        return "sitemap"
    if b"<rss" in lowered or b"<feed" in lowered or b"<rdf:rdf" in lowered:
        return "feed"
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<body" in lowered:
        return "html"
    if content_type and "html" in content_type.lower():
        return "html"
    return "text"


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, base_url: str) -> Discovery:
    """A sitemap index, a urlset (including news and image sitemaps) or a plain-text
    sitemap (one URL per line)."""
    data = maybe_gunzip(body)
    stripped = data.lstrip()
    if not stripped.startswith(b"<"):
        urls = (line.strip() for line in data.decode("utf-8", "replace").splitlines())
        links = [Link(_strip_fragment(u)) for u in urls if u and _http_url(u)]
        return Discovery(kind="sitemap", pages=links)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"not a readable sitemap: {error}") from error
    if root is None:
        raise ValueError("not a readable sitemap: empty document")
    is_index = _local(root.tag) == "sitemapindex"
    discovery = Discovery(kind="sitemap_index" if is_index else "sitemap")
    for entry in root:
        if _local(entry.tag) not in ("sitemap", "url"):
            continue
        loc: str | None = None
        lastmod: datetime | None = None
        news_date: datetime | None = None
        for child in entry.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name == "loc" and loc is None and child.getparent() is entry:
                loc = text
            elif name == "lastmod":
                lastmod = parse_lastmod(text)
            elif name == "publication_date":
                news_date = parse_lastmod(text)
        if not loc:
            continue
        url = _strip_fragment(resolve_url(base_url, loc))
        if not _http_url(url):
            continue
        link = Link(url, lastmod=lastmod, published=news_date)
        (discovery.follow if is_index else discovery.pages).append(link)
    return discovery


def _feed_date(entry: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            year, month, day, hour, minute, second = parsed[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return None


def parse_feed(body: bytes, base_url: str) -> Discovery:
    """RSS 0.9x/1.0/2.0 or Atom: the item links, with their dates."""
    feed = feedparser.parse(body, response_headers={"content-location": base_url})
    if feed.get("bozo") and not feed.entries:
        raise ValueError(f"not a readable feed: {feed.get('bozo_exception')}")
    discovery = Discovery(kind="feed")
    for entry in feed.entries:
        href = entry.get("link") or entry.get("id")
        if not href:
            continue
        url = _strip_fragment(resolve_url(base_url, href))
        if _http_url(url):
            discovery.pages.append(Link(url, published=_feed_date(entry)))
    return discovery


def parse_listing(html: str, page_url: str) -> Discovery:
    """A section page: every link on it, and its "next page" links and advertised feeds."""
    discovery = Discovery(kind="html")
    if not html.strip():
        return discovery
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError) as error:
        raise ValueError(f"not a readable HTML page: {error}") from error
    seen: set[str] = set()
    page = _strip_fragment(page_url)
    for anchor in tree.iterfind(".//a[@href]"):
        url = _strip_fragment(resolve_url(page_url, anchor.get("href", "")))
        if not _http_url(url) or url == page:
            continue
        rel = (anchor.get("rel") or "").lower().split()
        in_pagination = any(
            _PAGINATION_CLASS.search(ancestor.get("class") or "")
            for ancestor in anchor.iterancestors()
        )
        if "next" in rel or _NEXT_TEXT.match(anchor.text_content() or ""):
            discovery.follow.append(Link(url))
        elif in_pagination:
            continue  # numbered page links: reached one by one through "next"
        elif url not in seen:
            seen.add(url)
            discovery.pages.append(Link(url))
    for link in tree.iterfind(".//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        url = _strip_fragment(resolve_url(page_url, link.get("href", "")))
        if not _http_url(url):
            continue
        if "next" in rel or ("alternate" in rel and ("rss" in kind or "atom" in kind)):
            discovery.follow.append(Link(url))
    discovery.follow = list(dict.fromkeys(discovery.follow))
    return discovery


def alternate_language_links(html: str, page_url: str) -> list[Link]:
    """`hreflang` alternates of a page: its translations, worth fetching as articles."""
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    links: list[Link] = []
    for link in tree.iterfind(".//link[@hreflang]"):
        if "alternate" not in (link.get("rel") or "").lower().split():
            continue
        if (link.get("hreflang") or "").lower() == "x-default":
            continue
        url = _strip_fragment(resolve_url(page_url, link.get("href", "")))
        if _http_url(url) and url != _strip_fragment(page_url):
            links.append(Link(url))
    return list(dict.fromkeys(links))


def parse_document(
    body: bytes, content_type: str | None, url: str, *, html: str | None = None
) -> Discovery:
    """Dispatch on what the document is. `html` is the decoded page when the caller has it."""
    kind = sniff_kind(body, content_type)
    if kind in ("sitemap_index", "sitemap"):
        return parse_sitemap(body, url)
    if kind == "feed":
        return parse_feed(body, url)
    if kind == "html":
        return parse_listing(html if html is not None else body.decode("utf-8", "replace"), url)
    if url.lower().endswith((".txt", ".txt.gz")):
        return parse_sitemap(body, url)
    return Discovery(kind="text")


def likely_article_path(url: str) -> bool:
    """A guess for sites without `article_patterns`: a page with a long slug or an
    `.html` name, outside tag, search, video and similar sections."""
    path = urlsplit(url).path
    segments = [segment for segment in path.split("/") if segment]
    if not segments or _ASSET_EXTENSION.search(path):
        return False
    if any(segment.lower() in _NON_ARTICLE_SEGMENTS for segment in segments[:-1]):
        return False
    last = segments[-1]
    return last.endswith((".html", ".htm")) or last.count("-") >= 3


def unique_links(links: Iterable[Link]) -> list[Link]:
    """Links by URL, keeping the newest lastmod seen for each."""
    best: dict[str, Link] = {}
    for link in links:
        known = best.get(link.url)
        if known is None or (
            link.lastmod and (known.lastmod is None or link.lastmod > known.lastmod)
        ):
            best[link.url] = link
    return list(best.values())
