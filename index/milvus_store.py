"""The scale-out vector backend: Milvus through pymilvus' `MilvusClient`.

The same `VectorStore` seam as FAISS: int64 ids, inner-product scores on normalised
vectors, filters passed as the allowed ids (the catalog stays the source of truth, so
both backends filter identically). `uri` is a Milvus Lite file (e.g.
`$POLICYQA_HOME/milvus.db`, in-process, for tests and single machines) or a cluster URI
(`http://milvus:19530`). `save` records in the version folder which collection holds the
version and which of its rows the version sees.

Versions share a collection instead of copying it: each row carries `added_in`, the index
version that inserted it. A version sees the rows with `added_in <= version` except the
ids it lists as removed (`exclude`): a new version inserts only its new and changed
chunks and lists the chunks that went away; readers of the previous version do not see
the new rows, and readers switch atomically when CURRENT names the new version. Rows a
version removed are deleted for good by the build after it, when no reader can still be
on a version that sees them. A full rebuild (another embedder) starts a new collection.

Milvus Lite keeps its data file open for one process at a time: the indexer and the API
cannot share a Lite file concurrently; use a cluster URI for that.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import BackendError

logger = logging.getLogger(__name__)

MILVUS_FILE = "milvus.json"
_BATCH = 5_000
# Milvus caps `limit` on a search.
_MAX_LIMIT = 16_384
# Ids per `id in [...]` filter expression.
_FILTER_IDS = 50_000

_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def milvus_client(uri: str) -> Any:
    """One client per URI and process (Milvus Lite opens its file once per process)."""
    with _clients_lock:
        client = _clients.get(uri)
        if client is None:
            try:
                from pymilvus import MilvusClient

                if "://" not in uri:
                    Path(uri).parent.mkdir(parents=True, exist_ok=True)
                client = MilvusClient(uri)
            except ImportError as error:
                raise BackendError(
                    "the Milvus backend needs pymilvus and milvus-lite: "
                    "pip install 'policyqa[milvus]', or set POLICYQA_VECTOR_BACKEND=faiss"
                ) from error
            except Exception as error:
                hint = (
                    "; a Milvus Lite file is open to one process at a time: stop the other "
                    "process using it (e.g. `policyqa serve` while indexing) or set "
                    "POLICYQA_MILVUS_URI to a Milvus server"
                    if "://" not in uri
                    else "; check that the server is up and the URI is right"
                )
                raise BackendError(f"cannot open Milvus at {uri}: {error}{hint}") from error
            _clients[uri] = client
        return client


def close_clients() -> None:
    with _clients_lock:
        for client in _clients.values():
            client.close()
        _clients.clear()


class MilvusStore:
    """A `VectorStore` backed by one Milvus collection."""

    def __init__(
        self,
        uri: str,
        collection: str,
        dimensions: int,
        *,
        create: bool = False,
        version: int | None = None,
        exclude: list[int] | None = None,
    ):
        self.uri = uri
        self.collection = collection
        self.dimensions = dimensions
        # The index version whose rows this store sees and inserts (None: every row, as
        # collections written before versions shared one).
        self.version = version
        self.exclude: list[int] = sorted(exclude or [])
        self._client = milvus_client(uri)
        try:
            exists = self._client.has_collection(collection)
            if create:
                if exists:
                    self._client.drop_collection(collection)
                self._client.create_collection(
                    collection,
                    dimension=dimensions,
                    primary_field_name="id",
                    id_type="int",
                    vector_field_name="vector",
                    metric_type="IP",
                    auto_id=False,
                    enable_dynamic_field=True,
                )
            elif not exists:
                raise BackendError(
                    f"the Milvus collection {collection!r} is missing at {uri}; "
                    "run `policyqa index` to rebuild the index"
                )
            else:
                # A collection opened by a new process is released until loaded.
                self._client.load_collection(collection)
        except BackendError:
            raise
        except Exception as error:
            raise BackendError(f"Milvus at {uri} failed: {error}") from error

    @classmethod
    def load(cls, directory: Path, *, uri: str | None = None) -> MilvusStore:
        """Open the collection a version folder points at (`uri` overrides the recorded one)."""
        try:
            recorded = json.loads((directory / MILVUS_FILE).read_text())
        except (OSError, ValueError) as error:
            raise BackendError(
                f"cannot read {directory / MILVUS_FILE}: {error}; run `policyqa index`"
            ) from error
        return cls(
            uri or recorded["uri"],
            recorded["collection"],
            int(recorded["dimensions"]),
            version=recorded.get("version"),
            exclude=recorded.get("exclude"),
        )

    def next_version(self, version: int, removed: np.ndarray) -> MilvusStore:
        """The same collection as seen by `version`, which drops the ids in `removed`."""
        return MilvusStore(
            self.uri,
            self.collection,
            self.dimensions,
            version=version,
            exclude=[int(i) for i in removed],
        )

    def _call(self, what: str, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(self._client, method)(*args, **kwargs)
        except Exception as error:
            raise BackendError(
                f"Milvus {what} on {self.collection!r} at {self.uri} failed: {error}"
            ) from error

    def __len__(self) -> int:
        stats = self._call("stats", "get_collection_stats", self.collection)
        return int(stats.get("row_count", 0))

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids = np.asarray(ids, dtype=np.int64)
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dimensions or len(ids) != len(vectors):
            raise BackendError(
                f"{len(ids)} ids and vectors of shape {vectors.shape} do not fit a "
                f"collection of {self.dimensions} dimensions"
            )
        for start in range(0, len(ids), _BATCH):
            added: dict[str, int] = {} if self.version is None else {"added_in": self.version}
            rows = [
                {"id": int(i), "vector": v.tolist(), **added}
                for i, v in zip(
                    ids[start : start + _BATCH], vectors[start : start + _BATCH], strict=True
                )
            ]
            self._call("upsert", "upsert", self.collection, rows)

    def remove(self, ids: np.ndarray) -> None:
        ids = np.asarray(ids, dtype=np.int64)
        for start in range(0, len(ids), _BATCH):
            batch = [int(i) for i in ids[start : start + _BATCH]]
            self._call("delete", "delete", self.collection, ids=batch)

    def search(
        self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        if k <= 0:
            return []
        vector = np.asarray(query, dtype=np.float32).reshape(-1).tolist()
        limit = min(k, _MAX_LIMIT)
        if allowed_ids is None:
            return self._search(vector, limit, "")
        allowed = np.asarray(allowed_ids, dtype=np.int64)
        # Long `id in [...]` expressions are split; the partial top-k lists are merged.
        hits: list[tuple[int, float]] = []
        for start in range(0, len(allowed), _FILTER_IDS):
            batch = allowed[start : start + _FILTER_IDS]
            expression = f"id in [{','.join(str(int(i)) for i in batch)}]"
            hits.extend(self._search(vector, limit, expression))
        hits.sort(key=lambda hit: (-hit[1], hit[0]))
        return hits[:limit]

    def _visible(self, expression: str) -> str:
        """`expression` limited to the rows this store's version sees."""
        if self.version is None:
            return expression
        parts = [f"added_in <= {int(self.version)}"]
        if self.exclude:
            parts.append(f"id not in [{','.join(str(i) for i in self.exclude)}]")
        if expression:
            parts.append(f"({expression})")
        return " and ".join(parts)

    def _search(self, vector: list[float], limit: int, expression: str) -> list[tuple[int, float]]:
        expression = self._visible(expression)
        result = self._call(
            "search",
            "search",
            self.collection,
            data=[vector],
            filter=expression,
            limit=limit,
            output_fields=["id"],
            search_params={"metric_type": "IP"},
        )
        return [(int(hit["id"]), float(hit["distance"])) for hit in result[0]]

    def save(self, directory: Path) -> None:
        self._call("flush", "flush", self.collection)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / MILVUS_FILE).write_text(
            json.dumps(
                {
                    "uri": self.uri,
                    "collection": self.collection,
                    "dimensions": self.dimensions,
                    "version": self.version,
                    "exclude": self.exclude,
                },
                indent=2,
            )
        )

    def reconstruct(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of `ids`, in that order."""
        ids = np.asarray(ids, dtype=np.int64)
        out = np.empty((len(ids), self.dimensions), dtype=np.float32)
        position = {int(i): n for n, i in enumerate(ids)}
        found = 0
        for start in range(0, len(ids), 1_000):
            batch = [int(i) for i in ids[start : start + 1_000]]
            for row in self._call(
                "get", "get", self.collection, ids=batch, output_fields=["vector"]
            ):
                out[position[int(row["id"])]] = row["vector"]
                found += 1
        if found != len(position):
            raise BackendError(
                f"Milvus collection {self.collection!r} lacks {len(position) - found} of the "
                "requested vectors; run `policyqa index` again to rebuild"
            )
        return out

    def drop(self) -> None:
        self._call("drop", "drop_collection", self.collection)


def drop_collections(uri: str, prefix: str, keep: set[str]) -> None:
    """Drop this index's collections (named `prefix`...) other than those in `keep`."""
    client = milvus_client(uri)
    try:
        names = client.list_collections()
    except Exception as error:
        raise BackendError(f"cannot list Milvus collections at {uri}: {error}") from error
    for name in names:
        if name.startswith(prefix) and name not in keep:
            logger.info("dropping Milvus collection %s (an old index version)", name)
            client.drop_collection(name)
