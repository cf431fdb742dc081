"""Publication dates: formats, Vietnam time, and which source wins."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.pubdate import (
    DateCandidate,
    choose_published,
    date_from_image_url,
    date_from_url,
    find_date,
    parse_iso,
    to_vietnam_time,
)
from facts.vietnam_time import VIETNAM_TZ


def vn(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM_TZ)


@pytest.mark.parametrize(
    ("value", "expected", "has_time"),
    [
        ("2025-05-12", vn(2025, 5, 12), False),  # JSON-LD date without time: local midnight
        ("2025-03-17T14:34:00", vn(2025, 3, 17, 14, 34), True),  # naive: local time
        ("2025-05-12T04:40:00.000Z", vn(2025, 5, 12, 11, 40), True),  # vietnam.vn UTC
        ("2025-07-03T01:30:00Z", vn(2025, 7, 3, 8, 30), True),
        ("2025-03-17T14:34:00+07:00", vn(2025, 3, 17, 14, 34), True),
        ("2025-03-17T09:34:00+0200", vn(2025, 3, 17, 14, 34), True),
        ("2025-03-17 14:34", vn(2025, 3, 17, 14, 34), True),
    ],
)
def test_parse_iso(value: str, expected: datetime, has_time: bool) -> None:
    parsed = parse_iso(value)
    assert parsed is not None
    assert parsed == (expected, has_time)
    offset = parsed[0].utcoffset()
    assert offset is not None and offset.total_seconds() == 7 * 3600


@pytest.mark.parametrize("value", ["", "not a date", "2025-13-45", "1890-01-01"])
def test_parse_iso_rejects(value: str) -> None:
    assert parse_iso(value) is None


@pytest.mark.parametrize(
    ("text", "lang", "expected", "has_time"),
    [
        ("14:34, 17/03/2025", "vi", vn(2025, 3, 17, 14, 34), True),
        ("Thứ Hai, 17/03/2025 14:34", "vi", vn(2025, 3, 17, 14, 34), True),
        ("17/03/2025 - 14:34", "vi", vn(2025, 3, 17, 14, 34), True),
        ("Thứ Ba, 09 tháng 09, 2025 | 08:15", "vi", vn(2025, 9, 9, 8, 15), True),
        ("Lâm Đồng, ngày 20 tháng 05 năm 2025", "vi", vn(2025, 5, 20), False),
        ("Ngày 5/9/2025", "vi", vn(2025, 9, 5), False),
        ("18:20, 25 апреля 2025 г.", "ru", vn(2025, 4, 25, 18, 20), True),
        ("March 17, 2025", "en", vn(2025, 3, 17), False),
    ],
)
def test_find_date(text: str, lang: str, expected: datetime, has_time: bool) -> None:
    found = find_date(text, lang)
    assert found is not None
    assert (found[0], found[1]) == (expected, has_time)


def test_find_date_ignores_text_without_dates() -> None:
    assert find_date("Tỉnh ủy họp bàn về phát triển kinh tế", "vi") is None


def test_to_vietnam_time() -> None:
    assert to_vietnam_time(datetime(2025, 1, 1, 8, 0)) == vn(2025, 1, 1, 8, 0)
    assert to_vietnam_time(datetime.fromisoformat("2025-01-01T01:00:00+00:00")) == vn(
        2025, 1, 1, 8, 0
    )


def test_date_from_url() -> None:
    assert date_from_url("https://x.vn/2025/05/12/bai-viet.html") == DateCandidate(
        vn(2025, 5, 12), False, "url"
    )
    assert date_from_url("https://x.vn/tin-tuc/20250512/abc.html") is not None
    # a bare yyyymm (hex-id CMS) is not a publication date
    assert date_from_url("https://baohagiang.vn/thoi-su/202503/abc-52d2fd8/") is None


def test_jsonld_date_is_refined_by_a_timed_source_on_the_same_day() -> None:
    chosen = choose_published(
        [
            DateCandidate(vn(2025, 3, 17), False, "jsonld"),
            DateCandidate(vn(2025, 3, 17, 14, 34), True, "byline"),
        ]
    )
    assert chosen == DateCandidate(vn(2025, 3, 17, 14, 34), True, "byline")


def test_trusted_source_wins_over_a_timed_one_on_another_day() -> None:
    chosen = choose_published(
        [
            DateCandidate(vn(2025, 3, 18, 9, 0), True, "dateline"),
            DateCandidate(vn(2025, 3, 17), False, "jsonld"),
        ]
    )
    assert chosen is not None and chosen.source == "jsonld"


def test_no_candidates() -> None:
    assert choose_published([]) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # hex-id CMS: /file/<tenant>/<mmyyyy>/<n>_<yyyymmddhhmmss>.jpg, local time
        (
            "https://baolamdong.vn/file/e7837c02845ffd04018473e6df282e92/052025/"
            "1_20250520160517.jpg",
            vn(2025, 5, 20, 16, 5, 17),
        ),
        # card CMS: <n>_<slug>_<yyyymmddhhmmss>.jpg
        (
            "https://media.baohungyen.vn/upload/image/202503/medium/"
            "45123_hung-yen-trien-khai_20250317143417.jpg?w=800",
            vn(2025, 3, 17, 14, 34, 17),
        ),
        # vietnam.vn: epoch milliseconds in a folder of the same (local) day
        (
            "https://vstatic.vietnam.vn/vietnam/resource/IMAGE/2025/05/12/"
            "1747021337000_lam-dong-ho-tro-1a2b3c.jpeg",
            vn(2025, 5, 12, 10, 42, 17),
        ),
    ],
)
def test_date_from_image_url(url: str, expected: datetime) -> None:
    assert date_from_image_url(url) == DateCandidate(expected, True, "image")


@pytest.mark.parametrize(
    "url",
    [
        "https://x.vn/images/upload/2025/05/12/abcdef.jpg",  # no stamp
        "https://x.vn/a/20250520.jpg",  # a date, no time
        "https://x.vn/a/1_20251340990000.jpg",  # not a valid time
        # a 13-digit id that is not the folder's day
        "https://x.vn/IMAGE/2024/01/02/1747021337000_slug.jpeg",
    ],
)
def test_date_from_image_url_rejects(url: str) -> None:
    assert date_from_image_url(url) is None


def test_date_only_candidate_takes_the_latest_image_time_of_that_day() -> None:
    chosen = choose_published(
        [
            DateCandidate(vn(2025, 5, 20), False, "dateline"),
            DateCandidate(vn(2025, 5, 20, 16, 5, 17), True, "image"),
            DateCandidate(vn(2025, 5, 20, 15, 58, 2), True, "image"),
            DateCandidate(vn(2025, 5, 21, 8, 0), True, "image"),  # a later edit, another day
        ]
    )
    assert chosen == DateCandidate(vn(2025, 5, 20, 16, 5), True, "image")


def test_image_times_never_date_an_article_alone_nor_override_a_timed_source() -> None:
    assert choose_published([DateCandidate(vn(2025, 5, 20, 16, 5), True, "image")]) is None
    chosen = choose_published(
        [
            DateCandidate(vn(2025, 5, 12), False, "jsonld"),
            DateCandidate(vn(2025, 5, 12, 7, 30), True, "meta"),
            DateCandidate(vn(2025, 5, 12, 9, 0), True, "image"),
        ]
    )
    assert chosen == DateCandidate(vn(2025, 5, 12, 7, 30), True, "meta")


def test_htmldate_day_skips_the_chrome_and_leaves_the_page_as_it_was() -> None:
    # htmldate prefers the earliest date it sees: an older story in a related box would win.
    from lxml import etree

    from crawler.generic import guess_published
    from crawler.htmltree import parse_html

    html = (
        "<html><head><title>Tin</title></head><body>"
        '<header><div class="today">Thứ Ba, 25/11/2025</div>menu</header>'
        "<article><h1>Tin</h1><p>Nội dung bài viết.</p>"
        '<time datetime="2025-03-17">17/03/2025</time></article>'
        '<div class="box-related"><time datetime="2024-01-05">05/01/2024</time> Tin cũ</div>'
        '<footer>© <span class="date-now">2026-01-02</span></footer></body></html>'
    )
    tree = parse_html(html)
    assert tree is not None
    before = etree.tostring(tree)
    guessed = guess_published(tree, "https://baotinh.vn/tin-moi")
    assert guessed is not None and guessed.value == vn(2025, 3, 17)
    assert etree.tostring(tree) == before
