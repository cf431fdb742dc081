"""A long-running store (an API worker's, a crawler's) outlives a PostgreSQL restart: the
lost connection is replaced on next use, without restarting the process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawler.errors import StoreError
from crawler.models import Article
from crawler.store import ArticleStore
from tests.postgres_server import Cluster, fresh_database, private_cluster_handle

pytestmark = pytest.mark.integration


def _article(n: int) -> Article:
    return Article.model_validate(
        {
            "url": f"https://baolamdong.vn/tin/{n:03d}-abcdef/",
            "title": f"Tin {n}",
            "text": f"Tỉnh Lâm Đồng triển khai dự án số {n}, hoàn thành trước tháng 5 năm 2025.",
            "site": "baolamdong.vn",
        }
    )


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """A cluster of its own: restarting it must not disturb other tests' connections."""
    with private_cluster_handle() as started:
        yield started


def test_reads_and_writes_work_again_after_a_server_restart(cluster: Cluster) -> None:
    with fresh_database(cluster.url) as url, ArticleStore(url) as store:
        store.add(_article(1))
        assert store.count() == 1

        cluster.stop("fast")
        cluster.start()

        assert store.count() == 1  # a read on a new connection
        assert store.add(_article(2)) == "new"  # a write on a new connection
        assert [a.title for a in store.articles()] == ["Tin 1", "Tin 2"]


def test_while_the_server_is_down_calls_fail_clearly_then_recover(cluster: Cluster) -> None:
    with fresh_database(cluster.url) as url, ArticleStore(url) as store:
        store.add(_article(1))
        cluster.stop("fast")
        try:
            with pytest.raises(StoreError, match="article store"):
                store.count()
            with pytest.raises(StoreError, match="article store"):
                store.add(_article(2))
        finally:
            cluster.start()
        assert store.add(_article(2)) == "new"
        assert store.count() == 2
