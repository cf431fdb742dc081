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
import html
import json
import logging
import re
import shutil
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from facts.vietnam_time import VIETNAM_TZ

logger = logging.getLogger(__name__)

DEFAULT_CORPUS = Path(__file__).with_name("corpus.jsonl")
META_DIR = "_meta"
ROUTES_FILE = "routes.json"
PAGES_FILE = "pages.json"
WEEKDAYS_VI = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
WINDOWS_1258_ARTICLE = "hg-03"
# Hex-id CMS pages answer under any section segment; this one is linked under another.
SECOND_SECTION_ARTICLE = ("hg-04", "thoi-su-chinh-tri")
# The paper's former URL scheme (section "tin-tuc", no trailing slash): 301 -> 301 -> page.
LEGACY_CHAIN_ARTICLE = ("ld-04", "tin-tuc")
# The headline was edited after the feed went out; the old slug answers 302.
OLD_SLUG_ARTICLE = ("hy-02", "hung-yen-ty-le-ho-so-truc-tuyen-dat-76")
# UTF-8 bytes and <meta charset="utf-8">, but the HTTP header names another charset.
WRONG_CHARSET_ARTICLE = ("hy-03-ru", "iso-8859-1")
# A 2025-CMS page carrying its client-side state inline, about this many bytes of it.
LARGE_PAGE_ARTICLE = "ld-06"
LARGE_PAGE_BYTES = 3_000_000
# No date in metadata, byline, feed or sitemap: only "<province>, ngày D tháng MM năm Y".
DATELINE_ONLY_ARTICLE = "ld-05"
LISTING_PAGE_SIZE = 3
LATEST_PATHS = {"hexcms": "/tin-moi/", "cardcms": "/tin-moi-nhat", "detailcms": "/tin-tuc-24h"}


@dataclass(frozen=True)
class SiteProfile:
    """A host: its paper's name, the family of its current CMS and its province."""

    name: str
    family: str
    province: str
    initials: str = ""


SITES: dict[str, SiteProfile] = {
    "baolamdong.vn": SiteProfile("Báo Lâm Đồng", "detailcms", "Lâm Đồng", "LĐ"),
    "baohagiang.vn": SiteProfile("Báo Hà Giang", "hexcms", "Hà Giang", "BHG"),
    "baohungyen.vn": SiteProfile("Báo Hưng Yên", "cardcms", "Hưng Yên"),
    "www.vietnam.vn": SiteProfile("Vietnam.vn", "vietnamvn", ""),
}
# Hosts that serve the same tree as another host; `vietnam.vn` redirects instead.
ALIASES: dict[str, str] = {
    "www.baolamdong.vn": "baolamdong.vn",
    "www.baohagiang.vn": "baohagiang.vn",
    "www.baohungyen.vn": "baohungyen.vn",
}
REDIRECT_HOSTS: dict[str, str] = {"vietnam.vn": "www.vietnam.vn"}

UI: dict[str, dict[str, str]] = {
    "vi": {"home": "Trang chủ", "comment": "Bình luận", "related": "Tin liên quan",
           "most_read": "Đọc nhiều", "share": "Chia sẻ", "tags": "Từ khóa",
           "cookie": "Chúng tôi sử dụng cookie để cải thiện trải nghiệm của bạn.", "ok": "Đồng ý"},
    "en": {"home": "Home", "comment": "Comment", "related": "Related news",
           "most_read": "Most read", "share": "Share", "tags": "Tags",
           "cookie": "We use cookies to improve your experience.", "ok": "Accept"},
    "ru": {"home": "Главная", "comment": "Комментарий", "related": "Похожие новости",
           "most_read": "Самое читаемое", "share": "Поделиться", "tags": "Теги",
           "cookie": "Мы используем файлы cookie.", "ok": "Принять"},
    "uk": {"home": "Головна", "comment": "Коментар", "related": "Схожі новини",
           "most_read": "Найпопулярніше", "share": "Поділитися", "tags": "Теги",
           "cookie": "Ми використовуємо файли cookie.", "ok": "Прийняти"},
    "fr": {"home": "Accueil", "comment": "Commentaire", "related": "Articles liés",
           "most_read": "Les plus lus", "share": "Partager", "tags": "Mots-clés",
           "cookie": "Nous utilisons des cookies.", "ok": "Accepter"},
    "zh-cn": {"home": "首页", "comment": "评论", "related": "相关新闻", "most_read": "最多阅读",
              "share": "分享", "tags": "标签", "cookie": "我们使用 Cookie。", "ok": "同意"},
}  # fmt: skip

HEX_ARTICLE = re.compile(r"^/([a-z0-9-]+)/(\d{6})/([a-z0-9-]+)-([0-9a-f]{6,7})/$")
CARD_ARTICLE = re.compile(r"^/([a-z0-9-]+)-(\d{7})\.html$")
DETAIL_ARTICLE = re.compile(r"^/([a-z0-9-]+)-(\d{6})\.html$")


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def slugify(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def short_hash(*parts: object, n: int = 8) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:n]


def ld_json(obj: dict[str, Any]) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def utc_z(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC), usegmt=True)


def rss_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(VIETNAM_TZ))


def fmt_hexcms(dt: datetime) -> str:
    return dt.strftime("%H:%M, %d/%m/%Y")


def fmt_cardcms(dt: datetime) -> str:
    return f"{WEEKDAYS_VI[dt.weekday()]}, {dt.strftime('%d/%m/%Y %H:%M')}"


def fmt_detailcms(dt: datetime) -> str:
    return f"{WEEKDAYS_VI[dt.weekday()]}, {dt.strftime('%d/%m/%Y %H:%M')} (GMT+7)"


_CP1258_LETTER_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn


def encode_windows_1258(text: str) -> bytes:
    """Encode as windows-1258 writes Vietnamese: a base letter plus a combining tone mark."""
    out: list[bytes] = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], []
        for mark in decomposed[1:]:
            joined = unicodedata.normalize("NFC", base + mark)
            if mark in _CP1258_LETTER_MARKS and len(joined) == 1:
                try:
                    joined.encode("cp1258")
                    base = joined
                    continue
                except UnicodeEncodeError:
                    pass
            marks.append(mark)
        try:
            out.append((base + "".join(marks)).encode("cp1258"))
        except UnicodeEncodeError:
            out.append(ch.encode("ascii", "xmlcharrefreplace"))
    return b"".join(out)


@dataclass
class Article:
    """One corpus record, with what the site builder derives from its URL."""

    id: str
    url: str
    host: str
    path: str
    lang: str
    title: str
    sapo: str
    published: datetime
    author: str
    section: str
    section_slug: str
    paragraphs: list[str]
    captions: list[str]
    province: str
    family: str
    translation_of: str | None = None
    original: Article | None = None
    translations: list[Article] = field(default_factory=list)

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Article:
        parts = urlsplit(rec["url"])
        host, path = parts.netloc.lower(), parts.path
        if host == "www.vietnam.vn":
            family = "vietnamvn"
        elif HEX_ARTICLE.match(path):
            family = "hexcms"
        elif CARD_ARTICLE.match(path):
            family = "cardcms"
        elif DETAIL_ARTICLE.match(path):
            family = "detailcms"
        else:
            raise ValueError(f"{rec['id']}: URL {rec['url']!r} matches no site family")
        section = rec.get("section") or "Tin tức"
        hex_match = HEX_ARTICLE.match(path)
        section_slug = hex_match.group(1) if hex_match else slugify(section)
        return cls(
            id=rec["id"],
            url=rec["url"],
            host=host,
            path=path,
            lang=rec.get("lang") or "vi",
            title=rec["title"],
            sapo=rec.get("sapo") or "",
            published=datetime.fromisoformat(rec["published"]).astimezone(VIETNAM_TZ),
            author=rec.get("author") or "",
            section=section,
            section_slug=section_slug,
            paragraphs=list(rec["paragraphs"]),
            captions=list(rec.get("captions") or []),
            province=rec.get("province") or "",
            family=family,
            translation_of=rec.get("translation_of"),
        )

    @property
    def vnvn_slug(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def load_corpus(path: Path = DEFAULT_CORPUS) -> list[Article]:
    """Read the corpus and link every translation to its original."""
    articles = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    articles.append(Article.from_record(json.loads(line)))
                except (KeyError, ValueError) as exc:
                    raise ValueError(f"{path}:{lineno}: bad article record: {exc}") from exc
    by_url = {a.url: a for a in articles}
    for a in articles:
        if a.translation_of:
            original = by_url.get(a.translation_of)
            if original is None:
                logger.debug("%s: its original %s is not in the corpus", a.id, a.translation_of)
                continue
            a.original = original
            original.translations.append(a)
    return articles


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
        self.redirects: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.pages: list[dict[str, Any]] = []
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
        **info: Any,
    ) -> str:
        rel = self.file_for(path, query)
        target = self.out / host / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
        key = f"{path}?{query}" if query else path
        self.routes[host][key] = Route(rel, ctype, charset, status, http_date(modified))
        url = f"https://{host}{key}"
        self.pages.append({"url": url, "kind": kind, "status": status, **info})
        return url

    def redirect(
        self, host: str, path: str, location: str, *, status: int, kind: str, **info: Any
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


# ---------------------------------------------------------------------------------------
# Noise shared by every family
# ---------------------------------------------------------------------------------------
def analytics(tag: str) -> str:
    return (
        f'<script async src="https://www.googletagmanager.com/gtag/js?id={tag}"></script>\n'
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        f"gtag('js',new Date());gtag('config','{tag}');</script>"
    )


def ad_slot(zone: str) -> str:
    return (
        f'<div class="banner-ads" data-zone="{esc(zone)}"><script>(function(){{document.write('
        f'\'<div class="ads-inner" data-z="{esc(zone)}"><\\/div>\');}})();</script></div>'
    )


def share_buttons(url: str, lang: str) -> str:
    u = quote(url, safe="")
    return (
        f'<div class="social box-share"><span>{esc(UI[lang]["share"])}:</span>'
        f'<a class="share-fb" rel="nofollow" href="https://www.facebook.com/sharer/sharer.php?u={u}">Facebook</a>'
        f'<div class="zalo-share-button" data-href="{esc(url)}" data-layout="1"></div>'
        f'<a class="share-x" rel="nofollow" href="https://twitter.com/intent/tweet?url={u}">X</a></div>'
    )


def comment_box(lang: str) -> str:
    return (
        f'<div class="box-comment" id="comment"><div class="comment-count">{esc(UI[lang]["comment"])} (0)</div>'
        '<form method="post" action="/api/comment"><textarea name="content"></textarea>'
        '<input name="fullname" placeholder="Họ tên"><button type="submit">Gửi</button></form></div>'
    )


def cookie_banner(lang: str) -> str:
    return (
        f'<div id="cookie-consent" class="cookie-banner" role="dialog"><p>{esc(UI[lang]["cookie"])}</p>'
        f'<button type="button" onclick="this.parentNode.remove()">{esc(UI[lang]["ok"])}</button></div>'
    )


def caption_block(family: str, img: str, caption: str) -> str:
    """An image with its caption, the way each family marks captions up."""
    if family == "hexcms":
        return (
            '<table class="image center"><tbody><tr><td>'
            f'<img src="{esc(img)}" alt="{esc(caption)}"></td></tr>'
            f'<tr><td class="image_desc">{esc(caption)}</td></tr></tbody></table>'
        )
    if family == "cardcms":
        return (
            f'<table class="picture" align="center"><tbody><tr><td class="pic"><img src="{esc(img)}"></td></tr>'
            f'<tr><td class="caption">{esc(caption)}</td></tr></tbody></table>'
        )
    return f'<figure class="image"><img src="{esc(img)}" alt=""><figcaption>{esc(caption)}</figcaption></figure>'


# ---------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------
class SiteBuilder:
    def __init__(self, articles: list[Article], out: Path, today: date) -> None:
        self.articles = articles
        self.tree = Tree(out)
        self.today = today
        self.built_at = datetime(today.year, today.month, today.day, 6, 0, tzinfo=VIETNAM_TZ)
        self.by_host: dict[str, list[Article]] = defaultdict(list)
        for a in sorted(articles, key=lambda x: x.published, reverse=True):
            self.by_host[a.host].append(a)

    # ----- URL schemes ---------------------------------------------------------------
    def soft_404_path(self, host: str) -> str:
        family = SITES[host].family
        if family == "hexcms":
            return "/thoi-su/202503/bai-viet-da-go-0f0e0d1/"
        if family == "cardcms":
            return "/bai-viet-da-go-3100001.html"
        if family == "detailcms":
            return "/bai-viet-da-go-380001.html"
        return "/bai-viet-da-go"

    def section_path(
        self, host: str, slug: str, page: int = 1, lang: str = "vi"
    ) -> tuple[str, str]:
        """(path, query) of a section listing page; each family paginates its own way."""
        family = SITES[host].family
        if family == "hexcms":
            return (f"/{slug}/" if page == 1 else f"/{slug}/trang-{page}/"), ""
        if family == "cardcms":
            return (f"/{slug}" if page == 1 else f"/{slug}/p{page}"), ""
        if family == "vietnamvn":
            base = f"/category/{slug}" if lang == "vi" else f"/{lang}/category/{slug}"
            return base, ("" if page == 1 else f"page={page}")
        return f"/{slug}", ("" if page == 1 else f"page={page}")

    def tag_path(self, host: str, slug: str, lang: str = "vi") -> str:
        family = SITES[host].family
        if family == "hexcms":
            return f"/tags/{slug}/"
        if family == "cardcms":
            return f"/tag/{slug}-{int(short_hash(host, slug, n=4), 16) % 9000 + 1000}.html"
        if family == "vietnamvn":
            return f"/tag/{slug}" if lang == "vi" else f"/{lang}/tag/{slug}"
        return f"/tag/{slug}"

    def image_url(self, a: Article, i: int) -> str:
        dt = a.published + timedelta(seconds=17 * (i + 1))
        if a.family == "hexcms":
            tenant = short_hash(a.host, n=32)
            return f"https://{a.host}/file/{tenant}/{dt:%m%Y}/{i + 1}_{dt:%Y%m%d%H%M%S}.jpg"
        if a.family == "cardcms":
            return f"https://media.{a.host}/upload/image/{dt:%Y%m}/medium/{short_hash(a.id, i, n=5)}_{dt:%Y%m%d%H%M%S}.jpg"
        if a.family == "vietnamvn":
            ms = int(dt.timestamp() * 1000)
            return f"https://vstatic.vietnam.vn/vietnam/resource/IMAGE/{dt:%Y/%m/%d}/{ms}-{short_hash(a.id, i)}.jpeg"
        return f"https://{a.host}/images/upload/{dt:%Y/%m/%d}/{short_hash(a.id, i)}.jpg"

    def host_lang(self, host: str, lang: str) -> list[Article]:
        return [a for a in self.by_host[host] if host != "www.vietnam.vn" or a.lang == lang]

    # ----- page pieces -----------------------------------------------------------------
    def top_bar(self, host: str) -> str:
        today = f"{WEEKDAYS_VI[self.today.weekday()]}, {self.today:%d/%m/%Y}"
        search = "/search" if SITES[host].family in ("cardcms", "vietnamvn") else "/tim-kiem"
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

    def related(self, a: Article) -> list[tuple[str, str]]:
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
        self, a: Article | None, title: str, canonical: str, lang: str, extra: str = ""
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

    def body_html(self, a: Article, paragraph: str = "<p>{}</p>") -> str:
        """Paragraphs with the captioned images placed after the first paragraphs."""
        blocks = []
        for i, text in enumerate(a.paragraphs):
            blocks.append(paragraph.format(esc(text)))
            if i < len(a.captions):
                blocks.append(caption_block(a.family, self.image_url(a, i), a.captions[i]))
        return "\n".join(blocks)

    def footer(self, host: str) -> str:
        return (
            f'<footer id="footer"><p><strong>{esc(SITES[host].name.upper())} ĐIỆN TỬ</strong></p>'
            "<p>Giấy phép hoạt động báo điện tử số 000/GP-BTTTT. Ghi rõ nguồn khi phát hành lại thông tin.</p>"
            f'<a href="https://{host}/rss/home.rss">RSS</a></footer>'
        )

    def article_ld(self, a: Article, published: str | None, **extra: Any) -> str:
        obj: dict[str, Any] = {
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
    def render_hexcms(self, a: Article) -> str:
        host = a.host
        dateline_only = a.id == DATELINE_ONLY_ARTICLE
        sec = f"https://{host}{self.section_path(host, a.section_slug)[0]}"
        tags = [(a.section, a.section_slug), (a.province, slugify(a.province))]
        tag_links = "".join(
            f'<a href="https://{host}{self.tag_path(host, s)}">{esc(n)}</a>' for n, s in tags
        )
        related = "".join(
            f'<li><a class="title3" href="{esc(u)}">{esc(t)}</a></li>' for u, t in self.related(a)
        )
        head = self.head(
            a,
            f"{a.title} - {SITES[host].name} điện tử",
            a.url,
            "vi",
            "\n".join(
                [
                    self.article_ld(a, None if dateline_only else a.published.strftime("%Y-%m-%d")),
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
            place = a.province or SITES[host].province
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
            f'<div class="content-detail"><div class="td-post-content">\n{dateline}{self.body_html(a)}\n{author}\n</div></div>\n'
            f'<div class="tag_list"><span>Từ khóa: </span>{tag_links}</div>\n'
            f"{share_buttons(a.url, 'vi')}\n{comment_box('vi')}\n"
            f'<div class="box-related"><h3>Tin liên quan</h3><ul>{related}</ul></div>'
        )
        body = (
            f'<header id="header">{self.top_bar(host)}<div class="logo"><a href="https://{host}/">'
            f"{esc(SITES[host].name)}</a></div>{self.nav(host)}</header>\n"
            f'<div class="container"><div class="main-detail">{main}</div>{self.most_read(host, "vi", a.id)}</div>\n'
            f"{self.footer(host)}"
        )
        return self.page("vi", head, body, "detail hexcms")

    def render_cardcms(self, a: Article, amp: bool = False) -> str:
        host = a.host
        sec_path = self.section_path(host, a.section_slug)[0]
        naive = a.published.strftime("%Y-%m-%dT%H:%M:%S")
        extra = [
            f'<meta property="article:published_time" content="{naive}">',
            self.article_ld(a, naive, dateModified=naive),
        ]
        if not amp:
            extra += [
                f'<link rel="amphtml" href="https://{host}/amp{a.path}">',
                analytics("G-CARD000001"),
            ]
        head = self.head(
            a, f"{a.title} | {SITES[host].name} điện tử", a.url, "vi", "\n".join(extra)
        )
        related = "".join(
            f'<article class="card"><div class="card-content"><a href="{esc(u)}">{esc(t)}</a></div></article>'
            for u, t in self.related(a)
        )
        topic_links = "".join(
            f'<a href="{self.tag_path(host, s)}">{esc(n)}</a>'
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
            f'<div id="content-detail">\n{self.body_html(a)}\n</div>\n'
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
                f'<header class="amp-header"><a href="/">{esc(SITES[host].name)}</a></header>\n{main}\n</body>\n</html>\n'
            )
        body = (
            f'<header id="header">{self.top_bar(host)}{self.nav(host)}</header>\n'
            f'<div class="container"><div class="col-main">{main}</div>{self.most_read(host, "vi", a.id)}</div>\n'
            f"{self.footer(host)}"
        )
        return self.page("vi", head, body, "detail cardcms")

    def render_detailcms(self, a: Article) -> str:
        host = a.host
        related = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for u, t in self.related(a))
        head = self.head(
            a,
            f"{a.title} - {SITES[host].name}",
            a.url,
            "vi",
            "\n".join(
                [
                    f'<meta property="article:published_time" content="{a.published.isoformat()}">',
                    self.article_ld(a, a.published.isoformat()),
                    analytics("G-DETAIL0001"),
                ]
            ),
        )
        main = (
            f'<div class="detail-cate"><a href="{self.section_path(host, a.section_slug)[0]}">{esc(a.section)}</a></div>\n'
            f'<h1 class="detail-title">{esc(a.title)}</h1>\n'
            f'<div class="detail-meta"><span class="detail-time">{fmt_detailcms(a.published)}</span></div>\n'
            f'<h2 class="detail-sapo">{esc(a.sapo)}</h2>\n'
            f'<div class="detail-content">\n{self.body_html(a)}\n</div>\n'
            f'<p class="detail-author">{esc(a.author)}</p>\n'
            f'<div class="detail-tags"><a href="{self.tag_path(host, slugify(a.province))}">{esc(a.province)}</a></div>\n'
            f"{share_buttons(a.url, 'vi')}\n{comment_box('vi')}\n"
            f'<div class="related-news"><h3>Tin liên quan</h3><ul>{related}</ul></div>'
        )
        body = (
            f'<header id="header">{self.top_bar(host)}{self.nav(host)}</header>\n'
            f'<div class="container"><article class="detail">{main}</article>{self.most_read(host, "vi", a.id)}</div>\n'
            f"{self.footer(host)}"
        )
        return self.page("vi", head, body, "detail detailcms")

    def render_vietnamvn(self, a: Article) -> str:
        host, lang = a.host, a.lang
        group = [a.original, *a.original.translations] if a.original else [a]
        copies = sorted((x for x in group if x.host == host), key=lambda x: x.lang)
        alternates = [
            f'<link rel="alternate" hreflang="{x.lang}" href="{esc(x.url)}">' for x in copies
        ]
        default = next((x for x in copies if x.lang == "en"), copies[0])
        alternates.append(f'<link rel="alternate" hreflang="x-default" href="{esc(default.url)}">')
        extra_ld: dict[str, Any] = {"publisher": {"@type": "Organization", "name": "Vietnam.vn"}}
        if a.translation_of:
            extra_ld["isBasedOn"] = a.translation_of
            source_site = SITES.get(urlsplit(a.translation_of).netloc)
            if source_site:
                extra_ld["sourceOrganization"] = {"@type": "Organization", "name": source_site.name}
        head = self.head(
            a,
            f"{a.title} - Vietnam.vn",
            a.url,
            lang,
            "\n".join(
                [
                    *alternates,
                    f'<meta property="article:published_time" content="{utc_z(a.published)}">',
                    self.article_ld(a, utc_z(a.published), **extra_ld),
                    analytics("G-VNVN000001"),
                ]
            ),
        )
        paragraphs = []
        for i, text in enumerate(a.paragraphs):
            source = re.match(r"^(.{1,12}?\s?[:：]\s?)(https?://\S+)$", text)
            if source:
                label, url = source.groups()
                paragraphs.append(
                    f'<p class="source-link" style="text-align:right"><em>{esc(label)}'
                    f'<a href="{esc(url)}" rel="nofollow noopener">{esc(url)}</a></em></p>'
                )
            else:
                paragraphs.append(f"<p>{esc(text)}</p>")
            if i < len(a.captions):
                paragraphs.append(caption_block("vietnamvn", self.image_url(a, i), a.captions[i]))
        related = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for u, t in self.related(a))
        category = self.section_path(host, a.section_slug, lang=lang)[0]
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
            f'<header class="site-header">{self.top_bar(host)}<a class="logo" href="/">Vietnam.vn</a>'
            f'{self.nav(host, lang)}<div class="lang-switcher"><ul>{langs}</ul></div></header>\n'
            f'<main class="container"><article class="post-detail">{main}</article>{self.most_read(host, lang, a.id)}</main>\n'
            '<footer class="site-footer"><p>Vietnam.vn</p></footer>'
        )
        return self.page(lang, head, body, "post vietnamvn")

    def render_article(self, a: Article) -> str:
        renderer = {
            "hexcms": self.render_hexcms,
            "cardcms": self.render_cardcms,
            "detailcms": self.render_detailcms,
            "vietnamvn": self.render_vietnamvn,
        }[a.family]
        return renderer(a)

    # ----- listings -----------------------------------------------------------------------
    def listing_items(self, host: str, items: list[Article]) -> str:
        family = SITES[host].family
        out = []
        for i, a in enumerate(items):
            if family == "hexcms":
                cls = f"title{min(i + 1, 5)}"
                out.append(f'<div class="box-news"><a class="{cls}" href="{esc(a.url)}">{esc(a.title)}</a>'
                           f'<span class="time">{fmt_hexcms(a.published)}</span><div class="desc">{esc(a.sapo)}</div></div>')  # fmt: skip
            elif family == "cardcms":
                out.append(f'<article class="card"><div class="card-content"><a href="{esc(urlsplit(a.url).path)}">'
                           f'{esc(a.title)}</a><p class="sapo">{esc(a.sapo)}</p></div></article>')  # fmt: skip
            else:
                out.append(f'<div class="news-item"><h3><a href="{esc(a.url)}">{esc(a.title)}</a></h3>'
                           f'<p class="sapo">{esc(a.sapo)}</p></div>')  # fmt: skip
        return "\n".join(out)

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
        langs = sorted({a.lang for a in self.by_host[host]}) if host == "www.vietnam.vn" else ["vi"]
        for lang in langs:
            articles = self.host_lang(host, lang)
            home = "/" if lang == "vi" else f"/{lang}"
            self.tree.put(host, home, self.listing_page(host, lang, UI[lang]["home"], f"https://{host}{home}",
                                                        self.listing_items(host, articles[:10]), ""),
                          kind="home", modified=self.built_at)  # fmt: skip
            latest = LATEST_PATHS.get(SITES[host].family)
            if latest:
                self.tree.put(host, latest, self.listing_page(host, lang, "Tin mới nhất", f"https://{host}{latest}",
                                                              self.listing_items(host, articles[:10]), ""),
                              kind="listing", modified=self.built_at, page=1)  # fmt: skip
            sections: dict[str, list[Article]] = defaultdict(list)
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
    def rss(self, host: str, title: str, link: str, items: list[Article], lang: str) -> str:
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
        feeds = []
        family = SITES[host].family
        if family == "vietnamvn":
            for lang in sorted({a.lang for a in self.by_host[host]}):
                path = "/sitemap.rss" if lang == "vi" else f"/{lang}/sitemap.rss"
                feeds.append(path)
                self.tree.put(host, path, self.rss(host, "Vietnam.vn", f"https://{host}/", self.host_lang(host, lang)[:20], lang),
                              kind="feed", ctype="application/rss+xml", modified=self.built_at)  # fmt: skip
            return feeds
        articles = self.by_host[host]
        homes = ["/rss/home.rss", "/rss/home"] if family == "detailcms" else ["/rss/home.rss"]
        for path in homes:
            feeds.append(path)
            self.tree.put(host, path, self.rss(host, SITES[host].name, f"https://{host}/", articles[:8], "vi"),
                          kind="feed", ctype="application/rss+xml", modified=self.built_at)  # fmt: skip
        for slug in sorted({a.section_slug for a in articles}):
            path = f"/rss/{slug}" if family == "detailcms" else f"/rss/{slug}.rss"
            feeds.append(path)
            items = [a for a in articles if a.section_slug == slug]
            self.tree.put(host, path, self.rss(host, SITES[host].name, f"https://{host}/", items, "vi"),
                          kind="feed", ctype="application/rss+xml", modified=self.built_at)  # fmt: skip
        return feeds

    @staticmethod
    def urlset(entries: list[str], news: bool = False) -> str:
        ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>\n'
            + "\n".join(entries)
            + "\n</urlset>\n"
        )

    def write_sitemaps(self, host: str) -> None:
        family = SITES[host].family
        articles = self.by_host[host]
        children: list[tuple[str, str]] = []
        buckets: dict[str, list[Article]] = defaultdict(list)
        for a in articles:
            key = f"{a.published:%Y-%m-%d}" if family == "vietnamvn" else f"{a.published:%Y-%m}"
            buckets[key].append(a)

        def lastmod(a: Article) -> str:
            if family == "vietnamvn":
                return utc_z(a.published)
            if family == "cardcms":
                return f"{a.published:%Y-%m-%d}"
            return a.published.isoformat()

        for key, items in sorted(buckets.items(), reverse=True):
            path = (
                f"/sitemap/sitemap-post/{key}.xml"
                if family == "vietnamvn"
                else f"/sitemaps/articles-{key}.xml"
            )
            entries = [
                f"<url><loc>{esc(a.url)}</loc><lastmod>{lastmod(a)}</lastmod></url>"
                if a.id != DATELINE_ONLY_ARTICLE
                else f"<url><loc>{esc(a.url)}</loc></url>"
                for a in items
            ]
            self.tree.put(host, path, self.urlset(entries), kind="sitemap", ctype="application/xml",
                          modified=self.built_at, article_ids=[a.id for a in items])  # fmt: skip
            children.append((path, lastmod(max(items, key=lambda x: x.published))))
        if family == "vietnamvn":
            entries = [
                f"<url><loc>{esc(a.url)}</loc><news:news><news:publication><news:name>Vietnam.vn</news:name>"
                f"<news:language>{a.lang}</news:language></news:publication>"
                f"<news:publication_date>{utc_z(a.published)}</news:publication_date>"
                f"<news:title>{esc(a.title)}</news:title></news:news></url>"
                for a in articles[:20]
            ]
            self.tree.put(host, "/news-sitemap.xml", self.urlset(entries, news=True), kind="news_sitemap",
                          ctype="application/xml", modified=self.built_at, article_ids=[a.id for a in articles[:20]])  # fmt: skip
            children.append(("/news-sitemap.xml", utc_z(articles[0].published)))
        else:
            sections = sorted({a.section_slug for a in articles})
            entries = [
                f"<url><loc>https://{host}{self.section_path(host, s)[0]}</loc></url>"
                for s in sections
            ]
            self.tree.put(host, "/sitemaps/categories.xml", self.urlset(entries), kind="sitemap",
                          ctype="application/xml", modified=self.built_at, article_ids=[])  # fmt: skip
            children.append(("/sitemaps/categories.xml", self.built_at.isoformat()))
        index = "".join(
            f"<sitemap><loc>https://{host}{p}</loc><lastmod>{m}</lastmod></sitemap>\n"
            for p, m in children
        )
        self.tree.put(host, "/sitemap.xml",
                      '<?xml version="1.0" encoding="UTF-8"?>\n'
                      f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{index}</sitemapindex>\n',
                      kind="sitemap_index", ctype="application/xml", modified=self.built_at)  # fmt: skip

    def write_robots(self, host: str) -> None:
        search = "/search" if SITES[host].family in ("cardcms", "vietnamvn") else "/tim-kiem"
        text = (
            "User-agent: *\n"
            f"Disallow: {search}\n"
            "Disallow: /api/\n"
            "Disallow: /print/\n"
            "Allow: /\n\n"
            "User-agent: GPTBot\nDisallow: /\n\n"
            f"Sitemap: https://{host}/sitemap.xml\n"
        )
        if SITES[host].family == "vietnamvn":
            text += f"Sitemap: https://{host}/news-sitemap.xml\n"
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
    def _hex_path_under(a: Article, planted: tuple[str, str], tail: str) -> str | None:
        """`a`'s hex-id CMS path under the planted section, when `a` is the planted article."""
        article_id, section = planted
        match = HEX_ARTICLE.match(a.path)
        if a.id != article_id or not match:
            return None
        _, month, slug, hex_id = match.groups()
        return f"/{section}/{month}/{slug}-{hex_id}{tail}"

    def second_section_path(self, a: Article) -> str | None:
        return self._hex_path_under(a, SECOND_SECTION_ARTICLE, "/")

    def legacy_path(self, a: Article) -> str | None:
        return self._hex_path_under(a, LEGACY_CHAIN_ARTICLE, "")

    def old_slug_path(self, a: Article) -> str | None:
        match = CARD_ARTICLE.match(a.path)
        if a.id != OLD_SLUG_ARTICLE[0] or not match:
            return None
        return f"/{OLD_SLUG_ARTICLE[1]}-{match.group(2)}.html"

    def feed_link(self, a: Article) -> str:
        """The URL the feeds give for `a`: its own, or the stale one planted on it."""
        stale = self.second_section_path(a) or self.legacy_path(a) or self.old_slug_path(a)
        return f"https://{a.host}{stale}" if stale else a.url

    @staticmethod
    def state_script(a: Article, size: int) -> str:
        """An inline client-side state of about `size` bytes, as single-page CMSs ship it:
        the story itself plus a long cache of other (invented) items."""
        story = {"id": a.id, "title": a.title, "sapo": a.sapo, "body": a.paragraphs}
        cache: list[dict[str, Any]] = []
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

    def write_article(self, a: Article) -> None:
        """The article page, and the duplicates and redirects planted on it."""
        page = self.render_article(a)
        modified = a.published + timedelta(minutes=30)
        pitfalls: list[str] = []
        charset = "utf-8"
        info: dict[str, Any] = {}
        if a.id == LARGE_PAGE_ARTICLE:
            page = page.replace("</head>", f"{self.state_script(a, LARGE_PAGE_BYTES)}\n</head>", 1)
            pitfalls.append("very_large_page")
        if a.id == DATELINE_ONLY_ARTICLE and a.family == "hexcms":
            pitfalls.append("date_only_in_body")
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
                          article_id=a.id, pitfalls=pitfalls, **info)  # fmt: skip
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
            if a.family == "cardcms":
                self.tree.put(a.host, f"/amp{a.path}", self.render_cardcms(a, amp=True), kind="duplicate",
                              modified=modified, article_id=a.id, canonical=a.url, pitfall="amp_copy")  # fmt: skip
        for host in SITES:
            if not self.by_host[host]:
                continue
            self.write_listings(host)
            self.write_feeds(host)
            self.write_sitemaps(host)
            self.write_robots(host)
            if host != "www.vietnam.vn":
                self.write_soft_404(host)
        self.tree.finish()
        return self.tree


def site_fingerprint(corpus: Path = DEFAULT_CORPUS) -> str:
    """What a built tree depends on: this renderer and the corpus."""
    digest = hashlib.sha1(Path(__file__).read_bytes())
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
    return built == site_fingerprint(corpus)


def build_site(
    out: Path, corpus: Path = DEFAULT_CORPUS, today: date | None = None, force: bool = True
) -> Tree:
    """Render `corpus` into `out` (replacing what is there when `force`)."""
    articles = load_corpus(corpus)
    unknown = sorted({a.host for a in articles} - set(SITES))
    if unknown:
        raise ValueError(f"corpus uses hosts with no site profile: {', '.join(unknown)}")
    if out.exists():
        if not force:
            raise FileExistsError(f"{out} exists; pass --force to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    builder = SiteBuilder(articles, out, today or datetime.now(VIETNAM_TZ).date())
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
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        tree = build_site(args.out, args.corpus, args.today)
    except (OSError, ValueError) as exc:
        logger.error("%s", exc)
        return 1
    kinds: dict[str, int] = defaultdict(int)
    for p in tree.pages:
        kinds[p["kind"]] += 1
    print(
        f"{len(tree.pages)} pages in {args.out}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
