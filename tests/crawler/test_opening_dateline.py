"""A story that opens with its dateline ("HÀ GIANG, 12/5 – ...") and states no date anywhere
else is dated by it; a dateline without a year takes the year from the page's own evidence
(the URL's yyyymm folder, a story image's upload stamp), and a number that only looks like
a date is not taken for one."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.extract import extract
from crawler.pubdate import OpeningDateline, opening_dateline
from facts.vietnam_time import VIETNAM_TZ

STORY = [
    "Ủy ban nhân dân tỉnh vừa ban hành kế hoạch triển khai Nghị quyết số 57-NQ/TW về đột phá "
    "phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia.",
    "Theo kế hoạch, đến năm 2030 tỉnh phấn đấu 100% thủ tục hành chính đủ điều kiện được cung "
    "cấp dưới hình thức dịch vụ công trực tuyến toàn trình.",
    "Các sở, ngành và địa phương có trách nhiệm xây dựng kế hoạch chi tiết trước ngày 30/6/2025.",
]
STORY_EN = [
    "The Provincial People's Committee has issued a plan to implement Resolution 57-NQ/TW on "
    "breakthroughs in science, technology, innovation and national digital transformation.",
    "Under the plan, by 2030 the province aims to provide all eligible administrative "
    "procedures as end-to-end online public services.",
    "Departments and localities must draw up detailed plans before June 30, 2025.",
]


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


def page(first: str, story: list[str], lang: str = "vi", head: str = "", image: str = "") -> str:
    """An article page that states no date but its opening dateline; the top bar shows
    another day (the trap a generic date finder falls into)."""
    paragraphs = f"<p>{first} {story[0]}</p>" + "".join(f"<p>{p}</p>" for p in story[1:])
    figure = f'<figure><img src="{image}" alt=""></figure>' if image else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>Kế hoạch chuyển đổi số - Báo Tỉnh</title>{head}</head><body>"
        '<div class="topbar">Thứ Ba, 25/11/2025</div><article><h1>Kế hoạch chuyển đổi số</h1>'
        f'<div class="article-body">{figure}{paragraphs}</div></article></body></html>'
    )


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("HÀ GIANG, 12/5 – Sáng nay, tỉnh", "vi", OpeningDateline(12, 5, None)),
        ("HÀ GIANG, 12/5/2025 - Sáng nay, tỉnh", "vi", OpeningDateline(12, 5, 2025)),
        ("(Baohagiang.vn) Ngày 12/5, UBND tỉnh", "vi", OpeningDateline(12, 5, None)),
        ("BHG - Ngày 12/5, UBND tỉnh", "vi", OpeningDateline(12, 5, None)),
        ("HÀ NỘI, 2 tháng 9 năm 2025: Chính phủ", "vi", OpeningDateline(2, 9, 2025)),
        ("HA GIANG, May 12 – The province", "en", OpeningDateline(12, 5, None)),
        ("HA GIANG, May 12, 2025 – The province", "en", OpeningDateline(12, 5, 2025)),
        ("ХАЗЯНГ, 12 мая – Провинция", "ru", OpeningDateline(12, 5, None)),
    ],
)
def test_opening_datelines_are_read(text: str, lang: str, expected: OpeningDateline) -> None:
    assert opening_dateline(text, lang) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sáng 17/3, UBND tỉnh tổ chức hội nghị",  # when something happened, no dateline leader
        "Ngày 12/5, UBND tỉnh tổ chức hội nghị",
        "(BHG) 12/5 xã đã hoàn thành kế hoạch",  # a count, not followed by a dash or comma
        "(BHG) 53/53 dịch vụ công, tỉnh đã",  # not a day and month
        "HÀ GIANG, 31/2 – tỉnh",  # no such day
        "Theo kế hoạch, 12/5 xã hoàn thành",  # a sentence, not a place in capitals
        "HANOI, 12 projects were approved – officials said",
        "HANOI, 5 days ago – officials said",  # relative to the reading day, not a date
    ],
)
def test_numbers_that_are_not_datelines(text: str) -> None:
    assert opening_dateline(text, "vi" if "HANOI" not in text else "en") is None


def test_vietnamese_dateline_without_a_year_takes_the_url_folder_year() -> None:
    url = "https://baohagiang.vn/thoi-su/202505/ke-hoach-chuyen-doi-so-a1c93f0/"
    article = extract(page("HÀ GIANG, 12/5 –", STORY), url)
    assert article is not None
    assert article.published == vn(2025, 5, 12)
    assert article.published_source == "dateline"
    assert article.paragraphs[0].startswith("HÀ GIANG, 12/5 –")  # the body is left whole


def test_vietnamese_dateline_with_a_year() -> None:
    article = extract(
        page("(Baohagiang.vn) Ngày 12/5/2024,", STORY), "https://baotinh.vn/ke-hoach-123456.html"
    )
    assert article is not None
    assert article.published == vn(2024, 5, 12)
    assert article.published_source == "dateline"


def test_translated_dateline_with_a_year() -> None:
    article = extract(
        page("HA GIANG, May 12, 2025 –", STORY_EN, lang="en"),
        "https://www.vietnam.vn/en/ke-hoach-chuyen-doi-so",
    )
    assert article is not None
    assert article.published == vn(2025, 5, 12)


def test_translated_dateline_without_a_year_takes_the_story_image_year_and_time() -> None:
    html = page(
        "HA GIANG, May 12 –",
        STORY_EN,
        lang="en",
        image="/file/abc/052025/1_20250512093000.jpg",
    )
    body = html.replace('class="article-body"', 'class="post-content"').replace(
        "<h1>", '<h1 class="post-title">'
    )
    article = extract(body, "https://www.vietnam.vn/en/ke-hoach-chuyen-doi-so")
    assert article is not None
    assert article.published == vn(2025, 5, 12, 9, 30)  # the image stamp gives the time


def test_a_dateline_without_a_year_or_evidence_of_one_gives_no_date() -> None:
    article = extract(page("HÀ GIANG, 12/5 –", STORY), "https://baotinh.vn/ke-hoach-123456.html")
    assert article is not None
    assert article.published_source != "dateline"


def test_a_number_at_the_start_of_the_story_is_not_taken_as_its_date() -> None:
    url = "https://baohagiang.vn/thoi-su/202505/ke-hoach-chuyen-doi-so-a1c93f0/"
    article = extract(page("(BHG) 12/5 xã đã hoàn thành kế hoạch.", STORY), url)
    assert article is not None
    assert article.published_source != "dateline"
    assert article.published != vn(2025, 5, 12)


def test_a_stated_date_wins_over_the_opening_dateline() -> None:
    head = '<meta property="article:published_time" content="2025-05-13T08:15:00+07:00">'
    url = "https://baohagiang.vn/thoi-su/202505/ke-hoach-chuyen-doi-so-a1c93f0/"
    article = extract(page("HÀ GIANG, 12/5 –", STORY, head=head), url)
    assert article is not None
    assert article.published == vn(2025, 5, 13, 8, 15)
    assert article.published_source == "meta"
