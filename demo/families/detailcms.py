"""The 2025 detail CMS of baolamdong.vn: articles at `/<slug>-<6 digits>.html`, figures
with captions, times with "(GMT+7)", feeds at `/rss/<section>` (no extension) and two home
feeds."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from demo.families.base import NewspaperFamily
from demo.markup import WEEKDAYS_VI, analytics, comment_box, esc, share_buttons, short_hash, slugify

if TYPE_CHECKING:
    from demo.corpus import CorpusArticle
    from demo.site import SiteBuilder

DETAIL_ARTICLE = re.compile(r"^/([a-z0-9-]+)-(\d{6})\.html$")


def fmt_detailcms(dt: datetime) -> str:
    return f"{WEEKDAYS_VI[dt.weekday()]}, {dt.strftime('%d/%m/%Y %H:%M')} (GMT+7)"


class DetailCms(NewspaperFamily):
    name = "detailcms"
    latest_path = "/tin-tuc-24h"
    article_pattern: ClassVar[re.Pattern[str]] = DETAIL_ARTICLE
    home_feed_paths: ClassVar[tuple[str, ...]] = ("/rss/home.rss", "/rss/home")

    def section_feed_path(self, slug: str) -> str:
        return f"/rss/{slug}"

    def soft_404_path(self) -> str:
        return "/bai-viet-da-go-380001.html"

    def section_path(self, slug: str, page: int, lang: str) -> tuple[str, str]:
        return f"/{slug}", ("" if page == 1 else f"page={page}")

    def tag_path(self, host: str, slug: str, lang: str) -> str:
        return f"/tag/{slug}"

    def image_url(self, a: CorpusArticle, i: int) -> str:
        dt = a.published + timedelta(seconds=17 * (i + 1))
        return f"https://{a.host}/images/upload/{dt:%Y/%m/%d}/{short_hash(a.id, i)}.jpg"

    def render_article(self, site: SiteBuilder, a: CorpusArticle) -> str:
        host = a.host
        related = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for u, t in site.related(a))
        head = site.head(
            a,
            f"{a.title} - {site.profile(host).name}",
            a.url,
            "vi",
            "\n".join(
                [
                    f'<meta property="article:published_time" content="{a.published.isoformat()}">',
                    site.article_ld(a, a.published.isoformat()),
                    analytics("G-DETAIL0001"),
                ]
            ),
        )
        main = (
            f'<div class="detail-cate"><a href="{site.section_path(host, a.section_slug)[0]}">{esc(a.section)}</a></div>\n'
            f'<h1 class="detail-title">{esc(a.title)}</h1>\n'
            f'<div class="detail-meta"><span class="detail-time">{fmt_detailcms(a.published)}</span></div>\n'
            f'<h2 class="detail-sapo">{esc(a.sapo)}</h2>\n'
            f'<div class="detail-content">\n{site.body_html(a)}\n</div>\n'
            f'<p class="detail-author">{esc(a.author)}</p>\n'
            f'<div class="detail-tags"><a href="{site.tag_path(host, slugify(a.province))}">{esc(a.province)}</a></div>\n'
            f"{share_buttons(a.url, 'vi')}\n{comment_box('vi')}\n"
            f'<div class="related-news"><h3>Tin liên quan</h3><ul>{related}</ul></div>'
        )
        body = (
            f'<header id="header">{site.top_bar(host)}{site.nav(host)}</header>\n'
            f'<div class="container"><article class="detail">{main}</article>{site.most_read(host, "vi", a.id)}</div>\n'
            f"{site.footer(host)}"
        )
        return site.page("vi", head, body, "detail detailcms")
