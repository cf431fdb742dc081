"""Discovery parsers: sitemaps (index, urlset, news, gzip), RSS/Atom and section listings."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

from crawler.discover import likely_article_path, parse_document, parse_lastmod, unique_links

VN = timezone(timedelta(hours=7))


def test_sitemap_index_lists_child_sitemaps_with_lastmod() -> None:
    body = (
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://www.vietnam.vn/sitemap/sitemap-post/2025-05-12.xml</loc>"
        b"<lastmod>2025-05-12T04:40:00.000Z</lastmod></sitemap>"
        b"<sitemap><loc>https://www.vietnam.vn/news-sitemap.xml</loc></sitemap></sitemapindex>"
    )
    found = parse_document(body, "application/xml", "https://www.vietnam.vn/sitemap.xml")
    assert found.kind == "sitemap_index" and not found.pages
    assert [(link.url, link.lastmod) for link in found.follow] == [
        (
            "https://www.vietnam.vn/sitemap/sitemap-post/2025-05-12.xml",
            datetime(2025, 5, 12, 4, 40, tzinfo=UTC),
        ),
        ("https://www.vietnam.vn/news-sitemap.xml", None),
    ]


def test_gzipped_news_sitemap_gives_pages_with_publication_dates() -> None:
    body = gzip.compress(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        b"<url><loc>https://baohungyen.vn/tin-3179979.html</loc><news:news>"
        b"<news:publication_date>2025-03-17T14:34:00+07:00</news:publication_date>"
        b"</news:news></url></urlset>"
    )
    found = parse_document(
        body, "application/octet-stream", "https://baohungyen.vn/sitemap-news.xml.gz"
    )
    assert found.kind == "sitemap"
    [page] = found.pages
    assert page.url == "https://baohungyen.vn/tin-3179979.html"
    assert page.published == datetime(2025, 3, 17, 14, 34, tzinfo=VN) and page.lastmod is None


def test_rss_and_atom_items_are_discovered() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>a</title><link>https://baolamdong.vn/a-123456.html</link>"
        b"<pubDate>Mon, 17 Mar 2025 14:34:00 +0700</pubDate></item></channel></rss>"
    )
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b'<entry><title>b</title><link href="/b-654321.html"/><id>x</id>'
        b"<updated>2025-03-18T01:00:00Z</updated></entry></feed>"
    )
    from_rss = parse_document(rss, "text/xml", "https://baolamdong.vn/rss/home")
    from_atom = parse_document(atom, "application/atom+xml", "https://baolamdong.vn/feed")
    assert [(p.url, p.published) for p in from_rss.pages] == [
        ("https://baolamdong.vn/a-123456.html", datetime(2025, 3, 17, 7, 34, tzinfo=UTC))
    ]
    assert [p.url for p in from_atom.pages] == ["https://baolamdong.vn/b-654321.html"]


def test_listing_gives_links_and_the_next_page_resolved_against_the_page_not_base() -> None:
    html = """<html><head><base href="https://baohagiang.vn/static/">
    <link rel="alternate" type="application/rss+xml" href="/rss/home.rss"></head><body>
    <a class="title1" href="/xa-hoi/202503/ha-giang-abc1234/">A</a>
    <a class="title2" href="https://baohagiang.vn/xa-hoi/202503/ha-giang-abc1234/#comments">A again</a>
    <div class="paging pagination"><a href="/xa-hoi/trang-1/">1</a><a href="/xa-hoi/trang-2/">2</a>
    <a rel="next" href="/xa-hoi/trang-2/">Trang sau »</a></div></body></html>"""
    found = parse_document(html.encode(), "text/html", "https://baohagiang.vn/xa-hoi/")
    assert [p.url for p in found.pages] == ["https://baohagiang.vn/xa-hoi/202503/ha-giang-abc1234/"]
    assert [f.url for f in found.follow] == [
        "https://baohagiang.vn/xa-hoi/trang-2/",
        "https://baohagiang.vn/rss/home.rss",
    ]


def test_lastmod_forms() -> None:
    assert parse_lastmod("2025-03-17T07:34:00.000Z") == datetime(2025, 3, 17, 7, 34, tzinfo=UTC)
    # A bare date means "some time that day": its end, in Vietnamese time.
    assert parse_lastmod("2025-03-17") == datetime(2025, 3, 18, tzinfo=VN)
    assert parse_lastmod("2025-03-17T14:34:00") == datetime(2025, 3, 17, 14, 34, tzinfo=VN)
    assert parse_lastmod("Mon, 17 Mar 2025 07:34:00 GMT") == datetime(
        2025, 3, 17, 7, 34, tzinfo=UTC
    )
    assert parse_lastmod("yesterday-ish") is None


def test_generic_article_guess_skips_tags_search_and_video() -> None:
    assert likely_article_path("https://x.vn/ha-giang-phat-trien-du-lich-3179979.html")
    assert likely_article_path("https://x.vn/xa-hoi/202503/ha-giang-phat-trien-du-lich-abc1234/")
    assert not likely_article_path("https://x.vn/tag/ha-giang-phat-trien-du-lich/")
    assert not likely_article_path("https://x.vn/video/ha-giang-phat-trien-du-lich.html")
    assert not likely_article_path("https://x.vn/xa-hoi/")


def test_unique_links_keep_the_newest_dates() -> None:
    from crawler.discover import Link

    older, newer = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC)
    links = unique_links(
        [Link("https://a.vn/x", lastmod=older), Link("https://a.vn/x", lastmod=newer)]
    )
    assert links == [Link("https://a.vn/x", lastmod=newer)]
