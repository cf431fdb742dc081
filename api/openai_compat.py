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

from api.schemas import (
    MAX_HISTORY_TURNS,
    AskResponse,
    ChatChoice,
    ChatCompletionResponse,
    ChatMessageIn,
    ChatMessageOut,
    CitationOut,
    ModelList,
    ModelOut,
    Usage,
)
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


def model_list() -> ModelList:
    return ModelList(data=[ModelOut(id=MODEL_ID, created=MODEL_CREATED, owned_by="policyqa")])


def _escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _defuse(text: str) -> str:
    """Answer text quotes articles: keep [n] markers, but no images, links or HTML."""
    return _ACTIVE_MARKDOWN.sub(lambda m: "\\" + m.group(0), text)


def sources_text(citations: Sequence[CitationOut]) -> str:
    """The numbered sources as text, one per line, under a "Sources:" heading."""
    if not citations:
        return ""
    lines = [SOURCES_HEADING]
    for citation in citations:
        # Every field came from a crawled page or an import: all are escaped, and the URL
        # is shown without a user:password part and with unsafe characters escaped.
        details = ", ".join(
            _escape_markdown(str(part))
            for part in (citation.site, (citation.published or "")[:10])
            if part
        )
        title = _escape_markdown(citation.title)
        quote = _escape_markdown(citation.quote)
        line = f"- [{_escape_markdown(str(citation.n))}] {title}"
        if details:
            line += f" ({details})"
        line += f": “{quote}” {display_url(citation.url)}"
        lines.append(line.rstrip())
    return "\n".join(lines)


def message_content(answer: AskResponse) -> str:
    text = _defuse(answer.answer)
    sources = sources_text(answer.citations)
    return f"{text}\n\n{sources}" if sources else text


def _usage(question: str, content: str) -> Usage:
    # Word counts: answers are extractive, so there is no tokenizer to count with.
    prompt, completion = len(question.split()), len(content.split())
    return Usage(
        prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
    )


def _source_urls(answer: AskResponse) -> list[str]:
    return [display_url(c.url) for c in answer.citations]


def _completion_id() -> str:
    return "chatcmpl-" + uuid.uuid4().hex


def completion(answer: AskResponse, model: str, question: str) -> ChatCompletionResponse:
    content = message_content(answer)
    return ChatCompletionResponse(
        id=_completion_id(),
        created=int(time.time()),
        model=model or MODEL_ID,
        choices=[
            ChatChoice(index=0, message=ChatMessageOut(content=content, citations=answer.citations))
        ],
        usage=_usage(question, content),
        citations=_source_urls(answer),
        policyqa=answer,
    )


def _pieces(text: str) -> Iterator[str]:
    words = re.findall(r"\s*\S+", text)
    for i in range(0, len(words), WORDS_PER_CHUNK):
        yield "".join(words[i : i + WORDS_PER_CHUNK])


# A server-sent event's JSON: built here, dumped at once (never read back).
JsonObject = dict[str, object]


def stream_events(
    answer: AskResponse, model: str, question: str, *, include_usage: bool = False
) -> Iterator[dict[str, str]]:
    """Server-sent events in chat.completion.chunk format, ending with `[DONE]`."""
    completion_id = _completion_id()
    created = int(time.time())
    model = model or MODEL_ID
    citations = [c.model_dump(mode="json") for c in answer.citations]
    content = message_content(answer)

    def event(choices: list[JsonObject], **extra: object) -> dict[str, str]:
        body = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": choices,
            **extra,
        }
        return {"data": json.dumps(body, ensure_ascii=False)}

    def choice(delta: JsonObject, finish_reason: str | None = None, **extra: object) -> JsonObject:
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
        citations=_source_urls(answer),
        policyqa=answer.model_dump(mode="json"),
    )
    if include_usage:
        yield event([], usage=_usage(question, content).model_dump())
    yield {"data": "[DONE]"}
