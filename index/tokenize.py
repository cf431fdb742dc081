"""Tokens for the keyword (BM25) index, the same for documents and for queries.

`keyword_tokens(text)` lower-cases and NFC-normalises, then by script:

- Latin script (Vietnamese, English, French): every word gives its folded key
  (`fold_diacritics`, so "Đồng" -> "dong"), passed through the English Snowball stemmer
  when it is plain ASCII ("resolutions" -> "resolut"; Vietnamese syllables come out
  unchanged). A word written with diacritics also keeps its exact form ("đồng"), which
  ranks accented matches higher. Adjacent words give bigrams joined with "_", both exact
  ("lâm_đồng") and folded ("lam_dong"), so "Lâm Đồng", "Lam Dong" and "lam_dong" meet.
  Vietnamese writes words as space-separated syllables; a syllable bigram is the cheap,
  dictionary-free stand-in for word segmentation. Bigrams are built for every Latin
  script, since text without diacritics cannot be told apart from English.
- Cyrillic (Russian, Ukrainian): the Russian Snowball stem of the word, after mapping
  the Ukrainian letters і, ї, є, ґ onto и, и, е, г and dropping apostrophes. No
  maintained Ukrainian stemmer is on PyPI; the two languages share most inflection
  endings, so this one mapping conflates Ukrainian forms well enough for BM25 and lets
  Russian and Ukrainian spellings of the same stem meet. Two adjacent capitalised short
  words are also joined into one token, so the transliterations "Лам Донг" and "Ламдонг"
  meet.
- CJK: overlapping character bigrams (a lone character stays a unigram).
- Other scripts: the lower-cased word as written.
- Document numbers ("57-NQ/TW") are kept whole, normalised like
  `facts.doc_numbers.normalize_doc_number` and lower-cased ("57-nq/tw"), in addition to their
  parts.
- A small stopword list per language drops the commonest function words as unigrams.
  Words that are also frequent Vietnamese syllables when written without diacritics
  ("an", "to", "do", "on", "de", "la") are not stopwords at all; for the rest, a Latin
  bigram is still formed when only one of its two words is a stopword, so an unaccented
  "the gioi" (thế giới) or "du lich" (du lịch) keeps its bigram.
- Numbers split at separators ("1.200" -> "1", "200"), so Vietnamese and English digit
  grouping meet.

Stemming uses PyStemmer (Snowball algorithms in C, maintained, the stemmer bm25s itself
suggests). Vietnamese word segmenters (underthesea, pyvi) are not used: they bring trained
models and extra dependencies, while syllable bigrams need neither and treat accented
and unaccented text alike.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from typing import Any

import Stemmer

from facts.doc_numbers import find_doc_numbers
from facts.folding import fold_latin_diacritics as fold_diacritics
from facts.folding import is_latin_letter as _is_latin
from index.sentences import is_cjk, word_set

logger = logging.getLogger(__name__)

# Apostrophes stay inside a word only where Ukrainian spelling puts them (before я, ю, є,
# ї: "прем'єр"); English and French ones separate words ("party's", "l'économie").
_WORD = re.compile(r"[^\W_]+(?:['’ʼ](?=[яюєїЯЮЄЇ])[^\W_]+)*")
_APOSTROPHES = "'’ʼ"
# What may stand between two words that still form a bigram: spaces, "_" ("lam_dong"),
# a hyphen ("Rịa-Vũng Tàu"); not a line break or other punctuation.
_JOINING_GAP = re.compile(r"[ \t\u00a0_\-]*")


_STOPWORDS_LATIN = word_set(
    # English
    "the a of and or for by with from is are was were be been as that this these those it",
    "its what which who whom how did does has have had will would their there than into about",
    # Vietnamese (with diacritics only; see the module docstring)
    "và của các những là có được cho với trong này đã sẽ để thì mà một theo về từ tại trên",
    "đến khi như cũng đó nhằm bị vào ra nào gì",
    # French
    "les des une et aux pour par dans sur qui est au du le",
)
_STOPWORDS_CYRILLIC = word_set(
    # Russian
    "и в во на с со по к ко о об от до за из для не что как а но или это его ее её их был",
    "была были было также при у же ли бы то так который которые которых этом этой",
    # Ukrainian
    "і й та з із зі від що як але або це її також про щодо який яка які цей ця ці ще чи",
)

_UKRAINIAN_TO_RUSSIAN = str.maketrans({"і": "и", "ї": "и", "є": "е", "ґ": "г", "ё": "е"})


@lru_cache(maxsize=1)
def _english() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _russian() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("russian")


def _script(char: str) -> str:
    if char.isdigit():
        return "digit"
    if _is_latin(char):
        return "latin"
    if "\u0400" <= char <= "\u052f":
        return "cyrillic"
    if is_cjk(char):
        return "cjk"
    return "other"


@lru_cache(maxsize=200_000)
def _runs(word: str) -> tuple[tuple[str, str], ...]:
    """Split a word where the script changes (letters and digits stay together, except
    next to CJK), e.g. "2025年" -> ("2025", "digit"), ("年", "cjk").

    Cached, like the per-word keys below: a corpus repeats a small vocabulary (Zipf), and
    the per-character work is most of the keyword index's build time."""
    runs: list[tuple[str, str]] = []
    for char in word:
        script = _script(char)
        if char in _APOSTROPHES:
            script = runs[-1][1] if runs else "other"
        if runs:
            text, previous = runs[-1]
            same = script == previous or (
                {script, previous} <= {"latin", "digit", "cyrillic"}
                and "digit" in {script, previous}
            )
            if same:
                merged = previous if previous != "digit" else script
                runs[-1] = (text + char, merged)
                continue
        runs.append((char, script))
    return tuple(runs)


# What a word contributes, run by run, worked out once per distinct word (`_word_plan`):
# the per-occurrence loop in `keyword_tokens` then only joins bigrams across words.
_CJK, _CYRILLIC, _NUMBER, _STRAY, _LATIN, _OTHER = range(6)
# (_CJK, bigrams) | (_CYRILLIC, is a stopword, key, lowered, is a short name) |
# (_NUMBER, lowered) | (_STRAY,) | (_LATIN, lowered, folded, is a stopword, unigrams) |
# (_OTHER, lowered)
_RunPlan = tuple[Any, ...]


@lru_cache(maxsize=200_000)
def _word_plan(word: str) -> tuple[_RunPlan, ...]:
    plans: list[_RunPlan] = []
    for run, script in _runs(word):
        surface = run.lower()
        if script == "cjk":
            plans.append((_CJK, tuple(_cjk_bigrams(surface))))
        elif script == "cyrillic":
            stop = surface in _STOPWORDS_CYRILLIC
            key = "" if stop else _cyrillic_key(surface)
            plans.append((_CYRILLIC, stop, key, surface, _is_short_name(run)))
        elif script == "digit":
            plans.append((_NUMBER, surface))
        elif script == "latin":
            if _is_stray_letter(surface):
                plans.append((_STRAY,))
                continue
            folded = _fold_word(surface)
            stop = surface in _STOPWORDS_LATIN
            unigrams: tuple[str, ...] = ()
            if not stop:
                unigrams = ((surface,) if surface != folded else ()) + (_latin_key(folded),)
            plans.append((_LATIN, surface, folded, stop, unigrams))
        else:
            plans.append((_OTHER, surface))
    return tuple(plans)


def keyword_tokens(text: str) -> list[str]:
    """BM25 tokens of `text` (documents and queries alike); see the module docstring."""
    normalised = unicodedata.normalize("NFC", text)
    tokens: list[str] = []
    # The plan of the Latin word before (surface, folded, is a stopword), while a bigram
    # may form; the plan of the Cyrillic word before, likewise.
    previous_latin: _RunPlan | None = None
    previous_cyrillic: _RunPlan | None = None
    previous_end = 0
    for match in _WORD.finditer(normalised):
        start = match.start()
        if start != previous_end:
            gap = normalised[previous_end:start]
            if gap != " " and not _JOINING_GAP.fullmatch(gap):
                previous_latin = previous_cyrillic = None
        previous_end = match.end()
        for plan in _word_plan(match.group()):
            kind = plan[0]
            if kind == _LATIN:
                _, surface, folded, stop, unigrams = plan
                previous_cyrillic = None
                tokens.extend(unigrams)
                if previous_latin is not None and not (stop and previous_latin[3]):
                    before_surface, before_folded = previous_latin[1], previous_latin[2]
                    if before_surface != before_folded or surface != folded:
                        tokens.append(f"{before_surface}_{surface}")
                    tokens.append(f"{before_folded}_{folded}")
                previous_latin = plan
            elif kind == _CYRILLIC:
                previous_latin = None
                if plan[1]:  # a stopword
                    previous_cyrillic = None
                    continue
                tokens.append(plan[2])
                if previous_cyrillic is not None and previous_cyrillic[4] and plan[4]:
                    tokens.append(_cyrillic_key(previous_cyrillic[3] + plan[3]))
                previous_cyrillic = plan
            elif kind == _NUMBER:
                tokens.append(plan[1])
                previous_latin = previous_cyrillic = None
            elif kind == _STRAY:
                previous_latin = previous_cyrillic = None
            elif kind == _CJK:
                tokens.extend(plan[1])
                previous_latin = previous_cyrillic = None
            else:
                # Other scripts (Greek, Thai, Arabic...) are kept as written words.
                tokens.append(plan[1])
                previous_latin = previous_cyrillic = None
    tokens.extend(number.lower() for number, _, _ in find_doc_numbers(normalised, any_case=True))
    return tokens


def _is_stray_letter(word: str) -> bool:
    """A lone ASCII letter ("s" of "party's", "A" of a list item) says nothing."""
    return len(word) == 1 and word.isascii() and word.isalpha()


@lru_cache(maxsize=200_000)
def _fold_word(word: str) -> str:
    return fold_diacritics(word)


@lru_cache(maxsize=200_000)
def _latin_key(folded: str) -> str:
    if folded.isascii() and folded.isalpha():
        return str(_english().stemWord(folded))
    return folded


@lru_cache(maxsize=200_000)
def _cyrillic_key(word: str) -> str:
    mapped = word.translate(_UKRAINIAN_TO_RUSSIAN)
    mapped = "".join(ch for ch in mapped if ch not in _APOSTROPHES)
    return str(_russian().stemWord(mapped))


def _is_short_name(word: str) -> bool:
    """Capitalised Cyrillic words of up to six letters, as transliterated Vietnamese
    syllables are ("Лам", "Донг", "Хынг")."""
    return word[:1].isupper() and word[1:].islower() and 2 <= len(word) <= 6


def _cjk_bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]
