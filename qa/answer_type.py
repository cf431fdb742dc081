"""The kind of value a question asks for, and whether a sentence states one.

"What share of applications were processed online?" wants a percentage, "How much did
the province allocate?" an amount of money, "What rank did it take?" a position, "How
many communes?" a count. A sentence that answers such a question states a value of that
kind; one that only shares its topic ("the committee discussed online services") does
not. This is what tells a near-miss apart: the right province and period, the topic
discussed, and the figure asked for reported nowhere.

Cues are matched on the question in every supported language (vi, en, ru, uk, fr, zh);
the first kind whose cue matches wins, most specific first.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Literal

from facts.folding import fold_for_matching as fold
from facts.folding import fold_latin_diacritics
from qa.lexicon import (
    STOPWORDS,
    content_tokens,
    indexes_named,
    stem,
    within_one_edit,
    word_tokens,
)

AnswerType = Literal["percent", "score", "rank", "money", "count"]
# The values other than a count, which a count cue may ask for ("how many billion dong").
_NON_COUNT_VALUES: tuple[AnswerType, ...] = ("percent", "score", "rank", "money")
# Everything a question may ask for: a value, a person, a date, a document's number.
AnswerPart = Literal["percent", "score", "rank", "money", "count", "person", "date", "document"]

_I = re.IGNORECASE

# English nouns asking a count after what they count ("the OCOP product count"); not the
# verb ("does it count as").
_COUNT_NOUN_AFTER = r"\b(?:count|tally)\b(?!\s+(?:as|on|towards?)\b)"
_COUNTED_BEFORE = re.compile(_COUNT_NOUN_AFTER, re.IGNORECASE)

# "How much land", "how much water", "how much waste": a thing measured by its area or
# volume, asked by its measure, not by money. (Goods sold are asked as often by their
# value: "how much durian did Dak Lak export, by volume and value".)
_MEASURED_THING = (
    r"(?:land|area|forest|water|waste|garbage|rubbish|rain|rainfall|electricity|power"
    r"|energy)\b"
)

# Question cues, most specific first: "what share of the budget" asks for a percentage,
# "how many billion dong" for money, "how many projects" for a count.
_QUESTION_CUES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (
        "percent",
        re.compile(
            r"(?<!\d)(?<!\d\s)%|\bpercent|\bpercentage|\bproportion\b|\bwhat\s+share\b|\bshare\s+of\b|\brate\b"
            r"|tỷ\s+lệ|tỉ\s+lệ|tỷ\s+trọng|tỉ\s+trọng|phần\s+trăm"
            r"|(?<!\w)дол[яюи](?!\w)|(?<!\w)процент|(?<!\w)частк|(?<!\w)відсот"
            r"|\btaux\b|pourcentage|比例|百分"
            # Growth is told in per cent ("GRDP grew by 9.12%", "tăng trưởng 10,2%").
            r"|\bgrowth\b|\bgr[eo]w(?:s|n|ing)?\b|tăng\s+trưởng|(?<!\w)рост(?:а|ом|у)?(?!\w)"
            r"|(?<!\w)вырос\w*|(?<!\w)прирост|(?<!\w)зростанн|(?<!\w)зріс|(?<!\w)зросл\w*"
            r"|(?<!\w)приріст|croissance|增长|增速",
            _I,
        ),
    ),
    # An index's score ("what PAPI score", "bao nhiêu điểm", "какой балл"), before its
    # rank: "what score in the DTI ranking" asks the score.
    (
        "score",
        re.compile(
            r"\bscor(?:e|es|ed)\b|\bhow\s+many\s+points\b"
            r"|(?:bao\s+nhiêu|mấy)\s+điểm|điểm\s+số|(?<!\w)số\s+điểm"
            r"|(?<!\w)балл|(?<!\w)(?:який|скільки)\s+бал|(?<!\w)бал(?:и|ів)(?!\w)",
            _I,
        ),
    ),
    (
        "rank",
        re.compile(
            r"\brank(?:ed|ing|s)?\b|\bwhat\s+position\b"
            r"|xếp\s+(?:hạng|thứ)|thứ\s+mấy|đứng\s+thứ"
            r"|(?<!\w)(?:какое|какую|каком)\s+мест|(?<!\w)(?:яке|якому)\s+місц|рейтинг"
            r"|classement|\brang\b|排名|第几",
            _I,
        ),
    ),
    # Coverage is told as a share ("forest cover 59.6%", "độ bao phủ BHYT 93,6%"), after
    # the rank and score cues: "какое место по лесистости" asks a rank.
    (
        "percent",
        re.compile(
            r"\bcoverage\b|\bforest\s+cover\b|độ\s+(?:che|bao)\s+phủ|(?<!\w)охват(?!\w)"
            r"|(?<!\w)охвата|(?<!\w)покрыти|(?<!\w)покритт|лесистост|лісистіст|\bcouverture\b"
            r"|覆盖率",
            _I,
        ),
    ),
    (
        "money",
        re.compile(
            r"\bbudget|\bfunding\b|\bfunds?\b|\bmoney\b|\bcost"
            r"|kinh\s+phí|ngân\s+sách|bao\s+nhiêu\s+(?:tỷ|triệu|tiền)"
            r"|бюджет|денег|средств|финансир|стоимост|грош|кошт|фінансув|вартіст"
            r"|combien\s+d['’]argent|financement|预算|资金|多少钱"
            # Money earned: revenue, income, turnover.
            r"|\brevenues?\b|\bincomes?\b|\bturnover\b|doanh\s+thu|thu\s+nhập|kim\s+ngạch"
            r"|(?<!\w)доход|(?<!\w)выручк|(?<!\w)дохід|(?<!\w)доходи|(?<!\w)виручк"
            r"|\brecettes?\b|\brevenus?\b|收入",
            _I,
        ),
    ),
    (
        "count",
        re.compile(
            r"\bhow\s+many\b|\bnumber\s+of\b|bao\s+nhiêu|(?<!\w)mấy(?!\w)"
            r"|сколько|скільки|\bcombien\b|多少|几"
            # Asked by a noun: "the OCOP product count", "số lượng", "число учетных
            # записей" (not "до какого числа", a day), "кількість", "nombre de", "数量".
            rf"|{_COUNT_NOUN_AFTER}|(?<!\w)số\s+lượng(?!\w)|(?<!\w)количеств|(?<!\w)кількіст"
            r"|(?<!какого\s)(?<!какое\s)(?<!якого\s)(?<!яке\s)(?<!\w)числ[оа](?!\w)"
            r"|\bnombre\s+d(?:e|es|'|’)|数量",
            _I,
        ),
    ),
    # A population is a count of people ("3.56 million people"), of no other thing.
    (
        "count",
        re.compile(r"\bpopulation\b|dân\s+số|(?<!\w)населени|(?<!\w)населенн|人口", _I),
    ),
    # Weaker money cues, after counts: "how many investment projects" counts projects.
    # Last: `value_cue_words` reads every tier but this one.
    (
        "money",
        re.compile(
            rf"\bhow\s+much\b(?!\s+{_MEASURED_THING})|\ballocat|\binvest(?!or)|\bspend|\bputting\s+into\b"
            r"|(?<!human\s)\bresources\b|(?<!\w)ресурс|\bressources\b"
            r"|nguồn\s+lực|(?<!\w)vốn(?!\w)|dành\s+bao|выдел|вклад|виділ|вкла",
            _I,
        ),
    ),
)

_NUMBER = r"\d[\d.,\s]*"
# "billion", "млрд"... between the amount and its currency ("1,062 billion dong").
_SCALE = (
    r"\s*(?:(?:billion|million|trillion|bn|mn|млрд|млн|трлн|тыс|тис|triệu|nghìn|ngàn"
    r"|миллиард\w*|миллион\w*|мільярд\w*|мільйон\w*"
    r"|milliards?|millions?)\.?\s*)?(?:(?:of|de)\s+|d['’])?"
)
_CURRENCY = (
    r"(?:đồng|vnd|dongs?|донг\w*|usd|us\$|\$|€|euros?|рубл\w*|гривень|元)(?!\w)"
    # Chinese: "580亿越南盾" (58 billion dong), "3.05亿美元".
    r"|(?<=\d)\s*[万亿]?\s*(?:越南盾|美元|元)"
)
# A number of points ("41,25 điểm", "67.85 points", "0,6412 балла"; not "9.3 percentage
# points"), or a score of an index written as a fraction of one ("đạt 0,4312").
_POINTS = (
    r"\d[\d.,]*\s*(?:points?|pts|điểm(?!\s+phần)|балл\w*|бал(?:а|и|ів)?(?!\w))"
    r"|(?<![\d.,])0[.,]\d{3,4}(?![\d%]|[.,]\d)"
)
# Some indexes score in per cent (the PAR INDEX's "88.61%", SIPAS's); the others in points.
_PER_CENT_SCORE = r"\d+[.,]\d+\s*%"
_SCORED_IN_PER_CENT = frozenset({"par", "sipas"})
_POINTS_ONLY = re.compile(_POINTS, _I)
_VALUE_PATTERNS: dict[AnswerType, re.Pattern[str]] = {
    # Each value whole, from its first digit ("62,7%", "VND 1,520 billion"): a count is
    # what is left once they are taken out.
    # Not a change in percentage points ("down 3.08 percentage points", "на 3,08
    # процентного пункта"): a difference, not a share.
    "percent": re.compile(
        r"(?:\d[\d.,]*)?\d\s*(?:%|percent(?!age\s+points?)|per\s+cent|phần\s+trăm"
        r"|процент(?!\w*\s+пункт)|відсот(?!\w*\s+пункт)|pour\s+cent)",
        _I,
    ),
    # A number of points ("41,25 điểm", "67.85 points", "0,6412 балла"; not "9.3 percentage
    # points"), or a score of an index written as a fraction of one ("đạt 0,4312").
    # Some indexes score in per cent (the PAR INDEX's "88.61%").
    "score": re.compile(rf"{_POINTS}|{_PER_CENT_SCORE}", _I),
    "rank": re.compile(
        # Russian and Ukrainian ordinal endings: "14-е", "2-го", "1-ше", "3-тє", "7-ме".
        r"\d+\s*(?:st|nd|rd|th)\b"
        r"|\d+-(?:е|й|я|го|м|му|ое|ее|ой|ом|ого|ому|є|а|ї|ий|ій|те|ге|ше|тє|ме)(?!\w)"
        r"|\d+\s+(?:мест|місц)|(?:thứ|hạng|top)\s+\d+|\d+\s*/\s*\d+|\bno\.\s*\d+"
        r"|\d+(?:e|ème)\b|第\s*\d+",
        _I,
    ),
    # An amount with its currency; Vietnamese "tỷ" (billion) alone is always money in
    # these papers, while "million" alone is as often people as dong. "tỉ" is a whole
    # word: "63 tỉnh" is 63 provinces.
    "money": re.compile(
        _NUMBER + r"(?:\s*(?:nghìn|ngàn))?\s*(?:tỷ|tỉ)(?!\s*lệ)(?!\w)"
        r"|" + _NUMBER + _SCALE + _CURRENCY + r"|(?:vnd|usd|\$|€)\s*\d(?:[\d.,]*\d)?" + _SCALE,
        _I,
    ),
    "count": re.compile(r"\d"),
}


# A change in percentage points, in the papers' languages.
_PERCENTAGE_POINTS = (
    r"(?:\d[\d.,]*)?\d\s*(?:percentage\s+points?|điểm\s+phần\s+trăm|процентн\w*\s+пункт\w*"
    r"|відсотков\w*\s+пункт\w*|points?\s+de\s+pourcentage|п\.\s?п\.)"
)
# A rating in stars ("đạt 3 sao và 4 sao", "5-star", "3 звезд", "4 зірки"): a grade, not
# a number of things.
_STAR_RATING = r"\d\s*(?:-\s*)?(?:sao|stars?|звезд\w*|звёзд\w*|зірк\w*|зір(?!\w)|étoiles?|星)(?!\w)"
# Numbers that are not counts: amounts of money, percentages, changes in percentage points,
# ranks and star ratings, whole.
_NOT_COUNTS = re.compile(
    "|".join(
        [
            *(_VALUE_PATTERNS[kind].pattern for kind in _NON_COUNT_VALUES),
            _PERCENTAGE_POINTS,
            _STAR_RATING,
        ]
    ),
    _I,
)


# Vietnamese cues typed without diacritics ("bao nhieu xa phuong"), matched on the folded
# question when nothing above matched.
_FOLDED_VIETNAMESE_CUES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    ("percent", re.compile(r"\b(?:ty|ti)\s+(?:le|trong)\b|\bphan\s+tram\b")),
    ("score", re.compile(r"\b(?:bao\s+nhieu|may)\s+diem\b|\bdiem\s+so\b")),
    ("rank", re.compile(r"\bxep\s+(?:hang|thu)\b|\bthu\s+may\b|\bdung\s+thu\b")),
    ("money", re.compile(r"\bkinh\s+phi\b|\bngan\s+sach\b|\bbao\s+nhieu\s+(?:ty|trieu|tien)\b")),
    # "bao nhiu": the casual spelling.
    ("count", re.compile(r"\bbao\s+nhie?u\b|\bso\s+may\b|\bso\s+luong\b")),
    ("money", re.compile(r"\bnguon\s+luc\b")),
)


_COUNT_CUE = next(cue for kind, cue in _QUESTION_CUES if kind == "count")
_FOLDED_COUNT_CUE = next(cue for kind, cue in _FOLDED_VIETNAMESE_CUES if kind == "count")


# Nouns of resources: a count cue whose ask is one of them asks for an amount. ("vốn" is
# not one: "bao nhiêu vốn FDI" also asks how many projects brought it.)
# What a count cue counts when it asks for money: resources, capital, funds.
_RESOURCES = re.compile(
    r"(?<!human\s)\bresources\b|\bfunds\b|\bcapital\b|(?<!\w)ресурс|(?<!\w)средств"
    r"|(?<!\w)коштів|\bressources\b|nguồn\s+lực|(?<!\w)vốn(?!\w)|kinh\s+phí"
    # What a province sells abroad is reported by its value ("xuất khẩu được bao nhiêu").
    r"|\bexports?\b|(?<!\w)xuất\s+khẩu|(?<!\w)экспорт|(?<!\w)експорт|\bexportations?\b",
    _I,
)
_FOLDED_RESOURCES = re.compile(r"\bnguon\s+luc\b|\bvon\b|\bkinh\s+phi\b|\bxuat\s+khau\b")
_WORD = re.compile(r"\w+")
# A count cue followed by an allocation, with no noun counted between ("скільки з цього
# виділено", "сколько было выделено"): it asks how much money.
_ALLOCATED = re.compile(
    r"(?:\s+(?:з|из|із)\s+(?:цього|этого|них|них)|\s+(?:было|було|буде|будет|đã|được))*"
    r"\s+(?:выдел|виділ|вкладе|вкладено|dành|bố\s+trí)",
    _I,
)


# The end of an ask: its mark, an aside in brackets, or the end of the question ("đạt bao
# nhiêu (tính đến hết tháng 5/2024)?"); not a preposition, which may go on to what is
# counted ("сколько в нём членов").
_ASK_END = r"\s*(?:[?.!;:(]|$)"
_ASK_CLOSED = re.compile(_ASK_END)
# What follows a count cue that counts no noun of its own: the end of the ask, a comma, or
# the period or the place of the ask ("xuất khẩu được bao nhiêu trong 9 tháng", "bao nhiêu
# một năm", "сколько за год").
_CLOSING_THE_ASK = re.compile(
    _ASK_END + r"|\s*,|\s*(?:trong|vào|tính|đến|tới|từ|năm|một|mỗi|khoảng|so\s+với|tại|ở"
    r"|in|during|over|by|since|at|for\s+(?:the|\d)|за|в|во|к|до|с|у|на|від|з)(?!\w)",
    _I,
)


def _counts_an_amount(
    text: str, cue: re.Match[str], resources: re.Pattern[str] = _RESOURCES
) -> bool:
    """Whether a count cue asks for an amount of resources: the resources are what it
    counts ("скільки ресурсів", "how many resources"), or it closes the question after
    naming them ("tổng nguồn lực ... là bao nhiêu?", the Vietnamese order)."""
    rest = text[cue.end() :]
    if resources.match(rest.lstrip()) or _ALLOCATED.match(rest):
        return True
    closes = _WORD.search(rest) is None or _CLOSING_THE_ASK.match(rest) is not None
    return closes and resources.search(text, 0, cue.start()) is not None


def expected_answer_type(question: str) -> AnswerType | None:
    """The kind of value the question asks for, or None when it asks for none."""
    text = unicodedata.normalize("NFC", question)
    for kind, cue in _QUESTION_CUES:
        match = cue.search(text)
        if match:
            if kind == "count" and _counts_an_amount(text, match):
                return "money"
            return kind
    folded = fold_latin_diacritics(text).lower()
    for kind, cue in _FOLDED_VIETNAMESE_CUES:
        match = cue.search(folded)
        if match:
            if kind == "count" and _counts_an_amount(folded, match, _FOLDED_RESOURCES):
                return "money"
            return kind
    return None


def answer_type_asked(question: str, parts: Sequence[AnswerPart]) -> AnswerType | None:
    """The kind of value the question asks for (`expected_answer_type`), read with every
    part it asks (`asked_parts`): a count cue asking a document's number asks no count
    ("the number of the plan"); a money word with no amount asked is what the document
    asked about is about; a count cue asking the value of the one other kind the question
    names asks for that value ("how many billion dong", "сколько млрд донгов")."""
    kind = expected_answer_type(question)
    if kind == "count" and count_cue_asks_document(question):
        return None
    if kind == "money" and "money" not in parts:
        return None
    if kind == "score" and "score" not in parts and "rank" in parts:
        return "rank"  # "score and rank": the rank's clause states both
    if kind == "count" and "count" not in parts:
        valued = [value for value in _NON_COUNT_VALUES if value in parts]
        if len(valued) == 1:
            return valued[0]
    return kind


def count_cue_asks_document(question: str) -> bool:
    """Whether the question's count cue is part of asking a document's number ("the
    number of the plan", "số mấy"), not how many of something ("how many tasks are in
    Plan No. 09" counts tasks)."""
    text = unicodedata.normalize("NFC", question)
    _source, counts = _count_cues(text)
    count = counts[0] if counts else None
    document = _document_cue(text)
    return (
        count is not None
        and document is not None
        and count.start() < document.end()
        and document.start() < count.end()
    )


# An amount asked outright, beside the count cues ("how much", "what amount").
_HOW_MUCH = re.compile(r"\bhow\s+much\b|\bwhat\s+amount\b", _I)


def asks_several_dates(question: str) -> bool:
    """Whether the question asks for two dates ("... trước ngày nào, và hạn ... là khi
    nào?", "when ... and by when ..."): two date cues."""
    return len(_DATE_CUE.findall(unicodedata.normalize("NFC", question))) > 1


# Cues of the other parts a question may ask for; "ai" is "who" in Vietnamese only.
_PART_CUES: tuple[tuple[AnswerPart, re.Pattern[str]], ...] = (
    (
        "person",
        re.compile(
            r"\bwho(?:m|se)?\b|(?<!\w)(?:кто|кого|кем|хто|кого|ким)(?!\w)|\bqui\b|谁",
            _I,
        ),
    ),
    (
        "date",
        re.compile(
            r"\bwhen\b|\bwhat\s+date\b|\bwhich\s+day\b|khi\s+nào|ngày\s+nào|bao\s+giờ"
            r"|(?<!\w)(?:когда|коли)(?!\w)|какого\s+числа|якого\s+числа|\bquand\b|何时|什么时候",
            _I,
        ),
    ),
    (
        "document",
        re.compile(
            r"\b(?:plan|decision|resolution|programme|program|document|notice)\s+(?:no\b|number)"
            r"|\bnumber\s+of\s+(?:\S+\s+){0,3}?(?:plan|decision|programme|notice)"
            r"|\bwhich\s+(?:plan|decision|programme|notice)\b|\bwhat\s+(?:action\s+)?(?:plan|decision|programme)\b"
            r"|\b(?:plan|decision|resolution)\s+numbers?\b"
            r"|số\s+(?:mấy|bao\s+nhiêu|hiệu)|(?<!\w)номер"
            # "theo quyết định nào", "каким решением", "який план": which document.
            r"|(?:kế\s+hoạch|quyết\s+định|nghị\s+quyết|văn\s+bản|chương\s+trình|chỉ\s+thị"
            r"|công\s+điện|công\s+văn|thông\s+báo)\s+(?:nào|gì)(?!\w)"
            r"|\bwhich\s+(?:directive|dispatch|telegram|official\s+letter)\b"
            r"|(?<!\w)(?:как\w*|як\w*)\s+(?:решени\w*|план\w*|постановлени\w*|рішенн\w*|постанов\w*"
            r"|директив\w*|телеграм\w*|депеш\w*|распоряжени\w*|розпорядженн\w*)",
            _I,
        ),
    ),
)
_VI_WHO = re.compile(r"(?<!\w)ai(?!\w)", _I)
_DOCUMENT_CUE = next(cue for kind, cue in _PART_CUES if kind == "document")
# The Vietnamese document cues typed without diacritics ("ke hoach so may"), read in the
# folded question.
_FOLDED_DOCUMENT_CUE = re.compile(
    r"\bso\s+(?:may|bao\s+nhieu|hieu)\b"
    r"|\b(?:ke\s+hoach|quyet\s+dinh|nghi\s+quyet|van\s+ban|chuong\s+trinh)\s+(?:nao|gi)\b"
)
_DATE_CUE = next(cue for kind, cue in _PART_CUES if kind == "date")


def _document_cue(text: str) -> re.Match[str] | None:
    """The question's cue asking which document: in the question itself, else in its
    folded form, for Vietnamese typed without diacritics ("ke hoach so may")."""
    return _DOCUMENT_CUE.search(text) or _FOLDED_DOCUMENT_CUE.search(
        fold_latin_diacritics(text).lower()
    )


# A document's number written right after its cue: the question names the document.
_NAMED_NUMBER = re.compile(r"\.?\s*\d")


# The kinds of document, by the code their numbers carry ("318-KH/TU" is a plan,
# "1127/QĐ-UBND" a decision), and the words that name each kind in a question.
_DOCUMENT_KIND_WORDS = {
    "KH": r"plan|kế\s+hoạch|ke\s+hoach|план",
    "QD": r"decision|quyết\s+định|quyet\s+dinh|решени|рішенн|décision",
    "CT": r"directive|chỉ\s+thị|chi\s+thi|директив",
    "TB": r"notice|thông\s+báo|thong\s+bao|уведомлени|повідомленн",
    "CD": r"dispatch|telegram|công\s+điện|cong\s+dien|телеграм|депеш",
    "CTR": r"programme|program|chương\s+trình|chuong\s+trinh|программ|програм",
    "NQ": r"resolution|nghị\s+quyết|nghi\s+quyet|постановлени|резолюц|постанов",
}
_DOCUMENT_KINDS = {
    code: re.compile(rf"(?<!\w)(?:{words})", _I) for code, words in _DOCUMENT_KIND_WORDS.items()
}
# Words naming a document of any kind, those whose numbers carry no code of their own
# among them (an official letter, "công văn", an order).
DOCUMENT_WORDS = "|".join(
    [
        *_DOCUMENT_KIND_WORDS.values(),
        r"official\s+letter|công\s+văn|распоряжени|розпорядженн|arrêté",
    ]
)
# How far from the cue asking which document its kind may be named ("kế hoạch số mấy").
KIND_WINDOW = 16


@lru_cache(maxsize=256)
def document_kinds_asked(question: str) -> frozenset[str]:
    """The codes of the kinds of document a question asks which of ("which plan" -> KH,
    "яку телеграму" -> CD), read at its cue asking which document; empty when it names none."""
    text = unicodedata.normalize("NFC", question)
    cue = _document_cue(text)
    if cue is None:
        return frozenset()
    near = text[max(0, cue.start() - KIND_WINDOW) : cue.end() + KIND_WINDOW]
    return frozenset(code for code, words in _DOCUMENT_KINDS.items() if words.search(near))


def document_kind(number: str) -> str | None:
    """The kind code of a normalised document number ("318-KH/TU" -> "KH")."""
    codes = re.split(r"[-/]", number.upper())
    return next((code for code in codes[1:] if code in _DOCUMENT_KINDS), None)


def _whole_words(text: str, start: int, end: int) -> str:
    """The words a cue touches, whole ("грош" in "грошей" gives "грошей")."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


def value_cue_words(question: str, parts: tuple[AnswerPart, ...]) -> tuple[str, ...]:
    """The words of the question that name the kind of value it asks for ("how much
    money", "what share", "скільки грошей", "total resources"). Whether a sentence gives
    that value is read from the value itself (`states_answer_type`): the sentence that
    states "1 062 млрд донгів" seldom repeats "гроші", so these words are not its topic."""
    text = unicodedata.normalize("NFC", question)
    words: list[str] = []
    # The weaker money cues ("invest", "vốn", "виділ") name what is done with the money
    # ("vốn FDI"): they stay topic.
    for kind, cue in _QUESTION_CUES[:-1]:
        if kind not in parts:
            continue
        for match in cue.finditer(text):
            found = _whole_words(text, match.start(), match.end())
            if found.strip() and found not in words:
                words.append(found)
    return tuple(words)


# Words after a count cue read as what is counted: the head word comes first in
# Vietnamese and Russian ("đơn vị cấp xã", "задач"), after a modifier or two in English.
MAX_COUNTED_WORDS = 2


# English plurals that do not end in "s".
_IRREGULAR_PLURALS = frozenset(
    {"people", "children", "staff", "personnel", "police", "women", "men"}
)


def _english_head(cue: str, rest: str) -> str | None:
    """What "how many" counts in English: the plural noun its phrase is about, the words
    before it being modifiers ("how many community digital technology teams" counts
    teams, not communities). None when the phrase has no plural before its first
    function word ("how many of its tasks", "how many were left")."""
    if not cue.lower().startswith("how"):
        return None
    for word in word_tokens(rest):
        if word in STOPWORDS:
            return None
        if word in _IRREGULAR_PLURALS or (
            len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))
        ):
            return word
    return None


def _count_cues(question: str) -> tuple[str, list[re.Match[str]]]:
    """The question's count cues and the text they were found in: the question itself,
    else its folded form for Vietnamese typed without diacritics ("bao nhieu")."""
    text = unicodedata.normalize("NFC", question)
    matches = list(_COUNT_CUE.finditer(text))
    if matches:
        return text, matches
    source = fold_latin_diacritics(text).lower()
    return source, list(_FOLDED_COUNT_CUE.finditer(source))


def counted_words(question: str) -> tuple[str, ...]:
    """What a count question counts: the content words after each of its count cues, up
    to the next ask ("number of tasks and funding" -> "tasks"; "bao nhieu don vi cap xa"
    -> "don", "vi"; "how many km of dykes and how many weak points" -> both), folded as
    `content_tokens` folds them."""
    source, matches = _count_cues(question)
    words: list[str] = []
    for match in matches:
        rest = source[match.end() :]
        joined = _ASKS_JOINED.search(rest)
        rest = re.split(r"[?.!]", rest[: joined.start()] if joined else rest, maxsplit=1)[0]
        # A unit right after the cue is what is counted in, even a word too common to be
        # a topic ("bao nhiêu ngày").
        if _COUNTED_BEFORE.fullmatch(match.group(0)):
            # "the OCOP product count": what is counted stands before the noun.
            counted = _phrase_before(source[: match.start()])
            words.extend(w for w in counted if w not in words)
            continue
        if _NOUN_LEFT_OUT.match(rest) and match.group(0).lower().startswith("how"):
            # "how many sites were set up and how many were finished": the second count
            # is of what the first one counts.
            continue
        unit = [w for w in word_tokens(rest)[:1] if _measured(w)]
        head = _english_head(match.group(0), rest)
        # After a unit, the words of what it measures ("bao nhiêu MW điện gió").
        words_after = [w for w in content_tokens(rest) if w not in unit]
        counted = unit + ([head] if head else words_after[:MAX_COUNTED_WORDS])
        words.extend(w for w in counted if w not in words)
    return tuple(words)


# "how many" straight before a verb leaves out the noun it counts.
_NOUN_LEFT_OUT = re.compile(
    r"\s*(?:were|was|are|is|have|has|had|did|do|does|will|would|can|could|remain(?:ed)?)(?!\w)",
    _I,
)


def _phrase_before(text: str) -> list[str]:
    """The content words of the noun phrase ending `text`, back to its first function
    word ("What was the OCOP product" -> "ocop", "product")."""
    phrase: list[str] = []
    for word in reversed(word_tokens(text)):
        if word in STOPWORDS:
            break
        phrase.insert(0, word)
    return content_tokens(" ".join(phrase))[-MAX_COUNTED_WORDS:]


# A second figure of what is counted, joined to the first ask: "... and total", "và
# tổng số", "и всего сколько".
_TOTAL_ASKED = re.compile(
    r"(?<!\w)(?:and|và|и|і|та|et)\s+(?:(?:the|in|a|в|у)\s+)?"
    r"(?:total|overall|altogether|tổng|всего|усього|загалом|итого|au\s+total)(?!\w)",
    _I,
)


def asks_several_counts(question: str) -> bool:
    """Whether the question asks for two figures of what it counts ("how many tasks in
    total and how many finished?", "how many new ones and total?"): both are answered by
    the sentence whole, not by the clause of one of them."""
    text = unicodedata.normalize("NFC", question)
    _source, cues = _count_cues(question)
    return len(cues) >= 2 or (bool(cues) and _TOTAL_ASKED.search(text, cues[0].end()) is not None)


# Units by what they measure, as written in the sources and the questions: lengths,
# areas, weights, power and time. A number with one of them measures, it does not count
# ("fishing vessels 15 metres or longer" says nothing of how many vessels; "in the first
# 3 months of 2025" says how long, not how many of what the question counts).
_UNITS: dict[str, tuple[str, ...]] = {
    "length": (
        "km",
        "m",
        "metre",
        "meter",
        "mét",
        "kilometre",
        "kilometer",
        "метр",
        "километр",
        "кілометр",
        "км",
        "м",
        "mètre",
        "kilomètre",
    ),
    "area": ("ha", "hectare", "héc-ta", "km2", "km²", "m2", "m²", "гектар", "га"),
    "weight": ("kg", "tấn", "ton", "tonne", "тонн", "тон", "кг"),
    "power": ("mw", "kw", "kwh", "мвт", "квт"),
    "time": (
        "day",
        "week",
        "month",
        "year",
        "ngày",
        "tuần",
        "tháng",
        "năm",
        "дней",
        "дня",
        "дни",
        "день",
        "днів",
        "недел",
        "тижн",
        "месяц",
        "місяц",
        "год",
        "лет",
        "рок",
        "jour",
        "semaine",
        "mois",
        "an",
        "ans",
        "année",
    ),
}
_UNIT_WORD = "|".join(
    sorted((re.escape(u) for units in _UNITS.values() for u in units), key=len, reverse=True)
)
# "3 первых месяца", "9 tháng đầu năm" (the qualifier may come first or after).
_QUALIFIER = r"(?:first|last|перв\w*|последн\w*|перш\w*|останн\w*)\s+"
_MEASURE = re.compile(rf"\d[\d.,]*\s*(?:{_QUALIFIER})?(?P<unit>(?:{_UNIT_WORD})\w*)(?!\w)", _I)


# Days and weeks, as a question names them (folded) and as a duration writes them.
_DAYS_WORD = re.compile(
    r"days?|weeks?|ngay|tuan|дне\w*|дня|дни|день|дн\w*|недел\w*|тижн\w*|jours?|semaines?|天|周"
)
_DAYS = re.compile(
    r"\d+\s*(?:days?|weeks?|ngày|tuần|дн(?:ей|я|і|ів)|день|недел\w*|тижн\w*|jours?|semaines?|天|周)(?!\w)",
    _I,
)


# Units folded as question words are (`content_tokens`): "tháng" -> "thang", "дней" -> "днеи".
_FOLDED_UNITS = {kind: tuple(fold(unit) for unit in units) for kind, units in _UNITS.items()}


def _measured(word: str) -> str | None:
    """What a unit word measures ("metres", "метрів", "km" -> "length"; "months" ->
    "time"), if it is one. A short unit is one only as a whole word ("m", not "million")."""
    word = fold(word)
    for kind, units in _FOLDED_UNITS.items():
        for unit in units:
            if word == unit or (len(unit) >= 3 and word.startswith(unit)):
                return kind
    return None


# Quantities a question may ask the measure of ("what capacity", "công suất bao nhiêu",
# "какая площадь"), by what their units measure.
_QUANTITIES: dict[str, re.Pattern[str]] = {
    "power": re.compile(r"\bcapacity\b|công\s+suất|мощност|потужн|\bpuissance", _I),
    "area": re.compile(r"\barea\b|diện\s+tích|площад|superficie", _I),
    "length": re.compile(r"\blength\b|chiều\s+dài|протяж[её]нн|довжин|longueur", _I),
}


@lru_cache(maxsize=256)
def measures_asked(question: str) -> frozenset[str]:
    """What the measures the question asks for measure ("what is the data centre's
    capacity" is answered by "20 MW"), read from the quantities it names."""
    text = unicodedata.normalize("NFC", question)
    return frozenset(kind for kind, words in _QUANTITIES.items() if words.search(text))


def _without_measures(text: str, counted: Sequence[str], measured: frozenset[str]) -> str:
    """The text with its measures and durations blanked, unless the question counts in
    that unit ("how many km of dykes", "скільки гектарів", "how many days") or asks for
    a quantity it measures (`measured`: `measures_asked`)."""
    asked = ({_measured(word) for word in counted} - {None}) | measured

    def blank(match: re.Match[str]) -> str:
        measured = _measured(match.group("unit"))
        kept = measured is None or measured in asked
        return match.group(0) if kept else " " * len(match.group(0))

    return _MEASURE.sub(blank, text)


def blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with each span (clipped to it) replaced by as many spaces: offsets into
    it stay offsets into the original ("7 May 2025" and "Plan 151-KH/TU" are not values)."""
    for start, end in spans:
        start, end = max(0, start), min(len(text), end)
        if start < end:
            text = text[:start] + " " * (end - start) + text[end:]
    return text


# Words for one thing counted, any of which names what another counts: "how many
# residents" is answered by "538,900 people", "how many dossiers" by "41,380 records",
# "сколько электронных удостоверений" by "учетных записей электронной идентификации",
# "скільки балів" by "67,92 бала". Each group is one thing in the sources' languages.
_COUNTED_ALIKE_RAW = (
    "people persons residents citizens inhabitants individuals người"
    " человек людей жителей граждан лиц осіб людей жителів громадян мешканців"
    " personnes habitants citoyens",
    # Visitors are people too: "how many people came to the festival" by "112,000 visitors"
    # (but residents are not visitors).
    "visitors tourists guests arrivals travellers travelers people persons khách du khách"
    " посетителей туристов гостей людей человек відвідувачів туристів гостей людей осіб"
    " visiteurs touristes personnes",
    "records dossiers applications files documents"
    " досье заявлений заявок документов дел справ заяв заявок документів"
    " demandes documents",
    "accounts identifications identities"
    " удостоверений удостоверения идентификации учетных записей"
    " облікових записів ідентифікації посвідчень comptes identifiants",
    "points scores баллов балла балл бала балів бали бал pts",
    "houses homes dwellings apartments домов дома жилых квартир будинків"
    " будинки будинок житла квартир maisons logements",
    # "khu", "điểm" in translation: "resettlement sites", "13 resettlement areas".
    "sites areas zones locations площадок участков зон мест майданчиків ділянок зон місць"
    " zones emplacements",
)
_COUNTED_ALIKE = tuple(
    frozenset(stem(t) for t in content_tokens(group)) for group in _COUNTED_ALIKE_RAW
)


@lru_cache(maxsize=256)
def _counted_forms(counted: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str | None]]:
    """What a question counts, read once for all its candidate sentences: the stems of its
    words with those of every word of their kind, and the measures its units are of
    (dates name years and months everywhere: only a measure of something else counts)."""
    own = {stem(t) for t in counted}
    asked = set(own)
    for alike in _COUNTED_ALIKE:
        # Only the question's own words open a kind: residents are people, and visitors
        # are people, but residents are not visitors.
        if own & alike:
            asked |= alike
    measures = frozenset(_measured(word) for word in counted) - {None, "time"}
    return frozenset(asked), measures


def names_counted(counted: Sequence[str], sentence: str) -> bool:
    """Whether the sentence names what the question counts (any of `counted_words`, or a
    word of its kind: `_COUNTED_ALIKE`; a unit by a figure in any unit of what it
    measures: "how many kilometres" by "418 km")."""
    tokens = content_tokens(sentence)
    present = {stem(t) for t in tokens}
    asked, measures = _counted_forms(tuple(counted))
    if measures & {_measured(m.group("unit")) for m in _MEASURE.finditer(sentence)}:
        return True
    if any(_DAYS_WORD.fullmatch(fold(word)) for word in counted) and _DAYS.search(sentence):
        # "bao nhiêu ngày" by "75 ngày": days and weeks are durations as a number writes
        # them (months and years are as often a date's words).
        return True
    return bool(asked & present) or any(
        _inflected(word, token) or _mistyped(word, token) or _compounded(word, token)
        for word in counted
        for token in tokens
    )


# A figure as a count writes it: "1,204", "1.148", "1 108 920" (a space groups thousands).
_COUNT_FIGURE = re.compile(
    r"(?<![\w.,])\d(?:[.,]\d{3}(?!\d)|[\s\u00a0\u202f]\d{3}(?![\d.,]\d)|\d)*(?![^\W\d_])"
)
# Where the words a figure counts end: punctuation or the next figure ("5G" is a word).
_COUNTED_WORDS_END = re.compile(r"[,;:()\[\]，；]|(?<!\w)\d(?![^\W\d_])")
# How many words after a figure say what it counts ("1,204 full-process online public
# services"); the rest of its clause says something else.
MAX_WORDS_COUNTED = 6


def count_figures(
    sentence: str,
    counted: Sequence[str] = (),
    measured: frozenset[str] = frozenset(),
    not_figures: Iterable[tuple[int, int]] = (),
) -> list[tuple[int, int, str]]:
    """The sentence's counts, each as (start, end, the words after it that say what it
    counts): not its amounts, percentages, ranks, measures or durations (unless asked as
    `states_answer_type` reads them), nor the spans in `not_figures` (dates, document
    numbers)."""
    text = unicodedata.normalize("NFC", sentence)
    text = _NOT_COUNTS.sub(lambda match: " " * len(match.group(0)), text)
    text = blanked(_without_measures(text, counted, measured), not_figures)
    figures = []
    for match in _COUNT_FIGURE.finditer(text):
        rest = text[match.end() :]
        stop = _COUNTED_WORDS_END.search(rest)
        words = sentence[match.end() : match.end() + (stop.start() if stop else len(rest))]
        figures.append((match.start(), match.end(), " ".join(words.split()[:MAX_WORDS_COUNTED])))
    return figures


# The length below which one wrong letter may make another word ("cases", "bases").
_MIN_MISTYPED = 6


def _mistyped(asked: str, written: str) -> bool:
    """Whether a word of the question is a word of the sentence typed with one letter
    wrong, missing, extra or swapped ("acounts" for "accounts")."""
    return min(len(asked), len(written)) >= _MIN_MISTYPED and within_one_edit(asked, written)


# The shortest word a compound's last part may be ("продуктов" in "сельхозпродуктов"),
# and the shortest shortened word before it ("гос", "сельхоз").
_MIN_COMPOUND_PART = 6
_MIN_SHORTENED = 3


def _compounded(asked: str, written: str) -> bool:
    """Whether the question's word is a compound ending in the sentence's word, inflected
    ("сельхозпродуктов" for "сельскохозяйственных продуктов", "госинвестиций" for
    "государственных инвестиций"): Russian and Ukrainian shorten the first words of a
    phrase and join them to the last."""
    if len(written) < _MIN_COMPOUND_PART:
        return False
    for start in range(_MIN_SHORTENED, len(asked) - _MIN_COMPOUND_PART + 1):
        tail = asked[start:]
        shared = len(os.path.commonprefix([tail, written]))
        # The whole last word, only its ending changed ("иностранными" is no "страны").
        if shared >= len(written) - 2 and len(tail) - shared <= 2 and shared >= 4:
            return True
    return False


def _inflected(one: str, other: str) -> bool:
    """Whether two words are one word inflected: they differ only in an ending of at most
    two letters after a shared stem of four ("баллов", "балла")."""
    shared = len(os.path.commonprefix([one, other]))
    return shared >= 4 and shared >= min(len(one), len(other)) - 2


def asked_parts(question: str, language: str) -> tuple[AnswerPart, ...]:
    """Every kind of thing the question asks for, in the order the question asks them
    ("When was the session and who chaired it?" -> date, person)."""
    text = unicodedata.normalize("NFC", question)
    found: dict[AnswerPart, int] = {}
    count_end = 0
    for kind, cue in (*_QUESTION_CUES, *_PART_CUES):
        match = cue.search(text)
        if match and kind == "document" and _NAMED_NUMBER.match(text, match.end()):
            continue  # "Plan No. 45-KH/TU" names the document; its number is not asked
        if match and kind not in found:
            found[kind] = match.start()
            count_end = match.end() if kind == "count" else count_end
    if "document" not in found:
        # Vietnamese typed without diacritics: "ke hoach so may" asks a document's number.
        document = _FOLDED_DOCUMENT_CUE.search(fold_latin_diacritics(text).lower())
        _source, counts = _count_cues(text)
        if document:
            found["document"] = document.start()
            if counts and "count" not in found:
                found["count"] = counts[0].start()
                count_end = counts[0].end()
    cued = dict(found)
    if language == "vi" and "person" not in found:
        match = _VI_WHO.search(text)
        if match:
            found["person"] = match.start()
    value = expected_answer_type(question)
    if value is not None and value not in found:
        found[value] = len(text)
    if (
        found.keys() >= {"document", "money"}
        and "count" not in cued
        and not _HOW_MUCH.search(text)
        and not _asked_apart(text, found["document"], found["money"])
    ):
        # "Which telegram ... on disbursing funds", "công điện nào về giải ngân vốn": no
        # amount is asked, the money is what the document is about ("plan numbers and
        # total resources" asks both).
        del found["money"]
    if "count" in found and found.keys() & {"percent", "score", "rank", "money", "document"}:
        # "bao nhiêu %", "how many billion", "số mấy": the count cue asks for that value;
        # "how many tasks and how much funding" asks for both, one after the other.
        others = [cued[k] for k in ("percent", "score", "rank", "money", "document") if k in cued]
        of_value = _COUNT_OF_VALUE.match(text, count_end)
        # "tỷ lệ thu gom, xử lý … đạt bao nhiêu (tính đến hết tháng 5/2024)?": the only count
        # cue closes the ask, counting nothing of its own; it asks the value named before.
        closes = len(_COUNT_CUE.findall(text)) == 1 and _ASK_CLOSED.match(text, count_end)
        if (
            of_value
            or closes
            or not any(_asked_apart(text, cued["count"], start) for start in others)
        ):
            del found["count"]
    if found.keys() >= {"score", "rank"}:
        # "What score and rank?": an index's rank and score are stated together ("0.4136
        # points, ranking 52/63"), so the clause of its rank answers both.
        del found["score"]
    return tuple(sorted(found, key=found.__getitem__))


# What joins two asks in one question ("number of tasks and funding", "bao nhiêu nhiệm
# vụ và kinh phí", "сколько задач и какое финансирование").
_ASKS_JOINED = re.compile(r"(?<!\w)(?:and|và|va|и|і|та|et)(?!\w)|[,;]", _I)


# A count cue followed by a unit of value asks for that value ("how many billion dong").
_COUNT_OF_VALUE = re.compile(
    r"\s*(?:\w+\s+)?(?:billion|million|trillion|tỷ|tỉ|triệu|percent|%|points|điểm|балл|млрд|млн|трлн|процент"
    r"|відсот|milliards?|millions?)",
    _I,
)


def _asked_apart(text: str, one: int, other: int) -> bool:
    """Whether two cues of a question ask two things: a conjunction stands between them."""
    first, second = sorted((one, other))
    return first != second and bool(_ASKS_JOINED.search(text, first, second))


# "What did the committee decide / discuss / approve at the meeting?", "what happened":
# the answer is the event's outcomes, several sentences of its report.
_OUTCOME = re.compile(
    r"\bdecid|(?<!which\s)\bdecision(?:s)?\s+(?:were|was)\b|\bapprov|\bagree|\bdiscuss|\bconsider|\breview"
    r"|\bwhat\s+happened\b|\bresult(?:s|ed)?\s+of\b|\boutcome"
    r"|quyết\s+định\s+(?:gì|những\s+gì)|thống\s+nhất\s+(?:gì|những)|bàn\s+(?:gì|về)|xem\s+xét|thông\s+qua\s+(?:gì|những)"
    r"|diễn\s+ra\s+(?:thế\s+nào|ra\s+sao)|kết\s+quả"
    r"|(?<!\w)реш(?:ил|или|ила|ено|ение|ения)|рассматрива|обсужда|утверд|одобр|что\s+произошло|итог"
    r"|виріш|розгляда|обговорю|ухвалил|затверд|схвал|що\s+сталося|підсумк",
    _I,
)


def asks_outcome(question: str) -> bool:
    """Whether the question asks what an event decided or discussed."""
    return _OUTCOME.search(unicodedata.normalize("NFC", question)) is not None


def states_answer_type(
    sentence: str,
    kind: AnswerType,
    counted: Sequence[str] = (),
    *,
    per_cent_scores: bool = True,
    measured: frozenset[str] = frozenset(),
) -> bool:
    """Whether the sentence states a value of the kind asked for. A count is a number
    that is not an amount of money, a percentage, a rank, a measure or a duration ("VND
    1,520 billion" does not say how many tasks, nor do "15 metres" or "3 months"), unless
    the question counts in that unit (`counted`: `counted_words` of the question) or asks
    for a quantity it measures (`measured`: `measures_asked`). A percentage is a score
    only where `per_cent_scores` (`scores_in_per_cent`)."""
    text = unicodedata.normalize("NFC", sentence)
    if kind == "count":
        text = _without_measures(_NOT_COUNTS.sub(" ", text), counted, measured)
    if kind == "score" and not per_cent_scores:
        return _POINTS_ONLY.search(text) is not None
    return _VALUE_PATTERNS[kind].search(text) is not None


@lru_cache(maxsize=256)
def scores_in_per_cent(question: str) -> bool:
    """Whether a percentage may be the score a question asks for: unless it names only
    indexes scored in points ("how many points did Binh Phuoc get in the PCI 2024" is not
    answered by "58.7%")."""
    named = indexes_named(question)
    return not named or bool(named & _SCORED_IN_PER_CENT)


def value_starts(sentence: str, kind: AnswerType) -> list[int]:
    """Where each of the sentence's values of the kind asked for begins; none for counts,
    whose digits include every date's."""
    if kind == "count":
        return []
    text = unicodedata.normalize("NFC", sentence)
    return [match.start() for match in _VALUE_PATTERNS[kind].finditer(text)]
