"""Retrieval fusion: a `QueryPlan` plus the user's filters become a few index searches,
whose hits are fused, boosted by the question's constraints and grouped by story.

The user's filters are hard (every search call carries them). The question's own
constraints are applied twice, so that none is silently dropped and none hides an
article whose metadata is incomplete:

- places: a search filtered to the place's units, and an unfiltered search whose hits
  are boosted when the article belongs to the place or its text names it (in any of
  the gazetteer's spellings);
- publication period ("in 2024", "after the merger"): searches filtered to the period
  come first, then searches for passages that mention a date in it whatever their
  publication day (a year's results are reported in the next one; a target year such as
  "by 2030" is only ever mentioned), and last an unfiltered search at a low weight.
  `Evidence.period_match` says whether a passage is from the period or names it, and
  `qa.decide` only quotes passages that are;
- deadlines ("by May 2025"): a search filtered on dates mentioned in the chunk, and a
  boost for chunks that mention a date in the period.

One story is counted once across its translations: hits are grouped by
`translation_group`, and each group is represented by the version in the asker's
language when the index has one, while the other versions stay reachable as
`alternates`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from facts.doc_numbers import doc_number_key
from facts.folding import fold_for_matching as fold
from facts.provinces import MERGER_DATE
from index.mentions import overlaps
from index.models import Chunk, IndexedArticle, MentionedDate, Retriever, SearchFilters, SearchHit
from qa.gazetteer import Gazetteer
from qa.models import QueryPlan
from qa.temporal import MergerSide, merger_sides

logger = logging.getLogger(__name__)

# Reciprocal-rank-fusion constant and the weight of each search call.
RRF_K = 60
WEIGHT_PRIMARY = 1.0
WEIGHT_EXPANDED = 0.8
WEIGHT_UNFILTERED = 0.6
WEIGHT_DEADLINE = 0.8
WEIGHT_PERIOD_MENTIONED = 0.8
WEIGHT_OUT_OF_PERIOD = 0.3
WEIGHT_DENSE = 1.0
# Boosts, in RRF units (one first place in one call is about 1/61 = 0.016).
BOOST_PLACE_ARTICLE = 0.012
# Where an article that states no province says what it is about: its title and opening.
OPENING_CHARS = 400
BOOST_PLACE_TEXT = 0.008
BOOST_DEADLINE = 0.010
BOOST_DOC_NUMBER = 0.012
BOOST_LANGUAGE = 0.002
BOOST_PERIOD = 0.010
# How far a publication period taken from the question is widened (see merge_filters).
QUESTION_SLACK_BEFORE = timedelta(days=2)
# A school year is reported on as it opens: "entering the 2024-2025 school year" in August.
SCHOOL_YEAR_SLACK_BEFORE = timedelta(days=31)
QUESTION_SLACK_AFTER = timedelta(days=45)


_SPACES = re.compile(r"[\s\-‐‑–—_]+")


def _loose(text: str) -> str:
    """Folded, with hyphens and runs of spaces made one space ("Lâm-Đồng" ~ "lam dong")."""
    return _SPACES.sub(" ", fold(text)).strip()


@dataclass(frozen=True)
class Evidence:
    """One retrieved passage, in the version of its story chosen for citing."""

    hit: SearchHit
    score: float
    group: str
    rank: int = 0
    place_match: bool = False
    deadline_match: bool = False
    doc_number_match: bool = False
    # Published in the period the question names, or naming a date in it (True when the
    # question names no period).
    period_match: bool = True
    # The story's other versions (translations or the original), reachable for the reader.
    alternates: tuple[IndexedArticle, ...] = ()

    @property
    def chunk(self) -> Chunk:
        return self.hit.chunk

    @property
    def article(self) -> IndexedArticle:
        return self.hit.article


@dataclass
class RetrievalResult:
    evidence: list[Evidence]
    filters: SearchFilters
    # The texts the keyword side searched (the dense side ranks by the plan's search text).
    queries: list[str] = field(default_factory=list)
    place_keys: tuple[str, ...] = ()
    place_variants: tuple[str, ...] = ()


def merge_filters(user: SearchFilters, plan: QueryPlan) -> SearchFilters:
    """The user's filters with the question's publication period (their intersection).

    A period named in a question is widened by a little before (a story dated the evening
    before in Vietnam time) and more after: reports on a quarter or a meeting appear during
    it and in the weeks that follow. The user's own filters are taken as given.
    """
    question_since, question_until = question_window(plan)
    since = _latest(user.since, question_since)
    until = _earliest(user.until, question_until)
    if since and until and since > until:
        # The question's period and the filter do not overlap; the filter wins.
        logger.info(
            "question period %s..%s is outside the filters; keeping the filters",
            plan.published_since,
            plan.published_until,
        )
        since, until = user.since, user.until
    return replace(user, since=since, until=until)


def _latest(a: date | None, b: date | None) -> date | None:
    return max(d for d in (a, b) if d) if (a or b) else None


def _earliest(a: date | None, b: date | None) -> date | None:
    return min(d for d in (a, b) if d) if (a or b) else None


def place_variants(plan: QueryPlan, gazetteer: Gazetteer) -> tuple[str, ...]:
    """Spellings of the question's places for query expansion: as written, the plan's
    expansions, and the gazetteer's short list (Vietnamese, ASCII, Russian, Ukrainian,
    English) for every unit the places cover."""
    names: list[str] = [place.surface for place in plan.places]
    names.extend(plan.expansions)
    for key in plan.province_keys:
        names.extend(gazetteer.expansion_names(key))
    seen: set[str] = set()
    unique: list[str] = []
    for name in names:
        loose = _loose(name)
        if name and loose not in seen:
            seen.add(loose)
            unique.append(name)
    return tuple(unique)


def names_place(text: str, keys: Sequence[str], gazetteer: Gazetteer) -> bool:
    """Whether `text` names one of the units `keys`, in any spelling or script."""
    return bool(keys) and bool(gazetteer.places_named(text) & set(keys))


def place_keys_for(
    plan: QueryPlan, article: IndexedArticle, gazetteer: Gazetteer
) -> tuple[str, ...]:
    """The units an article must be about to be about the question's places.

    A place asked about covers the units merged with it on 1 July 2025, but only in
    articles from then on: before the merger each unit's paper spoke for that unit alone
    (a Bắc Ninh budget of March 2025 is not Bắc Giang's)."""
    published = article.published.date() if article.published else None
    if published is None or published >= MERGER_DATE or not plan.places:
        return plan.province_keys
    before = MERGER_DATE - timedelta(days=1)
    keys = [key for p in plan.places for key in gazetteer.covering_units(p.key, None, before)]
    return tuple(dict.fromkeys(keys))


def article_in_places(article: IndexedArticle, keys: Sequence[str], gazetteer: Gazetteer) -> bool:
    """Whether the article's province is one of the units `keys` (in any spelling). An
    article that states no province (a translation page naming neither its province nor
    its original) is about the places its title or opening names."""
    if not keys:
        return False
    if not article.province:
        opening = f"{article.title}\n{article.text[:OPENING_CHARS]}"
        return names_place(opening, keys, gazetteer)
    return article.province in keys or gazetteer.resolve(article.province) in keys


def _chunk_mentions_period(chunk: Chunk, plan: QueryPlan) -> bool:
    """Whether the chunk mentions a date in the deadline or event period asked about."""
    periods = [
        (since, until)
        for since, until in (
            (plan.deadline_since, plan.deadline_until),
            (plan.event_since, plan.event_until),
        )
        if since or until
    ]
    return any(within(d.value, since, until) for d in chunk.dates for since, until in periods)


def question_window(plan: QueryPlan) -> tuple[date | None, date | None]:
    """The days a story about the question's period may be published: the period widened
    a little before (a story dated the evening before in Vietnam time) and more after
    (reports on a quarter or a meeting follow it by weeks)."""
    since, until = plan.published_since, plan.published_until
    before = (
        SCHOOL_YEAR_SLACK_BEFORE if plan.period_named == "school_year" else QUESTION_SLACK_BEFORE
    )
    return (
        since - before if since else None,
        until + QUESTION_SLACK_AFTER if until else None,
    )


def within(value: date, since: date | None, until: date | None) -> bool:
    """Whether a day falls in [since, until] (open ends count)."""
    return (since is None or value >= since) and (until is None or value <= until)


def asks_period(plan: QueryPlan) -> bool:
    """Whether the question names a publication period of its own (not an event's time,
    which `qa.decide.reports_event` checks)."""
    has_period = plan.published_since is not None or plan.published_until is not None
    return has_period and plan.event_since is None and plan.event_until is None


def about_period(article: IndexedArticle, chunk: Chunk, plan: QueryPlan) -> bool:
    """Whether a passage is from the period the question names: published in it (widened
    as in `merge_filters`) or naming a date that overlaps it. True when no period is named."""
    since, until = plan.published_since, plan.published_until
    if since is None and until is None:
        return True
    if article.published is not None and within(article.published.date(), *question_window(plan)):
        return True
    # Every later target overlaps a period with no end ("after the merger"): a passage
    # published before such a period does not name it by a deadline ("by 2030" in a
    # February plan), only by what it says happened in it.
    published_before = (
        article.published is not None
        and since is not None
        and until is None
        and article.published.date() < since - QUESTION_SLACK_BEFORE
    )
    side = merger_side_asked(plan)
    if side is not None and side in merger_sides(chunk.text):
        # "Before the merger, the old Ha Giang province had completed 17 tasks", told in
        # an October report: the period is named in words, not by a date.
        return True
    return any(
        overlaps(mention, since, until)
        for mention in chunk.dates
        if not (published_before and names_only_the_start(mention, since))
    )


def merger_side_asked(plan: QueryPlan) -> MergerSide | None:
    """The side of the 1 July 2025 merger that is the question's whole period, if it is."""
    if plan.published_since is None and plan.published_until == MERGER_DATE - timedelta(days=1):
        return "before"
    if plan.published_since == MERGER_DATE and plan.published_until is None:
        return "after"
    return None


def names_only_the_start(mention: MentionedDate, since: date | None) -> bool:
    """For a passage published before a period with no end: whether the date says nothing
    of what happened in it. A deadline overlaps every such period ("by 2030"), and the
    day the period starts is where the passage looks ahead to ("the merger takes effect
    from 1 July"), not a report of what came after it."""
    return mention.kind == "deadline" or (mention.precision == "day" and mention.value == since)


def _unstated_about(hit: SearchHit, keys: Sequence[str], gazetteer: Gazetteer) -> bool:
    """Whether a passage of an article that states no province is about the place `keys`:
    the article's title or opening names it, or the passage does."""
    return article_in_places(hit.article, keys, gazetteer) or names_place(
        hit.chunk.text, keys, gazetteer
    )


def _chunk_has_doc(chunk: Chunk, wanted: set[str]) -> bool:
    if not wanted:
        return False
    return any(doc_number_key(n) in wanted for n in chunk.doc_numbers)


def _expanded_query(plan: QueryPlan, variants: Sequence[str]) -> str | None:
    """The search text with the places' other spellings appended (for the keyword index)."""
    folded_text = _loose(plan.search_text)
    extra = [v for v in variants if _loose(v) not in folded_text]
    if not extra:
        return None
    return f"{plan.search_text} {' '.join(extra[:8])}"


def retrieve(
    plan: QueryPlan,
    retriever: Retriever,
    filters: SearchFilters | None = None,
    *,
    k: int = 20,
    max_groups: int = 6,
    per_group: int = 3,
    gazetteer: Gazetteer | None = None,
) -> RetrievalResult:
    """Search the index for the plan's question and return evidence, best first.

    At most `max_groups` stories, each with up to `per_group` passages of the version
    chosen for citing. Places are read with `gazetteer` (without one, the packaged one is
    built for this call).
    """
    gazetteer = gazetteer or Gazetteer.packaged()
    user = filters or SearchFilters()
    base = merge_filters(user, plan)
    keys = plan.province_keys
    variants = place_variants(plan, gazetteer)
    expanded = _expanded_query(plan, variants)

    # (keyword text, filters, weight) for each search call. Every call ranks by the
    # meaning of the question's own search text (one query embedding per question: a
    # second text would cost as much again on a large model); the expanded text, with the
    # places' other spellings, only feeds the keyword side.
    words = expanded or plan.search_text
    calls: list[tuple[str, SearchFilters, float]] = []
    # The question's place narrows the searches to its articles and to those that state no
    # province (their text may name it: scored below); a place the user sets filters.
    place_filtered = (
        replace(base, province=keys, province_unstated=True) if keys and not base.province else base
    )
    calls.append((plan.search_text, place_filtered, WEIGHT_PRIMARY))
    if expanded:
        calls.append((expanded, place_filtered, WEIGHT_EXPANDED))
    if place_filtered != base:
        calls.append((words, base, WEIGHT_UNFILTERED))
    if plan.deadline_since or plan.deadline_until:
        deadline_filters = replace(
            place_filtered, mentioned_since=plan.deadline_since, mentioned_until=plan.deadline_until
        )
        calls.append((words, deadline_filters, WEIGHT_DEADLINE))
    if base != user:
        # The question's period narrowed the filters: also look beyond its publication
        # days, for passages that name a date in it, then for anything about the topic.
        open_period = (
            replace(user, province=keys, province_unstated=True)
            if keys and not user.province
            else user
        )
        mentioned = replace(
            open_period, mentioned_since=plan.published_since, mentioned_until=plan.published_until
        )
        calls.append((words, mentioned, WEIGHT_PERIOD_MENTIONED))
        calls.append((words, open_period, WEIGHT_OUT_OF_PERIOD))

    queries = list(dict.fromkeys(q for q, _f, _w in calls))
    fused: dict[str, float] = {}
    hits_by_id: dict[str, SearchHit] = {}
    for keyword_text, call_filters, weight in calls:
        try:
            hits = retriever.search(
                plan.search_text, k=k, filters=call_filters, keywords=keyword_text
            )
        except ValueError as error:  # e.g. a filter the backend cannot apply
            logger.warning("search %r with %s failed: %s", keyword_text, call_filters, error)
            continue
        if call_filters.province_unstated:
            # The index cannot read text: of the articles that state no province, only
            # those about the place belong to a search narrowed to it.
            hits = [h for h in hits if h.article.province or _unstated_about(h, keys, gazetteer)]
        for rank, hit in enumerate(hits, start=1):
            chunk_id = hit.chunk.chunk_id
            hits_by_id.setdefault(chunk_id, hit)
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (RRF_K + rank)

    # Plain dense retrieval under the user's filters alone: a story the question's meaning
    # finds is never lost to the narrowing above (a translation whose words the keyword
    # side cannot match, a place or period the index does not record).
    vector = retriever.embedder.embed_queries([plan.search_text])[0]
    for rank, hit in enumerate(retriever.search_dense(vector, k=k, filters=user), start=1):
        chunk_id = hit.chunk.chunk_id
        hits_by_id.setdefault(chunk_id, hit)
        fused[chunk_id] = fused.get(chunk_id, 0.0) + WEIGHT_DENSE / (RRF_K + rank)

    wanted_docs = {doc_number_key(n) for n in plan.doc_numbers}
    scored: list[Evidence] = []
    for chunk_id, score in fused.items():
        hit = hits_by_id[chunk_id]
        article_keys = place_keys_for(plan, hit.article, gazetteer)
        place_article = article_in_places(hit.article, article_keys, gazetteer)
        place_text = names_place(f"{hit.article.title}\n{hit.chunk.text}", article_keys, gazetteer)
        deadline = _chunk_mentions_period(hit.chunk, plan)
        doc = _chunk_has_doc(hit.chunk, wanted_docs)
        period = about_period(hit.article, hit.chunk, plan)
        score += BOOST_PLACE_ARTICLE * place_article + BOOST_PLACE_TEXT * place_text
        score += BOOST_DEADLINE * deadline + BOOST_DOC_NUMBER * doc
        score += BOOST_PERIOD * (period and asks_period(plan))
        score += BOOST_LANGUAGE * (hit.article.lang == plan.language)
        scored.append(
            Evidence(
                hit=hit,
                score=score,
                group=hit.article.translation_group or hit.article.id,
                place_match=place_article or place_text,
                deadline_match=deadline,
                doc_number_match=doc,
                period_match=period,
            )
        )
    scored.sort(key=lambda e: e.score, reverse=True)

    # Versions of a story are looked up with the user's filters only: a translation may
    # be published a day after the period the question names.
    evidence = _group_stories(
        scored, plan, retriever, user, max_groups=max_groups, per_group=per_group, k=k
    )
    logger.debug(
        "retrieved %d passages in %d stories for %r",
        len(evidence),
        len({e.group for e in evidence}),
        plan.search_text,
    )
    return RetrievalResult(
        evidence=evidence, filters=base, queries=queries, place_keys=keys, place_variants=variants
    )


def _group_stories(
    scored: list[Evidence],
    plan: QueryPlan,
    retriever: Retriever,
    base: SearchFilters,
    *,
    max_groups: int,
    per_group: int,
    k: int,
) -> list[Evidence]:
    groups: dict[str, list[Evidence]] = {}
    for item in scored:
        if item.group in groups or len(groups) < max_groups:
            groups.setdefault(item.group, []).append(item)

    result: list[Evidence] = []
    for group, items in groups.items():
        best = items[0].score
        versions = _versions(retriever, group, items)
        chosen_id = _preferred_article(items, versions, plan.language, base)
        passages = [i for i in items if i.article.id == chosen_id]
        if not passages and chosen_id is not None:
            passages = _search_version(retriever, plan, base, group, chosen_id, items, k=k)
        if not passages:  # keep the best-scoring version
            top_id = items[0].article.id
            passages = [i for i in items if i.article.id == top_id]
        alternates = tuple(v for v in versions if v.id != passages[0].article.id)
        for position, item in enumerate(passages[:per_group]):
            # The story ranks by its best version's score, whichever version is cited.
            score = max(item.score, best) if position == 0 else item.score
            result.append(replace(item, score=score, alternates=alternates))
    result.sort(key=lambda e: e.score, reverse=True)
    return [replace(e, rank=i) for i, e in enumerate(result)]


def _versions(retriever: Retriever, group: str, items: list[Evidence]) -> list[IndexedArticle]:
    seen: dict[str, IndexedArticle] = {i.article.id: i.article for i in items}
    if items[0].article.translation_group:
        try:
            for article in retriever.translations(group):
                seen.setdefault(article.id, article)
        except (KeyError, LookupError) as error:
            logger.debug("no translations for %s: %s", group, error)
    return list(seen.values())


def _preferred_article(
    items: list[Evidence], versions: list[IndexedArticle], language: str, base: SearchFilters
) -> str | None:
    """The version to cite: the asker's language if the story has it (and the filters
    allow it), else the best-scoring version."""
    allowed = [v for v in versions if not base.lang or v.lang in base.lang]
    in_language = [v for v in allowed if v.lang == language]
    if not in_language:
        return items[0].article.id
    hit_ids = [i.article.id for i in items]
    for article_id in hit_ids:  # the best-scoring hit in the asker's language
        if any(v.id == article_id for v in in_language):
            return article_id
    return in_language[0].id


def _search_version(
    retriever: Retriever,
    plan: QueryPlan,
    base: SearchFilters,
    group: str,
    article_id: str,
    items: list[Evidence],
    *,
    k: int,
) -> list[Evidence]:
    """The passages of one version of a story that best match the question."""
    filters = SearchFilters(
        translation_group=(group,),
        lang=(plan.language,),
        site=base.site,
        since=base.since,
        until=base.until,
    )
    try:
        hits = retriever.search(plan.search_text, k=k, filters=filters)
    except ValueError as error:
        logger.warning("search in translation group %s failed: %s", group, error)
        return []
    best = items[0]
    found = []
    for rank, hit in enumerate(h for h in hits if h.article.id == article_id):
        found.append(
            replace(
                best,
                hit=hit,
                score=best.score - rank * 1e-4,
                deadline_match=_chunk_mentions_period(hit.chunk, plan),
                period_match=about_period(hit.article, hit.chunk, plan),
            )
        )
    return found
