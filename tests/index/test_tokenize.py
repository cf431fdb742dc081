"""Keyword tokens: the same function for documents and queries, across scripts."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facts.folding import fold_latin_diacritics as fold_diacritics
from index.tokenize import keyword_tokens


def test_vietnamese_names_meet_with_and_without_diacritics() -> None:
    accented = set(keyword_tokens("Tỉnh Lâm Đồng ban hành kế hoạch"))
    plain = set(keyword_tokens("lam dong"))
    underscored = set(keyword_tokens("lam_dong"))
    assert "lam_dong" in accented
    assert "lam_dong" in plain
    assert "lam_dong" in underscored
    assert {"lam", "dong"} <= accented & plain
    assert {"lâm", "đồng", "lâm_đồng"} <= accented


def test_vietnamese_syllables_and_bigrams() -> None:
    tokens = keyword_tokens("chuyển đổi số")
    assert tokens[:2] == ["chuyển", "chuyen"]
    assert {"đổi", "doi", "chuyển_đổi", "chuyen_doi", "đổi_số", "doi_so", "số", "so"} <= set(tokens)


def test_bigrams_stop_at_punctuation_and_lines() -> None:
    tokens = keyword_tokens("Hà Giang, Lâm Đồng\nHưng Yên")
    assert "giang_lam" not in tokens
    assert "dong_hung" not in tokens
    assert {"ha_giang", "lam_dong", "hung_yen"} <= set(tokens)


def test_hyphenated_place_names_make_bigrams() -> None:
    assert "ria_vung" in keyword_tokens("Bà Rịa-Vũng Tàu")


def test_document_numbers_are_kept_whole_and_normalised() -> None:
    doc = keyword_tokens("Quyết định số 1460-QĐ/TU của Tỉnh ủy")
    query = keyword_tokens("decision 1460-qd/tu")
    assert "1460-qd/tu" in doc
    assert "1460-qd/tu" in query
    assert {"1460", "qđ", "qd", "tu"} <= set(doc)
    assert "57-nq/tw" in keyword_tokens("Resolution No. 57-NQ/TW")
    assert "02-tb/bcd" in keyword_tokens("Уведомление № 02-TB/BCĐ")


def test_english_is_stemmed_and_stopwords_dropped() -> None:
    tokens = keyword_tokens("The resolutions of the Province")
    assert "the" not in tokens
    assert "of" not in tokens
    assert "resolut" in tokens
    assert set(keyword_tokens("resolution")) <= set(tokens)
    assert "provinc" in tokens


def test_vietnamese_syllables_without_diacritics_are_not_stopwords() -> None:
    # "an ninh" (security), "tổ chức" (organise), "đề án" (project) typed without marks.
    assert {"an", "ninh", "an_ninh"} <= set(keyword_tokens("an ninh"))
    assert {"to", "chuc", "to_chuc"} <= set(keyword_tokens("to chuc"))
    assert {"de", "an", "de_an"} <= set(keyword_tokens("de an 06"))
    assert "to_chuc" in keyword_tokens("tổ chức")


def test_vietnamese_stopwords_dropped() -> None:
    tokens = keyword_tokens("Kế hoạch của tỉnh và các sở")
    assert "của" not in tokens
    assert "và" not in tokens
    assert "và_các" not in tokens
    assert "các" not in tokens


def test_a_bigram_survives_one_stopword() -> None:
    # "thế giới" typed without diacritics collides with the English "the".
    assert "the_gioi" in keyword_tokens("the gioi")
    assert "the_gioi" in keyword_tokens("thế giới")
    english = keyword_tokens("committee of the province")
    assert "of" not in english
    assert "of_the" not in english
    assert {"committee_of", "the_province"} <= set(english)


def test_russian_inflections_meet() -> None:
    assert set(keyword_tokens("провинции")) == set(keyword_tokens("провинция"))
    assert set(keyword_tokens("постановления")) == set(keyword_tokens("постановление"))
    assert "в" not in keyword_tokens("в провинции")


def test_ukrainian_shares_the_russian_stem() -> None:
    ukrainian = set(keyword_tokens("провінції"))
    russian = set(keyword_tokens("провинции"))
    assert ukrainian == russian
    assert set(keyword_tokens("резолюції")) == set(keyword_tokens("резолюція"))
    assert keyword_tokens("прем'єр") == keyword_tokens("прем’єр")


def test_cyrillic_transliterations_meet() -> None:
    joined = set(keyword_tokens("провинция Ламдонг"))
    split = set(keyword_tokens("провинция Лам Донг"))
    assert joined & split >= {"провинц", "ламдонг"}
    assert set(keyword_tokens("Ламдонга")) & split


def test_cjk_character_bigrams() -> None:
    assert keyword_tokens("数字化转型") == ["数字", "字化", "化转", "转型"]
    assert keyword_tokens("省") == ["省"]
    tokens = keyword_tokens("2025年5月")
    assert "2025" in tokens
    assert "年" in tokens


def test_other_scripts_are_kept_as_words() -> None:
    assert keyword_tokens("Ελλάδα ไทย") == ["ελλάδα", "ไทย"]


def test_lower_cased_and_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "LÂM ĐỒNG")
    assert keyword_tokens(decomposed) == keyword_tokens("lâm đồng")


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Lâm Đồng", "Lam Dong"),
        ("đường", "duong"),
        ("Hưng Yên", "Hung Yen"),
        ("résumé", "resume"),
        ("Хынгйен ё", "Хынгйен ё"),
        ("数字", "数字"),
        ("", ""),
    ],
)
def test_fold_diacritics(text: str, folded: str) -> None:
    assert fold_diacritics(text) == folded


def test_empty_text() -> None:
    assert keyword_tokens("") == []
    assert keyword_tokens(" ,.;") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_tokens_are_lower_case_non_empty_and_deterministic(text: str) -> None:
    tokens = keyword_tokens(text)
    assert tokens == keyword_tokens(text)
    for token in tokens:
        assert token
        assert token == token.lower()
        assert not any(char.isspace() for char in token)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["Lâm", "Đồng", "Hà", "Giang", "tỉnh", "số"]), min_size=1, max_size=6)
)
def test_folded_query_finds_every_folded_document_token(words: list[str]) -> None:
    document = set(keyword_tokens(" ".join(words)))
    query = keyword_tokens(fold_diacritics(" ".join(words)))
    assert set(query) <= document


def test_english_and_french_apostrophes_separate_words() -> None:
    tokens = keyword_tokens("the Party's plan")
    assert {"parti", "plan"} <= set(tokens)
    assert "s" not in tokens
    assert "economi" in keyword_tokens("l'économie")
    assert "l" not in keyword_tokens("l'économie")


def test_numbers_split_at_separators_so_notations_meet() -> None:
    assert {"1", "200"} <= set(keyword_tokens("1.200 tỷ đồng"))
    assert {"1", "200"} <= set(keyword_tokens("1,200 billion"))
