"""Vietnamese typed without diacritics is written with them again, as the passages found
for it write its words, before its meaning is weighed."""

from __future__ import annotations

import numpy as np

from facts.folding import fold_latin_diacritics
from qa.accents import is_vietnamese, restore_accents
from qa.answer import answer
from tests.qa.conftest import MemoryRetriever

PASSAGES = [
    "Lai Châu đặt mục tiêu đến cuối năm 2025 có 80% người trưởng thành có kỹ năng số cơ bản.",
    "Sở Khoa học và Công nghệ báo cáo tỷ lệ hồ sơ trực tuyến toàn trình đạt 69,0%.",
    "Chuyển đổi số là nhiệm vụ trọng tâm; kinh tế số chiếm 20% GRDP.",
]


def test_words_are_spelled_as_the_passages_spell_them() -> None:
    typed = "lai chau muc tieu bao nhieu phan tram nguoi truong thanh co ky nang so co ban"
    assert restore_accents(typed, PASSAGES) == (
        "lai châu mục tiêu bao nhiêu phần trăm người trưởng thành có kỹ năng số cơ bản"
    )


def test_the_neighbours_choose_between_spellings_of_one_folded_word() -> None:
    # "so" is "số" after "kỹ năng" and "sở" before "khoa học", whichever is commoner.
    assert restore_accents("so khoa hoc va ky nang so", PASSAGES) == "sở khoa học và kỹ năng số"


def test_what_the_passages_do_not_write_stays_as_typed() -> None:
    assert restore_accents("DTI Lai Chau xep hang", PASSAGES) == "DTI Lai Châu xep hang"
    assert restore_accents("Lâm Đồng cam ket", PASSAGES) == "Lâm Đồng cam ket"


def test_only_vietnamese_passages_teach_spellings() -> None:
    english = ["To date, Lai Châu has trained 124,300 people in basic digital skills."]
    assert not is_vietnamese(english[0])
    assert restore_accents("to cong nghe so", english) == "to cong nghe so"


def test_folded_the_text_is_unchanged() -> None:
    typed = "Ke hoach so may cua tinh Lai Chau, va bao nhieu phan tram?"
    restored = restore_accents(typed, PASSAGES)
    assert restored != typed
    assert fold_latin_diacritics(restored).lower() == typed.lower()


def test_a_question_typed_without_diacritics_is_weighed_as_vietnamese() -> None:
    retriever = MemoryRetriever()
    embedded: list[str] = []
    embed_queries = retriever.embedder.embed_queries

    def recording(texts: list[str]) -> np.ndarray:
        embedded.extend(texts)
        return embed_queries(texts)

    retriever.embedder.embed_queries = recording  # type: ignore[method-assign]
    answer("tinh lam dong cam ket hoan thanh giai phong mat bang truoc ngay nao", retriever)
    assert "tỉnh lâm đồng cam kết hoàn thành giải phóng mặt bằng trước ngày nào" in embedded
