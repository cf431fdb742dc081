"""`GET /articles/{id}`: an article's text and metadata, translations and versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam

from api.deps import ERROR_RESPONSES, Authenticated, EngineDep, SettingsDep, run_blocking
from api.errors import ApiError
from api.schemas import ArticleOut

router = APIRouter(tags=["articles"])


@router.get("/articles/{article_id}", response_model=ArticleOut, responses=ERROR_RESPONSES)
async def article(
    article_id: Annotated[str, PathParam(min_length=1, max_length=128)],
    _client: Authenticated,
    engine: EngineDep,
    settings: SettingsDep,
) -> ArticleOut:
    """An article's stored text and metadata, its translations and versions."""
    found = await run_blocking(settings, lambda: engine.article(article_id))
    if found is None:
        raise ApiError(
            404,
            f"no article with id {article_id!r}; article ids come from "
            "search results and citations",
        )
    return found
