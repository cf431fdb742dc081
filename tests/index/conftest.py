"""Fixtures for index tests: an article store, deterministic text seams and builds.

The seams are injected (`build_index`, `open_handle` pass them to `update_index` and
`IndexHandle`), never patched into modules.

The chunker and tokenizer stand-ins are simple and predictable (one chunk per paragraph,
dd/mm/yyyy dates, folded word tokens with document numbers kept whole), so the tests pin
down storage, filtering and life-cycle behaviour independently of the text pipeline.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from crawler.database import StoreLocation
from crawler.models import Article
from index.build import BuildReport
from index.models import Chunk, Embedder, MentionedDate
from index.reader import IndexHandle
from tests.fakes import HashingEmbedder

VN = timezone(timedelta(hours=7))
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_DOC_NUMBER = re.compile(r"\b\d+/\d{4}/[A-ZĐ]+(?:-[A-ZĐ]+)*")
_TOKEN = re.compile(r"\d+/\d{4}/[a-z]+(?:-[a-z]+)*|\w+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fake_keyword_tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def fake_chunk(
    article: Article,
    *,
    target_chars: int = 700,
    max_chars: int = 1200,
    overlap_sentences: int = 1,
) -> list[Chunk]:
    """One chunk per paragraph of the stored text, with offsets, dates and doc numbers."""
    assert article.id is not None
    chunks = []
    position = 0
    for ordinal, paragraph in enumerate(article.text.split("\n\n")):
        start = article.text.index(paragraph, position)
        end = start + len(paragraph)
        position = end
        dates = tuple(
            MentionedDate(
                value=date(int(m[3]), int(m[2]), int(m[1])),
                kind="mention",
                precision="day",
                start=start + m.start(),
                end=start + m.end(),
                surface=m[0],
            )
            for m in _DATE.finditer(paragraph)
        )
        numbers = tuple(m[0] for m in _DOC_NUMBER.finditer(paragraph))
        chunks.append(
            Chunk(
                article_id=article.id,
                ordinal=ordinal,
                start=start,
                end=end,
                text=paragraph,
                context=article.title,
                dates=dates,
                doc_numbers=numbers,
            )
        )
    return chunks


def build_index(
    store: StoreLocation, index_dir: Path, embedder: Embedder, **options: Any
) -> BuildReport:
    """`update_index` with the stand-in chunker and tokenizer (the storage and search
    tests; the text pipeline has its own tests)."""
    from index.build import update_index

    return update_index(
        store, index_dir, embedder, chunker=fake_chunk, tokenizer=fake_keyword_tokens, **options
    )


def open_handle(index_dir: Path, embedder: Embedder, **options: Any) -> IndexHandle:
    """An `IndexHandle` that tokenizes queries as `build_index` tokenized the passages."""
    return IndexHandle(index_dir, embedder, tokenizer=fake_keyword_tokens, **options)


def make_article(
    slug: str,
    title: str,
    paragraphs: list[str],
    *,
    province: str | None = "Lâm Đồng",
    lang: str = "vi",
    site: str = "baolamdong.vn",
    published: datetime | None = None,
    translation_of: str | None = None,
) -> Article:
    return Article(
        url=f"https://{site}/{slug}.html",
        title=title,
        paragraphs=paragraphs,
        province=province,
        lang=lang,
        site=site,
        published=published or datetime(2025, 3, 17, 9, 0, tzinfo=VN),
        translation_of=translation_of,
    )


CORPUS: list[Article] = [
    make_article(
        "cao-toc",
        "Lâm Đồng khởi công cao tốc Tân Phú - Bảo Lộc",
        [
            "Tỉnh Lâm Đồng cam kết hoàn thành cao tốc Tân Phú - Bảo Lộc trước ngày 30/6/2025.",
            "Theo Nghị quyết 15/2025/NQ-HĐND, tỉnh bố trí vốn cho giải phóng mặt bằng.",
        ],
        published=datetime(2025, 1, 10, 8, 0, tzinfo=VN),
    ),
    make_article(
        "ca-phe",
        "Lâm Đồng tái canh cà phê",
        [
            "Nông dân Lâm Đồng tái canh 5.000 ha cà phê trong năm 2025.",
            "Chương trình hỗ trợ giống cây trồng kéo dài đến 31/12/2026.",
        ],
        published=datetime(2025, 2, 20, 8, 0, tzinfo=VN),
    ),
    make_article(
        "highway-en",
        "Lam Dong breaks ground on the Tan Phu - Bao Loc expressway",
        [
            "Lam Dong province committed to finish the Tan Phu - Bao Loc expressway by 30/6/2025.",
            "Resolution 15/2025/NQ-HĐND allocates funds for site clearance.",
        ],
        lang="en",
        site="baolamdong.vn",
        published=datetime(2025, 1, 11, 8, 0, tzinfo=VN),
        translation_of="https://baolamdong.vn/cao-toc.html",
    ),
    make_article(
        "da-nang-du-lich",
        "Đà Nẵng đẩy mạnh du lịch biển",
        [
            "Thành phố Đà Nẵng đặt mục tiêu đón 10 triệu lượt khách du lịch năm 2025.",
            "Quyết định 120/2024/QĐ-UBND phê duyệt đề án phát triển du lịch biển.",
        ],
        province="Đà Nẵng",
        site="baodanang.vn",
        published=datetime(2024, 12, 28, 8, 0, tzinfo=VN),
    ),
    make_article(
        "ha-noi-giao-thong",
        "Москва и Ханой обсуждают транспорт",
        [
            "Делегация Ханоя обсудила строительство метро до 2030 года.",
            "Стороны подписали меморандум 01/2025/MOU-HN о сотрудничестве.",
        ],
        province="Hà Nội",
        lang="ru",
        site="hanoimoi.vn",
        published=datetime(2025, 3, 1, 8, 0, tzinfo=VN),
    ),
]


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder(dimensions=64)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "articles.sqlite"


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def fill_store(store_path: StoreLocation, articles: list[Article]) -> None:
    from crawler.store import ArticleStore

    with ArticleStore(store_path) as store:
        for article in articles:
            store.add(article)


def delete_from_store(store_path: Path, article_url: str) -> None:
    """Remove an article from the store (the store has no delete API of its own)."""
    import sqlite3

    from crawler.store import ArticleStore

    with ArticleStore(store_path) as store:
        article_id = store.article_id_for_url(article_url)
    assert article_id is not None
    db = sqlite3.connect(store_path)
    with db:
        db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    db.close()


@pytest.fixture
def built(store_path: Path, index_dir: Path, embedder: HashingEmbedder) -> BuildReport:
    """Fill the store with CORPUS and build the index once; returns the report."""
    fill_store(store_path, CORPUS)
    return build_index(store_path, index_dir, embedder)
