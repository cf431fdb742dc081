"""One error category per question, so failures are fixed by class.

For an answerable question, in order:
- ok: a gold story cited (every one, for comparisons and lists), every fact stated and no
  `must_not_contain` phrase;
- wrong_sentence: a gold story cited, but a fact missing or a confusing phrase quoted;
- refused_with_gold: refused although a gold story was among the passages the answerer had;
- gold_not_retrieved: the gold is not in the pipeline's retrieval even at depth 50;
- ranked_out: the gold is retrieved at depth 50 but was not cited (it fell below what the
  answerer was given, or the answerer preferred another story).
For an unanswerable question: ok when refused, else answered_unanswerable.
"""

from __future__ import annotations

from dataclasses import dataclass

OK = "ok"
GOLD_NOT_RETRIEVED = "gold_not_retrieved"
RANKED_OUT = "ranked_out"
WRONG_SENTENCE = "wrong_sentence"
REFUSED_WITH_GOLD = "refused_with_gold"
ANSWERED_UNANSWERABLE = "answered_unanswerable"
ERROR = "error"
CATEGORIES = (
    OK,
    GOLD_NOT_RETRIEVED,
    RANKED_OUT,
    WRONG_SENTENCE,
    REFUSED_WITH_GOLD,
    ANSWERED_UNANSWERABLE,
    ERROR,
)


@dataclass(frozen=True)
class Outcome:
    """What happened to one question, as the taxonomy needs it."""

    answerable: bool
    refused: bool
    failed: bool = False
    citation_hit: bool | None = None  # None: the question has no gold to cite
    all_facts: bool = True
    forbidden: bool = False
    gold_in_depth: bool = False
    gold_in_hand: bool = False


def classify(outcome: Outcome) -> str:
    if outcome.failed:
        return ERROR
    if not outcome.answerable:
        return OK if outcome.refused else ANSWERED_UNANSWERABLE
    correct = outcome.all_facts and not outcome.forbidden
    if outcome.citation_hit is None:  # no gold: judge the answer alone
        if outcome.refused:
            return REFUSED_WITH_GOLD
        return OK if correct else WRONG_SENTENCE
    if outcome.citation_hit:
        return OK if correct else WRONG_SENTENCE
    if outcome.refused and outcome.gold_in_hand:
        return REFUSED_WITH_GOLD
    if not outcome.gold_in_depth:
        return GOLD_NOT_RETRIEVED
    return RANKED_OUT
