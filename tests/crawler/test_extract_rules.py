"""Extraction rules that the saved pages do not pin down one by one."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from crawler.extract import extract, strip_agency_prefix
from crawler.profiles import detect_profile, get_profile

PAGES = Path(__file__).resolve().parents[1] / "data" / "pages"

PARAGRAPHS = [
    "Ủy ban nhân dân tỉnh vừa ban hành kế hoạch triển khai Nghị quyết số 57-NQ/TW về đột phá "
    "phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia.",
    "Theo kế hoạch, đến năm 2030 tỉnh phấn đấu 100% thủ tục hành chính đủ điều kiện được cung "
    "cấp dưới hình thức dịch vụ công trực tuyến toàn trình.",
    "Các sở, ngành và địa phương có trách nhiệm xây dựng kế hoạch chi tiết trước ngày 30/6/2025.",
]


def page(head: str = "", body: str = "", lang: str = "vi") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>Kế hoạch chuyển đổi số - Báo Tỉnh</title>{head}</head><body>"
        f'<div class="topbar">Thứ Ba, 25/11/2025</div><article><h1>Kế hoạch chuyển đổi số</h1>'
        f'<div class="article-body">{body or paragraphs}</div></article></body></html>'
    )


def saved(family: str, name: str) -> tuple[str, dict[str, Any]]:
    spec = json.loads((PAGES / family / f"{name}.json").read_text(encoding="utf-8"))
    html = (PAGES / family / f"{name}.html").read_text(encoding="utf-8")
    return html, spec


def test_very_large_page_extracts_quickly() -> None:
    html, spec = saved("vietnamvn", "en_isbasedon")
    item = json.dumps({"id": 1, "title": "Tin liên quan", "body": "x" * 900})
    blob = '<script>window.__INITIAL_STATE__={"feed":[' + ",".join([item] * 3500) + "]};</script>"
    assert len(blob) > 3_000_000
    large = html.replace("</head>", blob + "</head>", 1)
    started = time.perf_counter()
    article = extract(large, spec["url"])
    elapsed = time.perf_counter() - started
    assert article is not None
    assert article == extract(html, spec["url"])
    assert elapsed < 3.0, f"{elapsed:.2f}s for a {len(large) // 1_000_000} MB page"


def test_generic_extractor_reads_a_known_layout() -> None:
    html, spec = saved("hexcms", "baohagiang_byline_time")
    article = extract(html, spec["url"], profile="generic")
    assert article is not None
    assert article.title == spec["expect"]["title"]
    assert "Nghị quyết số 18-NQ/TW" in article.text
    assert "Đọc nhiều" not in article.text
    assert article.published is not None and article.published.date().isoformat() == "2025-03-17"


def test_profile_detection_by_markup() -> None:
    from crawler.htmltree import parse_html

    for family, name in [
        ("hexcms", "baohagiang_byline_time"),
        ("cardcms", "baohungyen_naive_meta"),
        ("detailcms", "baolamdong_new_cms"),
        ("vietnamvn", "ru_source_line"),
        ("generic", "open_graph_only"),
    ]:
        html, spec = saved(family, name)
        assert detect_profile(parse_html(html), spec["url"]).name == family


def test_named_profile_gives_way_to_the_markup_of_a_new_cms() -> None:
    html, spec = saved("detailcms", "baolamdong_new_cms")
    article = extract(html, spec["url"], profile="hexcms")
    assert article is not None
    assert article.author == spec["expect"]["author"]
    assert article.captions == spec["expect"]["captions"]


def test_unknown_profile_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown extraction profile"):
        get_profile("wordpress")


def test_cross_site_canonical_is_not_trusted() -> None:
    html = page('<link rel="canonical" href="https://other-site.vn/bai-goc.html">')
    article = extract(html, "https://baotinh.vn/ke-hoach-chuyen-doi-so-123456.html?utm_source=fb")
    assert article is not None
    assert article.canonical_url == "https://baotinh.vn/ke-hoach-chuyen-doi-so-123456.html"
    assert article.site == "baotinh.vn"


def test_canonical_of_the_configured_site_is_trusted_from_a_mirror() -> None:
    html = page('<link rel="canonical" href="https://baotinh.vn/ke-hoach-123456.html">')
    article = extract(html, "http://127.0.0.1:8765/baotinh.vn/ke-hoach-123456.html")
    assert article is not None
    assert article.canonical_url == "https://baotinh.vn/ke-hoach-123456.html"
    assert article.site == "baotinh.vn"


def test_defaults_fill_what_the_page_does_not_say() -> None:
    html = page().replace(' lang="vi"', "")
    article = extract(
        html,
        "https://baotinh.vn/a-123456.html",
        defaults={"province": "Lâm Đồng", "lang": "vi", "site": "baotinh.vn"},
    )
    assert article is not None
    assert (article.province, article.lang, article.lang_detected) == ("Lâm Đồng", "vi", "vi")


def test_headline_with_not_found_words_is_still_an_article() -> None:
    html = page('<meta property="og:type" content="article">').replace(
        "<h1>Kế hoạch chuyển đổi số</h1>", "<h1>Không tìm thấy người mất tích sau lũ quét</h1>"
    )
    assert extract(html, "https://baotinh.vn/a-123456.html") is not None


def test_date_in_top_bar_is_never_taken() -> None:
    article = extract(page(), "https://baotinh.vn/a-123456.html")
    assert article is not None
    assert article.published is None and article.published_source is None


def test_plain_text_noise_from_translations() -> None:
    body = "".join(
        [
            "<p>14:34, 17/03/2025</p>",
            f"<p>BHG - {PARAGRAPHS[0]}</p>",
            "<p>| Рабочая сцена |</p>",
            f"<p>{PARAGRAPHS[1]}</p>",
            "<p>ПВ</p>",
            f"<p>{PARAGRAPHS[2]}</p>",
            "<p>Source: https://baohagiang.vn/thoi-su/202503/abc-52d2fd8/</p>",
            "<p>Comment (0)</p>",
        ]
    )
    article = extract(page(body=body, lang="en"), "https://www.vietnam.vn/en/ke-hoach")
    assert article is not None
    assert article.paragraphs == PARAGRAPHS
    assert article.captions == ["Рабочая сцена"]
    assert article.author == "ПВ"
    assert article.translation_of == "https://baohagiang.vn/thoi-su/202503/abc-52d2fd8/"
    assert article.published is not None and article.published_source == "dateline"


def test_closing_capitalised_name_is_the_author() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "<p>NGUYỄN THỊ HOA</p>"
    article = extract(page(body=body), "https://baotinh.vn/a-123456.html")
    assert article is not None
    assert article.author == "NGUYỄN THỊ HOA"
    assert article.paragraphs == PARAGRAPHS


@pytest.mark.parametrize(
    "line",
    ["Ngày 5/9/2025, UBND tỉnh họp bàn kế hoạch.", "17/03/2025: khởi công cầu mới."],
)
def test_sentence_starting_with_a_date_stays_in_the_story(line: str) -> None:
    body = f"<p>{line}</p>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    article = extract(page(body=body), "https://baotinh.vn/a-123456.html")
    assert article is not None
    assert article.paragraphs[0] == line


def test_hreflang_vi_alternate_names_the_original() -> None:
    head = (
        '<link rel="alternate" hreflang="vi" href="https://www.vietnam.vn/ke-hoach-chuyen-doi-so">'
        '<link rel="alternate" hreflang="en" href="https://www.vietnam.vn/en/ke-hoach-chuyen-doi-so">'
    )
    article = extract(page(head, lang="en"), "https://www.vietnam.vn/en/ke-hoach-chuyen-doi-so")
    assert article is not None
    assert article.translation_of == "https://www.vietnam.vn/ke-hoach-chuyen-doi-so"
    original = extract(page(head), "https://www.vietnam.vn/ke-hoach-chuyen-doi-so")
    assert original is not None and original.translation_of is None


def test_layout_table_with_an_image_is_read_as_story() -> None:
    body = (
        '<table><tr><td><img src="/a.jpg"></td></tr><tr><td>'
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + '</td></tr></table><table class="image"><tr><td><img src="/b.jpg"><br>'
        "<em>Quang cảnh hội nghị.</em></td></tr></table>"
    )
    article = extract(page(body=body), "https://baotinh.vn/a-123456.html")
    assert article is not None
    assert article.paragraphs == PARAGRAPHS
    assert article.captions == ["Quang cảnh hội nghị."]


def test_bold_heading_after_an_image_is_story_not_a_caption() -> None:
    body = (
        f'<p>{PARAGRAPHS[0]}</p><p><img src="/a.jpg"></p>'
        "<h3><strong>Kế hoạch đến năm 2030</strong></h3>"
        f'<p>{PARAGRAPHS[1]}</p><p><img src="/b.jpg"></p><p><em>Quang cảnh hội nghị.</em></p>'
        f"<p>{PARAGRAPHS[2]}</p>"
    )
    article = extract(page(body=body), "https://baotinh.vn/a-123456.html")
    assert article is not None
    assert "Kế hoạch đến năm 2030" in article.paragraphs
    assert article.captions == ["Quang cảnh hội nghị."]


LEAD = (
    "Tỉnh đặt mục tiêu đến năm 2030 đưa toàn bộ thủ tục hành chính đủ điều kiện lên dịch vụ "
    "công trực tuyến toàn trình."
)


def _page_with_box(box: str, description: str) -> str:
    head = f'<meta property="og:description" content="{description}">'
    return page(head=head).replace("<article>", f"{box}<article>", 1)


def test_generic_lead_box_outside_the_story_is_not_the_sapo() -> None:
    newsletter = '<div class="summary">Đăng ký nhận bản tin mỗi sáng của Báo Tỉnh</div>'
    article = extract(_page_with_box(newsletter, LEAD), "https://baotinh.vn/a-123456.html")
    assert article is not None
    assert article.sapo is None
    assert "bản tin" not in article.text


def test_generic_lead_that_the_description_confirms_is_the_sapo() -> None:
    lead = f'<div class="summary">{LEAD}</div>'
    article = extract(_page_with_box(lead, LEAD), "https://baotinh.vn/a-123456.html")
    assert article is not None
    assert article.sapo == LEAD
    assert article.text.startswith(LEAD)


def test_vietnam_vn_layout_is_not_taken_from_markup_on_another_host() -> None:
    from crawler.htmltree import parse_html

    html, spec = saved("vietnamvn", "ru_source_line")
    tree = parse_html(html)
    assert detect_profile(tree, spec["url"]).name == "vietnamvn"
    assert detect_profile(tree, "https://blog.example.com/2025/11/a-post/").name == "generic"
    # Named in a sources file, it is still used wherever the site is served from.
    article = extract(html, "http://127.0.0.1:8765/ru/a-post", profile="vietnamvn")
    assert article is not None and article.translation_of is not None


def test_br_separated_body() -> None:
    body = "<div>" + "<br><br>".join(PARAGRAPHS) + "</div>"
    article = extract(page(body=body), "https://baotinh.vn/a-123456.html")
    assert article is not None
    assert article.paragraphs == PARAGRAPHS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BHG - Sáng 17/3, đoàn công tác", "Sáng 17/3, đoàn công tác"),
        ("LĐ - Tỉnh Lâm Đồng", "Tỉnh Lâm Đồng"),
        ("BLĐ - Tỉnh Lâm Đồng", "Tỉnh Lâm Đồng"),
        ("BHG — Утром 17 марта", "Утром 17 марта"),
        ("(Chinhphu.vn) - Thủ tướng", "Thủ tướng"),
        ("UBND tỉnh - cơ quan", "UBND tỉnh - cơ quan"),
        ("COVID-19 lây lan", "COVID-19 lây lan"),
        ("Sáng 17/3 - đoàn", "Sáng 17/3 - đoàn"),
    ],
)
def test_strip_agency_prefix(text: str, expected: str) -> None:
    assert strip_agency_prefix(text) == expected


@pytest.mark.parametrize("html", ["", "<html></html>", "<p>short</p>", "not html at all"])
def test_degenerate_input_gives_none(html: str) -> None:
    assert extract(html, "https://baotinh.vn/a.html") is None
