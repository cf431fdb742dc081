"""Linking translations that name no original, by their content."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crawler.linking import document_numbers, figures, link_translation, link_unmarked, places_in
from crawler.models import Article

VN = timezone(timedelta(hours=7))
PLACES = {
    "lam-dong": ["Lâm Đồng", "Lam Dong", "Ламдонг", "Лам Донг", "林同省"],
    "ha-giang": ["Hà Giang", "Ha Giang", "Хазянг"],
}


def article(url: str, lang: str, text: str, published: datetime, **extra: str) -> Article:
    return Article.model_validate(
        {"url": url, "title": text.split(".")[0], "text": text, "lang": lang,
         "published": published, **extra}
    )  # fmt: skip


T0 = datetime(2025, 5, 15, 9, 0, tzinfo=VN)
ORIGINAL = article(
    "https://baolamdong.vn/ke-hoach-112-381245.html",
    "vi",
    "Lâm Đồng ban hành Kế hoạch số 112/KH-UBND thực hiện Nghị quyết 57-NQ/TW. "
    "Đến năm 2030, tỉnh phấn đấu 896.350 tài khoản định danh, 82% hồ sơ trực tuyến "
    "và hoàn thành trước ngày 30/6/2025 với kinh phí 1.250 tỷ đồng.",
    T0,
)
# Same province, same topic, another plan and other figures: the deliberate confusion.
DISTRACTOR = article(
    "https://baolamdong.vn/ke-hoach-98-371000.html",
    "vi",
    "Lâm Đồng ban hành Kế hoạch số 98/KH-UBND về chuyển đổi số. Năm 2024 tỉnh đạt "
    "640.200 tài khoản định danh, 71% hồ sơ trực tuyến, kinh phí 870 tỷ đồng.",
    T0 - timedelta(days=2),
)
OTHER_PROVINCE = article(
    "https://baohagiang.vn/ke-hoach-112-5c1d7a2/",
    "vi",
    "Hà Giang ban hành Kế hoạch số 112/KH-UBND thực hiện Nghị quyết 57-NQ/TW. Đến năm "
    "2030 tỉnh phấn đấu 896.350 tài khoản, 82% hồ sơ, trước ngày 30/6/2025, 1.250 tỷ đồng.",
    T0,
)
ENGLISH = article(
    "https://www.vietnam.vn/en/lam-dong-plan-112",
    "en",
    "Lam Dong issues Plan No. 112/KH-UBND to implement Resolution 57-NQ/TW. By 2030 the "
    "province aims for 896,350 electronic identity accounts, 82% of records online, "
    "completed before June 30, 2025 with a budget of VND 1,250 billion.",
    T0 + timedelta(hours=5),
)


def test_facts_survive_translation() -> None:
    assert figures("896.350 và 896,350 và 896 350")["896350"] == 3
    assert figures("截至6月30日，林同省")["30"] == 1  # digits next to CJK are numbers
    assert "COVID19" not in "".join(figures("COVID19 wave"))
    assert document_numbers("Kế hoạch số 112/KH-UBND, Thông báo 02-TB/BCĐ") == {
        "112/KH-UBND",
        "02-TB/BCD",
    }
    assert places_in("В провинции Ламдонг", PLACES) == {"lam-dong"}


def test_the_original_is_found_among_distractors() -> None:
    link = link_translation(ENGLISH, [DISTRACTOR, ORIGINAL], places=PLACES)
    assert link is not None and link.original == ORIGINAL.identity_url


def test_no_link_when_only_distractors_are_there() -> None:
    assert link_translation(ENGLISH, [DISTRACTOR], places=PLACES) is None


def test_another_province_with_the_same_figures_is_not_the_original() -> None:
    link = link_translation(ENGLISH, [OTHER_PROVINCE, ORIGINAL], places=PLACES)
    assert link is not None and link.original == ORIGINAL.identity_url
    assert link_translation(ENGLISH, [OTHER_PROVINCE], places=PLACES) is None


def test_two_equally_good_candidates_give_no_link() -> None:
    twin = ORIGINAL.model_copy(update={"url": "https://baolamdong.vn/ban-sao-381246.html"})
    assert link_translation(ENGLISH, [ORIGINAL, twin], places=PLACES) is None


def test_a_translation_long_after_or_before_the_original_is_not_linked() -> None:
    late = ENGLISH.model_copy(update={"published": T0 + timedelta(days=40)})
    early = ENGLISH.model_copy(update={"published": T0 - timedelta(days=3)})
    assert link_translation(late, [ORIGINAL], places=PLACES) is None
    assert link_translation(early, [ORIGINAL], places=PLACES) is None


def test_a_supplied_similarity_takes_part_and_unmarked_copies_only_are_linked() -> None:
    calls: list[tuple[str, str]] = []

    def cosine(copy: Article, original: Article) -> float:
        calls.append((copy.identity_url, original.identity_url))
        return 0.9 if original is ORIGINAL else 0.1

    marked = ENGLISH.model_copy(
        update={"url": "https://www.vietnam.vn/ru/x", "lang": "ru", "translation_of": ORIGINAL.url}
    )
    links = link_unmarked([ORIGINAL, DISTRACTOR, ENGLISH, marked], places=PLACES, similarity=cosine)
    assert [(link.translation, link.original) for link in links] == [
        (ENGLISH.identity_url, ORIGINAL.identity_url)
    ]
    assert "similarity" in links[0].reasons and calls


def test_only_originals_in_the_time_window_are_weighed() -> None:
    """The windowed search finds the same original as weighing every candidate, and an
    original published more than the window before the copy is never a candidate."""
    from crawler.linking import MAX_DELAY, _OriginalsByTime

    distant = ORIGINAL.model_copy(
        update={
            "url": "https://baolamdong.vn/ke-hoach-112-cu-100000.html",
            "published": T0 + timedelta(hours=5) - MAX_DELAY - timedelta(hours=1),
        }
    )
    everyone = [ORIGINAL, DISTRACTOR, OTHER_PROVINCE, distant]
    window = _OriginalsByTime(everyone, PLACES)
    urls = {original.identity_url for original, _facts in window.candidates(ENGLISH)}
    assert ORIGINAL.identity_url in urls and distant.identity_url not in urls
    links = link_unmarked([ENGLISH, *everyone], places=PLACES)
    assert links == [link_translation(ENGLISH, everyone, places=PLACES)]
    assert links[0].original == ORIGINAL.identity_url
