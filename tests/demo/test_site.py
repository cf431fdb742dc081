"""The static site: every article rendered in its family's markup, listed, fed and mapped."""

from __future__ import annotations

import html
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from demo.site import (
    DATELINE_ONLY_ARTICLE,
    DEFAULT_CORPUS,
    LARGE_PAGE_BYTES,
    META_DIR,
    PAGES_FILE,
    ROUTES_FILE,
    CorpusArticle,
    Tree,
    build_site,
    is_current,
    load_corpus,
)

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ARTICLES = load_corpus(DEFAULT_CORPUS)


def page_text(root: Path, tree: Tree, url: str) -> str:
    parts = urlsplit(url)
    route = tree.routes[parts.netloc][parts.path + (f"?{parts.query}" if parts.query else "")]
    raw = (root / parts.netloc / route.file).read_bytes()
    true_encoding = next((p.get("encoding") for p in tree.pages if p["url"] == url), None)
    if isinstance(true_encoding, str) and route.charset not in (None, true_encoding):
        return raw.decode(true_encoding)  # the page served with a wrong charset header
    if route.charset is None:
        declared = re.search(rb'charset=([\w-]+)"', raw)
        assert declared, f"{url}: no charset in the page"
        return unicodedata.normalize("NFC", raw.decode(declared.group(1).decode()))
    return raw.decode(route.charset)


def test_build_writes_meta(built_site: tuple[Path, Tree]) -> None:
    root, _ = built_site
    routes = json.loads((root / META_DIR / ROUTES_FILE).read_text("utf-8"))
    assert set(routes["hosts"]) == {
        "baolamdong.vn",
        "baohagiang.vn",
        "baohungyen.vn",
        "www.vietnam.vn",
    }
    pages = json.loads((root / META_DIR / PAGES_FILE).read_text("utf-8"))
    kinds = {p["kind"] for p in pages}
    assert {"article", "duplicate", "soft_404", "listing", "tag", "feed", "sitemap", "sitemap_index",
            "news_sitemap", "robots", "home"} <= kinds  # fmt: skip


@pytest.mark.parametrize("article", ARTICLES, ids=[a.id for a in ARTICLES])
def test_every_article_has_its_page(built_site: tuple[Path, Tree], article: CorpusArticle) -> None:
    root, tree = built_site
    text = page_text(root, tree, article.url)
    assert html.escape(article.title, quote=True) in text
    visible = html.unescape(re.sub(r"<[^>]+>", "", text))
    for paragraph in article.paragraphs:
        assert paragraph in visible
    assert f'<link rel="canonical" href="{article.url}">' in text
    assert "Thứ Tư, 25/11/2026" in text  # the top bar shows the build day, not the publish day
    published = article.published
    if article.family == "hexcms" and article.id == DATELINE_ONLY_ARTICLE:
        assert 'class="content-detail"' in text and '<span class="time">' not in text
        assert "datePublished" not in text and "published_time" not in text
        assert f"<p><em>{article.province}, ngày {published.day} tháng {published:%m} năm" in text
    elif article.family == "hexcms":
        assert 'class="content-detail"' in text and '<div class="desc">' in text
        assert f'<span class="time">{published:%H:%M, %d/%m/%Y}</span>' in text
        assert 'class="image_desc"' in text or not article.captions
        assert (
            f'<p style="text-align: right;"><strong>{html.escape(article.author)}</strong></p>'
            in text
        )
    elif article.family == "cardcms":
        assert '<h1 class="name">' in text and 'id="content-detail"' in text
        assert 'class="pseudonym"' in text and 'class="relates"' in text
        assert f"{published:%d/%m/%Y %H:%M}</span>" in text
        assert f'content="{published:%Y-%m-%dT%H:%M:%S}"' in text  # naive local time
        assert 'td class="caption"' in text
    elif article.family == "detailcms":
        assert '<h1 class="detail-title">' in text and 'class="detail-content"' in text
        assert '<h2 class="detail-sapo">' in text
    else:
        assert f'hreflang="{article.lang}"' in text and 'hreflang="x-default"' in text
        assert f'"isBasedOn": "{article.translation_of}"' in text
        assert re.search(r'"datePublished": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z"', text)
        assert f'<a href="{article.translation_of}"' in text


def _sitemap_urls(root: Path, tree: Tree, host: str) -> set[str]:
    urls: set[str] = set()
    index = ET.fromstring(page_text(root, tree, f"https://{host}/sitemap.xml"))
    for loc in index.iter(f"{SITEMAP_NS}loc"):
        child = ET.fromstring(page_text(root, tree, loc.text or ""))
        for url in child.iter(f"{SITEMAP_NS}url"):
            assert url.find(f"{SITEMAP_NS}loc") is not None
            urls.add(url.findtext(f"{SITEMAP_NS}loc") or "")
    return urls


def test_every_article_is_in_a_sitemap(built_site: tuple[Path, Tree]) -> None:
    root, tree = built_site
    listed = set().union(*(_sitemap_urls(root, tree, h) for h in tree.routes))
    assert {a.url for a in ARTICLES} <= listed


def test_robots_and_feeds(built_site: tuple[Path, Tree]) -> None:
    root, tree = built_site
    for host in tree.routes:
        robots = page_text(root, tree, f"https://{host}/robots.txt")
        assert f"Sitemap: https://{host}/sitemap.xml" in robots
        assert re.search(r"^Disallow: /(tim-kiem|search)$", robots, re.M)
    feed = ET.fromstring(page_text(root, tree, "https://baohagiang.vn/rss/home.rss"))
    assert len(feed.findall("./channel/item")) == 5
    assert ET.fromstring(page_text(root, tree, "https://www.vietnam.vn/ru/sitemap.rss")).find(
        "./channel/item"
    )
    news = page_text(root, tree, "https://www.vietnam.vn/news-sitemap.xml")
    assert "<news:publication_date>" in news


def test_pitfalls(built_site: tuple[Path, Tree]) -> None:
    root, tree = built_site
    pages = json.loads((root / META_DIR / PAGES_FILE).read_text("utf-8"))
    soft = next(p for p in pages if p["kind"] == "soft_404")
    assert soft["status"] == 200 and "Bài viết không tồn tại" in page_text(root, tree, soft["url"])
    amp = next(p for p in pages if p.get("pitfall") == "amp_copy")
    assert f'<link rel="canonical" href="{amp["canonical"]}">' in page_text(root, tree, amp["url"])
    assert "<html amp" in page_text(root, tree, amp["url"])
    legacy = next(p for p in pages if p.get("encoding") == "windows-1258")
    parts = urlsplit(legacy["url"])
    route = tree.routes[parts.netloc][parts.path]
    raw = (root / parts.netloc / route.file).read_bytes()
    assert route.charset is None and b'http-equiv="Content-Type"' in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    decoded = raw.decode("cp1258")
    assert decoded != unicodedata.normalize("NFC", decoded)  # combining tone marks
    tags = [p for p in pages if p["kind"] == "tag"]
    assert tags and all(
        'og:type" content="website"' in page_text(root, tree, p["url"]) for p in tags
    )
    card = next(a for a in ARTICLES if a.family == "cardcms")
    assert "?utm_source=zalo" in page_text(root, tree, card.url)
    assert any(p["kind"] == "listing" and p.get("page") == 2 for p in pages)


def _pages(root: Path) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = json.loads((root / META_DIR / PAGES_FILE).read_text("utf-8"))
    return pages


def _with_pitfall(pages: list[dict[str, Any]], pitfall: str) -> dict[str, Any]:
    return next(p for p in pages if pitfall in p.get("pitfalls", []))


def test_second_section_path_serves_the_article_with_its_canonical(
    built_site: tuple[Path, Tree],
) -> None:
    root, tree = built_site
    pages = _pages(root)
    second = next(p for p in pages if p.get("pitfall") == "second_section_path")
    original = next(p for p in pages if p["kind"] == "article" and p["url"] == second["canonical"])
    assert second["url"] != original["url"]
    assert (
        urlsplit(second["url"]).path.split("/")[1] != urlsplit(original["url"]).path.split("/")[1]
    )
    text = page_text(root, tree, second["url"])
    assert f'<link rel="canonical" href="{original["url"]}">' in text
    assert text == page_text(root, tree, original["url"])
    # The feed links the second path, the sitemap the canonical one.
    host = urlsplit(second["url"]).netloc
    assert second["url"] in page_text(root, tree, f"https://{host}/rss/home.rss")
    assert second["url"] not in "".join(
        page_text(root, tree, p["url"]) for p in pages if p["kind"] == "sitemap"
    )


def test_redirect_chain_and_temporary_redirect_are_recorded(built_site: tuple[Path, Tree]) -> None:
    root, tree = built_site
    pages = _pages(root)
    routes = json.loads((root / META_DIR / ROUTES_FILE).read_text("utf-8"))["redirects"]
    chain = next(p for p in pages if p["kind"] == "redirect_chain")
    first = urlsplit(chain["url"])
    hop = routes[first.netloc][first.path]
    assert hop["status"] == 301 and hop["location"] == chain["location"]
    second = urlsplit(hop["location"])
    last = routes[second.netloc][second.path]
    assert last["status"] == 301 and last["location"] == chain["target"]
    assert chain["target"] in {a.url for a in ARTICLES}
    temporary = next(p for p in pages if p["kind"] == "redirect" and p["status"] == 302)
    assert temporary["location"] in {a.url for a in ARTICLES}
    feeds = "".join(page_text(root, tree, p["url"]) for p in pages if p["kind"] == "feed")
    assert chain["url"] in feeds and temporary["url"] in feeds


def test_wrong_charset_header_page(built_site: tuple[Path, Tree]) -> None:
    root, tree = built_site
    page = _with_pitfall(_pages(root), "wrong_charset_header")
    parts = urlsplit(page["url"])
    route = tree.routes[parts.netloc][parts.path]
    assert route.charset == page["http_charset"] != "utf-8"
    raw = (root / parts.netloc / route.file).read_bytes()
    assert b'<meta charset="utf-8">' in raw
    article = next(a for a in ARTICLES if a.url == page["url"])
    assert article.title in raw.decode("utf-8")
    assert article.title not in raw.decode(route.charset)  # what trusting the header gives


def test_large_page_is_still_an_article(built_site: tuple[Path, Tree]) -> None:
    root, tree = built_site
    page = _with_pitfall(_pages(root), "very_large_page")
    parts = urlsplit(page["url"])
    raw = (root / parts.netloc / tree.routes[parts.netloc][parts.path].file).read_bytes()
    assert LARGE_PAGE_BYTES <= len(raw) < LARGE_PAGE_BYTES + 200_000
    head, _, body = raw.decode("utf-8").partition("</head>")
    assert "window.__INITIAL_STATE__ = {" in head and "</script>" in head
    article = next(a for a in ARTICLES if a.url == page["url"])
    assert all(paragraph in html.unescape(body) for paragraph in article.paragraphs)


def test_dateline_only_article_has_no_date_in_feeds_or_sitemaps(
    built_site: tuple[Path, Tree],
) -> None:
    root, tree = built_site
    pages = _pages(root)
    page = _with_pitfall(pages, "date_only_in_body")
    listed = [
        entry
        for doc in pages
        if doc["kind"] in ("feed", "sitemap")
        for entry in re.findall(
            r"<(?:item|url)>.*?</(?:item|url)>", page_text(root, tree, doc["url"]), re.S
        )
        if page["url"] in entry
    ]
    assert listed, "the dateline-only article must be listed in a feed or sitemap"
    for entry in listed:
        assert "<pubDate>" not in entry and "<lastmod>" not in entry


def test_rebuild_only_when_stale(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(DEFAULT_CORPUS.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    root = tmp_path / "site"
    assert not is_current(root, corpus)
    build_site(root, corpus)
    assert is_current(root, corpus)
    corpus.write_text(corpus.read_text("utf-8") + "\n", "utf-8")
    assert not is_current(root, corpus)
