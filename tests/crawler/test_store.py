"""The article store: one row per canonical article, versions, translation groups.

Every test runs against SQLite and against a real PostgreSQL (`store_location`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from crawler.models import Article, article_id_for
from crawler.store import ArticleStore

ORIGINAL = "https://baolamdong.vn/xa-hoi/202503/lam-dong-cam-ket-abc1234/"


def _article(url: str = ORIGINAL, **fields: object) -> Article:
    values: dict[str, object] = {
        "url": url,
        "title": "Lâm Đồng cam kết hoàn thành dự án",
        "text": "Tỉnh Lâm Đồng cam kết hoàn thành dự án trước tháng 5 năm 2025.",
        "site": "baolamdong.vn",
    }
    values.update(fields)
    return Article.model_validate(values)


def test_same_article_under_several_urls_is_one_row(store_location: Path | str) -> None:
    with ArticleStore(store_location) as store:
        first = store.add(_article())
        again = store.add(_article(f"{ORIGINAL}?utm_source=zalo"))
        amp = store.add(
            _article(
                "https://baolamdong.vn/amp/xa-hoi/202503/lam-dong-cam-ket-abc1234/",
                canonical_url=ORIGINAL,
            )
        )
        assert (first, again, amp) == ("new", "unchanged", "unchanged")
        assert store.count() == 1
        stored = store.get(article_id_for(ORIGINAL))
        assert stored is not None
        assert stored.version == 1 and stored.content_hash and stored.fetched_at
        assert stored.lang_detected == "vi" and stored.lang == "vi"
        assert stored.translation_group == stored.id


def test_changed_text_keeps_every_version(store_location: Path | str) -> None:
    with ArticleStore(store_location) as store:
        store.add(_article(), fetched_at=datetime(2025, 3, 17, tzinfo=UTC))
        outcome = store.add(_article(text="Nội dung đã sửa: hoàn thành trước tháng 6."))
        article_id = article_id_for(ORIGINAL)
        assert outcome == "changed"
        versions = store.versions(article_id)
        assert [v.version for v in versions] == [1, 2]
        assert "tháng 5" in versions[0].text and "tháng 6" in versions[1].text
        assert store.get(article_id).version == 2  # type: ignore[union-attr]
        assert [a.version for a in store.articles()] == [2]


def test_translation_stored_before_original_joins_its_group(store_location: Path | str) -> None:
    with ArticleStore(store_location) as store:
        # The translation names the original by its www spelling; the original arrives later.
        store.add(
            _article(
                "https://www.vietnam.vn/en/lam-dong-commits",
                title="Lam Dong commits",
                text="Lam Dong province committed to finish the project by May 2025.",
                site="vietnam.vn",
                translation_of=ORIGINAL.replace("://", "://www."),
            )
        )
        store.add(_article(province="Lâm Đồng"))
        original_id = article_id_for(ORIGINAL)
        group = store.translations(original_id)
        assert [a.lang for a in group] == ["vi", "en"]
        translation = group[1]
        assert translation.translation_group == original_id
        assert translation.province == "Lâm Đồng"  # inherited from the original


def test_runs_are_recorded_and_a_reader_can_read_while_writing(
    store_location: Path | str,
) -> None:
    with ArticleStore(store_location) as store:
        assert store.last_run() is None
        store.add(_article())
        with ArticleStore(store_location) as reader:
            assert reader.count() == 1
        store.record_run({"fetched": 3, "failed": 0})
        store.record_run({"fetched": 5, "failed": 1})
        assert store.last_run()["fetched"] == 5  # type: ignore[index]
