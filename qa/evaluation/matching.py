"""Whether an answer states a fact, and whether its citations hit the gold stories.

Matching follows the dev set's rules (shared/devset/README.md): the fact or any of its
variants appears as a substring of the answer, ignoring case and diacritics (NFKD,
combining marks dropped, đ -> d); dots, commas and spaces between digits are removed, so
896.350, 896,350 and 896 350 all match. Runs of whitespace count as one space, so a line
break in an answer matches a space in a fact.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_DIGIT_SEPARATORS = re.compile(r"(?<=\d)[.,\s]+(?=\d)")
_WHITESPACE = re.compile(r"\s+")


def normalize_for_match(text: str) -> str:
    """Case, diacritics and digit separators folded: "Lương Văn Tuấn" ~ "luong van tuan",
    "896.350" ~ "896350"."""
    text = text.casefold().replace("đ", "d")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _WHITESPACE.sub(" ", text)
    return _DIGIT_SEPARATORS.sub("", text).strip()


def fact_found(forms: Iterable[str], answer_text: str) -> bool:
    """Whether any surface form of a fact appears in the answer (empty forms never do)."""
    haystack = normalize_for_match(answer_text)
    return any(needle in haystack for needle in map(normalize_for_match, forms) if needle)


def forbidden_found(phrases: Sequence[str], answer_text: str) -> list[str]:
    """The `must_not_contain` phrases the answer contains (what a confused answer says)."""
    return [phrase for phrase in phrases if fact_found([phrase], answer_text)]


def stories_covered(
    gold_stories: Sequence[frozenset[str]], candidate_stories: Iterable[frozenset[str]]
) -> int:
    """How many gold stories (each a set of URLs, one per version) have a version among
    the candidates (each candidate also a set of its story's URLs)."""
    candidates = list(candidate_stories)
    return sum(any(gold & candidate for candidate in candidates) for gold in gold_stories)


def gold_satisfied(
    gold_stories: Sequence[frozenset[str]], covered: int, *, needs_every: bool
) -> bool | None:
    """A question's citation requirement: one gold story, or every one for comparison and
    list questions. None when the question has no gold."""
    if not gold_stories:
        return None
    return covered == len(gold_stories) if needs_every else covered > 0
