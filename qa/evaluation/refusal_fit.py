"""Fitting the refusal model (`qa.refusal`) on a question set with known answers.

Each question is answered with refusal by the model switched off, and its decision
features (`RefusalFeatures`) become examples:

- an answerable question whose answer cites its gold story: an example of evidence that
  answers;
- the same question asked again with every version of its gold stories taken out of the
  index (`WithoutStories`): the near miss the model must learn to refuse, the right place
  and period but nobody reporting the fact;
- an unanswerable question that reaches the model: evidence that does not answer.

Questions refused by a typed check (place, period, document, meeting, value kind) never
reach the model and give no example; nor does an answerable question answered from
another story (neither answering nor refusing it is right).

The model is a logistic regression over standardised features with balanced class
weights. Its threshold is not 0.5: the examples hold far more near misses than people
ask (one for every question whose story can be taken out), and refusing a question that
the sources answer costs its answer, so the threshold is set where at most
`MAX_ANSWERS_REFUSED` of the answering examples are refused. Accuracy is
cross-validated with every question's examples kept in one fold.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.models import Embedder, IndexedArticle, Retriever, SearchFilters, SearchHit
from qa.evaluation.depth import Story, StoryResolver, dedupe
from qa.evaluation.matching import gold_satisfied, stories_covered
from qa.evaluation.questions import EvalQuestion
from qa.models import Answer
from qa.refusal import FEATURE_NAMES, RefusalFeatures, RefusalModel

logger = logging.getLogger(__name__)

# Refusal switched off: every question that passes the typed checks is answered.
ALWAYS_ANSWER = RefusalModel(features=(), mean=(), scale=(), coef=(), intercept=0.0, threshold=0.0)
# Inverse regularisation strength: the sets are small, the features few.
REGULARISATION_C = 1.0
CV_FOLDS = 5
# The share of the answering examples the fitted threshold may refuse.
MAX_ANSWERS_REFUSED = 0.01
# With the gold taken out, hits are fetched this many times deeper so that the
# passages read are as many as usual.
WITHOUT_GOLD_DEPTH = 2

AnswerWith = Callable[[Retriever, EvalQuestion], Answer]


@dataclass(frozen=True)
class RefusalExample:
    question_id: str
    features: RefusalFeatures
    answers: bool
    # "answered", "gold removed" or "unanswerable".
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question_id,
            "answers": self.answers,
            "source": self.source,
            **self.features.to_json(),
        }


class WithoutStories:
    """A retriever that never finds any version of the given stories: the index as it
    would be had nobody reported them."""

    def __init__(self, retriever: Retriever, stories: Sequence[Story], resolver: StoryResolver):
        self._retriever = retriever
        self._stories = list(stories)
        self._resolver = resolver

    @property
    def embedder(self) -> Embedder:
        return self._retriever.embedder

    def _removed(self, article: IndexedArticle) -> bool:
        story = self._resolver.of_article(article)
        return any(story & removed for removed in self._stories)

    def _kept(self, hits: list[SearchHit], k: int) -> list[SearchHit]:
        return [hit for hit in hits if not self._removed(hit.article)][:k]

    def search(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        *,
        keywords: str | None = None,
    ) -> list[SearchHit]:
        hits = self._retriever.search(
            query, k * WITHOUT_GOLD_DEPTH, filters=filters, keywords=keywords
        )
        return self._kept(hits, k)

    def search_dense(
        self, vector: np.ndarray, k: int = 10, filters: SearchFilters | None = None
    ) -> list[SearchHit]:
        hits = self._retriever.search_dense(vector, k * WITHOUT_GOLD_DEPTH, filters=filters)
        return self._kept(hits, k)

    def article(self, article_id: str) -> IndexedArticle | None:
        return self._retriever.article(article_id)

    def translations(self, translation_group: str) -> list[IndexedArticle]:
        versions = self._retriever.translations(translation_group)
        return [a for a in versions if not self._removed(a)]

    def sentence_vectors(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        return self._retriever.sentence_vectors(texts)


def decision_features(result: Answer) -> RefusalFeatures | None:
    """The features the answer's decision read; None when a typed check decided first."""
    found = result.searched.get("refusal_features")
    if not isinstance(found, dict):
        return None
    return RefusalFeatures.from_json(found)


def collect_examples(
    questions: Sequence[EvalQuestion],
    answer_with: AnswerWith,
    retriever: Retriever,
    resolver: StoryResolver,
) -> list[RefusalExample]:
    """Examples from every question (`answer_with(retriever, question)` answers it with
    refusal by the model switched off)."""
    examples: list[RefusalExample] = []
    for question in questions:
        result = answer_with(retriever, question)
        features = decision_features(result)
        if features is None or result.refused:
            continue
        if not question.answerable:
            examples.append(RefusalExample(question.id, features, False, "unanswerable"))
            continue
        gold = [resolver.stories.story(url) for url in question.gold_urls]
        cited = dedupe(resolver.of_url(c.url, c.article_id) for c in result.citations)
        covered = stories_covered(gold, cited)
        if not gold_satisfied(gold, covered, needs_every=question.needs_every_story):
            continue
        examples.append(RefusalExample(question.id, features, True, "answered"))
        without = answer_with(WithoutStories(retriever, gold, resolver), question)
        near_miss = decision_features(without)
        if near_miss is not None and not without.refused:
            examples.append(RefusalExample(question.id, near_miss, False, "gold removed"))
    return examples


def load_examples(path: Path) -> list[RefusalExample]:
    """Examples written by `RefusalExample.to_json` (one per line); ValueError when a
    line is not one."""
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            features = RefusalFeatures.from_json(record)
            examples.append(
                RefusalExample(
                    str(record["question"]), features, bool(record["answers"]), record["source"]
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not a refusal example ({error})") from error
    return examples


def answering_threshold(probabilities: np.ndarray, truth: np.ndarray) -> float:
    """The highest threshold that refuses at most `MAX_ANSWERS_REFUSED` of the answering
    examples (by their probabilities)."""
    answering = np.sort(probabilities[truth])
    allowed = int(MAX_ANSWERS_REFUSED * len(answering))
    return float(answering[allowed])


def _rates(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    """The share of answering examples answered and of the others refused."""
    answered = float(np.mean(predicted[truth]))
    refused = float(np.mean(~predicted[~truth]))
    return answered, refused


@dataclass(frozen=True)
class FitResult:
    model: RefusalModel
    examples: int
    answering: int
    not_answering: int
    # Share of answering examples answered, of the others refused: on the examples
    # themselves, and cross-validated by question.
    train_rates: tuple[float, float]
    cv_rates: tuple[float, float] | None


def fit_refusal(
    examples: Sequence[RefusalExample], *, about: dict[str, Any] | None = None
) -> FitResult:
    """A logistic model over the examples' features (raises ValueError when the examples
    do not hold both outcomes)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    truth = np.array([e.answers for e in examples], dtype=bool)
    if truth.all() or not truth.any():
        raise ValueError(
            f"{len(examples)} examples, all {'answering' if truth.any() else 'not answering'}:"
            " fitting needs questions whose evidence answers and questions whose does not"
        )
    values = np.array([e.features.as_vector() for e in examples], dtype=np.float64)
    mean = values.mean(axis=0)
    scale = values.std(axis=0)
    scale[scale == 0] = 1.0
    standard = (values - mean) / scale

    def fitted(rows: np.ndarray) -> LogisticRegression:
        regression = LogisticRegression(C=REGULARISATION_C, class_weight="balanced")
        return regression.fit(standard[rows], truth[rows])

    def probabilities(regression: LogisticRegression, rows: np.ndarray) -> np.ndarray:
        return np.asarray(regression.predict_proba(standard[rows])[:, 1])

    every_row = np.arange(len(examples))
    everything = fitted(every_row)
    threshold = answering_threshold(probabilities(everything, every_row), truth)
    train = _rates(truth, probabilities(everything, every_row) >= threshold)
    groups = np.array([e.question_id for e in examples])
    cv: tuple[float, float] | None = None
    folds = min(CV_FOLDS, len(set(groups)))
    if folds >= 2:
        # Each fold's model and threshold come from the other folds alone.
        predicted = np.zeros_like(truth)
        for train_rows, test_rows in GroupKFold(n_splits=folds).split(standard, truth, groups):
            if len(set(truth[train_rows])) < 2:
                continue
            regression = fitted(train_rows)
            cut = answering_threshold(probabilities(regression, train_rows), truth[train_rows])
            predicted[test_rows] = probabilities(regression, test_rows) >= cut
        cv = _rates(truth, predicted)
    sources = {
        s: sum(e.source == s for e in examples) for s in sorted({e.source for e in examples})
    }
    model = RefusalModel(
        features=FEATURE_NAMES,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in everything.coef_[0]),
        intercept=float(everything.intercept_[0]),
        threshold=round(threshold, 6),
        fitted_on={
            **(about or {}),
            "examples": sources,
            "answered_refused": [round(r, 4) for r in train],
            "cv_answered_refused": [round(r, 4) for r in cv] if cv is not None else None,
        },
    )
    return FitResult(
        model=model,
        examples=len(examples),
        answering=int(truth.sum()),
        not_answering=int((~truth).sum()),
        train_rates=train,
        cv_rates=cv,
    )
