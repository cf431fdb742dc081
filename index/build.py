"""Bringing the index up to date with the article store, one version at a time.

`update_index` compares the store with the current version article by article (id and
a fingerprint of content hash and metadata): unchanged articles keep their chunks, chunk
ids and vectors; new and changed articles are re-chunked, and a chunk whose embedded text
already has a vector (in the previous version or earlier in this run) reuses it, so only
genuinely new text is embedded; deleted articles drop out. Every sentence of every
article gets a stored vector too (`index.sentence_vectors`), so answering embeds only the
question; sentence vectors are reused by text in the same way.

Each run builds a complete version aside in `versions/.building-<n>/`, renames it to
`versions/<n>/` and then atomically replaces CURRENT; readers keep serving the previous
version until that moment. A file lock keeps two builds apart. A build that dies leaves
CURRENT untouched; the next run removes its leftovers. The last `keep_versions` versions
are kept (a reader may still be using the previous one).
"""

from __future__ import annotations

import collections
import hashlib
import itertools
import logging
import multiprocessing
import os
import shutil
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
from filelock import FileLock, Timeout

from crawler.database import StoreLocation
from crawler.models import Article
from index.catalog import (
    CATALOG_FILE,
    Catalog,
    ChunkRecord,
    article_fingerprint,
    article_lang,
    embedding_hash,
)
from index.chunk import READING_VERSION
from index.errors import BackendError, IndexError_
from index.faiss_store import FaissStore, choose_kind
from index.keyword import (
    KEYWORD_DIR,
    KeywordCorpus,
    KeywordIndex,
    NumberedTerms,
    TermCounts,
    Tokenizer,
    WorkerVocabulary,
    default_tokenizer,
)
from index.models import Chunk, Embedder, chunk_sizes
from index.reader import (
    MANIFEST_FILE,
    MANIFEST_FORMAT,
    Manifest,
    current_version,
    read_manifest,
    sync_directory,
    sync_tree,
    version_dir,
    versions_dir,
    write_current,
)
from index.sentence_vectors import (
    KEY_DTYPE,
    SentenceVectors,
    sentence_key,
    write_sentence_vectors,
)
from index.sentences import split_sentences
from index.vector_store import VectorStore, load_vector_store

logger = logging.getLogger(__name__)
# A chunk id (int) or a sentence key (bytes): what an embedded text is stored under.
_KeyT = TypeVar("_KeyT")

LOCK_FILE = "build.lock"
STAGING_PREFIX = ".building-"
Chunker = Callable[..., list[Chunk]]
Backend = Literal["faiss", "milvus"]


@dataclass(frozen=True)
class BuildReport:
    version: int
    previous_version: int | None
    articles_new: int
    articles_changed: int
    articles_deleted: int
    articles_unchanged: int
    chunks: int
    chunks_embedded: int
    chunks_reused: int
    seconds: float
    backend: str
    # True when the store had nothing new: no version was written.
    up_to_date: bool = False
    # True when nothing could be reused (first build, or another embedder).
    full_rebuild: bool = False
    # Distinct sentence texts whose vectors the version stores (see index.sentence_vectors).
    sentences: int = 0
    sentences_embedded: int = 0
    sentences_reused: int = 0

    @property
    def chunks_per_second(self) -> float:
        return self.chunks_embedded / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        state = "up to date" if self.up_to_date else "built"
        return (
            f"index version {self.version} {state} ({self.backend}): articles "
            f"{self.articles_new} new, {self.articles_changed} changed, "
            f"{self.articles_deleted} deleted, {self.articles_unchanged} unchanged; chunks "
            f"{self.chunks_embedded} embedded, {self.chunks_reused} reused, "
            f"{self.chunks} total; sentences {self.sentences_embedded} embedded, "
            f"{self.sentences_reused} reused, {self.sentences} total; {self.seconds:.1f}s"
        )


@dataclass
class _Previous:
    version: int
    manifest: Manifest
    catalog: Catalog
    store: Any  # FaissStore or MilvusStore: both offer reconstruct(ids)
    reusable: bool
    sentences: SentenceVectors

    def close(self) -> None:
        self.catalog.close()


def milvus_collection_prefix(index_dir: Path) -> str:
    """Collections of one index folder share a prefix (several indexes may share Milvus)."""
    digest = hashlib.sha256(str(index_dir.resolve()).encode()).hexdigest()[:10]
    return f"policyqa_{digest}_v"


def update_index(
    store_path: StoreLocation,
    index_dir: Path,
    embedder: Embedder,
    *,
    backend: Backend = "faiss",
    milvus_uri: str | None = None,
    approximate_threshold: int = 50_000,
    approximate_kind: Literal["hnsw", "ivf"] = "hnsw",
    keep_versions: int = 2,
    embed_batch_size: int = 64,
    progress: bool = False,
    chunker: Chunker | None = None,
    tokenizer: Tokenizer | None = None,
    workers: int = 1,
) -> BuildReport:
    """Bring the index in `index_dir` up to date with the article store at `store_path`
    (an SQLite path or a PostgreSQL URL).

    `workers` processes chunk and tokenize new and changed articles (the text work,
    most of a build without a model); 1 does it in this process. Either way the version
    is the same.

    Raises IndexError_ when another build holds the lock, BackendError when the vector
    backend fails; in every failure the previous version keeps serving.
    """
    if backend == "milvus" and not milvus_uri:
        raise BackendError("the Milvus backend needs a URI (set POLICYQA_MILVUS_URI)")
    if backend not in ("faiss", "milvus"):
        raise BackendError(f"unknown vector backend {backend!r}; use faiss or milvus")
    index_dir.mkdir(parents=True, exist_ok=True)
    versions_dir(index_dir).mkdir(exist_ok=True)
    with _writer_lock(store_path, index_dir):
        return _Build(
            store_path=store_path,
            index_dir=index_dir,
            embedder=embedder,
            backend=backend,
            milvus_uri=milvus_uri,
            approximate_threshold=approximate_threshold,
            approximate_kind=approximate_kind,
            keep_versions=max(1, keep_versions),
            embed_batch_size=embed_batch_size,
            progress=progress,
            chunker=chunker or _default_chunker(),
            tokenizer=tokenizer,
            workers=max(1, workers),
        ).run()


@contextmanager
def _writer_lock(store: StoreLocation, index_dir: Path) -> Iterator[None]:
    """One build at a time: a file lock in the index folder, or, with the store in
    PostgreSQL, an advisory lock there, so indexers on different hosts exclude each other."""
    from crawler.database import WriterLockHeld, is_postgres_url

    if is_postgres_url(store):
        from crawler.store import ArticleStore

        with ArticleStore(store) as opened:
            try:
                with opened.writer_lock("index"):
                    yield
            except WriterLockHeld as held:
                raise IndexError_(
                    f"another `policyqa index` is already building from this store ({held}); "
                    "wait for it to finish and run again"
                ) from None
        return
    lock = FileLock(str(index_dir / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise IndexError_(
            f"another `policyqa index` is already updating {index_dir} (lock "
            f"{index_dir / LOCK_FILE}); wait for it to finish and run again"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _default_chunker() -> Chunker:
    from index.chunk import chunk

    return chunk


def _read_articles(store_path: StoreLocation) -> Iterator[Article]:
    from crawler.database import is_postgres_url
    from crawler.store import ArticleStore

    if not is_postgres_url(store_path) and not Path(store_path).exists():
        raise IndexError_(
            f"there is no article store at {store_path}; run `policyqa crawl` or "
            "`policyqa import FILE.jsonl` first"
        )
    with ArticleStore(store_path) as store:
        for article in store.articles():
            yield article if article.id and article.content_hash else article.with_identity()


@dataclass(frozen=True)
class _ArticleJob:
    """The text work on one article: its chunks, their keyword tokens, its sentences."""

    chunker: Chunker
    chunking: dict[str, int]
    tokenize: Tokenizer


@dataclass(frozen=True)
class _Prepared:
    chunks: list[Chunk]
    # Keyword terms of each chunk's keyword text (context, then text), as
    # `Catalog.keyword_texts` gives it to the keyword index, counted; from a worker,
    # numbered by its vocabulary (ints to send back, not every term as a string).
    terms: Sequence[TermCounts | NumberedTerms]
    sentences: list[tuple[int, int]]


def _prepare(job: _ArticleJob, article: Article, needs_chunks: bool) -> _Prepared:
    sentences = split_sentences(article.text, article_lang(article))
    if not needs_chunks:
        return _Prepared([], [], sentences)
    chunks = job.chunker(article, **job.chunking)
    terms = [
        TermCounts.of(job.tokenize(f"{c.context}\n{c.text}" if c.context else c.text))
        for c in chunks
    ]
    return _Prepared(chunks, terms, sentences)


# The job of a pool's workers: set before the pool forks, so the workers inherit it
# (chunkers and tokenizers need not be picklable).
_POOL_JOB: _ArticleJob | None = None
# Articles sent to the workers at a time; the next batch is read and sent while the
# results of the one before are stored.
_POOL_BATCH = 256
# Batches sent ahead of the one whose results are being stored: the parent embeds and
# counts while it stores, so the workers keep two batches in hand rather than wait for it.
_POOL_AHEAD = 2
# Fewer articles than this to chunk are not worth starting processes for.
_POOL_MINIMUM = 512


# The vocabulary of this worker process (made in the worker on its first article).
_WORKER_VOCABULARY: tuple[int, WorkerVocabulary] | None = None


def _prepare_in_worker(item: tuple[Article, bool]) -> _Prepared:
    global _WORKER_VOCABULARY
    assert _POOL_JOB is not None
    prepared = _prepare(_POOL_JOB, *item)
    if _WORKER_VOCABULARY is None or _WORKER_VOCABULARY[0] != os.getpid():
        _WORKER_VOCABULARY = (os.getpid(), WorkerVocabulary())
    vocabulary = _WORKER_VOCABULARY[1]
    numbered = [
        vocabulary.number(counted) for counted in prepared.terms if isinstance(counted, TermCounts)
    ]
    return _Prepared(prepared.chunks, numbered, prepared.sentences)


def _prepare_articles(
    job: _ArticleJob, planned: Iterable[tuple[Article, str, bool]], workers: int
) -> Iterator[tuple[Article, str, _Prepared]]:
    """(article, fingerprint, its text work) in store order, done by `workers`
    processes once there are enough articles to share out, else here."""
    planned = iter(planned)
    head: list[tuple[Article, str, bool]] = []
    if workers > 1:
        for item in planned:
            head.append(item)
            if len(head) >= _POOL_MINIMUM:
                break
    if workers <= 1 or len(head) < _POOL_MINIMUM:
        for article, fingerprint, needs in itertools.chain(head, planned):
            yield article, fingerprint, _prepare(job, article, needs)
        return
    global _POOL_JOB
    _POOL_JOB = job
    try:
        # fork: the workers inherit the job and the loaded modules; they only compute
        # (no store, catalog or model in use there).
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            items = itertools.chain(head, planned)
            pending: collections.deque[tuple[list[tuple[Article, str, bool]], Any]]
            pending = collections.deque()
            while True:
                batch = list(itertools.islice(items, _POOL_BATCH))
                if batch:
                    work = [(a, n) for a, _, n in batch]
                    pending.append((batch, pool.map_async(_prepare_in_worker, work, 8)))
                    if len(pending) <= _POOL_AHEAD:
                        continue
                if not pending:
                    break
                done, result = pending.popleft()
                for (article, fingerprint, _), prepared in zip(done, result.get(), strict=True):
                    yield article, fingerprint, prepared
    finally:
        _POOL_JOB = None


@dataclass
class _Build:
    store_path: StoreLocation
    index_dir: Path
    embedder: Embedder
    backend: Backend
    milvus_uri: str | None
    approximate_threshold: int
    approximate_kind: Literal["hnsw", "ivf"]
    keep_versions: int
    embed_batch_size: int
    progress: bool
    chunker: Chunker
    tokenizer: Tokenizer | None
    workers: int = 1

    def run(self) -> BuildReport:
        started = time.perf_counter()
        current = current_version(self.index_dir)
        self._clean_leftovers(current)
        previous = self._open_previous(current)
        try:
            return self._build(current, previous, started)
        finally:
            if previous is not None:
                previous.close()

    # Life cycle ---------------------------------------------------------------------

    def _clean_leftovers(self, current: int | None) -> None:
        """Remove what a dead build left: staging folders and versions never switched to."""
        for path in versions_dir(self.index_dir).iterdir():
            name = path.name
            abandoned = name.startswith(STAGING_PREFIX) or (
                name.isdigit() and (current is None or int(name) > current)
            )
            if abandoned:
                logger.info("removing %s, left by an interrupted build", path)
                shutil.rmtree(path, ignore_errors=True)
        for path in self.index_dir.glob(".CURRENT.*.tmp"):
            path.unlink(missing_ok=True)

    def _open_previous(self, current: int | None) -> _Previous | None:
        if current is None:
            return None
        try:
            return self._read_previous(current)
        except (IndexError_, FileNotFoundError, OSError) as error:
            # A damaged current version is not worth keeping: rebuild from the store.
            logger.warning(
                "cannot reuse index version %d (%s); rebuilding everything", current, error
            )
            return None

    def _read_previous(self, current: int) -> _Previous:
        directory = version_dir(self.index_dir, current)
        manifest = read_manifest(directory)
        reusable = (
            manifest.embedder == self.embedder.name
            and manifest.dimensions == self.embedder.dimensions
            and manifest.format == MANIFEST_FORMAT
        )
        if not reusable:
            logger.info(
                "index version %d was built with %s (%d dims); re-embedding everything with %s",
                current,
                manifest.embedder,
                manifest.dimensions,
                self.embedder.name,
            )
        store = load_vector_store(directory, manifest.backend)
        sentences = SentenceVectors.load(directory, manifest.dimensions)
        return _Previous(
            current, manifest, Catalog(directory / CATALOG_FILE), store, reusable, sentences
        )

    def _purge_removed_rows(self, previous: _Previous | None, store: VectorStore) -> None:
        """Delete for good the Milvus rows the previous version had already removed: the
        new version does not see them either, and readers are on one of those two."""
        if previous is None or not getattr(previous.store, "exclude", None):
            return
        if getattr(store, "collection", None) != getattr(previous.store, "collection", None):
            return
        try:
            store.remove(np.asarray(previous.store.exclude, dtype=np.int64))
        except BackendError as error:
            logger.warning("could not delete removed rows from Milvus: %s", error)

    def _prune(self, newest: int) -> None:
        numbered = sorted(
            int(p.name) for p in versions_dir(self.index_dir).iterdir() if p.name.isdigit()
        )
        keep = [v for v in numbered if v <= newest][-self.keep_versions :]
        in_use = {
            name for v in keep if (name := _milvus_collection_of(version_dir(self.index_dir, v)))
        }
        for version in numbered:
            if version not in keep:
                logger.info("removing old index version %d", version)
                directory = version_dir(self.index_dir, version)
                if _milvus_collection_of(directory) not in in_use:
                    _drop_milvus_collection(directory)
                shutil.rmtree(directory, ignore_errors=True)
        if self.backend == "milvus" and self.milvus_uri:
            from index.milvus_store import drop_collections

            prefix = milvus_collection_prefix(self.index_dir)
            drop_collections(self.milvus_uri, prefix, in_use)

    # The build ----------------------------------------------------------------------------

    def _build(
        self, current: int | None, previous: _Previous | None, started: float
    ) -> BuildReport:
        version = (current or 0) + 1
        staging = versions_dir(self.index_dir) / f"{STAGING_PREFIX}{version}"
        staging.mkdir()
        try:
            return self._build_into(staging, version, current, previous, started)
        except BaseException:
            # CURRENT still names the previous version; drop the half-built one now
            # (a killed process leaves it for the next run's clean-up instead).
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def _build_into(
        self,
        staging: Path,
        version: int,
        current: int | None,
        previous: _Previous | None,
        started: float,
    ) -> BuildReport:
        chunking = chunk_sizes(self.embedder)
        # What changes the chunks: their sizes and how their text is read.
        salt = f"{chunking['target_chars']}:{chunking['max_chars']}:{READING_VERSION}"
        reusable = previous is not None and previous.reusable
        old_fingerprints = previous.catalog.article_fingerprints() if previous else {}
        next_id = previous.manifest.next_chunk_id if reusable and previous else 0
        sentences = _SentenceCollector(previous.sentences if reusable and previous else None)
        catalog = Catalog.create(staging / CATALOG_FILE)
        try:
            counts = {"new": 0, "changed": 0, "unchanged": 0}
            unchanged: list[str] = []
            fingerprints: dict[str, str] = {}
            # New texts are embedded a batch at a time as the articles are chunked (the
            # workers chunk the next articles meanwhile), so their texts are not held.
            bar = _progress_bar(None, self.progress)
            embedded = _EmbeddedChunks(self._embed_batch, self.embed_batch_size, bar.update)
            reuse_previous: list[tuple[int, int]] = []  # (new id, previous id)
            reuse_here: list[tuple[int, int]] = []  # (new id, id embedded in this run)
            first_with_text: dict[str, int] = {}
            # New and changed chunks' keyword terms, as ids: no token strings are held.
            pretokenized = KeywordCorpus()
            job = _ArticleJob(self.chunker, chunking, self.tokenizer or default_tokenizer())
            planned = (
                (
                    article,
                    fingerprint,
                    not (reusable and old_fingerprints.get(article.id or "") == fingerprint),
                )
                for article in _read_articles(self.store_path)
                for fingerprint in (article_fingerprint(article, salt=salt),)
            )
            for article, fingerprint, prepared in _prepare_articles(job, planned, self.workers):
                assert article.id is not None
                if article.id in fingerprints:
                    continue
                fingerprints[article.id] = fingerprint
                catalog.add_article(article, fingerprint)
                sentences.add(article.text, prepared.sentences)
                old = old_fingerprints.get(article.id)
                counts[
                    "new" if old is None else "changed" if old != fingerprint else "unchanged"
                ] += 1
                if reusable and old == fingerprint:
                    unchanged.append(article.id)
                    continue
                records = []
                for chunk, terms in zip(prepared.chunks, prepared.terms, strict=True):
                    if isinstance(terms, NumberedTerms):
                        pretokenized.add_numbered(next_id, terms)
                    else:
                        pretokenized.add(next_id, terms)
                    digest = embedding_hash(chunk.embedding_text)
                    records.append(ChunkRecord(next_id, chunk, digest))
                    if digest in first_with_text:
                        reuse_here.append((next_id, first_with_text[digest]))
                    elif (
                        reusable
                        and previous
                        and (old_id := previous.catalog.chunk_id_for_embedding(digest)) is not None
                    ):
                        reuse_previous.append((next_id, old_id))
                    else:
                        first_with_text[digest] = next_id
                        embedded.add(next_id, chunk.embedding_text)
                    next_id += 1
                catalog.add_chunks(records)
            embedded.finish()
            bar.close()
            deleted = sorted(set(old_fingerprints) - set(fingerprints))
            same_layout = previous is not None and previous.manifest.backend == self.backend
            if (
                reusable
                and same_layout
                and not deleted
                and counts["unchanged"] == len(fingerprints)
                and previous is not None
                and previous.manifest.sentences is not None
            ):
                catalog.close()
                shutil.rmtree(staging, ignore_errors=True)
                assert previous is not None
                return BuildReport(
                    version=previous.version,
                    previous_version=previous.version,
                    articles_new=0,
                    articles_changed=0,
                    articles_deleted=0,
                    articles_unchanged=counts["unchanged"],
                    chunks=previous.manifest.chunks,
                    chunks_embedded=0,
                    chunks_reused=0,
                    seconds=time.perf_counter() - started,
                    backend=self.backend,
                    up_to_date=True,
                    sentences=previous.manifest.sentences or 0,
                )
            if previous is not None and unchanged:
                catalog.copy_chunks_from(previous.catalog.path, unchanged)
            kept = (
                previous.catalog.chunk_ids_of(unchanged)
                if previous and unchanged
                else (np.empty(0, dtype=np.int64))
            )
            total = len(kept) + len(reuse_previous) + len(reuse_here) + len(embedded)
            store, carried, gone = self._vector_store(version, total, previous, kept)
            self._fill_vectors(
                store, previous, kept, reuse_previous, reuse_here, embedded, carried=carried
            )
            if len(gone):
                store.remove(gone)
            # Only the chunks of unchanged articles are tokenized here (read back from
            # the catalog); every other chunk was counted while it was chunked.
            KeywordIndex.build(
                catalog.keyword_texts() if unchanged else (),
                self.tokenizer,
                pretokenized=pretokenized,
            ).save(staging / KEYWORD_DIR)
            catalog.finish()
            articles_count, chunks_count = catalog.counts()
        finally:
            catalog.close()
        store.save(staging)
        sentences_embedded = self._write_sentences(staging, sentences)
        manifest = Manifest(
            version=version,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            backend=self.backend,
            embedder=self.embedder.name,
            dimensions=self.embedder.dimensions,
            articles=articles_count,
            chunks=chunks_count,
            next_chunk_id=next_id,
            corpus_state=_corpus_state(fingerprints.items()),
            chunking=chunking,
            vector_index=_vector_index_info(store),
            sentences=len(sentences.keys),
        )
        (staging / MANIFEST_FILE).write_text(manifest.to_json())
        # The catalog is bulk-loaded with synchronous=OFF: every file of the version is
        # flushed here, and the rename too, before CURRENT may name it (a power cut must
        # leave CURRENT on a version that is whole on disk).
        sync_tree(staging)
        final = version_dir(self.index_dir, version)
        staging.rename(final)
        sync_directory(final.parent)
        write_current(self.index_dir, version)
        logger.info("index version %d is now current", version)
        self._purge_removed_rows(previous, store)
        self._prune(version)
        return BuildReport(
            version=version,
            previous_version=current,
            articles_new=counts["new"],
            articles_changed=counts["changed"],
            articles_deleted=len(deleted),
            articles_unchanged=counts["unchanged"],
            chunks=chunks_count,
            chunks_embedded=len(embedded),
            chunks_reused=len(kept) + len(reuse_previous) + len(reuse_here),
            seconds=time.perf_counter() - started,
            backend=self.backend,
            full_rebuild=not reusable,
            sentences=len(sentences.keys),
            sentences_embedded=sentences_embedded,
            sentences_reused=len(sentences.keys) - sentences_embedded,
        )

    def _vector_store(
        self, version: int, total: int, previous: _Previous | None, kept: np.ndarray
    ) -> tuple[VectorStore, bool, np.ndarray]:
        """The store for the new version, whether it already holds the kept vectors, and
        the ids it holds that must go (removed once reused vectors have been read).

        A FAISS index of the right kind is carried over from the previous version (kept in
        memory, saved into the new folder) instead of rebuilt: a flat index drops what
        went away; an HNSW or IVF index only when nothing went away, since neither can
        drop vectors cheaply. Otherwise a fresh store is filled from the kept vectors.
        """
        if (
            self.backend == "milvus"
            and previous is not None
            and previous.reusable
            and getattr(previous.store, "version", None) is not None
        ):
            # Milvus: the new version shares the collection; only new rows go in, and the
            # rows that went away are listed for readers until the next build deletes them.
            gone = np.setdiff1d(_catalog_chunk_ids(previous.catalog), kept, assume_unique=True)
            return previous.store.next_version(version, gone), True, np.empty(0, dtype=np.int64)
        if (
            self.backend == "faiss"
            and previous is not None
            and previous.reusable
            and isinstance(previous.store, FaissStore)
        ):
            old: FaissStore = previous.store
            kind = choose_kind(
                total,
                approximate_threshold=self.approximate_threshold,
                approximate_kind=self.approximate_kind,
            )
            gone = np.setdiff1d(old.ids(), kept, assume_unique=True)
            if old.kind == kind and (kind == "flat" or not len(gone)):
                return old, True, gone
        return self._new_store(version, total), False, np.empty(0, dtype=np.int64)

    def _new_store(self, version: int, total: int) -> VectorStore:
        if self.backend == "milvus":
            from index.milvus_store import MilvusStore

            assert self.milvus_uri is not None
            collection = f"{milvus_collection_prefix(self.index_dir)}{version}"
            return MilvusStore(
                self.milvus_uri, collection, self.embedder.dimensions, create=True, version=version
            )
        kind = choose_kind(
            total,
            approximate_threshold=self.approximate_threshold,
            approximate_kind=self.approximate_kind,
        )
        return FaissStore(self.embedder.dimensions, kind=kind, expected_size=total)

    def _fill_vectors(
        self,
        store: VectorStore,
        previous: _Previous | None,
        kept: np.ndarray,
        reuse_previous: list[tuple[int, int]],
        reuse_here: list[tuple[int, int]],
        embedded: _EmbeddedChunks,
        *,
        carried: bool,
    ) -> None:
        # Every vector is written once, into one array in the order the store receives
        # them (kept, reused from the previous version, embedded, reused from this run):
        # no list of parts to concatenate, which at a million chunks was a second copy
        # of three gigabytes.
        from_kept = 0 if previous is None or carried else len(kept)
        from_previous = len(reuse_previous) if previous is not None else 0
        total = from_kept + from_previous + len(embedded) + len(reuse_here)
        if not total:
            return
        ids = np.empty(total, dtype=np.int64)
        vectors = np.empty((total, self.embedder.dimensions), dtype=np.float32)
        row = 0
        if previous is not None:
            for start in range(0, from_kept, 50_000):
                part = kept[start : start + 50_000]
                ids[row : row + len(part)] = part
                vectors[row : row + len(part)] = previous.store.reconstruct(part)
                row += len(part)
            if reuse_previous:
                pairs = np.array(reuse_previous, dtype=np.int64)
                ids[row : row + len(pairs)] = pairs[:, 0]
                vectors[row : row + len(pairs)] = previous.store.reconstruct(pairs[:, 1])
                row += len(pairs)
        first_embedded = row
        embedded_ids = embedded.ids()
        ids[row : row + len(embedded_ids)] = embedded_ids
        for block in embedded.take_blocks():
            vectors[row : row + len(block)] = block
            row += len(block)
        if reuse_here:
            # Embedded ids increase with the order they were embedded in.
            sources = np.array([source for _, source in reuse_here], dtype=np.int64)
            ids[row:] = [new for new, _ in reuse_here]
            vectors[row:] = vectors[first_embedded + np.searchsorted(embedded_ids, sources)]
        store.add(ids, vectors)

    def _embed_in_batches(
        self, items: Sequence[tuple[_KeyT, str]], *, unit: str
    ) -> Iterator[tuple[Sequence[tuple[_KeyT, str]], np.ndarray]]:
        """(key, text) items in embedder-sized batches, each with its passage vectors,
        checked against the embedder's dimensions; progress shown as `unit`s."""
        bar = _progress_bar(len(items), self.progress, unit=unit)
        try:
            for start in range(0, len(items), self.embed_batch_size):
                batch = items[start : start + self.embed_batch_size]
                yield batch, self._embed_batch([text for _, text in batch])
                bar.update(len(batch))
        finally:
            bar.close()

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        """Passage vectors of `texts`, checked against the embedder's dimensions."""
        dims = self.embedder.dimensions
        vectors = np.asarray(self.embedder.embed_passages(texts), dtype=np.float32)
        if vectors.shape != (len(texts), dims):
            raise BackendError(
                f"the embedder {self.embedder.name!r} returned vectors of shape "
                f"{vectors.shape}, expected ({len(texts)}, {dims})"
            )
        return vectors

    def _write_sentences(self, staging: Path, sentences: _SentenceCollector) -> int:
        """Store the vector of every distinct sentence in `staging`: the previous
        version's where it has the text, the embedder's otherwise. Returns how many
        were embedded."""
        dims = self.embedder.dimensions
        keys = np.unique(np.array(list(sentences.keys), dtype=KEY_DTYPE))
        keys, out = write_sentence_vectors(staging, keys, dims)
        previous = sentences.previous
        if previous is not None and len(previous):
            source = previous.rows(keys)
            targets = np.flatnonzero(source >= 0)
            for start in range(0, len(targets), 50_000):
                part = targets[start : start + 50_000]
                out[part] = previous.vectors[source[part]]
        todo = list(sentences.new_texts.items())
        for batch, vectors in self._embed_in_batches(todo, unit="sentence"):
            rows = np.searchsorted(keys, np.array([key for key, _ in batch], dtype=KEY_DTYPE))
            out[rows] = vectors
        out.flush()
        del out
        return len(todo)


class _EmbeddedChunks:
    """Chunk texts embedded as they arrive, `batch_size` at a time (the same batches as
    embedding them all at the end), their vectors kept in large blocks in arrival order.

    The build adds each new text while it reads the workers' results, so embedding
    overlaps the chunking and a text is dropped once embedded, instead of a million of
    them waiting for the end of the article loop."""

    # Rows per block: 16,384 x 768 float32 is 48 MB, a separate mapping the allocator
    # returns to the system when the block is copied out and freed.
    _BLOCK_ROWS = 16_384

    def __init__(
        self,
        embed: Callable[[list[str]], np.ndarray],
        batch_size: int,
        progress: Callable[[int], object] = lambda count: None,
    ) -> None:
        self._embed = embed
        self._progress = progress
        self._batch_size = max(1, batch_size)
        self._ids = array("q")
        self._texts: list[str] = []
        self._blocks: list[np.ndarray] = []
        self._rows_in_last = 0

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, chunk_id: int, text: str) -> None:
        self._ids.append(chunk_id)
        self._texts.append(text)
        if len(self._texts) >= self._batch_size:
            self._flush()

    def finish(self) -> None:
        """Embed what is still waiting (the last, smaller batch)."""
        if self._texts:
            self._flush()

    def ids(self) -> np.ndarray:
        """The ids added, in order (each embedded once `finish` has run)."""
        return np.frombuffer(self._ids, dtype=np.int64) if len(self._ids) else np.empty(0, np.int64)

    def take_blocks(self) -> Iterator[np.ndarray]:
        """The vectors, in the order their texts were added, block by block; each block
        is let go once the caller moves on."""
        assert not self._texts, "finish() first"
        while self._blocks:
            block = self._blocks.pop(0)
            rows = len(block) if self._blocks else self._rows_in_last
            yield block[:rows]
            del block

    def _flush(self) -> None:
        vectors = self._embed(self._texts)
        self._progress(len(self._texts))
        self._texts = []
        start = 0
        while start < len(vectors):
            if not self._blocks or self._rows_in_last == self._BLOCK_ROWS:
                self._blocks.append(
                    np.empty((self._BLOCK_ROWS, vectors.shape[1]), dtype=np.float32)
                )
                self._rows_in_last = 0
            room = self._BLOCK_ROWS - self._rows_in_last
            part = vectors[start : start + room]
            self._blocks[-1][self._rows_in_last : self._rows_in_last + len(part)] = part
            self._rows_in_last += len(part)
            start += len(part)


class _SentenceCollector:
    """The distinct sentences of a version's articles, and those of them whose vectors
    the previous version does not hold (to embed)."""

    def __init__(self, previous: SentenceVectors | None) -> None:
        self.previous = previous
        self.keys: set[bytes] = set()
        self.new_texts: dict[bytes, str] = {}

    def add(self, text: str, spans: Sequence[tuple[int, int]]) -> None:
        """Collect the sentences of `text` at `spans` (`split_sentences` of it)."""
        fresh: dict[bytes, str] = {}
        for start, end in spans:
            sentence = text[start:end]
            key = sentence_key(sentence)
            if key not in self.keys:
                self.keys.add(key)
                fresh[key] = sentence
        if not fresh:
            return
        if self.previous is not None and len(self.previous):
            known = self.previous.rows(list(fresh))
            fresh = {
                key: sentence
                for (key, sentence), row in zip(fresh.items(), known, strict=True)
                if row < 0
            }
        self.new_texts.update(fresh)


def _catalog_chunk_ids(catalog: Catalog) -> np.ndarray:
    """Every chunk id a version's catalog holds, sorted."""
    ids = catalog.chunk_ids_of(list(catalog.article_fingerprints()))
    return np.unique(np.asarray(ids, dtype=np.int64))


def _milvus_collection_of(directory: Path) -> str | None:
    """The Milvus collection a version folder points at, if it has one."""
    import json

    from index.milvus_store import MILVUS_FILE

    try:
        return str(json.loads((directory / MILVUS_FILE).read_text())["collection"])
    except (OSError, ValueError, KeyError):
        return None


def _drop_milvus_collection(directory: Path) -> None:
    """Drop the Milvus collection an old version folder points at, if any."""
    from index.milvus_store import MILVUS_FILE

    if not (directory / MILVUS_FILE).exists():
        return
    try:
        from index.milvus_store import MilvusStore

        MilvusStore.load(directory).drop()
    except (BackendError, OSError) as error:
        logger.warning("could not drop the Milvus collection of %s: %s", directory, error)


def _progress_bar(total: int | None, enabled: bool, unit: str = "chunk") -> Any:
    """A bar on the terminal (`total` None: a count, for texts embedded as they come)."""
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc="embedding", disable=not enabled or total == 0)


def _corpus_state(fingerprints: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for article_id, fingerprint in sorted(fingerprints):
        digest.update(f"{article_id}:{fingerprint}\n".encode())
    return digest.hexdigest()


def _vector_index_info(store: VectorStore) -> dict[str, Any]:
    if isinstance(store, FaissStore):
        return store.params()
    return {"kind": "milvus", "collection": getattr(store, "collection", None)}
