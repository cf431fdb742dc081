"""Per-question results and their summary over any group of questions.

- citation recall: answerable questions with gold whose gold story is cited (any version;
  every listed story for comparisons and lists);
- fact recall: facts stated over facts asked, over answerable questions; all-facts rate:
  answerable questions with every fact stated;
- refusal: answerable questions answered, unanswerable ones refused, and the balanced
  refusal score, the mean of the two;
- invalid quotes: citations whose quote is not exactly the stored text at start:end;
- must_not_contain: questions whose answer says what a confused answer would;
- recall@5 and @20 of the pipeline's retrieval and of plain dense search;
- latency p50/p95 of the whole answer call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class QuestionResult:
    id: str
    lang: str
    kind: str
    answerable: bool
    refused: bool
    latency_ms: float
    citation_hit: bool | None = None  # None: no gold to check
    facts_found: int = 0
    facts_total: int = 0
    forbidden_hits: list[str] = field(default_factory=list)
    citations_invalid: int = 0
    citations_total: int = 0
    # Smallest k whose top-k stories hold the gold; None when not found at the depth.
    pipeline_gold_rank: int | None = None
    dense_gold_rank: int | None = None
    gold_in_hand: bool | None = None
    # Whether the rankings could be computed (a fake index may lack dense search).
    pipeline_ranked: bool = False
    dense_ranked: bool = False
    category: str = "ok"
    error: str | None = None
    answer: str = ""
    cited_urls: list[str] = field(default_factory=list)

    @property
    def has_gold(self) -> bool:
        return self.answerable and self.citation_hit is not None

    @property
    def all_facts(self) -> bool:
        return self.facts_found == self.facts_total


@dataclass
class Metrics:
    questions: int = 0
    answerable: int = 0
    unanswerable: int = 0
    citation_recall: float | None = None
    fact_recall: float | None = None
    all_facts_rate: float | None = None
    answered_rate: float | None = None  # answerable questions answered
    refused_rate: float | None = None  # unanswerable questions refused
    balanced_refusal: float | None = None
    invalid_quotes: int = 0
    citations: int = 0
    must_not_contain_hits: int = 0
    pipeline_recall_at_5: float | None = None
    pipeline_recall_at_20: float | None = None
    dense_recall_at_5: float | None = None
    dense_recall_at_20: float | None = None
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    errors: int = 0
    categories: dict[str, int] = field(default_factory=dict)


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _recall(ranks: list[int | None], k: int) -> float | None:
    return _ratio(sum(r is not None and r <= k for r in ranks), len(ranks))


def summarize(results: list[QuestionResult]) -> Metrics:
    """The metrics of a group of questions; a question that failed counts as a miss."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    gold = [r for r in answerable if r.has_gold]
    with_facts = [r for r in answerable if r.facts_total]
    completed = [r for r in results if r.error is None]
    answered = sum(not r.refused and r.error is None for r in answerable)
    refused = sum(r.refused for r in unanswerable)
    answered_rate = _ratio(answered, len(answerable))
    refused_rate = _ratio(refused, len(unanswerable))
    balanced = (
        round((answered_rate + refused_rate) / 2, 4)
        if answered_rate is not None and refused_rate is not None
        else None
    )
    pipeline_ranked = [r.pipeline_gold_rank for r in gold if r.pipeline_ranked]
    dense_ranked = [r.dense_gold_rank for r in gold if r.dense_ranked]
    latencies = [r.latency_ms for r in completed]
    categories: dict[str, int] = {}
    for r in results:
        categories[r.category] = categories.get(r.category, 0) + 1
    return Metrics(
        questions=len(results),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        citation_recall=_ratio(sum(bool(r.citation_hit) for r in gold), len(gold)),
        fact_recall=_ratio(
            sum(r.facts_found for r in with_facts), sum(r.facts_total for r in with_facts)
        ),
        all_facts_rate=_ratio(sum(r.all_facts for r in with_facts), len(with_facts)),
        answered_rate=answered_rate,
        refused_rate=refused_rate,
        balanced_refusal=balanced,
        invalid_quotes=sum(r.citations_invalid for r in results),
        citations=sum(r.citations_total for r in results),
        must_not_contain_hits=sum(bool(r.forbidden_hits) for r in results),
        pipeline_recall_at_5=_recall(pipeline_ranked, 5),
        pipeline_recall_at_20=_recall(pipeline_ranked, 20),
        dense_recall_at_5=_recall(dense_ranked, 5),
        dense_recall_at_20=_recall(dense_ranked, 20),
        latency_p50_ms=round(percentile(latencies, 50), 1),
        latency_p95_ms=round(percentile(latencies, 95), 1),
        errors=len(results) - len(completed),
        categories=categories,
    )
