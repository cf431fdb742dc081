"""End-to-end crawls of a synthetic site on a loopback server, with injected faults."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.models import Article, article_id_for
from crawler.run import CrawlOptions
from crawler.store import ArticleStore
from tests.crawler.helpers import crawl_once, sources_for
from tests.crawler.synthetic_site import SiteContent, SyntheticServer

pytestmark = pytest.mark.integration

HOST = "baotinh.example.vn"


@pytest.fixture
def site() -> SiteContent:
    return SiteContent(HOST, articles=12, per_listing_page=5)


@pytest.fixture
def server(site: SiteContent) -> Iterator[SyntheticServer]:
    with SyntheticServer([site]) as running:
        yield running


@pytest.fixture
def store(store_location: Path | str) -> Iterator[ArticleStore]:
    """Each test crawls into an SQLite store and into a PostgreSQL one."""
    with ArticleStore(store_location) as opened:
        yield opened


def test_faults_lose_nothing_and_failed_pages_are_retried_next_run(
    site: SiteContent, server: SyntheticServer, store: ArticleStore, tmp_path: Path
) -> None:
    flaky = [3, 6, 9, 12]  # 500, then a connection reset, then 503 with Retry-After
    server.fail_first = {site.article_path(n): 3 for n in flaky}
    server.slow_first = {site.article_path(n): 1.0 for n in (2, 5)}  # over the 0.5 s timeout
    sources = sources_for([HOST], server.connect_to())

    first = crawl_once(sources, store, tmp_path)

    assert first.failed == len(flaky)
    assert first.new == 12 - len(flaky)  # slow pages were retried within the run
    stored = {article.url for article in store.articles()}
    assert all(site.article_url(n) in stored for n in (2, 5))
    state = store.fetch_state(site.article_url(3))
    assert state is not None and state.outcome == "failed" and state.attempts == 1

    second = crawl_once(sources, store, tmp_path)

    assert (second.new, second.failed) == (len(flaky), 0)
    assert store.count() == 12
    assert {a.id for a in store.articles()} == {
        article_id_for(site.article_url(n)) for n in range(1, 13)
    }
    assert store.last_run()["new"] == len(flaky)  # type: ignore[index]


def test_same_article_under_several_urls_is_stored_once(
    site: SiteContent, server: SyntheticServer, store: ArticleStore, tmp_path: Path
) -> None:
    # Article 1 is in the sitemap, in the feed with ?utm_source=rss, in the listing, and
    # under a second section path whose rel=canonical names the first.
    sources = sources_for([HOST], server.connect_to())

    summary = crawl_once(sources, store, tmp_path)

    assert store.count() == 12
    # The second section path is one more copy of a stored article, whichever comes first.
    assert summary.new == 12 and summary.unchanged + summary.skipped >= 1
    main_path = site.article_path(1)
    assert [s for h, p, s in server.requests if p.split("?")[0] == main_path] == [200]
    assert not any("utm_source" in path for _h, path, _s in server.requests)
    # robots.txt disallows /tim-kiem; the tag page does not match the article patterns.
    assert not any(path.startswith(("/tim-kiem", "/tag/")) for _h, path, _s in server.requests)
    article = store.get(article_id_for(site.article_url(1)))
    assert article is not None and article.province == "Lâm Đồng" and article.site == HOST


def test_second_run_over_an_unchanged_site_downloads_no_article_again(
    site: SiteContent, server: SyntheticServer, store: ArticleStore, tmp_path: Path
) -> None:
    sources = sources_for([HOST], server.connect_to())
    crawl_once(sources, store, tmp_path)
    downloads_before = server.downloads()
    requests_before = len(server.requests)

    second = crawl_once(sources, store, tmp_path)

    assert server.downloads() - downloads_before == 0
    assert (second.new, second.changed, second.failed, second.downloaded) == (0, 0, 0, 0)
    assert store.count() == 12
    # Pages whose sitemap lastmod is not newer than their fetch are not even asked for,
    # nor is the second section path (a duplicate of article 1); only the undated soft
    # 404 is checked with a conditional GET.
    asked = {path for _h, path, _s in server.requests[requests_before:]}
    assert not asked & {site.article_path(n) for n in range(1, 13)}
    assert site.duplicate_path(1) not in asked
    assert second.not_modified == 1


def test_changed_article_is_fetched_again_and_keeps_its_old_version(
    site: SiteContent, server: SyntheticServer, store: ArticleStore, tmp_path: Path
) -> None:
    sources = sources_for([HOST], server.connect_to())
    crawl_once(sources, store, tmp_path)
    site.update_article(4, revision=1, when=datetime.now(UTC) + timedelta(minutes=1))

    second = crawl_once(sources, store, tmp_path)

    assert (second.changed, second.new) == (1, 0)
    versions = store.versions(article_id_for(site.article_url(4)))
    assert [v.version for v in versions] == [1, 2]
    assert "Bản cập nhật lần 1" in versions[1].text and "Bản cập nhật" not in versions[0].text


def test_interrupted_run_keeps_what_was_stored_and_the_next_run_resumes(
    site: SiteContent, server: SyntheticServer, store: ArticleStore, tmp_path: Path
) -> None:
    from crawler.extract import extract

    calls = 0

    def extract_then_interrupt(html: str, url: str, **kwargs: object) -> Article | None:
        nonlocal calls
        calls += 1
        if calls == 6:
            raise KeyboardInterrupt
        return extract(html, url, **kwargs)  # type: ignore[arg-type]

    sources = sources_for([HOST], server.connect_to())
    from crawler.run import run_crawl
    from tests.crawler.helpers import fast_fetcher

    with fast_fetcher(sources, concurrency=1) as fetcher, pytest.raises(KeyboardInterrupt):
        run_crawl(
            sources, store, fetcher, lock_path=tmp_path / "lock", extractor=extract_then_interrupt
        )
    kept = {article.url for article in store.articles()}
    assert 1 <= len(kept) <= 5
    assert store.last_run()["interrupted"] is True  # type: ignore[index]
    requests_before = len(server.requests)

    crawl_once(sources, store, tmp_path)

    assert store.count() == 12
    refetched = {path for _h, path, status in server.requests[requests_before:] if status == 200}
    assert not any(url.removeprefix(f"https://{HOST}") in refetched for url in kept)


def test_max_pages_stops_early_and_the_rest_is_left_for_the_next_run(
    site: SiteContent, server: SyntheticServer, store: ArticleStore, tmp_path: Path
) -> None:
    sources = sources_for([HOST], server.connect_to())

    first = crawl_once(sources, store, tmp_path, options=CrawlOptions(max_pages=4))
    assert first.fetched == 4 and store.count() <= 4

    crawl_once(sources, store, tmp_path)
    assert store.count() == 12


def test_each_host_is_paced_but_different_hosts_are_crawled_side_by_side(
    store: ArticleStore, tmp_path: Path
) -> None:
    from crawler.extract import extract

    hosts = ["baomot.example.vn", "baohai.example.vn"]
    sites = [SiteContent(host, articles=3, per_listing_page=5) for host in hosts]
    extract(sites[0].article_html(1), sites[0].article_url(1))  # load its lazy parts first
    with SyntheticServer(sites) as server:
        sources = sources_for(hosts, server.connect_to())
        summary = crawl_once(sources, store, tmp_path, crawl_delay=0.25)
    assert summary.new == 6 and store.count() == 6
    for host in hosts:
        times = [at for seen, at in server.arrivals if seen == host]
        gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        # (a few milliseconds of jitter between the client's start and the server's read)
        assert min(gaps) >= 0.23, f"{host} was hit faster than the crawl delay"
    # Side by side: the requests take less time than the same requests one host at a time.
    span = server.arrivals[-1][1] - server.arrivals[0][1]
    assert span < 0.25 * (len(server.arrivals) - 2)


def test_since_skips_older_items_and_leaves_them_for_a_full_run(
    site: SiteContent, server: SyntheticServer, store: ArticleStore, tmp_path: Path
) -> None:
    sources = sources_for([HOST], server.connect_to())
    # Articles n are published at 2025-03-01 08:00 UTC + n hours; keep 9..12.
    since = datetime(2025, 3, 1, 16, 30, tzinfo=UTC)
    recent = crawl_once(sources, store, tmp_path, options=CrawlOptions(since=since))
    assert recent.new == 4
    assert all(a.published and a.published >= since for a in store.articles())

    everything = crawl_once(sources, store, tmp_path)
    assert everything.new == 8 and store.count() == 12
