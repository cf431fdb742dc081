"""Whether the evidence answers the question: a small logistic model fitted on data.

Once the typed checks have passed (the place, period, document and meeting asked about;
`qa.decide.meets_constraints`), the evidence is about the right thing; what is left to
decide is whether any of it states what is asked. That is the near-miss case: the right
province and year, and a fact nobody reported. A handful of figures of the scored
candidates (`RefusalFeatures`) feed a logistic model whose parameters are fitted per
embedder profile (`policyqa eval --fit-refusal`, `qa.evaluation.refusal_fit`) and shipped
in `qa/data/refusal.json`; with `POLICYQA_REFUSAL=model` the question is answered when
the model's probability of an answer is at least its threshold. The default is still the
profile's support threshold: on the dev set's report half the fitted model refused more
answerable questions than near misses it caught (docs/design-notes.md, "Refusal").

Only numpy is needed to apply a model; fitting uses scikit-learn.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from qa.candidates import Candidate
from qa.models import QueryPlan

# A sentence stating the kind of value asked for counts when it carries this share of the
# best sentence's support.
KIND_SUPPORT_SHARE = 0.9
# Intents whose answer is a kind of thing: a person, a date.
KIND_INTENTS = frozenset({"who", "when"})
MODELS_FILE = "refusal.json"


@dataclass(frozen=True)
class RefusalFeatures:
    """What the scored candidates say about whether any of them answers."""

    # The best sentence's support (meaning and topic words, 0..1), its meaning alone and
    # its share of the question's topic words.
    support: float
    dense: float
    keyword: float
    # 1 when a sentence carrying the question states the kind of value asked for (a
    # person, a date, an amount), or the question asks for no kind; else 0.
    kind_stated: float

    def as_vector(self) -> list[float]:
        return [float(getattr(self, f.name)) for f in fields(self)]

    def to_json(self) -> dict[str, float]:
        return {name: round(value, 4) for name, value in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RefusalFeatures:
        """The features `to_json` wrote (KeyError, ValueError when they are not there)."""
        return cls(**{f.name: float(data[f.name]) for f in fields(cls)})


FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(RefusalFeatures))


def asks_kind(plan: QueryPlan) -> bool:
    return plan.answer_type is not None or plan.intent in KIND_INTENTS


def refusal_features(plan: QueryPlan, ranked: Sequence[Candidate]) -> RefusalFeatures:
    """The features of `ranked` (the scored candidates that meet the question's
    constraints, best first; not empty)."""
    best = max(ranked, key=lambda c: c.support)
    kind_stated = 1.0
    if asks_kind(plan):
        floor = KIND_SUPPORT_SHARE * best.support
        kind_stated = float(any(c.intent_match for c in ranked if c.support >= floor))
    return RefusalFeatures(
        support=best.support,
        dense=best.dense,
        keyword=max(0.0, best.keyword),
        kind_stated=kind_stated,
    )


@dataclass(frozen=True)
class RefusalModel:
    """A fitted logistic model over standardised `RefusalFeatures`."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    # The question is answered when the probability of an answer reaches this.
    threshold: float = 0.5
    # How it was fitted: the questions, the examples, cross-validated accuracy.
    fitted_on: dict[str, Any] | None = None

    def probability(self, features: RefusalFeatures) -> float:
        values = asdict(features)
        z = self.intercept
        for name, mean, scale, coef in zip(
            self.features, self.mean, self.scale, self.coef, strict=True
        ):
            z += coef * (float(values[name]) - mean) / scale
        return 1.0 / (1.0 + math.exp(-z))

    def answers(self, features: RefusalFeatures) -> bool:
        return self.probability(features) >= self.threshold

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(v, 6) for v in self.mean],
            "scale": [round(v, 6) for v in self.scale],
            "coef": [round(v, 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
            "threshold": self.threshold,
            "fitted_on": self.fitted_on or {},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RefusalModel:
        names = tuple(data["features"])
        unknown = set(names) - set(FEATURE_NAMES)
        if unknown:
            raise ValueError(f"refusal model uses unknown features: {sorted(unknown)}")
        columns = [tuple(float(v) for v in data[key]) for key in ("mean", "scale", "coef")]
        if any(len(column) != len(names) for column in columns):
            raise ValueError("refusal model: mean, scale and coef need one value per feature")
        return cls(
            features=names,
            mean=columns[0],
            scale=columns[1],
            coef=columns[2],
            intercept=float(data["intercept"]),
            threshold=float(data.get("threshold", 0.5)),
            fitted_on=data.get("fitted_on") or None,
        )


def packaged_models_path() -> Path:
    """Where the fitted models shipped with the code are (`--fit-refusal` writes there)."""
    return Path(str(resources.files("qa").joinpath("data", MODELS_FILE)))


@cache
def packaged_models() -> dict[str, RefusalModel]:
    """The fitted models shipped with the code, by embedder profile name."""
    text = packaged_models_path().read_text(encoding="utf-8")
    return {name: RefusalModel.from_json(data) for name, data in json.loads(text).items()}


def model_for_profile(profile_name: str | None) -> RefusalModel | None:
    """The fitted model of an embedder profile; None for a profile without one (its
    refusal falls back to the profile's support threshold)."""
    if not profile_name:
        return None
    return packaged_models().get(profile_name)
