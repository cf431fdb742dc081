"""Date patterns tried only where a match can start find what scanning the text finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from index.mentions import (
    _DEADLINE_BEFORE,
    _DIGIT_RUN_START,
    _EVENT_BEFORE,
    _PATTERNS,
    _STARTS_AT,
    _WORD_START,
    _ends_with,
    _is_month_name,
    _matches_from,
    _month_match_starts,
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


def _month_starts_by_every_word(text: str) -> list[int]:
    """The definition: the start of every month-name word and of the two words before."""
    starts: list[int] = []
    positions: set[int] = set()
    for match in re.finditer(r"\w+", text):
        starts.append(match.start())
        if _is_month_name(match.group()):
            positions.update(starts[-3:])
    return sorted(positions)


MONTH_PIECES = [
    "May", "may", "March", "марта", "травня", "mai", "in ", "by ", "17 ", "2025", " ", ", ",
    "\n", "-", "x" * 70, "word ", "Mayday", "_", "đồng ", "(", "ngày ",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MONTH_PIECES), max_size=40).map("".join))
def test_month_starts_equal_reading_every_word(text: str) -> None:
    assert _month_match_starts(text) == _month_starts_by_every_word(text)


BEFORE_PIECES = [
    "by ", "no later than ", "before ", "until ", "deadline of ", "due by ", "within ", "до ",
    "не позднее ", "к ", "срок до ", "не пізніше ніж ", "trước ", "chậm nhất là ", "đến hết ",
    "đến ", "avant ", "d'ici ", "au plus tard le ", "the end of ", "cuối ", "ngày ", "on ",
    "dated ", "от ", "vào ", "sáng ", "le ", "abby ", "xон ", "  ", "\t", "x", "Mon ", "BY ",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(BEFORE_PIECES), max_size=8).map("".join))
def test_words_before_tried_at_word_starts_equal_searching(before: str) -> None:
    before = before[-40:]
    word_starts = [m.start() for m in _WORD_START.finditer(before)]
    for pattern in (_DEADLINE_BEFORE, _EVENT_BEFORE):
        assert _ends_with(pattern, before, word_starts) == bool(pattern.search(before))
