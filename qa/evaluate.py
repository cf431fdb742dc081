"""Evaluation of the Q&A pipeline over a question set: answers, citations, refusals,
retrieval depth against the plain dense baseline, and one error category per question.

The stages live in qa/evaluation/ (questions, stories, matching, depth, taxonomy,
metrics, report); `evaluate()` runs them over one set.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from index.models import Retriever
from qa.evaluation.depth import (
    RankingProbe,
    Rankings,
    RetrievalProbe,
    Story,
    StoryResolver,
    dedupe,
    gold_rank,
)
from qa.evaluation.matching import (
    fact_found,
    forbidden_found,
    gold_satisfied,
    normalize_for_match,
    stories_covered,
)
from qa.evaluation.metrics import Metrics, QuestionResult, percentile, summarize
from qa.evaluation.questions import EvalQuestion, as_question
from qa.evaluation.report import EvalReport, format_report
from qa.evaluation.stories import StoryMap
from qa.evaluation.taxonomy import Outcome, classify
from qa.gazetteer import Gazetteer
from qa.models import Answer

__all__ = [
    "EvalReport",
    "Metrics",
    "QuestionResult",
    "evaluate",
    "fact_found",
    "format_report",
    "normalize_for_match",
    "percentile",
    "summarize",
    "sweep_min_support",
]

logger = logging.getLogger(__name__)

AnswerFn = Callable[[EvalQuestion], Answer]


def _answer_text(result: Answer) -> str:
    return result.answer + " " + " ".join(c.what for c in result.commitments)


def _invalid_quotes(result: Answer, retriever: Retriever) -> int:
    invalid = 0
    for citation in result.citations:
        article = retriever.article(citation.article_id)
        if article is None or article.text[citation.start : citation.end] != citation.quote:
            invalid += 1
    return invalid


def _measure(
    question: EvalQuestion,
    result: Answer | None,
    rankings: Rankings | None,
    gold: list[Story],
    resolver: StoryResolver,
    retriever: Retriever,
) -> QuestionResult:
    """Score one answer (None when answering failed) against the question's gold."""
    needs_every = question.needs_every_story
    facts_total = len(question.facts) if question.answerable else 0
    refused = result.refused if result else False
    text = _answer_text(result) if result else ""
    cited: list[Story] = []
    if result:
        cited = dedupe(resolver.of_url(c.url, c.article_id) for c in result.citations)
    hit = None
    if question.answerable and gold:
        hit = bool(gold_satisfied(gold, stories_covered(gold, cited), needs_every=needs_every))
    found = sum(fact_found(forms, text) for forms in question.facts) if question.answerable else 0
    forbidden = forbidden_found(question.must_not_contain, text) if result else []
    pipeline_rank = dense_rank = None
    in_hand = None
    if rankings is not None and gold:
        pipeline_rank = gold_rank(gold, rankings.pipeline, needs_every=needs_every)
        dense_rank = gold_rank(gold, rankings.dense, needs_every=needs_every)
        in_hand = gold_rank(gold, rankings.in_hand, needs_every=False) is not None
    outcome = Outcome(
        answerable=question.answerable,
        refused=refused,
        failed=result is None,
        citation_hit=hit,
        all_facts=found == facts_total,
        forbidden=bool(forbidden),
        gold_in_depth=pipeline_rank is not None,
        gold_in_hand=bool(in_hand),
    )
    return QuestionResult(
        id=question.id,
        lang=question.lang,
        kind=question.kind,
        answerable=question.answerable,
        refused=refused,
        latency_ms=0.0,
        citation_hit=hit,
        facts_found=found,
        facts_total=facts_total,
        forbidden_hits=forbidden,
        citations_invalid=_invalid_quotes(result, retriever) if result else 0,
        citations_total=len(result.citations) if result else 0,
        pipeline_gold_rank=pipeline_rank,
        dense_gold_rank=dense_rank,
        gold_in_hand=in_hand,
        pipeline_ranked=rankings is not None,
        dense_ranked=rankings is not None and rankings.dense is not None,
        category=classify(outcome),
        answer=result.answer if result else "",
        cited_urls=[c.url for c in result.citations] if result else [],
    )


def evaluate(
    questions: Sequence[EvalQuestion | dict[str, Any]],
    answer_fn: AnswerFn,
    retriever: Retriever,
    *,
    stories: StoryMap | None = None,
    probe: RankingProbe | None = None,
    depth: int = 50,
    about: dict[str, Any] | None = None,
    gazetteer: Gazetteer | None = None,
) -> EvalReport:
    """Answer every question with `answer_fn` and measure the answers.

    `stories` says which URLs are versions of one story (else the index's translation
    groups alone do); `probe` gives the ranked story lists for the retrieval figures and
    the taxonomy (default: the pipeline's retrieval and plain dense search on
    `retriever`, reading places with `gazetteer`, by default the packaged one). Only the
    `answer_fn` call is timed.
    """
    resolver = StoryResolver(retriever, stories)
    probe = probe or RetrievalProbe(retriever, resolver, depth=depth, gazetteer=gazetteer)
    results: list[QuestionResult] = []
    for number, item in enumerate(questions):
        question = as_question(item, number)
        gold = [resolver.stories.story(url) for url in question.gold_urls]
        result: Answer | None = None
        error: str | None = None
        started = time.perf_counter()
        try:
            result = answer_fn(question)
        except Exception as failure:  # one failing question must not stop the run
            logger.warning("question %s failed: %s", question.id, failure)
            error = str(failure) or type(failure).__name__
        latency = (time.perf_counter() - started) * 1000
        rankings: Rankings | None = None
        try:
            rankings = probe(question, result)
        except Exception as failure:
            logger.warning("retrieval depth for question %s failed: %s", question.id, failure)
        measured = _measure(question, result, rankings, gold, resolver, retriever)
        measured.latency_ms = round(latency, 1)
        measured.error = error
        results.append(measured)
    return EvalReport.build(results, about)


@dataclass
class ThresholdRow:
    """How one refusal threshold does on a question set."""

    min_support: float
    refusal_accuracy: float
    answerable_answered: int
    unanswerable_refused: int


def sweep_min_support(
    questions: Sequence[EvalQuestion | dict[str, Any]],
    answer_fn: Callable[[EvalQuestion, float], Answer],
    thresholds: Iterable[float],
) -> list[ThresholdRow]:
    """Refusal accuracy of each candidate threshold (`answer_fn(question, min_support)`),
    for calibrating `qa.extractive.MIN_SUPPORT_BY_PROFILE` for an embedder."""
    parsed = [as_question(q, n) for n, q in enumerate(questions)]
    rows = []
    for threshold in thresholds:
        answered = refused = 0
        for question in parsed:
            result = answer_fn(question, threshold)
            if question.answerable:
                answered += not result.refused
            else:
                refused += result.refused
        rows.append(
            ThresholdRow(
                min_support=round(threshold, 4),
                refusal_accuracy=round((answered + refused) / max(1, len(parsed)), 4),
                answerable_answered=answered,
                unanswerable_refused=refused,
            )
        )
    return rows
