"""After a crawl or an import: link the stored translations that name no original.

A translation whose page names its original (a "Source:" line, `hreflang`, JSON-LD) is
grouped with it when it is stored. One that names none is linked here, by its content
(`crawler.linking`: shared figures, document numbers, places and publication time), to
the Vietnamese original it clearly translates, and the links are recorded in one store
transaction (`ArticleStore.record_link_pass`): an interrupted pass records nothing, and
the next pass starts again. Translations already linked are left alone, so running the
pass again changes nothing; a translation that finds no clear original stays unlinked
and is tried again when its original may have arrived.

Only the translations whose decision can have changed are weighed again. A decision
depends on the translation's own text and date and on the originals that are its
candidates: those published in its time window, and the undated ones. The store keeps,
in the same transaction as the links, what the pass saw of every article
(`content_link_seen`: its row's version, content hash, last-seen time and original, and
its role and publication time) and the rules it ran with (place names, thresholds,
`RULES_VERSION`). The next pass reads the article rows (not their texts) and parses only
the articles whose row changed since (every `add` sets the last-seen time). A translation
is weighed again when it is new or changed, when an original was added, changed or
removed (its role or date changed) within its window, or when such an original is
undated, or, for an undated translation, anywhere; and every translation when the rules
changed. Everything else would be weighed against the same candidates with the same
result: no link.

The store is read in batches and no article is held: the originals that the translations
to weigh can meet are kept as compact facts in an index (`crawler.link_blocking`), then
each translation is read, weighed against the few originals that can decide its link,
and let go.
"""

from __future__ import annotations

import hashlib
import json
import logging
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from crawler.link_blocking import OriginalsIndex
from crawler.linking import (
    MAX_DELAY_US,
    MIN_DELAY_US,
    MIN_MARGIN,
    MIN_SCORE,
    MIN_SHARED_FACTS,
    RULES_VERSION,
    WEIGHTS,
    Link,
    is_original,
    is_unmarked_copy,
    microseconds,
    place_matcher,
    summarise,
)
from crawler.models import Article
from crawler.store import ArticleStore, LinkSeen

logger = logging.getLogger(__name__)

ORIGINAL, COPY, OTHER = "original", "copy", "other"


@dataclass(frozen=True)
class LinkPass:
    unmarked: int  # translations that named no original before the pass
    linked: int  # of them, linked by this pass
    links: tuple[Link, ...] = ()
    weighed: int = 0  # of them, weighed by this pass (the others could not have changed)


def role_of(article: Article | None) -> str:
    if article is None:
        return OTHER  # a stored row that no longer parses is read by no one
    if is_original(article):
        return ORIGINAL
    return COPY if is_unmarked_copy(article) else OTHER


def rules(places: Mapping[str, Sequence[str]] | None) -> dict[str, str]:
    """What the decisions depend on besides the articles, as the store records it."""
    described = {
        "places": sorted((key, list(names)) for key, names in places.items()) if places else None,
        "thresholds": [MIN_SCORE, MIN_MARGIN, MIN_SHARED_FACTS],
        "weights": WEIGHTS,
        "delays_us": [MIN_DELAY_US, MAX_DELAY_US],
        "version": RULES_VERSION,
    }
    text = json.dumps(described, sort_keys=True, ensure_ascii=False)
    return {"rules": hashlib.sha256(text.encode()).hexdigest()}


@dataclass(frozen=True)
class _Copy:
    rowid: int
    article_id: str
    published_us: int | None
    changed: bool


@dataclass
class WeighPlan:
    """Which translations to weigh and which originals they can meet, from what changed
    since the last pass (a pure bookkeeping of roles, dates and changes)."""

    copies: list[_Copy] = field(default_factory=list)
    originals: list[tuple[str, int | None]] = field(default_factory=list)
    dirty_times: list[int] = field(default_factory=list)
    dirty_undated: bool = False

    def add(
        self,
        rowid: int,
        article_id: str,
        role: str,
        published_us: int | None,
        *,
        changed: bool,
        role_before: str | None = None,
        published_before: int | None = None,
    ) -> None:
        if changed:
            for was_original, when in (
                (role_before == ORIGINAL, published_before),
                (role == ORIGINAL, published_us),
            ):
                if not was_original:
                    continue
                if when is None:
                    self.dirty_undated = True
                else:
                    self.dirty_times.append(when)
        if role == COPY:
            self.copies.append(_Copy(rowid, article_id, published_us, changed))
        elif role == ORIGINAL:
            self.originals.append((article_id, published_us))

    def to_weigh(self) -> list[_Copy]:
        """The translations whose candidates or own text may have changed, in store order."""
        times = sorted(self.dirty_times)
        any_original = bool(times) or self.dirty_undated

        def window_changed(at: int) -> bool:
            first = bisect_left(times, at - MAX_DELAY_US)
            return first < len(times) and times[first] <= at - MIN_DELAY_US

        return [
            copy
            for copy in self.copies
            if copy.changed
            or self.dirty_undated
            or (copy.published_us is None and any_original)
            or (copy.published_us is not None and window_changed(copy.published_us))
        ]

    def originals_for(self, copies: list[_Copy]) -> list[str]:
        """The originals any of `copies` can meet: in one of their windows, or undated."""
        if any(copy.published_us is None for copy in copies):
            return [article_id for article_id, _ in self.originals]
        times = sorted(copy.published_us for copy in copies if copy.published_us is not None)

        def in_a_window(at: int) -> bool:
            first = bisect_left(times, at + MIN_DELAY_US)
            return first < len(times) and times[first] <= at + MAX_DELAY_US

        return [
            article_id
            for article_id, published in self.originals
            if published is None or in_a_window(published)
        ]


def link_stored_translations(
    store: ArticleStore, *, places: Mapping[str, Sequence[str]] | None = None
) -> LinkPass:
    """Link every stored translation that names no original to the original it clearly
    translates; `places` (place key -> names in any language) lets a copy about another
    province rule that province's articles out."""
    settings = rules(places)
    everything = store.link_settings() != settings
    plan = WeighPlan()
    seen: list[LinkSeen] = []
    for state in store.linking_state(everything=everything):
        if not state.touched and state.seen_role is not None:
            plan.add(
                state.rowid,
                state.seen.article_id,
                state.seen_role,
                state.seen_published_us,
                changed=False,
            )
            continue
        article = state.article
        role = role_of(article)
        published = microseconds(article.published) if article and article.published else None
        seen.append(replace(state.seen, role=role, published_us=published))
        changed = (
            everything
            or state.seen_role is None
            or state.seen_hash != state.seen.content_hash
            or state.seen_role != role
            or state.seen_published_us != published
        )
        plan.add(
            state.rowid,
            state.seen.article_id,
            role,
            published,
            changed=changed,
            role_before=state.seen_role,
            published_before=state.seen_published_us,
        )
    weigh = plan.to_weigh()
    links: list[Link] = []
    if weigh:
        matcher = place_matcher(places)
        index = OriginalsIndex(
            summarise(a, matcher)
            for a in store.articles_with_ids(plan.originals_for(weigh))
            if is_original(a)
        )
        for article in store.articles_with_ids(copy.article_id for copy in weigh):
            link = index.link(summarise(article, matcher)) if role_of(article) == COPY else None
            if link is not None:
                links.append(link)
    pairs = ((link.translation, link.original) for link in links)
    linked = store.record_link_pass(pairs, seen, settings)
    unmarked = len(plan.copies)
    logger.info(
        "content linking: %d of %d translations without a named original linked (%d weighed again)",
        linked,
        unmarked,
        len(weigh),
    )
    return LinkPass(unmarked, linked, tuple(links), len(weigh))
