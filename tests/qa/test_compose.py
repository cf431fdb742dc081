"""The answer's text: what a reader is told besides the quotes."""

from __future__ import annotations

from datetime import datetime

from index.models import Chunk, IndexedArticle, SearchHit
from qa.candidates import Candidate
from qa.compose import compose
from qa.gazetteer import Gazetteer
from qa.models import PlaceMatch, QueryPlan
from qa.retrieve import Evidence

KIEN_GIANG = PlaceMatch("kien giang", "kien-giang", ("an-giang",))


def _sentence(text: str, *, province: str, published: str, lang: str = "en") -> Candidate:
    article = IndexedArticle(
        id=f"{province}-{published}",
        url=f"https://example.vn/{province}",
        title="t",
        text=text,
        lang=lang,
        province=province,
        published=datetime.fromisoformat(published),
    )
    chunk = Chunk(article_id=article.id, ordinal=0, start=0, end=len(text), text=text)
    evidence = Evidence(
        hit=SearchHit(chunk=chunk, article=article, score=1.0), score=1.0, group=article.id
    )
    return Candidate(evidence, 0, len(text), text, 0)


def _plan(question: str, language: str = "en") -> QueryPlan:
    return QueryPlan(
        question=question, language=language, search_text=question, places=(KIEN_GIANG,)
    )


def test_an_old_name_answered_from_the_new_province_says_so(gazetteer: Gazetteer) -> None:
    after = _sentence(
        "As of September 20, 2025, 762,300 people in An Giang had completed a course.",
        province="An Giang",
        published="2025-09-22T08:00:00+07:00",
    )
    answer = compose(_plan("how many people in kien giang did the course?"), [after], {}, gazetteer)
    assert (
        answer.answer.splitlines()[0] == "Kien Giang has been part of An Giang since 1 July 2025."
    )
    # The quote follows, unchanged.
    assert "762,300 people in An Giang" in answer.answer.splitlines()[1]

    russian = compose(_plan("Сколько жителей Кьензянга прошли курс?", "ru"), [after], {}, gazetteer)
    assert russian.answer.splitlines()[0].endswith("входит в состав: Анзянг.")


def test_an_old_name_answered_from_its_own_reports_gets_no_note(gazetteer: Gazetteer) -> None:
    before = _sentence(
        "In May 2025, Kien Giang trained 120,000 residents in digital skills.",
        province="Kiên Giang",
        published="2025-05-20T08:00:00+07:00",
    )
    answer = compose(_plan("how many people in kien giang were trained?"), [before], {}, gazetteer)
    assert "since 1 July 2025" not in answer.answer
