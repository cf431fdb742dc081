"""Evaluation of answers over a question set, per language and per kind.

Question records (JSONL): `{"id", "question", "lang", "kind", "history": [{role,
content}], "filters": {}, "answerable": bool, "gold_urls": [...], "facts": [[surface
forms...], ...]}`.

Metrics:
- citation recall: answerable questions with gold URLs where a gold article, or any
  article of its translation group, is cited;
- fact recall: facts (a list of surface forms each) found in the answer, comparing text
  without case, diacritics or number formatting;
- citation validity: citations whose quote is exactly the stored article text at
  start:end;
- refusal accuracy: unanswerable questions refused and answerable ones answered;
- latency p50/p95 of the whole answer call.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from index.models import Retriever
from qa.lexicon import fold
from qa.models import Answer

logger = logging.getLogger(__name__)

AnswerFn = Callable[[dict[str, Any]], Answer]


def normalize_for_match(text: str) -> str:
    """Case, diacritics and number formats folded: "45 Tỷ" ~ "45 ty", "1.000" ~ "1000",
    "28,5%" ~ "28.5 %"."""
    text = fold(text)
    # Thousands separators (1.000.000, 1,000,000, 1 000 000) go; a decimal comma becomes a dot.
    text = re.sub(r"(?<=\d)[.,\s\u00a0\u202f](?=\d{3}(?!\d))", "", text)
    text = re.sub(r"(?<=\d),(?=\d)", ".", text)
    text = re.sub(r"[^\w.%]+", " ", text)
    text = re.sub(r"(?<=\d)\s*%", " %", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)
    return " ".join(text.split())


def fact_found(forms: Iterable[str], answer_text: str) -> bool:
    haystack = f" {normalize_for_match(answer_text)} "
    needles = (normalize_for_match(form) for form in forms)
    return any(f" {needle} " in haystack for needle in needles if needle)


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
    citation_hit: bool | None = None  # None: no gold URLs to check
    facts_found: int = 0
    facts_total: int = 0
    citations_valid: int = 0
    citations_total: int = 0
    error: str | None = None
    answer: str = ""

    @property
    def refusal_correct(self) -> bool:
        return self.refused != self.answerable


@dataclass
class Metrics:
    questions: int = 0
    citation_recall: float | None = None
    fact_recall: float | None = None
    citation_validity: float | None = None
    refusal_accuracy: float | None = None
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    errors: int = 0


@dataclass
class EvalReport:
    overall: Metrics
    by_language: dict[str, Metrics] = field(default_factory=dict)
    by_kind: dict[str, Metrics] = field(default_factory=dict)
    results: list[QuestionResult] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": asdict(self.overall),
            "by_language": {k: asdict(v) for k, v in self.by_language.items()},
            "by_kind": {k: asdict(v) for k, v in self.by_kind.items()},
            "questions": [
                {**asdict(r), "refusal_correct": r.refusal_correct} for r in self.results
            ],
        }


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def summarize(results: list[QuestionResult]) -> Metrics:
    answered = [r for r in results if r.error is None]
    gold = [r for r in answered if r.answerable and r.citation_hit is not None]
    latencies = [r.latency_ms for r in answered]
    return Metrics(
        questions=len(results),
        citation_recall=_ratio(sum(bool(r.citation_hit) for r in gold), len(gold)),
        fact_recall=_ratio(
            sum(r.facts_found for r in answered if r.answerable),
            sum(r.facts_total for r in answered if r.answerable),
        ),
        citation_validity=_ratio(
            sum(r.citations_valid for r in answered), sum(r.citations_total for r in answered)
        ),
        refusal_accuracy=_ratio(sum(r.refusal_correct for r in answered), len(answered)),
        latency_p50_ms=round(percentile(latencies, 50), 1),
        latency_p95_ms=round(percentile(latencies, 95), 1),
        errors=len(results) - len(answered),
    )


class _GroupUrls:
    """URLs of every version of a cited article's story (cached per group)."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever
        self.cache: dict[str, set[str]] = {}

    def urls(self, article_id: str, url: str) -> set[str]:
        article = self.retriever.article(article_id)
        group = article.translation_group if article else None
        if not group:
            return {url}
        if group not in self.cache:
            self.cache[group] = {a.url for a in self.retriever.translations(group)} | {url}
        return self.cache[group] | {url}


def score_answer(
    question: dict[str, Any], result: Answer, retriever: Retriever, groups: _GroupUrls
) -> tuple[bool | None, int, int, int]:
    """(citation hit, facts found, citations valid, citations total)."""
    gold = {u for u in question.get("gold_urls") or [] if u}
    citation_hit: bool | None = None
    if gold:
        cited: set[str] = set()
        for citation in result.citations:
            cited |= groups.urls(citation.article_id, citation.url)
        citation_hit = bool(gold & cited)
    facts = question.get("facts") or []
    text = result.answer + " " + " ".join(c.what for c in result.commitments)
    found = sum(fact_found(forms if isinstance(forms, list) else [forms], text) for forms in facts)
    valid = 0
    for citation in result.citations:
        article = retriever.article(citation.article_id)
        if article is not None and article.text[citation.start : citation.end] == citation.quote:
            valid += 1
    return citation_hit, found, valid, len(result.citations)


def evaluate(
    questions: list[dict[str, Any]], answer_fn: AnswerFn, retriever: Retriever
) -> EvalReport:
    """Answer every question with `answer_fn(record)` and measure the answers."""
    groups = _GroupUrls(retriever)
    results: list[QuestionResult] = []
    for index, question in enumerate(questions):
        qid = str(question.get("id") or index)
        lang = str(question.get("lang") or "unknown")
        kind = str(question.get("kind") or "unknown")
        answerable = bool(question.get("answerable", True))
        facts_total = len(question.get("facts") or []) if answerable else 0
        started = time.perf_counter()
        try:
            result = answer_fn(question)
        except Exception as error:  # one failing question must not stop the run
            logger.warning("question %s failed: %s", qid, error)
            results.append(
                QuestionResult(
                    qid,
                    lang,
                    kind,
                    answerable,
                    False,
                    (time.perf_counter() - started) * 1000,
                    facts_total=facts_total,
                    error=str(error),
                )
            )
            continue
        latency = (time.perf_counter() - started) * 1000
        hit, found, valid, total = score_answer(question, result, retriever, groups)
        results.append(
            QuestionResult(
                id=qid,
                lang=lang,
                kind=kind,
                answerable=answerable,
                refused=result.refused,
                latency_ms=round(latency, 1),
                citation_hit=hit if answerable else None,
                facts_found=found if answerable else 0,
                facts_total=facts_total,
                citations_valid=valid,
                citations_total=total,
                answer=result.answer,
            )
        )
    by_language = {
        lang: summarize([r for r in results if r.lang == lang])
        for lang in sorted({r.lang for r in results})
    }
    by_kind = {
        kind: summarize([r for r in results if r.kind == kind])
        for kind in sorted({r.kind for r in results})
    }
    return EvalReport(summarize(results), by_language, by_kind, results)


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_report(report: EvalReport) -> str:
    """The report as a plain-text table: overall, then per language, then per kind."""
    header = (
        f"{'':<20} {'n':>4} {'cite_rec':>8} {'fact_rec':>8} {'cite_ok':>8} "
        f"{'refusal':>8} {'p50_ms':>8} {'p95_ms':>8} {'errors':>6}"
    )
    lines = [header, "-" * len(header)]

    def row(label: str, m: Metrics) -> str:
        return (
            f"{label:<20} {m.questions:>4} {_cell(m.citation_recall):>8} "
            f"{_cell(m.fact_recall):>8} {_cell(m.citation_validity):>8} "
            f"{_cell(m.refusal_accuracy):>8} {m.latency_p50_ms:>8.0f} "
            f"{m.latency_p95_ms:>8.0f} {m.errors:>6}"
        )

    lines.append(row("all", report.overall))
    for lang, metrics in report.by_language.items():
        lines.append(row(f"lang={lang}", metrics))
    for kind, metrics in report.by_kind.items():
        lines.append(row(f"kind={kind}", metrics))
    return "\n".join(lines)


@dataclass
class ThresholdRow:
    """How one refusal threshold does on a question set."""

    min_support: float
    refusal_accuracy: float
    answerable_answered: int
    unanswerable_refused: int


def sweep_min_support(
    questions: list[dict[str, Any]],
    answer_fn: Callable[[dict[str, Any], float], Answer],
    thresholds: Iterable[float],
) -> list[ThresholdRow]:
    """Refusal accuracy of each candidate threshold (`answer_fn(record, min_support)`),
    for calibrating `qa.extractive.MIN_SUPPORT_BY_PROFILE` for an embedder."""
    rows = []
    for threshold in thresholds:
        answered = refused = 0
        for question in questions:
            result = answer_fn(question, threshold)
            if question.get("answerable", True):
                answered += not result.refused
            else:
                refused += result.refused
        rows.append(
            ThresholdRow(
                min_support=round(threshold, 4),
                refusal_accuracy=round((answered + refused) / max(1, len(questions)), 4),
                answerable_answered=answered,
                unanswerable_refused=refused,
            )
        )
    return rows
