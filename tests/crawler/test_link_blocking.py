"""Blocking gives the links of weighing every original: on random corpora and on the demo."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.link_blocking import OriginalsIndex
from crawler.linking import (
    MAX_DELAY,
    MIN_DELAY,
    Link,
    PlaceMatcher,
    link_translation,
    link_unmarked,
    places_in,
    summarise,
)
from crawler.models import Article

VN = timezone(timedelta(hours=7))
T0 = datetime(2025, 5, 15, 9, 0, tzinfo=VN)
PLACES = {
    "lam-dong": ["Lâm Đồng", "Lam Dong", "Ламдонг"],
    "ha-giang": ["Hà Giang", "Ha Giang", "Хазянг"],
    "hue": ["Huế", "Hue"],  # shorter than four letters: never matched
    "quang-tri": ["Quảng Trị", "Quang Tri"],
}
FIGURES = ["2025", "896.350", "896,350", "82", "1.250", "30", "640.200", "71", "007", "12"]
DOCUMENTS = ["112/KH-UBND", "57-NQ/TW", "98/KH-UBND", "02-TB/BCĐ"]
NAMES = ["Lâm Đồng", "Lam Dong", "Hà Giang", "Хазянг", "Quảng Trị", "Huế"]
# Delays that sit on the window's edges and inside it, and no date at all.
DELAYS = [
    MIN_DELAY - timedelta(microseconds=1),
    MIN_DELAY,
    timedelta(0),
    timedelta(hours=5),
    timedelta(days=3),
    MAX_DELAY - timedelta(microseconds=1),
    MAX_DELAY,
    MAX_DELAY + timedelta(microseconds=1),
    None,
]

token = st.one_of(st.sampled_from(FIGURES), st.sampled_from(DOCUMENTS), st.sampled_from(NAMES))
text = st.lists(token, min_size=0, max_size=9)


@st.composite
def corpora(draw: st.DrawFn) -> list[Article]:
    originals = draw(st.lists(text, min_size=0, max_size=7))
    articles: list[Article] = []
    for number, tokens in enumerate(originals):
        articles.append(_article(f"https://baolamdong.vn/{number}.html", "vi", tokens, draw))
    for number in range(draw(st.integers(0, 5))):
        # A copy translates one of the originals, with some facts dropped or added.
        translated = draw(st.booleans())
        if originals and translated:
            tokens = list(draw(st.sampled_from(originals)))
            tokens = [t for t in tokens if draw(st.integers(0, 4))] + draw(text)
        else:
            tokens = draw(text)
        lang = draw(st.sampled_from(["en", "ru", "vi", None]))
        marked = draw(st.integers(0, 6)) == 0
        articles.append(
            _article(f"https://www.vietnam.vn/x/{number}", lang, tokens, draw, marked=marked)
        )
    return draw(st.permutations(articles))


def _article(
    url: str, lang: str | None, tokens: list[str], draw: st.DrawFn, marked: bool = False
) -> Article:
    delay = draw(st.sampled_from(DELAYS))
    return Article.model_validate(
        {
            "url": url,
            "title": "Tin " + (tokens[0] if tokens else "ngắn"),
            "text": ". ".join(["Bản tin", *tokens]) + ".",
            "lang": lang,
            "published": None if delay is None else T0 + delay,
            "translation_of": "https://baolamdong.vn/0.html" if marked else None,
        }
    )


def weighing_every_original(articles: list[Article]) -> list[Link]:
    """The decision of `crawler.linking` for each unmarked copy over every original."""
    originals = [a for a in articles if a.lang == "vi" and not a.translation_of]
    links = []
    for article in articles:
        if article.lang in (None, "vi") or article.translation_of:
            continue
        if (link := link_translation(article, originals, places=PLACES)) is not None:
            links.append(link)
    return links


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_blocking_links_exactly_as_weighing_every_original(articles: list[Article]) -> None:
    assert link_unmarked(articles, places=PLACES) == weighing_every_original(articles)


@settings(max_examples=200, deadline=None)
@given(text, st.sampled_from(DELAYS[1:-2]))
def test_a_copy_of_a_lone_original_links_as_weighing_says(
    tokens: list[str], delay: timedelta
) -> None:
    """A copy with the original's own facts, alone or beside a twin and a stranger: the
    blocked decision (link or none, score, margin, reasons) is the weighed one."""
    body = ". ".join(["Bản tin", *tokens]) + "."
    original = Article(
        url="https://baolamdong.vn/a.html", title="Tin", text=body, lang="vi", published=T0
    )
    twin = original.model_copy(
        update={"url": "https://baolamdong.vn/b.html", "published": T0 + delay}
    )
    stranger = original.model_copy(
        update={
            "url": "https://baolamdong.vn/c.html",
            "text": "Không có số liệu.",
            "published": T0 + delay / 2,
        }
    )
    copy = original.model_copy(
        update={"url": "https://www.vietnam.vn/en/a", "lang": "en", "published": T0 + delay}
    )
    for pool in ([original], [original, twin], [original, stranger], [stranger, twin, original]):
        assert link_unmarked([copy, *pool], places=PLACES) == (
            [link] if (link := link_translation(copy, pool, places=PLACES)) else []
        )


def test_the_margin_counts_a_runner_up_that_shares_nothing() -> None:
    """The runner-up is an original with no fact in common, published later than any
    sharing one: it still sets the margin the link reports."""
    original = Article(
        url="https://baolamdong.vn/a.html",
        title="Kế hoạch 112/KH-UBND",
        text="Lâm Đồng: 896.350 tài khoản, 82%, 1.250 tỷ đồng.",
        lang="vi",
        published=T0,
    )
    later = Article(
        url="https://baolamdong.vn/b.html",
        title="Tin Lâm Đồng",
        text="Lâm Đồng tổ chức hội nghị.",
        lang="vi",
        published=T0 + timedelta(days=4),
    )
    copy = Article(
        url="https://www.vietnam.vn/en/a",
        title="Plan 112/KH-UBND",
        text="Lam Dong: 896,350 accounts, 82%, VND 1,250 billion.",
        lang="en",
        published=T0 + timedelta(days=5),
    )
    alone = link_translation(copy, [original], places=PLACES)
    both = link_translation(copy, [original, later], places=PLACES)
    assert alone is not None and both is not None and both.margin < alone.margin
    assert link_unmarked([copy, later, original], places=PLACES) == [both]


def test_the_demo_corpus_links_as_weighing_every_original() -> None:
    corpus = Path(__file__).resolve().parents[2] / "demo" / "corpus.jsonl"
    from api.place_names import place_names

    places = place_names()
    records = [json.loads(line) for line in corpus.read_text("utf-8").splitlines() if line]
    articles = [Article.model_validate({**r, "translation_of": None, "id": None}) for r in records]
    originals = [a for a in articles if a.lang == "vi"]
    expected = [
        link
        for a in articles
        if a.lang != "vi" and (link := link_translation(a, originals, places=places))
    ]
    assert len(expected) >= 5
    assert link_unmarked(articles, places=places) == expected


def test_places_are_found_once_spaces_and_marks_are_gone() -> None:
    matcher = PlaceMatcher(PLACES)
    assert places_in("Tỉnh LÂM ĐỒNG và Ha  Giang", matcher) == {"lam-dong", "ha-giang"}
    assert places_in("lamdong, Хазянг", PLACES) == {"lam-dong", "ha-giang"}
    assert places_in("Thành phố Huế", PLACES) == set()


def test_an_original_index_rebuilds_the_facts_it_was_given() -> None:
    matcher = PlaceMatcher(PLACES)
    article = Article(
        url="https://baolamdong.vn/a.html",
        title="Kế hoạch 112/KH-UBND",
        text="Lâm Đồng và Hà Giang: 896.350, 82, 82.",
        lang="vi",
        published=T0,
    )
    summary = summarise(article, matcher)
    index = OriginalsIndex([summary])
    assert index._facts(0) == (summary, summary.facts)
