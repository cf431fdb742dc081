"""Render the demo corpus as a static copy of the provincial newspapers and www.vietnam.vn.

`python -m demo.site --out DIR [--corpus FILE] [--today YYYY-MM-DD]` writes one folder per
host (`DIR/baolamdong.vn/...`) plus `DIR/_meta/routes.json` (host -> path[?query] -> file,
content type, charset, status, last modified) for `demo.serve`, and `DIR/_meta/pages.json`
(every URL with its kind: article, duplicate, soft_404, listing, tag, feed, sitemap, ...).

Each article is rendered in the markup of its site family (see docs on the sites): the
hex-id CMS, the card CMS (with an AMP copy), the 2025 detail CMS of baolamdong.vn, and
vietnam.vn's translated copies. Pages carry the noise of the real sites (menus, a top bar
showing today's date, "most read" boxes, share buttons, comment forms, cookie banners,
scripts) and planted pitfalls, each on one corpus article whose text and URL stay as they
are: a tag page, a soft 404, an AMP duplicate, tracking parameters on links, one page
encoded in windows-1258 declared only by <meta>, an article also served under a second
section path, a legacy URL reaching an article through two 301s, an old slug answered with
a 302, a UTF-8 page served with `charset=iso-8859-1`, a page of about 3 MB (an inline state
blob) and an article dated only by a dateline in its body. The feeds link the second
section path, the legacy URL and the old slug, as feeds written before a change do.
Pages keep the real absolute URLs (https://baolamdong.vn/...).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import shutil
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from demo.corpus import DEFAULT_CORPUS, CorpusArticle, load_corpus
from demo.families import SiteFamily, family_named
from demo.families.cardcms import CARD_ARTICLE
from demo.families.hexcms import HEX_ARTICLE
from demo.markup import (
    UI,
    WEEKDAYS_VI,
    ad_slot,
    analytics,
    cookie_banner,
    encode_windows_1258,
    esc,
    http_date,
    ld_json,
    rss_date,
    short_hash,
    slugify,
)
from demo.profiles import (
    ALIASES,
    DATELINE_ONLY_ARTICLE,
    LARGE_PAGE_ARTICLE,
    LARGE_PAGE_BYTES,
    LEGACY_CHAIN_ARTICLE,
    LISTING_PAGE_SIZE,
    OLD_SLUG_ARTICLE,
    REDIRECT_HOSTS,
    SECOND_SECTION_ARTICLE,
    SITES,
    WINDOWS_1258_ARTICLE,
    WRONG_CHARSET_ARTICLE,
    SiteProfile,
)
from facts.vietnam_time import VIETNAM_TZ

logger = logging.getLogger(__name__)

# A value recorded about a page in pages.json (its article, pitfalls, canonical, page number...).
PageInfo = str | int | list[str] | None

META_DIR = "_meta"
ROUTES_FILE = "routes.json"
PAGES_FILE = "pages.json"

__all__ = [
    "DATELINE_ONLY_ARTICLE",
    "DEFAULT_CORPUS",
    "LARGE_PAGE_ARTICLE",
    "LARGE_PAGE_BYTES",
    "LEGACY_CHAIN_ARTICLE",
    "META_DIR",
    "OLD_SLUG_ARTICLE",
    "PAGES_FILE",
    "ROUTES_FILE",
    "SECOND_SECTION_ARTICLE",
    "SITES",
    "WINDOWS_1258_ARTICLE",
    "WRONG_CHARSET_ARTICLE",
    "CorpusArticle",
    "SiteBuilder",
    "Tree",
    "build_site",
    "is_current",
    "load_corpus",
    "main",
]


@dataclass
class Route:
    file: str
    type: str
    charset: str | None
    status: int
    last_modified: str


class Tree:
    """Writes files under the output folder and records the route table and page kinds."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.routes: dict[str, dict[str, Route]] = defaultdict(dict)
        self.redirects: dict[str, dict[str, dict[str, str | int]]] = defaultdict(dict)
        self.pages: list[dict[str, PageInfo]] = []
        self.fingerprint = ""

    @staticmethod
    def file_for(path: str, query: str) -> str:
        rel = path.lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        elif "." not in rel.rsplit("/", 1)[-1]:
            rel += "/index.html"
        if query:
            stem, _, ext = rel.rpartition(".")
            rel = f"{stem}__{re.sub(r'[^A-Za-z0-9=-]+', '_', query)}.{ext}"
        return rel

    def put(
        self,
        host: str,
        path: str,
        body: str | bytes,
        *,
        kind: str,
        ctype: str = "text/html",
        charset: str | None = "utf-8",
        status: int = 200,
        modified: datetime,
        query: str = "",
        details: Mapping[str, PageInfo] | None = None,
        **info: PageInfo,
    ) -> str:
        """Write a page; `info` and `details` are recorded with it in pages.json."""
        rel = self.file_for(path, query)
        target = self.out / host / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
        key = f"{path}?{query}" if query else path
        self.routes[host][key] = Route(rel, ctype, charset, status, http_date(modified))
        url = f"https://{host}{key}"
        self.pages.append({"url": url, "kind": kind, "status": status, **info, **(details or {})})
        return url

    def redirect(
        self, host: str, path: str, location: str, *, status: int, kind: str, **info: PageInfo
    ) -> str:
        """A path answered with `status` and `Location: location` (an absolute URL)."""
        self.redirects[host][path] = {"status": status, "location": location}
        url = f"https://{host}{path}"
        self.pages.append(
            {"url": url, "kind": kind, "status": status, "location": location, **info}
        )
        return url

    def finish(self) -> None:
        meta = self.out / META_DIR
        meta.mkdir(parents=True, exist_ok=True)
        routes = {
            "hosts": {
                h: {k: vars(r) for k, r in sorted(v.items())} for h, v in self.routes.items()
            },
            "redirects": {h: dict(sorted(v.items())) for h, v in self.redirects.items()},
            "aliases": ALIASES,
            "redirect_hosts": REDIRECT_HOSTS,
            "fingerprint": self.fingerprint,
        }
        (meta / ROUTES_FILE).write_text(json.dumps(routes, ensure_ascii=False, indent=1), "utf-8")
        (meta / PAGES_FILE).write_text(
            json.dumps(self.pages, ensure_ascii=False, indent=1), "utf-8"
        )


class SiteBuilder:
    """Renders every page of the demo sites. What differs between template families is
    asked of the family (`demo.families`): the article's own for its page, the host's for
    the host's listings, feeds and sitemaps."""

    def __init__(
        self, articles: list[CorpusArticle], out: Path, today: date, unmarked: bool = False
    ) -> None:
        self.articles = articles
        # vietnam.vn copies that name no original (no hreflang, JSON-LD or "Source:" line),
        # as many real ones do: the crawler then links them by content.
        self.unmarked = unmarked
        self.tree = Tree(out)
        self.today = today
        self.built_at = datetime(today.year, today.month, today.day, 6, 0, tzinfo=VIETNAM_TZ)
        self.by_host: dict[str, list[CorpusArticle]] = defaultdict(list)
        for a in sorted(articles, key=lambda x: x.published, reverse=True):
            self.by_host[a.host].append(a)

    # ----- families ---------------------------------------------------------------------
    @staticmethod
    def profile(host: str) -> SiteProfile:
        return SITES[host]

    @staticmethod
    def host_family(host: str) -> SiteFamily:
        """The family of the host's current CMS (its listings, feeds and sitemaps)."""
        return family_named(SITES[host].family)

    @staticmethod
    def family_of(a: CorpusArticle) -> SiteFamily:
        """The family whose URL `a` has (it renders `a`'s page)."""
        return family_named(a.family)

    # ----- URL schemes ---------------------------------------------------------------
    def soft_404_path(self, host: str) -> str:
        return self.host_family(host).soft_404_path()

    def section_path(
        self, host: str, slug: str, page: int = 1, lang: str = "vi"
    ) -> tuple[str, str]:
        """(path, query) of a section listing page, in the host's scheme."""
        return self.host_family(host).section_path(slug, page, lang)

    def tag_path(self, host: str, slug: str, lang: str = "vi") -> str:
        return self.host_family(host).tag_path(host, slug, lang)

    def image_url(self, a: CorpusArticle, i: int) -> str:
        return self.family_of(a).image_url(a, i)

    def host_lang(self, host: str, lang: str) -> list[CorpusArticle]:
        multilingual = self.host_family(host).multilingual
        return [a for a in self.by_host[host] if not multilingual or a.lang == lang]

    # ----- page pieces -----------------------------------------------------------------
    def top_bar(self, host: str) -> str:
        today = f"{WEEKDAYS_VI[self.today.weekday()]}, {self.today:%d/%m/%Y}"
        search = self.host_family(host).search_path
        return (
            f'<div class="topbar"><span id="datenow" class="date-now">{today}</span>'
            f'<form class="search" action="https://{host}{search}" method="get"><input name="q"></form>'
            '<a class="hotline" href="tel:02633822000">Đường dây nóng</a></div>'
        )

    def nav(self, host: str, lang: str = "vi") -> str:
        sections: dict[str, str] = {}
        for a in self.host_lang(host, lang):
            sections.setdefault(a.section_slug, a.section)
        items = "".join(
            f'<li><a href="https://{host}{self.section_path(host, s, lang=lang)[0]}">{esc(n)}</a></li>'
            for s, n in sections.items()
        )
        home = "/" if lang == "vi" else f"/{lang}"
        return (
            f'<nav class="main-menu"><ul><li class="home"><a href="https://{host}{home}">{esc(UI[lang]["home"])}</a></li>'
            f'{items}<li><a href="https://{host}/video/">Video</a></li></ul></nav>'
        )

    def most_read(self, host: str, lang: str, exclude: str = "") -> str:
        """The sidebar: popular stories, plus a removed story (soft 404) and a dead link."""
        picks = [a for a in self.host_lang(host, lang) if a.id != exclude][:4]
        links = [(a.url, a.title) for a in picks]
        links.append((f"https://{host}{self.soft_404_path(host)}", "Tin nổi bật đã được gỡ"))
        links.append((f"https://{host}/tin-cu-{short_hash(host, n=6)}.html", "Tin cũ"))
        items = "".join(
            f'<li><a class="title5" href="{esc(u)}">{esc(t)}</a></li>' for u, t in links
        )
        return (
            f'<aside class="sidebar"><div class="box-most-read"><h3>{esc(UI[lang]["most_read"])}</h3>'
            f"<ol>{items}</ol></div>{ad_slot('sidebar-300x600')}</aside>"
        )

    def related(self, a: CorpusArticle) -> list[tuple[str, str]]:
        """Related links; the first one carries a tracking parameter, as shared links do."""
        same = [x for x in self.host_lang(a.host, a.lang) if x.id != a.id]
        same.sort(
            key=lambda x: (x.section_slug != a.section_slug, abs((x.published - a.published).days))
        )
        out = [(x.url, x.title) for x in same[:3]]
        if out:
            out[0] = (out[0][0] + "?utm_source=zalo&utm_medium=share", out[0][1])
        return out

    def head(
        self, a: CorpusArticle | None, title: str, canonical: str, lang: str, extra: str = ""
    ) -> str:
        desc = a.sapo if a else title
        og = "article" if a else "website"
        image = f'<meta property="og:image" content="{esc(self.image_url(a, 0))}">' if a else ""
        return (
            f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n"
            f'<meta name="description" content="{esc(desc)}">\n'
            f'<link rel="canonical" href="{esc(canonical)}">\n'
            f'<meta property="og:type" content="{og}">\n<meta property="og:title" content="{esc(title)}">\n'
            f'<meta property="og:url" content="{esc(canonical)}">\n{image}\n{extra}'
        )

    @staticmethod
    def page(lang: str, head: str, body: str, body_class: str) -> str:
        html_lang = "zh-CN" if lang == "zh-cn" else lang
        return (
            f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n{head}\n</head>\n'
            f'<body class="{body_class}">\n{body}\n{cookie_banner(lang)}\n</body>\n</html>\n'
        )

    def body_html(self, a: CorpusArticle, paragraph: str = "<p>{}</p>") -> str:
        """Paragraphs with the captioned images placed after the first paragraphs."""
        blocks = []
        for i, text in enumerate(a.paragraphs):
            blocks.append(paragraph.format(esc(text)))
            if i < len(a.captions):
                blocks.append(self.family_of(a).caption_block(self.image_url(a, i), a.captions[i]))
        return "\n".join(blocks)

    def footer(self, host: str) -> str:
        return (
            f'<footer id="footer"><p><strong>{esc(SITES[host].name.upper())} ĐIỆN TỬ</strong></p>'
            "<p>Giấy phép hoạt động báo điện tử số 000/GP-BTTTT. Ghi rõ nguồn khi phát hành lại thông tin.</p>"
            f'<a href="https://{host}/rss/home.rss">RSS</a></footer>'
        )

    def article_ld(self, a: CorpusArticle, published: str | None, **extra: object) -> str:
        obj: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.title,
            "description": a.sapo,
            "inLanguage": a.lang,
            "author": {"@type": "Person", "name": a.author},
            "mainEntityOfPage": a.url,
            "publisher": {"@type": "Organization", "name": SITES[a.host].name},
        }
        if published is not None:
            obj["datePublished"] = published
        obj.update(extra)
        return ld_json(obj)

    # ----- article pages --------------------------------------------------------------------
    def render_article(self, a: CorpusArticle) -> str:
        return self.family_of(a).render_article(self, a)

    # ----- listings -----------------------------------------------------------------------
    def listing_items(self, host: str, items: list[CorpusArticle]) -> str:
        family = self.host_family(host)
        return "\n".join(family.listing_item(i, a) for i, a in enumerate(items))

    def listing_page(
        self, host: str, lang: str, title: str, canonical: str, items: str, pager: str
    ) -> str:
        head = self.head(
            None, f"{title} - {SITES[host].name}", canonical, lang, analytics("G-LIST000001")
        )
        body = (
            f'<header id="header">{self.top_bar(host)}{self.nav(host, lang)}</header>\n'
            f'<div class="container"><div class="col-main"><h1 class="cate-title">{esc(title)}</h1>\n'
            f'{items}\n<div class="pagination">{pager}</div></div>{self.most_read(host, lang)}</div>\n'
            f"{self.footer(host)}"
        )
        return self.page(lang, head, body, "listing")

    def write_listings(self, host: str) -> None:
        family = self.host_family(host)
        langs = sorted({a.lang for a in self.by_host[host]}) if family.multilingual else ["vi"]
        for lang in langs:
            articles = self.host_lang(host, lang)
            home = "/" if lang == "vi" else f"/{lang}"
            self.tree.put(host, home, self.listing_page(host, lang, UI[lang]["home"], f"https://{host}{home}",
                                                        self.listing_items(host, articles[:10]), ""),
                          kind="home", modified=self.built_at)  # fmt: skip
            latest = family.latest_path
            if latest:
                self.tree.put(host, latest, self.listing_page(host, lang, "Tin mới nhất", f"https://{host}{latest}",
                                                              self.listing_items(host, articles[:10]), ""),
                              kind="listing", modified=self.built_at, page=1)  # fmt: skip
            sections: dict[str, list[CorpusArticle]] = defaultdict(list)
            for a in articles:
                sections[a.section_slug].append(a)
            for slug, items in sections.items():
                pages = [
                    items[i : i + LISTING_PAGE_SIZE]
                    for i in range(0, len(items), LISTING_PAGE_SIZE)
                ]
                for n, chunk in enumerate(pages, 1):
                    path, query = self.section_path(host, slug, n, lang)
                    pager = " ".join(
                        f'<a class="page{" active" if k == n else ""}" href="{esc(self._href(host, slug, k, lang))}">{k}</a>'
                        for k in range(1, len(pages) + 1)
                    )
                    if n < len(pages):
                        pager += f' <a class="next" rel="next" href="{esc(self._href(host, slug, n + 1, lang))}">Trang sau</a>'
                    self.tree.put(host, path, self.listing_page(host, lang, items[0].section, self._href(host, slug, n, lang),
                                                                self.listing_items(host, chunk), pager),
                                  kind="listing", query=query, modified=self.built_at, page=n)  # fmt: skip
            province = next((a.province for a in articles if a.province), SITES[host].province)
            tag = slugify(province)
            tagged = [a for a in articles if a.province == province]
            self.tree.put(host, self.tag_path(host, tag, lang),
                          self.listing_page(host, lang, province, f"https://{host}{self.tag_path(host, tag, lang)}",
                                            self.listing_items(host, tagged), ""),
                          kind="tag", modified=self.built_at)  # fmt: skip

    def _href(self, host: str, slug: str, page: int, lang: str) -> str:
        path, query = self.section_path(host, slug, page, lang)
        return f"https://{host}{path}" + (f"?{query}" if query else "")

    # ----- feeds, sitemaps, robots ------------------------------------------------------------
    def rss(self, host: str, title: str, link: str, items: list[CorpusArticle], lang: str) -> str:
        entries = "".join(
            f"<item><title>{esc(a.title)}</title><link>{esc(self.feed_link(a))}</link>"
            f'<guid isPermaLink="true">{esc(self.feed_link(a))}</guid><description>{esc(a.sapo)}</description>'
            + (
                ""
                if a.id == DATELINE_ONLY_ARTICLE
                else f"<pubDate>{rss_date(a.published)}</pubDate>"
            )
            + "</item>\n"
            for a in items
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{esc(title)}</title><link>{esc(link)}</link><language>{lang}</language>\n{entries}</channel></rss>\n"
        )

    def write_feeds(self, host: str) -> list[str]:
        return self.host_family(host).write_feeds(self, host)

    @staticmethod
    def urlset(entries: list[str], news: bool = False) -> str:
        ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>\n'
            + "\n".join(entries)
            + "\n</urlset>\n"
        )

    def write_sitemaps(self, host: str) -> None:
        family = self.host_family(host)
        articles = self.by_host[host]
        children: list[tuple[str, str]] = []
        buckets: dict[str, list[CorpusArticle]] = defaultdict(list)
        for a in articles:
            buckets[family.sitemap_bucket(a)].append(a)
        for key, items in sorted(buckets.items(), reverse=True):
            path = family.sitemap_path(key)
            entries = [
                f"<url><loc>{esc(a.url)}</loc><lastmod>{family.sitemap_lastmod(a)}</lastmod></url>"
                if a.id != DATELINE_ONLY_ARTICLE
                else f"<url><loc>{esc(a.url)}</loc></url>"
                for a in items
            ]
            self.tree.put(host, path, self.urlset(entries), kind="sitemap", ctype="application/xml",
                          modified=self.built_at, article_ids=[a.id for a in items])  # fmt: skip
            newest = max(items, key=lambda x: x.published)
            children.append((path, family.sitemap_lastmod(newest)))
        children.append(family.write_extra_sitemap(self, host, articles))
        index = "".join(
            f"<sitemap><loc>https://{host}{p}</loc><lastmod>{m}</lastmod></sitemap>\n"
            for p, m in children
        )
        self.tree.put(host, "/sitemap.xml",
                      '<?xml version="1.0" encoding="UTF-8"?>\n'
                      f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{index}</sitemapindex>\n',
                      kind="sitemap_index", ctype="application/xml", modified=self.built_at)  # fmt: skip

    def write_robots(self, host: str) -> None:
        family = self.host_family(host)
        text = (
            "User-agent: *\n"
            f"Disallow: {family.search_path}\n"
            "Disallow: /api/\n"
            "Disallow: /print/\n"
            "Allow: /\n\n"
            "User-agent: GPTBot\nDisallow: /\n\n"
        ) + "".join(f"Sitemap: {url}\n" for url in family.robots_sitemaps(host))
        self.tree.put(
            host, "/robots.txt", text, kind="robots", ctype="text/plain", modified=self.built_at
        )

    def write_soft_404(self, host: str) -> None:
        head = self.head(None, "Bài viết không tồn tại", f"https://{host}/", "vi")
        body = (
            f'<header id="header">{self.top_bar(host)}{self.nav(host)}</header>\n'
            '<div class="container"><div class="notfound"><h1>Bài viết không tồn tại</h1>'
            "<p>Bài viết bạn tìm không tồn tại hoặc đã bị gỡ bỏ.</p>"
            f'<a href="https://{host}/">Về trang chủ</a></div>{self.most_read(host, "vi")}</div>\n{self.footer(host)}'
        )
        self.tree.put(host, self.soft_404_path(host), self.page("vi", head, body, "notfound"),
                      kind="soft_404", modified=self.built_at)  # fmt: skip

    # ----- planted pitfalls ------------------------------------------------------------------
    @staticmethod
    def _hex_path_under(a: CorpusArticle, planted: tuple[str, str], tail: str) -> str | None:
        """`a`'s hex-id CMS path under the planted section, when `a` is the planted article."""
        article_id, section = planted
        match = HEX_ARTICLE.match(a.path)
        if a.id != article_id or not match:
            return None
        _, month, slug, hex_id = match.groups()
        return f"/{section}/{month}/{slug}-{hex_id}{tail}"

    def second_section_path(self, a: CorpusArticle) -> str | None:
        return self._hex_path_under(a, SECOND_SECTION_ARTICLE, "/")

    def legacy_path(self, a: CorpusArticle) -> str | None:
        return self._hex_path_under(a, LEGACY_CHAIN_ARTICLE, "")

    def old_slug_path(self, a: CorpusArticle) -> str | None:
        match = CARD_ARTICLE.match(a.path)
        if a.id != OLD_SLUG_ARTICLE[0] or not match:
            return None
        return f"/{OLD_SLUG_ARTICLE[1]}-{match.group(2)}.html"

    def feed_link(self, a: CorpusArticle) -> str:
        """The URL the feeds give for `a`: its own, or the stale one planted on it."""
        stale = self.second_section_path(a) or self.legacy_path(a) or self.old_slug_path(a)
        return f"https://{a.host}{stale}" if stale else a.url

    @staticmethod
    def state_script(a: CorpusArticle, size: int) -> str:
        """An inline client-side state of about `size` bytes, as single-page CMSs ship it:
        the story itself plus a long cache of other (invented) items."""
        story = {"id": a.id, "title": a.title, "sapo": a.sapo, "body": a.paragraphs}
        cache: list[dict[str, object]] = []
        used = 0
        while used < size:
            n = len(cache)
            item = {
                "id": 380000 + n,
                "slug": f"tin-{short_hash(a.id, n, n=12)}",
                "title": f"Bản tin địa phương số {n}",
                "thumb": f"https://{a.host}/images/upload/{short_hash(a.id, n, 't')}.jpg",
                "html": "<p>" + short_hash(a.id, n, "body", n=40) * 4 + "</p>",
            }
            used += len(json.dumps(item, ensure_ascii=False)) + 1
            cache.append(item)
        state = json.dumps({"article": story, "cache": cache}, ensure_ascii=False)
        state = state.replace("</", "<\\/")  # no "</script>" inside the script
        return f"<script>window.__INITIAL_STATE__ = {state};</script>"

    def write_article(self, a: CorpusArticle) -> None:
        """The article page, and the duplicates and redirects planted on it."""
        page = self.render_article(a)
        modified = a.published + timedelta(minutes=30)
        pitfalls: list[str] = []
        charset = "utf-8"
        info: dict[str, PageInfo] = {}
        if a.id == LARGE_PAGE_ARTICLE:
            page = page.replace("</head>", f"{self.state_script(a, LARGE_PAGE_BYTES)}\n</head>", 1)
            pitfalls.append("very_large_page")
        pitfalls += self.family_of(a).planted_pitfalls(a)
        if a.id == WRONG_CHARSET_ARTICLE[0]:
            charset = WRONG_CHARSET_ARTICLE[1]
            pitfalls.append("wrong_charset_header")
            info = {"encoding": "utf-8", "http_charset": charset}
        if a.id == WINDOWS_1258_ARTICLE:
            page = page.replace(
                '<meta charset="utf-8">',
                '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">',
            )
            pitfalls.append("encoding_windows_1258")
            self.tree.put(a.host, a.path, encode_windows_1258(page), charset=None, kind="article",
                          modified=modified, article_id=a.id, encoding="windows-1258",
                          pitfalls=pitfalls)  # fmt: skip
        else:
            self.tree.put(a.host, a.path, page, charset=charset, kind="article", modified=modified,
                          article_id=a.id, pitfalls=pitfalls, details=info)  # fmt: skip
        second = self.second_section_path(a)
        if second:
            self.tree.put(a.host, second, page, kind="duplicate", modified=modified,
                          article_id=a.id, canonical=a.url, pitfall="second_section_path")  # fmt: skip
        legacy = self.legacy_path(a)
        if legacy:
            hop = f"https://{a.host}{a.path.rstrip('/')}"
            self.tree.redirect(a.host, legacy, hop, status=301, kind="redirect_chain",
                               article_id=a.id, target=a.url)  # fmt: skip
            self.tree.redirect(a.host, a.path.rstrip("/"), a.url, status=301, kind="redirect",
                               article_id=a.id, target=a.url)  # fmt: skip
        old_slug = self.old_slug_path(a)
        if old_slug:
            self.tree.redirect(a.host, old_slug, a.url, status=302, kind="redirect",
                               article_id=a.id, target=a.url)  # fmt: skip

    # ----- everything ----------------------------------------------------------------------
    def build(self) -> Tree:
        for a in self.articles:
            self.write_article(a)
            modified = a.published + timedelta(minutes=30)
            self.family_of(a).extra_pages(self, a, modified)
        for host in SITES:
            if not self.by_host[host]:
                continue
            self.write_listings(host)
            self.write_feeds(host)
            self.write_sitemaps(host)
            self.write_robots(host)
            if self.host_family(host).serves_soft_404:
                self.write_soft_404(host)
        self.tree.finish()
        return self.tree


# The renderer: every module whose code shapes a built page.
RENDERER_FILES = sorted(
    [
        *(
            Path(__file__).parent / name
            for name in ("site.py", "markup.py", "profiles.py", "corpus.py")
        ),
        *(Path(__file__).parent / "families").glob("*.py"),
    ]
)


def site_fingerprint(corpus: Path = DEFAULT_CORPUS) -> str:
    """What a built tree depends on: the renderer and the corpus."""
    digest = hashlib.sha1()
    for path in RENDERER_FILES:
        digest.update(path.read_bytes())
    digest.update(corpus.read_bytes())
    return digest.hexdigest()


def is_current(root: Path, corpus: Path = DEFAULT_CORPUS) -> bool:
    """True when `root` holds a tree built from `corpus` by this version of the renderer."""
    routes = root / META_DIR / ROUTES_FILE
    if not routes.is_file():
        return False
    try:
        built = json.loads(routes.read_text("utf-8")).get("fingerprint")
    except (OSError, ValueError):
        return False
    return isinstance(built, str) and built == site_fingerprint(corpus)


def build_site(
    out: Path,
    corpus: Path = DEFAULT_CORPUS,
    today: date | None = None,
    force: bool = True,
    *,
    unmarked_translations: bool = False,
) -> Tree:
    """Render `corpus` into `out` (replacing what is there when `force`);
    `unmarked_translations`: vietnam.vn copies name no original."""
    articles = load_corpus(corpus)
    unknown = sorted({a.host for a in articles} - set(SITES))
    if unknown:
        raise ValueError(f"corpus uses hosts with no site profile: {', '.join(unknown)}")
    if out.exists():
        if not force:
            raise FileExistsError(f"{out} exists; pass --force to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    builder = SiteBuilder(
        articles, out, today or datetime.now(VIETNAM_TZ).date(), unmarked_translations
    )
    builder.tree.fingerprint = site_fingerprint(corpus)
    tree = builder.build()
    logger.info("built %d pages for %d articles under %s", len(tree.pages), len(articles), out)
    return tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demo.site", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="output folder (replaced if it exists)"
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="articles JSONL")
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, help="date shown in the top bars"
    )
    parser.add_argument(
        "--unmarked-translations",
        action="store_true",
        help="vietnam.vn copies name no original (no hreflang, JSON-LD or Source: line)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        tree = build_site(
            args.out, args.corpus, args.today, unmarked_translations=args.unmarked_translations
        )
    except (OSError, ValueError) as exc:
        logger.error("%s", exc)
        return 1
    kinds: dict[str, int] = defaultdict(int)
    for p in tree.pages:
        kinds[str(p["kind"])] += 1
    print(
        f"{len(tree.pages)} pages in {args.out}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
