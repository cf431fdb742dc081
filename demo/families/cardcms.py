"""The card CMS (baohungyen.vn): articles at `/<slug>-<7 digits>.html`, an AMP copy of
each under `/amp/`, naive local times in metadata, captions in "picture" tables."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from demo.families.base import NewspaperFamily
from demo.markup import WEEKDAYS_VI, analytics, comment_box, esc, share_buttons, short_hash, slugify

if TYPE_CHECKING:
    from demo.corpus import CorpusArticle
    from demo.site import SiteBuilder

CARD_ARTICLE = re.compile(r"^/([a-z0-9-]+)-(\d{7})\.html$")


def fmt_cardcms(dt: datetime) -> str:
    return f"{WEEKDAYS_VI[dt.weekday()]}, {dt.strftime('%d/%m/%Y %H:%M')}"


class CardCms(NewspaperFamily):
    name = "cardcms"
    search_path = "/search"
    latest_path = "/tin-moi-nhat"
    article_pattern: ClassVar[re.Pattern[str]] = CARD_ARTICLE

    def soft_404_path(self) -> str:
        return "/bai-viet-da-go-3100001.html"

    def section_path(self, slug: str, page: int, lang: str) -> tuple[str, str]:
        return (f"/{slug}" if page == 1 else f"/{slug}/p{page}"), ""

    def tag_path(self, host: str, slug: str, lang: str) -> str:
        return f"/tag/{slug}-{int(short_hash(host, slug, n=4), 16) % 9000 + 1000}.html"

    def image_url(self, a: CorpusArticle, i: int) -> str:
        dt = a.published + timedelta(seconds=17 * (i + 1))
        return f"https://media.{a.host}/upload/image/{dt:%Y%m}/medium/{short_hash(a.id, i, n=5)}_{dt:%Y%m%d%H%M%S}.jpg"

    def caption_block(self, img: str, caption: str) -> str:
        return (
            f'<table class="picture" align="center"><tbody><tr><td class="pic"><img src="{esc(img)}"></td></tr>'
            f'<tr><td class="caption">{esc(caption)}</td></tr></tbody></table>'
        )

    def listing_item(self, i: int, a: CorpusArticle) -> str:
        return (f'<article class="card"><div class="card-content"><a href="{esc(urlsplit(a.url).path)}">'
                f'{esc(a.title)}</a><p class="sapo">{esc(a.sapo)}</p></div></article>')  # fmt: skip

    def sitemap_lastmod(self, a: CorpusArticle) -> str:
        return f"{a.published:%Y-%m-%d}"

    def render_article(self, site: SiteBuilder, a: CorpusArticle) -> str:
        return self.render_page(site, a)

    def extra_pages(self, site: SiteBuilder, a: CorpusArticle, modified: datetime) -> None:
        site.tree.put(a.host, f"/amp{a.path}", self.render_page(site, a, amp=True), kind="duplicate",
                      modified=modified, article_id=a.id, canonical=a.url, pitfall="amp_copy")  # fmt: skip

    def render_page(self, site: SiteBuilder, a: CorpusArticle, amp: bool = False) -> str:
        host = a.host
        sec_path = site.section_path(host, a.section_slug)[0]
        naive = a.published.strftime("%Y-%m-%dT%H:%M:%S")
        extra = [
            f'<meta property="article:published_time" content="{naive}">',
            site.article_ld(a, naive, dateModified=naive),
        ]
        if not amp:
            extra += [
                f'<link rel="amphtml" href="https://{host}/amp{a.path}">',
                analytics("G-CARD000001"),
            ]
        head = site.head(
            a, f"{a.title} | {site.profile(host).name} điện tử", a.url, "vi", "\n".join(extra)
        )
        related = "".join(
            f'<article class="card"><div class="card-content"><a href="{esc(u)}">{esc(t)}</a></div></article>'
            for u, t in site.related(a)
        )
        topic_links = "".join(
            f'<a href="{site.tag_path(host, s)}">{esc(n)}</a>'
            for n, s in [(a.province, slugify(a.province)), (a.section, a.section_slug)]
        )
        main = (
            f'<div class="breadcrumbs"><ol class="breadcrumb"><li><a href="/">Trang chủ</a></li>'
            f'<li><a href="{sec_path}">{esc(a.section)}</a></li></ol></div>\n'
            f'<div class="content-article">\n<h1 class="name">{esc(a.title)}</h1>\n'
            f'<div class="meta"><span class="time">{fmt_cardcms(a.published)}</span> '
            f'<a href="#comment">Bình luận (0)</a></div>\n'
            f"{share_buttons(a.url, 'vi')}\n"
            f'<div class="summary"><strong>{esc(a.sapo)}</strong></div>\n'
            f'<div id="content-detail">\n{site.body_html(a)}\n</div>\n'
            f'<div class="pseudonym">{esc(a.author)}</div>\n'
            '<div class="print_page"><a href="javascript:window.print()">In bài viết</a></div>\n'
            f'<div class="topics">Chủ đề: {topic_links}</div>\n'
            f'<div class="relates"><h3>Tin liên quan</h3>{related}</div>\n{comment_box("vi")}\n</div>'
        )
        if amp:
            return (
                '<!doctype html>\n<html amp lang="vi">\n<head>\n'
                f'{head}\n<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
                "<style amp-boilerplate>body{visibility:hidden}</style>\n</head>\n<body>\n"
                f'<header class="amp-header"><a href="/">{esc(site.profile(host).name)}</a></header>\n{main}\n</body>\n</html>\n'
            )
        body = (
            f'<header id="header">{site.top_bar(host)}{site.nav(host)}</header>\n'
            f'<div class="container"><div class="col-main">{main}</div>{site.most_read(host, "vi", a.id)}</div>\n'
            f"{site.footer(host)}"
        )
        return site.page("vi", head, body, "detail cardcms")
