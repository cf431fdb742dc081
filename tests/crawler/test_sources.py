"""The sources file: the bundled default, and messages that point at the bad line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.errors import SourcesError
from crawler.sources import load_sources, parse_sources

GOOD_SITE = """
[[site]]
domain = "baolamdong.vn"
start_urls = ["https://baolamdong.vn/sitemap.xml"]
"""


def test_bundled_sources_list_the_provincial_papers_and_vietnam_vn() -> None:
    sources = load_sources()
    domains = {site.domain for site in sources.sites}
    assert {"baolamdong.vn", "baohagiang.vn", "baohungyen.vn", "baoquangninh.vn"} <= domains
    assert {"baothainguyen.vn", "baodaklak.vn", "baodongnai.com.vn", "www.vietnam.vn"} <= domains
    lam_dong = sources.site_for_host("www.baolamdong.vn")
    assert lam_dong is not None and lam_dong.province == "Lâm Đồng"
    assert lam_dong.looks_like_article("https://baolamdong.vn/xa-hoi/202503/ha-tang-abc1234/")
    assert not lam_dong.looks_like_article("https://baolamdong.vn/tags/lam-dong/")
    vietnam = sources.site_for_host("www.vietnam.vn")
    assert vietnam is not None
    assert vietnam.looks_like_article(
        "https://www.vietnam.vn/ru/lam-dong-ho-tro-hoc-phi-cho-hoc-sinh"
    )


def test_a_connect_to_address_is_an_exception_for_its_own_host_only() -> None:
    sources = parse_sources(
        '[network]\nconnect_to = { "baolamdong.vn" = "127.0.0.1:8765" }\n' + GOOD_SITE
    )
    assert sources.network.connect_to == {"baolamdong.vn": "127.0.0.1:8765"}
    # Another configured host resolving to 127.0.0.1 must not ride on this entry.
    assert "127.0.0.1" not in sources.allowed_private_hosts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD_SITE + "start_url = []\n", "line 5: key `start_url` in [[site]] #1: unknown key"),
        (
            GOOD_SITE + '\n[[site]]\ndomain = "baohagiang.vn"\n',
            "line 6: key `start_urls` in [[site]] #2: required key is missing",
        ),
        (
            GOOD_SITE.replace("https://baolamdong.vn/sitemap.xml", "https://evil.example/"),
            "line 4: key `start_urls`",
        ),
        (GOOD_SITE + "article_patterns = ['(']\n", "line 5: key `article_patterns` in [[site]] #1"),
        (GOOD_SITE + 'profile = "wordpress"\n', "line 5: key `profile`"),
        ("[network]\ncrawl_delay = -1\n" + GOOD_SITE, "line 2: key `network.crawl_delay`"),
        ("[[site]]\ndomain = \n", "not valid TOML"),
    ],
)
def test_a_bad_sources_file_names_the_line_and_the_key(
    text: str, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_selecting_an_unknown_site_lists_the_known_ones() -> None:
    sources = load_sources()
    assert [s.domain for s in sources.select(["www.baohungyen.vn"]).sites] == ["baohungyen.vn"]
    with pytest.raises(SourcesError, match="known sites: baolamdong.vn"):
        sources.select(["example.com"])


def test_a_missing_sources_file_says_which(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="sources file not found"):
        load_sources(tmp_path / "nope.toml")


def test_bundled_sources_cover_the_34_units_each_with_a_reference() -> None:
    import json

    from crawler.models import place_key
    from crawler.sources import DEFAULT_SOURCES_PATH

    gazetteer_path = Path(__file__).resolve().parents[2] / "qa" / "data" / "gazetteer.json"
    gazetteer = json.loads(gazetteer_path.read_text(encoding="utf-8"))
    current = {unit["key"] for unit in gazetteer["units"] if unit["from_2025_07_01"]}
    sources = load_sources()
    covered = {place_key(site.province) for site in sources.sites if site.province}
    assert len(current) == 34
    assert current <= covered, sorted(current - covered)
    assert any(site.domain == "www.vietnam.vn" for site in sources.sites)
    # Every site names its public reference (or says it is unconfirmed) just above it.
    chunks = DEFAULT_SOURCES_PATH.read_text(encoding="utf-8").split("\n[[site]]\n")
    assert len(chunks) - 1 == len(sources.sites)
    for before in chunks[:-1]:
        assert "Reference" in before[-600:]
