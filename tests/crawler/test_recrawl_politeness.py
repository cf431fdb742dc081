"""Recrawling an unchanged site costs it as little as possible: discovery documents are
requested conditionally, and URLs that moved for good are not requested again."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from crawler.store import ArticleStore
from tests.crawler.helpers import crawl_once, sources_for
from tests.crawler.synthetic_site import Page, SiteContent, SyntheticServer

pytestmark = pytest.mark.integration

HOST = "baotinh.example.vn"
# Legacy URLs: two permanent hops to article 2, one to article 5; a temporary one to 3.
LEGACY_2 = "/tin-cu/chinh-sach-ho-tro-so-2-100002.html"
ARCHIVE_2 = "/luu-tru/chinh-sach-ho-tro-so-2-100002.html"
LEGACY_5 = "/tin-cu/chinh-sach-ho-tro-so-5-100005.html"
TEMPORARY_3 = "/tam-thoi/chinh-sach-ho-tro-so-3-100003.html"
DISCOVERY = ("/sitemap.xml", "/sitemaps/posts.xml", "/rss/home.rss", "/tin-moi/")


def _redirect(status: int, site: SiteContent, path: str) -> Page:
    return Page(b"", status=status, location=f"https://{site.host}{path}")


def _add_redirects(site: SiteContent) -> None:
    site.pages[LEGACY_2] = _redirect(301, site, ARCHIVE_2)
    site.pages[ARCHIVE_2] = _redirect(301, site, site.article_path(2))
    site.pages[LEGACY_5] = _redirect(308, site, site.article_path(5))
    site.pages[TEMPORARY_3] = _redirect(302, site, site.article_path(3))
    feed = site.pages["/rss/home.rss"]
    items = "".join(
        f"<item><title>Tin cũ</title><link>https://{site.host}{path}</link></item>"
        for path in (LEGACY_2, LEGACY_5, TEMPORARY_3)
    )
    feed.body = feed.body.replace(b"</channel>", items.encode() + b"</channel>")


def _add_to_sitemap(site: SiteContent, path: str, lastmod: datetime) -> None:
    """List `path` in the child sitemap with `lastmod` (replacing an earlier entry for
    it), and date the index accordingly."""
    sitemap = site.pages["/sitemaps/posts.xml"]
    loc = f"<url><loc>{escape(f'https://{site.host}{path}')}</loc>"
    body = re.sub(re.escape(loc) + "<lastmod>[^<]*</lastmod></url>", "", sitemap.body.decode())
    entry = f"{loc}<lastmod>{lastmod.isoformat()}</lastmod></url>"
    sitemap.body = body.replace("</urlset>", entry + "</urlset>").encode()
    index = site.pages["/sitemap.xml"].body.decode()
    start = index.index("<lastmod>") + len("<lastmod>")
    end = index.index("</lastmod>")
    site.pages["/sitemap.xml"] = Page(
        (index[:start] + lastmod.isoformat() + index[end:]).encode(), "application/xml"
    )


@pytest.fixture
def site() -> SiteContent:
    content = SiteContent(HOST, articles=12, per_listing_page=5)
    _add_redirects(content)
    return content


@pytest.fixture
def server(site: SiteContent) -> Iterator[SyntheticServer]:
    with SyntheticServer([site]) as running:
        yield running


@pytest.fixture
def store(store_location: Path | str) -> Iterator[ArticleStore]:
    """Each test crawls into an SQLite store and into a PostgreSQL one."""
    with ArticleStore(store_location) as opened:
        yield opened


def _since(server: SyntheticServer, start: int) -> list[tuple[str, int]]:
    return [(path.split("?", 1)[0], status) for _h, path, status in server.requests[start:]]


def test_second_crawl_of_an_unchanged_site_downloads_nothing_and_skips_moved_urls(
    site: SiteContent, server: SyntheticServer, store: ArticleStore, tmp_path: Path
) -> None:
    sources = sources_for([HOST], server.connect_to())

    first = crawl_once(sources, store, tmp_path)

    assert first.new == 12 and first.failed == 0 and store.count() == 12
    first_requests = _since(server, 0)
    assert (LEGACY_2, 301) in first_requests and (ARCHIVE_2, 301) in first_requests
    states = {
        path: store.fetch_state(f"https://{HOST}{path}")
        for path in (LEGACY_2, LEGACY_5, TEMPORARY_3, site.duplicate_path(1))
    }
    assert {path: s.outcome for path, s in states.items() if s} == {
        LEGACY_2: "moved",
        LEGACY_5: "moved",
        TEMPORARY_3: "done",
        site.duplicate_path(1): "moved",
    }
    assert [states[path].status for path in (LEGACY_2, LEGACY_5)] == [301, 308]  # type: ignore[union-attr]

    start = len(server.requests)
    second = crawl_once(sources, store, tmp_path)

    asked = _since(server, start)
    assert [path for path, status in asked if status == 200] == ["/robots.txt"]
    statuses = Counter(status for _path, status in asked)
    assert set(statuses) == {200, 302, 304}
    for document in DISCOVERY:
        if document != "/sitemaps/posts.xml":  # the index dates it: not asked at all
            assert (document, 304) in asked
    assert "/sitemaps/posts.xml" not in {path for path, _s in asked}
    # Moved for good: not asked at all. Moved for now: asked again, and its target is
    # checked conditionally.
    paths = [path for path, _status in asked]
    assert not {LEGACY_2, ARCHIVE_2, LEGACY_5, site.duplicate_path(1)} & set(paths)
    assert (TEMPORARY_3, 302) in asked and (site.article_path(3), 304) in asked
    assert (second.new, second.changed, second.failed, second.downloaded) == (0, 0, 0, 0)
    # The summary still counts the feed and listing URLs that were reused from the store.
    assert second.discovered == first.discovered
    assert store.count() == 12

    site.update_article(4, revision=1, when=datetime.now(UTC) + timedelta(minutes=1))
    start = len(server.requests)
    third = crawl_once(sources, store, tmp_path)

    asked = _since(server, start)
    downloads = [path for path, status in asked if status == 200 and not path.startswith(DISCOVERY)]
    assert downloads == ["/robots.txt", site.article_path(4)]
    assert not {LEGACY_2, ARCHIVE_2, LEGACY_5} & {path for path, _s in asked}
    assert (third.changed, third.new, third.downloaded) == (1, 0, 1)


def test_a_moved_url_is_asked_again_when_its_sitemap_lastmod_is_newer(
    site: SiteContent, server: SyntheticServer, store: ArticleStore, tmp_path: Path
) -> None:
    sources = sources_for([HOST], server.connect_to())
    _add_to_sitemap(site, LEGACY_5, datetime(2025, 3, 2, tzinfo=UTC))
    crawl_once(sources, store, tmp_path)
    start = len(server.requests)
    crawl_once(sources, store, tmp_path)
    assert LEGACY_5 not in {path for path, _s in _since(server, start)}

    _add_to_sitemap(site, LEGACY_5, datetime.now(UTC) + timedelta(minutes=1))
    start = len(server.requests)
    again = crawl_once(sources, store, tmp_path)

    asked = _since(server, start)
    assert (LEGACY_5, 308) in asked and (site.article_path(5), 304) in asked
    assert again.downloaded == 0


def test_a_304_without_stored_links_reads_the_document_again(
    site: SiteContent, server: SyntheticServer, store: ArticleStore, tmp_path: Path
) -> None:
    # A store written before discovery documents were kept has their validators only.
    sources = sources_for([HOST], server.connect_to())
    crawl_once(sources, store, tmp_path)
    store._write([("DELETE FROM discovery_documents", ())])
    start = len(server.requests)

    second = crawl_once(sources, store, tmp_path)

    asked = _since(server, start)
    assert ("/rss/home.rss", 304) in asked and ("/rss/home.rss", 200) in asked
    assert second.discovered > 12 and second.downloaded == 0
    assert store.discovery(f"https://{HOST}/rss/home.rss") is not None


def test_a_url_that_resolves_to_a_stored_article_counts_as_skipped(
    store: ArticleStore, tmp_path: Path
) -> None:
    # One worker, so pages are fetched in the order they were discovered.
    site = SiteContent(HOST, articles=3, per_listing_page=5)
    legacy = "/tin-cu/chinh-sach-ho-tro-so-3-100003.html"
    site.pages[legacy] = _redirect(301, site, site.article_path(3))
    feed = site.pages["/rss/home.rss"]
    item = f"<item><title>Tin cũ</title><link>https://{HOST}{legacy}</link></item>"
    feed.body = feed.body.replace(b"</channel>", item.encode() + b"</channel>")
    with SyntheticServer([site]) as server:
        sources = sources_for([HOST], server.connect_to())
        first = crawl_once(sources, store, tmp_path, concurrency=1)
        assert (legacy, 301) in _since(server, 0)

    # The listing names article 1 before its second section path, and the feed names
    # article 3 before its legacy URL: neither duplicate counts as an unchanged article.
    assert (first.new, first.unchanged, first.not_modified) == (3, 0, 1)
    # skipped: the legacy URL (a 304 for article 3), the second section path, the soft
    # 404 (not an article) and the robots.txt-disallowed search page.
    assert (first.skipped, first.not_articles) == (4, 1)
