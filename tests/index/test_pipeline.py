"""Build and search with the production chunker and tokenizer (no stand-ins)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from index.build import update_index
from index.models import SearchFilters
from index.reader import IndexHandle
from tests.fakes import HashingEmbedder
from tests.index.conftest import CORPUS, fill_store


def test_doc_numbers_and_mentioned_periods_with_the_real_text_pipeline(
    store_path: Path, index_dir: Path, embedder: HashingEmbedder
) -> None:
    fill_store(store_path, CORPUS)
    update_index(store_path, index_dir, embedder)
    handle = IndexHandle(index_dir, embedder)
    top = handle.search("nghị quyết 15/2025/NQ-HĐND", k=3)[0]
    assert "15/2025/NQ-HĐND" in top.chunk.text
    assert top.keyword_rank is not None
    hits = handle.search("cà phê", k=5, filters=SearchFilters(mentioned_since=date(2026, 1, 1)))
    # Only the coffee programme (to 31/12/2026) and the metro (by 2030) look that far ahead.
    assert {h.article.url for h in hits} == {
        "https://baolamdong.vn/ca-phe.html",
        "https://hanoimoi.vn/ha-noi-giao-thong.html",
    }
    # "tháng 6/2025"-style periods overlap a range that starts inside them.
    june = SearchFilters(mentioned_since=date(2025, 6, 15), mentioned_until=date(2025, 6, 30))
    assert {h.article.url for h in handle.search("cao tốc", k=5, filters=june)} >= {
        "https://baolamdong.vn/cao-toc.html"
    }
