"""Extractive answers: the sentences of the evidence that answer the question, each cited.

The stages, in order, each in its own module:

1. `qa.candidates`: the evidence's sentences, with exact offsets into the article text;
2. `qa.scoring`: meaning, words and constraints per sentence (weights in `ScoringConfig`),
   reading foreign sentences through their translations (`qa.align`);
3. `qa.decide`: the sentences that answer, or a typed refusal reason;
4. `qa.compose`: the answer text in the question's language, or the refusal.

Word lists per language are in `qa.lexicon`; the refusal model per embedder profile in
`qa.refusal` (its file named by `index.profiles`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from index.models import Embedder, SearchFilters
from qa.candidates import Candidate, gather_candidates
from qa.compose import compose, refusal, searched_description
from qa.decide import decide
from qa.models import Answer, QueryPlan
from qa.refusal import RefusalPolicy, SupportThreshold, refusal_model_for
from qa.retrieve import Evidence
from qa.scoring import SentenceLookup, score_candidates

logger = logging.getLogger(__name__)


def refusal_policy(
    embedder: Embedder, min_support: float | None = None, policy: RefusalPolicy | None = None
) -> RefusalPolicy:
    """The policy given, else an explicit support threshold when one is given, else the
    fitted refusal model of the embedder's profile."""
    if policy is not None:
        return policy
    if min_support is not None:
        return SupportThreshold(min_support)
    return refusal_model_for(getattr(embedder, "name", "") or "")


def extractive_answer(
    plan: QueryPlan,
    evidence: Sequence[Evidence],
    embedder: Embedder,
    *,
    filters: dict[str, Any] | None = None,
    place_variants: Sequence[str] = (),
    min_support: float | None = None,
    policy: RefusalPolicy | None = None,
    sentence_vectors: SentenceLookup | None = None,
    search_filters: SearchFilters | None = None,
) -> tuple[Answer, list[Candidate]]:
    """The extractive answer and the ranked candidates (for the generative step).

    `min_support` replaces the profile's refusal model by a threshold on support alone.
    `sentence_vectors` is the index's lookup of stored sentence vectors
    (`Retriever.sentence_vectors`); sentences it lacks are embedded."""
    candidates = gather_candidates(evidence)
    ranked = score_candidates(
        plan,
        candidates,
        embedder,
        place_variants=place_variants,
        sentence_vectors=sentence_vectors,
    )
    decision = decide(plan, ranked, refusal_policy(embedder, min_support, policy))
    searched_text, searched = searched_description(plan, filters or {}, len(evidence))
    searched["support"] = round(decision.best_support, 3)
    if decision.constraints:
        searched["constraints"] = decision.constraints
    if decision.refused:
        logger.info("refusing %r: %s", plan.question, decision.explanation)
        searched["reason"] = decision.explanation
        return refusal(plan, searched_text, searched), ranked
    return compose(plan, decision.selected, searched, search_filters), ranked
