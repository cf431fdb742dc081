"""Extractive answers: the sentences of the evidence that answer the question, each cited.

The stages, in order, each in its own module:

1. `qa.candidates`: the evidence's sentences, with exact offsets into the article text;
2. `qa.scoring`: meaning, words and constraints per sentence (weights in `ScoringConfig`),
   reading foreign sentences through their translations (`qa.align`);
3. `qa.decide`: the sentences that answer, or a typed refusal reason;
4. `qa.compose`: the answer text in the question's language, or the refusal.

Word lists per language are in `qa.lexicon`; the fitted refusal model per embedder
profile in `qa.refusal` (`qa/data/refusal.json`), the support threshold that says which
sentences carry the question in `index.profiles`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from index.models import Embedder
from index.profiles import DEFAULT_MIN_SUPPORT, EmbedderProfile, profile_for
from qa.candidates import Candidate, gather_candidates
from qa.clauses import ClauseChooser
from qa.compose import compose, refusal, searched_description
from qa.decide import decide
from qa.gazetteer import Gazetteer
from qa.models import Answer, QueryPlan
from qa.refusal import RefusalModel, model_for_profile
from qa.retrieve import Evidence
from qa.scoring import NullBaseline, SentenceLookup, score_candidates

logger = logging.getLogger(__name__)


def _profile_of(embedder: Embedder) -> EmbedderProfile | None:
    return profile_for(getattr(embedder, "name", "") or "")


def min_support_for(embedder: Embedder) -> float:
    """The refusal threshold calibrated for the embedder's profile."""
    profile = _profile_of(embedder)
    return profile.min_support if profile else DEFAULT_MIN_SUPPORT


def refusal_model_for(embedder: Embedder) -> RefusalModel | None:
    """The refusal model fitted for the embedder's profile, if there is one."""
    profile = _profile_of(embedder)
    return model_for_profile(profile.name) if profile else None


def clause_chooser(embedder: Embedder, plan: QueryPlan) -> ClauseChooser | None:
    """The clause of a sentence closest in meaning to the question, when it is closer
    than every other by the profile's margin (None for embedders without one)."""
    profile = _profile_of(embedder)
    margin = profile.clause_margin if profile else None
    if margin is None:
        return None

    def choose(clauses: Sequence[str]) -> int | None:
        question = np.asarray(embedder.embed_queries([plan.search_text]))[0]
        similarity = np.asarray(embedder.embed_passages(list(clauses))) @ question
        order = np.argsort(-similarity)
        best, second = int(order[0]), int(order[1])
        return best if similarity[best] - similarity[second] >= margin else None

    return choose


def extractive_answer(
    plan: QueryPlan,
    evidence: Sequence[Evidence],
    embedder: Embedder,
    *,
    filters: dict[str, Any] | None = None,
    place_variants: Sequence[str] = (),
    min_support: float = DEFAULT_MIN_SUPPORT,
    refusal_model: RefusalModel | None = None,
    sentence_vectors: SentenceLookup | None = None,
    baseline: NullBaseline | None = None,
    gazetteer: Gazetteer,
) -> tuple[Answer, list[Candidate]]:
    """The extractive answer and the ranked candidates (for the generative step).

    `sentence_vectors` is the index's lookup of stored sentence vectors
    (`Retriever.sentence_vectors`); sentences it lacks are embedded."""
    candidates = gather_candidates(evidence)
    ranked = score_candidates(
        plan,
        candidates,
        embedder,
        place_variants=place_variants,
        sentence_vectors=sentence_vectors,
        baseline=baseline,
        gazetteer=gazetteer,
    )
    decision = decide(
        plan,
        ranked,
        min_support=min_support,
        refusal_model=refusal_model,
        gazetteer=gazetteer,
        clause_by_meaning=clause_chooser(embedder, plan),
    )
    searched_text, searched = searched_description(plan, filters or {}, len(evidence), gazetteer)
    searched["support"] = round(decision.best_support, 3)
    if decision.features is not None:
        searched["refusal_features"] = decision.features.to_json()
    if decision.answer_probability is not None:
        searched["answer_probability"] = round(decision.answer_probability, 3)
    if decision.refused:
        logger.info("refusing %r: %s", plan.question, decision.explanation)
        searched["reason"] = decision.explanation
        return refusal(plan, searched_text, searched), ranked
    return compose(plan, decision.selected, searched, gazetteer), ranked
