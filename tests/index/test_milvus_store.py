"""The Milvus backend against Milvus Lite, in-process (a local file URI)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from index.faiss_store import FaissStore
from index.milvus_store import MilvusStore, close_clients
from index.models import SearchFilters
from tests.fakes import HashingEmbedder
from tests.index.conftest import CORPUS, build_index, fill_store, make_article, open_handle

pytestmark = pytest.mark.integration


@pytest.fixture
def milvus_uri(tmp_path: Path) -> Iterator[str]:
    yield str(tmp_path / "milvus.db")
    close_clients()


def _vectors(n: int, d: int = 16) -> np.ndarray:
    x = np.random.default_rng(1).standard_normal((n, d)).astype(np.float32)
    normalised: np.ndarray = x / np.linalg.norm(x, axis=1, keepdims=True)
    return normalised


def test_store_matches_exact_faiss_with_and_without_filters(
    milvus_uri: str, tmp_path: Path
) -> None:
    x = _vectors(300)
    ids = np.arange(100, 400, dtype=np.int64)
    milvus = MilvusStore(milvus_uri, "unit_test", 16, create=True)
    milvus.add(ids, x)
    faiss_store = FaissStore(16)
    faiss_store.add(ids, x)
    assert len(milvus) == 300
    allowed = np.array([105, 250, 399, 123], dtype=np.int64)
    for allowed_ids in (None, allowed):
        got = milvus.search(x[5], 3, allowed_ids)
        expected = faiss_store.search(x[5], 3, allowed_ids)
        assert [i for i, _ in got] == [i for i, _ in expected]
        assert np.allclose([s for _, s in got], [s for _, s in expected], atol=1e-4)
    assert np.allclose(milvus.reconstruct(np.array([399, 100])), x[[299, 0]], atol=1e-6)
    milvus.remove(np.array([105], dtype=np.int64))
    assert 105 not in [i for i, _ in milvus.search(x[5], 3)]
    milvus.save(tmp_path / "v")
    # Another process finds the collection released; opening it loads it.
    milvus._client.release_collection("unit_test")
    reopened = MilvusStore.load(tmp_path / "v")
    assert len(reopened) == 299
    assert reopened.search(x[6], 1)[0][0] == 106


def test_build_and_search_through_milvus(
    milvus_uri: str, store_path: Path, index_dir: Path
) -> None:
    embedder = HashingEmbedder(dimensions=64)
    fill_store(store_path, CORPUS)
    report = build_index(store_path, index_dir, embedder, backend="milvus", milvus_uri=milvus_uri)
    assert report.backend == "milvus" and report.chunks == 10
    handle = open_handle(index_dir, embedder)
    assert handle.info()["backend"] == "milvus"
    hits = handle.search("cao tốc", k=10, filters=SearchFilters(province=("da-nang",)))
    assert {h.article.site for h in hits} == {"baodanang.vn"}
    assert handle.search("15/2025/NQ-HĐND", k=1)[0].keyword_rank == 1

    fill_store(store_path, [make_article("moi", "Bài mới", ["Khu công nghiệp Lộc Sơn mở rộng."])])
    second = build_index(store_path, index_dir, embedder, backend="milvus", milvus_uri=milvus_uri)
    assert second.version == 2 and second.chunks_embedded == 1 and second.chunks_reused == 10
    assert second.sentences_embedded == 1 and second.sentences == report.sentences + 1
    handle = open_handle(index_dir, embedder)
    assert handle.search("Khu công nghiệp Lộc Sơn", k=1)[0].article.title == "Bài mới"
    # Sentence vectors live beside the Milvus collection, in the version folder.
    stored = handle.sentence_vectors(["Khu công nghiệp Lộc Sơn mở rộng."])[0]
    assert stored is not None
    assert np.allclose(stored, embedder.embed_passages(["Khu công nghiệp Lộc Sơn mở rộng."])[0])


def test_long_id_filters_are_split_and_merged(
    milvus_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.milvus_store as milvus_store

    monkeypatch.setattr(milvus_store, "_FILTER_IDS", 3)
    x = _vectors(50)
    ids = np.arange(50, dtype=np.int64)
    milvus = MilvusStore(milvus_uri, "split_test", 16, create=True)
    milvus.add(ids, x)
    reference = FaissStore(16)
    reference.add(ids, x)
    allowed = np.arange(0, 50, 3, dtype=np.int64)  # 17 ids: 6 expressions
    got = milvus.search(x[9], 5, allowed)
    assert [i for i, _ in got] == [i for i, _ in reference.search(x[9], 5, allowed)]


def test_switching_backends_reuses_vectors_and_drops_old_collections(
    milvus_uri: str, store_path: Path, index_dir: Path
) -> None:
    from index.milvus_store import milvus_client

    embedder = HashingEmbedder(dimensions=64)
    fill_store(store_path, CORPUS)
    build_index(store_path, index_dir, embedder, backend="milvus", milvus_uri=milvus_uri)
    to_faiss = build_index(store_path, index_dir, embedder, backend="faiss")
    assert to_faiss.chunks_embedded == 0 and to_faiss.chunks_reused == 10
    assert to_faiss.sentences_embedded == 0 and to_faiss.sentences_reused == to_faiss.sentences
    assert len(milvus_client(milvus_uri).list_collections()) == 1  # version 1 is still kept
    fill_store(store_path, [make_article("them", "Bài thêm", ["Nội dung mới."])])
    build_index(store_path, index_dir, embedder, backend="faiss")
    assert milvus_client(milvus_uri).list_collections() == []
    assert open_handle(index_dir, embedder).info()["backend"] == "faiss"


def test_a_new_version_inserts_only_new_rows_and_old_readers_keep_their_view(
    milvus_uri: str, store_path: Path, index_dir: Path
) -> None:
    from index.milvus_store import milvus_client
    from index.reader import version_dir

    embedder = HashingEmbedder(dimensions=64)
    fill_store(store_path, CORPUS)
    build_index(store_path, index_dir, embedder, backend="milvus", milvus_uri=milvus_uri)
    first = MilvusStore.load(version_dir(index_dir, 1))

    # One article changes (its old chunks go away, new ones come), one is new.
    changed = CORPUS[0].model_copy(update={"text": "Văn bản sửa đổi về đường cao tốc mới."})
    fill_store(store_path, [changed, make_article("moi", "Bài mới", ["Khu công nghiệp Lộc Sơn."])])
    second = build_index(store_path, index_dir, embedder, backend="milvus", milvus_uri=milvus_uri)
    assert second.version == 2
    client = milvus_client(milvus_uri)
    assert len(client.list_collections()) == 1, "one collection shared by both versions"
    current = MilvusStore.load(version_dir(index_dir, 2))
    assert current.collection == first.collection and current.exclude
    # Only the new chunks went in: the rows are version 2's chunks plus the ones it no
    # longer sees (kept for version 1's readers), with no copy of the unchanged ones.
    assert _rows(current) == second.chunks + len(current.exclude)

    # Each version sees exactly the chunks of its own catalog.
    from index.catalog import CATALOG_FILE, Catalog

    for version, store in ((1, first), (2, current)):
        catalog = Catalog(version_dir(index_dir, version) / CATALOG_FILE)
        expected = set(catalog.chunk_ids_of(list(catalog.article_fingerprints())).tolist())
        catalog.close()
        seen = {i for i, _ in store.search(np.ones(64, dtype=np.float32) / 8, 100)}
        assert seen == expected

    # The next build deletes the rows version 2 no longer sees.
    fill_store(store_path, [make_article("them", "Bài thêm", ["Nội dung khác hẳn."])])
    build_index(store_path, index_dir, embedder, backend="milvus", milvus_uri=milvus_uri)
    third = MilvusStore.load(version_dir(index_dir, 3))
    assert _rows(third) == second.chunks + 1


def _rows(store: MilvusStore) -> int:
    """Rows physically in the collection (deleted ones excluded)."""
    result = store._client.query(store.collection, filter="id >= 0", output_fields=["count(*)"])
    return int(result[0]["count(*)"])
