from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from index.models import SearchFilters
from index.reader import IndexHandle
from index.search import reciprocal_rank_fusion
from tests.fakes import HashingEmbedder
from tests.index.conftest import open_handle


@pytest.fixture
def handle(built: object, index_dir: Path, embedder: HashingEmbedder) -> IndexHandle:
    return open_handle(index_dir, embedder)


def test_hits_carry_chunk_article_and_ranks(handle: IndexHandle) -> None:
    hits = handle.search("cao tốc Tân Phú Bảo Lộc", k=3)
    assert hits
    top = hits[0]
    assert "cao tốc" in top.chunk.text.lower() or "expressway" in top.chunk.text.lower()
    assert top.article.text[top.chunk.start : top.chunk.end] == top.chunk.text
    assert top.dense_rank is not None or top.keyword_rank is not None
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_document_number_query_finds_the_resolution(handle: IndexHandle) -> None:
    hits = handle.search("15/2025/NQ-HĐND", k=2)
    assert hits[0].keyword_rank == 1
    assert "15/2025/NQ-HĐND" in hits[0].chunk.text
    assert "15/2025/NQ-HĐND" in hits[0].chunk.doc_numbers


@pytest.mark.parametrize(
    ("filters", "expected_urls"),
    [
        (SearchFilters(province=("da-nang",)), {"https://baodanang.vn/da-nang-du-lich.html"}),
        (SearchFilters(province=("Hà Nội",)), {"https://hanoimoi.vn/ha-noi-giao-thong.html"}),
        (SearchFilters(lang=("en",)), {"https://baolamdong.vn/highway-en.html"}),
        (SearchFilters(site=("hanoimoi.vn",)), {"https://hanoimoi.vn/ha-noi-giao-thong.html"}),
        (
            SearchFilters(since=date(2025, 2, 1), until=date(2025, 2, 28)),
            {"https://baolamdong.vn/ca-phe.html"},
        ),
        (
            SearchFilters(mentioned_since=date(2026, 1, 1)),
            {"https://baolamdong.vn/ca-phe.html"},
        ),
        (
            SearchFilters(province=("lam-dong",), mentioned_until=date(2025, 12, 31)),
            {"https://baolamdong.vn/cao-toc.html", "https://baolamdong.vn/highway-en.html"},
        ),
    ],
)
def test_filters_apply_before_ranking(
    handle: IndexHandle, filters: SearchFilters, expected_urls: set[str]
) -> None:
    # A query that favours other articles: a narrow filter must still return its matches.
    hits = handle.search("cao tốc Tân Phú Bảo Lộc expressway", k=10, filters=filters)
    assert {h.article.url for h in hits} == expected_urls
    dense = handle.search_dense(
        handle.embedder.embed_queries(["du lịch"])[0], k=10, filters=filters
    )
    assert {h.article.url for h in dense} == expected_urls


def test_mentioned_date_filter_is_per_chunk(handle: IndexHandle) -> None:
    hits = handle.search("cà phê", k=10, filters=SearchFilters(mentioned_since=date(2026, 1, 1)))
    assert len(hits) == 1
    assert hits[0].chunk.dates[0].value == date(2026, 12, 31)


def test_filter_matching_nothing_returns_nothing(handle: IndexHandle) -> None:
    assert handle.search("cao tốc", filters=SearchFilters(province=("ca-mau",))) == []


def test_narrow_filter_returns_k_results(handle: IndexHandle) -> None:
    hits = handle.search("zzz unrelated words", k=2, filters=SearchFilters(lang=("vi",)))
    assert len(hits) == 2


def test_article_and_translations(handle: IndexHandle) -> None:
    hit = handle.search("expressway", k=1, filters=SearchFilters(lang=("en",)))[0]
    article = handle.article(hit.article.id)
    assert article is not None
    assert article.translation_of == "https://baolamdong.vn/cao-toc.html"
    assert article.province == "Lâm Đồng"
    group = handle.translations(article.translation_group or "")
    assert {a.lang for a in group} == {"vi", "en"}
    assert handle.article("no-such-id") is None


def test_keyword_only_search(handle: IndexHandle) -> None:
    hits = handle.search_keyword("метро", k=3)
    assert hits[0].article.lang == "ru"
    assert hits[0].keyword_rank == 1 and hits[0].dense_rank is None


def test_reciprocal_rank_fusion_prefers_agreement() -> None:
    fused = reciprocal_rank_fusion([([1, 2, 3], 1.0), ([3, 1, 4], 1.0)], rrf_k=60)
    assert [i for i, _ in fused][:2] == [1, 3]
    weighted = reciprocal_rank_fusion([([1], 1.0), ([2], 2.0)])
    assert weighted[0][0] == 2


def test_keyword_text_feeds_bm25_while_the_query_alone_is_embedded(
    handle: IndexHandle, embedder: HashingEmbedder
) -> None:
    embedder.calls.clear()
    plain = handle.search("cà phê", k=10)
    expanded = handle.search("cà phê", k=10, keywords="cà phê 15/2025/NQ-HĐND")
    # The document number, only in the keyword text, is found by the keyword side.
    assert not any("15/2025/NQ-HĐND" in h.chunk.text and h.keyword_rank for h in plain)
    assert any("15/2025/NQ-HĐND" in h.chunk.text and h.keyword_rank for h in expanded)
    # Both searches embedded the query text only, once each.
    assert embedder.calls == [("query", 1), ("query", 1)]
    # The dense side is the same for both: the same ranks for the chunks both list.
    dense_plain = {h.chunk.chunk_id: h.dense_rank for h in plain if h.dense_rank}
    dense_expanded = {h.chunk.chunk_id: h.dense_rank for h in expanded if h.dense_rank}
    shared = dense_plain.keys() & dense_expanded.keys()
    assert shared and all(dense_plain[c] == dense_expanded[c] for c in shared)
