from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from qa.evaluate import evaluate, fact_found, format_report, normalize_for_match, percentile
from qa.models import Answer, Citation
from tests.qa.conftest import MemoryRetriever


def _cite(retriever: MemoryRetriever, article_id: str, needle: str, n: int = 1) -> Citation:
    article = retriever.article(article_id)
    assert article is not None
    start = article.text.index(needle)
    end = start + len(needle)
    return Citation(
        n,
        article.id,
        article.url,
        article.title,
        article.site,
        article.published,
        article.lang,
        article.text[start:end],
        start,
        end,
    )


@pytest.mark.parametrize(
    ("form", "text"),
    [
        ("45 tỷ đồng", "khoảng 45 TỶ ĐỒNG cho cả năm"),
        ("1000", "chi 1.000 tỷ"),
        ("1,000,000", "1 000 000 VND"),
        ("28.5%", "đạt 28,5 % kế hoạch"),
        ("Hầu A Lềnh", "secretary hau a lenh said"),
        ("May 30, 2025", "before May 30 2025."),
    ],
)
def test_fact_surface_forms_are_normalised(form: str, text: str) -> None:
    assert fact_found([form], text)


def test_fact_needs_whole_words() -> None:
    assert not fact_found(["60"], "1600 households")
    assert not fact_found([""], "anything")
    assert normalize_for_match("Đà Nẵng") == "da nang"


def test_percentile_nearest_rank() -> None:
    assert percentile([], 50) == 0.0
    assert percentile([10, 20, 30, 40], 50) == 20
    assert percentile([10, 20, 30, 40], 95) == 40


def test_evaluate_metrics_per_language_and_kind(retriever: MemoryRetriever) -> None:
    good_en = _cite(
        retriever,
        "ld-en",
        "Lam Dong province committed to completing site "
        "clearance along the whole route before May 30, 2025.",
    )
    tampered = dataclasses.replace(
        _cite(retriever, "hg-vi", "Bí thư Tỉnh ủy Hầu A Lềnh"),
        n=2,
        quote="Bí thư Tỉnh ủy Hầu A Lềnh (edited)",
    )
    answers = {
        # Cites the English translation; the gold URL is the Vietnamese original.
        "q1": Answer("Lam Dong committed ... before May 30, 2025 [1]", "en", False, [good_en]),
        # Answered but should have been refused.
        "q2": Answer("Something [1]", "en", False, [good_en]),
        # Correctly refused.
        "q3": Answer("Các nguồn tin không trả lời.", "vi", True),
        # Wrong article, one invalid quote.
        "q4": Answer("Hầu A Lềnh [1] [2]", "vi", False, [good_en, tampered]),
    }
    questions: list[dict[str, Any]] = [
        {
            "id": "q1",
            "question": "What did Lam Dong commit to?",
            "lang": "en",
            "kind": "commitments",
            "answerable": True,
            "gold_urls": ["https://baolamdong.vn/ld-vi.html"],
            "facts": [["30/5/2025", "May 30, 2025"], ["giải ngân 60%", "60% of public investment"]],
        },
        {
            "id": "q2",
            "question": "Fishing boats in Lam Dong?",
            "lang": "en",
            "kind": "fact",
            "answerable": False,
            "gold_urls": [],
            "facts": [],
        },
        {
            "id": "q3",
            "question": "Đà Nẵng?",
            "lang": "vi",
            "kind": "fact",
            "answerable": False,
            "gold_urls": [],
            "facts": [],
        },
        {
            "id": "q4",
            "question": "Hà Giang?",
            "lang": "vi",
            "kind": "fact",
            "answerable": True,
            "gold_urls": ["https://baohungyen.vn/hy-vi.html"],
            "facts": [["Hầu A Lềnh"]],
        },
        {
            "id": "q5",
            "question": "boom",
            "lang": "vi",
            "kind": "fact",
            "answerable": True,
            "gold_urls": [],
            "facts": [["x"]],
        },
    ]

    def answer_fn(record: dict[str, Any]) -> Answer:
        if record["id"] == "q5":
            raise RuntimeError("index unavailable")
        return answers[record["id"]]

    report = evaluate(questions, answer_fn, retriever)
    overall = report.overall
    assert overall.questions == 5 and overall.errors == 1
    assert overall.citation_recall == 0.5  # q1 via its translation group; q4 missed
    assert overall.fact_recall == pytest.approx(2 / 3, abs=1e-3)
    assert overall.citation_validity == pytest.approx(3 / 4)
    assert overall.refusal_accuracy == 0.75  # q2 wrong
    assert overall.latency_p95_ms >= overall.latency_p50_ms >= 0
    assert set(report.by_language) == {"en", "vi"}
    assert report.by_language["en"].refusal_accuracy == 0.5
    assert report.by_kind["commitments"].citation_recall == 1.0

    data = report.to_json()
    assert data["overall"]["questions"] == 5
    assert {q["id"] for q in data["questions"]} == {"q1", "q2", "q3", "q4", "q5"}
    table = format_report(report)
    assert "lang=vi" in table and "kind=commitments" in table and "cite_rec" in table


def test_evaluate_with_the_real_answer_function(retriever: MemoryRetriever) -> None:
    from qa.answer import answer

    questions = [
        {
            "id": "a",
            "question": "Lâm Đồng phấn đấu giải ngân bao nhiêu phần trăm vốn đầu tư công?",
            "lang": "vi",
            "kind": "fact",
            "answerable": True,
            "gold_urls": ["https://baolamdong.vn/ld-vi.html"],
            "facts": [["60%"]],
        },
        {
            "id": "b",
            "question": "What did Da Nang decide about fishing boats?",
            "lang": "en",
            "kind": "fact",
            "answerable": False,
            "gold_urls": [],
            "facts": [],
        },
    ]
    report = evaluate(questions, lambda q: answer(q["question"], retriever), retriever)
    assert report.overall.citation_recall == 1.0
    assert report.overall.fact_recall == 1.0
    assert report.overall.citation_validity == 1.0
    assert report.overall.refusal_accuracy == 1.0


def test_threshold_sweep_counts_answers_and_refusals(retriever: MemoryRetriever) -> None:
    from qa.answer import answer
    from qa.evaluate import sweep_min_support

    questions = [
        {"question": "Hà Giang đã giao nhiệm vụ gì cho quý II/2025?", "answerable": True},
        {"question": "Đà Nẵng đã quyết định gì về tàu cá?", "answerable": False},
    ]
    rows = sweep_min_support(
        questions,
        lambda q, t: answer(q["question"], retriever, min_support=t),
        [0.0, 1.01],
    )
    assert [r.min_support for r in rows] == [0.0, 1.01]
    # Nothing clears a threshold above 1: every question is refused.
    assert rows[1].answerable_answered == 0 and rows[1].unanswerable_refused == 1
    assert rows[0].answerable_answered == 1 and rows[0].refusal_accuracy == 1.0
