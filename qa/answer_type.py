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

import re
import unicodedata
from typing import Literal

from facts.folding import fold_latin_diacritics

AnswerType = Literal["percent", "rank", "money", "count"]

_I = re.IGNORECASE

# Question cues, most specific first: "what share of the budget" asks for a percentage,
# "how many billion dong" for money, "how many projects" for a count.
_QUESTION_CUES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (
        "percent",
        re.compile(
            r"%|\bpercent|\bpercentage|\bproportion\b|\bwhat\s+share\b|\brate\b"
            r"|tỷ\s+lệ|tỉ\s+lệ|phần\s+trăm"
            r"|(?<!\w)дол[яюи](?!\w)|(?<!\w)процент|(?<!\w)частк|(?<!\w)відсот"
            r"|\btaux\b|pourcentage|比例|百分",
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
    (
        "money",
        re.compile(
            r"\bbudget|\bfunding\b|\bfunds?\b|\bmoney\b|\bcost"
            r"|kinh\s+phí|ngân\s+sách|bao\s+nhiêu\s+(?:tỷ|triệu|tiền)"
            r"|бюджет|денег|средств|финансир|стоимост|грош|кошт|фінансув|вартіст"
            r"|combien\s+d['’]argent|financement|预算|资金|多少钱",
            _I,
        ),
    ),
    (
        "count",
        re.compile(
            r"\bhow\s+many\b|\bnumber\s+of\b|bao\s+nhiêu|(?<!\w)mấy(?!\w)"
            r"|сколько|скільки|\bcombien\b|多少|几",
            _I,
        ),
    ),
    # Weaker money cues, after counts: "how many investment projects" counts projects.
    (
        "money",
        re.compile(
            r"\bhow\s+much\b|\ballocat|\binvest|\bspend|\bputting\s+into\b"
            r"|nguồn\s+lực|(?<!\w)vốn(?!\w)|dành\s+bao|выдел|вклад|виділ|вкла",
            _I,
        ),
    ),
)

_NUMBER = r"\d[\d.,\s]*"
# "billion", "млрд"... between the amount and its currency ("1,062 billion dong").
_SCALE = (
    r"\s*(?:(?:billion|million|trillion|bn|mn|млрд|млн|трлн|тыс|тис|triệu|nghìn|ngàn"
    r"|milliards?|millions?)\.?\s*)?(?:of\s+)?"
)
_CURRENCY = r"(?:đồng|vnd|dong|донг\w*|usd|us\$|\$|€|euros?|рубл\w*|гривень|元)(?!\w)"
_VALUE_PATTERNS: dict[AnswerType, re.Pattern[str]] = {
    "percent": re.compile(
        r"\d\s*%|\d\s*(?:percent|per\s+cent|phần\s+trăm|процент|відсот|pour\s+cent)", _I
    ),
    "rank": re.compile(
        r"\d+\s*(?:st|nd|rd|th)\b|\d+-(?:е|й|я|го|м|му|ое|ее|є|а|ї|те|ге)(?!\w)"
        r"|\d+\s+(?:мест|місц)|(?:thứ|hạng|top)\s+\d+|\d+\s*/\s*\d+|\bno\.\s*\d+"
        r"|\d+(?:e|ème)\b|第\s*\d+",
        _I,
    ),
    # An amount with its currency; Vietnamese "tỷ" (billion) alone is always money in
    # these papers, while "million" alone is as often people as dong.
    "money": re.compile(
        _NUMBER + r"(?:\s*(?:nghìn|ngàn))?\s*(?:tỷ|tỉ)(?!\s*lệ)"
        r"|" + _NUMBER + _SCALE + _CURRENCY + r"|(?:vnd|usd|\$|€)\s*\d",
        _I,
    ),
    "count": re.compile(r"\d"),
}


# Vietnamese cues typed without diacritics ("bao nhieu xa phuong"), matched on the folded
# question when nothing above matched.
_FOLDED_VIETNAMESE_CUES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    ("percent", re.compile(r"\b(?:ty|ti)\s+le\b|\bphan\s+tram\b")),
    ("rank", re.compile(r"\bxep\s+(?:hang|thu)\b|\bthu\s+may\b|\bdung\s+thu\b")),
    ("money", re.compile(r"\bkinh\s+phi\b|\bngan\s+sach\b|\bbao\s+nhieu\s+(?:ty|trieu|tien)\b")),
    ("count", re.compile(r"\bbao\s+nhieu\b|\bso\s+may\b")),
    ("money", re.compile(r"\bnguon\s+luc\b")),
)


def expected_answer_type(question: str) -> AnswerType | None:
    """The kind of value the question asks for, or None when it asks for none."""
    text = unicodedata.normalize("NFC", question)
    for kind, cue in _QUESTION_CUES:
        if cue.search(text):
            return kind
    folded = fold_latin_diacritics(text).lower()
    for kind, cue in _FOLDED_VIETNAMESE_CUES:
        if cue.search(folded):
            return kind
    return None


def states_answer_type(sentence: str, kind: AnswerType) -> bool:
    """Whether the sentence states a value of the kind asked for."""
    return _VALUE_PATTERNS[kind].search(unicodedata.normalize("NFC", sentence)) is not None
