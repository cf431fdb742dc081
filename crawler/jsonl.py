"""Articles as JSON Lines: import pre-extracted articles, export the store.

Schema (DESIGN.md "Article JSONL"): required `url`, `title`, and `text` or `paragraphs`;
optional `published` (ISO 8601 with offset), `lang`, `site`, `province`, `author`,
`section`, `sapo`, `captions`, `translation_of`, `canonical_url`, `modified`. Export adds
`id`, `lang_detected`, `published_source`, `translation_group`, `content_hash`,
`fetched_at`, `version`.

An import file is checked completely before anything is stored, so a bad line (reported
with its number) leaves the store as it was.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

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


def read_articles(path: Path) -> Iterator[tuple[int, Article]]:
    """(line number, Article) for every non-blank line; ImportFormatError on a bad one."""
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError as error:
        raise ImportFormatError(f"import file not found: {path}") from error
    with handle:
        number = 0
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as error:
                    raise ImportFormatError(
                        f"{path}, line {number}: not valid JSON ({error.msg} at column {error.colno})"
                    ) from error
                if not isinstance(data, dict):
                    raise ImportFormatError(
                        f"{path}, line {number}: expected a JSON object with url, title and text"
                    )
                try:
                    article = Article.model_validate(data)
                except ValidationError as error:
                    raise ImportFormatError(f"{path}, line {number}: {_describe(error)}") from error
                yield number, article
        except UnicodeDecodeError as error:
            raise ImportFormatError(
                f"{path}, line {number + 1}: not UTF-8 text ({error.reason}); save the file as UTF-8"
            ) from error


def _prepared(article: Article) -> Article:
    """Fill what an import implies: the site from the URL, where the date came from."""
    update: dict[str, object] = {}
    if not article.site:
        update["site"] = site_of(article.identity_url)
    if article.published and not article.published_source:
        update["published_source"] = "import"
    return article.model_copy(update=update) if update else article


def import_jsonl(store: ArticleStore, path: Path) -> Counter[str]:
    """Add every article of a JSONL file; counts of "new", "changed", "unchanged".

    The whole file is validated first: a bad line raises ImportFormatError naming it and
    nothing is stored.
    """
    lines = sum(1 for _ in read_articles(path))
    logger.info("importing %d articles from %s", lines, path)
    outcomes: Counter[str] = Counter()
    for _number, article in read_articles(path):
        outcomes[store.add(_prepared(article))] += 1
    return outcomes


def export_jsonl(store: ArticleStore, out: TextIO) -> int:
    """Write the latest version of every stored article as one JSON object per line."""
    count = 0
    for article in store.articles():
        out.write(json.dumps(article.model_dump(mode="json"), ensure_ascii=False))
        out.write("\n")
        count += 1
    return count
