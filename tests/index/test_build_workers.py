"""Building with worker processes (chunking and tokenizing shared out) makes the same
version as building in one process, with the production chunker and tokenizer."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from crawler.models import Article
from index import build
from index.build import update_index
from index.catalog import Catalog
from index.keyword import KEYWORD_DIR, KeywordIndex
from index.models import Chunk
from index.reader import IndexHandle, version_dir
from tests.fakes import HashingEmbedder
from tests.index.conftest import fill_store

REPO = Path(__file__).resolve().parents[2]
QUERIES = ["cà phê Lâm Đồng", "chuyển đổi số", "Đề án 06", "57-NQ/TW", "digital transformation"]


def _demo_articles() -> list[Article]:
    articles = []
    for line in (REPO / "demo" / "corpus.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        text = "\n\n".join([item.get("sapo") or "", *item["paragraphs"]]).strip()
        fields = {k: item.get(k) for k in ("url", "title", "lang", "site", "province", "published")}
        articles.append(Article.model_validate({**fields, "text": text}))
    return articles


def _catalog_rows(index_dir: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(version_dir(index_dir, 1) / "catalog.sqlite") as db:
        return {
            table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("chunks", "chunk_dates", "chunk_doc_numbers")
        }


def _build(tmp_path: Path, workers: int) -> tuple[Path, HashingEmbedder]:
    store, index_dir, embedder = tmp_path / "articles.sqlite", tmp_path / "index", HashingEmbedder()
    fill_store(store, _demo_articles())
    report = update_index(store, index_dir, embedder, workers=workers)
    assert report.version == 1 and report.chunks > 39
    return index_dir, embedder


def test_workers_build_the_same_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone, embedder = _build(tmp_path / "one", workers=1)
    # Share even the 39 demo articles out, in several batches.
    monkeypatch.setattr(build, "_POOL_MINIMUM", 1)
    monkeypatch.setattr(build, "_POOL_BATCH", 7)
    shared, _ = _build(tmp_path / "two", workers=2)

    assert _catalog_rows(shared) == _catalog_rows(alone)
    one, two = IndexHandle(alone, embedder), IndexHandle(shared, embedder)
    for query in QUERIES:
        keyword = [(h.chunk.text, round(h.score, 6)) for h in one.search_keyword(query, k=10)]
        assert keyword, query
        assert [
            (h.chunk.text, round(h.score, 6)) for h in two.search_keyword(query, k=10)
        ] == keyword
        assert [h.chunk.text for h in two.search(query, k=5)] == [
            h.chunk.text for h in one.search(query, k=5)
        ]


def test_keyword_tokens_made_while_chunking_equal_tokenizing_the_stored_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "_POOL_MINIMUM", 1)
    index_dir, _ = _build(tmp_path, workers=2)
    served = KeywordIndex.load(version_dir(index_dir, 1) / KEYWORD_DIR)
    with Catalog(version_dir(index_dir, 1) / "catalog.sqlite") as catalog:
        fresh = KeywordIndex.build(catalog.keyword_texts())
    for query in QUERIES:
        assert served.search(query, 10), query
        assert served.search(query, 10) == fresh.search(query, 10)


def _failing_chunker(article: Article, **sizes: int) -> list[Chunk]:
    raise ValueError(f"cannot chunk {article.url}")


def test_a_worker_failure_fails_the_build_and_leaves_no_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "_POOL_MINIMUM", 1)
    store, index_dir = tmp_path / "articles.sqlite", tmp_path / "index"
    fill_store(store, _demo_articles())
    with pytest.raises(ValueError, match="cannot chunk"):
        update_index(store, index_dir, HashingEmbedder(), workers=2, chunker=_failing_chunker)
    assert not list((index_dir / "versions").iterdir())


def test_texts_are_embedded_while_later_articles_are_still_being_chunked(
    tmp_path: Path,
) -> None:
    """The build embeds new chunk texts a batch at a time as articles are chunked (the
    embedder's batches unchanged), not all of them after the last article."""
    from index.chunk import chunk

    events: list[str] = []

    class Recording(HashingEmbedder):
        def embed_passages(self, texts: list[str]) -> np.ndarray:
            events.append(f"embed {len(texts)}")
            return super().embed_passages(texts)

    def recording_chunker(article: Article, **sizes: int) -> list[Chunk]:
        chunks = chunk(article, **sizes)
        events.append(f"chunk {len(chunks)}")
        return chunks

    store, index_dir = tmp_path / "articles.sqlite", tmp_path / "index"
    fill_store(store, _demo_articles())
    report = update_index(
        store, index_dir, Recording(), embed_batch_size=4, chunker=recording_chunker
    )

    chunked = [i for i, event in enumerate(events) if event.startswith("chunk")]
    embedded = [i for i, event in enumerate(events) if event.startswith("embed")]
    assert embedded[0] < chunked[-1]
    # The chunk texts go in batches of 4 (the last one smaller), in order, before the
    # sentences; every new chunk is embedded once.
    chunk_batches = [int(events[i].split()[1]) for i in embedded][: -(-report.chunks // 4)]
    assert sum(chunk_batches) == report.chunks_embedded == report.chunks
    assert all(size == 4 for size in chunk_batches[:-1])
