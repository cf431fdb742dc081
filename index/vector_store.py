"""The seam between the index and a vector backend (FAISS embedded, Milvus for scale-out).

Vectors are L2-normalised float32; scores are inner products (cosine). Ids are the
stable int64 chunk ids kept in the index metadata (SQLite), which remains the single
source of truth for filters: a filtered search passes the allowed ids, so a narrow
filter still yields up to k results.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from index.errors import BackendError


class VectorStore(Protocol):
    dimensions: int

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add (or replace) vectors under int64 `ids`."""

    def remove(self, ids: np.ndarray) -> None: ...

    def search(
        self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Up to k (id, score) pairs, best first; only ids in `allowed_ids` when given."""

    def save(self, directory: Path) -> None:
        """Persist into `directory` (a version folder being built aside)."""

    def __len__(self) -> int: ...


def load_vector_store(
    directory: Path, backend: str, *, milvus_uri: str | None = None, read_only: bool = False
) -> VectorStore:
    """The vector store a version folder holds (`milvus_uri` overrides the recorded URI).

    `read_only` (readers, not builds) memory-maps a FAISS index instead of copying it, so
    API workers on one host share one copy of the vectors in the page cache."""
    if backend == "faiss":
        from index.faiss_store import FaissStore

        return FaissStore.load(directory, mmap=read_only)
    if backend == "milvus":
        from index.milvus_store import MilvusStore

        return MilvusStore.load(directory, uri=milvus_uri)
    raise BackendError(f"unknown vector backend {backend!r}; use faiss or milvus")
