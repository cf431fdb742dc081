"""Embedders: profiles, the passage cache, and the real bundled e5-small model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embed import CachedEmbedder, load_embedder
from index.errors import ModelUnavailableError
from tests.fakes import HashingEmbedder


def test_cache_never_embeds_the_same_passage_twice_across_runs(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    first = CachedEmbedder(HashingEmbedder(), cache)
    texts = ["Lâm Đồng cam kết hoàn thành trước 31/5/2025.", "Hà Giang giao nhiệm vụ quý II."]
    vectors = first.embed_passages(texts)
    first.close()

    inner = HashingEmbedder()
    second = CachedEmbedder(inner, cache)
    again = second.embed_passages([texts[1], texts[0], "A new sentence."])
    assert inner.calls == [("passage", 1)], "only the new text reaches the model"
    np.testing.assert_allclose(again[0], vectors[1])
    np.testing.assert_allclose(again[1], vectors[0])


def test_cache_is_keyed_by_embedder(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    CachedEmbedder(HashingEmbedder(dimensions=64), cache).embed_passages(["same text"])
    other = HashingEmbedder(dimensions=32)
    vectors = CachedEmbedder(other, cache).embed_passages(["same text"])
    assert vectors.shape == (1, 32)
    assert other.calls == [("passage", 1)]


def test_gemma_without_weights_says_how_to_get_them(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="make models"):
        load_embedder("gemma", models_dir=tmp_path, cache_path=None)


def test_unknown_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="cannot load"):
        load_embedder(str(tmp_path / "no-such-model"), models_dir=tmp_path, cache_path=None)


@pytest.mark.slow
def test_e5_small_ranks_the_matching_passage_first_across_languages(tmp_path: Path) -> None:
    embedder = load_embedder("e5-small", models_dir=tmp_path, cache_path=tmp_path / "c.sqlite")
    passages = [
        "Tỉnh Lâm Đồng cam kết hoàn thành giải phóng mặt bằng trước ngày 31/5/2025.",
        "Погода в Ханое сегодня солнечная и тёплая.",
        "The football team won the regional cup on Sunday.",
    ]
    vectors = embedder.embed_passages(passages)
    query = embedder.embed_queries(["What did Lam Dong commit to by May 2025?"])[0]
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert int(np.argmax(vectors @ query)) == 0
