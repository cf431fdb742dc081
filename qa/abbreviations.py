"""Abbreviations an article defines ("the Provincial Innovation Index (PII)"), so that a
sentence using only the short form ("In 2024 the province ranked 35th in the PII.")
shares the question's words with the long one.

Articles define an abbreviation once and use it after; questions use either form, and
Vietnamese questions also use the short forms officials write without defining them
("bao nhiêu TK ĐDĐT mức 2", "DVCTT"): `with_short_forms_spelled_out` reads those.
"""

from __future__ import annotations

import re
from functools import lru_cache

# "Long Name (ABBR)": the long form is read back from the parenthesis, at most
# `MAX_LONG_WORDS` words (within `LONG_WINDOW` characters), never across a sentence or
# clause mark.
_SHORT_IN_PARENTHESES = re.compile(r"\((?P<abbr>[A-Z][A-Z0-9&-]{1,7})\)")
LONG_WINDOW = 160
# "ABBR (Long Name)": the long form is the parenthesis, two words at least.
_SHORT_THEN_LONG = re.compile(
    r"(?<![\w-])(?P<abbr>[A-Z][A-Z0-9&-]{1,7})\s*\((?P<long>[^()]{4,80})\)"
)
_CLAUSE_MARK = re.compile(r"[.,;:!?\"“”«»]")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
MAX_LONG_WORDS = 8
MAX_DEFINITIONS = 32


def _long_form(preceding: str, abbreviation: str) -> str | None:
    """The words before "(ABBR)" that spell it out: the capitalised words whose initials
    make the abbreviation when there are such ("Provincial Innovation Index"), else the
    last words of the clause (Vietnamese "Chỉ số đổi mới sáng tạo cấp địa phương")."""
    clause = _CLAUSE_MARK.split(preceding)[-1]
    words = _WORD.findall(clause)[-MAX_LONG_WORDS:]
    letters = [c for c in abbreviation if c.isalpha()]
    if len(letters) >= 2 and len(words) >= len(letters):
        tail = words[-len(letters) :]
        if [w[0].upper() for w in tail] == letters:
            return " ".join(tail)
    return " ".join(words) if len(words) >= 2 else None


@lru_cache(maxsize=256)
def abbreviations_defined(text: str) -> tuple[tuple[str, str], ...]:
    """(abbreviation, long form) for each abbreviation the text defines, first definition
    of each."""
    found: dict[str, str] = {}
    for match in _SHORT_IN_PARENTHESES.finditer(text):
        abbreviation = match.group("abbr")
        preceding = text[max(0, match.start() - LONG_WINDOW) : match.start()]
        long = _long_form(preceding.split("(")[-1].split(")")[-1], abbreviation)
        if long and abbreviation not in found:
            found[abbreviation] = long
    for match in _SHORT_THEN_LONG.finditer(text):
        abbreviation, long = match.group("abbr"), match.group("long").strip()
        if len(_WORD.findall(long)) >= 2 and abbreviation not in found:
            found[abbreviation] = long
    return tuple(list(found.items())[:MAX_DEFINITIONS])


def spelled_out(sentence: str, definitions: tuple[tuple[str, str], ...]) -> str:
    """The sentence followed by the long form of each defined abbreviation it uses."""
    used = [
        long
        for abbreviation, long in definitions
        if re.search(rf"(?<![\w-]){re.escape(abbreviation)}(?![\w-])", sentence)
    ]
    return " ".join([sentence, *used]) if used else sentence


# Short forms Vietnamese readers write for the programmes' long names, which the papers
# spell out ("TK ĐDĐT mức 2" is "tài khoản định danh điện tử mức 2").
COMMON_SHORT_FORMS: dict[str, str] = {
    "TK": "tài khoản",
    "ĐDĐT": "định danh điện tử",
    "DVCTT": "dịch vụ công trực tuyến",
    "TTHC": "thủ tục hành chính",
    "CĐS": "chuyển đổi số",
    "KHCN": "khoa học công nghệ",
    "ĐMST": "đổi mới sáng tạo",
    "CSDL": "cơ sở dữ liệu",
    "BCĐ": "Ban Chỉ đạo",
    "BDHVS": "Bình dân học vụ số",
    "ĐA06": "Đề án 06",
}
_SHORT_FORM = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(short) for short in COMMON_SHORT_FORMS) + r")(?![\w-])"
)


def with_short_forms_spelled_out(question: str) -> str:
    """The question with each common short form it uses replaced by its long form."""
    return _SHORT_FORM.sub(lambda match: COMMON_SHORT_FORMS[match.group(1)], question)
