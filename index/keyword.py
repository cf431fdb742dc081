"""The keyword index: BM25 (bm25s) over `index.tokenize.keyword_tokens`.

The tokenizer decides what matches: it folds Vietnamese, Cyrillic and Latin text and keeps
document numbers (e.g. "15/2025/NQ-HĐND") whole, so a number in a query matches exactly.
Scores are computed for the whole corpus and the filter is applied before taking the top
k, so a narrow filter still returns every matching chunk up to k.

On disk (inside a version folder): `keyword/` holds the bm25s arrays (numpy and JSON, no
pickle) and `keyword/ids.npy` the chunk id of each BM25 document, sorted.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

import bm25s
import numpy as np

from index.errors import BackendError

logger = logging.getLogger(__name__)

Tokenizer = Callable[[str], list[str]]
KEYWORD_DIR = "keyword"
_IDS_FILE = "ids.npy"
_STATE_FILE = "state.json"


def default_tokenizer() -> Tokenizer:
    from index.tokenize import keyword_tokens

    return keyword_tokens


class KeywordIndex:
    def __init__(
        self, bm25: bm25s.BM25 | None, ids: np.ndarray, tokenizer: Tokenizer | None = None
    ) -> None:
        self._bm25 = bm25
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
        pretokenized: dict[int, list[str]] | None = None,
    ) -> KeywordIndex:
        """Index (chunk id, text) pairs; ids must come in increasing order.

        `pretokenized` holds the tokens of some ids already (made by the same tokenizer,
        e.g. in worker processes); they are taken from it (and removed) instead of
        tokenizing those texts again."""
        tokenize = tokenizer or default_tokenizer()
        ready = pretokenized if pretokenized is not None else {}
        ids: list[int] = []
        corpus: list[list[str]] = []
        for chunk_id, text in documents:
            ids.append(chunk_id)
            tokens = ready.pop(chunk_id, None)
            corpus.append(tokens if tokens is not None else tokenize(text))
        id_array = np.array(ids, dtype=np.int64)
        if len(id_array) > 1 and np.any(np.diff(id_array) <= 0):
            raise BackendError("keyword index documents must come in increasing id order")
        if not any(corpus):
            return cls(None, id_array, tokenize)
        bm25 = bm25s.BM25()
        bm25.index(corpus, show_progress=False)
        return cls(bm25, id_array, tokenize)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / _IDS_FILE, self.ids, allow_pickle=False)
        (directory / _STATE_FILE).write_text(json.dumps({"empty": self._bm25 is None}))
        if self._bm25 is not None:
            self._bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, tokenizer: Tokenizer | None = None) -> KeywordIndex:
        try:
            ids = np.load(directory / _IDS_FILE, allow_pickle=False)
            empty = json.loads((directory / _STATE_FILE).read_text())["empty"]
            bm25 = None if empty else bm25s.BM25.load(str(directory), show_progress=False)
        except (OSError, ValueError, KeyError) as error:
            raise BackendError(
                f"cannot read the keyword index in {directory}: {error}; "
                "run `policyqa index` to rebuild it"
            ) from error
        return cls(bm25, ids, tokenizer)

    def search(
        self, query: str, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Up to k (chunk id, BM25 score) pairs with a positive score, best first."""
        if self._bm25 is None or k <= 0 or not len(self.ids):
            return []
        tokens = self._tokenize(query)
        if not tokens:
            return []
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
        if allowed_ids is not None:
            # Both id arrays are sorted: a binary search per allowed id builds the mask.
            allowed = np.asarray(allowed_ids, dtype=np.int64)
            positions = np.searchsorted(self.ids, allowed)
            inside = positions < len(self.ids)
            positions = positions[inside]
            positions = positions[self.ids[positions] == allowed[inside]]
            mask = np.zeros(len(self.ids), dtype=bool)
            mask[positions] = True
            scores = np.where(mask, scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        order = candidates[np.argsort(-scores[candidates], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in order]
