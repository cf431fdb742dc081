"""The clause of a sentence that answers a one-value question.

A sentence often joins two pledges or two figures ("70% of adults by 31 December 2025, and
all fishing vessels by 30 June 2026"; "cleaned 1.2 million records, digitised 615,000
civil status records"). Quoted whole, it answers "by when must the vessels use logbooks?"
with both dates, and the reader cannot tell which is the answer. Such a sentence is cut at
its joints into clauses that each state a value of the kind asked for; the clause sharing
the most words with the question is quoted, when one shares more than every other. When
words cannot choose (a sentence in another language than the question's, with no version
in it), meaning may: the clause clearly closer to the question than every other, by the
embedder's `ClauseChooser`. The quote stays an exact span of the article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Literal

from facts.doc_numbers import doc_number_key, find_doc_numbers
from facts.provinces import MERGER_DATE
from index.mentions import find_dates, overlaps, period_end
from index.models import MentionedDate
from qa.align import base_language, in_language
from qa.answer_type import (
    DOCUMENT_WORDS,
    blanked,
    count_figures,
    document_kind,
    document_kinds_asked,
    measures_asked,
    names_counted,
    scores_in_per_cent,
    states_answer_type,
    value_starts,
)
from qa.candidates import Candidate
from qa.gazetteer import Gazetteer, names_a_city, names_a_part
from qa.lexicon import (
    PLEDGE,
    asks_for_a_target,
    asks_the_original_deadline,
    commitment_strength,
    content_tokens,
    country_wide_at,
    find_person,
    indexes_named,
    indexes_of_values,
    moves_a_deadline,
    names_an_earlier_plan,
    names_the_country,
    stages_named,
    stem,
)
from qa.models import QueryPlan
from qa.retrieve import asks_period

# Which of a sentence's clauses answers the question by meaning, if one clearly does.
ClauseChooser = Callable[[Sequence[str]], int | None]

# Where one clause ends and the next begins: a semicolon, or a comma (followed by a space,
# so "1,2 triệu" stays whole), or a conjunction joining two clauses.
# The words joining two clauses as "and" does.
_AND = r"and|và|а|и|і|та|et"
_JOINT = re.compile(
    r"\s*;\s+|,\s+(?:(?:and|but|while|và|còn|а|и|і|й|та|et|mais)\s+)?"
    rf"|\s+(?:{_AND})\s+"
    # Chinese writes its commas and semicolons without a space after them.
    r"|；|，",
    re.IGNORECASE,
)


def _states_value(plan: QueryPlan, text: str, reference: date | None) -> bool:
    dates = find_dates(text, reference=reference)
    if plan.asks_deadline or plan.answer_type is None:
        return bool(dates)
    if plan.answer_type == "count":
        # A date's or a document number's digits are not a count ("as of 25/3/2024,
        # 896,350 accounts"; "Plan 215-KH/TU"); durations and measures are left to
        # `states_answer_type`.
        spans = [(d.start, d.end) for d in dates]
        spans += [(start, end) for _n, start, end in find_doc_numbers(text)]
        text = blanked(text, spans)
    return states_answer_type(
        text,
        plan.answer_type,
        plan.counted,
        per_cent_scores=scores_in_per_cent(plan.question),
        measured=measures_asked(plan.question),
    )


def clauses(plan: QueryPlan, sentence: str, reference: date | None = None) -> list[tuple[int, int]]:
    """The sentence cut at its joints into clauses (offsets in the sentence) that each
    state a value of the kind asked for; the words between values join the clause before
    them (a clause without a value is part of its neighbour's). `reference`, the date the
    sentence was published, reads dates written without a year ("from January 1")."""

    def states(part: str) -> bool:
        return _states_value(plan, _without_inner_comparisons(part), reference)

    def opens_a_valued_clause(joint: str, rest: str) -> bool:
        # After a comma or an "and", what follows up to the next semicolon must state a
        # value of its own: "1 236 кадрів і державних службовців …; 412 працівників" joins
        # a pair of nouns, and the 412 belongs to the next clause.
        return states(
            rest if ";" in joint or "；" in joint else re.split("[;；]", rest, maxsplit=1)[0]
        )

    return _cut_where_both_sides(
        sentence, _JOINT, states, opens_a_valued_clause, reference=reference
    )


def _without_inner_comparisons(part: str) -> str:
    """The part without the figures it is compared with: "social allowances are paid
    into bank accounts, higher than the 91.8% of the former Ha Nam" states no value of
    its own. A comparison opening the part, after a word or two at most ("higher than
    46.2% in 2024", "що значно вище за ціль 15%"), is a clause of its own."""
    return blanked(
        part,
        [
            (m.start(), m.end())
            for m in _ABOVE_OR_BELOW.finditer(part)
            if len(part[: m.start()].split()) > _OPENING_WORDS
        ],
    )


# How many words may come before a comparison that opens its own clause.
_OPENING_WORDS = 2


def _stems(text: str) -> set[str]:
    return {stem(t) for t in content_tokens(text)}


def _syllable_pairs(text: str) -> set[str]:
    """Adjacent syllables: most Vietnamese words have two, so a lone syllable matches by
    chance ("đạo" of "chỉ đạo", steering, and of "lãnh đạo", leaders)."""
    tokens = [stem(t) for t in content_tokens(text)]
    return {f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)}


def _shared_words(question: set[str], text: str) -> int:
    return len(question & _stems(text))


def _moved_deadline_clause(
    plan: QueryPlan, candidate: Candidate, spans: list[tuple[int, int]]
) -> int | None:
    """Of "must be completed before 30 September 2025; now the committee moved the deadline
    to 30 November 2025", the clause moving it: the deadline in force; the other one when
    the question asks the deadline first set."""
    moving = [moves_a_deadline(candidate.text[a:b]) for a, b in spans]
    if moving.count(True) != 1:
        return None
    if asks_the_original_deadline(plan.question):
        dated = [
            i
            for i, (a, b) in enumerate(spans)
            if not moving[i] and any(a <= d.start < b for d in candidate.mentioned)
        ]
        return _the_only(dated)
    return moving.index(True)


def _the_only_deadline(candidate: Candidate, spans: list[tuple[int, int]]) -> int | None:
    """Of clauses each naming a date, the one clause whose date is worded as a deadline
    ("issued Plan No. 121/KH-UBND dated 2 April 2025, shortening the deadline to 31 August
    2025"): a document's date says when it was issued, not by when."""
    kinds = [{d.kind for d in candidate.mentioned if a <= d.start < b} for a, b in spans]
    if not all(kinds):
        return None
    return _the_only([i for i, named in enumerate(kinds) if "deadline" in named])


def _best_clause(plan: QueryPlan, sentence: str, spans: list[tuple[int, int]]) -> int | None:
    """The index of the clause sharing the most words with the question, if only one does."""
    question = _stems(plan.question)
    shared = [_shared_words(question, sentence[a:b]) for a, b in spans]
    best = max(shared)
    return shared.index(best) if best and shared.count(best) == 1 else None


def joined_parts(text: str) -> list[tuple[int, int]]:
    """The text cut at every joint ("; ", ", ", " and ", "và"), whatever each part states,
    never inside a date."""
    return _cut_where_both_sides(text, _JOINT, lambda _part: True)


def narrowed_to(candidate: Candidate, span: tuple[int, int]) -> Candidate:
    """The candidate cut to `span` of its text, trimmed of the punctuation and spaces at its
    ends, with the dates it mentions there (offsets into the clause): a date of the words
    cut away is no longer the clause's."""
    a, b = span
    while a < b and candidate.text[a] in " ,;:":
        a += 1
    return _narrowed(candidate, (a, b))


def _narrowed(candidate: Candidate, span: tuple[int, int]) -> Candidate:
    """The candidate cut to `span` of its text, with the dates it mentions there (offsets
    into the clause): a date of the words cut away is no longer the clause's."""
    a, b = span
    text = candidate.text[a:b].rstrip(" .;,")
    mentioned = [
        replace(d, start=d.start - a, end=d.end - a)
        for d in candidate.mentioned
        if a <= d.start and d.end <= a + len(text)
    ]
    return replace(
        candidate,
        start=candidate.start + a,
        end=candidate.start + a + len(text),
        text=text,
        mentioned=mentioned,
        # The deadlines the clause itself writes ("by 30 June 2026", not the next pledge's).
        deadlines=[
            day
            for day in candidate.deadlines
            if any(day in (d.value, period_end(d)) for d in mentioned)
        ],
    )


def answering_clause(
    plan: QueryPlan, candidate: Candidate, by_meaning: ClauseChooser | None = None
) -> Candidate:
    """The candidate narrowed to the clause that answers the question; unchanged when it
    states one value, or when no clause shares more of the question's words than the
    others (in its own words or its version's in the question's language) and, for a
    sentence not in the question's language, `by_meaning` chooses none."""
    spans = clauses(plan, candidate.text, _published(candidate))
    if len(spans) < 2:
        return candidate
    chosen = _moved_deadline_clause(plan, candidate, spans)
    if chosen is None:
        chosen = _the_only_deadline(candidate, spans)
    if chosen is None:
        chosen = _best_clause(plan, candidate.text, spans)
    if chosen is None and candidate.sibling:
        # In another language than the question's, the words are read in the story's
        # version in the question's language, cut into as many clauses in the same order.
        sibling_spans = clauses(plan, candidate.sibling, _published(candidate))
        if len(sibling_spans) == len(spans):
            chosen = _best_clause(plan, candidate.sibling, sibling_spans)
    if chosen is None and by_meaning is not None:
        chosen = _chosen_by_meaning(plan, candidate, spans, by_meaning)
    return candidate if chosen is None else _narrowed(candidate, spans[chosen])


def answering_value_clause(
    plan: QueryPlan,
    candidate: Candidate,
    by_meaning: ClauseChooser | None = None,
    gazetteer: Gazetteer | None = None,
    *,
    breakdowns: bool = True,
) -> Candidate:
    """The lead of a one-value answer narrowed to the clause that states the value asked
    for; unchanged when no clause clearly does. Read in order: the clause naming the
    document asked about; the one naming the place asked about, of a sentence giving
    each place its figure ("63.9% in Nam Dinh, 70.4% in Ha Nam", read by `gazetteer`);
    the one not about the whole country, of a place's figure beside the country's;
    the one naming the period asked about ("52.3% in 2024, up from
    27.8% in 2023" for "in 2023"); for a figure broken down ("3,420 registered, of which
    2,150 completed"), the part whose own words the question uses, else the whole (across
    languages with no version to read, the one meaning clearly prefers); last,
    for a sentence in another language than the question's with no version in it,
    meaning (`by_meaning`). A comparison's side compares wholes (`breakdowns=False`).
    The question's words alone mislead for a value: "104 communes
    and wards, of which 64 in the former Thai Binh" shares its words with "how many
    communes and wards" in the wrong clause, so they are read only against a breakdown."""
    spans = clauses(plan, candidate.text, _published(candidate))
    if len(spans) < 2:
        counted = _of_the_thing_counted(plan, candidate)
        return candidate if counted is None else narrowed_to(candidate, counted)
    chosen = _the_only(_with_document(plan, candidate, spans))
    if chosen is None:
        chosen = _the_only(_of_the_index(plan, candidate.text, spans))
    if chosen is None and not in_language(base_language(plan.language), candidate):
        # Across languages, of a count added and the total it brings, the total answers
        # a count asked, whatever the period or meaning would pick.
        chosen = _the_total_raised(plan, candidate.text, spans)
    if chosen is None and gazetteer is not None and plan.places:
        by_place = _place_clause(plan, candidate, spans, gazetteer)
        if by_place == "whole":
            return candidate
        chosen = by_place
    if (
        chosen is None
        and gazetteer is not None
        and (plan.places or gazetteer.parts_named(plan.question))
    ):
        # "The whole province 72.5%; Thai Nguyen city 81.3%": the city's clause when the
        # question asks the city named after its province, else not that one.
        chosen = _city_clause(plan, candidate.text, spans, gazetteer)
    if chosen is None:
        # "20% of GRDP, while the country's common target is 30% of GDP", "25%, far above
        # the 15% of the previous plan": the clause of this place and this plan.
        other = [
            (bool(plan.places) and _speaks_for_the_country(plan, candidate.text, (a, b)))
            or names_an_earlier_plan(candidate.text[a:b])
            for a, b in spans
        ]
        if any(other):
            chosen = _the_only([i for i, another in enumerate(other) if not another])
    if chosen is None and plan.as_of_day is not None:
        # "As of 20 August": the one clause dated to that very day, beside one dated to
        # another time ("Năm 2025, thành phố bố trí 1.286 tỷ đồng …; đến ngày 20/8/2025 mới
        # giải ngân được 407 tỷ đồng"). A day opening the sentence dates every clause.
        on_the_day = [
            any(
                d.precision == "day" and d.value == plan.as_of_day and a <= d.start < b
                for d in candidate.mentioned
            )
            for a, b in spans
        ]
        timed_otherwise = [
            not on_the_day[i] and any(a <= d.start < b for d in candidate.mentioned)
            for i, (a, b) in enumerate(spans)
        ]
        if any(timed_otherwise):
            chosen = _the_only([i for i, on in enumerate(on_the_day) if on])
    if chosen is None:
        # "How much had been disbursed by then?" of "in 2025 the city allocated 512.9
        # billion; by September, 287.3 billion had been disbursed": two stages of one
        # piece of work, each its own clause, whatever periods they name.
        chosen = _of_the_stage_asked(plan, candidate.text, spans, contrasted=True)
    if chosen is None and any(_time_asked(plan)):
        # In the question's language the words of an untimed clause may be what is asked;
        # across languages, a period named is better evidence than meaning.
        own_language = in_language(base_language(plan.language), candidate)
        times = _times_by_clause(candidate, spans, at_least=2 if own_language else 1)
        if times is not None:
            # The sentence times its clauses: the one of the period asked answers; with
            # none of it, the one untimed beside clauses all of other times (the story's
            # own figure beside a target: "87.3% have accounts; the target by the end of
            # 2025 is 90%"), else the sentence stays whole whatever meaning would say;
            # with several, the breakdown below may still tell.
            in_period = _in_period(plan, times)
            if not in_period:
                untimed = _the_only([i for i, named in enumerate(times) if not named])
                return candidate if untimed is None else _narrowed(candidate, spans[untimed])
            chosen = _the_only(in_period)
            if chosen is None:
                chosen = _the_only([i for i in in_period if _all_within(plan, times[i])])
            if chosen is None and not asks_for_a_target(plan.question):
                # "Đến hết tháng 4/2025 … đạt 91,36%, trong khi mục tiêu năm 2025 là 94%":
                # what was reached, not the target, when none is asked.
                chosen = _the_only(
                    [
                        i
                        for i in in_period
                        if commitment_strength(candidate.text[slice(*spans[i])]) != PLEDGE
                    ]
                )
            if chosen is None:
                # "7 tháng năm 2025 đạt 64,2%; riêng tháng 7/2025 đạt 68,9%" for the first
                # seven months: the clause of the whole period, not of a part of it.
                chosen = _the_only([i for i in in_period if _the_whole_period(plan, times[i])])
    if chosen is None and plan.deadline_until and asks_for_a_target(plan.question):
        # "What share was it to reach by the end of 2024?": of "68.5% as of 30 September,
        # while the target for the end of 2024 is 80%", the clause of that deadline.
        times = _times_by_clause(candidate, spans, at_least=1)
        if times is not None:
            chosen = _the_only(
                [
                    i
                    for i, named in enumerate(times)
                    if any(period_end(d) == plan.deadline_until for d in named)
                ]
            )
    if chosen is not None:
        return _narrowed(candidate, spans[chosen])
    counted = _of_the_thing_counted(plan, candidate)
    if counted is not None:
        return narrowed_to(candidate, counted)
    # "How many homes were finished?": of "started 1,943 houses, completed 1,388", the
    # clause of the stage asked, in any of the papers' languages (a breakdown's own reading
    # first: "3,420 registered, of which 2,150 completed" is cut at "of which").
    of_stage = _of_the_stage_asked(plan, candidate.text, spans)
    split = _breakdown_at(candidate.text) if breakdowns else None
    if split is not None:
        part = _breakdown_part(plan, candidate, gazetteer)
        if part is None and by_meaning is not None:
            # No words to read in the question's language: meaning, when it clearly
            # prefers the whole or the part.
            sides = [(0, split[0]), (split[1], _part_end(candidate.text, split[1]))]
            picked = by_meaning([candidate.text[a:b] for a, b in sides])
            part = None if picked is None else sides[picked]
        if part is None and of_stage is not None:
            return _narrowed(candidate, spans[of_stage])
        return candidate if part is None else _narrowed(candidate, part)
    if of_stage is not None:
        return _narrowed(candidate, spans[of_stage])
    if in_language(base_language(plan.language), candidate):
        own = _by_own_words(plan, candidate.text, spans)
        return candidate if own is None else _narrowed(candidate, own)
    if by_meaning is None:
        return candidate
    if any(_time_asked(plan)) and _times_by_clause(candidate, spans, at_least=1) is not None:
        return candidate  # timed clauses the period could not choose between
    chosen = by_meaning([candidate.text[a:b] for a, b in spans])
    return candidate if chosen is None else _narrowed(candidate, spans[chosen])


# Where one person's part of a sentence naming several ends: "Comrade A, Head of the
# Committee; Comrade B, Deputy Head". (A comma also ends a name before its title.)
_PERSON_JOINT = re.compile(r"\s*;\s+")
# How many more of the question's words the part of the person or document asked shares
# than any other.
CLEAR_CLAUSE_MARGIN = 2


def answering_person_clause(plan: QueryPlan, candidate: Candidate) -> Candidate:
    """The lead of a "who" answer narrowed to the part naming the person whose role the
    question's words name, when the sentence names several people each with their role
    ("Le Tan Phat, ..., Head of the Steering Committee; Cao Thi My Hanh, ..., Deputy
    Head" for "who heads the steering committee"); unchanged when words cannot tell."""
    spans = _cut_where_both_sides(
        candidate.text, _PERSON_JOINT, lambda part: bool(find_person(part))
    )
    return _narrowed_clearly(plan, candidate, spans)


def answering_document_clause(plan: QueryPlan, candidate: Candidate) -> Candidate:
    """A sentence naming two documents, each with what it does ("Plan No. 45/KH-UBND on
    digital transformation and Decision No. 1502/QĐ-UBND announcing 1,042 procedures"),
    narrowed to the part of the document whose doing the question's words name, for a
    question asking which document; unchanged when words cannot tell."""

    # Two documents side by side: the second one opens its part ("..., and Decision No.
    # 1502") or a clause of its own after a semicolon ("; the People's Committee issued
    # Decision No. 386"); one the first replaces or carries out ("replacing Plan No. 151")
    # is part of the first one's.
    def opens_another(joint: str, rest: str) -> bool:
        own_clause = rest.split(";", 1)[0]
        return bool(find_doc_numbers(own_clause)) and bool(
            _DOCUMENT_OPENS.match(rest) or ";" in joint
        )

    spans = _cut_where_both_sides(
        candidate.text, _JOINT, lambda part: bool(find_doc_numbers(part)), opens_another
    )
    kinds = document_kinds_asked(plan.question)
    if len(spans) > 1 and kinds:
        # "Which plan?": the part naming a plan, when one part alone does (a document the
        # question names, "to implement Resolution 57", is not the one asked).
        named = {doc_number_key(n) for n in plan.doc_numbers}
        of_kind = [
            i
            for i, (a, b) in enumerate(spans)
            if any(
                document_kind(number) in kinds and doc_number_key(number) not in named
                for number, _s, _e in find_doc_numbers(candidate.text[a:b])
            )
        ]
        chosen = _the_only(of_kind)
        if chosen is not None:
            return _narrowed(candidate, spans[chosen])
    return _narrowed_clearly(plan, candidate, spans)


_DOCUMENT_OPENS = re.compile(rf"(?:the\s+)?(?:{DOCUMENT_WORDS})", re.IGNORECASE)


_BRACKETED = re.compile(r"\([^()]*\)")


def _cut_where_both_sides(
    sentence: str,
    joints: re.Pattern[str],
    names: Callable[[str], bool],
    opens: Callable[[str, str], bool] | None = None,
    *,
    reference: date | None = None,
) -> list[tuple[int, int]]:
    """The sentence cut at the joints where the part before names something (a value, a
    person, a document) and everything after names another (`opens`, given the joint and
    what follows it: another begins there); never inside a date ("May 31, 2025", read
    with `reference` for dates without a year), nor inside brackets ("38 sản phẩm OCOP
    (gồm 9 sản phẩm 4 sao và 29 sản phẩm 3 sao)": what the figure is made of)."""
    dates = [(d.start, d.end) for d in find_dates(sentence, reference=reference)]
    dates += [(m.start(), m.end()) for m in _BRACKETED.finditer(sentence)]
    spans: list[tuple[int, int]] = []
    start = 0
    for joint in joints.finditer(sentence):
        if any(a < joint.start() < b for a, b in dates):
            continue
        rest = sentence[joint.end() :]
        if names(sentence[start : joint.start()]) and (
            opens(joint.group(0), rest) if opens else names(rest)
        ):
            spans.append((start, joint.start()))
            start = joint.end()
    spans.append((start, len(sentence)))
    return spans


def _narrowed_clearly(
    plan: QueryPlan, candidate: Candidate, spans: list[tuple[int, int]]
) -> Candidate:
    """The candidate narrowed to the part sharing clearly more of the question's words
    than any other: titles and topics share words by chance ("the Department of Science"
    with a question on science)."""
    if len(spans) < 2:
        return candidate
    words = _syllable_pairs if base_language(plan.language) == "vi" else _stems
    question = words(plan.question)
    shared = sorted(
        ((len(question & words(candidate.text[a:b])), i) for i, (a, b) in enumerate(spans)),
        reverse=True,
    )
    (best, chosen), (second, _) = shared[0], shared[1]
    if best - second < CLEAR_CLAUSE_MARGIN:
        return candidate
    return _narrowed(candidate, spans[chosen])


# A bracketed aside: "25% of GRDP (in 2024 estimated at 9.7%)".
_ASIDE = re.compile(r"\s*\(([^()]*)\)")
_COMPARISON = (
    r",?\s*(?<!\w)(?:compared\s+(?:with|to)|up\s+from|down\s+from|so\s+với|по\s+сравнению\s+с"
    r"|в\s+сравнении\s+с|порівняно\s+з|у\s+порівнянні\s+з|par\s+rapport\s+à|contre)(?!\w)"
)
# A comparison with another time's figure, up to the end of its clause: ", compared with
# 37.4% achieved in 2024", ", up from 49.5% in 2024", "so với 21,7% năm 2023".
_COMPARED = re.compile(_COMPARISON + r"([^;()]*)", re.IGNORECASE)
# The same comparison giving its figures in brackets after the time compared with: "up
# 14 places compared to 2023 (63.72 points, ranked 44/63)", "so với năm 2022 (xếp thứ 47/63)".
_COMPARED_IN_BRACKETS = re.compile(_COMPARISON + r"([^;()]*\([^()]*\))", re.IGNORECASE)
_NUMBER = re.compile(r"\d(?:[\d.,  ]*\d)?")


# A deadline the sentence's own replaced, up to the end of its clause: ", 6 months later
# than the deadline of 31 December 2025 set in Plan No. 88", "что на 6 месяцев позже срока
# 31 декабря 2025 года", "thay vì ngày 30/9/2025", "instead of 30 September 2025".
_CLAUSE_TAIL = r"((?:(?!,\s+(?:and|while|và|còn|а|и|і|та|et)\s)[^;()])*)"
_REPLACED_DEADLINE = re.compile(
    r",?\s*(?<!\w)(?:(?:(?:which|that)\s+is\s+|что\s+|що\s+)?(?:на\s+)?(?:\d+\s+\w+\s+)?"
    r"(?:later|earlier|позже|позднее|раньше|пізніше|раніше|muộn\s+hơn|chậm\s+hơn|sớm\s+hơn"
    r"|plus\s+tard|plus\s+tôt)\s+(?:than\s+|so\s+với\s+|que\s+)?(?:the\s+)?(?:original\s+)?"
    r"(?:deadline|срока|срок|строку|строк|терміну|термін|thời\s+hạn|mốc|hạn|l['’]échéance|la\s+date)"
    r"|instead\s+of|thay\s+vì|вместо|замість|au\s+lieu\s+d[eu])(?!\w)" + _CLAUSE_TAIL,
    re.IGNORECASE,
)


def compares_with_the_period_asked(plan: QueryPlan, candidate: Candidate) -> bool:
    """Whether the sentence names the question's period only as what its figure is
    compared with ("Huế đạt 89,61%, xếp thứ 4/63, tăng 4 bậc so với năm 2023" for 2023):
    its own figure is of another time."""
    since, until = plan.published_since, plan.published_until
    if since is None and until is None:
        return False
    named = [d for d in candidate.mentioned if d.precision != "day" and overlaps(d, since, until)]
    compared = _bare_comparisons(candidate)
    return bool(named) and all(any(a <= d.start < b for a, b in compared) for d in named)


def _bare_comparisons(candidate: Candidate) -> list[tuple[int, int]]:
    """Where the sentence compares its figure with a time and gives no figure of that time
    ("up 16% compared to 2023"): that time dates no figure of the sentence. One giving the
    figure compared with ("up from 49.5% in 2024", "so với năm 2023 (15/63, 0,5524 điểm)")
    states that time's figure itself."""
    text = candidate.text
    undated = blanked(text, [(d.start, d.end) for d in candidate.mentioned])
    return [
        (m.start(), m.end())
        for m in _COMPARED.finditer(text)
        if not _COMPARED_IN_BRACKETS.match(text, m.start())
        and not _NUMBER.search(undated[m.start() : m.end()])
    ]


# A comparison with a figure above or below the one stated, up to its clause's end: ",
# higher than the 46.2% of the former Tuyen Quang", "что выше уровня 91,8% бывшей
# провинции Ханам", "cao hơn mức 46,2% của tỉnh Tuyên Quang cũ".
_ABOVE_OR_BELOW = re.compile(
    r",?\s*(?<!\w)(?:(?:which\s+is\s+|that\s+is\s+)?(?:higher|lower|greater|less|more)\s+than"
    r"|above|below|(?:что|що)\s+(?:выше|ниже|вище|нижче)|выше|ниже|вище|нижче"
    r"|cao\s+hơn|thấp\s+hơn|supérieur\w*\s+à|inférieur\w*\s+à)(?!\w)"
    r"((?:(?!,\s+(?:and|while|và|còn|trong\s+khi|а|и|і|та|et)\s)[^;()])*)",
    re.IGNORECASE,
)
# A unit merged away, named as such: "the former Ha Nam", "tỉnh Tuyên Quang cũ".
_FORMER = re.compile(
    # "cu": "cũ" typed without diacritics; no word of the papers' languages is spelled so.
    r"(?<!\w)(?:former|old|cũ|cu|бывш\w*|прежн\w*|колишн\w*|старо\w*"
    r"|стар(?:ый|ий|ая|а|ую|у|ое|е|ої|ій|ые|і|их|ым|им)|ancien\w*)(?!\w)"
    # Not a former district or commune ("колишніх повітів Хинг Єн": the districts were
    # done away with, the province is asked as it is).
    # "район" is as often the area of a former province ("колишніх районів Хошиміна").
    r"(?!\s+(?:districts?|communes?|huyện|xã|уезд\w*|повіт\w*|коммун\w*|комун\w*"
    r"|district-level|cấp\s+huyện|рівня\s+повіт\w*|уровня\s+уезд\w*))",
    re.IGNORECASE,
)
# A unit formed on 1 July 2025, named as such: "the new Dak Lak", "Đắk Lắk mới", "новой
# провинции Даклак".
_NEW = re.compile(
    r"(?<!\w)(?:new|mới|нов(?:ая|ой|ую|ый|ого|ом|ое|а|ий|ої|у|ому|е)|nouvel(?:le)?)(?!\w)",
    re.IGNORECASE,
)
# How far before or after a place's name its "former" may stand ("бывшей провинции Ханам").
_FORMER_BEFORE, _FORMER_AFTER = 24, 8


def _qualified(pattern: re.Pattern[str], text: str, start: int, end: int) -> bool:
    """Whether the place named at text[start:end] is qualified by `pattern` ("former",
    "new") standing close before or after it."""
    around = text[max(0, start - _FORMER_BEFORE) : end + _FORMER_AFTER]
    return pattern.search(around) is not None


@lru_cache(maxsize=256)
def _named_so(question: str, gazetteer: Gazetteer, pattern: re.Pattern[str]) -> frozenset[str]:
    """The places the question names with `pattern` ("new", "former", an area's word)
    close to them: read once per question, not for every sentence scored. A word
    standing between two places goes with the nearer: in "khu vực Bình Định cũ (nay thuộc
    tỉnh Gia Lai)" the "cũ" is Bình Định's, and Gia Lai is named as what it is now; one
    before or after them all goes with each ("the old An Giang and Kien Giang")."""
    places = gazetteer.find_places(question)
    qualified: set[str] = set()
    for word in pattern.finditer(question):
        near = [
            (start, end, key)
            for key, _surface, start, end in places
            if word.start() < end + _FORMER_AFTER and word.end() > start - _FORMER_BEFORE
        ]
        before = [(word.start() - end, key) for start, end, key in near if end <= word.start()]
        after = [(start - word.end(), key) for start, end, key in near if start >= word.end()]
        if before and after:
            qualified.add(min(before + after)[1])
        else:
            qualified.update(key for _start, _end, key in near)
    return frozenset(qualified)


def units_asked_as_new(plan: QueryPlan, gazetteer: Gazetteer) -> frozenset[str]:
    """The places asked about that took others in on 1 July 2025 and are asked about as
    the unit formed then: named "new" ("Khánh Hòa mới", even of a year before it, whose
    figure is reckoned for the new territory), or asked since the merger by a question
    that names nothing "former". Their former selves of the same name ("Khánh Hòa cũ")
    are other places."""
    merged = {place.key for place in plan.places if gazetteer.predecessors(place.key)}
    if not merged:
        return frozenset()
    after = _FORMER.search(plan.question) is None and not (
        plan.published_until is not None and plan.published_until < MERGER_DATE
    )
    if after:
        return frozenset(merged)
    return frozenset(merged) & _named_so(plan.question, gazetteer, _NEW)


# The area of a unit merged away, named as such: "the Hai Duong part of the new Hai
# Phong", "what used to be Yen Bai", "khu vực Bình Dương", "в районе Хайзыонга".
_AREA = re.compile(
    # "Nam Dinh is part of the merged province" names what it is now, not an area asked.
    r"(?<!\w)(?:(?<!\bis\s)(?<!\bwas\s)(?<!\bnow\s)(?<!\ba\s)part|area|used\s+to\s+be"
    r"|khu\s+v[ựu]c|địa\s+bàn|dia\s+ban|район\w*|территори\w*|районі|територі\w*|zone"
    r"|partie)(?!\w)",
    re.IGNORECASE,
)
# A former unit asked "together with" the one it merged into, or with "the whole province"
# it is now in, is a part of the whole asked.
_TOGETHER = re.compile(
    r"(?<!\w)(?:together\s+with|along\s+with|including|cùng\s+với|kể\s+cả|gồm\s+cả"
    r"|вместе\s+с|включая|разом\s+(?:із|з)|включно\s+з|y\s+compris"
    # "Yên Bái cũ giờ thuộc Lào Cai thì toàn tỉnh có bao nhiêu xã": the whole it is in.
    r"|(?:the\s+)?(?:whole|entire)\s+(?:new\s+)?province|toàn\s+tỉnh|toan\s+tinh"
    # "Lào Cai và Yên Bái (cũ) cộng lại": the two summed, the whole they make up.
    r"|cộng\s+lại|gộp\s+lại|combined|в\s+сумме|в\s+совокупности|разом\s+узят\w*|сукупно"
    r"|(?:всей|всю|вся)\s+(?:новой\s+|новую\s+)?провинци\w*|(?:всієї|всій|усієї|усій)\s+"
    r"(?:нової\s+|новій\s+)?провінці\w*)(?!\w)",
    re.IGNORECASE,
)


def formers_asked(plan: QueryPlan, gazetteer: Gazetteer) -> frozenset[str]:
    """The places the question names as their former selves ("the former Quang Nam",
    "Hà Nam cũ", "бывшей провинции Куангнам"), or as the area of a unit merged away
    ("the Hai Duong part of the new Hai Phong"). None when they are asked as the whole
    they make up: together with the unit they merged into ("Dong Thap, together with the
    former Tien Giang"), or every unit merged into one ("the former Ca Mau and Bac Lieu")."""
    if _TOGETHER.search(plan.question):
        return frozenset()
    asked = frozenset(place.key for place in plan.places)
    areas = {
        key
        for key in _named_so(plan.question, gazetteer, _AREA)
        if gazetteer.successor(key) is not None
    }
    formers = asked & (_named_so(plan.question, gazetteer, _FORMER) | areas)
    wholes = {gazetteer.successor(key) or key for key in formers}
    if any({whole, *gazetteer.predecessors(whole)} <= formers for whole in wholes):
        return frozenset()
    return formers


def _of_another_place(
    plan: QueryPlan, compared: str, gazetteer: Gazetteer, asks_country: bool
) -> bool:
    """Whether a comparison's words give the figure of somewhere not asked about: the
    country (unless asked), or provinces none of which is asked. A province asked about
    as the unit formed on 1 July 2025 is not its former self of the same name ("the
    former Tuyen Quang")."""
    if names_the_country(compared):
        return not asks_country
    named = gazetteer.find_places(compared)
    asked = {place.key for place in plan.places}
    as_new = units_asked_as_new(plan, gazetteer)

    def another(key: str, start: int, end: int) -> bool:
        if key not in asked:
            return True
        return key in as_new and _qualified(_FORMER, compared, start, end)

    return bool(named) and all(another(key, start, end) for key, _s, start, end in named)


def without_asides_of_other_times(
    plan: QueryPlan, candidate: Candidate, gazetteer: Gazetteer | None = None
) -> list[Candidate]:
    """The candidate without its asides giving a figure of another time, in brackets or as
    a comparison (", compared with 37.4% achieved in 2024"): a time outside the period
    asked, or, with none asked, one before the article's day (the past beside a pledge:
    "by 2030, the digital economy will account for 25% of GRDP (in 2024 estimated at
    9.7%)"). The parts before and after such an aside are quoted apart, the latter only
    when it states a figure of its own ("26.8 billion in 2024 (in 2023, 19.2 billion); 9.4
    billion disbursed so far"). With `gazetteer`, a comparison with somewhere else's
    figure is an aside too ("58.4%, higher than the 46.2% of the former Tuyen Quang")."""
    published = _published(candidate)
    language = candidate.article.lang

    def figures_of_another_time(aside: str) -> int:
        return _figures_of_another_time(plan, aside, language, published)

    text = candidate.text
    asks_country = names_the_country(plan.question)
    # A bracket after the country's name gives the country's figure ("higher than the
    # national average (about 18.3%)"): an aside too, unless the country is asked about.
    cuts = [
        (match.start(), match.end())
        for match in _ASIDE.finditer(text)
        if figures_of_another_time(match.group(1))
        or (
            not asks_country and _figures_in(match.group(1), []) and _after_the_country(text, match)
        )
    ]
    # A comparison is cut only when it gives just the one figure it compares with: up to
    # its clause's end it may go on to other figures of the answer's own. Its figures in
    # brackets are all its own.
    cuts += [
        (match.start(), match.end())
        for match in _COMPARED.finditer(text)
        if figures_of_another_time(match.group(1)) == 1
    ]
    cuts += [
        (match.start(), match.end())
        for match in _COMPARED_IN_BRACKETS.finditer(text)
        if figures_of_another_time(match.group(1))
    ]
    if gazetteer is not None:
        # "58.4%, higher than the 46.2% of the former Tuyen Quang": the other place's
        # figure is an aside (`gazetteer` reads which places are named).
        cuts += [
            (match.start(), match.end())
            for match in _ABOVE_OR_BELOW.finditer(text)
            if _figures_in(match.group(1), [])
            and _of_another_place(plan, match.group(1), gazetteer, asks_country)
        ]
    if not asks_the_original_deadline(plan.question):
        # "…by 30 June 2026, 6 months later than the deadline of 31 December 2025": the
        # deadline replaced is no longer one, unless the question asks it.
        cuts += [
            (match.start(), match.end())
            for match in _REPLACED_DEADLINE.finditer(text)
            if find_dates(match.group(0), language, reference=published)
        ]
    kept: list[tuple[int, int]] = []
    for cut in sorted(cuts, key=lambda c: (c[0], -c[1])):
        if not any(a <= cut[0] < b for a, b in kept):
            kept.append(cut)
    cuts = kept
    if not cuts:
        return [candidate]
    spans: list[tuple[int, int]] = []
    start = 0
    for cut_start, cut_end in cuts:
        spans.append((start, cut_start))
        start = cut_end
    spans.append((start, len(candidate.text)))
    # A part after an aside starts at its first word (", 9.4 billion disbursed so far").
    spans = [(a + len(text[a:b]) - len(text[a:b].lstrip(" ,;:–—-")), b) for a, b in spans]

    def states_its_own(part: str) -> bool:
        # A pledge's part states its own deadline ("; eliminate all dead zones by 31
        # October 2026"); any other part, a figure.
        dates = find_dates(part, language, reference=published)
        return bool(_figures_in(part, dates) or (plan.intent == "commitments" and dates))

    pieces = [
        _narrowed(candidate, (a, b))
        for i, (a, b) in enumerate(spans)
        if i == 0 or states_its_own(text[a:b])
    ]
    return [piece for piece in pieces if piece.text.strip(" .;,")]


def _after_the_country(text: str, bracket: re.Match[str]) -> bool:
    """Whether the bracket follows words naming the whole country, with no figure or
    other bracket between them ("higher than the national average (about 18.3%)")."""
    before = text[: bracket.start()]
    last = max((m.end() for m in re.finditer(r"[\d)]", before)), default=0)
    return names_the_country(before[last:])


def _figures_in(text: str, dates: Sequence[MentionedDate]) -> int:
    """How many figures the text states apart from its dates."""
    return len(_NUMBER.findall(blanked(text, [(d.start, d.end) for d in dates])))


def _figures_of_another_time(
    plan: QueryPlan, aside: str, language: str | None, published: date | None
) -> int:
    """How many figures the aside states, when it states them for another time than the
    one asked (see `without_asides_of_other_times`); 0 otherwise."""
    dates = find_dates(aside, language, reference=published)
    times = [d for d in dates if d.precision != "day"]
    figures = _figures_in(aside, dates)
    if not times or not figures:
        return 0
    if asks_period(plan):
        other = not any(overlaps(d, plan.published_since, plan.published_until) for d in times)
    else:
        other = published is not None and all(period_end(d) < published for d in times)
    return figures if other else 0


def asks_its_city(plan: QueryPlan, gazetteer: Gazetteer) -> bool:
    """Whether the question asks a province's city of the same name ("Thai Nguyen city
    specifically"), not the province."""
    return bool(gazetteer.cities_named(plan.question) & {place.key for place in plan.places})


def _speaks_for_the_country(plan: QueryPlan, sentence: str, span: tuple[int, int]) -> bool:
    """Whether the clause at `span` speaks for the whole country: it names the country and
    does not hold the sentence's first figure of the kind asked away from the country's
    words ("33,87 балла, что ниже среднего по стране в 36,05 балла; провинция заняла 41-е
    место" gives the province's rank beside the country's score)."""
    a, b = span
    clause = sentence[a:b]
    if not names_the_country(clause):
        return False
    starts = value_starts(sentence, plan.answer_type) if plan.answer_type else []
    if not starts or not a <= starts[0] < b:
        return True
    return country_wide_at(clause, starts[0] - a)


def asks_a_part(plan: QueryPlan, gazetteer: Gazetteer) -> bool:
    """Whether the question asks a city, town or district inside a province ("in Vi Thanh
    city (Hau Giang)", "Ca Mau city itself"), not the province."""
    return asks_its_city(plan, gazetteer) or bool(gazetteer.parts_named(plan.question))


def names_the_part_asked(plan: QueryPlan, text: str, gazetteer: Gazetteer) -> bool:
    """Whether the text names the city, town or district the question asks (`asks_a_part`),
    in any script: a province's city of the same name only with the word for a city."""
    if asks_its_city(plan, gazetteer) and gazetteer.cities_named(text) & {
        place.key for place in plan.places
    }:
        return True
    return names_a_part(text, gazetteer.parts_named(plan.question))


def _city_clause(
    plan: QueryPlan, sentence: str, spans: list[tuple[int, int]], gazetteer: Gazetteer
) -> int | None:
    """Of clauses one of which is the figure of a province's city of the same name, that
    one for a question asking the city, the only other one for a question asking the
    province; of clauses one of which names another city, town or district the question
    asks ("город Витхань достиг 88,6%, город Нгабай — 84,1%"), that one; None when the
    city is not named or the clauses cannot tell."""
    if gazetteer.parts_named(plan.question):
        return _the_only(
            [
                i
                for i, (a, b) in enumerate(spans)
                if names_the_part_asked(plan, sentence[a:b], gazetteer)
            ]
        )
    asked = {place.key for place in plan.places}
    of_city = [bool(gazetteer.cities_named(sentence[a:b]) & asked) for a, b in spans]
    if not any(of_city):
        return None
    if asks_its_city(plan, gazetteer):
        return _the_only([i for i, city in enumerate(of_city) if city])
    # The province's own clause names no city at all ("…; Pho Yen city reached 76%").
    return _the_only([i for i, (a, b) in enumerate(spans) if not names_a_city(sentence[a:b])])


def _place_clause(
    plan: QueryPlan, candidate: Candidate, spans: list[tuple[int, int]], gazetteer: Gazetteer
) -> int | Literal["whole"] | None:
    """Of a sentence giving places their figures clause by clause, the clause of the place
    asked; "whole" when its clauses are the asked province's and its former parts', to be
    quoted together; None when the places cannot tell."""
    named = _places_by_clause(plan, candidate, spans, gazetteer)
    # A place the question names as its former self ("the former Quang Nam, now in Da
    # Nang") is asked about on its own: its clause answers. Two or more are asked
    # together ("the old An Giang and Kien Giang in total").
    formers = formers_asked(plan, gazetteer)
    formers = formers if len(formers) == 1 else frozenset()
    # Its clause answers even after clauses naming no place, which speak for the whole
    # province ("toàn tỉnh có 486.320 người, trong đó khu vực tỉnh Bạc Liêu cũ có 214.905");
    # the clauses after the one naming it are still its own ("the old Ha Giang had
    # identified 52 tasks and completed 17").
    naming_former = [i for i, keys in enumerate(named) if keys & formers]
    if len(naming_former) == 1 and naming_former[0] > 0:
        return naming_former[0]
    # The units merged into a province asked about: a unit merged away is not made of its
    # successor ("the former Tien Giang's rank" is its own clause).
    parts = {
        key
        for place in plan.places
        for key in place.covers
        if key in gazetteer.predecessors(place.key)
    }
    several = sum(1 for keys in named if keys) > 1
    if not formers and several and any(keys & parts for keys in named):
        return "whole"
    # A unit merged into one asked about as the new unit is named as its part ("after the
    # merger with Phu Yen, ... the new Dak Lak"): its clause is a part's figure.
    as_new = units_asked_as_new(plan, gazetteer)
    merged_in = {old for key in as_new for old in gazetteer.predecessors(key)}
    asked = {place.key for place in plan.places} - merged_in
    if not formers and merged_in:
        # "Уся провінція сформувала 1047 груп; до реорганізації … 2055 груп (старий Анзянг
        # 1113 груп, старий Кьєнзянг 942 групи)": beside clauses naming only its former
        # units, the one naming no place is the new unit's own.
        of_formers = merged_in | {f"former:{key}" for key in as_new}
        naming = [keys for keys in named if keys]
        if naming and all(keys <= of_formers for keys in naming):
            unnamed = _the_only([i for i, keys in enumerate(named) if not keys])
            if unnamed is not None:
                return unnamed
    return _by_place(formers or asked, named)


def _places_by_clause(
    plan: QueryPlan, candidate: Candidate, spans: list[tuple[int, int]], gazetteer: Gazetteer
) -> list[set[str]]:
    """The places each clause names. A place asked about as the unit formed on 1 July
    2025 and named here as its former self ("trong đó Khánh Hòa cũ 12,6%") is another
    place, kept apart as "former:<key>"."""
    as_new = units_asked_as_new(plan, gazetteer)
    named: list[set[str]] = [set() for _ in spans]
    for key, _surface, start, end in gazetteer.find_places(candidate.text):
        if key in as_new and _qualified(_FORMER, candidate.text, start, end):
            key = f"former:{key}"
        for i, (a, b) in enumerate(spans):
            if a <= start < b:
                named[i].add(key)
    return named


def _by_place(asked: set[str] | frozenset[str], named: list[set[str]]) -> int | None:
    """The only clause naming a place `asked` about, when other clauses name other
    places (`named`, per clause): a figure per place."""
    if sum(1 for keys in named if keys) < 2:
        return None
    return _the_only([i for i, keys in enumerate(named) if keys & asked])


def clause_of_the_period(plan: QueryPlan, candidate: Candidate) -> Candidate:
    """A sentence beside the answer narrowed to its clause of the period asked, when its
    clauses name different times ("25.3% in nine months of 2025; in 2024, 22.7%" for
    "in 2025"); unchanged otherwise."""
    if not asks_period(plan):
        return candidate
    spans = clauses(plan, candidate.text, _published(candidate))
    times = _times_by_clause(candidate, spans, at_least=2) if len(spans) > 1 else None
    if times is None:
        return candidate
    chosen = _the_only(_in_period(plan, times))
    return candidate if chosen is None else _narrowed(candidate, spans[chosen])


def _by_own_words(
    plan: QueryPlan, sentence: str, spans: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """Of clauses joined side by side ("14 projects under construction with 6,870
    apartments; only 2 with 1,146 apartments completed and handed over"), the one that
    alone has two or more of the question's words (or one of what it counts) while every
    other has none of its own.
    A clause listing what the one before is made of ("…, including 103 communes") stays
    with it: it is no figure of its own."""
    merged: list[tuple[int, int]] = []
    listing = False  # a composition goes on to the sentence's end ("gồm 103 xã và 20 phường")
    for a, b in spans:
        listing = listing or bool(merged and _COMPOSITION.match(sentence, a))
        if listing:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    if len(merged) < 2:
        return None
    question = _stems(plan.question)
    words = [_stems(sentence[a:b]) for a, b in merged]
    own = [
        question & (w - set().union(*(o for j, o in enumerate(words) if j != i)))
        for i, w in enumerate(words)
    ]
    asked = [i for i, shared in enumerate(own) if shared]
    # One word of its own is enough when it is a word of what the question counts
    # ("điện gió có 15 dự án với công suất 854 MW" beside "điện mặt trời … 2.991 MW").
    counted = {stem(word) for word in plan.counted}
    if len(asked) == 1 and (len(own[asked[0]]) >= 2 or own[asked[0]] & counted):
        return merged[asked[0]]
    return None


# A clause listing what the figure before it is made of.
_COMPOSITION = re.compile(
    r"(?:including|consisting\s+of|gồm|bao\s+gồm|в\s+том\s+числе|у\s+тому\s+числі|включая"
    r"|зокрема|dont|soit)(?!\w)",
    re.IGNORECASE,
)


def _with_document(
    plan: QueryPlan, candidate: Candidate, spans: list[tuple[int, int]]
) -> list[int]:
    """The clauses naming the document asked about, read in any language ("Plan
    215-KH/TU with 73 tasks; 19 done so far" for "how many tasks does Plan 215 set")."""
    wanted = {doc_number_key(n) for n in plan.doc_numbers}
    return [
        i
        for i, (a, b) in enumerate(spans)
        if wanted
        and wanted & {doc_number_key(n) for n, _s, _e in find_doc_numbers(candidate.text[a:b])}
    ]


def _of_the_index(plan: QueryPlan, sentence: str, spans: list[tuple[int, int]]) -> list[int]:
    """The clauses whose figures are the ranking index's asked about, when the clauses'
    figures are different indexes' ("SIPAS 80.52%, 52/63; while PAPI 43.91 points,
    29/63" for PAPI)."""
    asked = indexes_named(plan.question)
    if not asked or plan.answer_type is None:
        return []
    owners = [
        indexes_of_values(sentence[a:b], value_starts(sentence[a:b], plan.answer_type))
        for a, b in spans
    ]
    if len({index for index in owners if index}) < 2:
        return []
    return [i for i, owned in enumerate(owners) if owned & asked]


# A clause bringing a count to its new total ("nâng tổng số sản phẩm OCOP toàn tỉnh lên 227
# sản phẩm", "bringing the total to 227", "доведя общее число до 227").
_TOTAL_RAISED = re.compile(
    r"nâng\s+tổng\s+số|(?:bringing|raising|taking)\s+the\s+total|to\s+a\s+total\s+of"
    r"|довед\w*\s+общ\w*|доводя\s+общ\w*|довівши\s+загальн\w*|доводячи\s+загальн\w*"
    r"|portant\s+le\s+(?:total|nombre)|总数",
    re.IGNORECASE,
)
# A question asking what was added, not the total ("how many were newly recognised",
# "công nhận thêm bao nhiêu", "сколько ещё").
_ASKS_WHAT_WAS_ADDED = re.compile(
    r"\b(?:newly|additional|added|more)\b|(?<!\w)(?:thêm|mới\s+được|thành\s+lập\s+mới"
    r"|mới\s+thành\s+lập|ещё|еще|додатков\w*|нових|новых)(?!\w)|\bde\s+plus\b|新增"
    # "new digital technology firms", not "the new Hai Phong" or "the new province".
    r"|\bnew\b(?!\s+(?-i:[A-Z])|\s+(?:provinces?|city|cities|units?|communes?|wards?"
    r"|administrative|two-tier|local))",
    re.IGNORECASE,
)


def _the_total_raised(plan: QueryPlan, sentence: str, spans: list[tuple[int, int]]) -> int | None:
    """Of a count added and the total it brings ("công nhận thêm 38 sản phẩm …, nâng tổng
    số sản phẩm OCOP toàn tỉnh lên 227 sản phẩm"), the clause of the total, unless the
    question asks what was added. Read where the question's words cannot be: in its own
    language a sentence giving both ("added 44 tasks, bringing the total to 112") stays
    whole."""
    if plan.answer_type != "count" or _ASKS_WHAT_WAS_ADDED.search(plan.question):
        return None
    raising = [i for i, (a, b) in enumerate(spans) if _TOTAL_RAISED.search(sentence, a, b)]
    return raising[0] if len(raising) == 1 and raising[0] > 0 else None


def _of_the_thing_counted(plan: QueryPlan, candidate: Candidate) -> tuple[int, int] | None:
    """For a count, the span of the one figure counting what the question counts among
    figures counting other things ("129 đơn vị hành chính cấp xã, gồm 97 xã và 32 phường"
    for "bao nhiêu phường"; "1.148 tổ công nghệ số cộng đồng với 6.930 thành viên" for
    "bao nhiêu tổ"), cut at the joints between it and them; of several counting it, the
    one whose own words the question shares ("1,204 full-process online services and 532
    partial online services"). Read in the question's language only; None when a figure
    may count the same thing by another word ("2 951 дом" for "сколько домов"), or when
    nothing else is counted."""
    if plan.answer_type != "count" or not plan.counted:
        return None
    if not in_language(base_language(plan.language), candidate):
        return None
    text = candidate.text
    # The dates scoring read in the sentence, and its document numbers, are no counts.
    not_figures = [(d.start, d.end) for d in candidate.mentioned]
    not_figures += [(start, end) for _n, start, end in find_doc_numbers(text)]
    figures = count_figures(text, plan.counted, measures_asked(plan.question), not_figures)
    verdicts = [_counts_the_thing(plan.counted, words) for _a, _b, words in figures]
    asked = [i for i, verdict in enumerate(verdicts) if verdict]
    if len(asked) > 1:
        asked = _by_own_counted_words(plan, figures, asked)
    if len(asked) != 1 or len(figures) < 2:
        return None
    chosen = asked[0]
    if any(verdicts[i] is None for i in range(len(figures)) if i != chosen):
        return None
    start, end = 0, len(text)
    if chosen > 0:
        # Past the words of the figure before: "38 communes and wards … received 46,215
        # records" has no joint between the two.
        before = figures[chosen - 1]
        joints = list(_FIGURE_JOINT.finditer(text, _words_end(text, before), figures[chosen][0]))
        if not joints or len(text[joints[-1].end() : figures[chosen][0]].split()) > _LEAD_IN:
            # A joint far from the figure joins words, not clauses ("38 communes and wards
            # in Lai Chau province have received 46,215 records").
            return None
        # A figure attached to the one before ("1.148 tổ với 6.930 thành viên") is
        # that one's: its quote keeps whose it is.
        if not _ATTACHING.fullmatch(joints[-1].group(0)):
            start = joints[-1].end()
            opening = _BREAKDOWN_OPENING.match(text, start)
            start = opening.end() if opening else start
    if chosen + 1 < len(figures):
        between = (_words_end(text, figures[chosen]), figures[chosen + 1][0])
        if _COMPOSITION.search(text, *between):
            # "124 đơn vị hành chính cấp xã, gồm 103 xã, 20 phường": what the figure asked
            # is made of is part of its answer.
            return None
        joints = list(_FIGURE_JOINT.finditer(text, *between))
        if not joints:
            return None
        # The first semicolon or attaching word ("99 xã, phường với 2.870 tổ"), else the
        # last comma or "and" ("1,204 … services and 532 …").
        strong = [j for j in joints if not _WEAK_JOINT.fullmatch(j.group(0))]
        end = strong[0].start() if strong else joints[-1].start()
    return None if (start, end) == (0, len(text)) else (start, end)


def _counts_the_thing(counted: Sequence[str], words: str) -> bool | None:
    """Whether the words after a figure name what the question counts: True, False, or
    None when they may (no content word, or a word that may be one counted inflected:
    "дом" beside "домов")."""
    tokens = content_tokens(words)
    if not tokens or _FIGURE_JOINT.match(f" {words}"):
        # No words, or a joint right after the figure ("1 і 2 липня"): not what it counts.
        return None
    if names_counted(counted, words):
        return True
    near = any(
        token[:_SHARED_START] == word[:_SHARED_START] for token in tokens for word in counted
    )
    return None if near else False


# How many first letters two words share that may be one word inflected.
_SHARED_START = 4


def _by_own_counted_words(
    plan: QueryPlan, figures: list[tuple[int, int, str]], asked: list[int]
) -> list[int]:
    """Of figures each counting what is asked, each in words of its own ("full-process"
    beside "partial"), the one whose own words the question shares. A figure whose words
    only repeat the others' ("181.950 hồ sơ trực tuyến, riêng quý II là 96.420 hồ sơ")
    sets nothing apart: its period may."""
    question = _stems(plan.question)
    words = {i: _stems(figures[i][2]) for i in asked}
    own = {i: words[i] - set().union(*(words[j] for j in asked if j != i)) for i in asked}
    if not all(own.values()):
        return []
    return [i for i in asked if question & own[i]]


def _words_end(text: str, figure: tuple[int, int, str]) -> int:
    """Where the words saying what a figure counts end: at the first joint among them
    ("xã và" of "78 xã và 18 phường")."""
    _start, end, words = figure
    # The words begin after a space and a joint ends with one: two characters beyond.
    joint = _FIGURE_JOINT.search(text, end, end + len(words) + 2)
    if joint:
        return joint.start()
    last = words.split()[-1] if words else ""
    return text.find(last, end) + len(last) if last else end


# How many words may come between a clause's joint and its figure ("; the whole city has
# 1,030 5G BTS stations").
_LEAD_IN = 4


# A comma or "and" between figures: weaker than a semicolon or an attaching word.
_WEAK_JOINT = re.compile(rf",\s*|，|\s+(?:{_AND})\s+", re.IGNORECASE)
# A word attaching a figure of something else to the one before: "with 6,930 members".
_ATTACHING = re.compile(r"\s+(?:with|với|с|со|з|із|avec)\s+", re.IGNORECASE)
# Where a figure's clause meets the next figure's: a semicolon, a weak joint, a list of
# what the figure is made of ("gồm 97 xã"), or an attaching word.
_FIGURE_JOINT = re.compile(
    r"\s*[;；]\s*|"
    + _WEAK_JOINT.pattern
    + r"|\s+(?:gồm|bao\s+gồm|including|dont)\s+|"
    + _ATTACHING.pattern,
    re.IGNORECASE,
)


def _time_asked(plan: QueryPlan) -> tuple[date | None, date | None]:
    """The time a figure is asked for: the day or span the question dates it to ("на 30
    июня 2025 года"), else the period it names."""
    if plan.event_since is not None or plan.event_until is not None:
        return plan.event_since, plan.event_until
    return plan.published_since, plan.published_until


def _in_period(plan: QueryPlan, times: list[list[MentionedDate]]) -> list[int]:
    """The clauses (by the times each names) naming a time within the time asked."""
    since, until = _time_asked(plan)
    return [i for i, named in enumerate(times) if any(overlaps(d, since, until) for d in named)]


def _all_within(plan: QueryPlan, times: list[MentionedDate]) -> bool:
    """Whether every time a clause names lies within the period asked: of two clauses
    of it, "in 2025 alone, 295 billion" is more its own than "2,150 billion for
    2025-2030"."""
    since, until = _time_asked(plan)
    return all(
        (since is None or d.value >= since) and (until is None or period_end(d) <= until)
        for d in times
    )


def _the_whole_period(plan: QueryPlan, times: list[MentionedDate]) -> bool:
    """Whether a clause names the very period asked, from its first day to its last."""
    since, until = _time_asked(plan)
    return since is not None and any(d.value == since and period_end(d) == until for d in times)


def _times_by_clause(
    candidate: Candidate, spans: list[tuple[int, int]], at_least: int
) -> list[list[MentionedDate]] | None:
    """The years, quarters and months each clause names, when `at_least` clauses name
    one; else the days, when two clauses name one ("286,450 as of 30 September, three
    times the 94,600 of 30 June" for "at the end of June"); else None. A lone day is
    mostly when something was said, not the time of a figure."""
    # A time the sentence only compares with ("up 16% compared to 2023") dates no clause,
    # when another time dates the sentence; a sentence timed by nothing else keeps it.
    compared = _bare_comparisons(candidate)
    if all(any(x <= d.start < y for x, y in compared) for d in candidate.mentioned):
        compared = []
    for days, needed in ((False, at_least), (True, 2)):
        named = [
            [
                d
                for d in candidate.mentioned
                if (d.precision == "day") == days
                and a <= d.start < b
                and not any(x <= d.start < y for x, y in compared)
            ]
            for a, b in spans
        ]
        if sum(1 for times in named if times) >= needed:
            return named
    return None


def _breakdown_at(text: str) -> tuple[int, int] | None:
    """Where a figure's breakdown begins after a joint ("..., of which", "; trong đó"):
    (end of the whole, start of the part's own words), or None."""
    match = _BREAKDOWN_JOINT.search(text)
    return (match.start(), match.end()) if match else None


def _breakdown_part(
    plan: QueryPlan, candidate: Candidate, gazetteer: Gazetteer | None = None
) -> tuple[int, int] | None:
    """Of a figure and its breakdown ("3,420 registered, of which 2,150 completed"; "538,900
    completed, out of 817,400 registered"), the span that answers: the clause after the
    joint when the question uses a word only it has (a part repeats the whole's words),
    without the word that opens it; else the clause before. None when the words cannot be
    read: a sentence in another language than the question's with no version in it."""
    text = candidate.text
    if not in_language(base_language(plan.language), candidate):
        text = candidate.sibling or ""
    split = _breakdown_at(text)
    own_split = _breakdown_at(candidate.text)
    if split is None or own_split is None:
        return None
    question = _stems(plan.question)
    whole = _stems(text[: split[0]])
    part = _stems(text[split[1] : _part_end(text, split[1])])
    asked = question & (part - whole)
    if text is candidate.text:
        # A word the article uses all along is its topic ("digital" in a story on digital
        # transformation), not what sets the part apart; a figure's year always is.
        topic = _topic_words(candidate)
        asked = {w for w in asked if any(ch.isdigit() for ch in w) or w not in topic}
    if gazetteer is not None:
        # The name of a province asked about as the new unit is, in a part, its former
        # self's ("of which the old Khanh Hoa 12.6%"): the whole is the one asked.
        as_new = units_asked_as_new(plan, gazetteer)
        asked -= {w for p in plan.places if p.key in as_new for w in _stems(p.surface)}
    if asked and not _TOTAL_ASKED.search(plan.question):
        return own_split[1], _part_end(candidate.text, own_split[1])
    return 0, own_split[0]


# A question asking the total ("how many records in total", "tổng cộng bao nhiêu") is
# answered by the whole, whatever words its part shares with it.
_TOTAL_ASKED = re.compile(
    r"tổng\s+cộng|\bin\s+total\b|\baltogether\b|(?<!\w)(?:всего|усього|загалом)(?!\w)"
    r"|в\s+общей\s+сложности|\bau\s+total\b",
    re.IGNORECASE,
)


# A word this many times in the rest of the article is one of its topic words.
TOPIC_WORD_USES = 3


def _topic_words(candidate: Candidate) -> set[str]:
    article = candidate.article.text
    rest = f"{article[: candidate.start]}\n{article[candidate.end :]}"
    uses = Counter(stem(token) for token in content_tokens(rest))
    return {word for word, n in uses.items() if n >= TOPIC_WORD_USES}


def _part_end(text: str, start: int) -> int:
    end = _PART_END.search(text, start)
    return end.start() if end else len(text)


def _chosen_by_meaning(
    plan: QueryPlan, candidate: Candidate, spans: list[tuple[int, int]], by_meaning: ClauseChooser
) -> int | None:
    """Which of the sentence's clauses (`spans`, two or more) answers, read without the
    question's words: by the document or the period asked about, else by meaning."""
    if in_language(base_language(plan.language), candidate):
        return None
    if any(_BREAKDOWN.match(candidate.text, a) for a, _b in spans[1:]):
        # "1,450 procedures, of which 1,092 online": both figures are of one whole, and
        # either may be what is asked; the sentence stays whole.
        return None
    with_doc = _with_document(plan, candidate, spans)
    if with_doc:
        # The document asked about is read in any language: its clause answers.
        return _the_only(with_doc)
    periods = [_periods_in(candidate, span) for span in spans]
    if asks_period(plan) and any(periods):
        # Which clause is of the period asked is read from the periods it names, not from
        # its meaning ("58.3% in four months, up from 49.5% in 2024" for "in 2024").
        return _the_only(_in_period(plan, periods))
    return by_meaning([candidate.text[a:b] for a, b in spans])


def _published(candidate: Candidate) -> date | None:
    published = candidate.article.published
    return published.date() if published else None


def _of_the_stage_asked(
    plan: QueryPlan, text: str, spans: Sequence[tuple[int, int]], *, contrasted: bool = False
) -> int | None:
    """The one clause naming every stage of work the question asks (`stages_named`); with
    `contrasted`, only when every other clause names another stage."""
    asked = stages_named(plan.question)
    if not asked:
        return None
    named = [stages_named(text[a:b]) for a, b in spans]
    # Several stages asked ("completed and handed over") are one clause's, all of them;
    # asked apart ("how much was planned and how much spent?"), no one clause's.
    chosen = _the_only([i for i, stages in enumerate(named) if asked <= stages])
    if chosen is None or not contrasted:
        return chosen
    others_staged = all(stages for i, stages in enumerate(named) if i != chosen)
    return chosen if others_staged else None


def _the_only(indices: list[int]) -> int | None:
    return indices[0] if len(indices) == 1 else None


# A clause that breaks down the figure before it ("of which", "trong đó", "в том числе").
_BREAKDOWN = re.compile(
    r"(?:of\s+which|including|among\s+them|trong\s+đó|bao\s+gồm|gồm|в\s+том\s+числе|из\s+них"
    r"|у\s+тому\s+числі|з\s+них|dont|parmi\s+(?:eux|elles))(?!\w)",
    re.IGNORECASE,
)
# The words opening a breakdown's part, left out of its quote ("of which 318,460 accounts").
_BREAKDOWN_OPENING = re.compile(_BREAKDOWN.pattern + r"[\s,:]*", re.IGNORECASE)
# A part of the figure before it, after the joint that opens it ("..., of which 2,150
# completed"); "including" lists what the whole is made of, which belongs to the whole.
_BREAKDOWN_JOINT = re.compile(
    # "riêng" opens a part told alone: "181.950 hồ sơ, riêng quý II là 96.420 hồ sơ".
    r"\s*[,;:，；]\s*(?:of\s+which|trong\s+đó|riêng|из\s+них|из\s+которых|з\s+них|з\s+яких|dont"
    r"|其中"
    # ... or the whole after its part: "538,900 completed, out of 817,400 registered".
    r"|out\s+of|trên\s+tổng\s+số|из\s+общего\s+числа|із\s+загальної\s+кількості|sur\s+un\s+total\s+de"
    r")(?!\w)[\s,:—–-]*",
    re.IGNORECASE,
)
# Where the part ends: the next clause of the sentence.
_PART_END = re.compile(r"\s*[;；]\s")


def _periods_in(candidate: Candidate, span: tuple[int, int]) -> list[MentionedDate]:
    """The years, quarters and months the candidate names within the clause."""
    a, b = span
    return [d for d in candidate.mentioned if d.precision != "day" and a <= d.start < b]
