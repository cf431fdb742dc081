"""Index-side data: chunks, what a search is filtered by, and what it returns.

These are the contracts between index/ and qa/: qa/ only ever sees `SearchHit`,
`IndexedArticle` and `SearchFilters`, and reads an article's text through the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol

import numpy as np

DateKind = Literal["deadline", "event", "mention"]

# Chunk sizes in characters, unless the embedder states its own (`target_chars`,
# `max_chars` attributes) to fit its context window.
DEFAULT_TARGET_CHARS = 700
DEFAULT_MAX_CHARS = 1200


@dataclass(frozen=True)
class MentionedDate:
    """A date written in the text, normalised. `start`/`end` are offsets in the article text."""

    value: date
    kind: DateKind
    # How precise the wording was: "day", "month", "quarter" or "year".
    precision: Literal["day", "month", "quarter", "year"]
    start: int
    end: int
    surface: str
    # The last day, when the words name part of a year from January that the precision
    # cannot ("the first 9 months of 2025" is the year 2025 up to 30 September).
    last: date | None = None


@dataclass(frozen=True)
class Chunk:
    """A span of an article's stored text. `text == article.text[start:end]` always holds."""

    article_id: str
    ordinal: int
    start: int
    end: int
    text: str
    # Context prepended when embedding (title, site, date, province); not covered by offsets.
    context: str = ""
    dates: tuple[MentionedDate, ...] = ()
    doc_numbers: tuple[str, ...] = ()

    @property
    def chunk_id(self) -> str:
        return f"{self.article_id}:{self.ordinal}"

    @property
    def embedding_text(self) -> str:
        return f"{self.context}\n{self.text}" if self.context else self.text


@dataclass(frozen=True)
class IndexedArticle:
    """Article metadata and text as the index keeps them (enough to cite)."""

    id: str
    url: str
    title: str
    text: str
    site: str | None = None
    published: datetime | None = None
    lang: str | None = None
    province: str | None = None
    translation_group: str | None = None
    translation_of: str | None = None
    sapo: str | None = None


@dataclass(frozen=True)
class SearchFilters:
    """Applied before ranking, so a narrow filter still returns up to k results.

    Lists mean "any of". Dates are inclusive; `since`/`until` filter on publication date
    (Vietnam time), `mentioned_since`/`mentioned_until` on dates mentioned in the chunk.
    `province_unstated` widens `province` to the articles that state no province at all
    (a translation page that names neither its province nor its original): only their
    text can tell whether they are about the place.
    """

    province: tuple[str, ...] = ()
    province_unstated: bool = False
    lang: tuple[str, ...] = ()
    site: tuple[str, ...] = ()
    translation_group: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    mentioned_since: date | None = None
    mentioned_until: date | None = None

    def is_empty(self) -> bool:
        return self == SearchFilters()


@dataclass(frozen=True)
class SearchHit:
    chunk: Chunk
    article: IndexedArticle
    score: float
    # Ranks in the individual retrievers (1-based; None when that retriever missed it).
    dense_rank: int | None = None
    keyword_rank: int | None = None
    extras: dict[str, float] = field(default_factory=dict)


class Embedder(Protocol):
    """Turns text into L2-normalised float32 vectors, shape (len(texts), dimensions).

    Queries and passages are embedded differently (query/document prompts). Heavy models
    load lazily, once. `name` identifies model and dimensions; an index records it. An
    embedder may also carry `target_chars` and `max_chars`, the chunk sizes that suit it
    (read by `chunk_sizes`).
    """

    name: str
    dimensions: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def chunk_sizes(embedder: object) -> dict[str, int]:
    """The `chunk()` size arguments for `embedder`: its own hints, else the defaults."""
    return {
        "target_chars": int(getattr(embedder, "target_chars", DEFAULT_TARGET_CHARS)),
        "max_chars": int(getattr(embedder, "max_chars", DEFAULT_MAX_CHARS)),
    }


class Retriever(Protocol):
    """What qa/ needs from the index."""

    # Read-only here, so a retriever may hold any particular Embedder.
    @property
    def embedder(self) -> Embedder: ...

    def search(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        *,
        keywords: str | None = None,
    ) -> list[SearchHit]:
        """Hits for `query`'s meaning and for `keywords` (default: `query`) as words."""
        ...

    def search_dense(
        self, vector: np.ndarray, k: int = 10, filters: SearchFilters | None = None
    ) -> list[SearchHit]:
        """Dense retrieval alone for an already embedded query; score is the cosine."""
        ...

    def article(self, article_id: str) -> IndexedArticle | None: ...

    def translations(self, translation_group: str) -> list[IndexedArticle]: ...

    def sentence_vectors(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        """The vector the index stored for each sentence text (as `embedder.embed_passages`
        would give it), or None where it has none: the caller embeds those."""
        ...
