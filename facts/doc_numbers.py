"""Numbers of Vietnamese official documents, found and normalised one way for all layers.

`find_doc_numbers(text)` finds numbers such as `57-NQ/TW`, `02-TB/BCĐ`, `1460-QĐ/TU`,
`112/KH-UBND`, `13/2023/NĐ-CP` or `1234/QĐ-TTg` with their offsets, normalised by
`normalize_doc_number`, which both documents and questions go through: upper case, `Đ`
folded to `D`, dashes unified, spaces and the "No."/"số"/"№" prefix dropped. `No.
1460-QĐ/TU`, `số 1460-QD/TU` and `1460 - QĐ/TU` all become "1460-QD/TU".
`doc_numbers_in_question(text)` reads a typed question the same way, accepting lower-case
codes and spaces around the separators.
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = r"\-–—‐‑"
_DOC_CODE = r"[A-ZĐ][A-ZĐa-zđ]*\d*"
_DOC_NUMBER_PATTERN = (
    rf"(?<![\w/.{_DASHES}])\d{{1,6}}[a-zA-Z]?(?:/(?:19|20)\d\d)?"
    rf"(?:[/{_DASHES}]{_DOC_CODE})+(?![\w/{_DASHES}])"
)
_DOC_NUMBER = re.compile(_DOC_NUMBER_PATTERN)
_DOC_NUMBER_ANY_CASE = re.compile(_DOC_NUMBER_PATTERN, re.IGNORECASE)
_DOC_PREFIX = re.compile(r"^(?:nos?\.?|nr\.?|số|so|№|n°|#)\s*", re.IGNORECASE)
_DOC_SEPARATOR = re.compile(rf"\s*([/{_DASHES}])\s*")
# Typed questions put spaces around the separators ("1460 - QĐ/TU").
_SPACED_SEPARATOR = re.compile(r"(\d)\s*([-–—/])\s*(?=[A-ZĐ])")


def normalize_doc_number(number: str) -> str:
    """The comparable form of a document number: "số 1460 - QĐ/TU" -> "1460-QD/TU"."""
    value = unicodedata.normalize("NFC", number).strip()
    value = _DOC_PREFIX.sub("", value)
    value = _DOC_SEPARATOR.sub(lambda m: "/" if m.group(1) == "/" else "-", value)
    value = "".join(value.split()).upper().replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def find_doc_numbers(text: str, *, any_case: bool = False) -> list[tuple[str, int, int]]:
    """Document numbers in `text`: (normalised number, start, end), in text order.

    Only numbers with a slash and a capitalised code are taken (`57-NQ/TW`, not `5-7`
    or `1/3`). `any_case=True` also accepts lower-case codes, for typed queries.
    """
    pattern = _DOC_NUMBER_ANY_CASE if any_case else _DOC_NUMBER
    found: list[tuple[str, int, int]] = []
    for match in pattern.finditer(text):
        if "/" not in match.group():
            continue
        found.append((normalize_doc_number(match.group()), match.start(), match.end()))
    return found


def doc_number_key(number: str) -> str:
    """The form every spelling of one document number shares, for telling whether two
    name the same document: the separators between number, kind and issuer are written
    either way round ("112/KH-TU" and "112-KH/TU", a party plan's number written as a
    state one's), so they count as one."""
    return normalize_doc_number(number).replace("-", "/")


def doc_numbers_in_question(text: str) -> tuple[str, ...]:
    """Document numbers of a typed question ("57-NQ/TW", "số 1460 - QĐ/TU"), normalised as
    the index stores them, each once, in question order."""
    text = _SPACED_SEPARATOR.sub(r"\1\2", text)
    found = [number for number, _start, _end in find_doc_numbers(text, any_case=True)]
    return tuple(dict.fromkeys(found))
