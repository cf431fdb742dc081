"""Question files read into one shape.

Two formats are accepted, one JSON object per line:

- the independent dev set (shared/devset/README.md): `id`, `lang`, `question`, `kind`,
  `gold_urls`, `answer_facts` with the parallel `answer_fact_variants`,
  `must_not_contain`, `history` and an optional `date_hint` {from, to}; unanswerable
  questions have kind "unanswerable" and empty gold;
- the project's own sets (demo/questions*.jsonl): `id`, `question`, `lang`, `kind`,
  `history`, `filters`, `answerable`, `gold_urls` and `facts` (a list of surface forms
  per fact).

A bad line raises QuestionError naming the file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.errors import QuestionError
from qa.models import Turn

UNANSWERABLE = "unanswerable"
# Kinds whose answer needs every gold story, not one of them.
EVERY_STORY_KINDS = frozenset({"comparison", "list"})
_ROLES = frozenset({"user", "assistant", "system"})


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    lang: str = "unknown"
    kind: str = "unknown"
    answerable: bool = True
    gold_urls: tuple[str, ...] = ()
    # Each fact as its surface forms (the fact and its spellings in other versions).
    facts: tuple[tuple[str, ...], ...] = ()
    must_not_contain: tuple[str, ...] = ()
    history: tuple[Turn, ...] = ()
    filters: dict[str, Any] = field(default_factory=dict)
    date_hint: tuple[str | None, str | None] | None = None

    @property
    def needs_every_story(self) -> bool:
        return self.kind in EVERY_STORY_KINDS


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise QuestionError(f"{where}: expected a list of strings")


def _facts(record: dict[str, Any], where: str) -> tuple[tuple[str, ...], ...]:
    if "answer_facts" in record:
        facts = _strings(record.get("answer_facts"), f"{where}: answer_facts")
        variants = record.get("answer_fact_variants") or [[] for _ in facts]
        if not isinstance(variants, list) or len(variants) != len(facts):
            raise QuestionError(
                f"{where}: answer_fact_variants must be a list parallel to answer_facts "
                f"({len(facts)} facts)"
            )
        return tuple(
            (fact, *_strings(extra, f"{where}: answer_fact_variants"))
            for fact, extra in zip(facts, variants, strict=True)
        )
    raw = record.get("facts") or []
    if not isinstance(raw, list):
        raise QuestionError(f"{where}: facts must be a list")
    return tuple(_strings(forms, f"{where}: facts") for forms in raw)


def _history(value: Any, where: str) -> tuple[Turn, ...]:
    if not value:
        return ()
    if not isinstance(value, list):
        raise QuestionError(f"{where}: history must be a list of {{role, content}} turns")
    turns = []
    for turn in value:
        if (
            not isinstance(turn, dict)
            or turn.get("role") not in _ROLES
            or not isinstance(turn.get("content"), str)
        ):
            raise QuestionError(f"{where}: each history turn needs a role and a content")
        turns.append(Turn(role=turn["role"], content=turn["content"]))
    return tuple(turns)


def _date_hint(value: Any, where: str) -> tuple[str | None, str | None] | None:
    if not value:
        return None
    if not isinstance(value, dict):
        raise QuestionError(f"{where}: date_hint must be an object {{from, to}}")
    return (value.get("from"), value.get("to"))


def parse_question(record: dict[str, Any], where: str, number: int) -> EvalQuestion:
    """One question record in either format."""
    text = record.get("question")
    if not isinstance(text, str) or not text.strip():
        raise QuestionError(f"{where}: a question needs a 'question' field")
    kind = str(record.get("kind") or "unknown")
    gold = _strings(record.get("gold_urls"), f"{where}: gold_urls")
    answerable = record.get("answerable")
    if answerable is None:
        answerable = kind != UNANSWERABLE
    filters = record.get("filters") or {}
    if not isinstance(filters, dict):
        raise QuestionError(f"{where}: filters must be an object")
    return EvalQuestion(
        id=str(record.get("id") or number),
        question=text,
        lang=str(record.get("lang") or "unknown"),
        kind=kind,
        answerable=bool(answerable),
        gold_urls=gold,
        facts=_facts(record, where),
        must_not_contain=_strings(record.get("must_not_contain"), f"{where}: must_not_contain"),
        history=_history(record.get("history"), where),
        filters=filters,
        date_hint=_date_hint(record.get("date_hint"), where),
    )


def load_questions(path: Path) -> list[EvalQuestion]:
    """Every question of a JSONL file; QuestionError for an unreadable or bad file."""
    questions: list[EvalQuestion] = []
    seen: set[str] = set()
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise QuestionError(f"cannot read questions file {path}: {error.strerror}") from None
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise QuestionError(
                        f"{where}: not JSON ({error.msg}); one question object per line"
                    ) from None
                if not isinstance(record, dict):
                    raise QuestionError(f"{where}: expected a JSON object")
                question = parse_question(record, where, number)
                if question.id in seen:
                    raise QuestionError(f"{where}: question id {question.id!r} appears twice")
                seen.add(question.id)
                questions.append(question)
        except UnicodeDecodeError:
            raise QuestionError(f"{path} is not UTF-8 text") from None
    if not questions:
        raise QuestionError(f"{path} holds no questions")
    return questions


def as_question(value: EvalQuestion | dict[str, Any], number: int = 0) -> EvalQuestion:
    """A question given as a record (the older `evaluate()` callers) or already parsed."""
    if isinstance(value, EvalQuestion):
        return value
    return parse_question(value, f"question {number + 1}", number)
