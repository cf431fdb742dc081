from __future__ import annotations

from datetime import date
from typing import Any

from facts.folding import fold_for_matching as fold
from index.models import SearchFilters
from qa.gazetteer import Gazetteer
from qa.models import PlaceMatch, QueryPlan
from qa.retrieve import merge_filters, names_place, place_variants, retrieve
from tests.qa.conftest import MemoryRetriever

LAM_DONG = PlaceMatch("Лам Донг", "lam-dong", ("lam-dong",))


def _plan(question: str, language: str, **kwargs: Any) -> QueryPlan:
    return QueryPlan(question=question, language=language, search_text=question, **kwargs)


def test_fold_drops_case_and_diacritics() -> None:
    assert fold("Lâm Đồng") == "lam dong"
    assert fold("ЛАМ Донг") == "лам донг"


def test_place_expansion_crosses_scripts(gazetteer: Gazetteer) -> None:
    variants = place_variants(
        _plan("Хто представляв Лам Донг?", "uk", places=(LAM_DONG,)), gazetteer
    )
    folded = {fold(v) for v in variants}
    assert "lam dong" in folded  # Latin spellings for Vietnamese and English articles
    assert any("лам" in v for v in folded)


def test_names_place_in_any_script(gazetteer: Gazetteer) -> None:
    assert names_place("Tỉnh Lâm Đồng cam kết", ("lam-dong",), gazetteer)
    assert names_place("Провинция Ламдонг обязалась", ("lam-dong",), gazetteer)
    assert not names_place("Tỉnh Hưng Yên hỗ trợ nông dân", ("lam-dong",), gazetteer)
    assert not names_place("anything", (), gazetteer)


def test_place_is_a_filter_and_a_boost_never_dropped(retriever: MemoryRetriever) -> None:
    plan = _plan("Хто представляв Лам Донг на засіданні?", "uk", places=(LAM_DONG,))
    result = retrieve(plan, retriever)
    filtered = [f for _q, f in retriever.calls if f.province == ("lam-dong",)]
    unfiltered = [f for _q, f in retriever.calls if not f.province and not f.translation_group]
    assert filtered and unfiltered
    # The expanded query carries the Vietnamese spelling for the keyword index.
    assert any("Lâm Đồng" in q or "Lam Dong" in q for q, _f in retriever.calls)
    assert result.evidence and all(e.place_match for e in result.evidence[:3])
    assert result.place_keys == ("lam-dong",)


def test_user_filters_are_hard_in_every_call(retriever: MemoryRetriever) -> None:
    plan = _plan(
        "What did Lam Dong commit to?",
        "en",
        places=(PlaceMatch("Lam Dong", "lam-dong", ("lam-dong",)),),
    )
    result = retrieve(plan, retriever, SearchFilters(lang=("vi",), since=date(2025, 1, 1)))
    assert all(f.lang == ("vi",) for _q, f in retriever.calls)
    assert all(f.since == date(2025, 1, 1) for _q, f in retriever.calls)
    assert result.evidence and {e.article.lang for e in result.evidence} == {"vi"}


def test_one_story_once_in_the_askers_language(retriever: MemoryRetriever) -> None:
    for language, question, expected in [
        ("en", "Lam Dong site clearance expressway commitment", "ld-en"),
        ("ru", "Ламдонг расчистка площадки скоростная дорога", "ld-ru"),
        ("vi", "Lâm Đồng giải phóng mặt bằng cao tốc", "ld-vi"),
    ]:
        result = retrieve(_plan(question, language), retriever)
        story = [e for e in result.evidence if e.group == "g-ld"]
        assert story, language
        assert {e.article.id for e in story} == {expected}, language
        # The other versions stay reachable.
        assert {a.id for a in story[0].alternates} == {"ld-vi", "ld-en", "ld-ru"} - {expected}


class _OnlyVietnameseHits(MemoryRetriever):
    """An index whose ranking only ever surfaces the Vietnamese version, unless asked
    for one translation group."""

    def search(self, query, k=10, filters=None, *, keywords=None):  # type: ignore[no-untyped-def]
        hits = super().search(query, k, filters, keywords=keywords)
        if filters and filters.translation_group:
            return hits
        return [h for h in hits if h.article.lang == "vi"]

    def search_dense(self, vector, k=10, filters=None):  # type: ignore[no-untyped-def]
        hits = super().search_dense(vector, k, filters)
        if filters and filters.translation_group:
            return hits
        return [h for h in hits if h.article.lang == "vi"]


def test_preferred_version_is_searched_when_only_another_was_hit() -> None:
    retriever = _OnlyVietnameseHits()
    result = retrieve(_plan("Lam Dong site clearance before May 30", "en"), retriever)
    story = [e for e in result.evidence if e.group == "g-ld"]
    assert story and story[0].article.id == "ld-en"
    assert any(f.translation_group == ("g-ld",) and f.lang == ("en",) for _q, f in retriever.calls)


def test_question_period_ranks_first_and_marks_passages_outside_it(
    retriever: MemoryRetriever,
) -> None:
    plan = _plan("Lâm Đồng cam kết gì?", "vi", published_until=date(2025, 2, 20))
    result = retrieve(plan, retriever)
    # Up to 45 days after the period: reports follow what they report on.
    assert result.filters.until == date(2025, 4, 6)
    in_period = [e.period_match for e in result.evidence]
    # Passages from the period first; the rest are there, marked, for the answerer to skip.
    assert in_period == sorted(in_period, reverse=True)
    late = [e for e in result.evidence if e.group == "g-ld"]  # published 10 April
    assert late and not any(e.period_match for e in late)
    in_period_dates = [e.article.published for e in result.evidence if e.period_match]
    assert all(p is not None and p.date() <= date(2025, 4, 6) for p in in_period_dates)


def test_a_period_mentioned_counts_like_a_period_published(retriever: MemoryRetriever) -> None:
    """A year's results are reported in the next year: a passage published later that
    names a date in the period matches it."""
    plan = _plan(
        "Lâm Đồng cam kết gì?",
        "vi",
        published_since=date(2025, 5, 1),
        published_until=date(2025, 5, 31),
    )
    result = retrieve(plan, retriever)
    assert any(
        f.mentioned_since == date(2025, 5, 1) and f.since is None for _q, f in retriever.calls
    )
    mentions_may = [e for e in result.evidence if "30/5/2025" in e.chunk.text]
    assert mentions_may and all(e.period_match for e in mentions_may)


def test_deadline_period_adds_a_filtered_search_and_a_boost(retriever: MemoryRetriever) -> None:
    plan = _plan(
        "What did Lam Dong commit to by May 2025?",
        "en",
        places=(PlaceMatch("Lam Dong", "lam-dong", ("lam-dong",)),),
        deadline_until=date(2025, 5, 31),
    )
    result = retrieve(plan, retriever)
    assert any(f.mentioned_until == date(2025, 5, 31) for _q, f in retriever.calls)
    top = result.evidence[0]
    assert top.deadline_match and "May 30, 2025" in top.chunk.text


def test_merge_filters_intersects_periods() -> None:
    plan = _plan("q", "en", published_since=date(2025, 3, 1), published_until=date(2025, 6, 30))
    merged = merge_filters(SearchFilters(since=date(2025, 4, 1), province=("x",)), plan)
    assert (merged.since, merged.until, merged.province) == (
        date(2025, 4, 1),
        date(2025, 8, 14),
        ("x",),
    )
    merged = merge_filters(SearchFilters(until=date(2025, 7, 1)), plan)
    assert (merged.since, merged.until) == (date(2025, 2, 27), date(2025, 7, 1))
    # Disjoint periods: the user's filter wins.
    plan = _plan("q", "en", published_until=date(2024, 1, 1))
    merged = merge_filters(SearchFilters(since=date(2025, 4, 1)), plan)
    assert (merged.since, merged.until) == (date(2025, 4, 1), None)


def test_no_hits_gives_no_evidence() -> None:
    result = retrieve(_plan("anything", "en"), MemoryRetriever([]))
    assert result.evidence == []


def test_a_merged_unit_speaks_for_the_new_province_only_after_the_merger(
    gazetteer: Gazetteer,
) -> None:
    from datetime import datetime

    from facts.vietnam_time import VIETNAM_TZ
    from index.models import IndexedArticle
    from qa.retrieve import place_keys_for

    thai_binh = PlaceMatch("Thái Bình", "thai-binh", ("hung-yen",))
    plan = _plan("Thái Bình dành bao nhiêu tỷ đồng?", "vi", places=(thai_binh,))

    def article(day: str) -> IndexedArticle:
        published = datetime.fromisoformat(day).replace(tzinfo=VIETNAM_TZ)
        return IndexedArticle(
            id=day,
            url=f"https://baohungyen.vn/{day}",
            title="t",
            text="x",
            lang="vi",
            site="baohungyen.vn",
            province="hung-yen",
            published=published,
        )

    assert "hung-yen" not in place_keys_for(plan, article("2025-03-18"), gazetteer)
    assert "hung-yen" in place_keys_for(plan, article("2025-08-01"), gazetteer)


def _ru_article(
    article_id: str,
    province: str | None,
    title: str,
    paragraph: str,
    published: str = "2025-05-21",
) -> dict[str, Any]:
    return {
        "id": article_id,
        "lang": "ru",
        "province": province,
        "site": "www.vietnam.vn",
        "group": article_id,
        "published": published,
        "title": title,
        "paragraphs": [paragraph],
    }


def _ha_giang_in_2025(question: str) -> QueryPlan:
    return _plan(
        question,
        "ru",
        places=(PlaceMatch("Хазянг", "ha-giang", ("ha-giang",)),),
        published_since=date(2025, 1, 1),
        published_until=date(2025, 12, 31),
    )


def test_an_article_that_states_no_province_is_found_by_its_text(gazetteer: Gazetteer) -> None:
    # A translation page that names neither its province nor its original: only its text
    # says it is about Ha Giang. The question's place must not hide it behind every other
    # Ha Giang article.
    topics = ["туризм", "дороги", "школы", "больницы", "налоги", "выборы", "культура"]
    others = [
        _ru_article(
            f"hg-{n}",
            "ha-giang",
            f"Хазянг: {topic}",
            f"Провинция Хазянг обсудила вопросы: {topic}, план на 2025 год.",
        )
        for n, topic in enumerate(topics)
    ]
    unstated = _ru_article(
        "villages",
        None,
        "Строительство 100 умных деревень",
        "Провинция Хазянг построит 100 умных деревень к концу 2025 года.",
    )
    elsewhere = _ru_article(
        "villages-ld",
        None,
        "Умные деревни в Ламдонге",
        "Провинция Ламдонг построит 40 умных деревень к концу 2025 года.",
    )
    retriever = MemoryRetriever([*others, unstated, elsewhere])
    ha_giang = PlaceMatch("Хазянг", "ha-giang", ("ha-giang",))
    plan = _plan("Сколько умных деревень построит Хазянг?", "ru", places=(ha_giang,))
    result = retrieve(plan, retriever, gazetteer=gazetteer)
    assert result.evidence[0].article.id == "villages"
    assert result.evidence[0].place_match
    # A filter the user sets stays exact: no article without a province gets through it.
    retriever.calls.clear()
    result = retrieve(plan, retriever, SearchFilters(province=("ha-giang",)), gazetteer=gazetteer)
    assert {e.article.id for e in result.evidence} <= {f"hg-{n}" for n in range(len(topics))}


def test_an_article_that_states_no_province_about_another_place_is_not_narrowed_in(
    gazetteer: Gazetteer,
) -> None:
    # The searches narrowed to Ha Giang admit articles that state no province, but only
    # those whose text is about Ha Giang: a Lam Dong page from the period asked about
    # must not outrank Ha Giang's own articles on the strength of those searches.
    others = []
    for n, topic in enumerate(["туризм", "дороги", "школы"]):
        others.append(
            _ru_article(
                f"hg-{n}",
                "ha-giang",
                f"Хазянг: {topic}",
                f"Провинция Хазянг обсудила: {topic}.",
                published="2024-03-10",
            )
        )
    lam_dong = _ru_article(
        "villages-ld",
        None,
        "Умные деревни в Ламдонге",
        "Провинция Ламдонг построит 40 умных деревень.",
    )
    retriever = MemoryRetriever([*others, lam_dong])
    plan = _ha_giang_in_2025("Сколько умных деревень построит Хазянг в 2025 году?")
    ranked = [e.article.id for e in retrieve(plan, retriever, gazetteer=gazetteer).evidence]
    assert ranked[-1] == "villages-ld"


def test_the_story_plain_dense_search_finds_first_is_never_lost(gazetteer: Gazetteer) -> None:
    # Every narrowed search (Ha Giang, 2025) misses the Lam Dong page of 2024 that the
    # question's meaning finds first; plain dense retrieval under the user's filters alone
    # keeps it among the stories ranked, so the pipeline's ranking never loses it.
    others = [
        _ru_article(f"hg-{n}", "ha-giang", f"Хазянг: {t}", f"Хазянг: {t}.", "2025-03-10")
        for n, t in enumerate(["туризм", "дороги", "школы", "налоги", "выборы", "культура"])
    ]
    question = "Сколько умных деревень построят?"
    dense_first = _ru_article("ld", "lam-dong", "Умные деревни", question, "2024-03-10")
    retriever = MemoryRetriever([*others, dense_first])
    plan = _ha_giang_in_2025(question)
    user = SearchFilters(lang=("ru",))
    result = retrieve(plan, retriever, user, k=50, max_groups=50, gazetteer=gazetteer)
    assert "ld" in {e.article.id for e in result.evidence}
    assert retriever.dense_calls == [user]
    assert all(f.province or f.since for _q, f in retriever.calls)


def test_a_target_set_before_a_period_without_end_does_not_place_a_passage_in_it() -> None:
    """Every later target overlaps "after the merger": a February plan's "by 2030" is not
    news from after 1 July 2025, while a passage published after it is."""
    spec = {
        "lang": "vi",
        "province": "dak-nong",
        "site": "baodaknong.vn",
        "title": "Chương trình hành động",
        "paragraphs": ["Chương trình đặt mục tiêu đến năm 2030 kinh tế số chiếm 15% GRDP."],
    }
    retriever = MemoryRetriever(
        [
            {**spec, "id": "plan-feb", "group": "feb", "published": "2025-02-20"},
            {**spec, "id": "plan-aug", "group": "aug", "published": "2025-08-20"},
        ]
    )
    plan = _plan("Chương trình sau sáp nhập?", "vi", published_since=date(2025, 7, 1))
    matched = {e.article.id: e.period_match for e in retrieve(plan, retriever).evidence}
    assert matched == {"plan-feb": False, "plan-aug": True}
    # A period with an end is another matter: a target due within it names it.
    closed = _plan(
        "Chương trình?", "vi", published_since=date(2030, 1, 1), published_until=date(2030, 12, 31)
    )
    assert all(e.period_match for e in retrieve(closed, retriever).evidence)


def test_the_day_a_period_without_end_starts_does_not_place_an_earlier_passage_in_it() -> None:
    """A June report looking ahead to the merger "from 1 July 2025" says nothing of who
    led the province after it; a report from July that names the day does."""
    spec = {
        "lang": "vi",
        "province": "thai-binh",
        "site": "baothaibinh.com.vn",
        "title": "Chuẩn bị hợp nhất",
        "paragraphs": [
            "Bí thư Tỉnh ủy lưu ý chuẩn bị dữ liệu bàn giao khi tỉnh hợp nhất từ ngày 1/7/2025."
        ],
    }
    retriever = MemoryRetriever(
        [
            {**spec, "id": "june", "group": "june", "published": "2025-06-10"},
            {**spec, "id": "july", "group": "july", "published": "2025-07-03"},
        ]
    )
    plan = _plan("Bí thư sau hợp nhất là ai?", "vi", published_since=date(2025, 7, 1))
    matched = {e.article.id: e.period_match for e in retrieve(plan, retriever).evidence}
    assert matched == {"june": False, "july": True}


def test_a_passage_saying_before_the_merger_is_of_that_period() -> None:
    from datetime import datetime

    from index.models import Chunk, IndexedArticle
    from qa.retrieve import about_period

    def passage(text: str) -> tuple[IndexedArticle, Chunk]:
        # Reported in October, after the merger, of what was done before it.
        article = IndexedArticle(
            id="a",
            url="https://example.vn/a",
            title="t",
            text=text,
            lang="en",
            published=datetime(2025, 10, 14),
        )
        return article, Chunk(article_id="a", ordinal=0, start=0, end=len(text), text=text)

    plan = _plan(
        "How many tasks had the old Ha Giang province completed before the merger?",
        "en",
        published_until=date(2025, 6, 30),
    )
    assert about_period(
        *passage("Before the merger, the old Ha Giang province had completed 17 tasks."), plan
    )
    assert not about_period(
        *passage("After the merger, the province has completed 41 tasks."), plan
    )
