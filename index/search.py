"""Hybrid search over one index version: dense (FAISS or Milvus) and keyword (BM25)
retrieval under the same pre-filters, fused by weighted reciprocal rank.

Reciprocal-rank fusion adds `weight / (rrf_k + rank)` from each retriever that found a
chunk; it needs no score calibration between cosine and BM25, and a chunk that both
retrievers rank well beats one that only one of them likes. Filters become allowed chunk
ids (from the catalog) before either retriever ranks anything.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.catalog import CATALOG_FILE, Catalog
from index.keyword import KEYWORD_DIR, KeywordIndex, Tokenizer
from index.models import Embedder, IndexedArticle, SearchFilters, SearchHit
from index.sentence_vectors import SentenceVectors
from index.vector_store import VectorStore, load_vector_store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FusionSettings:
    rrf_k: int = 60
    dense_weight: float = 1.0
    keyword_weight: float = 1.0
    # Candidates each retriever contributes: max(k * candidate_factor, min_candidates).
    candidate_factor: int = 4
    min_candidates: int = 50


def reciprocal_rank_fusion(
    rankings: list[tuple[list[int], float]], rrf_k: int = 60
) -> list[tuple[int, float]]:
    """Fuse ranked id lists, each with a weight, into (id, score) best first."""
    scores: dict[int, float] = {}
    for ids, weight in rankings:
        for rank, chunk_id in enumerate(ids, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (rrf_k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


class HybridIndex:
    """A `Retriever` over one version folder."""

    def __init__(
        self,
        embedder: Embedder,
        catalog: Catalog,
        vectors: VectorStore,
        keyword: KeywordIndex,
        *,
        fusion: FusionSettings | None = None,
        info: dict[str, Any] | None = None,
        sentences: SentenceVectors | None = None,
    ) -> None:
        self.embedder = embedder
        self.catalog = catalog
        self.vectors = vectors
        self.keyword = keyword
        self.fusion = fusion or FusionSettings()
        self.info: dict[str, Any] = info or {}
        self.sentences = sentences or SentenceVectors.empty(embedder.dimensions)

    @classmethod
    def open(
        cls,
        directory: Path,
        embedder: Embedder,
        *,
        backend: str = "faiss",
        milvus_uri: str | None = None,
        tokenizer: Tokenizer | None = None,
        fusion: FusionSettings | None = None,
        info: dict[str, Any] | None = None,
    ) -> HybridIndex:
        """Open a complete version folder (the caller checks the embedder matches).

        The catalog's filter columns are read here, so the first filtered search after a
        version opens (at start-up, or when the served version changes) costs no more
        than any other."""
        catalog = Catalog(directory / CATALOG_FILE)
        try:
            catalog.load_filter_columns()
        except BaseException:
            catalog.close()
            raise
        return cls(
            embedder,
            catalog,
            load_vector_store(directory, backend, milvus_uri=milvus_uri, read_only=True),
            KeywordIndex.load(directory / KEYWORD_DIR, tokenizer),
            fusion=fusion,
            info=info,
            sentences=SentenceVectors.load(directory, embedder.dimensions),
        )

    def close(self) -> None:
        self.catalog.close()

    # Retriever ------------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        *,
        keywords: str | None = None,
    ) -> list[SearchHit]:
        """Dense and keyword retrieval under `filters`, fused; up to k hits, best first.

        The dense side ranks by `query`'s meaning and the keyword side by `keywords`
        (default: `query`), so a caller can add spellings for BM25 to match without
        embedding another text.
        """
        keywords = query if keywords is None else keywords
        if k <= 0 or not (query.strip() or keywords.strip()):
            return []
        allowed = self.catalog.allowed_chunk_ids(filters)
        if allowed is not None and not len(allowed):
            return []
        depth = max(k * self.fusion.candidate_factor, self.fusion.min_candidates)
        dense: list[tuple[int, float]] = []
        if query.strip():
            vector = self.embedder.embed_queries([query])[0]
            dense = self.vectors.search(vector, depth, allowed)
        keyword = self.keyword.search(keywords, depth, allowed)
        fused = reciprocal_rank_fusion(
            [
                ([i for i, _ in dense], self.fusion.dense_weight),
                ([i for i, _ in keyword], self.fusion.keyword_weight),
            ],
            self.fusion.rrf_k,
        )[:k]
        dense_at = {
            chunk_id: (rank, score) for rank, (chunk_id, score) in enumerate(dense, start=1)
        }
        keyword_at = {
            chunk_id: (rank, score) for rank, (chunk_id, score) in enumerate(keyword, start=1)
        }
        found = self.catalog.chunks([chunk_id for chunk_id, _ in fused])
        hits = []
        for chunk_id, score in fused:
            if chunk_id not in found:
                logger.warning("chunk %d is in a retriever but not in the catalog", chunk_id)
                continue
            chunk, article = found[chunk_id]
            extras: dict[str, float] = {}
            dense_rank = keyword_rank = None
            if chunk_id in dense_at:
                dense_rank, extras["dense"] = dense_at[chunk_id]
            if chunk_id in keyword_at:
                keyword_rank, extras["keyword"] = keyword_at[chunk_id]
            hits.append(
                SearchHit(
                    chunk=chunk,
                    article=article,
                    score=score,
                    dense_rank=dense_rank,
                    keyword_rank=keyword_rank,
                    extras=extras,
                )
            )
        return hits

    def search_dense(
        self, vector: np.ndarray, k: int = 10, filters: SearchFilters | None = None
    ) -> list[SearchHit]:
        """Dense retrieval alone for an already embedded query; score is the cosine."""
        allowed = self.catalog.allowed_chunk_ids(filters)
        if k <= 0 or (allowed is not None and not len(allowed)):
            return []
        ranked = self.vectors.search(np.asarray(vector, dtype=np.float32), k, allowed)
        return self._hits(ranked, dense=True)

    def search_keyword(
        self, query: str, k: int = 10, filters: SearchFilters | None = None
    ) -> list[SearchHit]:
        """Keyword (BM25) retrieval alone; score is the BM25 score."""
        allowed = self.catalog.allowed_chunk_ids(filters)
        if k <= 0 or (allowed is not None and not len(allowed)):
            return []
        return self._hits(self.keyword.search(query, k, allowed), dense=False)

    def article(self, article_id: str) -> IndexedArticle | None:
        return self.catalog.article(article_id)

    def translations(self, translation_group: str) -> list[IndexedArticle]:
        return self.catalog.translations(translation_group)

    def sentence_vectors(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        """The passage vector the build stored for each sentence text; None for a text
        this version has no vector of."""
        return self.sentences.lookup(texts)

    def _hits(self, ranked: list[tuple[int, float]], *, dense: bool) -> list[SearchHit]:
        found = self.catalog.chunks([chunk_id for chunk_id, _ in ranked])
        hits = []
        for rank, (chunk_id, score) in enumerate(ranked, start=1):
            if chunk_id not in found:
                continue
            chunk, article = found[chunk_id]
            hits.append(
                SearchHit(
                    chunk=chunk,
                    article=article,
                    score=score,
                    dense_rank=rank if dense else None,
                    keyword_rank=None if dense else rank,
                    extras={"dense" if dense else "keyword": score},
                )
            )
        return hits
