"""Crawl benchmark: throughput on a synthetic loopback site with politeness off, and the
number of article pages downloaded again by a second run over the unchanged site.

    .venv/bin/python bench/bench_crawl.py [--articles 600] [--concurrency 4]
    BENCH_QUICK=1 .venv/bin/python bench/bench_crawl.py      # a small site

Prints one JSON object and appends it to bench/results/crawl.json (a JSON list).
Two throughputs are measured: end to end (fetch, real extraction, store), and with a
trivial extractor, which shows what the fetching and storing side costs on its own.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import platform
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.models import Article  # noqa: E402
from crawler.run import CrawlOptions, Extractor, run_crawl  # noqa: E402
from crawler.store import ArticleStore  # noqa: E402
from tests.crawler.helpers import fast_fetcher, sources_for  # noqa: E402
from tests.crawler.synthetic_site import SiteContent, SyntheticServer  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "crawl.json"
HOST = "baotinh.example.vn"


def title_only(html: str, url: str, **_kwargs: Any) -> Article | None:
    """A trivial extractor: the <title>, rel=canonical and the raw HTML as text."""
    start = html.find("<title>") + len("<title>")
    title = html[start : html.find("</title>", start)]
    if "Bài viết không tồn tại" in html or 'og:type" content="website' in html:
        return None
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    return Article(
        url=url,
        canonical_url=canonical.group(1) if canonical else None,
        title=title or url,
        text=html[:2000],
        lang="vi",
        lang_detected="vi",
    )


def _serve(articles: int, conn: Connection) -> None:
    """The synthetic site in its own process, so it does not share the crawler's GIL.
    Answers "address" and "downloads" requests over the pipe until told to "stop"."""
    site = SiteContent(HOST, articles=articles, per_listing_page=50)
    with SyntheticServer([site]) as server:
        while True:
            command = conn.recv()
            if command == "address":
                conn.send(server.address)
            elif command == "downloads":
                conn.send(server.downloads())
            else:
                break


def crawl_twice(articles: int, concurrency: int, extractor: Extractor | None) -> dict[str, Any]:
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=_serve, args=(articles, child), daemon=True)
    server.start()

    def ask(command: str) -> Any:
        parent.send(command)
        return parent.recv()

    try:
        address = ask("address")
        with tempfile.TemporaryDirectory() as folder:
            sources = sources_for([HOST], {HOST: address})
            store = ArticleStore(Path(folder) / "articles.sqlite")
            extras: dict[str, Any] = {"extractor": extractor} if extractor else {}
            runs = []
            for _ in range(2):
                downloads_before = ask("downloads")
                with fast_fetcher(sources, concurrency=concurrency, timeout=20.0) as fetcher:
                    summary = run_crawl(
                        sources,
                        store,
                        fetcher,
                        lock_path=Path(folder) / "crawl.lock",
                        options=CrawlOptions(progress=False),
                        **extras,
                    )
                runs.append((summary, ask("downloads") - downloads_before))
            stored = store.count()
            store.close()
    finally:
        parent.send("stop")
        server.join(timeout=10)
    (first, first_downloads), (second, second_downloads) = runs
    return {
        "articles_stored": stored,
        "first_run": {
            "seconds": round(first.seconds, 3),
            "article_pages_fetched": first.fetched,
            "requests": first.requests,
            "pages_per_second": round(first.fetched / first.seconds, 1),
            "new": first.new,
            "failed": first.failed,
        },
        "second_run": {
            "seconds": round(second.seconds, 3),
            "redownloaded_article_pages": second_downloads,
            "not_modified": second.not_modified,
            "skipped": second.skipped,
        },
        "first_run_downloads": first_downloads,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    quick = os.environ.get("BENCH_QUICK") == "1"
    parser.add_argument("--articles", type=int, default=120 if quick else 600)
    parser.add_argument("--concurrency", type=int, default=4)
    args, _unknown = parser.parse_known_args()
    logging.basicConfig(level=logging.WARNING)

    from crawler.extract import extract

    # Load the extractor's lazy parts (date parser, language model) before timing.
    sample = SiteContent(HOST, articles=1)
    extract(sample.article_html(1), sample.article_url(1))
    started = time.perf_counter()
    end_to_end = crawl_twice(args.articles, args.concurrency, extract)
    io_only = crawl_twice(args.articles, args.concurrency, title_only)
    result = {
        "benchmark": "crawl",
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "site": {
            "articles": args.articles,
            "politeness": "off (crawl delay 0)",
            "concurrency": args.concurrency,
        },
        "end_to_end": end_to_end,
        "fetch_and_store_only": io_only,
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    history: list[Any] = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else []
    history.append(result)
    RESULTS.write_text(json.dumps(history, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"crawl: {end_to_end['first_run']['pages_per_second']} pages/s end to end, "
        f"{io_only['first_run']['pages_per_second']} pages/s fetch+store only; "
        f"second run re-downloaded {end_to_end['second_run']['redownloaded_article_pages']} article pages"
    )


if __name__ == "__main__":
    main()
