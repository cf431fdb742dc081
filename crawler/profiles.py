"""Where things sit on each site family's article pages (docs SITES.md).

A profile names CSS selectors (cssselect syntax, compiled once to XPath) for the title,
sapo, body, visible date, author, section and tags, plus what to cut out of the body. Several selectors per field
are tried in order. The family is recognised from the markup first (a site that changes
CMS keeps its host but not its markup), then from the host; anything else is read by the
generic reader (trafilatura, see `crawler.generic`). The provincial families are shared
CMSs and are recognised on any host; vietnam.vn's layout only on vietnam.vn or when a
sources file names it. Detection runs on the page's
shared lxml tree (`crawler.htmltree`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml.html import HtmlElement

from crawler.htmltree import has_match
from crawler.urls import site_of

FAMILIES = ("hexcms", "cardcms", "detailcms", "vietnamvn", "generic")


@dataclass(frozen=True)
class Profile:
    name: str
    title: tuple[str, ...] = ()
    sapo: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    # Cut from the body before it is read (share bars, related boxes, bylines kept apart).
    drop: tuple[str, ...] = ()
    # All must match for the markup to be recognised as this family.
    markers: tuple[str, ...] = ()
    hosts: frozenset[str] = field(default_factory=frozenset)
    # False for one site's own layout: recognised on its hosts (or when the sources file
    # names it), never from the markup of a page on another host.
    markup_anywhere: bool = True


HEXCMS = Profile(
    name="hexcms",
    title=("h1.title-detail", ".main-detail h1", "h1.title"),
    sapo=("div.desc", "h2.desc", "div.sapo"),
    body=("div.content-detail .td-post-content", "div.content-detail"),
    date=(".info-detail span.time", ".main-detail .time", ".date-detail"),
    section=("a.title.color1", "a.maincatetitle"),
    tags=("div.tag_list a",),
    drop=(".tag_list", ".box-share", ".box-related"),
    markers=("div.content-detail",),
    hosts=frozenset({"baohagiang.vn", "baothainguyen.vn", "baodaklak.vn", "baodongnai.com.vn"}),
)

CARDCMS = Profile(
    name="cardcms",
    title=(".content-article h1.name", "h1.name"),
    sapo=(".content-article .summary", ".summary", ".sapo"),
    body=(".content-article #content-detail", "#content-detail"),
    date=(".content-article .meta .time", ".content-article .time"),
    author=("div.pseudonym",),
    section=(".breadcrumbs ol.breadcrumb li:last-child a", "ol.breadcrumb li:last-child a"),
    tags=("div.topics a",),
    drop=("div.relates", "div.topics", "div.social", "div.print_page", "div.pseudonym"),
    # The class first: a page without it is ruled out before its ids are read.
    markers=("h1.name", "#content-detail"),
    hosts=frozenset({"baohungyen.vn", "baoquangninh.vn"}),
)

DETAILCMS = Profile(
    name="detailcms",
    title=("h1.detail-title",),
    sapo=(".detail-sapo",),
    body=(".detail-content",),
    date=(".detail-time", ".detail-meta time", ".detail-meta"),
    author=(".detail-author",),
    section=(".detail-cate a", ".detail-cate"),
    tags=(".detail-tags a",),
    drop=(".detail-author", ".detail-tags", ".related-news"),
    markers=(".detail-content", "h1.detail-title"),
    hosts=frozenset({"baonghean.vn", "baobacninhtv.vn"}),
)

VIETNAMVN = Profile(
    name="vietnamvn",
    title=("h1.post-title", "article h1"),
    sapo=(".post-sapo",),
    body=(".post-content", "#post-content"),
    date=("time.post-date", ".post-meta time"),
    author=(".post-author",),
    section=(".post-category a",),
    tags=(".post-tags a",),
    drop=(".post-author", ".post-tags", ".post-comment", ".related"),
    markers=(".post-content", "h1.post-title"),
    hosts=frozenset({"vietnam.vn"}),
    # Its class names are common blog-theme names: a blog elsewhere read with vietnam.vn's
    # selectors keeps in its body what vietnam.vn's cuts do not know (author boxes).
    markup_anywhere=False,
)

GENERIC = Profile(
    name="generic",
    title=("article h1", "h1"),
    sapo=(
        "[itemprop=description]",
        ".sapo",
        ".article-sapo",
        ".detail-sapo",
        ".article__sapo",
        ".lead",
        ".summary",
    ),
    body=(
        "[itemprop=articleBody]",
        ".article-body",
        ".article__body",
        ".article-content",
        ".entry-content",
        ".post-content",
        ".detail-content",
        ".content-detail",
        "#content-detail",
        ".fck_detail",
        ".cms-body",
    ),
    date=(),
    author=(".article-author", ".author", ".byline", "[rel=author]", "[itemprop=author]"),
    section=(),
    tags=(),
)

PROFILES: dict[str, Profile] = {p.name: p for p in (HEXCMS, CARDCMS, DETAILCMS, VIETNAMVN, GENERIC)}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(
            f"unknown extraction profile {name!r}; use one of: {', '.join(FAMILIES)}"
        ) from None


def markup_matches(tree: HtmlElement, profile: Profile) -> bool:
    return bool(profile.markers) and all(has_match(tree, sel) for sel in profile.markers)


def choose_profile(tree: HtmlElement, url: str, name: str | None) -> Profile:
    """The named profile, unless the page plainly has another family's markup.

    A sources file names one profile per site, but sites change CMS (baolamdong.vn moved
    from the hex-id CMS to the detail CMS in 2025); pages in the new markup are then read
    with the profile that fits them.
    """
    if not name:
        return detect_profile(tree, url)
    named = get_profile(name)
    if named is GENERIC or markup_matches(tree, named):
        return named
    detected = detect_profile(tree, url)
    return named if detected is GENERIC else detected


def detect_profile(tree: HtmlElement, url: str) -> Profile:
    """The family whose markup the page has; the host decides only when markup is ambiguous."""
    site = site_of(url)
    by_host = [p for p in (VIETNAMVN, CARDCMS, DETAILCMS, HEXCMS) if site in p.hosts]
    for profile in by_host:
        if markup_matches(tree, profile):
            return profile
    for profile in (VIETNAMVN, CARDCMS, DETAILCMS, HEXCMS):
        if profile.markup_anywhere and markup_matches(tree, profile):
            return profile
    return GENERIC
