"""Stage 4 of an extractive answer: the text in the question's language, one `[n]` per
cited sentence, or a refusal that says what was searched.

Templates per language live here; fr/zh and anything else fall back to English.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from facts.provinces import MERGER_DATE
from index.models import IndexedArticle
from qa.align import base_language
from qa.candidates import Candidate
from qa.gazetteer import Gazetteer
from qa.lexicon import find_person
from qa.models import Answer, Citation, Commitment, QueryPlan
from qa.retrieve import article_in_places, within

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "fact": "According to the sources:",
        "commitments": "{who} committed to the following{period}:",
        "commitments_nowho": "Commitments found in the sources{period}:",
        "deadline": "deadline",
        "refusal": "The sources found do not answer this question.",
        "searched": "Searched: {what}.",
        "places": "place: {places}",
        "period": "period: {period}",
        "filters": "filters: {filters}",
        "passages": "{n} passages read",
        "everything": "all articles",
        "year_relaxed": "Nothing was found for the period asked ({asked}); this answer is about another ({found}).",
        "merged": "{old} has been part of {new} since 1 July 2025.",
    },
    "vi": {
        "fact": "Theo các nguồn tin:",
        "commitments": "{who} đã cam kết các nội dung sau{period}:",
        "commitments_nowho": "Các cam kết tìm thấy trong nguồn tin{period}:",
        "deadline": "thời hạn",
        "refusal": "Các nguồn tin tìm được không trả lời câu hỏi này.",
        "searched": "Đã tìm: {what}.",
        "places": "địa phương: {places}",
        "period": "thời gian: {period}",
        "filters": "bộ lọc: {filters}",
        "passages": "đã đọc {n} đoạn",
        "everything": "tất cả bài viết",
        "year_relaxed": "Không tìm thấy thông tin cho thời gian được hỏi ({asked}); câu trả lời này nói về thời gian khác ({found}).",
        "merged": "{old} đã được hợp nhất vào {new} từ ngày 1/7/2025.",
    },
    "ru": {
        "fact": "Согласно источникам:",
        "commitments": "{who} взяла на себя следующие обязательства{period}:",
        "commitments_nowho": "Обязательства, найденные в источниках{period}:",
        "deadline": "срок",
        "refusal": "Найденные источники не отвечают на этот вопрос.",
        "searched": "Искали: {what}.",
        "places": "место: {places}",
        "period": "период: {period}",
        "filters": "фильтры: {filters}",
        "passages": "прочитано фрагментов: {n}",
        "everything": "все статьи",
        "year_relaxed": "Для периода «{asked}» ничего не найдено; ответ относится к периоду «{found}».",
        "merged": "{old} с 1 июля 2025 года входит в состав: {new}.",
    },
    "uk": {
        "fact": "Згідно з джерелами:",
        "commitments": "{who} взяла на себе такі зобов'язання{period}:",
        "commitments_nowho": "Зобов'язання, знайдені в джерелах{period}:",
        "deadline": "термін",
        "refusal": "Знайдені джерела не відповідають на це питання.",
        "searched": "Шукали: {what}.",
        "places": "місце: {places}",
        "period": "період: {period}",
        "filters": "фільтри: {filters}",
        "passages": "прочитано фрагментів: {n}",
        "everything": "усі статті",
        "year_relaxed": "Для періоду «{asked}» нічого не знайдено; відповідь стосується періоду «{found}».",
        "merged": "{old} з 1 липня 2025 року входить до складу: {new}.",
    },
}


def template(language: str, name: str) -> str:
    return TEMPLATES.get(language, TEMPLATES["en"])[name]


_MARKER = re.compile(r"\[(\d+)\]")


def display_text(sentence: str) -> str:
    """A quoted sentence as shown in an answer: one line, and no `[n]` of its own that a
    reader could mistake for a citation marker."""
    return _MARKER.sub(r"(\1)", " ".join(sentence.split()))


def citation_for(n: int, article: IndexedArticle, start: int, end: int) -> Citation:
    quote = article.text[start:end]
    return Citation(
        n=n,
        article_id=article.id,
        url=article.url,
        title=article.title,
        site=article.site,
        published=article.published,
        lang=article.lang,
        quote=quote,
        start=start,
        end=end,
        original_url=article.translation_of,
    )


def place_names(plan: QueryPlan, language: str, gazetteer: Gazetteer) -> list[str]:
    names: list[str] = []
    for place in plan.places:
        name = gazetteer.display_name(place.key, language) or place.surface
        if name not in names:
            names.append(name)
    return names


def place_labels(plan: QueryPlan, selected: list[Candidate], gazetteer: Gazetteer) -> list[str]:
    """For a list or a comparison whose sentences come from articles about several places,
    each sentence's place ("Lâm Đồng: "), as the reader asked which places: the sentences
    themselves often say only "the province". Empty labels otherwise."""
    keys = [gazetteer.resolve(c.article.province) if c.article.province else None for c in selected]
    if plan.intent not in ("list", "comparison") or len({k for k in keys if k}) < 2:
        return [""] * len(selected)
    return [f"{gazetteer.display_name(k, plan.language)}: " if k else "" for k in keys]


def merger_notes(plan: QueryPlan, selected: list[Candidate], gazetteer: Gazetteer) -> list[str]:
    """For each place asked by a name merged away on 1 July 2025 whose answer comes from
    the unit it joined, a line that says so: "Kien Giang" is answered from reports on
    An Giang, and the reader must see why. The new name is spelt as the quoted
    sentences spell it, else as their articles do (in the question's language), else as
    a reader of that language expects it."""
    notes: list[str] = []
    for place in plan.places:
        successor = gazetteer.successor(place.key)
        if successor is None or not any(_reports_on(c, successor, gazetteer) for c in selected):
            continue
        readable = [
            c for c in selected if base_language(c.article.lang) == base_language(plan.language)
        ]
        # The quotes first, then their articles, each read only if none before spelt it.
        texts = [c.text for c in readable] + list(dict.fromkeys(c.article.text for c in readable))
        spelt = (
            surface
            for text in texts
            for key, surface, _s, _e in gazetteer.find_places(text)
            if key == successor and gazetteer.is_own_name(surface, successor)
        )
        new = next(spelt, None) or gazetteer.display_name(successor, plan.language)
        old = gazetteer.display_name(place.key, plan.language)
        notes.append(template(plan.language, "merged").format(old=old, new=new))
    return notes


def _reports_on(candidate: Candidate, key: str, gazetteer: Gazetteer) -> bool:
    """Whether the sentence's article reports on the unit `key` (its province, as
    `qa.retrieve.article_in_places` reads it, or it was published after the merger and
    the sentence names the unit)."""
    article = candidate.article
    if article_in_places(article, (key,), gazetteer):
        return True
    published = article.published.date() if article.published else None
    return bool(
        published and published >= MERGER_DATE and key in gazetteer.places_named(candidate.text)
    )


def searched_description(
    plan: QueryPlan, filters: dict[str, Any], n_passages: int, gazetteer: Gazetteer
) -> tuple[str, dict[str, Any]]:
    """What was searched, as a phrase in the question's language and as data."""
    language = plan.language
    places = place_names(plan, language, gazetteer)
    parts: list[str] = []
    if places:
        parts.append(template(language, "places").format(places=", ".join(places)))
    if plan.period_text:
        parts.append(template(language, "period").format(period=plan.period_text))
    shown_filters = {k: v for k, v in filters.items() if v}
    if shown_filters:
        text = "; ".join(
            f"{k}={','.join(map(str, v)) if isinstance(v, list | tuple) else v}"
            for k, v in shown_filters.items()
        )
        parts.append(template(language, "filters").format(filters=text))
    if not parts:
        parts.append(template(language, "everything"))
    parts.append(template(language, "passages").format(n=n_passages))
    data: dict[str, Any] = {
        "places": places,
        "place_keys": list(plan.province_keys),
        "period": plan.period_text,
        "published_since": plan.published_since.isoformat() if plan.published_since else None,
        "published_until": plan.published_until.isoformat() if plan.published_until else None,
        "deadline_since": plan.deadline_since.isoformat() if plan.deadline_since else None,
        "deadline_until": plan.deadline_until.isoformat() if plan.deadline_until else None,
        "filters": shown_filters,
        "passages": n_passages,
    }
    return ", ".join(parts), data


def refusal(plan: QueryPlan, searched_text: str, searched: dict[str, Any]) -> Answer:
    language = plan.language
    text = f"{template(language, 'refusal')} {template(language, 'searched').format(what=searched_text)}"
    return Answer(answer=text, language=language, refused=True, searched=searched)


def compose(
    plan: QueryPlan, selected: list[Candidate], searched: dict[str, Any], gazetteer: Gazetteer
) -> Answer:
    """The answer text in the question's language, one `[n]` per cited sentence."""
    language = plan.language
    citations: list[Citation] = []
    commitments: list[Commitment] = []
    lines: list[str] = []
    for n, candidate in enumerate(selected, start=1):
        citations.append(citation_for(n, candidate.article, candidate.start, candidate.end))
    if plan.intent == "commitments":
        names = place_names(plan, language, gazetteer)
        period = f" ({plan.period_text})" if plan.period_text else ""
        if names:
            lines.append(
                template(language, "commitments").format(who=", ".join(names), period=period)
            )
        else:
            lines.append(template(language, "commitments_nowho").format(period=period))
        for n, candidate in enumerate(selected, start=1):
            deadline = commitment_deadline(plan, candidate)
            who = find_person(candidate.text) or (", ".join(names) if names else None)
            commitments.append(
                Commitment(what=candidate.text, who=who, deadline=deadline, citation_n=n)
            )
            line = f"{n}. {display_text(candidate.text)} [{n}]"
            if deadline:
                line += f" ({template(language, 'deadline')}: {deadline.isoformat()})"
            lines.append(line)
        text = "\n".join(lines)
    else:
        labels = place_labels(plan, selected, gazetteer)
        body = " ".join(
            f"{labels[n - 1]}{display_text(c.text)} [{n}]" for n, c in enumerate(selected, start=1)
        )
        text = f"{template(language, 'fact')} {body}"
    notes = merger_notes(plan, selected, gazetteer)
    if notes:
        text = "\n".join([*notes, text])
    return Answer(
        answer=text,
        language=language,
        refused=False,
        citations=citations,
        commitments=commitments,
        searched=searched,
    )


def commitment_deadline(plan: QueryPlan, candidate: Candidate) -> date | None:
    if not candidate.deadlines:
        return None
    in_period = [
        d for d in candidate.deadlines if within(d, plan.deadline_since, plan.deadline_until)
    ]
    published = candidate.article.published.date() if candidate.article.published else None
    later = [d for d in candidate.deadlines if published is None or d >= published]
    pool = in_period or later or candidate.deadlines
    return max(pool)
