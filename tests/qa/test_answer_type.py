"""A question that asks for a value (a share, a rank, an amount, a count) is answered by a
sentence that states one, or refused; a sentence about another year does not answer a
question about this one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pytest

from index.models import MentionedDate
from qa.answer import answer
from qa.answer_type import (
    AnswerType,
    asked_parts,
    asks_several_dates,
    count_cue_asks_document,
    counted_words,
    expected_answer_type,
    measures_asked,
    names_counted,
    scores_in_per_cent,
    states_answer_type,
)
from qa.candidates import Candidate
from qa.decide import cover_parts, side_answers
from qa.gazetteer import Gazetteer
from qa.lexicon import indexes_named, opens_on_the_past
from qa.models import PlaceMatch, QueryPlan
from qa.retrieve import Evidence
from tests.qa.conftest import MemoryRetriever
from tests.qa.test_extractive import assert_contract


def _asking(question: str, kind: AnswerType, language: str = "en", **fields: Any) -> QueryPlan:
    """The plan of a question asking one value of `kind`, with any further fields."""
    return QueryPlan(
        question=question,
        language=language,
        search_text=question,
        answer_type=kind,
        answer_parts=(kind,),
        **fields,
    )


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What share of applications were processed fully online in 2024?", "percent"),
        ("Tỷ lệ hồ sơ trực tuyến của Tây Ninh đạt bao nhiêu?", "percent"),
        ("Какая доля заявлений обрабатывалась онлайн?", "percent"),
        ("Яка частка заяв опрацьовувалася онлайн?", "percent"),
        ("What was Quang Ninh's PII ranking in 2024?", "rank"),
        ("PII 2024 Gia Lai xếp thứ mấy", "rank"),
        ("Какое место занял Ламдонг по индексу PII?", "rank"),
        ("Яке місце посіла Тханьхоа в індексі PII?", "rank"),
        ("How much money did Ha Giang set aside for the plan?", "money"),
        ("Bắc Giang bố trí bao nhiêu tỷ đồng cho chuyển đổi số?", "money"),
        ("Какой бюджет выделил Нгеан на цифровую трансформацию?", "money"),
        ("Скільки грошей провінція виділила на рух?", "money"),
        ("How many members sit on the steering committee?", "count"),
        ("Cần Thơ mới có bao nhiêu xã phường?", "count"),
        ("Сколько членов в Руководящем комитете?", "count"),
        ("Скільки сіл без мобільного зв'язку?", "count"),
        # A population is a count of people.
        ("What is the population of the new Hung Yen province?", "count"),
        ("Dân số tỉnh Hưng Yên mới là bao nhiêu?", "count"),
        ("Каково население новой провинции?", "count"),
        ("Яке населення нової провінції?", "count"),
        ("Tinh Lam Dong moi co bao nhieu don vi hanh chinh cap xa?", "count"),
        ("lang son ban hanh ke hoach so may", "count"),
        ("PII 2024 Gia Lai xep thu may", "rank"),
        # An index's score is asked apart from its rank.
        ("What PAPI score did Kon Tum get for 2023?", "score"),
        ("Chỉ số PCI năm 2024 của Bình Phước đạt bao nhiêu điểm?", "score"),
        ("Какой балл DTI получила провинция за 2023 год?", "score"),
        ("Скільки балів набрав Шокчанг у DTI 2024?", "score"),
        ("DTI 2024 cua Soc Trang dat bao nhieu diem", "score"),
        ("Какое место занял Контум в рейтинге DTI за 2024 год?", "rank"),
        ("How many weak points do the dykes have?", "count"),
        # Money earned (revenue, income, exports) is an amount, though asked "how many".
        ("Hải Phòng xuất khẩu được bao nhiêu trong 9 tháng năm 2025?", "money"),
        ("Thu nhập bình quân người dân nông thôn khoảng bao nhiêu một năm?", "money"),
        ("Какой доход от туризма получила провинция за IV квартал?", "money"),
        ("Який дохід від туризму отримала провінція?", "money"),
        ("Сколько экспортировала провинция за 9 месяцев?", "money"),
        ("What was the tourism revenue of Ninh Binh in 2024?", "money"),
        ("Hải Phòng có bao nhiêu doanh nghiệp xuất khẩu?", "count"),
        ("Bắc Giang đã hoàn thành bao nhiêu căn nhà trong năm 2025?", "count"),
        # Growth is asked in per cent.
        ("How fast did GRDP grow in Hai Phong over January–September 2025?", "percent"),
        ("Hai Duong's GRDP growth in the second quarter of 2025?", "percent"),
        ("Tăng trưởng GRDP 6 tháng đầu năm của Hải Dương đạt bao nhiêu?", "percent"),
        ("На сколько вырос ВРП Хайзыонга за первое полугодие 2025 года?", "percent"),
        ("Яке зростання ВРП мала провінція у 2025 році?", "percent"),
        # A count asked by a noun, not a date's "число".
        ("What was the OCOP product count for Binh Thuan?", "count"),
        ("Сравните число продуктов OCOP в Ламдонге и Зялае.", "count"),
        ("Какое количество учетных записей открыто?", "count"),
        ("Кількість облікових записів у Даклаку?", "count"),
        ("Số lượng sản phẩm OCOP của Gia Lai năm 2024?", "count"),
        ("Quel est le nombre de produits OCOP?", "count"),
        ("До какого числа нужно оцифровать досье?", None),
        ("Does a ward count as a commune?", None),
        ("Who chaired the first meeting?", None),
        ("Where is the administrative centre of the new province?", None),
    ],
)
def test_kind_of_value_asked_for(question: str, kind: str | None) -> None:
    assert expected_answer_type(question) == kind


def test_sentences_that_state_a_value_of_each_kind() -> None:
    assert states_answer_type("Chỉ số PAPI năm 2023 của Kon Tum đạt 41,25 điểm.", "score")
    assert states_answer_type("балл DTI провинции достиг 0,4312, ниже 0,4926", "score")
    assert states_answer_type("Binh Dinh's PCI reached 67.85 points, ranking 12/63.", "score")
    assert not states_answer_type("The share rose by 9.3 percentage points.", "score")
    assert not states_answer_type("Tỷ lệ tăng 9,3 điểm phần trăm so với năm 2024.", "score")
    # A score is not a count of anything.
    assert not states_answer_type("Kon Tum đạt 41,25 điểm.", "count")
    assert states_answer_type("Tỷ lệ hồ sơ nộp trực tuyến đạt 58,3%.", "percent")
    assert not states_answer_type("Tỷ lệ hồ sơ nộp trực tuyến tăng mạnh.", "percent")
    assert states_answer_type("В 2024 году провинция заняла 35-е место из 63.", "rank")
    assert states_answer_type("Gia Lai xếp hạng 52/63 tỉnh, thành phố.", "rank")
    assert not states_answer_type("В 2024 году провинция провела 3 заседания.", "rank")
    assert states_answer_type("близько 1 062 млрд донгів на науку", "money")
    assert states_answer_type("tỉnh dành 500 tỷ đồng cho các chương trình", "money")
    # "tỷ lệ" is a rate, not billions.
    assert not states_answer_type("Năm 2025 tỷ lệ hồ sơ trực tuyến tăng.", "money")
    assert states_answer_type("The committee has 19 members.", "count")
    # A rating in stars grades a thing; it counts none.
    assert not states_answer_type("các sản phẩm đạt 3 sao và 4 sao", "count")
    assert not states_answer_type("products reaching national 5 stars", "count")
    assert not states_answer_type("The committee met on Tuesday.", "count")


def test_value_nobody_reported_is_refused(retriever: MemoryRetriever) -> None:
    # The Lam Dong articles give deadlines and a share of investment, never an amount.
    result = answer(
        "How much money did Lam Dong allocate to site clearance for the expressway?",
        retriever,
        today=date(2025, 6, 1),
    )
    assert result.refused
    assert "value of the kind asked for" in result.searched["reason"]


def test_sentence_stating_the_value_asked_for_is_quoted(retriever: MemoryRetriever) -> None:
    result = answer(
        "Tỉnh Hưng Yên dành bao nhiêu tỷ đồng hỗ trợ nông dân chuyển đổi cây trồng?",
        retriever,
        today=date(2025, 6, 1),
    )
    assert not result.refused
    assert_contract(result, retriever)
    assert "12 tỷ đồng" in result.citations[0].quote


def test_share_reported_for_another_year_does_not_answer(retriever: MemoryRetriever) -> None:
    # The only share in the Lam Dong story is a target for 2025; asked about 2024, the
    # passages are not from that year and name no date in it.
    result = answer(
        "What share of public investment capital did Lam Dong disburse in 2024?",
        retriever,
        today=date(2025, 6, 1),
    )
    assert result.refused
    asked_2025 = answer(
        "What share of public investment capital does Lam Dong aim to disburse in 2025?",
        retriever,
        today=date(2025, 6, 1),
    )
    assert not asked_2025.refused
    assert "60%" in asked_2025.answer


def _candidate(
    retriever: MemoryRetriever,
    group: str,
    text: str,
    parts: set[str],
    support: float,
    article_id: str | None = None,
) -> Candidate:
    hits = retriever.search(text, k=20)
    hit = next(h for h in hits if article_id is None or h.article.id == article_id)
    candidate = Candidate(Evidence(hit=hit, score=1.0, group=group), 0, len(text), text, 0)
    candidate.parts, candidate.support, candidate.score = frozenset(parts), support, support
    candidate.states_value = bool(parts & {"money", "count", "percent", "rank"})
    return candidate


def test_each_part_of_a_two_part_question_is_answered(retriever: MemoryRetriever) -> None:
    plan = QueryPlan(
        question="When was the first session and who chaired it?",
        language="en",
        search_text="When was the first session and who chaired it?",
        answer_parts=("date", "person"),
    )
    when = _candidate(retriever, "g-a", "The first session was held on 7 April.", {"date"}, 0.6)
    other_who = _candidate(retriever, "g-b", "Another session was chaired by X.", {"person"}, 0.5)
    own_who = _candidate(retriever, "g-a", "It was chaired by Y.", {"person"}, 0.1)
    ranked = [when, other_who, own_who]
    # The person comes from the story of the answer, even with weak support of its own.
    assert cover_parts(plan, [when], ranked, min_support=0.3) == [when, own_who]
    # Without one there, another story's sentence must carry the question by itself.
    assert cover_parts(plan, [when], [when, other_who], min_support=0.3) == [when, other_who]
    assert cover_parts(plan, [when], [when, other_who], min_support=0.55) == [when]
    # Nothing is added when the answer already gives every part.
    both = _candidate(retriever, "g-a", "Y chaired it on 7 April.", {"date", "person"}, 0.6)
    assert cover_parts(plan, [both], [both, own_who], min_support=0.3) == [both]


def test_the_parts_of_one_question_come_from_one_story(retriever: MemoryRetriever) -> None:
    plan = QueryPlan(
        question="When was the first session and who chaired it?",
        language="en",
        search_text="When was the first session and who chaired it?",
        answer_parts=("date", "person"),
    )
    when = _candidate(retriever, "g-a", "The first session was held on 7 April.", {"date"}, 0.6)
    other_when = _candidate(
        retriever, "g-b", "A first session after the merger: 20 August.", {"date"}, 0.55
    )
    other_who = _candidate(retriever, "g-b", "That session was chaired by X.", {"person"}, 0.5)
    own_who = _candidate(retriever, "g-a", "It was chaired by Y.", {"person"}, 0.3)
    ranked = [when, other_when, other_who, own_who]
    # Another event's date and chair are not this session's.
    assert cover_parts(plan, [when, other_when, other_who], ranked, 0.3) == [when, own_who]
    # A sentence of another story that gives no part the answer's story gives stays.
    plain = _candidate(retriever, "g-b", "The committee has 21 members.", set(), 0.5)
    assert cover_parts(plan, [when, plain], ranked + [plain], 0.3) == [when, plain, own_who]


def test_dates_and_document_numbers_are_not_counts() -> None:
    from qa.answer_type import asked_parts

    assert asked_parts("When was the session and who chaired it?", "en") == ("date", "person")
    assert asked_parts("Ai chủ trì, bao nhiêu nhiệm vụ?", "vi") == ("person", "count")
    assert asked_parts("Bắc Giang bố trí bao nhiêu tỷ đồng?", "vi") == ("money",)


def test_a_count_asked_is_not_answered_by_a_date(retriever: MemoryRetriever) -> None:
    # The Ha Giang story dates its meeting (25/4, quý II/2025) and gives no number of members.
    result = answer(
        "Ban Chỉ đạo tỉnh Hà Giang có bao nhiêu thành viên?", retriever, today=date(2025, 6, 1)
    )
    assert result.refused


def _money_comparison() -> QueryPlan:
    question = "Compare the money Lam Dong and Hung Yen spend"
    return QueryPlan(
        question=question,
        language="en",
        search_text=question,
        intent="comparison",
        places=(
            PlaceMatch("Lam Dong", "lam-dong", ()),
            PlaceMatch("Hung Yen", "hung-yen", ()),
        ),
        answer_type="money",
        answer_parts=("money",),
    )


def test_a_comparison_gives_the_value_asked_for_on_each_side(
    retriever: MemoryRetriever, gazetteer: Gazetteer
) -> None:
    plan = _money_comparison()
    talk = _candidate(retriever, "g-ld", "The committee met on it.", set(), 0.6, "ld-vi")
    amount = _candidate(retriever, "g-ld", "It costs 300 billion dong.", {"money"}, 0.4, "ld-vi")
    other = _candidate(retriever, "g-hy", "It gives 12 tỷ đồng.", {"money"}, 0.5, "hy-vi")
    # Neither sentence names its province: each side is known by its article.
    assert side_answers(plan, [talk, other, amount], 0.3, gazetteer) == [amount, other]


def test_time_expressions_and_framing_are_not_the_topic(gazetteer: Gazetteer) -> None:
    from qa.retrieve import place_variants
    from qa.scoring import topic_tokens
    from qa.understand import understand

    for question in (
        "Що Куангнінь зобов'язався зробити до кінця 2025 року?",
        "Thái Bình cam kết hoàn thành gì trước tháng 6/2025?",
        "What did Lam Dong commit to finish by the end of 2025?",
        "List everything Thanh Hoa must finish before 30 June 2025.",
        "Що має завершити Куангнінь до кінця 2025 року?",
    ):
        plan = understand(question, (), today=date(2025, 12, 1), gazetteer=gazetteer)
        assert plan.time_words, question
        assert topic_tokens(plan, place_variants(plan, gazetteer)) == [], question


def test_a_follow_up_naming_another_meeting_replaces_the_earlier_one() -> None:
    from qa.decide import asked_meetings
    from qa.models import Turn
    from qa.understand import understand

    history = (
        Turn("user", "What did Quang Ninh's steering committee decide at its first session?"),
    )
    plan = understand("and at the second one? how many tasks?", history, today=date(2025, 12, 1))
    assert plan.follow_up
    assert asked_meetings(plan) == {2}
    # A follow-up that names no meeting keeps the earlier turn's.
    same = understand("how many tasks did it approve there?", history, today=date(2025, 12, 1))
    assert same.follow_up
    assert asked_meetings(same) == {1}


def test_what_a_meeting_decided_is_told_by_several_sentences_of_its_report(
    retriever: MemoryRetriever,
) -> None:
    from qa.answer_type import asks_outcome
    from qa.decide import add_outcomes

    assert asks_outcome("Что решил комитет провинции на первом заседании?")
    assert asks_outcome("What did the steering committee decide in July 2025?")
    assert not asks_outcome("Who chaired the first meeting?")
    assert asks_outcome("What decisions were made at the session?")
    # Which decision something was set up under asks a document, not what was decided.
    assert not asks_outcome("Under which decision was the working group established?")
    opening = _candidate(retriever, "g-a", "The committee met on 7 April.", set(), 0.6)
    decided = _candidate(retriever, "g-a", "It approved 58 tasks.", set(), 0.4)
    elsewhere = _candidate(retriever, "g-b", "Another committee met.", set(), 0.5)
    weak = _candidate(retriever, "g-a", "The weather was fine.", set(), 0.2)
    assert add_outcomes([opening], [opening, elsewhere, decided, weak]) == [opening, decided]


def _report(article_id: str, title: str, paragraph: str) -> dict[str, object]:
    return {
        "id": article_id,
        "lang": "vi",
        "province": "quang-ninh",
        "site": "baoquangninh.vn",
        "group": article_id,
        "published": "2025-07-24",
        "title": title,
        "paragraphs": [paragraph],
    }


def test_a_comparison_of_two_numbered_meetings_answers_each_meeting(
    gazetteer: Gazetteer,
) -> None:
    retriever = MemoryRetriever(
        [
            _report(
                "first",
                "Phiên họp thứ nhất Ban Chỉ đạo tỉnh Quảng Ninh",
                "Phiên họp giao 68 nhiệm vụ trọng tâm.",
            ),
            _report(
                "second",
                "Phiên họp thứ hai Ban Chỉ đạo tỉnh Quảng Ninh",
                "Phiên họp bổ sung 44 nhiệm vụ, nâng tổng số lên 112 nhiệm vụ so với phiên họp "
                "thứ nhất.",
            ),
            _report(
                "second-again",
                "Phiên họp thứ hai: kinh phí 2.130 tỷ đồng",
                "Kinh phí thực hiện 112 nhiệm vụ là 2.130 tỷ đồng.",
            ),
        ]
    )
    question = "So sánh phiên họp thứ nhất và thứ hai của Quảng Ninh: bao nhiêu nhiệm vụ?"
    plan = QueryPlan(
        question=question,
        language="vi",
        search_text=question,
        intent="comparison",
        places=(PlaceMatch("Quảng Ninh", "quang-ninh", ()),),
        answer_type="count",
        answer_parts=("count",),
    )
    second = _candidate(
        retriever, "second", "nâng tổng số lên 112 nhiệm vụ", {"count"}, 0.7, "second"
    )
    again = _candidate(retriever, "second-again", "112 nhiệm vụ", {"count"}, 0.6, "second-again")
    # The first meeting's report carries its half of the question, a little less of the
    # whole than the threshold for answering it.
    first = _candidate(retriever, "first", "giao 68 nhiệm vụ", {"count"}, 0.27, "first")
    sides = side_answers(plan, [second, again, first], 0.3, gazetteer)
    # One sentence for each meeting asked about, not the two best stories.
    assert first in sides and second in sides
    assert again not in sides


def test_a_count_cue_closing_the_ask_asks_the_share_named_before() -> None:
    # The comma joins two words of one measure; "bao nhiêu" closes the ask of the share.
    question = (
        "Riêng TP Thái Nguyên thì tỷ lệ thu gom, xử lý rác thải sinh hoạt đô thị đạt bao "
        "nhiêu (tính đến hết tháng 5/2024)?"
    )
    assert asked_parts(question, "vi") == ("percent",)
    # A count cue followed by what it counts is a second ask.
    assert asked_parts(
        "What share of records were online, and how many records were filed?", "en"
    ) == (
        "percent",
        "count",
    )


def test_a_count_and_an_amount_asked_apart_are_two_parts() -> None:
    from qa.answer_type import asked_parts

    assert asked_parts("Number of tasks and funding of each session?", "en") == ("count", "money")
    assert asked_parts("Сколько задач и какое финансирование?", "ru") == ("count", "money")
    assert asked_parts("Bao nhiêu nhiệm vụ và tổng kinh phí?", "vi") == ("count", "money")
    # The count cue of an amount asks for the amount alone.
    assert asked_parts("How many billion dong did Lam Dong and Dak Lak allocate?", "en") == (
        "money",
    )
    assert asked_parts("Скільки коштів виділили на це?", "uk") == ("money",)


def test_an_amount_a_share_or_a_rank_is_not_a_count() -> None:
    assert not states_answer_type("Total funding is VND 1,520 billion.", "count")
    assert not states_answer_type("Kinh phí 1.062 tỷ đồng", "count")
    assert not states_answer_type("tỷ lệ đạt 62,7%", "count")
    assert not states_answer_type("It ranks 3rd", "count")
    assert states_answer_type("The session approved 68 key tasks", "count")
    assert states_answer_type("Kinh phí 300 tỷ đồng cho 12 dự án", "count")


def test_a_change_in_percentage_points_is_no_share_and_no_count() -> None:
    # "What was the poverty rate?" is not answered by how far it fell.
    for sentence in (
        "The rate fell by 3.08 percentage points.",
        "Уровень бедности снизился на 3,08 процентного пункта.",
        "Рівень бідності знизився на 3,08 відсоткового пункту.",
        "Tỷ lệ hộ nghèo giảm 3,08 điểm phần trăm.",
    ):
        assert not states_answer_type(sentence, "percent"), sentence
        assert not states_answer_type(sentence, "count"), sentence
    assert states_answer_type("The poverty rate was 9.60%.", "percent")
    assert states_answer_type("Доля составила 45 процентов.", "percent")


def test_a_side_leads_from_a_story_that_states_the_value_asked_for(
    retriever: MemoryRetriever, gazetteer: Gazetteer
) -> None:
    plan = _money_comparison()
    # Lam Dong: the best sentence is from a story without an amount; the plan's story
    # states one, in a sentence that carries less of the question.
    meeting = _candidate(retriever, "g-meet", "The committee met on it.", set(), 0.6, "ld-vi")
    plan_story = _candidate(
        retriever, "g-ld", "The plan targets digital growth.", set(), 0.5, "ld-vi"
    )
    amount = _candidate(retriever, "g-ld", "It costs 300 billion dong.", {"money"}, 0.1, "ld-vi")
    other = _candidate(retriever, "g-hy", "It gives 12 tỷ đồng.", {"money"}, 0.5, "hy-vi")
    sides = side_answers(plan, [meeting, plan_story, other, amount], 0.3, gazetteer)
    assert amount in sides and meeting not in sides


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Lam Dong vs Dak Lak: plan numbers and total resources for Resolution 57?", "money"),
        ("Каков общий объём ресурсов на реализацию плана?", "money"),
        ("Які ресурси передбачено на виконання плану?", "money"),
        ("Quelles ressources sont prévues pour le plan ?", "money"),
        ("Which digital human resources does the plan train?", None),
    ],
)
def test_money_asked_for_as_resources(question: str, kind: str | None) -> None:
    assert expected_answer_type(question) == kind


def test_the_words_that_name_the_value_asked_for_are_not_its_topic(gazetteer: Gazetteer) -> None:
    from qa.scoring import topic_tokens
    from qa.understand import understand

    day = date(2025, 6, 1)
    money = understand("Скільки грошей провінція спрямує на науку?", today=day, gazetteer=gazetteer)
    assert "грошеи" not in topic_tokens(money) and "науку" in topic_tokens(money)
    share = understand("What share of applications were online?", today=day, gazetteer=gazetteer)
    assert "share" not in topic_tokens(share) and "applications" in topic_tokens(share)
    # "vốn FDI" is what was attracted, not the kind of value: it stays topic.
    capital = understand("Hưng Yên thu hút bao nhiêu vốn FDI?", today=day, gazetteer=gazetteer)
    assert "von" in topic_tokens(capital)


def test_an_amount_stated_without_the_word_money_carries_a_money_question() -> None:
    retriever = MemoryRetriever(
        [
            {
                "id": "science-en",
                "lang": "en",
                "province": "thanh-hoa",
                "site": "www.vietnam.vn",
                "group": "science",
                "published": "2025-03-28",
                "title": "Thanh Hoa and science",
                "paragraphs": [
                    "The province will spend VND 1,062 billion on science.",
                    "The chairman opened the conference.",
                ],
            }
        ]
    )
    # Every topic word of the question is in the sentence; "money" is the amount itself.
    result = answer(
        "How much money will the province spend on science?",
        retriever,
        today=date(2025, 6, 1),
        min_support=0.7,
    )
    assert not result.refused
    assert "VND 1,062 billion" in result.citations[0].quote


def test_a_count_is_answered_by_a_sentence_counting_what_was_asked(
    retriever: MemoryRetriever,
) -> None:
    from qa.answer_type import counted_words

    assert counted_words("Number of tasks and funding of each session?") == ("tasks",)
    assert counted_words("Сколько задач и какое финансирование?") == ("задач",)
    assert counted_words("gio co bao nhieu don vi cap xa") == ("don", "vi")
    # An English noun asking the count follows what it counts.
    assert counted_words("What was the OCOP product count for Binh Thuan?") == ("ocop", "product")
    question = "How many tasks and how much funding did the second session approve?"
    plan = QueryPlan(
        question=question,
        language="en",
        search_text=question,
        answer_type="money",
        answer_parts=("count", "money"),
        counted=counted_words(question),
    )
    funding = _candidate(retriever, "g-a", "Funding rose to VND 2,130 billion.", {"money"}, 0.6)
    communes = _candidate(retriever, "g-a", "The province has 54 communes.", {"count"}, 0.5)
    tasks = _candidate(retriever, "g-a", "It added 44 tasks, 112 in all.", {"count"}, 0.4)
    # The story's best count is of communes; the tasks asked for come from the other one.
    assert cover_parts(plan, [funding], [funding, communes, tasks], 0.3) == [funding, tasks]
    # When no sentence names what is counted, the best count stands.
    assert cover_parts(plan, [funding], [funding, communes], 0.3) == [funding, communes]


def test_a_value_in_another_language_is_read_before_sentences_that_state_none(
    gazetteer: Gazetteer,
) -> None:
    from dataclasses import replace as with_fields

    from qa.candidates import gather_candidates
    from qa.retrieve import retrieve
    from qa.scoring import SCORING, score_candidates
    from tests.qa.test_extractive import _OneMeaningEmbedder

    retriever = MemoryRetriever(
        [
            {
                "id": "plan-vi",
                "lang": "vi",
                "province": "dak-lak",
                "site": "baodaklak.vn",
                "group": "plan",
                "published": "2025-04-11",
                "title": "Kế hoạch",
                "paragraphs": ["Hội nghị diễn ra sáng 7/4. Tổng nguồn lực khoảng 860 tỷ đồng."],
            }
        ]
    )
    question = "What total resources does the plan provide?"
    plan = _asking(question, "money")
    evidence = retrieve(plan, retriever, gazetteer=gazetteer).evidence
    # Words are blind across languages: only one sentence is read, the one with the value.
    ranked = score_candidates(
        plan,
        gather_candidates(evidence),
        _OneMeaningEmbedder(),
        config=with_fields(SCORING, max_embedded=1),
        gazetteer=gazetteer,
    )
    assert [c.text for c in ranked] == ["Tổng nguồn lực khoảng 860 tỷ đồng."]


def test_a_story_in_another_language_is_read_though_its_words_match_nothing(
    gazetteer: Gazetteer,
) -> None:
    from dataclasses import replace as with_fields

    from qa.candidates import gather_candidates
    from qa.retrieve import retrieve
    from qa.scoring import SCORING, score_candidates
    from tests.qa.test_extractive import _OneMeaningEmbedder

    told = "The digital plan of the province sets digital targets for the plan."
    retriever = MemoryRetriever(
        [
            {
                "id": "plan-en",
                "lang": "en",
                "province": "lam-dong",
                "site": "www.vietnam.vn",
                "group": "plan-en",
                "published": "2025-04-11",
                "title": "The digital plan",
                "paragraphs": [told, told.replace("sets", "names"), told.replace("sets", "lists")],
            },
            {
                "id": "other-vi",
                "lang": "vi",
                "province": "dak-lak",
                "site": "baodaklak.vn",
                "group": "other-vi",
                "published": "2025-04-11",
                "title": "Kế hoạch",
                "paragraphs": ["Kế hoạch số 161-KH/TU đặt mục tiêu cho tỉnh."],
            },
        ]
    )
    question = "What targets does the digital plan set?"
    plan = QueryPlan(question=question, language="en", search_text=question)
    evidence = retrieve(plan, retriever, gazetteer=gazetteer).evidence
    ranked = score_candidates(
        plan,
        gather_candidates(evidence),
        _OneMeaningEmbedder(),
        config=with_fields(SCORING, max_embedded=3),
        gazetteer=gazetteer,
    )
    # The English story shares every word and would take all three places.
    assert len(ranked) == 3
    assert "Kế hoạch số 161-KH/TU đặt mục tiêu cho tỉnh." in [c.text for c in ranked]


def test_a_population_is_answered_by_the_number_of_people() -> None:
    retriever = MemoryRetriever(
        [
            {
                "id": "merger-en",
                "lang": "en",
                "province": "hung-yen",
                "site": "www.vietnam.vn",
                "group": "merger",
                "published": "2025-07-02",
                "title": "The new Hung Yen province",
                "paragraphs": [
                    "The new Hung Yen province was formed by merging the area and population "
                    "of Hung Yen and Thai Binh.",
                    "The new province covers 2,514.8 km² and has more than 3.56 million people.",
                ],
            }
        ]
    )
    result = answer(
        "What is the population of the new Hung Yen province?",
        retriever,
        today=date(2025, 8, 1),
    )
    assert not result.refused
    assert "3.56 million people" in result.citations[0].quote


class _BlindEmbedder:
    """Reads no question: every question lands apart from every passage, as a question
    typed without diacritics does for a model that learned Vietnamese with them."""

    name = "blind-8"
    dimensions = 8

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.tile(np.eye(8, dtype=np.float32)[0], (len(texts), 1))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.tile(np.eye(8, dtype=np.float32)[1], (len(texts), 1))


def test_a_vietnamese_question_typed_without_diacritics_is_answered_by_its_words(
    gazetteer: Gazetteer,
) -> None:
    from qa.candidates import gather_candidates
    from qa.decide import decide
    from qa.retrieve import retrieve
    from qa.scoring import score_candidates
    from qa.understand import understand

    retriever = MemoryRetriever(
        [
            {
                "id": "communes-vi",
                "lang": "vi",
                "province": "lam-dong",
                "site": "baolamdong.vn",
                "group": "communes",
                "published": "2025-08-21",
                "title": "Tỉnh mới",
                "paragraphs": [
                    "Trung tâm hành chính đặt tại Đà Lạt.",
                    "Sau hợp nhất, tỉnh có 124 đơn vị hành chính cấp xã, gồm 103 xã và 20 phường.",
                ],
            }
        ]
    )

    def decided(question: str) -> list[str]:
        plan = understand(question, today=date(2025, 9, 1), gazetteer=gazetteer)
        evidence = retrieve(plan, retriever, gazetteer=gazetteer).evidence
        ranked = score_candidates(
            plan, gather_candidates(evidence), _BlindEmbedder(), gazetteer=gazetteer
        )
        return [c.text for c in decide(plan, ranked, min_support=0.5, gazetteer=gazetteer).selected]

    # Every folded word of the question is in the sentence: the words carry it.
    assert decided("sau hop nhat tinh co bao nhieu don vi hanh chinh cap xa") == [
        "Sau hợp nhất, tỉnh có 124 đơn vị hành chính cấp xã, gồm 103 xã và 20 phường."
    ]
    # Written with its diacritics, the question is the embedder's to read.
    assert decided("Sau hợp nhất tỉnh có bao nhiêu đơn vị hành chính cấp xã?") == []


def test_a_count_of_something_else_does_not_answer(
    retriever: MemoryRetriever, gazetteer: Gazetteer
) -> None:
    from qa.answer_type import counted_words
    from qa.decide import RefusalReason, decide

    question = "How many members does the steering committee have?"
    plan = _asking(question, "count", counted=counted_words(question))
    tasks = _candidate(
        retriever, "g-a", "The committee approved 57 tasks.", {"count"}, 0.6, "ld-en"
    )
    refused = decide(plan, [tasks], min_support=0.3, gazetteer=gazetteer)
    assert refused.refused and refused.reason is RefusalReason.NO_VALUE
    assert "members" in refused.explanation
    members = _candidate(retriever, "g-b", "It has 19 members.", {"count"}, 0.4, "ld-en")
    answered = decide(plan, [tasks, members], min_support=0.3, gazetteer=gazetteer)
    assert not answered.refused and answered.selected[0] is members
    # A Vietnamese sentence cannot be told not to name "members": it may answer.
    vietnamese = _candidate(
        retriever, "g-c", "Ban chỉ đạo có 19 thành viên.", {"count"}, 0.6, "ld-vi"
    )
    assert not decide(plan, [vietnamese], min_support=0.3, gazetteer=gazetteer).refused
    # Nor does one that cannot be read for it lose to one read and found to count another
    # thing: the Vietnamese count of members leads over the English count of tasks.
    beside = decide(plan, [tasks, vietnamese], min_support=0.3, gazetteer=gazetteer)
    assert not beside.refused and beside.selected[0] is vietnamese
    # Two counts asked: a sentence counting either one answers.
    two = "How many km of dykes are there and how many weak points were found?"
    plan = QueryPlan(
        question=two,
        language="en",
        search_text=two,
        answer_type="count",
        answer_parts=("count",),
        counted=counted_words(two),
    )
    points = _candidate(retriever, "g-d", "27 weak points were found.", {"count"}, 0.6, "ld-en")
    assert not decide(plan, [points], min_support=0.3, gazetteer=gazetteer).refused


def test_who_is_not_answered_across_languages_by_a_sentence_naming_no_one(
    retriever: MemoryRetriever, gazetteer: Gazetteer
) -> None:
    from qa.decide import RefusalReason, decide

    question = "Хто представляв провінцію на засіданні?"
    plan = QueryPlan(question=question, language="uk", search_text=question, intent="who")
    villages = _candidate(retriever, "g-a", "Провинция строит умные деревни.", set(), 0.6, "ld-ru")
    refused = decide(plan, [villages], min_support=0.3, gazetteer=gazetteer)
    assert refused.refused and refused.reason is RefusalReason.NO_VALUE
    named = _candidate(
        retriever, "g-b", "Провинцию представлял Нгуен Нгок Фук.", set(), 0.5, "ld-ru"
    )
    named.intent_match = True
    assert not decide(plan, [villages, named], min_support=0.3, gazetteer=gazetteer).refused
    # In the question's own language a sentence may name a post rather than a person.
    post = _candidate(
        retriever, "g-c", "Провінцію представляв заступник голови.", set(), 0.5, "ld-uk"
    )
    assert not decide(plan, [villages, post], min_support=0.3, gazetteer=gazetteer).refused


@pytest.mark.parametrize(
    "question",
    [
        "By what date must Ha Giang's committee issue its action plan?",
        "К какому сроку страна должна ликвидировать временное жильё?",
        "До якого терміну Лам Донг має завершити програму?",
        "Hạn chót hoàn thành xóa nhà tạm là khi nào?",
        "Đến ngày nào Lâm Đồng phải hoàn thành?",
        "До якої дати Анзянг хоче навчити 70% дорослих?",
        "До какой даты суда должны перейти на электронные журналы?",
        "К какой дате нужно завершить объединение центров?",
    ],
)
def test_a_question_asking_by_when_asks_for_a_deadline(question: str) -> None:
    from qa.understand import asks_deadline, detect_intent

    assert asks_deadline(question) and detect_intent(question, "x") == "when"


def test_asking_for_a_deadline_is_not_a_deadline_in_the_question() -> None:
    from qa.understand import asks_deadline

    assert not asks_deadline("What did Lam Dong commit to by May 2025?")
    assert not asks_deadline("When was the first session held?")


def test_a_deadline_question_is_answered_by_the_sentence_stating_the_deadline(
    retriever: MemoryRetriever, gazetteer: Gazetteer
) -> None:
    from qa.decide import decide

    question = "By what date must the province finish the housing programme?"
    plan = QueryPlan(
        question=question, language="en", search_text=question, intent="when", asks_deadline=True
    )
    meeting = _candidate(retriever, "g-a", "On 5 May the committee reviewed the work.", set(), 0.45)
    deadline = _candidate(retriever, "g-a", "It will finish by 31 May 2025.", set(), 0.29)
    deadline.deadlines = [date(2025, 5, 31)]
    elsewhere = _candidate(retriever, "g-b", "Another plan ends by 30 June.", set(), 0.2)
    elsewhere.deadlines = [date(2025, 6, 30)]
    # The story that carries the question gives the deadline, though it carries less.
    decision = decide(plan, [meeting, deadline, elsewhere], min_support=0.34, gazetteer=gazetteer)
    assert not decision.refused and decision.selected[0] is deadline
    assert elsewhere not in decision.selected


def test_provinces_are_not_billions() -> None:
    # "tỉ" (billion) is a word of its own: "63 tỉnh" counts provinces.
    assert not states_answer_type("Phiên họp kết nối tới 63 tỉnh, thành phố.", "money")
    assert states_answer_type("Phiên họp kết nối tới 63 tỉnh, thành phố.", "count")
    assert states_answer_type("Tỉnh dành 2 tỉ đồng cho chuyển đổi số.", "money")
    assert states_answer_type("Tỉnh bố trí 1.250 tỷ đồng.", "money")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # The resources are what the count cue asks for ...
        ("Скільки ресурсів передбачено на 2025–2030 роки для Дакнонгу?", "money"),
        ("Сколько ресурсов выделено на план?", "money"),
        ("How many resources were planned for the new province?", "money"),
        # ... or the Vietnamese question names them and closes on the cue.
        (
            "Sau hợp nhất, tổng nguồn lực dự kiến giai đoạn 2025-2030 của Lâm Đồng là bao nhiêu?",
            "money",
        ),
        ("tong nguon luc cua lam dong la bao nhieu", "money"),
        # Capital and funds counted are money too.
        ("Bình Thuận đã giải ngân được bao nhiêu vốn khoa học và chuyển đổi số?", "money"),
        ("binh thuan giai ngan duoc bao nhieu von", "money"),
        ("Скільки коштів передбачено на проєкт у 2024 році?", "money"),
        ("Сколько средств выделено на план?", "money"),
        ("How many funds were disbursed by May?", "money"),
        # What is counted is not a resource.
        ("How many investment projects did Lam Dong approve?", "count"),
        ("How many human resources were trained?", "count"),
        ("Tây Ninh có bao nhiêu xã?", "count"),
        ("lam dong co bao nhieu xa", "count"),
    ],
)
def test_a_count_cue_asking_for_resources_asks_for_an_amount(question: str, kind: str) -> None:
    assert expected_answer_type(question) == kind


def _year(text: str, year: int) -> MentionedDate:
    start = text.index(str(year))
    return MentionedDate(date(year, 1, 1), "mention", "year", start, start + 4, str(year))


def test_a_value_dated_to_another_period_neither_leads_nor_joins(
    retriever: MemoryRetriever, gazetteer: Gazetteer
) -> None:
    from qa.decide import decide

    question = "What was the fully-online rate in the first half of 2025?"
    plan = _asking(
        question, "percent", published_since=date(2025, 1, 1), published_until=date(2025, 6, 30)
    )
    text = "The province leads in e-government; in 2024, 89.6% were processed fully online."
    last_year = _candidate(retriever, "g-a", text, {"percent"}, 0.75, "ld-en")
    last_year.mentioned = [_year(text, 2024)]
    this_half = _candidate(
        retriever, "g-b", "In the first six months, 93.2% were processed online.", {"percent"}, 0.6
    )
    decision = decide(plan, [last_year, this_half], min_support=0.34, gazetteer=gazetteer)
    assert decision.selected == [this_half]
    # A year named after the value compares it: the value is still the period's, quoted
    # without the other year's figure.
    text = "In four months the rate was 58.3%, up from 49.5% in 2024."
    compared = _candidate(retriever, "g-c", text, {"percent"}, 0.75, "ld-en")
    compared.mentioned = [_year(text, 2024)]
    decision = decide(plan, [compared, this_half], min_support=0.34, gazetteer=gazetteer)
    assert decision.selected[0].text == "In four months the rate was 58.3%"


def test_another_storys_value_published_outside_the_period_is_a_rival_answer(
    retriever: MemoryRetriever, gazetteer: Gazetteer
) -> None:
    from qa.decide import decide

    question = "After the merger, what total resources are planned for 2025-2030?"
    plan = _asking(question, "money", published_since=date(2025, 7, 1))
    # "ld-en" was published in April 2025, "ld-uk" in May: both before the merger.
    old_plan = _candidate(
        retriever, "g-a", "Total resources are about VND 1,250 billion.", {"money"}, 0.75, "ld-en"
    )
    new_plan = _candidate(
        retriever, "g-b", "Total resources were raised to VND 2,480 billion.", {"money"}, 0.7
    )
    hit = new_plan.evidence.hit
    after = replace(hit.article, id="ld-after", published=datetime(2025, 8, 21, tzinfo=UTC))
    new_plan.evidence = replace(new_plan.evidence, hit=replace(hit, article=after))
    decision = decide(plan, [old_plan, new_plan], min_support=0.34, gazetteer=gazetteer)
    assert decision.selected == [new_plan]
    # Without a period the two plans' figures are both answers.
    plan = replace(plan, published_since=None)
    decision = decide(plan, [old_plan, new_plan], min_support=0.34, gazetteer=gazetteer)
    assert decision.selected == [old_plan, new_plan]


def test_another_storys_deadline_is_a_rival_answer_to_by_when(
    retriever: MemoryRetriever, gazetteer: Gazetteer
) -> None:
    from qa.decide import decide

    question = "By when must the three data centres be merged?"
    plan = QueryPlan(
        question=question, language="en", search_text=question, intent="when", asks_deadline=True
    )
    merged = _candidate(
        retriever, "g-a", "The merger must be finished by 31 March 2026.", set(), 0.6
    )
    merged.deadlines = [date(2026, 3, 31)]
    context = _candidate(retriever, "g-a", "Data is still split across three centres.", set(), 0.55)
    other = _candidate(
        retriever, "g-b", "The data centre must be ready by 31 December.", set(), 0.5
    )
    other.deadlines = [date(2025, 12, 31)]
    decision = decide(plan, [merged, context, other], min_support=0.34, gazetteer=gazetteer)
    assert decision.selected == [merged, context]


def test_a_measure_is_not_a_count_unless_the_question_counts_in_its_unit() -> None:
    from qa.answer_type import counted_words, states_answer_type

    def states_a_count(sentence: str, question: str) -> bool:
        return states_answer_type(sentence, "count", counted_words(question))

    vessels = "Усі рибальські судна завдовжки від 15 метрів користуватимуться журналами."
    assert not states_a_count(vessels, "Скільки рибальських суден користуються журналами?")
    assert not states_a_count("Rừng trồng mới đạt 3.500 ha.", "Có bao nhiêu xã trồng rừng?")
    # The question counts in the sentence's unit, in its own language or another.
    assert states_a_count("Đã xây 12 km đê.", "How many km of dykes were built?")
    assert states_a_count("Trồng 3.500 ha rừng.", "Скільки гектарів лісу посаджено?")
    # Words that merely begin like a unit ("mục tiêu", "million") are not units.
    assert states_a_count("Tỉnh đặt 5 mục tiêu.", "Có bao nhiêu mục tiêu?")
    assert states_a_count("13 million records were cleaned.", "How many records?")
    # A duration is a measure of time, in any of the languages.
    tourists = "How many tourists came?"
    assert not states_a_count("Trong 3 tháng đầu năm, tỉnh đón khách.", tourists)
    assert not states_a_count("За 3 первых месяца провинция приняла туристов.", tourists)
    assert not states_a_count("Over the past 5 years the province welcomed tourists.", tourists)
    assert states_a_count("Hồ sơ được giải quyết trong 15 ngày.", "Mất bao nhiêu ngày?")
    assert states_a_count("Tỉnh đón 1.126.000 lượt khách trong 3 tháng.", tourists)


def test_english_counts_what_its_plural_noun_names() -> None:
    from qa.answer_type import counted_words

    # The words before the plural are its modifiers: a sentence about communes does not
    # count community teams.
    assert counted_words("How many community digital technology teams does it have?") == ("teams",)
    assert counted_words("How many civil status records were digitised?") == ("records",)
    assert counted_words("How many people get allowances paid into accounts?") == ("people",)
    # Without a plural before the first function word, the first words stand in.
    assert counted_words("How many of its Resolution 57 tasks were done?") == (
        "resolution",
        "tasks",
    )


def test_billions_written_out_in_russian_and_ukrainian_are_money() -> None:
    assert states_answer_type("на 2025 год выделено 168 миллиардов донгов", "money")
    assert states_answer_type("виділено 745 мільярдів донгів", "money")


def test_the_number_of_a_plan_is_its_document_number_not_a_count() -> None:
    assert count_cue_asks_document("What's the number of the plan Quang Binh adopted?")
    assert count_cue_asks_document("Kế hoạch thực hiện Nghị quyết 57 của tỉnh số mấy?")
    assert not count_cue_asks_document("How many tasks are in Lam Dong's Plan No. 09-KH/TU?")
    assert not count_cue_asks_document("How many communes does the province have?")


def test_a_count_of_people_is_named_by_any_word_for_people() -> None:
    assert names_counted(("residents",), "538,900 people in the province completed a course")
    assert names_counted(("жителей",), "58 300 человек зарегистрировались")
    assert not names_counted(("projects",), "538,900 people in the province completed a course")


def test_what_is_counted_is_named_by_any_word_for_it() -> None:
    assert names_counted(("dossiers",), "the centres received 41,380 records, of which")
    assert names_counted(("балів", "набрав"), "PCI Біньфуока досяг 67,92 бала, посівши 12/63")
    assert names_counted(
        ("электронных", "удостоверении"),
        "активировано 896 350 учетных записей электронной идентификации",
    )
    assert not names_counted(("dossiers",), "the province has 78 commune-level units")
    # "How many homes" is answered by houses built, in any of the papers' words for them.
    assert names_counted(("homes",), "completed 1,388 houses (reaching 63.8%)")
    assert names_counted(("домов",), "завершено і передано 2 951 будинок")
    assert not names_counted(("homes",), "the province has 78 commune-level units")


def test_a_unit_counted_is_named_by_a_figure_in_any_unit_of_its_measure() -> None:
    counted = counted_words("Тханьхоа: сколько всего километров сельских дорог укреплено?")
    assert names_counted(counted, "было укреплено 418 км сельских дорог")
    # Tons asked: "tăng" (up) is no ton, and a figure of area is no weight.
    tons = counted_words("Năm 2024 hỗ trợ bao nhiêu tấn xi măng?")
    assert not names_counted(tons, "Tổng vốn tăng mạnh; nhân dân hiến 1,2 triệu m² đất.")


def test_a_percentage_the_question_gives_is_not_asked_for() -> None:
    question = "Sơn La yêu cầu số hóa 100% hồ sơ thủ tục hành chính trước ngày nào?"
    assert expected_answer_type(question) is None
    assert expected_answer_type("Kinh tế số chiếm bao nhiêu % GRDP?") == "percent"
    assert expected_answer_type("Tỷ trọng kinh tế số trong GRDP năm 2030?") == "percent"
    assert expected_answer_type("ty trong kinh te so trong GRDP cua Son La") == "percent"


def test_how_much_of_it_is_allocated_asks_for_money() -> None:
    assert expected_answer_type("А скільки з цього виділено саме на 2025 рік?") == "money"
    assert expected_answer_type("Сколько было выделено на 2025 год?") == "money"
    assert expected_answer_type("Сколько человек зарегистрировалось?") == "count"


def test_a_document_number_asked_without_diacritics_is_a_document() -> None:
    question = "ke hoach thuc hien nghi quyet 57 cua tinh dak nong hien nay la ke hoach so may"
    assert count_cue_asks_document(question)
    assert asked_parts(question, "vi") == ("document",)
    assert asked_parts("tinh co bao nhieu xa", "vi") == ("count",)
    # Two asks joined by "va" stay two.
    both = asked_parts("bao nhieu nhiem vu va theo quyet dinh nao", "vi")
    assert both == ("count", "document")


def test_which_document_about_money_asks_the_document() -> None:
    from qa.understand import understand

    for question in (
        "яку телеграму (Công điện) видала провінція Бакльєу щодо щомісячних планів освоєння коштів",
        "UBND tỉnh ban hành công điện nào về giải ngân vốn?",
        "Which directive did the province issue on funding for digital transformation?",
    ):
        plan = understand(question, today=date(2025, 6, 1), gazetteer=Gazetteer.packaged())
        assert plan.answer_parts == ("document",), question
        assert plan.answer_type is None, question
    # Asked apart, or how much: the money is asked too.
    for question, language in (
        ("Lam Dong vs Dak Lak: plan numbers and total resources for Resolution 57?", "en"),
        ("Which decision approved the plan and how much does it cost?", "en"),
    ):
        assert "money" in asked_parts(question, language), question


def test_a_counted_word_is_found_in_another_case() -> None:
    assert names_counted(("баллов",), "в 2024 году провинция набрала 0,5412 балла")
    assert not names_counted(("баллов",), "провинция заняла 29-е место")


def test_two_dates_asked_in_one_question() -> None:
    assert asks_several_dates(
        "Bí thư yêu cầu ban hành kế hoạch trước ngày nào, và hạn cung cấp dịch vụ công "
        "trực tuyến là khi nào?"
    )
    assert not asks_several_dates("By when must fishing boats use electronic logbooks?")


def test_indexes_and_earlier_plans_are_read() -> None:
    assert indexes_named("hue par index 2024 score?") == {"par"}
    assert indexes_named("Chỉ số đổi mới sáng tạo cấp tỉnh (PII) năm 2024") == {"pii"}
    assert opens_on_the_past("Trước đó, giai đoạn 2019–2021, tỉnh đã đầu tư 640 tỷ đồng.")
    assert opens_on_the_past("Попередній План № 412-KH/TU ставив ціль лише 70%.")
    assert not opens_on_the_past("Plan No. 36-KH/TU aims for 80% by 2025.")


def test_investors_are_people_not_an_amount() -> None:
    question = "What did the vice chairman ask social housing investors to do, and by when?"
    assert expected_answer_type(question) is None
    assert expected_answer_type("How much did the province invest in rural roads?") == "money"


def test_what_must_be_reached_asks_for_a_target_in_every_language() -> None:
    from qa.lexicon import asks_for_a_target

    for question in (
        "How many tasks must be completed by 2025?",
        "Quảng Nam phải đạt bao nhiêu phần trăm hồ sơ trực tuyến?",
        "Який відсоток Ніньтхуан мав досягти до кінця 2024 року?",
        "Какую долю досье должна достичь провинция к концу 2025 года?",
    ):
        assert asks_for_a_target(question), question
    assert not asks_for_a_target("How many accounts were activated by June 2025?")


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Tỉnh công bố bao nhiêu thủ tục hành chính, theo quyết định nào?", "vi"),
        (
            "Which provinces set up a committee on January 24, 2025? Give the decision numbers.",
            "en",
        ),
        ("Каким решением утверждён план повышения DTI?", "ru"),
        ("Який план ухвалила провінція для Резолюції 57?", "uk"),
    ],
)
def test_which_document_is_asked_in_every_language(question: str, language: str) -> None:
    assert "document" in asked_parts(question, language)


@pytest.mark.parametrize(
    "sentence",
    [
        "колишня провінція Тхай Бінь посіла 7-ме місце з 63.",
        "провінція посіла 1-ше місце в регіоні.",
        "провінція посіла 3-тє місце.",
        "провинция заняла 2-ое место.",
    ],
)
def test_every_russian_and_ukrainian_ordinal_ending_states_a_rank(sentence: str) -> None:
    assert states_answer_type(sentence, "rank")


def test_a_number_of_districts_is_not_a_rank() -> None:
    assert not states_answer_type("в 2-х районах провинции", "rank")


def test_a_figure_beside_a_lead_that_carries_the_question_far_better_is_left_out(
    retriever: MemoryRetriever,
) -> None:
    from qa.decide import without_rival_values

    question = "How much will Lam Dong spend on digital transformation?"
    plan = _asking(question, "money")
    lead = _candidate(retriever, "g-a", "Lam Dong will spend VND 320 billion.", {"money"}, 0.8)

    def beside(support: float, lang: str = "en") -> Candidate:
        other = _candidate(retriever, "g-a", "Training gets VND 40 billion.", {"money"}, support)
        hit = other.evidence.hit
        other.evidence = replace(
            other.evidence, hit=replace(hit, article=replace(hit.article, lang=lang))
        )
        return other

    # Another figure of the story, carrying the question far less: a rival, left out.
    assert without_rival_values(plan, [lead, beside(0.55)]) == [lead]
    # Nearly as good: a second reading of the answer, kept.
    close = beside(0.7)
    assert without_rival_values(plan, [lead, close]) == [lead, close]
    # Across languages support is lower whatever the sentence says: kept.
    translated = beside(0.55, lang="vi")
    assert without_rival_values(plan, [lead, translated]) == [lead, translated]


def test_a_percentage_is_a_score_only_of_an_index_scored_in_per_cent() -> None:
    assert not scores_in_per_cent("Chỉ số DTI năm 2024 của tỉnh Đồng Nai đạt bao nhiêu điểm?")
    assert not scores_in_per_cent("скільки балів набрав біньфуок за PCI 2024")
    assert scores_in_per_cent("How many points did Dong Thap score in the PAR INDEX 2023?")
    assert scores_in_per_cent("Lam Dong's score in 2024?")
    sentence = "Tỷ lệ hồ sơ trực tuyến toàn trình 10 tháng năm 2025 đạt 68,4%."
    assert states_answer_type(sentence, "score")
    assert not states_answer_type(sentence, "score", per_cent_scores=False)
    assert states_answer_type("PCI 2024 đạt 67,92 điểm.", "score", per_cent_scores=False)


def test_a_measure_answers_a_question_asking_the_quantity_it_measures() -> None:
    sentence = "Trung tâm dữ liệu có công suất 20 MW."
    assert measures_asked("Trung tâm dữ liệu có công suất bao nhiêu?") == {"power"}
    assert not states_answer_type(sentence, "count")
    assert states_answer_type(sentence, "count", measured=measures_asked("công suất bao nhiêu?"))
    assert measures_asked("How many data centres are there?") == frozenset()


def test_what_was_done_is_no_answer_beside_the_target_asked(retriever: MemoryRetriever) -> None:
    from qa.decide import without_rival_values

    plan = _asking("What was Lam Dong's target for the number of 5G stations by 2024?", "count")
    target = _candidate(retriever, "g-a", "The target is 450 5G stations by 2024.", {"count"}, 0.7)
    target.deadlines = [date(2024, 12, 31)]
    done = _candidate(retriever, "g-a", "In 9 months, 312 5G stations were built.", {"count"}, 0.7)
    assert without_rival_values(plan, [target, done]) == [target]
    # Asked what was done, the target beside it is left out as before.
    asked_done = _asking("How many 5G stations did Lam Dong build?", "count")
    assert without_rival_values(asked_done, [done, target]) == [done]


def test_what_is_counted_is_found_mistyped_or_in_a_compound() -> None:
    # One letter off, in a word long enough not to be another word.
    assert names_counted(("acounts",), "has activated 562,140 level 2 identification accounts")
    assert not names_counted(("tasks",), "57 taxes were collected")
    # Russian joins a shortened word to the last ("сельхозпродуктов").
    sentence = "во всей провинции 2 316 сельскохозяйственных продуктов и продуктов OCOP"
    assert names_counted(("сельхозпродуктов",), sentence)
    assert not names_counted(("сельхозпродуктов",), "в провинции 54 коммуны")
    assert names_counted(("госинвестиций",), "освоено 40% государственных инвестиций")
    # A word inside another is no compound's last word.
    assert not names_counted(("иностранными",), "10 ведущих населённых пунктов страны")


def test_visitors_are_counted_as_tourists_guests_and_people_but_not_residents() -> None:
    assert names_counted(("tourists",), "Ha Giang city alone welcomed about 1.1 million visitors")
    assert names_counted(("гостеи",), "Хазянг принял около 112 000 посетителей")
    assert names_counted(("people",), "Ha Giang welcomed about 112,000 visitors")
    assert not names_counted(("residents",), "Ha Giang welcomed about 112,000 visitors")


def test_sites_are_counted_as_areas_and_zones() -> None:
    assert names_counted(("sites",), "the city arranged 13 resettlement areas for the project")
    assert not names_counted(("sites",), "the city arranged 13 working groups for the project")


def test_a_count_of_days_is_named_by_a_duration_not_a_date() -> None:
    days = counted_words("xây 40 căn nhà hết bao nhiêu ngày?")
    assert names_counted(days, "hoàn thành 40 căn nhà chỉ trong 75 ngày đêm")
    assert not names_counted(days, "công trình khởi công ngày 5/10/2024")


def test_how_many_before_a_verb_counts_what_was_counted_before() -> None:
    question = "how many resettlement sites did hanoi set up and how many were finished by 2024?"
    assert counted_words(question) == ("sites",)
    assert counted_words("How many tasks are there?") == ("tasks",)
    # "Там" (there) is no thing counted.
    assert counted_words("а сколько там хоумстеев?") == ("хоумстеев",)
    # "by how many each" counts what the question named before.
    assert (
        counted_words("Which two districts were short of the most teachers, and by how many each?")
        == ()
    )


def test_how_much_of_a_thing_measured_is_no_money() -> None:
    assert expected_answer_type("How much land did Kien Giang sign up for the programme?") is None
    assert expected_answer_type("How much waste did Hanoi collect in 2025?") is None
    # Goods sold are asked by their value as often as by their weight.
    assert expected_answer_type("How much durian did Dak Lak export in Q3 2025?") == "money"
    assert expected_answer_type("How much money did the province spend?") == "money"
    assert expected_answer_type("How much did HCMC set aside for Resolution 57?") == "money"


def test_coverage_is_asked_as_a_share() -> None:
    assert asked_parts("độ che phủ rừng của Hà Giang năm 2024 là bao nhiêu?", "vi") == ("percent",)
    assert asked_parts("Compare 2024 forest cover in Dien Bien and Lai Chau.", "en") == ("percent",)
    assert asked_parts("Какой охват медицинским страхованием в провинции?", "ru") == ("percent",)
    assert asked_parts("Сколько детей охвачено вакцинацией?", "ru") == ("count",)
    # The rank of a coverage is a rank.
    assert expected_answer_type("Какое место в стране занимает Лайчау по лесистости?") == "rank"


def test_amounts_in_french_and_chinese_are_money() -> None:
    assert states_answer_type("les dégâts s'élèvent à 712,4 milliards de VND", "money")
    assert states_answer_type("712,4 milliards de dongs", "money")
    assert states_answer_type("全省安排资金580亿越南盾", "money")
    assert not states_answer_type("Il y a 40 maisons et 3 écoles", "money")


def test_a_score_written_as_a_fraction_before_a_comma_is_a_score() -> None:
    assert states_answer_type("балл DTI провинции достиг 0,4312, что ниже среднего", "score")
    assert not states_answer_type("в 2024 году 0,43 миллиона", "score")
