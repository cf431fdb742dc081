"""The real sites' pitfalls, on a small copy of the demo site (demo.site / demo.serve).

One page per pitfall, rendered by demo.site from the demo corpus: a date only in a body
dateline, a page of about 3 MB, a UTF-8 page served with `charset=iso-8859-1`, a
windows-1258 page, an article also served under a second section path, a legacy URL
behind two 301s and an old slug behind a 302. Extraction is checked page by page; the
crawl is checked end to end on a loopback server that injects errors, resets and delays.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.encoding import decode_html
from crawler.extract import extract
from crawler.models import Article
from crawler.sources import Sources, parse_sources
from crawler.store import ArticleStore
from demo.serve import Faults, make_server
from demo.site import (
    DATELINE_ONLY_ARTICLE,
    DEFAULT_CORPUS,
    LARGE_PAGE_ARTICLE,
    LEGACY_CHAIN_ARTICLE,
    META_DIR,
    OLD_SLUG_ARTICLE,
    PAGES_FILE,
    SECOND_SECTION_ARTICLE,
    SITES,
    WINDOWS_1258_ARTICLE,
    WRONG_CHARSET_ARTICLE,
    Tree,
    build_site,
)
from tests.crawler.helpers import crawl_once

PITFALL_IDS = {
    DATELINE_ONLY_ARTICLE,
    LARGE_PAGE_ARTICLE,
    WRONG_CHARSET_ARTICLE[0],
    WINDOWS_1258_ARTICLE,
    SECOND_SECTION_ARTICLE[0],
    LEGACY_CHAIN_ARTICLE[0],
    OLD_SLUG_ARTICLE[0],
}
PATTERNS = {
    "hexcms": r"/\d{6}/[a-z0-9-]+-[0-9a-f]{6,7}/?$",
    "detailcms": r"/[a-z0-9-]+-\d{6}\.html$",
    "cardcms": r"^/[a-z0-9-]+-\d{7}\.html$",
    "vietnamvn": r"^/(?:(?:en|ru|uk|fr|zh-cn)/)?[a-z0-9]+(?:-[a-z0-9]+){3,}/?$",
}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The demo articles that carry a pitfall, and the originals of those translations."""
    every = [json.loads(line) for line in DEFAULT_CORPUS.read_text("utf-8").splitlines() if line]
    by_url = {record["url"]: record for record in every}
    chosen = [record for record in every if record["id"] in PITFALL_IDS]
    for record in list(chosen):
        original = by_url.get(record.get("translation_of") or "")
        if original is not None and original not in chosen:
            chosen.append(original)
    missing = set(PITFALL_IDS) - {record["id"] for record in chosen}
    assert not missing, f"pitfall articles missing from the demo corpus: {sorted(missing)}"
    return chosen


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, Any]]
) -> tuple[Path, Tree]:
    folder = tmp_path_factory.mktemp("mirror-like")
    corpus = folder / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    root = folder / "site"
    return root, build_site(root, corpus)


def _pages(root: Path) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = json.loads((root / META_DIR / PAGES_FILE).read_text("utf-8"))
    return pages


def _served(root: Path, tree: Tree, url: str) -> tuple[bytes, str]:
    """The bytes and the Content-Type header the server sends for `url`."""
    parts = urlsplit(url)
    route = tree.routes[parts.netloc][parts.path]
    body = (root / parts.netloc / route.file).read_bytes()
    return body, route.type + (f"; charset={route.charset}" if route.charset else "")


def _extract(root: Path, tree: Tree, url: str, record: dict[str, Any]) -> Article | None:
    body, content_type = _served(root, tree, url)
    host = urlsplit(record["url"]).netloc
    return extract(
        decode_html(body, content_type),
        url,
        profile=SITES[host].family,
        defaults={"site": host, "lang": "vi" if host != "www.vietnam.vn" else None},
    )


def _record(records: list[dict[str, Any]], article_id: str) -> dict[str, Any]:
    return next(record for record in records if record["id"] == article_id)


# --------------------------------------------------------------------------- extraction


def test_every_pitfall_page_gives_its_article(
    site: tuple[Path, Tree], records: list[dict[str, Any]]
) -> None:
    root, tree = site
    for record in records:
        article = _extract(root, tree, record["url"], record)
        assert article is not None, record["id"]
        assert article.canonical_url == record["url"]
        assert article.title == record["title"]
        assert article.published == datetime.fromisoformat(record["published"]), record["id"]
        for paragraph in record["paragraphs"][:2]:
            assert paragraph in article.text, record["id"]


def test_date_only_in_a_dateline_gets_its_time_from_the_story_images(
    site: tuple[Path, Tree], records: list[dict[str, Any]]
) -> None:
    root, tree = site
    record = _record(records, DATELINE_ONLY_ARTICLE)
    body, _ = _served(root, tree, record["url"])
    assert b"datePublished" not in body and b'class="time"' not in body
    article = _extract(root, tree, record["url"], record)
    assert article is not None
    # The top bar shows the build day; the dateline gives the day, the image stamp the time.
    assert article.published == datetime.fromisoformat(record["published"])
    assert article.published_source == "image"
    day = article.published
    assert f"ngày {day.day} tháng {day:%m} năm {day.year}" in body.decode("utf-8")
    assert f"ngày {day.day} tháng" not in article.text  # the dateline leaves the body


def test_large_page_is_an_article_without_its_state_blob(
    site: tuple[Path, Tree], records: list[dict[str, Any]]
) -> None:
    root, tree = site
    record = _record(records, LARGE_PAGE_ARTICLE)
    body, _ = _served(root, tree, record["url"])
    assert len(body) > 3_000_000
    article = _extract(root, tree, record["url"], record)
    assert article is not None
    assert "__INITIAL_STATE__" not in article.text and "Bản tin địa phương" not in article.text
    assert len(article.text) < 10_000


def test_wrong_charset_header_and_windows_1258_decode_to_clean_text(
    site: tuple[Path, Tree], records: list[dict[str, Any]]
) -> None:
    root, tree = site
    for article_id in (WRONG_CHARSET_ARTICLE[0], WINDOWS_1258_ARTICLE):
        record = _record(records, article_id)
        article = _extract(root, tree, record["url"], record)
        assert article is not None
        assert article.title == record["title"]
        assert "\ufffd" not in article.text and "Ð" not in article.text


def test_second_section_path_is_the_same_article(
    site: tuple[Path, Tree], records: list[dict[str, Any]]
) -> None:
    root, tree = site
    second = next(p for p in _pages(root) if p.get("pitfall") == "second_section_path")
    record = _record(records, SECOND_SECTION_ARTICLE[0])
    article = _extract(root, tree, second["url"], record)
    assert article is not None
    assert article.url == second["url"] and article.canonical_url == record["url"]


def test_a_duplicate_fetched_last_keeps_the_canonical_url(
    site: tuple[Path, Tree], records: list[dict[str, Any]], tmp_path: Path
) -> None:
    root, tree = site
    second = next(p for p in _pages(root) if p.get("pitfall") == "second_section_path")
    record = _record(records, SECOND_SECTION_ARTICLE[0])
    with ArticleStore(tmp_path / "articles.sqlite") as store:
        for url in (record["url"], second["url"]):  # the canonical copy, then the other
            article = _extract(root, tree, url, record)
            assert article is not None
            store.add(article)
        (stored,) = list(store.articles())
    # What export, search results and citations show as the article's address.
    assert stored.url == record["url"]


# --------------------------------------------------------------------------- the crawl


def _sources(records: list[dict[str, Any]], address: str) -> Sources:
    hosts = sorted({urlsplit(record["url"]).netloc for record in records})
    connect = {name: address for host in hosts for name in (host, host.removeprefix("www."))}
    connect.update({f"www.{host}": address for host in hosts if not host.startswith("www.")})
    mapping = ", ".join(f'"{host}" = "{target}"' for host, target in sorted(connect.items()))
    sites = []
    for host in hosts:
        family = SITES[host].family
        patterns = [PATTERNS[family]] + ([PATTERNS["hexcms"]] if family == "detailcms" else [])
        alias = host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"
        sites.append(
            f'[[site]]\ndomain = "{host}"\naliases = ["{alias}"]\n'
            f'profile = "{family}"\n'
            + ('lang = "vi"\n' if family != "vietnamvn" else "")
            + f'start_urls = ["https://{host}/sitemap.xml", "https://{host}/rss/home.rss"]\n'
            f"article_patterns = {json.dumps(patterns)}\n"
        )
    return parse_sources(
        f"[network]\nconnect_to = {{ {mapping} }}\ncrawl_delay = 0\n\n" + "\n".join(sites)
    )


@pytest.fixture
def faulty_server(site: tuple[Path, Tree], tmp_path: Path) -> Iterator[tuple[str, Path]]:
    log = tmp_path / "access.jsonl"
    faults = Faults(error_rate=0.15, reset_rate=0.05, slow_rate=0.05, slow_seconds=0.2)
    server = make_server(site[0], port=0, seed=7, faults=faults, access_log=log)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()


def _crawl(sources: Sources, store: ArticleStore, tmp_path: Path) -> None:
    crawl_once(sources, store, tmp_path, timeout=2.0, max_attempts=4)


def _article_downloads(log: Path, start: int) -> list[str]:
    entries = [json.loads(line) for line in log.read_text("utf-8").splitlines()[start:]]
    return [
        f"{e['host']}{e['path']}"
        for e in entries
        if e["status"] == 200
        and not e["fault"]
        and not any(doc in e["path"] for doc in ("sitemap", "/rss", "robots.txt"))
    ]


@pytest.mark.integration
def test_crawl_under_faults_stores_each_article_once_and_rechecks_conditionally(
    site: tuple[Path, Tree],
    records: list[dict[str, Any]],
    faulty_server: tuple[str, Path],
    tmp_path: Path,
) -> None:
    address, log = faulty_server
    sources = _sources(records, address)
    with ArticleStore(tmp_path / "articles.sqlite") as store:
        _crawl(sources, store, tmp_path)
        _crawl(sources, store, tmp_path)  # pages that failed in the first run
        # One row per article, under its canonical URL (which copy is stored last varies with
        # the faults; see test_a_duplicate_fetched_last_keeps_the_canonical_url).
        stored = {str(article.canonical_url): article for article in store.articles()}
        assert store.count() == len(records)
        assert sorted(stored) == sorted(record["url"] for record in records)
        for record in records:
            article = stored[record["url"]]
            assert article.title == record["title"]
            assert article.published == datetime.fromisoformat(record["published"])
        lines_before = len(log.read_text("utf-8").splitlines())
        _crawl(sources, store, tmp_path)
        assert store.count() == len(records)
    assert _article_downloads(log, lines_before) == []
