"""The is-this-an-article decision: real articles with poor metadata are kept, listings,
tag pages, soft 404s and error pages are not."""

from __future__ import annotations

import pytest

from crawler.extract import read_page
from crawler.pagekind import url_looks_like_article, url_looks_like_listing

STORY = [
    "The city council approved the new transport plan on Monday after a debate that lasted "
    "more than four hours, with twelve votes in favour and three against the proposal.",
    "Under the plan, two new bus lines will open next spring, connecting the northern "
    "districts with the railway station and the university campus in the south.",
    "Officials said the cost of the first phase would be covered by the regional budget, "
    "while the second phase depends on a grant that has not yet been confirmed.",
    "Residents who spoke at the meeting welcomed the plan but asked for more frequent "
    "services in the evening, when the current lines run only once an hour.",
]
SNIPPETS = [
    ("Council approves transport plan", "Two new bus lines will open next spring."),
    ("Flood warning for the river valley", "Water levels are expected to rise overnight."),
    ("New school opens in the north", "The school will take 600 pupils from September."),
    ("Market hall to be renovated", "Works start in March and last a year."),
    ("Museum extends opening hours", "The museum will open until 9 pm on Fridays."),
]


def article_page(head: str = "", h1: str = "Council approves transport plan") -> str:
    body = "".join(f"<p>{p}</p>" for p in STORY)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{h1}</title>'
        f"{head}</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<main><article><h1>{h1}</h1>{body}</article></main>"
        "<footer>Contact us</footer></body></html>"
    )


def listing_page(head: str = "", h1: str = "News") -> str:
    items = "".join(
        f'<div class="item"><h3><a href="/news/{i}-story-about-{i}-things-123456">{t}</a></h3>'
        f"<p>{s}</p></div>"
        for i, (t, s) in enumerate(SNIPPETS)
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{h1}</title>'
        f"{head}</head><body><h1>{h1}</h1><main>{items}</main></body></html>"
    )


ARTICLE_URL = "https://news.example.com/2019/11/18/council-approves-transport-plan"


@pytest.mark.parametrize(
    ("head", "url"),
    [
        ("", ARTICLE_URL),  # no metadata at all
        ('<meta property="og:type" content="website">', ARTICLE_URL),  # wrong og:type
        ('<meta name="robots" content="noindex">', ARTICLE_URL),
        ('<meta property="og:type" content="article">', "https://news.example.com/a?idx=8576"),
        ("", "https://blog.example.org/about-bugs/"),  # short slug, no declaration
        (
            '<meta property="og:type" content="website">',
            "https://example.com/columnists/201911181077343476-royal-arrogance/",
        ),
    ],
)
def test_real_articles_with_poor_metadata_are_kept(head: str, url: str) -> None:
    result = read_page(article_page(head), url)
    assert result.article is not None, result.reason
    assert result.path == "generic"
    assert result.article.paragraphs == STORY


@pytest.mark.parametrize(
    ("html", "url"),
    [
        (listing_page('<meta property="og:type" content="website">'), "https://x.vn/tin-tuc"),
        (listing_page('<meta property="og:type" content="website">'), "https://x.vn/"),
        (listing_page('<meta property="og:type" content="website">'), "https://x.vn/en"),
        (listing_page(), "https://x.vn/tag/lam-dong"),
        (listing_page(), "https://x.vn/chinh-tri?page=2"),
        (
            listing_page('<script type="application/ld+json">{"@type": "CollectionPage"}</script>'),
            "https://x.vn/kinh-te-xa-hoi-va-doi-song",
        ),
        (listing_page(), "https://x.vn/tim-kiem?q=lam+dong"),
        (article_page(h1="Bài viết không tồn tại"), "https://x.vn/bai-viet-da-go-380001.html"),
        (article_page(h1="404 - Page not found"), ARTICLE_URL),
        (
            '<html><head><meta property="og:type" content="website"></head><body>'
            "<h1>Chính sách bảo mật</h1><p>Chúng tôi tôn trọng quyền riêng tư.</p></body></html>",
            "https://x.vn/chinh-sach-bao-mat",
        ),
    ],
)
def test_listings_tags_and_error_pages_are_not_articles(html: str, url: str) -> None:
    result = read_page(html, url)
    assert result.article is None, f"{url} was taken as an article"


def test_a_story_whose_headline_mentions_not_found_is_kept() -> None:
    headline = "Missing hiker not found after three days of searching in the national park"
    result = read_page(article_page(h1=headline), ARTICLE_URL)
    assert result.article is not None and result.article.title == headline


@pytest.mark.parametrize(
    ("url", "listing", "article"),
    [
        ("https://baodongnai.com.vn/tin-moi/202507/anh-hinh-anh-bao-dang-83102d4/", False, True),
        ("https://baodongnai.com.vn/tin-moi/", True, False),
        ("https://www.vietnam.vn/en/category/thoi-su", True, False),
        ("https://baohungyen.vn/ke-hoach-chuyen-doi-so-3180412.html", False, True),
        ("https://example.com/news/news_view.html?idx=8576&page=1", False, True),
    ],
)
def test_url_shapes(url: str, listing: bool, article: bool) -> None:
    assert url_looks_like_listing(url) is listing
    assert url_looks_like_article(url) is article
