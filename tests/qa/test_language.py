"""Language of short questions."""

from __future__ import annotations

import pytest

from qa.language import SUPPORTED_LANGUAGES, detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("What did Lam Dong commit to by May 2025?", "en"),
        ("Who attended?", "en"),
        ("Lâm Đồng cam kết gì?", "vi"),
        ("Ai chủ trì hội nghị?", "vi"),
        ("Что обещал Хазянг?", "ru"),
        ("Кто представлял провинцию на заседании?", "ru"),
        ("Когда?", "ru"),
        ("Що пообіцяла провінція Лам Донг?", "uk"),
        ("Хто представляв провінцію?", "uk"),
        ("林同省承诺了什么？", "zh"),
        ("Qu'a promis la province de Lam Dong ?", "fr"),
        ("Qui a représenté la province?", "fr"),
        ("Was hat Lam Dong versprochen?", "de"),
        ("¿Qué prometió Lam Dong?", "es"),
        ("람동성은 무엇을 약속했나요?", "ko"),
        ("ラムドン省は何を約束しましたか", "ja"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_always_a_supported_code() -> None:
    for text in ("", "   ", "2025", "?!", "Hung Yen", "ok", "Bonjour"):
        assert detect_language(text) in SUPPORTED_LANGUAGES


def test_bare_names_and_empty_text_fall_back_to_english() -> None:
    assert detect_language("") == "en"
    assert detect_language("2025") == "en"
    assert detect_language("Hung Yen") == "en"
