from __future__ import annotations

import pytest

from crawler.urls import canonicalize_url, is_tracking_param, resolve_url, same_site, site_of


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # tracking parameters, fragment, default port, host case
        (
            "HTTPS://BaoHungYen.vn:443/tin-3179979.html?utm_source=zalo&utm_medium=share#top",
            "https://baohungyen.vn/tin-3179979.html",
        ),
        (
            "https://baolamdong.vn/kinh-te/202505/abc-a1c93f0/?zarsrc=30&fbclid=IwAR0&gclid=x",
            "https://baolamdong.vn/kinh-te/202505/abc-a1c93f0/",
        ),
        ("http://baolamdong.vn:80/a/", "http://baolamdong.vn/a/"),
        ("http://127.0.0.1:8765/baolamdong.vn/a/", "http://127.0.0.1:8765/baolamdong.vn/a/"),
        # AMP forms collapse to the regular page
        (
            "https://baohungyen.vn/amp/hung-yen-trien-khai-3179979.html",
            "https://baohungyen.vn/hung-yen-trien-khai-3179979.html",
        ),
        (
            "https://baohungyen.vn/hung-yen-3179979.amp.html",
            "https://baohungyen.vn/hung-yen-3179979.html",
        ),
        (
            "https://baohagiang.vn/thoi-su/202503/doan-kiem-tra-52d2fd8/amp/",
            "https://baohagiang.vn/thoi-su/202503/doan-kiem-tra-52d2fd8/",
        ),
        ("https://example.vn/bai-viet.amp", "https://example.vn/bai-viet"),
        ("https://example.vn/bai-viet-1.html?amp=1", "https://example.vn/bai-viet-1.html"),
        # real parameters stay, in a stable order
        (
            "https://www.vietnam.vn/en/x?page=2&a=1&utm_id=5",
            "https://www.vietnam.vn/en/x?a=1&page=2",
        ),
        # doubled slashes, empty path, non-ASCII path
        ("https://example.vn//a//b", "https://example.vn/a/b"),
        ("https://example.vn", "https://example.vn/"),
        (
            "https://www.vietnam.vn/en/lâm-đồng",
            "https://www.vietnam.vn/en/l%C3%A2m-%C4%91%E1%BB%93ng",
        ),
        ("https://www.vietnam.vn/en/l%c3%a2m", "https://www.vietnam.vn/en/l%C3%A2m"),
        # www. is kept: only rel=canonical can say whether both hosts serve one site
        (
            "https://www.baoquangninh.vn/a-2519874.html",
            "https://www.baoquangninh.vn/a-2519874.html",
        ),
    ],
)
def test_canonicalize_url(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


def test_canonicalize_url_is_idempotent() -> None:
    url = "HTTPS://Example.vn:443/amp/a//b.html?b=2&utm_source=x&a=1#f"
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.vietnam.vn/en/abc", "vietnam.vn"),
        ("https://baolamdong.vn/xa-hoi/", "baolamdong.vn"),
        ("https://WWW.BaoQuangNinh.vn:8443/x", "baoquangninh.vn"),
        ("https://baodongnai.com.vn/", "baodongnai.com.vn"),
    ],
)
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site


def test_tracking_params() -> None:
    assert is_tracking_param("utm_campaign")
    assert is_tracking_param("ZARSRC")
    assert not is_tracking_param("page")
    assert not is_tracking_param("id")


def test_resolve_url_ignores_base_href() -> None:
    page = "https://baolamdong.vn/kinh-te/202505/abc-a1c93f0/"
    assert resolve_url(page, "/xa-hoi/") == "https://baolamdong.vn/xa-hoi/"
    assert same_site("https://www.vietnam.vn/a", "https://vietnam.vn/b")
