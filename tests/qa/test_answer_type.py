"""A question that asks for a value (a share, a rank, an amount, a count) is answered by a
sentence that states one, or refused; a sentence about another year does not answer a
question about this one."""

from __future__ import annotations

from datetime import date

import pytest

from qa.answer import answer
from qa.answer_type import expected_answer_type, states_answer_type
from tests.qa.conftest import MemoryRetriever
from tests.qa.test_extractive import assert_contract


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
        ("Tinh Lam Dong moi co bao nhieu don vi hanh chinh cap xa?", "count"),
        ("lang son ban hanh ke hoach so may", "count"),
        ("PII 2024 Gia Lai xep thu may", "rank"),
        ("Who chaired the first meeting?", None),
        ("Where is the administrative centre of the new province?", None),
    ],
)
def test_kind_of_value_asked_for(question: str, kind: str | None) -> None:
    assert expected_answer_type(question) == kind


def test_sentences_that_state_a_value_of_each_kind() -> None:
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
