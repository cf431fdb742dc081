from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from index.errors import BackendError
from index.faiss_store import FaissStore, choose_kind


def _vectors(n: int, d: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)).astype(np.float32)
    normalised: np.ndarray = x / np.linalg.norm(x, axis=1, keepdims=True)
    return normalised


def _exact(x: np.ndarray, ids: np.ndarray, q: np.ndarray, k: int) -> list[int]:
    scores = x @ q
    return [int(ids[i]) for i in np.argsort(-scores)[:k]]


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_search_finds_the_vector_itself_and_keeps_stable_ids(kind: str) -> None:
    x = _vectors(2000)
    ids = np.arange(1000, 3000, dtype=np.int64)
    store = FaissStore(32, kind=kind, expected_size=len(x))  # type: ignore[arg-type]
    store.add(ids, x)
    assert len(store) == 2000
    hits = store.search(x[17], 5)
    assert hits[0][0] == 1017
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_narrow_filter_still_returns_k_exact_results(kind: str) -> None:
    x = _vectors(3000)
    ids = np.arange(3000, dtype=np.int64)
    store = FaissStore(32, kind=kind, expected_size=len(x))  # type: ignore[arg-type]
    store.add(ids, x)
    allowed = np.arange(7, 3000, 150, dtype=np.int64)  # 20 of 3000
    hits = store.search(x[0], 10, allowed)
    assert len(hits) == 10
    assert {i for i, _ in hits} <= set(allowed.tolist())
    assert [i for i, _ in hits] == _exact(x[allowed], allowed, x[0], 10)


def test_broad_filter_on_hnsw_uses_the_selector() -> None:
    x = _vectors(3000)
    ids = np.arange(3000, dtype=np.int64)
    store = FaissStore(32, kind="hnsw", exact_subset_limit=10)
    store.add(ids, x)
    allowed = ids[ids % 2 == 0]
    hits = store.search(x[1], 10, allowed)
    assert len(hits) == 10
    assert all(i % 2 == 0 for i, _ in hits)
    expected = _exact(x[allowed], allowed, x[1], 10)
    assert len({i for i, _ in hits} & set(expected)) >= 8


def test_empty_filter_and_empty_store_return_nothing() -> None:
    store = FaissStore(8)
    assert store.search(np.ones(8, dtype=np.float32), 5) == []
    store.add(np.array([1], dtype=np.int64), _vectors(1, 8))
    assert store.search(_vectors(1, 8)[0], 5, np.empty(0, dtype=np.int64)) == []


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_add_replaces_and_remove_drops(kind: str) -> None:
    x = _vectors(100, 16)
    ids = np.arange(100, dtype=np.int64)
    store = FaissStore(16, kind=kind)  # type: ignore[arg-type]
    store.add(ids, x)
    store.add(np.array([5], dtype=np.int64), x[50:51])
    assert len(store) == 100
    assert np.allclose(store.reconstruct(np.array([5]))[0], x[50])
    store.remove(np.array([5, 6], dtype=np.int64))
    assert len(store) == 98
    assert 6 not in {i for i, _ in store.search(x[6], 10)}
    assert np.array_equal(store.ids(), np.setdiff1d(ids, [5, 6]))


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_save_and_load_round_trip(tmp_path: Path, kind: str) -> None:
    x = _vectors(500)
    ids = np.arange(10, 510, dtype=np.int64)
    store = FaissStore(32, kind=kind, expected_size=500)  # type: ignore[arg-type]
    store.add(ids, x)
    store.save(tmp_path)
    loaded = FaissStore.load(tmp_path)
    assert loaded.kind == kind
    assert len(loaded) == 500
    assert loaded.search(x[3], 1)[0][0] == 13
    assert np.allclose(loaded.reconstruct(np.array([13, 509])), x[[3, 499]])


def test_wrong_dimensions_are_refused() -> None:
    store = FaissStore(16)
    with pytest.raises(BackendError, match="16 dimensions"):
        store.add(np.array([1], dtype=np.int64), _vectors(1, 8))


def test_unreadable_index_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match="policyqa index"):
        FaissStore.load(tmp_path)


def test_choose_kind_by_threshold() -> None:
    assert choose_kind(10, approximate_threshold=100, approximate_kind="hnsw") == "flat"
    assert choose_kind(100, approximate_threshold=100, approximate_kind="ivf") == "ivf"


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_search_leaves_the_threads_of_later_builds_alone(kind: str) -> None:
    # A search runs on its calling thread alone; the thread count a build in the same
    # process uses afterwards is the one it had before.
    x = _vectors(500)
    store = FaissStore(32, kind=kind, expected_size=len(x))  # type: ignore[arg-type]
    store.add(np.arange(500, dtype=np.int64), x)
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(2)
    try:
        assert store.search(x[3], 5)[0][0] == 3
        assert store.search(x[3], 5, np.arange(0, 400, dtype=np.int64))[0][0] == 3
        assert faiss.omp_get_max_threads() == 2
    finally:
        faiss.omp_set_num_threads(before)
