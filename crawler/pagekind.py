"""Is this page an article? The decision, from evidence on the page, in two steps.

Before the body is read (cheap, metadata only), a page is *not* an article when it says
so plainly:
- an error page: a "not found" headline or title, and no article declaration (soft 404s
  answer 200);
- a listing: `CollectionPage`, `SearchResultsPage`, `ItemList`... structured data and no
  article structured data;
- a search page: a search path or a search query in the URL.

After the body is read, the body decides, weighed against what the page declares:
- too little text (under MIN_BODY_CHARS) is never an article;
- a page that declares itself an article (`og:type=article`, Article/NewsArticle JSON-LD)
  with a real body is one;
- a page that declares something else (`og:type=website`, `noindex`) is an article only
  when its URL is shaped like an article's (a long slug, an id, a date, a query id) and
  not like a listing's (home, language root, tag, category, search, page N), and its
  body has prose, not just snippets;
- a page that declares nothing is an article unless its URL is shaped like a listing.

Real articles often lack metadata or carry the wrong `og:type`; listings on news sites
declare themselves `website` or `CollectionPage`. So missing evidence never rejects a
page with a body, and the URL shape only matters against a declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from lxml.html import HtmlElement

from crawler.htmltree import element_text
from crawler.pagemeta import LISTING_TYPES, PageMeta

# A page whose body has less text than this is not an article (hubs, stubs, error pages).
# Measured in Latin-script characters; a CJK character counts as three (see text_weight).
MIN_BODY_CHARS = 200
# A page that declares itself something other than an article needs this much prose
# (characters, and lines long enough to be sentences rather than headlines) to count.
DECLARED_OTHER_MIN_CHARS = 500
PROSE_LINE_CHARS = 80
DECLARED_OTHER_MIN_PROSE_LINES = 2
# An error headline is short: a longer one is a story that mentions "not found".
MAX_ERROR_HEADING_CHARS = 60

NOT_FOUND = re.compile(
    r"không tồn tại|không tìm thấy|đã bị gỡ|page not found|^\s*404\b|not found|"
    r"страница не найдена|сторінку не знайдено|页面未找到|ページが見つかりません",
    re.IGNORECASE,
)
SEARCH_PATH = re.compile(r"/(?:tim-kiem|search|tag|tags)(?:/|\?|$)", re.IGNORECASE)
_SEARCH_QUERY = re.compile(r"[?&](q|keyword|s)=")
# Path segments of listings wherever they sit ("/tag/x", "/category/x/", "/trang-2/")...
_LISTING_SEGMENT = re.compile(
    r"^(?:tags?|category|categories|chu-de|chuyen-muc|topics?|author|authors|tac-gia|"
    r"search|tim-kiem|page|trang-\d+|p\d+)$",
    re.IGNORECASE,
)
# ...and ones that are listings only as the last segment ("/tin-moi/" is a listing,
# "/tin-moi/202507/<slug>-83102d4/" an article filed under it).
_LISTING_LAST_SEGMENT = re.compile(
    r"^(?:latest|tin-moi|tin-moi-nhat|tin-tuc|video|videos|multimedia|rss|archives?)$",
    re.IGNORECASE,
)
_LANGUAGE_SEGMENT = re.compile(r"^[a-z]{2}(?:-[a-z]{2,4})?$", re.IGNORECASE)
_ID_IN_SEGMENT = re.compile(r"\d{5,}|[0-9a-f]{6,8}$|-\d{3,}(?:\.\w+)?$", re.IGNORECASE)
_DATE_IN_PATH = re.compile(r"/(?:19|20)\d{2}[/-]?(?:0[1-9]|1[0-2])(?:[/-]?\d{2})?(?:/|$)")
_ID_QUERY_KEYS = frozenset({"id", "idx", "p", "article", "articleid", "newsid", "story", "aid"})
_SLUG_WORDS = 4


@dataclass(frozen=True)
class Verdict:
    article: bool
    reason: str


def _segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.split("/") if s]


def url_looks_like_listing(url: str) -> bool:
    """Home, a language root, tag/category/search/latest pages, or page 2 and beyond."""
    parts = urlsplit(url)
    segments = _segments(url)
    if not segments and not parts.query:
        return True
    if len(segments) == 1 and _LANGUAGE_SEGMENT.match(segments[0]) and not parts.query:
        return True
    if any(_LISTING_SEGMENT.match(s.rsplit(".", 1)[0]) for s in segments):
        return True
    if segments and _LISTING_LAST_SEGMENT.match(segments[-1].rsplit(".", 1)[0]):
        return True
    for key, value in parse_qsl(parts.query):
        if key.lower() == "page" and value.isdigit() and int(value) > 1:
            return True
    return False


def url_looks_like_article(url: str) -> bool:
    """A long slug, an id, a date in the path, or an id in the query."""
    parts = urlsplit(url)
    segments = _segments(url)
    if _DATE_IN_PATH.search(parts.path):
        return True
    for key, value in parse_qsl(parts.query):
        if key.lower() in _ID_QUERY_KEYS and value.isdigit():
            return True
    for segment in segments[-2:]:
        stem = segment.rsplit(".", 1)[0] if "." in segment else segment
        if _ID_IN_SEGMENT.search(stem):
            return True
        if len(re.split(r"[-_+]", stem)) >= _SLUG_WORDS:
            return True
    return False


def is_error_page(tree: HtmlElement, page: PageMeta) -> bool:
    """A short "not found" headline or title on a page that does not declare an article."""
    if page.declares_article:
        return False
    for element in (tree.find(".//h1"), tree.find(".//title")):
        if element is None:
            continue
        text = element_text(element)
        if text and len(text) <= MAX_ERROR_HEADING_CHARS and NOT_FOUND.search(text):
            return True
    return False


def judge_declared(tree: HtmlElement, page: PageMeta, url: str) -> Verdict | None:
    """The metadata-only step: a reason the page is not an article, or None to read on."""
    if is_error_page(tree, page):
        return Verdict(False, "error page")
    if page.article_ld is None and page.ld_types & LISTING_TYPES:
        return Verdict(False, "listing (structured data)")
    if SEARCH_PATH.search(urlsplit(url).path) or _SEARCH_QUERY.search(url):
        return Verdict(False, "search or tag page")
    return None


def judge_body(page: PageMeta, url: str, paragraphs: list[str], weight: int) -> Verdict:
    """The body step (see the module notes); `weight` is the body's text weight."""
    if weight < MIN_BODY_CHARS:
        return Verdict(False, f"no real body ({weight} characters)")
    if page.declares_article:
        return Verdict(True, "declared article")
    declared_other = bool(page.og_type) or "noindex" in (page.first("robots") or "").lower()
    if not declared_other:
        if url_looks_like_listing(url):
            return Verdict(False, "undeclared page at a listing URL")
        return Verdict(True, "undeclared page with a body")
    prose_lines = sum(1 for p in paragraphs if len(p) >= PROSE_LINE_CHARS)
    if (
        url_looks_like_article(url)
        and not url_looks_like_listing(url)
        and weight >= DECLARED_OTHER_MIN_CHARS
        and prose_lines >= DECLARED_OTHER_MIN_PROSE_LINES
    ):
        return Verdict(True, "article URL and prose body")
    return Verdict(False, f"declared {page.og_type or 'noindex'} without article evidence")
