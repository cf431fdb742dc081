"""A sentence joining two pledges is quoted by the clause that answers "by when"."""

from __future__ import annotations

from datetime import date

from index.models import Chunk, IndexedArticle, SearchHit
from qa.candidates import Candidate
from qa.clauses import answering_clause, clauses
from qa.decide import decide
from qa.gazetteer import Gazetteer
from qa.models import QueryPlan
from qa.retrieve import Evidence

LEAD = "Provincial news. "


def _candidate(sentence: str, sibling: str | None = None) -> Candidate:
    text = LEAD + sentence
    article = IndexedArticle(id="a", url="https://example.vn/a", title="t", text=text)
    chunk = Chunk(article_id="a", ordinal=0, start=0, end=len(text), text=text)
    evidence = Evidence(
        hit=SearchHit(chunk=chunk, article=article, score=1.0), score=1.0, group="g"
    )
    start = len(LEAD)
    return Candidate(evidence, start, start + len(sentence), sentence, 0, sibling=sibling)


def _by_when(question: str, language: str = "en") -> QueryPlan:
    return QueryPlan(
        question=question,
        language=language,
        search_text=question,
        intent="when",
        asks_deadline=True,
    )


def _quoted(candidate: Candidate) -> str:
    quote = candidate.article.text[candidate.start : candidate.end]
    assert quote == candidate.text
    return quote


def test_the_pledge_asked_about_is_quoted_with_its_own_deadline() -> None:
    sentence = (
        "The province aims for 70% of adults to have basic digital skills by December 31, "
        "2025, and for all fishing vessels 15 metres or longer to use electronic logbooks "
        "by June 30, 2026."
    )
    vessels = answering_clause(
        _by_when("By when must fishing boats use electronic logbooks?"), _candidate(sentence)
    )
    assert _quoted(vessels).startswith("for all fishing vessels")
    assert "June 30, 2026" in vessels.text and "December 31" not in vessels.text
    adults = answering_clause(
        _by_when("By when should 70% of adults have basic digital skills?"), _candidate(sentence)
    )
    assert "December 31, 2025" in _quoted(adults) and "June 30" not in adults.text


def test_vietnamese_and_ukrainian_pledges_joined_by_a_conjunction() -> None:
    vi = (
        "Phó Chủ tịch yêu cầu hoàn thành làm sạch dữ liệu hộ tịch trước 30/6/2024 và chi trả "
        "100% trợ cấp an sinh xã hội không dùng tiền mặt trước 31/12/2024."
    )
    plan = _by_when("Chi trả trợ cấp an sinh xã hội không dùng tiền mặt trước ngày nào?", "vi")
    assert _quoted(answering_clause(plan, _candidate(vi))).startswith("chi trả 100% trợ cấp")
    uk = (
        "Провінція прагне, щоб до 31 грудня 2025 року 70% дорослих мали базові цифрові "
        "навички, а до 30 червня 2026 року всі рибальські судна користувалися журналами."
    )
    plan = _by_when("До якої дати 70% дорослих мають мати базові цифрові навички?", "uk")
    quote = _quoted(answering_clause(plan, _candidate(uk)))
    assert "31 грудня 2025" in quote and "30 червня 2026" not in quote


def test_a_sentence_in_another_language_is_cut_where_its_version_is() -> None:
    sentence = (
        "Провинция стремится к 31 декабря 2025 года обучить 70% взрослых, "
        "а к 30 июня 2026 года перевести все суда на электронные журналы."
    )
    sibling = (
        "The province aims to train 70% of adults by December 31, 2025, "
        "and to move all vessels to electronic logbooks by June 30, 2026."
    )
    plan = _by_when("By when must all vessels move to electronic logbooks?")
    quote = _quoted(answering_clause(plan, _candidate(sentence, sibling)))
    assert "30 июня 2026" in quote and "31 декабря" not in quote


def test_one_deadline_or_no_clear_answer_keeps_the_sentence() -> None:
    plan = _by_when("By when must the data centre be finished?")
    one = _candidate("The data centre, the portal and the hub must be finished by 31 March 2026.")
    assert answering_clause(plan, one) is one
    # Neither clause shares more of the question's words: the whole sentence is quoted.
    two = _candidate("Work starts by 1 May 2025, and ends by 31 March 2026.")
    assert answering_clause(plan, two) is two


def test_numbers_written_with_a_comma_are_not_cut() -> None:
    plan = QueryPlan(question="?", language="vi", search_text="?", answer_type="count")
    sentence = "Công an đã làm sạch hơn 1,2 triệu dữ liệu trước 30/6/2024."
    assert clauses(plan, sentence) == [(0, len(sentence))]


def test_a_by_when_answer_quotes_the_answering_clause(gazetteer: Gazetteer) -> None:
    sentence = (
        "Officials must clean the civil status data by June 30, 2024, and pay all social "
        "benefits without cash by December 31, 2024."
    )
    candidate = _candidate(sentence)
    candidate.support = candidate.score = 0.6
    candidate.deadlines = [date(2024, 6, 30), date(2024, 12, 31)]
    plan = _by_when("By what date must social benefits be paid without cash?")
    decision = decide(plan, [candidate], min_support=0.34, gazetteer=gazetteer)
    assert [c.text for c in decision.selected] == [
        "pay all social benefits without cash by December 31, 2024"
    ]
