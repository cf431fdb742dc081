"""Stage 3 of an extractive answer: pick the sentences that answer, or refuse and say why.

What the question pins down beyond its topic (the place, the publication period, a
deadline, a document number, the time of an event, a numbered meeting) is evidence: a
sentence that meets more of it ranks higher, and how much the best one meets is one of
the refusal model's features. Nothing here is a gate on its own; the refusal comes from
`qa.refusal` (a model fitted per embedder profile), and carries a typed `RefusalReason`
naming what the best evidence lacked.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import timedelta

from facts.doc_numbers import normalize_doc_number
from index.models import IndexedArticle
from qa.candidates import Candidate
from qa.lexicon import content_tokens, meeting_ordinals
from qa.models import QueryPlan
from qa.refusal import RefusalPolicy
from qa.retrieve import places_named
from qa.scoring import doc_numbers_in, within

MAX_FACT_SENTENCES = 3
MAX_LIST_SENTENCES = 5
MAX_COMMITMENTS = 6
# Sentences scoring within this share of the best one, with this share of its support,
# are answers too.
FACT_SHARE_OF_TOP = 0.75
LIST_SHARE_OF_TOP = 0.6
SUPPORT_SHARE_OF_TOP = 0.8
# Rank bonus for a sentence that meets all of the question's constraints (score units).
CONSTRAINT_BONUS = 0.15
# Sentences looked at for the agreement feature.
AGREEMENT_DEPTH = 5
# An event is reported from shortly before (time zones) to a few weeks after it.
EVENT_REPORTED_BEFORE = timedelta(days=2)
EVENT_REPORTED_AFTER = timedelta(days=21)


class RefusalReason(enum.Enum):
    """Why the evidence does not answer the question."""

    NO_PASSAGES = "no passages matched"
    OTHER_PLACE = "no passage is about the place asked about"
    NO_DOCUMENT = "no article mentions the document number asked about"
    OTHER_TIME = "no passage is from the time asked about"
    OTHER_MEETING = "no article reports the numbered meeting asked about"
    WEAK_SUPPORT = "the best sentence does not carry the question"
    NO_COMMITMENT = "no sentence commits to anything in the period"


@dataclass
class Decision:
    """What the extractive step concluded: the sentences to cite, or why not."""

    selected: list[Candidate]
    refused: bool
    reason: RefusalReason | None = None
    best_support: float = 0.0
    detail: str = ""
    features: dict[str, float] = field(default_factory=dict)
    # Constraints asked and whether the best sentence meets each.
    constraints: dict[str, bool] = field(default_factory=dict)

    @property
    def explanation(self) -> str:
        """The reason in words, with the figures behind it."""
        if self.reason is None:
            return ""
        return self.detail or self.reason.value


class ConstraintChecks:
    """Which of the question's constraints a candidate's evidence meets."""

    def __init__(self, plan: QueryPlan) -> None:
        self.plan = plan
        self.wanted_docs = {normalize_doc_number(n) for n in plan.doc_numbers}
        self.meetings = meeting_ordinals(plan.search_text)
        self._ordinals: dict[str, set[int]] = {}
        self._docs: dict[str, set[str]] = {}

    def of(self, candidate: Candidate) -> dict[str, bool]:
        plan, checks = self.plan, {}
        if plan.places:
            checks["place"] = (
                candidate.place or candidate.evidence.place_match
            ) and not candidate.other_place
        if plan.published_since or plan.published_until:
            checks["period"] = candidate.evidence.period_match
        if plan.deadline_since or plan.deadline_until:
            checks["deadline"] = candidate.deadline_match or candidate.evidence.deadline_match
        if self.wanted_docs:
            checks["document"] = candidate.doc or bool(
                self.wanted_docs & self._article_docs(candidate.article)
            )
        if plan.event_since or plan.event_until:
            checks["time"] = reports_event(plan, candidate)
        if self.meetings:
            checks["meeting"] = bool(self.meetings & self._article_ordinals(candidate.article))
        return checks

    def names_another_meeting(self, candidate: Candidate) -> bool:
        """The sentence itself names a numbered meeting, and not the one asked about."""
        if not self.meetings:
            return False
        named = meeting_ordinals(candidate.text)
        return bool(named) and not named & self.meetings

    def _article_docs(self, article: IndexedArticle) -> set[str]:
        if article.id not in self._docs:
            self._docs[article.id] = doc_numbers_in(f"{article.title}\n{article.text}")
        return self._docs[article.id]

    def _article_ordinals(self, article: IndexedArticle) -> set[int]:
        if article.id not in self._ordinals:
            self._ordinals[article.id] = meeting_ordinals(f"{article.title}\n{article.text}")
        return self._ordinals[article.id]


def reports_event(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether the evidence is from the time of the event asked about: published while
    it was news, or naming a date within it."""
    published = candidate.article.published.date() if candidate.article.published else None
    since, until = plan.event_since, plan.event_until
    if published is not None and within(
        published,
        since - EVENT_REPORTED_BEFORE if since else None,
        until + EVENT_REPORTED_AFTER if until else None,
    ):
        return True
    return any(within(d.value, since, until) for d in candidate.evidence.chunk.dates)


_REASON_OF_CONSTRAINT = {
    "place": RefusalReason.OTHER_PLACE,
    "document": RefusalReason.NO_DOCUMENT,
    "period": RefusalReason.OTHER_TIME,
    "deadline": RefusalReason.OTHER_TIME,
    "time": RefusalReason.OTHER_TIME,
    "meeting": RefusalReason.OTHER_MEETING,
}


def _share(checks: dict[str, bool]) -> float:
    return sum(checks.values()) / len(checks) if checks else 1.0


def refusal_features(
    plan: QueryPlan, ranked: list[Candidate], checks: dict[int, dict[str, bool]]
) -> dict[str, float]:
    """The refusal model's features (see `qa.refusal.FEATURES`) for candidates ranked
    best first, with their constraint checks (by `id`)."""
    top = ranked[0]
    top_checks = checks[id(top)]
    others = [c.score for c in ranked if c.evidence.group != top.evidence.group]
    head = ranked[:AGREEMENT_DEPTH]
    place_missing = bool(plan.places) and not any(checks[id(c)].get("place", True) for c in ranked)
    return {
        "support": top.support,
        "support_any": max(c.support for c in ranked),
        "dense": top.dense,
        "keyword": max(0.0, top.keyword),
        "constraints_met": _share(top_checks),
        "constraints_asked": float(bool(top_checks)),
        "place_missing": float(place_missing),
        "agreement": sum(c.evidence.group == top.evidence.group for c in head) / len(head),
        "margin": top.score - max(others) if others else top.score,
        "passage_rank": 1.0 / (1.0 + top.evidence.rank),
    }


def decide(plan: QueryPlan, ranked: list[Candidate], policy: RefusalPolicy) -> Decision:
    """Pick the answering sentences, or refuse when the evidence does not carry them."""
    if not ranked:
        return Decision([], True, RefusalReason.NO_PASSAGES)
    constraints = ConstraintChecks(plan)
    checks = {id(c): constraints.of(c) for c in ranked}
    # Constraints are evidence: meeting them moves a sentence up, never in or out.
    ranked = sorted(
        ranked, key=lambda c: c.score + CONSTRAINT_BONUS * _share(checks[id(c)]), reverse=True
    )
    features = refusal_features(plan, ranked, checks)
    best_support = features["support_any"]
    top = ranked[0]
    top_checks = checks[id(top)]
    if not policy.answers(features):
        # What no evidence meets explains the refusal best; else what the best one lacks.
        nowhere = [n for n in top_checks if not any(checks[id(c)].get(n, True) for c in ranked)]
        missed = nowhere or [name for name, met in top_checks.items() if not met]
        reason = _REASON_OF_CONSTRAINT[missed[0]] if missed else RefusalReason.WEAK_SUPPORT
        detail = f"{reason.value} (support {features['support']:.2f})"
        return Decision([], True, reason, best_support, detail, features, top_checks)
    floor = SUPPORT_SHARE_OF_TOP * top.support
    top_score = top.score
    top_share = _share(top_checks)
    # Sentences beside the best one meet the question's constraints as well as it does,
    # and are not about another place: loosely related sentences from other provinces'
    # stories are not answers.
    single_story = plan.intent not in ("list", "comparison", "commitments")
    ranked = [
        c
        for c in ranked
        if c is top
        or (
            _share(checks[id(c)]) >= top_share
            and not (plan.places and c.other_place)
            and not constraints.names_another_meeting(c)
            # One fact is told by one story: other stories' sentences are look-alikes.
            and not (single_story and c.evidence.group != top.evidence.group)
        )
    ]
    if plan.intent == "commitments":
        pool = [c for c in ranked if c.cue and c.score >= LIST_SHARE_OF_TOP * top_score]
        if plan.deadline_since or plan.deadline_until:
            # Deadlines in the period first, then pledges that name no deadline at all.
            dated = [c for c in pool if c.deadline_match]
            # An undated pledge must itself name the place: a minister's general call in
            # the same article is not the province's commitment.
            undated = [
                c for c in pool if not c.deadlines and c.cue == 2 and (c.place or not plan.places)
            ]
            pool = dated + undated
        else:
            pool = [c for c in pool if c.cue == 2 or c.deadlines or c.support >= floor]
        if not pool:
            return Decision(
                [], True, RefusalReason.NO_COMMITMENT, best_support, "", features, top_checks
            )
        limit = MAX_COMMITMENTS
    elif plan.intent in ("list", "comparison"):
        pool = [
            c for c in ranked if c.score >= LIST_SHARE_OF_TOP * top_score and c.support >= floor
        ]
        if len(plan.places) > 1:
            # A comparison needs each side: the best sentence about each place first.
            sides = [best_about(ranked, place.key, floor) for place in plan.places]
            pool = [c for c in sides if c is not None] + pool
        limit = MAX_LIST_SENTENCES
    else:
        pool = [
            c for c in ranked if c.score >= FACT_SHARE_OF_TOP * top_score and c.support >= floor
        ]
        limit = MAX_FACT_SENTENCES
    selected = dedupe(pool or ranked[:1], limit)
    return Decision(selected, False, None, best_support, "", features, top_checks)


def best_about(ranked: list[Candidate], key: str, min_support: float) -> Candidate | None:
    for candidate in ranked:
        if candidate.support >= min_support and key in places_named(candidate.text):
            return candidate
    return None


def dedupe(pool: list[Candidate], limit: int) -> list[Candidate]:
    chosen: list[Candidate] = []
    seen_text: set[str] = set()
    for candidate in pool:
        key = " ".join(content_tokens(candidate.text))
        if key in seen_text:
            continue
        seen_text.add(key)
        chosen.append(candidate)
        if len(chosen) == limit:
            break
    return chosen
