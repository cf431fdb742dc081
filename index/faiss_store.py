"""The embedded vector backend: FAISS over L2-normalised vectors with stable int64 ids.

Small collections use an exact inner-product index (`IndexIDMap2` over `IndexFlatIP`).
Past a size threshold the store is approximate: HNSW (no training, good recall) or IVF
(trained on the vectors it is first given). Filtered searches pass the allowed ids as a
FAISS `IDSelector`, so filters apply inside the search rather than after it. Graph and
cluster searches can come back short under a selective filter, so when the allowed set
is small, or the approximate search returned fewer than k hits, the store scores the
allowed vectors exactly instead: a narrow filter still yields k results.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import faiss
import numpy as np

from index.errors import BackendError

logger = logging.getLogger(__name__)

IndexKind = Literal["flat", "hnsw", "ivf"]
INDEX_FILE = "vectors.faiss"
PARAMS_FILE = "vectors.json"


def choose_kind(
    size: int, *, approximate_threshold: int, approximate_kind: Literal["hnsw", "ivf"]
) -> IndexKind:
    """Exact search while small, the configured approximate index past the threshold."""
    return approximate_kind if size >= approximate_threshold else "flat"


class FaissStore:
    """A `VectorStore` on FAISS (see the module docstring for the search strategy)."""

    def __init__(
        self,
        dimensions: int,
        *,
        kind: IndexKind = "flat",
        # Chosen by bench-scale's sweep at 100k chunks (2 cores, 768 dimensions): recall@10
        # against exact search was 0.892 with M=32, efConstruction=80, efSearch=128, 0.96
        # at efSearch 512; 0.968 with these at 2.2 ms a query (1.0 at efSearch 1024), for
        # a graph that takes about three times as long to build.
        hnsw_m: int = 48,
        ef_construction: int = 200,
        ef_search: int = 512,
        ivf_lists: int | None = None,
        ivf_probes: int = 16,
        exact_subset_limit: int = 20_000,
        expected_size: int = 0,
    ) -> None:
        self.dimensions = dimensions
        self.kind: IndexKind = kind
        self.hnsw_m = hnsw_m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.ivf_lists = ivf_lists
        self.ivf_probes = ivf_probes
        self.exact_subset_limit = exact_subset_limit
        self._expected_size = expected_size
        # FAISS' type stubs are partial: its objects are typed loosely here.
        self._index: Any = None
        self._ids: np.ndarray | None = None
        if kind != "ivf":  # IVF is created on the first add, when it can be trained
            self._index = faiss.IndexIDMap2(self._new_base(0))

    def _new_base(self, training_size: int) -> Any:
        if self.kind == "flat":
            return faiss.IndexFlatIP(self.dimensions)
        if self.kind == "hnsw":
            base: Any = faiss.IndexHNSWFlat(
                self.dimensions, self.hnsw_m, faiss.METRIC_INNER_PRODUCT
            )
            base.hnsw.efConstruction = self.ef_construction
            base.hnsw.efSearch = self.ef_search
            return base
        if self.kind == "ivf":
            size = max(self._expected_size, training_size)
            lists = self.ivf_lists or int(4 * math.sqrt(max(size, 1)))
            # FAISS wants about 39 training points per list.
            lists = max(1, min(lists, training_size // 39 or 1))
            self.ivf_lists = lists
            quantizer = faiss.IndexFlatIP(self.dimensions)
            base = faiss.IndexIVFFlat(quantizer, self.dimensions, lists, faiss.METRIC_INNER_PRODUCT)
            base.nprobe = self.ivf_probes
            return base
        raise BackendError(f"unknown FAISS index kind {self.kind!r}; use flat, hnsw or ivf")

    # VectorStore ----------------------------------------------------------------------

    def __len__(self) -> int:
        return 0 if self._index is None else int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        vectors = self._check_vectors(vectors)
        if len(ids) != len(vectors):
            raise BackendError(f"{len(ids)} ids for {len(vectors)} vectors")
        if not len(ids):
            return
        if self._index is None:
            base = self._new_base(len(vectors))
            # Only IVF starts here (untrained); 256 points per list train it well enough.
            training_points = 256 * int(self.ivf_lists or 1)
            sample = vectors
            if len(sample) > training_points:
                rng = np.random.default_rng(0)
                sample = vectors[rng.choice(len(vectors), training_points, replace=False)]
            base.train(sample)
            base.make_direct_map(True)  # reconstruct() by id: filtered exact scoring, reuse
            self._index = faiss.IndexIDMap2(base)
        if len(self):
            present = ids[np.isin(ids, self.ids())]
            if len(present):
                self.remove(present)
        self._index.add_with_ids(vectors, ids)
        self._ids = None

    def remove(self, ids: np.ndarray) -> None:
        if self._index is None or not len(ids):
            return
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if self.kind != "flat":
            # HNSW graphs cannot drop nodes, and IVF removal renumbers nothing that
            # IndexIDMap2 relies on: rebuild from the vectors that stay.
            keep = np.setdiff1d(self.ids(), ids)
            vectors = self.reconstruct(keep)
            self._index = None if self.kind == "ivf" else faiss.IndexIDMap2(self._new_base(0))
            self._ids = None
            if len(keep):
                self.add(keep, vectors)
        else:
            self._index.remove_ids(faiss.IDSelectorBatch(ids))
        self._ids = None

    def search(
        self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        size = len(self)
        if k <= 0 or size == 0:
            return []
        query = self._check_vectors(np.asarray(query).reshape(1, -1))
        if allowed_ids is None:
            return self._search(query, min(k, size), None)
        allowed = np.asarray(allowed_ids, dtype=np.int64)
        if not len(allowed):
            return []
        wanted = min(k, len(allowed), size)
        if self.kind != "flat" and len(allowed) <= self.exact_subset_limit:
            return self._exact_subset(query, k, allowed)
        hits = self._search(query, wanted, faiss.IDSelectorBatch(allowed))
        if len(hits) < wanted and self.kind != "flat":
            logger.debug(
                "approximate filtered search returned %d of %d; scoring exactly", len(hits), wanted
            )
            return self._exact_subset(query, k, allowed)
        return hits

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        index = (
            self._index
            if self._index is not None
            else faiss.IndexIDMap2(faiss.IndexFlatIP(self.dimensions))
        )
        faiss.write_index(index, str(directory / INDEX_FILE))
        (directory / PARAMS_FILE).write_text(json.dumps(self.params(), indent=2))

    # Beyond the protocol ----------------------------------------------------------------

    def params(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "dimensions": self.dimensions,
            "hnsw_m": self.hnsw_m,
            "ef_construction": self.ef_construction,
            "ef_search": self.ef_search,
            "ivf_lists": self.ivf_lists,
            "ivf_probes": self.ivf_probes,
            "exact_subset_limit": self.exact_subset_limit,
        }

    @classmethod
    def load(
        cls, directory: Path, *, ef_search: int | None = None, mmap: bool = False
    ) -> FaissStore:
        """The store saved in `directory`. With `mmap` the index is mapped from the file,
        not copied (zero-copy flat and HNSW storage): read-only, and shared between the
        processes that map it. A build loads without it, since it may add and remove."""
        path = directory / INDEX_FILE
        try:
            params = json.loads((directory / PARAMS_FILE).read_text())
            index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC if mmap else 0)
        except (OSError, RuntimeError, ValueError) as error:
            raise BackendError(
                f"cannot read the FAISS index in {directory}: {error}; "
                "run `policyqa index` to rebuild it"
            ) from error
        store = cls(
            int(params["dimensions"]),
            kind=params["kind"],
            hnsw_m=int(params["hnsw_m"]),
            ef_construction=int(params["ef_construction"]),
            ef_search=ef_search or int(params["ef_search"]),
            ivf_lists=params.get("ivf_lists"),
            ivf_probes=int(params["ivf_probes"]),
            exact_subset_limit=int(params["exact_subset_limit"]),
        )
        store._index = index
        return store

    def ids(self) -> np.ndarray:
        """Every stored id, sorted."""
        if self._index is None:
            return np.empty(0, dtype=np.int64)
        if self._ids is None:
            self._ids = np.sort(faiss.vector_to_array(self._index.id_map).astype(np.int64))
        return self._ids

    def reconstruct(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of `ids` (all of which must be present), in that order."""
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not len(ids):
            return np.empty((0, self.dimensions), dtype=np.float32)
        if self._index is None:
            raise BackendError("the FAISS index is empty")
        vectors: np.ndarray = self._index.reconstruct_batch(ids)
        return vectors

    # Internals ------------------------------------------------------------------------------

    def _check_vectors(self, vectors: np.ndarray) -> np.ndarray:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dimensions:
            raise BackendError(
                f"vectors of shape {vectors.shape} do not fit an index of "
                f"{self.dimensions} dimensions"
            )
        return vectors

    def _search(self, query: np.ndarray, k: int, selector: Any) -> list[tuple[int, float]]:
        assert self._index is not None
        params: Any
        if self.kind == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(self.ef_search, k))  # type: ignore[attr-defined]
        elif self.kind == "ivf":
            params = faiss.SearchParametersIVF()
            params.nprobe = self.ivf_probes
        else:
            params = faiss.SearchParameters()
        if selector is not None:
            params.sel = selector
        with _one_thread():
            scores, labels = self._index.search(query, k, params=params)
        return [
            (int(label), float(score))
            for label, score in zip(labels[0], scores[0], strict=True)
            if label >= 0
        ]

    def _exact_subset(
        self, query: np.ndarray, k: int, allowed: np.ndarray, batch: int = 65_536
    ) -> list[tuple[int, float]]:
        """Exact scores over the allowed ids, in batches to bound memory."""
        allowed = allowed[np.isin(allowed, self.ids())]
        best_ids = np.empty(0, dtype=np.int64)
        best_scores = np.empty(0, dtype=np.float32)
        for start in range(0, len(allowed), batch):
            ids = allowed[start : start + batch]
            scores = self.reconstruct(ids) @ query[0]
            best_ids = np.concatenate([best_ids, ids])
            best_scores = np.concatenate([best_scores, scores])
            if len(best_ids) > k:
                top = np.argpartition(-best_scores, k - 1)[:k]
                best_ids, best_scores = best_ids[top], best_scores[top]
        order = np.argsort(-best_scores, kind="stable")[:k]
        return [(int(best_ids[i]), float(best_scores[i])) for i in order]


@contextmanager
def _one_thread() -> Iterator[None]:
    """Run the FAISS calls inside on this thread alone, then restore the thread count.

    FAISS spreads a search over its queries, and `/ask` searches one query at a time: a
    second OpenMP thread has nothing to do but must be woken for every call, which costs
    milliseconds per search on busy cores (with OMP_WAIT_POLICY=PASSIVE; see
    index/__init__.py) against tens of microseconds for the search itself on the demo
    index. The setting is the calling thread's own; index builds keep theirs.
    """
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)
