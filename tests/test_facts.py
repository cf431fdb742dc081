"""The shared facts: the values the contracts and the sources rely on."""

from __future__ import annotations

import sys
import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from api.schemas import AskRequest
from facts.doc_numbers import doc_number_key, doc_numbers_in_question, find_doc_numbers
from facts.folding import fold_for_matching
from facts.limits import MAX_QUESTION_CHARS
from facts.provinces import MERGER_DATE
from facts.vietnam_time import VIETNAM_TZ
from qa.errors import QuestionError
from qa.gazetteer import Gazetteer
from qa.understand import understand


def test_vietnam_time_is_the_tz_database_zone_for_every_date_the_corpus_holds() -> None:
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    for year in range(1990, 2036):
        for month in (1, 4, 7, 10):
            moment = datetime(year, month, 15, 12, tzinfo=UTC)
            assert moment.astimezone(VIETNAM_TZ).utcoffset() == moment.astimezone(zone).utcoffset()


def test_http_and_qa_refuse_the_same_overlong_question() -> None:
    longest = "Lâm Đồng " + "x" * (MAX_QUESTION_CHARS - len("Lâm Đồng "))
    AskRequest(question=longest)
    understand(longest)
    with pytest.raises(ValidationError):
        AskRequest(question=longest + "x")
    with pytest.raises(QuestionError, match=f"at most {MAX_QUESTION_CHARS} characters"):
        understand(longest + "x")


def test_the_gazetteer_data_and_the_merger_date_agree() -> None:
    assert Gazetteer.packaged().merger_date == MERGER_DATE


def test_documents_and_questions_read_document_numbers_alike() -> None:
    text = "Theo Quyết định số 1460-QĐ/TU và Nghị quyết 57-NQ/TW"
    assert [n for n, _s, _e in find_doc_numbers(text)] == ["1460-QD/TU", "57-NQ/TW"]
    assert doc_numbers_in_question("quyết định số 1460 - QĐ/TU, 57-nq/tw?") == (
        "1460-QD/TU",
        "57-NQ/TW",
    )


def _fold_by_definition(text: str) -> str:
    """fold_for_matching as its docstring defines it: case-folded, NFKD, every mark dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_matching_fold_is_its_definition_for_every_character_and_mixed_text() -> None:
    characters = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    for char in characters:
        assert fold_for_matching(char) == _fold_by_definition(char), hex(ord(char))
    for text in (
        "Lâm Đồng đặt mục tiêu",
        "Зобов'язався ЗАВЕРШИТИ й ё",
        "Ｆｕｌｌ-width ﬁ ligature, MAÑANA, Straße",
        "Plain ASCII words",
        "",
    ):
        assert fold_for_matching(text) == _fold_by_definition(text)
    assert fold_for_matching("Lâm Đồng") == "lam dong"


def test_one_document_number_with_its_separators_swapped_is_one_document() -> None:
    assert doc_number_key("112/KH-TU") == doc_number_key("số 112-KH/TU")
    assert doc_number_key("12-KH/UBND") == doc_number_key("12/KH-UBND")
    assert doc_number_key("112-KH/TU") != doc_number_key("112-KH/UBND")
    assert doc_number_key("112-KH/TU") != doc_number_key("12-KH/TU")
