from __future__ import annotations

from pathlib import Path

import numpy as np

from index.keyword import KeywordIndex, compiled_scorer
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


# A corpus shaped like provincial news: a few words in nearly every chunk, some in many,
# most in a few; and many chunks with the same words (equal scores).
_COMMON = ["tinh", "cua", "va", "nam"]
_FREQUENT = [f"chu{n}" for n in range(12)]
_RARE = [f"hiem{n}" for n in range(80)]


def _news_like_corpus(size: int = 600, seed: int = 7) -> list[tuple[int, str]]:
    rng = np.random.default_rng(seed)
    documents = []
    for position in range(size):
        if position % 5 == 0:
            text = "tinh cua nam chu1 hiem3"  # the same words again and again
        else:
            words = [w for w in _COMMON if rng.random() < 0.9]
            words += list(rng.choice(_FREQUENT, size=rng.integers(1, 4)))
            words += list(rng.choice(_RARE, size=rng.integers(0, 3)))
            words *= int(rng.integers(1, 3))
            text = " ".join(words)
        documents.append((1000 + 3 * position, text))
    return documents


def _every_document_ranked(
    index: KeywordIndex, query: str, k: int, allowed: np.ndarray | None = None
) -> list[tuple[int, float]]:
    """The reference: bm25s's score of every document, best first, equal scores by chunk id."""
    assert index._bm25 is not None
    scores = np.asarray(index._bm25.get_scores(fake_keyword_tokens(query)), dtype=np.float32)
    ranked = [
        (int(chunk_id), float(score))
        for chunk_id, score in zip(index.ids, scores, strict=True)
        if score > 0 and (allowed is None or chunk_id in set(allowed.tolist()))
    ]
    return sorted(ranked, key=lambda hit: (-hit[1], hit[0]))[:k]


def test_equal_scores_come_in_chunk_id_order() -> None:
    index = KeywordIndex.build(_news_like_corpus(), fake_keyword_tokens)
    hits = index.search("hiem3 chu1", 10)
    # 120 chunks have exactly these words and the best score; the first ten by id answer.
    assert len({score for _, score in hits}) == 1
    assert [chunk_id for chunk_id, _ in hits] == [1000 + 15 * n for n in range(10)]


def test_the_k_best_are_those_of_every_document_ranked() -> None:
    documents = _news_like_corpus()
    index = KeywordIndex.build(documents, fake_keyword_tokens)
    rng = np.random.default_rng(11)
    vocabulary = _COMMON + _FREQUENT + _RARE
    allowed = np.array(sorted(chunk_id for chunk_id, _ in documents[::3]), dtype=np.int64)
    checked = 0
    for _ in range(300):
        words = list(rng.choice(vocabulary, size=rng.integers(1, 7)))
        query = " ".join(words + list(rng.choice(_COMMON, size=rng.integers(0, 3))))
        for k in (1, 5, 50):
            assert index.search(query, k) == _every_document_ranked(index, query, k), query
            assert index.search(query, k, allowed) == _every_document_ranked(
                index, query, k, allowed
            ), query
            checked += 1
    assert checked == 900


def test_compiled_scoring_adds_the_same_float32_sums_as_numpy() -> None:
    # Every query's per-document sums, bit for bit, against numpy's `add.at` over the
    # query terms' postings in query order (what bm25s does without numba).
    rng = np.random.default_rng(5)
    documents, terms = 3000, 200
    lengths = rng.integers(0, documents, size=terms) // rng.integers(1, 50, size=terms)
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    indices = np.concatenate(
        [np.sort(rng.choice(documents, size=n, replace=False)) for n in lengths]
    ).astype(np.int32)
    data = (rng.random(len(indices)) * rng.choice([0.01, 1.0, 7.0], size=len(indices))).astype(
        np.float32
    )
    score = compiled_scorer()
    for _ in range(200):
        query = rng.integers(0, terms, size=rng.integers(1, 40)).astype(np.int32)
        expected = np.zeros(documents, dtype=np.float32)
        for term in query:
            np.add.at(
                expected,
                indices[indptr[term] : indptr[term + 1]],
                data[indptr[term] : indptr[term + 1]],
            )
        got = score(
            data=data,
            indptr=indptr,
            indices=indices,
            num_docs=documents,
            query_tokens_ids=query,
            dtype=np.dtype(np.float32),
        )
        assert got.dtype == np.float32
        assert got.tobytes() == expected.tobytes()
