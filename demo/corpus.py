"""The demo corpus (`demo/corpus.jsonl`): one record per article, with what the site
builder derives from its URL (host, path, template family, section segment) and its
translations linked to their original. Not `crawler.models.Article`: this is the demo's
source material, richer (captions, the original object) and never crawled."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from demo.families import family_for_article
from demo.profiles import FamilyName
from facts.vietnam_time import VIETNAM_TZ

logger = logging.getLogger(__name__)

DEFAULT_CORPUS = Path(__file__).with_name("corpus.jsonl")


@dataclass
class CorpusArticle:
    """One corpus record, with what the site builder derives from its URL."""

    id: str
    url: str
    host: str
    path: str
    lang: str
    title: str
    sapo: str
    published: datetime
    author: str
    section: str
    section_slug: str
    paragraphs: list[str]
    captions: list[str]
    province: str
    family: FamilyName
    translation_of: str | None = None
    original: CorpusArticle | None = None
    translations: list[CorpusArticle] = field(default_factory=list)

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> CorpusArticle:
        parts = urlsplit(rec["url"])
        host, path = parts.netloc.lower(), parts.path
        family = family_for_article(host, path)
        if family is None:
            raise ValueError(f"{rec['id']}: URL {rec['url']!r} matches no site family")
        section = rec.get("section") or "Tin tức"
        section_slug = family.section_slug(path, section)
        return cls(
            id=rec["id"],
            url=rec["url"],
            host=host,
            path=path,
            lang=rec.get("lang") or "vi",
            title=rec["title"],
            sapo=rec.get("sapo") or "",
            published=datetime.fromisoformat(rec["published"]).astimezone(VIETNAM_TZ),
            author=rec.get("author") or "",
            section=section,
            section_slug=section_slug,
            paragraphs=list(rec["paragraphs"]),
            captions=list(rec.get("captions") or []),
            province=rec.get("province") or "",
            family=family.name,
            translation_of=rec.get("translation_of"),
        )

    @property
    def vnvn_slug(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def load_corpus(path: Path = DEFAULT_CORPUS) -> list[CorpusArticle]:
    """Read the corpus and link every translation to its original."""
    articles = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    articles.append(CorpusArticle.from_record(json.loads(line)))
                except (KeyError, ValueError) as exc:
                    raise ValueError(f"{path}:{lineno}: bad article record: {exc}") from exc
    by_url = {a.url: a for a in articles}
    for a in articles:
        if a.translation_of:
            original = by_url.get(a.translation_of)
            if original is None:
                logger.debug("%s: its original %s is not in the corpus", a.id, a.translation_of)
                continue
            a.original = original
            original.translations.append(a)
    return articles
