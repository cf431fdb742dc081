"""Article extraction: one fetched page in, one Article (or None) out. No I/O.

`extract(html, url)` reads a page with the profile of its site family (see
`crawler.profiles`) or, for layouts it has no profile for, with JSON-LD, Open Graph and a
main-text heuristic. It keeps the story and drops the rest:

- the body is the article's paragraphs in order; image captions go to `captions`, never
  into the body; share bars, related links, tag lists, comment counters, "Source: <URL>"
  lines (vietnam.vn translations) and standalone date lines are left out;
- the author comes from the layout's byline element, a right-aligned bold closing
  paragraph, or a credit line ("Tin và ảnh: ...", "Новости и фото: ..."), and leaves
  the body;
- the sapo keeps its wording, but a leading agency tag such as "BHG - " or "LĐ - " is
  dropped: it marks the paper, not the story, and the translations carry it as noise;
- the canonical URL is `rel=canonical` (or `og:url`) when it stays on the same site,
  otherwise the fetched URL, always passed through `canonicalize_url`;
- the publication date is chosen by `crawler.pubdate` from JSON-LD, meta tags, the
  layout's byline, the URL and body datelines, never from page chrome;
- `translation_of` is the original's canonical URL, from JSON-LD `isBasedOn`, a
  "Source: <URL>" line, or an `hreflang="vi"` alternate.

Pages that are not articles (tag and search pages, media hubs, soft 404s, pages with no
real body) give None.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from crawler.language import detect_language, normalize_lang
from crawler.models import Article
from crawler.profiles import GENERIC, VIETNAMVN, Profile, choose_profile
from crawler.pubdate import (
    DateCandidate,
    choose_published,
    date_from_image_url,
    date_from_url,
    find_date,
    parse_date_text,
    parse_iso,
)
from crawler.urls import canonicalize_url, resolve_url, site_of

logger = logging.getLogger(__name__)

# A page whose body has less text than this is not an article (hubs, stubs, error pages).
# Measured in Latin-script characters; a CJK character counts as three (see text_weight).
MIN_BODY_CHARS = 200
# A body where links carry more than this share of the text is a listing.
MAX_LINK_DENSITY = 0.5
# A container without article metadata holding this many headline-length links is a listing.
LISTING_MIN_HEADLINES = 4
HEADLINE_MIN_WORDS = 6
# Credits, source lines and datelines are looked for among this many closing paragraphs.
TAIL_PARAGRAPHS = 5
# A right-aligned bold closing paragraph longer than this is text, not a byline.
MAX_BYLINE_CHARS = 80
# An emphasised line under an image longer than this is story text, not a caption.
MAX_CAPTION_CHARS = 300

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "blogposting",
        "socialmediaposting",
        "scholarlyarticle",
        "report",
    }
)
LISTING_TYPES = frozenset(
    {"collectionpage", "searchresultspage", "itemlist", "profilepage", "videogallery"}
)

SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "ins",
        "video",
        "audio",
        "object",
        "embed",
        "canvas",
        "nav",
        "aside",
        "footer",
    }
)
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "table",
        "figure",
        "ul",
        "ol",
        "dl",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "center",
        "hr",
    }
)
LEAF_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "li", "dd", "dt"})
CAPTION_CLASSES = re.compile(
    r"(^|[-_ ])(caption|image_desc|img-desc|image-desc|photocms_caption|fig-?caption|"
    r"expnoedit|desc_image|note-image|image_caption|img_caption)([-_ ]|$)",
    re.IGNORECASE,
)
NOISE_CLASSES = re.compile(
    r"(^|[-_ ])(share|sharing|social|comments?|related|relates|relate|tags?|tag_list|topics|"
    r"print|print_page|ads?|banner|advert|advertisement|sidebar|most-read|newsletter|cookie|"
    r"breadcrumbs?|subscribe|rating|toolbar|zalo|rss|hotline|fb-root|player)([-_ ]|$)",
    re.IGNORECASE,
)
NOT_FOUND = re.compile(
    r"không tồn tại|không tìm thấy|đã bị gỡ|page not found|^\s*404\b|not found|"
    r"страница не найдена|сторінку не знайдено|页面未找到|ページが見つかりません",
    re.IGNORECASE,
)
AGENCY_PREFIX = re.compile(
    r"^\s*\(?(?:[A-ZĐ][A-ZĐ.]{0,7}|[A-Za-z][\w-]*\.(?:vn|com|net|org))\)?\s*[-–—]{1,2}\s+"
)
SOURCE_LINE = re.compile(
    r"^[^\s:：]{1,20}(?:\s[^\s:：]{1,20})?\s*[:：]\s*(?P<url>https?://\S+?)\s*$"
)
COMMENT_LINE = re.compile(
    r"^(?:comments?|bình luận|ý kiến|комментари[йи]|коментар[і]?|评论|評論|commentaires?|"
    r"kommentare?|comentarios?|commenti|댓글|コメント|ความคิดเห็น)\s*\(?\d+\)?$",
    re.IGNORECASE,
)
SHARE_LINE = re.compile(
    r"^(?:(?:chia sẻ|share|поделиться|поділитися|分享|partager|teilen|compartir)\s*:?\s*)?"
    r"(?:(?:facebook|zalo|twitter|x|copy link|email|in bài|print)\s*[|·,]?\s*)+$",
    re.IGNORECASE,
)
CREDIT_LINE = re.compile(
    r"^(?:tin và ảnh|tin, ảnh|tin - ảnh|bài và ảnh|bài, ảnh|bài - ảnh|bài|tin|ảnh|"
    r"news and photos?|text and photos?|story and photos?|article and photos?|photos?|"
    r"новости и фото|текст и фото|статья и фото|фото|новини та фото|новини і фото|"
    r"текст і фото|текст та фото|文/图|文、图|图文|新闻和照片|新闻与照片|新闻和图片|"
    r"texte et photos?|nouvelles et photos?|"
    r"text und fotos?|texto y fotos?)\s*[:：]\s*(?P<name>.{2,60})$",
    re.IGNORECASE,
)
INITIALS_BYLINE = re.compile(r"^[A-ZĐА-ЯЁІЇЄҐ]{1,4}(?:\s*[-–.]\s*[A-ZĐА-ЯЁІЇЄҐ]{1,4})?\.?$")
# Captions flattened to text by a table-to-text step: "| caption |" or "caption |".
PIPE_CAPTION = re.compile(r"^\|?\s*(?P<text>[^|]+?)\s+\|$")
SEARCH_PATH = re.compile(r"/(?:tim-kiem|search|tag|tags)(?:/|\?|$)", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_LINE_BREAKS = re.compile(r"\n\s*\n|\n")
# "Headline | Paper": the page title with the site name after it.
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+")
_SEARCH_QUERY = re.compile(r"[?&](q|keyword|s)=")
_JSONLD_TYPE = re.compile(r"ld\+json", re.IGNORECASE)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


# --------------------------------------------------------------------------- text helpers


def clean_text(value: str) -> str:
    """One line of display text: invisible characters out, whitespace collapsed."""
    return _WHITESPACE.sub(" ", _INVISIBLE.sub("", value)).strip()


def _raw_text(element: Tag, line_break: str) -> str:
    """The visible text under `element`, with each <br> as `line_break`."""
    parts: list[str] = []
    for node in element.descendants:
        if isinstance(node, Tag):
            if node.name == "br":
                parts.append(line_break)
            continue
        if isinstance(node, Comment | Doctype | ProcessingInstruction):
            continue
        if isinstance(node, NavigableString) and not _inside_skipped(node, element):
            parts.append(str(node))
    return "".join(parts)


def _element_text(element: Tag) -> str:
    return clean_text(_raw_text(element, " "))


def _inside_skipped(node: NavigableString, stop: Tag) -> bool:
    parent = node.parent
    while parent is not None and parent is not stop:
        if parent.name in SKIP_TAGS:
            return True
        parent = parent.parent
    return False


def _attribute_words(element: Tag, name: str) -> list[str]:
    """A multi-valued attribute (class, rel) as a list of words, however it was parsed."""
    value = element.get(name)
    if not value:
        return []
    if isinstance(value, str):
        return value.split()
    return [str(word) for word in value]


def _classes_and_id(element: Tag) -> str:
    ident = element.get("id") or ""
    return " ".join([*_attribute_words(element, "class"), str(ident)])


def _is_noise(element: Tag) -> bool:
    return bool(NOISE_CLASSES.search(_classes_and_id(element)))


def _is_caption_element(element: Tag) -> bool:
    return element.name == "figcaption" or bool(CAPTION_CLASSES.search(_classes_and_id(element)))


def _style(element: Tag) -> str:
    return str(element.get("style") or "").replace(" ", "").lower()


def _right_aligned(element: Tag) -> bool:
    align = str(element.get("align") or "").lower()
    return "text-align:right" in _style(element) or align == "right"


def _text_all_in(element: Tag, names: tuple[str, ...]) -> bool:
    """True when every piece of text in `element` sits inside one of the `names` tags."""
    found = False
    for node in element.find_all(string=True):
        if not node.strip() or isinstance(node, Comment):
            continue
        found = True
        if not any(parent.name in names for parent in node.parents if parent is not element):
            return False
    return found


IMAGE_TAGS = ("img", "picture", "amp-img")


def _has_image(element: Tag) -> bool:
    return element.name in IMAGE_TAGS or element.find(list(IMAGE_TAGS)) is not None


_DENSE_SCRIPT = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def text_weight(text: str) -> int:
    """Length in Latin-script terms: one Chinese, Japanese or Korean character says about
    as much as three Latin letters, so short-looking CJK bodies are not taken for stubs."""
    return len(text) + 2 * len(_DENSE_SCRIPT.findall(text))


def _byline_name(text: str) -> str | None:
    """ "Bài: Minh Khang" -> "Minh Khang"; a plain name is kept as it is."""
    credit = CREDIT_LINE.match(text)
    name = clean_text(credit["name"]) if credit else text
    return name or None


def _is_capitalised_name(text: str) -> bool:
    """ "VĂN NGHĨA", "NGUYỄN THỊ HOA": a closing line of two to four upper-case words."""
    words = text.split()
    return (
        2 <= len(words) <= 4
        and len(text) <= 40
        and text.isupper()
        and all(word.isalpha() for word in words)
    )


def strip_agency_prefix(text: str) -> str:
    """ "BHG - Sáng 17/3, ..." -> "Sáng 17/3, ..." (the paper's tag, not the story)."""
    return AGENCY_PREFIX.sub("", text, count=1)


# --------------------------------------------------------------------------- body blocks


@dataclass
class Block:
    text: str
    kind: str = "para"  # "para" or "caption"
    right_aligned: bool = False
    emphasised: bool = False  # all text bold or italic
    after_image: bool = False


class BodyReader:
    """Walks a body container in document order and yields paragraphs and captions."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._inline: list[str] = []
        self._last_was_image = False

    def read(self, container: Tag) -> list[Block]:
        self._visit(container)
        self._flush_inline()
        return self.blocks

    def _add(self, block: Block) -> None:
        if block.text:
            block.after_image = block.after_image or self._last_was_image
            self.blocks.append(block)
            self._last_was_image = False

    def _flush_inline(self) -> None:
        text = "".join(self._inline)
        self._inline = []
        for line in _LINE_BREAKS.split(text):
            cleaned = clean_text(line)
            if cleaned:
                self._add(Block(cleaned))

    def _visit(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment | Doctype | ProcessingInstruction):
                continue
            if isinstance(child, NavigableString):
                self._inline.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in SKIP_TAGS or _is_noise(child):
                continue
            if name == "br":
                self._inline.append("\n")
                continue
            if name in IMAGE_TAGS:
                self._flush_inline()
                self._last_was_image = True
                continue
            inline = name not in BLOCK_TAGS and name not in LEAF_BLOCK_TAGS
            if inline and child.find(list(BLOCK_TAGS)) is None:
                if _has_image(child) and not _element_text(child):
                    self._flush_inline()
                    self._last_was_image = True
                else:
                    self._inline.append(_raw_text(child, "\n"))
                continue
            self._flush_inline()
            self._block(child)

    def _block(self, element: Tag) -> None:
        name = element.name
        if name == "hr":
            return
        if name == "figure":
            self._figure(element)
            return
        if name == "table":
            self._table(element)
            return
        if _is_caption_element(element):
            self._add(Block(_element_text(element), kind="caption"))
            return
        if name in ("ul", "ol", "dl"):
            self._visit(element)
            return
        nested_blocks = element.find(list(BLOCK_TAGS - {"hr"}))
        if nested_blocks is not None:
            self._visit(element)
            return
        if name == "div" and element.find("br") is not None:
            self._visit(element)
            return
        text = _element_text(element)
        if not text:
            if _has_image(element):
                self._last_was_image = True
            return
        has_image = _has_image(element)
        block = Block(
            text,
            right_aligned=_right_aligned(element),
            emphasised=_text_all_in(element, ("strong", "b", "em", "i")),
            after_image=has_image,
        )
        if has_image and len(text) <= MAX_CAPTION_CHARS:
            block.kind = "caption"  # an image with its caption in the same paragraph
        self._add(block)

    def _figure(self, figure: Tag) -> None:
        captions = figure.find_all(["figcaption"]) or [
            el for el in figure.find_all(True) if _is_caption_element(el)
        ]
        for caption in captions:
            self._add(Block(_element_text(caption), kind="caption"))
        self._last_was_image = True

    def _table(self, table: Tag) -> None:
        rows = table.find_all("tr")
        row_texts = [_element_text(row) for row in rows]
        if _has_image(table):
            if any(len(text) > MAX_CAPTION_CHARS for text in row_texts):
                self._visit(table)  # a layout table around the story, not a captioned image
                return
            for text in row_texts:  # image row(s) and caption row(s)
                if text:
                    self.blocks.append(Block(text, kind="caption", after_image=True))
            self._last_was_image = False
            return
        for row in rows:
            cells = [_element_text(cell) for cell in row.find_all(["td", "th"])]
            text = " | ".join(cell for cell in cells if cell)
            if text:
                self._add(Block(text))


# --------------------------------------------------------------------------- page metadata


@dataclass
class PageMeta:
    """What the head and structured data say about the page."""

    meta: dict[str, list[str]]
    jsonld: list[dict[str, Any]]
    html_lang: str | None
    canonical: str | None
    og_url: str | None
    alternates: dict[str, str]

    def first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, []):
                if value.strip():
                    return value.strip()
        return None

    def all(self, key: str) -> list[str]:
        return [v.strip() for v in self.meta.get(key, []) if v.strip()]

    @property
    def article_ld(self) -> dict[str, Any] | None:
        for item in self.jsonld:
            if _ld_types(item) & ARTICLE_TYPES:
                return item
        return None

    @property
    def declares_article(self) -> bool:
        """Article JSON-LD or `og:type=article`: the page says it is an article."""
        return self.article_ld is not None or (self.first("og:type") or "").startswith("article")

    @property
    def ld_types(self) -> set[str]:
        types: set[str] = set()
        for item in self.jsonld:
            types |= _ld_types(item)
        return types


def _ld_types(item: dict[str, Any]) -> set[str]:
    value = item.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values if v}


def _flatten_ld(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten_ld(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _flatten_ld(data["@graph"])
        if "@type" in data:
            yield data


def _load_json_lenient(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        # Common CMS slips: raw newlines/tabs in strings and trailing commas.
        repaired = re.sub(r",\s*([}\]])", r"\1", re.sub(r"[\x00-\x1f]", " ", raw))
        return json.loads(repaired)


def read_page_meta(soup: BeautifulSoup, url: str) -> PageMeta:
    meta: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
        content = tag.get("content")
        if key and content is not None:
            meta.setdefault(str(key).strip().lower(), []).append(str(content))
    jsonld: list[dict[str, Any]] = []
    for script in soup.find_all("script", type=_JSONLD_TYPE):
        raw = script.string or script.get_text()
        if not raw or not raw.strip():
            continue
        try:
            jsonld.extend(_flatten_ld(_load_json_lenient(raw.strip())))
        except json.JSONDecodeError as exc:
            logger.debug("unreadable JSON-LD on %s: %s", url, exc)
    html_tag = soup.find("html")
    html_lang = str(html_tag.get("lang") or html_tag.get("xml:lang") or "") if html_tag else ""
    canonical = None
    alternates: dict[str, str] = {}
    for link in soup.find_all("link", href=True):
        rels = [word.lower() for word in _attribute_words(link, "rel")]
        href = str(link["href"]).strip()
        if "canonical" in rels and canonical is None and href:
            canonical = resolve_url(url, href)
        elif "alternate" in rels and link.get("hreflang") and href:
            alternates.setdefault(str(link["hreflang"]).lower(), resolve_url(url, href))
    og_url = meta.get("og:url", [None])[0]
    return PageMeta(
        meta=meta,
        jsonld=jsonld,
        html_lang=html_lang or None,
        canonical=canonical,
        og_url=resolve_url(url, og_url) if og_url else None,
        alternates=alternates,
    )


def _ld_text(value: Any) -> str | None:
    if isinstance(value, str):
        return clean_text(value) or None
    if isinstance(value, dict):
        return _ld_text(value.get("name") or value.get("@id"))
    if isinstance(value, list) and value:
        texts = [t for t in (_ld_text(v) for v in value) if t]
        return ", ".join(texts) or None
    return None


# --------------------------------------------------------------------------- the extractor


def _select_first(root: Tag, selectors: Iterable[str]) -> Tag | None:
    for selector in selectors:
        found = root.select_one(selector)
        if found is not None:
            return found
    return None


def _select_text(root: Tag, selectors: Iterable[str]) -> str | None:
    element = _select_first(root, selectors)
    if element is None:
        return None
    return _element_text(element) or None


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _trusted_canonical(candidate: str, url: str, site: str | None) -> bool:
    """A canonical may name the fetched site or the configured one; a page served from a
    loopback mirror keeps the identity it declares."""
    candidate_site = site_of(candidate)
    fetched_site = site_of(url)
    return (
        candidate_site == fetched_site
        or (bool(site) and candidate_site == site_of(f"https://{site}/"))
        or fetched_site in LOOPBACK_HOSTS
    )


def canonical_for(page: PageMeta, url: str, site: str | None = None) -> str:
    """`rel=canonical`, else `og:url`, when trusted (see above); else the fetched URL."""
    for candidate in (page.canonical, page.og_url):
        if candidate and candidate.startswith(("http://", "https://")):
            if _trusted_canonical(candidate, url, site):
                return canonicalize_url(candidate)
            logger.debug("ignoring cross-site canonical %s on %s", candidate, url)
    return canonicalize_url(url)


def is_error_page(soup: BeautifulSoup, page: PageMeta) -> bool:
    """A "not found" heading on a page that does not declare itself an article.

    Soft 404s answer 200; an article whose headline merely contains such words keeps
    its `og:type=article` or NewsArticle JSON-LD and is not caught here.
    """
    if page.declares_article:
        return False
    heading = soup.find("h1")
    title = soup.find("title")
    for element in (heading, title):
        if element is not None and NOT_FOUND.search(_element_text(element)):
            return True
    return False


def is_listing_page(page: PageMeta, url: str) -> bool:
    """Tag, section, search and home pages announce themselves in their metadata
    (`og:type=website`, CollectionPage, `noindex`) or live under a search path."""
    if page.article_ld is not None:
        return False
    if page.ld_types & LISTING_TYPES:
        return True
    if "noindex" in (page.first("robots") or "").lower():
        return True
    if SEARCH_PATH.search(urlsplit(url).path) or _SEARCH_QUERY.search(url):
        return True
    og_type = (page.first("og:type") or "").lower()
    return bool(og_type) and not og_type.startswith("article")


def _best_container(soup: BeautifulSoup) -> Tag | None:
    """The element holding most paragraph text (a small readability-style score)."""
    scores: dict[int, float] = {}
    elements: dict[int, Tag] = {}
    for paragraph in soup.find_all(["p", "pre", "blockquote"]):
        if _inside_noise(paragraph, soup):
            continue
        text = _element_text(paragraph)
        if len(text) < 25:
            continue
        link_chars = sum(len(_element_text(a)) for a in paragraph.find_all("a"))
        score = (1 + min(len(text) / 100, 3) + text.count(",")) * (1 - link_chars / len(text))
        parent = paragraph.parent
        if isinstance(parent, Tag):
            scores[id(parent)] = scores.get(id(parent), 0) + score
            elements[id(parent)] = parent
            grand = parent.parent
            if isinstance(grand, Tag) and grand.name not in ("body", "html", "[document]"):
                scores[id(grand)] = scores.get(id(grand), 0) + score / 2
                elements[id(grand)] = grand
    if not scores:
        return None
    best = max(scores, key=lambda key: scores[key])
    return elements[best]


def _link_density(container: Tag) -> float:
    text = _element_text(container)
    if not text:
        return 1.0
    links = sum(len(_element_text(a)) for a in container.find_all("a"))
    return links / len(text)


@dataclass
class BodyParts:
    paragraphs: list[str]
    captions: list[str]
    author: str | None
    source_url: str | None
    dateline: DateCandidate | None


_DATELINE_TAIL = re.compile(r"^[\s\d:,.()|/–-]*(?:[hg]\s*\d*|г\.?|год[а]?\.?)?[\s)]*$")


def _is_dateline(text: str, start: int, end: int) -> bool:
    """A line that only dates the story: "Lâm Đồng, ngày 20 tháng 05 năm 2025",
    "14:34, 17/03/2025", "18:20, 25 апреля 2025 г." (not a sentence that starts with one)."""
    before, after = text[:start].strip(), text[end:]
    return len(before) <= 40 and len(before.split()) <= 5 and bool(_DATELINE_TAIL.match(after))


def _split_body(blocks: list[Block], lang: str | None) -> BodyParts:
    """Separate story paragraphs from captions, credits, source lines and datelines."""
    paragraphs: list[Block] = []
    captions: list[str] = []
    for block in blocks:
        pipe = PIPE_CAPTION.match(block.text)
        if block.kind == "caption" or pipe:
            captions.append(pipe["text"] if pipe else block.text)
        elif block.after_image and block.emphasised and len(block.text) <= MAX_CAPTION_CHARS:
            captions.append(block.text)  # "<p><img></p><p><em>caption</em></p>"
        else:
            paragraphs.append(block)

    author: str | None = None
    source_url: str | None = None
    kept: list[Block] = []
    tail_start = max(0, len(paragraphs) - TAIL_PARAGRAPHS)
    for index, block in enumerate(paragraphs):
        text = block.text
        in_tail = index >= tail_start
        source = SOURCE_LINE.match(text)
        if source and in_tail:
            source_url = source_url or source["url"]
            continue
        if COMMENT_LINE.match(text) or SHARE_LINE.match(text):
            continue
        credit = CREDIT_LINE.match(text)
        if credit and in_tail:
            author = author or clean_text(credit["name"])
            continue
        if in_tail and block.right_aligned and block.emphasised and len(text) <= MAX_BYLINE_CHARS:
            author = author or text
            continue
        if in_tail and INITIALS_BYLINE.match(text):
            author = author or text
            continue
        if index == len(paragraphs) - 1 and _is_capitalised_name(text):
            author = author or text
            continue
        kept.append(block)

    dateline: DateCandidate | None = None
    story: list[str] = []
    for index, block in enumerate(kept):
        near_edge = index < 2 or index >= len(kept) - 2
        if near_edge and len(block.text) <= 80:
            found = find_date(block.text, lang)
            if found is not None and _is_dateline(block.text, *found[2]):
                dateline = dateline or DateCandidate(found[0], found[1], "dateline")
                continue
        story.append(block.text)
    return BodyParts(story, captions, author, source_url, dateline)


IMAGE_SOURCE_ATTRIBUTES = ("src", "data-src", "data-original")


def _inside_noise(element: Tag, stop: Tag) -> bool:
    parent = element.parent
    while parent is not None and parent is not stop:
        if parent.name in SKIP_TAGS or _is_noise(parent):
            return True
        parent = parent.parent
    return False


def _story_image_dates(root: Tag) -> list[DateCandidate]:
    """Upload stamps of the images in the story itself (not in boxes the reader skips)."""
    found: list[DateCandidate] = []
    for image in root.find_all(list(IMAGE_TAGS)):
        if _inside_noise(image, root):
            continue
        for attribute in IMAGE_SOURCE_ATTRIBUTES:
            value = image.get(attribute)
            candidate = date_from_image_url(str(value)) if value else None
            if candidate is not None:
                found.append(candidate)
                break
    return found


def _body_blocks(root: Tag, drops: Iterable[str]) -> list[Block]:
    for selector in drops:
        for element in root.select(selector):
            element.decompose()
    return BodyReader().read(root)


def _parse_date_value(value: str, lang: str | None) -> tuple[datetime, bool] | None:
    """A metadata date: ISO 8601 as it should be, else whatever form the site wrote."""
    return parse_iso(value) or parse_date_text(value, lang)


def _published_candidates(
    page: PageMeta,
    soup: BeautifulSoup,
    profile: Profile,
    urls: Iterable[str],
    lang: str | None,
) -> list[DateCandidate]:
    candidates: list[DateCandidate] = []
    ld = page.article_ld
    if ld and isinstance(ld.get("datePublished"), str):
        parsed = _parse_date_value(ld["datePublished"], lang)
        if parsed:
            candidates.append(DateCandidate(parsed[0], parsed[1], "jsonld"))
    meta_value = page.first(
        "article:published_time",
        "datepublished",
        "og:published_time",
        "pubdate",
        "publishdate",
        "dc.date.issued",
        "parsely-pub-date",
        "sailthru.date",
    )
    if meta_value:
        parsed = _parse_date_value(meta_value, lang)
        if parsed:
            candidates.append(DateCandidate(parsed[0], parsed[1], "meta"))
    shown = _select_first(soup, profile.date) if profile.date else None
    if shown is not None:
        attribute = shown.get("datetime")
        parsed = parse_iso(str(attribute)) if attribute else None
        parsed = parsed or parse_date_text(_element_text(shown), lang)
        if parsed:
            candidates.append(DateCandidate(parsed[0], parsed[1], "byline"))
    for url in urls:
        from_url = date_from_url(url)
        if from_url:
            candidates.append(from_url)
            break
    return candidates


def _modified(page: PageMeta) -> datetime | None:
    ld = page.article_ld
    value = ld.get("dateModified") if ld else None
    value = value if isinstance(value, str) else page.first("article:modified_time")
    parsed = parse_iso(value) if value else None
    return parsed[0] if parsed else None


def _title(soup: BeautifulSoup, page: PageMeta, profile: Profile) -> str | None:
    for candidate in (
        _select_text(soup, profile.title) if profile.title else None,
        page.first("og:title", "twitter:title"),
        _ld_text((page.article_ld or {}).get("headline")),
        _select_text(soup, GENERIC.title),
    ):
        if candidate:
            return clean_text(candidate)
    title = soup.find("title")
    if title is not None:
        text = _element_text(title)
        return _TITLE_SEPARATOR.split(text)[0] if text else None
    return None


def _declared_lang(page: PageMeta) -> str | None:
    ld = page.article_ld or {}
    for value in (
        page.html_lang,
        ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None,
        page.first("og:locale", "content-language", "language"),
    ):
        code = normalize_lang(value)
        if code:
            return code
    return None


def _tags(soup: BeautifulSoup, page: PageMeta, profile: Profile) -> list[str]:
    found: list[str] = []
    for selector in profile.tags:
        for anchor in soup.select(selector):
            href = str(anchor.get("href") or "")
            if "nofollow" in _attribute_words(anchor, "rel") and SEARCH_PATH.search(href):
                continue
            found.append(_element_text(anchor).lstrip("#").strip())
    if not found:
        found = page.all("article:tag")
    if not found:
        keywords = (page.article_ld or {}).get("keywords")
        if isinstance(keywords, list):
            found = [str(k) for k in keywords]
        elif isinstance(keywords, str):
            found = keywords.split(",")
    seen: set[str] = set()
    tags: list[str] = []
    for tag in (clean_text(t) for t in found):
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return tags


def _section(soup: BeautifulSoup, page: PageMeta, profile: Profile) -> str | None:
    if profile.section:
        shown = _select_text(soup, profile.section)
        if shown:
            return shown
    value = page.first("article:section")
    if value:
        return clean_text(value)
    section = (page.article_ld or {}).get("articleSection")
    text = _ld_text(section[0] if isinstance(section, list) and section else section)
    if text:
        return text
    for item in page.jsonld:
        if "breadcrumblist" in _ld_types(item):
            elements = item.get("itemListElement") or []
            if isinstance(elements, list) and len(elements) >= 2:
                return _ld_text(elements[-1].get("name") or elements[-1].get("item"))
    return None


def _ld_author(page: PageMeta) -> str | None:
    author = (page.article_ld or {}).get("author")
    items = author if isinstance(author, list) else [author]
    names = [
        _ld_text(item)
        for item in items
        if item and (not isinstance(item, dict) or "organization" not in _ld_types(item))
    ]
    joined = ", ".join(n for n in names if n and not n.startswith("http"))
    return joined or None


def _translation_of(
    page: PageMeta, source_url: str | None, profile: Profile, lang: str | None, canonical: str
) -> str | None:
    ld = page.article_ld or {}
    for key in ("isBasedOn", "translationOfWork", "isBasedOnUrl"):
        value = ld.get(key)
        value = value.get("@id") or value.get("url") if isinstance(value, dict) else value
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return canonicalize_url(value)
    is_copy = profile is VIETNAMVN or (lang is not None and lang != "vi")
    if source_url and is_copy and canonicalize_url(source_url) != canonical:
        return canonicalize_url(source_url)
    original = page.alternates.get("vi")
    if original and lang and lang != "vi" and canonicalize_url(original) != canonical:
        return canonicalize_url(original)
    return None


def _body_root(soup: BeautifulSoup, profile: Profile) -> tuple[Tag | None, bool]:
    """The body container, and whether a layout selector (not the heuristic) found it."""
    if profile.body:
        root = _select_first(soup, profile.body)
        if root is not None:
            return root, True
    root = _select_first(soup, GENERIC.body)
    if root is not None and text_weight(_element_text(root)) >= MIN_BODY_CHARS:
        return root, True
    return _best_container(soup), False


def looks_like_listing(container: Tag) -> bool:
    """Mostly links, or a run of headline links (a section page with snippets)."""
    if _link_density(container) > MAX_LINK_DENSITY:
        return True
    headlines = [
        anchor
        for anchor in container.find_all("a")
        if len(_element_text(anchor).split()) >= HEADLINE_MIN_WORDS
    ]
    return len(headlines) >= LISTING_MIN_HEADLINES


def _ld_body_blocks(page: PageMeta) -> list[Block]:
    body = (page.article_ld or {}).get("articleBody")
    if not isinstance(body, str):
        return []
    return [Block(clean_text(part)) for part in _LINE_BREAKS.split(body) if clean_text(part)]


def extract(
    html: str,
    url: str,
    *,
    profile: str | None = None,
    defaults: dict[str, Any] | None = None,
) -> Article | None:
    """The article on the page at `url`, or None when the page is not an article.

    `profile` forces a site family (hexcms, cardcms, detailcms, vietnamvn, generic);
    None picks it from the markup and host. `defaults` may carry the site-level `site`,
    `province` and `lang` from the sources file, used when the page does not say.
    """
    defaults = defaults or {}
    soup = BeautifulSoup(html, "lxml")
    page = read_page_meta(soup, url)
    if is_error_page(soup, page):
        logger.info("not an article (error page): %s", url)
        return None
    if is_listing_page(page, url):
        logger.info("not an article (listing or website page): %s", url)
        return None
    chosen = choose_profile(soup, url, profile)
    canonical = canonical_for(page, url, defaults.get("site"))
    declared = _declared_lang(page)
    lang_hint = declared or normalize_lang(defaults.get("lang"))

    title = _title(soup, page, chosen)
    sapo_element = _select_first(soup, chosen.sapo or GENERIC.sapo)
    sapo = _element_text(sapo_element) if sapo_element is not None else None
    author_element = _select_first(soup, chosen.author) if chosen.author else None
    author = _byline_name(_element_text(author_element)) if author_element is not None else None

    root, from_layout = _body_root(soup, chosen)
    if root is None:
        logger.info("not an article (no body found): %s", url)
        return None
    if sapo_element is not None and root in sapo_element.parents:
        sapo_element.decompose()
    for heading in root.find_all("h1"):
        heading.decompose()  # the headline, when a generic container holds it
    if not from_layout and not page.declares_article and looks_like_listing(root):
        logger.info("not an article (the main block is a list of links): %s", url)
        return None
    blocks = _body_blocks(root, (*chosen.drop, *chosen.author))
    if sum(text_weight(b.text) for b in blocks if b.kind == "para") < MIN_BODY_CHARS:
        blocks = _ld_body_blocks(page) or blocks
    parts = _split_body(blocks, lang_hint)
    paragraphs = parts.paragraphs
    if sapo:
        sapo = strip_agency_prefix(sapo)
    elif paragraphs:
        paragraphs[0] = strip_agency_prefix(paragraphs[0])
    if sapo is None and chosen is GENERIC:
        description = page.first("og:description", "description") or _ld_text(
            (page.article_ld or {}).get("description")
        )
        first = paragraphs[0] if paragraphs else ""
        if (
            description
            and not description.endswith(("...", "…"))
            and not first.startswith(description[:40])
        ):
            sapo = strip_agency_prefix(clean_text(description))
    body_chars = sum(text_weight(p) for p in paragraphs)
    if body_chars < MIN_BODY_CHARS or not title:
        logger.info("not an article (%d body characters): %s", body_chars, url)
        return None

    author = author or parts.author or _ld_author(page)
    candidates = _published_candidates(page, soup, chosen, (url, canonical), lang_hint)
    if parts.dateline is not None:
        candidates.append(parts.dateline)
    published = choose_published([*candidates, *_story_image_dates(root)])
    text_sample = "\n".join([title, sapo or "", *paragraphs])
    lang_detected = detect_language(text_sample)
    lang = lang_hint or lang_detected
    return Article(
        url=url,
        canonical_url=canonical,
        title=title,
        sapo=sapo or None,
        paragraphs=paragraphs,
        captions=parts.captions,
        author=author or None,
        section=_section(soup, page, chosen),
        tags=_tags(soup, page, chosen),
        published=published.value if published else None,
        published_source=published.source if published else None,
        modified=_modified(page),
        lang=lang,
        lang_detected=lang_detected,
        site=site_of(canonical) or defaults.get("site"),
        province=defaults.get("province"),
        translation_of=_translation_of(page, parts.source_url, chosen, lang, canonical),
    )
