"""Fakes for the seams: a deterministic embedder that needs no model.

`HashingEmbedder` maps character trigrams of case- and diacritic-folded text into a
fixed number of buckets, so texts that share words land close together. Good enough
to exercise ranking, filters and citations without loading a neural model.
"""

from __future__ import annotations

import hashlib
import unicodedata

import numpy as np


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class HashingEmbedder:
    def __init__(self, dimensions: int = 256, name: str = "fake-hashing") -> None:
        self.dimensions = dimensions
        self.name = f"{name}-{dimensions}"
        self.calls: list[tuple[str, int]] = []

    def _embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            folded = f"  {_fold(text)}  "
            for i in range(len(folded) - 2):
                gram = folded[i : i + 3]
                bucket = int.from_bytes(
                    hashlib.blake2b(gram.encode(), digest_size=4).digest(), "big"
                )
                vectors[row, bucket % self.dimensions] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        normalised: np.ndarray = vectors / norms
        return normalised

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.calls.append(("query", len(texts)))
        return self._embed(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.calls.append(("passage", len(texts)))
        return self._embed(texts)
