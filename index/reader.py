"""Reading the index on disk, and `IndexHandle`: the live view the API and CLI query.

Layout of an index folder:

    index_dir/
      CURRENT            the number of the version being served (replaced atomically)
      build.lock         held while `policyqa index` runs
      versions/<n>/      one complete version: manifest.json, catalog.sqlite,
                         vectors.faiss + vectors.json (or milvus.json), keyword/,
                         sentence_keys.npy + sentence_vectors.npy (index.sentence_vectors)
      versions/.building-<n>/   a version being built (removed if a build dies)

`IndexHandle` serves the version CURRENT names and looks at CURRENT again at most once a
second; when it names a new version, the handle opens it and switches to it, so a
running API follows `policyqa index` without a restart.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import EmbedderMismatchError, IndexError_, IndexNotBuiltError
from index.keyword import Tokenizer
from index.models import Embedder, IndexedArticle, SearchFilters, SearchHit
from index.search import HybridIndex

logger = logging.getLogger(__name__)

CURRENT_FILE = "CURRENT"
VERSIONS_DIR = "versions"
MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class Manifest:
    """What a version holds and how it was built (manifest.json in the version folder)."""

    version: int
    built_at: str
    backend: str
    embedder: str
    dimensions: int
    articles: int
    chunks: int
    next_chunk_id: int
    corpus_state: str
    chunking: dict[str, int] = field(default_factory=dict)
    vector_index: dict[str, Any] = field(default_factory=dict)
    format: int = MANIFEST_FORMAT
    # Distinct sentences with a stored vector; None for a version built before sentence
    # vectors were stored (it serves, and the next build adds them).
    sentences: int | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})


def versions_dir(index_dir: Path) -> Path:
    return index_dir / VERSIONS_DIR


def version_dir(index_dir: Path, version: int) -> Path:
    return versions_dir(index_dir) / str(version)


def current_version(index_dir: Path) -> int | None:
    """The version CURRENT names, or None when no version was ever completed."""
    try:
        text = (index_dir / CURRENT_FILE).read_text().strip()
    except FileNotFoundError:
        return None
    try:
        return int(text)
    except ValueError as error:
        raise IndexError_(
            f"{index_dir / CURRENT_FILE} is damaged ({text[:40]!r}); "
            "delete it and run `policyqa index` to rebuild"
        ) from error


def read_manifest(directory: Path) -> Manifest:
    try:
        return Manifest.from_json((directory / MANIFEST_FILE).read_text())
    except (OSError, ValueError, TypeError) as error:
        raise IndexError_(
            f"cannot read the index manifest in {directory}: {error}; "
            "run `policyqa index` to rebuild"
        ) from error


def check_embedder(manifest: Manifest, embedder: Embedder) -> None:
    """Refuse to query vectors made by one embedder with another's query vectors."""
    if manifest.embedder != embedder.name or manifest.dimensions != embedder.dimensions:
        raise EmbedderMismatchError(
            f"the index was built with embedder {manifest.embedder!r} "
            f"({manifest.dimensions} dimensions) but {embedder.name!r} "
            f"({embedder.dimensions} dimensions) is configured; set POLICYQA_EMBEDDER "
            "(and POLICYQA_EMBEDDING_DIMENSIONS) to match the index, or run "
            "`policyqa index` to rebuild it with the configured embedder"
        )


def open_version(
    index_dir: Path,
    version: int,
    embedder: Embedder,
    *,
    milvus_uri: str | None = None,
    tokenizer: Tokenizer | None = None,
) -> HybridIndex:
    """`tokenizer` must be the one the version was built with (default: the packaged one)."""
    directory = version_dir(index_dir, version)
    manifest = read_manifest(directory)
    check_embedder(manifest, embedder)
    return HybridIndex.open(
        directory,
        embedder,
        backend=manifest.backend,
        milvus_uri=milvus_uri,
        tokenizer=tokenizer,
        info=index_info(manifest),
    )


def index_info(manifest: Manifest) -> dict[str, Any]:
    return {
        "version": manifest.version,
        "articles": manifest.articles,
        "chunks": manifest.chunks,
        "embedder": manifest.embedder,
        "dimensions": manifest.dimensions,
        "built_at": manifest.built_at,
        "backend": manifest.backend,
        "vector_index": manifest.vector_index.get("kind", manifest.backend),
    }


def write_current(index_dir: Path, version: int) -> None:
    """Switch CURRENT to `version` atomically: readers see the old or the new, never half."""
    temporary = index_dir / f".{CURRENT_FILE}.{os.getpid()}.tmp"
    with open(temporary, "w") as handle:
        handle.write(f"{version}\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, index_dir / CURRENT_FILE)
    sync_directory(index_dir)


def sync_tree(directory: Path) -> None:
    """fsync every file and folder under `directory`, deepest first, so a version is on
    disk before CURRENT names it (its files are written without syncs, for speed)."""
    for root, _folders, files in os.walk(directory, topdown=False):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        sync_directory(Path(root))


def sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class IndexHandle:
    """A `Retriever` that always serves the current index version (see module docstring).

    Opening is lazy: the first query loads the version, so building a handle never fails
    and costs nothing. Raises IndexNotBuiltError when no version exists and
    EmbedderMismatchError when the version was built with another embedder.
    """

    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder,
        *,
        check_interval: float = 1.0,
        milvus_uri: str | None = None,
        tokenizer: Tokenizer | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.check_interval = check_interval
        self.milvus_uri = milvus_uri
        self._index: HybridIndex | None = None
        self._version: int | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def _current_stamp(self) -> tuple[int, int, int] | None:
        try:
            stat = (self.index_dir / CURRENT_FILE).stat()
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns, stat.st_size

    def current(self) -> HybridIndex:
        """The index for the current version, reloading when CURRENT has changed."""
        now = time.monotonic()
        index = self._index
        if index is not None and now - self._checked_at < self.check_interval:
            return index
        with self._lock:
            if self._index is not None and now - self._checked_at < self.check_interval:
                return self._index
            stamp = self._current_stamp()
            self._checked_at = now
            if self._index is not None and stamp == self._stamp:
                return self._index
            version = current_version(self.index_dir) if stamp else None
            if version is None:
                raise IndexNotBuiltError(
                    f"there is no index in {self.index_dir} yet; run `policyqa index` "
                    "(after `policyqa crawl` or `policyqa import`) to build it"
                )
            if self._index is None or version != self._version:
                self._index = open_version(
                    self.index_dir,
                    version,
                    self.embedder,
                    milvus_uri=self.milvus_uri,
                    tokenizer=self.tokenizer,
                )
                if self._version is not None:
                    logger.info("switched to index version %d (was %d)", version, self._version)
                else:
                    logger.info("opened index version %d", version)
                self._version = version
            self._stamp = stamp
            return self._index

    # Retriever ------------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        *,
        keywords: str | None = None,
    ) -> list[SearchHit]:
        return self.current().search(query, k, filters, keywords=keywords)

    def search_dense(
        self, vector: Any, k: int = 10, filters: SearchFilters | None = None
    ) -> list[SearchHit]:
        return self.current().search_dense(vector, k, filters)

    def search_keyword(
        self, query: str, k: int = 10, filters: SearchFilters | None = None
    ) -> list[SearchHit]:
        return self.current().search_keyword(query, k, filters)

    def article(self, article_id: str) -> IndexedArticle | None:
        return self.current().article(article_id)

    def translations(self, translation_group: str) -> list[IndexedArticle]:
        return self.current().translations(translation_group)

    def sentence_vectors(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        """Stored passage vectors of sentence texts (None where missing); see
        `index.sentence_vectors`."""
        return self.current().sentence_vectors(texts)

    def info(self) -> dict[str, Any]:
        """version, articles, chunks, embedder, dimensions, built_at, backend (for /health)."""
        return dict(self.current().info)
