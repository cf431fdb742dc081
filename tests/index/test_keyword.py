from __future__ import annotations

from pathlib import Path

import numpy as np

from index.keyword import KeywordIndex
from tests.index.conftest import fake_keyword_tokens

DOCS = [
    (3, "Nghị quyết 15/2025/NQ-HĐND về giải phóng mặt bằng cao tốc"),
    (5, "Nghị quyết 16/2025/NQ-HĐND về giáo dục"),
    (8, "Делегация Ханоя обсудила строительство метро"),
    (13, "Lam Dong expressway site clearance resolution"),
]


def _index() -> KeywordIndex:
    return KeywordIndex.build(DOCS, fake_keyword_tokens)


def test_document_number_matches_exactly() -> None:
    hits = _index().search("nghị quyết 15/2025/NQ-HĐND", 10)
    assert hits[0][0] == 3
    assert hits[0][1] > hits[1][1]


def test_vietnamese_without_tone_marks_and_cyrillic_match() -> None:
    index = _index()
    assert index.search("giai phong mat bang", 2)[0][0] == 3
    assert index.search("метро", 2)[0][0] == 8


def test_filter_applies_before_top_k() -> None:
    hits = _index().search("nghị quyết", 1, np.array([5], dtype=np.int64))
    assert [i for i, _ in hits] == [5]
    assert _index().search("nghị quyết", 5, np.array([8, 13], dtype=np.int64)) == []


def test_no_match_returns_nothing() -> None:
    assert _index().search("zzzz", 5) == []
    assert _index().search("", 5) == []


def test_save_and_load(tmp_path: Path) -> None:
    _index().save(tmp_path / "kw")
    loaded = KeywordIndex.load(tmp_path / "kw", fake_keyword_tokens)
    assert len(loaded) == 4
    assert loaded.search("expressway", 3)[0][0] == 13


def test_a_loaded_index_reads_its_scores_from_the_files_and_ranks_as_built(
    tmp_path: Path,
) -> None:
    built = _index()
    built.save(tmp_path / "kw")
    loaded = KeywordIndex.load(tmp_path / "kw", fake_keyword_tokens)
    # Memory-mapped, not copied into the reader's memory (a million chunks' arrays are
    # 1.9 GB per server process otherwise).
    assert loaded._bm25 is not None
    for name in ("data", "indices", "indptr"):
        assert isinstance(loaded._bm25.scores[name], np.memmap), name
    for query in ("nghị quyết", "giải phóng mặt bằng", "метро", "expressway 15/2025/NQ-HĐND"):
        assert loaded.search(query, 4) == built.search(query, 4)
    assert loaded.search("nghị quyết", 4, np.array([5, 13], dtype=np.int64)) == built.search(
        "nghị quyết", 4, np.array([5, 13], dtype=np.int64)
    )


def test_empty_corpus(tmp_path: Path) -> None:
    empty = KeywordIndex.build([], fake_keyword_tokens)
    empty.save(tmp_path / "kw")
    assert KeywordIndex.load(tmp_path / "kw", fake_keyword_tokens).search("x", 3) == []
