"""`GET /search`: ranked passages; `GET /provinces`: the places a filter can name."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from api.deps import ERROR_RESPONSES, Authenticated, EngineDep, SettingsDep, run_blocking
from api.engine import provinces
from api.errors import ApiError
from api.schemas import Filters, ProvinceOut, SearchResponse

router = APIRouter(tags=["qa"])


@router.get("/search", response_model=SearchResponse, responses=ERROR_RESPONSES)
async def search(
    _client: Authenticated,
    engine: EngineDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=1000, description="What to find.")],
    k: Annotated[int, Query(ge=1, le=50, description="Number of passages.")] = 10,
    province: Annotated[list[str] | None, Query(max_length=20)] = None,
    since: Annotated[date | None, Query()] = None,
    until: Annotated[date | None, Query()] = None,
    lang: Annotated[list[str] | None, Query(max_length=20)] = None,
    site: Annotated[list[str] | None, Query(max_length=20)] = None,
) -> SearchResponse:
    """Ranked passages with their article's metadata."""
    if not q.strip():
        raise ApiError(422, "invalid request: q must contain some text")
    try:
        filters = Filters(
            province=province or [], since=since, until=until, lang=lang or [], site=site or []
        )
    except ValidationError as error:
        # Reported like any invalid request (the one 422 wording).
        raise RequestValidationError(error.errors()) from None
    results = await run_blocking(settings, lambda: engine.search(q, k, filters))
    return SearchResponse(query=q, k=k, results=results)


@router.get("/provinces", response_model=list[ProvinceOut])
async def province_list(
    _client: Authenticated, settings: SettingsDep, engine: EngineDep
) -> list[ProvinceOut]:
    """Provinces and cities known to the gazetteer (for filter pickers)."""
    return await run_blocking(settings, lambda: provinces(engine.container.gazetteer))
