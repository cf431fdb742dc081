"""Stage 3 of an extractive answer: pick the sentences that answer, or refuse and say why.

A refusal carries a typed `RefusalReason`: the evidence does not carry the answer (the
fitted refusal model of the embedder's profile, `qa.refusal`, finds an answer unlikely;
without a model, the best sentence's support is below the profile's threshold), it is
not about the place, the
document number, the time of the event or the numbered meeting that the question pins
down, or a question about commitments finds no sentence that commits to anything.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeVar

from facts.doc_numbers import doc_number_key, find_doc_numbers
from facts.folding import fold_for_matching as fold
from facts.provinces import MERGER_DATE
from index.mentions import overlaps, period_end, vietnam_day
from index.models import IndexedArticle, MentionedDate
from index.profiles import DEFAULT_MIN_SUPPORT
from qa.align import base_language, in_language
from qa.answer_type import (
    AnswerType,
    asks_several_dates,
    blanked,
    count_figures,
    document_kind,
    document_kinds_asked,
    names_counted,
    value_starts,
)
from qa.candidates import Candidate
from qa.clauses import (
    ClauseChooser,
    answering_clause,
    answering_document_clause,
    answering_person_clause,
    answering_value_clause,
    asks_a_part,
    asks_its_city,
    clause_of_the_period,
    compares_with_the_period_asked,
    formers_asked,
    joined_parts,
    names_the_part_asked,
    narrowed_to,
    without_asides_of_other_times,
)
from qa.gazetteer import Gazetteer, part_names
from qa.lexicon import (
    PLEDGE,
    asks_for_a_target,
    asks_the_deadline_now,
    clause_at,
    content_tokens,
    country_wide_at,
    find_person,
    indexes_named,
    indexes_of_values,
    is_cumulative,
    meeting_ordinals,
    moves_a_deadline,
    opens_on_the_past,
    ordinals_named,
    roles_named,
    speaks_of_disbursement,
    stages_named,
    states_as_of,
)
from qa.models import QueryPlan
from qa.refusal import RefusalFeatures, RefusalModel, refusal_features
from qa.retrieve import (
    article_in_places,
    asks_period,
    merger_side_asked,
    place_keys_for,
    question_window,
    within,
)
from qa.scoring import doc_numbers_in
from qa.temporal import merger_sides

# The opening share of a sentence whose periods say when what it states happened.
OPENING_SHARE = 0.4
# The stories compared when the question names no two places or meetings.
COMPARISON_SIDES = 2
# The support a sentence needs to answer for one side the question names, as a share of
# the threshold for answering the whole question.
NAMED_SIDE_SUPPORT_SHARE = 0.85
# Intents answered by one value; a list, a comparison or commitments are not.
FACT_INTENTS = frozenset({"fact", "who", "when", "other"})
MAX_FACT_SENTENCES = 3
# An event's outcomes: sentences of its report scoring within this share of the best.
MAX_OUTCOME_SENTENCES = 4
OUTCOME_SHARE_OF_TOP = 0.5
MAX_LIST_SENTENCES = 5
MAX_COMMITMENTS = 6
# Where a report names the meeting it reports when its title does not.
REPORT_OPENING_CHARS = 300
# Sentences scoring within this share of the best one are answers too.
FACT_SHARE_OF_TOP = 0.75
# How much better the lead must carry the question than a sentence beside it stating a
# value of the kind asked, for that value to be a rival rather than a second reading.
RIVAL_SUPPORT_MARGIN = 0.20
LIST_SHARE_OF_TOP = 0.6
# An event is reported from shortly before (time zones) to a few weeks after it.
# How far from the day a figure is asked as of the day it is stated as of may lie: "as of
# 25 June" answers "as of 30 June"; "as of 31 March" does not.
AS_OF_BEFORE = timedelta(days=31)
AS_OF_AFTER = timedelta(days=7)
EVENT_REPORTED_BEFORE = timedelta(days=2)
EVENT_REPORTED_AFTER = timedelta(days=21)


class RefusalReason(enum.Enum):
    """Why the evidence does not answer the question."""

    NO_PASSAGES = "no passages matched"
    OTHER_PLACE = "no passage is about the place asked about"
    NO_DOCUMENT = "no article mentions the document number asked about"
    OTHER_PERIOD = "no passage is from the period asked about or names it"
    OTHER_TIME = "no passage reports on the time of the event asked about"
    OTHER_MEETING = "no article reports the numbered meeting asked about"
    OTHER_INDEX = "no article gives the ranking index asked about"
    NO_VALUE = "no sentence states the kind of value asked for"
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
    # What the refusal model read and concluded; None when the typed checks decided.
    features: RefusalFeatures | None = None
    answer_probability: float | None = None

    @property
    def explanation(self) -> str:
        """The reason in words, with the figures behind it."""
        if self.reason is None:
            return ""
        return self.detail or self.reason.value


T = TypeVar("T")


def _read_article(article: IndexedArticle, cache: dict[str, T], read: Callable[[str], T]) -> T:
    """`read` of the article's title and text, once per article in `cache`."""
    if article.id not in cache:
        cache[article.id] = read(f"{article.title}\n{article.text}")
    return cache[article.id]


def _article_ordinals(article: IndexedArticle, cache: dict[str, set[int]]) -> set[int]:
    return _read_article(article, cache, meeting_ordinals)


def _reported_meetings(article: IndexedArticle, cache: dict[str, set[int]]) -> set[int]:
    """The numbered meetings an article reports: those its title names, else those its
    opening names (a report of the second session recalls the first further on)."""
    if article.id not in cache:
        cache[article.id] = meeting_ordinals(article.title) or meeting_ordinals(
            article.text[:REPORT_OPENING_CHARS]
        )
    return cache[article.id]


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


def names_other_time(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether the sentence dates what it says to another period than the one asked about:
    it opens on a year, quarter or month and none of those overlaps the question's period
    ("In 2024 the rate was 55%" does not answer a question about 2025). Only the opening
    part counts: a period named further on is mostly a comparison ("..., up from 49% in
    2024"). Days are left out: a sentence's day is mostly when something was reported.
    Of a question about one side of the 1 July 2025 merger, a sentence naming only the
    other side in words ("... 64 communes and wards after the merger") is of another time."""
    side = merger_side_asked(plan)
    if side is not None:
        named = merger_sides(candidate.text)
        if named and side not in named:
            return True
    opening = OPENING_SHARE * len(candidate.text)
    periods = [d for d in candidate.mentioned if d.precision != "day" and d.start < opening]
    if not periods:
        return False
    if plan.answer_type is not None and names_the_period(plan, candidate):
        # "52.3% in 2024, up from 27.8% in 2023" states 2023's value too: the clause of
        # the period asked is quoted (`qa.clauses.answering_value_clause`).
        return False
    return not any(overlaps(d, plan.published_since, plan.published_until) for d in periods)


def names_the_period(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether the sentence names a year, quarter or month within the question's period
    (False when the question names none)."""
    return asks_period(plan) and any(
        overlaps(d, plan.published_since, plan.published_until)
        for d in candidate.mentioned
        if d.precision != "day"
    )


def is_a_total_to_date(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether the sentence gives a total since a programme began ("accumulated to date",
    "lũy kế") without naming the question's period: the period's own figure answers first."""
    return is_cumulative(candidate.text) and not names_the_period(plan, candidate)


def asked_meetings(plan: QueryPlan) -> set[int]:
    """The numbered meetings a question asks about. A follow-up that names another one
    ("and at the second one?") replaces the meeting of the earlier turn."""
    own = meeting_ordinals(plan.question)
    if plan.follow_up and not own:
        own = ordinals_named(plan.question)
    return own or meeting_ordinals(plan.search_text)


def meets_constraints(
    plan: QueryPlan, ranked: list[Candidate]
) -> tuple[list[Candidate], RefusalReason | None]:
    """The candidates whose evidence meets what the question pins down beyond its topic:
    the place, the period, a document number, a ranking index, a numbered meeting; and why
    none does."""
    if plan.places:
        ranked = [c for c in ranked if (c.place or c.evidence.place_match) and not c.other_place]
        if not ranked:
            return [], RefusalReason.OTHER_PLACE
    if plan.doc_numbers:
        wanted = {doc_number_key(n) for n in plan.doc_numbers}
        ranked = [
            c
            for c in ranked
            if c.doc
            or wanted
            & {doc_number_key(n) for n in doc_numbers_in(f"{c.article.title}\n{c.article.text}")}
        ]
        if not ranked:
            return [], RefusalReason.NO_DOCUMENT
    if asks_period(plan):
        # Retrieval looked beyond the period; only passages from it or naming it answer. A
        # period carried from the earlier turn dates the story, whose sentences may date
        # their figures otherwise ("in 2024, 27th" reported at the November 2025 meeting).
        ranked = [
            c
            for c in ranked
            if c.evidence.period_match and (plan.period_carried or not names_other_time(plan, c))
        ]
        if not ranked:
            return [], RefusalReason.OTHER_PERIOD
    if plan.event_since or plan.event_until:
        ranked = [c for c in ranked if reports_event(plan, c)]
        if not ranked:
            return [], RefusalReason.OTHER_TIME
    indexes = indexes_named(plan.question)
    if indexes:
        # "Hoa Binh's PAPI" is not answered by its PCI, nor by a story on another index
        # whose sentences do not name it ("ranked 4th" in a PAR INDEX report).
        named: dict[str, frozenset[str]] = {}
        ranked = [
            c
            for c in ranked
            if _read_article(c.article, named, indexes_named) & indexes
            and not of_another_index(plan, c)
        ]
        if not ranked:
            return [], RefusalReason.OTHER_INDEX
    asked = asked_meetings(plan)
    if asked:
        cache: dict[str, set[int]] = {}
        # Reports of a numbered meeting name its number; one that does not is not its report.
        ranked = [c for c in ranked if asked & _article_ordinals(c.article, cache)]
        if not ranked:
            return [], RefusalReason.OTHER_MEETING
    return ranked, None


def decide(
    plan: QueryPlan,
    ranked: list[Candidate],
    *,
    min_support: float = DEFAULT_MIN_SUPPORT,
    refusal_model: RefusalModel | None = None,
    gazetteer: Gazetteer,
    clause_by_meaning: ClauseChooser | None = None,
) -> Decision:
    """Pick the answering sentences, or refuse when the evidence does not carry them.

    `refusal_model` decides whether the evidence that meets the question's constraints answers
    it; without it, the best sentence's support must reach `min_support`, which also
    says which sentences carry the question. `gazetteer` tells which side of a
    comparison a sentence is about. `clause_by_meaning` picks the answering clause of a
    sentence joining several values when the question's words cannot."""
    if not ranked:
        return Decision([], True, RefusalReason.NO_PASSAGES)
    ranked, reason = meets_constraints(plan, ranked)
    if reason is not None:
        return Decision([], True, reason)
    best_support = max(c.support for c in ranked)
    features = refusal_features(plan, ranked)
    probability = refusal_model.probability(features) if refusal_model else None

    def refused(reason: RefusalReason, detail: str) -> Decision:
        return Decision([], True, reason, best_support, detail, features, probability)

    if refusal_model is not None and probability is not None:
        if probability < refusal_model.threshold:
            threshold = refusal_model.threshold
            return refused(
                RefusalReason.WEAK_SUPPORT,
                f"answer probability {probability:.2f} < {threshold:.2f}",
            )
    elif best_support < min_support:
        return refused(
            RefusalReason.WEAK_SUPPORT, f"best support {best_support:.2f} < {min_support:.2f}"
        )
    story_lead: Candidate | None = None
    if answers_another_question(plan, ranked[0]):
        # The best sentence gives the country's figure, another index's or an earlier
        # plan's: the best one answering this question leads, when one is supported.
        fitting = next(
            (
                c
                for c in ranked
                if c.support >= min_support and not answers_another_question(plan, c)
            ),
            None,
        )
        if fitting is not None:
            ranked = [fitting] + [c for c in ranked if c is not fitting]
    # The role a who-question names ("which police official"), if any.
    asked_roles = roles_named(plan.question) if plan.intent == "who" else frozenset()
    if plan.answer_type is not None and plan.intent in FACT_INTENTS:
        # "What share...?" is answered by a sentence that states a percentage; the one
        # that states such a value best leads (for a count, one that names what is
        # counted), and without one there is no answer.
        valued = counting_first(plan, ranked) if plan.answer_type == "count" else ranked
        stating = [
            c
            for c in valued
            if c.states_value and c.support >= min_support and not answers_another_question(plan, c)
        ]
        if plan.as_of_day is not None:
            stating = [c for c in stating if not stated_as_of_another_day(plan, c)]
        # Asked of the province, "Ha Giang city had 62.3%" is a part's figure: after the others.
        stating.sort(key=lambda c: speaks_for_its_city(plan, c, gazetteer))
        # So is "Riêng thành phố Phan Thiết … 565.000 lượt khách quốc tế" beside the
        # province's own figure.
        stating.sort(key=lambda c: speaks_for_a_part(plan, c, gazetteer))
        if plan.answer_type == "count" and (stages := stages_named(plan.question)):
            # "How many units were started?": a sentence of that stage of the work before
            # one of another ("completed 8,964 units").
            stating.sort(key=lambda c: not stages_named(c.text) & stages)
        if asks_a_part(plan, gazetteer):
            # Asked of a city or district ("Vi Thanh city", "Ca Mau city itself"), a
            # sentence naming it answers before the whole province's figure.
            stating.sort(key=lambda c: not names_the_part_asked(plan, c.text, gazetteer))
        if formers := formers_asked(plan, gazetteer):
            stating = [c for c in stating if speaks_for_a_former(plan, c, formers, gazetteer)]
        if asks_period(plan):
            # A total since the programme began answers a period's figure last.
            stating.sort(key=lambda c: is_a_total_to_date(plan, c))
            # A figure of a longer period holding the one asked ("in 9 months" for the
            # third quarter) answers after one of the period itself, and not at all when
            # the period is asked on its own ("riêng quý III").
            stating.sort(key=lambda c: dated_beyond_the_period(plan, c))
            if plan.period_alone:
                stating = [c for c in stating if not dated_beyond_the_period(plan, c)]
            # "8 tháng năm 2024" does not answer "6 tháng đầu năm 2024".
            stating = [c for c in stating if not of_another_run_of_months(plan, c)]
            # Nor does "strive for 80% by 30 September" the rate at the end of June.
            stating = [c for c in stating if not a_target_for_another_time(plan, c)]
        # A value the sentence dates to another period ("in 2024, 89.6% ...") answers the
        # question's only when the sentence names that period too, for a later value
        # ("286,450 as of 30 September, three times the 94,600 as of 30 June"), and no
        # other sentence states one; one published outside it only when no other does.
        typed = next(
            (
                c
                for c in stating
                if not value_dated_elsewhere(plan, c) and not published_outside(plan, c)
            ),
            None,
        )
        # A year guessed from today ("this year") is tried again a year earlier, where the
        # story's own figure is of the period: no undated figure from outside it now.
        guessed = plan.year_inferred
        if not guessed:
            typed = typed or next((c for c in stating if not value_dated_elsewhere(plan, c)), None)
        typed = typed or next((c for c in stating if names_the_period_asked(plan, c)), None)
        if typed is None and plan.follow_up:
            # A follow-up asks one more thing of the story the conversation is about
            # ("what about funding?"): its words are mostly the earlier question's, which
            # the sentence stating the new value seldom shares. The story that carries
            # the conversation gives it (from the period, when the year was guessed).
            story = next((c.evidence.group for c in ranked if c.support >= min_support), None)
            typed = next(
                (
                    c
                    for c in valued
                    if c.states_value
                    and c.evidence.group == story
                    and not (guessed and published_outside(plan, c))
                ),
                None,
            )
            story_lead = typed
        if typed is None:
            detail = f"no sentence states a value of the kind asked for ({plan.answer_type})"
            return refused(RefusalReason.NO_VALUE, detail)
        if counts_something_else(plan, typed):
            detail = f"no sentence counts what is asked ({' '.join(plan.counted)})"
            return refused(RefusalReason.NO_VALUE, detail)
        if plan.answer_type == "money" and speaks_of_disbursement(plan.question):
            # "How much had been disbursed?" is not answered by the amount allocated.
            paid = next((c for c in stating if speaks_of_disbursement(c.text)), None)
            if paid is None:
                return refused(RefusalReason.NO_VALUE, "no sentence says what was disbursed")
            typed = paid
        ranked = [typed] + [c for c in ranked if c is not typed]
    elif plan.intent == "when":
        # "By what date...?" is answered by a sentence that words a date as a deadline:
        # the best one of the story that carries the question leads, else the best
        # elsewhere that carries it on its own. "When...?" is answered by a sentence that
        # carries the question itself and writes a date (not another document's): a
        # story's other dates are other events'.
        story = ranked[0].evidence.group

        def gives_date(c: Candidate) -> bool:
            if plan.asks_deadline:
                return bool(c.deadlines)
            return c.intent_match and c.support >= min_support

        same_story = [c for c in ranked if gives_date(c) and c.evidence.group == story]
        elsewhere = [c for c in ranked if gives_date(c) and c.support >= min_support]
        first_dated = next(iter(same_story or elsewhere), None)
        if first_dated is not None:
            ranked = [first_dated] + [c for c in ranked if c is not first_dated]
            story_lead = first_dated
    elif plan.intent == "who" and (not ranked[0].intent_match or asked_roles):
        # "Who chaired...?" is answered by a sentence that names someone ("Comrade Bui
        # Duc Hinh ... chaired the meeting"), from the story that carries the question
        # when it has one; the best sentence, naming no one, is its context. "Which
        # police official...?" by one naming someone in that role, when one does.
        story = ranked[0].evidence.group
        naming = [c for c in ranked if c.intent_match and c.support >= min_support]
        in_role = [c for c in naming if asked_roles & roles_named(c.text)]
        naming = in_role or naming
        first_named = next((c for c in naming if c.evidence.group == story), None)
        if first_named is not None:
            ranked = [first_named] + [c for c in ranked if c is not first_named]
            story_lead = first_named
    elif plan.intent == "fact" and "document" in plan.answer_parts:
        # "Which plan number?" is answered by a sentence that names a document of the kind
        # asked, other than those the question names: the best one carrying the question
        # leads, its story's other sentences without one are context.
        documented = next(
            (c for c in ranked if c.support >= min_support and documents_asked(plan, c)), None
        )
        if documented is not None:
            ranked = [documented] + [c for c in ranked if c is not documented]
            story_lead = documented
    if plan.intent in ("fact", "when") and asks_the_deadline_now(plan.question):
        # "Did they push that deadline back? To when?": the sentence of the story carrying
        # the question that moves a deadline gives the one in force.
        story = ranked[0].evidence.group
        moved = next(
            (
                c
                for c in ranked
                if c.evidence.group == story
                and any(d.precision == "day" for d in c.mentioned)
                and moves_a_deadline(c.text)
            ),
            None,
        )
        if moved is not None:
            ranked = [moved] + [c for c in ranked if c is not moved]
            story_lead = moved
    if names_no_one_across_languages(plan, ranked, min_support):
        detail = "no sentence names a person, and the evidence is in another language"
        return refused(RefusalReason.NO_VALUE, detail)
    top = ranked[0].score
    if plan.intent == "commitments":
        pool = [c for c in ranked if c.cue and c.score >= LIST_SHARE_OF_TOP * top]
        if plan.deadline_since or plan.deadline_until:
            # Deadlines in the period first, then pledges that name no deadline at all.
            dated = [c for c in pool if c.deadline_match]
            # An undated pledge must itself name the place: a minister's general call in
            # the same article is not the province's commitment.
            undated = [
                c
                for c in pool
                if not c.deadlines and c.cue == PLEDGE and (c.place or not plan.places)
            ]
            pool = dated + undated
        else:
            pool = [c for c in pool if c.cue == PLEDGE or c.deadlines or c.support >= min_support]
        if not pool:
            return refused(RefusalReason.NO_COMMITMENT, "")
        if roles := roles_named(plan.question):
            # "What deadlines did the Party Secretary set?": not the pledges another
            # official is named making beside them ("Chairman … requested").
            pool = [c for c in pool if not _of_another_official(c, roles)] or pool
        pool = with_following_pledges(plan, pool, ranked)
        limit = MAX_COMMITMENTS
    elif plan.intent in ("list", "comparison"):
        pool = [
            c for c in ranked if c.score >= LIST_SHARE_OF_TOP * top and c.support >= min_support
        ]
        if len(plan.places) > 1 or plan.intent == "comparison":
            # A comparison needs each side, and each side every part asked for.
            sides = side_answers(plan, ranked, min_support, gazetteer)
            quoted = {c.evidence.group for c in sides}
            if plan.answer_type is not None and len(quoted) > 1:
                # Each side's story has given the value compared; its other sentences
                # give other figures. Another story may still tell a side otherwise.
                pool = [c for c in pool if c.evidence.group not in quoted]
            pool = sides + pool
        limit = MAX_LIST_SENTENCES
    else:
        pool = [
            c for c in ranked if c.score >= FACT_SHARE_OF_TOP * top and c.support >= min_support
        ]
        if story_lead is not None and story_lead not in pool:
            # Its story carries the question; its date or value is what is asked.
            pool = [story_lead, *pool]
        limit = MAX_FACT_SENTENCES
    selected = dedupe(pool or ranked[:1], limit)
    if plan.intent in FACT_INTENTS and len(plan.answer_parts) <= 1:
        selected = without_rival_values(plan, selected, gazetteer)
        if plan.asks_deadline and not asks_several_dates(plan.question):
            # "By when": a sentence joining two pledges is quoted by the answering one.
            selected = [answering_clause(plan, c, clause_by_meaning) for c in selected]
        elif plan.answer_type is not None and not plan.several_counts:
            # "How many", "what share": a lead sentence joining two figures is quoted by
            # the clause stating the one asked; the sentences after it are context.
            lead = answering_value_clause(plan, selected[0], clause_by_meaning, gazetteer)
            selected = [lead, *(clause_of_the_period(plan, c) for c in selected[1:])]
    if plan.intent == "who":
        selected = [answering_person_clause(plan, selected[0]), *selected[1:]]
    if "document" in plan.answer_parts and not (plan.doc_numbers and plan.intent == "list"):
        # "Which decision announced the list?": each sentence by its document's part ("which
        # plans did Plan No. 45 replace?" asks every one the sentence lists).
        selected = [answering_document_clause(plan, c) for c in selected]
        if plan.intent == "fact" and (named := documents_asked(plan, selected[0])):
            # The lead names the document asked; a sentence naming another of its kind
            # gives another answer, not the lead's context.
            selected = selected[:1] + [
                c for c in selected[1:] if not documents_asked(plan, c) - named
            ]
    if plan.intent == "comparison" and plan.answer_type is not None:
        # Each side is quoted by its clause of the value compared.
        selected = [
            answering_value_clause(plan, c, None, gazetteer, breakdowns=False) for c in selected
        ]
    if plan.intent in FACT_INTENTS and len(plan.answer_parts) > 1:
        selected = cover_parts(plan, selected, ranked, min_support)
    if plan.intent in FACT_INTENTS and plan.asks_outcome and plan.answer_type is None:
        selected = add_outcomes(selected, ranked)
    if plan.answer_type is not None or plan.intent == "commitments":
        selected = [
            piece for c in selected for piece in without_asides_of_other_times(plan, c, gazetteer)
        ]
    selected = selected[:1] + [
        c
        for c in selected[1:]
        if not another_answer(plan, selected[0], c)
        and not speaks_for_its_city(plan, c, gazetteer)
        and not speaks_for_more_than_the_part(plan, selected[0], c, gazetteer)
        and not of_a_longer_period_than_the_lead(plan, selected[0], c)
        and not of_another_stage(plan, selected[0], c)
        # Beside a lead giving every part asked of what was done, a target is another
        # kind of figure ("đón 5,84 triệu lượt khách …; doanh thu 6.215 tỷ" and "mục tiêu
        # đón 9,2 triệu lượt khách"), as it is beside a one-value lead.
        and not (
            len(plan.answer_parts) > 1
            and plan.intent in FACT_INTENTS
            and selected[0].parts >= set(plan.answer_parts)
            and not pledges(selected[0])
            and of_another_kind(plan, selected[0], c)
        )
    ]
    if plan.compared_period is not None and plan.answer_type is not None:
        selected = with_the_year_before(plan, selected, ranked, min_support)
    return Decision(
        selected,
        False,
        best_support=best_support,
        features=features,
        answer_probability=probability,
    )


def with_the_year_before(
    plan: QueryPlan, selected: list[Candidate], ranked: list[Candidate], min_support: float
) -> list[Candidate]:
    """The answer with the figure of the same period a year earlier, which the question
    asks beside its own ("and a year earlier?", "cùng kỳ năm trước"): the clause stating
    it, from the lead's own sentence ("91,3% (cùng kỳ năm 2024 đạt 78,6%)") or story
    first, else from a sentence carrying the question. Unchanged when the answer already
    gives it or no sentence does."""
    assert plan.compared_period is not None
    since, until = plan.compared_period

    def of_the_year_before(candidate: Candidate) -> bool:
        # A target set for that year ("phấn đấu đến ngày 31/12/2024 đạt 60%") is no figure of it.
        return (
            candidate.states_value
            and candidate.cue != PLEDGE
            and any(overlaps(d, since, until) for d in figure_times(candidate))
        )

    if not selected or any(of_the_year_before(c) for c in selected):
        return selected
    lead = selected[0]

    def holds_the_lead(candidate: Candidate) -> bool:
        return (
            candidate.article.id == lead.article.id
            and candidate.start <= lead.start < candidate.end
        )

    found = [c for c in ranked if of_the_year_before(c)]
    found.sort(key=lambda c: (not holds_the_lead(c), c.evidence.group != lead.evidence.group))
    earlier = next(
        (c for c in found if c.evidence.group == lead.evidence.group or c.support >= min_support),
        None,
    )
    if earlier is None:
        return selected
    if holds_the_lead(earlier):
        # The lead is a clause of this sentence: the words beside it give the year before
        # ("…, đạt 28,6% kế hoạch, cao hơn cùng kỳ năm 2024 (19,7%)").
        aside = _beside(earlier, lead, of_the_year_before)
        return selected if aside is None else [lead, aside, *selected[1:]]
    asked_then = replace(
        plan,
        published_since=since,
        published_until=until,
        event_since=None,
        event_until=None,
        deadline_since=None,
        deadline_until=None,
        as_of_day=None,
        compared_period=None,
    )
    return [lead, clause_of_the_period(asked_then, earlier), *selected[1:]]


def _beside(
    sentence: Candidate, lead: Candidate, wanted: Callable[[Candidate], bool]
) -> Candidate | None:
    """The words of `sentence` before or after its clause `lead` that `wanted` accepts, cut
    to the one part of them it accepts when there is one ("higher than the country's
    (24.1%) and than the same period of 2024 (19.7%)" -> the part of 2024)."""
    for span in ((0, lead.start - sentence.start), (lead.end - sentence.start, len(sentence.text))):
        piece = narrowed_to(sentence, span)
        if piece.text.strip(" ,;.") and wanted(piece):
            parts = (narrowed_to(piece, part) for part in joined_parts(piece.text))
            return next((part for part in parts if wanted(part)), piece)
    return None


def documents_asked(plan: QueryPlan, candidate: Candidate) -> frozenset[str]:
    """The documents the sentence names of the kind the question asks which of (any kind
    when it names none), other than those the question itself names; normalised."""
    named = {doc_number_key(n) for n in plan.doc_numbers}
    kinds = document_kinds_asked(plan.question)
    numbers = {doc_number_key(n) for n, _start, _end in find_doc_numbers(candidate.text)}
    return frozenset(n for n in numbers - named if not kinds or document_kind(n) in kinds)


def _first_figure_asked_of_a_place(plan: QueryPlan, candidate: Candidate) -> int | None:
    """Where the sentence's first figure of the kind asked begins, when the question asks a
    figure of a place and the sentence states one; else None."""
    if not plan.places or plan.answer_type is None or not candidate.states_value:
        return None
    return _first_value(plan.answer_type, candidate)


def speaks_for_its_city(plan: QueryPlan, candidate: Candidate, gazetteer: Gazetteer) -> bool:
    """Whether, for a question about a province and not its city of the same name, the
    sentence's figure is the city's ("Particularly Ha Giang city had 62.3% of records
    settled online" for Ha Giang province)."""
    if asks_its_city(plan, gazetteer):
        return False
    at = _first_figure_asked_of_a_place(plan, candidate)
    if at is None:
        return False
    start, end = clause_at(candidate.text, at)
    asked = {place.key for place in plan.places}
    return bool(gazetteer.cities_named(candidate.text[start:end]) & asked)


def speaks_for_a_part(plan: QueryPlan, candidate: Candidate, gazetteer: Gazetteer) -> bool:
    """Whether, for a question about a province and none of its cities or districts, the
    sentence's figure is a part's: it names a city, town or district by the word for its
    kind before its first figure of the kind asked ("Riêng thành phố Phan Thiết, … đón
    khoảng 5,12 triệu lượt khách, trong đó 565.000 lượt khách quốc tế")."""
    if asks_a_part(plan, gazetteer):
        return False
    at = _first_figure_asked_of_a_place(plan, candidate)
    if at is None:
        return False
    # A city that is a province-level unit ("Hue City", "місто Хайфонг (старе)") is no part
    # of one; a city named after its province is read by `speaks_for_its_city`.
    return any(
        not gazetteer.is_own_name(name, gazetteer.resolve(name) or "")
        for name in part_names(candidate.text[:at])
    )


def speaks_for_more_than_the_part(
    plan: QueryPlan, lead: Candidate, candidate: Candidate, gazetteer: Gazetteer
) -> bool:
    """Whether, beside a lead naming the city or district asked (`asks_a_part`), the
    sentence's figure is the whole province's or another part's: it names not the part."""
    if plan.answer_type is None or not candidate.states_value:
        return False
    if not asks_a_part(plan, gazetteer) or not names_the_part_asked(plan, lead.text, gazetteer):
        return False
    return not names_the_part_asked(plan, candidate.text, gazetteer)


def stated_as_of_another_day(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether the sentence states its figure as of a day far from the one asked ("tính
    đến ngày 31/3/2025, 812.450 tài khoản" for "as of 30 June 2025"): the days it states a
    figure as of, before its first value, lie outside the reach of the day asked, and so
    does every later one ("tính đến ngày 31/12/2025, 318.640 người; đến ngày 28/2/2026
    con số này đạt 486.320" answers "as of 28 February 2026" by its second day)."""
    asked = plan.as_of_day
    if asked is None or plan.answer_type is None:
        return False
    at = _first_value(plan.answer_type, candidate)
    days = [
        d
        for d in candidate.mentioned
        if d.precision == "day" and states_as_of(candidate.text, d.start)
    ]
    return any(at is None or d.start < at for d in days) and not any(
        asked - AS_OF_BEFORE <= d.value <= asked + AS_OF_AFTER for d in days
    )


def speaks_for_a_former(
    plan: QueryPlan, candidate: Candidate, formers: frozenset[str], gazetteer: Gazetteer
) -> bool:
    """Whether the sentence can give the figure of a unit asked as its former self ("the
    old Dak Nong area, now in Lam Dong"): it names one as the owner of a figure of the kind
    asked, or its article is that unit's own from before the merger. Named only among the
    units a merger joined ("after merging Lam Dong, Dak Nong and Binh Thuan, the whole
    province of Lam Dong has 1,028"), it owns no figure. Any other sentence speaks for the
    province its article is about, which for a report after the merger is the unit it
    merged into."""
    # "колишнього Бінь Діня": a spelling no list holds is found by its sound.
    named = sorted(
        gazetteer.find_places(candidate.text) + gazetteer.find_places_by_sound(candidate.text),
        key=lambda place: place[2],
    )
    if any(key in formers for key, *_ in named):
        figures = _figures_asked(plan, candidate)
        return not figures or any(_owner(named, at) in formers for at in figures)
    article = candidate.article
    if not article_in_places(article, tuple(formers), gazetteer):
        return False
    # A unit merged away had no paper of its own after the merger; one that kept its
    # name ("the former Lam Dong") speaks for itself only before it.
    published = vietnam_day(article.published)
    merged_away = all(gazetteer.successor(key) is not None for key in formers)
    return merged_away or (published is not None and published < MERGER_DATE)


def _figures_asked(plan: QueryPlan, candidate: Candidate) -> list[int]:
    """Where each of the sentence's figures of the kind asked begins."""
    if plan.answer_type is None or not candidate.states_value:
        return []
    if plan.answer_type != "count":
        return value_starts(candidate.text, plan.answer_type)
    dates = [(d.start, d.end) for d in candidate.mentioned]
    return [start for start, _end, _words in count_figures(candidate.text, not_figures=dates)]


def _owner(named: list[tuple[str, str, int, int]], at: int) -> str | None:
    """The place a figure at `at` belongs to: the last one named before it, else the
    first after it ("214 products in the former Dak Nong")."""
    before = [key for key, _surface, _start, end in named if end <= at]
    if before:
        return before[-1]
    return next((key for key, _surface, start, _end in named if start >= at), None)


def value_dated_elsewhere(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether the sentence dates the value asked for to another period than the
    question's: a year, quarter or month, or a day the figure is stated as of ("as of 28
    February 2026", "tính đến ngày 31/12/2025"), is named before its first value of that
    kind ("in 2024, 89.6% of applications ...") and none of those is in the asked period.
    A period named after the value is mostly a comparison ("58.3%, up from 49.5% in
    2024"); any other day, mostly when something was said."""
    if plan.answer_type is None or not asks_period(plan):
        return False
    at = _first_value(plan.answer_type, candidate)
    if at is None:
        return False
    periods = [d for d in figure_times(candidate) if d.start < at]
    if not periods or names_the_period(plan, candidate):
        return False
    return not any(overlaps(d, plan.published_since, plan.published_until) for d in periods)


def names_the_period_asked(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether one of the times the sentence dates its figures to lies in the question's
    period."""
    return any(
        overlaps(d, plan.published_since, plan.published_until) for d in figure_times(candidate)
    )


def dated_beyond_the_period(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether every time the sentence dates its figures to within reach of the question's
    period is a longer one holding it: one begun before it ("in 9 months of 2025" for the
    third quarter), or one reaching past its end ("in 2025" for the first half). The first
    months of a year end with the last of them, so "the first 6 months of 2025" is the
    first half's own."""
    since, until = plan.published_since, plan.published_until
    if since is None:
        return False
    times = [d for d in figure_times(candidate) if overlaps(d, since, until)]
    return bool(times) and all(
        d.value < since or (until is not None and period_end(d) > until) for d in times
    )


def a_target_for_another_time(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether, for a question asking what was done in a period, the sentence's figures of
    the kind asked are only a target set for another time ("strive for 80% by 30 September
    2025" for the rate at the end of June; "đến hết năm 2025 đạt 90%" for the third
    quarter's): every such figure stands in a clause with a deadline outside the period. A
    target for the period asked ("by the end of 2025, 70%" for the end of 2025) may answer."""
    if plan.answer_type is None or asks_for_a_target(plan.question):
        return False
    since, until = plan.published_since, plan.published_until
    deadlines = [d for d in candidate.mentioned if d.kind == "deadline"]
    if until is None or not deadlines:
        return False

    def set_for_another_time(at: int) -> bool:
        start, end = clause_at(candidate.text, at)
        own = [d for d in deadlines if start <= d.start < end]
        return bool(own) and not any(
            (since is None or period_end(d) >= since) and period_end(d) <= until for d in own
        )

    starts = _value_starts(plan.answer_type, candidate)
    return bool(starts) and all(set_for_another_time(at) for at in starts)


def _value_starts(kind: AnswerType, candidate: Candidate) -> list[int]:
    """Where each of the sentence's values of the kind asked begins; for a count, each run
    of digits not part of a date."""
    if kind != "count":
        return value_starts(candidate.text, kind)
    undated = blanked(candidate.text, [(d.start, d.end) for d in candidate.mentioned])
    return [match.start() for match in re.finditer(r"(?<!\d)\d", undated)]


def of_another_run_of_months(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether, for a question asking the first months of a year ("6 tháng đầu năm 2024",
    "the first nine months"), every time the sentence dates its figures to within reach
    is another run of first months of that year ("8 tháng năm 2024"): a running total
    to another day, which is no answer."""
    since, until = plan.published_since, plan.published_until
    if since is None or until is None or (since.month, since.day) != (1, 1):
        return False
    if until >= date(since.year, 12, 31):
        return False  # the whole year, of which such a run is only a part
    times = [d for d in figure_times(candidate) if overlaps(d, since, until)]
    return bool(times) and all(
        d.last is not None and d.value == since and d.last != until for d in times
    )


def of_a_longer_period_than_the_lead(
    plan: QueryPlan, lead: Candidate, candidate: Candidate
) -> bool:
    """Whether, beside a lead dating its figure to the period asked itself ("riêng quý
    III/2025, 83,1%"), the sentence's figure is of a longer period holding it ("9 tháng
    năm 2025 đạt 78,6%"): another answer, not the lead's context."""
    if plan.answer_type is None or not candidate.states_value or not asks_period(plan):
        return False
    if plan.intent not in FACT_INTENTS:
        return False  # a comparison's or a list's sides may each have a period of their own
    since, until = plan.published_since, plan.published_until
    if since is None or until is None:
        return False
    # The lead's own time is a span of the period asked (a day is a point in it, no span).
    of_the_period = any(
        d.precision != "day" and d.value >= since and period_end(d) <= until
        for d in figure_times(lead)
    )
    return of_the_period and dated_beyond_the_period(plan, candidate)


def of_another_stage(plan: QueryPlan, lead: Candidate, candidate: Candidate) -> bool:
    """Whether, beside a lead stating the stage of work asked ("started 17,420 units"),
    the sentence states only another stage ("completed 8,964 units"): another answer."""
    asked = stages_named(plan.question)
    if not asked or plan.answer_type is None or not candidate.states_value:
        return False
    if plan.intent not in FACT_INTENTS:
        return False
    other = stages_named(candidate.text)
    return bool(stages_named(lead.text) & asked) and bool(other) and not other & asked


def figure_times(candidate: Candidate) -> list[MentionedDate]:
    """The times the sentence may date its figures to: its years, quarters and months, and
    a day only when a figure is stated as of it ("as of 28 February 2026"); any other day
    is mostly when something was said. A sentence going on from the one before it and
    naming no time is of that one's times (`Candidate.lead_times`)."""
    own = [
        d
        for d in candidate.mentioned
        if d.precision != "day" or states_as_of(candidate.text, d.start)
    ]
    return own or candidate.lead_times


def _first_value(kind: AnswerType, candidate: Candidate) -> int | None:
    """Where the sentence's first value of the kind asked for begins (`_value_starts`)."""
    return next(iter(_value_starts(kind, candidate)), None)


def speaks_for_the_country(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether, for a question about a place, the sentence speaks of the whole country
    instead: its figure of the kind asked is the country's ("Nationwide, 59.7%", "the
    common target of the whole country is 30%"), or, for a question asking no figure, it
    opens on the country and does not name the place (a pledge "five months earlier than
    the country's target" is the province's)."""
    if not plan.places:
        return False
    if plan.answer_type is None:
        return not candidate.place and country_wide_at(candidate.text, 0)
    if not candidate.states_value:
        return False
    # Every figure of the kind asked is the country's: "the province reached 0.4312, below
    # the national average of 0.4926" gives the province's beside it.
    starts = value_starts(candidate.text, plan.answer_type)
    if not starts:
        digit = re.search(r"\d", candidate.text)
        starts = [digit.start() if digit else 0]
    return all(country_wide_at(candidate.text, at) for at in starts)


def another_answer(plan: QueryPlan, lead: Candidate, candidate: Candidate) -> bool:
    """Whether a sentence beside the lead answers another question: beside a place's own
    figures, the country's; beside what the person the question names said or was asked
    to do, another person's; beside an index's figures, another index's; beside the
    present, a figure of an earlier time or plan."""
    return of_another_person(plan, lead, candidate) or answers_another_question(plan, candidate)


def answers_another_question(plan: QueryPlan, candidate: Candidate) -> bool:
    """`another_answer` read without a lead: the country's figure for a place's, another
    index's, an earlier time's or plan's (a sentence opening on the past that names the
    period asked is of it: "Previously, the PAR INDEX 2024 of Hue reached 91.05 points")."""
    return (
        speaks_for_the_country(plan, candidate)
        or of_another_index(plan, candidate)
        or (
            candidate.states_value
            and opens_on_the_past(candidate.text)
            and not names_the_period(plan, candidate)
        )
    )


def of_another_kind(plan: QueryPlan, lead: Candidate, candidate: Candidate) -> bool:
    """Whether a sentence beside a one-value lead gives another kind of figure than the
    lead: a target with its deadline beside what was done, unless targets are asked
    ("90% by 30 June 2025" beside "79.2% activated"), and what was done beside the target
    asked ("312 stations installed in 9 months" beside "the target for the end of 2024 is
    450"); a total since the programme began beside a period's figure ("287,640 in all"
    beside "94,300 in 2024")."""
    if not candidate.states_value:
        return False
    target_asked = asks_for_a_target(plan.question)
    if pledges(candidate) and not pledges(lead) and not target_asked:
        return True
    if target_asked and pledges(lead) and not pledges(candidate):
        return True
    return (
        asks_period(plan)
        and is_cumulative(candidate.text)
        and not names_the_period(plan, candidate)
        and not is_cumulative(lead.text)
    )


def pledges(candidate: Candidate) -> bool:
    """Whether the sentence sets a target: it names a deadline, or its words pledge ("the
    province's target for 2021–2025 is 3,600 km", "phấn đấu đạt")."""
    return bool(candidate.deadlines) or candidate.cue == PLEDGE


def of_another_index(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether the question names a ranking index (PAR INDEX) and the sentence's figures
    of the kind asked are others' ("Along with PAR INDEX, the SIPAS ranked 52/63"), or,
    asking no kind of figure, the sentence names only others."""
    asked = indexes_named(plan.question)
    if not asked:
        return False
    if plan.answer_type is not None:
        owners = indexes_of_values(candidate.text, value_starts(candidate.text, plan.answer_type))
        if owners:
            return not asked & owners
    named = indexes_named(candidate.text)
    return bool(named) and not asked & named


def of_another_person(plan: QueryPlan, lead: Candidate, candidate: Candidate) -> bool:
    """Whether the sentence names someone else than the lead sentence, when the question
    names the lead's person ("by when must Bui Duc Minh report?") or asks who: one person
    answers "who"."""
    person = find_person(lead.text)
    if person is None or (plan.intent != "who" and fold(person) not in fold(plan.question)):
        return False
    other = find_person(candidate.text)
    return other is not None and fold(other) != fold(person)


def published_outside(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether the sentence's article was published outside the period the question
    names, with the slack retrieval gives it (a report of a period follows it)."""
    published = candidate.article.published
    if not asks_period(plan) or published is None:
        return False
    return not within(published.date(), *question_window(plan))


def without_rival_values(
    plan: QueryPlan, selected: list[Candidate], gazetteer: Gazetteer | None = None
) -> list[Candidate]:
    """A question asking for one value is answered by the lead's value. A sentence that
    states a value of that kind is a rival answer when it is not from the question's
    period: it dates its value to another period ("in 2024, 89.6% ..."), or it is another
    story's, published outside the period (the old plan's budget for "after the merger"),
    or it counts another thing than the question ("54 commune-level units" next to "13
    districts" for "how many districts").
    For a "by when" question another story's deadline is a rival answer (another task's);
    for a "when" question, a sentence whose only dates are other documents' ("Plan 09
    dated 12 August, replacing Plan 151" for "when was Plan 151 issued").
    So is one giving the figure of a province merged with the one asked, which the question
    does not name (the former provinces' beside the new one's; `gazetteer` reads them), and
    one giving the whole new province's when a former one is asked.
    They are left out; the lead's story's other sentences stay as its context."""
    asks_date = plan.intent == "when" and not plan.asks_deadline
    if not selected or not (plan.answer_type or plan.asks_deadline or asks_date):
        return selected
    lead = selected[0]
    formers = formers_asked(plan, gazetteer) if gazetteer is not None else frozenset()

    def rival(candidate: Candidate) -> bool:
        other_story = candidate.evidence.group != lead.evidence.group
        if asks_date:
            # Once the lead dates what is asked, another sentence's date is another
            # event's ("the committee met on 4 November to carry the plan out").
            return bool(candidate.mentioned) and (not candidate.intent_match or lead.intent_match)
        if plan.answer_type is not None:
            return candidate.states_value and (
                speaks_for_the_country(plan, candidate)
                or value_dated_elsewhere(plan, candidate)
                or (other_story and published_outside(plan, candidate))
                or counts_something_else(plan, candidate)
                or allocated_beside_disbursed(plan, candidate)
                or clearly_outweighed(lead, candidate)
                or compares_with_the_period_asked(plan, candidate)
                or (
                    gazetteer is not None
                    and names_merged_units_not_asked(plan, candidate, gazetteer)
                )
                or (
                    gazetteer is not None
                    and bool(formers)
                    and not speaks_for_a_former(plan, candidate, formers, gazetteer)
                )
            )
        return other_story and bool(candidate.deadlines)

    return [lead] + [c for c in selected[1:] if not rival(c) and not of_another_kind(plan, lead, c)]


def names_merged_units_not_asked(
    plan: QueryPlan, candidate: Candidate, gazetteer: Gazetteer
) -> bool:
    """Whether the sentence names a province merged on 1 July 2025 together with one the
    question asks about (into it, or with it into another) that the question does not
    name: "the old Ben Tre 58.3%, the old Tra Vinh 61.2%" beside the new Vinh Long's rate.
    One naming a former province asked about among them gives its figure too."""
    asked = {place.key for place in plan.places}
    named = gazetteer.places_named(candidate.text)
    if any(gazetteer.successor(key) for key in named & asked):
        return False  # a former province asked about, named among the others
    family: set[str] = set()
    for key in asked:
        new = gazetteer.successor(key) or key
        family |= {new, *gazetteer.predecessors(new)}
    return bool((named & family) - asked)


def clearly_outweighed(lead: Candidate, candidate: Candidate) -> bool:
    """Whether a sentence beside a lead that states the value asked carries the question
    clearly less than the lead (`RIVAL_SUPPORT_MARGIN`): its value of that kind is then
    another figure of the story, not a second reading of the answer. Support is only
    compared within one language: across languages meaning alone is read, and lower."""
    return (
        lead.states_value
        and lead.article.lang == candidate.article.lang
        and lead.support - candidate.support >= RIVAL_SUPPORT_MARGIN
    )


def allocated_beside_disbursed(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether, for a question asking what was disbursed, the sentence gives money that
    was not paid out (the year's plan, the amount allocated): another answer."""
    return (
        plan.answer_type == "money"
        and speaks_of_disbursement(plan.question)
        and not speaks_of_disbursement(candidate.text)
    )


# How far apart two sentences may start and end to be read as one after the other.
ADJACENT_GAP = 3


def looks_ahead(candidate: Candidate) -> bool:
    """Whether the sentence names a deadline or a period still ahead when it was
    published ("in the fourth quarter of 2025" in an October report)."""
    if candidate.deadlines:
        return True
    published = candidate.article.published
    return published is not None and any(
        period_end(d) > published.date() for d in candidate.mentioned
    )


def _of_another_official(candidate: Candidate, roles: frozenset[str]) -> bool:
    """Whether the sentence names officials, none in a role the question asks."""
    named = roles_named(candidate.text)
    return bool(named) and not named & roles


def with_following_pledges(
    plan: QueryPlan, pool: list[Candidate], ranked: list[Candidate]
) -> list[Candidate]:
    """The pledges, each followed by the sentence right after it in its article when that
    one looks ahead too: a list of tasks goes on over sentences whose words are the
    tasks', not the question's ("The provincial data centre must be completed before
    December 31, 2025." after the Party Secretary's first demand). With a deadline
    asked, it must fall in the period."""
    by_article: dict[str, list[Candidate]] = {}
    for candidate in ranked:
        by_article.setdefault(candidate.article.id, []).append(candidate)
    following: dict[int, Candidate] = {}
    for sentences in by_article.values():
        sentences.sort(key=lambda c: c.start)
        for one, two in zip(sentences, sentences[1:], strict=False):
            if 0 <= two.start - one.end <= ADJACENT_GAP:
                following[id(one)] = two
    asks_deadline_period = bool(plan.deadline_since or plan.deadline_until)
    roles = roles_named(plan.question)
    joined: list[Candidate] = []
    for candidate in pool:
        joined.append(candidate)
        after = following.get(id(candidate))
        if (
            after is not None
            and after not in pool
            and after not in joined
            and looks_ahead(after)
            and (after.deadline_match or not asks_deadline_period)
            # Pledges asked of one official do not go on to another's ("Chairman … requested").
            and not (roles and _of_another_official(after, roles))
        ):
            joined.append(after)
    return joined


def add_outcomes(selected: list[Candidate], ranked: list[Candidate]) -> list[Candidate]:
    """What an event decided or discussed is told over several sentences of its report:
    the answer's story's next best sentences join it."""
    lead = selected[0]
    floor = OUTCOME_SHARE_OF_TOP * lead.score
    for candidate in ranked:
        if len(selected) >= MAX_OUTCOME_SENTENCES:
            break
        same_story = candidate.evidence.group == lead.evidence.group
        if same_story and candidate.score >= floor and candidate not in selected:
            selected.append(candidate)
    return dedupe(selected, MAX_OUTCOME_SENTENCES)


def cover_parts(
    plan: QueryPlan, selected: list[Candidate], ranked: list[Candidate], min_support: float
) -> list[Candidate]:
    """The answer with a sentence added for each part of the question it leaves open
    ("When was the session and who chaired it?" needs a date and a person): the best one
    that gives it from the story of the answer, else one that carries the question."""
    lead_group = selected[0].evidence.group
    # The parts of one question are about one event: a sentence of another story that
    # gives a part the answer's story gives is about another event ("the first session
    # after the merger", chaired by someone else).
    story_parts = {p for c in ranked if c.evidence.group == lead_group for p in c.parts}
    asked = story_parts & set(plan.answer_parts)
    selected = [selected[0]] + [
        c for c in selected[1:] if c.evidence.group == lead_group or not (c.parts & asked)
    ]
    for part in plan.answer_parts:
        if any(part in c.parts for c in selected):
            continue
        # The answer's story already carries the question; from another story a
        # sentence must carry it on its own.
        giving = [c for c in ranked if part in c.parts]
        if part == "count":
            giving = counting_first(plan, giving)
        same_story = [c for c in giving if c.evidence.group == lead_group]
        elsewhere = [c for c in giving if c.support >= min_support]
        givers = same_story or elsewhere
        if givers and givers[0] not in selected:
            selected.append(givers[0])
    return selected


def side_answers(
    plan: QueryPlan, ranked: list[Candidate], min_support: float, gazetteer: Gazetteer
) -> list[Candidate]:
    """The sentences that answer for each side of a comparison or list: each place the
    question names (a sentence naming it, or from an article about it) or, with one place
    or none ("the first and the second session"), each of the best stories. A side leads
    with its best sentence that states the value asked for, then gets the other parts
    from the same story."""
    meetings = sorted(asked_meetings(plan))
    if len(plan.places) > 1:
        sides = [
            [
                c
                for c in ranked
                if place.key in gazetteer.places_named(c.text)
                or article_about(c.article, place.key, plan, gazetteer)
            ]
            for place in plan.places
        ]
    elif len(meetings) > 1:
        # "The first and the second session": each side is the report of one of them.
        cache: dict[str, set[int]] = {}
        sides = [
            [c for c in ranked if meeting in _reported_meetings(c.article, cache)]
            for meeting in meetings
        ]
    else:
        stories = [c.evidence.group for c in ranked if c.support >= min_support]
        sides = [
            [c for c in ranked if c.evidence.group == group]
            for group in list(dict.fromkeys(stories))[:COMPARISON_SIDES]
        ]
    # Each side's own period, when the question gives each place one (by side, else None).
    own_periods = {key: (since, until) for key, since, until in plan.side_periods}
    periods = [own_periods.get(place.key) for place in plan.places] if own_periods else []
    answers: list[Candidate] = []
    # A side named in the question (a place, a meeting) is asked about in half of it: when
    # none of its sentences carries the whole question, those that carry a little less do.
    named_sides = len(plan.places) > 1 or len(meetings) > 1
    floor = min_support * NAMED_SIDE_SUPPORT_SHARE if named_sides else min_support
    for number, side in enumerate(sides):
        carrying = [c for c in side if c.support >= min_support] or [
            c for c in side if c.support >= floor
        ]
        typed = [c for c in carrying if c.states_value] if plan.answer_type else []
        typed = counting_first(plan, typed) if plan.answer_type == "count" else typed
        period = periods[number] if number < len(periods) else None
        if asks_period(plan):
            # A total since the programme began ("accumulated to date, 4,322 FDI projects")
            # answers a side's figure of the period asked last.
            typed.sort(key=lambda c: is_a_total_to_date(plan, c))
        if period is not None:
            # Each side asked of its own period: a figure of it first, one of no time next.
            typed.sort(key=lambda c: _dated_for(c, *period))
        if plan.answer_type and not typed:
            # No sentence that carries the question states the value: lead from a story
            # of the side that states it elsewhere, so the value joins from that story.
            valued = {c.evidence.group for c in side if c.states_value}
            carrying = [c for c in carrying if c.evidence.group in valued] or carrying
        if not (typed or carrying):
            continue
        lead = (typed or carrying)[0]
        for candidate in cover_parts(plan, [lead], side, min_support):
            if candidate not in answers:
                answers.append(candidate)
    return answers


def _dated_for(candidate: Candidate, since: date | None, until: date | None) -> int:
    """0 for a sentence dating its figures within the period, 1 for one naming no time
    for them, 2 for one dating them only elsewhere ("as of 10 November 2024" for the first
    10 months of 2024)."""
    times = figure_times(candidate)
    if not times:
        return 1
    return 0 if any(overlaps(d, since, until) for d in times) else 2


def counts_something_else(plan: QueryPlan, lead: Candidate) -> bool:
    """Whether the best sentence that states a count for a count question counts another
    thing: "how many members does the committee have" is not answered by "57 tasks".
    `counting_first` put any sentence naming what is asked first, so the lead names it
    unless none does. Only a sentence read in the question's language (itself or its
    story's version) can be told not to name it: across languages the words differ."""
    if plan.answer_type != "count" or not plan.counted or len(plan.answer_parts) > 1:
        # With another kind of value asked too ("how many tasks and what funding"), the
        # lead may state that one.
        return False
    return in_language(base_language(plan.language), lead) and not names_counted(
        plan.counted, f"{lead.text}\n{lead.sibling or ''}"
    )


def names_no_one_across_languages(
    plan: QueryPlan, ranked: list[Candidate], min_support: float
) -> bool:
    """Whether a "who" question is carried only by sentences in another language than
    its own that name no person. Across languages the question's words cannot be looked
    for, so support rests on meaning alone, which a sentence about the same meeting
    earns without saying who was there; a sentence that names no one does not answer
    "who". (In the question's language, topic words still weigh in, and a sentence
    naming a post, "the Chairman", may answer.)"""
    if plan.intent != "who":
        return False
    carrying = [c for c in ranked if c.support >= min_support]
    language = base_language(plan.language)
    readable = any(in_language(language, c) for c in carrying)
    return bool(carrying) and not readable and not any(c.intent_match for c in carrying)


def counting_first(plan: QueryPlan, candidates: list[Candidate]) -> list[Candidate]:
    """For a count question, the sentences that name what it counts come first ("how
    many tasks" is answered by "112 key tasks", not by "54 communes" of the same story),
    then those that cannot be read for it, in another language than the question's, and
    last those read and found to count something else; the order is kept otherwise. A
    sentence is read in the question's language where its story has that version."""
    if not plan.counted:
        return candidates
    language = base_language(plan.language)
    naming = [c for c in candidates if names_counted(plan.counted, f"{c.text}\n{c.sibling or ''}")]
    unread = [c for c in candidates if c not in naming and not in_language(language, c)]
    return naming + unread + [c for c in candidates if c not in naming and c not in unread]


def article_about(article: IndexedArticle, key: str, plan: QueryPlan, gazetteer: Gazetteer) -> bool:
    """Whether the article is about the place `key` of the question (merged units
    counting from the merger on, as in `qa.retrieve.place_keys_for`)."""
    place = next(p for p in plan.places if p.key == key)
    single = replace(plan, places=(place,))
    return article_in_places(article, place_keys_for(single, article, gazetteer), gazetteer)


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
