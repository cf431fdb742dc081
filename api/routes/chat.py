"""The OpenAI-compatible chat API: `GET /v1/models`, `POST /v1/chat/completions`."""

from __future__ import annotations

from fastapi import APIRouter
from sse_starlette import EventSourceResponse

from api import openai_compat
from api.deps import (
    ERROR_RESPONSES,
    Authenticated,
    EngineDep,
    MetricsDep,
    SettingsDep,
    run_blocking,
)
from api.errors import api_error_from
from api.schemas import ChatCompletionRequest, ChatCompletionResponse, ModelList
from qa.errors import QuestionError

router = APIRouter(tags=["openai"])


@router.get("/v1/models", response_model=ModelList)
async def models(_client: Authenticated) -> ModelList:
    """The models a chat front-end can pick (OpenAI format)."""
    return openai_compat.model_list()


@router.post(
    "/v1/chat/completions",
    response_model=ChatCompletionResponse,
    responses={
        **ERROR_RESPONSES,
        200: {
            "content": {"text/event-stream": {}},
            "description": "A chat.completion, or chat.completion.chunk events "
            "when `stream` is true",
        },
    },
)
async def chat_completions(
    body: ChatCompletionRequest,
    _client: Authenticated,
    engine: EngineDep,
    settings: SettingsDep,
    metrics: MetricsDep,
) -> ChatCompletionResponse | EventSourceResponse:
    """OpenAI-compatible chat: the last user message is the question, earlier turns
    are history. Citations come as a "Sources:" list in the message and as data."""
    try:
        question, history = openai_compat.question_and_history(body.messages)
    except QuestionError as error:  # no user message, or an empty or overlong one: 422
        raise api_error_from(error) from None
    result = await run_blocking(settings, lambda: engine.answer(question, body.filters, history))
    metrics.count_answer("chat", refused=result.refused)
    if body.stream:
        include_usage = bool(body.stream_options and body.stream_options.include_usage)
        events = openai_compat.stream_events(
            result, body.model, question, include_usage=include_usage
        )
        return EventSourceResponse(events, sep="\n", ping=15, headers={"Cache-Control": "no-store"})
    return openai_compat.completion(result, body.model, question)
