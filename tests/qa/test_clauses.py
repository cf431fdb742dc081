"""A sentence joining two pledges is quoted by the clause that answers "by when"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

import numpy as np

from index.mentions import find_dates
from index.models import Chunk, IndexedArticle, SearchHit
from index.profiles import profile_named
from qa.answer_type import AnswerType, asks_several_counts, counted_words, value_starts
from qa.candidates import Candidate
from qa.clauses import (
    answering_clause,
    answering_document_clause,
    answering_person_clause,
    answering_value_clause,
    clause_of_the_period,
    clauses,
    formers_asked,
    without_asides_of_other_times,
)
from qa.decide import decide, speaks_for_the_country
from qa.extractive import clause_chooser
from qa.gazetteer import Gazetteer
from qa.lexicon import indexes_of_values, stages_named
from qa.models import PlaceMatch, QueryPlan
from qa.retrieve import Evidence
from qa.understand import understand

LEAD = "Provincial news. "


def _candidate(
    sentence: str, sibling: str | None = None, lang: str = "vi", before: str = LEAD
) -> Candidate:
    text = before + sentence
    article = IndexedArticle(id="a", url="https://example.vn/a", title="t", text=text, lang=lang)
    chunk = Chunk(article_id="a", ordinal=0, start=0, end=len(text), text=text)
    evidence = Evidence(
        hit=SearchHit(chunk=chunk, article=article, score=1.0), score=1.0, group="g"
    )
    start = len(before)
    return Candidate(evidence, start, start + len(sentence), sentence, 0, sibling=sibling)


def _timed(sentence: str, lang: str, *, published: date) -> Candidate:
    """A candidate whose dates are read, as scoring reads them, with its publication day."""
    candidate = _candidate(sentence, lang=lang)
    candidate.mentioned = find_dates(sentence, lang, reference=published)
    return candidate


def _asked_of(
    question: str, language: str, answer_type: AnswerType, period: tuple[date, date]
) -> QueryPlan:
    """A one-value question about a period."""
    return QueryPlan(
        question=question,
        language=language,
        search_text=question,
        answer_type=answer_type,
        published_since=period[0],
        published_until=period[1],
    )


def _by_when(question: str, language: str = "en") -> QueryPlan:
    return QueryPlan(
        question=question,
        language=language,
        search_text=question,
        intent="when",
        asks_deadline=True,
    )


def _understood(question: str, gazetteer: Gazetteer, today: date = date(2025, 11, 1)) -> QueryPlan:
    """The plan `qa.understand` makes of a question asked on `today`."""
    return understand(question, [], today=today, gazetteer=gazetteer)


def _quoted(candidate: Candidate) -> str:
    quote = candidate.article.text[candidate.start : candidate.end]
    assert quote == candidate.text
    return quote


def test_the_pledge_asked_about_is_quoted_with_its_own_deadline() -> None:
    sentence = (
        "The province aims for 70% of adults to have basic digital skills by December 31, "
        "2025, and for all fishing vessels 15 metres or longer to use electronic logbooks "
        "by June 30, 2026."
    )
    vessels = answering_clause(
        _by_when("By when must fishing boats use electronic logbooks?"), _candidate(sentence)
    )
    assert _quoted(vessels).startswith("for all fishing vessels")
    assert "June 30, 2026" in vessels.text and "December 31" not in vessels.text
    adults = answering_clause(
        _by_when("By when should 70% of adults have basic digital skills?"), _candidate(sentence)
    )
    assert "December 31, 2025" in _quoted(adults) and "June 30" not in adults.text


def test_vietnamese_and_ukrainian_pledges_joined_by_a_conjunction() -> None:
    vi = (
        "Phó Chủ tịch yêu cầu hoàn thành làm sạch dữ liệu hộ tịch trước 30/6/2024 và chi trả "
        "100% trợ cấp an sinh xã hội không dùng tiền mặt trước 31/12/2024."
    )
    plan = _by_when("Chi trả trợ cấp an sinh xã hội không dùng tiền mặt trước ngày nào?", "vi")
    assert _quoted(answering_clause(plan, _candidate(vi))).startswith("chi trả 100% trợ cấp")
    uk = (
        "Провінція прагне, щоб до 31 грудня 2025 року 70% дорослих мали базові цифрові "
        "навички, а до 30 червня 2026 року всі рибальські судна користувалися журналами."
    )
    plan = _by_when("До якої дати 70% дорослих мають мати базові цифрові навички?", "uk")
    quote = _quoted(answering_clause(plan, _candidate(uk)))
    assert "31 грудня 2025" in quote and "30 червня 2026" not in quote


def test_a_sentence_in_another_language_is_cut_where_its_version_is() -> None:
    sentence = (
        "Провинция стремится к 31 декабря 2025 года обучить 70% взрослых, "
        "а к 30 июня 2026 года перевести все суда на электронные журналы."
    )
    sibling = (
        "The province aims to train 70% of adults by December 31, 2025, "
        "and to move all vessels to electronic logbooks by June 30, 2026."
    )
    plan = _by_when("By when must all vessels move to electronic logbooks?")
    quote = _quoted(answering_clause(plan, _candidate(sentence, sibling)))
    assert "30 июня 2026" in quote and "31 декабря" not in quote


def test_one_deadline_or_no_clear_answer_keeps_the_sentence() -> None:
    plan = _by_when("By when must the data centre be finished?")
    one = _candidate("The data centre, the portal and the hub must be finished by 31 March 2026.")
    assert answering_clause(plan, one) is one
    # Neither clause shares more of the question's words: the whole sentence is quoted.
    two = _candidate("Work starts by 1 May 2025, and ends by 31 March 2026.")
    assert answering_clause(plan, two) is two


def test_numbers_written_with_a_comma_are_not_cut() -> None:
    plan = QueryPlan(question="?", language="vi", search_text="?", answer_type="count")
    sentence = "Công an đã làm sạch hơn 1,2 triệu dữ liệu trước 30/6/2024."
    assert clauses(plan, sentence) == [(0, len(sentence))]


def test_a_by_when_answer_quotes_the_answering_clause(gazetteer: Gazetteer) -> None:
    sentence = (
        "Officials must clean the civil status data by June 30, 2024, and pay all social "
        "benefits without cash by December 31, 2024."
    )
    candidate = _candidate(sentence)
    candidate.support = candidate.score = 0.6
    candidate.deadlines = [date(2024, 6, 30), date(2024, 12, 31)]
    plan = _by_when("By what date must social benefits be paid without cash?")
    decision = decide(plan, [candidate], min_support=0.34, gazetteer=gazetteer)
    assert [c.text for c in decision.selected] == [
        "pay all social benefits without cash by December 31, 2024"
    ]


# --- a value asked for, in a sentence of another language ----------------------------------

TWO_FIGURES_VI = (
    "Công an tỉnh đã làm sạch hơn 1,2 triệu dữ liệu dân cư, phối hợp với Sở Tư pháp số hóa "
    "615.000 bản ghi hộ tịch."
)


def _how_many(question: str, language: str = "en", **period: date) -> QueryPlan:
    return QueryPlan(
        question=question,
        language=language,
        search_text=question,
        answer_type="count",
        answer_parts=("count",),
        published_since=period.get("since"),
        published_until=period.get("until"),
    )


class _Chooser:
    """A `ClauseChooser` that picks a set clause and records what it was shown."""

    def __init__(self, pick: int | None) -> None:
        self.pick = pick
        self.shown: list[list[str]] = []

    def __call__(self, texts: Sequence[str]) -> int | None:
        self.shown.append(list(texts))
        return self.pick


def test_meaning_picks_the_figure_asked_for_across_languages() -> None:
    plan = _how_many("How many civil status records were digitised?")
    chooser = _Chooser(1)
    quote = _quoted(answering_value_clause(plan, _candidate(TWO_FIGURES_VI), chooser))
    assert quote == "phối hợp với Sở Tư pháp số hóa 615.000 bản ghi hộ tịch"
    assert chooser.shown == [["Công an tỉnh đã làm sạch hơn 1,2 triệu dữ liệu dân cư", quote + "."]]
    # No clause clearly closer: the whole sentence stays.
    undecided = _candidate(TWO_FIGURES_VI)
    assert answering_value_clause(plan, undecided, _Chooser(None)) is undecided


def test_a_breakdown_answers_by_the_words_only_its_part_has() -> None:
    # The part repeats the whole's words ("communes"); only the words a part alone has
    # say that the question asks for it. Meaning is not asked when words can be read.
    sentence = "The new province has 104 communes and wards, of which 64 are in the former area."
    chooser = _Chooser(1)
    candidate = _candidate(sentence, lang="en")
    total = _how_many("How many communes and wards does the new province have?")
    assert _quoted(answering_value_clause(total, candidate, chooser)) == (
        "The new province has 104 communes and wards"
    )
    part = _how_many("How many of the communes are in the former area?")
    assert _quoted(answering_value_clause(part, candidate, chooser)) == (
        "64 are in the former area"
    )
    assert chooser.shown == []


def test_a_breakdown_in_another_language_is_read_in_the_question_s_version() -> None:
    sentence = (
        "Năm 2025 có 3.420 người đăng ký các khóa đào tạo chuyên sâu, trong đó 2.150 người "
        "đã hoàn thành khóa học."
    )
    candidate = _candidate(sentence)
    candidate.sibling = (
        "In 2025, 3,420 people registered for in-depth training courses, of which 2,150 "
        "people have completed the course."
    )
    plan = _how_many("How many people actually completed the in-depth courses in 2025?")
    assert _quoted(answering_value_clause(plan, candidate, _Chooser(0))) == (
        "2.150 người đã hoàn thành khóa học"
    )
    # Without a version in the question's language, and meaning undecided, the stage of
    # work asked ("completed", "hoàn thành") still tells the clause.
    candidate.sibling = None
    quote = _quoted(answering_value_clause(plan, candidate, _Chooser(None)))
    assert "2.150" in quote and "3.420" not in quote
    # With no stage asked either, it stays whole.
    plan = _how_many("How many people took the in-depth courses in 2025?")
    assert answering_value_clause(plan, candidate, _Chooser(None)) is candidate


def test_the_clause_of_the_period_asked_is_quoted_in_the_question_s_language() -> None:
    sentence = (
        "In 2023, Thua Thien Hue ranked 6th out of 63 provinces in the DTI, down 4 places "
        "compared to 2nd place in 2022."
    )
    candidate = _candidate(sentence, lang="en")
    candidate.mentioned = find_dates(sentence, "en", reference=date(2024, 9, 18))
    plan = QueryPlan(
        question="What was Hue's DTI rank in 2022?",
        language="en",
        search_text="Hue DTI rank 2022",
        answer_type="rank",
        published_since=date(2022, 1, 1),
        published_until=date(2022, 12, 31),
    )
    assert _quoted(answering_value_clause(plan, candidate)) == (
        "down 4 places compared to 2nd place in 2022"
    )


def test_the_clause_of_the_period_asked_is_quoted_whatever_meaning_says() -> None:
    sentence = "Tỷ lệ hồ sơ nộp trực tuyến năm 2025 đạt 58,3%, cao hơn mức 49,5% của năm 2024."
    candidate = _candidate(sentence)
    candidate.mentioned = find_dates(sentence, "vi", reference=date(2025, 5, 6))
    plan = QueryPlan(
        question="What was the online submission rate in 2024?",
        language="en",
        search_text="online submission rate 2024",
        answer_type="percent",
        published_since=date(2024, 1, 1),
        published_until=date(2024, 12, 31),
    )
    chooser = _Chooser(0)
    assert _quoted(answering_value_clause(plan, candidate, chooser)) == (
        "cao hơn mức 49,5% của năm 2024"
    )
    assert chooser.shown == []
    # Asked of a period neither clause names, the sentence stays whole.
    plan = replace(plan, published_since=date(2023, 1, 1), published_until=date(2023, 12, 31))
    assert answering_value_clause(plan, candidate, chooser) is candidate


def test_a_how_many_answer_quotes_the_lead_clause_chosen_by_meaning(
    gazetteer: Gazetteer,
) -> None:
    lead = _candidate(TWO_FIGURES_VI)
    context = _candidate("Tỉnh có 896.350 tài khoản định danh, đạt 82% số người dân.")
    for rank, candidate in enumerate((lead, context)):
        candidate.support = candidate.score = 0.6 - rank / 10
        candidate.states_value = candidate.intent_match = True
    plan = _how_many("Project 06: how many civil status records were digitised?")
    decision = decide(
        plan, [lead, context], min_support=0.34, gazetteer=gazetteer, clause_by_meaning=_Chooser(1)
    )
    assert [c.text for c in decision.selected][0] == (
        "phối hợp với Sở Tư pháp số hóa 615.000 bản ghi hộ tịch"
    )
    assert "1,2 triệu" not in " ".join(c.text for c in decision.selected)


def test_two_figures_asked_are_quoted_together(gazetteer: Gazetteer) -> None:
    sentence = "Kế hoạch đề ra 73 nhiệm vụ, đến nay đã hoàn thành 19 nhiệm vụ."
    for question in (
        "nghe an plan: how many tasks in total and how many finished so far?",
        "how many tasks were set and in total how many are done?",
        "Сколько задач выполнено и сколько всего?",
    ):
        lead = _candidate(sentence)
        lead.support = lead.score = 0.6
        lead.states_value = lead.intent_match = True
        plan = replace(_how_many(question), several_counts=asks_several_counts(question))
        decision = decide(
            plan, [lead], min_support=0.34, gazetteer=gazetteer, clause_by_meaning=_Chooser(1)
        )
        assert [c.text for c in decision.selected] == [sentence], question


def test_a_count_of_another_thing_does_not_follow_the_answer(gazetteer: Gazetteer) -> None:
    question = "How many districts is the IOC in Quang Ninh linked with?"
    lead = _candidate(
        "The IOC already connects data from 13 districts, towns and cities.", lang="en"
    )
    other = _candidate(
        "Quang Ninh now has 54 commune-level units: 30 wards and 22 communes.", lang="en"
    )
    context = _candidate("The IOC was built in the first phase of the plan.", lang="en")
    for rank, candidate in enumerate((lead, other, context)):
        candidate.support = candidate.score = 0.6 - rank / 20
        candidate.states_value = candidate.intent_match = candidate is not context
    plan = replace(_how_many(question), counted=counted_words(question))
    decision = decide(plan, [lead, other, context], min_support=0.34, gazetteer=gazetteer)
    assert decision.selected == [lead, context]


class _Embedder:
    """Vectors set per text: the question along x, each clause at a set closeness."""

    name = "gemma-768"

    def __init__(self, closeness: dict[str, float]) -> None:
        self.closeness = closeness

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.array([[1.0, 0.0] for _ in texts], dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        rows = [[self.closeness[t], (1 - self.closeness[t] ** 2) ** 0.5] for t in texts]
        return np.array(rows, dtype=np.float32)


def test_the_chooser_needs_a_clause_closer_by_the_profiles_margin() -> None:
    plan = _how_many("How many records were digitised?")
    margin = profile_named("gemma").clause_margin  # type: ignore[union-attr]
    assert margin is not None
    clear = clause_chooser(_Embedder({"a": 0.30, "b": 0.30 + margin + 0.01}), plan)  # type: ignore[arg-type]
    assert clear is not None and clear(["a", "b"]) == 1
    close = clause_chooser(_Embedder({"a": 0.30, "b": 0.30 + margin / 2}), plan)  # type: ignore[arg-type]
    assert close is not None and close(["a", "b"]) is None


def test_a_duration_is_not_a_count_and_stays_with_its_figure() -> None:
    plan = _how_many("How many tourists came in the first quarter of 2025?")
    sentence = "Theo Sở Du lịch, 3 tháng đầu năm 2025, tỉnh đón 1.126.000 lượt khách."
    assert clauses(plan, sentence) == [(0, len(sentence))]


def test_a_clause_is_never_cut_inside_a_date() -> None:
    plan = _how_many("Hưng Yên đã cấp phép cho bao nhiêu dự án FDI mới?", "vi")
    sentence = (
        "From January 1 to May 31, 2025, the province licensed 42 new FDI projects, and "
        "31 projects increased their capital."
    )
    spans = clauses(plan, sentence, reference=date(2025, 6, 5))
    assert [sentence[a:b] for a, b in spans] == [
        "From January 1 to May 31, 2025, the province licensed 42 new FDI projects",
        "31 projects increased their capital.",
    ]


def test_a_breakdown_across_languages_is_chosen_by_meaning_only_when_it_is_clear() -> None:
    sentence = (
        "Hiện tỉnh đang giải quyết 1.450 thủ tục hành chính, trong đó 1.092 thủ tục đã được "
        "cung cấp trực tuyến."
    )
    plan = _how_many("How many administrative procedures does the province handle?")
    undecided = _candidate(sentence)
    assert answering_value_clause(plan, undecided, _Chooser(None)) is undecided
    chooser = _Chooser(0)
    quote = _quoted(answering_value_clause(plan, _candidate(sentence), chooser))
    assert quote == "Hiện tỉnh đang giải quyết 1.450 thủ tục hành chính"
    assert chooser.shown == [[quote, "1.092 thủ tục đã được cung cấp trực tuyến."]]


def test_the_clause_naming_the_document_asked_about_answers() -> None:
    sentence = (
        "Провинциальный комитет издал План № 215-KH/TU от 10 февраля 2025 года, включающий "
        "73 задачи; на сегодняшний день выполнено 19 задач."
    )
    candidate = _candidate(sentence, lang="ru")
    chooser = _Chooser(1)
    plan = replace(
        _how_many("How many tasks does Plan 215-KH/TU set out?"), doc_numbers=("215-KH/TU",)
    )
    quote = _quoted(answering_value_clause(plan, candidate, chooser))
    assert quote.endswith("включающий 73 задачи") and "19" not in quote
    assert chooser.shown == []


def test_a_word_the_whole_article_uses_does_not_ask_for_the_part() -> None:
    sentence = (
        "In 2025 the provincial budget allocated 356 billion dong to these tasks, of which "
        "128 billion dong for digital infrastructure."
    )
    before = (
        "The province pushes digital transformation. Digital skills and digital government "
        "come first. "
    )
    candidate = _candidate(sentence, lang="en", before=before)
    plan = replace(
        _how_many(
            "How much did the province allocate to science and digital transformation in 2025?"
        ),
        answer_type="money",
    )
    assert _quoted(answering_value_clause(plan, candidate)) == (
        "In 2025 the provincial budget allocated 356 billion dong to these tasks"
    )
    # In an article about something else, "digital" is what sets the part apart.
    candidate = _candidate(sentence, lang="en")
    assert _quoted(answering_value_clause(plan, candidate)) == (
        "128 billion dong for digital infrastructure."
    ).rstrip(".")


def test_who_is_answered_by_the_sentence_naming_someone_not_by_another_person(
    gazetteer: Gazetteer,
) -> None:
    meeting = _candidate(
        "On September 8, 2025, the steering committee held its first meeting since the merger.",
        lang="en",
    )
    chair = _candidate(
        "Comrade Bui Duc Hinh, Secretary of the Provincial Party Committee, chaired the meeting.",
        lang="en",
    )
    deputy = _candidate(
        "Vice Chairman Bui Duc Minh was assigned to direct the Working Group.", lang="en"
    )
    ranked = [meeting, chair, deputy]
    for rank, candidate in enumerate(ranked):
        candidate.support = candidate.score = 0.8 - rank / 10
        candidate.intent_match = candidate is not meeting
    plan = QueryPlan(
        question="Who chaired the first meeting of the steering committee since the merger?",
        language="en",
        search_text="chaired first meeting steering committee merger",
        intent="who",
        answer_parts=("person",),
    )
    decision = decide(plan, ranked, min_support=0.34, gazetteer=gazetteer)
    quotes = [c.text for c in decision.selected]
    assert quotes[0] == chair.text
    assert meeting.text in quotes and deputy.text not in quotes


def test_a_figure_per_place_is_quoted_by_the_place_asked(gazetteer: Gazetteer) -> None:
    sentence = (
        "До объединения доля полностью онлайн-досье в Намдине за первые 6 месяцев 2025 года "
        "составляла 63,9%, в Ханаме — 70,4% и в Ниньбине (старом) — 66,2%."
    )
    plan = replace(
        _how_many("Какой была доля полностью онлайн-досье в Намдине в первом полугодии 2025?"),
        language="ru",
        answer_type="percent",
        places=(PlaceMatch(surface="Намдине", key="nam-dinh"),),
    )
    quote = _quoted(answering_value_clause(plan, _candidate(sentence, lang="ru"), None, gazetteer))
    assert quote.endswith("63,9%") and "70,4" not in quote
    # Asked of the province they merged into, the sentence is its parts: it stays whole.
    ninh_binh = PlaceMatch(surface="Ниньбинь", key="ninh-binh", covers=("ha-nam", "nam-dinh"))
    merged = replace(plan, places=(ninh_binh,))
    candidate = _candidate(sentence, lang="ru")
    assert answering_value_clause(merged, candidate, None, gazetteer) is candidate


def test_a_part_before_its_whole_is_quoted_without_the_whole() -> None:
    sentence = (
        "As of September 20, 2025, 538,900 people in the province have completed at least one "
        "course, out of 817,400 registered accounts."
    )
    candidate = _candidate(sentence, lang="en")
    completed = _how_many("How many residents have completed at least one course?")
    quote = _quoted(answering_value_clause(completed, candidate))
    assert "538,900" in quote and "817,400" not in quote
    registered = _how_many("How many accounts are registered on the platform?")
    assert _quoted(answering_value_clause(registered, candidate)) == "817,400 registered accounts"


def test_the_place_s_clause_is_quoted_beside_the_country_s() -> None:
    sentence = (
        "Kế hoạch đặt mục tiêu đến năm 2030, kinh tế số của tỉnh chiếm 20% GRDP, trong khi "
        "mục tiêu chung của cả nước là kinh tế số đạt 30% GDP."
    )
    plan = replace(
        _how_many("Mục tiêu tỷ trọng kinh tế số trong GRDP của Sơn La đến năm 2030?", "vi"),
        answer_type="percent",
        places=(PlaceMatch(surface="Sơn La", key="son-la"),),
    )
    quote = _quoted(answering_value_clause(plan, _candidate(sentence)))
    assert "20% GRDP" in quote and "30%" not in quote


def test_a_sentence_beside_the_answer_is_quoted_by_its_clause_of_the_period() -> None:
    sentence = (
        "Tỷ trọng kinh tế số ước đạt 25,3% GRDP trong 9 tháng năm 2025; năm 2024, tỷ lệ này "
        "là 22,7%."
    )
    candidate = _timed(sentence, "vi", published=date(2025, 10, 16))
    plan = _asked_of(
        "9 tháng đầu năm 2025 kinh tế số chiếm bao nhiêu % GRDP?",
        "vi",
        "percent",
        (date(2025, 1, 1), date(2025, 9, 30)),
    )
    quote = _quoted(clause_of_the_period(plan, candidate))
    assert "25,3%" in quote and "22,7%" not in quote


def test_of_two_clauses_in_the_period_the_one_wholly_in_it_answers() -> None:
    sentence = (
        "Згідно з планом, загальний бюджет на період 2025–2030 років становить 2 150 мільярдів "
        "донгів; лише у 2025 році провінційний бюджет виділяє 295 мільярдів донгів."
    )
    candidate = _timed(sentence, "uk", published=date(2025, 3, 12))
    plan = _asked_of(
        "Скільки виділено саме на 2025 рік?", "uk", "money", (date(2025, 1, 1), date(2025, 12, 31))
    )
    quote = _quoted(answering_value_clause(plan, candidate))
    assert "295" in quote and "2 150" not in quote


def test_the_clause_of_an_earlier_plan_is_not_the_answer() -> None:
    sentence = (
        "План ставить за мету, щоб до 2030 року цифрова економіка становила 25% ВРП провінції, "
        "що значно вище за ціль 15% ВРП до 2025 року в попередньому Плані № 212-KH/TU."
    )
    plan = replace(
        _how_many("Яку частку ВРП має становити цифрова економіка до 2030 року?", "uk"),
        answer_type="percent",
    )
    quote = _quoted(answering_value_clause(plan, _candidate(sentence, lang="uk")))
    assert "25%" in quote and "15%" not in quote


def test_clauses_side_by_side_are_told_apart_by_the_words_only_one_has() -> None:
    sentence = (
        "As of August 20, 2025, the province has 14 social housing projects under "
        "construction with 6,870 apartments; only 2 projects with 1,146 apartments have been "
        "completed and handed over."
    )
    candidate = _candidate(sentence, lang="en")
    plan = _how_many("How many apartments have been completed and handed over?")
    quote = _quoted(answering_value_clause(plan, candidate))
    assert "1,146" in quote and "6,870" not in quote
    # What a figure is made of stays with it ("including 103 communes and 20 wards").
    units = _candidate(
        "The province has 124 commune-level units, including 103 communes and 20 wards.",
        lang="en",
    )
    asked = _how_many("How many commune-level units and communes does the province have?")
    assert answering_value_clause(asked, units) is units


def test_a_unit_merged_away_is_quoted_by_its_own_clause(gazetteer: Gazetteer) -> None:
    sentence = (
        "В 2024 году Донгтхап (бывший) занял 11-е место по Индексу цифровой трансформации "
        "провинций (DTI), Тьензянг (бывший) занял 27-е место."
    )
    # Tien Giang went into Dong Thap: its successor is not one of its parts.
    tien_giang = PlaceMatch(surface="Тьензянг", key="tien-giang", covers=("dong-thap",))
    plan = QueryPlan(
        question="А какое место по DTI занимал бывший Тьензянг?",
        language="ru",
        search_text="какое место по DTI занимал бывший Тьензянг",
        answer_type="rank",
        places=(tien_giang,),
    )
    quote = _quoted(answering_value_clause(plan, _candidate(sentence, lang="ru"), None, gazetteer))
    assert quote.endswith("27-е место") and "11-е" not in quote


def _who(question: str, language: str = "en") -> QueryPlan:
    return QueryPlan(
        question=question,
        language=language,
        search_text=question,
        intent="who",
        answer_parts=("person",),
    )


def _naming_decided(
    plan: QueryPlan, ranked: list[Candidate], gazetteer: Gazetteer
) -> list[Candidate]:
    """The sentences `decide` quotes from `ranked`, best first, each naming someone."""
    for rank, candidate in enumerate(ranked):
        candidate.support = candidate.score = 0.8 - rank / 20
        candidate.intent_match = True
    return decide(plan, ranked, min_support=0.34, gazetteer=gazetteer).selected


def test_who_is_quoted_by_the_part_naming_the_role_asked(gazetteer: Gazetteer) -> None:
    sentence = (
        "Attending the launch were Comrade Le Tan Phat, Standing Deputy Secretary of the "
        "Provincial Party Committee, Head of the Steering Committee of the movement; Comrade "
        "Cao Thi My Hanh, Chairwoman of the Fatherland Front Committee, Deputy Head."
    )
    plan = _who("Who heads the steering committee of the movement?")
    quote = _quoted(_naming_decided(plan, [_candidate(sentence, lang="en")], gazetteer)[0])
    assert "Le Tan Phat" in quote and "Cao Thi My Hanh" not in quote


def test_a_role_word_shared_by_chance_does_not_cut_the_sentence() -> None:
    # "đại diện" (on behalf of) is the question's only word in the second part; syllables
    # alone ("đạo" of "chỉ đạo" and of "lãnh đạo") would have chosen it.
    sentence = (
        "Tại điểm cầu Lâm Đồng, đồng chí Đặng Quang Tú, Phó Chủ tịch UBND tỉnh chủ trì; cùng "
        "dự có bà Lê Thị Thu Hà, Giám đốc Sở Khoa học và Công nghệ, đại diện lãnh đạo Công an "
        "tỉnh."
    )
    plan = _who("Ai đại diện tỉnh Lâm Đồng dự phiên họp lần thứ hai của Ban Chỉ đạo?", "vi")
    candidate = _candidate(sentence)
    assert answering_person_clause(plan, candidate) is candidate


def test_one_person_answers_who(gazetteer: Gazetteer) -> None:
    signer = _candidate(
        "Vice Chairman Nguyen Tu Khanh signed Decision No. 1738/QD-UBND on the plan to raise "
        "the DTI.",
        lang="en",
    )
    director = _candidate(
        "Director of the Department of Science and Technology Tran Thi Ngoc Ha said the plan "
        "to raise the DTI was signed after the 2024 results.",
        lang="en",
    )
    plan = _who("Who signed the decision on the plan to raise the DTI?")
    for asked in (plan, replace(plan, asks_outcome=True)):
        # Also when the question asks what was decided, which the story tells over several
        # sentences: none of them names another person.
        selected = _naming_decided(asked, [signer, director], gazetteer)
        assert [c.text for c in selected] == [signer.text]


def test_values_belong_to_the_index_named_last_before_them() -> None:
    sentence = (
        "Cùng với PAR INDEX, Chỉ số hài lòng (SIPAS) năm 2024 của tỉnh đạt 80,52%, xếp thứ "
        "52/63; trong khi chỉ số PAPI đạt 43,91 điểm, xếp thứ 29/63."
    )
    assert indexes_of_values(sentence, value_starts(sentence, "rank")) == {"sipas", "papi"}
    plan = replace(_how_many("Thế còn chỉ số PAPI thì sao?", "vi"), answer_type="rank")
    quote = _quoted(answering_value_clause(plan, _candidate(sentence)))
    assert quote.endswith("xếp thứ 29/63") and "52/63" not in quote


def _published_on(sentence: str, lang: str, published: date) -> Candidate:
    candidate = _candidate(sentence, lang=lang)
    article = replace(candidate.article, published=datetime.combine(published, datetime.min.time()))
    evidence = replace(candidate.evidence, hit=replace(candidate.evidence.hit, article=article))
    return replace(candidate, evidence=evidence)


def test_an_aside_giving_the_past_beside_a_pledge_is_left_out() -> None:
    sentence = (
        "By 2030, the digital economy will account for 25% of GRDP (in 2024 estimated at 9.7%)."
    )
    plan = QueryPlan(
        question="What share of GRDP does the province want the digital economy to reach by 2030?",
        language="en",
        search_text="share of GRDP digital economy 2030",
        intent="commitments",
    )
    pieces = without_asides_of_other_times(plan, _published_on(sentence, "en", date(2025, 3, 20)))
    assert [_quoted(p) for p in pieces] == [
        "By 2030, the digital economy will account for 25% of GRDP"
    ]


def test_an_aside_of_another_year_splits_the_sentence_around_it() -> None:
    sentence = (
        "фінансування Проєкту 06 у 2024 році становить 26,8 млрд донгів (у 2023 році – 19,2 "
        "млрд донгів), наразі освоєно лише 9,4 млрд донгів."
    )
    plan = _asked_of(
        "Скільки коштів передбачено у 2024 році і скільки освоєно?",
        "uk",
        "money",
        (date(2024, 1, 1), date(2024, 12, 31)),
    )
    pieces = without_asides_of_other_times(plan, _published_on(sentence, "uk", date(2024, 10, 8)))
    quotes = [_quoted(p) for p in pieces]
    assert quotes[0].endswith("26,8 млрд донгів") and quotes[1].startswith("наразі")
    assert not any("19,2" in q for q in quotes)


def test_asides_of_the_period_asked_or_of_no_time_stay() -> None:
    plan = _asked_of(
        "What was the DTI score in 2024?", "en", "percent", (date(2024, 1, 1), date(2024, 12, 31))
    )
    for sentence in (
        "The score rose to 0.6412 points (52.3% in 2024 for the digital government pillar).",
        "The score rose to 0.6412 points (15/63), above the 2023 score.",
    ):
        candidate = _published_on(sentence, "en", date(2025, 5, 24))
        assert without_asides_of_other_times(plan, candidate) == [candidate], sentence


def test_a_comparison_s_bracketed_figures_and_the_country_s_are_left_out() -> None:
    plan = _asked_of(
        "What were Hau Giang's PCI score and rank in 2024?",
        "en",
        "rank",
        (date(2024, 1, 1), date(2024, 12, 31)),
    )
    sentence = (
        "Hau Giang's PCI in 2024 reached 66.35 points, ranked 30/63, up 14 places compared to "
        "2023 (63.72 points, ranked 44/63)."
    )
    pieces = without_asides_of_other_times(plan, _published_on(sentence, "en", date(2025, 5, 9)))
    assert [_quoted(p) for p in pieces] == [
        "Hau Giang's PCI in 2024 reached 66.35 points, ranked 30/63, up 14 places"
    ]
    vietnamese = (
        "Chỉ số DTI năm 2023 của tỉnh đạt 0,4318 điểm, xếp thứ 39/63, tăng 8 bậc so với năm "
        "2022 (xếp thứ 47/63)."
    )
    dti = replace(plan, question="DTI 2023 của Bạc Liêu?", language="vi")
    dti = replace(dti, published_since=date(2023, 1, 1), published_until=date(2023, 12, 31))
    pieces = without_asides_of_other_times(dti, _published_on(vietnamese, "vi", date(2024, 10, 8)))
    assert "47/63" not in " ".join(_quoted(p) for p in pieces)
    country = "The SIPAS reached 82.65%, ranked 41/63, lower than the national average (83.84%)."
    pieces = without_asides_of_other_times(plan, _published_on(country, "en", date(2025, 5, 9)))
    assert [_quoted(p) for p in pieces] == [
        "The SIPAS reached 82.65%, ranked 41/63, lower than the national average"
    ]
    # Only the country's bracket: a bracket after another comparison is not the country's.
    both = "It rose to 28.6%, above the national average (24.1%) and 2024's level (19.7%)."
    pieces = without_asides_of_other_times(plan, _published_on(both, "en", date(2025, 5, 9)))
    quoted = " ".join(_quoted(p) for p in pieces)
    assert "24.1%" not in quoted and "19.7%" in quoted
    # Asked about the country, its figure stays.
    national = replace(plan, question="What was the national average SIPAS in 2024?")
    candidate = _published_on(country, "en", date(2025, 5, 9))
    assert without_asides_of_other_times(national, candidate) == [candidate]


def test_a_target_asked_is_quoted_by_the_clause_of_its_deadline() -> None:
    sentence = (
        "станом на 30 вересня 2024 року активовано 386 420 облікових записів, що становить "
        "68,5% населення, яке підлягає видачі, тоді як показник на кінець 2024 року "
        "становить 80%."
    )
    plan = QueryPlan(
        question="Який відсоток активації Ніньтхуан мав досягти до кінця 2024 року?",
        language="uk",
        search_text="відсоток активації Ніньтхуан",
        answer_type="percent",
        deadline_until=date(2024, 12, 31),
    )
    candidate = _timed(sentence, "uk", published=date(2024, 10, 17))
    quote = _quoted(answering_value_clause(plan, candidate))
    assert quote.endswith("становить 80%") and "68,5%" not in quote
    # Asked what was done, the target's deadline does not choose the clause.
    done = replace(plan, question="Який відсоток облікових записів Ніньтхуан активував?")
    assert "80%" not in _quoted(answering_value_clause(done, candidate))


def test_a_comparison_with_another_year_s_figure_is_left_out() -> None:
    sentence = (
        "Согласно Плану, к концу 2025 года Баккан стремится к тому, чтобы 60% досье "
        "обрабатывались полностью онлайн, по сравнению с 37,4%, достигнутыми в 2024 году; 90% "
        "взрослых имели учетные записи электронной идентификации."
    )
    plan = QueryPlan(
        question="Какую долю досье Баккан обязался обрабатывать онлайн к концу 2025 года?",
        language="ru",
        search_text="доля досье онлайн Баккан",
        intent="commitments",
        deadline_until=date(2025, 12, 31),
    )
    pieces = without_asides_of_other_times(plan, _published_on(sentence, "ru", date(2025, 2, 18)))
    quotes = [_quoted(p) for p in pieces]
    assert quotes[0].endswith("обрабатывались полностью онлайн")
    assert quotes[1].startswith("90% взрослых") and not any("37,4" in q for q in quotes)
    # A comparison that goes on to other figures is not cut.
    longer = "The rate reached 58.3%, up from 49.5% in 2024 and 12 points above the 46.3% average."
    candidate = _published_on(longer, "en", date(2025, 5, 2))
    assert without_asides_of_other_times(plan, candidate) == [candidate]


def test_which_document_is_quoted_by_that_document_s_part() -> None:
    sentence = (
        "UBND tỉnh đã ban hành Kế hoạch số 45/KH-UBND ngày 9/7/2025 về chuyển đổi số cấp xã và "
        "Quyết định số 1502/QĐ-UBND ngày 15/7/2025 công bố danh mục 1.042 thủ tục hành chính "
        "không phụ thuộc địa giới hành chính."
    )
    plan = QueryPlan(
        question="Tỉnh công bố danh mục bao nhiêu thủ tục hành chính không phụ thuộc địa giới "
        "hành chính, theo quyết định nào?",
        language="vi",
        search_text="danh mục thủ tục hành chính",
        answer_parts=("count", "document"),
    )
    quote = _quoted(answering_document_clause(plan, _candidate(sentence)))
    assert quote.startswith("Quyết định số 1502") and "45/KH-UBND" not in quote
    # A document in a clause of its own after a semicolon is another too.
    english = (
        "The Provincial Party Committee issued Plan No. 38-KH/TU dated February 14, 2025; the "
        "Provincial People's Committee issued Decision No. 386/QD-UBND on its action programme "
        "with 47 tasks."
    )
    action = replace(
        plan,
        question="Which decision did the People's Committee issue for its action programme?",
        language="en",
    )
    quote = _quoted(answering_document_clause(action, _candidate(english, lang="en")))
    assert "386/QD-UBND" in quote and "38-KH/TU" not in quote
    # A document the first one replaces is part of the first one's clause, and a date's
    # comma joins nothing.
    replacing = (
        "The Standing Board issued Plan No. 09-KH/TU dated August 12, 2025, replacing Plan No. "
        "151-KH/TU of the former province."
    )
    asked = replace(plan, question="Which plan replaced which?", language="en")
    candidate = _candidate(replacing, lang="en")
    assert answering_document_clause(asked, candidate) is candidate


def test_a_role_asked_leads_with_the_person_in_that_role(gazetteer: Gazetteer) -> None:
    chair = _candidate(
        "On August 15, Vice Chairwoman Nguyen Thi Hong Van chaired a conference on Project 06 "
        "after a month of two-level government.",
        lang="en",
    )
    police = _candidate(
        "Regarding Project 06, Director of the Provincial Police, Colonel Truong Minh Khoa "
        "said 1,152,800 accounts had been activated.",
        lang="en",
    )
    plan = _who("Which police official reported on Project 06 at the conference in August?")
    selected = _naming_decided(plan, [chair, police], gazetteer)
    assert selected[0].text == police.text
    assert chair.text not in [c.text for c in selected]


def test_the_untimed_figure_beside_a_target_of_another_year_answers() -> None:
    sentence = (
        "87.3% of people aged 15 and over have bank accounts; the target by the end of 2025 is 90%."
    )
    plan = _asked_of(
        "Яка частка жителів віком від 15 років мала банківські рахунки у 2024 році?",
        "uk",
        "percent",
        (date(2024, 1, 1), date(2024, 12, 31)),
    )
    candidate = _timed(sentence, "en", published=date(2024, 11, 20))
    quote = _quoted(answering_value_clause(plan, candidate))
    assert quote.startswith("87.3%") and "90%" not in quote


def test_a_figure_asked_as_of_a_day_is_quoted_by_the_clause_of_that_day(
    gazetteer: Gazetteer,
) -> None:

    sentence = (
        "По состоянию на 30 июня 2025 года было активировано 2 107 302 учетных записи VNeID "
        "уровня 2; к 15 сентября 2025 года было активировано 2 318 640 учетных записей "
        "VNeID уровня 2."
    )
    candidate = _timed(sentence, "ru", published=date(2025, 9, 18))
    plan = _understood(
        "Сколько учетных записей VNeID уровня 2 было активировано на 30 июня 2025 года?",
        gazetteer,
        date(2025, 10, 1),
    )
    quote = _quoted(answering_value_clause(plan, candidate, None, gazetteer))
    assert "2 107 302" in quote and "2 318 640" not in quote


def test_a_comparison_with_another_province_s_figure_is_left_out(gazetteer: Gazetteer) -> None:

    sentence = (
        "Tỷ lệ hồ sơ trực tuyến toàn trình trong quý III/2025 đạt 58,4%, cao hơn mức 46,2% của "
        "tỉnh Tuyên Quang cũ và 39,7% của tỉnh Hà Giang cũ trong năm 2024."
    )
    candidate = _published_on(sentence, "vi", date(2025, 10, 14))

    def quoted(question: str) -> str:
        plan = _understood(question, gazetteer)
        pieces = without_asides_of_other_times(plan, candidate, gazetteer)
        return " ".join(_quoted(p) for p in pieces)

    # The new Tuyen Quang, asked since the merger, is not the former province of its name.
    now = quoted("Tỷ lệ hồ sơ trực tuyến toàn trình của Tuyên Quang quý III/2025 là bao nhiêu?")
    assert "58,4%" in now and "46,2%" not in now and "39,7%" not in now
    # Asked about the former province, its figure stays.
    before = quoted("Tỷ lệ hồ sơ trực tuyến toàn trình của tỉnh Tuyên Quang cũ năm 2024?")
    assert "46,2%" in before


def test_a_figure_compared_with_is_not_a_clause_s_own(gazetteer: Gazetteer) -> None:

    sentence = (
        "96,4% получателей пенсий и социальных пособий получают выплаты через банковские "
        "счета, что выше уровня 91,8% бывшей провинции Ханам в 2024 году."
    )
    candidate = _published_on(sentence, "ru", date(2025, 9, 18))
    plan = _understood(
        "Какой процент получателей пенсий в провинции Ниньбинь получает выплаты через банк?",
        gazetteer,
    )
    lead = answering_value_clause(plan, candidate, None, gazetteer)
    quote = " ".join(_quoted(p) for p in without_asides_of_other_times(plan, lead, gazetteer))
    assert quote.startswith("96,4% получателей пенсий") and "91,8%" not in quote
    # A comparison opening its own clause is still a clause: the earlier plan's target.
    target = _published_on(
        "План ставить за мету, щоб до 2030 року цифрова економіка становила 25% ВРП провінції, "
        "що значно вище за ціль 15% ВРП до 2025 року в попередньому Плані № 212-KH/TU.",
        "uk",
        date(2025, 3, 20),
    )
    plan = _understood(
        "Яку частку ВРП має становити цифрова економіка провінції Куангбінь до 2030 року?",
        gazetteer,
    )
    quote = _quoted(answering_value_clause(plan, target, None, gazetteer))
    assert "25%" in quote and "15%" not in quote


def test_each_side_of_a_comparison_leads_with_a_figure_of_its_own_period(
    gazetteer: Gazetteer,
) -> None:
    from qa.decide import side_answers

    plan = _understood(
        "Which had the higher share of applications submitted online: Kon Tum in the first "
        "10 months of 2024 or Can Tho in the first 7 months of 2025?",
        gazetteer,
        date(2026, 1, 1),
    )
    as_of_november = _timed(
        "As of November 10, 2024, Kon Tum had activated 318,460 accounts, reaching 79.2% of "
        "citizens eligible.",
        "en",
        published=date(2024, 11, 12),
    )
    ten_months = _timed(
        "In 10 months of 2024, Kon Tum's share of records submitted online reached 41.7%.",
        "en",
        published=date(2024, 11, 12),
    )
    can_tho = _timed(
        "Can Tho's rate of online applications in the first 7 months of 2025 reached 58.4%.",
        "en",
        published=date(2025, 8, 5),
    )
    for support, candidate in ((0.8, as_of_november), (0.6, ten_months), (0.7, can_tho)):
        candidate.support, candidate.states_value = support, True
    leads = side_answers(plan, [as_of_november, can_tho, ten_months], 0.34, gazetteer)
    assert leads[0] is ten_months and can_tho in leads


def test_a_part_told_alone_after_riêng_answers_the_period_asked() -> None:
    plan = understand("Riêng quý II/2025 tỉnh tiếp nhận bao nhiêu hồ sơ trực tuyến?")
    lead = _candidate("Toàn tỉnh tiếp nhận 181.950 hồ sơ trực tuyến, riêng quý II là 96.420 hồ sơ.")
    assert "96.420" in answering_value_clause(plan, lead).text
    assert "181.950" not in answering_value_clause(plan, lead).text


def test_a_question_asking_the_total_is_answered_by_the_whole_not_the_part() -> None:
    plan = understand(
        "Tính đến cuối tháng 10/2024, Sở Tư pháp đã số hóa tổng cộng bao nhiêu dữ liệu hộ tịch?"
    )
    lead = _candidate(
        "Sở Tư pháp đã số hóa tổng cộng 2.186.400 dữ liệu hộ tịch từ năm 1945 đến nay; riêng "
        "10 tháng năm 2024 số hóa được 418.300 bản ghi."
    )
    assert "2.186.400" in answering_value_clause(plan, lead).text


def test_a_pair_of_nouns_joined_by_and_is_not_two_clauses(gazetteer: Gazetteer) -> None:
    # "1 236 cadres and civil servants …; 412 workers …": the "and" joins two nouns of one
    # count; the 412 is the next clause's, after the semicolon.
    sentence = (
        "За словами заступника голови, 1 236 кадрів і державних службовців колишнього рівня "
        "повітів було переведено на роботу до комун; 412 працівників провінційних установ "
        "переведено до провінційного центру."
    )
    plan = _understood(
        "Скільки службовців колишніх повітів перевели працювати до комун?", gazetteer
    )
    spans = clauses(plan, sentence)
    assert [sentence[a:b] for a, b in spans] == [
        sentence[: sentence.index(";")],
        sentence[sentence.index("412") :],
    ]


def test_the_clause_dated_to_the_day_asked_answers(gazetteer: Gazetteer) -> None:
    sentence = (
        "Năm 2025, thành phố bố trí 1.286 tỷ đồng cho khoa học, công nghệ và chuyển đổi số; "
        "tuy nhiên đến ngày 20/8/2025 mới giải ngân được 407 tỷ đồng, đạt 31,6% kế hoạch vốn."
    )
    plan = _understood(
        "Cần Thơ đến ngày 20/8/2025 giải ngân được bao nhiêu vốn?", gazetteer, date(2026, 12, 7)
    )
    candidate = _timed(sentence, "vi", published=date(2025, 8, 22))
    quote = _quoted(answering_value_clause(plan, candidate, None, gazetteer))
    assert "407 tỷ" in quote and "1.286" not in quote


def test_a_chinese_sentence_is_cut_at_its_own_commas(gazetteer: Gazetteer) -> None:
    # "…GRDP grew 10.2%, above the 9.53% of the same period of 2024, among the country's
    # leaders": the province's figure, not the country's, and not last year's.
    sentence = "据海阳省统计局消息，2025年上半年经济增长（GRDP）预计达10.2%，高于2024年同期（9.53%），位居全国领先行列。"
    plan = _understood("На сколько вырос ВРП Хайзыонга за первое полугодие 2025 года?", gazetteer)
    candidate = _timed(sentence, "zh", published=date(2025, 6, 27))
    assert not speaks_for_the_country(plan, replace(candidate, states_value=True))
    quote = _quoted(answering_value_clause(plan, candidate, None, gazetteer))
    assert "10.2%" in quote and "9.53%" not in quote


def test_the_clause_of_the_stage_of_work_asked_answers(gazetteer: Gazetteer) -> None:
    sentence = (
        "By March 15, 2025, the whole province has started construction of 1,943/2,176 houses "
        "(reaching 89.3%), completed 1,388 houses (reaching 63.8%) in the Program."
    )
    plan = _understood("How many homes had Bac Giang finished by mid-March 2025?", gazetteer)
    candidate = _timed(sentence, "en", published=date(2025, 3, 17))
    quote = _quoted(answering_value_clause(plan, candidate, None, gazetteer))
    assert "1,388" in quote and "1,943" not in quote
    accounts = (
        "As of May 31, 2025, the Provincial Police had collected 1,108,920 level 2 electronic "
        "identification records, activated 1,012,450 accounts."
    )
    # A stage to reach asks none: "houses needing support to be built".
    assert not stages_named("How many houses needed support to be built or repaired?")
    plan = _understood("Скільки акаунтів було активовано в Хатіні?", gazetteer)
    candidate = _timed(accounts, "en", published=date(2025, 6, 5))
    quote = _quoted(answering_value_clause(plan, candidate, None, gazetteer))
    assert "1,012,450" in quote and "1,108,920" not in quote


def test_money_disbursed_is_another_stage_than_money_allocated(gazetteer: Gazetteer) -> None:
    # Both clauses fall in the year the question names: the stage, not the period, tells.
    sentence = (
        "Regarding resources, in 2025 the city allocated 512.9 billion VND for science and "
        "technology; by the end of September, 287.3 billion VND had been disbursed, reaching 56%."
    )
    plan = _understood(
        "How much of Can Tho's 2025 science and technology budget had been disbursed?", gazetteer
    )
    candidate = _timed(sentence, "en", published=date(2025, 10, 14))
    quote = _quoted(answering_value_clause(plan, candidate, None, gazetteer))
    assert "287.3" in quote and "56%" in quote and "512.9" not in quote
    plan = _understood("Năm 2025 Cần Thơ bố trí bao nhiêu tiền cho khoa học công nghệ?", gazetteer)
    quote = _quoted(answering_value_clause(plan, candidate, None, gazetteer))
    assert "512.9" in quote and "287.3" not in quote


def test_a_moved_deadline_is_the_one_in_force(gazetteer: Gazetteer) -> None:
    sentence = (
        "According to Plan No. 45-KH/TU, this task must be completed before September 30, "
        "2025; now the Steering Committee agreed to adjust the completion deadline to "
        "November 30, 2025 and no further extension."
    )
    now = answering_clause(
        _by_when("By when do they now have to finish digitising the land database?"),
        _timed(sentence, "en", published=date(2025, 9, 24)),
    )
    assert "November 30, 2025" in _quoted(now) and "September 30" not in now.text
    first = answering_clause(
        _by_when("What was the original deadline for digitising the land database?"),
        _timed(sentence, "en", published=date(2025, 9, 24)),
    )
    assert "September 30, 2025" in _quoted(first) and "November 30" not in first.text
    # A pledge's deadline beside the one it replaced: the replaced one is an aside.
    pledge = (
        "Председатель взял на себя обязательство завершить центр обработки данных до 30 июня "
        "2026 года, что на 6 месяцев позже срока 31 декабря 2025 года, установленного в Плане "
        "№ 88/KH-UBND; ликвидировать все зоны отсутствия сигнала до 31 октября 2026 года."
    )
    plan = _understood("Что пообещал председатель и к каким срокам?", gazetteer)
    pieces = [
        _quoted(piece)
        for piece in without_asides_of_other_times(
            plan, _timed(pledge, "ru", published=date(2026, 1, 20))
        )
    ]
    assert any("30 июня 2026" in piece for piece in pieces)
    assert any("31 октября 2026" in piece for piece in pieces)
    assert not any("31 декабря 2025" in piece for piece in pieces)


def test_a_time_compared_with_dates_no_figure_of_its_clause(gazetteer: Gazetteer) -> None:
    sentence = (
        "In 2024, Saigon Hi-Tech Park attracted 14 projects with total registered capital of "
        "512.3 million USD, while the export value of enterprises in the park reached 24.6 "
        "billion USD, up 16% compared to 2023."
    )
    plan = _understood("What was the export value of SHTP's enterprises in 2024?", gazetteer)
    candidate = _timed(sentence, "en", published=date(2025, 2, 20))
    assert "24.6 billion" in _quoted(answering_value_clause(plan, candidate, None, gazetteer))


def test_a_clause_naming_the_country_may_hold_the_province_s_figure(gazetteer: Gazetteer) -> None:
    sentence = (
        "В 2024 году PII Чавиня составил 33,87 балла, что ниже среднего показателя по стране в "
        "36,05 балла; провинция заняла 41-е место из 63, поднявшись на 6 позиций по сравнению "
        "с 2023 годом (47-е место)."
    )
    plan = _understood("Какое место заняла провинция Чавинь в рейтинге PII 2024 года?", gazetteer)
    candidate = _timed(sentence, "ru", published=date(2025, 3, 27))
    assert "41-е место" in _quoted(answering_value_clause(plan, candidate, None, gazetteer))


def _counting(question: str, language: str = "en") -> QueryPlan:
    """A count question with what it counts read from its words."""
    return replace(_how_many(question, language), counted=counted_words(question))


def test_the_figure_of_the_thing_counted_answers_a_count() -> None:
    # A sentence counting several things answers "how many wards" with the figure of
    # wards, not of communes nor of units: the words after each figure say what it counts.
    sentence = (
        "Sau sắp xếp, tỉnh có 96 đơn vị hành chính cấp xã, gồm 78 xã và 18 phường, giảm "
        "201 đơn vị so với trước."
    )
    wards = _counting("Tỉnh hiện có bao nhiêu phường?", "vi")
    assert _quoted(answering_value_clause(wards, _candidate(sentence))) == "18 phường"
    # The units asked, what they are made of is part of the answer: the sentence stays.
    units = _counting("Tỉnh có bao nhiêu đơn vị hành chính cấp xã?", "vi")
    candidate = _candidate(sentence)
    assert answering_value_clause(units, candidate) is candidate


def test_of_figures_counting_one_thing_the_words_only_one_has_choose() -> None:
    sentence = "1,320 procedures are full-process online and 604 procedures are partial online."
    candidate = _candidate(sentence, lang="en")
    full = _counting("How many procedures are offered full-process online?")
    assert _quoted(answering_value_clause(full, candidate)) == (
        "1,320 procedures are full-process online"
    )
    partial = _counting("How many procedures are only partial online?")
    assert _quoted(answering_value_clause(partial, candidate)) == (
        "604 procedures are partial online"
    )
    # Nothing tells them apart: the sentence stays whole.
    both = _counting("How many procedures are online?")
    assert answering_value_clause(both, candidate) is candidate


def test_a_figure_of_something_else_attached_to_the_one_counted_is_left_out() -> None:
    sentence = "Toàn tỉnh có 2.015 tổ công nghệ số cộng đồng với 10.250 thành viên."
    teams = _counting("Tỉnh có bao nhiêu tổ công nghệ số cộng đồng?", "vi")
    assert _quoted(answering_value_clause(teams, _candidate(sentence))) == (
        "Toàn tỉnh có 2.015 tổ công nghệ số cộng đồng"
    )
    # The members asked, the sentence is quoted whole: its teams say whose members.
    members = _counting("Các tổ có bao nhiêu thành viên?", "vi")
    candidate = _candidate(sentence)
    assert answering_value_clause(members, candidate) is candidate
    # Across languages the words cannot be read: whole.
    english = _counting("How many community digital technology teams are there?")
    candidate = _candidate(sentence)
    assert answering_value_clause(english, candidate) is candidate


def test_a_document_s_date_is_not_the_deadline_asked() -> None:
    # The plan's number and date share the question's words; its date says when it was
    # issued. The clause whose date is worded as a deadline answers "by when".
    sentence = (
        "Провинциальный народный комитет издал План № 214/KH-UBND от 9 апреля 2025 года, "
        "сократив срок завершения до 30 сентября 2025 года."
    )
    candidate = _timed(sentence, "ru", published=date(2025, 5, 2))
    plan = _by_when("До какой даты по плану № 214/KH-UBND нужно завершить работы?", "ru")
    quote = _quoted(answering_clause(plan, candidate))
    assert "30 сентября 2025" in quote and "9 апреля" not in quote


def _stating(plan: QueryPlan, ranked: list[Candidate], gazetteer: Gazetteer) -> list[Candidate]:
    """The sentences `decide` quotes from `ranked` (best first), each stating a value."""
    for rank, candidate in enumerate(ranked):
        candidate.support = candidate.score = 0.8 - rank / 20
        candidate.states_value = candidate.place = True
        candidate.mentioned = find_dates(
            candidate.text, candidate.article.lang, reference=date(2025, 8, 25)
        )
    return decide(plan, ranked, min_support=0.34, gazetteer=gazetteer).selected


def _one_day_s_sentences(lang: str, published: date, *sentences: str) -> list[Candidate]:
    """Sentences of articles in `lang` published on one day."""
    return [_published_on(sentence, lang, published) for sentence in sentences]


def test_a_former_province_named_among_those_merged_owns_not_the_merged_total(
    gazetteer: Gazetteer,
) -> None:
    total, by_area = _one_day_s_sentences(
        "ru",
        date(2025, 8, 25),
        "После объединения трёх провинций Ламдонг, Дакнонг и Биньтхуан по состоянию на 20 "
        "августа 2025 года во всей провинции Ламдонг насчитывается 1 028 продуктов OCOP.",
        "По районам, бывшая провинция Ламдонг имеет 468 продуктов, бывшая провинция "
        "Биньтхуан - 346 продуктов и бывшая провинция Дакнонг - 214 продуктов.",
    )
    plan = _understood("Сколько продуктов OCOP приходится на бывшую провинцию Дакнонг?", gazetteer)
    quoted = " ".join(_quoted(c) for c in _stating(plan, [total, by_area], gazetteer))
    assert "214 продуктов" in quoted and "468" not in quoted and "1 028" not in quoted


def test_a_former_province_typed_without_diacritics_is_asked_as_its_former_self(
    gazetteer: Gazetteer,
) -> None:
    whole, area = _one_day_s_sentences(
        "vi",
        date(2025, 10, 2),
        "Toàn tỉnh hiện có 42.850 ha sầu riêng, trong đó diện tích cho thu hoạch 24.600 ha.",
        "Riêng khu vực Phú Yên (cũ) có 1.320 ha sầu riêng, chủ yếu trồng xen.",
    )
    plan = _understood("dien tich sau rieng cua khu vuc Phu Yen cu la bao nhieu ha", gazetteer)
    assert formers_asked(plan, gazetteer) == {"phu-yen"}
    quoted = " ".join(_quoted(c) for c in _stating(plan, [whole, area], gazetteer))
    assert "1.320 ha" in quoted and "24.600" not in quoted


def test_a_count_of_a_kind_is_quoted_by_the_clause_naming_that_kind(gazetteer: Gazetteer) -> None:
    by_kind = _published_on(
        "Trong đó, điện mặt trời có 41 dự án với công suất 2.991 MW; điện gió có 15 dự án với "
        "công suất 854 MW.",
        "vi",
        date(2024, 9, 10),
    )
    # Asked casually ("bao nhiu") by the unit first and then what it measures.
    plan = _understood("Ninh Thuận có bao nhiu MW điện gió đã vận hành thương mại rồi?", gazetteer)
    assert plan.answer_type == "count" and plan.counted == ("mw", "dien", "gio")
    quote = _quoted(answering_value_clause(plan, by_kind, None, gazetteer))
    assert quote.startswith("điện gió") and "854 MW" in quote and "2.991" not in quote


def test_a_former_district_or_the_whole_province_asks_no_former_province(
    gazetteer: Gazetteer,
) -> None:
    def formers(question: str) -> frozenset[str]:
        return formers_asked(_understood(question, gazetteer), gazetteer)

    assert formers("Скільки службовців колишніх повітів Хинг Єн перевели до комун?") == set()
    assert (
        formers("tinh Yen Bai cu gio thuoc Lao Cai thi toan tinh co bao nhieu xa phuong?") == set()
    )
    assert formers("Tỷ lệ hộ nghèo của Lào Cai và Yên Bái (cũ) cộng lại là bao nhiêu?") == set()
    assert formers("Tỉnh Yên Bái cũ có bao nhiêu xã, phường?") == {"yen-bai"}
    # "район" is as often a former province's area as a district.
    assert formers("Скільки землі передано в колишніх районах Хошиміна станом на 20 серпня?") == {
        "ho-chi-minh"
    }


def test_a_running_total_to_another_month_does_not_answer_the_first_months_asked(
    gazetteer: Gazetteer,
) -> None:
    eight_months = _published_on(
        "8 tháng năm 2024, sản lượng điện năng lượng tái tạo của tỉnh Ninh Thuận phát lên lưới "
        "đạt 5.120 triệu kWh, tăng 6,8% so với cùng kỳ.",
        "vi",
        date(2024, 9, 10),
    )
    half = _understood(
        "6 tháng đầu năm 2024, sản lượng điện năng lượng tái tạo Ninh Thuận phát lên lưới là "
        "bao nhiêu?",
        gazetteer,
    )
    assert not _stating(half, [eight_months], gazetteer)
    # Asked of those eight months, or of the whole year, it is still read.
    eight = _understood(
        "8 tháng năm 2024, sản lượng điện năng lượng tái tạo Ninh Thuận là bao nhiêu?", gazetteer
    )
    assert _stating(eight, [eight_months], gazetteer)


def test_a_count_asked_is_the_total_a_sentence_raises_not_what_was_added() -> None:
    sentence = (
        "Năm 2024, tỉnh Gia Lai công nhận thêm 38 sản phẩm đạt 3 sao và 4 sao, nâng tổng số "
        "sản phẩm OCOP toàn tỉnh lên 227 sản phẩm."
    )
    total = _quoted(
        answering_value_clause(
            _how_many("Сравните число продуктов OCOP в Зялае на конец 2024 года.", "ru"),
            _candidate(sentence),
        )
    )
    assert "227 sản phẩm" in total and "38" not in total
    added = _quoted(
        answering_value_clause(
            _how_many("How many OCOP products were newly recognised in Gia Lai in 2024?"),
            _candidate(sentence),
        )
    )
    assert "38" in added
    firms = "Hải Phòng có thêm 310 doanh nghiệp công nghệ số thành lập mới, nâng tổng số lên 2.140 doanh nghiệp."
    founded = _quoted(
        answering_value_clause(
            _how_many("How many new digital technology firms were set up in Hai Phong?"),
            _candidate(firms),
        )
    )
    assert "310" in founded  # not cut to the total


def test_a_sentence_is_not_cut_inside_brackets() -> None:
    sentence = (
        "Năm 2024, tỉnh Gia Lai công nhận thêm 38 sản phẩm OCOP (gồm 9 sản phẩm 4 sao và 29 "
        "sản phẩm 3 sao), vượt 26,7% so với kế hoạch."
    )
    plan = _how_many("Năm 2024 Gia Lai công nhận thêm bao nhiêu sản phẩm OCOP?", "vi")
    parts = [sentence[a:b] for a, b in clauses(plan, sentence)]
    assert any("(gồm 9 sản phẩm 4 sao và 29 sản phẩm 3 sao)" in part for part in parts)


def test_beside_clauses_of_its_former_units_the_new_unit_s_own_clause_answers(
    gazetteer: Gazetteer,
) -> None:
    sentence = (
        "Уся провінція сформувала 1047 громадських груп цифрових технологій із 6380 членами; до "
        "реорганізації дві провінції мали загалом 2055 груп (старий Анзянг 1113 груп, старий "
        "Кьєнзянг 942 групи)."
    )
    plan = _understood(
        "Сколько общественных групп цифровых технологий насчитывает новая провинция Анзянг после "
        "слияния?",
        gazetteer,
    )
    quote = _quoted(answering_value_clause(plan, _candidate(sentence, lang="uk"), None, gazetteer))
    assert "1047" in quote and "2055" not in quote
