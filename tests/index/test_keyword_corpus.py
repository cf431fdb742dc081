"""The keyword index built from counted terms is bm25s's own index: the same score for
every (document, token) pair, so keyword search ranks and scores exactly as before."""

from __future__ import annotations

import random
from pathlib import Path

import bm25s
import numpy as np
import pytest

from index import keyword
from index.errors import BackendError
from index.keyword import KeywordCorpus, KeywordIndex, TermCounts
from tests.index.conftest import fake_keyword_tokens

WORDS = [f"w{n}" for n in range(300)] + ["nghị", "quyết", "lâm_đồng", "15/2025/nq-hđnd"]


def _corpus(seed: int, documents: int) -> list[list[str]]:
    rng = random.Random(seed)
    # Zipf-like: a few words in most documents, many rare ones; some documents empty.
    return [
        [WORDS[min(int(rng.paretovariate(1.1)) - 1, len(WORDS) - 1)] for _ in range(size)]
        for size in (rng.choice([0, 1, 3, 40, 120, 260]) for _ in range(documents))
    ]


def _postings(bm25: bm25s.BM25) -> dict[str, tuple[list[int], list[int]]]:
    """Per token: its documents and the bit patterns of their float32 scores."""
    data, indices, indptr = (bm25.scores[key] for key in ("data", "indices", "indptr"))
    out = {}
    for token, column in bm25.vocab_dict.items():
        if column >= len(indptr) - 1:
            continue  # the empty token bm25s adds has no column
        span = slice(indptr[column], indptr[column + 1])
        out[token] = (indices[span].tolist(), data[span].view(np.uint32).tolist())
    return out


@pytest.mark.parametrize(("seed", "block"), [(1, 1_000_000), (2, 1_000_000), (3, 7)])
def test_scores_equal_bm25s_built_from_the_token_lists(
    seed: int, block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Scores are computed in blocks of entries; a small block crosses documents.
    monkeypatch.setattr(keyword, "_SCORE_BLOCK", block)
    documents = _corpus(seed, 400)
    reference = bm25s.BM25()
    reference.index(documents, show_progress=False)
    corpus = KeywordCorpus()
    for chunk_id, tokens in enumerate(documents):
        corpus.add(chunk_id * 3 + 1, TermCounts.of(tokens))
    built = corpus.to_index()._bm25
    assert built is not None
    assert _postings(built) == _postings(reference)
    assert set(built.vocab_dict) == set(reference.vocab_dict)
    assert built.scores["num_docs"] == reference.scores["num_docs"]
    query = ["w0", "w3", "nghị", "15/2025/nq-hđnd"]
    assert np.array_equal(built.get_scores(query), reference.get_scores(query))


def test_documents_added_out_of_id_order_are_ranked_by_id(tmp_path: Path) -> None:
    documents = _corpus(7, 60)
    in_order, shuffled = KeywordCorpus(), KeywordCorpus()
    for chunk_id, tokens in enumerate(documents):
        in_order.add(chunk_id, TermCounts.of(tokens))
    arrival = list(enumerate(documents))
    random.Random(7).shuffle(arrival)
    for chunk_id, tokens in arrival:
        shuffled.add(chunk_id, TermCounts.of(tokens))
    one, two = in_order.to_index(), shuffled.to_index()
    assert np.array_equal(one.ids, two.ids)
    assert one._bm25 is not None and two._bm25 is not None
    assert _postings(one._bm25) == _postings(two._bm25)
    two.save(tmp_path / "kw")
    loaded = KeywordIndex.load(tmp_path / "kw", lambda text: text.split())
    assert loaded.search("w0 w1", 5) == one.search("w0 w1", 5)


def test_pretokenized_chunks_are_not_tokenized_again() -> None:
    corpus = KeywordCorpus()
    corpus.add(5, TermCounts.of(["metro", "metro", "hanoi"]))
    seen: list[str] = []

    def tokenize(text: str) -> list[str]:
        seen.append(text)
        return fake_keyword_tokens(text)

    index = KeywordIndex.build([(2, "expressway"), (5, "ignored")], tokenize, pretokenized=corpus)
    assert seen == ["expressway"]
    assert list(index.ids) == [2, 5]
    assert index.search("metro", 2)[0][0] == 5


def test_a_chunk_given_twice_is_refused() -> None:
    corpus = KeywordCorpus()
    corpus.add(1, TermCounts.of(["a"]))
    with pytest.raises(BackendError, match="twice"):
        corpus.add(1, TermCounts.of(["b"]))


def test_term_counts_keep_the_length_in_tokens() -> None:
    counted = TermCounts.of(["lam", "dong", "lam"])
    assert dict(zip(counted.terms, counted.counts, strict=True)) == {"lam": 2, "dong": 1}
    assert counted.length == 3


def test_documents_numbered_by_worker_vocabularies_give_the_same_index() -> None:
    """Workers send term ids of their own vocabularies; the corpus maps them to its ids,
    which come out as if it had been given every term as a string, in the same order."""
    documents = _corpus(5, 300)
    by_strings = KeywordCorpus()
    for chunk_id, tokens in enumerate(documents):
        by_strings.add(chunk_id, TermCounts.of(tokens))
    workers = [keyword.WorkerVocabulary(), keyword.WorkerVocabulary()]
    rng = random.Random(5)
    by_ids = KeywordCorpus()
    for chunk_id, tokens in enumerate(documents):
        # Each document goes to any worker; a worker's documents stay in its order.
        numbered = rng.choice(workers).number(TermCounts.of(tokens))
        by_ids.add_numbered(chunk_id, numbered)
    assert by_ids.vocab == by_strings.vocab
    built, reference = by_ids.to_index()._bm25, by_strings.to_index()._bm25
    assert built is not None and reference is not None
    assert _postings(built) == _postings(reference)


def test_a_worker_document_out_of_its_order_is_refused() -> None:
    worker = keyword.WorkerVocabulary()
    first = worker.number(TermCounts.of(["a", "b"]))
    second = worker.number(TermCounts.of(["b", "c"]))
    corpus = KeywordCorpus()
    with pytest.raises(BackendError, match="out of order"):
        corpus.add_numbered(2, second)
    corpus.add_numbered(1, first)
    corpus.add_numbered(2, second)
    assert corpus.vocab == {"a": 0, "b": 1, "c": 2}
