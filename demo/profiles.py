"""The demo's hosts and the pitfalls planted on its corpus: which paper each host is, which
template family renders it, and which corpus article carries which trap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FamilyName = Literal["hexcms", "cardcms", "detailcms", "vietnamvn"]


@dataclass(frozen=True)
class SiteProfile:
    """A host: its paper's name, the family of its current CMS and its province."""

    name: str
    family: FamilyName
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
