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


def _sentence(
    text: str, *, province: str, published: str, lang: str = "en", quote: str | None = None
) -> Candidate:
    """A candidate from an article whose text is `text`: all of it, or its `quote`."""
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
    start = text.index(quote) if quote else 0
    return Candidate(evidence, start, start + len(quote or text), quote or text, 0)


def _plan(question: str, language: str = "en", place: PlaceMatch = KIEN_GIANG) -> QueryPlan:
    return QueryPlan(question=question, language=language, search_text=question, places=(place,))


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


def test_the_new_name_is_spelt_as_the_quoted_article_spells_it(gazetteer: Gazetteer) -> None:
    sentence = "Общий объём ресурсов на 2025–2030 годы увеличен до 2 480 млрд донгов."
    article_text = f"Провинция Лам Донг провела первое заседание после слияния. {sentence}"
    quoted = _sentence(
        article_text,
        province="Lâm Đồng",
        published="2025-08-21T08:00:00+07:00",
        lang="ru",
        quote=sentence,
    )
    dak_nong = PlaceMatch("Дак Нонг", "dak-nong", ("lam-dong",))
    answer = compose(_plan("?", "ru", dak_nong), [quoted], {}, gazetteer)
    assert answer.answer.splitlines()[0].endswith("входит в состав: Лам Донг.")


def test_a_list_over_several_places_names_each_sentences_place(gazetteer: Gazetteer) -> None:
    required = "Tỉnh yêu cầu hoàn thành 100% thủ tục trực tuyến trước 30/6/2025."
    sentences = [
        _sentence(
            required, province="Quảng Ninh", published="2025-02-19T08:00:00+07:00", lang="vi"
        ),
        _sentence(
            required + " ", province="Lâm Đồng", published="2025-04-08T08:00:00+07:00", lang="vi"
        ),
    ]
    plan = QueryPlan(
        question="Những tỉnh nào yêu cầu hoàn thành trước 30/6/2025?",
        language="vi",
        search_text="?",
        intent="list",
    )
    text = compose(plan, sentences, {}, gazetteer).answer
    assert "Quảng Ninh: Tỉnh yêu cầu" in text and "Lâm Đồng: Tỉnh yêu cầu" in text
    # One place: nothing to tell apart.
    single = compose(plan, sentences[:1], {}, gazetteer).answer
    assert "Quảng Ninh:" not in single


def test_a_city_of_the_new_province_is_not_its_name(gazetteer: Gazetteer) -> None:
    sentence = "Đặc khu Phú Quý nâng cấp cáp quang biển."
    quoted = _sentence(
        f"Chiều 20/8 tại Đà Lạt, Ban Chỉ đạo họp phiên đầu tiên. {sentence}",
        province="Lâm Đồng",
        published="2025-08-21T08:00:00+07:00",
        lang="vi",
        quote=sentence,
    )
    binh_thuan = PlaceMatch("binh thuan", "binh-thuan", ("lam-dong",))
    first = compose(_plan("?", "vi", binh_thuan), [quoted], {}, gazetteer).answer.splitlines()[0]
    assert first == "Bình Thuận đã được hợp nhất vào Lâm Đồng từ ngày 1/7/2025."
