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

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from crawler.bodyreader import (
    CAPTION_CLASSES,
    LINE_BREAKS,
    MAX_CAPTION_CHARS,
    Block,
    BodyReader,
    block_text,
    pruned_copy,
    story_images,
)
from crawler.generic import GenericRead, guess_published, read_generic
from crawler.htmltree import (
    clean_text,
    element_text,
    page_classes,
    parse_html,
    select_all,
    select_first,
)
from crawler.language import detect_language, normalize_lang
from crawler.models import Article
from crawler.pagekind import MIN_BODY_CHARS, SEARCH_PATH, judge_body, judge_declared
from crawler.pagemeta import PageMeta, ld_types, read_page_meta
from crawler.pagemeta import ld_text as _ld_text
from crawler.profiles import GENERIC, VIETNAMVN, Profile, choose_profile
from crawler.pubdate import (
    IMAGE_SOURCE,
    DateCandidate,
    choose_published,
    date_from_image_url,
    date_from_url,
    dateline_candidate,
    find_date,
    opening_dateline,
    parse_date_text,
    parse_iso,
)
from crawler.urls import canonicalize_url, site_of

logger = logging.getLogger(__name__)

# Credits, source lines and datelines are looked for among this many closing paragraphs.
TAIL_PARAGRAPHS = 5
# A right-aligned bold closing paragraph longer than this is text, not a byline.
MAX_BYLINE_CHARS = 80
# The language of a text shows in its first lines; the rest only costs time (detection
# is linear in the text). On every article of AEB, the mirrors and the demo (377), 400
# characters gave the same language as 4,000; 200 did not (English read as Pidgin).
LANGUAGE_SAMPLE_CHARS = 400
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
# "Headline | Paper": the page title with the site name after it.
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+")


# --------------------------------------------------------------------------- text helpers


_WORD = re.compile(r"\w+")


def _coverage(reference: str, paragraphs: list[str]) -> float:
    """Share of the reference's words that the paragraphs hold."""
    wanted = _WORD.findall(reference.lower())
    if not wanted:
        return 1.0
    have = set(_WORD.findall(" ".join(paragraphs).lower()))
    return sum(1 for word in wanted if word in have) / len(wanted)


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


def _story_image_dates(root: HtmlElement) -> list[DateCandidate]:
    """Upload stamps of the images in the story itself (not in boxes the reader skips)."""
    found: list[DateCandidate] = []
    for image in story_images(root):
        for attribute in IMAGE_SOURCE_ATTRIBUTES:
            value = image.get(attribute)
            candidate = date_from_image_url(str(value)) if value else None
            if candidate is not None:
                found.append(candidate)
                break
    return found


def _parse_date_value(value: str, lang: str | None) -> tuple[datetime, bool] | None:
    """A metadata date: ISO 8601 as it should be, else whatever form the site wrote."""
    return parse_iso(value) or parse_date_text(value, lang)


def _published_candidates(
    page: PageMeta,
    shown: tuple[str | None, str] | None,
    urls: Iterable[str],
    lang: str | None,
) -> list[DateCandidate]:
    """Dates the page states: JSON-LD, meta tags, the layout's byline (`shown`: its
    `datetime` attribute and text), then a date in the URL."""
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
    if shown is not None:
        attribute, text = shown
        parsed = parse_iso(attribute) if attribute else None
        parsed = parsed or parse_date_text(text, lang)
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


def _declared_title(page: PageMeta) -> str | None:
    return page.first("og:title", "twitter:title") or _ld_text(
        (page.article_ld or {}).get("headline")
    )


def _head_title(tree: HtmlElement) -> str | None:
    """The `<title>` without the site name after it ("Headline | Paper")."""
    title = tree.find(".//title")
    text = element_text(title) if title is not None else ""
    return _TITLE_SEPARATOR.split(text)[0] if text else None


def _h1_title(tree: HtmlElement) -> str | None:
    heading = select_first(tree, GENERIC.title)
    return (element_text(heading) or None) if heading is not None else None


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


def _unique_tags(found: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    tags: list[str] = []
    for tag in (clean_text(t).lstrip("#").strip() for t in found):
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return tags


def _declared_tags(page: PageMeta) -> list[str]:
    found = page.all("article:tag")
    if not found:
        keywords = (page.article_ld or {}).get("keywords")
        if isinstance(keywords, list):
            found = [str(k) for k in keywords]
        elif isinstance(keywords, str):
            found = keywords.split(",")
    return found


def _declared_section(page: PageMeta) -> str | None:
    value = page.first("article:section")
    if value:
        return clean_text(value)
    section = (page.article_ld or {}).get("articleSection")
    text = _ld_text(section[0] if isinstance(section, list) and section else section)
    if text:
        return text
    for item in page.jsonld:
        if "breadcrumblist" in ld_types(item):
            elements = item.get("itemListElement") or []
            if isinstance(elements, list) and len(elements) >= 2:
                last = elements[-1]
                if isinstance(last, dict):
                    return _ld_text(last.get("name") or last.get("item"))
    return None


def _ld_author(page: PageMeta) -> str | None:
    author = (page.article_ld or {}).get("author")
    items = author if isinstance(author, list) else [author]
    names = [
        _ld_text(item)
        for item in items
        if item and (not isinstance(item, dict) or "organization" not in ld_types(item))
    ]
    joined = ", ".join(n for n in names if n and not n.startswith("http"))
    return joined or None


def _translation_of(
    page: PageMeta, source_url: str | None, copies_site: bool, lang: str | None, canonical: str
) -> str | None:
    ld = page.article_ld or {}
    for key in ("isBasedOn", "translationOfWork", "isBasedOnUrl"):
        value = ld.get(key)
        value = value.get("@id") or value.get("url") if isinstance(value, dict) else value
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return canonicalize_url(value)
    is_copy = copies_site or (lang is not None and lang != "vi")
    if source_url and is_copy and canonicalize_url(source_url) != canonical:
        return canonicalize_url(source_url)
    original = page.alternates.get("vi")
    if original and lang and lang != "vi" and canonicalize_url(original) != canonical:
        return canonicalize_url(original)
    return None


# --------------------------------------------------------------------------- two readings


@dataclass
class Reading:
    """One reading of a page's story, by a profile or by the generic reader."""

    path: str  # the profile's name, "generic", or "<profile>+generic" (see choose_reading)
    title: str | None
    sapo: str | None
    paragraphs: list[str]
    captions: list[str]
    author: str | None
    source_url: str | None
    dates: list[DateCandidate]
    section: str | None = None
    tags: list[str] | None = None

    @property
    def weight(self) -> int:
        return sum(text_weight(p) for p in self.paragraphs)


def _body_root(tree: HtmlElement, profile: Profile) -> HtmlElement | None:
    """The profile's body container, else a well-known article-body container."""
    if profile.body:
        root = select_first(tree, profile.body)
        if root is not None:
            return root
    root = select_first(tree, GENERIC.body)
    if root is not None and text_weight(block_text(root)) >= MIN_BODY_CHARS:
        return root
    return None


def _select_text(tree: HtmlElement, selectors: tuple[str, ...]) -> str | None:
    element = select_first(tree, selectors)
    return (block_text(element) or None) if element is not None else None


def _shown_date(element: HtmlElement | None) -> tuple[str | None, str] | None:
    if element is None:
        return None
    attribute = element.get("datetime")
    return (str(attribute) if attribute else None, block_text(element))


def _profile_tags(tree: HtmlElement, profile: Profile) -> list[str]:
    tags = []
    for selector in profile.tags:
        for anchor in select_all(tree, selector):
            nofollow = "nofollow" in (anchor.get("rel") or "").split()
            if nofollow and SEARCH_PATH.search(anchor.get("href") or ""):
                continue
            tags.append(block_text(anchor))
    return tags


def read_with_profile(
    tree: HtmlElement, url: str, profile: Profile, page: PageMeta, lang: str | None
) -> Reading | None:
    """The page read with its family's selectors (None when the body is not where the
    profile says), on the page's shared tree."""
    root = _body_root(tree, profile)
    if root is None:
        return None
    title = _select_text(tree, profile.title) if profile.title else None
    sapo_element = select_first(tree, profile.sapo or GENERIC.sapo)
    sapo = block_text(sapo_element) if sapo_element is not None else None
    author_element = select_first(tree, profile.author) if profile.author else None
    author = _byline_name(block_text(author_element)) if author_element is not None else None
    shown = _shown_date(select_first(tree, profile.date)) if profile.date else None
    section = _select_text(tree, profile.section) if profile.section else None
    # Out of the body: the sapo when the container holds it, the headline when a wide
    # container holds it, and what the profile cuts (share bars, related boxes, bylines).
    doomed = [sapo_element] if sapo_element is not None else []
    doomed.extend(root.iterdescendants("h1"))
    for selector in (*profile.drop, *profile.author):
        doomed.extend(select_all(tree, selector))
    story = pruned_copy(root, doomed)
    blocks = BodyReader().read(story)
    if sum(text_weight(b.text) for b in blocks if b.kind == "para") < MIN_BODY_CHARS:
        blocks = _ld_body_blocks(page) or blocks
    parts = _split_body(blocks, lang)
    dates = _published_candidates(page, shown, (url,), lang)
    if parts.dateline is not None:
        dates.append(parts.dateline)
    dates.extend(_story_image_dates(story))
    return Reading(
        path=profile.name,
        title=title,
        sapo=sapo,
        paragraphs=parts.paragraphs,
        captions=parts.captions,
        author=author or parts.author,
        source_url=parts.source_url,
        dates=dates,
        section=section,
        tags=_profile_tags(tree, profile),
    )


def _ld_body_blocks(page: PageMeta) -> list[Block]:
    body = page.ld_body
    if body is None:
        return []
    return [Block(clean_text(part)) for part in LINE_BREAKS.split(body) if clean_text(part)]


# Caption evidence starts from the images and figcaptions (few) rather than from every
# table and paragraph (many): one pass over the page finds both.
_IMAGES_AND_FIGCAPTIONS = etree.XPath("//img | //figcaption")
_EMPHASIS = ("em", "i", "strong", "b")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _emphasised_text(element: HtmlElement) -> str | None:
    """The element's text when all of it is bold or italic (a caption's usual look)."""
    if next(element.iterdescendants(*_EMPHASIS), None) is None:
        return None  # no bold or italic inside: any text it has is plain
    text = element_text(element)
    if not text:
        return None
    plain = clean_text(
        "".join(
            element.xpath(
                "./text() | .//*[not(self::em or self::i or self::strong or "
                "self::b) and not(ancestor::em or ancestor::i or "
                "ancestor::strong or ancestor::b)]/text()"
            )
        )
    )
    return text if not plain else None


def _has_text(element: HtmlElement) -> bool:
    """True when the element shows text. Most image holders hold no text at all, which
    the raw text tells at once; the visible text is read only when there is some."""
    if not "".join(element.itertext()).strip():
        return False
    return bool(element_text(element))


def _caption_elements(tree: HtmlElement) -> list[HtmlElement]:
    """figcaptions and the elements with one of the page's caption classes."""
    found: list[HtmlElement] = []
    for name in page_classes(tree):
        if CAPTION_CLASSES.search(name):  # usually none or one: the page's own class
            found.extend(
                element
                for element in _CLASS_CONTAINS(tree, name=name)
                if name in (element.get("class") or "").split()
            )
    return found


# A cheap first cut (a substring of the class attribute); whole class names are checked after.
_CLASS_CONTAINS = etree.XPath("//*[contains(@class, $name)]")


def _image_holders(
    images: list[HtmlElement],
) -> tuple[dict[HtmlElement, None], dict[HtmlElement, None]]:
    """The nearest table and figure around each image, and the paragraph (or the div or
    link right around it) that holds it; each once, in page order."""
    boxes: dict[HtmlElement, None] = {}
    holders: dict[HtmlElement, None] = {}
    for image in images:
        for tag in ("table", "figure"):
            box = next(image.iterancestors(tag), None)
            if box is not None:
                boxes[box] = None
        paragraph = next(image.iterancestors("p"), None)
        if paragraph is not None:
            holders[paragraph] = None
        parent = image.getparent()
        if parent is not None and parent.tag in ("div", "a"):
            holders[parent] = None
    return boxes, holders


def _caption_texts(tree: HtmlElement) -> set[str]:
    """Texts of the page's image captions: figcaption and caption classes, the short rows
    of a table or figure that holds an image, and an all-emphasis paragraph right after a
    paragraph holding only an image."""
    images: list[HtmlElement] = []
    elements: list[HtmlElement] = []
    for element in _IMAGES_AND_FIGCAPTIONS(tree):
        (images if element.tag == "img" else elements).append(element)
    elements.extend(_caption_elements(tree))
    found = {text for text in map(element_text, elements) if text}
    boxes, holders = _image_holders(images)
    for box in boxes:
        rows = box.findall(".//tr") or [box]
        texts = [element_text(row) for row in rows]
        if all(len(text) <= MAX_CAPTION_CHARS for text in texts):
            found.update(text for text in texts if text)
    for holder in holders:
        if _has_text(holder):
            continue
        following = holder.getnext()
        # A heading after an image opens the next part of the story (often in bold).
        if (
            following is not None
            and isinstance(following.tag, str)
            and following.tag not in _HEADINGS
        ):
            caption = _emphasised_text(following)
            if caption and len(caption) <= MAX_CAPTION_CHARS:
                found.add(caption)
    return found


# A lead and the page's description agree when this share of the lead's words is in the
# description, or (a description cut short) this share of a description's words is in the lead.
LEAD_IN_DESCRIPTION = 0.5
DESCRIPTION_IN_LEAD = 0.8
MIN_DESCRIPTION_WORDS = 8


def _agrees_with_description(lead: str, page: PageMeta) -> bool:
    """True when the page's declared description says what `lead` says. On layouts no
    profile knows, the generic lead names (`.summary`, `.lead`, `itemprop=description`)
    also fit newsletter boxes, photo credits and other stories' teasers; a lead the
    reader left out of the story is only taken when the description confirms it."""
    for description in (
        page.first("og:description", "description", "twitter:description"),
        _ld_text((page.article_ld or {}).get("description")),
    ):
        if not description:
            continue
        if _coverage(lead, [description]) >= LEAD_IN_DESCRIPTION:
            return True
        long_enough = len(_WORD.findall(description)) >= MIN_DESCRIPTION_WORDS
        if long_enough and _coverage(description, [lead]) >= DESCRIPTION_IN_LEAD:
            return True
    return False


def read_generic_page(
    tree: HtmlElement, url: str, page: PageMeta, generic: GenericRead, lang: str | None
) -> Reading:
    """The page read by trafilatura, with the same body rules as a profile's reading:
    captions apart, credits and "Source:" lines out, datelines taken as dates."""
    title = _declared_title(page) or _h1_title(tree) or _head_title(tree)
    sapo_element = select_first(tree, GENERIC.sapo)
    sapo = element_text(sapo_element) if sapo_element is not None else None
    if sapo and sapo not in generic.lines and not _agrees_with_description(sapo, page):
        sapo = None  # a box the generic names fit (newsletter, photo credit, teaser)
    captions = _caption_texts(tree)
    headline = clean_text(title) if title else None
    blocks: list[Block] = []
    for line in generic.lines:
        if line == headline:
            continue  # the headline, when the reader kept it
        if sapo and line == sapo:
            continue  # kept apart as the sapo
        blocks.append(Block(line, kind="caption" if line in captions else "para"))
    if generic.chars < MIN_BODY_CHARS:
        blocks = _ld_body_blocks(page) or blocks
    parts = _split_body(blocks, lang)
    author_element = select_first(tree, GENERIC.author)
    author = _byline_name(element_text(author_element)) if author_element is not None else None
    dates = _published_candidates(page, None, (url,), lang)
    if parts.dateline is not None:
        dates.append(parts.dateline)
    return Reading(
        path="generic",
        title=title,
        sapo=sapo,
        paragraphs=parts.paragraphs,
        captions=parts.captions,
        author=author or parts.author or _ld_author(page),
        source_url=parts.source_url,
        dates=dates,
    )


def _opening_dateline_date(
    reading: Reading, urls: list[str], lang: str | None
) -> DateCandidate | None:
    """The date of the dateline the story opens with (the sapo, else the first paragraph),
    for a page that states no date anywhere else; its year by the rule of
    `crawler.pubdate.dateline_candidate`."""
    for text in (reading.sapo, reading.paragraphs[0] if reading.paragraphs else None):
        found = opening_dateline(text, lang) if text else None
        if found is not None:
            return dateline_candidate(found, urls, reading.dates)
    return None


# A profile's body this much shorter than the generic reader's has missed part of the story.
PROFILE_SHORTFALL = 0.5
# A reading that holds less than this share of the JSON-LD articleBody's words missed it.
LD_BODY_MIN_COVERAGE = 0.6


def choose_reading(profiled: Reading | None, generic: Reading, page: PageMeta) -> Reading:
    """The profile's reading, unless the page shows it missed the story: its body is much
    shorter than the generic one, or it misses most of the page's JSON-LD articleBody
    that the generic reading holds. Then the generic body replaces the profile's, and
    what the profile reads beside the body (title, sapo, byline, dates) stays."""
    if profiled is None:
        return generic
    ld_body = page.ld_body
    shorter = profiled.weight < PROFILE_SHORTFALL * generic.weight
    misses_ld = (
        ld_body is not None
        and _coverage(ld_body, profiled.paragraphs) < LD_BODY_MIN_COVERAGE
        and _coverage(ld_body, generic.paragraphs) > _coverage(ld_body, profiled.paragraphs)
    )
    if not (shorter or misses_ld or profiled.weight < MIN_BODY_CHARS):
        return profiled
    return Reading(
        path=f"{profiled.path}+generic",
        title=profiled.title or generic.title,
        sapo=profiled.sapo or generic.sapo,
        paragraphs=generic.paragraphs,
        captions=profiled.captions or generic.captions,
        author=profiled.author or generic.author,
        source_url=profiled.source_url or generic.source_url,
        dates=profiled.dates + generic.dates,
        section=profiled.section or generic.section,
        tags=profiled.tags or generic.tags,
    )


# --------------------------------------------------------------------------- the extractor


def _detect_sample(lines: list[str]) -> str | None:
    """The language of the first `LANGUAGE_SAMPLE_CHARS` characters of `lines`."""
    sample: list[str] = []
    size = 0
    for line in lines:
        if size >= LANGUAGE_SAMPLE_CHARS:
            break
        sample.append(line)
        size += len(line) + 1
    return detect_language("\n".join(sample)[:LANGUAGE_SAMPLE_CHARS])


@dataclass
class PageResult:
    """What extraction made of one page: the article (None when the page is not one),
    which reading it came from, and why the page was or was not taken as an article."""

    article: Article | None
    path: str | None
    reason: str


def read_page(
    html: str,
    url: str,
    *,
    profile: str | None = None,
    defaults: dict[str, Any] | None = None,
) -> PageResult:
    """`extract`, with the extraction path and the is-article reason (for `sources check`)."""
    defaults = defaults or {}
    tree = parse_html(html)
    if tree is None:
        return PageResult(None, None, "empty page")
    page = read_page_meta(tree, url)
    verdict = judge_declared(tree, page, url)
    if verdict is not None:
        return PageResult(None, None, verdict.reason)
    chosen = choose_profile(tree, url, profile)
    lang_hint = _declared_lang(page) or normalize_lang(defaults.get("lang"))
    generic_lines = read_generic(tree, url)
    # Datelines are read in the page's language; guess it when the page does not say, or
    # when the generic reading is the one that will be kept and its language recorded.
    generic_lang = (
        _detect_sample(generic_lines.lines) if lang_hint is None or chosen is GENERIC else None
    )
    body_lang = lang_hint or generic_lang
    generic = read_generic_page(tree, url, page, generic_lines, body_lang)
    profiled = (
        read_with_profile(tree, url, chosen, page, body_lang) if chosen is not GENERIC else None
    )
    reading = choose_reading(profiled, generic, page)
    verdict = judge_body(page, url, reading.paragraphs, reading.weight)
    title = reading.title or _head_title(tree)
    if not verdict.article or not title:
        return PageResult(None, reading.path, verdict.reason if title else "no title")

    paragraphs = list(reading.paragraphs)
    sapo = reading.sapo
    if sapo:
        sapo = strip_agency_prefix(sapo)
    elif paragraphs:
        paragraphs[0] = strip_agency_prefix(paragraphs[0])
    canonical = canonical_for(page, url, defaults.get("site"))
    if canonical != canonicalize_url(url):
        extra = date_from_url(canonical)
        reading.dates.extend([extra] if extra else [])
    if all(d.source == IMAGE_SOURCE for d in reading.dates):
        opened = _opening_dateline_date(reading, [url, canonical], body_lang)
        reading.dates.extend([opened] if opened else [])
    if all(d.source == IMAGE_SOURCE for d in reading.dates):
        guessed = guess_published(tree, url)
        reading.dates.extend([guessed] if guessed else [])
    published = choose_published(reading.dates)
    lang_detected = (
        (generic_lang or _detect_sample(generic_lines.lines))
        if reading.path == "generic"
        else _detect_sample([title, sapo or "", *paragraphs])
    )
    lang = lang_hint or lang_detected
    article = Article(
        url=url,
        canonical_url=canonical,
        title=clean_text(title),
        sapo=sapo or None,
        paragraphs=paragraphs,
        captions=reading.captions,
        author=reading.author or _ld_author(page),
        section=reading.section or _declared_section(page),
        tags=_unique_tags(reading.tags or _declared_tags(page)),
        published=published.value if published else None,
        published_source=published.source if published else None,
        modified=_modified(page),
        lang=lang,
        lang_detected=lang_detected,
        site=site_of(canonical) or defaults.get("site"),
        province=defaults.get("province"),
        translation_of=_translation_of(
            page, reading.source_url, chosen is VIETNAMVN, lang, canonical
        ),
    )
    return PageResult(article, reading.path, verdict.reason)


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
    result = read_page(html, url, profile=profile, defaults=defaults)
    if result.article is None:
        logger.info("not an article (%s): %s", result.reason, url)
    return result.article
