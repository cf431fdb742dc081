"""Time expressions -> publication, deadline and event constraints."""

from __future__ import annotations

from datetime import date

import pytest

from qa.temporal import TemporalConstraint, asks_the_period_alone, parse_temporal, years_before

TODAY = date(2026, 11, 25)


def _period(constraint: TemporalConstraint) -> tuple[date | None, date | None]:
    """The span a constraint gives the publication date."""
    return constraint.published_since, constraint.published_until


def parse(text: str, lang: str = "en") -> TemporalConstraint:
    constraint = parse_temporal(text, lang, today=TODAY)
    assert constraint is not None, text
    return constraint


@pytest.mark.parametrize(
    ("text", "lang", "period_text"),
    [
        ("What did Lam Dong commit to by May 2025?", "en", "by May 2025"),
        ("Хазянг: що обіцяли до травня 2025?", "uk", "не пізніше травня 2025 р."),
        ("Lâm Đồng cam kết gì trước tháng 5/2025?", "vi", "đến hết tháng 5/2025"),
        ("Что обещано не позднее мая 2025 года?", "ru", "не позднее мая 2025 г."),
        ("к маю 2025", "ru", "не позднее мая 2025 г."),
        ("no later than May 2025", "en", "by May 2025"),
    ],
)
def test_by_a_month_is_a_deadline_not_a_publication_limit(
    text: str, lang: str, period_text: str
) -> None:
    _deadline_may_2025(text, lang, period_text)


@pytest.mark.parametrize(
    ("text", "lang", "period_text"),
    [
        # Month names in the dative ("к июню", "к травню"), as in "by June".
        ("Что Бакзянг обещал сделать к маю 2025?", "ru", "не позднее мая 2025 г."),
        ("Що Хазянг обіцяв зробити к травню 2025?", "uk", "не пізніше травня 2025 р."),
    ],
)
def test_by_a_month_in_the_dative_is_a_deadline(text: str, lang: str, period_text: str) -> None:
    _deadline_may_2025(text, lang, period_text)


def _deadline_may_2025(text: str, lang: str, period_text: str) -> None:
    constraint = parse(text, lang)
    assert constraint.deadline_until == date(2025, 5, 31)
    assert constraint.published_until is None
    assert constraint.published_since is None
    assert constraint.period_text == period_text


@pytest.mark.parametrize(
    "text", ["в четвёртом квартале 2024 года", "в четвертом квартале 2024 года"]
)
def test_a_quarter_in_russian_with_or_without_yo(text: str) -> None:
    constraint = parse(text, "ru")
    assert _period(constraint) == (
        date(2024, 10, 1),
        date(2024, 12, 31),
    )


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("in Q2 2025", "en"),
        ("in the second quarter of 2025", "en"),
        ("quý II/2025", "vi"),
        ("quý 2 năm 2025", "vi"),
        ("у другому кварталі 2025 року", "uk"),
        ("во втором квартале 2025 г.", "ru"),
        ("во II квартале 2025 года", "ru"),
    ],
)
def test_quarters(text: str, lang: str) -> None:
    constraint = parse(text, lang)
    assert _period(constraint) == (
        date(2025, 4, 1),
        date(2025, 6, 30),
    )
    assert constraint.deadline_until is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("What was the rate in the last quarter of 2025?", "en"),
        ("the final quarter of 2025", "en"),
        ("Tỷ lệ quý cuối năm 2025 là bao nhiêu?", "vi"),
        ("в последнем квартале 2025 года", "ru"),
        ("в останньому кварталі 2025 року", "uk"),
        ("pendant le dernier trimestre 2025", "fr"),
    ],
)
def test_the_last_quarter_of_a_year_named_is_its_fourth(text: str, lang: str) -> None:
    constraint = parse(text, lang)
    assert _period(constraint) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )
    # Without a year, "last quarter" is the one before the asker's.
    last = parse("What happened last quarter?")
    assert _period(last) == (date(2026, 7, 1), date(2026, 9, 30))


@pytest.mark.parametrize(
    ("text", "lang", "period"),
    [
        (
            "What was the coverage at the end of June 2024, i.e. after Q2?",
            "en",
            (date(2024, 6, 1), date(2024, 6, 30)),
        ),
        (
            "Какой была заполняемость парков бывшей провинции Ханам (с июля 2025 года – часть "
            "Ниньбиня) по данным 2024 года?",
            "ru",
            (date(2024, 1, 1), date(2024, 12, 31)),
        ),
    ],
)
def test_a_bound_that_contradicts_the_period_named_is_dropped(
    text: str, lang: str, period: tuple[date, date]
) -> None:
    # Read together the two bounds leave no day at all: the figure's own period stands.
    constraint = parse(text, lang)
    assert _period(constraint) == period


def test_period_text_speaks_the_question_language() -> None:
    assert parse("in Q2 2025").period_text == "in Q2 2025"
    assert parse("quý II/2025", "vi").period_text == "trong quý II/2025"
    assert parse("у другому кварталі 2025 року", "uk").period_text == "у II кварталі 2025 р."
    assert parse("в мае 2025", "ru").period_text == "в мае 2025 г."


def test_since_a_month_takes_the_year_from_today() -> None:
    constraint = parse("What has happened since March?")
    assert constraint.published_since == date(2026, 3, 1)
    assert constraint.published_until is None
    assert constraint.period_text == "since March 2026"
    # A month later in the year than today is last year's.
    assert parse("since December").published_since == date(2025, 12, 1)
    assert parse("з березня", "uk").published_since == date(2026, 3, 1)
    assert parse("с марта", "ru").published_since == date(2026, 3, 1)
    assert parse("từ tháng 3", "vi").published_since == date(2026, 3, 1)


def test_deadline_without_year_is_the_next_one() -> None:
    assert parse("by May").deadline_until == date(2027, 5, 31)
    assert parse("by December").deadline_until == date(2026, 12, 31)


def test_in_a_month_and_in_a_year() -> None:
    in_may = parse("What happened in May?")
    assert _period(in_may) == (date(2026, 5, 1), date(2026, 5, 31))
    in_2024 = parse("in 2024")
    assert _period(in_2024) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
    )
    assert parse("в 2024 году", "ru").published_since == date(2024, 1, 1)
    assert parse("năm 2024", "vi").published_until == date(2024, 12, 31)


def test_a_month_without_a_year_takes_the_year_the_question_names() -> None:
    both = parse("What did Quang Ninh decide in February and July 2025?")
    # Either month: the span from the first to the last, not an empty intersection.
    assert _period(both) == (date(2025, 2, 1), date(2025, 7, 31))
    assert not both.year_inferred
    russian = parse(
        "Как изменилось финансирование на 2025 год между первым (февраль) и вторым (июль) "
        "заседаниями?",
        "ru",
    )
    assert _period(russian) == (
        date(2025, 2, 1),
        date(2025, 7, 31),
    )
    # A year named before the month, and one period inside the other, narrows.
    february = parse("Quang Ninh 2025 tasks: what was decided in February?")
    assert _period(february) == (
        date(2025, 2, 1),
        date(2025, 2, 28),
    )
    assert parse("Що вирішили у травні 2024?", "uk").published_since == date(2024, 5, 1)


@pytest.mark.parametrize(
    ("text", "lang", "since", "until"),
    [
        ("last month", "en", date(2026, 10, 1), date(2026, 10, 31)),
        ("tháng trước", "vi", date(2026, 10, 1), date(2026, 10, 31)),
        ("в прошлом месяце", "ru", date(2026, 10, 1), date(2026, 10, 31)),
        ("минулого місяця", "uk", date(2026, 10, 1), date(2026, 10, 31)),
        ("this year", "en", date(2026, 1, 1), date(2026, 12, 31)),
        ("năm nay", "vi", date(2026, 1, 1), date(2026, 12, 31)),
        ("last year", "en", date(2025, 1, 1), date(2025, 12, 31)),
        ("торік", "uk", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_relative_periods(text: str, lang: str, since: date, until: date) -> None:
    constraint = parse(text, lang)
    assert _period(constraint) == (since, until)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("before the merger", "en"),
        ("trước khi sáp nhập", "vi"),
        ("до объединения", "ru"),
        ("до об'єднання", "uk"),
    ],
)
def test_before_the_merger(text: str, lang: str) -> None:
    constraint = parse(text, lang)
    assert constraint.published_until == date(2025, 6, 30)
    assert constraint.published_since is None
    assert constraint.deadline_until is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("after the merger", "en"),
        ("plan number after it was merged?", "en"),
        ("after the three provinces were merged", "en"),
        ("sau sáp nhập", "vi"),
        ("после объединения", "ru"),
        ("після об'єднання", "uk"),
    ],
)
def test_after_the_merger(text: str, lang: str) -> None:
    constraint = parse(text, lang)
    assert constraint.published_since == date(2025, 7, 1)
    assert constraint.published_until is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("After the merger with Phu Yen, what share did the new Dak Lak reach in 2024?", "en"),
        ("Đắk Lắk mới sau sáp nhập năm 2024 đạt bao nhiêu?", "vi"),
        ("Сколько после объединения у новой провинции было в 2024 году?", "ru"),
    ],
)
def test_a_merger_naming_the_province_leaves_the_time_to_the_year(text: str, lang: str) -> None:
    # The new province "after the merger" asked of a year before it: the year is the time.
    constraint = parse(text, lang)
    assert _period(constraint) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
    )


def test_an_event_in_a_month() -> None:
    constraint = parse("Хто виступав на засіданні у травні 2025?", "uk")
    assert (constraint.event_since, constraint.event_until) == (date(2025, 5, 1), date(2025, 5, 31))
    # Reports follow the event by a few days.
    assert constraint.published_since == date(2025, 5, 1)
    assert constraint.published_until is not None
    assert date(2025, 5, 31) < constraint.published_until <= date(2025, 6, 10)


def test_a_day() -> None:
    constraint = parse("What was decided at the meeting on 17 March 2025?")
    assert constraint.event_since == constraint.event_until == date(2025, 3, 17)
    assert constraint.period_text == "on 17 March 2025"
    assert parse("ngày 17/3/2025", "vi").event_since == date(2025, 3, 17)
    assert parse("25 апреля 2025 г.", "ru").event_since == date(2025, 4, 25)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("from March to May 2025", "en"),
        ("between March and May 2025", "en"),
        ("từ tháng 3 đến tháng 5/2025", "vi"),
        ("с марта по май 2025 года", "ru"),
        ("з березня по травень 2025", "uk"),
    ],
)
def test_ranges(text: str, lang: str) -> None:
    constraint = parse(text, lang)
    assert _period(constraint) == (
        date(2025, 3, 1),
        date(2025, 5, 31),
    )
    assert constraint.deadline_until is None


def test_after_and_as_of() -> None:
    assert parse("after May 2025").published_since == date(2025, 6, 1)
    as_of = parse("as of June 2025")
    assert as_of.published_until == date(2025, 6, 30) and as_of.published_since is None
    assert parse("tính đến tháng 6/2025", "vi").published_until == date(2025, 6, 30)


def test_halves() -> None:
    first = parse("in the first half of 2025")
    assert _period(first) == (date(2025, 1, 1), date(2025, 6, 30))
    assert parse("6 tháng cuối năm 2025", "vi").published_since == date(2025, 7, 1)


@pytest.mark.parametrize(
    ("text", "lang", "since", "until"),
    [
        ("в первой половине 2025 года", "ru", date(2025, 1, 1), date(2025, 6, 30)),
        ("во второй половине 2024 года", "ru", date(2024, 7, 1), date(2024, 12, 31)),
        ("у першій половині 2025 року", "uk", date(2025, 1, 1), date(2025, 6, 30)),
        ("nửa đầu năm 2025", "vi", date(2025, 1, 1), date(2025, 6, 30)),
        ("nửa cuối năm 2024", "vi", date(2024, 7, 1), date(2024, 12, 31)),
    ],
)
def test_a_half_is_named_in_every_language_s_words(
    text: str, lang: str, since: date, until: date
) -> None:
    asked = parse(text, lang)
    assert _period(asked) == (since, until)


@pytest.mark.parametrize(
    ("text", "lang", "last"),
    [
        ("fully-online rate jan-sep 2025?", "en", date(2025, 9, 30)),
        ("between January and July 2025", "en", date(2025, 7, 31)),
        ("cộng dồn từ đầu năm đến hết tháng 7/2025", "vi", date(2025, 7, 31)),
        ("tháng 1-9/2025", "vi", date(2025, 9, 30)),
        ("с января по сентябрь 2025 года", "ru", date(2025, 9, 30)),
        ("з січня по вересень 2025 року", "uk", date(2025, 9, 30)),
        # Its last month qualified: the span still runs from January.
        ("from January to mid-August 2025", "en", date(2025, 8, 31)),
        ("từ đầu năm đến giữa tháng 8/2025", "vi", date(2025, 8, 31)),
        ("с января по середину августа 2025 года", "ru", date(2025, 8, 31)),
    ],
)
def test_a_span_from_january_is_the_first_months_of_the_year(
    text: str, lang: str, last: date
) -> None:
    asked = parse(text, lang)
    assert _period(asked) == (date(last.year, 1, 1), last)


def test_half_a_day_is_no_half_year() -> None:
    asked = parse("первая половина дня 12 мая 2025", "ru")
    assert asked.published_since == date(2025, 5, 12)


@pytest.mark.parametrize(
    "text",
    [
        "What did Lam Dong commit to?",
        "What may the province do about it?",  # "may" the verb
        "Resolution 57-NQ/TW dated December 22, 2024",  # a document's date names the document
        "Постановление № 57-NQ/TW от 22 декабря 2024 года",
        "Nghị quyết 57-NQ/TW ngày 22/12/2024",
        "",
    ],
)
def test_no_time(text: str) -> None:
    assert parse_temporal(text, "en", today=TODAY) is None


def test_spans_point_at_the_expression() -> None:
    text = "What did Lam Dong commit to by May 2025?"
    constraint = parse(text)
    assert [text[s:e] for s, e in constraint.spans] == ["by May 2025"]


def test_may_the_verb_is_not_a_month() -> None:
    assert parse_temporal("May I ask what Lam Dong committed to?", "en", today=TODAY) is None
    assert parse("May 2025 plans").published_since == date(2025, 5, 1)


@pytest.mark.parametrize(
    ("text", "lang", "surface"),
    [
        ("by mid-May 2025", "en", "by mid-May 2025"),
        ("trước cuối tháng 5/2025", "vi", "trước cuối tháng 5/2025"),
        ("до конца мая 2025", "ru", "до конца мая 2025"),
    ],
)
def test_qualified_deadlines(text: str, lang: str, surface: str) -> None:
    constraint = parse(text, lang)
    assert constraint.deadline_until == date(2025, 5, 31)
    assert [text[s:e] for s, e in constraint.spans] == [surface]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("How much is planned for 2025-2030?", "en"),
        ("Сколько средств предусмотрено на 2025–2030 годы?", "ru"),
        ("Скільки ресурсів передбачено на 2025–2030 роки?", "uk"),
        ("Tổng nguồn lực giai đoạn 2025—2030 là bao nhiêu?", "vi"),
    ],
)
def test_a_plans_horizon_joined_by_a_hyphen_or_dash_is_no_period(text: str, lang: str) -> None:
    # Read as two years, "на 2025–2030 годы" made an empty period (from 2030 until 2025)
    # that no article could be from.
    assert parse_temporal(text, lang, today=TODAY) is None


def test_a_horizon_keeps_the_other_time_of_the_question() -> None:
    constraint = parse("Скільки ресурсів на 2025–2030 роки після об'єднання?", "uk")
    assert constraint.published_since == date(2025, 7, 1)
    assert constraint.published_until is None


def test_years_apart_with_a_spaced_dash_are_still_a_range() -> None:
    constraint = parse("What happened from 2024 – 2025?")
    assert _period(constraint) == (
        date(2024, 1, 1),
        date(2025, 12, 31),
    )


def test_a_capitalised_month_word_inside_a_sentence_is_a_name() -> None:
    # Mai is a Vietnamese surname; Russian and Ukrainian write months in lower case.
    today = date(2026, 12, 6)
    assert parse_temporal("Какие сроки установил зампред Май Ван Туат?", "ru", today=today) is None
    assert parse_temporal("Що доручили заступнику Май Ван Туату?", "uk", today=today) is None
    in_may = parse_temporal("Что решили в мае 2025 года?", "ru", today=today)
    assert in_may is not None and in_may.published_since == date(2025, 5, 1)


def test_the_first_six_months_written_in_words() -> None:
    half = parse_temporal("Sáu tháng đầu năm 2024 Thanh Hóa làm được gì?", "vi", today=TODAY)
    assert half is not None
    assert _period(half) == (date(2024, 1, 1), date(2024, 6, 30))


@pytest.mark.parametrize(
    ("text", "since", "until", "deadline"),
    [
        ("6 thang dau nam 2025 thu hut bao nhieu FDI", date(2025, 1, 1), date(2025, 6, 30), None),
        ("phai hoan thanh truoc ngay 30/6/2025", None, None, date(2025, 6, 30)),
        # "sau" (after) ends in the French "au" (as of): a cue is a whole word.
        ("sau tháng 5/2025 tỉnh làm gì", date(2025, 6, 1), None, None),
    ],
)
def test_vietnamese_typed_without_diacritics_and_whole_cue_words(
    text: str, since: date | None, until: date | None, deadline: date | None
) -> None:
    found = parse_temporal(text, "vi", today=TODAY)
    assert found is not None
    assert (found.published_since, found.published_until, found.deadline_until) == (
        since,
        until,
        deadline,
    )


@pytest.mark.parametrize(
    ("text", "lang", "until", "period_text"),
    [
        (
            "in the first 10 months of 2024",
            "en",
            date(2024, 10, 31),
            "in the first 10 months of 2024",
        ),
        ("9 tháng đầu năm 2025", "vi", date(2025, 9, 30), "trong 9 tháng đầu năm 2025"),
        ("9 tháng năm 2025", "vi", date(2025, 9, 30), "trong 9 tháng đầu năm 2025"),
        ("за 9 месяцев 2025 года", "ru", date(2025, 9, 30), "в первые 9 мес. 2025 г."),
        ("за перші 7 місяців 2025 року", "uk", date(2025, 7, 31), "у перші 7 міс. 2025 р."),
    ],
)
def test_the_first_months_of_a_year_end_with_the_last_of_them(
    text: str, lang: str, until: date, period_text: str
) -> None:
    # Not the whole year: a figure as of 10 November is not one of the first 10 months.
    constraint = parse_temporal(text, lang, today=TODAY)
    assert constraint is not None
    assert _period(constraint) == (
        date(until.year, 1, 1),
        until,
    )
    assert constraint.period_text == period_text


def test_a_day_asked_as_of_is_told_from_the_end_of_a_period() -> None:
    assert parse("as of 30 June 2025", "en").as_of_day == date(2025, 6, 30)
    assert parse("tính đến ngày 30/6/2025", "vi").as_of_day == date(2025, 6, 30)
    # "Before the merger" ends the same day, and asks no day.
    before = parse("before the merger", "en")
    assert before.published_until == date(2025, 6, 30) and before.as_of_day is None


def test_the_same_day_years_before() -> None:
    assert years_before(date(2025, 5, 15), 1) == date(2024, 5, 15)
    # A 29 February with no leap year before it is the 28th.
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("FDI attracted in the first nine months of 2025?", "en"),
        ("Chín tháng đầu năm 2025 Cần Thơ nhận bao nhiêu hồ sơ?", "vi"),
        ("Сколько заявлений за первые девять месяцев 2025 года?", "ru"),
        ("Скільки заяв за перші дев'ять місяців 2025 року?", "uk"),
        ("Combien de dossiers pendant les neuf premiers mois de 2025 ?", "fr"),
    ],
)
def test_a_count_of_months_spelt_as_a_word(text: str, lang: str) -> None:
    constraint = parse(text, lang)
    assert _period(constraint) == (
        date(2025, 1, 1),
        date(2025, 9, 30),
    )
    # The period's words are the question's own, at their own offsets.
    assert "2025" in text[constraint.spans[0][0] : constraint.spans[-1][1]]
    # "năm" is also the year: "năm tháng" is not read as five months.
    assert parse("Năm 2025 có năm tháng mưa lớn?", "vi").published_until == date(2025, 12, 31)


def test_after_the_first_months_asks_what_they_gave() -> None:
    constraint = parse("Which had collected more after the first nine months of 2025?")
    assert _period(constraint) == (
        date(2025, 1, 1),
        date(2025, 9, 30),
    )


@pytest.mark.parametrize(
    ("text", "lang", "alone"),
    [
        ("How much did Hai Phong collect specifically in Q3 2025?", "en", True),
        ("Скільки Хайфон отримав саме у третьому кварталі 2025 року?", "uk", True),
        ("Сколько Хайфон получил именно во II квартале 2025 года?", "ru", True),
        ("Hải Phòng thu được bao nhiêu chỉ trong quý III/2025?", "vi", True),
        ("Riêng trong quý III/2025 Hải Phòng thu bao nhiêu?", "vi", True),
        # A quarter is asked on its own even when not said so; a year is not.
        ("How much did Hai Phong collect in Q3 2025?", "en", True),
        ("Hải Phòng thu được bao nhiêu trong quý III/2025?", "vi", True),
        ("How much did Hai Phong collect in 2025?", "en", False),
        ("Hải Phòng thu được bao nhiêu trong 9 tháng năm 2025?", "vi", False),
    ],
)
def test_a_period_asked_on_its_own(text: str, lang: str, alone: bool) -> None:
    # On its own, a longer period holding it does not answer (`qa.decide`).
    constraint = parse(text, lang)
    assert asks_the_period_alone(text, constraint) is alone


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("tinh Hau Giang nam hoc 2024-2025 ho tro bao nhieu tre?", "vi", "trong năm học 2024-2025"),
        (
            "How many pupils were in boarding schools in 2024-25?",
            "en",
            "in the 2024-2025 school year",
        ),
        ("Сколько потратили в 2024-2025 учебном году?", "ru", "в 2024-2025 учебном году"),
        ("Скільки учнів у навчальному році 2024–2025?", "uk", "у 2024-2025 навчальному році"),
    ],
)
def test_a_school_year_runs_from_september_to_august(text: str, lang: str, label: str) -> None:
    constraint = parse(text, lang)
    assert _period(constraint) == (date(2024, 9, 1), date(2025, 8, 31))
    assert constraint.period_text == label


def test_a_plan_s_horizon_is_no_school_year() -> None:
    assert parse_temporal("the 2021-25 plan", "en", today=TODAY) is None


def test_a_quarter_is_asked_on_its_own() -> None:
    question = "Hai Phong's state budget revenue in Q3 2025?"
    assert asks_the_period_alone(question, parse(question))
    # After the merger, the nine months are from July to September: no quarter named.
    question = "After the merger, how much was disbursed in the first 9 months of 2025?"
    assert not asks_the_period_alone(question, parse(question))
