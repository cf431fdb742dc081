"""What a page's head and structured data say about it: meta tags, JSON-LD, the declared
language, `rel=canonical`, `og:url` and `hreflang` alternates. Read from the shared lxml
tree (see `crawler.htmltree`)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

from crawler.htmltree import clean_text
from crawler.urls import resolve_url

logger = logging.getLogger(__name__)

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
        "liveblogposting",
        "techarticle",
    }
)
LISTING_TYPES = frozenset(
    {"collectionpage", "searchresultspage", "itemlist", "profilepage", "videogallery"}
)


@dataclass
class PageMeta:
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
            if ld_types(item) & ARTICLE_TYPES:
                return item
        return None

    @property
    def og_type(self) -> str:
        return (self.first("og:type") or "").lower()

    @property
    def declares_article(self) -> bool:
        """Article JSON-LD or `og:type=article`: the page says it is an article."""
        return self.article_ld is not None or self.og_type.startswith("article")

    @property
    def ld_types(self) -> set[str]:
        types: set[str] = set()
        for item in self.jsonld:
            types |= ld_types(item)
        return types

    @property
    def ld_body(self) -> str | None:
        body = (self.article_ld or {}).get("articleBody")
        return body if isinstance(body, str) and body.strip() else None


def ld_types(item: dict[str, Any]) -> set[str]:
    value = item.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values if v}


def ld_text(value: Any) -> str | None:
    """A JSON-LD value as display text: strings, `{name: ...}` objects, lists of them."""
    if isinstance(value, str):
        return clean_text(value) or None
    if isinstance(value, dict):
        return ld_text(value.get("name") or value.get("@id"))
    if isinstance(value, list) and value:
        texts = [t for t in (ld_text(v) for v in value) if t]
        return ", ".join(texts) or None
    return None


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


def _meta_elements(
    tree: HtmlElement,
) -> tuple[list[HtmlElement], list[HtmlElement], list[HtmlElement]]:
    """The page's `<meta>` tags, JSON-LD scripts and `<link href>` tags, in page order,
    from one walk over the page (they may sit in the body as well as in the head)."""
    metas: list[HtmlElement] = []
    scripts: list[HtmlElement] = []
    links: list[HtmlElement] = []
    for element in tree.iter("meta", "link", "script"):
        if element.tag == "meta":
            metas.append(element)
        elif element.tag == "link":
            if element.get("href") is not None:
                links.append(element)
        elif "ld+json" in (element.get("type") or "").lower():
            scripts.append(element)
    return metas, scripts, links


def read_page_meta(tree: HtmlElement, url: str) -> PageMeta:
    metas, scripts, links = _meta_elements(tree)
    meta: dict[str, list[str]] = {}
    for tag in metas:
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
        content = tag.get("content")
        if key and content is not None:
            meta.setdefault(key.strip().lower(), []).append(content)
    jsonld: list[dict[str, Any]] = []
    for script in scripts:
        raw = script.text or ""
        if not raw.strip():
            continue
        try:
            jsonld.extend(_flatten_ld(_load_json_lenient(raw.strip())))
        except (json.JSONDecodeError, RecursionError) as exc:
            logger.debug("unreadable JSON-LD on %s: %s", url, exc)
    root = tree.getroottree().getroot()
    html_lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    canonical = None
    alternates: dict[str, str] = {}
    for link in links:
        rels = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if not href:
            continue
        if "canonical" in rels and canonical is None:
            canonical = resolve_url(url, href)
        elif "alternate" in rels and link.get("hreflang"):
            alternates.setdefault(link.get("hreflang", "").lower(), resolve_url(url, href))
    og_url = meta.get("og:url", [None])[0]
    return PageMeta(
        meta=meta,
        jsonld=jsonld,
        html_lang=html_lang.strip() or None,
        canonical=canonical,
        og_url=resolve_url(url, og_url) if og_url else None,
        alternates=alternates,
    )
