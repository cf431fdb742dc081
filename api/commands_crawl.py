"""Crawl, import and export commands: settings in, the crawler's work done, an exit code out.

Exit codes (see api/cli.py): 0 the run completed, even when some pages failed (they are
recorded and retried on the next run); 2 a bad sources file, import file or option;
1 any other failure (another crawl holds the lock, the store cannot be written).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, time
from pathlib import Path

from api.place_names import place_names
from api.settings import Settings
from crawler.errors import ImportFormatError
from crawler.fetch import FetchConfig, Fetcher
from crawler.jsonl import export_jsonl, import_jsonl
from crawler.run import CrawlOptions, run_crawl
from crawler.sourcecheck import check_sources, format_table
from crawler.sources import Sources, load_sources
from crawler.store import ArticleStore
from facts.vietnam_time import VIETNAM_TZ

EXIT_OK = 0
EXIT_USAGE = 2
# Bad import lines named on stderr; the rest are only counted.
MAX_REPORTED_PROBLEMS = 20


def _parse_since(value: str) -> datetime:
    """YYYY-MM-DD (start of that day, Vietnamese time) or an ISO 8601 date-time."""
    parsed = datetime.fromisoformat(value.strip())
    if len(value.strip()) == 10:
        parsed = datetime.combine(parsed.date(), time(), VIETNAM_TZ)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM_TZ)


def fetch_config_for(settings: Settings, sources: Sources, *, proxy: str | None) -> FetchConfig:
    network = sources.network
    hosts = frozenset(host for site in sources.sites for host in site.hosts)
    return FetchConfig(
        user_agent=settings.user_agent,
        allowed_hosts=hosts,
        crawl_delay=network.crawl_delay
        if network.crawl_delay is not None
        else settings.crawl_delay_seconds,
        concurrency=network.concurrency or settings.crawl_concurrency,
        timeout=settings.fetch_timeout_seconds,
        max_page_bytes=settings.max_page_bytes,
        proxy=proxy or settings.proxy,
        connect_to=dict(network.connect_to),
        allowed_private=sources.allowed_private_hosts,
    )


def crawl(
    settings: Settings,
    *,
    sources: Path | None,
    sites: list[str],
    max_pages: int | None,
    since: str | None,
    proxy: str | None,
) -> int:
    """`policyqa crawl`: one incremental, polite, locked crawl run; prints the summary line."""
    since_at: datetime | None = None
    if since:
        try:
            since_at = _parse_since(since)
        except ValueError:
            print(f"policyqa: --since {since!r}: expected a date as YYYY-MM-DD", file=sys.stderr)
            return EXIT_USAGE
    if max_pages is not None and max_pages < 1:
        print("policyqa: --max-pages must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        # httpx logs every request at INFO, with connect_to addresses instead of real hosts.
        logging.getLogger("httpx").setLevel(logging.WARNING)
    chosen = load_sources(sources or settings.sources_file).select(sites)
    config = fetch_config_for(settings, chosen, proxy=proxy)
    options = CrawlOptions(max_pages=max_pages, since=since_at)
    with ArticleStore(settings.store_location) as store, Fetcher(config) as fetcher:
        summary = run_crawl(
            chosen,
            store,
            fetcher,
            lock_path=settings.crawl_lock_path,
            options=options,
            places=place_names(),
        )
    print(summary.line())
    return EXIT_OK


def check_sources_command(
    settings: Settings,
    *,
    sources: Path | None,
    sites: list[str],
    as_json: bool,
    max_articles: int,
    proxy: str | None,
) -> int:
    """`policyqa sources check`: robots.txt, start URLs and a few articles of each site.

    Exit code 0 when every checked site gave at least one extracted article, 1 otherwise
    (each failing site says why, in the table or the JSON)."""
    if max_articles < 0:
        print("policyqa: --articles must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        logging.getLogger("httpx").setLevel(logging.WARNING)
    chosen = load_sources(sources or settings.sources_file).select(sites)
    config = fetch_config_for(settings, chosen, proxy=proxy)
    with Fetcher(config) as fetcher:
        reports = check_sources(chosen, fetcher, max_articles=max_articles)
    if as_json:
        json.dump([r.as_dict() for r in reports], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(format_table(reports))
    return EXIT_OK if all(r.ok for r in reports) else 1


def import_articles(settings: Settings, *, path: Path) -> int:
    """`policyqa import FILE.jsonl`: same dedupe and versioning as crawling."""
    problems: list[ImportFormatError] = []
    with ArticleStore(settings.store_location) as store:
        outcomes = import_jsonl(store, path, problems, places=place_names())
        total = store.count()
    for problem in problems[:MAX_REPORTED_PROBLEMS]:
        print(f"policyqa: skipped {problem}", file=sys.stderr)
    if len(problems) > MAX_REPORTED_PROBLEMS:
        print(f"policyqa: ... and {len(problems) - MAX_REPORTED_PROBLEMS} more", file=sys.stderr)
    print(
        f"import: new={outcomes['new']} changed={outcomes['changed']} "
        f"unchanged={outcomes['unchanged']} skipped={len(problems)} "
        f"linked={outcomes['linked']} articles in store={total}"
    )
    # Bad lines were skipped: the exit code tells scripts the file needs fixing.
    return EXIT_USAGE if problems else EXIT_OK


def export_articles(settings: Settings, *, fmt: str) -> int:
    """`policyqa articles export`: every stored article as JSONL on stdout."""
    if fmt.lower() != "jsonl":
        print(f"policyqa: --format {fmt!r} is not supported; use jsonl", file=sys.stderr)
        return EXIT_USAGE
    with ArticleStore(settings.store_location) as store:
        export_jsonl(store, sys.stdout)
    sys.stdout.flush()
    return EXIT_OK
