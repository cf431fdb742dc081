"""Questions -> query plans: places, periods, document numbers, intents, follow-ups."""

from __future__ import annotations

from datetime import date

import pytest

from facts.doc_numbers import doc_numbers_in_question
from qa.errors import QuestionError
from qa.gazetteer import Gazetteer
from qa.models import QueryPlan, Turn
from qa.understand import detect_intent, understand

TODAY = date(2026, 11, 25)


def plan(question: str, history: list[Turn] | None = None) -> QueryPlan:
    return understand(question, history or [], today=TODAY)


def test_the_headline_question() -> None:
    p = plan("What did Lam Dong commit to by May 2025?")
    assert p.language == "en"
    assert p.intent == "commitments"
    assert [(m.key, m.surface) for m in p.places] == [("lam-dong", "Lam Dong")]
    # A deadline before the merger: Lam Dong as it was then.
    assert p.places[0].covers == ()
    assert p.deadline_until == date(2025, 5, 31)
    assert p.published_until is None and p.published_since is None
    assert p.period_text == "by May 2025"
    assert p.search_text == p.question
    assert "Ламдонг" in p.expansions and "Lâm Đồng" in p.expansions
    assert "Lam Dong" not in p.expansions  # already in the question
    assert not p.follow_up


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Lâm Đồng cam kết gì trước tháng 5/2025?", "vi"),
        ("Что обещала провинция Ламдонг не позднее мая 2025 года?", "ru"),
        ("Що пообіцяла провінція Лам Донг до травня 2025?", "uk"),
    ],
)
def test_the_same_question_in_other_languages(question: str, lang: str) -> None:
    p = plan(question)
    assert p.language == lang
    assert p.intent == "commitments"
    assert [m.key for m in p.places] == ["lam-dong"]
    assert p.deadline_until == date(2025, 5, 31)


def test_after_the_merger_a_province_covers_the_units_merged_into_it() -> None:
    p = plan("What did Lam Dong announce after the merger?")
    assert p.published_since == date(2025, 7, 1)
    assert p.places[0].covers == ("dak-nong", "binh-thuan")
    assert p.province_keys == ("lam-dong", "dak-nong", "binh-thuan")


def test_a_merged_away_province_reaches_its_successor() -> None:
    assert plan("Tin tức Hà Giang sau khi sáp nhập").province_keys == ("ha-giang", "tuyen-quang")
    assert plan("Новости Хазянга до объединения").province_keys == ("ha-giang",)


def test_place_names_do_not_decide_the_language() -> None:
    assert plan("When did Hưng Yên hold its first steering committee meeting?").language == "en"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("What did Lam Dong commit to?", "commitments"),
        ("What did Ha Giang pledge?", "commitments"),
        ("Lâm Đồng cam kết những gì?", "commitments"),
        ("Что обязалась сделать провинция?", "commitments"),
        ("Що пообіцяла провінція?", "commitments"),
        ("До чого зобов'язалася провінція?", "commitments"),
        # What a place must do by a date is what it is bound to: its commitments.
        ("List everything Thanh Hoa must finish before 30 June 2025.", "commitments"),
        ("What does Lam Dong have to complete by May 2025?", "commitments"),
        ("Hà Giang phải hoàn thành những gì trước tháng 6/2025?", "commitments"),
        ("Что должна выполнить провинция до конца 2025 года?", "commitments"),
        ("Що має завершити Ламдонг до червня 2025 року?", "commitments"),
        ("By what date must Thanh Hoa open its innovation centre?", "when"),
        ("How many tasks must be completed?", "fact"),
        # A value asked for with the same words is a target's value, a fact.
        ("How many tasks must Lam Dong complete by June 2025?", "fact"),
        ("Hà Giang cần đạt bao nhiêu lượt khách trong năm 2025?", "fact"),
        ("Скільки завдань має виконати провінція?", "fact"),
        ("Who represented Ha Giang at the meeting?", "who"),
        ("Who attended?", "who"),
        ("Ai chủ trì hội nghị?", "who"),
        ("Кто представлял провинцию?", "who"),
        ("Хто представляв провінцію?", "who"),
        ("When did the steering committee meet?", "when"),
        ("Khi nào Hưng Yên họp?", "when"),
        ("Когда состоялось заседание?", "when"),
        ("Коли відбулося засідання?", "when"),
        ("Compare Lam Dong and Ha Giang", "comparison"),
        ("So sánh Lâm Đồng và Hà Giang", "comparison"),
        ("Сравни Ламдонг и Хазянг", "comparison"),
        ("Порівняй Ламдонг і Хазянг", "comparison"),
        ("List the tasks of the steering committee", "list"),
        ("Liệt kê các nhiệm vụ", "list"),
        # What is listed may take several words ("mục tiêu", "đơn vị hành chính").
        ("Ban Chỉ đạo tỉnh đặt những mục tiêu nào cho năm 2025?", "list"),
        ("Các đơn vị hành chính nào được sáp nhập?", "list"),
        ("What is Resolution 57 about?", "fact"),
        ("What did Lam Dong do about AI?", "fact"),  # "AI" is not Vietnamese "ai" (who)
        # How something changed is its values side by side.
        ("How did the funding change between the first and second sessions?", "comparison"),
        ("How has the number of tasks changed since the merger?", "comparison"),
        ("Как изменилось финансирование после слияния?", "comparison"),
        ("Як змінилася кількість завдань?", "comparison"),
        ("Kinh phí thay đổi thế nào sau sáp nhập?", "comparison"),
        # Deadlines asked in the plural, or a list of tasks with their deadline: each
        # pledge with its own; one deadline asked is a date.
        ("What deadlines did the Party Secretary set in April 2025?", "commitments"),
        ("Які два терміни встановив Ламдонг?", "commitments"),
        ("Какие сроки установил комитет?", "commitments"),
        ("Hải Phòng giao những nhiệm vụ gì, hạn chót khi nào?", "commitments"),
        ("What is the deadline for the data centre?", "when"),
        ("До какого срока нужно построить центр?", "when"),
    ],
)
def test_intent(question: str, intent: str) -> None:
    assert plan(question).intent == intent


def test_detect_intent_directly() -> None:
    assert detect_intent("who chaired it?", "en") == "who"


def test_doc_numbers_are_exact_and_normalised() -> None:
    p = plan("What does Resolution No. 57-NQ/TW say, and Decision 1460-QĐ/TU?")
    assert p.doc_numbers == ("57-NQ/TW", "1460-QD/TU")
    assert plan("Quyết định số 1460 - QĐ/TU nói gì?").doc_numbers == ("1460-QD/TU",)
    assert plan("What about resolution 57?").doc_numbers == ()
    assert doc_numbers_in_question("Notice No. 02-TB/BCĐ") == ("02-TB/BCD",)
    # A document's date is not a period to filter on.
    dated = plan("What does Resolution 57-NQ/TW dated December 22, 2024 require?")
    assert dated.published_since is None and dated.published_until is None


HISTORY = [
    Turn("user", "What did Lam Dong commit to by May 2025?"),
    Turn("assistant", "Lam Dong committed to ... [1]"),
]


def test_follow_up_with_an_anaphor_carries_place_period_and_topic() -> None:
    p = plan("Who represented the province at that meeting?", HISTORY)
    assert p.follow_up
    assert p.intent == "who"
    assert [m.key for m in p.places] == ["lam-dong"]
    assert p.deadline_until == date(2025, 5, 31)
    assert p.search_text.startswith("What did Lam Dong commit to by May 2025?")
    assert p.search_text.endswith("Who represented the province at that meeting?")
    assert p.question == "Who represented the province at that meeting?"


@pytest.mark.parametrize(
    "question",
    ["Кто там присутствовал?", "Хто був присутній на цьому засіданні?", "Ai chủ trì cuộc họp đó?"],
)
def test_follow_up_in_other_languages(question: str) -> None:
    p = plan(question, HISTORY)
    assert p.follow_up
    assert [m.key for m in p.places] == ["lam-dong"]
    assert p.deadline_until == date(2025, 5, 31)
    # The carried period is described in the new question's language.
    assert p.period_text != "by May 2025"


@pytest.mark.parametrize(
    "question",
    [
        "ok, and what's the goal for the end of the year?",
        "Thanks. And who signed the plan?",
        "Cảm ơn. Còn mục tiêu đến cuối năm là bao nhiêu?",
        "Спасибо, а какая цель на конец года?",
        "Дякую, а яка мета на кінець року?",
    ],
)
def test_a_follow_up_opened_by_thanks_carries_the_place(question: str) -> None:
    p = plan(question, HISTORY)
    assert p.follow_up
    assert [m.key for m in p.places] == ["lam-dong"]


def test_a_follow_up_asking_a_bare_how_much_asks_the_earlier_kind_of_value() -> None:
    history = [
        Turn(
            "user", "Thái Nguyên 9 tháng năm 2025 tỷ lệ hồ sơ trực tuyến toàn trình đạt bao nhiêu?"
        ),
        Turn("assistant", "9 tháng năm 2025, tỷ lệ toàn tỉnh đạt 78,9%."),
    ]
    for question in ("Còn riêng vùng Bắc Kạn cũ thì đạt bao nhiêu?", "А сколько в Хазянге?"):
        assert plan(question, history).answer_type == "percent", question
    # A count of something named is a count; another index asks its own kind of value.
    assert plan("Còn Bắc Kạn cũ có bao nhiêu xã?", history).answer_type == "count"
    ranked = [Turn("user", "Huế xếp thứ mấy về PAR INDEX 2024?"), Turn("assistant", "Thứ 3.")]
    assert plan("Còn chỉ số SIPAS năm đó thì bao nhiêu?", ranked).answer_type != "rank"


def test_follow_up_swapping_the_place_keeps_topic_period_and_intent() -> None:
    p = plan("What about Ha Giang?", HISTORY)
    assert p.follow_up
    assert [m.key for m in p.places] == ["ha-giang"]
    assert p.intent == "commitments"
    assert p.deadline_until == date(2025, 5, 31)
    assert "Lam Dong" not in p.search_text
    assert "commit" in p.search_text
    vi = plan("Còn Hà Giang thì sao?", HISTORY)
    assert [m.key for m in vi.places] == ["ha-giang"] and vi.period_text == "đến hết tháng 5/2025"


def test_follow_up_swapping_the_period_recomputes_coverage() -> None:
    p = plan("And after the merger?", HISTORY)
    assert p.follow_up
    assert p.deadline_until is None
    assert p.published_since == date(2025, 7, 1)
    assert p.places[0].covers == ("dak-nong", "binh-thuan")
    assert "May 2025" not in p.search_text


def test_follow_ups_chain() -> None:
    history = [*HISTORY, Turn("user", "What about Ha Giang?"), Turn("assistant", "...")]
    p = plan("Who signed it?", history)
    assert [m.key for m in p.places] == ["ha-giang"]
    assert p.deadline_until == date(2025, 5, 31)


def test_a_new_question_is_not_a_follow_up() -> None:
    p = plan("What is the digital transformation plan of Hung Yen in 2025?", HISTORY)
    assert not p.follow_up
    assert [m.key for m in p.places] == ["hung-yen"]
    assert p.search_text == p.question
    assert not plan("What is digital transformation?", HISTORY).follow_up


def test_history_that_repeats_the_question_is_ignored() -> None:
    question = "Who represented the province?"
    p = plan(question, [*HISTORY, Turn("user", question)])
    assert [m.key for m in p.places] == ["lam-dong"]


def test_without_history_nothing_is_carried() -> None:
    p = plan("Who represented the province at that meeting?")
    assert p.places == () and not p.follow_up


def test_expansions_are_limited() -> None:
    p = plan("Compare Hung Yen, Thai Binh, Ha Giang and Lam Dong")
    assert len(p.expansions) <= 12
    assert len(set(p.expansions)) == len(p.expansions)


def test_today_defaults_to_vietnam_date() -> None:
    p = understand("What happened last month?")
    assert p.published_since is not None and p.published_until is not None


@pytest.mark.parametrize("question", ["", "   ", "x" * 5000])
def test_bad_questions(question: str) -> None:
    with pytest.raises(QuestionError):
        understand(question)


def test_doc_numbers_normalised_as_the_index_does() -> None:
    assert doc_numbers_in_question("Quyết định số 1460 - QĐ/TU và 57-NQ/TW") == (
        "1460-QD/TU",
        "57-NQ/TW",
    )
    assert doc_numbers_in_question("5-7 và 1/3") == ()


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("Каков бюджет проекта умных деревень в провинции Ха Джанг?", "ha-giang"),
        ("Кто провёл заседание в провинции Ха Жанг 25 апреля?", "ha-giang"),
        ("Скільки кілометрів дамб має провінція Хунгйен?", "hung-yen"),
        ("What is the area of Lâm Ðồng province?", "lam-dong"),  # Icelandic eth, not Đ
    ],
)
def test_place_spellings_the_gazetteer_does_not_list(question: str, key: str) -> None:
    assert [m.key for m in plan(question).places] == [key]


def test_people_are_not_taken_for_places_by_sound() -> None:
    p = plan("Что заявил Данг Куанг Ту на заседании?")
    assert p.places == ()
    p = plan("What did Tran Van Hien ask the departments to report?")
    assert p.places == ()


def test_a_follow_up_asking_a_date_does_not_ask_the_earlier_kind_of_value() -> None:
    history = [
        Turn("user", "Quảng Bình giải phóng mặt bằng cao tốc tới tháng 6/2024 được bao nhiêu rồi?"),
        Turn("assistant", "Đến ngày 18/6/2024, Quảng Bình đã bàn giao 1.135,2 ha mặt bằng."),
    ]
    asked = plan("Thế hạn hoàn thành bàn giao là ngày nào?", history)
    assert asked.intent == "when"
    assert asked.answer_type is None and asked.counted == ()


def test_a_year_before_a_period_named_asks_the_period_a_year_earlier() -> None:
    asked = plan(
        "A year before the 2024-2025 school year, how many teachers was Bac Lieu short of?"
    )
    assert (asked.published_since, asked.published_until) == (date(2023, 9, 1), date(2024, 8, 31))
    assert asked.compared_period is None
    # Named as well, the earlier period is the one asked.
    named = plan("How many visitors did Lao Cai have in Q1 2024, i.e. a year before Q1 2025?")
    assert named.published_since == date(2024, 1, 1)
    # Beside the period named, the year before is asked too.
    both = plan("What was the rate as of 31 May 2025, and a year earlier?")
    assert both.published_until == date(2025, 5, 31)
    assert both.compared_period == (date(2024, 1, 1), date(2024, 5, 31))


def test_a_follow_up_asking_something_of_its_own_keeps_its_own_intent() -> None:
    history = [
        Turn("user", "What did Lam Dong commit to by May 2025?"),
        Turn("assistant", "To finish cleaning land data by 31 May 2025."),
    ]
    # Only a place swapped: asked again as the earlier turn asked it.
    assert plan("What about Ha Giang?", history).intent == "commitments"
    assert plan("Còn Hà Giang thì sao?", history).intent == "commitments"
    # A question of its own about the same meeting is not a list of pledges.
    assert plan("А что поручено провинциальной полиции?", history).intent == "fact"
    assert plan("And what was assigned to the provincial police?", history).intent == "fact"


@pytest.mark.parametrize(
    "question",
    [
        "Which province is larger after the merger: the new Lam Dong or the new Tuyen Quang?",
        "Какая провинция выделила больше средств — Ламдонг или Хазянг?",
        "Яка провінція має більше громад: Хинг Єн чи Туєнкуанг?",
        "Tỷ lệ hồ sơ trực tuyến của Lâm Đồng và Hà Giang chênh nhau thế nào?",
    ],
)
def test_two_places_offered_as_a_choice_are_compared(question: str) -> None:
    assert plan(question).intent == "comparison"


@pytest.mark.parametrize(
    "question",
    [
        "Give me the level-2 account totals reported for Ben Tre, Tra Vinh and Tien Giang",
        "Năm 2024 kinh tế số chiếm bao nhiêu phần trăm GRDP ở Khánh Hòa và Đắk Lắk?",
        "Сколько задач утвердили Нгеан и Кантхо?",
    ],
)
def test_a_fact_asked_of_several_separate_places_is_answered_for_each(question: str) -> None:
    assert plan(question).intent == "comparison"


@pytest.mark.parametrize(
    "question",
    [
        "How many teams does Yen Bai have now, after it was merged into Lao Cai?",
        "Sau sáp nhập với Kon Tum, Quảng Ngãi giải ngân được bao nhiêu?",
        "How many accounts did Ben Tre activate before it joined Vinh Long?",
        "What was the SIPAS index of Thua Thien Hue (Hue) in 2024?",
    ],
)
def test_places_of_one_territory_across_the_merger_are_one_side(question: str) -> None:
    assert plan(question).intent == "fact"


def test_a_place_and_another_thing_joined_by_or_is_no_comparison() -> None:
    assert plan("Did Lam Dong or its committee set a deadline?").intent != "comparison"


def test_a_follow_up_naming_another_session_asks_what_it_decided_too() -> None:
    history = [
        Turn("user", "What did Quang Ninh's steering committee decide at its first session?"),
        Turn("assistant", "It approved 68 key tasks for 2025. [1]"),
    ]
    assert plan("And at the second session?", history).asks_outcome
    # A follow-up asking a value of its own asks that value, not the outcomes.
    assert not plan("And how much funding?", history).asks_outcome


def test_now_of_a_place_merged_away_is_after_the_merger() -> None:
    for question in (
        "ke hoach 57 cua tinh dak nong hien nay la ke hoach so may",
        "Which plan does Dak Nong follow now?",
        "Сколько общин теперь в Биньтхуане?",
    ):
        assert plan(question).published_since == date(2025, 7, 1), question
    # A place that still exists: "now" is no period.
    assert plan("What is Lam Dong doing now?").published_since is None
    assert plan("Compare Dak Lak and pre-merger Lam Dong").published_until == date(2025, 6, 30)


def test_a_person_asked_by_role_is_a_who_question() -> None:
    for question in (
        "Which police official reported on Project 06 results in August 2025?",
        "Lãnh đạo nào ký quyết định ban hành kế hoạch?",
        "Какой руководитель провинции подписал решение?",
    ):
        assert understand(question).intent == "who", question


@pytest.mark.parametrize(
    "question",
    [
        "Сколько млрд донгов провинция Туенкуанг выделила на науку в 2025 году?",
        "Скільки млрд донгів провінція виділила на цифрову трансформацію?",
        "How many billion dong did Tuyen Quang allocate to science in 2025?",
    ],
)
def test_how_many_billion_asks_for_an_amount_of_money(question: str) -> None:
    # Answered only by a sentence stating an amount, not by any number of something.
    assert plan(question).answer_type == "money"


@pytest.mark.parametrize(
    "question",
    [
        "How much public investment capital had Dong Nai disbursed by the end of September 2025?",
        "Đến ngày 31/5/2025, Nam Định đã kích hoạt bao nhiêu tài khoản định danh điện tử mức 2?",
        # What was achieved ("được", "đạt" how much), and typed without diacritics.
        "Cần Thơ đến ngày 31/5/2025 giải ngân được bao nhiêu vốn?",
        "can tho den 31/5/2025 giai ngan duoc bao nhieu von khcn va chuyen doi so",
        "tinh den 30/9/2025 ty le ho so truc tuyen cua Dong Nai dat bao nhieu",
    ],
)
def test_what_had_been_done_by_a_past_day_is_asked_as_of_that_day(question: str) -> None:
    p = plan(question)
    # A report of what was done by then answers, not a pledge falling due then.
    assert p.deadline_until is None
    assert p.published_until is not None and p.published_until.month in (5, 9)


def test_what_was_to_be_done_by_a_day_keeps_its_deadline() -> None:
    assert plan("What did Lam Dong commit to by May 2025?").deadline_until == date(2025, 5, 31)
    assert plan("What share was it to reach by the end of 2024?").deadline_until == date(
        2024, 12, 31
    )


def test_each_side_of_a_comparison_keeps_its_own_period() -> None:
    p = plan(
        "Which had the higher share of applications submitted online: Kon Tum in the first "
        "10 months of 2024 or Can Tho in the first 7 months of 2025?"
    )
    # A choice between two places, each with its period between them, is a comparison.
    assert p.intent == "comparison"
    assert p.answer_type == "percent"
    assert p.side_periods == (
        ("kon-tum", date(2024, 1, 1), date(2024, 10, 31)),
        ("can-tho", date(2025, 1, 1), date(2025, 7, 31)),
    )
    # One period for both sides is the question's period, not a side's.
    assert plan("Compare Kon Tum and Can Tho in 2024.").side_periods == ()


def test_a_share_of_something_asks_for_a_percentage() -> None:
    assert plan("vinh phuc digital economy share of GRDP 2024").answer_type == "percent"


def test_a_count_asked_in_short_forms_counts_the_papers_words_of_its_months() -> None:
    p = plan("ĐA06 Hà Nam cũ: 5 tháng đầu 2025 kích hoạt được bao nhiêu TK ĐDĐT mức 2?")
    assert "khoan" in p.counted
    assert (p.published_since, p.published_until) == (date(2025, 1, 1), date(2025, 5, 31))


def test_a_unit_named_as_what_the_place_merged_with_is_not_asked() -> None:
    gazetteer = Gazetteer.packaged()
    plan = understand(
        "Який результат індексу PAR Index за 2024 рік мала провінція Куангчі ще до злиття з "
        "Куангбінем?",
        [],
        today=date(2026, 12, 1),
        gazetteer=gazetteer,
    )
    assert [p.key for p in plan.places] == ["quang-tri"]
    # An index's result is its score.
    assert plan.answer_type == "score"
    plan = understand(
        "Before the merger with Binh Dinh, what share of allowances did Gia Lai pay cashless?",
        [],
        today=date(2026, 12, 1),
        gazetteer=gazetteer,
    )
    assert [p.key for p in plan.places] == ["gia-lai"]
    # Two places compared stay two.
    plan = understand(
        "Compare Ca Mau and Bac Lieu", [], today=date(2026, 12, 1), gazetteer=gazetteer
    )
    assert {p.key for p in plan.places} == {"ca-mau", "bac-lieu"}


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Compare the FDI attracted by Binh Duong and Dong Nai in 2024.", "money"),
        ("What was the export value of the enterprises in SHTP in 2024?", "money"),
        ("How many FDI projects did Binh Duong license in 2024?", "count"),
        ("Скільки чинних проєктів ПІІ має Лонган?", "count"),
    ],
)
def test_foreign_investment_and_exports_named_with_no_cue_are_amounts(
    question: str, kind: str
) -> None:
    plan = understand(question, [], today=date(2026, 12, 1), gazetteer=Gazetteer.packaged())
    assert plan.answer_type == kind
