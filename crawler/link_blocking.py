"""Candidate blocking for content linking: the decision `crawler.linking` makes for a copy
by weighing every original in its time window, made by weighing only the few originals
that can change it.

`_decide` ranks the evidence of every candidate (originals in the copy's window, and the
undated ones) by score and links the best when its score is at least MIN_SCORE, it is at
least MIN_MARGIN ahead of the runner-up (0 when there is none) and it shares at least
MIN_SHARED_FACTS figures and document numbers. The decision and the Link it gives depend
only on the best candidate's evidence and on the runner-up's score. So it is the same
over any subset of the candidates that holds
(a) every candidate whose score could be the best or the runner-up's, and
(b) for ties, enough of them: when two candidates share the best score the margin is 0
    and there is no link, in the subset as in the whole.

The candidates split in two:
- Sharing: an original with a figure or a document number of the copy. They are found
  through an inverted index (figure -> originals, document number -> originals), each
  posting list cut to the copy's window, and every score is computed, vectorised with
  the same IEEE operations in the same order as `_weigh` (exact integer microseconds for
  time; integer counts for the shares), so the values agree; the candidates then given to
  `_decide` are the best and every one within 1e-9 of the second best, so even a last-bit
  difference could not drop the true runner-up.
- Non-sharing: no figure and no document number in common. In `_weigh` their figure
  share is 0 and their documents term is 0 (Jaccard of sets with nothing in common, or
  the figure share when neither text has a document number), so their score is
  0.15 * closeness / 0.85: a non-decreasing function of the original's publication time
  alone (closeness = 1 - delay / MAX_DELAY, clipped to [0, 1]), at most 0.176 < MIN_SCORE.
  Such a candidate is never linked, and the best of them is the latest-published one
  that nothing rules out (same language; places both named and disjoint; document
  numbers on both sides, necessarily disjoint). Only it is weighed. One with closeness 0
  (undated, or exactly MAX_DELAY before) scores 0, the runner-up's value when there is
  none, so it need not be weighed at all.

Before any of this, a copy whose figures (with repeats) and document numbers number fewer
than MIN_SHARED_FACTS cannot be linked to anything, and is not weighed.

Short cuts that only skip `_decide` when it could not link: the best score (rounded to
3 places, as `_weigh` rounds) cannot reach MIN_SCORE when the unrounded one is below
MIN_SCORE - 0.0006; the margin between rounded scores is at most the unrounded margin +
0.001, and the runner-up among sharing candidates is no higher than the true one.

tests/crawler/test_link_blocking.py compares this with weighing every original on random
corpora (hypothesis) and on the demo corpus.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

import numpy as np
import numpy.typing as npt

from crawler.linking import (
    MAX_DELAY_US,
    MIN_DELAY_US,
    MIN_MARGIN,
    MIN_SCORE,
    MIN_SHARED_FACTS,
    WEIGHTS,
    Link,
    Summary,
    TextFacts,
    _decide,
    microseconds,
)

# The weights of the evidence without a similarity, summed as `_weigh` sums them.
_W_FIGURES, _W_DOCUMENTS, _W_TIME = WEIGHTS["figures"], WEIGHTS["documents"], WEIGHTS["time"]
_W_TOTAL = sum((_W_FIGURES, _W_DOCUMENTS, _W_TIME))
# Slack for comparing vectorised scores with `_weigh`'s and rounded scores with unrounded.
_SAME = 1e-9
_ROUNDING = 0.0005

IntArray = npt.NDArray[np.int64]


class _Postings:
    """For each term id, the rows (originals, in time order) that hold it and how often,
    stored as one array sorted by (term, row): term t's rows in [lo, hi) are the entries
    whose key t * rows + row lies in [t * rows + lo, t * rows + hi)."""

    def __init__(self, terms: IntArray, rows: IntArray, counts: IntArray, row_count: int):
        self._span = max(row_count, 1)
        keys = terms * self._span + rows
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._rows = rows[order]
        self._counts = counts[order]

    def gather(
        self, terms: IntArray, wanted: IntArray, ranges: list[tuple[int, int]]
    ) -> tuple[IntArray, IntArray]:
        """Rows within `ranges` holding any of `terms`, with min(count there, wanted)."""
        if not len(terms):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        base = terms * self._span
        starts = np.concatenate([np.searchsorted(self._keys, base + lo) for lo, _ in ranges])
        ends = np.concatenate([np.searchsorted(self._keys, base + hi) for _, hi in ranges])
        caps = np.tile(wanted, len(ranges))
        lengths = ends - starts
        total = int(lengths.sum())
        if not total:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        firsts = np.cumsum(lengths) - lengths
        index = np.arange(total) + np.repeat(starts - firsts, lengths)
        return self._rows[index], np.minimum(self._counts[index], np.repeat(caps, lengths))


class OriginalsIndex:
    """The originals' facts, compact: rows in order of publication (undated last), term ids
    instead of strings, places as bit masks; and the inverted index over their figures and
    document numbers. Whole `TextFacts` are rebuilt only for the few candidates weighed."""

    def __init__(self, originals: Iterable[Summary]) -> None:
        self._figure_ids: dict[str, int] = {}
        self._document_ids: dict[str, int] = {}
        self._place_bits: dict[str, int] = {}
        self._place_sets: dict[frozenset[str], frozenset[str]] = {}
        self._lang_ids: dict[str | None, int] = {}
        urls: list[str] = []
        langs = array("q")
        published: list[datetime | None] = []
        places: list[frozenset[str]] = []
        fig_rows, fig_terms, fig_counts = array("q"), array("q"), array("q")
        doc_rows, doc_terms = array("q"), array("q")
        for number, original in enumerate(originals):
            urls.append(original.identity_url)
            langs.append(self._lang_ids.setdefault(original.lang, len(self._lang_ids)))
            published.append(original.published)
            facts = original.facts
            places.append(self._place_sets.setdefault(facts.places, facts.places))
            for figure, count in facts.figures.items():
                fig_rows.append(number)
                fig_terms.append(self._figure_ids.setdefault(figure, len(self._figure_ids)))
                fig_counts.append(count)
            for document in facts.documents:
                doc_rows.append(number)
                doc_terms.append(self._document_ids.setdefault(document, len(self._document_ids)))
            for place in facts.places:
                self._place_bits.setdefault(place, len(self._place_bits))
        count = len(urls)
        # Rows by publication time, the undated after the dated.
        times = [microseconds(p) for p in published]
        order = sorted(range(count), key=lambda i: (published[i] is None, times[i]))
        row_of = np.empty(count, np.int64)
        row_of[np.asarray(order, np.int64)] = np.arange(count)
        self._urls = [urls[i] for i in order]
        self._published = [published[i] for i in order]
        self._places = [places[i] for i in order]
        self._langs = np.asarray(langs, np.int64)[order] if count else np.zeros(0, np.int64)
        self._times = np.asarray([times[i] for i in order], np.int64)
        self._dated = sum(1 for p in published if p is not None)
        self._count = count
        self._words = 1 + len(self._place_bits) // 64
        self._place_masks = np.zeros((count, self._words), np.uint64)
        for row, names in enumerate(self._places):
            if names:
                self._place_masks[row] = self._mask(names)
        self._has_places = np.asarray(self._place_masks.any(axis=1), np.bool_)
        rows = row_of[np.asarray(fig_rows, np.int64)]
        self._figures = _Postings(
            np.asarray(fig_terms, np.int64), rows, np.asarray(fig_counts, np.int64), count
        )
        # Each row's own figures, for rebuilding its TextFacts.
        by_row = np.argsort(rows, kind="stable")
        self._row_fig_terms = np.asarray(fig_terms, np.int64)[by_row]
        self._row_fig_counts = np.asarray(fig_counts, np.int64)[by_row]
        self._row_fig_start = np.searchsorted(rows[by_row], np.arange(count + 1))
        drows = row_of[np.asarray(doc_rows, np.int64)]
        self._documents = _Postings(
            np.asarray(doc_terms, np.int64), drows, np.ones(len(drows), np.int64), count
        )
        by_row = np.argsort(drows, kind="stable")
        self._row_doc_terms = np.asarray(doc_terms, np.int64)[by_row]
        self._row_doc_start = np.searchsorted(drows[by_row], np.arange(count + 1))
        self._doc_counts = np.diff(self._row_doc_start).astype(np.int64)
        self._figure_words = list(self._figure_ids)
        self._document_words = list(self._document_ids)

    def __len__(self) -> int:
        return self._count

    def _mask(self, names: Iterable[str]) -> npt.NDArray[np.uint64]:
        mask = np.zeros(self._words, np.uint64)
        for name in names:
            bit = self._place_bits.get(name)
            if bit is not None:
                mask[bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
        return mask

    def _facts(self, row: int) -> tuple[Summary, TextFacts]:
        start, end = self._row_fig_start[row], self._row_fig_start[row + 1]
        figures = Counter(
            {
                self._figure_words[term]: int(count)
                for term, count in zip(
                    self._row_fig_terms[start:end], self._row_fig_counts[start:end], strict=True
                )
            }
        )
        start, end = self._row_doc_start[row], self._row_doc_start[row + 1]
        documents = frozenset(self._document_words[t] for t in self._row_doc_terms[start:end])
        facts = TextFacts(figures, documents, self._places[row])
        summary = Summary(self._urls[row], self._lang_of(row), self._published[row], facts)
        return summary, facts

    def _lang_of(self, row: int) -> str | None:
        code = int(self._langs[row])
        return next(lang for lang, number in self._lang_ids.items() if number == code)

    def _window(self, copy: Summary) -> tuple[int, int]:
        """The dated rows `_weigh` keeps by time: delay within [MIN_DELAY, MAX_DELAY]."""
        if copy.published is None:
            return 0, self._dated
        at = microseconds(copy.published)
        dated = self._times[: self._dated]
        lo = int(np.searchsorted(dated, at - MAX_DELAY_US, side="left"))
        hi = int(np.searchsorted(dated, at - MIN_DELAY_US, side="right"))
        return lo, hi

    def link(self, copy: Summary) -> Link | None:
        """What `_decide` decides for `copy` over every original in its window."""
        facts = copy.facts
        figure_total = sum(facts.figures.values())
        my_documents = len(facts.documents)
        if figure_total + my_documents < MIN_SHARED_FACTS or not self._count:
            return None
        lo, hi = self._window(copy)
        ranges = [(lo, hi), (self._dated, self._count)]
        known = [
            (self._figure_ids[f], c) for f, c in facts.figures.items() if f in self._figure_ids
        ]
        terms = np.asarray([t for t, _ in known], np.int64)
        wanted = np.asarray([c for _, c in known], np.int64)
        fig_rows, fig_shared = self._figures.gather(terms, wanted, ranges)
        doc_terms = np.asarray(
            [self._document_ids[d] for d in facts.documents if d in self._document_ids], np.int64
        )
        doc_rows, doc_shared = self._documents.gather(doc_terms, np.ones_like(doc_terms), ranges)
        if not len(fig_rows) and not len(doc_rows):
            return None  # only non-sharing candidates: none can be linked
        # Counted per row of the window (then the undated rows): a dense count of that
        # size costs less than sorting the hits.
        span = (hi - lo) + (self._count - self._dated)

        def local(rows: IntArray) -> IntArray:
            return np.where(rows < hi, rows - lo, rows - self._dated + (hi - lo))

        fig_local, doc_local = local(fig_rows), local(doc_rows)
        present = np.bincount(np.concatenate([fig_local, doc_local]), minlength=span)
        where = np.flatnonzero(present)
        shared_figures = np.bincount(fig_local, weights=fig_shared, minlength=span)[where]
        shared_documents = np.bincount(doc_local, minlength=span)[where]
        hits = np.where(where < hi - lo, where + lo, where - (hi - lo) + self._dated)
        allowed = self._allowed(copy, hits, shared_documents)
        hits = hits[allowed]
        shared_figures = shared_figures[allowed].astype(np.int64)
        shared_documents = shared_documents[allowed].astype(np.int64)
        if not len(hits):
            return None
        scores = self._scores(copy, hits, shared_figures, shared_documents, figure_total)
        top = int(np.argmax(scores))
        best = float(scores[top])
        second = float(np.max(np.delete(scores, top))) if len(scores) > 1 else 0.0
        if (
            best < MIN_SCORE - _ROUNDING - 0.0001
            or best - second < MIN_MARGIN - 2 * _ROUNDING - 0.0001
        ):
            return None
        # The best and every candidate that may hold the runner-up's score.
        chosen = [int(row) for row in hits[scores >= second - _SAME]]
        latest = self._latest_non_sharing(copy, lo, hi, hits)
        if latest is not None:
            chosen.append(latest)
        return _decide(copy, facts, (self._facts(row) for row in chosen), None)

    def _allowed(
        self, copy: Summary, rows: IntArray, shared_documents: IntArray
    ) -> npt.NDArray[np.bool_]:
        """The rows `_weigh` does not rule out by language, places or document numbers."""
        allowed: npt.NDArray[np.bool_] = np.not_equal(
            self._langs[rows], self._lang_ids.get(copy.lang, -1)
        )
        if copy.facts.places:
            mine = self._mask(copy.facts.places)
            met = (self._place_masks[rows] & mine).any(axis=1)
            allowed &= ~self._has_places[rows] | met
        if copy.facts.documents:
            allowed &= (self._doc_counts[rows] == 0) | (shared_documents > 0)
        return allowed

    def _scores(
        self,
        copy: Summary,
        rows: IntArray,
        shared_figures: IntArray,
        shared_documents: IntArray,
        figure_total: int,
    ) -> npt.NDArray[np.float64]:
        """`_weigh`'s score before rounding, with the same operations in the same order."""
        share = shared_figures / figure_total if figure_total else np.zeros(len(rows))
        mine = len(copy.facts.documents)
        theirs = self._doc_counts[rows]
        union = mine + theirs - shared_documents
        documents = np.where(union > 0, shared_documents / np.maximum(union, 1), share)
        closeness = np.zeros(len(rows))
        if copy.published is not None:
            dated = rows < self._dated
            delay = microseconds(copy.published) - self._times[rows[dated]]
            closeness[dated] = np.maximum(0.0, 1 - np.maximum(delay, 0) / MAX_DELAY_US)
        total = _W_FIGURES * share + _W_DOCUMENTS * documents + _W_TIME * closeness
        return np.asarray(total / _W_TOTAL, np.float64)

    def _latest_non_sharing(self, copy: Summary, lo: int, hi: int, hits: IntArray) -> int | None:
        """The latest-published original in the window that shares nothing with `copy` and
        that `_weigh` does not rule out: the best-scoring non-sharing candidate."""
        if copy.published is None or lo >= hi:
            return None
        rows = np.arange(lo, hi)
        allowed = np.ones(hi - lo, np.bool_)
        inside = hits[(hits >= lo) & (hits < hi)]
        allowed[inside - lo] = False
        allowed &= self._allowed(copy, rows, np.zeros(hi - lo, np.int64))
        found = np.flatnonzero(allowed)
        return int(rows[found[-1]]) if len(found) else None


def link_copies(originals: Iterable[Summary], copies: Iterable[Summary]) -> list[Link]:
    """`_decide` for each copy over the originals in its window, in the copies' order."""
    index = OriginalsIndex(originals)
    return [link for copy in copies if (link := index.link(copy)) is not None]
