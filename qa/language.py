"""Language of a question: script first, then a statistical guess within the supported set.

Short questions ("Lâm Đồng cam kết gì?", "Що обіцяв Хазянг?") defeat general-purpose
language identifiers, so unambiguous script evidence decides first:

- Hangul -> ko; kana -> ja; other Han characters -> zh;
- Cyrillic -> uk when a letter only Ukrainian uses (і ї є ґ) appears, ru when one only
  Russian uses (ы э ъ ё) appears; otherwise py3langid between the two;
- Latin with a letter only Vietnamese uses (đ, ơ, ư, ă, or a tone mark such as ả ạ ẽ)
  -> vi.

Everything else goes to py3langid restricted to `SUPPORTED_LANGUAGES`; when the text has
no letters at all the answer is `DEFAULT_LANGUAGE`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from typing import Any

logger = logging.getLogger(__name__)

SUPPORTED_LANGUAGES: tuple[str, ...] = ("vi", "en", "ru", "uk", "fr", "zh", "de", "es", "ko", "ja")
DEFAULT_LANGUAGE = "en"

_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN_ONLY = set("іїєґІЇЄҐ")
_RUSSIAN_ONLY = set("ыэъёЫЭЪЁ")
# Letters used by Vietnamese and (almost) no other Latin-script language.
_VIETNAMESE_LETTERS = set("đĐơƠưƯăĂ")
# Combining marks that only Vietnamese puts on Latin vowels: hook above, dot below,
# and a tilde on vowels other than a/o/n (Portuguese/Spanish use ã õ ñ).
_VIETNAMESE_MARKS = {"\u0309", "\u0323"}
_MIN_CONFIDENCE = 0.5
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ]")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import _load_identifier

    # A private identifier: the module-level one in py3langid is shared process state.
    return _load_identifier(norm_probs=True, langs=list(SUPPORTED_LANGUAGES))


def _classify(text: str, among: tuple[str, ...] | None = None) -> str:
    identifier = _identifier()
    if among is None:
        lang, confidence = identifier.classify(text)
        # A bare name ("Hung Yen", "Lam Dong") gives the model nothing to go on.
        if confidence < _MIN_CONFIDENCE:
            return DEFAULT_LANGUAGE
        return str(lang)
    # Rank only within a subset (e.g. ru vs uk) without changing the shared model.
    ranked = identifier.rank(text)
    for lang, _score in ranked:
        if lang in among:
            return str(lang)
    return among[0]


def _looks_vietnamese(text: str) -> bool:
    if any(ch in _VIETNAMESE_LETTERS for ch in text):
        return True
    for ch in unicodedata.normalize("NFD", text):
        if ch in _VIETNAMESE_MARKS:
            return True
    # A tilde on e/i/u/y, or two marks stacked on one vowel (ấ, ệ, ở ...), is Vietnamese.
    for word in text.split():
        decomposed = unicodedata.normalize("NFD", word)
        for i, ch in enumerate(decomposed[:-1]):
            nxt = decomposed[i + 1]
            if nxt == "\u0303" and ch.lower() in "eiuy":
                return True
            if (
                unicodedata.combining(nxt)
                and i + 2 < len(decomposed)
                and unicodedata.combining(decomposed[i + 2])
            ):
                return True
    return False


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`, one of `SUPPORTED_LANGUAGES`."""
    text = unicodedata.normalize("NFC", text or "").strip()
    if not text:
        return DEFAULT_LANGUAGE
    if _HANGUL.search(text):
        return "ko"
    if _KANA.search(text):
        return "ja"
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if _HAN.search(text) and len(_HAN.findall(text)) >= max(cyrillic, latin) / 4:
        return "zh"
    if cyrillic and cyrillic >= latin:
        letters = set(text)
        has_uk = bool(letters & _UKRAINIAN_ONLY)
        has_ru = bool(letters & _RUSSIAN_ONLY)
        if has_uk and not has_ru:
            return "uk"
        if has_ru and not has_uk:
            return "ru"
        return _classify(text, ("ru", "uk"))
    if _looks_vietnamese(text):
        return "vi"
    if not latin:
        return DEFAULT_LANGUAGE
    lang = _classify(text)
    # Without Cyrillic or Han letters those answers are noise from the model.
    if lang in ("ru", "uk", "zh", "ko", "ja"):
        lang = _classify(text, ("en", "vi", "fr", "de", "es"))
    logger.debug("language of %r guessed as %s", text[:60], lang)
    return lang
