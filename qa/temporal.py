"""Time expressions in questions -> constraints on publication dates and mentioned deadlines.

`parse_temporal(text, lang, today=...)` finds *anchors* (a day, a month, a quarter, a half
year, a year, a relative period such as "last month", or "the merger" of 1 July 2025) and
reads the cue word in front of each to decide what the anchor constrains. Tables below hold
the words for Vietnamese, English, Russian and Ukrainian (and French basics).

What each wording means (dates are inclusive; a period ends on its last day):

| wording | constraint | why |
| --- | --- | --- |
| "by May 2025", "before May 2025", "trước tháng 5/2025", "до травня 2025", "не позднее мая 2025", "к маю 2025" | `deadline_until` = 2025-05-31 | a deadline: what was to be done by then. Publication is *not* limited: commitments are announced long before they fall due, and "до/trước + month" in a commitment means "by the end of" that month. |
| "since March", "from March 2025", "từ tháng 3", "с марта", "з березня" | `published_since` = first day | news from then on |
| "after May 2025", "sau tháng 5/2025", "после мая", "після травня" | `published_since` = the day after the period | |
| "in Q2 2025", "quý II/2025", "во втором квартале 2025", "у другому кварталі 2025", "in 2024", "in May", "last month", "this year", "năm nay", "в прошлом месяце" | `published_since`/`published_until` = the period | what happened (and was reported) then |
| "at the meeting in May", "на засіданні у травні", "tại hội nghị tháng 5" | `event_*` = the period; published from its start to a week after its end | reports of an event follow it by a few days |
| "from March to May 2025", "từ tháng 3 đến tháng 5/2025", "с марта по май 2025" | published range | |
| "for 2025-2030", "на 2025–2030 годы", "giai đoạn 2025-2030" | none | a plan's horizon (years joined by a hyphen or a dash), which the plans of any year name |
| "as of May 2025", "tính đến tháng 5/2025", "по состоянию на май", "станом на травень" | `published_until` = end of the period | what was known then |
| "before the merger", "trước khi sáp nhập", "до объединения", "до об'єднання" | `published_until` = 2025-06-30 | the merger took effect on 1 July 2025 |
| "… and a year earlier?", "cùng kỳ năm trước", "годом ранее", "за аналогічний період минулого року" | `a_year_earlier` finds it; `a_year_before` moves the period named one year back | the same period of the year before, asked beside the period named (or, in a follow-up, instead of it) |
| "after the merger", "sau sáp nhập", "после объединения", "після об'єднання" | `published_since` = 2025-07-01 | |

A month or quarter without a year takes its year from `today`: the most recent one not
after `today` for past periods ("since March", "in May"), the next one not before `today`
for deadlines ("by May"). A year written with a range end ("from March to May 2025") also
applies to the start.
"""

from __future__ import annotations

import calendar
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from facts.provinces import MERGER_DATE
from index.lexicon import FIRST_MONTHS, FROM_JANUARY, HALF, HALF_VI, MONTH_FORMS, SCHOOL_YEAR
from index.mentions import month_end, part_of_year, school_year

logger = logging.getLogger(__name__)

# How long after an event its reports keep appearing.
EVENT_REPORT_GRACE = timedelta(days=7)

Precision = Literal["day", "month", "months", "quarter", "half", "year", "school_year", "merger"]
Relation = Literal["deadline", "since", "after", "in", "as_of", "dated"]


@dataclass(frozen=True)
class TemporalConstraint:
    """Dates a question constrains (inclusive); `period_text` says it in the question's language."""

    published_since: date | None = None
    published_until: date | None = None
    deadline_since: date | None = None
    deadline_until: date | None = None
    event_since: date | None = None
    event_until: date | None = None
    period_text: str | None = None
    # Character spans of the time expressions (with their cue words) in the text.
    spans: tuple[tuple[int, int], ...] = ()
    # True when a year was not written and was guessed from today ("in May", "this year"):
    # retrieval may relax the year when the guessed one finds nothing.
    year_inferred: bool = False
    # The day a figure is asked as of ("tính đến ngày 30/6/2025", "as of 30 June 2025"),
    # which "before the merger" (the same end, no start) is not.
    as_of_day: date | None = None
    # The day a "by" names to the day or the month ("by 30 June 2025", "by the end of June
    # 2025"): the day asked as of when the question asks what had been done by then.
    deadline_day: date | None = None
    # How the period a figure is asked of was named ("quarter" for "Q3 2025").
    named_precision: str | None = None


@dataclass(frozen=True)
class _Anchor:
    start: int
    end: int
    first: date
    last: date
    precision: Precision
    # Fields that make up the label; `year_given` is False when the year was inferred.
    year_given: bool = True
    month: int | None = None
    quarter: int | None = None
    half: int | None = None
    # "The first 9 months": how many months from January.
    months: int | None = None
    day: int | None = None
    relative: str | None = None


# --- word tables ---------------------------------------------------------------------------

_MONTH_WORDS = MONTH_FORMS
_MONTH_LOOKUP = [
    (re.compile(rf"(?:{words})$", re.IGNORECASE), n) for n, words in _MONTH_WORDS.items()
]
_MONTH_NAME = "|".join(f"(?:{words})" for words in _MONTH_WORDS.values())

_YEAR = r"(?P<year>(?:19|20)\d\d)"
_YEAR_SUFFIX = r"(?:\s*(?:года|году|год|г\.|г\b|року|році|рік|р\.|р\b))?"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINALS = (
    (r"first|1st|перв\w*|перш\w*|premier|1-?(?:й|м|ом|му|ий)?", 1),
    (r"second|2nd|втор\w*|друг\w*|deuxième|second|2-?(?:й|м|ом|му|ий)?", 2),
    (r"third|3rd|трет\w*|третьому|troisième|3-?(?:й|м|ом|му|ий)?", 3),
    (r"fourth|4th|четверт\w*|quatrième|4-?(?:й|м|ом|му|ий)?", 4),
)
_ORDINAL = "|".join(f"(?:{words})" for words, _ in _ORDINALS)

_I = re.IGNORECASE

# Anchors, tried in this order; a later pattern never overlaps an earlier match.
_ANCHOR_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # A school year, 1 September to 31 August ("năm học 2024-2025", "in 2024-25").
    ("school_year", re.compile(SCHOOL_YEAR, _I)),
    ("iso", re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)(?!\d)")),
    (
        "dmy",
        re.compile(
            r"(?:ngày\s+)?(?<![\d/])(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.]"
            + _YEAR
            + r"(?!\d)",
            _I,
        ),
    ),
    (
        "vi_day",
        re.compile(
            r"ngày\s+(?P<day>[0-3]?\d)\s+tháng\s+(?P<month>[01]?\d)(?:\s*(?:năm|/)\s*"
            + _YEAR
            + r")?",
            _I,
        ),
    ),
    (
        "named_day",
        re.compile(
            r"(?<!\w)(?P<day>[0-3]?\d)(?:st|nd|rd|th|-?(?:го|е))?\s+(?:of\s+)?(?P<mname>"
            + _MONTH_NAME
            + r")(?!\w)(?:,?\s+"
            + _YEAR
            + _YEAR_SUFFIX
            + r")?",
            _I,
        ),
    ),
    (
        "named_day_us",
        re.compile(
            r"(?<!\w)(?P<mname>" + _MONTH_NAME + r")\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\w)"
            r"(?:,?\s+" + _YEAR + r")?",
            _I,
        ),
    ),
    # From January to a month, the span a running total covers ("jan-sep 2025", "from
    # January to September 2025", "с января по сентябрь 2025 года", "từ đầu năm đến hết
    # tháng 7/2025", "tháng 1-9/2025"): the first months of the year, as "9 tháng đầu năm".
    ("from_january", re.compile(FROM_JANUARY, _I)),
    (
        "vi_month",
        re.compile(
            r"(?:(?<!\w)t|tháng|thang)\s*(?P<month>[01]?\d)(?!\d)(?:\s*(?:/|năm|,\s*năm|-)\s*"
            + _YEAR
            + r")?",
            _I,
        ),
    ),
    ("my", re.compile(r"(?<![\d/.\w])(?P<month>[01]?\d)/" + _YEAR + r"(?![\d/])")),
    (
        "named_month",
        re.compile(
            r"(?<!\w)(?P<mname>"
            + _MONTH_NAME
            + r")(?!\w)(?:,?\s+(?:of\s+)?"
            + _YEAR
            + _YEAR_SUFFIX
            + r")?",
            _I,
        ),
    ),
    (
        "quarter_q",
        re.compile(
            r"(?<!\w)(?:q(?P<q>[1-4])|(?P<y0>(?:19|20)\d\d)\s*-?\s*q(?P<q0>[1-4]))(?!\w)"
            r"(?:\s*(?:/|-|of)?\s*" + _YEAR + r")?",
            _I,
        ),
    ),
    (
        "quarter_vi",
        re.compile(
            r"(?:quý|quy)\s+(?P<q>iv|i{1,3}|[1-4])(?!\w)(?:\s*(?:/|năm|-)\s*" + _YEAR + r")?",
            _I,
        ),
    ),
    (
        "quarter_word",
        re.compile(
            r"(?<!\w)(?:(?P<ord>"
            + _ORDINAL
            + r")|(?P<roman>iv|i{1,3}))\s+(?:quarter|квартал\w*|trimestre)"
            r"(?:\s+(?:of\s+)?" + _YEAR + _YEAR_SUFFIX + r")?",
            _I,
        ),
    ),
    # The last quarter of a year named: its fourth ("the last quarter of 2025", "quý cuối
    # năm 2025", "в последнем квартале 2025 года", "dernier trimestre 2025").
    (
        "quarter_last",
        re.compile(
            r"(?<!\w)(?:(?:last|final)\s+quarter\s+of\s+(?:the\s+year\s+)?"
            r"|(?:quý|quy)\s+(?:cuối|cuoi)(?:\s+(?:cùng|cung))?\s+(?:(?:của|cua)\s+)?(?:năm|nam)\s+"
            r"|(?:последн|останн)\w*\s+квартал\w*\s+"
            r"|dernier\s+trimestre\s+(?:de\s+)?)" + _YEAR + _YEAR_SUFFIX,
            _I,
        ),
    ),
    ("half", re.compile(HALF, _I)),
    ("half_vi", re.compile(HALF_VI, _I)),
    # The first months of a year, the span reports sum up ("9 tháng đầu năm 2025", "the
    # first 10 months of 2024", "за 9 месяцев 2025 года"): from January to the month's end.
    ("months_en", re.compile(FIRST_MONTHS["en"], _I)),
    ("months_vi", re.compile(FIRST_MONTHS["vi"], _I)),
    ("months_ru_uk", re.compile(FIRST_MONTHS["ru_uk"], _I)),
    ("months_fr", re.compile(FIRST_MONTHS["fr"], _I)),
    # A year joined to another by a hyphen or dash ("2025-2030", "2025–2030 роки") is a plan's
    # horizon, not a period the news is from; Russian and Ukrainian write it with a dash.
    (
        "year",
        re.compile(r"(?:năm\s+)?(?<![\w/.\-–—])" + _YEAR + _YEAR_SUFFIX + r"(?![\w/\-–—])", _I),
    ),
]

# Relative periods: phrase -> (unit, offset).
_RELATIVE: list[tuple[re.Pattern[str], tuple[str, int]]] = [
    (re.compile(p, _I), v)
    for p, v in [
        (
            r"last month|previous month|past month|tháng trước|tháng vừa qua|прошл\w+ месяц\w*|минул\w+ місяц\w*|le mois dernier",
            ("month", -1),
        ),
        (
            r"this month|current month|tháng này|этом месяце|этот месяц|цього місяця|цьому місяці|ce mois-ci",
            ("month", 0),
        ),
        (
            r"next month|tháng tới|tháng sau|следующем месяце|наступного місяця|наступному місяці",
            ("month", 1),
        ),
        (
            # Not "the last quarter of 2025": that is its fourth.
            r"last quarter(?!\s+of\s+(?:the\s+year\s+)?(?:19|20)\d\d)|previous quarter|quý trước"
            r"|прошлом квартале|минулому кварталі",
            ("quarter", -1),
        ),
        (r"this quarter|current quarter|quý này|этом квартале|цьому кварталі", ("quarter", 0)),
        (
            r"last year|previous year|past year|năm ngoái|năm trước|năm qua|прошлом году|прошлого года|минулого року|минулому році|торік|l'année dernière|l'an dernier",
            ("year", -1),
        ),
        (
            r"this year|current year|năm nay|этом году|этого года|цього року|цьому році|cette année",
            ("year", 0),
        ),
        (r"next year|năm tới|năm sau|следующем году|наступного року|наступному році", ("year", 1)),
    ]
]

_MERGER = re.compile(
    r"(?:the\s+)?(?:province\s+)?(?:merger|merging|amalgamation|consolidation)s?(?:\s+of\s+provinces)?"
    r"|(?:(?:it|they|the\s+(?:two\s+|three\s+)?provinces?)\s+(?:was|were|had\s+been)\s+)?merged"
    r"|(?:khi\s+)?(?:sáp\s+nhập|sap\s+nhap|hợp\s+nhất)(?:\s+tỉnh)?"
    r"|(?:объединени|слияни|укрупнени)\w*(?:\s+провинций)?"
    r"|(?:об['’]?єднанн|злитт)\w*(?:\s+провінцій)?"
    r"|(?:la\s+)?fusion",
    _I,
)

# Cue words, matched at the end of the text before an anchor.
_CUES: list[tuple[Relation, re.Pattern[str]]] = [
    # The date of a document ("Resolution 57-NQ/TW dated 22 December 2024") names the
    # document, not the period asked about.
    (
        "dated",
        re.compile(
            r"(?:\bdated|ban\s+hành\s+ngày)\s*$"
            r"|\d+[-/][\wĐđ/.-]*[A-ZĐ][\wĐđ/.-]*[\s,]+(?:(?:dated|of|от|від|ngày|du|issued\s+on)\s*)?$",
            _I,
        ),
    ),
    (
        "as_of",
        re.compile(
            r"(?:as\s+(?:of|at)|tính\s+(?:đến|tới)|tinh\s+(?:den|toi)|по\s+состоянию\s+на|станом\s+на|en\s+date\s+du|(?<!\w)au)\s*$",
            _I,
        ),
    ),
    (
        "deadline",
        re.compile(
            r"(?:\bby(?:\s+the\s+end\s+of)?|\bbefore|no\s+later\s+than|not\s+later\s+than|\buntil|\btill|prior\s+to|\bdue(?:\s+by|\s+in)?|deadline(?:\s+of|\s+is)?|ahead\s+of"
            r"|trước|chậm\s+nhất(?:\s+là|\s+vào)?|muộn\s+nhất|hạn\s+chót|(?<!\w)đến(?:\s+hết)?|(?<!\w)tới"
            # Typed without diacritics: "truoc ngay 30/6/2025", "cham nhat la ngay ...".
            r"|(?<!\w)truoc(?:\s+ngay)?|cham\s+nhat(?:\s+la|\s+vao)?(?:\s+ngay)?|han\s+chot"
            r"|(?<!\w)den(?:\s+het)?(?:\s+ngay)?"
            r"|(?<!\w)до(?:\s+конца)?|не\s+позднее|не\s+позже|(?<!\w)к|(?<!\w)ко|до\s+кінця|не\s+пізніше"
            r"|avant|d['’]ici|au\s+plus\s+tard|jusqu['’](?:à|en|au))\s*$",
            _I,
        ),
    ),
    (
        "after",
        re.compile(r"(?:\bafter|\bfollowing|sau(?:\s+khi)?|после|після|après)\s*$", _I),
    ),
    (
        "since",
        re.compile(
            r"(?:\bsince|\bfrom|starting(?:\s+from|\s+in)?|beginning\s+(?:in|from)"
            r"|kể\s+từ|bắt\s+đầu\s+từ|(?<!\w)từ"
            r"|начиная\s+с|(?<!\w)с|(?<!\w)со|(?<!\w)от|починаючи\s+з|(?<!\w)з|(?<!\w)із|(?<!\w)зі|(?<!\w)від"
            r"|depuis|à\s+partir\s+d[eu']|dès)\s*$",
            _I,
        ),
    ),
    (
        "in",
        re.compile(
            r"(?:\bin|\bduring|\bfor|\bof|\bover|\bwithin|\bthroughout|\bat|\bon"
            r"|trong|vào|(?<!\w)tại"
            r"|(?<!\w)в|(?<!\w)во|(?<!\w)за|(?<!\w)на|в\s+течение|(?<!\w)у|протягом|упродовж"
            r"|(?<!\w)en|pendant|durant|dans)\s*$",
            _I,
        ),
    ),
]
_RANGE_END = re.compile(r"^\s*(?:to|until|till|through|and|-|–|—|đến|tới|по|до|і|и|à|au)\s*$", _I)
_BETWEEN = re.compile(r"(?:between|giữa|между|між|entre)\s*$", _I)
_MERGER_BEFORE = re.compile(r"(?:before|prior\s+to|(?<!\w)pre-?|trước|до|перед|avant)\s*$", _I)
_MERGER_AFTER = re.compile(
    r"(?:after|following|since|(?<!\w)post-?|sau|kể\s+từ|từ|после|с\s+момента|(?<!\w)с|після|з\s+моменту|(?<!\w)з|depuis|après)\s*$",
    _I,
)
# "Now", "currently": of a unit merged away, after the merger (qa.understand decides);
# of a deadline, the one in force after any move (qa.lexicon.asks_the_deadline_now).
NOW = re.compile(
    r"\b(?:now|currently|today|nowadays|at\s+present)\b|hiện\s+nay|hiện\s+tại|bây\s+giờ"
    r"|\bhien\s+(?:nay|tai)\b|\bbay\s+gio\b"
    r"|(?<!\w)(?:сейчас|теперь|в\s+настоящее\s+время|зараз|тепер|нині)(?!\w)"
    r"|\b(?:désormais|maintenant|actuellement)\b",
    _I,
)


MergerSide = Literal["before", "after"]


def _merger_cues(text: str) -> Iterator[tuple[MergerSide, int, int]]:
    """Each "before the merger" or "after the merger" the text says, in any supported
    language: its side and where the words stand."""
    for match in _MERGER.finditer(text):
        window_start = max(0, match.start() - _CUE_WINDOW)
        before = text[window_start : match.start()]
        cue = _MERGER_BEFORE.search(before)
        side: MergerSide = "before"
        if cue is None:
            cue, side = _MERGER_AFTER.search(before), "after"
        if cue is not None:
            yield side, window_start + cue.start(), match.end()


def merger_sides(text: str) -> frozenset[MergerSide]:
    """The sides of the 1 July 2025 merger a text names in words ("Before the merger, the
    old Ha Giang province had completed 17 tasks"; "sau sáp nhập")."""
    return frozenset(
        side for side, _start, _end in _merger_cues(unicodedata.normalize("NFC", text))
    )


def since_the_merger(lang: str) -> TemporalConstraint:
    """The period after the 1 July 2025 merger, said in `lang`."""
    return TemporalConstraint(
        published_since=MERGER_DATE, period_text=_merger_text(lang, before=False)
    )


_EVENT_NOUN = re.compile(
    r"meeting|conference|session|summit|forum|visit|hội\s+nghị|cuộc\s+họp|phiên\s+họp|kỳ\s+họp"
    r"|buổi\s+làm\s+việc|(?<!\w)họp(?!\w)|заседани|совещани|встреч|конференци|сесси|форум"
    r"|засіданн|нарад|зустріч|конференці|сесі|réunion|séance",
    _I,
)
_CUE_WINDOW = 30
_QUALIFIER = re.compile(
    r"(?:\b(?:early|mid|late|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of|"
    r"the\s+start\s+of|start\s+of)|cuối|đầu|giữa|конца|начала|середины|кінця|початку|середини)"
    r"[\s-]*$",
    _I,
)


# --- anchors -------------------------------------------------------------------------------


def _month_number(name: str) -> int | None:
    for pattern, number in _MONTH_LOOKUP:
        if pattern.match(name.strip()):
            return number
    return None


def _ordinal(word: str) -> int | None:
    for pattern, number in _ORDINALS:
        if re.fullmatch(pattern, word, _I):
            return number
    return None


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), month_end(year, month)


def _quarter_range(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    return first, _month_range(year, 3 * quarter)[1]


def _implied_year(month: int, today: date, *, upcoming: bool) -> int:
    if upcoming:
        return today.year if month >= today.month else today.year + 1
    return today.year if month <= today.month else today.year - 1


def _plausible_named_month(text: str, match: re.Match[str]) -> bool:
    """English "may"/"march" (and French "mai") are also ordinary words: take them as months
    only when a year or day goes with them, or when written with a capital after a time
    preposition ("in May", "since March"; not "May I ask ...")."""
    name = match.group("mname")
    if name.lower() not in ("may", "march", "mar", "mar.", "mai"):
        return True
    if match.groupdict().get("year") or match.groupdict().get("day"):
        return True
    before = text[max(0, match.start() - 20) : match.start()]
    return name[0].isupper() and bool(_MONTH_PREPOSITION.search(before))


_MONTH_PREPOSITION = re.compile(
    r"(?:\b(?:in|by|since|from|until|till|before|after|of|during|early|late|mid|last|next|this|"
    r"through|to|and|between)|en|depuis|avant|après|jusqu'en|d'ici)[\s-]*$",
    re.IGNORECASE,
)


def _anchor_from(kind: str, match: re.Match[str], text: str) -> _Anchor | None:
    groups = match.groupdict()
    year_text = groups.get("year") or groups.get("y0")
    year = int(year_text) if year_text else None
    given = year is not None
    placeholder = year or 2000
    start, end = match.start(), match.end()
    if kind in ("iso", "dmy", "vi_day", "named_day", "named_day_us"):
        month = int(groups["month"]) if groups.get("month") else _month_number(groups["mname"])
        if kind.startswith("named") and not _plausible_named_month(text, match):
            return None
        if month is None or not 1 <= month <= 12:
            return None
        day = int(groups["day"])
        try:
            value = date(placeholder, month, day)
        except ValueError:
            return None
        return _Anchor(start, end, value, value, "day", given, month=month, day=day)
    if kind in ("vi_month", "my", "named_month"):
        if kind == "named_month" and not _plausible_named_month(text, match):
            return None
        month = int(groups["month"]) if groups.get("month") else _month_number(groups["mname"])
        if month is None or not 1 <= month <= 12:
            return None
        if (
            kind == "vi_month"
            and match.group(0)[:1].lower() == "t"
            and not match.group(0).lower().startswith("th")
            and not given
        ):
            return None  # a bare "T5" is not a month without a year
        first, last = _month_range(placeholder, month)
        return _Anchor(start, end, first, last, "month", given, month=month)
    if kind.startswith("quarter"):
        raw = groups.get("q") or groups.get("q0")
        if kind == "quarter_last":
            quarter = 4
        elif raw:
            quarter = _ROMAN.get(raw.lower()) or int(raw)
        elif groups.get("roman"):
            quarter = _ROMAN[groups["roman"].lower()]
        else:
            quarter = _ordinal(groups.get("ord") or "")  # type: ignore[assignment]
        if not quarter:
            return None
        first, last = _quarter_range(placeholder, quarter)
        return _Anchor(start, end, first, last, "quarter", given, quarter=quarter)
    if kind in ("half", "half_vi", "from_january") or kind.startswith("months_"):
        part = part_of_year(match)
        if part is None:
            return None
        if kind in ("half", "half_vi"):
            first = date(placeholder, part.first_month, 1)
            last = month_end(placeholder, part.last_month)
            half = 1 if part.first_month == 1 else 2
            return _Anchor(start, end, first, last, "half", given, half=half)
        if part.year is None:
            return None
        last = month_end(part.year, part.last_month)
        months = part.last_month
        return _Anchor(start, end, date(part.year, 1, 1), last, "months", True, months=months)
    if kind == "school_year":
        span = school_year(match)
        if span is None:
            return None
        return _Anchor(start, end, span[0], span[1], "school_year", True)
    if kind == "year" and year is not None:
        return _Anchor(start, end, date(year, 1, 1), date(year, 12, 31), "year", True)
    return None


def _relative_anchor(match: re.Match[str], unit: str, offset: int, today: date) -> _Anchor:
    if unit == "month":
        index = today.year * 12 + today.month - 1 + offset
        year, month = divmod(index, 12)
        first, last = _month_range(year, month + 1)
        return _Anchor(
            match.start(),
            match.end(),
            first,
            last,
            "month",
            True,
            month=month + 1,
            relative=match.group(0),
        )
    if unit == "quarter":
        index = today.year * 4 + (today.month - 1) // 3 + offset
        year, quarter = divmod(index, 4)
        first, last = _quarter_range(year, quarter + 1)
        return _Anchor(
            match.start(),
            match.end(),
            first,
            last,
            "quarter",
            True,
            quarter=quarter + 1,
            relative=match.group(0),
        )
    year = today.year + offset
    return _Anchor(
        match.start(),
        match.end(),
        date(year, 1, 1),
        date(year, 12, 31),
        "year",
        True,
        relative=match.group(0),
    )


def _with_year(anchor: _Anchor, year: int) -> _Anchor:
    if anchor.precision == "day":
        try:
            value = date(year, anchor.first.month, anchor.first.day)
        except ValueError:
            value = date(year, anchor.first.month, 28)
        return replace(anchor, first=value, last=value)
    if anchor.precision == "month" and anchor.month:
        first, last = _month_range(year, anchor.month)
    elif anchor.precision == "quarter" and anchor.quarter:
        first, last = _quarter_range(year, anchor.quarter)
    elif anchor.precision == "half" and anchor.half:
        first = date(year, 1 if anchor.half == 1 else 7, 1)
        last = date(year, 6, 30) if anchor.half == 1 else date(year, 12, 31)
    else:
        return anchor
    return replace(anchor, first=first, last=last)


def _find_anchors(text: str, today: date) -> list[_Anchor]:
    taken: list[tuple[int, int]] = []
    anchors: list[_Anchor] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for pattern, (unit, offset) in _RELATIVE:
        for match in pattern.finditer(text):
            if free(match.start(), match.end()):
                anchors.append(_relative_anchor(match, unit, offset, today))
                taken.append((match.start(), match.end()))
    for kind, pattern in _ANCHOR_PATTERNS:
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()) or not match.group(0).strip():
                continue
            if _a_name_not_a_month(match, text):
                continue
            anchor = _anchor_from(kind, match, text)
            if anchor is not None:
                anchors.append(anchor)
                taken.append((match.start(), match.end()))
    anchors.sort(key=lambda a: a.start)
    return anchors


_CYRILLIC_WORD = re.compile(r"[А-ЯЁІЇЄҐ][а-яёіїєґ]+")


def _a_name_not_a_month(match: re.Match[str], text: str) -> bool:
    """Whether a bare month word is a name: Russian and Ukrainian write months in lower
    case, so "Май" capitalised inside a sentence, with no day or year, is a person
    ("заместитель председателя Май Ван Туат": Mai, a Vietnamese surname)."""
    word = match.group(0).strip()
    if not _CYRILLIC_WORD.fullmatch(word):
        return False
    before = text[: match.start()].rstrip()
    return bool(before) and before[-1] not in '.!?«"('


# --- relations and the constraint ---------------------------------------------------------


def _cue(text: str, start: int) -> tuple[Relation | None, int]:
    """The relation named just before `start`, and where its cue word begins."""
    offset = max(0, start - _CUE_WINDOW)
    before = text[offset:start]
    # "by mid-May", "trước cuối tháng 5": the cue stands before the qualifier.
    qualifier = _QUALIFIER.search(before)
    if qualifier:
        before = before[: qualifier.start()]
    for relation, pattern in _CUES:
        match = pattern.search(before)
        if match:
            return relation, offset + match.start()
    return None, offset + len(before) if qualifier else start


@dataclass
class _Builder:
    lang: str
    published_since: date | None = None
    published_until: date | None = None
    deadline_since: date | None = None
    deadline_until: date | None = None
    event_since: date | None = None
    event_until: date | None = None
    as_of_day: date | None = None
    deadline_day: date | None = None

    def since(self, value: date) -> None:
        self.published_since = max(value, self.published_since or value)

    def until(self, value: date) -> None:
        self.published_until = min(value, self.published_until or value)


# The same period of the year before, asked beside the one named ("and what was it a year
# earlier?", "Cùng kỳ năm trước là bao nhiêu?", "so sánh … với cùng kỳ năm 2024"). Not
# after "so với", "over", "compared with": "tăng 9% so với cùng kỳ" is growth over it.
_A_YEAR_EARLIER = re.compile(
    r"\b(?:a\s+year\s+(?:earlier|before|ago)|the\s+year\s+before"
    r"|(?:in\s+|for\s+)?the\s+same\s+(?:period|time|quarter|months?)\s+(?:of\s+|in\s+)?"
    r"(?:the\s+)?(?:(?:last|previous|prior)\s+year|(?P<en_year>(?:19|20)\d\d)))\b"
    r"|(?<!\w)(?:cùng\s+kỳ|cung\s+ky)(?:\s+(?:năm|nam)\s+(?:trước|ngoái|truoc|ngoai|(?P<vi_year>(?:19|20)\d\d)))?"
    r"|(?<!\w)(?:годом\s+ранее|год\s+назад|роком\s+раніше|рік\s+тому)(?!\w)"
    r"|(?<!\w)(?:за\s+)?аналогичн\w+\s+период\w*(?:\s+(?:прошлого\s+года|(?P<ru_year>(?:19|20)\d\d)\s+года))?"
    r"|(?<!\w)(?:за\s+)?аналогічн\w+\s+період\w*(?:\s+(?:минулого\s+року|(?P<uk_year>(?:19|20)\d\d)\s+року))?",
    re.IGNORECASE,
)
_GROWTH_OVER = re.compile(
    r"(?:so\s+với|so\s+voi|\bover|\bthan|compared\s+(?:with|to)|по\s+сравнению\s+с|порівняно\s+з"
    r"|\bvs\.?)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class YearEarlier:
    """Where a question asks the same period of an earlier year, and which year it names
    (None: the year before the period named)."""

    start: int
    end: int
    year: int | None


def a_year_earlier(text: str) -> YearEarlier | None:
    """The words asking the same period of the year before beside the period named, if
    any (not a growth "over the same period": "tăng 9% so với cùng kỳ")."""
    for match in _A_YEAR_EARLIER.finditer(text):
        if _GROWTH_OVER.search(text, 0, match.start()):
            continue
        year = next((int(y) for y in match.groupdict().values() if y), None)
        return YearEarlier(match.start(), match.end(), year)
    return None


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier (28 February for a 29th with no leap year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def a_year_before(constraint: TemporalConstraint, year: int | None = None) -> TemporalConstraint:
    """The same constraint moved back to `year` (the year before its own when None): "the
    first quarter of 2025" -> that of 2024, "as of 31 May 2025" -> as of 31 May 2024."""
    named = (
        constraint.published_until
        or constraint.as_of_day
        or constraint.event_until
        or constraint.deadline_until
        or constraint.published_since
        or constraint.event_since
    )
    years = 1 if year is None or named is None else max(1, named.year - year)

    def back(day: date | None) -> date | None:
        return None if day is None else years_before(day, years)

    return replace(
        constraint,
        published_since=back(constraint.published_since),
        published_until=back(constraint.published_until),
        deadline_since=back(constraint.deadline_since),
        deadline_until=back(constraint.deadline_until),
        event_since=back(constraint.event_since),
        event_until=back(constraint.event_until),
        as_of_day=back(constraint.as_of_day),
        deadline_day=back(constraint.deadline_day),
    )


# The period asked on its own: "riêng quý III/2025", "only in Q3", "Q2 2025 alone", "Q2
# on its own", "только за III квартал", "лише за III квартал", "III квартал отдельно",
# "specifically in Q2", "chỉ trong quý II", "именно во II квартале", "саме у другому кварталі".
_ALONE_BEFORE = re.compile(
    r"(?:(?<!\w)riêng(?:\s+trong)?|(?<!\w)rieng|(?<!\w)chỉ(?:\s+(?:trong|tính|riêng))?|(?<!\w)chi\s+(?:tinh|rieng)"
    r"|\b(?:only|specifically|exactly)(?:\s+(?:in|for|during))?|(?<!\w)только(?:\s+(?:за|в|во))?"
    r"|(?<!\w)лише(?:\s+(?:за|у|в))?|(?<!\w)тільки(?:\s+(?:за|у|в))?|\bseulement"
    r"|(?<!\w)(?:именно|саме)(?:\s+(?:за|в|во|у))?"
    r"|(?<!\w)отдельно(?:\s+(?:за|в|во))?|(?<!\w)окремо(?:\s+(?:за|у|в))?)\s*$",
    re.IGNORECASE,
)
_ALONE_AFTER = re.compile(
    r"\s*(?:\balone\b|\bon\s+its\s+own\b|\bby\s+itself\b|(?<!\w)отдельно|(?<!\w)окремо)",
    re.IGNORECASE,
)


def asks_the_period_alone(text: str, constraint: TemporalConstraint) -> bool:
    """Whether the question asks its period on its own ("riêng quý III/2025", "Q2 2025
    alone"): a figure of a longer period holding it is not the period's. A quarter is
    always asked on its own: the nine months holding it are not the quarter's figure."""
    return constraint.named_precision == "quarter" or any(
        _ALONE_BEFORE.search(text, max(0, start - 16), start) or _ALONE_AFTER.match(text, end)
        for start, end in constraint.spans
    )


# Counts of months spelt as words ("the first nine months", "chín tháng đầu năm", "за
# девять месяцев", "перші дев'ять місяців", "les neuf premiers mois").
_MONTH_COUNTS = {
    **dict.fromkeys(("two", "hai", "два", "deux"), 2),
    **dict.fromkeys(("three", "ba", "три", "trois"), 3),
    **dict.fromkeys(("four", "bốn", "четыре", "чотири", "quatre"), 4),
    # Not "năm": it is also the year ("năm tháng" is seldom five months).
    **dict.fromkeys(("five", "пять", "п'ять", "п’ять", "cinq"), 5),
    **dict.fromkeys(("six", "sáu", "шесть", "шість"), 6),
    **dict.fromkeys(("seven", "bảy", "семь", "сім", "sept"), 7),
    **dict.fromkeys(("eight", "tám", "восемь", "вісім", "huit"), 8),
    **dict.fromkeys(("nine", "chín", "девять", "дев'ять", "дев’ять", "neuf"), 9),
    **dict.fromkeys(("ten", "mười", "десять", "dix"), 10),
    **dict.fromkeys(("eleven", "mười một", "одиннадцать", "одинадцять", "onze"), 11),
}
_MONTH_COUNT_WORD = re.compile(
    r"(?<![\w'’])("
    + "|".join(sorted((re.escape(w) for w in _MONTH_COUNTS), key=len, reverse=True))
    + r")(?=\s+(?:premiers\s+)?(?:(?:months?|tháng|mois)(?!\w)|месяц|місяц))",
    re.IGNORECASE,
)


def _month_counts_as_digits(text: str) -> str:
    """`text` with counts of months spelt as words written in digits, padded with spaces
    to the word's length so that offsets stay those of the question."""
    return _MONTH_COUNT_WORD.sub(
        lambda m: str(_MONTH_COUNTS[m.group(1).lower()]).ljust(len(m.group(1))), text
    )


def parse_temporal(text: str, lang: str, *, today: date) -> TemporalConstraint | None:
    """The date constraints a question expresses, or None when it names no time.

    `lang` chooses the language of `period_text`; the words themselves are recognised in
    every supported language whatever `lang` says.
    """
    # Russian writes "ё" or "е" at will ("четвёртом", "четвертом"); one for one, so spans
    # stay offsets into the question.
    text = unicodedata.normalize("NFC", text or "").replace("ё", "е").replace("Ё", "Е")
    if not text.strip():
        return None
    text = _month_counts_as_digits(text)
    constraint = _parse_temporal(text, lang, today, merger_cues=True)
    if (
        constraint is not None
        and constraint.published_since is not None
        and constraint.published_until is not None
        and constraint.published_since > constraint.published_until
    ):
        # "After the merger with Phu Yen, what share ... of the new Dak Lak in 2024?": the
        # merger names which province is meant; the year is the time asked.
        return _parse_temporal(text, lang, today, merger_cues=False)
    return constraint


def _parse_temporal(
    text: str, lang: str, today: date, *, merger_cues: bool
) -> TemporalConstraint | None:
    builder = _Builder(lang)
    year_inferred = False
    texts: list[str] = []
    spans: list[tuple[int, int]] = []

    for side, cue_start, cue_end in _merger_cues(text) if merger_cues else ():
        if side == "before":
            builder.until(MERGER_DATE - timedelta(days=1))
        else:
            builder.since(MERGER_DATE)
        texts.append(_merger_text(lang, before=side == "before"))
        spans.append((cue_start, cue_end))

    anchors = _years_from_the_question(
        [a for a in _find_anchors(text, today) if all(a.end <= s or a.start >= e for s, e in spans)]
    )
    # The period of the last plain "in" anchor, to join with the next one when apart.
    named: tuple[date, date] | None = None
    # That anchor's own period, whatever else bounds it, and how it was named.
    own_period: tuple[date, date] | None = None
    named_precision: str | None = None
    i = 0
    while i < len(anchors):
        anchor = anchors[i]
        relation, cue_start = _cue(text, anchor.start)
        if relation == "after" and anchor.months is not None:
            # "After the first nine months of 2025": at their end, what they gave.
            relation = "in"
        following = anchors[i + 1] if i + 1 < len(anchors) else None
        gap = text[anchor.end : following.start] if following else ""
        is_range = (
            following is not None
            and bool(_RANGE_END.match(gap))
            and (
                relation in ("since", None)
                or _BETWEEN.search(text[max(0, cue_start - 12) : anchor.start]) is not None
            )
        )
        if is_range and following is not None:
            first, last = _range_years(anchor, following, today)
            builder.since(first.first)
            builder.until(last.last)
            texts.append(_range_text(lang, first, last))
            spans.append((cue_start, following.end))
            i += 2
            continue
        if not anchor.year_given:
            year_inferred = True
            upcoming = relation == "deadline"
            anchor = _with_year(anchor, _implied_year(anchor.first.month, today, upcoming=upcoming))
        elif anchor.relative and anchor.precision == "year" and anchor.first.year == today.year:
            # "This year" is the asker's year, which the news may not have reached yet (a
            # plan's target "this year" asked in January): the year may be relaxed too.
            year_inferred = True
        relation = relation or "in"
        if relation == "dated":
            i += 1
            continue
        if relation == "deadline":
            builder.deadline_until = min(anchor.last, builder.deadline_until or anchor.last)
            if anchor.precision in ("day", "month"):
                builder.deadline_day = builder.deadline_until
        elif relation == "since":
            builder.since(anchor.first)
        elif relation == "after":
            builder.since(anchor.last + timedelta(days=1))
        elif relation == "as_of":
            builder.until(anchor.last)
            if anchor.precision == "day":
                builder.as_of_day = anchor.last
        else:
            # Reports of an event, or of one day's news, appear over the following days.
            event = anchor.precision == "day" or bool(
                _EVENT_NOUN.search(text[max(0, cue_start - 40) : cue_start + 1])
            )
            until = anchor.last + EVENT_REPORT_GRACE if event else anchor.last
            if named is not None and (anchor.first > named[1] or until < named[0]):
                # "In February and July 2025": either period, so the span from the first
                # to the last (one inside the other narrows: "in 2025, in February").
                builder.published_since = min(named[0], anchor.first)
                builder.published_until = max(named[1], until)
            else:
                builder.since(anchor.first)
                builder.until(until)
            if event:
                builder.event_since = min(anchor.first, builder.event_since or anchor.first)
                builder.event_until = max(anchor.last, builder.event_until or anchor.last)
            named = (builder.published_since or anchor.first, builder.published_until or until)
            own_period = (anchor.first, until)
            named_precision = anchor.precision
        texts.append(_relation_text(lang, relation, anchor))
        spans.append((cue_start, anchor.end))
        i += 1

    if not texts:
        return None
    first_day, last_day = builder.published_since, builder.published_until
    if first_day is not None and last_day is not None and first_day > last_day:
        # Two readings that cannot both hold ("at the end of June 2024, i.e. after Q2";
        # "Ханам (с июля 2025 года – часть Ниньбиня) по данным 2024 года"): the period
        # named for the figure stands, the open bound beside it goes.
        builder.published_since, builder.published_until = own_period or (None, last_day)
    constraint = TemporalConstraint(
        published_since=builder.published_since,
        published_until=builder.published_until,
        deadline_since=builder.deadline_since,
        deadline_until=builder.deadline_until,
        event_since=builder.event_since,
        event_until=builder.event_until,
        period_text="; ".join(dict.fromkeys(texts)),
        spans=tuple(sorted(spans)),
        year_inferred=year_inferred,
        as_of_day=builder.as_of_day,
        deadline_day=builder.deadline_day,
        named_precision=named_precision,
    )
    logger.debug("time in %r: %s", text[:80], constraint)
    return constraint


def _years_from_the_question(anchors: list[_Anchor]) -> list[_Anchor]:
    """A month, quarter or day named without a year takes the year the question names
    next to it ("in February and July 2025", "2025 tasks: what was decided in
    February?"): the nearest anchor with a year of its own, the following one on a tie.
    Only without any is the year inferred from today."""
    given = [a for a in anchors if a.year_given]
    if not given:
        return anchors
    placed: list[_Anchor] = []
    for anchor in anchors:
        if not anchor.year_given:
            nearest = min(
                given, key=lambda g: (abs(g.start - anchor.start), g.start < anchor.start)
            )
            anchor = replace(_with_year(anchor, nearest.first.year), year_given=True)
        placed.append(anchor)
    return placed


def _range_years(first: _Anchor, last: _Anchor, today: date) -> tuple[_Anchor, _Anchor]:
    if not last.year_given:
        last = _with_year(last, _implied_year(last.first.month, today, upcoming=False))
        last = replace(last, year_given=True)
    if not first.year_given:
        year = last.first.year
        candidate = _with_year(first, year)
        if candidate.first > last.last:
            candidate = _with_year(first, year - 1)
        first = candidate
    return first, last


# --- period_text ---------------------------------------------------------------------------

_EN_MONTHS = [calendar.month_name[m] for m in range(13)]


def _month_names(words: str) -> list[str]:
    """Month names January..December, indexed by month number (index 0 is unused)."""
    return ["", *words.split()]


_RU_MONTHS = {
    "nom": _month_names(
        "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь"
    ),
    "gen": _month_names(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    ),
    "loc": _month_names(
        "январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре"
    ),
}
_UK_MONTHS = {
    "nom": _month_names(
        "січень лютий березень квітень травень червень липень серпень вересень жовтень листопад грудень"
    ),
    "gen": _month_names(
        "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня"
    ),
    "loc": _month_names(
        "січні лютому березні квітні травні червні липні серпні вересні жовтні листопаді грудні"
    ),
}
_FR_MONTHS = _month_names(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
)
_ROMAN_OF = ["", "I", "II", "III", "IV"]
_RU_HALF = {
    "nom": ["", "первое полугодие", "второе полугодие"],
    "gen": ["", "первого полугодия", "второго полугодия"],
    "loc": ["", "первом полугодии", "втором полугодии"],
}
_UK_HALF = {
    "nom": ["", "перше півріччя", "друге півріччя"],
    "gen": ["", "першого півріччя", "другого півріччя"],
    "loc": ["", "першому півріччі", "другому півріччі"],
}
_RU_QUARTER = {"nom": "квартал", "gen": "квартала", "loc": "квартале"}
_FIRST_MONTHS = {
    "ru": {"nom": "первые", "gen": "первых", "loc": "первые"},
    "uk": {"nom": "перші", "gen": "перших", "loc": "перші"},
}
_UK_QUARTER = {"nom": "квартал", "gen": "кварталу", "loc": "кварталі"}


def _label(anchor: _Anchor, lang: str, case: str = "nom") -> str:
    y = anchor.first.year
    if anchor.precision == "school_year":
        return _school_year_label(y, lang, case)
    if lang == "vi":
        return {
            "day": f"ngày {anchor.first.day}/{anchor.first.month}/{y}",
            "month": f"tháng {anchor.first.month}/{y}",
            "quarter": f"quý {_ROMAN_OF[anchor.quarter or 1]}/{y}",
            "half": f"6 tháng {'đầu' if anchor.half == 1 else 'cuối'} năm {y}",
            "months": f"{anchor.months} tháng đầu năm {y}",
        }.get(anchor.precision, f"năm {y}")
    if lang in ("ru", "uk"):
        months = _RU_MONTHS if lang == "ru" else _UK_MONTHS
        halves = _RU_HALF if lang == "ru" else _UK_HALF
        quarter = _RU_QUARTER if lang == "ru" else _UK_QUARTER
        suffix = "г." if lang == "ru" else "р."
        if anchor.precision == "day":
            return f"{anchor.first.day} {months['gen'][anchor.first.month]} {y} {suffix}"
        if anchor.precision == "month":
            return f"{months[case][anchor.first.month]} {y} {suffix}"
        if anchor.precision == "quarter":
            return f"{_ROMAN_OF[anchor.quarter or 1]} {quarter[case]} {y} {suffix}"
        if anchor.precision == "half":
            return f"{halves[case][anchor.half or 1]} {y} {suffix}"
        if anchor.precision == "months":
            first = _FIRST_MONTHS[lang][case]
            return f"{first} {anchor.months} {'мес.' if lang == 'ru' else 'міс.'} {y} {suffix}"
        return f"{y} {suffix}"
    if lang == "fr":
        return {
            "day": f"{anchor.first.day} {_FR_MONTHS[anchor.first.month]} {y}",
            "month": f"{_FR_MONTHS[anchor.first.month]} {y}",
            "quarter": f"T{anchor.quarter} {y}",
            "half": f"S{anchor.half} {y}",
            "months": f"{y} ({anchor.months} premiers mois)",
        }.get(anchor.precision, str(y))
    return {
        "day": f"{anchor.first.day} {_EN_MONTHS[anchor.first.month]} {y}",
        "month": f"{_EN_MONTHS[anchor.first.month]} {y}",
        "quarter": f"Q{anchor.quarter} {y}",
        "half": f"H{anchor.half} {y}",
        "months": f"the first {anchor.months} months of {y}",
    }.get(anchor.precision, str(y))


_SCHOOL_YEAR_WORDS = {
    "ru": {"nom": "учебный год", "gen": "учебного года", "loc": "учебном году"},
    "uk": {"nom": "навчальний рік", "gen": "навчального року", "loc": "навчальному році"},
}


def _school_year_label(year: int, lang: str, case: str) -> str:
    years = f"{year}-{year + 1}"
    if lang == "vi":
        return f"năm học {years}"
    if lang in _SCHOOL_YEAR_WORDS:
        return f"{years} {_SCHOOL_YEAR_WORDS[lang][case]}"
    if lang == "fr":
        return f"année scolaire {years}"
    return f"the {years} school year"


_RELATION_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    # relation -> language -> (template, grammatical case of the label)
    "deadline": {
        "en": ("by {L}", "nom"),
        "vi": ("đến hết {L}", "nom"),
        "ru": ("не позднее {L}", "gen"),
        "uk": ("не пізніше {L}", "gen"),
        "fr": ("d'ici {L}", "nom"),
    },
    "since": {
        "en": ("since {L}", "nom"),
        "vi": ("từ {L}", "nom"),
        "ru": ("с {L}", "gen"),
        "uk": ("з {L}", "gen"),
        "fr": ("depuis {L}", "nom"),
    },
    "after": {
        "en": ("after {L}", "nom"),
        "vi": ("sau {L}", "nom"),
        "ru": ("после {L}", "gen"),
        "uk": ("після {L}", "gen"),
        "fr": ("après {L}", "nom"),
    },
    "as_of": {
        "en": ("as of {L}", "nom"),
        "vi": ("tính đến {L}", "nom"),
        "ru": ("по {L} включительно", "nom"),
        "uk": ("станом на {L}", "nom"),
        "fr": ("au {L}", "nom"),
    },
    "on": {
        "en": ("on {L}", "nom"),
        "vi": ("{L}", "nom"),
        "ru": ("{L}", "nom"),
        "uk": ("{L}", "nom"),
        "fr": ("le {L}", "nom"),
    },
    "in": {
        "en": ("in {L}", "nom"),
        "vi": ("trong {L}", "nom"),
        "ru": ("в {L}", "loc"),
        "uk": ("у {L}", "loc"),
        "fr": ("en {L}", "nom"),
    },
}


def _relation_text(lang: str, relation: str, anchor: _Anchor) -> str:
    if relation == "in" and anchor.precision == "day":
        relation = "on"
    templates = _RELATION_TEMPLATES.get(relation, _RELATION_TEMPLATES["in"])
    template, case = templates.get(lang, templates["en"])
    label_lang = lang if lang in templates else "en"
    if relation == "in" and anchor.precision == "year" and label_lang in ("ru", "uk"):
        case = "nom"
    return template.format(L=_label(anchor, label_lang, case))


def _range_text(lang: str, first: _Anchor, last: _Anchor) -> str:
    if lang == "vi":
        return f"từ {_label(first, 'vi')} đến {_label(last, 'vi')}"
    if lang in ("ru", "uk"):
        return f"{_label(first, lang)} – {_label(last, lang)}"
    if lang == "fr":
        return f"de {_label(first, 'fr')} à {_label(last, 'fr')}"
    return f"{_label(first, 'en')} – {_label(last, 'en')}"


def _merger_text(lang: str, *, before: bool) -> str:
    texts = {
        "en": ("before the merger (1 July 2025)", "after the merger (1 July 2025)"),
        "vi": ("trước khi sáp nhập (1/7/2025)", "sau khi sáp nhập (1/7/2025)"),
        "ru": ("до объединения (1 июля 2025 г.)", "после объединения (1 июля 2025 г.)"),
        "uk": ("до об'єднання (1 липня 2025 р.)", "після об'єднання (1 липня 2025 р.)"),
        "fr": ("avant la fusion (1er juillet 2025)", "après la fusion (1er juillet 2025)"),
    }
    pair = texts.get(lang, texts["en"])
    return pair[0] if before else pair[1]
