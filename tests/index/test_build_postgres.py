"""Building the index from an article store in PostgreSQL: same versions, same search, and
the single-builder lock held in the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.store import ArticleStore
from index.errors import IndexError_
from tests.fakes import HashingEmbedder
from tests.index.conftest import CORPUS, build_index, fill_store, open_handle

pytestmark = pytest.mark.integration


def test_an_index_built_from_postgres_matches_one_built_from_sqlite(
    postgres_url: str, tmp_path: Path
) -> None:
    embedder = HashingEmbedder(dimensions=64)
    fill_store(tmp_path / "a.sqlite", CORPUS)
    fill_store(postgres_url, CORPUS)
    from_sqlite = build_index(tmp_path / "a.sqlite", tmp_path / "i1", embedder)
    from_postgres = build_index(postgres_url, tmp_path / "i2", embedder)
    assert (from_postgres.articles_new, from_postgres.chunks) == (
        from_sqlite.articles_new,
        from_sqlite.chunks,
    )
    query = "dự án điện mặt trời Lâm Đồng"
    one = open_handle(tmp_path / "i1", embedder).search(query, k=3)
    two = open_handle(tmp_path / "i2", embedder).search(query, k=3)
    assert [hit.chunk.article_id for hit in one] == [hit.chunk.article_id for hit in two]
    again = build_index(postgres_url, tmp_path / "i2", embedder)
    assert again.up_to_date


def test_a_second_builder_on_the_same_postgres_store_is_refused(
    postgres_url: str, tmp_path: Path
) -> None:
    fill_store(postgres_url, CORPUS)
    # Another index folder (another host): the lock is in the database, not the folder.
    with (
        ArticleStore(postgres_url) as other_host,
        other_host.writer_lock("index"),
        pytest.raises(IndexError_, match="already building"),
    ):
        build_index(postgres_url, tmp_path / "elsewhere", HashingEmbedder(dimensions=64))
    report = build_index(postgres_url, tmp_path / "elsewhere", HashingEmbedder(dimensions=64))
    assert report.version == 1
