"""Dates and document numbers found in text: values, precision, kind and offsets."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facts.doc_numbers import find_doc_numbers, normalize_doc_number
from index.mentions import find_dates, period_end
from index.models import MentionedDate

REFERENCE = date(2025, 3, 17)


def only(text: str, reference: date | None = REFERENCE) -> MentionedDate:
    found = find_dates(text, reference=reference)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "surface", "value", "precision"),
    [
        ("Họp lúc 14:34, 17/03/2025 tại tỉnh", "17/03/2025", date(2025, 3, 17), "day"),
        ("Заседание 17.03.2025 прошло", "17.03.2025", date(2025, 3, 17), "day"),
        ("published 2025-03-17 online", "2025-03-17", date(2025, 3, 17), "day"),
        ("ban hành ngày 17 tháng 3 năm 2025", "ngày 17 tháng 3 năm 2025", date(2025, 3, 17), "day"),
        ("ký ngày 5/4/2025 tại", "ngày 5/4/2025", date(2025, 4, 5), "day"),
        ("trong tháng 5/2025 tỉnh", "tháng 5/2025", date(2025, 5, 1), "month"),
        ("trong tháng 5 năm 2025 tỉnh", "tháng 5 năm 2025", date(2025, 5, 1), "month"),
        ("từ tháng 09 tỉnh", "tháng 09", date(2025, 9, 1), "month"),
        ("kế hoạch quý II/2025 của tỉnh", "quý II/2025", date(2025, 4, 1), "quarter"),
        ("kế hoạch quý 3 năm 2025 của tỉnh", "quý 3 năm 2025", date(2025, 7, 1), "quarter"),
        ("targets for Q2 2025 were", "Q2 2025", date(2025, 4, 1), "quarter"),
        (
            "in the second quarter of 2025 the",
            "second quarter of 2025",
            date(2025, 4, 1),
            "quarter",
        ),
        (
            "задачи на второй квартал 2025 года",
            "второй квартал 2025 года",
            date(2025, 4, 1),
            "quarter",
        ),
        ("At the meeting of March 17, 2025 the", "March 17, 2025", date(2025, 3, 17), "day"),
        ("the meeting of 17 March 2025 was", "17 March 2025", date(2025, 3, 17), "day"),
        ("in May 2025 the province", "May 2025", date(2025, 5, 1), "month"),
        ("13 марта 2025 года комитет", "13 марта 2025 года", date(2025, 3, 13), "day"),
        ("в мае 2025 года провинция", "мае 2025 года", date(2025, 5, 1), "month"),
        ("завершить до 31 травня 2025 року", "31 травня 2025 року", date(2025, 5, 31), "day"),
        ("у квітні 2025 року", "квітні 2025 року", date(2025, 4, 1), "month"),
        ("会议于 2025 年 5 月 31 日召开", "2025 年 5 月 31 日", date(2025, 5, 31), "day"),
        ("le 17 mars 2025 à Hanoï", "17 mars 2025", date(2025, 3, 17), "day"),
        ("mục tiêu năm 2030 của tỉnh", "năm 2030", date(2030, 1, 1), "year"),
        ("в 2025 году провинция", "2025 году", date(2025, 1, 1), "year"),
    ],
)
def test_formats(text: str, surface: str, value: date, precision: str) -> None:
    found = only(text)
    assert found.surface == surface
    assert text[found.start : found.end] == surface
    assert found.value == value
    assert found.precision == precision


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Утром 17 марта рабочая группа", date(2025, 3, 17)),
        ("Sáng 17/3, hội nghị", date(2025, 3, 17)),
        ("hoàn thành trong tháng 09", date(2025, 9, 1)),
        ("On March 11 the committee met", date(2025, 3, 11)),
        ("in the second quarter the", date(2025, 4, 1)),
        ("The register opens in May for", date(2025, 5, 1)),
        ("в первом квартале провинция", date(2025, 1, 1)),
        ("会议于5月31日召开", date(2025, 5, 31)),
    ],
)
def test_missing_year_comes_from_the_reference(text: str, value: date) -> None:
    assert only(text).value == value


def test_without_a_reference_yearless_dates_are_skipped() -> None:
    assert find_dates("Утром 17 марта рабочая группа", reference=None) == []
    assert only("до 31 мая 2025 г.", reference=None).value == date(2025, 5, 31)


@pytest.mark.parametrize(
    "text",
    [
        "Lam Dong must finish the plan by May 2025.",
        "Submit no later than 30 June 2025.",
        "Finish before March 17, 2025.",
        "Завершить до 31 мая 2025 года.",
        "Представить не позднее 15 апреля 2025 г.",
        "Подготовить к 2030 году.",
        "Подати не пізніше 15 травня 2025 року.",
        "Hoàn thành trước ngày 31/5/2025.",
        "Báo cáo chậm nhất ngày 15/4/2025.",
        "Nộp không muộn hơn ngày 30/6/2025.",
        "Tỉnh phải hoàn thành trong quý II/2025.",
        "Finish the register by the end of 2025.",
        "Завершить до конца 2025 года.",
        "Виконати до кінця 2025 року.",
        "Hoàn thành trước năm 2030.",
        "Remettre au plus tard le 31 mai 2025.",
    ],
)
def test_deadlines(text: str) -> None:
    assert only(text).kind == "deadline"


@pytest.mark.parametrize(
    "text",
    [
        "On March 13, 2025, the committee issued a notice.",
        "Decision No. 1460-QD/TU dated February 20, 2025 of the committee.",
        "Постановления № 57-NQ/TW от 22 декабря 2024 года о прорывах.",
        "25 апреля во второй половине дня состоялось первое заседание.",
        "Ngày 17/3/2025, UBND tỉnh đã ban hành kế hoạch.",
        "Hội nghị diễn ra vào ngày 12/4/2025 tại Đà Lạt.",
        "Постанови Уряду № 71/NQ-CP від 1 квітня 2025 року.",
        "Засідання 20 травня 2025 року відбулося в уряді.",
    ],
)
def test_events(text: str) -> None:
    assert only(text).kind == "event"


@pytest.mark.parametrize(
    "text",
    [
        "The 2025 work programme was approved.",
        "Рабочую программу на 2025 год.",
        "Kế hoạch năm 2025 của tỉnh.",
        "Targets based on 2025 data.",
    ],
)
def test_mentions(text: str) -> None:
    assert only(text).kind == "mention"


@pytest.mark.parametrize(
    "text",
    [
        "рабочая группа № 1920 Политбюро",
        "Nghị định 13/2023/NĐ-CP quy định",
        "Thông tư 01/2025/TT-BTC hướng dẫn",
        "more than 1/3 of the way",
        "growth of 8% or more",
        "it may rain; march on",
        "Resolution 57 and Project 06",
        "chi 1.200 tỷ đồng, tăng 4.5%",
        "hỗ trợ 2000 người và 2010 hộ dân",
        "помогли 2000 человек",
    ],
)
def test_no_false_dates(text: str) -> None:
    assert find_dates(text, reference=REFERENCE) == []


def test_longest_reading_wins_and_order_is_textual() -> None:
    text = "От 22 декабря 2024 года до 31 мая 2025 г. и в 2030 году."
    found = find_dates(text, "ru", reference=REFERENCE)
    assert [d.surface for d in found] == ["22 декабря 2024 года", "31 мая 2025 г.", "2030 году"]
    assert [d.kind for d in found] == ["event", "deadline", "mention"]


def test_periods_and_ranges() -> None:
    found = find_dates("giai đoạn 2025 - 2030 và 2021-2025", reference=REFERENCE)
    assert [d.value.year for d in found] == [2025, 2030, 2021, 2025]
    assert all(d.precision == "year" for d in found)


@pytest.mark.parametrize(
    ("value", "precision", "end"),
    [
        (date(2025, 5, 17), "day", date(2025, 5, 17)),
        (date(2025, 5, 1), "month", date(2025, 5, 31)),
        (date(2024, 2, 1), "month", date(2024, 2, 29)),
        (date(2025, 4, 1), "quarter", date(2025, 6, 30)),
        (date(2025, 10, 1), "quarter", date(2025, 12, 31)),
        (date(2030, 1, 1), "year", date(2030, 12, 31)),
    ],
)
def test_period_end(value: date, precision: str, end: date) -> None:
    mentioned = MentionedDate(value, "deadline", precision, 0, 1, "x")  # type: ignore[arg-type]
    assert period_end(mentioned) == end


def test_by_may_means_the_end_of_may() -> None:
    found = only("What did Lam Dong commit to by May 2025?")
    assert found.kind == "deadline"
    assert period_end(found) == date(2025, 5, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Resolution No. 57-NQ/TW dated", [("57-NQ/TW", 15, 23)]),
        ("Уведомление № 02-TB/BCĐ", [("02-TB/BCD", 14, 23)]),
        ("Quyết định số 1460-QĐ/TU", [("1460-QD/TU", 14, 24)]),
        ("Kế hoạch 112/KH-UBND ngày", [("112/KH-UBND", 9, 20)]),
        ("Nghị định 13/2023/NĐ-CP.", [("13/2023/ND-CP", 10, 23)]),
        ("Quyết định 1234/QĐ-TTg,", [("1234/QD-TTG", 11, 22)]),
        ("Luật 36/2024/QH15", [("36/2024/QH15", 5, 17)]),
        ("1/3 шляху, 5-7, 2025-2030, 24/7, Covid-19", []),
    ],
)
def test_find_doc_numbers(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert find_doc_numbers(text) == expected


def test_doc_numbers_in_lower_case_only_on_request() -> None:
    assert find_doc_numbers("nghị quyết 57-nq/tw") == []
    assert find_doc_numbers("nghị quyết 57-nq/tw", any_case=True) == [("57-NQ/TW", 11, 19)]


@pytest.mark.parametrize(
    "variant",
    [
        "1460-QĐ/TU",
        "1460-QD/TU",
        "số 1460-QĐ/TU",
        "No. 1460-QD/TU",
        "1460 - QĐ/TU",
        "1460–qđ/tu",
        "№1460-QĐ/TU",
    ],
)
def test_normalize_doc_number_variants_agree(variant: str) -> None:
    assert normalize_doc_number(variant) == "1460-QD/TU"


def test_found_numbers_are_normalised_like_questions() -> None:
    ((number, _, _),) = find_doc_numbers("Thông báo số 02-TB/BCĐ")
    assert number == normalize_doc_number("02-tb/bcd")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "17/03/2025",
                " ",
                "ngày ",
                "tháng ",
                "5",
                "/",
                "2025",
                " года",
                "марта ",
                "May ",
                "до ",
                "by ",
                "quý II",
                "Q2 ",
                "57-NQ/TW",
                "№ ",
                ".",
                "\n",
                "年",
                "月",
                "日",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_surfaces_are_exact_slices_without_overlaps(text: str) -> None:
    found = find_dates(text, reference=REFERENCE)
    previous_end = 0
    for mentioned in found:
        assert text[mentioned.start : mentioned.end] == mentioned.surface
        assert mentioned.start >= previous_end
        assert mentioned.value <= period_end(mentioned)
        previous_end = mentioned.end
    for number, start, end in find_doc_numbers(text):
        assert normalize_doc_number(text[start:end]) == number


def test_a_year_after_digital_is_a_year_and_a_number_after_no_is_not() -> None:
    # "số" is "No." before a number, "digital" before "năm 2024" ("kinh tế số năm 2024").
    found = find_dates("Kinh tế số năm 2024 của tỉnh ước chiếm 8,9% GRDP.", "vi")
    assert [(d.value, d.precision) for d in found] == [(date(2024, 1, 1), "year")]
    assert find_dates("Theo Quyết định số 2024 của UBND tỉnh.", "vi") == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tỷ lệ cả năm 2024 đạt 64,3%, riêng quý IV đạt 70,2%.", "vi"),
        ("Доля за весь 2024 год достигла 64,3%, а только в IV квартале — 70,2%.", "ru"),
    ],
)
def test_a_quarter_without_a_year_takes_the_year_its_sentence_named(text: str, lang: str) -> None:
    found = find_dates(text, lang, reference=date(2025, 1, 8))
    assert [(d.value, d.precision) for d in found] == [
        (date(2024, 1, 1), "year"),
        (date(2024, 10, 1), "quarter"),
    ]


def test_a_quarter_without_a_year_in_a_sentence_naming_none_is_the_publication_s() -> None:
    text = "Năm 2024 đạt 5%. Trong quý IV, tỉnh sẽ tổ chức hội nghị."
    found = find_dates(text, "vi", reference=date(2025, 1, 8))
    assert [(d.value, d.precision) for d in found] == [
        (date(2024, 1, 1), "year"),
        (date(2025, 10, 1), "quarter"),
    ]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Trong 9 tháng đầu năm 2025, tỷ lệ đạt 38,6%", date(2025, 1, 1), date(2025, 9, 30)),
        ("In the first 10 months of 2024, the province", date(2024, 1, 1), date(2024, 10, 31)),
        ("За 9 месяцев 2025 года доля выросла", date(2025, 1, 1), date(2025, 9, 30)),
        ("за 10 місяців 2024 року", date(2024, 1, 1), date(2024, 10, 31)),
        ("In the first half of 2024, the rate was 31.2%", date(2024, 1, 1), date(2024, 6, 30)),
        ("В первой половине 2025 года доля составила 41,2%", date(2025, 1, 1), date(2025, 6, 30)),
        ("Au premier semestre 2025, le taux a atteint 41,2 %", date(2025, 1, 1), date(2025, 6, 30)),
        ("Trong 6 tháng cuối năm 2024, tỷ lệ đạt 60%", date(2024, 7, 1), date(2024, 12, 31)),
        ("Lũy kế từ đầu năm đến hết tháng 7/2025, đạt 64,2%", date(2025, 1, 1), date(2025, 7, 31)),
        ("From January to September 2025, it reached 81.3%", date(2025, 1, 1), date(2025, 9, 30)),
        # Chinese halves and first months, French and Chinese quarters.
        ("2025年上半年经济增长预计达10.2%", date(2025, 1, 1), date(2025, 6, 30)),
        ("2025年前9个月，全省接待游客", date(2025, 1, 1), date(2025, 9, 30)),
        (
            "Au troisième trimestre 2025, le taux a atteint 73,5 %",
            date(2025, 7, 1),
            date(2025, 9, 30),
        ),
        ("2025年第三季度，全省游客增长", date(2025, 7, 1), date(2025, 9, 30)),
    ],
)
def test_a_part_of_a_year_begins_and_ends_with_it(text: str, first: date, last: date) -> None:
    [found] = find_dates(text, reference=date(2026, 1, 1))
    assert (found.value, period_end(found)) == (first, last)


@pytest.mark.parametrize(
    ("text", "published", "last"),
    [
        # A report of June 2025 on its year's first five months.
        (
            "The rate of online records in 5 months reached 63.5%",
            date(2025, 6, 10),
            date(2025, 5, 31),
        ),
        ("Trong 5 tháng đầu năm, tỷ lệ đạt 60%", date(2025, 6, 10), date(2025, 5, 31)),
        # "The first" makes the months the year's with no preposition before them.
        (
            "The rate reached 38.6%, up from 31.2% of the first 6 months",
            date(2024, 10, 5),
            date(2024, 6, 30),
        ),
        # In January, "9 months" are the last year's.
        ("За 9 месяцев доля достигла 41%", date(2025, 1, 20), date(2024, 9, 30)),
    ],
)
def test_the_first_months_without_a_year_are_the_latest_reported(
    text: str, published: date, last: date
) -> None:
    [found] = find_dates(text, reference=published)
    assert (found.value, period_end(found)) == (date(last.year, 1, 1), last)


def test_a_year_before_a_rate_is_a_year_and_before_billions_an_amount() -> None:
    [year] = find_dates("yêu cầu đến hết năm 2025 tỷ lệ hồ sơ đạt 90%", reference=date(2025, 6, 1))
    assert year.value == date(2025, 1, 1)
    assert find_dates("tổng vốn 2025 tỷ đồng", reference=date(2025, 6, 1)) == []


def test_a_school_year_is_one_period_from_september_to_august() -> None:
    [found] = find_dates("Năm học 2024 - 2025, tỉnh dành 31,6 tỷ đồng", reference=date(2024, 11, 8))
    assert (found.value, period_end(found)) == (date(2024, 9, 1), date(2025, 8, 31))
    [found] = find_dates("up from 12,712 in the 2023-24 school year", reference=date(2024, 11, 8))
    assert (found.value, period_end(found)) == (date(2023, 9, 1), date(2024, 8, 31))
    # Two years of a plan are two years.
    assert len(find_dates("giai đoạn 2021-2025 đạt 60%", reference=date(2024, 11, 8))) == 2


def test_months_of_a_duration_are_no_part_of_a_year() -> None:
    assert find_dates("The system was completed within 5 months", reference=date(2025, 6, 1)) == []
    assert find_dates("Three months later, 5 months after launch", reference=date(2025, 6, 1)) == []


def test_the_months_of_a_running_total_are_part_of_its_date() -> None:
    # "9" of "9 tháng năm 2025" is no figure of the sentence: the date covers it.
    text = "9 tháng năm 2025, thiên tai làm 47 đợt mưa lớn"
    (run,) = find_dates(text, reference=date(2025, 10, 3))
    assert text[run.start : run.end] == "9 tháng năm 2025"
    assert (run.value, run.last) == (date(2025, 1, 1), date(2025, 9, 30))
