"""`answer(question, retriever, llm=None)`: the one entry point of Q&A.

Understand the question (language, places, periods, follow-ups), retrieve evidence with
the user's filters, answer extractively (or refuse), and, when a chat model is given,
try a verified generative answer that falls back to the extractive one.

A month or day named without a year ("the meeting in May") is first read as the latest
such month; when that finds no supported answer, earlier years are tried, most recent
first, and the answer says which year it is about.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from facts.limits import MAX_QUESTION_CHARS
from facts.vietnam_time import VIETNAM_TZ
from index.models import Retriever, SearchFilters
from qa.accents import restore_accents
from qa.compose import template
from qa.errors import QuestionError
from qa.extractive import extractive_answer, min_support_for
from qa.gazetteer import Gazetteer
from qa.generative import generative_answer
from qa.models import Answer, QueryPlan, Turn
from qa.refusal import RefusalModel
from qa.retrieve import retrieve
from qa.scoring import NullBaseline, typed_without_diacritics
from qa.temporal import years_before
from qa.understand import understand

logger = logging.getLogger(__name__)

# How many years before the guessed one are tried for a period named without a year.
MAX_YEARS_RELAXED = 3
_LANG_CODE = re.compile(r"^[a-z]{2,3}$")


def answer(
    question: str,
    retriever: Retriever,
    llm: Any | None = None,
    *,
    filters: dict[str, Any] | None = None,
    history: Sequence[Turn] = (),
    today: date | None = None,
    min_support: float | None = None,
    refusal_model: RefusalModel | None = None,
    llm_timeout: float | None = None,
    baseline: NullBaseline | None = None,
    gazetteer: Gazetteer | None = None,
) -> Answer:
    """Answer `question` from the index, citing the sentences that say it.

    `filters` are the user's raw filters ({province, since, until, lang, site}; province
    names in any spelling, dates as YYYY-MM-DD). Whether the evidence answers is decided
    by `refusal_model` when one is given (`qa.refusal`), else by the support threshold
    of the retriever's embedder profile, or `min_support` when given. `baseline`
    keeps the embedder's similarity floor between questions (built once by the caller;
    without it, it is embedded for this question). `gazetteer` reads place names (built
    once by the caller; without it, the packaged one is built for this question). Raises
    QuestionError for an empty or overlong question or unusable filters.
    """
    baseline = baseline or NullBaseline()
    gazetteer = gazetteer or Gazetteer.packaged()
    question = _check_question(question)
    search_filters, shown = resolve_filters(filters, gazetteer=gazetteer)
    day = today or datetime.now(VIETNAM_TZ).date()
    plan = understand(question, history, today=day, gazetteer=gazetteer)
    result = answer_plan(
        plan,
        retriever,
        llm,
        filters=search_filters,
        shown_filters=shown,
        min_support=min_support,
        refusal_model=refusal_model,
        llm_timeout=llm_timeout,
        baseline=baseline,
        gazetteer=gazetteer,
    )
    if not result.refused or not plan.year_inferred:
        return result
    # "In May" was read as the latest May; the story may be from an earlier one.
    for years_back in range(1, MAX_YEARS_RELAXED + 1):
        earlier = understand(
            question, history, today=years_before(day, years_back), gazetteer=gazetteer
        )
        if _same_period(earlier, plan):
            break
        relaxed = answer_plan(
            earlier,
            retriever,
            llm,
            filters=search_filters,
            shown_filters=shown,
            min_support=min_support,
            refusal_model=refusal_model,
            llm_timeout=llm_timeout,
            baseline=baseline,
            gazetteer=gazetteer,
        )
        if not relaxed.refused:
            logger.info("no answer for %s; answering for %s", plan.period_text, earlier.period_text)
            return _note_relaxed_period(relaxed, plan, earlier)
    return result


def _same_period(a: QueryPlan, b: QueryPlan) -> bool:
    fields = (
        "published_since",
        "published_until",
        "deadline_since",
        "deadline_until",
        "event_since",
        "event_until",
    )
    return all(getattr(a, name) == getattr(b, name) for name in fields)


def _note_relaxed_period(result: Answer, asked: QueryPlan, answered: QueryPlan) -> Answer:
    """The answer, opened by a note that it is about another year than first assumed."""
    note = template(result.language, "year_relaxed").format(
        asked=asked.period_text or "", found=answered.period_text or ""
    )
    searched = {
        **result.searched,
        "period_asked": asked.period_text,
        "year_relaxed": True,
    }
    return replace(result, answer=f"{note}\n{result.answer}", searched=searched)


def answer_plan(
    plan: QueryPlan,
    retriever: Retriever,
    llm: Any | None = None,
    *,
    filters: SearchFilters | None = None,
    shown_filters: dict[str, Any] | None = None,
    min_support: float | None = None,
    refusal_model: RefusalModel | None = None,
    llm_timeout: float | None = None,
    baseline: NullBaseline | None = None,
    gazetteer: Gazetteer,
) -> Answer:
    """`answer()` for a question already understood."""
    if min_support is None:
        min_support = min_support_for(retriever.embedder)
    result = retrieve(plan, retriever, filters, gazetteer=gazetteer)
    if typed_without_diacritics(plan):
        # Found by its folded words; weighed by meaning once written as Vietnamese is.
        spelled = restore_accents(plan.search_text, (e.hit.chunk.text for e in result.evidence))
        plan = replace(plan, search_text=spelled)
    extractive, ranked = extractive_answer(
        plan,
        result.evidence,
        retriever.embedder,
        filters=shown_filters or {},
        place_variants=result.place_variants,
        min_support=min_support,
        refusal_model=refusal_model,
        sentence_vectors=retriever.sentence_vectors,
        baseline=baseline,
        gazetteer=gazetteer,
    )
    if llm is None or extractive.refused:
        return extractive
    return generative_answer(
        plan, ranked, llm, retriever.embedder, extractive, timeout=llm_timeout, baseline=baseline
    )


def _check_question(question: str) -> str:
    question = (question or "").strip()
    if not question:
        raise QuestionError(
            "the question is empty: ask something, e.g. 'What did Lam Dong commit to by May 2025?'"
        )
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(question)} characters long; keep it under {MAX_QUESTION_CHARS}"
        )
    return question


def _as_list(value: Any, name: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    raise QuestionError(f"filter '{name}' must be a string or a list of strings")


def _as_date(value: Any, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise QuestionError(
            f"filter '{name}' is not a date: {value!r}; use YYYY-MM-DD, e.g. 2025-05-31"
        ) from None


def resolve_filters(
    raw: dict[str, Any] | None, *, gazetteer: Gazetteer | None = None
) -> tuple[SearchFilters, dict[str, Any]]:
    """The user's raw filters as SearchFilters, and as shown back to the user.

    Province names in any spelling resolve through `gazetteer` (without one, the packaged
    one is built when a province is given); an unknown one, a bad date or a reversed
    period raises QuestionError with what to do instead.
    """
    raw = dict(raw or {})
    unknown = set(raw) - {"province", "since", "until", "lang", "site"}
    if unknown:
        raise QuestionError(
            f"unknown filter(s): {', '.join(sorted(unknown))}; "
            "use province, since, until, lang or site"
        )
    provinces = _as_list(raw.get("province"), "province")
    keys: list[str] = []
    if provinces:
        gazetteer = gazetteer or Gazetteer.packaged()
        for name in provinces:
            key = gazetteer.resolve(name)
            if key is None:
                raise QuestionError(
                    f"unknown province {name!r}: use a province name such as "
                    "'Lâm Đồng', 'Lam Dong' or 'Hà Giang'"
                )
            if key not in keys:
                keys.append(key)
    since = _as_date(raw.get("since"), "since")
    until = _as_date(raw.get("until"), "until")
    if since and until and since > until:
        raise QuestionError(f"'since' ({since}) is after 'until' ({until}); swap them")
    langs = [v.lower() for v in _as_list(raw.get("lang"), "lang")]
    for code in langs:
        if not _LANG_CODE.match(code):
            raise QuestionError(
                f"filter 'lang' expects ISO 639-1 codes such as vi or en, not {code!r}"
            )
    sites = [_site(v) for v in _as_list(raw.get("site"), "site")]
    filters = SearchFilters(
        province=tuple(keys), lang=tuple(langs), site=tuple(sites), since=since, until=until
    )
    shown: dict[str, Any] = {
        "province": provinces,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "lang": langs,
        "site": sites,
    }
    return filters, shown


def _site(value: str) -> str:
    value = value.lower().strip()
    value = re.sub(r"^[a-z]+://", "", value)
    return value.split("/", 1)[0]
