"""What the question pins down (year, event date, numbered meeting, document, commitments)
must be met by the evidence cited; a guessed year is relaxed before refusing."""

from __future__ import annotations

from datetime import date
from typing import Any

from index.profiles import DEFAULT_MIN_SUPPORT, PROFILES
from qa.align import VersionSentences, aligned_sentence, numbers_in
from qa.answer import answer
from qa.candidates import Candidate
from qa.extractive import min_support_for
from qa.gazetteer import Gazetteer
from qa.lexicon import meeting_ordinals, ordinals_named
from qa.models import Answer, Turn
from qa.retrieve import Evidence
from qa.understand import understand
from tests.fakes import HashingEmbedder
from tests.qa.conftest import MemoryRetriever
from tests.qa.test_extractive import assert_contract

# Late in 2026: "in May" first reads as May 2026, which no article is about.
LATE_2026 = date(2026, 11, 25)


def _translation(
    article_id: str, published: str, title: str, *paragraphs: str, province: str = "lam-dong"
) -> dict[str, Any]:
    """An English vietnam.vn article for `MemoryRetriever`, a story of its own."""
    return {
        "id": article_id,
        "lang": "en",
        "province": province,
        "site": "www.vietnam.vn",
        "group": f"g-{article_id}",
        "published": published,
        "title": title,
        "paragraphs": list(paragraphs),
    }


def test_month_without_year_falls_back_to_an_earlier_year(retriever: MemoryRetriever) -> None:
    result = answer("Хто представляв Лам Донг на засіданні у травні?", retriever, today=LATE_2026)
    assert not result.refused
    assert_contract(result, retriever)
    assert "Нгуєн Нгок Фук" in result.answer
    # The answer says which year it is about, and which one found nothing.
    first_line = result.answer.splitlines()[0]
    assert "2025" in first_line and "2026" in first_line
    assert result.searched["year_relaxed"] is True


def test_a_year_the_user_wrote_is_not_relaxed(retriever: MemoryRetriever) -> None:
    result = answer(
        "Хто представляв Лам Донг на засіданні у травні 2026 року?", retriever, today=LATE_2026
    )
    assert result.refused
    assert "year_relaxed" not in result.searched


def test_this_year_falls_back_to_the_last_year_reported() -> None:
    # Asked late in 2026 of a plan reported in 2025: "this year" is the asker's year, which
    # no article speaks of, so the answer is the year reported, and says so.
    retriever = _one_article(
        "Regarding non-cash payments, the rate of social security payments via accounts "
        "reached 87.3%, the target for 2025 is 95%.",
        published="2025-04-28",
    )
    result = _answered(
        retriever, "What is Lam Dong's target for social security payments via accounts this year?"
    )
    assert "95%" in result.answer and result.searched["year_relaxed"] is True
    first_line = result.answer.splitlines()[0]
    assert "2026" in first_line and "2025" in first_line
    # A year the user wrote is not relaxed.
    written = answer(
        "What is Lam Dong's target for social security payments via accounts in 2026?",
        retriever,
        today=LATE_2026,
    )
    assert written.refused


def test_guessed_year_that_answers_is_kept(retriever: MemoryRetriever) -> None:
    result = answer(
        "Хто представляв Лам Донг на засіданні у травні?", retriever, today=date(2025, 6, 15)
    )
    assert not result.refused and "year_relaxed" not in result.searched
    assert "Нгуєн Нгок Фук" in result.answer


def test_event_reported_long_after_the_day_asked_is_not_an_answer(
    retriever: MemoryRetriever,
) -> None:
    # The Ukrainian meeting article was published on 20 May 2025, about a May meeting: seven
    # weeks after the day asked about, and naming no date in it.
    result = answer(
        "Хто представляв Лам Донг на засіданні 1 квітня 2025 року?", retriever, today=LATE_2026
    )
    assert "Нгуєн Нгок Фук" not in result.answer
    assert all(c.article_id != "ld-uk" for c in result.citations)


def test_second_meeting_when_only_the_first_is_reported(retriever: MemoryRetriever) -> None:
    asked_first = answer(
        "Bí thư Tỉnh ủy Hà Giang yêu cầu gì tại phiên họp thứ nhất Ban Chỉ đạo chuyển đổi số?",
        retriever,
        today=LATE_2026,
    )
    assert not asked_first.refused
    asked_second = answer(
        "Bí thư Tỉnh ủy Hà Giang yêu cầu gì tại phiên họp thứ hai Ban Chỉ đạo chuyển đổi số?",
        retriever,
        today=LATE_2026,
    )
    assert asked_second.refused and not asked_second.citations


def test_commitments_question_without_any_commitment_is_refused() -> None:
    retriever = MemoryRetriever(
        [
            {
                "id": "hy-farm",
                "lang": "en",
                "province": "hung-yen",
                "site": "baohungyen.vn",
                "group": "g-farm",
                "published": "2025-03-18",
                "title": "Hung Yen farmers switch crops",
                "paragraphs": [
                    "Hung Yen farmers switched 500 hectares of rice land to vegetables this year.",
                    "The province held a festival for farmers in Hung Yen in March.",
                ],
            }
        ]
    )
    result = answer("What did Hung Yen commit to?", retriever, min_support=0.0)
    assert result.refused and not result.citations


def test_document_number_must_be_mentioned_by_the_cited_article(
    retriever: MemoryRetriever,
) -> None:
    result = answer(
        "Lâm Đồng cam kết gì trong Kế hoạch số 999/KH-UBND?",
        retriever,
        today=LATE_2026,
        min_support=0.0,
    )
    assert result.refused
    assert "document number" in result.searched["reason"]


def test_a_follow_up_asking_the_first_month_asks_no_meeting() -> None:
    retriever = _province_report(
        "ninh-binh",
        "2025-08-05",
        "One month of two-level government in Ninh Binh",
        "After one month of operation, the Public Administration Service Centers of Ninh Binh "
        "received 158,730 dossiers; of which online dossiers accounted for 64.2%.",
    )
    history = [
        Turn("user", "How many commune-level units does the new Ninh Binh province have?"),
        Turn("assistant", "From 1 July 2025 the new Ninh Binh has 129 commune-level units."),
    ]
    result = answer(
        "And what share of dossiers was online in the first month of operation?",
        retriever,
        history=history,
        today=LATE_2026,
    )
    assert not result.refused, result.answer
    assert "64.2%" in result.answer
    assert ordinals_named("И на втором?") == {2}
    assert not ordinals_named("за перший місяць роботи") and not ordinals_named("tháng thứ hai")


def test_meeting_ordinals_in_four_languages() -> None:
    assert meeting_ordinals("What was decided at the second meeting?") == {2}
    assert meeting_ordinals("Phiên họp lần thứ hai Ban Chỉ đạo") == {2}
    assert meeting_ordinals("phiên họp thứ nhất diễn ra ngày 11/3") == {1}
    assert meeting_ordinals("Второе заседание комитета") == {2}
    assert meeting_ordinals("на першому засіданні 11 березня") == {1}
    assert meeting_ordinals("the meeting was long") == set()


def test_ordinals_joined_to_a_meeting_are_meetings_too() -> None:
    # "first and second sessions": one meeting word for both ordinals.
    assert meeting_ordinals("Compare the first and second committee sessions") == {1, 2}
    assert meeting_ordinals("So sánh phiên họp thứ nhất và thứ hai") == {1, 2}
    assert meeting_ordinals("Сравните первое и второе заседания") == {1, 2}
    assert meeting_ordinals("Порівняйте перше і друге засідання") == {1, 2}
    assert meeting_ordinals("the first, second and third meetings") == {1, 2, 3}
    # An ordinal that is not joined to the meeting is something else.
    assert meeting_ordinals("At the second meeting the first task was roads") == {2}
    assert meeting_ordinals("Phiên họp thứ hai diễn ra vào thứ Hai") == {2}
    assert meeting_ordinals("for the first time") == set()


def test_numbers_fold_separators() -> None:
    assert numbers_in("1.386 căn, 62,7%") == numbers_in("1,386 houses, 62.7%") == {"1386", "62.7"}


def test_translation_sentence_is_aligned_by_numbers(retriever: MemoryRetriever) -> None:
    vi = retriever.article("ld-vi")
    en = retriever.article("ld-en")
    assert vi is not None and en is not None
    chunk = next(c for c in retriever.chunks if c.article_id == "ld-vi" and "60%" in c.text)
    hit = next(h for h in retriever.search(chunk.text, k=20) if h.chunk == chunk)
    start = vi.text.index("Tỉnh cũng phấn đấu")
    candidate = Candidate(
        Evidence(hit=hit, score=1.0, group="g-ld"), start, chunk.end, vi.text[start : chunk.end], 0
    )
    sibling = aligned_sentence(candidate, en, VersionSentences())
    assert sibling is not None and "60% of public investment" in sibling


def test_foreign_only_answer_is_found_through_its_translation() -> None:
    # The story exists in Vietnamese and English; the question is in Ukrainian.
    retriever = MemoryRetriever()
    result = answer(
        "Який відсоток державних інвестицій Lam Dong планує освоїти до 30 червня 2025 року?",
        retriever,
        today=date(2025, 6, 15),
        min_support=0.0,
    )
    assert not result.refused
    assert_contract(result, retriever)
    assert "60%" in result.answer


def test_refusal_threshold_is_calibrated_per_embedder() -> None:
    e5 = HashingEmbedder(name="e5-small", dimensions=384)
    gemma = HashingEmbedder(name="gemma", dimensions=768)
    other = HashingEmbedder(name="st:bge-m3", dimensions=1024)

    assert min_support_for(e5) == PROFILES["e5-small"].min_support
    assert min_support_for(gemma) == PROFILES["gemma"].min_support
    assert min_support_for(other) == DEFAULT_MIN_SUPPORT


def test_a_general_call_in_the_same_article_is_not_the_provinces_commitment() -> None:
    retriever = MemoryRetriever(
        [
            _translation(
                "meeting-en",
                "2025-05-16",
                "Second meeting of the Government Steering Committee",
                "At the Lam Dong bridge point, Vice Chairman Dang Quang Tu committed that "
                "Lam Dong will finish cleaning land data by May 31, 2025.",
                "Concluding the meeting, the Prime Minister asked ministries and "
                "localities to commit to the 2025 targets and not to let them fall behind "
                "schedule.",
            )
        ]
    )
    result = answer("What did Lam Dong commit to by May 2025?", retriever, today=LATE_2026)
    assert not result.refused
    assert_contract(result, retriever)
    assert "cleaning land data" in result.answer
    assert "Prime Minister" not in result.answer


def test_when_a_document_was_issued_is_not_another_documents_date() -> None:
    retriever = MemoryRetriever(
        [
            _translation(
                "ld-plans",
                "2025-08-21",
                "Lam Dong steering committee meets after the merger",
                "The Standing Board of the Provincial Party Committee has issued Plan No. 09-KH/TU "
                "dated August 12, 2025, replacing Plan No. 151-KH/TU of the former province.",
                "Plan No. 151-KH/TU was issued by the Standing Board on March 20, 2025 and sets "
                "out 58 tasks up to 2030.",
            )
        ]
    )
    result = answer(
        "When did the Lam Dong standing board issue Plan 151-KH/TU?", retriever, today=LATE_2026
    )
    assert not result.refused
    assert_contract(result, retriever)
    assert "March 20, 2025" in result.answer
    assert "August 12" not in result.answer


def test_a_pledge_is_followed_by_the_next_one_in_its_paragraph() -> None:
    retriever = MemoryRetriever(
        [
            _translation(
                "ld-pledges",
                "2025-04-08",
                "Lam Dong rolls out its digital transformation plan",
                "On April 7, 2025, the Lam Dong steering committee held its first session.",
                "Concluding the session, Party Secretary Truong Van Hien required that all "
                "administrative procedures be offered fully online before June 30, 2025. The "
                "provincial data centre must be completed and put into use before December 31, "
                "2025.",
                "Lac Duong and Dam Rong districts have large ethnic minority populations.",
            )
        ]
    )
    result = answer(
        "What deadlines did Party Secretary Truong Van Hien set in April 2025?",
        retriever,
        today=LATE_2026,
    )
    assert not result.refused
    assert_contract(result, retriever)
    deadlines = [c.deadline.isoformat() for c in result.commitments if c.deadline]
    assert deadlines == ["2025-06-30", "2025-12-31"]
    assert "Lac Duong" not in result.answer


def test_a_follow_up_asking_one_more_value_is_answered_from_the_conversations_story() -> None:
    retriever = MemoryRetriever(
        [
            _translation(
                "dl-plan",
                "2025-04-03",
                "Dak Lak issues Plan 161-KH/TU to implement Resolution 57",
                "The Dak Lak Provincial Party Standing Board issued Plan No. 161-KH/TU on April 2, "
                "2025 to implement Resolution 57, with 49 key tasks through 2030.",
                "According to Standing Deputy Secretary Vo Thanh Luan, about VND 860 billion is "
                "expected over 2025-2030.",
                province="dak-lak",
            )
        ]
    )
    history = [
        Turn("user", "Which plan did Dak Lak adopt to implement Resolution 57?"),
        Turn("assistant", "Plan No. 161-KH/TU, with 49 key tasks through 2030. [1]"),
    ]
    result = answer("And the budget for it?", retriever, history=history, today=LATE_2026)
    assert not result.refused
    assert_contract(result, retriever)
    assert result.answer.split("[1]")[0].endswith("VND 860 billion is expected over 2025-2030. ")


def _one_article(*paragraphs: str, published: str = "2025-08-19") -> MemoryRetriever:
    return MemoryRetriever(
        [
            _translation(
                "ld-report", published, "Lam Dong reports on digital transformation", *paragraphs
            )
        ]
    )


def _province_report(
    province: str, published: str, title: str, *paragraphs: str
) -> MemoryRetriever:
    """One English report on `province`, a story of its own."""
    return MemoryRetriever(
        [_translation(f"{province}-report", published, title, *paragraphs, province=province)]
    )


def _refused(retriever: MemoryRetriever, question: str) -> Answer:
    """The answer to `question`, which must be a refusal."""
    result = answer(question, retriever, today=LATE_2026)
    assert result.refused, result.answer
    return result


def _answered(retriever: MemoryRetriever, question: str) -> Answer:
    """The answer to `question`, which must not be refused and must keep the citation
    contract."""
    result = answer(question, retriever, today=LATE_2026)
    assert not result.refused, result.answer
    assert_contract(result, retriever)
    return result


def test_the_country_s_figure_is_not_the_province_s() -> None:
    retriever = _one_article(
        "After a month of two-level government, the rate of full-process online records of "
        "Lam Dong province in July 2025 reached 81.3%.",
        "Nationwide, the rate of full-process online records in July 2025 is about 59.7%.",
        "Nationwide, more than 12.6 million people have studied on the digital skills platform.",
    )
    result = _answered(
        retriever,
        "What rate of full-process online records did Lam Dong reach in July 2025?",
    )
    assert "81.3%" in result.answer and "59.7%" not in result.answer
    # Only the country's figure is stated: the province's is not given.
    _refused(retriever, "How many people in Lam Dong have studied on the digital skills platform?")


def test_a_province_s_score_beside_the_country_s_average_is_the_province_s() -> None:
    retriever = _one_article(
        "Kon Tum announced the results of the 2023 indexes.",
        "In 2023, the digital transformation score of Kon Tum province reached 0.4312, lower "
        "than the national average of 0.4926.",
    )
    result = _answered(retriever, "What digital transformation score did Kon Tum get in 2023?")
    assert "0.4312" in result.answer


def test_a_figure_of_nine_months_does_not_answer_a_quarter() -> None:
    nine_months = (
        "In the first 9 months of 2025, Lam Dong disbursed 1,152.4 billion VND of new rural "
        "development capital, reaching 64.7% of the plan."
    )
    question = "How much new rural development capital did Lam Dong disburse in Q2 2025?"
    _refused(_one_article(nine_months, published="2025-10-08"), question)
    # The quarter's own figure beside it answers.
    retriever = _one_article(
        nine_months,
        "In the second quarter of 2025 alone, Lam Dong disbursed 402.6 billion VND of new "
        "rural development capital.",
        published="2025-10-08",
    )
    result = _answered(retriever, question)
    assert "402.6" in result.answer and "1,152.4" not in result.answer


def test_a_target_for_another_time_does_not_answer_what_was_done() -> None:
    retriever = _one_article(
        "Concluding the meeting, the Secretary requested that Lam Dong reach a rate of full-"
        "process online records of 90% by the end of 2025.",
        published="2025-08-19",
    )
    _refused(retriever, "What rate of full-process online records did Lam Dong reach in Q2 2025?")
    # A target for the time asked answers a question about that time.
    result = _answered(
        retriever,
        "What rate of full-process online records will Lam Dong reach by the end of 2025?",
    )
    assert "90%" in result.answer


def test_a_school_year_s_figure_does_not_answer_the_school_year_before() -> None:
    retriever = _one_article(
        "In the 2024-2025 school year, Lam Dong spent 31.6 billion VND on lunch support for "
        "14,826 pupils.",
        published="2024-11-08",
    )
    _refused(
        retriever,
        "How much did Lam Dong spend on lunch support for pupils in the 2023-2024 school year?",
    )
    result = _answered(
        retriever, "How much did Lam Dong spend on lunch support for pupils in 2024-25?"
    )
    assert "31.6 billion" in result.answer


def test_what_was_reached_answers_before_the_target_beside_it() -> None:
    retriever = _one_article(
        "By the end of April 2025, Lam Dong had 1,748,920 people with health insurance, a "
        "coverage of 91.36% of the population, while the target for 2025 is 94%.",
        published="2025-05-12",
    )
    result = _answered(retriever, "What was Lam Dong's health insurance coverage in 2025?")
    assert "91.36%" in result.answer and "94%" not in result.answer
    result = _answered(retriever, "What health insurance coverage does Lam Dong target for 2025?")
    assert "94%" in result.answer


def test_this_year_guessed_is_tried_a_year_earlier_before_an_undated_figure() -> None:
    retriever = _one_article(
        "Lam Dong launched the digital literacy movement on April 7, 2025.",
        "The Chairman proposed that the provincial budget put 48 billion VND of undisbursed "
        "capital into the movement of the new province. Its next phase runs from 2026 to 2030.",
        "The provincial budget allocates 18.5 billion VND for the movement in 2025.",
        published="2025-06-12",
    )
    history = [
        Turn("user", "Which province launched the digital literacy movement on April 7, 2025?"),
        Turn("assistant", "Lam Dong launched it on April 7, 2025."),
    ]
    result = answer(
        "and how much is the provincial budget putting into it this year?",
        retriever,
        history=history,
        today=LATE_2026,
    )
    # Nothing of 2026: the story's undated figure, published in 2025, is not given as
    # 2026's; the answer is the year before's, and says so.
    assert not result.refused
    assert result.answer.startswith("Nothing was found for the period asked (in 2026)")


def test_a_school_year_is_reported_on_as_it_opens() -> None:
    retriever = _one_article(
        "Lam Dong's education department reported on teacher staffing on August 14.",
        "Hong Dan district lacks 214 teachers, the most of any district in Lam Dong.",
        published="2024-08-14",
    )
    result = _answered(
        retriever,
        "How many teachers did Hong Dan district in Lam Dong lack in the 2024-25 school year?",
    )
    assert "214" in result.answer


def test_a_count_of_residents_is_answered_by_a_count_of_people() -> None:
    retriever = _one_article(
        "As of September 20, 2025, 538,900 people in Lam Dong province have completed at "
        "least one course on the 'Digital Education for All' platform.",
    )
    result = answer(
        "How many Lam Dong residents have finished at least one course?",
        retriever,
        today=LATE_2026,
    )
    assert not result.refused
    assert "538,900" in result.answer


def test_a_figure_and_its_breakdown_are_quoted_by_the_one_asked() -> None:
    retriever = _one_article(
        "The total estimated budget to implement Lam Dong's plan in the 2025-2030 period is "
        "VND 6,200 billion, of which VND 745 billion from the provincial budget is arranged "
        "for the last 4 months of 2025.",
    )
    total = _answered(
        retriever,
        "What is the total estimated budget of Lam Dong's plan over 2025-2030?",
    )
    assert "6,200" in total.answer and "745" not in total.answer
    part = _answered(
        retriever,
        "How much does Lam Dong's provincial budget arrange for the last months of 2025?",
    )
    assert "745" in part.answer and "6,200" not in part.answer


def test_a_figure_of_the_year_before_is_read_in_its_comparison() -> None:
    retriever = _one_article(
        "In 2024, the rate of full-process online records of Lam Dong reached 52.3%, up "
        "sharply from 27.8% in 2023.",
        published="2024-12-20",
    )
    result = _answered(
        retriever,
        "What was Lam Dong's rate of full-process online records in 2023?",
    )
    assert "27.8%" in result.answer and "52.3%" not in result.answer


MEETING = (
    "On the afternoon of September 8, 2025, the Steering Committee for science, technology "
    "and digital transformation of Lam Dong province held its first meeting since the merger.",
    "Comrade Bui Duc Hinh, Secretary of the Provincial Party Committee, Head of the Steering "
    "Committee chaired the meeting.",
    "Vice Chairman of the Provincial People's Committee Bui Duc Minh was assigned to direct "
    "the Working Group, reporting results before October 15, 2025.",
    "Concluding the meeting, Provincial Party Secretary Bui Duc Hinh requested to complete "
    "the review of land data before September 30, 2025.",
)


def test_what_the_person_asked_about_must_do_is_not_another_person_s_task() -> None:
    retriever = _one_article(*MEETING, published="2025-09-09")
    result = _answered(
        retriever,
        "By what date must Bui Duc Minh report the results of the working group?",
    )
    assert "October 15, 2025" in result.answer
    assert "September 30" not in result.answer


def test_when_a_plan_was_issued_is_not_when_a_meeting_carried_it_out() -> None:
    retriever = _one_article(
        "Plan No. 45-KH/TU of the Lam Dong Provincial Party Committee was issued on October 27, "
        "2025, replacing Plan No. 286-KH/TU.",
        "On November 4, 2025, the Lam Dong steering committee met and agreed to carry out "
        "Plan No. 45-KH/TU of the Provincial Party Committee.",
        published="2025-11-05",
    )
    result = _answered(
        retriever,
        "When was Plan No. 45-KH/TU of the Lam Dong Provincial Party Committee issued?",
    )
    assert "October 27, 2025" in result.answer
    assert "November 4" not in result.answer


def test_an_earlier_plan_s_figure_and_another_index_s_are_left_out() -> None:
    retriever = _one_article(
        "Plan No. 36-KH/TU aims for 80% of adults in Lam Dong to have basic digital skills by "
        "December 31, 2025.",
        "The previous Plan No. 412-KH/TU set a target of only 70% of adults with basic digital "
        "skills by the end of 2025.",
        "Lam Dong's PAR INDEX 2024 reached 90.17 points, ranking 4th out of 63.",
        "In the same announcement, Lam Dong's SIPAS 2024 reached 84.62%, ranking 12th out of 63.",
        published="2025-10-10",
    )
    share = _answered(
        retriever,
        "What share of adults in Lam Dong should have basic digital skills by the end of 2025 "
        "under the new plan?",
    )
    assert "80%" in share.answer and "70%" not in share.answer
    par = _answered(retriever, "What was Lam Dong's PAR INDEX 2024?")
    assert "90.17" in par.answer and "84.62" not in par.answer


def test_a_target_beside_what_was_done_is_left_out_unless_targets_are_asked() -> None:
    retriever = _one_article(
        "As of November 10, 2024, Lam Dong has activated electronic identification accounts "
        "for 79.2% of eligible citizens.",
        "The Lam Dong police strive to activate electronic identification accounts for 90% of "
        "eligible citizens by June 30, 2025.",
        published="2024-11-15",
    )
    done = answer(
        "What share of eligible citizens in Lam Dong had an activated electronic "
        "identification account in November 2024?",
        retriever,
        today=LATE_2026,
    )
    assert not done.refused
    assert "79.2%" in done.answer and "90%" not in done.answer


def test_a_target_with_no_deadline_beside_what_was_done_is_left_out() -> None:
    retriever = _one_article(
        "In the first half of 2024, Thanh Hoa upgraded 418 km of rural roads, bringing the "
        "total upgraded since 2021 to 2,965 km.",
        "The province's target for 2021-2025 is to upgrade 3,600 km of rural roads.",
        published="2024-07-20",
    )
    done = _answered(retriever, "How many km of rural roads has Thanh Hoa upgraded since 2021?")
    assert "2,965" in done.answer and "3,600" not in done.answer


def test_a_follow_up_s_period_dates_the_story_not_the_figure_asked() -> None:
    retriever = _one_article(
        "On November 4, 2025, the Dong Thap steering committee held its first session after "
        "the merger.",
        "In 2024, the former Tien Giang ranked 27th in the provincial digital transformation "
        "index DTI.",
        published="2025-11-05",
    )
    history = [
        Turn("user", "What did the Dong Thap steering committee discuss in November 2025?"),
        Turn("assistant", "It held its first session after the merger on November 4. [1]"),
    ]
    result = answer(
        "And what DTI rank did the former Tien Giang hold?",
        retriever,
        history=history,
        today=LATE_2026,
    )
    assert not result.refused, result.answer
    assert_contract(result, retriever)
    assert "27th" in result.answer


def test_each_index_s_figures_are_its_own_even_beside_its_name() -> None:
    retriever = _one_article(
        "Lam Dong's PAR INDEX 2024 reached 84.17%, ranking 41st out of 63.",
        "Along with the PAR INDEX, Lam Dong's SIPAS 2024 reached 80.52%, ranking 52nd; while "
        "its PAPI reached 43.91 points, ranking 29th.",
        published="2025-05-14",
    )
    par = _answered(retriever, "Where did Lam Dong rank on the PAR INDEX for 2024?")
    assert "41st" in par.answer and "52nd" not in par.answer and "29th" not in par.answer
    papi = _answered(retriever, "Where did Lam Dong rank on PAPI for 2024?")
    assert "29th" in papi.answer and "52nd" not in papi.answer


def test_a_pledge_is_quoted_without_the_past_figure_beside_it() -> None:
    retriever = _one_article(
        "Under Plan No. 318-KH/TU, by 2030 the digital economy of Lam Dong will account for 25% "
        "of GRDP (in 2024 estimated at 9.7%).",
        "The province will also connect every commune to fibre broadband.",
        published="2025-03-20",
    )
    result = _answered(
        retriever, "What share of GRDP does Lam Dong want the digital economy to reach by 2030?"
    )
    assert "25% of GRDP" in result.answer and "9.7%" not in result.answer


def test_each_side_of_a_comparison_is_quoted_by_its_value_alone() -> None:
    retriever = MemoryRetriever(
        [
            _translation(
                "qn",
                "2025-03-14",
                "Quang Nam steering committee sets 2025 targets",
                "Under Plan No. 318-KH/TU, by the end of 2025 Quang Nam strives to have 80% of "
                "administrative records submitted online.",
                "In 2024, the share of Quang Nam's administrative records received online "
                "reached 46.8%.",
                province="quang-nam",
            ),
            _translation(
                "qt",
                "2025-08-16",
                "Quang Tri reviews Project 06 after the merger",
                "Quang Tri strives for the share of records submitted online to exceed 85% by "
                "December 31, 2025.",
                "In July 2025, the share of Quang Tri's records submitted online reached 72.4%.",
                province="quang-tri",
            ),
        ]
    )
    result = _answered(
        retriever,
        "Compare the percentage of records Quang Nam and Quang Tri aim to receive online by "
        "the end of 2025.",
    )
    assert "80%" in result.answer and "85%" in result.answer
    assert "46.8%" not in result.answer and "72.4%" not in result.answer


def test_a_ranking_index_nobody_reported_is_not_answered_by_another() -> None:
    retriever = MemoryRetriever(
        [
            _translation(
                "par",
                "2025-05-14",
                "Lam Dong's PAR INDEX 2024 up 5 places",
                "In 2024, Lam Dong ranked 4th among the provinces and cities on the index, with "
                "90.17 points.",
                "Also in 2024, Lam Dong's PCI reached 67.85 points, ranking 12th among the "
                "provinces.",
            )
        ]
    )
    par = "Where did Lam Dong rank among the provinces on the PAR INDEX in 2024?"
    assert "4th" in _answered(retriever, par).answer
    for question in (
        "Where did Lam Dong rank among the provinces on the innovation index PII in 2024?",
        "Where did Lam Dong rank among the provinces on the PAPI in 2024?",
    ):
        result = answer(question, retriever, today=LATE_2026)
        assert result.refused, result.answer


def test_money_disbursed_is_not_answered_by_money_allocated() -> None:
    allocated_only = _one_article(
        "In 2025 alone, Lam Dong allocated 96.5 billion VND for science, technology and "
        "digital transformation tasks.",
        published="2025-03-21",
    )
    question = (
        "How much of its 2025 science and digital transformation money had Lam Dong disbursed?"
    )
    assert answer(question, allocated_only, today=LATE_2026).refused
    both = _one_article(
        "In 2025 alone, Lam Dong allocated 96.5 billion VND for science, technology and "
        "digital transformation tasks.",
        "By the end of March, only 12.4 billion VND of it had been disbursed.",
        published="2025-04-02",
    )
    result = _answered(both, question)
    assert result.answer.split("[1]")[0].rstrip().endswith("had been disbursed.")
    # Nor is the amount allocated quoted beside the amount disbursed.
    assert "96.5" not in result.answer


def test_the_kind_of_document_asked_chooses_its_part_of_the_sentence() -> None:
    retriever = _one_article(
        "Right after the Politburo issued Resolution No. 57-NQ/TW, the Standing Committee of "
        "the Hanoi Party Committee issued Plan No. 318-KH/TU implementing the Resolution; on "
        "that basis, the City People's Committee issued Decision No. 1127/QD-UBND approving "
        "the Action Program with 96 tasks.",
        published="2025-04-16",
    )
    plan = _answered(
        retriever,
        "Which plan did the Hanoi Party Committee's Standing Committee issue to implement "
        "Resolution 57-NQ/TW?",
    )
    assert "318-KH/TU" in plan.answer and "1127/QD-UBND" not in plan.answer
    decision = _answered(retriever, "Which decision did Hanoi issue to implement Resolution 57?")
    assert "1127/QD-UBND" in decision.answer and "318-KH/TU" not in decision.answer


def test_a_figure_as_of_another_day_is_not_the_day_asked() -> None:
    retriever = _one_article(
        "As of January 4, 2026, Ca Mau had 486,320 people who completed at least one course "
        "on the digital literacy platform.",
        "As of December 31, 2025, 318,640 people in Ca Mau had completed at least one course on "
        "the digital literacy platform.",
        published="2026-01-05",
    )
    result = _answered(
        retriever,
        "As of December 31, 2025, how many people in Ca Mau had completed a course on the "
        "digital literacy platform?",
    )
    assert "318,640" in result.answer and "486,320" not in result.answer


def test_a_sentence_of_after_the_merger_does_not_answer_for_before_it(
    gazetteer: Gazetteer,
) -> None:
    from qa.decide import names_other_time
    from qa.understand import understand
    from tests.qa.test_clauses import _candidate

    plan = understand(
        "Tỉnh Bạc Liêu có bao nhiêu tổ công nghệ số cộng đồng trước khi sáp nhập?",
        [],
        today=date(2026, 3, 10),
        gazetteer=gazetteer,
    )
    after = _candidate("Toàn tỉnh hiện có 1.148 tổ, được kiện toàn lại theo 64 xã sau sáp nhập.")
    before = _candidate("Trước sáp nhập, tỉnh Bạc Liêu cũ có 489 tổ.")
    assert names_other_time(plan, after)
    assert not names_other_time(plan, before)


def test_which_document_is_answered_by_a_sentence_naming_one() -> None:
    retriever = _one_article(
        "Lam Dong's plan to implement Resolution 57 sets 58 tasks for implementing Resolution "
        "57 in the province through 2030.",
        "Every commune must build one digital transformation model in agriculture.",
        "To implement Resolution 57, the Lam Dong Party Committee issued Plan No. 09-KH/TU on "
        "August 12, 2025.",
    )
    result = _answered(retriever, "Which plan number does Lam Dong use to implement Resolution 57?")
    # The sentence naming the plan leads; one that only speaks of "the plan" is context.
    assert result.answer.split("[1]")[0].rstrip().endswith("Plan No. 09-KH/TU on August 12, 2025.")


def test_an_index_score_is_answered_by_the_sentence_stating_the_score() -> None:
    retriever = _one_article(
        "In the PAPI for 2023, Kon Tum got a score that ranked the province 58th of 63.",
        "Kon Tum's PAPI score for 2023 reached 41.25 points, among the lowest in the country.",
        published="2024-04-20",
    )
    result = _answered(retriever, "What PAPI score did Kon Tum get for 2023?")
    assert result.answer.split("[1]")[0].rstrip().endswith("among the lowest in the country.")


def test_a_figure_of_the_period_asked_comes_before_one_of_a_longer_period() -> None:
    retriever = _one_article(
        "In the first nine months of 2025, e-commerce revenue from Lam Dong farm products "
        "reached VND 1,845 billion.",
        "In the third quarter of 2025 alone, the revenue reached VND 712 billion.",
        published="2025-10-06",
    )
    result = _answered(
        retriever,
        "How much e-commerce revenue did Lam Dong farm products bring in the third quarter of "
        "2025?",
    )
    assert "712" in result.answer.split("[1]")[0]


def test_a_figure_of_the_half_asked_comes_before_one_of_the_whole_year() -> None:
    retriever = _one_article(
        "In 2025, the rate of full-process online records of Lam Dong reached 72.6%, and the "
        "target for 2026 is 80%.",
        "Before the merger, in the first 6 months of 2025, the rate of Lam Dong was 58.3%.",
        published="2026-01-24",
    )
    result = _answered(
        retriever,
        "What was the rate of full-process online records of Lam Dong in the first half of 2025?",
    )
    assert "58.3%" in result.answer.split("[1]")[0]


def test_a_sentence_naming_another_document_of_the_kind_asked_is_not_context() -> None:
    retriever = _one_article(
        "The working group of Lam Dong's steering committee for Resolution 57 was established "
        "under Decision No. 418/QD-UBND of the People's Committee.",
        "The Lam Dong steering committee itself was established under Decision No. "
        "1125-QD/TU of the Provincial Party Standing Committee, with 27 members.",
        published="2025-03-10",
    )
    result = _answered(
        retriever,
        "Under which decision was the working group of Lam Dong's steering committee for "
        "Resolution 57 established?",
    )
    assert "418/QD-UBND" in result.answer and "1125-QD/TU" not in result.answer


def test_the_former_provinces_figures_are_not_the_new_provinces_context() -> None:
    retriever = _province_report(
        "vinh-long",
        "2026-01-10",
        "Vinh Long reviews its digital transformation in 2025",
        "In 2025, the rate of full-process online records of Vinh Long province reached 72.6%.",
        "Before the merger, the rate of full-process online records of the old Ben Tre "
        "province was 58.3% and of the old Tra Vinh province 61.2%.",
    )
    result = _answered(
        retriever,
        "What was the rate of full-process online records of Vinh Long province in 2025?",
    )
    assert "72.6%" in result.answer
    assert "58.3%" not in result.answer and "61.2%" not in result.answer


def test_a_figure_of_the_first_months_is_told_from_one_of_more_months() -> None:
    retriever = _one_article(
        "In the first 9 months of 2024, the rate of full-process online records of Lam Dong "
        "reached 38.6%, up from 31.2% in the first 6 months of 2024.",
        published="2024-10-08",
    )
    result = _answered(
        retriever,
        "What was the rate of full-process online records of Lam Dong in the first 6 months of "
        "2024?",
    )
    assert "31.2%" in result.answer and "38.6%" not in result.answer


def test_a_document_number_written_with_its_separators_swapped_is_the_same_document() -> None:
    retriever = _one_article(
        "The Standing Committee of the Provincial Party Committee issued Plan No. 112-KH/TU "
        "on 8 September 2025, setting out 64 tasks for 2025-2030.",
        "The Provincial People's Committee issued Plan No. 35/KH-UBND with 18 tasks.",
        published="2025-09-20",
    )
    result = _answered(retriever, "How many tasks does Lam Dong's plan 112/KH-TU set out?")
    assert "64 tasks" in result.answer and "18 tasks" not in result.answer


def test_a_former_province_asked_by_name_is_answered_by_its_own_clause() -> None:
    retriever = _province_report(
        "da-nang",
        "2025-11-12",
        "Da Nang reviews online public services after the merger",
        "In 10 months of 2025, the rate of full-process online public services of the "
        "city reached 79.4%, of which the former Da Nang area 91.2% and the former "
        "Quang Nam province area 67.8%.",
    )
    result = _answered(
        retriever,
        "What was the rate of full-process online public services in the former Quang Nam "
        "province, now part of the new Da Nang, in 10 months of 2025?",
    )
    assert "67.8%" in result.answer
    assert "91.2%" not in result.answer and "79.4%" not in result.answer


def test_a_former_area_asked_is_not_answered_by_the_whole_new_province() -> None:
    retriever = _province_report(
        "lam-dong",
        "2025-10-09",
        "Lam Dong reviews online public services after the merger",
        "In 9 months of 2025, the rate of full-process online records in the province "
        "reached 71.3%.",
        "There is still a gap between areas: the (former) Binh Thuan area reached 75.6%, "
        "while the (former) Dak Nong area reached 64.9% of full-process online records.",
    )
    result = _answered(
        retriever,
        "For the old Dak Nong area, now in Lam Dong, what share of records were handled "
        "fully online in 9 months of 2025?",
    )
    assert "64.9%" in result.answer.split("[1]")[0] and "71.3%" not in result.answer


def test_a_former_area_nothing_reports_on_is_refused() -> None:
    retriever = _province_report(
        "tay-ninh",
        "2025-10-20",
        "Tay Ninh builds out 5G",
        "At present, the province has 412 5G base stations, concentrated in industrial "
        "parks, towns and the Moc Bai border gate.",
    )
    result = answer(
        "How many 5G base stations are there in the area of the former Long An province, "
        "now part of Tay Ninh?",
        retriever,
        today=LATE_2026,
    )
    assert result.refused and "412" not in result.answer


def test_the_former_word_goes_with_the_place_it_stands_beside() -> None:
    retriever = _province_report(
        "gia-lai",
        "2025-10-22",
        "Gia Lai disburses Resolution 57 capital",
        "Trong số vốn đã giải ngân, khu vực phía Đông (Bình Định cũ) giải ngân 158,3 tỷ "
        "đồng, khu vực phía Tây (Gia Lai cũ) giải ngân 61,3 tỷ đồng.",
    )
    result = _answered(
        retriever,
        "Riêng khu vực Bình Định cũ (nay thuộc tỉnh Gia Lai) đã giải ngân bao nhiêu tỷ "
        "đồng vốn thực hiện Nghị quyết 57?",
    )
    assert "158,3" in result.answer and "61,3" not in result.answer


def test_a_former_unit_asked_with_the_whole_it_joined_is_the_whole() -> None:
    retriever = _province_report(
        "ca-mau",
        "2025-08-14",
        "Ca Mau after the merger",
        "From July 1 to August 10, 2025, communes and wards received 58,430 records.",
    )
    for question in (
        "How many records did the communes and wards of the former Ca Mau and Bac Lieu "
        "provinces receive from 1 July to 10 August 2025?",
        "How many records did Ca Mau, together with the former Bac Lieu, receive from 1 "
        "July to 10 August 2025?",
        "Now that Bac Lieu is part of the merged province, how many records did communes "
        "and wards receive from 1 July to 10 August 2025?",
    ):
        assert "58,430" in _answered(retriever, question).answer, question


def test_a_figure_as_of_the_day_asked_is_read_after_an_earlier_day_in_its_sentence() -> None:
    retriever = _province_report(
        "ca-mau",
        "2026-03-04",
        "Cà Mau lan tỏa phong trào Bình dân học vụ số",
        "Tính đến ngày 31/12/2025, toàn tỉnh có 318.640 người hoàn thành khóa học; đến ngày "
        "28/2/2026 con số này đạt 486.320 người, trong đó khu vực tỉnh Bạc Liêu cũ có "
        "214.905 người.",
    )
    result = _answered(
        retriever,
        "Khu vực tỉnh Bạc Liêu cũ có bao nhiêu người hoàn thành khóa học tính đến ngày 28/2/2026?",
    )
    assert "214.905" in result.answer and "486.320" not in result.answer


def test_what_had_been_done_by_a_day_is_not_answered_by_a_figure_months_before_it() -> None:
    retriever = _one_article(
        "As of March 31, 2025, units have disbursed VND 48.7 billion, reaching 13.7% of the "
        "capital plan for science, technology and digital transformation of Lam Dong.",
        published="2025-04-08",
    )
    result = answer(
        "What share of Lam Dong's 2025 science and digital transformation capital had been "
        "disbursed by the end of June 2025?",
        retriever,
        today=LATE_2026,
    )
    assert result.refused and "13.7%" not in result.answer


def test_a_figure_dated_to_another_year_is_no_answer_even_alone() -> None:
    retriever = _one_article(
        "The Digital Transformation Index (DTI) in 2023 of Lam Dong ranked 19/63 provinces "
        "and cities.",
        published="2025-03-13",
    )
    result = answer("Where did Lam Dong rank in the DTI for 2024?", retriever, today=LATE_2026)
    assert result.refused and "19/63" not in result.answer


def test_a_figure_of_the_day_asked_answers_after_one_of_a_later_day() -> None:
    retriever = _one_article(
        "As of September 30, 2025, Lam Dong had 286,450 turns of people completing digital "
        "skills courses, three times the figure of 94,600 turns at the time of June 30, 2025.",
        published="2025-10-14",
    )
    result = _answered(
        retriever,
        "As of the end of June 2025, how many course completions had Lam Dong recorded?",
    )
    assert "94,600" in result.answer and "286,450" not in result.answer


def test_the_clause_of_the_whole_period_asked_answers_before_one_of_its_part() -> None:
    retriever = _one_article(
        "Theo báo cáo, 7 tháng năm 2025, tỷ lệ hồ sơ trực tuyến toàn trình của tỉnh Lâm Đồng "
        "đạt 64,2%; riêng tháng 7/2025, tháng đầu tiên vận hành chính quyền hai cấp, tỷ lệ "
        "này đạt 68,9%.",
        published="2025-08-22",
    )
    result = _answered(
        retriever,
        "Lâm Đồng: cộng dồn từ đầu năm đến hết tháng 7/2025, tỷ lệ hồ sơ xử lý trực tuyến "
        "toàn trình là bao nhiêu?",
    )
    assert "64,2%" in result.answer and "68,9%" not in result.answer


def test_a_figure_compared_with_the_period_asked_is_another_time_s() -> None:
    retriever = _one_article(
        "In 2023, the PAR INDEX of Lam Dong reached 87.12%, ranking 8/63.",
        "Lam Dong reached 89.61%, ranking 4/63 in the PAR INDEX, up 4 places compared with 2023.",
        published="2025-05-10",
    )
    result = _answered(retriever, "What was Lam Dong's PAR INDEX score for 2023?")
    assert "87.12%" in result.answer and "89.61%" not in result.answer


def test_a_comparison_giving_the_period_s_figure_states_it() -> None:
    retriever = _one_article(
        "Lam Dong's DTI for 2024 reached 0.6412 points, ranking 8/63.",
        "Compared with 2023 (15/63, 0.5524 points), the DTI score of Lam Dong rose by "
        "0.0888 points.",
        published="2025-08-20",
    )
    result = _answered(retriever, "Where did Lam Dong rank in the DTI in 2023?")
    assert "15/63" in result.answer


def test_the_new_province_asked_is_not_its_former_self_of_the_same_name() -> None:
    retriever = _province_report(
        "khanh-hoa",
        "2025-11-04",
        "Khanh Hoa reviews its digital economy",
        "The digital economy of the new province in 2024 is estimated at 11.2% of "
        "GRDP, of which the old Khanh Hoa 12.6% and the old Ninh Thuan 7.9%.",
    )
    result = _answered(
        retriever,
        "What share of GRDP did the digital economy of the new Khanh Hoa make up in 2024?",
    )
    assert "11.2%" in result.answer and "12.6%" not in result.answer


def test_a_figure_opening_on_the_past_that_names_the_period_asked_answers_it() -> None:
    retriever = _one_article(
        "Previously, the Administrative Reform Index (PAR INDEX) 2024 of Lam Dong reached "
        "91.05 points, ranked 3rd, up 3 places compared to 2023.",
        published="2025-05-14",
    )
    result = _answered(retriever, "What rank did Lam Dong get in the PAR INDEX 2024?")
    assert "3rd" in result.answer


def test_an_index_scored_in_points_is_not_answered_by_a_percentage() -> None:
    retriever = _one_article(
        "At the conference on its PCI 2024 points, Lam Dong said the rate of full-process "
        "online records in 2024 reached 68.4%.",
        published="2025-04-17",
    )
    result = answer(
        "How many points did Lam Dong score in the PCI 2024?", retriever, today=LATE_2026
    )
    assert "68.4%" not in result.answer


def test_the_area_of_a_province_merged_away_is_answered_by_its_own_clause() -> None:
    retriever = _province_report(
        "hai-phong",
        "2025-09-12",
        "Hai Phong reviews online public services after the merger",
        "In 8 months of 2025, the rate of full-process online public services of the "
        "whole city reached 82.5%, of which the Hai Phong (old) area 86.8% and the Hai "
        "Duong (old) area 76.9%.",
    )
    result = _answered(
        retriever,
        "In the Hai Duong part of the new Hai Phong, what share of public services were fully "
        "online in the first 8 months of 2025?",
    )
    assert "76.9%" in result.answer
    assert "86.8%" not in result.answer and "82.5%" not in result.answer


def test_a_figure_as_of_a_day_months_before_the_day_asked_does_not_answer_it() -> None:
    retriever = _one_article(
        "As of 31 March 2025, Lam Dong had 812,450 level-2 electronic identification accounts.",
        published="2025-04-05",
    )
    asked = (
        "How many level-2 electronic identification accounts did Lam Dong have as of 30 June 2025?"
    )
    result = answer(asked, retriever, today=LATE_2026)
    assert result.refused and "812,450" not in result.answer
    # A few days from the day asked, it answers.
    close = _one_article(
        "As of 25 June 2025, Lam Dong had 901,300 level-2 electronic identification accounts.",
        published="2025-06-28",
    )
    assert "901,300" in _answered(close, asked).answer


def test_a_year_earlier_asked_beside_the_period_is_answered_too() -> None:
    retriever = _one_article(
        "As of 15 May 2025, the province disbursed VND 1,087.4 billion, reaching 28.6% of the "
        "plan, higher than the national average (24.1%) and higher than the same period of "
        "2024 (19.7%).",
        "By 31 March 2025, the disbursement rate had reached only 14.9%.",
        published="2025-05-20",
    )
    result = _answered(
        retriever,
        "What share of its plan had Lam Dong disbursed as of 15 May 2025, and a year earlier?",
    )
    assert "28.6%" in result.answer and "19.7%" in result.answer
    # The country's average beside it is no answer, nor the end of March.
    assert "24.1%" not in result.answer and "14.9%" not in result.answer
    # Growth "over the same period" asks no second figure.
    plan = understand(
        "GRDP tăng bao nhiêu % so với cùng kỳ?", [], today=LATE_2026, gazetteer=Gazetteer.packaged()
    )
    assert plan.compared_period is None


def test_a_follow_up_asking_a_year_earlier_moves_the_conversation_s_period() -> None:
    history = [
        Turn("user", "9 tháng năm 2024 Hà Nam thu hút bao nhiêu dự án FDI mới?"),
        Turn("assistant", "9 tháng năm 2024 tỉnh thu hút 18 dự án FDI mới."),
    ]
    for question in ("Thế cùng kỳ năm trước thì được mấy dự án?", "А годом ранее?"):
        plan = understand(question, history, today=LATE_2026, gazetteer=Gazetteer.packaged())
        assert plan.follow_up and [p.key for p in plan.places] == ["ha-nam"]
        assert (plan.published_since, plan.published_until) == (date(2023, 1, 1), date(2023, 9, 30))


def test_a_city_named_after_its_province_is_a_part_of_it() -> None:
    retriever = _province_report(
        "thai-nguyen",
        "2025-06-05",
        "Thai Nguyen speeds up online public services",
        "In the first 5 months of 2025, the rate of full-process online records of the whole "
        "province reached 72.5%; Thai Nguyen city reached 81.3%, Pho Yen city reached 76%.",
        "Particularly Thai Nguyen city had 84.1% of records paid online, the highest in the "
        "province.",
    )
    city = _answered(
        retriever,
        "Thai Nguyen city specifically: what was its full-process online rate in Jan-May 2025?",
    )
    assert "81.3%" in city.answer and "72.5%" not in city.answer
    province = _answered(
        retriever, "What was Thai Nguyen's full-process online rate in the first 5 months of 2025?"
    )
    assert "72.5%" in province.answer
    assert "81.3%" not in province.answer and "84.1%" not in province.answer


def test_a_city_or_district_asked_is_answered_by_its_own_figure() -> None:
    retriever = _province_report(
        "ca-mau",
        "2025-04-12",
        "Ca Mau activates e-identification accounts",
        "As of March 31, 2025, the whole province has activated 742,318 level 2 electronic "
        "identification accounts, reaching 78.4% of eligible citizens.",
        "In particular, Ca Mau city reached 86.1%, leading 9 districts and cities; Ngoc Hien "
        "district reached the lowest with 64.7%.",
    )
    city = _answered(
        retriever, "Ca Mau city's level 2 account activation rate, not the whole province's?"
    )
    assert "86.1%" in city.answer and "78.4%" not in city.answer and "64.7%" not in city.answer
    district = _answered(
        retriever, "What activation rate did Ngoc Hien district reach by March 2025?"
    )
    assert "64.7%" in district.answer and "86.1%" not in district.answer
    assert "78.4%" not in district.answer
    retriever = _province_report(
        "hau-giang",
        "2025-05-28",
        "Hau Giang after five months",
        "The province has 476,820 level 2 electronic identification accounts activated, "
        "80.3% of eligible citizens.",
        "Of which, Vi Thanh city reached 88.6%, Nga Bay city 84.1%.",
    )
    city = _answered(retriever, "What share of accounts was activated in Vi Thanh city?")
    assert "88.6%" in city.answer
    assert "80.3%" not in city.answer and "84.1%" not in city.answer


def test_a_province_asked_is_answered_by_its_own_figure_before_a_city_s() -> None:
    # The city shares the question's words ("international visitors") and names the
    # province's; its figure is a part's, the province's own sentence answers.
    retriever = _province_report(
        "binh-thuan",
        "2025-01-06",
        "Binh Thuan tourism in 2024",
        "Separately, Phan Thiet city, home to the Mui Ne resort area, received 5.02 million "
        "visitors in 2024, including 548,000 international visitors, nearly 80% of the "
        "international visitors to Binh Thuan province.",
        "In 2024 the province welcomed 8.31 million visitors; international visitors "
        "numbered 692,000.",
    )
    province = _answered(retriever, "How many international visitors did Binh Thuan get in 2024?")
    lead = province.answer.split("[1]")[0]
    assert "692,000" in lead and "548,000" not in lead


def test_a_sentence_going_on_from_one_read_is_read_too() -> None:
    # Many sentences share the question's words; the one going on from the lead names
    # only its quarter ("this rate"), so words alone would never read it.
    filler = [
        f"Full-process online records of Ha Tinh were reviewed in district number {n} in 2025."
        for n in range(1, 31)
    ]
    retriever = _province_report(
        "ha-tinh",
        "2025-10-08",
        "Ha Tinh in nine months",
        *filler[:15],
        "In 9 months of 2025, Ha Tinh's rate of full-process online records reached 78.6%. "
        "Separately in the third quarter of 2025, this rate reached 83.1%.",
        *filler[15:],
    )
    result = _answered(
        retriever, "What was Ha Tinh's rate of full-process online records in Q3 2025?"
    )
    # The lead is the quarter's own figure; the nine months' beside it is another answer.
    assert "83.1%" in result.answer and "78.6%" not in result.answer


def test_a_period_asked_on_its_own_is_not_answered_by_a_longer_one() -> None:
    retriever = _province_report(
        "hai-phong",
        "2025-10-06",
        "Hai Phong's economy in 9 months",
        "State budget revenue in the city in 9 months is estimated at VND 98,614 billion, "
        "reaching 81.6% of the estimate.",
    )
    # A quarter is asked on its own even when not said so: the nine months holding it
    # are not its figure.
    for question in (
        "Hai Phong's state budget revenue in Q3 2025?",
        "Hai Phong's state budget revenue in Q3 2025 alone?",
        "Riêng quý III/2025 Hải Phòng thu ngân sách nhà nước được bao nhiêu?",
        "Какие доходы бюджета получил Хайфон отдельно за III квартал 2025 года?",
    ):
        assert answer(question, retriever, today=LATE_2026).refused, question


def test_a_sentence_going_on_from_the_one_before_carries_the_question_too() -> None:
    retriever = _province_report(
        "hai-duong",
        "2025-06-27",
        "Hai Duong's economy in the first half of 2025",
        "According to the provincial statistics office, Hai Duong's GRDP growth in the first 6 "
        "months of 2025 is estimated at 10.2%, higher than the same period of 2024 (9.53%). "
        "Of which, the first quarter grew 9.4% and the second quarter an estimated 10.9%.",
    )
    result = _answered(retriever, "Hai Duong's GRDP growth in the second quarter of 2025 alone?")
    assert "10.9%" in result.answer and "9.53%" not in result.answer


def test_a_target_beside_a_lead_giving_every_part_asked_is_another_answer() -> None:
    retriever = _one_article(
        "In the first 6 months of 2025, Lam Dong welcomed 5.84 million tourists; tourism "
        "revenue reached VND 6,215 billion.",
        "In 2025, the province set a target of welcoming 9.2 million tourists, with tourism "
        "revenue of VND 12,000 billion.",
        published="2025-07-02",
    )
    result = _answered(
        retriever,
        "How many tourists did Lam Dong welcome and how much tourism revenue did it earn in "
        "the first half of 2025?",
    )
    assert "5.84 million" in result.answer and "6,215" in result.answer
    assert "9.2 million" not in result.answer


def test_a_deadline_pushed_back_is_answered_by_the_sentence_moving_it() -> None:
    retriever = _province_report(
        "dong-thap",
        "2025-12-16",
        "Dong Thap reviews digital transformation in 2025",
        "Under Plan No. 37-KH/TU, the digitisation of 100% of valid administrative records in "
        "102 communes and wards must be completed before September 30, 2025.",
        "However, due to the large volume after the arrangement, it has only reached 81.4%; "
        "the Steering Committee agreed to adjust the completion deadline to March 31, 2026.",
    )
    history = [
        Turn("user", "What did Dong Thap plan for digitising records in its communes?"),
        Turn(
            "assistant",
            "Under Plan No. 37-KH/TU, 100% of valid records in 102 communes and wards were to "
            "be digitised before September 30, 2025.",
        ),
    ]
    result = answer(
        "did they push that deadline back? to when?", retriever, history=history, today=LATE_2026
    )
    assert not result.refused
    assert result.citations[0].quote.endswith("March 31, 2026.")


def test_the_stage_of_work_asked_picks_the_sentence() -> None:
    retriever = _province_report(
        "ho-chi-minh",
        "2025-12-10",
        "HCMC social housing in 11 months",
        "As of November 30, 2025, HCMC has completed 8,964 social housing units.",
        "Also in 11 months, the city started 17 new projects with 17,420 units.",
    )
    result = _answered(
        retriever,
        "How many social housing units did HCMC start construction on in 11 months of 2025?",
    )
    assert "17,420" in result.answer and "8,964" not in result.answer


def test_commitments_asked_of_one_official_are_that_official_s() -> None:
    retriever = _province_report(
        "dong-nai",
        "2026-02-05",
        "Dong Nai reviews Resolution 57 in 2025",
        "Concluding the conference, Provincial Party Secretary Trinh Quang Hoa requested to "
        "complete the 8 outstanding tasks before June 30, 2026.",
        "Chairman of the Provincial People's Committee Phan Minh Tri requested departments to "
        "disburse 100% of the capital plan before January 31, 2026.",
    )
    result = _answered(retriever, "What deadlines did Dong Nai's Party Secretary set?")
    assert "June 30, 2026" in result.answer and "January 31, 2026" not in result.answer


def test_a_comparison_side_of_a_period_is_not_a_total_to_date() -> None:
    retriever = MemoryRetriever(
        [
            _translation(
                "bd-report",
                "2024-10-02",
                "Binh Duong attracts FDI in 9 months",
                "Accumulated to date, the FDI attracted by Binh Duong totals 41.8 billion USD "
                "in 4,322 valid projects.",
                "In 9 months of 2024, Binh Duong attracted 1,418.6 million USD of FDI.",
                province="binh-duong",
            ),
            _translation(
                "dn-report",
                "2024-10-07",
                "Dong Nai attracts FDI in 9 months",
                "In 9 months of 2024, Dong Nai attracted 1,126.4 million USD of FDI.",
                province="dong-nai",
            ),
        ]
    )
    result = _answered(
        retriever,
        "Compare the FDI attracted by Binh Duong and by Dong Nai in the first nine months of 2024.",
    )
    assert "1,418.6" in result.answer and "1,126.4" in result.answer
    assert "41.8 billion" not in result.answer


def test_a_sentence_going_on_from_another_is_of_its_period() -> None:
    report = _translation(
        "bt-pii",
        "2025-04-04",
        "Chỉ số PII năm 2024 của Bến Tre",
        "Năm 2024, PII của Bến Tre đạt 38,41 điểm, xếp hạng 29/63 tỉnh, thành phố. Trong đó, "
        "trụ cột vốn con người và nghiên cứu xếp hạng 37.",
        province="ben-tre",
    )
    retriever = MemoryRetriever([{**report, "lang": "vi"}])
    asked = "PII năm {} của Bến Tre xếp hạng bao nhiêu?"
    assert "29/63" in _answered(retriever, asked.format(2024)).answer
    # Asked of 2025, neither sentence answers: the pillar's rank is of 2024 too.
    assert answer(asked.format(2025), retriever, today=LATE_2026).refused
