from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from index.embed import CachedEmbedder
from index.models import SearchFilters
from qa.answer import answer, resolve_filters
from qa.errors import QuestionError
from qa.models import Turn
from tests.fakes import HashingEmbedder
from tests.qa.conftest import MemoryRetriever
from tests.qa.test_extractive import assert_contract

TODAY = date(2025, 6, 15)


def test_commitments_question_in_english(retriever: MemoryRetriever) -> None:
    result = answer("What did Lam Dong commit to by May 2025?", retriever, today=TODAY)
    assert not result.refused and result.language == "en"
    assert_contract(result, retriever)
    assert result.commitments
    deadlines = {c.deadline for c in result.commitments}
    assert date(2025, 5, 30) in deadlines
    assert all(d is None or d <= date(2025, 5, 31) for d in deadlines)
    assert all(c.lang == "en" for c in result.citations)
    data = result.to_json()
    assert set(data) >= {"answer", "language", "refused", "citations"}
    assert set(data["citations"][0]) >= {
        "n",
        "article_id",
        "url",
        "title",
        "site",
        "published",
        "lang",
        "quote",
        "start",
        "end",
    }


def test_who_question_in_ukrainian(retriever: MemoryRetriever) -> None:
    result = answer("Хто представляв Лам Донг на засіданні у травні?", retriever, today=TODAY)
    assert not result.refused and result.language == "uk"
    assert_contract(result, retriever)
    assert "Нгуєн Нгок Фук" in result.answer


def test_tasks_question_in_vietnamese(retriever: MemoryRetriever) -> None:
    result = answer("Hà Giang đã giao nhiệm vụ gì cho quý II/2025?", retriever, today=TODAY)
    assert not result.refused and result.language == "vi"
    assert_contract(result, retriever)
    assert any(c.article_id == "hg-vi" for c in result.citations)
    assert "nguồn nhân lực" in result.answer


def test_a_question_embeds_one_query_text_once() -> None:
    # A place (its other spellings expand the keyword text) and a period (several
    # filtered searches): still one query embedding, the costly step on a large model.
    inner = HashingEmbedder()
    retriever = MemoryRetriever()
    cached: Any = CachedEmbedder(inner, None)  # as the API wraps its embedder
    retriever.embedder = cached
    result = answer("What did Lam Dong commit to by May 2025?", retriever, today=TODAY)
    assert not result.refused
    assert len(retriever.calls) > 2
    assert [call for call in inner.calls if call[0] == "query"] == [("query", 1)]


def test_refusal_says_what_was_searched(retriever: MemoryRetriever) -> None:
    result = answer("Đà Nẵng đã quyết định gì về tàu cá?", retriever, today=TODAY)
    assert result.refused and result.language == "vi" and not result.citations
    assert "Đà Nẵng" in result.answer
    assert result.searched["place_keys"][0] == "da-nang"


def test_user_filters_apply(retriever: MemoryRetriever) -> None:
    result = answer(
        "What did Lam Dong commit to by May 2025?",
        retriever,
        today=TODAY,
        filters={"province": ["Lâm Đồng"], "lang": ["vi"], "since": "2025-01-01"},
    )
    assert not result.refused
    assert {c.lang for c in result.citations} == {"vi"}
    assert result.searched["filters"]["lang"] == ["vi"]


def test_filters_that_exclude_everything_refuse(retriever: MemoryRetriever) -> None:
    result = answer(
        "What did Lam Dong commit to by May 2025?",
        retriever,
        today=TODAY,
        filters={"until": "2024-12-31"},
    )
    assert result.refused
    assert "2024-12-31" in result.answer


def test_history_is_passed_to_understanding(retriever: MemoryRetriever) -> None:
    history = [
        Turn("user", "What did Lam Dong commit to by May 2025?"),
        Turn("assistant", "Lam Dong committed to ..."),
    ]
    result = answer(
        "And who asked departments to complete the land files?",
        retriever,
        history=history,
        today=TODAY,
    )
    assert result.language == "en"
    assert_contract(result, retriever)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"since": "2025-13-01"}, "'since' is not a date"),
        ({"until": "yesterday"}, "'until' is not a date"),
        ({"since": "2025-06-01", "until": "2025-01-01"}, "swap them"),
        ({"province": ["Atlantis"]}, "unknown province 'Atlantis'"),
        ({"lang": ["english"]}, "ISO 639-1"),
        ({"color": "red"}, "unknown filter"),
    ],
)
def test_bad_filters_raise_question_error(
    retriever: MemoryRetriever, raw: dict[str, Any], message: str
) -> None:
    with pytest.raises(QuestionError, match=message):
        answer("What did Lam Dong commit to?", retriever, filters=raw)


def test_empty_or_huge_question(retriever: MemoryRetriever) -> None:
    with pytest.raises(QuestionError, match="empty"):
        answer("   ", retriever)
    with pytest.raises(QuestionError, match="characters long"):
        answer("x" * 5000, retriever)


def test_resolve_filters_accepts_any_spelling() -> None:
    filters, shown = resolve_filters(
        {
            "province": ["lamdong", "Ламдонг", "Hà Giang"],
            "since": "2025-01-01",
            "until": None,
            "lang": "vi,EN",
            "site": ["https://BaoLamDong.vn/x"],
        }
    )
    assert filters == SearchFilters(
        province=("lam-dong", "ha-giang"),
        lang=("vi", "en"),
        site=("baolamdong.vn",),
        since=date(2025, 1, 1),
    )
    assert shown["province"] == ["lamdong", "Ламдонг", "Hà Giang"]
    assert resolve_filters(None)[0] == SearchFilters()


# --- the same questions over a real index (FAISS + BM25 behind IndexHandle) ---------------


@pytest.fixture
def real_index(tmp_path: Path) -> Any:
    from crawler.models import Article
    from crawler.store import ArticleStore
    from index.build import update_index
    from index.reader import IndexHandle
    from tests.fakes import HashingEmbedder
    from tests.qa.conftest import ARTICLES, _published

    def url(article_id: str, site: str) -> str:
        return f"https://{site}/{article_id}.html"

    sites = {spec["id"]: spec["site"] for spec in ARTICLES}
    store_path, index_dir = tmp_path / "articles.sqlite", tmp_path / "index"
    with ArticleStore(store_path) as store:
        for spec in sorted(ARTICLES, key=lambda s: bool(s.get("translation_of"))):
            original = spec.get("translation_of")
            store.add(
                Article(
                    url=url(spec["id"], spec["site"]),
                    title=spec["title"],
                    paragraphs=spec["paragraphs"],
                    lang=spec["lang"],
                    site=spec["site"],
                    province=spec["province"],
                    published=_published(spec["published"]),
                    translation_of=url(original, sites[original]) if original else None,
                )
            )
    embedder = HashingEmbedder()
    update_index(store_path, index_dir, embedder)
    return IndexHandle(index_dir, embedder)


@pytest.mark.integration
def test_answers_over_the_real_index(real_index: Any) -> None:
    result = answer("What did Lam Dong commit to by May 2025?", real_index, today=TODAY)
    assert not result.refused and result.commitments
    assert date(2025, 5, 30) in {c.deadline for c in result.commitments}
    for citation in result.citations:
        article = real_index.article(citation.article_id)
        assert article.text[citation.start : citation.end] == citation.quote
    assert {c.lang for c in result.citations} == {"en"}  # the English version of the story

    refused = answer("Đà Nẵng đã quyết định gì về tàu cá?", real_index, today=TODAY)
    assert refused.refused and "Đà Nẵng" in refused.answer
