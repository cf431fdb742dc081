"""Articles as JSON Lines: import pre-extracted articles, export the store.

Schema (DESIGN.md "Article JSONL"): required `url`, `title`, and `text` or `paragraphs`;
optional `published` (ISO 8601 with offset), `lang`, `site`, `province`, `author`,
`section`, `sapo`, `captions`, `translation_of`, `canonical_url`, `modified`. Export adds
`id`, `lang_detected`, `published_source`, `translation_group`, `content_hash`,
`fetched_at`, `version`.

A bad line (not JSON, not an article, a URL that is not http(s), not UTF-8, too long) is
reported with its number and skipped; the good lines are imported. Translations that name
no original are then linked to it by content, as after a crawl.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from crawler.content_links import link_stored_translations
from crawler.errors import ImportFormatError
from crawler.models import Article
from crawler.store import ArticleStore
from crawler.urls import site_of

logger = logging.getLogger(__name__)


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors()[:3]:
        where = ".".join(str(part) for part in item["loc"]) or "article"
        problems.append(f"{where}: {item['msg'].removeprefix('Value error, ')}")
    return "; ".join(problems)


# A line longer than this is not an article (the longest real ones are ~200 KB); it is
# skipped without being held in memory.
MAX_LINE_BYTES = 16 * 1024 * 1024


def _lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per line; None for a line over MAX_LINE_BYTES."""
    try:
        handle = path.open("rb")
    except FileNotFoundError as error:
        raise ImportFormatError(f"import file not found: {path}") from error
    except OSError as error:
        raise ImportFormatError(f"cannot read {path}: {error.strerror}") from error
    with handle:
        number = 0
        while True:
            line = handle.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            number += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
                yield number, None
                continue
            yield number, line


def _parse_line(path: Path, number: int, raw: bytes | None) -> Article | None:
    """The article on one line, None for a blank line; ImportFormatError naming the line."""
    where = f"{path}, line {number}"
    if raw is None:
        raise ImportFormatError(f"{where}: longer than {MAX_LINE_BYTES} bytes")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportFormatError(
            f"{where}: not UTF-8 text ({error.reason}); save the file as UTF-8"
        ) from error
    if not line.strip():
        return None
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        detail = f"{error.msg} at column {error.colno}"
        raise ImportFormatError(f"{where}: not valid JSON ({detail})") from error
    except RecursionError as error:
        raise ImportFormatError(f"{where}: not valid JSON (nested too deeply)") from error
    except ValueError as error:  # e.g. a number with more digits than Python converts
        raise ImportFormatError(f"{where}: not valid JSON ({error})") from error
    if not isinstance(data, dict):
        raise ImportFormatError(f"{where}: expected a JSON object with url, title and text")
    try:
        return Article.model_validate(data)
    except ValidationError as error:
        raise ImportFormatError(f"{where}: {_describe(error)}") from error


def read_articles(
    path: Path, problems: list[ImportFormatError] | None = None
) -> Iterator[tuple[int, Article]]:
    """(line number, Article) for every good line. A bad line raises ImportFormatError,
    or, when `problems` is given, is added to it and skipped."""
    for number, raw in _lines(path):
        try:
            article = _parse_line(path, number, raw)
        except ImportFormatError as error:
            if problems is None:
                raise
            problems.append(error)
            continue
        if article is not None:
            yield number, article


def _prepared(article: Article) -> Article:
    """Fill what an import implies: the site from the URL, where the date came from."""
    update: dict[str, object] = {}
    if not article.site:
        update["site"] = site_of(article.identity_url)
    if article.published and not article.published_source:
        update["published_source"] = "import"
    return article.model_copy(update=update) if update else article


def import_jsonl(
    store: ArticleStore,
    path: Path,
    problems: list[ImportFormatError] | None = None,
    *,
    places: Mapping[str, Sequence[str]] | None = None,
) -> Counter[str]:
    """Add every good article of a JSONL file; counts of "new", "changed", "unchanged",
    "skipped" and "linked" (translations that named no original, linked to it by
    content once the file is in: `crawler.content_links`). Each bad line is added to
    `problems` (each names its line) and skipped; the rest is imported."""
    found: list[ImportFormatError] = [] if problems is None else problems
    outcomes: Counter[str] = Counter()
    for _number, article in read_articles(path, found):
        outcomes[store.add(_prepared(article))] += 1
    if found:
        outcomes["skipped"] = len(found)
    linked = link_stored_translations(store, places=places).linked
    if linked:
        outcomes["linked"] = linked
    return outcomes


def export_jsonl(store: ArticleStore, out: TextIO) -> int:
    """Write the latest version of every stored article as one JSON object per line."""
    count = 0
    for article in store.articles():
        out.write(json.dumps(article.model_dump(mode="json"), ensure_ascii=False))
        out.write("\n")
        count += 1
    return count
