"""The store's database layer on SQLite and on a real PostgreSQL: fetch state, discovery
documents, order of articles, schema migrations, the writer lock, and copying a store."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.database import WriterLockHeld, open_database
from crawler.discover import Discovery, Link
from crawler.errors import StoreError
from crawler.migrations import LATEST_VERSION
from crawler.models import Article, article_id_for
from crawler.store import DONE, FAILED, ArticleStore
from crawler.store_copy import TABLES, copy_store, table_digest

ORIGINAL = "https://baolamdong.vn/xa-hoi/202503/lam-dong-cam-ket-abc1234/"


def _article(url: str, **fields: object) -> Article:
    values: dict[str, object] = {
        "url": url,
        "title": f"Tin {url[-6:]}",
        "text": f"Tỉnh Lâm Đồng triển khai dự án {url}. Hoàn thành trước tháng 5 năm 2025.",
        "site": "baolamdong.vn",
    }
    values.update(fields)
    return Article.model_validate(values)


def _fill(store: ArticleStore) -> None:
    """A store with every kind of row: versions, a translation, fetch state, a discovery
    document and crawl runs."""
    for n in range(7):
        store.add(_article(f"https://baolamdong.vn/tin/{n:03d}-abcdef/"))
    store.add(_article(ORIGINAL), fetched_at=datetime(2025, 3, 1, tzinfo=UTC))
    store.add(_article(ORIGINAL, text="Văn bản đã sửa đổi, hạn tháng 6 năm 2025."))
    store.add(
        _article(
            "https://vietnam.vn/en/lam-dong-commits",
            title="Lam Dong commits",
            text="Lam Dong province committed to finish the project by May 2025.",
            site="vietnam.vn",
            translation_of=ORIGINAL,
        )
    )
    store.note_discovered(
        [("https://baolamdong.vn/tin/new-1/", datetime(2025, 3, 2, tzinfo=UTC))],
        site="baolamdong.vn",
    )
    store.record_fetch(
        ORIGINAL, site="baolamdong.vn", status=200, etag='"v2"', last_modified="Sat, 01 Mar"
    )
    store.record_failure("https://baolamdong.vn/tin/slow/", site="baolamdong.vn", error="timeout")
    store.record_document(
        "https://baolamdong.vn/sitemap.xml",
        site="baolamdong.vn",
        status=200,
        etag='"s1"',
        last_modified=None,
        discovery=Discovery(
            kind="sitemap",
            pages=[Link(ORIGINAL, datetime(2025, 3, 1, tzinfo=UTC), None)],
            follow=[],
        ),
    )
    store.record_run({"fetched": 9, "failed": 1})
    store.record_run({"fetched": 2, "failed": 0})


def test_fetch_state_and_discovery_survive_reopening(store_location: Path | str) -> None:
    with ArticleStore(store_location) as store:
        _fill(store)
    with ArticleStore(store_location) as store:
        state = store.fetch_state(ORIGINAL)
        assert state is not None and state.outcome == DONE and state.etag == '"v2"'
        failed = store.fetch_state("https://baolamdong.vn/tin/slow/")
        assert failed is not None and failed.outcome == FAILED and failed.attempts == 1
        later = datetime.now(UTC) + timedelta(hours=1)
        store.record_failure(
            "https://baolamdong.vn/tin/slow/", site="baolamdong.vn", error="x", retry_at=later
        )
        assert store.fetch_state("https://baolamdong.vn/tin/slow/").attempts == 2  # type: ignore[union-attr]
        assert store.pending_urls(site="baolamdong.vn") == ["https://baolamdong.vn/tin/new-1/"]
        assert store.pending_urls(now=later + timedelta(seconds=1)) == [
            "https://baolamdong.vn/tin/new-1/",
            "https://baolamdong.vn/tin/slow/",
        ]
        listed = store.discovery("https://baolamdong.vn/sitemap.xml")
        assert listed is not None and [link.url for link in listed.pages] == [ORIGINAL]
        last = store.last_run()
        assert last is not None and last["fetched"] == 2 and last["recorded_at"]


def test_articles_come_back_in_the_order_first_stored_across_batches(
    store_location: Path | str,
) -> None:
    urls = [f"https://baolamdong.vn/tin/{n:03d}-zz{n}/" for n in (5, 1, 9, 3, 7, 2)]
    with ArticleStore(store_location) as store:
        for url in urls:
            store.add(_article(url))
        store.add(_article(urls[0], text="Sửa lại: một phiên bản mới của bài đầu tiên."))
        read = list(store.articles(batch_size=4))
    assert [a.url for a in read] == urls
    assert read[0].version == 2
    assert store.path  # the description names the store


def test_a_new_store_is_migrated_on_first_use_and_records_it(store_location: Path | str) -> None:
    database = open_database(store_location)
    try:
        assert database.schema_version() == LATEST_VERSION
        assert database.migrate() == []  # nothing left to apply
        rows = database.query("SELECT version FROM schema_migrations")
        assert [int(row["version"]) for row in rows] == list(range(1, LATEST_VERSION + 1))
    finally:
        database.close()


def test_a_store_from_before_migrations_is_adopted_with_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with ArticleStore(path) as store:
        store.add(_article(ORIGINAL))
    legacy = sqlite3.connect(path)
    legacy.execute("DROP TABLE schema_migrations")
    legacy.commit()
    legacy.close()
    with ArticleStore(path) as store:
        assert store.count() == 1
        assert store.database.schema_version() == LATEST_VERSION


def test_only_one_writer_holds_the_lock(store_location: Path | str, tmp_path: Path) -> None:
    lock_file = tmp_path / "crawl.lock"
    with ArticleStore(store_location) as first, ArticleStore(store_location) as second:
        with first.writer_lock("crawl", file_lock_path=lock_file):
            with (
                pytest.raises(WriterLockHeld),
                second.writer_lock("crawl", file_lock_path=lock_file),
            ):
                pass
            # Another lock name is another writer role: not blocked.
            with second.writer_lock("index", file_lock_path=tmp_path / "index.lock"):
                pass
        with second.writer_lock("crawl", file_lock_path=lock_file):
            pass


@pytest.mark.integration
def test_copying_sqlite_into_postgres_loses_nothing(tmp_path: Path, postgres_url: str) -> None:
    source_path = tmp_path / "articles.sqlite"
    with ArticleStore(source_path) as store:
        _fill(store)
        before = list(store.articles())
        groups = store.translations(article_id_for(ORIGINAL))
    source, target = open_database(source_path), open_database(postgres_url)
    try:
        copied = copy_store(source, target)
        assert copied["articles"] == 9 and copied["article_versions"] == 10
        assert copied["runs"] == 2 and copied["fetch_state"] >= 3
        for table in TABLES:
            assert table_digest(source, table) == table_digest(target, table)
        with pytest.raises(StoreError, match="not empty"):
            copy_store(source, target)
    finally:
        source.close()
        target.close()
    with ArticleStore(postgres_url) as copy:
        assert list(copy.articles()) == before
        assert copy.translations(article_id_for(ORIGINAL)) == groups
        assert [a.version for a in copy.versions(article_id_for(ORIGINAL))] == [1, 2]
        assert copy.last_run()["fetched"] == 2  # type: ignore[index]
        assert copy.pending_urls() == [
            "https://baolamdong.vn/tin/new-1/",
            "https://baolamdong.vn/tin/slow/",
        ]
        # The copy goes on working as a store: a new version lands after the copied ones.
        assert copy.add(_article(ORIGINAL, text="Lần sửa thứ ba của văn bản này.")) == "changed"
        assert copy.get(article_id_for(ORIGINAL)).version == 3  # type: ignore[union-attr]
