"""OpenAI chat-completions format for policyqa answers, so Open WebUI, LibreChat and the
`openai` client work unchanged.

The last user message is the question and earlier turns are history. The answer text is
followed by a "Sources:" list (for front-ends that only show text) and the citations
also travel as data: `message.citations` (or the final chunk's `choices[0].citations`),
the source URLs in `citations`, and the whole answer in `policyqa`.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from api.schemas import MAX_HISTORY_TURNS, ChatMessageIn
from crawler.urls import display_url
from facts.limits import MAX_QUESTION_CHARS
from qa.errors import QuestionError
from qa.models import Turn

MODEL_ID = "policyqa"
MODEL_CREATED = 1_735_689_600  # 2025-01-01, a fixed date so the list is stable
SOURCES_HEADING = "Sources:"
# Words per streamed chunk: small enough to show progress, large enough to be cheap.
WORDS_PER_CHUNK = 4

_SOURCES_BLOCK = re.compile(r"\n+" + re.escape(SOURCES_HEADING) + r"\n.*\Z", re.DOTALL)
# Markdown that would make a front-end fetch or link something an article wrote.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()!<>#|])")
_ACTIVE_MARKDOWN = re.compile(r"!\[|\]\(|<")


def question_and_history(messages: Sequence[ChatMessageIn]) -> tuple[str, list[Turn]]:
    """The last user message as the question; earlier user/assistant turns as history."""
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
    if last_user is None:
        raise QuestionError("no question: the messages need at least one with role 'user'")
    question = messages[last_user].text().strip()
    if not question:
        raise QuestionError("the last user message is empty; write a question")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is longer than {MAX_QUESTION_CHARS} characters; shorten it"
        )
    history: list[Turn] = []
    for message in messages[:last_user]:
        if message.role not in ("user", "assistant"):
            continue
        content = message.text()
        if message.role == "assistant":
            content = strip_sources(content)
        if content.strip():
            history.append(Turn(role=message.role, content=content))
    return question, history[-MAX_HISTORY_TURNS:]


def strip_sources(content: str) -> str:
    """An earlier answer without its "Sources:" list (history needs only the answer)."""
    return _SOURCES_BLOCK.sub("", content)


def model_list() -> dict[str, Any]:
    return {
        "object": "list",
        "data": [
            {"id": MODEL_ID, "object": "model", "created": MODEL_CREATED, "owned_by": "policyqa"}
        ],
    }


def _escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _defuse(text: str) -> str:
    """Answer text quotes articles: keep [n] markers, but no images, links or HTML."""
    return _ACTIVE_MARKDOWN.sub(lambda m: "\\" + m.group(0), text)


def sources_text(citations: Sequence[dict[str, Any]]) -> str:
    """The numbered sources as text, one per line, under a "Sources:" heading."""
    if not citations:
        return ""
    lines = [SOURCES_HEADING]
    for citation in citations:
        # Every field came from a crawled page or an import: all are escaped, and the URL
        # is shown without a user:password part and with unsafe characters escaped.
        details = ", ".join(
            _escape_markdown(str(part))
            for part in (citation.get("site"), str(citation.get("published") or "")[:10])
            if part
        )
        title = _escape_markdown(str(citation.get("title") or ""))
        quote = _escape_markdown(str(citation.get("quote") or ""))
        line = f"- [{_escape_markdown(str(citation.get('n', '')))}] {title}"
        if details:
            line += f" ({details})"
        line += f": “{quote}” {display_url(str(citation.get('url') or ''))}"
        lines.append(line.rstrip())
    return "\n".join(lines)


def message_content(answer: dict[str, Any]) -> str:
    text = _defuse(answer.get("answer", ""))
    sources = sources_text(answer.get("citations", []))
    return f"{text}\n\n{sources}" if sources else text


def _usage(question: str, content: str) -> dict[str, int]:
    # Word counts: answers are extractive, so there is no tokenizer to count with.
    prompt, completion = len(question.split()), len(content.split())
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _completion_id() -> str:
    return "chatcmpl-" + uuid.uuid4().hex


def completion(answer: dict[str, Any], model: str, question: str) -> dict[str, Any]:
    content = message_content(answer)
    citations = answer.get("citations", [])
    return {
        "id": _completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model or MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "citations": citations},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": _usage(question, content),
        "citations": [display_url(str(c.get("url") or "")) for c in citations],
        "policyqa": answer,
    }


def _pieces(text: str) -> Iterator[str]:
    words = re.findall(r"\s*\S+", text)
    for i in range(0, len(words), WORDS_PER_CHUNK):
        yield "".join(words[i : i + WORDS_PER_CHUNK])


def stream_events(
    answer: dict[str, Any], model: str, question: str, *, include_usage: bool = False
) -> Iterator[dict[str, str]]:
    """Server-sent events in chat.completion.chunk format, ending with `[DONE]`."""
    completion_id = _completion_id()
    created = int(time.time())
    model = model or MODEL_ID
    citations = answer.get("citations", [])
    content = message_content(answer)

    def event(choices: list[dict[str, Any]], **extra: Any) -> dict[str, str]:
        body = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": choices,
            **extra,
        }
        return {"data": json.dumps(body, ensure_ascii=False)}

    def choice(
        delta: dict[str, Any], finish_reason: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        return {
            "index": 0,
            "delta": delta,
            "finish_reason": finish_reason,
            "logprobs": None,
            **extra,
        }

    yield event([choice({"role": "assistant", "content": ""})])
    for piece in _pieces(content):
        yield event([choice({"content": piece})])
    yield event(
        [choice({}, "stop", citations=citations)],
        citations=[display_url(str(c.get("url") or "")) for c in citations],
        policyqa=answer,
    )
    if include_usage:
        yield event([], usage=_usage(question, content))
    yield {"data": "[DONE]"}
