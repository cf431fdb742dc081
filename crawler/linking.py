"""Translations without markup: link a translated copy to its Vietnamese original by content.

A vietnam.vn page usually names its original ("Source:" line, `hreflang`, JSON-LD); when it
names none, the evidence is in the text. A machine translation keeps what a translation
cannot change: figures, dates and document numbers ("57-NQ/TW", "112/KH-UBND"), the places
it is about (in any script: Lâm Đồng, Lam Dong, Ламдонг), and it is published shortly after
the original. An optional cross-lingual similarity (an embedder's cosine, supplied by the
caller: the crawler knows no embedder) adds the meaning.

A wrong link is worse than a missing one, so a link is only made when the evidence is
strong and one original clearly beats every other candidate; otherwise nothing is linked.

    link_translation(copy, originals, places=..., similarity=...) -> Link | None
    link_unmarked(articles, places=..., similarity=...) -> list[Link]

Each text's facts (figures, document numbers, places) are read once per call. Without a
similarity, `link_unmarked` weighs a copy only against the originals that can change its
decision (`crawler.link_blocking`, same links as weighing every original in its window).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, cast

from crawler.models import Article
from facts.doc_numbers import find_doc_numbers
from facts.folding import fold_lower as _fold

# A translation appears from a day before (time zones, dates without a time) to this long
# after its original.
MAX_DELAY = timedelta(days=10)
MIN_DELAY = timedelta(days=-1)
# The decision: a score at least this high, at least this far ahead of the runner-up,
# and at least this many shared figures or document numbers.
MIN_SCORE = 0.55
MIN_MARGIN = 0.15
MIN_SHARED_FACTS = 3
# How much each kind of evidence weighs in the score (similarity only when supplied).
WEIGHTS = {"figures": 0.45, "documents": 0.25, "time": 0.15, "similarity": 0.15}
# The version of what a text's facts are and how they are weighed: raise it when
# `text_facts` or `_weigh` read differently, and the next stored pass weighs every
# translation again (`crawler.content_links` remembers what it already weighed).
RULES_VERSION = 1

Similarity = Callable[[Article, Article], float]


class Dated(Protocol):
    """What weighing reads of a text besides its facts: an Article or a `Summary`."""

    @property
    def identity_url(self) -> str: ...
    @property
    def lang(self) -> str | None: ...
    @property
    def published(self) -> datetime | None: ...


# Digits next to Latin letters are part of a code ("COVID19"); next to CJK ("6月30日") they
# are numbers.
_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?(?![0-9A-Za-z])")


def figures(text: str) -> Counter[str]:
    """Numbers of two digits or more, separators dropped: "896.350" and "896,350" meet."""
    found: Counter[str] = Counter()
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) >= 2:
            found[digits.lstrip("0") or "0"] += 1
    return found


def document_numbers(text: str) -> set[str]:
    """Document numbers such as 57-NQ/TW or 112/KH-UBND, read and normalised as every
    layer reads them (`facts.doc_numbers`)."""
    return {number for number, _start, _end in find_doc_numbers(text)}


class PlaceMatcher:
    """Every name of every place, folded as `places_in` compares them, in one Aho-Corasick
    automaton: a text is read once for all names, however many the gazetteer holds.

    A name matches wherever its folded form occurs in the folded text, or occurs there once
    spaces are ignored ("Lam Dong" in "lamdong"); since a form found with its spaces is
    also found without them, the automaton holds the space-free forms and reads the text
    without spaces. Names shorter than four letters (folded, with spaces) are not matched:
    too many words contain them."""

    def __init__(self, places: Mapping[str, Sequence[str]]) -> None:
        import ahocorasick

        keys_of: dict[str, set[str]] = {}
        for key, names in places.items():
            for name in names:
                form = _fold(name)
                if len(form) >= 4:
                    keys_of.setdefault(form.replace(" ", ""), set()).add(key)
        self._automaton = ahocorasick.Automaton()
        for form, keys in keys_of.items():
            self._automaton.add_word(form, frozenset(keys))
        self._empty = not keys_of
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> set[str]:
        found: set[str] = set()
        if self._empty:
            return found
        for _end, keys in self._automaton.iter(_fold(text).replace(" ", "")):
            found |= keys
        return found


Places = Mapping[str, Sequence[str]] | PlaceMatcher


def place_matcher(places: Places | None) -> PlaceMatcher | None:
    """One matcher for many texts; None when no place names are given (places not read)."""
    if not places:
        return None
    return places if isinstance(places, PlaceMatcher) else PlaceMatcher(places)


def places_in(text: str, places: Places) -> set[str]:
    """Keys of the places whose names (any language, any script) the text mentions.
    Reading many texts, pass a `PlaceMatcher` built once."""
    matcher = place_matcher(places)
    return matcher.find(text) if matcher else set()


def _text(article: Article) -> str:
    return f"{article.title}\n{article.text}"


@dataclass(frozen=True)
class Evidence:
    original: str  # the candidate original's canonical URL
    score: float
    shared_facts: int
    reasons: dict[str, float]


@dataclass(frozen=True)
class Link:
    translation: str
    original: str
    score: float
    margin: float
    reasons: dict[str, float]


@dataclass(frozen=True)
class TextFacts:
    """What a translation cannot change, read once from an article's title and text."""

    figures: Counter[str]
    documents: frozenset[str]
    places: frozenset[str]


@dataclass(frozen=True)
class Summary:
    """What linking reads of an article, without its text: held for many articles at once."""

    identity_url: str
    lang: str | None
    published: datetime | None
    facts: TextFacts


def summarise(article: Article, places: Places | None = None) -> Summary:
    return Summary(
        article.identity_url, article.lang, article.published, text_facts(article, places)
    )


def text_facts(article: Article, places: Places | None = None) -> TextFacts:
    text = _text(article)
    return TextFacts(
        figures(text),
        frozenset(document_numbers(text)),
        frozenset(places_in(text, places)) if places else frozenset(),
    )


def _overlap(mine: Counter[str], theirs: Counter[str]) -> tuple[float, int]:
    """Share of my facts the other text has too, and how many that is."""
    total = sum(mine.values())
    if not total:
        return 0.0, 0
    shared = sum((mine & theirs).values())
    return shared / total, shared


def weigh(
    copy: Article,
    original: Article,
    *,
    places: Places | None = None,
    similarity: Similarity | None = None,
) -> Evidence | None:
    """The evidence that `copy` translates `original`, or None when something rules it out
    (published too early or too late, about other places, the same language)."""
    matcher = place_matcher(places)
    return _weigh(
        copy, original, text_facts(copy, matcher), text_facts(original, matcher), similarity
    )


def _weigh(
    copy: Dated,
    original: Dated,
    mine: TextFacts,
    theirs: TextFacts,
    similarity: Similarity | None,
) -> Evidence | None:
    if original.lang == copy.lang:
        return None
    if copy.published and original.published:
        delay = copy.published - original.published
        if not MIN_DELAY <= delay <= MAX_DELAY:
            return None
        closeness = max(0.0, 1 - max(delay, timedelta(0)) / MAX_DELAY)
    else:
        closeness = 0.0
    if mine.places and theirs.places and mine.places.isdisjoint(theirs.places):
        return None
    figure_share, shared_figures = _overlap(mine.figures, theirs.figures)
    my_documents, their_documents = mine.documents, theirs.documents
    if my_documents and their_documents and my_documents.isdisjoint(their_documents):
        return None  # about another decision, plan or resolution
    documents = (
        len(my_documents & their_documents) / len(my_documents | their_documents)
        if my_documents or their_documents
        else figure_share
    )
    reasons = {"figures": figure_share, "documents": documents, "time": closeness}
    if similarity is not None:
        # A similarity is only supplied with whole articles (`link_translation`).
        reasons["similarity"] = max(0.0, similarity(cast(Article, copy), cast(Article, original)))
    weights = {k: w for k, w in WEIGHTS.items() if k in reasons}
    score = sum(weights[k] * reasons[k] for k in weights) / sum(weights.values())
    shared = shared_figures + len(my_documents & their_documents)
    return Evidence(original.identity_url, round(score, 3), shared, reasons)


def link_translation(
    copy: Article,
    originals: Iterable[Article],
    *,
    places: Places | None = None,
    similarity: Similarity | None = None,
) -> Link | None:
    """The original `copy` translates, when one candidate clearly has the evidence."""
    matcher = place_matcher(places)
    candidates = [(original, text_facts(original, matcher)) for original in originals]
    return _decide(copy, text_facts(copy, matcher), candidates, similarity)


def _decide(
    copy: Dated,
    facts: TextFacts,
    candidates: Iterable[tuple[Dated, TextFacts]],
    similarity: Similarity | None,
) -> Link | None:
    ranked = sorted(
        (
            evidence
            for original, theirs in candidates
            if (evidence := _weigh(copy, original, facts, theirs, similarity))
        ),
        key=lambda e: e.score,
        reverse=True,
    )
    if not ranked:
        return None
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    margin = best.score - runner_up
    if best.score < MIN_SCORE or margin < MIN_MARGIN or best.shared_facts < MIN_SHARED_FACTS:
        return None
    return Link(copy.identity_url, best.original, best.score, round(margin, 3), best.reasons)


class _OriginalsByTime:
    """The originals with their facts, found by publication time: the candidates of a copy
    are those published in its window, and those with no date (time cannot rule them out)."""

    def __init__(self, originals: Sequence[Article], places: Places | None) -> None:
        with_facts = [(original, text_facts(original, places)) for original in originals]
        dated = sorted(
            (item for item in with_facts if item[0].published is not None),
            key=lambda item: microseconds(item[0].published),
        )
        self._dated = dated
        self._times = [microseconds(item[0].published) for item in dated]
        self._undated = [item for item in with_facts if item[0].published is None]
        self._all = with_facts

    def candidates(self, copy: Article) -> list[tuple[Article, TextFacts]]:
        if copy.published is None:
            return self._all
        published = microseconds(copy.published)
        start = bisect_left(self._times, published - MAX_DELAY_US)
        end = bisect_right(self._times, published - MIN_DELAY_US)
        return self._dated[start:end] + self._undated


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
MAX_DELAY_US = MAX_DELAY // _MICROSECOND
MIN_DELAY_US = MIN_DELAY // _MICROSECOND


def microseconds(value: datetime | None) -> int:
    """Microseconds since the epoch, exactly: a time window found in a sorted list of them
    holds the originals `_weigh` keeps, to the microsecond (dates have a UTC offset)."""
    return (value - _EPOCH) // _MICROSECOND if value is not None else 0


def link_unmarked(
    articles: Sequence[Article],
    *,
    places: Places | None = None,
    similarity: Similarity | None = None,
) -> list[Link]:
    """Links for every translation (not Vietnamese, no `translation_of`) among `articles`,
    to the Vietnamese originals among them (a Vietnamese copy that names its own original
    is not one: it would tie with that original).

    Without a similarity, the originals' facts are indexed (`crawler.link_blocking`) and
    each copy is weighed against the few originals that can change its decision: the
    links are those of weighing every original in its window, which is what happens when a
    similarity is supplied (it may favour any candidate)."""
    matcher = place_matcher(places)
    if similarity is None:
        from crawler.link_blocking import link_copies

        return link_copies(
            (summarise(a, matcher) for a in articles if is_original(a)),
            (summarise(a, matcher) for a in articles if is_unmarked_copy(a)),
        )
    originals = _OriginalsByTime([a for a in articles if is_original(a)], matcher)
    links = []
    for article in articles:
        if not is_unmarked_copy(article):
            continue
        candidates = originals.candidates(article)
        link = _decide(article, text_facts(article, matcher), candidates, similarity)
        if link is not None:
            links.append(link)
    return links


def is_original(article: Article) -> bool:
    """A Vietnamese article that names no original of its own: what copies link to."""
    return article.lang == "vi" and not article.translation_of


def is_unmarked_copy(article: Article) -> bool:
    """A translation whose page named no original: what content linking links."""
    return article.lang not in (None, "vi") and not article.translation_of
