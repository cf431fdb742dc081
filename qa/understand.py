"""What a question asks: language, places, period, document numbers, intent, follow-ups.

`understand(question, history)` turns a question into a `QueryPlan`:

- language: `qa.language.detect_language`;
- places: gazetteer matches, each with the units its articles may appear under for the
  period asked about (`Gazetteer.covering_units`);
- time: `qa.temporal.parse_temporal` (publication dates, deadlines, events);
- document numbers: exact, normalised as the index normalises them;
- intent: a small keyword table per language;
- follow-ups: a question that names no place or period and refers back ("that meeting",
  "the province", "it", "đó", "это", "цієї"), or that only swaps the place ("What about
  Ha Giang?", "Còn Hà Giang?"), takes the missing places, period, document numbers and
  topic from the last user turn; the search text then starts with that turn's topic.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from itertools import combinations

from facts.doc_numbers import doc_numbers_in_question
from facts.limits import MAX_QUESTION_CHARS
from facts.vietnam_time import VIETNAM_TZ
from qa.abbreviations import with_short_forms_spelled_out
from qa.answer_type import (
    answer_type_asked,
    asked_parts,
    asks_outcome,
    asks_several_counts,
    blanked,
    counted_words,
    expected_answer_type,
    value_cue_words,
)
from qa.errors import QuestionError
from qa.gazetteer import Gazetteer
from qa.language import detect_language
from qa.lexicon import FOLLOW_UP_FRAMING, asks_for_a_target, content_tokens, indexes_named
from qa.models import Intent, PlaceMatch, QueryPlan, Turn
from qa.temporal import (
    NOW,
    TemporalConstraint,
    YearEarlier,
    a_year_before,
    a_year_earlier,
    asks_the_period_alone,
    parse_temporal,
    since_the_merger,
)

logger = logging.getLogger(__name__)

# Extra spellings per place, and in all, added for query expansion.
EXPANSIONS_PER_PLACE = 6
MAX_EXPANSIONS = 12
# Characters of an earlier turn's topic carried into a follow-up's search text.
MAX_CARRIED_CHARS = 300
# Earlier turns looked at when resolving a follow-up (each follow-up reads the one before).
MAX_HISTORY_TURNS = 20

_I = re.IGNORECASE

# --- intent ------------------------------------------------------------------------------

_COMPARISON = re.compile(
    r"\bcompar|\bversus\b|\bvs\.?(?!\w)|difference(?:s)?\s+between|so\s+sánh|khác\s+nhau|khác\s+biệt"
    r"|chênh\s+(?:nhau|lệch)"
    r"|сравн|отлича|разниц|порівн|відрізня|різниц|vergleich|compara|比较|对比"
    # How something changed between two moments is its two values side by side.
    r"|\bhow\s+(?:did|has|have|does|do)\b[^?]*\bchange|\bchange[sd]?\s+between\b"
    r"|thay\s+đổi\s+(?:thế\s+nào|ra\s+sao|như\s+thế\s+nào)|(?<!\w)как\s+измени|измени\w*\s+между"
    r"|(?<!\w)як\s+змін|змін\w*\s+між",
    _I,
)
_COMMITMENTS = re.compile(
    r"\bcommit(?!tee)|\bpledg|\bpromis|\bundert(?:ake|ook)|\bvow|\bresolved\s+to|\bcommitment"
    r"|cam\s+kết|hứa|cam\s+đoan|quyết\s+tâm|đặt\s+(?:ra\s+)?mục\s+tiêu|phấn\s+đấu"
    r"|обязал|обязу|обязательств|обеща|пообеща|зобов['’]?яз|обіця|пообіця"
    r"|s['’]est\s+engag|engagement|promis|verpflicht|versproch|compromet|prometi|承诺|保证",
    _I,
)
# What a place is bound to do ("what must Thanh Hoa finish before 30 June", "що має
# завершити", "phải hoàn thành những gì") asks for its commitments as much as "commit" does.
_OBLIGATIONS = re.compile(
    r"\b(?:must|has\s+to|have\s+to|(?:is|are)\s+(?:required|expected|due)\s+to)\s+(?:\w+\s+){0,2}?"
    r"(?:finish|complete|achieve|accomplish|deliver|do|implement|reach)\b"
    r"|(?<!\w)(?:phải|cần)\s+(?:phải\s+)?(?:hoàn\s+thành|thực\s+hiện|làm|đạt)"
    r"|(?<!\w)(?:долж\w*|обязан\w*|нужно|необходимо)\s+(?:\w+\s+){0,2}?"
    r"(?:заверш|выполн|сдела|достич|реализ)"
    r"|(?<!\w)(?:має|мають|мусить|повин\w*|треба|потрібно)\s+(?:\w+\s+){0,2}?"
    r"(?:заверш|викон|зроб|досяг|реаліз)"
    r"|\bdoi(?:t|vent)\s+(?:\w+\s+){0,2}?(?:achever|terminer|réaliser|accomplir|atteindre)",
    _I,
)
_WHO_LEADING = re.compile(
    r"^\s*(?:who|whom|which\s+(?:officials?|leaders?|people|person)|ai\b|những\s+ai|кто|кого|хто|кого"
    r"|qui\b|wer\b|quién|quiénes|谁)",
    _I,
)
_WHO = re.compile(
    r"\bwho\b|\bwhom\b|represent|attend|\bchair(?:ed)?\b|(?<!\w)ai(?!\w)|đại\s+diện|chủ\s+trì|tham\s+dự"
    r"|(?<!\w)кто(?!\w)|представля|присутствова|председательств|(?<!\w)хто(?!\w)|представля|був\s+присутн"
    r"|\bqui\b|\bwer\b|quién|谁|出席"
    # "Which police official", "lãnh đạo nào", "какой руководитель": a person asked by role.
    r"|\b(?:which|what)\s+(?:\w+\s+){0,2}(?:official|leader|officer|person)s?\b"
    r"|(?:quan\s+chức|lãnh\s+đạo|cán\s+bộ|người)\s+nào"
    r"|(?<!\w)(?:какой|какая|який|яка)\s+(?:\w+\s+)?(?:чиновни|руководител|должностн|посадов|керівни)",
    _I,
)
_WHEN = re.compile(
    r"^\s*when\b|\bwhen\s+(?:did|was|were|is|will|does|do)\b|what\s+date|which\s+date"
    r"|khi\s+nào|bao\s+giờ|lúc\s+nào|ngày\s+nào|thời\s+gian\s+nào|thời\s+điểm\s+nào"
    r"|(?<!\w)когда(?!\w)|(?<!\w)коли(?!\w)|\bquand\b|\bwann\b|cuándo|何时|什么时候",
    _I,
)
_LIST = re.compile(
    r"^\s*list\b|\blist\s+(?:the|all)\b|\benumerate|what\s+are\s+the|which\s+\w+s\b|\ball\s+the\b"
    r"|liệt\s+kê|danh\s+sách|(?:những|các)\s+(?:\w+\s+){1,4}(?:nào|gì)|những\s+gì"
    r"|перечисл|список|(?<!\w)какие(?!\w)|перелі|(?<!\w)які(?!\w)|\bliste\b|\bquel(?:le)?s\b|列出",
    _I,
)
# A question asking by when something must be done: answered by a date worded as a
# deadline ("by 31 October", "до 31 октября", "trước ngày 31/10"), not any date.
_DEADLINE_ASKED = re.compile(
    r"\bby\s+(?:what|which)\s+(?:date|day|time|month|year|deadline)|\bby\s+when\b"
    r"|\bwhat\s+is\s+the\s+deadline|\bwhat\s+deadline|\bthe\s+deadline\s+(?:for|to)\b"
    r"|к\s+какому\s+(?:сроку|числу|дню)|до\s+какого\s+(?:срока|числа|дня)|в\s+какой\s+срок"
    r"|какой\s+срок|до\s+якого\s+(?:терміну|строку|числа|дня)|в\s+який\s+термін|який\s+термін"
    r"|до\s+какой\s+даты|к\s+какой\s+дате|до\s+якої\s+дати"
    r"|hạn\s+chót|thời\s+hạn\s+nào|thời\s+hạn\s+(?:là\s+)?(?:khi|bao|ngày)|trước\s+ngày\s+nào"
    r"|(?:đến|tới)\s+(?:ngày\s+nào|khi\s+nào|bao\s+giờ)|\bd'ici\s+quand\b|\bavant\s+quelle\s+date",
    _I,
)
# Deadlines asked in the plural: each pledge with its own.
_DEADLINES = re.compile(
    r"\bdeadlines\b|(?<!\w)(?:сроки|терміни|строки)(?!\w)"
    r"|(?:những|các)\s+(?:mốc\s+)?(?:thời\s+hạn|hạn\s+chót)",
    _I,
)
_WHEN_LEADING = re.compile(r"^\s*(?:когда|коли|khi\s+nào|bao\s+giờ|quand|wann)", _I)
# "ai" is "who" only in Vietnamese; elsewhere it is "AI".
_VI_ONLY_WHO = re.compile(r"(?<!\w)ai(?!\w)", _I)


def asks_deadline(question: str) -> bool:
    """Whether the question asks by when something must be done."""
    return _DEADLINE_ASKED.search(unicodedata.normalize("NFC", question)) is not None


def detect_intent(question: str, language: str) -> Intent:
    """The kind of answer wanted: comparison, who, when, commitments, list or fact."""
    text = unicodedata.normalize("NFC", question)
    who_text = text if language == "vi" else _VI_ONLY_WHO.sub(" ", text)
    if _COMPARISON.search(text):
        return "comparison"
    if _WHO_LEADING.search(who_text):
        return "who"
    if _DEADLINES.search(text) or (asks_deadline(text) and _LIST.search(text)):
        # "What deadlines did X set?", "giao những nhiệm vụ gì, hạn chót khi nào?": the
        # pledges with their deadlines, each one, not one date.
        return "commitments"
    if _WHEN.match(text) or _WHEN_LEADING.match(text) or asks_deadline(text):
        return "when"
    if _COMMITMENTS.search(text):
        return "commitments"
    if _OBLIGATIONS.search(text) and expected_answer_type(text) is None:
        # "How many visitors must it welcome?", "cần đạt bao nhiêu": a target's value.
        return "commitments"
    if _WHO.search(who_text):
        return "who"
    if _WHEN.search(text):
        return "when"
    if _LIST.search(text):
        return "list"
    return "fact"


# --- follow-ups --------------------------------------------------------------------------

_ANAPHOR = re.compile(
    r"\b(?:that|this|those|these|the\s+same)\s+(?:meeting|conference|session|province|city|plan|"
    r"resolution|decision|document|event|visit|program(?:me)?|project|committee|report|notice|"
    r"commitment|deadline|target|policy|time|one)s?\b"
    r"|\bthe\s+(?:province|city|meeting|conference|session|plan|resolution|decision|committee)\b"
    r"|\b(?:it|its|they|them|their|there|he|she|him|her)\b"
    r"|(?<!\w)(?:đó|này|ấy|kia|trên|nói\s+trên|tỉnh\s+này|tỉnh\s+đó|họ|ông\s+ấy|bà\s+ấy)(?!\w)"
    r"|(?<!\w)(?:это|этом|этой|этого|эту|этим|эти|этих|тот|той|том|того|ту|тем|те|тех|там|она|он|они|её|его|их|ней|нём|нем)(?!\w)"
    r"|(?<!\w)(?:це|цей|ця|цього|цієї|цьому|цій|цю|цим|ці|цих|той|та|те|тому|тієї|там|вона|він|вони|її|його|їх|ній|ньому)(?!\w)"
    r"|\b(?:cela|ça|cette|ce|cet|ces|celle|celui|là|elle|il|ils|elles|leur|leurs)\b",
    _I,
)
# "Ok, and …", "Cảm ơn. Còn …": an acknowledgement of the last answer before the follow-up.
_ACKNOWLEDGEMENT = (
    r"(?:ok(?:ay)?|thanks?(?:\s+you)?|great|got\s+it|right|i\s+see|vâng|dạ|ừ|được(?:\s+rồi)?|"
    r"cảm\s+ơn|хорошо|ладно|понятно|спасибо|дякую|добре|зрозуміло|гаразд|merci|d['’]accord)"
    r"[\s,.!;:—–-]+"
)
_ELLIPTICAL = re.compile(
    rf"^\s*(?:{_ACKNOWLEDGEMENT})?(?:(?:and\s+)?what\s+about|how\s+about|and\b|also\b|còn\b|thế\b|vậy\s+còn|а\s+(?:что|як|как|що)?|"
    r"и\s+(?:что|как)?|і\b|та\b|а\b|et\b|und\b|y\b)",
    _I,
)


# Words between "a year before" and the period it moves back ("a year before the …").
_BEFORE_THE_PERIOD = re.compile(r"\s*(?:the|của|в|у)?\s*$", re.IGNORECASE)


def _shifted_period_end(
    text: str, year_earlier: YearEarlier, temporal: TemporalConstraint
) -> int | None:
    """Where the period ends that "a year before" stands right before ("a year before the
    2024-2025 school year"): the period asked is then the one a year earlier, not both. Not
    when the question names the earlier period itself too ("the first quarter of 2024, i.e.
    a year before Q1 2025")."""
    if len(temporal.spans) != 1:
        return None
    [(start, end)] = temporal.spans
    before = start >= year_earlier.end and _BEFORE_THE_PERIOD.match(text[year_earlier.end : start])
    return end if before else None


def _last_user_turn(history: Sequence[Turn], question: str) -> tuple[int, Turn] | None:
    for index in range(len(history) - 1, -1, -1):
        turn = history[index]
        if turn.role != "user" or not turn.content.strip():
            continue
        if index == len(history) - 1 and turn.content.strip() == question.strip():
            continue  # the caller passed the current question as the last turn
        return index, turn
    return None


def _cut_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    out, position = [], 0
    for start, end in sorted(spans):
        if start >= position:
            out.append(text[position:start])
            position = end
    out.append(text[position:])
    joined = re.sub(r"\s+", " ", "".join(out))
    return re.sub(r"\s+([?!.,;:])", r"\1", joined).strip(" ,;:-–")


# --- the plan ----------------------------------------------------------------------------


def _today(today: date | None) -> date:
    return today or datetime.now(VIETNAM_TZ).date()


def _place_matches(
    gazetteer: Gazetteer,
    found: Sequence[tuple[str, str]],
    since: date | None,
    until: date | None,
) -> tuple[PlaceMatch, ...]:
    places: dict[str, PlaceMatch] = {}
    for key, surface in found:
        if key not in places:
            places[key] = PlaceMatch(
                surface=surface, key=key, covers=gazetteer.covering_units(key, since, until)[1:]
            )
    return tuple(places.values())


# What had been done, not what was to be done: "had disbursed", "đã giải ngân", "было
# освоено", "було видано".
_DONE = re.compile(
    r"\bhad\b|(?<!\w)đã(?!\w)|(?<!\w)(?:было|были|была|был|було|були|була|був)(?!\w)"
    # "giải ngân được bao nhiêu", "đạt bao nhiêu": how much was achieved.
    r"|(?<!\w)(?:được|đạt|duoc|dat)\s+(?:bao\s+nhiêu|bao\s+nhieu|mấy|may)(?!\w)",
    _I,
)


def _done_by(text: str, intent: Intent, deadline: date, today: date) -> bool:
    """Whether "by <date>" dates a figure of what had been done by then, a day already
    past ("how much had Dong Nai disbursed by the end of September 2025": as of that day),
    rather than the deadline of what was to be done."""
    return (
        deadline < today
        and intent not in ("commitments", "when")
        and _DONE.search(text) is not None
        and not asks_for_a_target(text)
    )


def _side_periods(
    text: str, language: str, found: Sequence[tuple[str, str, int, int]], today: date
) -> tuple[tuple[str, date | None, date | None], ...]:
    """Each place's own period, read from the words after it up to the next place ("Kon
    Tum in the first 10 months of 2024 or Can Tho in the first 7 months of 2025"); none
    unless two places each have one."""
    ordered = sorted(found, key=lambda place: place[2])
    periods: list[tuple[str, date | None, date | None]] = []
    for i, (key, _surface, _start, end) in enumerate(ordered):
        stop = ordered[i + 1][2] if i + 1 < len(ordered) else len(text)
        own = parse_temporal(text[end:stop], language, today=today)
        if own is not None and (own.published_since or own.published_until):
            periods.append((key, own.published_since, own.published_until))
    return tuple(periods) if len({key for key, _s, _u in periods}) > 1 else ()


def _period_bounds(constraint: TemporalConstraint | None) -> tuple[date | None, date | None]:
    """The period a question is about, for deciding which units a place covers."""
    if constraint is None:
        return None, None
    since = constraint.published_since or constraint.event_since or constraint.deadline_since
    # "by May 2025": what fell due by then was decided by then, by the unit as it was.
    until = constraint.published_until or constraint.event_until or constraint.deadline_until
    return since, until


def _expansions(
    gazetteer: Gazetteer, question: str, places: Sequence[PlaceMatch]
) -> tuple[str, ...]:
    # Spellings differ for keyword search even when they fold alike ("Lâm Đồng", "Lam Dong"),
    # so only a name written exactly so in the question is left out.
    asked = question.lower()
    out: list[str] = []
    for place in places:
        added = 0
        for name in gazetteer.expansion_names(place.key):
            if name.lower() in asked or name in out:
                continue
            out.append(name)
            added += 1
            if added >= EXPANSIONS_PER_PLACE:
                break
    return tuple(out[:MAX_EXPANSIONS])


# What an index gave a place, asked with no kind of value: "what result", "kết quả",
# "который результат", "який показник".
_RESULT = re.compile(
    r"\bresults?\b|\bhow\s+did\b|kết\s+quả|(?<!\w)результат|(?<!\w)показател|(?<!\w)показник"
    r"|\brésultat",
    re.IGNORECASE,
)


# Amounts named with no cue asking one: foreign direct investment, export value.
_AMOUNT_NAMED = re.compile(
    r"\bFDI\b|(?<!\w)ПИИ(?!\w)|(?<!\w)ПІІ(?!\w)|\bIDE\b|\bexport\s+value"
    r"|\bvalue\s+of\s+(?:\w+\s+){0,2}exports?|giá\s+trị\s+xuất\s+khẩu",
    re.IGNORECASE,
)


def understand(
    question: str,
    history: Sequence[Turn] = (),
    *,
    today: date | None = None,
    gazetteer: Gazetteer | None = None,
) -> QueryPlan:
    """The plan for answering `question`, given the earlier turns of the conversation.

    Places are read with `gazetteer` (without one, the packaged one is built for this
    call)."""
    text = unicodedata.normalize("NFC", question or "").strip()
    if not text:
        raise QuestionError(
            "The question is empty: type a question, e.g. 'What did Lam Dong commit to?'"
        )
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question is {len(text)} characters long; shorten it to at most "
            f"{MAX_QUESTION_CHARS} characters."
        )
    day = _today(today)
    gazetteer = gazetteer or Gazetteer.packaged()
    found = gazetteer.find_places(text) or gazetteer.find_places_by_sound(text)
    found = _without_merger_partners(text, found, gazetteer)
    language = _question_language(text, found)
    # "…, and a year earlier?": read apart, so that its "năm trước" is no period of its own.
    year_earlier = a_year_earlier(text)
    asked_apart = [(year_earlier.start, year_earlier.end)] if year_earlier else []
    temporal = parse_temporal(blanked(text, asked_apart), language, today=day)
    if temporal is None and NOW.search(text) and any(gazetteer.successor(k) for k, *_ in found):
        # "Dak Nong's plan now" asks what holds since Dak Nong was merged away.
        temporal = since_the_merger(language)
    time_words = tuple(text[start:end] for start, end in temporal.spans) if temporal else ()
    doc_numbers = doc_numbers_in_question(text)
    intent = detect_intent(text, language)
    if intent == "fact" and (
        _offers_a_choice(text, found, temporal.spans if temporal else ())
        or _names_separate_places(found, gazetteer)
    ):
        intent = "comparison"
    deadline = temporal.deadline_until if temporal else None
    if temporal is not None and deadline is not None and _done_by(text, intent, deadline, day):
        # As of that day: the figure's time, as "as of" would say.
        temporal = replace(
            temporal,
            published_until=min(deadline, temporal.published_until or deadline),
            deadline_since=None,
            deadline_until=None,
            as_of_day=temporal.as_of_day or temporal.deadline_day,
        )
    answer_parts = asked_parts(text, language)
    answer_type = answer_type_asked(text, answer_parts)
    if answer_type is None and not answer_parts and indexes_named(text) and _RESULT.search(text):
        # "What result did Quang Tri get in the PAR Index 2024?": an index's result is its
        # score (a percentage or points).
        answer_type, answer_parts = "score", ("score",)
    if answer_type is None and not answer_parts and _AMOUNT_NAMED.search(text):
        # "Compare the FDI attracted by …", "the export value of SHTP's enterprises": an
        # amount, asked with no cue ("how many FDI projects" counts projects).
        answer_type, answer_parts = "money", ("money",)
    value_words = value_cue_words(text, answer_parts)
    # What is counted, and searched for, in the papers' words: "TK ĐDĐT" is "tài khoản
    # định danh điện tử".
    spelled_out = with_short_forms_spelled_out(text)
    counted: tuple[str, ...] = ()
    if "count" in answer_parts:
        # A place is where things are counted, not what is ("Скільки людей у Ханої").
        placeless = _cut_spans(text, [(start, end) for _key, _surface, start, end in found])
        counted = counted_words(with_short_forms_spelled_out(placeless))
    place_pairs = [(key, surface) for key, surface, _start, _end in found]
    search_text = text if spelled_out == text else f"{text} {spelled_out}"
    follow_up = False
    period_carried = False

    earlier_outcome = False
    previous = _last_user_turn(history[-MAX_HISTORY_TURNS:], text)
    # "А годом ранее?" with no period of its own asks the conversation's, a year earlier.
    asks_back = year_earlier is not None and temporal is None
    if previous is not None and (
        asks_back or _is_follow_up(text, bool(found), temporal is not None)
    ):
        index, turn = previous
        recent = history[-MAX_HISTORY_TURNS:]
        earlier = understand(turn.content, recent[:index], today=day, gazetteer=gazetteer)
        follow_up = True
        topic = earlier.search_text
        cut: list[tuple[int, int]] = []
        if found:
            cut.extend((start, end) for _k, _s, start, end in gazetteer.find_places(topic))
        else:
            place_pairs = [(place.key, place.surface) for place in earlier.places]
        if temporal is not None:
            earlier_time = parse_temporal(topic, earlier.language, today=day)
            if earlier_time is not None:
                cut.extend(earlier_time.spans)
        else:
            # Re-read the earlier period so that `period_text` speaks the new question's language.
            temporal = parse_temporal(topic, language, today=day) or _constraint_of(earlier)
            period_carried = temporal is not None
        if not doc_numbers:
            doc_numbers = earlier.doc_numbers
        # "Thế hạn hoàn thành là ngày nào?" asks a date of its own: not the earlier turn's
        # kind of value.
        asks_its_own_kind = intent in ("when", "who") and intent != earlier.intent
        if intent == "fact" and earlier.intent != "fact" and not _asks_anew(text, found, temporal):
            # "And Ha Giang?" asks what the earlier turn asked; "А что поручено полиции?"
            # asks something of its own.
            intent = earlier.intent
        earlier_outcome = earlier.asks_outcome
        unplaced = _cut_spans(text, [(start, end) for _k, _s, start, end in found])
        counts_nothing = not counted_words(with_short_forms_spelled_out(unplaced))
        if (
            answer_type == "count"
            and counts_nothing
            and earlier.answer_type not in (None, "count")
            # "Còn chỉ số SIPAS năm đó thì bao nhiêu?" asks another index's value.
            and not indexes_named(text)
        ):
            # "Còn riêng vùng Bắc Kạn cũ thì đạt bao nhiêu?", "а сколько в Хазянге?": a count
            # cue counting nothing of its own asks again the kind of value asked before.
            answer_type, answer_parts = earlier.answer_type, earlier.answer_parts
        if not asks_its_own_kind:
            answer_type = answer_type or earlier.answer_type
            answer_parts = answer_parts or earlier.answer_parts
            value_words = value_words + earlier.value_words
            counted = counted or earlier.counted
        time_words = time_words + earlier.time_words
        topic = _cut_spans(topic, cut)[-MAX_CARRIED_CHARS:]
        search_text = f"{topic} {text}".strip() if topic else text
        logger.debug("follow-up %r resolved with %r", text, topic)

    compared_period = None
    if year_earlier is not None and temporal is not None:
        shifted_end = _shifted_period_end(text, year_earlier, temporal)
        if period_carried or shifted_end is not None:
            # "Thế cùng kỳ năm trước?": the conversation's period, a year earlier, instead;
            # so is "a year before the 2024-2025 school year" the school year before it.
            temporal = replace(
                a_year_before(temporal, year_earlier.year),
                period_text=text[year_earlier.start : shifted_end or year_earlier.end],
            )
        else:
            since, until = _period_bounds(a_year_before(temporal, year_earlier.year))
            # "As of 31 May 2024" beside "as of 31 May 2025": a figure of that year up to then.
            compared_period = (since or (until and date(until.year, 1, 1)), until)
    since, until = _period_bounds(temporal)
    places = _place_matches(gazetteer, place_pairs, since, until)
    return QueryPlan(
        question=text,
        language=language,
        search_text=search_text,
        intent=intent,
        asks_deadline=intent == "when" and asks_deadline(text),
        places=places,
        published_since=temporal.published_since if temporal else None,
        published_until=temporal.published_until if temporal else None,
        deadline_since=temporal.deadline_since if temporal else None,
        deadline_until=temporal.deadline_until if temporal else None,
        doc_numbers=doc_numbers,
        expansions=_expansions(gazetteer, search_text, places),
        period_text=temporal.period_text if temporal else None,
        event_since=temporal.event_since if temporal else None,
        event_until=temporal.event_until if temporal else None,
        follow_up=follow_up,
        period_carried=period_carried,
        year_inferred=temporal.year_inferred if temporal else False,
        as_of_day=temporal.as_of_day if temporal else None,
        answer_type=answer_type,
        answer_parts=answer_parts,
        value_words=value_words,
        counted=counted,
        several_counts="count" in answer_parts and asks_several_counts(text),
        side_periods=_side_periods(text, language, found, day),
        compared_period=compared_period,
        period_named=temporal.named_precision if temporal else None,
        period_alone=temporal is not None
        and not period_carried
        and asks_the_period_alone(text, temporal),
        time_words=time_words,
        # "And at the second session?" after "what did the first decide?" asks it again.
        asks_outcome=asks_outcome(text) or (follow_up and not answer_parts and earlier_outcome),
    )


def _question_language(text: str, found: Sequence[tuple[str, str, int, int]]) -> str:
    """Language of the question's own words: place names ("Hưng Yên") say nothing about it."""
    rest = _cut_spans(text, [(start, end) for _k, _s, start, end in found])
    if len(re.findall(r"[^\W\d_]+", rest)) >= 2:
        return detect_language(rest)
    return detect_language(text)


# "Lam Dong or Tuyen Quang?", "Ламдонг или Хазянг", "Хинг Єн чи Туєнкуанг", "A hay B".
_OR = re.compile(r"(?<!\w)(?:or|или|либо|чи|або|hay|hoặc|ou)(?!\w)", _I)
# Words between two places offered as a choice ("the new Lam Dong or the new Tuyen Quang").
MAX_CHOICE_GAP = 24


# A unit named as what the place asked merged with ("Quang Tri before merging with Quang
# Binh", "trước khi sáp nhập với", "до злиття з Куангбінем", "после слияния с").
_MERGED_WITH = re.compile(
    r"(?:merg\w*|amalgamat\w*|sáp\s+nhập|sap\s+nhap|hợp\s+nhất|hop\s+nhat|nhập|nhap"
    r"|объединени\w*|слияни\w*|объедин\w*|сли\w*|злитт\w*|об['’]?єднанн\w*|об['’]?єдна\w*"
    r"|злил\w*|fusion\w*)\s+(?:with|into|to|và|với|voi|vào|vao|с|со|з|із|зі|avec|à)\s+"
    r"(?:the\s+)?(?:(?:former|old)\s+)?(?:province\s+(?:of\s+)?|tỉnh\s+|tinh\s+|провинци\w*\s+"
    r"|провінці\w*\s+|la\s+province\s+de\s+)?$",
    _I,
)
MERGED_WITH_WINDOW = 48


def _without_merger_partners(
    text: str, found: Sequence[tuple[str, str, int, int]], gazetteer: Gazetteer
) -> list[tuple[str, str, int, int]]:
    """The places asked, without one named only as what another place named merged with:
    the question asks the other one, before or after the merger."""
    keys = {key for key, *_ in found}

    def partner(key: str, start: int) -> bool:
        if not _MERGED_WITH.search(text, max(0, start - MERGED_WITH_WINDOW), start):
            return False
        related = gazetteer.covering_units(key)
        return any(
            other != key and (other in related or key in gazetteer.covering_units(other))
            for other in keys
        )

    kept = [place for place in found if not partner(place[0], place[2])]
    return kept if kept else list(found)


def _names_separate_places(
    found: Sequence[tuple[str, str, int, int]], gazetteer: Gazetteer
) -> bool:
    """Whether the question names two or more places none of which is another's
    territory across the 2025 merger or a rename ("Ben Tre, Tra Vinh and Tien Giang";
    not "the old Kon Tum, now part of Quang Ngai"): a fact asked of each is answered
    for each, side by side."""
    keys = list(dict.fromkeys(key for key, *_ in found))
    return len(keys) > 1 and not any(
        b in gazetteer.covering_units(a) or a in gazetteer.covering_units(b)
        for a, b in combinations(keys, 2)
    )


def _offers_a_choice(
    text: str,
    found: Sequence[tuple[str, str, int, int]],
    times: Sequence[tuple[int, int]] = (),
) -> bool:
    """Whether the question offers two places to choose between ("Which is larger: A or
    B?"; "Kon Tum in the first 10 months of 2024 or Can Tho in ...", a side's period, in
    `times`, not counting as words between them): it asks to compare them."""
    spans = sorted((start, end) for _k, _s, start, end in found)

    def gap(start: int, end: int) -> int:
        inside = sum(min(b, end) - max(a, start) for a, b in times if a < end and b > start)
        return end - start - inside

    return any(
        0 <= gap(a_end, b_start) <= MAX_CHOICE_GAP and _OR.search(text, a_end, b_start) is not None
        for (_a, a_end), (b_start, _b) in zip(spans, spans[1:], strict=False)
    )


def _asks_anew(
    text: str,
    found: Sequence[tuple[str, str, int, int]],
    temporal: TemporalConstraint | None,
) -> bool:
    """Whether a follow-up names something to ask about beyond the place, the period and
    the words that point back ("that meeting", "what about")."""
    spans = [(start, end) for _k, _s, start, end in found]
    spans.extend(temporal.spans if temporal else ())
    spans.extend(match.span() for match in _ANAPHOR.finditer(text))
    rest = _cut_spans(text, spans)
    return any(token not in FOLLOW_UP_FRAMING for token in content_tokens(rest))


def _is_follow_up(text: str, has_places: bool, has_time: bool) -> bool:
    if _ELLIPTICAL.match(text):
        return True
    if has_places and has_time:
        return False
    if _ANAPHOR.search(text):
        return not has_places or not has_time
    # "And in June?", "Hà Giang?": a few words that only swap a place or a period.
    return len(re.findall(r"\w+", text)) <= 3


def _constraint_of(plan: QueryPlan) -> TemporalConstraint | None:
    if not any(
        (
            plan.published_since,
            plan.published_until,
            plan.deadline_since,
            plan.deadline_until,
            plan.event_since,
            plan.event_until,
        )
    ):
        return None
    return TemporalConstraint(
        published_since=plan.published_since,
        published_until=plan.published_until,
        deadline_since=plan.deadline_since,
        deadline_until=plan.deadline_until,
        event_since=plan.event_since,
        event_until=plan.event_until,
        period_text=plan.period_text,
        year_inferred=plan.year_inferred,
        named_precision=plan.period_named,
    )
