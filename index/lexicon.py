"""Calendar words shared by the index (dates mentioned in articles, `index.mentions`) and
Q&A (periods named in questions, `qa.temporal`).

It lives in `index/` because Q&A already depends on the index and the index must not
depend on Q&A: both layers import it without a back-edge. One table, so that a month
spelling the index recognises in an article is also recognised in a question.
"""

from __future__ import annotations

# Month names per month number, as regex alternatives: English, French, Russian and
# Ukrainian with their case endings (nominative, genitive, dative, locative, instrumental:
# "к июню", "до червня").
MONTH_FORMS: dict[int, str] = {
    1: r"january|jan\.?|janvier|январ(?:ь|я|е|ю|ём|ем)|січ(?:ень|ня|ні|ню|нем)",
    2: r"february|feb\.?|février|fevrier|феврал(?:ь|я|е|ю|ём|ем)|лют(?:ий|ого|ому|им)",
    3: r"march|mar\.?|mars|март(?:а|е|у|ом)?|берез(?:ень|ня|ні|ню|нем)",
    4: r"april|apr\.?|avril|апрел(?:ь|я|е|ю|ем)|квіт(?:ень|ня|ні|ню|нем)",
    5: r"may|mai|ма(?:й|я|е|ю|ем)|трав(?:ень|ня|ні|ню|нем)",
    6: r"june|jun\.?|juin|июн(?:ь|я|е|ю|ем)|черв(?:ень|ня|ні|ню|нем)",
    7: r"july|jul\.?|juillet|июл(?:ь|я|е|ю|ем)|лип(?:ень|ня|ні|ню|нем)",
    8: r"august|aug\.?|août|aout|август(?:а|е|у|ом)?|серп(?:ень|ня|ні|ню|нем)",
    9: r"september|sept?\.?|septembre|сентябр(?:ь|я|е|ю|ём|ем)|верес(?:ень|ня|ні|ню|нем)",
    10: r"october|oct\.?|octobre|октябр(?:ь|я|е|ю|ём|ем)|жовт(?:ень|ня|ні|ню|нем)",
    11: r"november|nov\.?|novembre|ноябр(?:ь|я|е|ю|ём|ем)|листопад(?:а|і|у|ом)?",
    12: r"december|dec\.?|décembre|decembre|декабр(?:ь|я|е|ю|ём|ем)|груд(?:ень|ня|ні|ню|нем)",
}

# English month names that are also ordinary words ("may", "march"): a month only with a
# day or year, or written with a capital after a time preposition ("in May").
AMBIGUOUS_MONTHS = frozenset({"may", "mar", "march", "jan", "jun", "dec", "sep", "oct"})


# Parts of a year a running total or a report covers, in each language's words, shared
# by the index (what period an article's figure is of) and Q&A (what period a question
# asks). Every pattern is a regex source, to be compiled case-insensitive.
_YEAR = r"(?P<year>(?:19|20)\d\d)"
YEAR_SUFFIX = r"(?:\s*(?:года|году|год|г\.|г\b|року|році|рік|р\.|р\b))?"
_ANY_MONTH = "|".join(f"(?:{forms})" for forms in MONTH_FORMS.values())

# A half year: "the first half of 2025", "H1 2025", "в первой половине 2025 года" (a half
# of a year, not "половина дня"), "у першому півріччі", "premier semestre". Groups: `h`
# (1 or 2), else `ord` (an ordinal word).
HALF = (
    r"(?<!\w)(?:(?:h(?P<h>[12]))|(?P<ord>first|second|1st|2nd|перв\w*|втор\w*|перш\w*|друг\w*"
    r"|premier|1er|second|2e|deuxième)"
    r"\s+(?:half(?:\s+of)?|полугоди\w*|півріч\w*|половин\w*(?=\s+(?:(?:19|20)\d\d|года|року))"
    r"|semestre(?:\s+de)?))"
    r"(?:\s+(?:the\s+year\s+)?" + _YEAR + YEAR_SUFFIX + r")?"
)
# "6 tháng đầu năm 2025", "nửa cuối năm": group `which` says the half.
HALF_VI = (
    r"(?:(?:6|sáu|sau)\s+th[áa]ng|nửa|nua)\s+(?P<which>đầu|dau|cuối|cuoi)\s+n[ăa]m(?:\s+"
    + _YEAR
    + r")?"
)
# "2025年上半年" (the first half of 2025), "下半年": group `which` says the half.
HALF_ZH = r"(?:" + _YEAR + r"\s*年\s*)?(?P<which>上|下)半年"
FIRST_HALF_WORD = r"first|1st|перв\w*|перш\w*|premier|1er"

# From January to a month ("jan-sep 2025", "from January to September 2025", "с января по
# сентябрь 2025 года", "từ đầu năm đến hết tháng 7/2025", "tháng 1-9/2025"): the last month
# is `mname` (a month's name) or `n`/`n2`, the year `year`, `y1` or `y2`.
FROM_JANUARY = (
    r"(?:(?:between\s+(?:" + MONTH_FORMS[1] + r")\s+and"
    r"|(?:(?:from|с|з|від|de|du)\s+)?(?:" + MONTH_FORMS[1] + r")"
    r"\s*(?:[-–—]|\s(?:to|through|till|until|по|до|à|au)\s))"
    # The last month may be qualified: "to mid-August 2025", "по середину августа", "до
    # конца августа".
    r"\s*(?:(?:early|mid|late)[-\s]+|the\s+(?:beginning|middle|end)\s+of\s+|(?:начал[оа]|середин[уы]"
    r"|кон(?:ец|ца)|початку|середини|кінця|(?:la\s+)?(?:mi|fin)[-\s]+)\s*)?"
    r"(?P<mname>"
    + _ANY_MONTH
    + r")\s+(?:of\s+)?"
    + _YEAR
    + YEAR_SUFFIX
    + r"|từ\s+(?:đầu\s+năm(?:\s+(?P<y0>(?:19|20)\d\d))?|tháng\s+(?:0?1|giêng))"
    r"\s+(?:đến|tới)\s+(?:hết\s+|cuối\s+|giữa\s+|đầu\s+)?tháng\s+(?P<n>\d{1,2})\s*(?:/|năm)\s*"
    r"(?P<y1>(?:19|20)\d\d)"
    r"|tháng\s+0?1\s*[-–]\s*(?P<n2>\d{1,2})\s*(?:/|năm)\s*(?P<y2>(?:19|20)\d\d))"
)

# The first months of a year with the year written ("9 tháng đầu năm 2025", "the first 10
# months of 2024", "за 9 месяцев 2025 года", "les 9 premiers mois de 2025"): group `n`.
FIRST_MONTHS: dict[str, str] = {
    "en": r"(?:(?:the\s+)?first\s+)?(?<![\w.,])(?P<n>\d{1,2})\s+months\s+(?:of\s+)?" + _YEAR,
    # "năm" may go unsaid: "5 tháng đầu 2025".
    "vi": r"(?<![\w.,])(?P<n>\d{1,2})\s+th[áa]ng\s+(?:(?:đầu|dau)\s+(?:n[ăa]m\s+)?|n[ăa]m\s+)"
    + _YEAR,
    "ru_uk": r"(?:(?:перв\w+|перш\w+)\s+)?(?<![\w.,])(?P<n>\d{1,2})\s+(?:месяц\w*|місяц\w*)\s+"
    + _YEAR
    + YEAR_SUFFIX,
    "fr": r"(?:les\s+)?(?<![\w.,])(?P<n>\d{1,2})\s+premiers\s+mois\s+(?:de\s+)?" + _YEAR,
}
# The same without the year, as a report writes them of the year it is about ("in 5
# months, the rate reached 63.5%", "5 tháng đầu năm", "за 9 месяцев"): only after a word
# that makes them a span of the year, not a duration ("completed within 5 months", "3
# months later").
FIRST_MONTHS_YEARLESS = (
    r"(?<!\w)(?:in|during|over|after)\s+(?:the\s+)?(?:first\s+)?(?P<n>\d{1,2})\s+months"
    r"(?!\s+(?:ago|later|earlier|before|after|from|of|in\s+a\s+row)\b)"
    # "compared with the level of the first 6 months": "first" makes it the year's.
    r"|(?<!\w)the\s+first\s+(?P<n2>\d{1,2})\s+months"
    r"(?!\s+(?:ago|later|earlier|before|after|from|of|in\s+a\s+row)\b)"
    r"|(?<![\w.,])(?P<n_vi>\d{1,2})\s+th[áa]ng\s+(?:đầu|dau)\s+n[ăa]m"
    r"|(?<!\w)(?:за|в|у)\s+(?:(?:первые|перші)\s+)?(?P<n_ru>\d{1,2})\s+(?:месяц\w*|місяц\w*)"
    # "2025年前9个月": the first 9 months (of 2025).
    r"|(?:(?P<y_zh>(?:19|20)\d\d)\s*年\s*)?前(?P<n_zh>\d{1,2})\s*个月"
)

# A school year, 1 September to 31 August, named by its two years ("năm học 2024-2025",
# "the 2024-25 school year", "2023-2024 учебном году", "навчальний рік 2024–2025",
# "année scolaire 2024-2025", "2024-2025学年"), or by a year and the next one's last two
# digits alone ("in 2024-25"). `school_year` checks that the years are consecutive.
_SCHOOL_YEAR_WORD = (
    r"(?:năm\s+học|nam\s+hoc|school\s+year|academic\s+year|учебн\w*\s+год\w*"
    r"|навчальн\w*\s+р(?:ік|оку|оці)|année\s+scolaire|学年)"
)
_TWO_YEARS = r"(?P<sy1>(?:19|20)\d\d)\s*[-–—/]\s*(?P<sy2>(?:19|20)?\d\d)(?![\d/])"
SCHOOL_YEAR = (
    rf"{_SCHOOL_YEAR_WORD}\s+(?:of\s+)?{_TWO_YEARS}"
    rf"|(?<![\d/.\-–—]){_TWO_YEARS.replace('sy1', 'sy3').replace('sy2', 'sy4')}\s*{_SCHOOL_YEAR_WORD}"
    r"|(?<![\d/.\-–—\w])(?P<sy5>(?:19|20)\d\d)-(?P<sy6>\d\d)(?![\d/\-–—])"
)
