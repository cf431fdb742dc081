"""Date patterns tried only where a match can start find what scanning the text finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from index.mentions import (
    _DIGIT_RUN_START,
    _PATTERNS,
    _STARTS_AT,
    _matches_from,
    _numeric_match_starts,
)

PIECES = [
    "1", "7", "17", "2025", "2030", "03", "/", ".", "-", " ", "  ", "\n", ",", "ngày ", "Ngày",
    "NGÀY ", "năm ", "Năm", "hôm ", "sáng ", "chiều ", "tối ", "x", "quý ", "tháng ", "года",
    "người", "٣", "№", "số ",
]  # fmt: skip


def _spans(matches: object) -> list[tuple[int, int]]:
    return [match.span() for match in matches]  # type: ignore[attr-defined]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_tried_at_digit_runs_and_opening_words_equals_scanning(text: str) -> None:
    digits = [m.start() for m in _DIGIT_RUN_START.finditer(text)]
    for pattern, opening in _STARTS_AT.items():
        starts = _numeric_match_starts(text, opening, digits)
        assert _spans(_matches_from(pattern, text, starts)) == _spans(pattern.finditer(text)), (
            pattern.pattern
        )


def test_every_pattern_tried_at_starts_opens_with_no_digit_before() -> None:
    # The start positions rely on this opening; a pattern changed to open otherwise
    # must leave _STARTS_AT.
    for pattern in _STARTS_AT:
        assert re.search(r"\(\?<!\[\\d", pattern.pattern), pattern.pattern
    assert len(_STARTS_AT) == 5
    assert all(p in {q for q, _, _ in _PATTERNS} for p in _STARTS_AT)
