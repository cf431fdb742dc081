"""Which article versions tell the same story.

A story is an original and its translations. The dev set links a translation to its
original with `translation_of`, and versions on a multilingual site share the last path
segment of their URLs (www.vietnam.vn/en/<slug>, /ru/<slug>); translations whose original
is not in the set are linked by that slug alone. The index's translation groups add to
this at evaluation time (`StoryMap.with_versions`), so sets without an articles file
(the project's own) still count a cited translation of a gold article.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from qa.errors import QuestionError

# A language folder such as /en/ or /zh-cn/ before the slug.
_LANGUAGE_FOLDER = re.compile(r"^[a-z]{2}(?:-[a-z]{2,4})?$")


def url_key(url: str) -> str:
    """One spelling of a URL for comparing: lower-case host without `www.`, no scheme,
    query, fragment or trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def _slug_key(url: str) -> str | None:
    """(host, slug) for a URL shaped host/<language>/<slug>, the multilingual-site layout."""
    parts = urlsplit(url.strip())
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) != 2 or not _LANGUAGE_FOLDER.match(segments[0].lower()):
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}/{segments[1].lower()}"


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            # The smaller key becomes the root, so story ids do not depend on input order.
            low, high = sorted((root_a, root_b))
            self.parent[high] = low

    def groups(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for item in list(self.parent):
            found.setdefault(self.find(item), set()).add(item)
        return found


class StoryMap:
    """URL -> the URLs of every version of its story (URLs compared by `url_key`)."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self._story: dict[str, frozenset[str]] = {}
        for group in groups:
            story = frozenset(url_key(u) for u in group)
            for key in story:
                self._story[key] = story

    @classmethod
    def from_articles(cls, records: Iterable[dict[str, Any]]) -> StoryMap:
        links = _UnionFind()
        by_slug: dict[str, str] = {}
        for record in records:
            url = url_key(str(record.get("url") or ""))
            if not url:
                continue
            links.find(url)
            original = record.get("translation_of")
            if original:
                links.union(url, url_key(str(original)))
            slug = _slug_key(str(record.get("url") or ""))
            if slug:
                if slug in by_slug:
                    links.union(url, by_slug[slug])
                else:
                    by_slug[slug] = url
        return cls(links.groups().values())

    @classmethod
    def load(cls, path: Path) -> StoryMap:
        """From an articles JSONL file (the import schema); QuestionError when unreadable."""
        records = []
        try:
            with path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, start=1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as error:
                        raise QuestionError(f"{path}:{number}: not JSON ({error.msg})") from None
                    if isinstance(record, dict):
                        records.append(record)
        except OSError as error:
            raise QuestionError(f"cannot read articles file {path}: {error.strerror}") from None
        return cls.from_articles(records)

    def story(self, url: str) -> frozenset[str]:
        key = url_key(url)
        return self._story.get(key, frozenset({key}))

    def story_id(self, url: str) -> str:
        """A stable name for the story: its smallest URL key."""
        return min(self.story(url))

    def stories(self) -> list[frozenset[str]]:
        return sorted(set(self._story.values()), key=min)

    def with_versions(self, url: str, versions: Iterable[str]) -> frozenset[str]:
        """The story of `url` joined with versions the index groups with it."""
        joined = set(self.story(url))
        for version in versions:
            joined |= self.story(version)
        return frozenset(joined)
