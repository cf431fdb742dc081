"""The gazetteer: names in every script, the 1 July 2025 merger table, matching rules."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.models import place_key
from facts.folding import fold_place_name as fold
from qa.gazetteer import Gazetteer, names_a_part, part_names, transliterate
from qa.lexicon import within_one_edit

BEFORE = date(2025, 6, 30)
AFTER = date(2025, 7, 1)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.packaged()


def test_each_gazetteer_keeps_its_own_places_named() -> None:
    # No process-wide instance: two gazetteers are two objects, and the places a text
    # names are remembered by the gazetteer that read them, answering the same.
    first, second = Gazetteer.packaged(), Gazetteer.packaged()
    assert first is not second
    text = "Tỉnh Lâm Đồng và Hưng Yên ký kết hợp tác"
    assert first.places_named(text) == {"lam-dong", "hung-yen"}
    assert first._keys_named.cache_info().currsize == 1
    assert second._keys_named.cache_info().currsize == 0
    assert second.places_named(text) == first.places_named(text)


def test_63_units_before_and_34_after(gaz: Gazetteer) -> None:
    before = gaz.unit_keys(before_merger=True)
    after = gaz.unit_keys(after_merger=True)
    assert len(before) == 63
    assert len(after) == 34
    cities = [key for key in after if gaz.unit(key).kind == "city"]  # type: ignore[union-attr]
    assert sorted(cities) == ["can-tho", "da-nang", "ha-noi", "hai-phong", "ho-chi-minh", "hue"]


def test_keys_are_place_keys_of_the_vietnamese_names(gaz: Gazetteer) -> None:
    for key in gaz.unit_keys():
        unit = gaz.unit(key)
        assert unit is not None
        if key != "ho-chi-minh":
            assert place_key(unit.vi) == key


def test_merger_table_matches_resolution_202(gaz: Gazetteer) -> None:
    expected = {
        "tuyen-quang": {"ha-giang"},
        "lao-cai": {"yen-bai"},
        "thai-nguyen": {"bac-kan"},
        "phu-tho": {"vinh-phuc", "hoa-binh"},
        "bac-ninh": {"bac-giang"},
        "hung-yen": {"thai-binh"},
        "hai-phong": {"hai-duong"},
        "ninh-binh": {"ha-nam", "nam-dinh"},
        "quang-tri": {"quang-binh"},
        "da-nang": {"quang-nam"},
        "quang-ngai": {"kon-tum"},
        "gia-lai": {"binh-dinh"},
        "khanh-hoa": {"ninh-thuan"},
        "lam-dong": {"dak-nong", "binh-thuan"},
        "dak-lak": {"phu-yen"},
        "ho-chi-minh": {"binh-duong", "ba-ria-vung-tau"},
        "dong-nai": {"binh-phuoc"},
        "tay-ninh": {"long-an"},
        "can-tho": {"soc-trang", "hau-giang"},
        "vinh-long": {"ben-tre", "tra-vinh"},
        "dong-thap": {"tien-giang"},
        "ca-mau": {"bac-lieu"},
        "an-giang": {"kien-giang"},
    }
    for new, olds in expected.items():
        assert set(gaz.predecessors(new)) == olds, new
    unchanged = [
        "ha-noi",
        "lai-chau",
        "dien-bien",
        "son-la",
        "lang-son",
        "quang-ninh",
        "thanh-hoa",
        "nghe-an",
        "ha-tinh",
        "cao-bang",
    ]
    for key in unchanged:
        assert gaz.predecessors(key) == () and gaz.successor(key) is None
        assert gaz.is_current(key)
    assert not gaz.is_current("ha-giang")
    assert gaz.successor("ha-giang") == "tuyen-quang"


@pytest.mark.parametrize(
    ("text", "key", "surface"),
    [
        ("What did Lam Dong commit to?", "lam-dong", "Lam Dong"),
        ("Lâm Đồng cam kết gì?", "lam-dong", "Lâm Đồng"),
        ("lâm đồng", "lam-dong", "lâm đồng"),
        ("LAM DONG", "lam-dong", "LAM DONG"),
        ("Lamdong province", "lam-dong", "Lamdong"),
        ("провинция Ламдонг", "lam-dong", "Ламдонг"),
        ("провінція Лам Донг", "lam-dong", "Лам Донг"),
        ("провинции Хынгйен", "hung-yen", "Хынгйен"),
        ("Хазянг", "ha-giang", "Хазянг"),
        ("в Ханое", "ha-noi", "Ханое"),
        ("в Хошимине", "ho-chi-minh", "Хошимине"),
        ("Ho Chi Minh City", "ho-chi-minh", "Ho Chi Minh City"),
        ("TP.HCM", "ho-chi-minh", "HCM"),
        ("Saigon", "ho-chi-minh", "Saigon"),
        ("HCMC digital economy", "ho-chi-minh", "HCMC"),
        ("HN digital economy as a share of GRDP", "ha-noi", "HN"),
        ("(HNMO) Hà Nội", "ha-noi", "Hà Nội"),
        ("Daklak", "dak-lak", "Daklak"),
        ("Dak Lak", "dak-lak", "Dak Lak"),
        ("Đắk Lắk", "dak-lak", "Đắk Lắk"),
        ("Dac Nong", "dak-nong", "Dac Nong"),
        ("Bà Rịa – Vũng Tàu", "ba-ria-vung-tau", "Bà Rịa – Vũng Tàu"),
        ("Thua Thien-Hue", "thua-thien-hue", "Thua Thien-Hue"),
        ("Hanoï", "ha-noi", "Hanoï"),
        ("林同省承诺了什么", "lam-dong", "林同省"),
        ("在河江", "ha-giang", "河江"),
        ("Lamdnog", "lam-dong", "Lamdnog"),  # one swap
        ("Tuyen Quag", "tuyen-quang", "Tuyen Quag"),  # one deletion
    ],
)
def test_find_places(gaz: Gazetteer, text: str, key: str, surface: str) -> None:
    found = gaz.find_places(text)
    assert [(k, s) for k, s, _, _ in found] == [(key, surface)]
    _, _, start, end = found[0]
    assert text[start:end] == surface


def test_longest_match_and_several_places(gaz: Gazetteer) -> None:
    found = gaz.find_places("Quang Binh, Quang Ninh và Thành phố Hồ Chí Minh")
    assert [k for k, *_ in found] == ["quang-binh", "quang-ninh", "ho-chi-minh"]
    assert found[2][1] == "Thành phố Hồ Chí Minh"


def test_no_false_places(gaz: Gazetteer) -> None:
    assert gaz.find_places("Thái Bình Dương là đại dương lớn nhất") == []
    assert gaz.find_places("Binh Minh town") == []  # not a typo of Binh Dinh
    assert gaz.find_places("What is the plan for digital transformation?") == []
    # A one-letter word after a Cyrillic name is not a case ending.
    assert [k for k, *_ in gaz.find_places("Хынгйен и Хазянг")] == ["hung-yen", "ha-giang"]
    # Names do not run across sentence punctuation.
    assert gaz.find_places("Ha. Noi") == []


def test_short_names_need_an_exact_match(gaz: Gazetteer) -> None:
    assert gaz.find_places("Son Lx") == []


def test_covering_units_follow_the_merger(gaz: Gazetteer) -> None:
    assert gaz.covering_units("lam-dong", AFTER, None) == ("lam-dong", "dak-nong", "binh-thuan")
    assert gaz.covering_units("lam-dong", None, BEFORE) == ("lam-dong",)
    assert gaz.covering_units("lam-dong", date(2025, 1, 1), date(2025, 12, 31)) == (
        "lam-dong",
        "dak-nong",
        "binh-thuan",
    )
    assert gaz.covering_units("ha-giang", AFTER, None) == ("ha-giang", "tuyen-quang")
    assert gaz.covering_units("ha-giang", None, BEFORE) == ("ha-giang",)
    assert gaz.covering_units("ha-giang", None, None) == ("ha-giang", "tuyen-quang")
    assert gaz.covering_units("ha-noi", None, None) == ("ha-noi",)
    assert set(gaz.covering_units("hue", None, date(2024, 1, 1))) == {"hue", "thua-thien-hue"}
    assert gaz.covering_units("nowhere", None, None) == ("nowhere",)


def test_variants_cover_scripts(gaz: Gazetteer) -> None:
    names = gaz.variants("lam-dong")
    for expected in ("Lâm Đồng", "Lam Dong", "Ламдонг", "Лам Донг", "林同省"):
        assert expected in names
    assert "Хазянг" in gaz.variants("ha-giang")
    assert "Хынгйен" in gaz.variants("hung-yen")
    assert gaz.variants("nowhere") == []


def test_display_name(gaz: Gazetteer) -> None:
    assert gaz.display_name("lam-dong", "vi") == "Lâm Đồng"
    assert gaz.display_name("lam-dong", "en") == "Lam Dong"
    assert gaz.display_name("ha-noi", "en") == "Hanoi"
    assert gaz.display_name("ha-noi", "ru") == "Ханой"
    assert gaz.display_name("ho-chi-minh", "ru") == "Хошимин"
    assert gaz.display_name("ha-giang", "uk") == "Хазянг"
    assert gaz.display_name("lam-dong", "de") == "Lam Dong"
    assert gaz.display_name("nowhere", "en") == "nowhere"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("lam-dong", "lam-dong"),
        ("Lâm Đồng", "lam-dong"),
        ("lamdong", "lam-dong"),
        ("Ламдонг", "lam-dong"),
        ("tỉnh Lâm Đồng", "lam-dong"),
        ("Lam Dong Province", "lam-dong"),
        ("провинция Хазянг", "ha-giang"),
        ("TP.HCM", "ho-chi-minh"),
        ("Hồ Chí Minh", "ho-chi-minh"),
        ("Lamdnog", "lam-dong"),
        ("Daklak", "dak-lak"),
    ],
)
def test_resolve(gaz: Gazetteer, typed: str, key: str) -> None:
    assert gaz.resolve(typed) == key


def test_resolve_unknown(gaz: Gazetteer) -> None:
    assert gaz.resolve("") is None
    assert gaz.resolve("Atlantis") is None


def test_units_for_a_picker(gaz: Gazetteer) -> None:
    units = gaz.units()
    assert len(units) == 64  # 63 before the merger, plus Huế under its new name
    current = gaz.units(current_only=True)
    assert len(current) == 34
    names = dict(current)["lam-dong"]
    assert names["vi"] == "Lâm Đồng" and names["ru"] == "Ламдонг"


def test_every_unit_has_names_in_all_scripts(gaz: Gazetteer) -> None:
    for key in gaz.unit_keys():
        for lang in ("vi", "en", "ru", "uk", "zh"):
            assert gaz.display_name(key, lang), (key, lang)
        # Every name in the data finds its own unit.
        for name in gaz.variants(key):
            assert gaz.resolve(name) == key, (key, name)


def test_systematic_transliteration() -> None:
    assert transliterate("Lâm Đồng", "ru") == ("Ламдонг", "Лам Донг")
    assert transliterate("Hà Giang", "ru")[0] == "Хазянг"
    assert transliterate("Hưng Yên", "ru")[0] == "Хынгйен"
    assert transliterate("Bình Dương", "uk")[0] == "Біньзионг"


def test_fold_and_edit_distance() -> None:
    assert fold("Lâm Đồng") == "lam dong"
    assert fold("Хинг'єн") == fold("Хингєн")
    assert fold("Біньдінь") == fold("Биньдинь")
    assert within_one_edit("lamdong", "lamdnog")
    assert within_one_edit("lamdong", "lamdon")
    assert not within_one_edit("lamdong", "lamdnoq")


def test_a_gazetteer_from_other_data() -> None:
    data = {
        "merger_date": "2025-07-01",
        "mergers": {"new-unit": ["new-unit", "old-unit"]},
        "units": [
            {"key": "new-unit", "vi": "Tỉnh Mới", "en": ["New Unit"], "from_2025_07_01": True},
            {"key": "old-unit", "vi": "Tỉnh Cũ", "from_2025_07_01": False},
        ],
    }
    gaz = Gazetteer(data)
    assert gaz.resolve("New Unit") == "new-unit"
    assert gaz.covering_units("new-unit", AFTER, None) == ("new-unit", "old-unit")
    assert gaz.covering_units("old-unit", None, None) == ("old-unit", "new-unit")
    assert gaz.unit_keys(after_merger=True) == ["new-unit"]


def test_a_name_after_a_family_name_is_a_person(gaz: Gazetteer) -> None:
    assert gaz.find_places("Phó Thủ tướng Nguyễn Hòa Bình") == []
    assert gaz.find_places("заступник голови Нгуєн Хоа Бінь") == []
    assert [k for k, *_ in gaz.find_places("tỉnh Hòa Bình")] == ["hoa-binh"]


def test_eth_typed_for_d_stroke_still_names_the_province(gaz: Gazetteer) -> None:
    found = gaz.find_places("Lâm Ðồng cam kết gì?")
    assert [key for key, *_ in found] == ["lam-dong"]


def test_cyrillic_short_i_allows_a_one_letter_slip(gaz: Gazetteer) -> None:
    # "Хунгйен" for "Хынгйен": й is not a Vietnamese tone mark, so the typo rule applies.
    found = gaz.find_places("Что решила провинция Хунгйен?")
    assert [key for key, *_ in found] == ["hung-yen"]


def test_find_places_by_sound_reads_spellings_the_gazetteer_does_not_list(gaz: Gazetteer) -> None:
    assert gaz.find_places("Что обещал Ха Джанг?") == []
    assert gaz.find_places_by_sound("Что обещал Ха Джанг?") == [("ha-giang", "Ха Джанг", 11, 19)]
    assert [k for k, *_ in gaz.find_places_by_sound("Хунгйеном решено")] == ["hung-yen"]


def test_lower_case_words_are_no_part_of_a_name_read_by_sound(gaz: Gazetteer) -> None:
    # "Лонг на" sounds like Long An, but "на" ("on") is no name.
    question = "Які цілі поставив секретар парткому Фам Дик Лонг на першому засіданні?"
    assert gaz.find_places_by_sound(question) == []
    assert gaz.find_places_by_sound("Які цілі має Лонг Ан?")[0][0] == "long-an"


def test_a_place_in_the_english_possessive_is_the_place(gazetteer: Gazetteer) -> None:
    found = gazetteer.find_places("What share of Son La's records, and Lao Cai’s?")
    assert [(key, surface) for key, surface, _s, _e in found] == [
        ("son-la", "Son La"),
        ("lao-cai", "Lao Cai"),
    ]
    # Apostrophes inside Ukrainian words are no possessive.
    assert gazetteer.find_places("після об'єднання Лам Донгу")[0][0] == "lam-dong"


def test_a_city_or_district_is_named_by_the_word_for_its_kind(gaz: Gazetteer) -> None:
    assert part_names("Из них город Витхань достиг 88,6%, город Нгабай — 84,1%.") == [
        "Витхань",
        "Нгабай",
    ]
    assert part_names("The city of Vi Thanh and Ngoc Hien district") == ["Vi Thanh", "Ngoc Hien"]
    assert part_names("Thành phố Vị Thanh đạt 88,6%") == ["Vị Thanh"]
    # Lower-case words are no name, and a name alone is no part.
    assert part_names("the city reached 88.6% in Vi Thanh") == []
    # The same part in every script and spelling.
    asked = gaz.parts_named("Какой процент в городе Витхань?")
    assert names_a_part("Of which, Vi Thanh reached 88.6%", asked)
    assert names_a_part("thành phố Vị Thanh đạt 88,6%", asked)
    assert not names_a_part("Nga Bay city reached 84.1%", asked)
    # A province's city of the same name is the province's own reading (`cities_named`).
    assert not gaz.parts_named("Ca Mau city itself") and gaz.cities_named("Ca Mau city itself")


def test_a_common_word_is_not_read_as_the_last_word_of_a_name(gazetteer: Gazetteer) -> None:
    # "Sơn là" (Son is) folds to "Son La": the tone of "là" says it is a common word.
    assert gazetteer.find_places("Sản lượng qua cảng Nghi Sơn là bao nhiêu triệu tấn?") == []
    assert [k for k, *_ in gazetteer.find_places("Sơn La là tỉnh miền núi")] == ["son-la"]
    # Tone marks placed the old way, and text typed without marks, still name the place.
    assert [k for k, *_ in gazetteer.find_places("Thanh Hoá năm 2024")] == ["thanh-hoa"]
    assert [k for k, *_ in gazetteer.find_places("son la co bao nhieu xa")] == ["son-la"]
