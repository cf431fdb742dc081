"""www.vietnam.vn: translated copies of the papers' stories in several languages, one tree
per language (`/<lang>/...`), UTC times, daily sitemaps and a news sitemap, a feed per
language."""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from demo.families.base import SiteFamily
from demo.markup import UI, analytics, esc, share_buttons, short_hash, utc_z
from demo.profiles import SITES

if TYPE_CHECKING:
    from demo.corpus import CorpusArticle
    from demo.site import SiteBuilder

HOST = "www.vietnam.vn"


class VietnamVn(SiteFamily):
    name = "vietnamvn"
    search_path = "/search"
    multilingual = True
    serves_soft_404 = False

    def owns(self, host: str, path: str) -> bool:
        return host == HOST

    def soft_404_path(self) -> str:
        return "/bai-viet-da-go"

    def section_path(self, slug: str, page: int, lang: str) -> tuple[str, str]:
        base = f"/category/{slug}" if lang == "vi" else f"/{lang}/category/{slug}"
        return base, ("" if page == 1 else f"page={page}")

    def tag_path(self, host: str, slug: str, lang: str) -> str:
        return f"/tag/{slug}" if lang == "vi" else f"/{lang}/tag/{slug}"

    def image_url(self, a: CorpusArticle, i: int) -> str:
        dt = a.published + timedelta(seconds=17 * (i + 1))
        ms = int(dt.timestamp() * 1000)
        return f"https://vstatic.vietnam.vn/vietnam/resource/IMAGE/{dt:%Y/%m/%d}/{ms}-{short_hash(a.id, i)}.jpeg"

    def write_feeds(self, site: SiteBuilder, host: str) -> list[str]:
        feeds = []
        for lang in sorted({a.lang for a in site.by_host[host]}):
            path = "/sitemap.rss" if lang == "vi" else f"/{lang}/sitemap.rss"
            feeds.append(path)
            site.tree.put(host, path, site.rss(host, "Vietnam.vn", f"https://{host}/", site.host_lang(host, lang)[:20], lang),
                          kind="feed", ctype="application/rss+xml", modified=site.built_at)  # fmt: skip
        return feeds

    def sitemap_bucket(self, a: CorpusArticle) -> str:
        return f"{a.published:%Y-%m-%d}"

    def sitemap_path(self, bucket: str) -> str:
        return f"/sitemap/sitemap-post/{bucket}.xml"

    def sitemap_lastmod(self, a: CorpusArticle) -> str:
        return utc_z(a.published)

    def write_extra_sitemap(
        self, site: SiteBuilder, host: str, articles: list[CorpusArticle]
    ) -> tuple[str, str]:
        entries = [
            f"<url><loc>{esc(a.url)}</loc><news:news><news:publication><news:name>Vietnam.vn</news:name>"
            f"<news:language>{a.lang}</news:language></news:publication>"
            f"<news:publication_date>{utc_z(a.published)}</news:publication_date>"
            f"<news:title>{esc(a.title)}</news:title></news:news></url>"
            for a in articles[:20]
        ]
        site.tree.put(host, "/news-sitemap.xml", site.urlset(entries, news=True), kind="news_sitemap",
                      ctype="application/xml", modified=site.built_at, article_ids=[a.id for a in articles[:20]])  # fmt: skip
        return "/news-sitemap.xml", utc_z(articles[0].published)

    def robots_sitemaps(self, host: str) -> list[str]:
        return [f"https://{host}/sitemap.xml", f"https://{host}/news-sitemap.xml"]

    def render_article(self, site: SiteBuilder, a: CorpusArticle) -> str:
        host, lang = a.host, a.lang
        group = [a.original, *a.original.translations] if a.original else [a]
        copies = sorted((x for x in group if x.host == host), key=lambda x: x.lang)
        alternates = [
            f'<link rel="alternate" hreflang="{x.lang}" href="{esc(x.url)}">' for x in copies
        ]
        default = next((x for x in copies if x.lang == "en"), copies[0])
        alternates.append(f'<link rel="alternate" hreflang="x-default" href="{esc(default.url)}">')
        if site.unmarked:
            alternates = []
        extra_ld: dict[str, object] = {"publisher": {"@type": "Organization", "name": "Vietnam.vn"}}
        if a.translation_of and not site.unmarked:
            extra_ld["isBasedOn"] = a.translation_of
            source_site = SITES.get(urlsplit(a.translation_of).netloc)
            if source_site:
                extra_ld["sourceOrganization"] = {"@type": "Organization", "name": source_site.name}
        head = site.head(
            a,
            f"{a.title} - Vietnam.vn",
            a.url,
            lang,
            "\n".join(
                [
                    *alternates,
                    f'<meta property="article:published_time" content="{utc_z(a.published)}">',
                    site.article_ld(a, utc_z(a.published), **extra_ld),
                    analytics("G-VNVN000001"),
                ]
            ),
        )
        paragraphs = []
        for i, text in enumerate(a.paragraphs):
            source = re.match(r"^(.{1,12}?\s?[:：]\s?)(https?://\S+)$", text)
            if source and site.unmarked:
                pass  # an unmarked copy drops its "Source:" line
            elif source:
                label, url = source.groups()
                paragraphs.append(
                    f'<p class="source-link" style="text-align:right"><em>{esc(label)}'
                    f'<a href="{esc(url)}" rel="nofollow noopener">{esc(url)}</a></em></p>'
                )
            else:
                paragraphs.append(f"<p>{esc(text)}</p>")
            if i < len(a.captions):
                paragraphs.append(self.caption_block(site.image_url(a, i), a.captions[i]))
        related = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for u, t in site.related(a))
        category = site.section_path(host, a.section_slug, lang=lang)[0]
        main = (
            f'<div class="post-category"><a href="{category}">{esc(a.section)}</a></div>\n'
            f'<h1 class="post-title">{esc(a.title)}</h1>\n'
            f'<div class="post-meta"><time class="post-date" datetime="{utc_z(a.published)}">'
            f"{a.published.astimezone(UTC):%d/%m/%Y %H:%M} UTC</time></div>\n"
            f'<div class="post-sapo"><p><strong>{esc(a.sapo)}</strong></p></div>\n'
            f'<div class="post-content" id="post-content">\n{chr(10).join(paragraphs)}\n</div>\n'
            f"{share_buttons(a.url, lang)}\n"
            f'<div class="post-comment"><span class="comment-count">{esc(UI[lang]["comment"])} (0)</span></div>\n'
            f'<div class="related"><h3>{esc(UI[lang]["related"])}</h3><ul>{related}</ul></div>'
        )
        langs = "".join(
            f'<li><a hreflang="{code}" href="/{"" if code == "vi" else code}">{code.upper()}</a></li>'
            for code in ("vi", "en", "fr", "ru", "uk", "zh-cn")
        )
        body = (
            f'<header class="site-header">{site.top_bar(host)}<a class="logo" href="/">Vietnam.vn</a>'
            f'{site.nav(host, lang)}<div class="lang-switcher"><ul>{langs}</ul></div></header>\n'
            f'<main class="container"><article class="post-detail">{main}</article>{site.most_read(host, lang, a.id)}</main>\n'
            '<footer class="site-footer"><p>Vietnam.vn</p></footer>'
        )
        return site.page(lang, head, body, "post vietnamvn")
