"""Abbreviations an article defines, read back where it uses them."""

from __future__ import annotations

from qa.abbreviations import abbreviations_defined, spelled_out, with_short_forms_spelled_out
from qa.lexicon import content_tokens
from qa.scoring import keyword_overlap

ARTICLE = (
    "Lam Dong aims to be among the 20 leading provinces in the Provincial Innovation Index "
    "(PII). In 2024 the province ranked 35th out of 63 in the PII. The IOC (Intelligent "
    "Operations Centre) links 12 districts. Tỉnh đứng thứ 35 về Chỉ số đổi mới sáng tạo cấp "
    "địa phương (PCI)."
)


def test_a_sentence_using_the_short_form_shares_the_long_forms_words() -> None:
    defined = abbreviations_defined(ARTICLE)
    sentence = "In 2024 the province ranked 35th out of 63 in the PII."
    question = content_tokens("Where did Lam Dong rank on the Provincial Innovation Index?")
    assert keyword_overlap(question, sentence) == 0
    assert keyword_overlap(question, sentence) < keyword_overlap(
        question, spelled_out(sentence, defined)
    )
    assert dict(defined) == {
        "PII": "Provincial Innovation Index",
        "IOC": "Intelligent Operations Centre",
        # Initials that do not spell it: the last words before the parenthesis.
        "PCI": "số đổi mới sáng tạo cấp địa phương",
    }


def test_a_sentence_without_a_defined_abbreviation_is_left_as_it_is() -> None:
    defined = abbreviations_defined(ARTICLE)
    assert spelled_out("The PIIX report came out.", defined) == "The PIIX report came out."
    assert abbreviations_defined("Plan No. 151-KH/TU (2025) sets 58 tasks.") == ()


def test_the_short_forms_officials_write_are_read_as_the_papers_spell_them() -> None:
    assert (
        with_short_forms_spelled_out("Hà Nam kích hoạt bao nhiêu TK ĐDĐT mức 2?")
        == "Hà Nam kích hoạt bao nhiêu tài khoản định danh điện tử mức 2?"
    )
    # Only whole short forms, and not those the papers write themselves ("UBND").
    assert with_short_forms_spelled_out("UBND tỉnh, TKX-2") == "UBND tỉnh, TKX-2"
