"""Chunks: exact offsets, whole sentences, sizes, overlap, context and mentions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.models import Article
from index.chunk import chunk, chunk_context, publication_day
from index.models import Chunk
from index.sentences import split_sentences
from tests.shared_data import seed_articles


def make_article(text: str, **fields: object) -> Article:
    values: dict[str, object] = {
        "url": "https://baolamdong.vn/xa-hoi/202505/bai-viet-8007b44/",
        "title": "Lâm Đồng đẩy mạnh chuyển đổi số",
        "text": text,
        "published": datetime(2025, 5, 20, 23, 30, tzinfo=UTC),
        "site": "baolamdong.vn",
        "province": "Lâm Đồng",
        "lang": "vi",
    }
    values.update(fields)
    return Article.model_validate(values).with_identity()


def assert_valid(article: Article, chunks: list[Chunk], max_chars: int) -> None:
    text = article.text
    assert chunks, "a non-empty text gives at least one chunk"
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    covered = [False] * len(text)
    previous_start = -1
    for piece in chunks:
        assert piece.article_id == article.id
        assert piece.text == text[piece.start : piece.end]
        assert piece.text == piece.text.strip()
        assert len(piece.text) <= max_chars
        assert piece.start > previous_start
        previous_start = piece.start
        for i in range(piece.start, piece.end):
            covered[i] = True
        for mentioned in piece.dates:
            assert piece.start <= mentioned.start < mentioned.end <= piece.end
            assert text[mentioned.start : mentioned.end] == mentioned.surface
    for i, char in enumerate(text):
        assert covered[i] or char.isspace(), f"{char!r} at {i} is in no chunk"


SENTENCES = [
    "Ngày 17/3/2025, UBND tỉnh Lâm Đồng đã ban hành Kế hoạch số 112/KH-UBND.",
    "Theo đó, tỉnh phải hoàn thành trước ngày 31/5/2025 việc số hóa hồ sơ.",
    "PGS.TS. Nguyễn Văn A, Giám đốc Sở Khoa học và Công nghệ, phát biểu tại hội nghị.",
    "Kinh phí thực hiện là 1.200 tỷ đồng, tăng 4.5% so với năm 2024.",
    "Tỉnh thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá phát triển.",
]


def test_offsets_sizes_and_coverage() -> None:
    text = "\n\n".join(" ".join(SENTENCES) for _ in range(6))
    article = make_article(text)
    chunks = chunk(article, target_chars=300, max_chars=500)
    assert len(chunks) > 3
    assert_valid(article, chunks, 500)


def test_chunks_hold_whole_sentences_and_overlap_by_one() -> None:
    text = " ".join(SENTENCES * 4)
    article = make_article(text)
    sentence_spans = set(split_sentences(text))
    starts = {start for start, _ in sentence_spans}
    ends = {end for _, end in sentence_spans}
    chunks = chunk(article, target_chars=250, max_chars=400, overlap_sentences=1)
    assert len(chunks) > 2, "the text must give several chunks for overlap to be checked"
    for piece in chunks:
        assert piece.start in starts
        assert piece.end in ends
    for before, after in zip(chunks, chunks[1:], strict=False):
        last_sentence = max(s for s in sentence_spans if s[1] == before.end)
        assert after.start == last_sentence[0]


def test_no_overlap_when_asked() -> None:
    article = make_article(" ".join(SENTENCES * 4))
    chunks = chunk(article, target_chars=250, max_chars=400, overlap_sentences=0)
    assert len(chunks) > 2, "the text must give several chunks for overlap to be checked"
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start > before.end


def test_short_article_is_one_chunk_with_context_and_mentions() -> None:
    article = make_article(" ".join(SENTENCES))
    (only,) = chunk(article)
    assert only.start == 0
    assert only.end == len(article.text)
    assert only.context == "Lâm Đồng đẩy mạnh chuyển đổi số\nbaolamdong.vn · 2025-05-21 · Lâm Đồng"
    assert only.doc_numbers == ("112/KH-UBND", "57-NQ/TW")
    kinds = {m.surface: m.kind for m in only.dates}
    assert kinds["Ngày 17/3/2025"] == "event"
    assert kinds["ngày 31/5/2025"] == "deadline"
    assert only.embedding_text.startswith(only.context + "\n")


def test_mentions_go_to_the_chunk_that_holds_them() -> None:
    text = "\n\n".join(SENTENCES)
    article = make_article(text)
    chunks = chunk(article, target_chars=80, max_chars=200, overlap_sentences=0)
    holder = [c for c in chunks if "57-NQ/TW" in c.text]
    assert [c.doc_numbers for c in holder] == [("57-NQ/TW",)]
    assert len(chunks) > 1, "other chunks must exist for the negative check"
    for piece in chunks:
        if "57-NQ/TW" not in piece.text:
            assert "57-NQ/TW" not in piece.doc_numbers


def test_year_less_dates_take_the_publication_year_in_vietnam_time() -> None:
    article = make_article(
        "Sáng 17/3, hội nghị diễn ra.",
        published=datetime(2025, 12, 31, 20, 0, tzinfo=UTC),
    )
    assert publication_day(article) == date(2026, 1, 1)
    (only,) = chunk(article)
    assert only.dates[0].value == date(2026, 3, 17)


def test_a_sentence_longer_than_the_maximum_is_split_at_clauses() -> None:
    clause = "tỉnh tiếp tục đẩy mạnh cải cách hành chính gắn với chuyển đổi số toàn diện"
    long_sentence = "; ".join([clause] * 30) + "."
    article = make_article(f"Mở đầu ngắn. {long_sentence} Kết thúc.")
    chunks = chunk(article, target_chars=300, max_chars=400)
    assert_valid(article, chunks, 400)
    inner = [c for c in chunks if c.text.startswith("tỉnh")]
    assert inner
    holding = [c for c in chunks if clause in c.text]
    assert len(holding) > 1, "the long sentence must be split over several chunks"
    assert all(c.text.endswith((";", ".")) for c in holding)


def test_a_long_cjk_sentence_is_split_after_clause_marks() -> None:
    article = make_article("，".join(["各级党委要认真贯彻落实数字化转型任务"] * 20) + "。")
    chunks = chunk(article, target_chars=60, max_chars=100, overlap_sentences=0)
    assert_valid(article, chunks, 100)
    assert all(c.text.endswith(("，", "。")) for c in chunks)


def test_a_word_longer_than_the_maximum_is_cut_hard() -> None:
    article = make_article("x" * 250 + " end.")
    chunks = chunk(article, target_chars=50, max_chars=100, overlap_sentences=0)
    assert_valid(article, chunks, 100)


def test_paragraph_text_and_captions() -> None:
    article = make_article(
        "", paragraphs=["Đoạn một.", "| Toàn cảnh hội nghị |", "Đoạn hai có nội dung."]
    )
    chunks = chunk(article, target_chars=10, max_chars=40, overlap_sentences=0)
    assert [c.text for c in chunks] == [
        "Đoạn một.",
        "| Toàn cảnh hội nghị |",
        "Đoạn hai có nội dung.",
    ]


def test_context_without_optional_fields() -> None:
    article = make_article("Một câu.", site=None, province=None, published=None)
    assert chunk_context(article) == article.title
    assert chunk(article)[0].context == article.title


def test_an_article_needs_an_id() -> None:
    article = Article(url="https://example.vn/a", title="T", text="Một câu.")
    with pytest.raises(ValueError, match="with_identity"):
        chunk(article)


@pytest.mark.parametrize(("target", "maximum", "overlap"), [(0, 10, 1), (20, 10, 1), (10, 20, -1)])
def test_bad_sizes_are_refused(target: int, maximum: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        chunk(
            make_article("Một câu."),
            target_chars=target,
            max_chars=maximum,
            overlap_sentences=overlap,
        )


@pytest.mark.parametrize("path", seed_articles(), ids=lambda p: p.name)
def test_seed_articles(path: Path) -> None:
    article = make_article(path.read_text(encoding="utf-8"), lang=None)
    chunks = chunk(article)
    assert_valid(article, chunks, 1200)
    assert sum(len(c.text) for c in chunks) >= len(article.text.strip()) * 0.9
    numbers = {n for c in chunks for n in c.doc_numbers}
    if "57-NQ/TW" in article.text:
        assert "57-NQ/TW" in numbers


_PIECES = st.sampled_from(
    [
        "Câu ngắn.",
        "Một câu dài hơn một chút về kế hoạch số 112/KH-UBND ngày 17/3/2025.",
        "Mr. Smith met Dr. Jones on March 17, 2025.",
        "Заседание состоялось 13 марта 2025 года в г. Хазянг.",
        "| Ảnh hội nghị |",
        "x" * 90,
        "word " * 30,
        "会议于2025年5月31日召开。",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    paragraphs=st.lists(st.lists(_PIECES, min_size=1, max_size=6), min_size=1, max_size=6),
    target=st.integers(min_value=20, max_value=300),
    extra=st.integers(min_value=0, max_value=200),
    overlap=st.integers(min_value=0, max_value=3),
)
def test_every_chunk_is_an_exact_slice_and_all_text_is_covered(
    paragraphs: list[list[str]], target: int, extra: int, overlap: int
) -> None:
    text = "\n\n".join(" ".join(sentences) for sentences in paragraphs)
    article = make_article(text)
    chunks = chunk(
        article, target_chars=target, max_chars=target + extra, overlap_sentences=overlap
    )
    assert_valid(article, chunks, target + extra)
