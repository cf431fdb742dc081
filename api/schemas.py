"""Request and response models of the HTTP API (the contracts in DESIGN.md "HTTP").

Requests are strict (unknown fields in filters are rejected so a typo does not silently
widen a search); responses allow extra fields so lower layers can add to an answer
without breaking clients.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from facts.limits import MAX_QUESTION_CHARS

MAX_HISTORY_TURNS = 20
MAX_FILTER_VALUES = 20


def _as_list(value: object) -> object:
    """Filters take one value or several: "lam-dong" and ["lam-dong"] mean the same."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return value


# The raw filters `qa.answer.answer(filters=...)` and the CLI take.
RawFilters = dict[str, list[str] | str | None]


class AsGiven(BaseModel):
    """A record whose keys vary with who wrote it (an answer's `searched`, the index's
    info, a crawl run): every known key is typed, unknown ones pass through, and a key
    the writer left out stays out of the JSON instead of appearing as null."""

    model_config = ConfigDict(extra="allow")

    # No return annotation on purpose: pydantic would publish it as this model's
    # serialization schema, and the OpenAPI document would lose the typed fields.
    @model_serializer(mode="wrap")
    def _only_given(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        data = handler(self)
        given = self.model_fields_set | set(self.model_extra or {})
        return {key: value for key, value in data.items() if key in given}


class Filters(BaseModel):
    """What a question or search is restricted to. Lists mean "any of"; dates are inclusive."""

    model_config = ConfigDict(extra="forbid")

    province: list[str] = Field(
        default_factory=list,
        max_length=MAX_FILTER_VALUES,
        description="Province in any spelling (Lâm Đồng, Lam Dong, lam-dong, Ламдонг).",
    )
    since: date | None = Field(default=None, description="Published on or after (YYYY-MM-DD).")
    until: date | None = Field(default=None, description="Published on or before (YYYY-MM-DD).")
    lang: list[str] = Field(
        default_factory=list, max_length=MAX_FILTER_VALUES, description="ISO 639-1 codes."
    )
    site: list[str] = Field(
        default_factory=list, max_length=MAX_FILTER_VALUES, description="Site domains."
    )

    _lists = field_validator("province", "lang", "site", mode="before")(_as_list)

    @field_validator("province", "lang", "site")
    @classmethod
    def _clean(cls, values: list[str]) -> list[str]:
        cleaned = [v.strip() for v in values if v and v.strip()]
        for value in cleaned:
            if len(value) > 200:
                raise ValueError("a filter value is at most 200 characters")
        return cleaned

    @model_validator(mode="after")
    def _period_in_order(self) -> Filters:
        if self.since and self.until and self.since > self.until:
            raise ValueError("since is after until; swap the dates")
        return self

    def raw(self) -> RawFilters:
        """The filters as `qa.answer.answer(filters=...)` and the CLI take them."""
        return {
            "province": list(self.province),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "lang": [v.lower() for v in self.lang],
            "site": [v.lower() for v in self.site],
        }


class TurnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant", "system"]
    content: str = Field(max_length=20_000)


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "question": "What did Lam Dong commit to by May 2025?",
                    "filters": {"province": ["Lâm Đồng"], "since": "2025-01-01"},
                }
            ]
        },
    )

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    filters: Filters | None = None
    history: list[TurnIn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)


class CitationOut(BaseModel):
    """`quote == article.text[start:end]`; fields added by qa/ (original_url) pass through."""

    model_config = ConfigDict(extra="allow")

    n: int
    article_id: str
    url: str
    title: str
    site: str | None = None
    published: str | None = None
    lang: str | None = None
    quote: str
    start: int
    end: int


class CommitmentOut(BaseModel):
    """One item of a "what did X commit to" answer; `n` is its citation's number."""

    model_config = ConfigDict(extra="allow")

    what: str
    who: str | None = None
    deadline: str | None = Field(default=None, description="YYYY-MM-DD, when one is stated.")
    n: int


class SearchedOut(AsGiven):
    """What was searched, as data (the answer states it in words when it refuses)."""

    places: list[str] = Field(default_factory=list, description="Places, as named.")
    place_keys: list[str] = Field(default_factory=list, description="Gazetteer keys searched.")
    period: str | None = Field(default=None, description="The period asked about, in words.")
    published_since: str | None = None
    published_until: str | None = None
    deadline_since: str | None = None
    deadline_until: str | None = None
    filters: dict[str, list[str] | str] = Field(
        default_factory=dict, description="The caller's filters that were applied."
    )
    passages: int | None = Field(default=None, description="Passages read.")
    support: float | None = Field(default=None, description="How well the best passage fits.")
    reason: str | None = Field(default=None, description="Why the question was refused.")
    generated: bool | None = Field(default=None, description="Whether a chat model wrote it.")
    period_asked: str | None = Field(
        default=None, description="The period first assumed, when another year answered."
    )
    year_relaxed: bool | None = None


class AskResponse(BaseModel):
    """`Answer.to_json()`; fields added by qa/ later pass through."""

    model_config = ConfigDict(extra="allow")

    answer: str
    language: str
    refused: bool
    citations: list[CitationOut]
    commitments: list[CommitmentOut] = Field(default_factory=list)
    searched: SearchedOut = Field(default_factory=SearchedOut)


class PassageOut(BaseModel):
    rank: int
    score: float
    chunk_id: str
    article_id: str
    text: str
    start: int
    end: int
    url: str
    title: str
    site: str | None = None
    published: str | None = None
    lang: str | None = None
    province: str | None = None


class SearchResponse(BaseModel):
    query: str
    k: int
    results: list[PassageOut]


class ArticleLink(BaseModel):
    id: str | None = None
    url: str
    title: str
    lang: str | None = None
    site: str | None = None


class VersionOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    version: int | None = None
    fetched_at: str | None = None
    content_hash: str | None = None
    title: str | None = None


class ArticleOut(BaseModel):
    id: str
    url: str
    title: str
    text: str
    site: str | None = None
    published: str | None = None
    lang: str | None = None
    province: str | None = None
    author: str | None = None
    section: str | None = None
    sapo: str | None = None
    translation_group: str | None = None
    translation_of: str | None = None
    version: int | None = None
    fetched_at: str | None = None
    source: Literal["store", "index"] = Field(
        description="Where the article was read from: the article store or the index."
    )
    translations: list[ArticleLink] = Field(default_factory=list)
    versions: list[VersionOut] = Field(default_factory=list)


class ProvinceOut(BaseModel):
    key: str
    name: str = Field(description="The Vietnamese name.")
    names: dict[str, str] = Field(default_factory=dict, description="Names by language.")
    current: bool = Field(description="Whether the unit exists after the 1 July 2025 merger.")


class IndexInfoOut(AsGiven):
    """The served index version (`IndexHandle.info()`)."""

    version: int | None = None
    articles: int | None = None
    chunks: int | None = None
    embedder: str | None = None
    dimensions: int | None = None
    built_at: str | None = None
    backend: str | None = None
    vector_index: str | None = None


class CrawlRunOut(AsGiven):
    """The figures of a crawl run, as the store recorded them."""

    recorded_at: str | None = None
    started_at: str | None = None
    sources: str | None = None
    sites: int | None = None
    discovered: int | None = None
    fetched: int | None = None
    new: int | None = None
    changed: int | None = None
    unchanged: int | None = None
    skipped: int | None = None
    failed: int | None = None
    seconds: float | None = None
    downloaded: int | None = None
    not_modified: int | None = None
    not_articles: int | None = None
    linked_by_content: int | None = None
    requests: int | None = None
    interrupted: bool | None = None
    failures: list[str] | None = None


class HealthResponse(BaseModel):
    """Everything for key holders (or when no keys are configured); `status` alone for
    callers without a key."""

    status: Literal["ok", "degraded"]
    version: str | None = None
    embedder: str | None = None
    index: IndexInfoOut | None = None
    index_error: str | None = None
    last_crawl: CrawlRunOut | None = None
    store: bool | None = Field(default=None, description="Whether the article store is present.")


class ErrorDetail(BaseModel):
    type: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


# --- OpenAI-compatible chat ------------------------------------------------------------


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None
    name: str | None = None

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text for part in self.content if part.text)


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """OpenAI's request body. Sampling parameters are accepted and ignored (answers are
    extractive); `filters` is an extension with the same meaning as in `POST /ask`."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(default="policyqa", max_length=200)
    messages: list[ChatMessageIn] = Field(min_length=1, max_length=100)
    stream: bool = False
    stream_options: StreamOptions | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    user: str | None = None
    filters: Filters | None = None


class ChatMessageOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["assistant"] = "assistant"
    content: str
    citations: list[CitationOut] = Field(default_factory=list)


class ChatChoice(BaseModel):
    index: int
    message: ChatMessageOut
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletionResponse(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage
    citations: list[str] = Field(
        default_factory=list, description="Source URLs in citation order (as [1], [2], ...)."
    )
    policyqa: AskResponse = Field(description="The full answer, as `POST /ask` returns it.")


class ModelOut(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]
