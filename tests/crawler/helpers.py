"""Building crawler objects for tests: sources for loopback sites, a fast fetcher."""

from __future__ import annotations

from pathlib import Path

from crawler.fetch import FetchConfig, Fetcher
from crawler.run import CrawlOptions, CrawlSummary, run_crawl
from crawler.sources import Sources, parse_sources
from crawler.store import ArticleStore

ARTICLE_PATTERN = r"-\d{6}\.html$"


def sources_for(hosts: list[str], connect_to: dict[str, str]) -> Sources:
    mapping = ", ".join(f'"{host}" = "{address}"' for host, address in connect_to.items())
    sites = "\n".join(
        f"""
[[site]]
domain = "{host}"
aliases = ["www.{host}"]
province = "Lâm Đồng"
lang = "vi"
start_urls = ["https://{host}/rss/home.rss", "https://{host}/tin-moi/"]
article_patterns = ['{ARTICLE_PATTERN}']
max_listing_pages = 10
"""
        for host in hosts
    )
    return parse_sources(f"[network]\nconnect_to = {{ {mapping} }}\ncrawl_delay = 0\n{sites}")


def fast_fetcher(sources: Sources, **overrides: object) -> Fetcher:
    values: dict[str, object] = {
        "user_agent": "policyqa-test/1.0",
        "allowed_hosts": frozenset(h for site in sources.sites for h in site.hosts),
        "crawl_delay": 0.0,
        "concurrency": 4,
        "timeout": 0.5,
        "max_attempts": 2,
        "backoff_base": 0.01,
        "connect_to": dict(sources.network.connect_to),
        "allowed_private": sources.allowed_private_hosts,
    }
    values.update(overrides)
    return Fetcher(FetchConfig(**values))  # type: ignore[arg-type]


def crawl_once(
    sources: Sources,
    store: ArticleStore,
    tmp_path: Path,
    *,
    options: CrawlOptions | None = None,
    **fetch_overrides: object,
) -> CrawlSummary:
    with fast_fetcher(sources, **fetch_overrides) as fetcher:
        return run_crawl(
            sources, store, fetcher, lock_path=tmp_path / "crawl.lock", options=options
        )
