"""The clause of a sentence that answers a one-value question.

A sentence often joins two pledges or two figures ("70% of adults by 31 December 2025, and
all fishing vessels by 30 June 2026"; "cleaned 1.2 million records, digitised 615,000
civil status records"). Quoted whole, it answers "by when must the vessels use logbooks?"
with both dates, and the reader cannot tell which is the answer. Such a sentence is cut at
its joints into clauses that each state a value of the kind asked for; the clause sharing
the most words with the question is quoted, when one shares more than every other. The
quote stays an exact span of the article.
"""

from __future__ import annotations

import re
from dataclasses import replace

from index.mentions import find_dates
from qa.answer_type import states_answer_type
from qa.candidates import Candidate
from qa.lexicon import content_tokens, stem
from qa.models import QueryPlan

# Where one clause ends and the next begins: a semicolon, or a comma (followed by a space,
# so "1,2 triệu" stays whole), or a conjunction joining two clauses.
_JOINT = re.compile(
    r"\s*;\s+|,\s+(?:(?:and|but|while|và|còn|và|а|и|і|й|та|et|mais)\s+)?"
    r"|\s+(?:and|và|а|и|і|та|et)\s+",
    re.IGNORECASE,
)


def _states_value(plan: QueryPlan, text: str) -> bool:
    if plan.asks_deadline or plan.answer_type is None:
        return bool(find_dates(text))
    return states_answer_type(text, plan.answer_type)


def clauses(plan: QueryPlan, sentence: str) -> list[tuple[int, int]]:
    """The sentence cut at its joints into clauses (offsets in the sentence) that each
    state a value of the kind asked for; the words between values join the clause before
    them (a clause without a value is part of its neighbour's)."""
    cuts = [(m.start(), m.end()) for m in _JOINT.finditer(sentence)]
    spans: list[tuple[int, int]] = []
    start = 0
    for cut_start, cut_end in cuts:
        if _states_value(plan, sentence[start:cut_start]) and _states_value(
            plan, sentence[cut_end:]
        ):
            spans.append((start, cut_start))
            start = cut_end
    spans.append((start, len(sentence)))
    return spans


def _shared_words(question: set[str], text: str) -> int:
    return len(question & {stem(t) for t in content_tokens(text)})


def _best_clause(plan: QueryPlan, sentence: str, spans: list[tuple[int, int]]) -> int | None:
    """The index of the clause sharing the most words with the question, if only one does."""
    question = {stem(t) for t in content_tokens(plan.question)}
    shared = [_shared_words(question, sentence[a:b]) for a, b in spans]
    best = max(shared)
    return shared.index(best) if best and shared.count(best) == 1 else None


def answering_clause(plan: QueryPlan, candidate: Candidate) -> Candidate:
    """The candidate narrowed to the clause that answers the question; unchanged when it
    states one value, or when no clause shares more of the question's words than the
    others (in its own words or its version's in the question's language)."""
    spans = clauses(plan, candidate.text)
    if len(spans) < 2:
        return candidate
    chosen = _best_clause(plan, candidate.text, spans)
    if chosen is None and candidate.sibling:
        # In another language than the question's, the words are read in the story's
        # version in the question's language, cut into as many clauses in the same order.
        sibling_spans = clauses(plan, candidate.sibling)
        if len(sibling_spans) == len(spans):
            chosen = _best_clause(plan, candidate.sibling, sibling_spans)
    if chosen is None:
        return candidate
    a, b = spans[chosen]
    text = candidate.text[a:b].rstrip(" .;,")
    return replace(
        candidate, start=candidate.start + a, end=candidate.start + a + len(text), text=text
    )
