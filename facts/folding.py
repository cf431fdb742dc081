"""Text folding: the four ways the layers compare spellings, each defined once and named.

They differ on purpose, so each keeps its own name rather than one `fold` with flags:
- `fold_latin_diacritics`: keyword index and queries; case kept, marks dropped from Latin
  letters only (Cyrillic й and ё stay letters of their own), "Lâm Đồng" -> "Lam Dong".
- `fold_for_matching`: Q&A word matching; case-folded, compatibility forms decomposed
  (NFKD), every mark dropped, "Lâm Đồng" -> "lam dong".
- `fold_place_name`: the gazetteer; lower case, every mark dropped, and the Russian and
  Ukrainian spelling differences of transliterated place names removed (і/ы -> и, є/э -> е,
  soft and hard signs and apostrophes gone).
- `fold_lower`: translation linking; lower case, every mark dropped (canonical NFD only).
"""

from __future__ import annotations

import unicodedata

_PLACE_NAME_LETTERS = str.maketrans(
    {
        "đ": "d",
        # Ð/ð (eth) is often typed for Đ/đ: the letters look alike.
        "ð": "d",
        "і": "и",
        "ы": "и",
        "є": "е",
        "э": "е",
        "ь": None,
        "ъ": None,
        "'": None,
        "’": None,
        "ʼ": None,
        "ё": "е",
        "ї": "и",
        "й": "и",
    }
)


def fold_latin_diacritics(text: str) -> str:
    """Latin letters without diacritics: "Lâm Đồng" -> "Lam Dong". Other scripts are kept
    as they are (Cyrillic й and ё stay letters of their own)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and out and is_latin_letter(out[-1]):
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def is_latin_letter(char: str) -> bool:
    """ASCII, or a letter of the Latin-1, Latin Extended or Latin Extended Additional blocks."""
    return char.isascii() or "\u00c0" <= char <= "\u024f" or "\u1e00" <= char <= "\u1eff"


class _WithoutMarks(dict[int, int | None]):
    """A `str.translate` table that drops combining marks: each code point's entry is
    worked out from `unicodedata.combining` the first time it is met, then read in C."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


def fold_for_matching(text: str) -> str:
    """Lower case without diacritics (đ -> d), for matching across spellings."""
    if text.isascii():  # nothing to decompose and no marks: the common English word
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return decomposed.translate(_WITHOUT_MARKS)


def fold_place_name(text: str) -> str:
    """Lower-case `text` without diacritics, with Russian/Ukrainian spelling differences removed."""
    lowered = unicodedata.normalize("NFC", text).lower()
    # Fold the letters whose base form matters before stripping combining marks.
    lowered = lowered.translate(_PLACE_NAME_LETTERS)
    decomposed = unicodedata.normalize("NFD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(
        _PLACE_NAME_LETTERS
    )


def fold_lower(text: str) -> str:
    """Lower case without diacritics (Đ as D): "Lâm Đồng" -> "lam dong"."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return decomposed.translate(_WITHOUT_MARKS).lower()
