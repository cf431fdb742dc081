"""Sentence spans: exact offsets, and no splits at abbreviations, numbers or initials."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.sentences import split_sentences
from tests.shared_data import seed_articles

SEEDS = seed_articles()


def sentences(text: str, lang: str | None = None) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, lang)]


def assert_well_formed(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        assert "\n" not in piece
        previous_end = end
    covered = [False] * len(text)
    for start, end in spans:
        for i in range(start, end):
            covered[i] = True
    for i, char in enumerate(text):
        if not char.isspace():
            assert covered[i], f"{char!r} at {i} is in no sentence"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ông N.V. Anh phát biểu. Bà Ng. Van A. đã đến dự.",
            ["Ông N.V. Anh phát biểu.", "Bà Ng. Van A. đã đến dự."],
        ),
        (
            "PGS.TS. Nguyễn Văn B làm việc tại TP. Hồ Chí Minh. Th.S Trần C cũng có mặt.",
            ["PGS.TS. Nguyễn Văn B làm việc tại TP. Hồ Chí Minh.", "Th.S Trần C cũng có mặt."],
        ),
        (
            "Mr. Smith met Dr. Jones. They signed Decision No. 1460-QD/TU today.",
            ["Mr. Smith met Dr. Jones.", "They signed Decision No. 1460-QD/TU today."],
        ),
        (
            "В 2025 г. провинция т.е. Хазянг выделила 5 млн. рублей и 2 млрд. донгов. Ст. 5 действует.",
            [
                "В 2025 г. провинция т.е. Хазянг выделила 5 млн. рублей и 2 млрд. донгов.",
                "Ст. 5 действует.",
            ],
        ),
        (
            "Проживает на ул. Ленина, в т.ч. летом. Это 3 тыс. человек. Доклад прочитал проф. Иванов.",
            [
                "Проживает на ул. Ленина, в т.ч. летом.",
                "Это 3 тыс. человек.",
                "Доклад прочитал проф. Иванов.",
            ],
        ),
        (
            "Theo Nghị quyết số 57-NQ/TW, ngày 17.03.2025 tỉnh chi 1.200 tỷ đồng, tăng 4.5%. Xong.",
            [
                "Theo Nghị quyết số 57-NQ/TW, ngày 17.03.2025 tỉnh chi 1.200 tỷ đồng, tăng 4.5%.",
                "Xong.",
            ],
        ),
        (
            "Уведомление № 02-TB/BCĐ опубликовано. Решение № 1460-QĐ/TU принято.",
            ["Уведомление № 02-TB/BCĐ опубликовано.", "Решение № 1460-QĐ/TU принято."],
        ),
        (
            "Growth reached 8% in 2025. The province grew.",
            ["Growth reached 8% in 2025.", "The province grew."],
        ),
        ("Wait... There is more. Really?! Yes.", ["Wait... There is more.", "Really?!", "Yes."]),
        (
            "Оцифровувати документи… Для ефективного зберігання.",
            ["Оцифровувати документи… Для ефективного зберігання."],
        ),
        (
            "«Цифровая трансформация — неизбежная тенденция.» Он подчеркнул это.",
            ["«Цифровая трансформация — неизбежная тенденция.»", "Он подчеркнул это."],
        ),
        (
            "(1) Рабочий регламент. (2) Рабочую программу на 2025 год.",
            ["(1) Рабочий регламент.", "(2) Рабочую программу на 2025 год."],
        ),
        (
            "1. Results\n2.1. It is necessary to grasp.",
            ["1. Results", "2.1. It is necessary to grasp."],
        ),
        ("II. Nhiệm vụ trọng tâm", ["II. Nhiệm vụ trọng tâm"]),
        ("the results:\nwere good", ["the results:", "were good"]),
        (
            "First paragraph without a stop\n\nSecond one",
            ["First paragraph without a stop", "Second one"],
        ),
        (
            "会议于2025年5月31日召开。会议强调！是吗？好的",
            ["会议于2025年5月31日召开。", "会议强调！", "是吗？", "好的"],
        ),
        ("Mr. smith and e.g. The list.", ["Mr. smith and e.g. The list."]),
        ("Книги, журналы и т.д. Далее текст.", ["Книги, журналы и т.д.", "Далее текст."]),
        (
            "BLĐ - Sáng 17/3, tại TP. Đà Lạt, UBND tỉnh tổ chức hội nghị. Dự có ThS. Trần Văn B, "
            "BS.CKII Lê C và KS. Phạm D. “Chuyển đổi số là tất yếu.” Đến ngày 15/3, tỉnh giải "
            "ngân 1.234,5 tỷ đồng, đạt 12,3% kế hoạch. H. Đức Trọng và TX. Bảo Lộc dẫn đầu.",
            [
                "BLĐ - Sáng 17/3, tại TP. Đà Lạt, UBND tỉnh tổ chức hội nghị.",
                "Dự có ThS. Trần Văn B, BS.CKII Lê C và KS. Phạm D. “Chuyển đổi số là tất yếu.”",
                "Đến ngày 15/3, tỉnh giải ngân 1.234,5 tỷ đồng, đạt 12,3% kế hoạch.",
                "H. Đức Trọng và TX. Bảo Lộc dẫn đầu.",
            ],
        ),
        ("It ended at 5 p.m. Then rain.", ["It ended at 5 p.m. Then rain."]),
    ],
)
def test_splits(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_captions_are_units_of_their_own() -> None:
    text = "Before the photo.\n| Вид встречи |\nРабочая сцена |\nAfter the photo. Second."
    assert sentences(text) == [
        "Before the photo.",
        "| Вид встречи |",
        "Рабочая сцена |",
        "After the photo.",
        "Second.",
    ]


def test_offsets_are_exact_and_trimmed() -> None:
    text = "  Câu thứ nhất.   Câu thứ hai!  \n\n\t Câu ba?  "
    spans = split_sentences(text, "vi")
    assert [text[s:e] for s, e in spans] == ["Câu thứ nhất.", "Câu thứ hai!", "Câu ba?"]
    assert spans[0] == (2, 15)


def test_a_lower_case_continuation_is_no_new_sentence() -> None:
    assert sentences("Plan No. 5 was set. and so on.") == ["Plan No. 5 was set. and so on."]


def test_no_abbreviation_before_a_number_only() -> None:
    assert sentences("He said no. Then he left.") == ["He said no.", "Then he left."]
    assert sentences("Plan No. 386-KH/TU was issued.") == ["Plan No. 386-KH/TU was issued."]


def test_empty_and_blank_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t") == []


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_articles_split_well(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert_well_formed(text)
    spans = split_sentences(text)
    pieces = [text[start:end] for start, end in spans]
    for (start, end), (next_start, _) in zip(spans, spans[1:], strict=False):
        if "\n" not in text[end:next_start]:
            # Within a line, no sentence ends on an abbreviation or a number sign.
            assert not text[start:end].endswith(("No.", "№", "г.", "TP.", "Mr.")), text[start:end]
    joined = "\n".join(pieces)
    if "Decision No. 1460-QD/TU" in text:
        assert any(p.startswith("Pursuant to Decision No. 1460-QD/TU dated") for p in pieces)
    if "(2) Working program" in text:
        assert "(2) Working program of the Provincial Steering Committee in 2025." in pieces
    assert "Source:" not in joined or any(p.startswith("Source: https://") for p in pieces)


_ALPHABET = st.sampled_from(
    [
        "Lâm Đồng",
        "No.",
        " ",
        "  ",
        "\n",
        "\n\n",
        ". ",
        "! ",
        "? ",
        "...",
        "…",
        "|",
        " |",
        "TP.",
        "N.V.",
        "57-NQ/TW",
        "17.03.2025",
        "4.5",
        "г.",
        "Хынгйен",
        "word",
        "2025",
        "(1)",
        "«",
        "»",
        "。",
        "会议",
        "\t",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_spans_are_ordered_trimmed_and_cover_the_text(text: str) -> None:
    assert_well_formed(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_well_formed_spans(text: str) -> None:
    assert_well_formed(text)


def test_short_words_that_end_sentences_still_end_them() -> None:
    text = "He told me. Then he left. Мы помогли им. Далее."
    assert sentences(text) == ["He told me.", "Then he left.", "Мы помогли им.", "Далее."]


def test_a_text_split_again_gives_equal_spans_its_caller_may_change() -> None:
    text = "Hà Nội khởi công tuyến metro số 2. Dự kiến hoàn thành năm 2027."
    first = split_sentences(text, "vi")
    first.append((0, 1))  # a caller's own list: the next split is not affected
    assert split_sentences(text, "vi") == [(0, 34), (35, len(text))]
    assert split_sentences(text, "zh") == split_sentences(text, "zh")
