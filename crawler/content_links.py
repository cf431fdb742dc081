"""After a crawl or an import: link the stored translations that name no original.

A translation whose page names its original (a "Source:" line, `hreflang`, JSON-LD) is
grouped with it when it is stored. One that names none is linked here, by its content
(`crawler.linking`: shared figures, document numbers, places and publication time), to
the Vietnamese original it clearly translates, and the links are recorded in one store
transaction (`ArticleStore.link_translations`): an interrupted pass records nothing, and
the next pass starts again. Translations already linked are left alone, so running the
pass again changes nothing; a translation that finds no clear original stays unlinked
and is tried again after the next crawl, when its original may have arrived.

The store is read twice, one batch at a time: first for the translations that name no
original (usually few), then for the Vietnamese originals published within the span of
their time windows; only those are held in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crawler.linking import MAX_DELAY, MIN_DELAY, Link, link_unmarked
from crawler.models import Article
from crawler.store import ArticleStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkPass:
    unmarked: int  # translations that named no original before the pass
    linked: int  # of them, linked by this pass
    links: tuple[Link, ...] = ()


def _is_unmarked_translation(article: Article) -> bool:
    return article.lang not in (None, "vi") and not article.translation_of


def _is_original(article: Article) -> bool:
    return article.lang == "vi" and not article.translation_of


def link_stored_translations(
    store: ArticleStore, *, places: Mapping[str, Sequence[str]] | None = None
) -> LinkPass:
    """Link every stored translation that names no original to the original it clearly
    translates; `places` (place key -> names in any language) lets a copy about another
    province rule that province's articles out."""
    copies = [a for a in store.articles() if _is_unmarked_translation(a)]
    if not copies:
        return LinkPass(0, 0)
    dated = [a.published for a in copies if a.published is not None]
    undated_copy = len(dated) < len(copies)
    earliest = min(dated) - MAX_DELAY if dated else None
    latest = max(dated) - MIN_DELAY if dated else None

    def in_some_window(article: Article) -> bool:
        if undated_copy or article.published is None or earliest is None or latest is None:
            return True
        return earliest <= article.published <= latest

    originals = [a for a in store.articles() if _is_original(a) and in_some_window(a)]
    links = link_unmarked([*copies, *originals], places=places)
    linked = store.link_translations((link.translation, link.original) for link in links)
    logger.info(
        "content linking: %d of %d translations without a named original linked",
        linked,
        len(copies),
    )
    return LinkPass(len(copies), linked, tuple(links))
