"""Sentence spans in article text, with exact offsets.

`split_sentences(text)` returns `(start, end)` pairs into `text`, each trimmed of
surrounding whitespace, in order and non-overlapping. Answers quote these spans verbatim,
so the splitter never rewrites the text; it only decides where units begin and end.

Rules, in order of strength:

- A line break ends a unit. Extracted article text holds one paragraph per line (or
  paragraphs joined by blank lines), and headings such as "1. Results" carry no final
  punctuation.
- A caption line (`| caption |`, or a line that ends with ` |`) is one unit of its own,
  pipes included, so that readers of the span can tell it is a caption.
- Within a line, `.`, `!`, `?` (with any closing quotes or brackets) end a sentence
  when whitespace and a sentence opener (capital letter, digit, opening quote or bracket,
  dash) follow. CJK `。！？` end a sentence without needing whitespace.
- A period does not end a sentence after an abbreviation (TP., PGS.TS., Mr., No., г.,
  млн., т.е. ...), a single letter or a vowel-less short name part (initials such as
  `N.V. Anh`, `Ng. Van A.`), an enumerator at the start of a sentence (`2.1.`, `II.`), or
  when it is part of an ellipsis (`...`, `…`). Numbers (`4.5`, `1.200`, `17.03.2025`)
  and document numbers never contain a period followed by whitespace, so they hold
  together without special cases.

The abbreviation lists of all supported languages apply whatever `lang` says: translated
articles mix them (Vietnamese names and titles inside Russian or English text). `lang`
only adds the CJK rule's twin for Japanese and Chinese full stops written as `．`.

A hand-written splitter is used rather than pysbd: pysbd has no Vietnamese or Ukrainian
rules, it finds character spans by searching its (sometimes altered) sentences back in
the text, which has produced wrong offsets before (pySBD issues #49 and #83), and the
document numbers, Vietnamese academic titles and `| caption |` lines of these articles
need rules of their own anyway.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

logger = logging.getLogger(__name__)

Span = tuple[int, int]


def word_set(*groups: str) -> frozenset[str]:
    """The whitespace-separated words of `groups`, as a set (for word lists in code)."""
    return frozenset(word for group in groups for word in group.split())


# Abbreviations after which a period never ends a sentence (lower case, without the
# final period; internal periods kept).
_ABBREVIATIONS = word_set(
    # Vietnamese titles and place types
    "tp tt tx ths th.s ts pgs pgs.ts gs gs.ts bs bsck ks ncs nxb ng đ/c ttg cn đc",
    # English
    "mr mrs ms dr prof sr jr st mt vs e.g i.e inc ltd co corp gov gen col lt sgt rep sen",
    "dept approx cf jan feb mar apr jun jul aug sep sept oct nov dec a.m p.m",
    # Russian
    "г гг ст ул д кв пр пер обл р-н млн млрд тыс руб т.е т.ч т.к т.н т.о см стр рис",
    "тов проф акад ген гл напр ок прим зам пред нач коп долл вв н.э св кол ед мин макс",
    # Ukrainian
    "р рр вул м тис грн т.зв т.б зокр див ім пп смт дол",
    # French
    "mme mlle ste av bd env chap éd",
)

# Abbreviations that usually close a list and so may end a sentence ("и т.д. Далее").
_LIST_ENDINGS: frozenset[str] = frozenset({"т.д", "т.п", "др", "etc", "v.v", "тощо"})

# Abbreviations that hold only before a number ("No. 57-NQ/TW", "p. 12", "ст. 5").
_NUMBER_ABBREVIATIONS: frozenset[str] = frozenset(
    {"no", "nos", "nr", "art", "fig", "vol", "tr", "sec", "ch", "p", "pp", "ч", "п", "c"}
)

_VOWELS = frozenset("aeiouyаеёиоуыэюяіїєαεηιουω")

_TERMINAL = re.compile(r"(?P<stop>[.!?…]+|[。！？．]+)(?P<close>[\"'»”’)\]」』）]*)")
_LINE = re.compile(r"[^\r\n]+")
_ENUMERATOR = re.compile(r"^\(?(?:\d+(?:\.\d+)*|[IVXLC]+|[a-zа-я])\)?$")
_OPENERS = frozenset("\"'«“‘„([{–—-•*")
_LEADING_PUNCT = "([{\"'«“‘„"


def split_sentences(text: str, lang: str | None = None) -> list[Span]:
    """Sentence spans `(start, end)` into `text`, trimmed of surrounding whitespace."""
    return list(_recent_split(text, lang))


# Indexing splits each article twice in a row (its sentences, then its chunks); the
# last few texts' spans are kept so the second split is a lookup. Pure: the spans depend
# on the text and language alone.
@lru_cache(maxsize=4)
def _recent_split(text: str, lang: str | None) -> tuple[Span, ...]:
    return tuple(_split(text, lang))


def _split(text: str, lang: str | None) -> list[Span]:
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        start, end = _trim(text, line.start(), line.end())
        if start >= end:
            continue
        if _is_caption(text[start:end]):
            spans.append((start, end))
            continue
        spans.extend(_split_line(text, start, end, lang))
    return spans


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_caption(line: str) -> bool:
    """`| caption |` lines, and caption lines that lost their leading pipe ("Caption |")."""
    return line.endswith("|") and (line.startswith("|") or line[-2:-1] in {" ", "\t"})


def _split_line(text: str, start: int, end: int, lang: str | None) -> list[Span]:
    spans: list[Span] = []
    sentence_start = start
    cjk_lang = (lang or "").lower().startswith(("zh", "ja"))
    for match in _TERMINAL.finditer(text, start, end):
        boundary = match.end()
        if boundary >= end:
            break
        stop = match.group("stop")
        if stop[0] in "。！？" or (stop[0] == "．" and cjk_lang):
            pass
        elif not _ends_sentence(text, sentence_start, match.start(), boundary, end, stop):
            continue
        piece = _trim(text, sentence_start, boundary)
        if piece[0] < piece[1]:
            spans.append(piece)
        sentence_start = boundary
    piece = _trim(text, sentence_start, end)
    if piece[0] < piece[1]:
        spans.append(piece)
    return spans


def _ends_sentence(
    text: str, sentence_start: int, stop_start: int, boundary: int, end: int, stop: str
) -> bool:
    if not text[boundary].isspace():
        return False
    following = boundary
    while following < end and text[following].isspace():
        following += 1
    if following >= end or not _opens_sentence(text[following]):
        return False
    if "…" in stop or ".." in stop:
        return False
    if stop[0] != ".":
        return True
    token_start = stop_start
    while token_start > sentence_start and not text[token_start - 1].isspace():
        token_start -= 1
    token = text[token_start:stop_start].lstrip(_LEADING_PUNCT)
    if not token:
        return True
    at_sentence_start = not text[sentence_start:token_start].strip()
    return not _is_abbreviation(token, at_sentence_start, text[following])


def _opens_sentence(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in _OPENERS or is_cjk(char)


def is_cjk(char: str) -> bool:
    """Kana, CJK ideographs (with extension A) and Hangul syllables."""
    code = ord(char)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF


def _is_abbreviation(token: str, at_sentence_start: bool, next_char: str) -> bool:
    """Whether the period after `token` belongs to the token rather than ending a sentence."""
    lower = token.lower()
    if lower in _LIST_ENDINGS:
        return False
    if lower in _ABBREVIATIONS:
        return True
    if lower in _NUMBER_ABBREVIATIONS or token in {"№", "Số", "số"}:
        return next_char.isdigit()
    if at_sentence_start and _ENUMERATOR.match(token):
        return True
    letters = [ch for ch in token if ch.isalpha()]
    if len(letters) == 1 and len(token) <= 2:
        return True
    if "." in token:
        parts = [part for part in token.split(".") if part]
        if parts and all(len(part) <= 4 and part.isalpha() for part in parts):
            return True
    return _is_name_part(token)


def _is_name_part(token: str) -> bool:
    """Short vowel-less words written as name or title abbreviations: Ng., Th., Tr., Mr."""
    if not token.isalpha() or len(token) > 3 or (token.isupper() and len(token) > 1):
        return False
    folded = _strip_marks(token.lower())
    return not any(ch in _VOWELS for ch in folded)


def _strip_marks(token: str) -> str:
    decomposed = unicodedata.normalize("NFD", token)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
