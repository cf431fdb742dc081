"""Body-text agreement scores shared by the extraction benchmarks.

The Article Extraction Benchmark's own measure: the body is split into word tokens, the
tokens into overlapping 4-token shingles, and true/false positives are counted per page
as multiset intersections; precision and recall are averaged over pages and F1 is taken
from those averages. An empty prediction scores 0 precision and 0 recall.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

SHINGLE = 4
_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True)
class PageScore:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score_page(truth: str, predicted: str) -> PageScore:
    true_shingles, predicted_shingles = shingles(truth), shingles(predicted)
    common = sum((true_shingles & predicted_shingles).values())
    precision = common / sum(predicted_shingles.values()) if predicted_shingles else 0.0
    recall = common / sum(true_shingles.values()) if true_shingles else 1.0
    return PageScore(precision, recall)


def summarise(scores: list[PageScore]) -> dict[str, float]:
    """Mean precision and recall over pages, and the F1 of those means."""
    if not scores:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    precision = sum(s.precision for s in scores) / len(scores)
    recall = sum(s.recall for s in scores) / len(scores)
    f1 = PageScore(precision, recall).f1
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}
