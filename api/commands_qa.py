"""Command functions for `policyqa search`, `policyqa ask` and `policyqa eval`.

Each returns an exit code; errors propagate to api/cli.py, which turns them into a
message. The JSON of `ask --json` is exactly `Answer.to_json()` (the `POST /ask` shape).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from api.services import load_chat_model, open_retriever
from api.settings import Settings
from qa.errors import QuestionError
from qa.models import Answer, Turn

logger = logging.getLogger(__name__)


def _dump(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def search(
    settings: Settings, *, query: str, k: int, as_json: bool, raw_filters: dict[str, Any]
) -> int:
    """Ranked passages for `query`, with article metadata."""
    from qa.answer import resolve_filters

    query = (query or "").strip()
    if not query:
        raise QuestionError("the search query is empty")
    filters, _shown = resolve_filters(raw_filters)
    retriever = open_retriever(settings)
    hits = retriever.search(query, k=k, filters=filters)
    passages: list[dict[str, Any]] = [
        {
            "rank": rank,
            "score": round(float(hit.score), 6),
            "chunk_id": hit.chunk.chunk_id,
            "article_id": hit.article.id,
            "url": hit.article.url,
            "title": hit.article.title,
            "site": hit.article.site,
            "published": hit.article.published.isoformat() if hit.article.published else None,
            "lang": hit.article.lang,
            "province": hit.article.province,
            "translation_group": hit.article.translation_group,
            "start": hit.chunk.start,
            "end": hit.chunk.end,
            "text": hit.chunk.text,
        }
        for rank, hit in enumerate(hits, start=1)
    ]
    if as_json:
        _dump({"query": query, "k": k, "results": passages})
        return 0
    if not passages:
        print("no passages found")
        return 0
    for p in passages:
        date = (p["published"] or "")[:10]
        print(
            f"{p['rank']:>2}. [{p['score']:.4f}] {p['title']} ({p['site'] or ''} {date} "
            f"{p['lang'] or ''})"
        )
        print(f"    {p['url']}")
        snippet = " ".join(p["text"].split())
        print(f"    {snippet[:300]}{'…' if len(snippet) > 300 else ''}")
    return 0


def _print_answer(result: Answer) -> None:
    print(result.answer)
    if result.citations:
        print()
        for citation in result.citations:
            date = citation.published.date().isoformat() if citation.published else ""
            print(
                f"[{citation.n}] {citation.title} ({citation.site or ''} {date} "
                f"{citation.lang or ''})"
            )
            print(f"    {citation.url}")
            quote = " ".join(citation.quote.split())
            print(f'    "{quote[:400]}{"…" if len(quote) > 400 else ""}"')


def ask(settings: Settings, *, question: str, as_json: bool, raw_filters: dict[str, Any]) -> int:
    """Answer one question with citations; exit 0 for answers and refusals alike."""
    from qa.answer import answer

    retriever = open_retriever(settings)
    llm = load_chat_model(settings)
    result = answer(
        question,
        retriever,
        llm,
        filters=raw_filters,
        llm_timeout=settings.llm_timeout_seconds if llm else None,
    )
    if as_json:
        _dump(result.to_json())
    else:
        _print_answer(result)
    return 0


def _load_questions(path: Path) -> list[dict[str, Any]]:
    questions = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise QuestionError(
                    f"{path}:{number}: not JSON ({error.msg}); one question object per line"
                ) from None
            if not isinstance(record, dict) or not record.get("question"):
                raise QuestionError(f"{path}:{number}: a question needs a 'question' field")
            questions.append(record)
    if not questions:
        raise QuestionError(f"{path} holds no questions")
    return questions


def evaluate(settings: Settings, *, questions_path: Path, as_json: bool) -> int:
    """Answer a question set and report metrics per language and kind."""
    from qa.answer import answer
    from qa.evaluate import evaluate as run_evaluation
    from qa.evaluate import format_report

    questions = _load_questions(questions_path)
    retriever = open_retriever(settings)
    llm = load_chat_model(settings)
    timeout = settings.llm_timeout_seconds if llm else None

    def answer_fn(record: dict[str, Any]) -> Answer:
        history = [Turn(role=t["role"], content=t["content"]) for t in record.get("history") or []]
        return answer(
            record["question"],
            retriever,
            llm,
            filters=record.get("filters") or None,
            history=history,
            llm_timeout=timeout,
        )

    # Load the model and the index before the clock starts: latency figures describe a
    # running service, not its start-up (the API warms up the same way).
    retriever.search("warm-up", k=1)
    report = run_evaluation(questions, answer_fn, retriever)
    if as_json:
        _dump(report.to_json())
    else:
        print(format_report(report))
    return 0
