"""Ranked story lists for one question: what the pipeline's retrieval finds to a depth,
what the answerer had in hand, and what plain dense search finds.

Plain dense search is the baseline the pipeline must not fall below: the question alone
(no history, no understanding, no filters) embedded with the index's embedder, searched
over all chunks, and the articles deduplicated by story.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from index.models import IndexedArticle, Retriever
from qa.answer import MAX_YEARS_RELAXED
from qa.evaluation.questions import EvalQuestion
from qa.evaluation.stories import StoryMap
from qa.gazetteer import Gazetteer
from qa.models import Answer, QueryPlan
from qa.temporal import years_before

logger = logging.getLogger(__name__)

Story = frozenset[str]
# Chunks fetched per story wanted from plain dense search (stories have several chunks).
DENSE_CHUNKS_PER_STORY = 8


class StoryResolver:
    """An indexed article -> every URL of its story: the articles file's stories joined
    with the index's translation group (cached per group)."""

    def __init__(self, retriever: Retriever, stories: StoryMap | None = None) -> None:
        self.retriever = retriever
        self.stories = stories or StoryMap()
        self._groups: dict[str, list[str]] = {}

    def _group_urls(self, group: str) -> list[str]:
        if group not in self._groups:
            try:
                self._groups[group] = [a.url for a in self.retriever.translations(group)]
            except (KeyError, LookupError) as error:
                logger.debug("no translations for %s: %s", group, error)
                self._groups[group] = []
        return self._groups[group]

    def of_article(self, article: IndexedArticle) -> Story:
        group = self._group_urls(article.translation_group) if article.translation_group else []
        return self.stories.with_versions(article.url, group)

    def of_url(self, url: str, article_id: str | None = None) -> Story:
        article = self.retriever.article(article_id) if article_id else None
        return self.of_article(article) if article else self.stories.story(url)


def dedupe(stories: Iterable[Story]) -> list[Story]:
    """Stories in order of first appearance, each once."""
    result: list[Story] = []
    for story in stories:
        if not any(story & seen for seen in result):
            result.append(story)
    return result


def gold_rank(gold: list[Story], ranked: list[Story] | None, *, needs_every: bool) -> int | None:
    """The smallest k for which the top k stories satisfy the question's gold (one story,
    or all of them for comparisons and lists); None when the list never does."""
    if ranked is None or not gold:
        return None
    found_at: list[int | None] = []
    for story in gold:
        found_at.append(next((i for i, s in enumerate(ranked, 1) if story & s), None))
    found = [r for r in found_at if r is not None]
    if needs_every:
        return max(found) if len(found) == len(gold) else None
    return min(found) if found else None


@dataclass(frozen=True)
class Rankings:
    pipeline: list[Story]  # the pipeline's retrieval, to the evaluation depth
    in_hand: list[Story]  # the stories the answerer was given
    dense: list[Story] | None  # plain dense search; None when the index cannot do it


class RankingProbe(Protocol):
    def __call__(self, question: EvalQuestion, answer: Answer | None = None) -> Rankings: ...


class RetrievalProbe:
    """Rankings through qa.retrieve's public functions and the index's dense search."""

    def __init__(
        self,
        retriever: Retriever,
        resolver: StoryResolver,
        depth: int = 50,
        *,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.retriever = retriever
        self.resolver = resolver
        self.depth = depth
        # The places of questions and passages are read as the answerer reads them.
        self.gazetteer = gazetteer or Gazetteer.packaged()

    def __call__(self, question: EvalQuestion, answer: Answer | None = None) -> Rankings:
        from qa.answer import resolve_filters
        from qa.retrieve import retrieve

        filters, _shown = resolve_filters(question.filters or None, gazetteer=self.gazetteer)
        plan = self._plan(question, answer)
        deep = retrieve(
            plan,
            self.retriever,
            filters,
            k=self.depth,
            max_groups=self.depth,
            per_group=1,
            gazetteer=self.gazetteer,
        )
        hand = retrieve(plan, self.retriever, filters, gazetteer=self.gazetteer)
        return Rankings(
            pipeline=self._stories(e.article for e in deep.evidence),
            in_hand=self._stories(e.article for e in hand.evidence),
            dense=self.dense(question),
        )

    def _plan(self, question: EvalQuestion, answer: Answer | None) -> QueryPlan:
        """The reading of the question the answer was given for: a period named without a
        year is first read as the latest one, and `answer()` falls back to earlier years
        when that finds nothing; the answer's `searched` data says which one it used."""
        from facts.vietnam_time import VIETNAM_TZ
        from qa.understand import understand

        today = datetime.now(VIETNAM_TZ).date()
        plan = understand(
            question.question, question.history, today=today, gazetteer=self.gazetteer
        )
        searched = answer.searched if answer else {}
        if not (plan.year_inferred and searched.get("year_relaxed")):
            return plan
        for years_back in range(1, MAX_YEARS_RELAXED + 1):
            earlier_day = years_before(today, years_back)
            earlier = understand(
                question.question, question.history, today=earlier_day, gazetteer=self.gazetteer
            )
            since = earlier.published_since.isoformat() if earlier.published_since else None
            if since == searched.get("published_since"):
                return earlier
        return plan

    def _stories(self, articles: Iterable[IndexedArticle]) -> list[Story]:
        return dedupe(self.resolver.of_article(a) for a in articles)

    def dense(self, question: EvalQuestion) -> list[Story]:
        vector = self.retriever.embedder.embed_queries([question.question])[0]
        hits = self.retriever.search_dense(vector, k=self.depth * DENSE_CHUNKS_PER_STORY)
        return self._stories(hit.article for hit in hits)[: self.depth]
