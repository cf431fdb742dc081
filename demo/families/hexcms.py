"""The hex-id CMS (baohagiang.vn, and baolamdong.vn's older stories): articles at
`/<section>/<yyyymm>/<slug>-<hex id>/`, captions in tables, times as "HH:MM, DD/MM/YYYY"."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from demo.families.base import NewspaperFamily
from demo.markup import ad_slot, analytics, comment_box, esc, share_buttons, short_hash, slugify
from demo.profiles import DATELINE_ONLY_ARTICLE

if TYPE_CHECKING:
    from demo.corpus import CorpusArticle
    from demo.site import SiteBuilder

HEX_ARTICLE = re.compile(r"^/([a-z0-9-]+)/(\d{6})/([a-z0-9-]+)-([0-9a-f]{6,7})/$")


def fmt_hexcms(dt: datetime) -> str:
    return dt.strftime("%H:%M, %d/%m/%Y")


class HexCms(NewspaperFamily):
    name = "hexcms"
    latest_path = "/tin-moi/"
    article_pattern: ClassVar[re.Pattern[str]] = HEX_ARTICLE

    def section_slug(self, path: str, section: str) -> str:
        match = HEX_ARTICLE.match(path)
        return match.group(1) if match else slugify(section)

    def soft_404_path(self) -> str:
        return "/thoi-su/202503/bai-viet-da-go-0f0e0d1/"

    def section_path(self, slug: str, page: int, lang: str) -> tuple[str, str]:
        return (f"/{slug}/" if page == 1 else f"/{slug}/trang-{page}/"), ""

    def tag_path(self, host: str, slug: str, lang: str) -> str:
        return f"/tags/{slug}/"

    def image_url(self, a: CorpusArticle, i: int) -> str:
        dt = a.published + timedelta(seconds=17 * (i + 1))
        tenant = short_hash(a.host, n=32)
        return f"https://{a.host}/file/{tenant}/{dt:%m%Y}/{i + 1}_{dt:%Y%m%d%H%M%S}.jpg"

    def caption_block(self, img: str, caption: str) -> str:
        return (
            '<table class="image center"><tbody><tr><td>'
            f'<img src="{esc(img)}" alt="{esc(caption)}"></td></tr>'
            f'<tr><td class="image_desc">{esc(caption)}</td></tr></tbody></table>'
        )

    def planted_pitfalls(self, a: CorpusArticle) -> list[str]:
        # Only this family's page drops every date but the dateline in the body.
        return ["date_only_in_body"] if a.id == DATELINE_ONLY_ARTICLE else []

    def listing_item(self, i: int, a: CorpusArticle) -> str:
        cls = f"title{min(i + 1, 5)}"
        return (f'<div class="box-news"><a class="{cls}" href="{esc(a.url)}">{esc(a.title)}</a>'
                f'<span class="time">{fmt_hexcms(a.published)}</span><div class="desc">{esc(a.sapo)}</div></div>')  # fmt: skip

    def render_article(self, site: SiteBuilder, a: CorpusArticle) -> str:
        host = a.host
        dateline_only = a.id == DATELINE_ONLY_ARTICLE
        sec = f"https://{host}{site.section_path(host, a.section_slug)[0]}"
        tags = [(a.section, a.section_slug), (a.province, slugify(a.province))]
        tag_links = "".join(
            f'<a href="https://{host}{site.tag_path(host, s)}">{esc(n)}</a>' for n, s in tags
        )
        related = "".join(
            f'<li><a class="title3" href="{esc(u)}">{esc(t)}</a></li>' for u, t in site.related(a)
        )
        head = site.head(
            a,
            f"{a.title} - {site.profile(host).name} điện tử",
            a.url,
            "vi",
            "\n".join(
                [
                    site.article_ld(a, None if dateline_only else a.published.strftime("%Y-%m-%d")),
                    f'<base href="https://{host}/static/templates/version1/">',
                    '<link rel="stylesheet" href="css/style.css">',
                    f'<link rel="alternate" type="application/rss+xml" href="https://{host}/rss/home.rss">',
                    analytics("G-HEX0000001"),
                ]
            ),
        )
        author = (
            f'<p style="text-align: right;"><strong>{esc(a.author)}</strong></p>'
            if a.author
            else ""
        )
        time_shown = "" if dateline_only else f'<span class="time">{fmt_hexcms(a.published)}</span>'
        dateline = ""
        if dateline_only:
            place = a.province or site.profile(host).province
            dateline = (
                f"<p><em>{esc(place)}, ngày {a.published.day} tháng {a.published.month:02d} "
                f"năm {a.published.year}</em></p>\n"
            )
        main = (
            f'<div class="breadcrumb"><a href="https://{host}/">Trang chủ</a> » '
            f'<a class="title color1" href="{esc(sec)}">{esc(a.section)}</a></div>\n'
            f'<h1 class="title-detail">{esc(a.title)}</h1>\n'
            f'<div class="info-detail">{time_shown}'
            f'<span class="views">Lượt xem: {int(short_hash(a.id, n=3), 16)}</span></div>\n'
            f'<div class="desc">{esc(a.sapo)}</div>\n{ad_slot("detail-top")}\n'
            f'<div class="content-detail"><div class="td-post-content">\n{dateline}{site.body_html(a)}\n{author}\n</div></div>\n'
            f'<div class="tag_list"><span>Từ khóa: </span>{tag_links}</div>\n'
            f"{share_buttons(a.url, 'vi')}\n{comment_box('vi')}\n"
            f'<div class="box-related"><h3>Tin liên quan</h3><ul>{related}</ul></div>'
        )
        body = (
            f'<header id="header">{site.top_bar(host)}<div class="logo"><a href="https://{host}/">'
            f"{esc(site.profile(host).name)}</a></div>{site.nav(host)}</header>\n"
            f'<div class="container"><div class="main-detail">{main}</div>{site.most_read(host, "vi", a.id)}</div>\n'
            f"{site.footer(host)}"
        )
        return site.page("vi", head, body, "detail hexcms")
