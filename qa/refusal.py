"""Whether the evidence answers the question: a small calibrated model, not hand-set
thresholds.

`refusal_features` describes the best-ranked evidence in a few numbers: how much the
best sentence carries the question (support, meaning, words), how many of the question's
constraints (place, period, deadline, document number, numbered meeting) it meets,
whether any evidence is about the place at all, how much the top of the ranking agrees
on one story, and by how far it leads. A logistic regression over them gives the
probability that the question is answerable from the evidence; below the model's
threshold the answer is refused.

The parameters are fitted per embedder profile on the tuning half of the dev set and the
project's own question sets (`policyqa eval --fit-refusal`, see `fit_refusal_model`) and
shipped as `qa/data/refusal-<profile>.json`; `index.profiles` names each profile's file.
Embedders of no profile use the default profile's file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_REFUSAL_FILE = "refusal-e5-small.json"

FEATURES: tuple[str, ...] = (
    "support",  # best sentence's support (meaning and topic words, 0..1)
    "support_any",  # the highest support among all candidates
    "dense",  # best sentence's calibrated meaning
    "keyword",  # best sentence's topic-word overlap (meaning where words cannot compare)
    "constraints_met",  # share of the question's constraints the best sentence meets
    "constraints_asked",  # 1 when the question names any constraint
    "place_missing",  # the question names a place that no evidence is about
    "agreement",  # share of the top sentences from the best sentence's story
    "margin",  # lead of the best sentence over the best of another story
    "passage_rank",  # 1 / (1 + retrieval rank of the best sentence's passage)
)


@dataclass(frozen=True)
class RefusalModel:
    """Logistic regression over standardised `FEATURES`."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float = 0.5
    features: tuple[str, ...] = FEATURES
    # Where the parameters came from (question sets, counts, fit figures).
    fitted_on: dict[str, Any] = field(default_factory=dict)

    def probability(self, values: dict[str, float]) -> float:
        """Probability that the question is answerable from this evidence."""
        z = self.bias
        for name, w, m, s in zip(self.features, self.weights, self.mean, self.scale, strict=True):
            z += w * (values.get(name, 0.0) - m) / (s or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def answers(self, values: dict[str, float]) -> bool:
        return self.probability(values) >= self.threshold

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["features"] = list(self.features)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RefusalModel:
        features = tuple(data.get("features") or FEATURES)
        if set(features) - set(FEATURES):
            raise ValueError(f"unknown refusal features: {sorted(set(features) - set(FEATURES))}")
        return cls(
            weights=tuple(float(w) for w in data["weights"]),
            bias=float(data["bias"]),
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]),
            threshold=float(data.get("threshold", 0.5)),
            features=features,
            fitted_on=dict(data.get("fitted_on") or {}),
        )


class RefusalPolicy(Protocol):
    def answers(self, values: dict[str, float]) -> bool: ...


@dataclass(frozen=True)
class SupportThreshold:
    """An explicit threshold on support alone (`answer(..., min_support=...)`), for
    diagnostics and for callers that want to see every answer (0.0)."""

    min_support: float

    def answers(self, values: dict[str, float]) -> bool:
        return values.get("support", 0.0) >= self.min_support


@lru_cache(maxsize=8)
def load_refusal_model(file_name: str = DEFAULT_REFUSAL_FILE) -> RefusalModel:
    path = DATA_DIR / file_name
    return RefusalModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def refusal_model_for(embedder_name: str) -> RefusalModel:
    """The fitted model of the embedder's profile (the default one for other embedders)."""
    from index.profiles import profile_for

    profile = profile_for(embedder_name)
    return load_refusal_model(
        profile.refusal_file if profile and profile.refusal_file else DEFAULT_REFUSAL_FILE
    )


# The threshold keeps at least this share of answerable questions answered: each refusal
# of one loses its citation, and the near-misses the model cannot tell apart are few.
MIN_ANSWERED_SHARE = 0.9
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))


def fit_refusal_model(
    rows: Sequence[dict[str, float]],
    labels: Sequence[bool],
    *,
    regularisation: float = 1.0,
    fitted_on: dict[str, Any] | None = None,
) -> RefusalModel:
    """Fit the model on feature rows (one per question) and whether each question is
    answerable. Classes are weighted to balance; the threshold is chosen on leave-one-out
    predictions: the best balanced refusal accuracy that still answers
    `MIN_ANSWERED_SHARE` of the answerable questions."""
    import numpy as np

    if len(set(labels)) < 2:
        raise ValueError("fitting a refusal model needs answerable and unanswerable questions")
    matrix = np.array([[row.get(name, 0.0) for name in FEATURES] for row in rows], dtype=float)
    target = np.array(labels, dtype=int)
    weights, bias, mean, scale = _fit(matrix, target, regularisation)
    held_out = _leave_one_out(matrix, target, regularisation)
    threshold, figures = _choose_threshold(held_out, target)
    return RefusalModel(
        weights=tuple(round(float(w), 6) for w in weights),
        bias=round(float(bias), 6),
        mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) for v in scale),
        threshold=threshold,
        fitted_on={**(fitted_on or {}), "leave_one_out": figures},
    )


def _fit(matrix: Any, target: Any, regularisation: float) -> tuple[Any, float, Any, Any]:
    from sklearn.linear_model import LogisticRegression

    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=1000)
    model.fit((matrix - mean) / scale, target)
    return model.coef_[0], float(model.intercept_[0]), mean, scale


def _leave_one_out(matrix: Any, target: Any, regularisation: float) -> Any:
    import numpy as np

    probabilities = np.zeros(len(target))
    for i in range(len(target)):
        keep = np.arange(len(target)) != i
        if len(set(target[keep].tolist())) < 2:
            probabilities[i] = 0.5
            continue
        weights, bias, mean, scale = _fit(matrix[keep], target[keep], regularisation)
        z = bias + float(((matrix[i] - mean) / scale) @ weights)
        probabilities[i] = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
    return probabilities


def _choose_threshold(probabilities: Any, target: Any) -> tuple[float, dict[str, float]]:
    best: tuple[tuple[bool, float, float], float, dict[str, float]] | None = None
    for threshold in THRESHOLDS:
        answered = probabilities >= threshold
        answered_share = float(answered[target == 1].mean())
        refused_share = float((~answered[target == 0]).mean())
        balanced = (answered_share + refused_share) / 2
        figures = {
            "threshold": threshold,
            "answerable_answered": round(answered_share, 3),
            "unanswerable_refused": round(refused_share, 3),
            "balanced_refusal": round(balanced, 3),
        }
        key = (answered_share >= MIN_ANSWERED_SHARE, balanced, -abs(threshold - 0.5))
        if best is None or key > best[0]:
            best = (key, threshold, figures)
    assert best is not None
    return best[1], best[2]
