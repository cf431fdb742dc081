"""A sentence's counterpart in another version of its story (a translation or the
original), aligned by the numbers they share and their position.

Scoring reads a sentence written in another language than the question's through its
counterpart in the question's language (or a close one), so that an answer written only
in Vietnamese is found for a question in Ukrainian.
"""

from __future__ import annotations

import re

from index.models import IndexedArticle
from index.sentences import split_sentences
from qa.candidates import Candidate, quotable

_NUMBER = re.compile(r"\d+(?:[.,\s\u00a0\u202f]\d{3}(?!\d))*(?:[.,]\d+)?")
# Version to score a foreign sentence through, after the question's own language.
NEIGHBOUR_LANGUAGES = {"ru": ("uk", "en"), "uk": ("ru", "en"), "vi": ("en",)}
# Languages whose words share enough stems for the word overlap to mean something.
KINDRED_LANGUAGES = ({"ru", "uk"},)


def base_language(code: str | None) -> str:
    return (code or "").split("-")[0].lower()


def numbers_in(text: str) -> set[str]:
    """Numbers written in the text, separators folded ("1.386" = "1,386" = "1386",
    "62,7" = "62.7"), for aligning translations."""
    found = set()
    for match in _NUMBER.finditer(text):
        value = re.sub(r"(?<=\d)[.,\s\u00a0\u202f](?=\d{3}(?!\d))", "", match.group())
        found.add(value.replace(",", "."))
    return found


class VersionSentences:
    """Sentences of an article version with their relative positions (cached per id)."""

    def __init__(self) -> None:
        self.cache: dict[str, list[tuple[str, float, set[str]]]] = {}

    def of(self, article: IndexedArticle) -> list[tuple[str, float, set[str]]]:
        if article.id not in self.cache:
            length = max(1, len(article.text))
            rows = []
            for start, end in split_sentences(article.text, article.lang):
                text = article.text[start:end]
                if quotable(text):
                    rows.append((text, start / length, numbers_in(text)))
            self.cache[article.id] = rows
        return self.cache[article.id]


def aligned_sentence(
    candidate: Candidate, version: IndexedArticle, sentences: VersionSentences
) -> str | None:
    """The sentence of `version` (a translation of the candidate's article) that says the
    same: the one sharing most numbers with the candidate, near the same relative
    position. None when the candidate has numbers and no sentence shares any."""
    own = numbers_in(candidate.text)
    position = candidate.start / max(1, len(candidate.article.text))
    best: tuple[float, str] | None = None
    for text, where, numbers in sentences.of(version):
        union = own | numbers
        overlap = len(own & numbers) / len(union) if union else 1.0
        if own and not own & numbers:
            continue
        fit = overlap + 0.5 * (1.0 - abs(where - position))
        if best is None or fit > best[0]:
            best = (fit, text)
    return best[1] if best else None


def in_language(language: str, candidate: Candidate) -> bool:
    """Whether the candidate, or the sibling it is read through, is in the question's
    language."""
    return language in (base_language(candidate.article.lang), candidate.sibling_lang)


def words_comparable(language: str, candidate: Candidate, *, through_sibling: bool = True) -> bool:
    """Whether the question's words can be looked for in the candidate (or its sibling)."""
    sibling = candidate.sibling_lang if through_sibling else None
    for other in (base_language(candidate.article.lang), sibling):
        if other and (other == language or any({language, other} <= k for k in KINDRED_LANGUAGES)):
            return True
    return False


def sibling_version(candidate: Candidate, language: str) -> IndexedArticle | None:
    """The version of the candidate's story to read it through: the question's language,
    else a close one (Russian for Ukrainian), else English."""
    if base_language(candidate.article.lang) == language:
        return None
    versions = {
        base_language(v.lang): v
        for v in candidate.evidence.alternates
        if v.text and v.id != candidate.article.id
    }
    for code in (language, *NEIGHBOUR_LANGUAGES.get(language, ("en",))):
        if code in versions and code != base_language(candidate.article.lang):
            return versions[code]
    return None
