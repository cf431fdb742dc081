"""The Article model: what the crawler extracts, the store keeps and the index reads.

`text` is the article's citable text: the sapo (lead) followed by the body paragraphs,
joined by blank lines. Citation offsets (`start`, `end`) downstream always point into
this exact string, so it must never be re-normalised after it is stored.
Captions are kept apart from the body and are not part of `text`.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from crawler.urls import is_web_url

PARAGRAPH_SEPARATOR = "\n\n"


def normalise_text(value: str) -> str:
    """NFC-normalise and trim; windows-1258 pages decode to decomposed tone marks."""
    return unicodedata.normalize("NFC", value).strip()


def compose_text(sapo: str | None, paragraphs: list[str]) -> str:
    """The stored, citable text: sapo first (unless the body already starts with it)."""
    parts = [p for p in (normalise_text(p) for p in paragraphs) if p]
    if sapo:
        lead = normalise_text(sapo)
        if lead and not (parts and parts[0].startswith(lead)):
            parts.insert(0, lead)
    return PARAGRAPH_SEPARATOR.join(parts)


def article_id_for(canonical_url: str) -> str:
    """Stable id: a short hash of the canonical URL (the identity of an article)."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def content_hash_for(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()


class Article(BaseModel):
    """One article, as imported, extracted or exported (DESIGN.md "Article JSONL")."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    url: str
    title: str
    text: str = ""
    paragraphs: list[str] = Field(default_factory=list)
    published: datetime | None = None
    lang: str | None = None
    site: str | None = None
    province: str | None = None
    author: str | None = None
    section: str | None = None
    sapo: str | None = None
    captions: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    translation_of: str | None = None
    canonical_url: str | None = None
    modified: datetime | None = None
    # Filled by the store / extractor; present on export.
    id: str | None = None
    lang_detected: str | None = None
    published_source: str | None = None
    translation_group: str | None = None
    content_hash: str | None = None
    fetched_at: datetime | None = None
    version: int | None = None

    @field_validator("url", "canonical_url", "translation_of")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        # Every URL is linked and shown later: only absolute http(s) URLs are accepted.
        if value is not None and not is_web_url(value):
            raise ValueError(
                f"must be an absolute http:// or https:// URL with a host, got {value[:200]!r}"
            )
        return value

    @field_validator("title")
    @classmethod
    def _title_not_empty(cls, value: str) -> str:
        value = normalise_text(value)
        if not value:
            raise ValueError("title must not be empty")
        return value

    @field_validator("published", "modified")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("dates need a UTC offset, e.g. 2025-03-17T14:34:00+07:00")
        return value

    @model_validator(mode="after")
    def _text_or_paragraphs(self) -> Article:
        if self.paragraphs and not self.text:
            self.text = compose_text(self.sapo, self.paragraphs)
        elif self.text:
            self.text = normalise_text(self.text)
            if not self.paragraphs:
                self.paragraphs = [p for p in self.text.split(PARAGRAPH_SEPARATOR) if p.strip()]
        if not self.text:
            raise ValueError("an article needs `text` or `paragraphs`")
        return self

    @property
    def identity_url(self) -> str:
        return self.canonical_url or self.url

    def with_identity(self) -> Article:
        """A copy with `id` and `content_hash` filled in from the canonical URL and text."""
        return self.model_copy(
            update={
                "id": self.id or article_id_for(self.identity_url),
                "content_hash": content_hash_for(self.title, self.text),
            }
        )


def place_key(name: str) -> str:
    """A diacritic-free, lower-case slug for a place name: "Lâm Đồng" -> "lam-dong".

    The shared key for province filters across the store, the index and the gazetteer.
    """
    folded = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_only.lower()).split()
    return "-".join(words)
