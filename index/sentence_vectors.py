"""The vector of every sentence of every article of an index version, looked up by text.

Answers score each candidate sentence against the question. Embedding those sentences
while the question waits cost one model pass over up to a few dozen sentences per
question (most of `/ask`'s time with EmbeddingGemma on a CPU), so the build embeds every
sentence once, as a passage, and stores the vectors in the version folder:

    sentence_keys.npy     the sorted keys, one per distinct sentence text
    sentence_vectors.npy  float32 (n, dimensions); row i is the vector of key i

Sentences are those of `index.sentences.split_sentences`, the splitter qa quotes from.
A vector depends on the embedder and the text alone, so the store is keyed by the text
(the first 16 bytes of its SHA-256), not by article or offset: a sentence that several
articles or versions share is stored once, a lookup needs no article id, and the build
reuses the previous version's vector of any text it already holds. A text the store
lacks (an older version, a sentence cut differently) comes back as None and the caller
embeds it.

The store is the same for the FAISS and the Milvus backends, beside either. Lookups are
exact by key, never by similarity, so they need no vector index: a binary search in a
memory-mapped array costs microseconds where a Milvus query costs a round trip (and a
Milvus Lite file is open to one process at a time). Living in the version folder, the
files are built aside and switched to atomically with the rest of the version.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

KEYS_FILE = "sentence_keys.npy"
VECTORS_FILE = "sentence_vectors.npy"
KEY_BYTES = 16
KEY_DTYPE = f"S{KEY_BYTES}"


def sentence_key(text: str) -> bytes:
    """The store's key for a sentence text."""
    return hashlib.sha256(text.encode("utf-8")).digest()[:KEY_BYTES]


class SentenceVectors:
    """Sentence vectors of one index version (see the module docstring)."""

    def __init__(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        if len(keys) != len(vectors):
            raise ValueError(f"{len(keys)} sentence keys for {len(vectors)} vectors")
        self.keys = keys
        self.vectors = vectors

    @classmethod
    def empty(cls, dimensions: int) -> SentenceVectors:
        return cls(np.empty(0, dtype=KEY_DTYPE), np.empty((0, dimensions), dtype=np.float32))

    @classmethod
    def load(cls, directory: Path, dimensions: int) -> SentenceVectors:
        """The store of a version folder, memory-mapped. A version built before sentence
        vectors existed, or whose files cannot be read, gives an empty store: answers
        then embed their sentences as they did before."""
        keys_path, vectors_path = directory / KEYS_FILE, directory / VECTORS_FILE
        if not keys_path.exists() and not vectors_path.exists():
            return cls.empty(dimensions)
        try:
            keys = np.load(keys_path, mmap_mode="r")
            vectors = np.load(vectors_path, mmap_mode="r")
        except (OSError, ValueError) as error:
            logger.warning("cannot read the sentence vectors in %s (%s)", directory, error)
            return cls.empty(dimensions)
        if (
            keys.dtype != np.dtype(KEY_DTYPE)
            or vectors.ndim != 2
            or vectors.shape != (len(keys), dimensions)
        ):
            logger.warning(
                "the sentence vectors in %s do not fit (%s keys, vectors %s, %d dimensions)",
                directory,
                len(keys),
                vectors.shape,
                dimensions,
            )
            return cls.empty(dimensions)
        return cls(keys, vectors)

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def dimensions(self) -> int:
        return int(self.vectors.shape[1])

    def rows(self, keys: Sequence[bytes] | np.ndarray) -> np.ndarray:
        """The row of each key, -1 where the store lacks it."""
        if not len(keys) or not len(self.keys):
            return np.full(len(keys), -1, dtype=np.int64)
        wanted = np.array(keys, dtype=KEY_DTYPE)
        rows = np.searchsorted(self.keys, wanted)
        inside = rows < len(self.keys)
        found = np.zeros(len(keys), dtype=bool)
        found[inside] = self.keys[rows[inside]] == wanted[inside]
        return np.where(found, rows, -1).astype(np.int64)

    def lookup(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        """The stored vector of each text, None where the store lacks it."""
        rows = self.rows([sentence_key(text) for text in texts])
        present = rows >= 0
        vectors = np.asarray(self.vectors[rows[present]], dtype=np.float32)
        found = iter(vectors)
        return [next(found) if hit else None for hit in present]


def write_sentence_vectors(
    directory: Path, keys: np.ndarray, dimensions: int
) -> tuple[np.ndarray, np.memmap]:
    """Files for `keys` (sorted, distinct) in `directory`: the keys, and a writable
    memory-mapped vector array for the caller to fill (rows in key order)."""
    np.save(directory / KEYS_FILE, np.asarray(keys, dtype=KEY_DTYPE))
    vectors = np.lib.format.open_memmap(
        directory / VECTORS_FILE, mode="w+", dtype=np.float32, shape=(len(keys), dimensions)
    )
    return keys, vectors
