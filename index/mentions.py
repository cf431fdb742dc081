"""Dates and document numbers written in article text, with offsets.

Dates
-----
`find_dates(text, lang, reference=...)` finds written dates in Vietnamese, English,
Russian, Ukrainian, French and CJK forms (`17/03/2025`, `17.03.2025`, `2025-03-17`,
`ngày 17 tháng 3 năm 2025`, `tháng 5/2025`, `tháng 09`, `quý II/2025`, `Q2 2025`,
`March 17, 2025`, `17 March 2025`, `May 2025`, `13 марта 2025 года`, `в мае 2025 года`,
`до 31 травня 2025 року`, `2025 年 5 月 31 日`, `năm 2025`, `2030`...).

A date is stored as the first day of the period it names together with its precision
("day", "month", "quarter", "year"): "May 2025" is `date(2025, 5, 1)` with precision
"month". `period_end(mentioned)` gives the period's last day (2025-05-31), which is what
a deadline such as "by May 2025" means. Storing the start keeps values comparable with
filters (`mentioned_since`, `mentioned_until`) whichever end a caller needs.

Day and month with no year ("17 марта", "tháng 09", "March 17") take the year of
`reference` (the publication date); without a reference they are skipped.

`kind` is "deadline" when the words just before the date say so ("by", "no later than",
"before", "until", "до", "не позднее", "к", "не пізніше", "trước", "chậm nhất",
"không muộn hơn", "hoàn thành trong"...), "event" when the wording says something happened
then (a day after "on", "dated", "от", "від", "vào", "sáng"; any date followed in its
clause by "đã", "diễn ra", "состоялось", "відбулося", "was held"), else "mention".

Numbers that only look like dates are left alone: dates inside document numbers
(`13/2023/NĐ-CP`), a number after "№"/"No."/"số" ("группа № 1920"), and a four-digit
count ("2000 người").

The patterns are written by hand rather than taken from dateparser's `search_dates`:
that function reports no offsets (the same date twice in a text cannot be told apart),
reads "№ 1920" as the year 1920, and takes about half a second for a short paragraph.
All languages' patterns apply whatever `lang` says, because translated articles mix
forms (a Russian translation keeps `17/03/2025` datelines).

Document numbers
----------------
`facts.doc_numbers.find_doc_numbers(text)` finds numbers of Vietnamese official documents (`57-NQ/TW`,
`02-TB/BCĐ`, `1460-QĐ/TU`, `112/KH-UBND`, `13/2023/NĐ-CP`, `1234/QĐ-TTg`) and returns
them normalised by `normalize_doc_number`, which both documents and questions go through:
upper case, `Đ` folded to `D`, dashes unified, spaces and the "No."/"số"/"№" prefix
dropped. `No. 1460-QĐ/TU`, `số 1460-QD/TU` and `1460 - QĐ/TU` all become "1460-QD/TU".
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

from facts.doc_numbers import find_doc_numbers
from facts.vietnam_time import VIETNAM_TZ
from index.lexicon import (
    AMBIGUOUS_MONTHS,
    FIRST_HALF_WORD,
    FIRST_MONTHS,
    FIRST_MONTHS_YEARLESS,
    FROM_JANUARY,
    HALF,
    HALF_VI,
    HALF_ZH,
    MONTH_FORMS,
    SCHOOL_YEAR,
)
from index.models import DateKind, MentionedDate

logger = logging.getLogger(__name__)

Precision = Literal["day", "month", "quarter", "year"]


def vietnam_day(moment: datetime | None) -> date | None:
    """The calendar day of `moment` in Vietnam time (None stays None)."""
    return moment.astimezone(VIETNAM_TZ).date() if moment else None


# ---------------------------------------------------------------------------------------
# Periods


def overlaps(mentioned: MentionedDate, since: date | None, until: date | None) -> bool:
    """Whether the period a mentioned date names overlaps [since, until] (open ends count)."""
    return (until is None or mentioned.value <= until) and (
        since is None or period_end(mentioned) >= since
    )


def period_end(mentioned: MentionedDate) -> date:
    """The last day of the period a mentioned date names (its `value` is the first day)."""
    value = mentioned.value
    if mentioned.last is not None:
        return mentioned.last
    if mentioned.precision == "day":
        return value
    if mentioned.precision == "month":
        return month_end(value.year, value.month)
    if mentioned.precision == "quarter":
        last_month = (value.month - 1) // 3 * 3 + 3
        return month_end(value.year, last_month)
    return date(value.year, 12, 31)


def _quarter_start(year: int, quarter: int) -> date:
    return date(year, (quarter - 1) * 3 + 1, 1)


# ---------------------------------------------------------------------------------------
# Month and quarter words

_MONTH_FORMS = MONTH_FORMS
_MONTH_MATCHERS = {
    month: re.compile(rf"(?:{forms})", re.IGNORECASE) for month, forms in _MONTH_FORMS.items()
}
_MONTH = r"(?P<mname>" + "|".join(_MONTH_FORMS.values()) + r")(?!\w)"
# English month names that are also ordinary words need a capital and a preposition
# when no day and no year comes with them ("in May", not "may").
_AMBIGUOUS_MONTHS = AMBIGUOUS_MONTHS

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINAL_QUARTERS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "перв": 1,
    "втор": 2,
    "трет": 3,
    "четв": 4,
    "перш": 1,
    "друг": 2,
    "premi": 1,
    "1er": 1,
    "deuxi": 2,
    "2e": 2,
    "troisi": 3,
    "3e": 3,
    "quatri": 4,
    "4e": 4,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
}

_YEAR = r"(?P<year>(?:19|20)\d\d)"
_YEAR_SUFFIX = r"(?:\s*(?:года|году|год|гг\.|г\.|року|році|рік|рр\.|р\.))?"
_DAY = r"(?P<day>[0-3]?\d)"
# Words that make a four-digit number a count ("2000 người", "2025 hectares"), not a year;
# "tỷ lệ" is a rate, after a year ("năm 2025 tỷ lệ ... đạt 90%").
_COUNTED = (
    r"\s*(?:người|t[ỷỉ](?!\s*lệ)|triệu|nghìn|ngàn|hộ|ha|km|tấn|đồng|usd|vnd|people|persons|households"
    r"|hectares|tons|tonnes|billion|million|человек|рублей|тонн|гектар\w*|осіб|гривень)(?!\w)"
)


def _month_number(name: str) -> int | None:
    for month, matcher in _MONTH_MATCHERS.items():
        if matcher.fullmatch(name):
            return month
    return None


def _quarter_number(word: str) -> int | None:
    lower = word.lower().rstrip(".")
    if lower in _ROMAN:
        return _ROMAN[lower]
    if lower.isdigit() and 1 <= int(lower) <= 4:
        return int(lower)
    for prefix, quarter in _ORDINAL_QUARTERS.items():
        if lower.startswith(prefix):
            return quarter
    return None


# ---------------------------------------------------------------------------------------
# Patterns


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    value: date
    precision: Precision
    # The year came from the publication date, not the words.
    yearless: bool = False
    # The last day of a part of the year ("the first 9 months of 2025").
    last: date | None = None


_Handler = Callable[[re.Match[str], date | None], tuple[date, Precision] | None]


def _year_of(match: re.Match[str], reference: date | None) -> int | None:
    year = match.groupdict().get("year")
    if year:
        return int(year)
    return reference.year if reference is not None else None


def _safe_date(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric_day(match: re.Match[str], reference: date | None) -> tuple[date, Precision] | None:
    day, month = int(match.group("day")), int(match.group("month"))
    if month > 12 and day <= 12:
        day, month = month, day
    value = _safe_date(_year_of(match, reference), month, day)
    return (value, "day") if value else None


def _named_day(match: re.Match[str], reference: date | None) -> tuple[date, Precision] | None:
    name = match.group("mname")
    month = _month_number(name)
    if month is None or not _plausible_month_word(match, name):
        return None
    value = _safe_date(_year_of(match, reference), month, int(match.group("day")))
    return (value, "day") if value else None


def _plausible_month_word(match: re.Match[str], name: str) -> bool:
    """English month names that are also words ("may", "march") count only capitalised
    when no year comes with them."""
    if match.groupdict().get("year") or name.lower().rstrip(".") not in _AMBIGUOUS_MONTHS:
        return True
    return name[0].isupper()


def _numeric_month(match: re.Match[str], reference: date | None) -> tuple[date, Precision] | None:
    month = int(match.group("month"))
    if not 1 <= month <= 12:
        return None
    value = _safe_date(_year_of(match, reference), month, 1)
    return (value, "month") if value else None


def _named_month(match: re.Match[str], reference: date | None) -> tuple[date, Precision] | None:
    name = match.group("mname")
    month = _month_number(name)
    if month is None:
        return None
    if not _plausible_month_word(match, name):
        return None
    value = _safe_date(_year_of(match, reference), month, 1)
    return (value, "month") if value else None


def _quarter(match: re.Match[str], reference: date | None) -> tuple[date, Precision] | None:
    quarter = _quarter_number(match.group("quarter"))
    year = _year_of(match, reference)
    if quarter is None or year is None:
        return None
    return _quarter_start(year, quarter), "quarter"


def _year(match: re.Match[str], reference: date | None) -> tuple[date, Precision] | None:
    year = int(match.group("year"))
    if not 1950 <= year <= 2100:
        return None
    return date(year, 1, 1), "year"


_I = re.IGNORECASE
# A pattern's span is its `date` group where it has one (context words stay outside).
_PATTERNS: list[tuple[re.Pattern[str], _Handler, str]] = [
    # 2025-03-17
    (
        re.compile(
            r"(?<![\d.\-/])(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)"
        ),
        _numeric_day,
        "dash_date",
    ),
    # 17/03/2025, 17.03.2025, 17-03-2025, ngày 17/3/2025, ngày 17/3
    (
        re.compile(
            rf"(?<![\d.\-/])(?:ngày\s+)?{_DAY}(?P<sep>[/.\-])(?P<month>[01]?\d)"
            rf"(?P=sep){_YEAR}{_YEAR_SUFFIX}(?![\d/])",
            _I,
        ),
        _numeric_day,
        "sep_year",
    ),
    (
        re.compile(
            r"(?<![\d.\-/])(?:(?:ngày|hôm)\s+|(?<=sáng\s)|(?<=chiều\s)|(?<=trưa\s)|(?<=tối\s))"
            r"(?P<day>[0-3]?\d)[/.\-](?P<month>[01]?\d)(?![\d/\-]|\.\d)",
            _I,
        ),
        _numeric_day,
        "day_word",
    ),
    # ngày 17 tháng 3 năm 2025, 17 tháng 3, 2025
    (
        re.compile(
            rf"(?:ngày\s+)?{_DAY}\s+tháng\s+(?P<month>[01]?\d)(?:\s*,?\s*(?:năm\s+)?{_YEAR})?(?!\d)",
            _I,
        ),
        _numeric_day,
        "thang",
    ),
    # March 17, 2025 / March 17 / Mar. 17th
    (
        re.compile(
            rf"(?<!\w){_MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)(?:,?\s+{_YEAR})?(?!\d)",
            _I,
        ),
        _named_day,
        "month_word",
    ),
    # 17 March 2025 / 13 марта 2025 года / 31 травня 2025 року / 1er mars 2025 / 17 марта
    (
        re.compile(
            rf"(?<![\d\w]){_DAY}(?:er|st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"
            rf"(?:,?\s+{_YEAR}{_YEAR_SUFFIX})?(?!\d)",
            _I,
        ),
        _named_day,
        "month_word",
    ),
    # 2025 年 5 月 31 日, 2025년 5월 31일, 5月31日
    (
        re.compile(
            r"(?:(?P<year>(?:19|20)\d\d)\s*[年년]\s*)?(?P<month>[01]?\d)\s*[月월]\s*"
            r"(?P<day>[0-3]?\d)\s*[日일]"
        ),
        _numeric_day,
        "cjk_month",
    ),
    # 2025 年 5 月
    (
        re.compile(r"(?P<year>(?:19|20)\d\d)\s*[年년]\s*(?P<month>[01]?\d)\s*[月월](?!\s*\d)"),
        _numeric_month,
        "cjk_year",
    ),
    # tháng 5/2025, tháng 5 năm 2025, tháng 05-2025, tháng 09
    (
        re.compile(
            rf"tháng\s+(?P<month>[01]?\d)(?:\s*(?:/|-|\.|,?\s*năm)\s*{_YEAR})?(?![\d/])", _I
        ),
        _numeric_month,
        "thang",
    ),
    # 05/2025 (month and year only; not the start of a document number "01/2025/TT-BTC")
    (
        re.compile(rf"(?<![\d.\-/])(?P<month>[01]?\d)/{_YEAR}(?![\d/\-])"),
        _numeric_month,
        "slash_year",
    ),
    # May 2025, в мае 2025 года, травня 2025 року, mai 2025
    (
        re.compile(rf"(?<!\w){_MONTH}\s*,?\s+{_YEAR}{_YEAR_SUFFIX}(?!\d)", _I),
        _named_month,
        "month_word",
    ),
    # Month names with a preposition and no year: "in May", "в марте", "з березня", "en mai"
    (
        re.compile(
            r"(?<!\w)(?:in|by|until|before|since|from|during|end of|в|с|до|по|к|у|з|en|і|и|та)"
            rf"\s+(?P<date>{_MONTH})",
            _I,
        ),
        _named_month,
        "month_word",
    ),
    # quý II/2025, quý 2 năm 2025, quý II
    (
        re.compile(
            rf"quý\s+(?P<quarter>IV|I{{1,3}}|[1-4])(?!\w)(?:\s*(?:/|-|,?\s*năm)\s*{_YEAR})?(?![\d/])",
            _I,
        ),
        _quarter,
        "quy",
    ),
    # Q2 2025, Q2/2025, Q2-2025
    (
        re.compile(rf"(?<!\w)Q(?P<quarter>[1-4])\s*[/\-]?\s*{_YEAR}(?!\d)", _I),
        _quarter,
        "q_number",
    ),
    # 2025 Q2
    (re.compile(rf"(?<!\d){_YEAR}\s*[/\-]?\s*Q(?P<quarter>[1-4])(?!\w)", _I), _quarter, "q_number"),
    # second quarter of 2025, the 2nd quarter
    (
        re.compile(
            rf"(?P<quarter>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
            rf"(?:\s+(?:of\s+)?{_YEAR})?(?!\d)",
            _I,
        ),
        _quarter,
        "quarter",
    ),
    # troisième trimestre 2025, le premier trimestre, T3 2025
    (
        re.compile(
            rf"(?<!\w)(?P<quarter>premier|première|deuxième|second|seconde|troisième|quatrième"
            rf"|1er|2e|3e|4e)\s+trimestre(?:\s+(?:de\s+)?{_YEAR})?(?!\d)",
            _I,
        ),
        _quarter,
        "trimestre",
    ),
    # 2025年第三季度, 第三季度
    (
        re.compile(rf"(?:{_YEAR}\s*年\s*)?第?(?P<quarter>[一二三四1-4])\s*季度"),
        _quarter,
        "jidu",
    ),
    # второй квартал 2025 года, II квартал 2025 г., другий квартал 2025 року, 1 квартале
    (
        re.compile(
            rf"(?<!\w)(?P<quarter>(?:перв|втор|трет|четв[её]рт|перш|друг|четверт)\w*|IV|I{{1,3}}|[1-4])"
            rf"(?:-?(?:й|го|м|му|ом))?\s+квартал\w*(?:\s+{_YEAR}{_YEAR_SUFFIX})?(?!\d)",
            _I,
        ),
        _quarter,
        "kvartal",
    ),
    # năm 2025, 2025 году, in 2025, 2030
    (
        re.compile(
            rf"(?:năm\s+)?(?<![\d.,/]){_YEAR}{_YEAR_SUFFIX}(?![\d%]|[.,/]\d|{_COUNTED})", _I
        ),
        _year,
        "year",
    ),
]

# Gates: a piece of text every match of a pattern contains, with the pattern's flags. A
# pattern whose gate does not occur in a text cannot match it and is not run: most
# articles have no month names, quarters or CJK dates, and each pattern skipped is a scan
# of the whole article saved. A gate is implied by its patterns, so what is found is the
# same as running every pattern.
_GATES: dict[str, re.Pattern[str]] = {
    "dash_date": re.compile(r"(?:19|20)\d\d-"),
    "sep_year": re.compile(r"[/.\-](?:19|20)\d\d"),
    "day_word": re.compile(r"ngày|hôm|sáng|chiều|trưa|tối", _I),
    "thang": re.compile(r"tháng", _I),
    "cjk_month": re.compile(r"[月월]"),
    "cjk_year": re.compile(r"[年년]"),
    "slash_year": re.compile(r"/(?:19|20)\d\d"),
    "quy": re.compile(r"quý", _I),
    "q_number": re.compile(r"Q[1-4]", _I),
    "quarter": re.compile(r"quarter", _I),
    "kvartal": re.compile(r"квартал", _I),
    "trimestre": re.compile(r"trimestre", _I),
    "jidu": re.compile(r"季度"),
    "year": re.compile(_YEAR),
}


# Month names are the costliest patterns: a long case-insensitive alternation tried at
# every position. In each of them the name is a whole word (nothing word-like before or
# after it), and a match starts at the name itself, at the day or preposition word just
# before it, or at "end" of "end of": so they are tried only at the start of a month-name
# word and of the two words before it, which gives the same matches as scanning the text.
# Words repeat across articles, so each distinct word is checked once.
_MONTH_NAME = re.compile(rf"(?:{'|'.join(_MONTH_FORMS.values())})", _I)
_ANY_WORD = re.compile(r"\w+")
_WORDS_BEFORE_A_MONTH = 2


@lru_cache(maxsize=100_000)
def _is_month_name(word: str) -> bool:
    return _MONTH_NAME.fullmatch(word) is not None


# How far back the words before a month name are looked for first; the whole text
# before it is read when that window does not hold them whole.
_LOOK_BACK = 160


@lru_cache(maxsize=4096)
def _whole_words(words: frozenset[str]) -> re.Pattern[str]:
    """Occurrences of `words` as whole words (\\w+ runs), longest first."""
    alternation = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


def _month_match_starts(text: str) -> list[int]:
    """Where a month pattern may match: the starts of month-name words and of the two
    words before each, in text order. Only the month names of the text are looked up,
    and the words before each read from a window behind it, not every word's start."""
    months = frozenset(filter(_is_month_name, set(_ANY_WORD.findall(text))))
    if not months:
        return []  # most texts: no month name at all, so no word positions are needed
    positions: set[int] = set()
    for month in _whole_words(months).finditer(text):
        start = month.start()
        positions.add(start)
        positions.update(_word_starts_before(text, start, _WORDS_BEFORE_A_MONTH))
    return sorted(positions)


def _word_starts_before(text: str, end: int, count: int) -> list[int]:
    """The starts of the last `count` words (\\w+ runs) wholly before `end`."""
    low = max(0, end - _LOOK_BACK)
    starts = [m.start() for m in _ANY_WORD.finditer(text, low, end)][-count:]
    # A word cut by the window's edge, or too few words inside it: read from the start.
    if low > 0 and (len(starts) < count or starts[0] == low):
        starts = [m.start() for m in _ANY_WORD.finditer(text, 0, end)][-count:]
    return starts


def _matches_from(
    pattern: re.Pattern[str], text: str, starts: list[int]
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` when every match starts at one of `starts` (sorted): each
    position is tried in turn, and those inside the last match are skipped, as finditer
    does (lookbehinds still see the text before a position)."""
    end = 0
    for start in starts:
        if start < end:
            continue
        match = pattern.match(text, start)
        if match is not None:
            end = match.end()
            yield match


assert {gate for _, _, gate in _PATTERNS} <= set(_GATES) | {"month_word"}

# Numeric patterns that open with "no digit before" (`(?<![\d...])`) can only start at the
# first digit of a run of digits, or at the word some of them may begin with ("ngày 17/3",
# "năm 2025"). They are tried at those positions alone (`_matches_from`), which finds
# what scanning the text finds: a scan tries every character, and those patterns are
# most of the dates found and of the time spent finding them.
_DIGIT_RUN_START = re.compile(r"(?<!\d)\d")
_OPENING_WORDS: dict[str, re.Pattern[str] | None] = {
    "dash_date": None,
    "sep_year": re.compile("ngày", _I),
    "day_word": re.compile("ngày|hôm", _I),
    "slash_year": None,
    "year": re.compile("năm", _I),
}
_STARTS_AT: dict[re.Pattern[str], re.Pattern[str] | None] = {
    pattern: _OPENING_WORDS[gate] for pattern, _, gate in _PATTERNS if gate in _OPENING_WORDS
}


def _numeric_match_starts(
    text: str, opening: re.Pattern[str] | None, digit_starts: list[int]
) -> list[int]:
    """Where a pattern of `_STARTS_AT` may match: `digit_starts` and where its opening
    words occur, in text order."""
    if opening is None:
        return digit_starts
    words = [m.start() for m in opening.finditer(text)]
    return sorted(digit_starts + words) if words else digit_starts


# ---------------------------------------------------------------------------------------
# Kinds

_DEADLINE_BEFORE = re.compile(
    r"(?:\bby|\bno later than|\bnot later than|\bbefore|\buntil|\btill|\bdeadline(?:\s+(?:of|is))?"
    r"|\bdue(?:\s+(?:by|on))?|\bwithin|\bahead of"
    r"|(?<!\w)до|(?<!\w)не позднее|(?<!\w)не позже|(?<!\w)к|(?<!\w)срок(?:ом)?(?:\s+до)?"
    r"|(?<!\w)не пізніше(?:\s+ніж)?|(?<!\w)термін(?:ом)?(?:\s+до)?"
    r"|(?<!\w)trước|(?<!\w)chậm nhất(?:\s+là)?|(?<!\w)không muộn hơn|(?<!\w)không chậm hơn"
    r"|(?<!\w)hoàn thành(?:\s+(?:trong|trước))?|(?<!\w)hạn chót(?:\s+là)?|(?<!\w)đến hết"
    r"|(?<!\w)trong thời hạn|(?<!\w)đến|(?<!\w)avant|(?<!\w)d'ici|(?<!\w)au plus tard(?:\s+le)?)"
    r"(?:\s+(?:the\s+)?(?:end\s+of|конца|окончания|кінця|cuối|hết))?"
    r"(?:\s+(?:the|ngày|le))?\s*$",
    re.IGNORECASE,
)
_EVENT_BEFORE = re.compile(
    r"(?:\bon|\bdated|\bheld on|\btook place on|\bas of"
    r"|(?<!\w)от|(?<!\w)від|(?<!\w)утром|(?<!\w)вечером|(?<!\w)днем|(?<!\w)днём"
    r"|(?<!\w)vào|(?<!\w)sáng|(?<!\w)chiều|(?<!\w)tối|(?<!\w)le)\s*$",
    re.IGNORECASE,
)
_EVENT_AFTER = re.compile(
    r"^[^.;!?\n]{0,60}?(?:(?<!\w)đã(?!\w)|diễn ra|состоял[аои]?сь|состоялся|прош[её]л|прошло|прошла"
    r"|відбул[аои]?ся|відбулося|took place|was held|were held)",
    re.IGNORECASE,
)
_CONTEXT_CHARS = 40
_WORD_START = re.compile(r"(?<!\w)\w")


def _ends_with(pattern: re.Pattern[str], before: str, word_starts: list[int]) -> bool:
    """`pattern.search(before)` for the words-before patterns: each of their
    alternatives opens at the start of a word (`\\b`, `(?<!\\w)`), so only word starts
    are tried rather than every character."""
    return any(pattern.match(before, position) for position in word_starts)


def _kind(text: str, start: int, end: int, precision: Precision) -> DateKind:
    before = text[max(0, start - _CONTEXT_CHARS) : start]
    before = before.split("\n")[-1]
    word_starts = [m.start() for m in _WORD_START.finditer(before)]
    if _ends_with(_DEADLINE_BEFORE, before, word_starts):
        return "deadline"
    # "on", "dated", "от", "vào" name the day something happened; "based on 2025 data"
    # names no event.
    if precision == "day" and _ends_with(_EVENT_BEFORE, before, word_starts):
        return "event"
    after = text[end : end + 80].split("\n")[0]
    if _EVENT_AFTER.search(after):
        return "event"
    return "mention"


# ---------------------------------------------------------------------------------------
# Finding


def find_dates(
    text: str,
    lang: str | None = None,
    *,
    reference: date | None = None,
    doc_numbers: list[tuple[str, int, int]] | None = None,
) -> list[MentionedDate]:
    """Dates written in `text`, in text order, without overlaps (the longest reading wins).

    `doc_numbers` is `find_doc_numbers(text)` when the caller has it already."""
    if doc_numbers is None:
        doc_numbers = find_doc_numbers(text)
    blocked = [(start, end) for _, start, end in doc_numbers]
    candidates: list[_Candidate] = []
    gate_open: dict[str, bool] = {}
    month_starts: list[int] | None = None
    digit_starts: list[int] | None = None
    for pattern, handler, gate in _PATTERNS:
        matches: Iterator[re.Match[str]]
        if gate == "month_word":
            if month_starts is None:
                month_starts = _month_match_starts(text)
            matches = _matches_from(pattern, text, month_starts)
        else:
            if gate not in gate_open:
                gate_open[gate] = _GATES[gate].search(text) is not None
            if not gate_open[gate]:
                continue
            if pattern in _STARTS_AT:
                if digit_starts is None:
                    digit_starts = [m.start() for m in _DIGIT_RUN_START.finditer(text)]
                starts = _numeric_match_starts(text, _STARTS_AT[pattern], digit_starts)
                matches = _matches_from(pattern, text, starts)
            else:
                matches = pattern.finditer(text)
        for match in matches:
            span = "date" if "date" in pattern.groupindex else 0
            start, end = match.start(span), match.end(span)
            if any(start < b_end and b_start < end for b_start, b_end in blocked):
                continue
            # The sign reads on the digits: "số" before "năm 2024" is "digital" ("kinh tế
            # số năm 2024"), not "No.".
            if handler is _year and _after_number_sign(text, match.start("year")):
                continue
            parsed = handler(match, reference)
            if parsed is None:
                continue
            yearless = handler is not _year and not match.groupdict().get("year")
            candidates.append(_Candidate(start, end, parsed[0], parsed[1], yearless))
    chosen: list[_Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        if all(candidate.end <= c.start or c.end <= candidate.start for c in chosen):
            chosen.append(candidate)
    chosen.sort(key=lambda c: c.start)
    chosen = _years_from_the_sentence(text, chosen)
    chosen = _with_parts_of_years(text, chosen, reference)
    chosen = _with_school_years(text, chosen)
    return [
        MentionedDate(
            value=c.value,
            kind=_kind(text, c.start, c.end, c.precision),
            precision=c.precision,
            start=c.start,
            end=c.end,
            surface=text[c.start : c.end],
            last=c.last,
        )
        for c in chosen
    ]


# ---------------------------------------------------------------------------------------
# Parts of a year: halves and the first months

_PARTS_OF_A_YEAR = [
    re.compile(source, re.IGNORECASE)
    for source in (
        FROM_JANUARY,
        HALF,
        HALF_VI,
        HALF_ZH,
        *FIRST_MONTHS.values(),
        FIRST_MONTHS_YEARLESS,
    )
]
# A word every part of a year is written with (the months, the half, January): most
# sentences have none and are not read.
_PART_GATE = re.compile(
    r"months|mois|th[áa]ng|месяц|місяц|half|полугоди|півріч|половин|semestre|nửa|nua"
    r"|(?<!\w)h[12]|jan|январ|січ|半年|个月",
    re.IGNORECASE,
)
_FIRST_HALF = re.compile(rf"(?:{FIRST_HALF_WORD})$", re.IGNORECASE)


@dataclass(frozen=True)
class PartOfYear:
    """A half or the first months of a year, as written: from `first_month` to
    `last_month`, of `year` when the words give it."""

    start: int
    end: int
    first_month: int
    last_month: int
    year: int | None


def _parts_of_years(text: str) -> list[PartOfYear]:
    """The halves and first months of a year the text names, with the year when written."""
    if _PART_GATE.search(text) is None:
        return []
    found: list[PartOfYear] = []
    for pattern in _PARTS_OF_A_YEAR:
        for match in pattern.finditer(text):
            if any(match.start() < p.end and p.start < match.end() for p in found):
                continue
            part = part_of_year(match)
            if part is not None:
                found.append(part)
    return found


def part_of_year(match: re.Match[str]) -> PartOfYear | None:
    """The part of a year a match of one of `index.lexicon`'s patterns (`HALF`, `HALF_VI`,
    `HALF_ZH`, `FROM_JANUARY`, `FIRST_MONTHS`, `FIRST_MONTHS_YEARLESS`) names."""
    groups = match.groupdict()
    year_text = next((groups[g] for g in ("year", "y0", "y1", "y2", "y_zh") if groups.get(g)), None)
    year = int(year_text) if year_text else None
    if groups.get("h") or groups.get("ord") or groups.get("which"):
        if groups.get("h"):
            first_half = groups["h"] == "1"
        elif groups.get("which"):
            first_half = groups["which"].lower() in ("đầu", "dau", "上")
        else:
            first_half = _FIRST_HALF.match(groups["ord"]) is not None
        months = (1, 6) if first_half else (7, 12)
    else:
        last: int | None = None
        if groups.get("mname"):
            last = _month_number(groups["mname"])
        else:
            count = next(
                (groups[g] for g in ("n", "n2", "n_vi", "n_ru", "n_zh") if groups.get(g)), None
            )
            last = int(count) if count else None
        if last is None or not 1 < last <= 12:
            return None
        months = (1, last)
    return PartOfYear(match.start(), match.end(), months[0], months[1], year)


def _with_parts_of_years(
    text: str, chosen: list[_Candidate], reference: date | None
) -> list[_Candidate]:
    """Years named with a part of them ("9 tháng đầu năm 2025", "the first half of 2024")
    begin and end with that part, and so does a month that ends a span from January
    ("từ đầu năm đến hết tháng 7/2025"); their words are the date's, the count of months
    with them. A part written without its year ("in 5 months,
    the rate reached 63.5%") is of the latest year whose part had passed by publication."""
    out = list(chosen)
    for part in _parts_of_years(text):
        inside = [c for c in out if part.start <= c.start and c.end <= part.end]
        years = [c for c in inside if c.precision == "year"]
        if years:
            for c in years:
                year = c.value.year
                value, last = date(year, part.first_month, 1), month_end(year, part.last_month)
                # The whole part is the date: "9" of "9 tháng năm 2025" is no figure.
                out[out.index(c)] = replace(
                    c, value=value, last=last, start=part.start, end=part.end
                )
            continue
        if any(part.start < c.end and c.start < part.end for c in out if c not in inside):
            continue
        if part.year is not None:
            year = part.year
        elif inside:
            year = inside[-1].value.year
        elif reference is not None:
            ended = month_end(reference.year, part.last_month)
            year = (
                reference.year if ended <= reference + _PART_REPORTED_WITHIN else reference.year - 1
            )
        else:
            continue
        out = [c for c in out if c not in inside]
        value, last = date(year, part.first_month, 1), month_end(year, part.last_month)
        out.append(_Candidate(part.start, part.end, value, "year", not inside, last))
    return sorted(out, key=lambda c: c.start)


def school_year(match: re.Match[str]) -> tuple[date, date] | None:
    """The first and last day of the school year a match of `index.lexicon.SCHOOL_YEAR`
    names (1 September to 31 August), or None when its two years are not consecutive
    ("2021-25" is a plan's horizon)."""
    groups = match.groupdict()
    first, second = next(
        (groups[a], groups[b])
        for a, b in (("sy1", "sy2"), ("sy3", "sy4"), ("sy5", "sy6"))
        if groups[a]
    )
    year = int(first)
    if int(second) not in (year + 1, (year + 1) % 100):
        return None
    return date(year, 9, 1), date(year + 1, 8, 31)


_SCHOOL_YEAR = re.compile(SCHOOL_YEAR, re.IGNORECASE)


def _with_school_years(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """A school year ("năm học 2024-2025") is one period from 1 September to 31 August, in
    place of the two years its words name: the figures of "2023-2024" are not of the
    school year after it."""
    out = list(chosen)
    for match in _SCHOOL_YEAR.finditer(text):
        span = school_year(match)
        if span is None:
            continue
        start, end = match.start(), match.end()
        if any(start < c.end and c.start < end and c.precision != "year" for c in out):
            continue
        out = [c for c in out if c.end <= start or end <= c.start]
        out.append(_Candidate(start, end, span[0], "year", False, span[1]))
    return sorted(out, key=lambda c: c.start)


# How long after a part of a year ends a report of it still appears.
_PART_REPORTED_WITHIN = timedelta(days=45)


def month_end(year: int, month: int) -> date:
    """The last day of the month."""
    return date(year, month, calendar.monthrange(year, month)[1])


# Where a sentence ends: its mark and the space after it.
_SENTENCE_END = re.compile(r"[.!?。]\s")


def _years_from_the_sentence(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """A quarter, month or day written without a year after a year the sentence names
    takes that year, not the publication's: "cả năm 2024 đạt 64,3%, riêng quý IV đạt
    70,2%" reported in January 2025 is the fourth quarter of 2024."""
    out: list[_Candidate] = []
    for candidate in chosen:
        named = next(
            (
                earlier
                for earlier in reversed(out)
                if not earlier.yearless
                and _SENTENCE_END.search(text, earlier.end, candidate.start) is None
            ),
            None,
        )
        if candidate.yearless and named is not None and named.value.year != candidate.value.year:
            value = _safe_date(named.value.year, candidate.value.month, candidate.value.day)
            if value is not None:
                candidate = replace(candidate, value=value)
        out.append(candidate)
    return out


_NUMBER_SIGN = re.compile(r"(?:№|#|\bno\.?|\bnos\.?|\bsố|\bnr\.?)\s*$", re.IGNORECASE)


def _after_number_sign(text: str, start: int) -> bool:
    """A year-like number right after "№", "No." or "số" is a number, not a year."""
    return bool(_NUMBER_SIGN.search(text[max(0, start - 6) : start]))
