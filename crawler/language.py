"""Language codes: the page's declared language and the one its text is written in.

Codes are ISO 639-1 (`vi`, `en`, `ru`, `uk`, `zh`...). Declared values come as BCP 47 tags
(`zh-CN`), locales (`ru_RU`) or vietnam.vn path codes (`zh-cn`); only the primary
subtag is kept. Detection uses py3langid's model, loaded once on first use.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

logger = logging.getLogger(__name__)

# Detection reads this much text; more does not change the answer, only the time.
DETECT_CHARS = 4000
# Below this many letters the model guesses (short Russian reads as Bulgarian).
MIN_DETECT_LETTERS = 20

_PRIMARY_SUBTAG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")
# Three-letter and legacy codes that the sites or the model use for two-letter languages.
_LEGACY_CODES = {"iw": "he", "in": "id", "ji": "yi", "vie": "vi", "eng": "en", "rus": "ru"}


def normalize_lang(tag: str | None) -> str | None:
    """The ISO 639-1 primary subtag of a language tag, or None if it is not one."""
    if not tag:
        return None
    match = _PRIMARY_SUBTAG.match(tag.strip())
    if not match:
        return None
    code = match.group(1).lower()
    return _LEGACY_CODES.get(code, code)


@cache
def _identifier() -> LanguageIdentifier:
    # A private instance: restricting the shared py3langid one would affect other callers.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


def detect_language(text: str) -> str | None:
    """The language `text` is written in, or None when there is too little text to say."""
    sample = text[:DETECT_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_DETECT_LETTERS:
        return None
    code, _score = _identifier().classify(sample)
    return normalize_lang(code)
