"""The body walker of a profile's reading: a story container in, blocks of text out.

Walks the container of the page's shared lxml tree (`crawler.htmltree`) in document
order and yields paragraphs and captions as `Block`s: share bars, related boxes and other
noise classes, scripts, forms, navigation and media are skipped; `<br>` splits lines;
images mark the line after them; figures, captioned tables and image-plus-text paragraphs
give captions; data tables give one line per row. Which block is a credit, a "Source:"
line or a dateline is decided afterwards by `crawler.extract`, the same way for every
reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from crawler.htmltree import clean_text

# An emphasised line under an image longer than this is story text, not a caption.
MAX_CAPTION_CHARS = 300

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
_NESTED_BLOCK_TAGS = tuple(BLOCK_TAGS - {"hr"})
IMAGE_TAGS = ("img", "picture", "amp-img")
EMPHASIS_TAGS = frozenset({"strong", "b", "em", "i"})
_CAPTION_NAMES = (
    r"caption|image_desc|img-desc|image-desc|photocms_caption|fig-?caption|"
    r"expnoedit|desc_image|note-image|image_caption|img_caption"
)
# A class (or id) naming a caption: one of the names, alone or as a dash/underscore part.
CAPTION_CLASSES = re.compile(rf"(^|[-_ ])({_CAPTION_NAMES})([-_ ]|$)", re.IGNORECASE)
NOISE_CLASSES = re.compile(
    r"(^|[-_ ])(share|sharing|social|comments?|related|relates|relate|tags?|tag_list|topics|"
    r"print|print_page|ads?|banner|advert|advertisement|sidebar|most-read|newsletter|cookie|"
    r"breadcrumbs?|subscribe|rating|toolbar|zalo|rss|hotline|fb-root|player)([-_ ]|$)",
    re.IGNORECASE,
)
LINE_BREAKS = re.compile(r"\n\s*\n|\n")
_DESCENDANT_TEXT = etree.XPath(".//text()")


# --------------------------------------------------------------------------- element tests


def _is_element(node: object) -> bool:
    """An element, not a comment, processing instruction or entity (their tag is not a str)."""
    return isinstance(getattr(node, "tag", None), str)


def raw_text(element: HtmlElement, line_break: str) -> str:
    """The visible text under `element` (skipped tags' text left out), each <br> as
    `line_break`."""
    parts: list[str] = []
    _collect_text(element, line_break, parts)
    return "".join(parts)


def _collect_text(element: HtmlElement, line_break: str, parts: list[str]) -> None:
    if element.text and _is_element(element):
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            if tag == "br":
                parts.append(line_break)
            elif tag not in SKIP_TAGS:
                _collect_text(child, line_break, parts)
        if child.tail:
            parts.append(child.tail)


def block_text(element: HtmlElement) -> str:
    """The element's visible text on one line, as the body walker reads it."""
    return clean_text(raw_text(element, " "))


def class_and_id(element: HtmlElement) -> str:
    return " ".join(f"{element.get('class') or ''} {element.get('id') or ''}".split())


def is_noise(element: HtmlElement) -> bool:
    return bool(NOISE_CLASSES.search(class_and_id(element)))


def is_caption_element(element: HtmlElement) -> bool:
    return element.tag == "figcaption" or bool(CAPTION_CLASSES.search(class_and_id(element)))


def _right_aligned(element: HtmlElement) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return "text-align:right" in style or (element.get("align") or "").lower() == "right"


def _text_all_emphasised(element: HtmlElement) -> bool:
    """True when every piece of text in `element` sits inside a bold or italic tag."""
    found = False
    for node in _DESCENDANT_TEXT(element):
        if not node.strip():
            continue
        found = True
        owner = node.getparent()
        parent = owner.getparent() if node.is_tail else owner
        while parent is not None and parent is not element:
            if parent.tag in EMPHASIS_TAGS:
                break
            parent = parent.getparent()
        else:
            return False
    return found


def has_image(element: HtmlElement) -> bool:
    return element.tag in IMAGE_TAGS or next(element.iterdescendants(*IMAGE_TAGS), None) is not None


def _has_block(element: HtmlElement, tags: Iterable[str]) -> bool:
    return next(element.iterdescendants(*tags), None) is not None


def inside_noise(element: HtmlElement, stop: HtmlElement) -> bool:
    """True when an ancestor of `element` below `stop` is skipped or noise."""
    for parent in element.iterancestors():
        if parent is stop:
            return False
        if parent.tag in SKIP_TAGS or is_noise(parent):
            return True
    return False


def story_images(root: HtmlElement) -> Iterator[HtmlElement]:
    """The images in the story itself, not in the boxes the walker skips."""
    for image in root.iterdescendants(*IMAGE_TAGS):
        if not inside_noise(image, root):
            yield image


def pruned_copy(root: HtmlElement, doomed: Iterable[HtmlElement]) -> HtmlElement:
    """A copy of `root` without those of `doomed` that lie inside it (their tail text stays).
    The page's tree is shared by every reader of the page, so it is never changed."""
    paths: list[list[int]] = []
    for element in doomed:
        path: list[int] = []
        node = element
        while node is not root:
            parent = node.getparent()
            if parent is None:
                break  # not inside root
            path.append(parent.index(node))
            node = parent
        else:
            if path:
                paths.append(path[::-1])
    copy = deepcopy(root)
    copy.tail = None
    targets = []
    for path in paths:
        node = copy
        for index in path:
            node = node[index]
        targets.append(node)
    for target in targets:
        if target.getparent() is not None:
            target.drop_tree()
    return copy


# --------------------------------------------------------------------------- the walker


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

    def read(self, container: HtmlElement) -> list[Block]:
        if container.text:
            self._inline.append(container.text)
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
        for line in LINE_BREAKS.split(text):
            cleaned = clean_text(line)
            if cleaned:
                self._add(Block(cleaned))

    def _visit(self, node: HtmlElement) -> None:
        """The children of `node` (its own leading text is the caller's to add)."""
        for child in node:
            self._child(child)
            if child.tail:
                self._inline.append(child.tail)

    def _visit_with_text(self, node: HtmlElement) -> None:
        if node.text:
            self._inline.append(node.text)
        self._visit(node)

    def _child(self, child: HtmlElement) -> None:
        name = child.tag
        if not isinstance(name, str) or name in SKIP_TAGS or is_noise(child):
            return
        if name == "br":
            self._inline.append("\n")
            return
        if name in IMAGE_TAGS:
            self._flush_inline()
            self._last_was_image = True
            return
        inline = name not in BLOCK_TAGS and name not in LEAF_BLOCK_TAGS
        if inline and not _has_block(child, BLOCK_TAGS):
            if has_image(child) and not block_text(child):
                self._flush_inline()
                self._last_was_image = True
            else:
                self._inline.append(raw_text(child, "\n"))
            return
        self._flush_inline()
        self._block(child)

    def _block(self, element: HtmlElement) -> None:
        name = element.tag
        if name == "hr":
            return
        if name == "figure":
            self._figure(element)
            return
        if name == "table":
            self._table(element)
            return
        if is_caption_element(element):
            self._add(Block(block_text(element), kind="caption"))
            return
        if name in ("ul", "ol", "dl") or _has_block(element, _NESTED_BLOCK_TAGS):
            self._visit_with_text(element)
            return
        if name == "div" and next(element.iterdescendants("br"), None) is not None:
            self._visit_with_text(element)
            return
        text = block_text(element)
        with_image = has_image(element)
        if not text:
            if with_image:
                self._last_was_image = True
            return
        block = Block(
            text,
            right_aligned=_right_aligned(element),
            emphasised=_text_all_emphasised(element),
            after_image=with_image,
        )
        if with_image and len(text) <= MAX_CAPTION_CHARS:
            block.kind = "caption"  # an image with its caption in the same paragraph
        self._add(block)

    def _figure(self, figure: HtmlElement) -> None:
        captions = list(figure.iterdescendants("figcaption")) or [
            element
            for element in figure.iterdescendants()
            if _is_element(element) and is_caption_element(element)
        ]
        for caption in captions:
            self._add(Block(block_text(caption), kind="caption"))
        self._last_was_image = True

    def _table(self, table: HtmlElement) -> None:
        rows = list(table.iterdescendants("tr"))
        row_texts = [block_text(row) for row in rows]
        if has_image(table):
            if any(len(text) > MAX_CAPTION_CHARS for text in row_texts):
                self._visit_with_text(table)  # a layout table around the story
                return
            for text in row_texts:  # image row(s) and caption row(s)
                if text:
                    self.blocks.append(Block(text, kind="caption", after_image=True))
            self._last_was_image = False
            return
        for row in rows:
            cells = [block_text(cell) for cell in row.iterdescendants("td", "th")]
            text = " | ".join(cell for cell in cells if cell)
            if text:
                self._add(Block(text))
