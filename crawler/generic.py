"""The generic reader: trafilatura (with htmldate) over the page's shared lxml tree.

Used for every layout no profile knows, and as the yardstick a profile's reading is
checked against. trafilatura keeps the main text and drops navigation, share bars,
related boxes and comments; its body comes back here as plain lines (paragraphs, list
items, table rows, in page order). The profile-specific rules (captions, credits,
"Source:" lines, datelines) are applied by the caller to these lines like to any body.

Title, author and dates come from the page's own metadata (`crawler.pagemeta`), read
once for every path; trafilatura's metadata pass is not run. htmldate is asked for a
publication day only when the page states none (`guess_published`): it searches the
whole page, so it is the last resort, and it is the slowest step of a page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from htmldate import find_date
from lxml import etree
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import Extractor

from crawler.htmltree import clean_text
from crawler.pubdate import DateCandidate, to_vietnam_time

logger = logging.getLogger(__name__)

GENERIC_DATE_SOURCE = "htmldate"
# htmldate on markup only (meta, time elements, date classes, the URL), never on free
# text, where it takes deadlines and quoted dates for the publication day; the day only:
# its times are guesses.
_DATE_PARAMS: Any = {  # htmldate options: strings and flags
    "extensive_search": False,
    "original_date": True,
    "outputformat": "%Y-%m-%d",
}


@dataclass
class GenericRead:
    lines: list[str]

    @property
    def chars(self) -> int:
        return sum(len(line) for line in self.lines)


@cache
def _base_options() -> Extractor:
    # Tables are story text (budget tables, lists of communes). Comment sections are read
    # apart (trafilatura's default) and dropped: that takes them out of the body, and is
    # faster than pruning them from the whole page first (AEB: F1 0.962 on both halves,
    # 0.78x trafilatura's own speed, against 0.965/0.962 and 0.70x with pruning).
    # Only the body element is used: with the "python" format trafilatura would also
    # render the body and the comments as text; with "txt" it hands back the same body
    # (all 181 AEB pages) without rendering anything.
    return Extractor(output_format="txt", comments=True, tables=True)


def _options(url: str) -> Extractor:
    """The options for one page: built once (building reads trafilatura's settings file
    values one by one), copied with the page's URL."""
    options = copy(_base_options())
    options.url = url
    options.source = url.encode("utf-8", "replace").decode("utf-8")  # as trafilatura does
    return options


_BLOCKS = frozenset({"p", "head", "list", "table", "quote", "code", "item", "row", "cell", "div"})


def _text_with_breaks(element: _Element) -> str:
    """The element's text with each `<lb/>` as a line break."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _text_with_breaks(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _split_lines(text: str) -> Iterator[str]:
    for raw in text.splitlines():
        line = clean_text(raw)
        if line:
            yield line


def _block_lines(container: _Element) -> Iterator[str]:
    """A container's lines: its blocks one by one, or its text when it has no blocks."""
    if not any(child.tag in _BLOCKS for child in container):
        yield from _split_lines(_text_with_breaks(container))
        return
    yield from _split_lines(container.text or "")
    for child in container:
        yield from _element_lines(child)
        yield from _split_lines(child.tail or "")


def _element_lines(element: _Element) -> Iterator[str]:
    """Lines of one element of trafilatura's body, in reading order. A table row with one
    filled cell is a layout table holding story blocks; a row of several cells is data,
    one line per row with the cells apart."""
    if element.tag == "table":
        for row in element.findall("row"):
            cells = [cell for cell in row if cell.tag == "cell" and clean_text(_all_text(cell))]
            if len(cells) == 1:
                yield from _block_lines(cells[0])
            elif cells:
                yield " | ".join(clean_text(_all_text(cell)) for cell in cells)
    elif element.tag == "list":
        for item in element:
            if item.tag == "item":
                yield from _split_lines(_text_with_breaks(item))
    elif element.tag == "graphic":
        return
    else:
        yield from _block_lines(element)


def _all_text(element: _Element) -> str:
    return " ".join(element.itertext())


def body_lines(body: _Element) -> list[str]:
    """trafilatura's body element as lines of text, in reading order."""
    return list(_block_lines(body))


def read_generic(tree: HtmlElement, url: str) -> GenericRead:
    """The main text trafilatura finds on the page; no lines when it finds none.

    The tree is not changed: trafilatura works on its own copy.
    """
    try:
        document = bare_extraction(tree, url=url, options=_options(url))
    except Exception as exc:  # a library failure on one odd page must not stop a crawl
        logger.warning("generic reader failed on %s: %s", url, exc)
        document = None
    if document is None or isinstance(document, dict) or document.body is None:
        return GenericRead(lines=[])
    return GenericRead(lines=body_lines(document.body))


# Page chrome that shows today's date or other pages' dates (SITES.md: the top-bar trap).
_CHROME = etree.XPath("//header | //nav | //footer | //aside | //*[@class or @id]")
_CHROME_NAMES = re.compile(
    r"(^|[-_ ])(top-?bar|topbar|header|menu|nav|navbar|today|current-date|date-now|"
    r"footer|sidebar|most-read|related|relates|box-related)([-_ ]|$)",
    re.IGNORECASE,
)


@contextmanager
def _chrome_hidden(tree: HtmlElement) -> Iterator[None]:
    """The page's chrome out of `tree` for the duration, and put back after.

    htmldate copies a tree it is given before it cleans it, so the chrome is taken out of
    the page itself rather than out of a copy of it (a second copy of the whole page).
    Each chrome element gives way to an empty comment that keeps its tail text."""
    doomed = [
        element
        for element in _CHROME(tree)
        if element.tag in ("header", "nav", "footer", "aside")
        or _CHROME_NAMES.search(f"{element.get('class', '')} {element.get('id', '')}")
    ]
    swapped: list[tuple[_Element, _Element, _Element]] = []
    try:
        for element in reversed(doomed):  # innermost first: page order lists outer first
            parent = element.getparent()
            if parent is None:
                continue
            stand_in = etree.Comment("")
            stand_in.tail = element.tail
            parent.replace(element, stand_in)
            swapped.append((parent, stand_in, element))
        yield
    finally:
        for parent, stand_in, element in reversed(swapped):
            parent.replace(stand_in, element)


def guess_published(tree: HtmlElement, url: str) -> DateCandidate | None:
    """htmldate's publication day for the page without its chrome, or None. The tree is
    the same after as before."""
    try:
        with _chrome_hidden(tree):
            value = find_date(tree, url=url, **_DATE_PARAMS)
    except Exception as exc:  # same: one odd page must not stop a crawl
        logger.debug("htmldate failed on %s: %s", url, exc)
        return None
    if not value:
        return None
    try:
        day = datetime.strptime(str(value)[:10], "%Y-%m-%d")
    except ValueError:
        return None
    return DateCandidate(to_vietnam_time(day), False, GENERIC_DATE_SOURCE)
