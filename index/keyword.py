"""The keyword index: BM25 (bm25s) over `index.tokenize.keyword_tokens`.

The tokenizer decides what matches: it folds Vietnamese, Cyrillic and Latin text and keeps
document numbers (e.g. "15/2025/NQ-HĐND") whole, so a number in a query matches exactly.
Scores are computed for the whole corpus and the filter is applied before taking the top
k, so a narrow filter still returns every matching chunk up to k.

On disk (inside a version folder): `keyword/` holds the bm25s arrays (numpy and JSON, no
pickle) and `keyword/ids.npy` the chunk id of each BM25 document, sorted.

Building: bm25s's own builder wants every document's tokens as Python lists at once,
which for a million chunks is tens of gigabytes of strings and list slots. A
`KeywordCorpus` instead keeps each document as it arrives as term ids and counts in flat
integer arrays (about 8 bytes per distinct term of a chunk), and computes bm25s's scores
(its default "lucene" variant, same arithmetic and dtypes) with array operations into the
same sparse matrix, which bm25s then saves, loads and queries as its own.
`tests/index/test_keyword_corpus.py` proves the matrix equal to bm25s's, entry by entry.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from index.errors import BackendError

logger = logging.getLogger(__name__)

Tokenizer = Callable[[str], list[str]]
KEYWORD_DIR = "keyword"
_IDS_FILE = "ids.npy"
_STATE_FILE = "state.json"


@functools.cache
def compiled_scorer() -> Callable[..., np.ndarray]:
    """bm25s's loop that adds a query's postings into one score per document, compiled by
    numba once per process (and cached on disk): the part of a search that grows with
    the corpus, about half the time of numpy's `add.at` at a million chunks (design
    notes). bm25s's own `activate_numba_scorer` compiles it again for every index."""
    from bm25s.scoring import _compute_relevance_from_scores_jit_ready
    from numba import njit

    compiled: Callable[..., np.ndarray] = njit(cache=True)(_compute_relevance_from_scores_jit_ready)
    return compiled


def default_tokenizer() -> Tokenizer:
    from index.tokenize import keyword_tokens

    return keyword_tokens


class KeywordIndex:
    def __init__(
        self, bm25: bm25s.BM25 | None, ids: np.ndarray, tokenizer: Tokenizer | None = None
    ) -> None:
        self._bm25 = bm25
        if bm25 is not None:
            # bm25s's scoring loop compiled: `get_scores` adds each query term's postings
            # in the same order as with numpy's `add.at`, so the same float32 sums.
            bm25._compute_relevance_from_scores = compiled_scorer()
            # Compiled (or read from numba's cache) for these arrays' types now, when the
            # index opens, not in the first search.
            bm25.get_scores_from_ids([])
        self.ids = np.asarray(ids, dtype=np.int64)
        self._tokenize = tokenizer or default_tokenizer()

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(
        cls,
        documents: Iterable[tuple[int, str]],
        tokenizer: Tokenizer | None = None,
        *,
        pretokenized: KeywordCorpus | None = None,
    ) -> KeywordIndex:
        """Index (chunk id, text) pairs, each id once.

        `pretokenized` holds some ids already (counted with the same tokenizer, e.g. in
        worker processes); their texts are skipped instead of tokenized again."""
        tokenize = tokenizer or default_tokenizer()
        corpus = pretokenized if pretokenized is not None else KeywordCorpus()
        for chunk_id, text in documents:
            if chunk_id not in corpus:
                corpus.add(chunk_id, TermCounts.of(tokenize(text)))
        return corpus.to_index(tokenize)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / _IDS_FILE, self.ids, allow_pickle=False)
        (directory / _STATE_FILE).write_text(json.dumps({"empty": self._bm25 is None}))
        if self._bm25 is not None:
            self._bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, tokenizer: Tokenizer | None = None) -> KeywordIndex:
        """The index saved in `directory`, its score arrays memory-mapped from the files
        (a version folder never changes once written): a search reads only the postings
        of its terms, so a reader holds them in the page cache, shared between worker
        processes, instead of a private copy (1.9 GB at a million chunks)."""
        try:
            ids = np.load(directory / _IDS_FILE, allow_pickle=False, mmap_mode="r")
            empty = json.loads((directory / _STATE_FILE).read_text())["empty"]
            bm25 = (
                None if empty else bm25s.BM25.load(str(directory), mmap=True, show_progress=False)
            )
        except (OSError, ValueError, KeyError) as error:
            raise BackendError(
                f"cannot read the keyword index in {directory}: {error}; "
                "run `policyqa index` to rebuild it"
            ) from error
        return cls(bm25, ids, tokenizer)

    def search(
        self, query: str, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Up to k (chunk id, BM25 score) pairs with a positive score, best first; equal
        scores in chunk id order."""
        if self._bm25 is None or k <= 0 or not len(self.ids):
            return []
        tokens = self._tokenize(query)
        if not tokens:
            return []
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
        if allowed_ids is not None:
            mask = np.zeros(len(self.ids), dtype=bool)
            mask[self._positions(allowed_ids)] = True
            scores = np.where(mask, scores, 0.0)
        positions, best = _top(scores, k)
        return [(int(self.ids[i]), float(s)) for i, s in zip(positions, best, strict=True)]

    def _positions(self, allowed_ids: np.ndarray) -> np.ndarray:
        """BM25 document numbers (positions in the sorted `ids`) of the allowed chunk ids
        that are in this index."""
        allowed = np.asarray(allowed_ids, dtype=np.int64)
        positions = np.searchsorted(self.ids, allowed)
        inside = positions < len(self.ids)
        positions = positions[inside]
        found: np.ndarray = positions[self.ids[positions] == allowed[inside]]
        return found


# `_top` reads a floor for the k-th score from every n-th document, about this many per
# result wanted.
_FLOOR_SAMPLE_PER_RESULT = 64


def _top(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions and scores of the k best positive scores, best first, equal scores in
    position order.

    Every document has a score, and with a query's common terms most are positive, so
    the k best are found without selecting among all of them: the k-th best of an evenly
    spaced sample is at most the k-th best of all, so only documents scoring at least
    that are compared (a few thousand of a million, in one pass over the scores)."""
    step = len(scores) // (k * _FLOOR_SAMPLE_PER_RESULT)
    floor = np.float32(0.0)
    if step > 1:
        sample = scores[::step]
        floor = max(floor, np.partition(sample, len(sample) - k)[len(sample) - k])
    candidates = np.flatnonzero(scores >= floor if floor > 0 else scores > 0)
    found = scores[candidates]
    if len(found) > k:
        kth = np.partition(found, len(found) - k)[len(found) - k]
        above = np.flatnonzero(found > kth)
        # Everything above the k-th score, then the first positions that equal it.
        level = np.flatnonzero(found == kth)[: k - len(above)]
        keep = np.sort(np.concatenate([above, level]))
        candidates, found = candidates[keep], found[keep]
    order = np.lexsort((candidates, -found))
    return candidates[order], found[order]


@dataclass(frozen=True, slots=True)
class TermCounts:
    """One document's keyword tokens as distinct terms and how often each occurs (all
    BM25 needs of them), with the document's length in tokens."""

    terms: list[str]
    counts: list[int]
    length: int

    @classmethod
    def of(cls, tokens: list[str]) -> TermCounts:
        counted = Counter(tokens)
        return cls(list(counted), list(counted.values()), len(tokens))


@dataclass(frozen=True, slots=True)
class NumberedTerms:
    """One document's distinct terms as ids of a worker process's own vocabulary
    (`WorkerVocabulary`), with the terms that vocabulary gained from it: what a worker
    sends instead of every term as a string. `first_new` is the id of the first new term
    (the vocabulary's size before this document)."""

    vocabulary: bytes
    first_new: int
    new_terms: list[str]
    ids: array[int]
    counts: array[int]
    length: int


class WorkerVocabulary:
    """Term ids of one worker process, each term numbered once, in first-seen order."""

    def __init__(self) -> None:
        # Names this vocabulary for the corpus, which keeps one id mapping per worker.
        self.token = os.urandom(8)
        self._ids: dict[str, int] = {}

    def number(self, counted: TermCounts) -> NumberedTerms:
        ids = self._ids
        first_new = len(ids)
        numbered = array("i", [ids.setdefault(term, len(ids)) for term in counted.terms])
        new_terms = (
            [term for term, i in zip(counted.terms, numbered, strict=True) if i >= first_new]
            if len(ids) > first_new
            else []
        )
        return NumberedTerms(
            self.token, first_new, new_terms, numbered, array("i", counted.counts), counted.length
        )


# bm25s's defaults (BM25(): method and idf "lucene", k1 1.5, b 0.75), which the index
# has always used; `params.index.json` records them with the arrays.
_K1 = 1.5
_B = 0.75
# Entries scored and placed at a time (temporaries of a few times 8 bytes each).
_SCORE_BLOCK = 1_000_000


class KeywordCorpus:
    """Documents of the keyword index as term ids and counts in flat arrays, in any id
    order; `to_index` scores them as bm25s would (see the module docstring)."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self._chunk_ids: set[int] = set()
        self._doc_ids = array("q")
        self._lengths = array("q")
        self._sizes = array("q")  # distinct terms per document
        self._terms = array("i")
        self._counts = array("i")
        # Per worker vocabulary (`NumberedTerms.vocabulary`): its ids -> this corpus's ids.
        self._worker_ids: dict[bytes, list[int]] = {}

    def __contains__(self, chunk_id: object) -> bool:
        return chunk_id in self._chunk_ids

    def __len__(self) -> int:
        return len(self._doc_ids)

    def add(self, chunk_id: int, counted: TermCounts) -> None:
        if chunk_id in self._chunk_ids:
            raise BackendError(f"chunk {chunk_id} was given to the keyword index twice")
        vocab = self.vocab
        self._chunk_ids.add(chunk_id)
        self._doc_ids.append(chunk_id)
        self._lengths.append(counted.length)
        self._sizes.append(len(counted.terms))
        self._terms.extend([vocab.setdefault(term, len(vocab)) for term in counted.terms])
        self._counts.extend(counted.counts)

    def add_numbered(self, chunk_id: int, numbered: NumberedTerms) -> None:
        """Add a document numbered by a worker's vocabulary. A worker's documents must
        come in the order it numbered them (its new terms are learnt as they come); the
        ids end up as `add` would give them for the same documents in the same order."""
        if chunk_id in self._chunk_ids:
            raise BackendError(f"chunk {chunk_id} was given to the keyword index twice")
        mapping = self._worker_ids.setdefault(numbered.vocabulary, [])
        if numbered.first_new != len(mapping):
            raise BackendError(
                f"chunk {chunk_id}: a worker's terms arrived out of order "
                f"({numbered.first_new} known to it, {len(mapping)} here)"
            )
        vocab = self.vocab
        mapping.extend([vocab.setdefault(term, len(vocab)) for term in numbered.new_terms])
        self._chunk_ids.add(chunk_id)
        self._doc_ids.append(chunk_id)
        self._lengths.append(numbered.length)
        self._sizes.append(len(numbered.ids))
        self._terms.extend([mapping[i] for i in numbered.ids])
        self._counts.extend(numbered.counts)

    def to_index(self, tokenizer: Tokenizer | None = None) -> KeywordIndex:
        """The keyword index of the documents added."""
        # Views of the arrays, not copies: the corpus is not added to once indexed.
        doc_ids = np.frombuffer(self._doc_ids, dtype=np.int64)
        if not len(self._terms):
            return KeywordIndex(None, np.sort(doc_ids), tokenizer)
        lengths = np.frombuffer(self._lengths, dtype=np.int64)
        sizes = np.frombuffer(self._sizes, dtype=np.int64)
        terms = np.frombuffer(self._terms, dtype=np.int32)
        counts = np.frombuffer(self._counts, dtype=np.int32)
        order = np.argsort(doc_ids, kind="stable")
        if np.any(order != np.arange(len(order))):
            # Documents came out of id order (kept chunks read after new ones): put each
            # document's entries in id order, as BM25 document numbers follow the ids.
            starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
            picked = np.repeat(
                starts[order] - np.concatenate(([0], np.cumsum(sizes[order])[:-1])), sizes[order]
            ) + np.arange(int(sizes.sum()))
            terms, counts = terms[picked], counts[picked]
            doc_ids, lengths, sizes = doc_ids[order], lengths[order], sizes[order]
        bm25 = _bm25_from_counts(terms, counts, sizes, lengths, len(self.vocab))
        vocab = dict(self.vocab)
        if "" not in vocab:
            vocab[""] = max(vocab.values()) + 1
        bm25.vocab_dict = vocab
        bm25.unique_token_ids_set = set(vocab.values())
        return KeywordIndex(bm25, doc_ids, tokenizer)


def _bm25_from_counts(
    terms: np.ndarray, counts: np.ndarray, sizes: np.ndarray, lengths: np.ndarray, n_vocab: int
) -> bm25s.BM25:
    """bm25s's score matrix for entries (term, count) grouped by document in row order
    (`sizes` entries each): the float64 steps of its "lucene" scoring, stored as float32,
    column by column in row order.

    The entries are scored and placed into their columns a block at a time (a stable
    sort of the block, then each entry after the ones its term already holds), so the
    only arrays of every entry are the input and the two output arrays."""
    bm25 = bm25s.BM25(k1=_K1, b=_B, method="lucene", idf_method="lucene")
    n_docs = len(lengths)
    doc_frequencies = np.bincount(terms, minlength=n_vocab)
    # Per term, as bm25s does it: math.log in double precision, stored as float32.
    idf = np.array(
        [
            math.log(1 + (n_docs - df + 0.5) / (df + 0.5)) if df else 0.0
            for df in doc_frequencies.tolist()
        ],
        dtype=np.float32,
    )
    average = lengths.mean()
    norms = _K1 * ((1 - _B) + _B * lengths.astype(np.float64) / average)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(doc_frequencies, out=indptr[1:])
    data = np.empty(len(terms), dtype=np.float32)
    indices = np.empty(len(terms), dtype=np.int32)
    next_free = indptr[:-1].copy()  # per term: where its next entry goes
    doc_ends = np.cumsum(sizes)
    for start in range(0, len(terms), _SCORE_BLOCK):
        stop = min(len(terms), start + _SCORE_BLOCK)
        block_terms = terms[start:stop]
        rows = np.searchsorted(doc_ends, np.arange(start, stop), side="right").astype(np.int32)
        tf = counts[start:stop].astype(np.float64)
        scores = idf[block_terms].astype(np.float64) * (tf / (norms[rows] + tf))
        order = np.argsort(block_terms, kind="stable")
        ordered_terms = block_terms[order]
        # Each entry's rank among the block's entries of its term, in row order.
        rank = np.arange(len(order)) - np.searchsorted(ordered_terms, ordered_terms, side="left")
        places = next_free[ordered_terms] + rank
        data[places] = scores[order]
        indices[places] = rows[order]
        next_free += np.bincount(block_terms, minlength=n_vocab)
    bm25.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}
    bm25.nonoccurrence_array = None
    return bm25
