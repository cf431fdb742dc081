"""Answers and citations: the shape of `POST /ask` and `policyqa ask --json`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Role = Literal["user", "assistant", "system"]


@dataclass(frozen=True)
class Turn:
    role: Role
    content: str


@dataclass(frozen=True)
class Citation:
    """`quote == article.text[start:end]` exactly; `n` matches an `[n]` marker in the answer."""

    n: int
    article_id: str
    url: str
    title: str
    site: str | None
    published: datetime | None
    lang: str | None
    quote: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        return data


@dataclass(frozen=True)
class Commitment:
    """One item of a "what did X commit to" answer."""

    what: str
    who: str | None
    deadline: date | None
    citation_n: int


@dataclass(frozen=True)
class Answer:
    answer: str
    language: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    # What was searched (place, period), for refusals and for the page.
    searched: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "language": self.language,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "commitments": [
                {
                    "what": c.what,
                    "who": c.who,
                    "deadline": c.deadline.isoformat() if c.deadline else None,
                    "n": c.citation_n,
                }
                for c in self.commitments
            ],
            "searched": self.searched,
        }
