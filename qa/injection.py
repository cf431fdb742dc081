"""Text addressed to a language model rather than to readers ("ignore previous
instructions"). Crawled pages are data: such sentences are never quoted as evidence, so
they reach neither an answer nor a generative prompt."""

from __future__ import annotations

import re

from qa.lexicon import fold

_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget)\b(?:\W+\w+){0,4}?\W+(?:instructions?|prompts?)\b"
    r"|\bsystem prompt\b|\byou are now\b|\bas an ai\b"
    r"|\b(?:bo qua|phot lo)\b(?:\W+\w+){0,4}?\W+(?:huong dan|chi dan|lenh)\b"
    r"|\b(?:игнорир|забуд|ігнор|забуд)\w*(?:\W+\w+){0,4}?\W+(?:инструкц|указани|інструкц|вказівк)",
    re.IGNORECASE,
)


def looks_like_injection(sentence: str) -> bool:
    return bool(_INJECTION.search(fold(sentence)) or _INJECTION.search(sentence.casefold()))
