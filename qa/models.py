"""Answers and citations: the shape of `POST /ask` and `policyqa ask --json`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from qa.answer_type import AnswerPart, AnswerType

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
    # When the cited article is a translation: the URL of the original it was translated from.
    original_url: str | None = None

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


Intent = Literal["fact", "commitments", "list", "comparison", "who", "when", "other"]


@dataclass(frozen=True)
class PlaceMatch:
    """A place named in a question, resolved through the gazetteer."""

    surface: str  # as written in the question
    key: str  # place_key of the unit named, e.g. "lam-dong"
    # Units whose articles may speak about it, given the period asked about
    # (e.g. "lam-dong" after 1 July 2025 also covers "dak-nong" and "binh-thuan").
    covers: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryPlan:
    """What `qa.understand.understand()` makes of a question (and its history).

    `published_*` constrain publication dates; `deadline_*` constrain dates mentioned
    in the text as deadlines ("by May 2025" -> deadline_until 2025-05-31).
    `search_text` is the question with follow-up references resolved; `expansions`
    are extra spellings (other scripts, with and without diacritics) of the places.
    """

    question: str
    language: str
    search_text: str
    intent: Intent = "fact"
    # A "when" question asking by when something must be done: a deadline answers it.
    asks_deadline: bool = False
    places: tuple[PlaceMatch, ...] = ()
    published_since: date | None = None
    published_until: date | None = None
    deadline_since: date | None = None
    deadline_until: date | None = None
    doc_numbers: tuple[str, ...] = ()
    expansions: tuple[str, ...] = ()
    # Human-readable description of the period asked about, for refusals ("by May 2025").
    period_text: str | None = None
    # When something happened ("the meeting in May"), as opposed to when it was published.
    event_since: date | None = None
    event_until: date | None = None
    # True when places, period or topic were carried over from an earlier turn.
    follow_up: bool = False
    # True when the period is the earlier turn's: it dates the story the conversation is
    # about, not the figure now asked ("and Tien Giang's rank?" after "the November meeting").
    period_carried: bool = False
    # The year of the period was guessed ("in May" -> the latest May); see qa/temporal.py.
    year_inferred: bool = False
    # The day a figure is asked as of ("tính đến ngày 30/6/2025"); see qa/temporal.py.
    as_of_day: date | None = None
    # The kind of value asked for ("percent", "rank", "money", "count"; qa/answer_type.py).
    answer_type: AnswerType | None = None
    # The question's time expressions as written ("до кінця 2025 року"): not its topic.
    time_words: tuple[str, ...] = ()
    # The question asks what an event decided or discussed (qa/answer_type.py).
    asks_outcome: bool = False
    # Everything the question asks for, in its order ("when ... and who ..."); qa/answer_type.py.
    answer_parts: tuple[AnswerPart, ...] = ()
    # The question's words that name the kind of value asked for ("how much money",
    # "what share"): the value itself is checked, not these words (qa/answer_type.py).
    value_words: tuple[str, ...] = ()
    # What a count question counts ("number of tasks" -> "tasks"), folded words.
    counted: tuple[str, ...] = ()
    # It asks two figures of what it counts ("how many in total and how many done").
    several_counts: bool = False
    # Each place's own period, when a question gives each side one ("Kon Tum in the first
    # 10 months of 2024 or Can Tho in the first 7 months of 2025"): (key, since, until).
    side_periods: tuple[tuple[str, date | None, date | None], ...] = ()
    # The same period a year earlier, asked beside the one named ("what % in Q1 2025, and
    # a year earlier?", "so sánh … với cùng kỳ năm 2024"): (since, until).
    compared_period: tuple[date | None, date | None] | None = None
    # How the period asked was named ("quarter", "school_year"), when one was.
    period_named: str | None = None
    # The period is asked on its own ("riêng quý III/2025", "Q2 on its own"): a figure of
    # a longer period holding it ("in 9 months") is no answer.
    period_alone: bool = False

    @property
    def province_keys(self) -> tuple[str, ...]:
        keys: list[str] = []
        for place in self.places:
            for key in (place.key, *place.covers):
                if key not in keys:
                    keys.append(key)
        return tuple(keys)
