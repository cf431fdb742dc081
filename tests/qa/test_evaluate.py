"""Evaluation: matching by the dev set's rules, metrics, taxonomy and the retrieval
baseline, with fake answers and fake rankings (no model, no index)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from qa.evaluate import evaluate, fact_found, format_report, normalize_for_match, percentile
from qa.evaluation.depth import Rankings
from qa.evaluation.matching import forbidden_found
from qa.evaluation.questions import EvalQuestion, parse_question
from qa.evaluation.stories import StoryMap
from qa.evaluation.taxonomy import Outcome, classify
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
        ("Luong Van Tuan", "Chủ tịch Lương Văn Tuấn cho biết"),
        ("Đắk Nông", "dak nong province"),
        ("896.350", "896 350 accounts"),
        ("896,350", "896.350 tài khoản"),
        ("1 000 000", "1,000,000 VND"),
        ("45 tỷ đồng", "khoảng 45 TỶ ĐỒNG cho cả năm"),
        ("платформ", "єдиної платформи даних"),  # a substring: stems match inflections
        ("May 30, 2025", "before May 30\n2025."),
    ],
)
def test_facts_match_by_the_devset_rules(form: str, text: str) -> None:
    assert fact_found([form], text)


def test_facts_that_are_not_there_do_not_match() -> None:
    assert not fact_found(["35%"], "kinh tế số chiếm 30% GRDP")
    assert not fact_found(["1520-QĐ/TU"], "Quyết định số 15-QĐ/TU")
    assert not fact_found([""], "anything")
    assert normalize_for_match("Đà Nẵng") == "da nang"


def test_any_variant_of_a_fact_counts() -> None:
    forms = ("data centre", "Trung tâm dữ liệu tỉnh", "центр обработки данных")
    assert fact_found(forms, "Xây dựng Trung tâm dữ liệu tỉnh trong năm 2025")
    assert fact_found(forms, "создать центр обработки данных")


def test_must_not_contain_phrases_are_reported() -> None:
    assert forbidden_found(["102 xã", "35%"], "Cần Thơ có 102 Xã, phường") == ["102 xã"]
    assert forbidden_found(["102 xã"], "Cần Thơ có 103 xã, phường") == []


def test_percentile_nearest_rank() -> None:
    assert percentile([], 50) == 0.0
    assert percentile([10, 20, 30, 40], 50) == 20
    assert percentile([10, 20, 30, 40], 95) == 40


def test_devset_question_format() -> None:
    question = parse_question(
        {
            "id": "d002",
            "lang": "en",
            "question": "lam dong - what did they commit to finish by end of 2025?",
            "kind": "commitments",
            "gold_urls": ["https://www.vietnam.vn/en/a"],
            "answer_facts": ["data centre", "54"],
            "answer_fact_variants": [["Trung tâm dữ liệu tỉnh"], []],
            "must_not_contain": ["68"],
            "history": [{"role": "user", "content": "Lâm Đồng?"}],
            "date_hint": {"from": "2025-07-01", "to": "2025-09-30"},
        },
        "questions.jsonl:2",
        2,
    )
    assert question.answerable and question.facts == (
        ("data centre", "Trung tâm dữ liệu tỉnh"),
        ("54",),
    )
    assert question.history[0].content == "Lâm Đồng?"
    assert question.date_hint == ("2025-07-01", "2025-09-30")
    unanswerable = parse_question(
        {"id": "d005", "question": "Budget?", "kind": "unanswerable", "gold_urls": []}, "x", 5
    )
    assert not unanswerable.answerable


def test_variants_must_run_parallel_to_facts() -> None:
    from qa.errors import QuestionError

    with pytest.raises(QuestionError, match="parallel"):
        parse_question(
            {"question": "q", "answer_facts": ["a", "b"], "answer_fact_variants": [[]]},
            "questions.jsonl:7",
            7,
        )


def test_stories_join_translations_and_slug_siblings() -> None:
    stories = StoryMap.from_articles(
        [
            {"url": "https://baolamdong.vn/ld-vi.html"},
            {
                "url": "https://www.vietnam.vn/en/ld",
                "translation_of": "https://baolamdong.vn/ld-vi.html",
            },
            {"url": "https://www.vietnam.vn/ru/ld", "translation_of": None},
            {"url": "https://www.vietnam.vn/en/an-giang"},
            {"url": "https://www.vietnam.vn/uk/an-giang"},
            {"url": "https://baohungyen.vn/hy-vi.html"},
        ]
    )
    assert len(stories.stories()) == 3
    assert stories.story("https://vietnam.vn/ru/ld") == stories.story(
        "https://baolamdong.vn/ld-vi.html/"
    )
    assert "vietnam.vn/uk/an-giang" in stories.story("https://www.vietnam.vn/en/an-giang")
    assert stories.story("https://other.vn/x") == frozenset({"other.vn/x"})


@pytest.mark.parametrize(
    ("outcome", "category"),
    [
        (Outcome(answerable=True, refused=False, citation_hit=True), "ok"),
        (
            Outcome(answerable=True, refused=False, citation_hit=True, all_facts=False),
            "wrong_sentence",
        ),
        (
            Outcome(answerable=True, refused=False, citation_hit=True, forbidden=True),
            "wrong_sentence",
        ),
        (
            Outcome(
                answerable=True,
                refused=True,
                citation_hit=False,
                gold_in_depth=True,
                gold_in_hand=True,
            ),
            "refused_with_gold",
        ),
        (Outcome(answerable=True, refused=True, citation_hit=False), "gold_not_retrieved"),
        (Outcome(answerable=True, refused=False, citation_hit=False), "gold_not_retrieved"),
        (
            Outcome(answerable=True, refused=False, citation_hit=False, gold_in_depth=True),
            "ranked_out",
        ),
        (
            Outcome(answerable=True, refused=True, citation_hit=False, gold_in_depth=True),
            "ranked_out",
        ),
        (Outcome(answerable=False, refused=True), "ok"),
        (Outcome(answerable=False, refused=False), "answered_unanswerable"),
        (Outcome(answerable=True, refused=False, failed=True), "error"),
    ],
)
def test_taxonomy(outcome: Outcome, category: str) -> None:
    assert classify(outcome) == category


# --- a whole evaluation over fakes --------------------------------------------------------

LD = {"baolamdong.vn/ld-vi.html", "vietnam.vn/ld-en.html", "vietnam.vn/ld-ru.html"}


def _story(*urls: str) -> frozenset[str]:
    return frozenset(urls)


class FakeProbe:
    """Rankings chosen per question id, as the pipeline and dense search would give them."""

    def __init__(self, rankings: dict[str, Rankings]) -> None:
        self.rankings = rankings

    def __call__(self, question: EvalQuestion, answer: Answer | None = None) -> Rankings:
        return self.rankings.get(question.id, Rankings([], [], []))


def _run(retriever: MemoryRetriever) -> Any:
    ld_en = _cite(
        retriever,
        "ld-en",
        "Lam Dong province committed to completing site "
        "clearance along the whole route before May 30, 2025.",
    )
    hg_vi = _cite(retriever, "hg-vi", "Bí thư Tỉnh ủy Hầu A Lềnh")
    tampered = dataclasses.replace(ld_en, n=2, quote=ld_en.quote + " (edited)")
    hg = _story("baohagiang.vn/hg-vi.html")
    ld = frozenset(LD)
    other = _story("baohungyen.vn/hy-vi.html")
    answers = {
        # Cites the English translation; the gold is the Vietnamese original.
        "q1": Answer(
            "Lam Dong committed ... before May 30, 2025; 60% disbursed [1]", "en", False, [ld_en]
        ),
        # A comparison citing only one of its two stories, one quote edited.
        "q2": Answer("Lam Dong ... 30/5/2025 [1] [2]", "en", False, [ld_en, tampered]),
        # Refused although the gold was in hand.
        "q3": Answer("The sources do not say.", "vi", True),
        # An unanswerable answered with a confusing figure.
        "q4": Answer("Budget of 500 tỷ [1]", "vi", False, [hg_vi]),
        "q5": Answer("Các nguồn tin không trả lời.", "vi", True),
    }
    questions: list[EvalQuestion | dict[str, Any]] = [
        {
            "id": "q1",
            "question": "What did Lam Dong commit to?",
            "lang": "en",
            "kind": "commitments",
            "gold_urls": ["https://baolamdong.vn/ld-vi.html"],
            "answer_facts": ["30/5/2025", "60%"],
            "answer_fact_variants": [["May 30, 2025"], ["60% of public investment"]],
        },
        {
            "id": "q2",
            "question": "Compare Lam Dong and Ha Giang",
            "lang": "en",
            "kind": "comparison",
            "gold_urls": ["https://baolamdong.vn/ld-vi.html", "https://baohagiang.vn/hg-vi.html"],
            "answer_facts": ["30/5/2025"],
            "answer_fact_variants": [[]],
        },
        {
            "id": "q3",
            "question": "Hà Giang?",
            "lang": "vi",
            "kind": "single_fact",
            "gold_urls": ["https://baohagiang.vn/hg-vi.html"],
            "answer_facts": ["Hầu A Lềnh"],
            "answer_fact_variants": [[]],
        },
        {
            "id": "q4",
            "question": "Ngân sách?",
            "lang": "vi",
            "kind": "unanswerable",
            "gold_urls": [],
            "answer_facts": [],
            "answer_fact_variants": [],
            "must_not_contain": ["500 tỷ"],
        },
        {"id": "q5", "question": "Đà Nẵng?", "lang": "vi", "kind": "unanswerable"},
        {
            "id": "q6",
            "question": "boom",
            "lang": "en",
            "kind": "single_fact",
            "gold_urls": ["https://baohungyen.vn/hy-vi.html"],
            "answer_facts": ["x"],
        },
    ]
    probe = FakeProbe(
        {
            "q1": Rankings(pipeline=[ld, hg], in_hand=[ld], dense=[other, hg, ld]),
            "q2": Rankings(pipeline=[ld, other, hg], in_hand=[ld], dense=[ld, hg]),
            "q3": Rankings(pipeline=[hg], in_hand=[hg], dense=[other, hg]),
            "q6": Rankings(pipeline=[ld], in_hand=[ld], dense=[ld]),
        }
    )

    def answer_fn(question: EvalQuestion) -> Answer:
        if question.id == "q6":
            raise RuntimeError("index unavailable")
        return answers[question.id]

    stories = StoryMap([LD])
    return evaluate(questions, answer_fn, retriever, stories=stories, probe=probe)


def test_evaluation_metrics(retriever: MemoryRetriever) -> None:
    report = _run(retriever)
    overall = report.overall
    assert (overall.questions, overall.answerable, overall.unanswerable, overall.errors) == (
        6,
        4,
        2,
        1,
    )
    # q1 through a translation of its story; q2 misses one of its two stories; q3 refused.
    assert overall.citation_recall == 0.25
    assert overall.fact_recall == pytest.approx(3 / 5)  # q1 2/2, q2 1/1, q3 0/1, q6 0/1
    assert overall.all_facts_rate == 0.5
    assert overall.answered_rate == 0.5 and overall.refused_rate == 0.5
    assert overall.balanced_refusal == 0.5
    assert overall.invalid_quotes == 1 and overall.citations == 4
    assert overall.must_not_contain_hits == 1
    # Gold within the top 5 / 20: pipeline q1 (1), q2 (3), q3 (1), q6 never; dense q1 (3),
    # q2 (2), q3 (2).
    assert overall.pipeline_recall_at_5 == 0.75 and overall.dense_recall_at_5 == 0.75
    assert report.by_kind["comparison"].citation_recall == 0.0
    assert report.by_language["vi"].refused_rate == 0.5


def test_evaluation_taxonomy_per_question(retriever: MemoryRetriever) -> None:
    report = _run(retriever)
    categories = {r.id: r.category for r in report.results}
    assert categories == {
        "q1": "ok",
        "q2": "ranked_out",
        "q3": "refused_with_gold",
        "q4": "answered_unanswerable",
        "q5": "ok",
        "q6": "error",
    }
    assert report.overall.categories["ok"] == 2
    ranks = {r.id: (r.pipeline_gold_rank, r.dense_gold_rank) for r in report.results}
    assert ranks["q2"] == (3, 2)


def test_report_text_and_json(retriever: MemoryRetriever) -> None:
    report = _run(retriever)
    text = format_report(report)
    for label in ("kind=comparison", "lang=vi", "dense@5", "refused_with_gold", "q3"):
        assert label in text
    data = report.to_json()
    assert data["overall"]["balanced_refusal"] == 0.5
    assert {q["id"]: q["category"] for q in data["questions"]}["q4"] == "answered_unanswerable"


def test_evaluation_with_the_real_pipeline(retriever: MemoryRetriever) -> None:
    from qa.answer import answer

    questions: list[EvalQuestion | dict[str, Any]] = [
        {
            "id": "a",
            "question": "Lâm Đồng phấn đấu giải ngân bao nhiêu phần trăm vốn đầu tư công?",
            "lang": "vi",
            "kind": "fact",
            "gold_urls": ["https://baolamdong.vn/ld-vi.html"],
            "facts": [["60%"]],
        },
        {
            "id": "b",
            "question": "What did Da Nang decide about fishing boats?",
            "lang": "en",
            "kind": "unanswerable",
        },
    ]
    report = evaluate(questions, lambda q: answer(q.question, retriever), retriever)
    assert report.overall.citation_recall == 1.0 and report.overall.fact_recall == 1.0
    assert report.overall.balanced_refusal == 1.0 and report.overall.invalid_quotes == 0
    # The pipeline's own retrieval ranks the gold story first.
    assert report.results[0].pipeline_gold_rank == 1


def test_threshold_sweep_counts_answers_and_refusals(retriever: MemoryRetriever) -> None:
    from qa.answer import answer
    from qa.evaluate import sweep_min_support

    questions: list[EvalQuestion | dict[str, Any]] = [
        {"question": "Hà Giang đã giao nhiệm vụ gì cho quý II/2025?", "answerable": True},
        {"question": "Đà Nẵng đã quyết định gì về tàu cá?", "answerable": False},
    ]
    rows = sweep_min_support(
        questions,
        lambda q, t: answer(q.question, retriever, min_support=t),
        [0.0, 1.01],
    )
    assert [r.min_support for r in rows] == [0.0, 1.01]
    # Nothing clears a threshold above 1: every question is refused.
    assert rows[1].answerable_answered == 0 and rows[1].unanswerable_refused == 1
    assert rows[0].answerable_answered == 1 and rows[0].refusal_accuracy == 1.0


def test_plain_dense_baseline_counts_each_story_once() -> None:
    from qa.evaluation.depth import RetrievalProbe, StoryResolver

    retriever = MemoryRetriever()
    probe = RetrievalProbe(retriever, StoryResolver(retriever), depth=50)
    question = EvalQuestion(
        id="x", question="Lam Dong site clearance before May 30, 2025", lang="en"
    )
    rankings = probe(question)
    assert rankings.dense is not None and retriever.dense_calls
    # Lam Dong's four versions are one story: it appears once, and first.
    assert "baolamdong.vn/ld-vi.html" in rankings.dense[0]
    assert "vietnam.vn/ld-en.html" in rankings.dense[0]
    assert sum(bool(story & rankings.dense[0]) for story in rankings.dense) == 1
    assert "baolamdong.vn/ld-vi.html" in rankings.pipeline[0]
    assert any("baolamdong.vn/ld-vi.html" in story for story in rankings.in_hand)


def test_rankings_follow_the_year_the_answer_fell_back_to(retriever: MemoryRetriever) -> None:
    """'In April' is first read as the latest April; the answer falls back to an earlier
    year, and the retrieval figures describe the reading that was answered."""
    from qa.answer import answer
    from qa.evaluation.depth import RetrievalProbe, StoryResolver

    text = "Lâm Đồng cam kết gì trong tháng 4?"
    result = answer(text, retriever)
    assert not result.refused and result.searched.get("year_relaxed")
    question = EvalQuestion(id="x", question=text, lang="vi")
    probe = RetrievalProbe(retriever, StoryResolver(retriever))
    assert "baolamdong.vn/ld-vi.html" in probe(question, result).pipeline[0]
