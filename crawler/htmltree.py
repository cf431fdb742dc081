"""The one parse of a page: an lxml tree that every reader of the page shares.

The tree is built the way trafilatura builds its own (same parser settings, same repairs
of broken markup), so the generic reader hands it to trafilatura without a second parse.
CSS selectors (the profiles' and the generic ones) are compiled once to XPath.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement
from trafilatura.utils import load_html

_WHITESPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Text that shows on the page (not inside scripts, styles and templates).
_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template)]"
)


def parse_html(html: str) -> HtmlElement | None:
    """The page's tree, or None when there is no HTML to read."""
    if not html or not html.strip():
        return None
    try:
        return load_html(html)
    except (TypeError, ValueError):
        return None


def clean_text(value: str) -> str:
    """One line of display text: invisible characters out, whitespace collapsed."""
    return _WHITESPACE.sub(" ", _INVISIBLE.sub("", value)).strip()


def element_text(element: HtmlElement) -> str:
    """The visible text under `element` on one line."""
    return clean_text("".join(_VISIBLE_TEXT(element)))


@cache
def _compiled(selector: str) -> CSSSelector:
    return CSSSelector(selector)


# What a selector needs the page to have: its classes, ids and itemprop values.
_SELECTOR_TOKENS = re.compile(r"([.#])([\w-]+)|\[itemprop=[\"']?([\w-]+)")


@dataclass(frozen=True)
class _Needs:
    classes: frozenset[str]
    ids: frozenset[str]
    itemprops: frozenset[str]


@cache
def _needs(selector: str) -> _Needs:
    classes, ids, itemprops = set(), set(), set()
    for kind, name, itemprop in _SELECTOR_TOKENS.findall(selector):
        if itemprop:
            itemprops.add(itemprop)
        elif kind == ".":
            classes.add(name)
        else:
            ids.add(name)
    return _Needs(frozenset(classes), frozenset(ids), frozenset(itemprops))


_CLASSES = etree.XPath("//@class", smart_strings=False)
_IDS = etree.XPath("//@id", smart_strings=False)
_ITEMPROPS = etree.XPath("//@itemprop", smart_strings=False)


class _Vocabulary:
    """The class names of a page, and its ids and itemprop values, each read from the
    tree only when a selector first asks (each is one scan of the whole page)."""

    def __init__(self, top: HtmlElement) -> None:
        self._top = top
        # One join and one split in C, not a Python loop over every attribute.
        self.classes: set[str] = set(" ".join(_CLASSES(top)).split())
        self._ids: set[str] | None = None
        self._itemprops: set[str] | None = None

    @property
    def ids(self) -> set[str]:
        if self._ids is None:
            self._ids = set(_IDS(self._top))
        return self._ids

    @property
    def itemprops(self) -> set[str]:
        if self._itemprops is None:
            self._itemprops = set(_ITEMPROPS(self._top))
        return self._itemprops


# The vocabulary of the page read last: pages are read one at a time, and the selectors of
# every profile are checked against the same page (any thread recomputes it when it differs).
_last_vocabulary: list[tuple[HtmlElement, _Vocabulary]] = []


def _vocabulary(root: HtmlElement) -> _Vocabulary:
    top = root.getroottree().getroot()
    last = _last_vocabulary[-1] if _last_vocabulary else None
    if last is not None and last[0] is top:
        return last[1]
    vocabulary = _Vocabulary(top)
    _last_vocabulary[:] = [(top, vocabulary)]
    return vocabulary


def page_classes(root: HtmlElement) -> set[str]:
    """Every class name used on the page of `root`."""
    return _vocabulary(root).classes


def _possible(root: HtmlElement, selector: str) -> bool:
    """False when the page lacks a class, id or itemprop the selector names: the selector
    cannot match, and the (slow) XPath scan of the page is skipped."""
    needs = _needs(selector)
    if not (needs.classes or needs.ids or needs.itemprops):
        return True
    vocabulary = _vocabulary(root)
    return (
        needs.classes <= vocabulary.classes
        and (not needs.ids or needs.ids <= vocabulary.ids)
        and (not needs.itemprops or needs.itemprops <= vocabulary.itemprops)
    )


def select_all(root: HtmlElement, selector: str) -> list[HtmlElement]:
    return list(_compiled(selector)(root)) if _possible(root, selector) else []


def select_first(root: HtmlElement, selectors: tuple[str, ...]) -> HtmlElement | None:
    """The first element matched by the first selector that matches anything."""
    for selector in selectors:
        if not _possible(root, selector):
            continue
        found = _compiled(selector)(root)
        if found:
            return found[0]
    return None


def has_match(root: HtmlElement, selector: str) -> bool:
    return _possible(root, selector) and bool(_compiled(selector)(root))
