"""The markup every demo site shares: escaping, slugs, dates as the papers write them,
and the noise of real pages (analytics, ads, share buttons, comment forms, cookie
banners), plus the interface labels in each language the sites serve."""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import quote

from facts.vietnam_time import VIETNAM_TZ

WEEKDAYS_VI = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]

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


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def slugify(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def short_hash(*parts: object, n: int = 8) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:n]


def ld_json(obj: dict[str, object]) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def utc_z(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC), usegmt=True)


def rss_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(VIETNAM_TZ))


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
